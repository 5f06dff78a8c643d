package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.model.Command;

import java.nio.file.Path;

/**
 * Feeds a journal's records, in order, into an engine: how a node rebuilds its state on start and how
 * {@code meridian replay} proves what a log leads to. Read-only: the journal is not changed and a torn tail is only
 * reported (see {@link Result#tornTail()}).
 */
public final class Replay {
    private Replay() {
    }

    /**
     * What a replay did.
     *
     * @param commands      records applied
     * @param lastSequence  the last applied record's sequence (the engine's {@link Engine#lastSequence()})
     * @param lastTimestamp the last applied record's timestamp
     * @param tornTail      a torn tail found after the last intact record and skipped, or null
     * @param nanos         wall time the replay took, for reports
     */
    public record Result(long commands, long lastSequence, long lastTimestamp, TornTail tornTail, long nanos) {
    }

    /**
     * Applies every record whose sequence is after the engine's {@link Engine#lastSequence()} and at most
     * {@code toSequence} (records the engine already has, for instance from a snapshot, are skipped).
     *
     * @throws JournalCorruptedException when the journal is damaged other than by a torn tail
     * @throws IllegalStateException     when the journal starts after the engine's next sequence (a hole no replay
     *                                   can fill)
     * @throws CodecException            when a record's payload cannot be decoded by this build
     */
    public static Result replay(Path directory, Engine engine, long toSequence) {
        long start = System.nanoTime();
        Command command = new Command();
        long applied = 0;
        long lastTimestamp = engine.lastTimestamp();
        try (JournalReader reader = JournalReader.open(directory)) {
            long first = reader.firstSequence();
            if (first > engine.lastSequence() + 1) {
                throw new IllegalStateException("journal in " + directory + " starts at sequence " + first
                        + " but the engine needs " + (engine.lastSequence() + 1) + " next");
            }
            while (reader.next()) {
                long sequence = reader.sequence();
                if (sequence <= engine.lastSequence()) {
                    continue;
                }
                if (sequence > toSequence) {
                    break;
                }
                command.reset();
                reader.decode(command);
                engine.apply(command);
                applied++;
                lastTimestamp = command.timestamp;
            }
            return new Result(applied, engine.lastSequence(), lastTimestamp, reader.tornTail(),
                    System.nanoTime() - start);
        }
    }

    /** {@link #replay(Path, Engine, long)} to the end of the journal. */
    public static Result replay(Path directory, Engine engine) {
        return replay(directory, engine, Long.MAX_VALUE);
    }
}
