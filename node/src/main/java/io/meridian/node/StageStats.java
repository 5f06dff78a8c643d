package io.meridian.node;

import org.HdrHistogram.Histogram;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Engine-batch timings for profiling the node under load ({@code -Dmeridian.stageStats=true}): per group-commit
 * batch, its size in commands and the time of {@code Sequencer.flush} (journal write, fsync under group commit, apply
 * and replies). Every 5 seconds it prints the interval's batches per second, mean batch size and flush-time
 * percentiles to standard error, and starts again; then the market-data counters ({@link #also}), since the start.
 * Recording is on the engine thread; the printing thread swaps the histogram under this object's lock.
 */
final class StageStats {
    private Histogram flush = new Histogram(TimeUnit.SECONDS.toNanos(10), 2);
    private long batches;
    private long commands;
    private final ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meridian-stage-stats");
        t.setDaemon(true);
        return t;
    });

    /** More to print after each interval's figures (the market-data counters); set before the first print. */
    private volatile java.util.function.Supplier<String> also = () -> null;

    StageStats() {
        printer.scheduleAtFixedRate(this::print, 5, 5, TimeUnit.SECONDS);
    }

    /** Prints {@code line} (when not null) after each interval's figures. */
    void also(java.util.function.Supplier<String> line) {
        also = line;
    }

    /** Engine thread: one flushed batch of {@code size} commands that took {@code nanos}. */
    synchronized void batch(int size, long nanos) {
        flush.recordValue(Math.min(flush.getHighestTrackableValue(), nanos));
        batches++;
        commands += size;
    }

    private void print() {
        Histogram h;
        long b;
        long c;
        synchronized (this) {
            h = flush;
            b = batches;
            c = commands;
            flush = new Histogram(TimeUnit.SECONDS.toNanos(10), 2);
            batches = 0;
            commands = 0;
        }
        if (b > 0) {
            System.err.printf(java.util.Locale.ROOT, "stages: %d batches/s, %.1f commands/batch, flush p50 %d us,"
                            + " p99 %d us, max %d us%n", b / 5, (double) c / b, h.getValueAtPercentile(50) / 1000,
                    h.getValueAtPercentile(99) / 1000, h.getMaxValue() / 1000);
        }
        String line = also.get();
        if (line != null) {
            System.err.println("stages: " + line);
        }
    }

    void stop() {
        printer.shutdownNow();
    }
}
