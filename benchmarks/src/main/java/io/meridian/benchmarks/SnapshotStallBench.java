package io.meridian.benchmarks;

import io.meridian.engine.EngineConfig;
import io.meridian.journal.Durability;
import io.meridian.journal.JournalConfig;
import io.meridian.journal.Sequencer;
import io.meridian.journal.SnapshotPolicy;
import io.meridian.model.Command;
import io.meridian.model.TimeInForce;


import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code meridian bench snapshot-stall [--mode inline|replica] [--accounts N] [--churn N] [--every N] [--batch N]}:
 * what snapshots cost the live engine at venue scale, through the real {@link Sequencer}. Builds a venue of N funded
 * accounts (default 1,000,000) with one resting order each (10 perpetuals) through the journal (no fsync: the disk is
 * not what is measured), then replays a churn of cancel-and-replace commands (default 2,000,000) in flushes of
 * {@code batch} commands (default 256, as the node's group commit) with a snapshot every {@code every} commands
 * (default 500,000). Each flush is timed: in {@code inline} mode a flush that snapshots includes the engine copying
 * itself; in {@code replica} mode a second engine takes the snapshots. Last line: {@code mode=<m> flush_p50_us=<f>
 * flush_p99_us=<f> flush_max_ms=<f> churn_commands_per_s=<int> snapshots=<int> replica_capture_max_ms=<f>}.
 */
public final class SnapshotStallBench {
    private SnapshotStallBench() {
    }

    public static int run(String[] args, PrintStream out) {
        return BenchCli.run(LiquidationBench.prepend("snapshot-stall", args), out);
    }

    /** {@code bench snapshot-stall}. */
    @picocli.CommandLine.Command(name = "snapshot-stall",
            description = "The live engine's flush times under snapshots, taken inline or by a"
            + " replica.")
    static final class Cli extends BenchCli.Base {
        @Option(names = "--mode", paramLabel = "inline|replica", description = "who takes the snapshots (default"
                + " inline)")
        String mode = "inline";
        @Option(names = "--accounts", paramLabel = "N", description = "accounts, 1..20,000,000 (default 1,000,000)")
        String accounts = "1000000";
        @Option(names = "--churn", paramLabel = "N", description = "commands measured (default 2,000,000)")
        String churn = "2000000";
        @Option(names = "--every", paramLabel = "N", description = "a snapshot every N commands (default 500,000)")
        String every = "500000";
        @Option(names = "--batch", paramLabel = "N", description = "commands per flush, 1..4096 (default 256)")
        String batch = "256";

        Cli(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            if (!mode.equals("inline") && !mode.equals("replica")) {
                throw usage("--mode must be inline or replica");
            }
            return run(mode.equals("replica"), number(accounts, "--accounts", 1, 20_000_000),
                    number(churn, "--churn", 1, 100_000_000), number(every, "--every", 1, 1_000_000_000),
                    (int) number(batch, "--batch", 1, 4096), out);
        }
    }

    static int run(boolean replica, long accounts, long churn, long every, int batch, PrintStream out) {
        Path directory;
        try {
            directory = Files.createTempDirectory("meridian-stall");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] clock = {Workload.FIRST_TIMESTAMP};
        SnapshotPolicy policy = new SnapshotPolicy(every, 2).withReplica(replica);
        JournalConfig journal = JournalConfig.defaults().withDurability(Durability.NONE);
        Sequencer sequencer = Sequencer.start(directory, journal, policy, EngineConfig.defaults(), new NoOpEvents(),
                () -> ++clock[0], 4096);
        try {
            long start = System.nanoTime();
            SnapshotBench.venue(accounts, accounts, sequencer::submit);
            sequencer.flush();
            // The build's snapshots (inline: taken; replica: after it catches up) are not part of what is measured.
            sequencer.snapshot();
            sequencer.awaitSnapshot();
            long built = sequencer.snapshotsTaken();
            long pauseBefore = sequencer.maxSnapshotPauseNanos();
            out.printf(Locale.ROOT, "venue: %,d accounts, %,d resting orders in %d books, built in %.1f s (%s)%n",
                    accounts, accounts, SnapshotBench.INSTRUMENTS, (System.nanoTime() - start) / 1e9, replica
                            ? "a replica takes the snapshots" : "the live engine takes the snapshots");

            long[] flushes = new long[(int) ((churn + batch - 1) / batch) + 1];
            int flushCount = 0;
            Command c = new Command();
            long nextOrderId = accounts + 1;
            long[] resting = new long[(int) accounts + 1];
            for (int account = 1; account <= accounts; account++) {
                resting[account] = account;
            }
            long churnStart = System.nanoTime();
            long submitted = 0;
            while (submitted < churn) {
                for (int k = 0; k < batch && submitted < churn; k += 2) {
                    // Cancel an account's resting order and rest a new one at another level: the book keeps its size.
                    long n = (submitted / 2) % accounts;
                    long account = n + 1;
                    int instrument = (int) (n % SnapshotBench.INSTRUMENTS) + 1;
                    sequencer.submit(c.cancel(account, instrument, resting[(int) account]));
                    resting[(int) account] = nextOrderId;
                    sequencer.submit(c.limit(account, instrument, nextOrderId++, SnapshotBench.side(n),
                            SnapshotBench.restingPrice(n, 1 + submitted / (2 * accounts)), 1, TimeInForce.GTC));
                    submitted += 2;
                }
                long t = System.nanoTime();
                sequencer.flush();
                flushes[flushCount++] = System.nanoTime() - t;
            }
            double seconds = (System.nanoTime() - churnStart) / 1e9;
            long lag = sequencer.replicaLag();
            // Closing waits for the replica to apply the rest and for the last file.
            sequencer.close();
            long[] sorted = Arrays.copyOf(flushes, flushCount);
            Arrays.sort(sorted);
            double p50 = sorted[flushCount / 2] / 1e3;
            double p99 = sorted[(int) Math.min(flushCount - 1, (long) (flushCount * 0.99))] / 1e3;
            double max = sorted[flushCount - 1] / 1e6;
            long snapshots = sequencer.snapshotsTaken() - built;
            out.printf(Locale.ROOT, "churn: %,d commands in %,d flushes of %d, %.1f s; %d snapshot(s) every %,d"
                    + " commands; live engine's longest snapshot pause %.1f ms; replica %,d commands behind at the end%n",
                    submitted, flushCount, batch, seconds, snapshots, every,
                    Math.max(sequencer.maxSnapshotPauseNanos(), pauseBefore) / 1e6, lag);
            out.printf(Locale.ROOT, "mode=%s flush_p50_us=%.1f flush_p99_us=%.1f flush_max_ms=%.1f"
                    + " churn_commands_per_s=%d snapshots=%d replica_capture_max_ms=%.1f%n", replica ? "replica"
                    : "inline", p50, p99, max, Math.round(submitted / seconds), snapshots,
                    sequencer.replicaMaxCaptureNanos() / 1e6);
        } finally {
            sequencer.close();
            JournalBench.delete(directory);
        }
        return 0;
    }
}
