package io.meridian.journal;

import io.meridian.model.Command;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash damage, generated: whatever prefix of a journal's bytes survives, recovery keeps exactly the records that
 * survived whole, and a writer continues after them; a flipped byte anywhere either is refused as corruption or
 * leaves an exact prefix of what was written (it never yields a record that was not written).
 */
class JournalProperties {

    @Property(tries = 60)
    void anyCutRecoversExactlyTheWholeRecordsBeforeIt(@ForAll @IntRange(min = 1, max = 400) int records,
                                                      @ForAll @IntRange(min = 0, max = 1_000_000) int cutPerMillion)
            throws IOException {
        Path dir = Files.createTempDirectory("journal-cut");
        try {
            List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, records, 17);
            Path segment = dir.resolve(JournalFormat.fileName(1));
            long size = Files.size(segment);
            long cut = size * cutPerMillion / 1_000_000;
            try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
                file.setLength(cut);
            }
            long whole = 0;
            long end = JournalFormat.FILE_HEADER_LENGTH;
            while (whole < records && end + JournalTest.recordBytesLength(written.get((int) whole)) <= cut) {
                end += JournalTest.recordBytesLength(written.get((int) whole));
                whole++;
            }
            RecoveryReport report = Journal.recover(dir);
            assertEquals(whole, report.records(), report.toString());
            List<Command> read = JournalTest.readAll(dir);
            for (int i = 0; i < read.size(); i++) {
                assertEquals(written.get(i).toString(), read.get(i).toString());
            }
            try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
                assertEquals(whole + 1, writer.nextSequence());
            }
        } finally {
            delete(dir);
        }
    }

    @Property(tries = 60)
    void aFlippedByteIsRefusedOrLeavesAnExactPrefix(@ForAll @IntRange(min = 1, max = 200) int records,
                                                    @ForAll @IntRange(min = 0, max = 999_999) int atPerMillion)
            throws IOException {
        Path dir = Files.createTempDirectory("journal-flip");
        try {
            List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, records, 5);
            Path segment = dir.resolve(JournalFormat.fileName(1));
            JournalTest.flip(segment, Files.size(segment) * atPerMillion / 1_000_000);
            List<Command> read;
            try {
                Journal.recover(dir);
                read = JournalTest.readAll(dir);
            } catch (JournalCorruptedException e) {
                return;
            }
            assertTrue(read.size() <= written.size());
            for (int i = 0; i < read.size(); i++) {
                assertEquals(written.get(i).toString(), read.get(i).toString(), "record " + i);
            }
        } finally {
            delete(dir);
        }
    }

    /**
     * The journal-integrity rule, generated: in a journal that no crash touched, one damaged byte anywhere in the
     * records (the last one included, its length field included) is always refused as corruption, at that record's
     * offset and sequence, and never cut away as a torn tail. Only the reserved header word is not checked.
     */
    @Property(tries = 200)
    void aDamagedByteInACompleteJournalIsAlwaysCorruption(@ForAll @IntRange(min = 1, max = 200) int records,
                                                         @ForAll @IntRange(min = 0, max = 999_999) int atPerMillion,
                                                         @ForAll @IntRange(min = 1, max = 255) int mask)
            throws IOException {
        Path dir = Files.createTempDirectory("journal-damage");
        try {
            JournalTest.write(dir, JournalConfig.defaults(), 1, records, 5);
            Path segment = dir.resolve(JournalFormat.fileName(1));
            long size = Files.size(segment);
            long at = JournalFormat.FILE_HEADER_LENGTH
                    + (size - JournalFormat.FILE_HEADER_LENGTH) * atPerMillion / 1_000_000;
            int index = 0;
            while (index + 1 < records && JournalTest.recordOffset(segment, index + 1) <= at) {
                index++;
            }
            long recordOffset = JournalTest.recordOffset(segment, index);
            try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
                file.seek(at);
                int b = file.read();
                file.seek(at);
                file.write(b ^ mask);
            }
            JournalCorruptedException e = org.junit.jupiter.api.Assertions.assertThrows(
                    JournalCorruptedException.class, () -> Journal.recover(dir),
                    "byte " + at + " xor " + mask + " in record " + (index + 1) + " of " + records);
            assertEquals(recordOffset, e.offset(), e.getMessage());
            assertEquals(index + 1, e.sequence(), e.getMessage());
            assertEquals(size, Files.size(segment), "nothing was cut");
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
