package io.meridian.benchmarks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code meridian bench platform}: what the machine itself gives a single thread, measured the same way the other
 * benchmarks measure commands, so that their tails and their many-book throughput can be read against it
 * (docs/performance.md, "The machine's floor").
 * <ul>
 * <li><b>Timer and interruption floor</b>: {@code --samples} back-to-back {@code System.nanoTime} pairs around a
 * few nanoseconds of arithmetic, as the harness times each command. Their p99.99 and max are what the platform
 * (scheduler, hypervisor, interrupts, safepoints) adds to any command's latency at that percentile: a benchmark's
 * p99.99 cannot be read below it. Also the count of samples above 10 us per second of running, and their median:
 * a latency run of N commands lasting T seconds meets about rate x T such interruptions, and once that exceeds
 * N / 10,000 its p99.99 is the interruption's size, not the code's (so a slower benchmark has a worse p99.99 on the
 * same machine for that reason alone).</li>
 * <li><b>Dependent-load latency</b>: a pointer chase (each load's address comes from the previous load) through a
 * random cycle of 64-byte cells over working sets from 32 KiB to 256 MiB: the cost of one cache miss that nothing
 * can overlap, at each level of the memory hierarchy. A command that must touch k such cold cells costs at least k
 * times the figure of the working set it lives in.</li>
 * </ul>
 * Prints the JVM's input arguments too (heap, huge pages, pre-touch), since those change both figures. Last line:
 * {@code timer_p9999_ns=<int> timer_max_ns=<int> hiccups_over_10us_per_s=<float> chase_ns_32k=<float> ...
 * chase_ns_256m=<float>}.
 *
 * <p>Allocates the chase arrays (up to 256 MiB) once, before timing; runs on the calling thread.
 */
public final class PlatformBench {
    /** Working sets of the pointer chase, in bytes. */
    static final long[] WORKING_SETS = {32L << 10, 256L << 10, 2L << 20, 16L << 20, 64L << 20, 256L << 20};
    private static final int CELL_INTS = 16;
    private static final long HICCUP_NS = 10_000;

    private PlatformBench() {
    }

    /** {@code bench platform}. */
    @Command(name = "platform", description = "The machine's own floor: timer/interruption jitter of a tight loop and"
            + " the latency of a dependent cache miss per working-set size; the last line is timer_p9999_ns=<int>"
            + " timer_max_ns=<int> hiccups_over_10us_per_s=<float> chase_ns_32k=<float> ... chase_ns_256m=<float>.")
    static final class Cli extends BenchCli.Base {
        @Option(names = "--samples", paramLabel = "N", description = "timer samples per round, 1,000..100,000,000"
                + " (default 3,000,000: as many as commands in a benchmark run)")
        String samples = "3000000";
        @Option(names = "--rounds", paramLabel = "N", description = "timer rounds, 1..100; the round with the median"
                + " p99.99 is reported (default 5)")
        String rounds = "5";
        @Option(names = "--max-working-set-mib", paramLabel = "N", description = "largest pointer-chase working set"
                + " in MiB, 1..256 (default 256)")
        String maxWorkingSetMib = "256";
        @Option(names = "--loads", paramLabel = "N", description = "dependent loads timed per working set,"
                + " 1,000..1,000,000,000 (default 5,000,000)")
        String loads = "5000000";

        Cli(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            int sampleCount = (int) number(samples, "--samples", 1_000, 100_000_000);
            int roundCount = (int) number(rounds, "--rounds", 1, 100);
            long maxSet = number(maxWorkingSetMib, "--max-working-set-mib", 1, 256) << 20;
            long loadCount = number(loads, "--loads", 1_000, 1_000_000_000);
            out.println("platform probe: " + Runtime.getRuntime().availableProcessors() + " processors, JVM "
                    + System.getProperty("java.vm.version") + ", arguments "
                    + ManagementFactory.getRuntimeMXBean().getInputArguments());
            Timer timer = medianRound(sampleCount, roundCount);
            out.printf(Locale.ROOT, "timer (%,d back-to-back samples, median of %d rounds by p99.99): p50 %d ns, p99 %d"
                    + " ns, p99.9 %d ns, p99.99 %d ns, max %d ns; samples over 10 us: %d (%.1f per second of running,"
                    + " median %d ns)%n", sampleCount, roundCount, timer.p50, timer.p99, timer.p999, timer.p9999,
                    timer.max, timer.hiccups, timer.hiccupsPerSecond(), timer.hiccupMedian);
            StringBuilder last = new StringBuilder(String.format(Locale.ROOT,
                    "timer_p9999_ns=%d timer_max_ns=%d hiccups_over_10us_per_s=%.1f", timer.p9999, timer.max,
                    timer.hiccupsPerSecond()));
            for (long set : WORKING_SETS) {
                if (set > maxSet) {
                    break;
                }
                double ns = chaseNanos(set, loadCount);
                out.printf(Locale.ROOT, "dependent load, working set %s: %.1f ns%n", label(set), ns);
                last.append(String.format(Locale.ROOT, " chase_ns_%s=%.1f", label(set), ns));
            }
            out.println(last);
            return 0;
        }
    }

    /** One round of the timer probe: percentiles of the sample durations, in nanoseconds. */
    record Timer(long p50, long p99, long p999, long p9999, long max, long hiccups, long hiccupMedian,
                 long elapsedNanos) {
        double hiccupsPerSecond() {
            return elapsedNanos == 0 ? 0 : hiccups * 1e9 / elapsedNanos;
        }
    }

    /** Runs {@code rounds} timer rounds (after one unreported warm-up) and returns the one with the median p99.99. */
    static Timer medianRound(int samples, int rounds) {
        long[] durations = new long[samples];
        timerRound(durations);
        Timer[] results = new Timer[rounds];
        for (int r = 0; r < rounds; r++) {
            results[r] = timerRound(durations);
        }
        Arrays.sort(results, (a, b) -> Long.compare(a.p9999, b.p9999));
        return results[rounds / 2];
    }

    private static Timer timerRound(long[] durations) {
        int n = durations.length;
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            // A few dependent operations the JIT cannot remove: the "command" of the probe.
            sink = (sink ^ i) * 0x9E3779B97F4A7C15L;
            durations[i] = System.nanoTime() - t;
        }
        long elapsed = System.nanoTime() - start;
        long hiccups = 0;
        for (long d : durations) {
            if (d > HICCUP_NS) {
                hiccups++;
            }
        }
        long[] sorted = durations.clone();
        Arrays.sort(sorted);
        if (sink == 42) {
            elapsed++; // keeps sink alive; practically never taken
        }
        long hiccupMedian = hiccups == 0 ? 0 : sorted[n - 1 - (int) (hiccups / 2)];
        return new Timer(at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999), at(sorted, 0.9999), sorted[n - 1],
                hiccups, hiccupMedian, elapsed);
    }

    private static long at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
    }

    /**
     * Nanoseconds per dependent load over {@code workingSet} bytes: one int per 64-byte cell points to the next cell
     * of a random cycle through all cells (Sattolo's shuffle, fixed seed), so each load misses whatever level the
     * working set does not fit in, and the next address is unknown until it returns.
     */
    static double chaseNanos(long workingSet, long loads) {
        int[] memory = cycle((int) (workingSet / (CELL_INTS * Integer.BYTES)));
        int at = 0;
        for (int i = 0; i < memory.length / CELL_INTS; i++) {
            at = memory[at];
        }
        long start = System.nanoTime();
        for (long i = 0; i < loads; i++) {
            at = memory[at];
        }
        long elapsed = System.nanoTime() - start;
        if (at == -1) {
            elapsed++; // keeps the chase alive; never taken
        }
        return (double) elapsed / loads;
    }

    /**
     * {@code cells} cells of 64 bytes whose first ints form one random cycle through all of them (Sattolo's shuffle,
     * fixed seed): the value at a cell's first int is the index of the next cell's first int.
     */
    static int[] cycle(int cells) {
        int[] memory = new int[cells * CELL_INTS];
        int[] order = new int[cells];
        for (int i = 0; i < cells; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = cells - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        for (int i = 0; i < cells; i++) {
            memory[order[i] * CELL_INTS] = order[(i + 1) % cells] * CELL_INTS;
        }
        return memory;
    }

    static String label(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + "m" : (bytes >> 10) + "k";
    }
}
