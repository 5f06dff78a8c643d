package io.meridian.benchmarks;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a workload as a CSV workload file in the format {@link CsvWorkload} reads, so that a generated stream can be
 * replayed by another order book (benchmarks/peer) or kept as a file. A CSV workload has no pre-fill, so the pre-fill
 * orders become the file's first lines and are part of the measured stream when the file is replayed; the book ends
 * in the same state as after the generated pre-fill and stream.
 *
 * <p>Only what the format can say is written: plain limit orders (GTC, IOC, FOK) with no post-only, reduce-only,
 * self-trade prevention, trigger, iceberg, expiry or client order id, cancels, and amends of price and/or quantity.
 * Anything else fails with a {@link WorkloadException} before the file is touched.
 */
public final class CsvWorkloadWriter {
    static final String HEADER = "op,account,order_id,instrument,side,price,qty,type";

    private CsvWorkloadWriter() {
    }

    /**
     * Writes the header, the pre-fill and the stream to {@code file} (replaced if it exists: written to a temporary
     * file beside it first and then moved over it, so a failed write never leaves half a file under the name).
     * Returns the number of command lines written.
     */
    public static long write(Workload workload, Path file) throws WorkloadException {
        String[] symbols = symbols(workload);
        for (Command[] part : new Command[][] {workload.prefill(), workload.commands()}) {
            for (Command c : part) {
                check(c);
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, file.getFileName().toString(), ".partial");
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(temp, StandardCharsets.UTF_8), 1 << 20)) {
                write(workload, symbols, out);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } catch (IOException e) {
            throw new WorkloadException(file + ": cannot write: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
        return workload.prefill().length + (long) workload.commands().length;
    }

    /** Writes the header, the pre-fill and the stream; every command must have passed {@link #check}. */
    static void write(Workload workload, String[] symbols, Writer out) throws IOException {
        out.write(HEADER);
        out.write('\n');
        StringBuilder line = new StringBuilder(64);
        for (Command[] part : new Command[][] {workload.prefill(), workload.commands()}) {
            for (Command c : part) {
                line.setLength(0);
                format(c, symbols[c.instrument], line);
                out.append(line).append('\n');
            }
        }
    }

    /** One command as a CSV line (no line end); the instrument by its symbol. */
    static void format(Command c, String symbol, StringBuilder line) {
        switch (c.type) {
            case PLACE_ORDER:
                line.append("place,").append(c.account).append(',').append(c.orderId).append(',').append(symbol)
                        .append(',').append(c.side == Side.BUY ? "buy" : "sell").append(',').append(c.price)
                        .append(',').append(c.quantity).append(',').append(c.timeInForce.name());
                break;
            case CANCEL_ORDER:
                line.append("cancel,").append(c.account).append(',').append(c.orderId).append(',').append(symbol)
                        .append(",,,,");
                break;
            case AMEND_ORDER:
                // 0 keeps the price or the quantity; the format says so with an empty field.
                line.append("amend,").append(c.account).append(',').append(c.orderId).append(',').append(symbol)
                        .append(",,");
                if (c.price != 0) {
                    line.append(c.price);
                }
                line.append(',');
                if (c.quantity != 0) {
                    line.append(c.quantity);
                }
                line.append(',');
                break;
            default:
                throw new IllegalArgumentException("not a CSV command (check it first): " + c);
        }
    }

    /** Refuses a command the CSV format cannot express, naming what it has that the format lacks. */
    static void check(Command c) throws WorkloadException {
        String problem = problem(c);
        if (problem != null) {
            throw new WorkloadException("cannot be written as a CSV workload: " + problem + ": " + c);
        }
    }

    private static String problem(Command c) {
        if (c.type != CommandType.PLACE_ORDER && c.type != CommandType.CANCEL_ORDER
                && c.type != CommandType.AMEND_ORDER) {
            return "a " + c.type + " command (the format has place, cancel and amend)";
        }
        if (c.account <= 0 || c.orderId <= 0) {
            return "account and order id must be positive";
        }
        if (c.clientOrderId != 0 || c.clientOrderText != null) {
            return "a client order id";
        }
        if (c.type == CommandType.AMEND_ORDER) {
            return c.triggerPrice != 0 ? "an amend of a trigger price"
                    : c.price < 0 || c.quantity < 0 || c.price == 0 && c.quantity == 0 ? "an amend that changes nothing"
                    : null;
        }
        if (c.type == CommandType.CANCEL_ORDER) {
            return null;
        }
        if (c.orderType != OrderType.LIMIT || c.timeInForce == null) {
            return "a " + c.orderType + " order (the format has limit orders: GTC, IOC or FOK)";
        }
        switch (c.timeInForce) {
            case GTC:
            case IOC:
            case FOK:
                break;
            default:
                return "time in force " + c.timeInForce;
        }
        if (c.side == null || c.price <= 0 || c.quantity <= 0) {
            return "a place needs a side, a positive price and a positive quantity";
        }
        boolean plain = (c.postOnly == null || c.postOnly == PostOnly.NONE) && !c.reduceOnly
                && (c.selfTradePrevention == null || c.selfTradePrevention == SelfTradePrevention.NONE)
                && c.triggerPrice == 0 && c.displayQuantity == 0 && c.expireAt == 0;
        return plain ? null : "post-only, reduce-only, self-trade prevention, a trigger, an iceberg or an expiry";
    }

    /**
     * The symbols by instrument id. {@link CsvWorkload} makes every instrument {@link WorkloadGenerator#spec} and
     * numbers them in order of first appearance, so a workload whose instruments have other specs, share a symbol, or
     * first appear out of id order would read back as something else: refused.
     */
    private static String[] symbols(Workload workload) throws WorkloadException {
        InstrumentSpec[] specs = workload.instruments();
        String[] symbols = new String[specs.length];
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int i = 0; i < specs.length; i++) {
            String symbol = specs[i].symbol();
            if (symbol.isEmpty() || !symbol.equals(symbol.strip())
                    || symbol.chars().anyMatch(ch -> ch == ',' || Character.isISOControl(ch))) {
                throw new WorkloadException("cannot be written as a CSV workload: instrument symbol '" + symbol + "'");
            }
            if (!distinct.add(symbol)) {
                throw new WorkloadException("cannot be written as a CSV workload: two instruments named " + symbol);
            }
            if (!specs[i].equals(WorkloadGenerator.spec(i, symbol))) {
                throw new WorkloadException("cannot be written as a CSV workload: instrument " + symbol
                        + " is not specified as a CSV workload's instruments are (WorkloadGenerator.spec)");
            }
            symbols[i] = symbol;
        }
        int seen = 0;
        for (Command[] part : new Command[][] {workload.prefill(), workload.commands()}) {
            for (Command c : part) {
                if (c.instrument < 0 || c.instrument >= specs.length) {
                    throw new WorkloadException("cannot be written as a CSV workload: unknown instrument " + c);
                }
                if (c.instrument > seen) {
                    throw new WorkloadException("cannot be written as a CSV workload: instrument " + c.instrument
                            + " first appears before instrument " + seen + ", so it would read back as another id");
                }
                if (c.instrument == seen) {
                    seen++;
                }
            }
        }
        return symbols;
    }
}
