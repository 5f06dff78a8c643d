package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contracts of {@code meridian replay} and {@code meridian verify}. */
class JournalCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int replay(String... args) {
        return JournalCli.replay(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int verify(String... args) {
        return JournalCli.verify(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String lastLine() {
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
        return lines[lines.length - 1];
    }

    private static long hashOf(List<Command> commands, int upTo) {
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        for (int i = 0; i < upTo; i++) {
            engine.apply(commands.get(i));
        }
        return engine.stateHash();
    }

    @Test
    void replayPrintsTheStateHashOfTheWholeJournalOrAPrefix() {
        List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, 2_000, 64);
        assertEquals(0, replay("--journal", dir.toString()));
        assertEquals("state_hash=" + JournalCli.hex(hashOf(written, 2_000)) + " commands=2000", lastLine());
        assertTrue(lastLine().matches("state_hash=[0-9a-f]{16} commands=\\d+"));
        out.reset();
        assertEquals(0, replay("--journal", dir.toString(), "--to", "777"));
        assertEquals("state_hash=" + JournalCli.hex(hashOf(written, 777)) + " commands=777", lastLine());
    }

    @Test
    void replayOfAJournalWithATornTailReportsItAndStopsBeforeIt() throws IOException {
        List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, 100, 10);
        Path segment = dir.resolve(JournalFormat.fileName(1));
        // A crash in the middle of writing record 100: the file ends 3 bytes short of it.
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(file.length() - 3);
        }
        assertEquals(0, replay("--journal", dir.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("torn tail"));
        assertEquals("state_hash=" + JournalCli.hex(hashOf(written, 99)) + " commands=99", lastLine());
    }

    @Test
    void verifyAcceptsAGoodJournalAndRefusesACorruptOne() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, 300, 10);
        assertEquals(0, verify("--journal", dir.toString()));
        assertEquals("verify=ok records=300 last_sequence=300", lastLine());
        Path segment = dir.resolve(JournalFormat.fileName(1));
        JournalTest.flip(segment, JournalTest.recordOffset(segment, 10) + JournalFormat.RECORD_HEADER_LENGTH + 1);
        out.reset();
        assertEquals(1, verify("--journal", dir.toString()));
        assertTrue(lastLine().startsWith("verify=failed journal corrupted: checksum mismatch"), lastLine());
        out.reset();
        assertEquals(1, replay("--journal", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("journal corrupted"));
    }

    @Test
    void verifyFailsOnAFlippedByteInTheLastRecordAndNamesSegmentOffsetAndSequence() throws IOException {
        JournalTest.write(dir, JournalConfig.defaults(), 1, 300, 10);
        Path segment = dir.resolve(JournalFormat.fileName(1));
        long offset = JournalTest.recordOffset(segment, 299);
        long size = java.nio.file.Files.size(segment);
        JournalTest.flip(segment, offset + JournalFormat.RECORD_HEADER_LENGTH);
        assertEquals(1, verify("--journal", dir.toString()));
        String last = lastLine();
        assertTrue(last.startsWith("verify=failed journal corrupted: checksum mismatch"), last);
        assertTrue(last.contains(segment.getFileName().toString()) && last.contains("offset " + offset)
                && last.contains("sequence 300"), last);
        out.reset();
        assertEquals(1, replay("--journal", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("offset " + offset), err.toString(StandardCharsets.UTF_8));
        assertEquals(size, java.nio.file.Files.size(segment), "the tools change nothing");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, replay());
        assertEquals(2, replay("--journal"));
        assertEquals(2, replay("--journal", dir.toString(), "--to", "x"));
        assertEquals(2, replay("--bogus", "1"));
        assertEquals(1, replay("--journal", dir.resolve("missing").toString()));
        assertEquals(2, verify());
        assertEquals(1, verify("--journal", dir.resolve("missing").toString()));
        assertTrue(lastLine().startsWith("verify=failed"));
    }

    @Test
    void verifyChecksSnapshotsAgainstTheJournalAndReplayCanStartFromOne() {
        List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, 3_000, 64);
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        SnapshotStore store = new SnapshotStore(dir);
        for (int i = 0; i < 3_000; i++) {
            engine.apply(written.get(i));
            if (i + 1 == 1_000 || i + 1 == 2_000) {
                store.persist(store.capture(engine, null));
            }
        }
        assertEquals(0, verify("--journal", dir.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("snapshot-00000000000000001000.snap: sequence 1000"), text);
        assertTrue(text.contains("snapshot-00000000000000002000.snap: sequence 2000"), text);
        out.reset();
        assertEquals(0, replay("--journal", dir.toString(), "--from-snapshot"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("(sequence 2000) loaded"));
        assertEquals("state_hash=" + JournalCli.hex(engine.stateHash()) + " commands=1000", lastLine());
        out.reset();
        assertEquals(0, replay("--journal", dir.toString(), "--from-snapshot", "--to", "1500"));
        assertEquals("state_hash=" + JournalCli.hex(hashOf(written, 1_500)) + " commands=500", lastLine());
    }

    @Test
    void verifyRefusesASnapshotThatDisagreesWithTheJournal() {
        List<Command> written = JournalTest.write(dir, JournalConfig.defaults(), 1, 500, 64);
        // A snapshot of a different history under this journal's sequence numbers.
        Engine other = new Engine(new EngineEvents() { }, EngineConfig.defaults());
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
        assertEquals(1, verify("--journal", dir.toString()));
        assertTrue(lastLine().contains("but the journal replayed to sequence 400 gives"), lastLine());
    }
}
