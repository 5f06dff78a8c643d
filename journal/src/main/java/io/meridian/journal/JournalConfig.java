package io.meridian.journal;

/**
 * Settings of a {@link JournalWriter}.
 *
 * @param durability     what {@link JournalWriter#commit()} guarantees; {@link Durability#GROUP_COMMIT} by default
 * @param segmentSize    a segment is closed and a new one started before a record would take it past this many bytes
 *                       (a record larger than that gets a segment of its own); 64 MiB by default
 * @param batchBuffer    bytes of appends held in memory before they are written; a full buffer is written to the file
 *                       early, but is still forced only by {@code commit()}; 4 MiB by default
 * @param firstSequence  sequence number the first record of an empty journal must carry; 1 by default
 */
public record JournalConfig(Durability durability, long segmentSize, int batchBuffer, long firstSequence) {
    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    public static final int DEFAULT_BATCH_BUFFER = 4 << 20;
    /** Smallest accepted segment size: small enough to force rolls in tests, large enough to be sane. */
    public static final long MIN_SEGMENT_SIZE = 1024;
    /** Segments are memory-mapped when read, so one must stay well below 2 GiB. */
    public static final long MAX_SEGMENT_SIZE = 1L << 30;

    public JournalConfig {
        if (durability == null) {
            throw new IllegalArgumentException("durability is required");
        }
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segmentSize must be between " + MIN_SEGMENT_SIZE + " and "
                    + MAX_SEGMENT_SIZE + ": " + segmentSize);
        }
        if (batchBuffer < JournalFormat.MAX_RECORD) {
            throw new IllegalArgumentException("batchBuffer must hold the largest record (" + JournalFormat.MAX_RECORD
                    + " bytes): " + batchBuffer);
        }
        if (firstSequence < 1) {
            throw new IllegalArgumentException("firstSequence must be positive: " + firstSequence);
        }
    }

    public static JournalConfig defaults() {
        return new JournalConfig(Durability.GROUP_COMMIT, DEFAULT_SEGMENT_SIZE, DEFAULT_BATCH_BUFFER, 1);
    }

    public JournalConfig withDurability(Durability value) {
        return new JournalConfig(value, segmentSize, batchBuffer, firstSequence);
    }

    public JournalConfig withSegmentSize(long bytes) {
        return new JournalConfig(durability, bytes, batchBuffer, firstSequence);
    }

    public JournalConfig withBatchBuffer(int bytes) {
        return new JournalConfig(durability, segmentSize, bytes, firstSequence);
    }

    public JournalConfig withFirstSequence(long sequence) {
        return new JournalConfig(durability, segmentSize, batchBuffer, sequence);
    }
}
