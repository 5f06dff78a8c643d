package io.meridian.journal;

/**
 * When the {@link Sequencer} snapshots the engine.
 *
 * @param everyCommands a snapshot after the first flush that ends at least this many commands after the last one;
 *                      0 for never
 * @param retain        snapshot files kept (the newest); older ones are deleted after each new one is durable
 * @param pruneJournal  whether journal segments wholly before the oldest retained snapshot are then deleted too
 *                      ({@link JournalRetention}); off by default, since the journal is also the audit record
 * @param replica       whether a second engine on its own thread takes the snapshots ({@link SnapshotReplica}), so the
 *                      live engine never pauses for one, at the cost of twice the engine's memory and a second core;
 *                      off by default: the live engine copies itself (a pause that grows with the state)
 */
public record SnapshotPolicy(long everyCommands, int retain, boolean pruneJournal, boolean replica) {
    /** No snapshots: a start replays the whole journal. */
    public static final SnapshotPolicy NONE = new SnapshotPolicy(0, 1);
    /** The node's default: a snapshot every million commands, the newest three kept, the whole journal kept. */
    public static final SnapshotPolicy DEFAULT = new SnapshotPolicy(1_000_000, 3);

    /** A policy that keeps the whole journal. */
    public SnapshotPolicy(long everyCommands, int retain) {
        this(everyCommands, retain, false);
    }

    /** Snapshots by the live engine (no replica). */
    public SnapshotPolicy(long everyCommands, int retain, boolean pruneJournal) {
        this(everyCommands, retain, pruneJournal, false);
    }

    /** The same policy with snapshots taken by a replica (or not). */
    public SnapshotPolicy withReplica(boolean on) {
        return new SnapshotPolicy(everyCommands, retain, pruneJournal, on);
    }

    public SnapshotPolicy {
        if (everyCommands < 0) {
            throw new IllegalArgumentException("everyCommands must not be negative: " + everyCommands);
        }
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1: " + retain);
        }
    }
}
