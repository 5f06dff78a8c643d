package io.meridian.node.marketdata;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the market-data path since the start, for operators ({@code -Dmeridian.stageStats=true} prints them):
 * events dropped because the hand-off ring was full, overflows (each followed by a resync of every stream), slow
 * consumers conflated, resyncs sent to them, slow consumers disconnected, frames and bytes handed to connections, and
 * publisher errors. Any thread.
 */
public final class FeedStats {
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong overflows = new AtomicLong();
    final AtomicLong conflated = new AtomicLong();
    final AtomicLong resyncs = new AtomicLong();
    final AtomicLong disconnects = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    /** The engine thread could not hand over an event (the ring was full). */
    public void dropped() {
        dropped.incrementAndGet();
    }

    /** The engine thread started dropping (one overflow until it resynchronises). */
    public void overflow() {
        overflows.incrementAndGet();
    }

    void disconnected() {
        disconnects.incrementAndGet();
    }

    public long overflows() {
        return overflows.get();
    }

    public long conflated() {
        return conflated.get();
    }

    public long resyncs() {
        return resyncs.get();
    }

    public long disconnects() {
        return disconnects.get();
    }

    public long frames() {
        return frames.get();
    }

    public long bytes() {
        return bytes.get();
    }

    @Override
    public String toString() {
        return "market data: " + frames.get() + " frames (" + bytes.get() + " bytes) handed to connections, "
                + dropped.get() + " events dropped in " + overflows.get() + " overflows, " + conflated.get()
                + " slow consumers conflated, " + resyncs.get() + " resyncs, " + disconnects.get()
                + " disconnected, " + errors.get() + " publisher errors";
    }
}
