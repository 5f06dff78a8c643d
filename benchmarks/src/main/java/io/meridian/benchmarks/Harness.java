package io.meridian.benchmarks;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Runs a workload against a target in-process on the calling thread: warm-up runs, then throughput runs (one
 * {@code System.nanoTime} pair around the whole stream), then one latency run ({@code System.nanoTime} around
 * each command, into an HdrHistogram). Every run starts from the same state ({@link BenchTarget#prepare}, not
 * timed).
 */
public final class Harness {
    /** Latencies above an hour would not fit; nothing in a benchmark gets near. */
    private static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;

    private Harness() {
    }

    /**
     * What one harness invocation measured.
     *
     * @param throughput            commands per second, median of the throughput runs
     * @param bestThroughput        the best throughput run
     * @param allocatedPerCommand   bytes the benchmark thread allocated per command over the throughput runs, or
     *                              -1 when the JVM cannot tell
     * @param gcCount               collections during the throughput and latency runs
     * @param timerOverheadNs       median cost of one {@code System.nanoTime} pair, included in the latencies
     */
    public record Result(long commands, long throughput, long bestThroughput, double allocatedPerCommand, long gcCount,
                         long p50, long p99, long p9999, long max, double mean, long timerOverheadNs) {

        /** The machine-readable last line of every benchmark run. */
        public String contractLine() {
            return "throughput_ops_per_s=" + throughput + " p50_ns=" + p50 + " p99_ns=" + p99 + " p9999_ns=" + p9999;
        }
    }

    public static Result run(BenchTarget target, Workload workload, int warmups, int runs, PrintStream out) {
        CommandStream commands = workload.stream();
        for (int i = 1; i <= warmups; i++) {
            target.prepare();
            long elapsed = timedRun(target, commands);
            out.printf(Locale.ROOT, "warm-up %d/%d: %s%n", i, warmups, rate(commands.size(), elapsed));
        }
        long[] throughputs = new long[runs];
        long allocated = 0;
        boolean allocationKnown = true;
        long gcBefore = gcCount();
        for (int i = 0; i < runs; i++) {
            target.prepare();
            long allocatedBefore = allocatedBytes();
            long elapsed = timedRun(target, commands);
            long allocatedAfter = allocatedBytes();
            allocationKnown &= allocatedBefore >= 0 && allocatedAfter >= 0;
            allocated += allocatedAfter - allocatedBefore;
            throughputs[i] = perSecond(commands.size(), elapsed);
            out.printf(Locale.ROOT, "run %d/%d: %s; %s%n", i + 1, runs, rate(commands.size(), elapsed),
                    target.lastRunStats());
        }
        Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        target.prepare();
        target.runRecorded(commands, histogram);
        long gcs = gcCount() - gcBefore;
        out.printf(Locale.ROOT, "latency run: %d commands recorded; %s%n", histogram.getTotalCount(),
                target.lastRunStats());
        long[] sorted = throughputs.clone();
        Arrays.sort(sorted);
        double perCommand = allocationKnown && commands.size() > 0 ? (double) allocated / runs / commands.size() : -1;
        return new Result(commands.size(), sorted[(runs - 1) / 2], sorted[runs - 1], perCommand, gcs,
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.99), histogram.getMaxValue(), histogram.getMean(), timerOverhead());
    }

    private static long timedRun(BenchTarget target, CommandStream commands) {
        long start = System.nanoTime();
        target.run(commands);
        return System.nanoTime() - start;
    }

    private static long perSecond(long commands, long nanos) {
        return nanos <= 0 ? 0 : Math.round(commands * 1e9 / nanos);
    }

    private static String rate(long commands, long nanos) {
        return String.format(Locale.ROOT, "%,d commands in %.1f ms = %.2f M ops/s", commands, nanos / 1e6,
                perSecond(commands, nanos) / 1e6);
    }

    /** Median of many back-to-back {@code System.nanoTime} differences: what each latency sample carries extra. */
    private static long timerOverhead() {
        Histogram h = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        for (int i = 0; i < 200_000; i++) {
            long start = System.nanoTime();
            h.recordValue(System.nanoTime() - start);
        }
        return h.getValueAtPercentile(50);
    }

    private static long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /** Bytes allocated so far by the current thread, or -1 when the JVM does not say. */
    private static long allocatedBytes() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) bean;
            if (sun.isThreadAllocatedMemorySupported() && sun.isThreadAllocatedMemoryEnabled()) {
                return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
            }
        }
        return -1;
    }
}
