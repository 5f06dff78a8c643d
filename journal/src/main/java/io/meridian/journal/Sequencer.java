package io.meridian.journal;

import io.meridian.engine.CommandOutcome;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.snapshot.SnapshotWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * The single writer in front of the engine: stamps each command with the next sequence number and a timestamp,
 * appends it to the journal, and applies it to the engine only after the batch it belongs to is durable.
 *
 * <p><b>Contract.</b> {@link #submit} stamps a copy of the command and appends it to the journal's batch; nothing
 * reaches the engine yet. {@link #flush} commits the batch (one fsync under {@link Durability#GROUP_COMMIT}) and then
 * applies its commands to the engine in sequence order, so every event the engine fires (and so every reply the node
 * sends from them) is for a command already on disk. A batch that reaches {@link #maxBatch()} commands is flushed by
 * the {@code submit} that fills it. Timestamps come from the clock but never go backwards: a clock that steps back is
 * read as the last timestamp again.
 *
 * <p><b>Recovery.</b> {@link #start} recovers the directory (a torn tail is cut off), loads the newest valid snapshot
 * (or makes a fresh engine), replays the journal after it, and continues the sequence; {@link #open} does the same
 * for an engine the caller made, without snapshots. The listener receives the events of replayed commands too
 * (their sequences are at most {@link StartReport#lastSequence()}); a node that must not act on them twice compares.
 *
 * <p><b>Snapshots.</b> With a {@link SnapshotPolicy}, after a flush that ends far enough past the last snapshot the
 * engine is copied to memory on this thread (the pause, {@link #lastSnapshotPauseNanos()}), and a background thread
 * writes the copy to disk while the engine goes on. A snapshot waits for the previous one's file to be durable.
 * With {@link SnapshotPolicy#replica()} a {@link SnapshotReplica} takes them instead: a second engine on its own
 * thread, fed every flushed batch, copies itself, and this thread never pauses ({@link #maxSnapshotPauseNanos()} stays
 * 0; the replica's capture time is {@link #replicaMaxCaptureNanos()}).
 *
 * <p><b>Recording.</b> A host whose commands are sequenced by others and applied by itself (a cluster's gateway, whose
 * replica applies what the members applied) journals them with {@link #record} instead of {@link #submit}: the same
 * journal, recovery, replay and snapshots, with the sequences and times the others gave.
 *
 * <p>One thread only: the engine thread (the snapshot writer thread is internal).
 */
public final class Sequencer implements AutoCloseable {
    /** Commands per batch by default: enough to amortise an fsync, small enough to bound the reply delay. */
    public static final int DEFAULT_MAX_BATCH = 4096;

    private final Engine engine;
    private final JournalWriter writer;
    private final LongSupplier clock;
    private final Command[] batch;
    private final Replay.Result recovered;
    private final SnapshotPolicy snapshots;
    private final SnapshotStore store;
    private int batchSize;
    /** True while the batch holds commands {@link #record}ed (applied by the caller) rather than submitted. */
    private boolean recording;

    private ExecutorService snapshotWriter;
    private Future<SnapshotStore.Info> pendingSnapshot;
    private SnapshotWriter snapshotBuffer;
    private long lastSnapshotSequence;
    private long snapshotsTaken;
    private long lastSnapshotPauseNanos;
    private long maxSnapshotPauseNanos;
    /** Takes the snapshots when the policy asks for a replica; null otherwise. */
    private SnapshotReplica replica;
    private boolean closed;

    /**
     * What {@link #start} found and did.
     *
     * @param journal      the journal's recovery report (torn tail cut, if any)
     * @param snapshot     the snapshot the engine was loaded from, or null for a fresh engine
     * @param skipped      snapshots that failed a check, newest first, with the reason
     * @param replayed     journal records applied after the snapshot
     * @param lastSequence the engine's sequence when the start finished
     * @param nanos        time the start took
     */
    public record StartReport(RecoveryReport journal, SnapshotStore.Info snapshot, List<String> skipped,
                              long replayed, long lastSequence, long nanos) {
    }

    /** Told each command's outcome as it is applied (engine thread, after the command's events); may be null. */
    private Applied applied;

    /** Hears what each applied command did: how a host answers its clients without listening to events for it. */
    @FunctionalInterface
    public interface Applied {
        /** {@code command} (stamped) was applied with {@code outcome}; both are reused after this returns. */
        void applied(Command command, CommandOutcome outcome);
    }

    /**
     * Sets who hears each applied command's outcome ({@link Applied}); call before the first {@link #submit}, on the
     * thread that submits.
     */
    public void onApplied(Applied listener) {
        this.applied = listener;
    }

    private Sequencer(Engine engine, JournalWriter writer, LongSupplier clock, int maxBatch, Replay.Result recovered,
                      SnapshotPolicy snapshots, long lastSnapshotSequence) {
        this.engine = engine;
        this.writer = writer;
        this.clock = clock;
        this.recovered = recovered;
        this.snapshots = snapshots;
        this.store = new SnapshotStore(writer.directory());
        this.lastSnapshotSequence = lastSnapshotSequence;
        this.batch = new Command[maxBatch];
        for (int i = 0; i < maxBatch; i++) {
            batch[i] = new Command();
        }
    }

    /**
     * Opens (recovering and replaying) the journal in {@code directory} in front of {@code engine}.
     *
     * @param clock    timestamps in nanoseconds since the epoch (the engine's unit)
     * @param maxBatch commands per batch, at least 1
     * @throws JournalCorruptedException when the journal is damaged other than by a torn tail
     * @throws IllegalStateException     when the engine is ahead of the journal, or another writer holds it
     */
    public static Sequencer open(Path directory, JournalConfig config, Engine engine, LongSupplier clock,
                                 int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
        }
        JournalWriter writer = JournalWriter.open(directory, config);
        try {
            Replay.Result result = replayToEnd(directory, engine, writer.nextSequence() - 1);
            return new Sequencer(engine, writer, clock, maxBatch, result, SnapshotPolicy.NONE, engine.lastSequence());
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /**
     * Begins a journal in {@code directory}, which holds none yet, at the state of {@code engine}, an engine made
     * elsewhere (a cluster's gateway starts from a snapshot of the cluster's engine): pins the engine's settings
     * ({@link EngineSettings}), persists a snapshot of it (unless it is at sequence 0) and starts the first segment at
     * the engine's next sequence, all forced before this returns, so that {@link #start}, {@code meridian replay
     * --from-snapshot} and {@code meridian verify} take the journal from there. The engine is then continued as by
     * {@link #open}, with snapshots by {@code policy} counted from its sequence; the config's first sequence is
     * replaced by the engine's next.
     *
     * @throws IllegalStateException when the directory holds segments or snapshots already, pinned settings that are
     *                               not the engine's, or another writer holds it
     */
    public static Sequencer begin(Path directory, JournalConfig config, SnapshotPolicy policy, Engine engine,
                                  LongSupplier clock, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
        }
        long at = engine.lastSequence();
        // The writer first: it creates the directory's lock, under which alone settings and snapshots are written.
        JournalWriter writer = JournalWriter.open(directory, config.withFirstSequence(at + 1));
        try {
            SnapshotStore store = new SnapshotStore(directory);
            if (writer.recovery().segments() > 0 || !store.list().isEmpty()) {
                throw new IllegalStateException("journal " + directory + " already holds segments or snapshots: a"
                        + " journal begins only in a directory without them");
            }
            EngineConfig settings = engine.view().config();
            EngineConfig pinned = EngineSettings.read(directory);
            if (pinned == null) {
                EngineSettings.write(directory, settings);
            } else if (!pinned.equals(settings)) {
                throw new IllegalStateException("journal " + directory + " has other engine settings pinned ("
                        + EngineSettings.FILE_NAME + ": " + pinned + ") than the engine it is to begin at: " + settings);
            }
            if (at > 0) {
                store.persist(store.capture(engine, null));
            }
            writer.openSegment();
            writer.force();
            Replay.Result result = replayToEnd(directory, engine, writer.nextSequence() - 1);
            Sequencer sequencer = new Sequencer(engine, writer, clock, maxBatch, result, policy, at);
            if (policy.replica()) {
                sequencer.replica = SnapshotReplica.start(engine, directory, policy, at);
            }
            return sequencer;
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /**
     * Starts a durable engine from {@code directory}: recovers the journal, loads the newest snapshot that passes
     * every check (see {@link SnapshotStore#loadNewest}) or makes a new engine, replays the journal after it, and
     * takes snapshots by {@code policy} from then on. The engine's settings are those pinned in the directory
     * ({@link EngineSettings}); {@code engineConfig} is pinned when there are none yet (a new journal). A loaded engine
     * keeps the settings it was saved with.
     *
     * @throws JournalCorruptedException when the journal is damaged other than by a torn tail
     * @throws IllegalStateException     when another writer holds the directory
     */
    public static Sequencer start(Path directory, JournalConfig config, SnapshotPolicy policy,
                                  EngineConfig engineConfig, EngineEvents events, LongSupplier clock, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
        }
        long start = System.nanoTime();
        JournalWriter writer = JournalWriter.open(directory, config);
        try {
            long journalEnd = writer.nextSequence() - 1;
            // The settings the journal was made with, not the caller's, decide what its commands do: pinned at
            // creation (a journal made before pinning gets the caller's now).
            EngineConfig pinned = EngineSettings.read(directory);
            if (pinned == null) {
                EngineSettings.write(directory, engineConfig);
                pinned = engineConfig;
            }
            List<String> skipped = new ArrayList<>();
            SnapshotStore.Loaded loaded = new SnapshotStore(directory).loadNewest(events, journalEnd, skipped);
            Engine engine = loaded != null ? loaded.engine() : new Engine(events, pinned);
            Replay.Result result;
            try {
                result = replayToEnd(directory, engine, journalEnd);
            } catch (IllegalStateException e) {
                if (loaded != null || skipped.isEmpty()) {
                    throw e;
                }
                // A pruned journal whose snapshots this build cannot load (after an upgrade from an older snapshot
                // format, say): say why each one was skipped and what the operator can do (docs/journal.md).
                throw new IllegalStateException(e.getMessage() + "; no snapshot could be loaded: " + skipped
                        + ". Restore the pruned journal segments (or a snapshot this build can load) into " + directory,
                        e);
            }
            long lastSnapshot = loaded != null ? loaded.info().sequence() : 0;
            Sequencer sequencer = new Sequencer(engine, writer, clock, maxBatch, result, policy, lastSnapshot);
            if (policy.replica()) {
                sequencer.replica = SnapshotReplica.start(engine, directory, policy, lastSnapshot);
            }
            sequencer.startReport = new StartReport(writer.recovery(), loaded != null ? loaded.info() : null,
                    List.copyOf(skipped), result.commands(), engine.lastSequence(), System.nanoTime() - start);
            return sequencer;
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /** Replays the journal into {@code engine} and checks it ended where the journal does. */
    private static Replay.Result replayToEnd(Path directory, Engine engine, long journalEnd) {
        Replay.Result result = Replay.replay(directory, engine);
        if (engine.lastSequence() != journalEnd) {
            throw new IllegalStateException("engine is at sequence " + engine.lastSequence() + " but the journal in "
                    + directory + " ends at " + journalEnd);
        }
        return result;
    }

    private StartReport startReport;

    /** What {@link #start} found and did; null for a sequencer made by {@link #open}. */
    public StartReport startReport() {
        return startReport;
    }

    public static Sequencer open(Path directory, JournalConfig config, Engine engine, LongSupplier clock) {
        return open(directory, config, engine, clock, DEFAULT_MAX_BATCH);
    }

    /**
     * Stamps a copy of {@code command} (its own sequence and timestamp are ignored and left unchanged) and appends it
     * to the journal batch; applied at the next {@link #flush()}.
     *
     * @return the sequence number given to it
     * @throws CodecException when the command cannot be encoded (too large); nothing is appended or consumed
     */
    public long submit(Command command) {
        if (recording) {
            throw new IllegalStateException("this batch holds recorded commands; flush before submitting");
        }
        Command stamped = batch[batchSize];
        stamped.copyFrom(command);
        stamped.sequence = writer.nextSequence();
        stamped.timestamp = Math.max(clock.getAsLong(), writer.lastTimestamp());
        writer.append(stamped);
        batchSize++;
        // Read before a flush resets the batch's commands.
        long sequence = stamped.sequence;
        if (batchSize == batch.length) {
            flush();
        }
        return sequence;
    }

    /**
     * Makes the batch durable, then applies it to the engine.
     *
     * @return the last sequence applied (the engine's {@link Engine#lastSequence()})
     */
    public long flush() {
        writer.commit();
        if (!recording) {
            // With books larger than the cache, the next commands' look-ups overlap with this one's work, one step
            // each (Engine.prefetch; they change nothing).
            boolean ahead = batchSize > 1 && engine.prefetchPays();
            for (int i = 0; i < batchSize; i++) {
                if (ahead) {
                    for (int step = Engine.PREFETCH_STEPS; step >= 1; step--) {
                        if (i + step < batchSize) {
                            engine.prefetch(batch[i + step], step);
                        }
                    }
                }
                CommandOutcome outcome = engine.apply(batch[i]);
                if (applied != null) {
                    applied.applied(batch[i], outcome);
                }
            }
        }
        endBatch();
        // A recording caller may flush between recording a command and applying it: no snapshot then.
        if (replica == null && snapshots.everyCommands() > 0 && engine.lastSequence() == writer.committedSequence()
                && engine.lastSequence() - lastSnapshotSequence >= snapshots.everyCommands()) {
            snapshot();
        }
        return engine.lastSequence();
    }

    /**
     * Journals a command that another writer sequenced and that the caller applies to this sequencer's engine itself (a
     * cluster's gateway: the members give each command its sequence and time, the gateway's replica applies it): a
     * copy is appended to the batch and written at the next {@link #flush}, which applies nothing of it but takes
     * snapshots as usual. Call it just before applying the command, so the journal holds exactly what the engine was
     * given; by the next flush the engine must have applied every recorded command. A batch holds either recorded or
     * submitted commands ({@link #submit} refuses while recorded ones wait). A full batch is written at once.
     *
     * @throws IllegalArgumentException when the command's sequence is not the journal's next or its timestamp is
     *                                  earlier than the last (nothing is appended)
     * @throws IllegalStateException    when submitted commands wait in the batch
     */
    public void record(Command command) {
        if (batchSize > 0 && !recording) {
            throw new IllegalStateException("flush the " + batchSize + " submitted command(s) before recording");
        }
        Command copy = batch[batchSize];
        copy.copyFrom(command);
        writer.append(copy);
        batchSize++;
        recording = true;
        if (batchSize == batch.length) {
            writer.commit();
            endBatch();
        }
    }

    /** Hands the batch to the snapshot replica and empties it. */
    private void endBatch() {
        if (replica != null && batchSize > 0) {
            replica.publish(batch, batchSize);
        }
        for (int i = 0; i < batchSize; i++) {
            // Drop references to specs so a batch slot does not keep them alive.
            batch[i].reset();
        }
        batchSize = 0;
        recording = false;
    }

    /**
     * Snapshots the engine now (after a flush, so it holds every submitted command): copies it on this thread, then
     * writes the copy in the background. Waits first for the previous snapshot's file. With a replica, asks the
     * replica for a snapshot at the current sequence instead ({@link #awaitSnapshot()} waits for it).
     */
    public void snapshot() {
        if (batchSize > 0) {
            throw new IllegalStateException("flush before a snapshot: " + batchSize + " command(s) pending");
        }
        if (writer.config().durability() == Durability.NONE) {
            // A journal written without fsync: on disk up to the snapshot before the snapshot exists, so a power loss
            // never leaves a snapshot past the journal's end.
            writer.force();
        }
        if (replica != null) {
            replica.requestSnapshot(engine.lastSequence());
            return;
        }
        awaitSnapshot();
        if (snapshotBuffer == null) {
            snapshotBuffer = new SnapshotWriter(1 << 20);
            snapshotWriter = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "meridian-snapshot-writer");
                t.setDaemon(true);
                return t;
            });
        }
        SnapshotStore.Captured captured = store.capture(engine, snapshotBuffer);
        lastSnapshotPauseNanos = captured.captureNanos();
        maxSnapshotPauseNanos = Math.max(maxSnapshotPauseNanos, lastSnapshotPauseNanos);
        lastSnapshotSequence = captured.sequence();
        snapshotsTaken++;
        int retain = snapshots.retain();
        boolean prune = snapshots.pruneJournal();
        pendingSnapshot = snapshotWriter.submit(() -> {
            SnapshotStore.Info info = store.persist(captured);
            store.retain(retain);
            if (prune) {
                // Only through the oldest snapshot kept, and only when it loads: every retained snapshot must still
                // replay forward, and the one the journal then starts after must be one this build can load.
                store.pruneJournal();
            }
            return info;
        });
    }

    /** Waits until the last snapshot's file is durable; returns it, or null when none was taken. */
    public SnapshotStore.Info awaitSnapshot() {
        if (replica != null) {
            return replica.awaitSnapshot();
        }
        return awaitWritten(pendingSnapshot);
    }

    /**
     * Waits for a snapshot file being written (null: none was taken) and returns it. A failed snapshot costs only a
     * longer replay at the next start (the journal is intact), but the caller hears of it.
     *
     * @throws IllegalStateException when interrupted, or the snapshot could not be written
     */
    static SnapshotStore.Info awaitWritten(Future<SnapshotStore.Info> pending) {
        if (pending == null) {
            return null;
        }
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a snapshot was written", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("snapshot could not be written: " + e.getCause(), e.getCause());
        }
    }

    /** Snapshots taken by this sequencer (or its replica). */
    public long snapshotsTaken() {
        return snapshotsTaken + (replica == null ? 0 : replica.snapshotsTaken());
    }

    /** The replica's longest capture (its own pause, not this thread's), or 0 without a replica. */
    public long replicaMaxCaptureNanos() {
        return replica == null ? 0 : replica.maxCaptureNanos();
    }

    /** Why the replica stopped taking snapshots, or null while it works (or without one). */
    public String replicaFailure() {
        return replica == null || replica.failure() == null ? null : replica.failure().toString();
    }

    /** The sequence of the newest snapshot taken (by this thread or the replica), 0 for none since the start. */
    public long lastSnapshotSequence() {
        return replica != null ? replica.lastSnapshotSequence() : lastSnapshotSequence;
    }

    /** How many commands the replica is behind the live engine, or 0 without a replica. */
    public long replicaLag() {
        return replica == null ? 0 : engine.lastSequence() - replica.appliedSequence();
    }

    /** How long the last snapshot held the engine thread (the in-memory copy), in nanoseconds. */
    public long lastSnapshotPauseNanos() {
        return lastSnapshotPauseNanos;
    }

    public long maxSnapshotPauseNanos() {
        return maxSnapshotPauseNanos;
    }

    /** Commands submitted but not yet flushed. */
    public int pending() {
        return batchSize;
    }

    public int maxBatch() {
        return batch.length;
    }

    public Engine engine() {
        return engine;
    }

    public JournalWriter writer() {
        return writer;
    }

    /** What replaying the journal at {@link #open} did. */
    public Replay.Result recovered() {
        return recovered;
    }

    /**
     * Flushes (so every submitted command is durable and applied), waits for the replica to apply it and for the last
     * snapshot file, then closes the journal. A second call does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
            if (replica != null) {
                replica.awaitApplied(engine.lastSequence());
            }
            awaitSnapshot();
        } finally {
            if (replica != null) {
                replica.close();
            }
            if (snapshotWriter != null) {
                snapshotWriter.shutdown();
            }
            writer.close();
        }
    }
}
