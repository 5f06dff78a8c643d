package io.meridian.node.metrics;

import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the engine loop counts for {@code /metrics}, written where it happens and read only by a scrape
 * ({@link NodeMetrics}). The engine thread's side ({@link #completed}, {@link #queueWait}, {@link #fsync}) does not
 * allocate, lock or wait: per command an ordered store into a fixed array slot (its type, and its reject reason when
 * refused) and a single-writer histogram record ({@link Times}). Label sets are the fixed enums {@link CommandType} and
 * {@link RejectReason}, so a scrape is bounded whatever the traffic.
 */
public final class NodeMeters {
    private static final CommandType[] TYPES = CommandType.values();
    private static final RejectReason[] REASONS = RejectReason.values();

    /** Commands answered, per {@link CommandType} ordinal (engine thread writes). */
    private final AtomicLongArray commands = new AtomicLongArray(TYPES.length);
    /** Commands refused by the engine (or the cluster link), per {@link RejectReason} ordinal (engine thread writes). */
    private final AtomicLongArray rejects = new AtomicLongArray(REASONS.length);
    /** From the gateway's submit to the command's answer: queue, journal (fsync), apply. */
    private final Times latency = new Times();
    /** Per engine batch, how long its first (oldest) request waited in the queue before the engine thread took it. */
    private final Times queueWait = new Times();
    /** Each fsync of the journal's data (one per group commit). */
    private final Times fsync = new Times();
    /** Requests refused because the engine's queue was full (any thread). */
    private final LongAdder queueFull = new LongAdder();

    /** Engine thread: a command of {@code type} was answered after {@code nanos}, refused for {@code reject} or not. */
    public void completed(CommandType type, RejectReason reject, long nanos) {
        if (type != null) {
            increment(commands, type.ordinal());
        }
        if (reject != null) {
            increment(rejects, reject.ordinal());
        }
        latency.record(nanos);
    }

    /** Single writer: a plain add published with an ordered store (no fence, no lock). */
    private static void increment(AtomicLongArray counts, int i) {
        counts.lazySet(i, counts.get(i) + 1);
    }

    /** Engine thread: a batch's oldest request waited {@code nanos} in the queue. */
    public void queueWait(long nanos) {
        queueWait.record(nanos);
    }

    /** The journal writer's thread (the engine thread): one fsync took {@code nanos}. */
    public void fsync(long nanos) {
        fsync.record(nanos);
    }

    /** Any thread: a request was refused because the engine's queue was full. */
    public void queueFull() {
        queueFull.increment();
    }

    long commands(CommandType type) {
        return commands.get(type.ordinal());
    }

    long rejects(RejectReason reason) {
        return rejects.get(reason.ordinal());
    }

    long queueFullCount() {
        return queueFull.sum();
    }

    Times latency() {
        return latency;
    }

    Times queueWaits() {
        return queueWait;
    }

    Times fsyncs() {
        return fsync;
    }
}
