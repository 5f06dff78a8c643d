package io.meridian.benchmarks;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.SnapshotStore;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.snapshot.SnapshotWriter;


import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code meridian bench snapshot [--accounts N] [--orders N] [--runs N]}: snapshot cost at venue scale. Builds an
 * engine with N funded accounts (default 1,000,000) and N resting orders (default 1,000,000; one per account, spread
 * over 10 perpetuals, 500 price levels a side), then, {@code runs} times (default 5): copies it to memory (the pause
 * the engine thread takes), writes the file durably (done off the engine thread in a node), and loads it back into a
 * new engine, checking the state hash. Reports the medians. Last line:
 * {@code snapshot_bytes=<int> capture_ms=<float> write_ms=<float> load_ms=<float>}.
 */
public final class SnapshotBench {
    static final int INSTRUMENTS = 10;
    private static final int LEVELS_PER_SIDE = 500;
    private static final long USD = 1_000_000;

    private SnapshotBench() {
    }

    public static int run(String[] args, PrintStream out) {
        return BenchCli.run(LiquidationBench.prepend("snapshot", args), out);
    }

    /** {@code bench snapshot}. */
    @picocli.CommandLine.Command(name = "snapshot",
            description = "Snapshot capture, write and load with N accounts and N resting orders.")
    static final class Cli extends BenchCli.Base {
        @Option(names = "--accounts", paramLabel = "N", description = "accounts, 1..20,000,000 (default 1,000,000)")
        String accounts = "1000000";
        @Option(names = "--orders", paramLabel = "N", description = "resting orders, at most one per account (default"
                + " 1,000,000)")
        String orders = "1000000";
        @Option(names = "--runs", paramLabel = "N", description = "runs, 1..100 (default 5)")
        String runs = "5";
        @Option(names = "--dir", paramLabel = "DIR", description = "where the snapshots are written (default: a temporary"
                + " directory)")
        Path dir;

        Cli(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            long a = number(accounts, "--accounts", 1, 20_000_000);
            long o = number(orders, "--orders", 0, 20_000_000);
            if (o > a) {
                throw usage("--orders may not exceed --accounts (one order per account)");
            }
            return run(a, o, (int) number(runs, "--runs", 1, 100), dir, out);
        }
    }

    static int run(long accounts, long orders, int runs, Path dir, PrintStream out) {
        long start = System.nanoTime();
        Engine engine = build(accounts, orders, out);
        if (engine == null) {
            return 1;
        }
        out.printf(Locale.ROOT, "engine: %,d accounts, %,d resting orders in %d books, built in %.1f s%n", accounts,
                orders, INSTRUMENTS, (System.nanoTime() - start) / 1e9);
        long hash = engine.stateHash();
        List<Double> capture = new ArrayList<>();
        List<Double> write = new ArrayList<>();
        List<Double> load = new ArrayList<>();
        long bytes = 0;
        try {
            Path directory = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("meridian-snap");
            try {
                SnapshotStore store = new SnapshotStore(directory);
                // Reused across captures, as the sequencer does: the steady-state pause, not buffer growth.
                SnapshotWriter buffer = new SnapshotWriter(1 << 20);
                for (int run = 0; run < runs; run++) {
                    SnapshotStore.Captured captured = store.capture(engine, buffer);
                    long t = System.nanoTime();
                    SnapshotStore.Info info = store.persist(captured);
                    long written = System.nanoTime() - t;
                    List<String> skipped = new ArrayList<>();
                    SnapshotStore.Loaded loaded = store.loadNewest(new NoOpEvents(), Long.MAX_VALUE, skipped);
                    if (loaded == null || loaded.engine().stateHash() != hash) {
                        out.println("error: the snapshot did not load back to the same state: " + skipped);
                        return 1;
                    }
                    bytes = info.payloadLength() + SnapshotStore.HEADER_LENGTH;
                    capture.add(captured.captureNanos() / 1e6);
                    write.add(written / 1e6);
                    load.add(loaded.loadNanos() / 1e6);
                    out.printf(Locale.ROOT, "run %d: %,d bytes, capture %.1f ms, write %.1f ms, load+verify %.1f ms%n",
                            run + 1, bytes, capture.get(run), write.get(run), load.get(run));
                    Files.delete(info.path());
                }
            } finally {
                if (dir == null) {
                    JournalBench.delete(directory);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("capture = the engine thread's pause; write = file written and forced (a background thread in a"
                + " node); load = read, decode and state-hash check");
        out.printf(Locale.ROOT, "snapshot_bytes=%d capture_ms=%.1f write_ms=%.1f load_ms=%.1f%n", bytes,
                median(capture), median(write), median(load));
        return 0;
    }

    /** The engine: USDC, 10 perpetuals with a mark, funded accounts, one resting order each (no trades). */
    static Engine build(long accounts, long orders, PrintStream out) {
        Counting events = new Counting();
        Engine engine = new Engine(events, EngineConfig.defaults());
        long[] sequence = {0};
        venue(accounts, orders, c -> apply(engine, c, sequence));
        if (events.rejects > 0) {
            out.println("error: " + events.rejects + " setup command(s) rejected, last: " + events.lastReject);
            return null;
        }
        return engine;
    }

    /**
     * The venue's set-up commands, in order, to {@code sink} (one reused command: copy it to keep it): USDC, 10
     * perpetuals with a mark, {@code accounts} funded accounts, and {@code orders} resting orders (order id = account,
     * one per account, spread over the books, 500 price levels a side).
     */
    static void venue(long accounts, long orders, Consumer<Command> sink) {
        Command c = new Command();
        c.reset();
        c.type = CommandType.ADD_ASSET;
        c.assetSpec = new AssetSpec(0, "USDC", 6);
        sink.accept(c);
        for (int i = 0; i < INSTRUMENTS; i++) {
            c.reset();
            c.type = CommandType.ADD_INSTRUMENT;
            c.instrumentSpec = InstrumentSpec.perpetual(i + 1, "P" + i + "-PERP", "P" + i, "USDC", "0.1", "0.001")
                    .withPriceBandPpm(0);
            sink.accept(c);
            c.reset();
            c.type = CommandType.SET_MARK_PRICE;
            c.instrument = i + 1;
            c.price = 500_000;
            sink.accept(c);
        }
        for (long account = 1; account <= accounts; account++) {
            sink.accept(c.deposit(account, 0, 10_000 * USD));
        }
        for (long n = 0; n < orders; n++) {
            long account = n + 1;
            sink.accept(c.limit(account, (int) (n % INSTRUMENTS) + 1, n + 1, side(n), restingPrice(n, 0), 1 + n % 5,
                    TimeInForce.GTC));
        }
    }

    /** The side of venue order {@code n}: books alternate buyers and sellers in runs of one order per book. */
    static Side side(long n) {
        return (n / INSTRUMENTS) % 2 == 0 ? Side.BUY : Side.SELL;
    }

    /** The price of venue order {@code n}, its level moved by {@code shift} (within the 500 levels of its side). */
    static long restingPrice(long n, long shift) {
        long level = 1 + (n / (2 * INSTRUMENTS) + shift) % LEVELS_PER_SIDE;
        return side(n) == Side.BUY ? 500_000 - level : 500_000 + level;
    }

    private static void apply(Engine engine, Command c, long[] sequence) {
        c.sequence = ++sequence[0];
        c.timestamp = Workload.FIRST_TIMESTAMP + sequence[0];
        engine.apply(c);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Counts rejects during the build. */
    private static final class Counting implements io.meridian.model.EngineEvents {
        long rejects;
        RejectReason lastReject;

        @Override
        public void commandRejected(long seq, long ts, CommandType command, int instrument, long orderId,
                                    long clientOrderId, long account, RejectReason reason) {
            rejects++;
            lastReject = reason;
        }
    }
}
