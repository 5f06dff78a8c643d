package io.meridian.benchmarks;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;


import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code meridian bench liquidation [--accounts N]}: liquidation detection at venue scale. N accounts (default
 * 1,000,000) each hold a 0.001 BTC long at 50,000 with a balance chosen so that their liquidation prices spread evenly
 * over 44,700 .. 49,700 (at 125x, the highest leverage, 49,700 is about as close to the entry as a position
 * can open); one market maker holds the other side and rests a deep bid. Then, on one thread:
 * <ul>
 * <li>{@code quiet_tick_ms}: the median time of a mark change that crosses no trigger (the engine's whole
 * {@code apply}, events to a counting listener);</li>
 * <li>{@code detect_and_start_ms}: one mark move that puts 1% of the accounts under water; the time of that one
 * command, which detects them and runs every liquidation to its end (orders canceled, positions closed in the book,
 * fees to the insurance fund, events).</li>
 * </ul>
 * The first mark change after the positions open computes every account's trigger once (reported as
 * {@code initial_triggers_ms}); the measured ticks come after it, and after the same crash was run on five venues of
 * 50,000 accounts to compile the code paths (as in a venue that has been running). Last line:
 * {@code accounts=<int> underwater=<int> detect_and_start_ms=<float> quiet_tick_ms=<float>}.
 */
public final class LiquidationBench {
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final long MAKER = 1L << 40;
    /** Entry 50,000.0 in ticks of 0.1; triggers from 49,700 down over 5,000 USD. */
    private static final long ENTRY = 500_000;
    private static final long HIGHEST_TRIGGER = 497_000;
    private static final long TRIGGER_RANGE = 50_000;
    private static final int QUIET_TICKS = 21;
    private static final int WARMUP_ROUNDS = 5;
    private static final int WARMUP_ACCOUNTS = 50_000;

    private LiquidationBench() {
    }

    /** Counts liquidations and rejects; ignores everything else. */
    private static final class Counter implements EngineEvents {
        long liquidations;
        long rejects;

        @Override
        public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                                    long clientOrderId, long account, RejectReason reason) {
            if (rejects++ == 0) {
                System.err.println("bench liquidation: set-up command rejected: " + command + " " + reason);
            }
        }

        @Override
        public void liquidationStarted(long sequence, long timestamp, long account, int asset, int instrument,
                                       long equity, long maintenanceMargin) {
            liquidations++;
        }
    }

    public static int run(String[] args, PrintStream out) {
        return BenchCli.run(prepend("liquidation", args), out);
    }

    static String[] prepend(String first, String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = first;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    /** {@code bench liquidation}. */
    @picocli.CommandLine.Command(name = "liquidation",
            description = "Liquidation detection over N open positions; the last line is"
            + " accounts=<int> underwater=<int> detect_and_start_ms=<float> quiet_tick_ms=<float>.")
    static final class Cli extends BenchCli.Base {
        @Option(names = "--accounts", paramLabel = "N", description = "open positions, at least 100 (default 1,000,000)")
        String accounts = "1000000";

        Cli(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            return run((int) number(accounts, "--accounts", 100, Integer.MAX_VALUE), out);
        }
    }

    static int run(int accounts, PrintStream out) {
        // Warm-up: the same crash on small venues, so that the measured one runs compiled code, as a venue would.
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            Sequencer warm = new Sequencer(new Engine(new Counter(), EngineConfig.defaults()));
            setUp(warm, Math.min(WARMUP_ACCOUNTS, accounts));
            warm.mark(ENTRY - 10);
            warm.mark(HIGHEST_TRIGGER - TRIGGER_RANGE / 100);
        }
        Counter counter = new Counter();
        Engine engine = new Engine(counter, EngineConfig.defaults().withExpectedOrdersPerBook(1024));
        Sequencer sequencer = new Sequencer(engine);
        long setupStart = System.nanoTime();
        setUp(sequencer, accounts);
        double setupMs = (System.nanoTime() - setupStart) / 1e6;
        if (counter.rejects > 0) {
            out.println("error: " + counter.rejects + " set-up commands were rejected");
            return 1;
        }
        long triggersStart = System.nanoTime();
        sequencer.mark(ENTRY - 10);
        double triggersMs = (System.nanoTime() - triggersStart) / 1e6;
        long[] quiet = new long[QUIET_TICKS];
        for (int i = 0; i < QUIET_TICKS; i++) {
            long start = System.nanoTime();
            sequencer.mark(i % 2 == 0 ? ENTRY : ENTRY - 100);
            quiet[i] = System.nanoTime() - start;
        }
        Arrays.sort(quiet);
        long before = counter.liquidations;
        long crashMark = HIGHEST_TRIGGER - TRIGGER_RANGE / 100;
        long start = System.nanoTime();
        sequencer.mark(crashMark);
        double crashMs = (System.nanoTime() - start) / 1e6;
        long underwater = counter.liquidations - before;
        out.printf(Locale.ROOT, "setup_ms=%.0f initial_triggers_ms=%.0f (every account's trigger computed once)%n",
                setupMs, triggersMs);
        out.printf(Locale.ROOT, "accounts=%d underwater=%d detect_and_start_ms=%.3f quiet_tick_ms=%.4f%n", accounts,
                underwater, crashMs, quiet[QUIET_TICKS / 2] / 1e6);
        return 0;
    }

    /**
     * USDC, BTC-PERP, the maker's deep book, and every account's long. Account i's balance puts its liquidation price
     * near {@code HIGHEST_TRIGGER - i x TRIGGER_RANGE / N}: balance = entry loss to that price + its maintenance
     * margin (0.4%) + the taker fee of the opening fill.
     */
    private static void setUp(Sequencer sequencer, int accounts) {
        Command asset = sequencer.command();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        sequencer.apply(asset);
        Command instrument = sequencer.command();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0).withMaxPrice(1_000_000).withQuantityLimits(1, 2_000_000);
        sequencer.apply(instrument);
        sequencer.apply(sequencer.command().deposit(MAKER, USDC, 1_000_000_000L * 1_000_000L));
        sequencer.mark(ENTRY);
        Command makerLeverage = sequencer.command().setLeverage(MAKER, BTC, 1);
        sequencer.apply(makerLeverage);
        sequencer.apply(sequencer.command().limit(MAKER, BTC, 1, Side.SELL, ENTRY, accounts, TimeInForce.GTC));
        for (int i = 0; i < accounts; i++) {
            long account = i + 1;
            long trigger = HIGHEST_TRIGGER - (long) i * TRIGGER_RANGE / accounts;
            long balance = (ENTRY - trigger) * 100 + (trigger * 100 * 4 + 999) / 1_000 + 25_000;
            sequencer.apply(sequencer.command().deposit(account, USDC, balance));
            Command leverage = sequencer.command().setLeverage(account, BTC, 125);
            sequencer.apply(leverage);
            sequencer.apply(sequencer.command().limit(account, BTC, 10 + account, Side.BUY, ENTRY, 1, TimeInForce.IOC));
        }
        // Deep bids below the crash mark absorb the liquidations above every bankruptcy price.
        long bid = HIGHEST_TRIGGER - TRIGGER_RANGE / 100 - 100;
        sequencer.apply(sequencer.command().limit(MAKER, BTC, 2, Side.BUY, bid, accounts, TimeInForce.GTC));
    }

    /** Stamps commands as a sequencer would. */
    private static final class Sequencer {
        private final Engine engine;
        private final Command command = new Command();
        private long sequence;

        Sequencer(Engine engine) {
            this.engine = engine;
        }

        Command command() {
            return command.reset();
        }

        void apply(Command c) {
            c.sequence = ++sequence;
            c.timestamp = sequence;
            engine.apply(c);
        }

        void mark(long price) {
            Command c = command();
            c.type = CommandType.SET_MARK_PRICE;
            c.instrument = BTC;
            c.price = price;
            apply(c);
        }
    }
}
