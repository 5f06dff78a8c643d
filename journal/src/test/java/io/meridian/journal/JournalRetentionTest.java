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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal pruning after snapshots: only segments wholly before the oldest retained snapshot go, the newest segment
 * never does, a restart still reaches the exact state, and replay and verify work on what is left.
 */
class JournalRetentionTest {
    @TempDir
    Path dir;

    private List<Long> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(JournalFormat::parseFileName).filter(first -> first > 0).sorted().toList();
        }
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

        // A replay from the start cannot fill the hole (meridian replay then points to --from-snapshot) ...
        assertThrows(IllegalStateException.class, () -> Replay.replay(dir, new Engine(new EngineEvents() { },
                EngineConfig.defaults())));
        // ... and one from the newest snapshot reaches the state.
        SnapshotStore.Loaded loaded = store.loadNewest(new EngineEvents() { }, Long.MAX_VALUE, new ArrayList<>());
        Replay.replay(dir, loaded.engine());
        assertEquals(hash, loaded.engine().stateHash());
        List<JournalVerifier.SnapshotVerdict> verdicts = new ArrayList<>();
        JournalVerifier.Listener listener = new JournalVerifier.Listener() {
            @Override
            public void snapshot(JournalVerifier.SnapshotCheck check) {
                verdicts.add(check.verdict());
            }
        };
        JournalVerifier.Result verified = JournalVerifier.verify(dir, null, listener);
        assertTrue(verified.ok(), verified.failure());
        assertEquals(JournalVerifier.SnapshotVerdict.BASE, verdicts.get(0), "the base the pruned journal replays from");

        // Without any snapshot reaching the journal's first record, verify says the journal cannot stand alone.
        Files.delete(store.list().get(0));
        String failure = JournalVerifier.verify(dir, null, JournalVerifier.Listener.NONE).failure();
        assertTrue(failure.contains("no snapshot covers the records before it"), failure);
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
