package io.meridian.benchmarks;

import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a workload from CSV, one command a line:
 * <pre>
 * op,account,order_id,instrument,side,price,qty,type
 * place,17,1,BTC-PERP,buy,100000,5,GTC
 * amend,17,1,BTC-PERP,,100002,,
 * cancel,17,1,BTC-PERP,,,,
 * </pre>
 * <ul>
 * <li>{@code op}: {@code place}, {@code cancel} or {@code amend} (case-insensitive).</li>
 * <li>{@code account}, {@code order_id}: positive integers. Order ids are the exchange ids: a place names a new
 * one, a cancel or amend an open one.</li>
 * <li>{@code instrument}: any non-empty name; names get dense ids in order of first appearance, and each becomes a
 * perpetual with tick 1 and lot 1, no price band and 90% market protection ({@link WorkloadGenerator#spec}).</li>
 * <li>{@code side}: {@code buy} or {@code sell}; required for place, ignored (may be empty) for cancel and amend.</li>
 * <li>{@code price}: limit price in ticks, {@code qty}: quantity in lots; positive integers. Both required for
 * place. For amend, the new price and/or the new total quantity; an empty field (or 0) leaves it unchanged, but
 * at least one must be given. Ignored for cancel.</li>
 * <li>{@code type}: {@code GTC}, {@code IOC} or {@code FOK} for place; must be empty for cancel and amend.</li>
 * </ul>
 * The header line is optional (a first line whose first field is {@code op} is skipped). Blank lines and lines
 * starting with {@code #} are skipped. Trailing empty fields may be left out (at least the first four fields
 * are required). Whitespace around fields is ignored. A bad line stops reading with a {@link WorkloadException}
 * naming the file and the line number. The whole file becomes the measured stream: there is no pre-fill.
 */
public final class CsvWorkload {
    private static final int FIELDS = 8;
    private static final int REQUIRED_FIELDS = 4;
    private static final int MAX_INSTRUMENTS = EngineConfig.defaults().maxInstruments();
    private static final long MAX_QUANTITY = WorkloadGenerator.spec(0, "X").maxQuantity();

    private CsvWorkload() {
    }

    public static Workload read(Path file) throws WorkloadException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        } catch (NoSuchFileException e) {
            throw new WorkloadException(file + ": no such file", e);
        } catch (IOException e) {
            throw new WorkloadException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a workload; {@code name} prefixes error messages ("name:line: ..."). */
    public static Workload read(Reader in, String name) throws WorkloadException {
        BufferedReader reader = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        Parser parser = new Parser(name);
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                parser.line(line);
            }
        } catch (IOException e) {
            throw new WorkloadException(name + ": cannot read: " + e.getMessage(), e);
        }
        return parser.workload();
    }

    /** Parsing state: instrument names seen so far, commands and accounts. */
    private static final class Parser {
        private final String name;
        private final Map<String, Integer> instruments = new LinkedHashMap<>();
        private final List<Command> commands = new ArrayList<>();
        private long[] accounts = new long[1024];
        private int accountCount;
        private int lineNumber;
        private boolean sawContent;

        Parser(String name) {
            this.name = name;
        }

        void line(String raw) throws WorkloadException {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                return;
            }
            String[] fields = line.split(",", -1);
            for (int i = 0; i < fields.length; i++) {
                fields[i] = fields[i].strip();
            }
            boolean first = !sawContent;
            sawContent = true;
            if (first && fields[0].equalsIgnoreCase("op")) {
                return;
            }
            if (fields.length < REQUIRED_FIELDS || fields.length > FIELDS) {
                throw error("expected " + FIELDS + " fields (op,account,order_id,instrument,side,price,qty,type), found "
                        + fields.length);
            }
            fields = Arrays.copyOf(fields, FIELDS);
            for (int i = REQUIRED_FIELDS; i < FIELDS; i++) {
                if (fields[i] == null) {
                    fields[i] = "";
                }
            }
            String op = fields[0].toLowerCase(Locale.ROOT);
            long account = positive(fields[1], "account");
            long orderId = positive(fields[2], "order_id");
            int instrument = instrument(fields[3]);
            Command c = new Command();
            switch (op) {
                case "place":
                    c.limit(account, instrument, orderId, side(fields[4]), price(positive(fields[5], "price")),
                            quantity(positive(fields[6], "qty")), timeInForce(fields[7]));
                    break;
                case "cancel":
                    noType(fields[7], op);
                    c.cancel(account, instrument, orderId);
                    break;
                case "amend":
                    noType(fields[7], op);
                    long price = price(optional(fields[5], "price"));
                    long quantity = quantity(optional(fields[6], "qty"));
                    if (price == 0 && quantity == 0) {
                        throw error("amend needs a new price and/or qty");
                    }
                    c.amend(account, instrument, orderId, price, quantity);
                    break;
                default:
                    throw error("unknown op '" + fields[0] + "' (expected place, cancel or amend)");
            }
            commands.add(c);
            if (accountCount == accounts.length) {
                accounts = Arrays.copyOf(accounts, accountCount * 2);
            }
            accounts[accountCount++] = account;
        }

        Workload workload() throws WorkloadException {
            if (commands.isEmpty()) {
                throw new WorkloadException(name + ": no commands");
            }
            InstrumentSpec[] specs = new InstrumentSpec[instruments.size()];
            for (Map.Entry<String, Integer> e : instruments.entrySet()) {
                specs[e.getValue()] = WorkloadGenerator.spec(e.getValue(), e.getKey());
            }
            return new Workload("CSV workload " + name, specs, new Command[0], commands.toArray(new Command[0]),
                    Workload.distinctSorted(accounts, accountCount));
        }

        private int instrument(String field) throws WorkloadException {
            if (field.isEmpty()) {
                throw error("instrument is empty");
            }
            Integer id = instruments.get(field);
            if (id == null) {
                if (instruments.size() == MAX_INSTRUMENTS) {
                    throw error("more than " + MAX_INSTRUMENTS + " instruments");
                }
                id = instruments.size();
                instruments.put(field, id);
            }
            return id;
        }

        private Side side(String field) throws WorkloadException {
            switch (field.toLowerCase(Locale.ROOT)) {
                case "buy":
                    return Side.BUY;
                case "sell":
                    return Side.SELL;
                default:
                    throw error(field.isEmpty() ? "side is empty (expected buy or sell)"
                            : "bad side '" + field + "' (expected buy or sell)");
            }
        }

        private TimeInForce timeInForce(String field) throws WorkloadException {
            switch (field.toUpperCase(Locale.ROOT)) {
                case "GTC":
                    return TimeInForce.GTC;
                case "IOC":
                    return TimeInForce.IOC;
                case "FOK":
                    return TimeInForce.FOK;
                default:
                    throw error(field.isEmpty() ? "type is empty (expected GTC, IOC or FOK)"
                            : "bad type '" + field + "' (expected GTC, IOC or FOK)");
            }
        }

        private void noType(String field, String op) throws WorkloadException {
            if (!field.isEmpty()) {
                throw error("type must be empty for " + op + ", found '" + field + "'");
            }
        }

        private long positive(String field, String what) throws WorkloadException {
            if (field.isEmpty()) {
                throw error(what + " is empty");
            }
            long value = number(field, what);
            if (value <= 0) {
                throw error(what + " must be positive, found " + field);
            }
            return value;
        }

        private long price(long ticks) throws WorkloadException {
            if (ticks > InstrumentSpec.PRICE_LIMIT) {
                throw error("price " + ticks + " is above the maximum of " + InstrumentSpec.PRICE_LIMIT + " ticks");
            }
            return ticks;
        }

        private long quantity(long lots) throws WorkloadException {
            if (lots > MAX_QUANTITY) {
                throw error("qty " + lots + " is above the maximum of " + MAX_QUANTITY + " lots");
            }
            return lots;
        }

        /** Empty or 0 = unchanged (0); else a positive number. */
        private long optional(String field, String what) throws WorkloadException {
            if (field.isEmpty()) {
                return 0;
            }
            long value = number(field, what);
            if (value < 0) {
                throw error(what + " must not be negative, found " + field);
            }
            return value;
        }

        private long number(String field, String what) throws WorkloadException {
            try {
                return Long.parseLong(field);
            } catch (NumberFormatException e) {
                throw error(what + " is not a whole number: '" + field + "'");
            }
        }

        private WorkloadException error(String message) {
            return new WorkloadException(name + ":" + lineNumber + ": " + message);
        }
    }
}
