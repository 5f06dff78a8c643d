package io.meridian.node;

import io.meridian.journal.Sequencer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code GET /health} reports, published by the engine thread so that the answer never waits for it: a health
 * check must answer in milliseconds while the engine thread sits in a journal fsync, a GC pause or a crowd of slow
 * consumers, and must still notice an engine thread that stopped making progress.
 *
 * <p>The engine thread writes the last completed command's sequence ({@link #completed}, before that command's answer
 * is released, so a client that has an answer sees at least its sequence) and, at every batch end ({@link #batchEnd}),
 * the time and, at most every {@link #STATUS_REFRESH_NANOS}, the snapshot status. The ticker submits a command every
 * second, so on a live node a batch ends at least that often; {@link #stalledMillis} says how long it has been.
 * Written on the engine thread only; read on any thread (volatile fields, an immutable map).
 */
final class EngineHealth {
    /** How often the snapshot status is rebuilt for /health (it changes with snapshots, seconds apart). */
    static final long STATUS_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private volatile long sequence;
    private volatile long lastBatchEndNanos = System.nanoTime();
    private volatile Map<String, Object> snapshots = Map.of();
    private long refreshedNanos = Long.MIN_VALUE / 2;

    /** A command completed (engine thread; before its answer is released). */
    void completed(long commandSequence) {
        sequence = commandSequence;
    }

    /** A batch ended (engine thread): the time, and now and then the snapshot status. */
    void batchEnd(CommandLog log) {
        long now = System.nanoTime();
        lastBatchEndNanos = now;
        if (now - refreshedNanos >= STATUS_REFRESH_NANOS) {
            refreshedNanos = now;
            snapshots = log.status();
        }
    }

    /** The last completed command's sequence. */
    long sequence() {
        return sequence;
    }

    /** Milliseconds since the engine thread last ended a batch. */
    long stalledMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBatchEndNanos);
    }

    /** The snapshot status as last published (at most {@link #STATUS_REFRESH_NANOS} old on a live node). */
    Map<String, Object> snapshots() {
        return snapshots;
    }

    /** The snapshot status now (engine thread): taken, last sequence, longest pause, and the replica's state. */
    static Map<String, Object> status(Sequencer sequencer, boolean replica) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("taken", sequencer.snapshotsTaken());
        status.put("lastSequence", sequencer.lastSnapshotSequence());
        status.put("maxPauseMs", sequencer.maxSnapshotPauseNanos() / 1_000_000.0);
        status.put("replica", replica);
        if (replica) {
            status.put("replicaLag", sequencer.replicaLag());
            status.put("replicaMaxCaptureMs", sequencer.replicaMaxCaptureNanos() / 1_000_000.0);
            status.put("replicaFailure", sequencer.replicaFailure());
        }
        return java.util.Collections.unmodifiableMap(status);
    }
}
