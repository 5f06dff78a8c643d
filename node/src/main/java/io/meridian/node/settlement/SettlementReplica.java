package io.meridian.node.settlement;

import io.meridian.auth.Address;
import io.meridian.engine.CommandOutcome;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.CommandCodec;
import io.meridian.journal.JournalReader;
import io.meridian.journal.Sequencer;
import io.meridian.journal.SnapshotStore;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.settlement.BatchBuilder;
import io.meridian.settlement.SettlementBatch;
import org.agrona.BufferUtil;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The engine the batches are cut from: a second engine, fed the live engine's applied commands in order, on its own
 * thread, so the live engine never pauses for the O(accounts) statement and trees of a batch (docs/settlement.md, "The
 * node's settlement loop"). It is the snapshot replica's design (docs/journal.md, "Snapshots by a replica") with a
 * {@link BatchBuilder} watching every command it applies.
 *
 * <p><b>Start.</b> The live engine's tap is set first ({@link io.meridian.node.EngineLoop#tapApplied}), which answers
 * the sequence S it starts after, with every command up to S on disk. The replica then loads the newest snapshot at or
 * before the last cut batch's sequence L (or starts empty), replays the journal to S, showing the batch builder only
 * the commands after L (so the withdrawals accepted since the last batch, before the restart included, are in the
 * next one), and then applies what the tap queued. Needs the journal from that snapshot on: with {@code pruneJournal}
 * the node keeps three snapshots, and a batch is normally cut far more often than those are taken.
 *
 * <p><b>Back-pressure.</b> The tap encodes each command (the journal's codec) into a ring of {@value #RING_BYTES} bytes
 * (about 300,000 orders); the live engine waits only when the replica is that far behind (a very large cut).
 *
 * <p><b>Failure.</b> If the replica throws (it applies the live engine's log, so it should not), it stops cutting,
 * keeps draining the ring so the live engine never waits, and says why in the status; a restart rebuilds it.
 */
final class SettlementReplica implements AutoCloseable {
    static final int RING_BYTES = 1 << 24;
    private static final int MESSAGE = 1;
    private static final int ENVELOPE = 2 * Long.BYTES;
    private static final EngineEvents NO_EVENTS = new EngineEvents() { };

    /** What a cut hands on: the batch (its trees built) and when it was cut. */
    interface Cuts {
        void cut(CommittedBatch batch);
    }

    private final OneToOneRingBuffer ring = new OneToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);
    private final CommandCodec publishCodec = new CommandCodec();
    private final CommandCodec applyCodec = new CommandCodec();
    private final Command decoded = new Command();
    private final Thread thread;
    private final long intervalMillis;
    private final int maxWithdrawals;
    private final LongSupplier millis;
    private final Cuts cuts;
    /** Whether a batch may be cut now (the processor has room for it). */
    private final java.util.function.BooleanSupplier canCut;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long appliedSequence;
    private volatile long lastCutMillis;
    private volatile long lastCutNanos;
    private volatile int pendingWithdrawals;

    // Replica thread only.
    private Engine engine;
    private BatchBuilder builder;
    private long lastCutSequence;

    private SettlementReplica(Map<Integer, Address> tokenOfAsset, long intervalMillis, int maxWithdrawals,
                              LongSupplier millis, Cuts cuts, java.util.function.BooleanSupplier canCut) {
        this.canCut = canCut;
        this.intervalMillis = intervalMillis;
        this.maxWithdrawals = maxWithdrawals;
        this.millis = millis;
        this.cuts = cuts;
        this.thread = new Thread(this::run, "meridian-settlement-replica");
        this.thread.setDaemon(true);
    }

    /** The tap the live engine calls (engine thread): encodes the command into the ring, waiting only when it is full. */
    Sequencer.Applied tap() {
        return this::publish;
    }

    private void publish(Command c, CommandOutcome ignored) {
        scratch.putLong(0, c.sequence);
        scratch.putLong(Long.BYTES, c.timestamp);
        int length = ENVELOPE + publishCodec.encode(c, scratch, ENVELOPE, CommandCodec.MAX_PAYLOAD);
        while (!ring.write(MESSAGE, scratch, 0, length)) {
            if (!running) {
                return;
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /**
     * Makes the replica (not yet started): {@code nextBatchId} is the id of the next batch to cut, {@code lastCut} the
     * sequence of the last one cut (0 for none).
     */
    static SettlementReplica create(Map<Integer, Address> tokenOfAsset, long nextBatchId, long lastCut,
                                    long intervalMillis, int maxWithdrawals, LongSupplier millis, Cuts cuts,
                                    java.util.function.BooleanSupplier canCut) {
        SettlementReplica replica = new SettlementReplica(tokenOfAsset, intervalMillis, maxWithdrawals, millis, cuts,
                canCut);
        replica.builder = new BatchBuilder(tokenOfAsset, nextBatchId);
        replica.lastCutSequence = lastCut;
        return replica;
    }

    /**
     * Starts the thread: it rebuilds the engine from {@code dataDir} (snapshot at or before the last cut, then the
     * journal to {@code tappedAfter}) and then follows the tap.
     */
    void start(Path dataDir, EngineConfig config, long tappedAfter) {
        lastCutMillis = millis.getAsLong();
        thread.setUncaughtExceptionHandler((t, e) -> failure = e);
        Thread starter = new Thread(() -> {
            try {
                rebuild(dataDir, config, tappedAfter);
            } catch (RuntimeException e) {
                failure = e;
            }
            thread.start();
        }, "meridian-settlement-replica-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void rebuild(Path dataDir, EngineConfig config, long tappedAfter) {
        List<String> skipped = new ArrayList<>();
        SnapshotStore.Loaded loaded = new SnapshotStore(dataDir).loadNewest(NO_EVENTS, lastCutSequence, skipped);
        engine = loaded != null ? loaded.engine() : new Engine(NO_EVENTS, config);
        Command command = new Command();
        try (JournalReader reader = JournalReader.open(dataDir)) {
            if (reader.firstSequence() > engine.lastSequence() + 1) {
                throw new IllegalStateException("the journal in " + dataDir + " starts at sequence "
                        + reader.firstSequence() + " but the settlement replica needs " + (engine.lastSequence() + 1)
                        + " (pruned past the last batch's snapshot)");
            }
            while (engine.lastSequence() < tappedAfter && reader.next()) {
                if (reader.sequence() <= engine.lastSequence()) {
                    continue;
                }
                command.reset();
                reader.decode(command);
                apply(command);
            }
        }
        if (engine.lastSequence() != tappedAfter) {
            throw new IllegalStateException("the settlement replica replayed to " + engine.lastSequence()
                    + " but the live engine is at " + tappedAfter);
        }
        appliedSequence = engine.lastSequence();
    }

    private void apply(Command c) {
        CommandOutcome outcome = engine.apply(c);
        if (c.sequence > lastCutSequence) {
            builder.onApplied(c, outcome, engine.view());
        }
    }

    private void run() {
        while (running || ring.size() > 0) {
            int read = ring.read(this::onMessage, 4096);
            if (failure == null) {
                appliedSequence = engine.lastSequence();
                pendingWithdrawals = builder.pendingWithdrawals();
                try {
                    if (running && due()) {
                        cut();
                    }
                } catch (RuntimeException e) {
                    System.err.println("settlement replica: cutting a batch failed at sequence "
                            + engine.lastSequence() + "; no more batches until a restart: " + e);
                    failure = e;
                }
            }
            if (read == 0) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
        if (failure != null) {
            return;
        }
        try {
            applyCodec.decode(buffer, index + ENVELOPE, length - ENVELOPE, decoded);
            decoded.sequence = buffer.getLong(index);
            decoded.timestamp = buffer.getLong(index + Long.BYTES);
            apply(decoded);
        } catch (RuntimeException | AssertionError e) {
            System.err.println("settlement replica stopped at sequence " + engine.lastSequence()
                    + "; no more batches until a restart: " + e);
            failure = e;
        }
        if (builder.pendingWithdrawals() >= maxWithdrawals && failure == null && canCut.getAsBoolean()) {
            // Cut at exactly the count, whatever the batching, so no batch exceeds its bound.
            cut();
        }
    }

    /** A batch is due when its interval passed and something was applied since the last, or the count is reached. */
    private boolean due() {
        if (!canCut.getAsBoolean()) {
            return false;
        }
        return builder.pendingWithdrawals() >= maxWithdrawals
                || millis.getAsLong() - lastCutMillis >= intervalMillis && engine.lastSequence() > lastCutSequence;
    }

    private void cut() {
        long start = System.nanoTime();
        long stateHash = engine.stateHash();
        SettlementBatch batch = builder.cut(engine.view(), stateHash);
        lastCutSequence = engine.lastSequence();
        lastCutMillis = millis.getAsLong();
        CommittedBatch kept = CommittedBatch.of(batch, lastCutMillis);
        lastCutNanos = System.nanoTime() - start;
        pendingWithdrawals = 0;
        cuts.cut(kept);
    }

    long appliedSequence() {
        return appliedSequence;
    }

    /** Withdrawals applied and not yet in a cut batch. */
    int pendingWithdrawals() {
        return pendingWithdrawals;
    }

    long lastCutNanos() {
        return lastCutNanos;
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
