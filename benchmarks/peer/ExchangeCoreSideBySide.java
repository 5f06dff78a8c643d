import exchange.core2.collections.objpool.ObjectsPool;
import exchange.core2.core.common.*;
import exchange.core2.core.common.cmd.*;
import exchange.core2.core.common.config.LoggingConfiguration;
import exchange.core2.core.orderbook.*;
import exchange.core2.tests.util.TestConstants;
import exchange.core2.tests.util.TestOrdersGenerator;
import org.HdrHistogram.Histogram;
import java.io.*;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/**
 * Exchange-core's side of a side-by-side comparison of its order book with Meridian's, on two workloads: exchange-core's
 * own order-book benchmark workload (its {@code ITOrderBookBase.performanceTest1K}: {@code TestOrdersGenerator} with
 * 3,000,000 commands, 1,000 resting orders, 1,000 users, seed 101572685), and Meridian's generated workload written as a
 * CSV workload ({@code meridian bench matching --write-workload FILE.csv}). Not part of the Maven build:
 * side-by-side.sh compiles it against a checkout of exchange-core's public source built outside this repository
 * (docs/performance.md, "Side by side with exchange-core"). It calls exchange-core's API only; no exchange-core code is
 * copied here.
 *
 * <pre>
 * ExchangeCoreSideBySide csv OUT.csv            exchange-core's workload as Meridian's CSV workload (bench matching --workload)
 * ExchangeCoreSideBySide bench RUNS - - quick|full compact
 *                                               times exchange-core's OrderBookDirectImpl on it, RUNS runs
 * ExchangeCoreSideBySide replay FILE.csv RUNS [quick]
 *                                               times OrderBookDirectImpl on a Meridian CSV workload, RUNS runs
 * </pre>
 *
 * <p>Timing as exchange-core's own test does (a new book per run, each command written into one work command), plus
 * the thread's CPU time per run, whose best and median runs (after 5) are the figures compared. "compact" feeds the
 * commands from one array of 8 longs each, decoded into the work command, as Meridian's CommandStream does; without it
 * each command is copied from its object, as exchange-core's test does (the two measured the same within noise).
 * {@code replay} always feeds the compact records, one book per instrument of the file, dispatched by symbol. Unless
 * "quick", a latency run follows (a new book, System.nanoTime around each command, into an HdrHistogram).
 *
 * <p>{@code replay} maps Meridian's commands to exchange-core's (docs/performance.md gives the table): place GTC/IOC to
 * PLACE_ORDER GTC/IOC, cancel to CANCEL_ORDER, an amend of the price alone to MOVE_ORDER, an amend of the quantity
 * alone to a smaller total to REDUCE_ORDER by the difference; uid = account, orderId = order id. FOK and other amends
 * have no equivalent and stop it with the line number. It maps while replaying the file once through exchange-core's
 * book (untimed), which also counts trades and rejects and prints the final state in the same terms as Meridian's
 * {@code bench matching --write-workload} ({@code trades= resting_bids= resting_asks= book_digest=}).
 */
public class ExchangeCoreSideBySide {
    /** Runs before the measured ones in every timing: not in the wall or CPU figures. */
    static final int WARMUP_RUNS = 5;

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        if (mode.equals("replay")) {
            replay(a[1], Integer.parseInt(a[2]), a.length > 3 && a[3].equals("quick"));
            return;
        }
        int commands = a.length > 2 && !a[2].equals("-") ? Integer.parseInt(a[2]) : 3_000_000;
        int target = a.length > 3 && !a[3].equals("-") ? Integer.parseInt(a[3]) : 1000;
        TestOrdersGenerator.GenResult gen = TestOrdersGenerator.generateCommands(commands, target, 1000,
                TestOrdersGenerator.UID_PLAIN_MAPPER, 0, false, false, x -> { }, 101572685);
        List<OrderCommand> cmds = new ArrayList<>();
        gen.getCommands().forEach(cmds::add);
        if (mode.equals("csv")) { csv(cmds, a[1]); return; }
        int runs = Integer.parseInt(a[1]);
        OrderCommand work = new OrderCommand();
        boolean compact = a.length > 5 && a[5].equals("compact");
        // The same compact input as Meridian's CommandStream: one record of 8 longs per command, decoded into one
        // reused command (as exchange-core's own loop writes each command into one work command).
        int n = cmds.size();
        long[] rec = new long[n * 8];
        for (int i = 0; i < n; i++) {
            OrderCommand c = cmds.get(i);
            encode(rec, i, c.command, c.action, c.orderType, c.orderId, c.uid, c.price, c.size, c.reserveBidPrice,
                    c.symbol, c.timestamp);
        }
        List<Double> results = new ArrayList<>();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Long> cpus = new ArrayList<>();
        for (int j = 0; j < runs; j++) {
            IOrderBook book = newBook();
            long t = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            if (compact) {
                for (int i = 0; i < n; i++) {
                    decode(rec, i, work);
                    IOrderBook.processCommand(book, work);
                }
            } else {
                for (OrderCommand c : cmds) {
                    c.writeTo(work);
                    work.resultCode = CommandResultCode.VALID_FOR_MATCHING_ENGINE;
                    IOrderBook.processCommand(book, work);
                }
            }
            t = System.nanoTime() - t;
            if (j >= WARMUP_RUNS) cpus.add(mx.getCurrentThreadCpuTime() - c0);
            if (book.stateHash() != gen.getFinalOrderbookHash()) throw new IllegalStateException("hash");
            double mops = cmds.size() * 1e3 / t;
            results.add(mops);
            System.out.printf("run %d: %.3f M ops/s%n", j, mops);
        }
        printSummary(results, cpus, n);
        if (a.length > 4 && a[4].equals("quick")) return;
        Histogram h = new Histogram(3);
        IOrderBook book = newBook();
        for (OrderCommand c : cmds) {
            long t0 = System.nanoTime();
            c.writeTo(work);
            work.resultCode = CommandResultCode.VALID_FOR_MATCHING_ENGINE;
            IOrderBook.processCommand(book, work);
            h.recordValue(System.nanoTime() - t0);
        }
        List<Double> last = new ArrayList<>(results.subList(Math.max(0, results.size() - 5), results.size()));
        Collections.sort(last);
        System.out.printf("exchange-core OrderBookDirectImpl: commands=%d median_last5=%.3fM ops/s p50_ns=%d p99_ns=%d p9999_ns=%d max_ns=%d%n",
                cmds.size(), last.get(last.size() / 2), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.99), h.getMaxValue());
    }

    static IOrderBook newBook() {
        return new OrderBookDirectImpl(TestConstants.SYMBOLSPEC_EUR_USD, ObjectsPool.createDefaultTestPool(),
                OrderBookEventsHelper.NON_POOLED_EVENTS_HELPER, LoggingConfiguration.DEFAULT);
    }

    private static final OrderCommandType[] COMMAND_TYPES = OrderCommandType.values();
    private static final OrderAction[] ACTIONS = OrderAction.values();
    private static final OrderType[] ORDER_TYPES = OrderType.values();

    /** Command {@code i} as a record of 8 longs: type, action and order type in the first (ordinal + 1, 0 = none). */
    static void encode(long[] rec, int i, OrderCommandType command, OrderAction action, OrderType orderType,
                       long orderId, long uid, long price, long size, long reserveBidPrice, int symbol, long timestamp) {
        int at = i * 8;
        rec[at] = command.ordinal() | (action == null ? 0 : (action.ordinal() + 1)) << 8
                | (long) (orderType == null ? 0 : orderType.ordinal() + 1) << 12;
        rec[at + 1] = orderId; rec[at + 2] = uid; rec[at + 3] = price; rec[at + 4] = size;
        rec[at + 5] = reserveBidPrice; rec[at + 6] = symbol; rec[at + 7] = timestamp;
    }

    /**
     * Record {@code i} into the work command, ready for the book: valid for matching and with no event chain left from
     * the previous command (exchange-core's GroupingProcessor clears it before each command in its pipeline).
     */
    static void decode(long[] rec, int i, OrderCommand work) {
        int at = i * 8;
        long h = rec[at];
        work.command = COMMAND_TYPES[(int) (h & 0xFF)];
        int act = (int) ((h >>> 8) & 0xF);
        work.action = act == 0 ? null : ACTIONS[act - 1];
        int ot = (int) ((h >>> 12) & 0xFF);
        work.orderType = ot == 0 ? null : ORDER_TYPES[ot - 1];
        work.orderId = rec[at + 1]; work.uid = rec[at + 2]; work.price = rec[at + 3]; work.size = rec[at + 4];
        work.reserveBidPrice = rec[at + 5]; work.symbol = (int) rec[at + 6]; work.timestamp = rec[at + 7];
        work.resultCode = CommandResultCode.VALID_FOR_MATCHING_ENGINE;
        work.matcherEvent = null;
    }

    /** The wall-clock and CPU-time figures of the runs after the warm-up ones. */
    static void printSummary(List<Double> results, List<Long> cpus, int n) {
        Collections.sort(cpus);
        List<Double> wall = new ArrayList<>(results.subList(Math.min(WARMUP_RUNS, results.size() - 1), results.size()));
        Collections.sort(wall);
        System.out.printf("wall: median %.2f M ops/s, best %.2f; cpu-based: best %.2f M ops/s, median %.2f M ops/s%n",
                wall.get(wall.size() / 2), wall.get(wall.size() - 1), n * 1e3 / cpus.get(0),
                n * 1e3 / cpus.get(cpus.size() / 2));
    }

    /** A Meridian CSV workload mapped to exchange-core's commands, and where exchange-core's book ends with them. */
    static final class Mapped {
        long[] rec = new long[8 << 16];
        int n;
        final Map<String, Integer> symbols = new LinkedHashMap<>();
        final Map<String, Integer> kinds = new TreeMap<>();
        final Map<CommandResultCode, Integer> rejected = new TreeMap<>();
        long trades;
        /** Trades whose maker has the taker's uid: exchange-core has no self-trade prevention. */
        long selfTrades;
        long iocRemainders;
        /** exchange-core's state hash of each book at the end, to check every timed run against. */
        int[] hashes;
        String state;
    }

    /**
     * {@code replay}: maps the file (printing what it found and the final state), then RUNS timed runs on new books
     * (one per instrument, the first WARMUP_RUNS not counted), each checked to end in the mapped replay's state, then
     * unless {@code quick} a latency run.
     */
    static void replay(String file, int runs, boolean quick) throws IOException {
        if (runs <= WARMUP_RUNS) throw new IllegalArgumentException("RUNS must be more than the " + WARMUP_RUNS + " warm-up runs");
        Mapped m = map(Path.of(file));
        System.out.printf("%s: %d commands, %d instrument(s), mapped %s; rejected by exchange-core: %s;"
                + " IOC remainders dropped: %d; self-trades (maker and taker of one uid): %d%n", file, m.n,
                m.symbols.size(), m.kinds, m.rejected, m.iocRemainders, m.selfTrades);
        System.out.println("state: " + m.state);
        int n = m.n;
        long[] rec = m.rec;
        int books = m.symbols.size();
        OrderCommand work = new OrderCommand();
        List<Double> results = new ArrayList<>();
        List<Long> cpus = new ArrayList<>();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int j = 0; j < runs; j++) {
            IOrderBook[] book = newBooks(books);
            long t = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                decode(rec, i, work);
                IOrderBook.processCommand(book[work.symbol], work);
            }
            t = System.nanoTime() - t;
            if (j >= WARMUP_RUNS) cpus.add(mx.getCurrentThreadCpuTime() - c0);
            checkHashes(book, m.hashes);
            double mops = n * 1e3 / t;
            results.add(mops);
            System.out.printf("run %d: %.3f M ops/s%n", j, mops);
        }
        printSummary(results, cpus, n);
        if (quick) return;
        Histogram h = new Histogram(3);
        IOrderBook[] book = newBooks(books);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            decode(rec, i, work);
            IOrderBook.processCommand(book[work.symbol], work);
            h.recordValue(System.nanoTime() - t0);
        }
        checkHashes(book, m.hashes);
        System.out.printf("exchange-core OrderBookDirectImpl on %s: commands=%d p50_ns=%d p99_ns=%d p9999_ns=%d max_ns=%d%n",
                Path.of(file).getFileName(), n, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.99), h.getMaxValue());
    }

    static IOrderBook[] newBooks(int count) {
        IOrderBook[] books = new IOrderBook[count];
        for (int i = 0; i < count; i++) books[i] = newBook();
        return books;
    }

    static void checkHashes(IOrderBook[] books, int[] expected) {
        for (int i = 0; i < books.length; i++) {
            if (books[i].stateHash() != expected[i]) {
                throw new IllegalStateException("book " + i + " ended in another state than the mapped replay's");
            }
        }
    }

    /**
     * Reads a Meridian CSV workload (the format of Meridian's CsvWorkload; instruments numbered in order of first
     * appearance, as it does) and maps each line to exchange-core's command, applying it to exchange-core's book as it
     * goes: an amend's mapping depends on the order as it stands (its price and total size), which only the book knows.
     */
    static Mapped map(Path file) throws IOException {
        Mapped m = new Mapped();
        List<IOrderBook> books = new ArrayList<>();
        OrderCommand cmd = new OrderCommand();
        int lineNumber = 0;
        boolean first = true;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String raw; (raw = in.readLine()) != null; ) {
                lineNumber++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = Arrays.copyOf(line.split(",", -1), 8);
                for (int i = 0; i < f.length; i++) f[i] = f[i] == null ? "" : f[i].strip();
                if (first && f[0].equalsIgnoreCase("op")) { first = false; continue; }
                first = false;
                String where = file + ":" + lineNumber + ": ";
                Integer symbol = m.symbols.get(f[3]);
                if (symbol == null) {
                    symbol = m.symbols.size();
                    m.symbols.put(f[3], symbol);
                    books.add(newBook());
                }
                IOrderBook book = books.get(symbol);
                long uid = Long.parseLong(f[1]);
                long orderId = Long.parseLong(f[2]);
                String kind = mapLine(f, uid, orderId, book, cmd, where);
                m.kinds.merge(kind, 1, Integer::sum);
                if (m.n * 8 == m.rec.length) m.rec = Arrays.copyOf(m.rec, m.rec.length * 2);
                encode(m.rec, m.n++, cmd.command, cmd.action, cmd.orderType, orderId, uid, cmd.price, cmd.size,
                        cmd.reserveBidPrice, symbol, lineNumber);
                decode(m.rec, m.n - 1, cmd);
                CommandResultCode code = IOrderBook.processCommand(book, cmd);
                if (code != CommandResultCode.SUCCESS) m.rejected.merge(code, 1, Integer::sum);
                for (MatcherTradeEvent e = cmd.matcherEvent; e != null; e = e.nextEvent) {
                    if (e.eventType == MatcherEventType.TRADE) {
                        m.trades++;
                        if (e.matchedOrderUid == uid) m.selfTrades++;
                    } else if (e.eventType == MatcherEventType.REJECT) m.iocRemainders++;
                }
            }
        }
        m.hashes = new int[books.size()];
        long bids = 0, asks = 0, digest = 0;
        for (int i = 0; i < books.size(); i++) {
            IOrderBook book = books.get(i);
            m.hashes[i] = book.stateHash();
            // Meridian's BookState digest: per book, bids then asks, the count and then each order in matching priority.
            for (OrderAction side : new OrderAction[] {OrderAction.BID, OrderAction.ASK}) {
                int count = book.getOrdersNum(side);
                if (side == OrderAction.BID) bids += count; else asks += count;
                digest = digest * 31 + count;
                Iterator<? extends IOrder> orders = (side == OrderAction.BID ? book.bidOrdersStream(true)
                        : book.askOrdersStream(true)).iterator();
                while (orders.hasNext()) {
                    IOrder o = orders.next();
                    digest = (((digest * 31 + o.getOrderId()) * 31 + o.getPrice()) * 31 + (o.getSize() - o.getFilled()))
                            * 31 + o.getUid();
                }
            }
        }
        m.state = String.format("trades=%d resting_bids=%d resting_asks=%d book_digest=%016x", m.trades, bids, asks, digest);
        return m;
    }

    /**
     * Fills {@code cmd} with exchange-core's command for one CSV line and returns its kind; stops with the line's
     * place in the file when Meridian's command has no exchange-core equivalent.
     */
    static String mapLine(String[] f, long uid, long orderId, IOrderBook book, OrderCommand cmd, String where) {
        cmd.action = null;
        cmd.orderType = null;
        cmd.price = 0;
        cmd.size = 0;
        cmd.reserveBidPrice = 0;
        switch (f[0].toLowerCase(Locale.ROOT)) {
            case "place": {
                String type = f[7].toUpperCase(Locale.ROOT);
                if (type.equals("FOK")) {
                    throw new IllegalArgumentException(where + "FOK has no equivalent: exchange-core's FOK_BUDGET fills"
                            + " only if the whole size costs at most a budget (the sum of price x size over the fills),"
                            + " which is not a limit price per fill");
                }
                if (!type.equals("GTC") && !type.equals("IOC")) throw new IllegalArgumentException(where + "type " + f[7]);
                if (book.getOrderById(orderId) != null) {
                    throw new IllegalArgumentException(where + "order id " + orderId + " is already open");
                }
                cmd.command = OrderCommandType.PLACE_ORDER;
                cmd.orderType = type.equals("GTC") ? OrderType.GTC : OrderType.IOC;
                String side = f[4].toLowerCase(Locale.ROOT);
                if (!side.equals("buy") && !side.equals("sell")) throw new IllegalArgumentException(where + "side " + f[4]);
                cmd.action = side.equals("buy") ? OrderAction.BID : OrderAction.ASK;
                cmd.price = Long.parseLong(f[5]);
                cmd.size = Long.parseLong(f[6]);
                // Checked only for currency-exchange bids; a futures book ignores it.
                cmd.reserveBidPrice = cmd.price;
                return "place-" + type;
            }
            case "cancel":
                cmd.command = OrderCommandType.CANCEL_ORDER;
                return "cancel";
            case "amend": {
                IOrder o = book.getOrderById(orderId);
                if (o == null) {
                    throw new IllegalArgumentException(where + "amend of order " + orderId + ", which is not open in"
                            + " exchange-core's book: Meridian rejects it, or the two books have diverged");
                }
                long price = f[5].isEmpty() ? 0 : Long.parseLong(f[5]);
                long quantity = f[6].isEmpty() ? 0 : Long.parseLong(f[6]);
                long newPrice = price == 0 ? o.getPrice() : price;
                long newTotal = quantity == 0 ? o.getSize() : quantity;
                if (newTotal > o.getSize()) {
                    throw new IllegalArgumentException(where + "amend raises order " + orderId + "'s size from "
                            + o.getSize() + " to " + newTotal + ": exchange-core has no command that does");
                }
                if (newTotal < o.getSize() && newPrice != o.getPrice()) {
                    throw new IllegalArgumentException(where + "amend changes price and size together: exchange-core"
                            + " needs two commands (reduce, then move)");
                }
                if (newTotal < o.getSize()) {
                    if (newTotal <= o.getFilled()) {
                        throw new IllegalArgumentException(where + "amend to no more than the filled quantity: Meridian"
                                + " rejects it, exchange-core's reduce would remove the order");
                    }
                    cmd.command = OrderCommandType.REDUCE_ORDER;
                    cmd.size = o.getSize() - newTotal;
                    return "reduce";
                }
                if (newPrice == o.getPrice()) {
                    throw new IllegalArgumentException(where + "amend changes nothing: Meridian rejects it, exchange-core's"
                            + " move would requeue the order");
                }
                cmd.command = OrderCommandType.MOVE_ORDER;
                cmd.price = newPrice;
                return "move";
            }
            default:
                throw new IllegalArgumentException(where + "op " + f[0]);
        }
    }

    /** Writes the same commands as Meridian's CSV workload; a reduce becomes an amend of the total quantity (or a cancel). */
    static void csv(List<OrderCommand> cmds, String out) throws IOException {
        IOrderBook book = new OrderBookNaiveImpl(TestConstants.SYMBOLSPEC_EUR_USD, LoggingConfiguration.DEFAULT);
        OrderCommand work = new OrderCommand();
        Map<String, Integer> ops = new TreeMap<>();
        try (PrintWriter w = new PrintWriter(new BufferedWriter(new FileWriter(out), 1 << 20))) {
            w.println("op,account,order_id,instrument,side,price,qty,type");
            for (OrderCommand c : cmds) {
                String line;
                String kind;
                switch (c.command) {
                    case PLACE_ORDER: {
                        String side = c.action == OrderAction.BID ? "buy" : "sell";
                        String type = c.orderType == OrderType.GTC ? "GTC" : c.orderType == OrderType.IOC ? "IOC" : "FOK";
                        long price = c.orderType == OrderType.FOK_BUDGET ? c.price / c.size : c.price;
                        line = "place," + c.uid + "," + c.orderId + ",EC," + side + "," + price + "," + c.size + "," + type;
                        kind = "place-" + type;
                        break;
                    }
                    case CANCEL_ORDER:
                        line = "cancel," + c.uid + "," + c.orderId + ",EC,,,,";
                        kind = "cancel";
                        break;
                    case MOVE_ORDER:
                        line = "amend," + c.uid + "," + c.orderId + ",EC,," + c.price + ",,";
                        kind = "move";
                        break;
                    case REDUCE_ORDER: {
                        IOrder o = book.getOrderById(c.orderId);
                        long remaining = o.getSize() - o.getFilled();
                        if (c.size >= remaining) {
                            line = "cancel," + c.uid + "," + c.orderId + ",EC,,,,";
                            kind = "reduce-to-cancel";
                        } else {
                            line = "amend," + c.uid + "," + c.orderId + ",EC,,," + (o.getSize() - c.size) + ",";
                            kind = "reduce";
                        }
                        break;
                    }
                    default: throw new IllegalStateException(c.toString());
                }
                ops.merge(kind, 1, Integer::sum);
                w.println(line);
                c.writeTo(work);
                work.resultCode = CommandResultCode.VALID_FOR_MATCHING_ENGINE;
                IOrderBook.processCommand(book, work);
            }
        }
        System.out.println("commands=" + cmds.size() + " " + ops);
    }
}
