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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal pruning after snapshots: only segments wholly before the oldest retained snapshot go, the newest segment
 * never does, a restart still reaches the exact state, and replay and verify work on what is left.
 */
class JournalRetentionTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private List<Long> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(JournalFormat::parseFileName).filter(first -> first > 0).sorted().toList();
        }
    }

    private String lastLine() {
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
        return lines[lines.length - 1];
    }

    @Test
    void segmentsBeforeTheOldestRetainedSnapshotArePrunedAndEverythingStillRecovers() throws IOException {
        AtomicLong clock = new AtomicLong(1);
        OrderFlow flow = new OrderFlow(21);
        Command c = new Command();
        JournalConfig small = JournalConfig.defaults().withSegmentSize(16 * 1024);
        long hash;
        try (Sequencer sequencer = Sequencer.start(dir, small, new SnapshotPolicy(1_000, 2, true),
                EngineConfig.defaults(), new EngineEvents() { }, clock::incrementAndGet, 64)) {
            for (int i = 0; i < 6_000; i++) {
                sequencer.submit(flow.next(c));
            }
            sequencer.flush();
            sequencer.awaitSnapshot();
            hash = sequencer.engine().stateHash();
        }
        SnapshotStore store = new SnapshotStore(dir);
        assertEquals(2, store.list().size());
        long oldestSnapshot = SnapshotStore.parseFileName(store.list().get(1));
        List<Long> left = segments();
        assertTrue(left.get(0) > 1, "the first segments are gone: " + left);
        assertTrue(left.get(0) <= oldestSnapshot + 1, "nothing after the oldest retained snapshot is gone: " + left
                + " snapshot " + oldestSnapshot);
        assertTrue(left.size() > 1);

        // A restart: the newest snapshot plus the journal after it, the same state.
        try (Sequencer restarted = Sequencer.start(dir, small, SnapshotPolicy.NONE, EngineConfig.defaults(),
                new EngineEvents() { }, clock::incrementAndGet, 64)) {
            assertEquals(hash, restarted.engine().stateHash());
        }
        // The oldest retained snapshot alone also reaches it: its records were all kept.
        Path newest = store.list().get(0);
        Files.delete(newest);
        try (Sequencer restarted = Sequencer.start(dir, small, SnapshotPolicy.NONE, EngineConfig.defaults(),
                new EngineEvents() { }, clock::incrementAndGet, 64)) {
            assertEquals(oldestSnapshot, restarted.startReport().snapshot().sequence());
            assertEquals(hash, restarted.engine().stateHash());
        }

        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(1, JournalCli.replay(new String[] {"--journal", dir.toString()}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--from-snapshot"), err.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, JournalCli.replay(new String[] {"--journal", dir.toString(), "--from-snapshot"}, o, e));
        assertTrue(lastLine().startsWith("state_hash=" + JournalCli.hex(hash)), lastLine());
        out.reset();
        assertEquals(0, JournalCli.verify(new String[] {"--journal", dir.toString()}, o, e),
                out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("the base the pruned journal replays from"));
        assertTrue(lastLine().startsWith("verify=ok"), lastLine());

        // Without any snapshot reaching the journal's first record, verify says the journal cannot stand alone.
        Files.delete(store.list().get(0));
        out.reset();
        assertEquals(1, JournalCli.verify(new String[] {"--journal", dir.toString()}, o, e));
        assertTrue(lastLine().contains("no snapshot covers the records before it"), lastLine());
    }

    @Test
    void pruningKeepsTheNewestSegmentAndEverythingAfterTheSequence() throws IOException {
        JournalConfig small = JournalConfig.defaults().withSegmentSize(4 * 1024);
        List<Command> written = JournalTest.write(dir, small, 1, 2_000, 50);
        List<Long> before = segments();
        assertTrue(before.size() > 4, "segments: " + before);
        JournalRetention.Pruned none = JournalRetention.pruneThrough(dir, before.get(1) - 2);
        assertEquals(0, none.segments(), "the first segment still holds a record after the sequence");
        JournalRetention.Pruned some = JournalRetention.pruneThrough(dir, before.get(3) - 1);
        assertEquals(3, some.segments());
        assertEquals(before.get(3), some.firstRemainingSequence());
        assertEquals(before.subList(3, before.size()), segments());
        JournalRetention.Pruned all = JournalRetention.pruneThrough(dir, Long.MAX_VALUE);
        assertEquals(List.of(before.get(before.size() - 1)), segments(), "the newest segment is never deleted");
        assertTrue(all.bytes() > 0);
        // What is left replays onto an engine that has everything before it.
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        long first = segments().get(0);
        for (Command command : written.subList(0, (int) first - 1)) {
            engine.apply(command);
        }
        Replay.replay(dir, engine);
        assertEquals(2_000, engine.lastSequence());
    }
}
