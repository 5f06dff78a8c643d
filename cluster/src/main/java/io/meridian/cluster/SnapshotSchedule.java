package io.meridian.cluster;

import io.aeron.cluster.ClusterControl;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Scheduled snapshots of a cluster member: while this member leads, it asks its own consensus module for a snapshot
 * (the cluster control toggle, as Aeron's {@code ClusterControl} tool sets it) once {@code everyCommands} commands were
 * applied since the newest snapshot, or {@code everyNanos} passed since it. The consensus module then has every member
 * snapshot at the same log position. Followers never ask: only the leader's request is acted on, and after a leader
 * change the new leader's own schedule takes over (its clock starts at its newest snapshot or its start).
 *
 * <p>Runs on its own daemon thread, reading what the service publishes (volatile fields); 0 turns a rule off. The
 * member's {@link LogRetention}, if it has one, runs on the same thread after each check.
 */
final class SnapshotSchedule implements AutoCloseable {
    /** Default: a snapshot after a million commands, as a single node's journal takes them. */
    static final long DEFAULT_EVERY_COMMANDS = 1_000_000;
    /** Default: at least one snapshot an hour, so that a restart replays at most an hour of log. */
    static final long DEFAULT_EVERY_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final long CHECK_INTERVAL_MILLIS = 200;

    private final EngineClusteredService service;
    private final CountersReader counters;
    private final int clusterId;
    private final long everyCommands;
    private final long everyNanos;
    private final LogRetention retention;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long requests;

    SnapshotSchedule(EngineClusteredService service, CountersReader counters, int clusterId, long everyCommands,
                     long everyNanos, int memberId) {
        this(service, counters, clusterId, everyCommands, everyNanos, memberId, null);
    }

    /** As above, with the member's log retention (null: none) run on this schedule's thread. */
    SnapshotSchedule(EngineClusteredService service, CountersReader counters, int clusterId, long everyCommands,
                     long everyNanos, int memberId, LogRetention retention) {
        if (everyCommands < 0 || everyNanos < 0) {
            throw new IllegalArgumentException("snapshot schedule " + everyCommands + " commands, " + everyNanos
                    + " ns");
        }
        this.service = service;
        this.counters = counters;
        this.clusterId = clusterId;
        this.everyCommands = everyCommands;
        this.everyNanos = everyNanos;
        this.retention = retention;
        this.thread = new Thread(this::run, "meridian-snapshot-schedule-" + memberId);
        thread.setDaemon(true);
        if (everyCommands > 0 || everyNanos > 0 || retention != null) {
            thread.start();
        }
    }

    private void run() {
        try {
            check();
        } finally {
            if (retention != null) {
                retention.close();
            }
        }
    }

    private void check() {
        AtomicCounter toggle = null;
        while (running) {
            // Parked, not slept: close() wakes the thread without an interrupt, which would break an archive call of
            // the log retention half way.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MILLIS));
            if (!running) {
                return;
            }
            if (retention != null) {
                retention.doWork();
            }
            if (!service.isLeader() || !due()) {
                continue;
            }
            if (toggle == null) {
                toggle = ClusterControl.findControlToggle(counters, clusterId);
                if (toggle == null) {
                    continue;
                }
            }
            // Only from NEUTRAL: a request in progress (or another tool's) is left to finish.
            if (ClusterControl.ToggleState.SNAPSHOT.toggle(toggle)) {
                requests++;
            }
        }
    }

    /** True when the rules ask for a snapshot now. */
    private boolean due() {
        long since = service.appliedSequence() - service.lastSnapshotSequence();
        return everyCommands > 0 && since >= everyCommands
                || everyNanos > 0 && since > 0 && System.nanoTime() - service.lastSnapshotNanos() >= everyNanos;
    }

    /** Snapshots this member asked for. */
    long requests() {
        return requests;
    }

    /**
     * Stops the thread and waits for it (a little), so that the log retention's archive client is closed before the
     * member's archive.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        if (thread.isAlive()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
