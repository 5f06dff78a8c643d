package io.meridian.node.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durations recorded by one thread at a time (the engine thread) and read by a scrape: an HdrHistogram
 * {@link SingleWriterRecorder}, whose writer side is wait-free and allocation-free (two ordered counter updates and an
 * array increment), and whose reader takes what was recorded since the last read ({@link #read}) and adds it to the
 * cumulative histogram a Prometheus histogram needs. Values from 1 ns to {@link #HIGHEST} (larger ones are counted at
 * it), to two significant digits (a value is placed in a bucket within 1% of its own).
 */
public final class Times {
    /** The longest duration kept apart: a minute. */
    static final long HIGHEST = TimeUnit.MINUTES.toNanos(1);

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST, 2);
    /** The exact sum of what was recorded, nanoseconds (single writer, ordered stores). */
    private final AtomicLong sum = new AtomicLong();
    /** Reader side, under this object's lock. */
    private final Histogram total = new Histogram(HIGHEST, 2);
    private Histogram interval;

    /** Writer's thread (one at a time): one duration in nanoseconds; negative ones count as 0. */
    public void record(long nanos) {
        long value = nanos < 0 ? 0 : Math.min(nanos, HIGHEST);
        recorder.recordValue(value);
        sum.lazySet(sum.get() + value);
    }

    /**
     * Any thread: the cumulative histogram since the start, with what was recorded since the last read added, passed
     * to {@code reader} under this object's lock (the histogram is reused: read it there, keep nothing of it).
     */
    public synchronized <T> T read(java.util.function.BiFunction<Histogram, Long, T> reader) {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return reader.apply(total, sum.get());
    }
}
