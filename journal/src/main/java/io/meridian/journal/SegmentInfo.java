package io.meridian.journal;

import java.nio.file.Path;

/**
 * One segment as a {@link JournalReader} found it.
 *
 * @param path          the file
 * @param firstSequence the first sequence its name (and header) states
 * @param records       intact records read from it
 * @param validLength   bytes up to the end of its last intact record (the file length unless a torn tail follows)
 * @param fileLength    the file's length when it was opened
 */
public record SegmentInfo(Path path, long firstSequence, long records, long validLength, long fileLength) {
}
