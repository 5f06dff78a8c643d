package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code meridian replay} and {@code meridian verify} rest on: a replay reaches the journal's state (or a prefix's),
 * and {@link JournalVerifier} accepts an intact journal with its snapshots and names the first problem of a damaged
 * one. (The commands' output and exit codes: the app's JournalCliTest.)
 */
class JournalVerifierTest {
    @TempDir
    Path dir;

    /** Everything a verification reported, in order. */
    private final List<String> heard = new ArrayList<>();
    private final List<JournalVerifier.SnapshotCheck> snapshots = new ArrayList<>();

    private JournalVerifier.Result verify() {
        heard.clear();
        snapshots.clear();
        return JournalVerifier.verify(dir, null, new JournalVerifier.Listener() {
            @Override
            public void segment(SegmentInfo segment) {
                heard.add("segment " + segment.path().getFileName() + " " + segment.records());
            }

            @Override
            public void tornTail(TornTail tail) {
                heard.add("torn tail " + tail.length());
            }

            @Override
            public void pruned(long firstSequence) {
                heard.add("pruned " + firstSequence);
            }

            @Override
            public void settings(boolean pinned) {
                heard.add("settings " + pinned);
            }

            @Override
            public void snapshot(JournalVerifier.SnapshotCheck check) {
                heard.add("snapshot " + check.sequence());
                snapshots.add(check);
            }

            @Override
            public void signatures(String summary) {
                heard.add("signatures");
            }
        });
    }

    private static Engine fresh() {
        return new Engine(new EngineEvents() { }, EngineConfig.defaults());
    }

    private static long hashOf(List<Command> commands, int upTo) {
        Engine engine = fresh();
        for (int i = 0; i < upTo; i++) {
            engine.apply(commands.get(i));
        }
        return engine.stateHash();
    }

    @Test
    void replayReachesTheStateOfTheWholeJournalOrAPrefix() {
        List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, 2_000, 64);
        Engine whole = fresh();
        assertEquals(2_000, Replay.replay(dir, whole).commands());
        assertEquals(hashOf(written, 2_000), whole.stateHash());
        Engine prefix = fresh();
        assertEquals(777, Replay.replay(dir, prefix, 777).commands());
        assertEquals(hashOf(written, 777), prefix.stateHash());
    }

    @Test
    void replayOfAJournalWithATornTailReportsItAndStopsBeforeIt() throws IOException {
        List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, 100, 10);
        Path segment = dir.resolve(JournalFormat.fileName(1));
        // A crash in the middle of writing record 100: the file ends 3 bytes short of it.
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(file.length() - 3);
        }
        Engine engine = fresh();
        Replay.Result result = Replay.replay(dir, engine);
        assertNotNull(result.tornTail());
        assertEquals(99, result.commands());
        assertEquals(hashOf(written, 99), engine.stateHash());
        JournalVerifier.Result verified = verify();
        assertTrue(verified.ok(), verified.failure());
        assertEquals(List.of("segment " + segment.getFileName() + " 99", "torn tail " + result.tornTail().length(),
                "settings false"), heard);
    }

    @Test
    void verifyAcceptsAGoodJournalAndRefusesACorruptOne() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, 300, 10);
        JournalVerifier.Result ok = verify();
        assertEquals(new JournalVerifier.Result(null, 300, 300, 0), ok);
        assertTrue(ok.ok());
        assertEquals(List.of("segment " + JournalFormat.fileName(1) + " 300", "settings false"), heard);
        Path segment = dir.resolve(JournalFormat.fileName(1));
        JournalTest.flip(segment, JournalTest.recordOffset(segment, 10) + JournalFormat.RECORD_HEADER_LENGTH + 1);
        JournalVerifier.Result corrupt = verify();
        assertFalse(corrupt.ok());
        assertTrue(corrupt.failure().startsWith("journal corrupted: checksum mismatch"), corrupt.failure());
        assertEquals(List.of(), heard, "nothing is reported before the records all read");
        assertThrows(JournalCorruptedException.class, () -> Replay.replay(dir, fresh()));
    }

    @Test
    void verifyFailsOnAFlippedByteInTheLastRecordAndNamesSegmentOffsetAndSequence() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, 300, 10);
        Path segment = dir.resolve(JournalFormat.fileName(1));
        long offset = JournalTest.recordOffset(segment, 299);
        long size = Files.size(segment);
        JournalTest.flip(segment, offset + JournalFormat.RECORD_HEADER_LENGTH);
        String failure = verify().failure();
        assertTrue(failure.startsWith("journal corrupted: checksum mismatch"), failure);
        assertTrue(failure.contains(segment.getFileName().toString()) && failure.contains("offset " + offset)
                && failure.contains("sequence 300"), failure);
        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Replay.replay(dir, fresh()));
        assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
        assertEquals(size, Files.size(segment), "verifying and replaying change nothing");
    }

    @Test
    void aMissingDirectoryIsAFailure() {
        dir = dir.resolve("missing");
        assertEquals("no journal directory " + dir, verify().failure());
    }

    @Test
    void verifyChecksSnapshotsAgainstTheJournalOldestFirst() {
        List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, 3_000, 64);
        Engine engine = fresh();
        SnapshotStore store = new SnapshotStore(dir);
        long[] hashes = new long[2];
        for (int i = 0; i < 3_000; i++) {
            engine.apply(written.get(i));
            if (i + 1 == 1_000 || i + 1 == 2_000) {
                store.persist(store.capture(engine, null));
                hashes[i / 1_000] = engine.stateHash();
            }
        }
        JournalVerifier.Result result = verify();
        assertTrue(result.ok(), result.failure());
        JournalVerifier.SnapshotVerdict matches = JournalVerifier.SnapshotVerdict.MATCHES;
        assertEquals(List.of(new JournalVerifier.SnapshotCheck(store.list().get(1), 1_000, hashes[0], matches),
                new JournalVerifier.SnapshotCheck(store.list().get(0), 2_000, hashes[1], matches)), snapshots);
        assertEquals("snapshot-00000000000000001000.snap", snapshots.get(0).file().getFileName().toString());
    }

    @Test
    void verifyRefusesASnapshotThatDisagreesWithTheJournal() {
        List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, 500, 64);
        // A snapshot of a different history under this journal's sequence numbers.
        Engine other = fresh();
        OrderFlow flow = new OrderFlow(99);
        Command c = new Command();
        for (long sequence = 1; sequence <= 400; sequence++) {
            flow.next(c);
            c.sequence = sequence;
            c.timestamp = written.get((int) sequence - 1).timestamp;
            other.apply(c);
        }
        SnapshotStore store = new SnapshotStore(dir);
        store.persist(store.capture(other, null));
        String failure = verify().failure();
        assertTrue(failure.contains("but the journal replayed to sequence 400 gives"), failure);
        assertTrue(snapshots.isEmpty());
    }
}
