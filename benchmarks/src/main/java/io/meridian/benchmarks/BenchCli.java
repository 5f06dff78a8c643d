package io.meridian.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

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

    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: meridian bench <matching|engine|risk|liquidation|replay|journal|snapshot|snapshot-stall|options|settlement>"
                    + " [options]",
            "  matching             the matching module alone (OrderBooks, no-op listener)",
            "  engine               the whole engine (Engine.apply, counting listener): matching, margin checks, clearing",
            "  risk                 the whole engine on the single-instrument mix with 10,000 cross-margin accounts",
            "  liquidation          liquidation detection with --accounts N (default 1,000,000) open positions",
            "  settlement           a settlement batch's statement, Merkle-sum tree, proofs and their checks over --accounts N",
            "  replay               journal replay speed (--commands N --runs N); last line replay_commands_per_s=<int>",
            "  journal              journal append throughput, without fsync and with group commit (--seconds S)",
            "  snapshot             snapshot capture, write and load with --accounts N and --orders N (default 1M each)",
            "  snapshot-stall       the live engine's flush times under snapshots, --mode inline|replica (--accounts N)",
            "  options              option chain greeks and portfolio-margin recompute (--accounts N --legs N --seed N)",
            "options:",
            "  --workload FILE.csv  replay this CSV workload instead of generating one (see docs/performance.md)",
            "  --seed N             seed of the generated workload (default 1)",
            "  --commands N         commands after the pre-fill (default " + DEFAULT_COMMANDS + ")",
            "  --multi              multi-instrument workload: 128 instruments, 100,000 resting orders",
            "  --warmup N           warm-up runs before measuring (default " + DEFAULT_WARMUP + ")",
            "  --runs N             throughput runs; the median is reported (default " + DEFAULT_RUNS + ")",
            "The last line is: throughput_ops_per_s=<int> p50_ns=<int> p99_ns=<int> p9999_ns=<int>");

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
        if (args.length == 0) {
            out.println(USAGE);
            return 2;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(USAGE);
            return 0;
        }
        String benchmark = args[0];
        if (benchmark.equals("replay")) {
            return JournalBench.replay(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (benchmark.equals("snapshot")) {
            return SnapshotBench.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (benchmark.equals("snapshot-stall")) {
            return SnapshotStallBench.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (benchmark.equals("journal")) {
            return JournalBench.journal(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (benchmark.equals("options")) {
            return OptionsBench.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (benchmark.equals("settlement")) {
            return SettlementBench.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (benchmark.equals("liquidation")) {
            return LiquidationBench.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (!benchmark.equals("matching") && !benchmark.equals("engine") && !benchmark.equals("risk")) {
            out.println("unknown benchmark: " + benchmark);
            out.println(USAGE);
            return 2;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        Workload workload;
        long start = System.nanoTime();
        try {
            workload = options.workload == null ? WorkloadGenerator.generate(options.generatorConfig(benchmark))
                    : CsvWorkload.read(Path.of(options.workload));
        } catch (WorkloadException e) {
            out.println("error: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "workload: %s%n  %s, built in %d ms%n", workload.description(), sizes(workload),
                (System.nanoTime() - start) / 1_000_000);
        BenchTarget target = benchmark.equals("matching") ? new MatchingTarget(workload) : new EngineTarget(workload);
        out.println("benchmark: " + target.describe() + ", one thread, in-process");
        Harness.Result result = Harness.run(target, workload, options.warmup, options.runs, out);
        printSummary(out, target, result);
        out.println(result.contractLine());
        return 0;
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
        long seed = 1;
        int commands = DEFAULT_COMMANDS;
        boolean commandsGiven;
        boolean seedGiven;
        boolean multi;
        int warmup = DEFAULT_WARMUP;
        int runs = DEFAULT_RUNS;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                if (arg.equals("--multi")) {
                    if (value != null) {
                        throw new IllegalArgumentException("--multi takes no value");
                    }
                    o.multi = true;
                    continue;
                }
                if (!arg.equals("--workload") && !arg.equals("--seed") && !arg.equals("--commands")
                        && !arg.equals("--warmup") && !arg.equals("--runs")) {
                    throw new IllegalArgumentException("unknown option " + args[i]);
                }
                if (value == null) {
                    if (++i >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    value = args[i];
                }
                switch (arg) {
                    case "--workload":
                        if (value.isEmpty()) {
                            throw new IllegalArgumentException("--workload needs a file name");
                        }
                        o.workload = value;
                        break;
                    case "--seed":
                        o.seed = number(value, arg, Long.MIN_VALUE, Long.MAX_VALUE);
                        o.seedGiven = true;
                        break;
                    case "--commands":
                        o.commands = (int) number(value, arg, 1, MAX_COMMANDS);
                        o.commandsGiven = true;
                        break;
                    case "--warmup":
                        o.warmup = (int) number(value, arg, 0, MAX_RUNS);
                        break;
                    default:
                        o.runs = (int) number(value, arg, 1, MAX_RUNS);
                        break;
                }
            }
            if (o.workload != null && (o.multi || o.commandsGiven || o.seedGiven)) {
                throw new IllegalArgumentException("--workload replays the file as it is: it cannot be combined with"
                        + " --multi, --commands or --seed");
            }
            return o;
        }

        WorkloadGenerator.Config generatorConfig(String benchmark) {
            if (benchmark.equals("risk") && !multi) {
                // The matching mix with every order margin-checked across 10,000 accounts (issue: >= 3M ops/s).
                return new WorkloadGenerator.Config(seed, 1, RISK_ACCOUNTS, 1_000, commands);
            }
            return multi ? WorkloadGenerator.Config.multiInstrument(seed, commands)
                    : WorkloadGenerator.Config.singleInstrument(seed, commands);
        }

        private static long number(String text, String option, long min, long max) {
            long value;
            try {
                value = Long.parseLong(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number, not '" + text + "'");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ": " + text);
            }
            return value;
        }
    }
}
