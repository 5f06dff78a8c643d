package io.meridian.journal;

import java.nio.file.Path;

/**
 * Bytes at the end of the last segment that a crash in the middle of a write can leave behind, with no intact record
 * after them. Recovery cuts them off; read-only tools report and skip them. What qualifies is narrow (see
 * {@link JournalReader} and docs/operations.md, "Journal integrity"): the file ends inside a record or its header, or
 * the rest of the file is zeros. A record whose whole length is present but whose checksum fails is never a torn tail.
 *
 * @param segment       the last segment file
 * @param offset        where the tail starts (the end of the last intact record, or 0 for a whole segment)
 * @param length        bytes from {@code offset} to the end of the file
 * @param wholeSegment  true when even the file header is incomplete or unwritten (zeros), so the whole file goes (a
 *                      crash just after the segment was created)
 * @param cause         which crash pattern it is: {@link #CUT_HEADER}, {@link #SHORT} or {@link #ZEROS}
 */
public record TornTail(Path segment, long offset, long length, boolean wholeSegment, String cause) {
    /** The file ends inside a record header (or the segment's file header). */
    public static final String CUT_HEADER = "the file ends inside a header";
    /** The header is whole and states a possible length, and the file ends before the record does. */
    public static final String SHORT = "the file ends before the record's declared length";
    /** Every byte to the end of the file is zero: a size made durable before the data it covers. */
    public static final String ZEROS = "zero-filled to the end of the file";
}
