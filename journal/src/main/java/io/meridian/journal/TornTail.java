package io.meridian.journal;

import java.nio.file.Path;

/**
 * Bytes at the end of the last segment that do not form an intact record and have no intact record after them: what
 * a crash in the middle of a write leaves behind. Recovery cuts them off; read-only tools report and skip them.
 *
 * @param segment       the last segment file
 * @param offset        where the tail starts (the end of the last intact record, or 0 for a whole segment)
 * @param length        bytes from {@code offset} to the end of the file
 * @param wholeSegment  true when even the file header is incomplete or damaged, so the whole file goes (a crash just
 *                      after the segment was created)
 */
public record TornTail(Path segment, long offset, long length, boolean wholeSegment) {
}
