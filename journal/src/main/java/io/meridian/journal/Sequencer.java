package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.model.Command;

import java.nio.file.Path;
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
 * <p><b>Recovery.</b> {@link #open} recovers the directory (a torn tail is cut off), replays every intact record into
 * the engine, which must be fresh (or restored from a snapshot at or before the journal's end), and continues the
 * sequence after it.
 *
 * <p>One thread only: the engine thread.
 */
public final class Sequencer implements AutoCloseable {
    /** Commands per batch by default: enough to amortise an fsync, small enough to bound the reply delay. */
    public static final int DEFAULT_MAX_BATCH = 4096;

    private final Engine engine;
    private final JournalWriter writer;
    private final LongSupplier clock;
    private final Command[] batch;
    private final Replay.Result recovered;
    private int batchSize;

    private Sequencer(Engine engine, JournalWriter writer, LongSupplier clock, int maxBatch, Replay.Result recovered) {
        this.engine = engine;
        this.writer = writer;
        this.clock = clock;
        this.recovered = recovered;
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
            Replay.Result result = Replay.replay(directory, engine);
            if (engine.lastSequence() != writer.nextSequence() - 1) {
                throw new IllegalStateException("engine is at sequence " + engine.lastSequence() + " but the journal"
                        + " in " + directory + " ends at " + (writer.nextSequence() - 1));
            }
            return new Sequencer(engine, writer, clock, maxBatch, result);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
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
        Command stamped = batch[batchSize];
        stamped.copyFrom(command);
        stamped.sequence = writer.nextSequence();
        stamped.timestamp = Math.max(clock.getAsLong(), writer.lastTimestamp());
        writer.append(stamped);
        batchSize++;
        if (batchSize == batch.length) {
            flush();
        }
        return stamped.sequence;
    }

    /**
     * Makes the batch durable, then applies it to the engine.
     *
     * @return the last sequence applied (the engine's {@link Engine#lastSequence()})
     */
    public long flush() {
        writer.commit();
        for (int i = 0; i < batchSize; i++) {
            engine.apply(batch[i]);
            // Drop references to specs so a batch slot does not keep them alive.
            batch[i].reset();
        }
        batchSize = 0;
        return engine.lastSequence();
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

    /** Flushes (so every submitted command is durable and applied), then closes the journal. */
    @Override
    public void close() {
        try {
            flush();
        } finally {
            writer.close();
        }
    }
}
