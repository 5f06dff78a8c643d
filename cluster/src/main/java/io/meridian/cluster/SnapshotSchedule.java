package io.meridian.cluster;

import io.aeron.cluster.ClusterControl;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.util.concurrent.TimeUnit;

/**
 * Scheduled snapshots of a cluster member: while this member leads, it asks its own consensus module for a snapshot
 * (the cluster control toggle, as Aeron's {@code ClusterControl} tool sets it) once {@code everyCommands} commands were
 * applied since the newest snapshot, or {@code everyNanos} passed since it. The consensus module then has every member
 * snapshot at the same log position. Followers never ask: only the leader's request is acted on, and after a leader
 * change the new leader's own schedule takes over (its clock starts at its newest snapshot or its start).
 *
 * <p>Runs on its own daemon thread, reading what the service publishes (volatile fields); 0 turns a rule off.
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
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long requests;

    SnapshotSchedule(EngineClusteredService service, CountersReader counters, int clusterId, long everyCommands,
                     long everyNanos, int memberId) {
        if (everyCommands < 0 || everyNanos < 0) {
            throw new IllegalArgumentException("snapshot schedule " + everyCommands + " commands, " + everyNanos
                    + " ns");
        }
        this.service = service;
        this.counters = counters;
        this.clusterId = clusterId;
        this.everyCommands = everyCommands;
        this.everyNanos = everyNanos;
        this.thread = new Thread(this::run, "meridian-snapshot-schedule-" + memberId);
        thread.setDaemon(true);
        if (everyCommands > 0 || everyNanos > 0) {
            thread.start();
        }
    }

    private void run() {
        AtomicCounter toggle = null;
        while (running) {
            try {
                Thread.sleep(CHECK_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
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

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
