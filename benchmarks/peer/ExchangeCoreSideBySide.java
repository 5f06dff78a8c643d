import exchange.core2.collections.objpool.ObjectsPool;
import exchange.core2.core.common.*;
import exchange.core2.core.common.cmd.*;
import exchange.core2.core.common.config.LoggingConfiguration;
import exchange.core2.core.orderbook.*;
import exchange.core2.tests.util.TestConstants;
import exchange.core2.tests.util.TestOrdersGenerator;
import org.HdrHistogram.Histogram;
import java.io.*;
import java.util.*;

/**
 * Meridian's side of a side-by-side comparison with exchange-core's order book, on exchange-core's own order-book
 * benchmark workload (its {@code ITOrderBookBase.performanceTest1K}: {@code TestOrdersGenerator} with 3,000,000
 * commands, 1,000 resting orders, 1,000 users, seed 101572685). Not part of the Maven build: side-by-side.sh compiles it
 * against a checkout of exchange-core's public source built outside this repository (docs/performance.md, "Side by
 * side with exchange-core"). It calls exchange-core's API only; no exchange-core code is copied here.
 *
 * <pre>
 * ExchangeCoreSideBySide csv OUT.csv            the workload as Meridian's CSV workload (bench matching --workload)
 * ExchangeCoreSideBySide bench RUNS - - quick compact
 *                                               times exchange-core's OrderBookDirectImpl on it, RUNS runs
 * </pre>
 *
 * <p>Timing as exchange-core's own test does (a new book per run, each command written into one work command), plus
 * the thread's CPU time per run, whose best and median runs (after 5) are the figures compared. "compact" feeds the
 * commands from one array of 8 longs each, decoded into the work command, as Meridian's CommandStream does; without it
 * each command is copied from its object, as exchange-core's test does (the two measured the same within noise).
 */
public class ExchangeCoreSideBySide {
    public static void main(String[] a) throws Exception {
        String mode = a[0];
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
        OrderCommandType[] ctypes = OrderCommandType.values();
        OrderAction[] actions = OrderAction.values();
        OrderType[] otypes = OrderType.values();
        for (int i = 0; i < n; i++) {
            OrderCommand c = cmds.get(i);
            rec[i * 8] = c.command.ordinal() | (c.action == null ? 0 : (c.action.ordinal() + 1)) << 8
                    | (long) (c.orderType == null ? 0 : c.orderType.ordinal() + 1) << 12;
            rec[i * 8 + 1] = c.orderId; rec[i * 8 + 2] = c.uid; rec[i * 8 + 3] = c.price; rec[i * 8 + 4] = c.size;
            rec[i * 8 + 5] = c.reserveBidPrice; rec[i * 8 + 6] = c.symbol; rec[i * 8 + 7] = c.timestamp;
        }
        List<Double> results = new ArrayList<>();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Long> cpus = new ArrayList<>();
        for (int j = 0; j < runs; j++) {
            IOrderBook book = newBook();
            long t = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            if (compact) {
                for (int i = 0; i < n; i++) {
                    int at = i * 8;
                    long h = rec[at];
                    work.command = ctypes[(int) (h & 0xFF)];
                    int act = (int) ((h >>> 8) & 0xF);
                    work.action = act == 0 ? null : actions[act - 1];
                    int ot = (int) ((h >>> 12) & 0xFF);
                    work.orderType = ot == 0 ? null : otypes[ot - 1];
                    work.orderId = rec[at + 1]; work.uid = rec[at + 2]; work.price = rec[at + 3]; work.size = rec[at + 4];
                    work.reserveBidPrice = rec[at + 5]; work.symbol = (int) rec[at + 6]; work.timestamp = rec[at + 7];
                    work.resultCode = CommandResultCode.VALID_FOR_MATCHING_ENGINE;
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
            if (j >= 5) cpus.add(mx.getCurrentThreadCpuTime() - c0);
            if (book.stateHash() != gen.getFinalOrderbookHash()) throw new IllegalStateException("hash");
            double mops = cmds.size() * 1e3 / t;
            results.add(mops);
            System.out.printf("run %d: %.3f M ops/s%n", j, mops);
        }
        Collections.sort(cpus);
        List<Double> wall = new ArrayList<>(results.subList(Math.min(5, results.size() - 1), results.size()));
        Collections.sort(wall);
        System.out.printf("wall: median %.2f M ops/s, best %.2f; cpu-based: best %.2f M ops/s, median %.2f M ops/s%n",
                wall.get(wall.size() / 2), wall.get(wall.size() - 1), cmds.size() * 1e3 / cpus.get(0),
                cmds.size() * 1e3 / cpus.get(cpus.size() / 2));
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
