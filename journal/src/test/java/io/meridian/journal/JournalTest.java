package io.meridian.journal;

import io.meridian.model.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal's file rules: append and read back, segments, reopen, torn tails cut, corruption refused. */
class JournalTest {
    @TempDir
    Path dir;

    /** Journals the first {@code n} commands of the seed-1 flow, committing every {@code batch}. */
    static List<Command> write(Path dir, JournalConfig config, long firstSequence, int n, int batch) {
        List<Command> written = new ArrayList<>();
        OrderFlow flow = new OrderFlow(1);
        try (JournalWriter writer = JournalWriter.open(dir, config)) {
            for (int i = 0; i < n; i++) {
                Command c = flow.next(new Command());
                c.sequence = writer.nextSequence();
                c.timestamp = 1_000 + c.sequence;
                assertEquals(firstSequence + i, writer.append(c));
                written.add(c);
                if ((i + 1) % batch == 0) {
                    writer.commit();
                }
            }
        }
        return written;
    }

    static List<Command> readAll(Path dir) {
        List<Command> read = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir)) {
            while (reader.next()) {
                read.add(reader.decode(new Command()));
            }
        }
        return read;
    }

    private static void assertSame(List<Command> expected, List<Command> actual) {
        assertEquals(expected.size(), actual.size(), "record count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).toString(), actual.get(i).toString(), "record " + i);
            assertEquals(expected.get(i).sequence, actual.get(i).sequence);
            assertEquals(expected.get(i).timestamp, actual.get(i).timestamp);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> JournalFormat.parseFileName(p) > 0).sorted().toList();
        }
    }

    @Test
    void appendedCommandsReadBackInOrder() {
        List<Command> written = write(dir, JournalConfig.defaults(), 1, 1_000, 7);
        assertSame(written, readAll(dir));
        RecoveryReport report = Journal.inspect(dir);
        assertEquals(1, report.firstSequence());
        assertEquals(1_000, report.lastSequence());
        assertEquals(1_000, report.records());
        assertFalse(report.hasTornTail());
    }

    @Test
    void smallSegmentsRollAndReadAcrossFiles() throws IOException {
        JournalConfig config = JournalConfig.defaults().withSegmentSize(JournalConfig.MIN_SEGMENT_SIZE);
        List<Command> written = write(dir, config, 1, 2_000, 50);
        List<Path> files = segments();
        assertTrue(files.size() > 20, "segments: " + files.size());
        for (Path file : files) {
            assertTrue(Files.size(file) <= JournalConfig.MIN_SEGMENT_SIZE, file + " is " + Files.size(file));
        }
        assertSame(written, readAll(dir));
        assertEquals(files.size(), Journal.inspect(dir).segments());
    }

    @Test
    void reopenedWriterContinuesTheSequence() {
        List<Command> first = write(dir, JournalConfig.defaults(), 1, 300, 10);
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            assertEquals(301, writer.nextSequence());
            assertEquals(first.get(299).timestamp, writer.lastTimestamp());
            Command c = new Command().deposit(1, 0, 5);
            c.sequence = 301;
            c.timestamp = first.get(299).timestamp;
            writer.append(c);
        }
        assertEquals(301, readAll(dir).size());
    }

    @Test
    void journalCanStartAtALaterSequence() {
        List<Command> written = write(dir, JournalConfig.defaults().withFirstSequence(1_001), 1_001, 10, 3);
        assertEquals(1_001, readAll(dir).get(0).sequence);
        assertEquals(10, written.size());
        assertEquals(1_001, Journal.inspect(dir).firstSequence());
    }

    @Test
    void wrongSequenceOrTimestampIsRefusedAndNothingIsAppended() {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            Command c = new Command().deposit(1, 0, 5);
            c.sequence = 2;
            c.timestamp = 10;
            assertThrows(IllegalArgumentException.class, () -> writer.append(c));
            c.sequence = 1;
            writer.append(c);
            c.sequence = 2;
            c.timestamp = 9;
            assertThrows(IllegalArgumentException.class, () -> writer.append(c));
            assertEquals(2, writer.nextSequence());
        }
        assertEquals(1, readAll(dir).size());
    }

    @Test
    void uncommittedAppendsAreNotOnDiskButCloseCommitsThem() throws IOException {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            Command c = new Command().deposit(1, 0, 5);
            c.sequence = 1;
            c.timestamp = 10;
            writer.append(c);
            assertEquals(0, writer.committedSequence());
            assertTrue(segments().isEmpty() || Journal.inspect(dir).records() == 0);
            assertEquals(1, writer.commit());
        }
        assertEquals(1, readAll(dir).size());
    }

    @Test
    void aSecondWriterIsRefused() {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            assertThrows(IllegalStateException.class, () -> JournalWriter.open(dir, JournalConfig.defaults()));
            assertThrows(IllegalStateException.class, () -> Journal.recover(dir));
            assertEquals(1, writer.nextSequence());
        }
    }

    @Test
    void tornTailIsCutToTheLastWholeRecordAndWritingContinues() throws IOException {
        List<Command> written = write(dir, JournalConfig.defaults(), 1, 100, 100);
        Path segment = segments().get(0);
        long whole = Files.size(segment);
        // A crash mid-write of record 101: its header and half its payload reached the disk.
        byte[] record = recordBytes(segment, 99);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(whole);
            file.write(record, 0, record.length - 3);
        }
        RecoveryReport inspected = Journal.inspect(dir);
        assertTrue(inspected.hasTornTail());
        assertFalse(inspected.repaired());
        assertEquals(whole + record.length - 3, Files.size(segment), "inspection changes nothing");
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            RecoveryReport report = writer.recovery();
            assertTrue(report.repaired());
            assertEquals(record.length - 3, report.truncatedBytes());
            assertEquals(100, report.lastSequence());
            assertEquals(whole, Files.size(segment));
            Command c = new Command().deposit(1, 0, 5);
            c.sequence = writer.nextSequence();
            c.timestamp = written.get(99).timestamp;
            writer.append(c);
        }
        assertEquals(101, readAll(dir).size());
        assertNull(Journal.inspect(dir).tornTail());
    }

    @Test
    void garbageAfterTheLastRecordIsCorruptionUnlessItIsCut() throws IOException {
        write(dir, JournalConfig.defaults(), 1, 50, 50);
        Path segment = segments().get(0);
        long whole = Files.size(segment);
        byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
            26, 27, 28, 29, 30};
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(whole);
            file.write(garbage);
        }
        // A complete record header with an impossible length (0x04030201) is nothing the writer or a crash leaves.
        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Journal.recover(dir));
        assertEquals(whole, e.offset());
        assertEquals(51, e.sequence());
        assertEquals(whole + 30, Files.size(segment));
        // Cut inside the header, the same bytes are what a crash leaves: a torn tail.
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(whole + 20);
        }
        RecoveryReport report = Journal.recover(dir);
        assertEquals(50, report.lastSequence());
        assertEquals(20, report.truncatedBytes());
        assertEquals(whole, Files.size(segment));
    }

    @Test
    void aNewSegmentWithATornHeaderIsRemoved() throws IOException {
        write(dir, JournalConfig.defaults(), 1, 20, 20);
        Path torn = dir.resolve(JournalFormat.fileName(21));
        Files.write(torn, new byte[] {'M', 'R', 'D'});
        RecoveryReport report = Journal.recover(dir);
        assertTrue(report.tornTail().wholeSegment());
        assertFalse(Files.exists(torn));
        assertEquals(20, report.lastSequence());
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            assertEquals(21, writer.nextSequence());
        }
    }

    @Test
    void aDamagedRecordWithIntactRecordsAfterItStopsRecovery() throws IOException {
        write(dir, JournalConfig.defaults(), 1, 100, 100);
        Path segment = segments().get(0);
        long offset = recordOffset(segment, 40);
        byte[] before = Files.readAllBytes(segment);
        flip(segment, offset + JournalFormat.RECORD_HEADER_LENGTH + 1);
        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Journal.recover(dir));
        assertEquals(41, e.sequence(), e.getMessage());
        assertEquals(offset, e.offset());
        assertThrows(JournalCorruptedException.class, () -> JournalWriter.open(dir, JournalConfig.defaults()));
        byte[] after = Files.readAllBytes(segment);
        assertEquals(before.length, after.length, "nothing was cut");
    }

    @Test
    void damageInASegmentThatIsNotTheLastStopsRecovery() throws IOException {
        write(dir, JournalConfig.defaults().withSegmentSize(JournalConfig.MIN_SEGMENT_SIZE), 1, 500, 500);
        List<Path> files = segments();
        assertTrue(files.size() > 2);
        Path first = files.get(0);
        // Cut the end of the first segment: in the last segment this would be a torn tail; here it is a hole.
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "rw")) {
            file.setLength(file.length() - 5);
        }
        assertThrows(JournalCorruptedException.class, () -> Journal.recover(dir));
    }

    @Test
    void aMissingSegmentIsAGap() throws IOException {
        write(dir, JournalConfig.defaults().withSegmentSize(JournalConfig.MIN_SEGMENT_SIZE), 1, 500, 500);
        List<Path> files = segments();
        Files.delete(files.get(1));
        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Journal.inspect(dir));
        assertTrue(e.getMessage().contains("starts at sequence"), e.getMessage());
    }

    @Test
    void aRenamedSegmentDisagreesWithItsHeader() throws IOException {
        write(dir, JournalConfig.defaults(), 1, 10, 10);
        Files.move(segments().get(0), dir.resolve(JournalFormat.fileName(5)));
        assertThrows(JournalCorruptedException.class, () -> Journal.inspect(dir));
    }

    @Test
    void fileNamesRoundTrip() {
        assertEquals("00000000000000000042.journal", JournalFormat.fileName(42));
        assertEquals(42, JournalFormat.parseFileName(Path.of("00000000000000000042.journal")));
        assertEquals(-1, JournalFormat.parseFileName(Path.of("42.journal")));
        assertEquals(-1, JournalFormat.parseFileName(Path.of("0000000000000000004x.journal")));
        assertEquals(-1, JournalFormat.parseFileName(Path.of("00000000000000000000.journal")));
        assertEquals(-1, JournalFormat.parseFileName(Path.of("99999999999999999999.journal")));
    }

    @Test
    void configRejectsNonsense() {
        JournalConfig d = JournalConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withSegmentSize(10));
        assertThrows(IllegalArgumentException.class, () -> d.withBatchBuffer(100));
        assertThrows(IllegalArgumentException.class, () -> d.withFirstSequence(0));
        assertThrows(IllegalArgumentException.class, () -> d.withDurability(null));
    }

    /** The byte offset of record {@code index} (0-based) in a segment. */
    static long recordOffset(Path segment, int index) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        long offset = JournalFormat.FILE_HEADER_LENGTH;
        for (int i = 0; i < index; i++) {
            offset += JournalFormat.RECORD_HEADER_LENGTH + littleEndianInt(bytes, (int) offset);
        }
        return offset;
    }

    static byte[] recordBytes(Path segment, int index) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        int offset = (int) recordOffset(segment, index);
        int length = JournalFormat.RECORD_HEADER_LENGTH + littleEndianInt(bytes, offset);
        byte[] record = new byte[length];
        System.arraycopy(bytes, offset, record, 0, length);
        return record;
    }

    /** The size of a command's journal record. */
    static int recordBytesLength(Command c) {
        return JournalFormat.RECORD_HEADER_LENGTH + new CommandCodec().encode(c).length;
    }

    static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x40);
        }
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    @Test
    void recordBytesHelperMatchesTheReader() throws IOException {
        write(dir, JournalConfig.defaults(), 1, 5, 5);
        Path segment = segments().get(0);
        try (JournalReader reader = JournalReader.open(dir)) {
            for (int i = 0; i < 5; i++) {
                assertTrue(reader.next());
                assertEquals(recordOffset(segment, i), reader.recordOffset());
                assertEquals(JournalFormat.RECORD_HEADER_LENGTH + reader.payloadLength(),
                        recordBytes(segment, i).length);
            }
        }
    }
}
