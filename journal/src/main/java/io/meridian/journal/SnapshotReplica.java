package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.snapshot.SnapshotWriter;
import org.agrona.BufferUtil;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * A second engine that snapshots in place of the live one, so the engine thread never pauses for a snapshot.
 *
 * <p><b>How.</b> At start it is a copy of the live engine (one capture, before any traffic). After every flush the
 * {@link Sequencer} publishes the batch it just applied into a ring, encoded as the journal encodes commands
 * ({@link CommandCodec}, with sequence and timestamp); the replica's thread decodes and applies them, in order, to its
 * own engine, whose events go nowhere. Applying the same log gives the same
 * state (the design's first rule), so when a snapshot is due (every {@code everyCommands} commands exactly, counted
 * from the last one, or when the sequencer asks) it captures <em>its</em> engine: only the replica stops, and a
 * background writer proves and writes the copy as before ({@link SnapshotStore#persist}: the file's state hash is of
 * the loaded copy).
 *
 * <p><b>Costs.</b> Twice the engine's memory, a second core applying commands (without event handling), an encoding
 * per command on the engine thread, and the ring ({@value #RING_BYTES} bytes, about a million order commands). While
 * the replica captures it falls behind; the ring absorbs that, and only if it fills does {@link #publish} wait.
 *
 * <p><b>Failure.</b> If the replica throws (it never should: it runs the live engine's log), it records the failure,
 * stops applying and taking snapshots, and keeps draining the ring so the live engine never waits on it; the
 * sequencer reports the failure at {@link Sequencer#awaitSnapshot()} and a start simply replays more journal.
 *
 * <p><b>Threads.</b> {@link #publish}, {@link #requestSnapshot}, {@link #awaitApplied}, {@link #awaitSnapshot} and
 * {@link #close}: the engine thread. Everything else of the replica engine: its own thread.
 */
final class SnapshotReplica implements AutoCloseable {
    /** The ring's capacity in bytes: how far the live engine may be ahead before it waits (~50 bytes an order). */
    static final int RING_BYTES = 1 << 26;
    private static final int MESSAGE = 1;
    /** Sequence and timestamp (the journal record header carries them; the codec does not), then the payload. */
    private static final int ENVELOPE = 2 * Long.BYTES;

    private final Engine replica;
    private final SnapshotStore store;
    private final SnapshotPolicy policy;
    private final OneToOneRingBuffer ring;
    /** Engine thread: encodes a command before it is written into the ring. */
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);
    private final CommandCodec publishCodec = new CommandCodec();
    /** Replica thread: decodes. */
    private final CommandCodec applyCodec = new CommandCodec();
    private final Command decoded = new Command();
    private final Thread thread;
    private final ExecutorService writer;
    private final SnapshotWriter buffer = new SnapshotWriter(1 << 20);

    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long appliedSequence;
    private volatile long requestedAt = -1;
    private volatile long lastSnapshotSequence;
    private volatile Future<SnapshotStore.Info> pending;
    private volatile long snapshotsTaken;
    private volatile long lastCaptureNanos;
    private volatile long maxCaptureNanos;

    private SnapshotReplica(Engine replica, Path directory, SnapshotPolicy policy, long lastSnapshotSequence) {
        this.replica = replica;
        this.store = new SnapshotStore(directory);
        this.policy = policy;
        this.lastSnapshotSequence = lastSnapshotSequence;
        this.appliedSequence = replica.lastSequence();
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "meridian-replica-snapshot-writer");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "meridian-snapshot-replica");
        this.thread.setDaemon(true);
    }

    /**
     * A replica of {@code live} (copied through the snapshot codec, on the calling thread) that takes snapshots into
     * {@code directory} by {@code policy}, the last one being at {@code lastSnapshotSequence}.
     */
    static SnapshotReplica start(Engine live, Path directory, SnapshotPolicy policy, long lastSnapshotSequence) {
        SnapshotStore.Captured copy = new SnapshotStore(directory).capture(live, null);
        Engine engine = EngineSnapshots.read(copy.payload(), 0, copy.length(), new EngineEvents() { });
        if (engine.stateHash() != live.stateHash()) {
            throw new IllegalStateException("the snapshot replica does not copy the engine's state");
        }
        SnapshotReplica replica = new SnapshotReplica(engine, directory, policy, lastSnapshotSequence);
        replica.thread.start();
        return replica;
    }

    /** Engine thread: hands the replica commands the live engine applied, in order. Waits only when the ring is full. */
    void publish(Command[] batch, int count) {
        for (int i = 0; i < count; i++) {
            Command c = batch[i];
            scratch.putLong(0, c.sequence);
            scratch.putLong(Long.BYTES, c.timestamp);
            int length = ENVELOPE + publishCodec.encode(c, scratch, ENVELOPE, CommandCodec.MAX_PAYLOAD);
            while (!ring.write(MESSAGE, scratch, 0, length)) {
                // The replica is a ring behind (capturing a large state): wait for it rather than lose a command.
                if (failure != null || !thread.isAlive()) {
                    return;
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** Engine thread: asks for a snapshot once the replica has applied {@code sequence}. */
    void requestSnapshot(long sequence) {
        requestedAt = sequence;
    }

    /** Engine thread: waits until the replica applied {@code sequence} (or failed). */
    void awaitApplied(long sequence) {
        while (appliedSequence < sequence && failure == null && thread.isAlive()) {
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * Engine thread: waits for a requested snapshot to be captured, then for the newest snapshot's file; returns it,
     * or null when none was taken.
     *
     * @throws IllegalStateException when the replica failed, or the snapshot could not be written
     */
    SnapshotStore.Info awaitSnapshot() {
        while (requestedAt > lastSnapshotSequence && failure == null && thread.isAlive()) {
            LockSupport.parkNanos(100_000);
        }
        if (failure != null) {
            throw new IllegalStateException("the snapshot replica failed: " + failure, failure);
        }
        return Sequencer.awaitWritten(pending);
    }

    long snapshotsTaken() {
        return snapshotsTaken;
    }

    /** How long the replica's last capture took (its own pause; the live engine's is zero). */
    long lastCaptureNanos() {
        return lastCaptureNanos;
    }

    long maxCaptureNanos() {
        return maxCaptureNanos;
    }

    /** The sequence of the replica's newest snapshot (or of the one the node started from). */
    long lastSnapshotSequence() {
        return lastSnapshotSequence;
    }

    /** The sequence the replica's engine has applied. */
    long appliedSequence() {
        return appliedSequence;
    }

    Throwable failure() {
        return failure;
    }

    private void run() {
        while (running || ring.size() > 0) {
            int read;
            try {
                read = ring.read(this::onMessage, 4096);
                if (failure == null) {
                    appliedSequence = replica.lastSequence();
                    maybeSnapshot();
                }
            } catch (RuntimeException | StackOverflowError | AssertionError t) {
                // Keep draining (onMessage skips once failed) so the live engine never waits on a stopped replica;
                // say so once, where an operator looks, as well as in the status.
                if (failure == null) {
                    System.err.println("snapshot replica stopped at sequence " + replica.lastSequence()
                            + "; snapshots are no longer taken until a restart: " + t);
                }
                failure = t;
                continue;
            }
            if (read == 0) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    /** Replica thread: one command from the ring. */
    private void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
        if (failure != null) {
            return;
        }
        applyCodec.decode(buffer, index + ENVELOPE, length - ENVELOPE, decoded);
        decoded.sequence = buffer.getLong(index);
        decoded.timestamp = buffer.getLong(index + Long.BYTES);
        replica.apply(decoded);
        // Checked per command, so snapshots fall at exact multiples of the policy's interval whatever the batching:
        // the same journal gives the same snapshot files.
        if (policy.everyCommands() > 0 && replica.lastSequence() - lastSnapshotSequence >= policy.everyCommands()) {
            maybeSnapshot();
        }
    }

    /** Replica thread: captures when the policy or a request says so, then hands the copy to the writer. */
    private void maybeSnapshot() {
        long applied = replica.lastSequence();
        boolean due = policy.everyCommands() > 0 && applied - lastSnapshotSequence >= policy.everyCommands();
        boolean requested = requestedAt > lastSnapshotSequence && applied >= requestedAt;
        if (!due && !requested || applied == lastSnapshotSequence) {
            return;
        }
        Future<SnapshotStore.Info> previous = pending;
        if (previous != null) {
            try {
                previous.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // Reported by awaitSnapshot; a later snapshot may still succeed.
            }
        }
        SnapshotStore.Captured captured = store.capture(replica, buffer);
        lastCaptureNanos = captured.captureNanos();
        maxCaptureNanos = Math.max(maxCaptureNanos, lastCaptureNanos);
        int retain = policy.retain();
        boolean prune = policy.pruneJournal();
        pending = writer.submit(() -> {
            SnapshotStore.Info info = store.persist(captured);
            store.retain(retain);
            if (prune) {
                store.pruneJournal();
            }
            return info;
        });
        snapshotsTaken++;
        lastSnapshotSequence = captured.sequence();
    }

    /** Engine thread: stops the replica thread (after {@link #awaitApplied}, to lose nothing) and its writer. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdown();
    }
}
