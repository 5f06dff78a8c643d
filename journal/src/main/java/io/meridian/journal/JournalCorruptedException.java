package io.meridian.journal;

import java.nio.file.Path;

/**
 * The journal is damaged somewhere a crash cannot explain: a bad record with valid records after it, a bad segment
 * that is not the last, a gap or repeat in the sequence numbers, a file header that disagrees with the file's name.
 * Recovery stops here instead of guessing which data to keep; docs/journal.md has the exact rule.
 */
public final class JournalCorruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path segment;
    private final long offset;
    private final long sequence;

    /**
     * @param reason   what is wrong, in words
     * @param segment  the segment file
     * @param offset   byte offset in the segment where the problem starts
     * @param sequence the sequence number expected there (the last good one + 1)
     */
    public JournalCorruptedException(String reason, Path segment, long offset, long sequence) {
        super("journal corrupted: " + reason + " (segment " + segment + ", offset " + offset + ", expected sequence "
                + sequence + ")");
        this.segment = segment;
        this.offset = offset;
        this.sequence = sequence;
    }

    public Path segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    /** The sequence number expected at {@link #offset()}: every record before it is intact. */
    public long sequence() {
        return sequence;
    }
}
