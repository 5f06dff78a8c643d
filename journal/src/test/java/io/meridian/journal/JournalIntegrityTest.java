package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal integrity (docs/operations.md, "Journal integrity"): a record whose whole declared length is in the file but
 * whose checksum fails is corruption, never a torn tail, even when it is the last one; only a file that ends inside a
 * record (or its header), or an all-zero tail, is a tear that recovery may cut; a damaged length field cannot pass a
 * complete record off as a tear. And the single-writer lock survives its file being deleted.
 */
class JournalIntegrityTest {
    private static final int RECORDS = 100;
    /** XOR masks applied to a byte: a low bit, a middle bit, the sign bit, every bit. */
    private static final int[] MASKS = {0x01, 0x40, 0x80, 0xFF};

    @TempDir
    Path dir;

    private Path segment() {
        return dir.resolve(JournalFormat.fileName(1));
    }

    private static void xor(Path file, long offset, int mask) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ mask);
        }
    }

    private static void putLength(Path file, long recordOffset, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(recordOffset + JournalFormat.R_LENGTH);
            f.write(ByteBuffer.allocate(4).order(JournalFormat.ORDER).putInt(length).array());
        }
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length());
            f.write(bytes);
        }
    }

    private static void assertCorruptAt(JournalCorruptedException e, Path segment, long offset, long sequence,
                                        String where) {
        assertEquals(segment, e.segment(), where + ": " + e.getMessage());
        assertEquals(offset, e.offset(), where + ": " + e.getMessage());
        assertEquals(sequence, e.sequence(), where + ": " + e.getMessage());
        String message = e.getMessage();
        assertTrue(message.contains(segment.getFileName().toString()), where + ": " + message);
        assertTrue(message.contains("offset " + offset), where + ": " + message);
        assertTrue(message.contains("sequence " + sequence), where + ": " + message);
    }

    @Test
    void aFlippedByteAnywhereInTheLastCompleteRecordIsCorruptionAndNothingIsCut() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, RECORDS, 10);
        Path segment = segment();
        long offset = JournalTest.recordOffset(segment, RECORDS - 1);
        int length = JournalTest.recordBytes(segment, RECORDS - 1).length;
        byte[] original = Files.readAllBytes(segment);
        assertEquals(original.length, offset + length, "the record is the last thing in the file");
        for (int i = 0; i < length; i++) {
            for (int mask : MASKS) {
                String where = "byte " + i + " of the last record xor 0x" + Integer.toHexString(mask);
                xor(segment, offset + i, mask);
                byte[] damaged = Files.readAllBytes(segment);
                JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                        () -> Journal.recover(dir), where);
                assertCorruptAt(e, segment, offset, RECORDS, where);
                assertArrayEquals(damaged, Files.readAllBytes(segment), where + ": recovery changed the file");
                assertThrows(JournalCorruptedException.class, () -> Journal.inspect(dir), where);
                Files.write(segment, original);
            }
        }
        // The same damage stops a writer, which is what the node opens.
        xor(segment, offset + JournalFormat.RECORD_HEADER_LENGTH, 0x40);
        assertThrows(JournalCorruptedException.class, () -> JournalWriter.open(dir, JournalConfig.defaults()));
        assertEquals(original.length, Files.size(segment));
        Files.write(segment, original);
        assertEquals(RECORDS, Journal.recover(dir).lastSequence(), "the undamaged journal is whole");
    }

    @Test
    void aDamagedLastCompleteRecordIsCorruptionEvenWithATornRecordAfterIt() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, RECORDS, RECORDS);
        Path segment = segment();
        long offset = JournalTest.recordOffset(segment, RECORDS - 1);
        // A crash while the next batch was written: 30 bytes of a record follow the last complete one.
        append(segment, Arrays.copyOf(JournalTest.recordBytes(segment, RECORDS - 1), 30));
        RecoveryReport torn = Journal.inspect(dir);
        assertEquals(RECORDS, torn.lastSequence());
        assertTrue(torn.hasTornTail());
        xor(segment, offset + JournalFormat.RECORD_HEADER_LENGTH + 1, 0x40);
        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Journal.recover(dir));
        assertCorruptAt(e, segment, offset, RECORDS, "damaged last record before a torn one");
    }

    @Test
    void aFileThatEndsInsideTheLastRecordIsATornTailAtEveryCutPoint() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, RECORDS, RECORDS);
        Path segment = segment();
        byte[] original = Files.readAllBytes(segment);
        long offset = JournalTest.recordOffset(segment, RECORDS - 1);
        for (int cut = (int) offset + 1; cut < original.length; cut++) {
            String where = "cut at " + cut + " (record at " + offset + ")";
            Files.write(segment, Arrays.copyOf(original, cut));
            RecoveryReport report = Journal.recover(dir);
            assertTrue(report.repaired(), where);
            assertEquals(RECORDS - 1, report.lastSequence(), where);
            assertEquals(cut - offset, report.truncatedBytes(), where);
            assertEquals(offset, report.tornTail().offset(), where);
            assertFalse(report.tornTail().wholeSegment(), where);
            assertEquals(offset, Files.size(segment), where + ": truncated to the last whole record");
            assertEquals(RECORDS - 1, JournalTest.readAll(dir).size(), where);
        }
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        Replay.Result replayed = Replay.replay(dir, engine);
        assertEquals(RECORDS - 1, replayed.commands());
        assertNull(replayed.tornTail());
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            assertEquals(RECORDS, writer.nextSequence(), "writing continues where the intact prefix ends");
        }
    }

    @Test
    void aFlippedByteInAMiddleRecordIsCorruption() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, RECORDS, 10);
        Path segment = segment();
        int index = 49;
        long offset = JournalTest.recordOffset(segment, index);
        int length = JournalTest.recordBytes(segment, index).length;
        byte[] original = Files.readAllBytes(segment);
        for (int i = 0; i < length; i++) {
            String where = "byte " + i + " of record " + (index + 1);
            xor(segment, offset + i, 0x40);
            JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                    () -> Journal.recover(dir), where);
            assertCorruptAt(e, segment, offset, index + 1, where);
            Files.write(segment, original);
        }
    }

    @Test
    void aLengthFieldDamagedToReachPastTheEndCannotPassTheLastRecordOffAsATear() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, RECORDS, RECORDS);
        Path segment = segment();
        byte[] original = Files.readAllBytes(segment);
        long offset = JournalTest.recordOffset(segment, RECORDS - 1);
        int payload = JournalTest.recordBytes(segment, RECORDS - 1).length - JournalFormat.RECORD_HEADER_LENGTH;
        int[] lengths = {payload + 1, payload + 1_000, payload + 65_536, JournalFormat.MAX_PAYLOAD,
            JournalFormat.MAX_PAYLOAD + 1, Integer.MAX_VALUE, -1, 0, 2, payload - 1};
        for (int length : lengths) {
            String where = "length field " + payload + " -> " + length;
            putLength(segment, offset, length);
            JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                    () -> Journal.recover(dir), where);
            assertCorruptAt(e, segment, offset, RECORDS, where);
            assertArrayEquals(patched(original, offset, length), Files.readAllBytes(segment), where);
            Files.write(segment, original);
        }
        // And the same damage with a torn record after it (the crash hit the next batch): still corruption.
        append(segment, Arrays.copyOf(JournalTest.recordBytes(segment, 10), 20));
        putLength(segment, offset, payload + 500);
        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Journal.recover(dir));
        assertCorruptAt(e, segment, offset, RECORDS, "length past the end, torn record after");
        assertTrue(e.getMessage().contains("length field"), e.getMessage());
    }

    private static byte[] patched(byte[] original, long offset, int length) {
        byte[] copy = original.clone();
        ByteBuffer.wrap(copy).order(JournalFormat.ORDER).putInt((int) offset + JournalFormat.R_LENGTH, length);
        return copy;
    }

    @Test
    void aLengthFieldDamagedInAMiddleRecordIsCorruption() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, RECORDS, 10);
        Path segment = segment();
        long offset = JournalTest.recordOffset(segment, 30);
        putLength(segment, offset, 200_000);
        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Journal.recover(dir));
        assertCorruptAt(e, segment, offset, 31, "length of record 31");
    }

    /**
     * The other direction: a record cut by a crash whose header announces a large payload (every candidate shorter
     * length is checked for a hidden complete record) is still a tear at every cut.
     */
    @Test
    void aTornRecordThatAnnouncesALargePayloadIsStillATear() throws IOException {
        long seed = Long.getLong("integrity.seed", System.nanoTime());
        System.out.println("aTornRecordThatAnnouncesALargePayloadIsStillATear seed=" + seed + " (rerun with"
                + " -Dintegrity.seed=" + seed + ")");
        Random random = new Random(seed);
        JournalTest.write(dir, JournalConfig.defaults(), 1, RECORDS, RECORDS);
        Path segment = segment();
        long whole = Files.size(segment);
        int payload = 20_000;
        byte[] record = new byte[JournalFormat.RECORD_HEADER_LENGTH + payload];
        random.nextBytes(record);
        ByteBuffer header = ByteBuffer.wrap(record).order(JournalFormat.ORDER);
        header.putInt(JournalFormat.R_LENGTH, payload);
        header.putLong(JournalFormat.R_SEQUENCE, RECORDS + 1);
        header.putLong(JournalFormat.R_TIMESTAMP, 1_000 + RECORDS + 1);
        record[JournalFormat.RECORD_HEADER_LENGTH] = 1; // the codec's format version byte
        CRC32C crc = new CRC32C();
        crc.update(record, JournalFormat.R_CRC_FROM, record.length - JournalFormat.R_CRC_FROM);
        header.putInt(JournalFormat.R_CRC, (int) crc.getValue());
        byte[] base = Files.readAllBytes(segment);
        for (int cut : new int[] {JournalFormat.RECORD_HEADER_LENGTH, JournalFormat.RECORD_HEADER_LENGTH + 3,
            4_096, 4_096 + random.nextInt(10_000), record.length - 1}) {
            Files.write(segment, base);
            append(segment, Arrays.copyOf(record, cut));
            RecoveryReport report = Journal.recover(dir);
            assertEquals(RECORDS, report.lastSequence(), "cut " + cut);
            assertEquals(cut, report.truncatedBytes(), "cut " + cut);
            assertEquals(whole, Files.size(segment));
        }
    }

    @Test
    void anAllZeroTailIsATearButImpossibleGarbageIsCorruption() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, RECORDS, RECORDS);
        Path segment = segment();
        long whole = Files.size(segment);
        // A power cut after the file's new size reached the disk but not its data: the tail reads as zeros.
        append(segment, new byte[8_192]);
        RecoveryReport report = Journal.recover(dir);
        assertEquals(RECORDS, report.lastSequence());
        assertEquals(8_192, report.truncatedBytes());
        assertEquals(whole, Files.size(segment));
        // Bytes that no writer wrote and no crash leaves: a complete header with an impossible length.
        byte[] garbage = new byte[40];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i + 1);
        }
        append(segment, garbage);
        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Journal.recover(dir));
        assertCorruptAt(e, segment, whole, RECORDS + 1, "garbage tail");
        assertEquals(whole + garbage.length, Files.size(segment), "nothing was cut");
    }

    @Test
    void aZeroFilledNewSegmentIsRemovedButADamagedCompleteHeaderIsCorruption() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, 20, 20);
        Path next = dir.resolve(JournalFormat.fileName(21));
        Files.write(next, new byte[JournalFormat.FILE_HEADER_LENGTH + 100]);
        RecoveryReport report = Journal.recover(dir);
        assertTrue(report.tornTail().wholeSegment());
        assertFalse(Files.exists(next));
        byte[] header = JournalFormat.fileHeader(21).array();
        header[JournalFormat.H_FIRST_SEQUENCE] ^= 0x40;
        Files.write(next, header);
        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Journal.recover(dir));
        assertEquals(next, e.segment());
        assertEquals(0, e.offset());
        assertEquals(21, e.sequence());
        assertTrue(Files.exists(next), "nothing was deleted");
    }

    // ---- the single-writer lock ----

    private static String probe(Path directory) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), directory.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "probe finished");
        return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private static void appendOne(JournalWriter writer) {
        Command c = new Command().deposit(1, 0, 5);
        c.sequence = writer.nextSequence();
        c.timestamp = 1_000;
        writer.append(c);
        writer.commit();
    }

    @Test
    void deletingTheLockFileDoesNotLetAnotherProcessOpenARunningJournal() throws Exception {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            appendOne(writer);
            Files.delete(dir.resolve(Journal.LOCK_FILE));
            String answer = probe(dir);
            assertTrue(answer.startsWith("REFUSED"), answer);
            assertTrue(answer.contains(Journal.LOCK_FILE) && answer.contains("missing"), answer);
            assertFalse(Files.exists(dir.resolve(Journal.LOCK_FILE)), "the probe did not recreate the lock file");
            appendOne(writer);
        }
        assertEquals(2, JournalTest.readAll(dir).size());
    }

    @Test
    void aSecondWriterRefusedInThisProcessLeavesTheLockHeld() throws Exception {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            appendOne(writer);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JournalWriter.open(dir, JournalConfig.defaults()));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Journal.recover(dir));
            // POSIX drops a process's lock when any of its descriptors of the file closes: the refused attempts above
            // must not have opened (and closed) the lock file, or this other process would now get the journal.
            String answer = probe(dir);
            assertTrue(answer.startsWith("REFUSED") && answer.contains("another writer"), answer);
        }
        assertTrue(probe(dir).startsWith("OPENED"), "closed: another process may open it");
    }

    @Test
    void aJournalWithoutItsLockFileIsRefusedUntilTheOperatorRecreatesIt() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, 5, 5);
        Path lock = dir.resolve(Journal.LOCK_FILE);
        assertTrue(Files.exists(lock), "created with the journal");
        Files.delete(lock);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JournalWriter.open(dir, JournalConfig.defaults()));
        assertTrue(e.getMessage().contains(Journal.LOCK_FILE + " is missing"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Journal.recover(dir));
        assertFalse(Files.exists(lock), "a refused open does not recreate it");
        assertEquals(5, Journal.inspect(dir).lastSequence(), "read-only tools need no lock");
        Files.createFile(lock);
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            assertEquals(6, writer.nextSequence());
        }
    }

    @Test
    void pinnedSettingsAloneMakeADirectoryAJournalThatNeedsItsLockFile() {
        EngineSettings.write(dir, EngineConfig.defaults());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JournalWriter.open(dir, JournalConfig.defaults()));
        assertTrue(e.getMessage().contains(Journal.LOCK_FILE), e.getMessage());
    }

    @Test
    void aNewDirectoryGetsItsLockFileAndAnExistingJournalWithOneReopens() {
        Path fresh = dir.resolve("fresh");
        try (JournalWriter writer = JournalWriter.open(fresh, JournalConfig.defaults())) {
            assertTrue(Files.exists(fresh.resolve(Journal.LOCK_FILE)));
            appendOne(writer);
        }
        // A journal as this or an older build leaves it: segments and journal.lock.
        try (JournalWriter writer = JournalWriter.open(fresh, JournalConfig.defaults())) {
            assertEquals(2, writer.nextSequence());
        }
    }
}
