package io.meridian.benchmarks;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.Durability;
import io.meridian.journal.JournalConfig;
import io.meridian.journal.JournalWriter;
import io.meridian.journal.Replay;
import io.meridian.model.Command;
import org.HdrHistogram.Histogram;


import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code meridian bench replay} and {@code meridian bench journal}: the journal's two speeds.
 *
 * <p>{@code replay [--commands N] [--seed N] [--multi] [--runs N] [--dir DIR]}: generates the engine benchmark's
 * workload (setup, pre-fill and N stream commands, default 3,000,000; see {@link WorkloadGenerator}), journals it
 * without fsync, then replays the journal into a fresh engine (no-op listener) {@code runs} times (default 5) and
 * reports the median. Replay is the whole path a recovering node takes: map the segment, check each record's CRC32C
 * and sequence, decode it and apply it. Every run must end with the same state hash as the engine that applied the
 * commands directly, or the benchmark fails. Last line: {@code replay_commands_per_s=<int>}.
 *
 * <p>{@code journal [--commands N] [--seconds S] [--dir DIR]}: append throughput of the same commands with
 * {@link Durability#NONE} (one commit at the end) and with {@link Durability#GROUP_COMMIT} at batch sizes 1, 64 and
 * 4096 (each mode stops after S seconds, default 5), with the fsync time percentiles. Last line:
 * {@code journal_none_commands_per_s=<int> group_commit_4096_commands_per_s=<int> group_commit_1_commits_per_s=<int>}.
 *
 * <p>The journal goes to a temporary directory (or DIR), deleted at the end.
 */
public final class JournalBench {
    static final int DEFAULT_COMMANDS = 3_000_000;
    static final int DEFAULT_REPLAY_RUNS = 5;
    static final int DEFAULT_SECONDS = 5;
    private static final int[] GROUP_BATCHES = {1, 64, 4096};

    private JournalBench() {
    }

    public static int replay(String[] args, PrintStream out) {
        return BenchCli.run(LiquidationBench.prepend("replay", args), out);
    }

    /** The options {@code bench replay} and {@code bench journal} share. */
    abstract static class StreamCli extends BenchCli.Base {
        @Option(names = "--commands", paramLabel = "N", description = "engine commands in the stream (default "
                + DEFAULT_COMMANDS + ")")
        String commands;
        @Option(names = "--seed", paramLabel = "N", description = "seed of the stream (default 1)")
        String seed;
        @Option(names = "--multi", description = "the multi-instrument workload")
        boolean multi;
        @Option(names = "--dir", paramLabel = "DIR", description = "where the journals are written (default: a temporary"
                + " directory)")
        Path dir;

        StreamCli(PrintStream out) {
            super(out);
        }

        Options options(int runs) {
            Options o = new Options();
            o.runs = runs;
            if (commands != null) {
                o.commands = (int) number(commands, "--commands", 1, BenchCli.MAX_COMMANDS);
            }
            if (seed != null) {
                o.seed = number(seed, "--seed", Long.MIN_VALUE, Long.MAX_VALUE);
            }
            o.multi = multi;
            o.dir = dir;
            return o;
        }
    }

    /** {@code bench replay}. */
    @picocli.CommandLine.Command(name = "replay",
            description = "Write a journal of N engine commands, replay it into a fresh engine and"
            + " print replay_commands_per_s=<int> as the last line.")
    static final class ReplayCli extends StreamCli {
        @Option(names = "--runs", paramLabel = "N", description = "replays, 1..1000; the median is reported (default "
                + DEFAULT_REPLAY_RUNS + ")")
        String runs;

        ReplayCli(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            return replay(options(runs == null ? DEFAULT_REPLAY_RUNS : (int) number(runs, "--runs", 1, 1000)), out);
        }
    }

    /** {@code bench journal}. */
    @picocli.CommandLine.Command(name = "journal",
            description = "Journal append throughput, without fsync and with group commit.")
    static final class JournalCli extends StreamCli {
        @Option(names = "--seconds", paramLabel = "S", description = "the longest each measurement runs, 1..3600"
                + " (default " + DEFAULT_SECONDS + ")")
        String seconds;

        JournalCli(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            Options o = options(1);
            if (seconds != null) {
                o.seconds = (int) number(seconds, "--seconds", 1, 3600);
            }
            return journal(o, out);
        }
    }

    static int replay(Options o, PrintStream out) {
        Command[] stream = stream(o, out);
        Engine direct = new Engine(new NoOpEvents(), EngineConfig.defaults());
        for (Command c : stream) {
            direct.apply(c);
        }
        long expectedHash = direct.stateHash();
        Path dir = o.directory();
        try {
            long written = write(dir, stream, Durability.NONE, 4096, Long.MAX_VALUE, null);
            out.printf(Locale.ROOT, "journal: %,d commands, %,d bytes (%.1f bytes/command)%n", stream.length,
                    bytes(dir), bytes(dir) / (double) written);
            long[] rates = new long[o.runs];
            for (int run = 0; run < o.runs; run++) {
                Engine engine = new Engine(new NoOpEvents(), EngineConfig.defaults());
                Replay.Result result = Replay.replay(dir, engine);
                if (result.commands() != stream.length || engine.stateHash() != expectedHash) {
                    out.println("error: replay run " + run + " applied " + result.commands() + " of " + stream.length
                            + " commands or ended with a different state hash");
                    return 1;
                }
                rates[run] = Math.round(result.commands() / (result.nanos() / 1e9));
                out.printf(Locale.ROOT, "run %d: %,d commands in %.1f ms = %,d commands/s%n", run + 1,
                        result.commands(), result.nanos() / 1e6, rates[run]);
            }
            Arrays.sort(rates);
            out.println("state hash matches the directly applied engine on every run");
            out.println("replay_commands_per_s=" + rates[rates.length / 2]);
            return 0;
        } finally {
            delete(dir);
        }
    }

    public static int journal(String[] args, PrintStream out) {
        return BenchCli.run(LiquidationBench.prepend("journal", args), out);
    }

    static int journal(Options o, PrintStream out) {
        Command[] stream = stream(o, out);
        long limit = o.seconds * 1_000_000_000L;
        long none;
        long group4096 = 0;
        long group1Commits = 0;
        Path dir = o.directory();
        try {
            long start = System.nanoTime();
            long n = write(dir, stream, Durability.NONE, Integer.MAX_VALUE, limit, null);
            none = Math.round(n / ((System.nanoTime() - start) / 1e9));
            out.printf(Locale.ROOT, "none (one commit, no fsync): %,d commands in %.2f s = %,d commands/s%n", n,
                    (System.nanoTime() - start) / 1e9, none);
        } finally {
            delete(dir);
        }
        for (int batch : GROUP_BATCHES) {
            dir = o.directory();
            try {
                Histogram fsync = new Histogram(3_600_000_000_000L, 3);
                long start = System.nanoTime();
                long n = write(dir, stream, Durability.GROUP_COMMIT, batch, limit, fsync);
                double seconds = (System.nanoTime() - start) / 1e9;
                long rate = Math.round(n / seconds);
                long commitsPerSecond = Math.round(fsync.getTotalCount() / seconds);
                out.printf(Locale.ROOT, "group commit, %d per batch: %,d commands in %.2f s = %,d commands/s, %,d "
                                + "commits/s, commit p50=%d us p99=%d us%n", batch, n, seconds, rate, commitsPerSecond,
                        fsync.getValueAtPercentile(50) / 1000, fsync.getValueAtPercentile(99) / 1000);
                if (batch == 4096) {
                    group4096 = rate;
                }
                if (batch == 1) {
                    group1Commits = commitsPerSecond;
                }
            } finally {
                delete(dir);
            }
        }
        out.println("journal_none_commands_per_s=" + none + " group_commit_4096_commands_per_s=" + group4096
                + " group_commit_1_commits_per_s=" + group1Commits);
        return 0;
    }

    /** The workload as one stamped stream: setup, pre-fill, commands, sequences from 1. */
    private static Command[] stream(Options o, PrintStream out) {
        WorkloadGenerator.Config config = o.multi ? WorkloadGenerator.Config.multiInstrument(o.seed, o.commands)
                : WorkloadGenerator.Config.singleInstrument(o.seed, o.commands);
        Workload workload = WorkloadGenerator.generate(config);
        out.println("workload: " + workload);
        List<Command> all = new ArrayList<>();
        all.addAll(Arrays.asList(workload.setup()));
        all.addAll(Arrays.asList(workload.prefill()));
        all.addAll(Arrays.asList(workload.commands()));
        Command[] stream = new Command[all.size()];
        long timestamp = Workload.FIRST_TIMESTAMP;
        for (int i = 0; i < stream.length; i++) {
            stream[i] = new Command().copyFrom(all.get(i));
            stream[i].sequence = i + 1;
            stream[i].timestamp = timestamp;
            timestamp += Workload.TIMESTAMP_STEP;
        }
        return stream;
    }

    /** Appends until the stream or the time ends, committing every {@code batch}; returns the commands written. */
    private static long write(Path dir, Command[] stream, Durability durability, int batch, long limitNanos,
                              Histogram commitNanos) {
        long start = System.nanoTime();
        long n = 0;
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults().withDurability(durability))) {
            for (Command c : stream) {
                writer.append(c);
                n++;
                if (n % batch == 0) {
                    long t = System.nanoTime();
                    writer.commit();
                    long now = System.nanoTime();
                    if (commitNanos != null) {
                        commitNanos.recordValue(now - t);
                    }
                    if (now - start > limitNanos) {
                        break;
                    }
                }
            }
            writer.commit();
        }
        return n;
    }

    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree (benchmark scratch space). */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Options {
        long seed = 1;
        int commands = DEFAULT_COMMANDS;
        int runs;
        int seconds = DEFAULT_SECONDS;
        boolean multi;
        Path dir;
        private int made;

        /** A fresh, empty journal directory for one measurement. */
        Path directory() {
            try {
                if (dir == null) {
                    return Files.createTempDirectory("meridian-journal-bench");
                }
                Path p = dir.resolve("bench-" + (made++));
                delete(p);
                return Files.createDirectories(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A whole-number option within bounds (underscores allowed), or an IllegalArgumentException saying why. */
        static long number(String text, String option, long min, long max) {
            long value;
            try {
                value = Long.parseLong(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number: " + text);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ": " + text);
            }
            return value;
        }
    }
}
