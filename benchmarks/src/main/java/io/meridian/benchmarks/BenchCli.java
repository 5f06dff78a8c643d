package io.meridian.benchmarks;

import io.meridian.engine.EngineConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code meridian bench matching|engine|risk [options]}: generates (or reads) a workload, runs the {@link Harness}
 * and prints a short summary whose last line is always
 * {@code throughput_ops_per_s=<int> p50_ns=<int> p99_ns=<int> p9999_ns=<int>}.
 */
public final class BenchCli {
    static final int DEFAULT_COMMANDS = 3_000_000;
    static final int DEFAULT_WARMUP = 5;
    static final int DEFAULT_RUNS = 3;
    /** About 13 GB of preallocated commands at ~136 bytes each: beyond that the heap is the limit, not the option. */
    static final long MAX_COMMANDS = 100_000_000;
    static final long MAX_RUNS = 10_000;
    /**
     * {@code --expected-orders} at most: a book preallocates that many orders (about 180 bytes each) and an index of
     * twice as many slots, so 128 books at 100,000 take about 3 GB; beyond, the heap, not the option, would refuse.
     */
    static final long MAX_EXPECTED_ORDERS = 100_000;

    /** Accounts in the {@code risk} benchmark's workload. */
    static final int RISK_ACCOUNTS = 10_000;

    private BenchCli() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out);
        System.out.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs one benchmark; returns the exit code: 0 done, 1 unusable workload, 2 bad arguments. */
    public static int run(String[] args, PrintStream out) {
        CommandLine line = commandLine(out);
        PrintWriter writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
        line.setOut(writer).setErr(writer).setParameterExceptionHandler((e, given) -> usageMistake(e, out));
        return line.execute(args);
    }

    /** A usage mistake as this module's benchmarks print it on their own: {@code error: ...}, then the synopsis. */
    private static int usageMistake(ParameterException e, PrintStream out) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            message = u.isUnknownOption() ? "unknown option '" + first + "'" : !cmd.getSubcommands().isEmpty()
                    ? "unknown benchmark: " + first : "unexpected argument '" + first + "'";
        }
        out.println("error: " + message);
        out.print("usage: meridian " + cmd.getHelp().synopsis(0));
        out.flush();
        return 2;
    }

    /**
     * {@code bench} and its benchmarks as one command line printing to {@code out} (the {@code meridian} command adds
     * it as a subcommand).
     */
    public static CommandLine commandLine(PrintStream out) {
        CommandLine line = new CommandLine(new Group(out));
        for (String benchmark : java.util.List.of("matching", "engine", "risk")) {
            CommandLine harness = new CommandLine(new HarnessCli(benchmark, out));
            harness.getCommandSpec().usageMessage().description("Replay a command stream through "
                    + HarnessCli.WHAT.get(benchmark) + " and print throughput and latency; the last line is"
                    + " throughput_ops_per_s=<int> p50_ns=<int> p99_ns=<int> p9999_ns=<int>.",
                    "Numbers may be written with underscores (3_000_000).");
            line.addSubcommand(benchmark, harness);
        }
        line.addSubcommand(new LiquidationBench.Cli(out));
        line.addSubcommand(new SettlementBench.Cli(out));
        line.addSubcommand(new JournalBench.ReplayCli(out));
        line.addSubcommand(new JournalBench.JournalCli(out));
        line.addSubcommand(new SnapshotBench.Cli(out));
        line.addSubcommand(new SnapshotStallBench.Cli(out));
        line.addSubcommand(new OptionsBench.Cli(out));
        line.addSubcommand(new PlatformBench.Cli(out));
        line.addSubcommand(new BuildComparison(out));
        return line;
    }

    /**
     * What every benchmark command shares: {@code --help}, the stream it prints to and a way to refuse a value the
     * parser cannot check (a range) as a usage mistake (exit 2).
     */
    public abstract static class Base implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
        @Spec
        CommandSpec spec;
        final PrintStream out;

        Base(PrintStream out) {
            this.out = out;
        }

        /** A usage mistake to throw. */
        ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }

        /** A whole number within bounds (underscores allowed), or a usage mistake naming the option. */
        long number(String text, String option, long min, long max) {
            try {
                return JournalBench.Options.number(text, option, min, max);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
    }

    /** {@code bench}: a benchmark is required. */
    @Command(name = "bench", description = "Throughput and latency harnesses (docs/performance.md).")
    static final class Group extends Base {
        Group(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            throw usage("a benchmark is required: " + String.join(", ", spec.subcommands().keySet().stream()
                    .filter(name -> !name.equals("help")).toList()));
        }
    }

    /** {@code bench matching|engine|risk}: a workload through the {@link Harness}. */
    @Command
    static final class HarnessCli extends Base {
        private static final java.util.Map<String, String> WHAT = java.util.Map.of(
                "matching", "the matching module alone (OrderBooks, no-op listener)",
                "engine", "the whole engine (Engine.apply, counting listener): matching, margin checks, clearing",
                "risk", "the whole engine on the single-instrument mix with 10,000 cross-margin accounts");
        private final String benchmark;

        @Option(names = "--workload", paramLabel = "FILE.csv", description = "replay this CSV workload instead of"
                + " generating one (docs/performance.md); not with --multi, --commands or --seed")
        String workload;
        @Option(names = "--seed", paramLabel = "N", description = "seed of the generated workload (default 1)")
        String seed;
        @Option(names = "--commands", paramLabel = "N", description = "commands after the pre-fill (default "
                + DEFAULT_COMMANDS + ")")
        String commands;
        @Option(names = "--multi", description = "multi-instrument workload: 128 instruments, 100,000 resting orders")
        boolean multi;
        @Option(names = "--shape", paramLabel = "meridian|exchange-core", description = "the generated stream's"
                + " shape: ours (default) or exchange-core's order-book benchmark (PeerShapeGenerator); not with --multi")
        String shape;
        @Option(names = "--warmup", paramLabel = "N", description = "warm-up runs before measuring (default "
                + DEFAULT_WARMUP + ")")
        String warmup;
        @Option(names = "--runs", paramLabel = "N", description = "throughput runs; the median is reported (default "
                + DEFAULT_RUNS + ")")
        String runs;
        @Option(names = "--expected-orders", paramLabel = "N", description = "orders each book preallocates (its pool,"
                + " id index and levels: the engine's expectedOrdersPerBook), 16..100,000 (default 4,096; at most about 3 GB"
                + " of preallocation over --multi's 128 books)")
        String expectedOrders;
        @Option(names = "--no-prefetch", description = "apply each command without first starting the next one's"
                + " look-ups (the node's sequencer and the default here do: Engine.prefetch), to measure what that gives")
        boolean noPrefetch;
        @Option(names = "--write-workload", paramLabel = "FILE.csv", description = "write the generated workload as a"
                + " CSV workload file instead of running it (replaced if it exists), check that the file replays to the"
                + " same book, and exit. A CSV workload has no pre-fill: the pre-fill orders are the file's first lines"
                + " (and measured when it is replayed). Not with --workload, --warmup or --runs")
        String writeWorkload;

        HarnessCli(String benchmark, PrintStream out) {
            super(out);
            this.benchmark = benchmark;
        }

        @Override
        public Integer call() {
            Options o = new Options();
            if (workload != null && workload.isEmpty()) {
                throw usage("--workload needs a file name");
            }
            o.workload = workload;
            if (seed != null) {
                o.seed = number(seed, "--seed", Long.MIN_VALUE, Long.MAX_VALUE);
                o.seedGiven = true;
            }
            if (commands != null) {
                o.commands = (int) number(commands, "--commands", 1, MAX_COMMANDS);
                o.commandsGiven = true;
            }
            o.multi = multi;
            o.prefetch = !noPrefetch;
            if (shape != null && !shape.equals("meridian") && !shape.equals("exchange-core")) {
                throw usage("--shape is meridian or exchange-core, not '" + shape + "'");
            }
            o.peerShape = "exchange-core".equals(shape);
            if (o.peerShape && (o.multi || benchmark.equals("risk"))) {
                throw usage("--shape exchange-core is one book: not with --multi or the risk benchmark");
            }
            if (warmup != null) {
                o.warmup = (int) number(warmup, "--warmup", 0, MAX_RUNS);
            }
            if (runs != null) {
                o.runs = (int) number(runs, "--runs", 1, MAX_RUNS);
            }
            if (expectedOrders != null) {
                o.expectedOrders = (int) number(expectedOrders, "--expected-orders", 16, MAX_EXPECTED_ORDERS);
            }
            if (writeWorkload != null) {
                o.writeWorkload = writeTarget(writeWorkload, workload != null || warmup != null || runs != null);
            }
            if (o.workload != null && (o.multi || o.commandsGiven || o.seedGiven || shape != null)) {
                throw usage("--workload replays the file as it is: it cannot be combined with --multi, --shape,"
                        + " --commands or --seed");
            }
            return run(benchmark, o, out);
        }

        /** The file {@code --write-workload} names, if it can be one: a new or regular file in an existing directory. */
        private Path writeTarget(String name, boolean withRunOptions) {
            if (withRunOptions) {
                throw usage("--write-workload writes the generated workload and exits: it cannot be combined with"
                        + " --workload, --warmup or --runs");
            }
            if (name.isEmpty()) {
                throw usage("--write-workload needs a file name");
            }
            Path file;
            try {
                file = Path.of(name);
            } catch (java.nio.file.InvalidPathException e) {
                throw usage("--write-workload: not a file name: " + e.getMessage());
            }
            if (Files.isDirectory(file)) {
                throw usage("--write-workload " + name + ": is a directory");
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw usage("--write-workload " + name + ": exists and is not a regular file");
            }
            Path dir = file.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw usage("--write-workload " + name + ": no such directory: " + dir);
            }
            return file;
        }
    }

    /** Runs {@code benchmark} (matching, engine or risk) with these options. */
    static int run(String benchmark, Options options, PrintStream out) {
        Workload workload;
        long start = System.nanoTime();
        try {
            workload = options.workload != null ? CsvWorkload.read(Path.of(options.workload))
                    : options.peerShape ? PeerShapeGenerator.generate(options.seed, options.commands)
                    : WorkloadGenerator.generate(options.generatorConfig(benchmark));
        } catch (WorkloadException e) {
            out.println("error: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "workload: %s%n  %s, built in %d ms%n", workload.description(), sizes(workload),
                (System.nanoTime() - start) / 1_000_000);
        if (options.writeWorkload != null) {
            return writeWorkload(workload, options.writeWorkload, out);
        }
        EngineConfig config = EngineConfig.defaults().withExpectedOrdersPerBook(options.expectedOrders);
        BenchTarget target = benchmark.equals("matching") ? new MatchingTarget(workload, config)
                : new EngineTarget(workload, config);
        target.prefetch(options.prefetch);
        if (!options.prefetch) {
            out.println("without prefetching the next command (--no-prefetch)");
        }
        if (options.expectedOrders != EngineConfig.defaults().expectedOrdersPerBook()) {
            out.println("books preallocate " + options.expectedOrders + " orders each (--expected-orders)");
        }
        out.println("benchmark: " + target.describe() + ", one thread, in-process");
        Harness.Result result = Harness.run(target, workload,
                options.warmup, options.runs, out);
        printSummary(out, target, result);
        out.println(result.contractLine());
        return 0;
    }

    /**
     * {@code --write-workload}: writes the workload as a CSV file, reads the file back and replays it through fresh
     * books, and checks that they end where the generated pre-fill and stream leave them. 0 done, 1 the file could not
     * be written or does not replay to the same state.
     */
    private static int writeWorkload(Workload workload, Path file, PrintStream out) {
        try {
            long lines = CsvWorkloadWriter.write(workload, file);
            out.printf(Locale.ROOT, "wrote %s: a header and %,d command lines (the %,d pre-fill orders first, then the"
                    + " %,d commands)%n", file, lines, workload.prefill().length, workload.commands().length);
            BookState generated = MatchingTarget.replayedState(workload);
            BookState replayed = MatchingTarget.replayedState(CsvWorkload.read(file));
            if (!generated.equals(replayed)) {
                out.println("error: " + file + " does not replay to the generated book: generated " + generated
                        + ", file " + replayed);
                return 1;
            }
            out.println("the file replays through Meridian's book to the generated state: " + replayed.line());
            return 0;
        } catch (WorkloadException e) {
            out.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static String sizes(Workload workload) {
        return String.format(Locale.ROOT, "%d instrument(s), %,d accounts, %,d pre-fill orders, %,d commands",
                workload.instrumentCount(), workload.accounts().length, workload.prefill().length,
                workload.commands().length);
    }

    private static void printSummary(PrintStream out, BenchTarget target, Harness.Result r) {
        out.printf(Locale.ROOT, "%s throughput: %.2f M ops/s (median of runs; best %.2f M ops/s)%n", target.name(),
                r.throughput() / 1e6, r.bestThroughput() / 1e6);
        String allocation = r.allocatedPerCommand() < 0 ? "unknown"
                : String.format(Locale.ROOT, "%.3f bytes/command", r.allocatedPerCommand());
        out.printf(Locale.ROOT, "allocation in the throughput runs: %s; GCs during the measured runs: %d%n",
                allocation, r.gcCount());
        out.printf(Locale.ROOT, "%s latency per command: p50 %d ns, p99 %d ns, p99.99 %d ns, max %d ns, mean %.0f ns"
                        + " (includes ~%d ns of System.nanoTime overhead)%n", target.name(), r.p50(), r.p99(),
                r.p9999(), r.max(), r.mean(), r.timerOverheadNs());
    }

    /** Parsed command-line options. */
    static final class Options {
        String workload;
        /** {@code --write-workload}: write the generated workload to this file instead of running it. */
        Path writeWorkload;
        long seed = 1;
        int commands = DEFAULT_COMMANDS;
        boolean commandsGiven;
        boolean seedGiven;
        boolean multi;
        boolean peerShape;
        /** Off with {@code --no-prefetch}. */
        boolean prefetch = true;
        int warmup = DEFAULT_WARMUP;
        int runs = DEFAULT_RUNS;
        /** {@code --expected-orders}: each book's preallocation (the engine's {@code expectedOrdersPerBook}). */
        int expectedOrders = EngineConfig.defaults().expectedOrdersPerBook();

        WorkloadGenerator.Config generatorConfig(String benchmark) {
            if (benchmark.equals("risk") && !multi) {
                // The matching mix with every order margin-checked across 10,000 accounts (issue: >= 3M ops/s).
                return new WorkloadGenerator.Config(seed, 1, RISK_ACCOUNTS, 1_000, commands);
            }
            return multi ? WorkloadGenerator.Config.multiInstrument(seed, commands)
                    : WorkloadGenerator.Config.singleInstrument(seed, commands);
        }
    }
}
