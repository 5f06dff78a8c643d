package io.meridian.cluster;

import io.aeron.ChannelUri;
import io.aeron.ExclusivePublication;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.archive.status.RecordingPos;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ArchiveRecording} against a real Aeron Archive: a recording of messages of random sizes (some fragmented, over
 * several 64 KiB terms and segment files) reads back exactly, from its start or from a message boundary; a recording
 * cut inside a message with no stop position (as an archive that died leaves it) reads to its last whole message; a
 * stopped recording with a segment missing is refused.
 */
class ArchiveRecordingTest {
    private static final int TERM = 64 * 1024;
    private static final int STREAM = 1_001;

    @TempDir
    Path temp;

    @Test
    void aRecordingReadsBackExactlyAndACutOneToItsLastWholeMessage() throws IOException {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        System.out.println("ArchiveRecordingTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        File archiveDir = temp.resolve("archive").toFile();
        List<byte[]> sent = new ArrayList<>();
        long recordingId = record(archiveDir, random, sent);

        ArchiveRecording.Descriptor recording = ArchiveRecording.describe(archiveDir, recordingId);
        assertNotNull(recording);
        assertTrue(recording.stopped());
        assertEquals(0, recording.startPosition());
        assertTrue(recording.stopPosition() > 3L * TERM, "several segment files: " + recording.stopPosition());
        assertNull(ArchiveRecording.describe(archiveDir, recordingId + 1));

        List<byte[]> read = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        ArchiveRecording.Read whole = ArchiveRecording.read(archiveDir, recording, 0, Long.MAX_VALUE,
                (buffer, offset, length, position) -> {
                    byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    read.add(bytes);
                    ends.add(position);
                });
        assertEquals(sent.size(), read.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), read.get(i), "message " + i);
        }
        assertEquals(new ArchiveRecording.Read(recording.stopPosition(), sent.size(), 0), whole);

        // From a message boundary in the middle.
        int middle = sent.size() / 2;
        List<byte[]> tail = new ArrayList<>();
        ArchiveRecording.read(archiveDir, recording, ends.get(middle - 1), Long.MAX_VALUE,
                (buffer, offset, length, position) -> {
                    byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    tail.add(bytes);
                });
        assertEquals(sent.size() - middle, tail.size());
        assertArrayEquals(sent.get(middle), tail.get(0));
        assertThrows(IllegalArgumentException.class, () -> ArchiveRecording.read(archiveDir, recording,
                recording.stopPosition() + 32, Long.MAX_VALUE, (buffer, offset, length, position) -> { }));

        // Cut inside the last fragmented message, with no stop position: read to the message before it.
        int lastFragmented = -1;
        for (int i = sent.size() - 1; i > 0 && lastFragmented < 0; i--) {
            if (sent.get(i).length > 4_000) {
                lastFragmented = i;
            }
        }
        assertTrue(lastFragmented > 0, "a fragmented message was sent");
        // The cut lies 2 KiB before the message's end: at least one of its fragments before it is whole.
        long previousEnd = ends.get(lastFragmented - 1);
        long cut = ends.get(lastFragmented) - 2_048;
        long base = ArchiveRecording.segmentBase(recording, cut);
        File segment = ArchiveRecording.segmentFile(archiveDir, recording, base);
        for (long later = base + recording.segmentLength(); later < recording.stopPosition();
             later += recording.segmentLength()) {
            assertTrue(ArchiveRecording.segmentFile(archiveDir, recording, later).delete());
        }
        try (RandomAccessFile file = new RandomAccessFile(segment, "rw")) {
            file.setLength(cut - base);
        }
        ArchiveRecording.Descriptor crashed = new ArchiveRecording.Descriptor(recordingId, 0,
                ArchiveRecording.NULL_POSITION, recording.termLength(), recording.segmentLength(), STREAM, "aeron:ipc");
        int[] count = {0};
        ArchiveRecording.Read cutRead = ArchiveRecording.read(archiveDir, crashed, 0, Long.MAX_VALUE,
                (buffer, offset, length, position) -> count[0]++);
        assertEquals(lastFragmented, count[0], "every message before the cut one");
        // The last whole message ends where the one before it did, or after the padding that ends its term.
        assertTrue(cutRead.position() >= previousEnd
                && cutRead.position() <= ends.get(lastFragmented) - sent.get(lastFragmented).length, cutRead.toString());
        assertTrue(cutRead.incomplete() > 0 && cutRead.position() + cutRead.incomplete() <= cut, cutRead.toString());

        // The same files under the catalog's stop position: a segment is missing, which is refused.
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> ArchiveRecording.read(
                archiveDir, recording, 0, Long.MAX_VALUE, (buffer, offset, length, position) -> { }));
        assertTrue(missing.getMessage().contains("missing") || missing.getMessage().contains("no whole frame"),
                missing.getMessage());
    }

    /**
     * Records messages of 1 byte to 8,000 bytes (the most a 64 KiB term carries is 8 KiB) on an IPC publication with
     * 64 KiB terms and segments; the recording id.
     */
    private long record(File archiveDir, SplittableRandom random, List<byte[]> sent) {
        String aeronDir = temp.resolve("driver").toString();
        MediaDriver.Context driver = new MediaDriver.Context()
                .aeronDirectoryName(aeronDir)
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true);
        Archive.Context archive = new Archive.Context()
                .aeronDirectoryName(aeronDir)
                .archiveDir(archiveDir)
                .controlChannelEnabled(false)
                .localControlChannel("aeron:ipc?term-length=64k")
                .replicationChannel("aeron:udp?endpoint=localhost:0")
                .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=localhost:0"))
                .recordingEventsEnabled(false)
                .segmentFileLength(TERM)
                .threadingMode(ArchiveThreadingMode.SHARED);
        try (ArchivingMediaDriver launched = ArchivingMediaDriver.launch(driver, archive);
             AeronArchive client = AeronArchive.connect(new AeronArchive.Context()
                     .aeronDirectoryName(aeronDir)
                     .controlRequestChannel(archive.localControlChannel())
                     .controlRequestStreamId(archive.localControlStreamId())
                     .controlResponseChannel(archive.localControlChannel()));
             ExclusivePublication publication = client.context().aeron().addExclusivePublication(
                     "aeron:ipc?term-length=64k", STREAM)) {
            String channel = ChannelUri.addSessionId("aeron:ipc?term-length=64k", publication.sessionId());
            client.startRecording(channel, STREAM, SourceLocation.LOCAL);
            CountersReader counters = client.context().aeron().countersReader();
            int counterId;
            while ((counterId = RecordingPos.findCounterIdBySession(counters, publication.sessionId(),
                    launched.archive().context().archiveId())) == CountersReader.NULL_COUNTER_ID) {
                Thread.onSpinWait();
            }
            long recordingId = RecordingPos.getRecordingId(counters, counterId);
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[8 * 1024]);
            for (int i = 0; i < 300 || publication.position() < 4L * TERM; i++) {
                int length = random.nextInt(10) == 0 ? 4_001 + random.nextInt(4_000) : 1 + random.nextInt(200);
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                buffer.putBytes(0, bytes);
                while (publication.offer(buffer, 0, length) < 0) {
                    Thread.onSpinWait();
                }
                sent.add(bytes);
            }
            while (counters.getCounterValue(counterId) < publication.position()) {
                Thread.onSpinWait();
            }
            client.stopRecording(channel, STREAM);
            return recordingId;
        }
    }
}
