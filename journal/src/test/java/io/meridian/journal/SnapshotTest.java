package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots: a loaded engine continues exactly like the saved one; damaged snapshots are refused with a reason. */
class SnapshotTest {
    @TempDir
    Path dir;

    private static Engine feed(Engine engine, OrderFlow flow, long from, long to) {
        Command c = new Command();
        for (long sequence = from; sequence <= to; sequence++) {
            flow.next(c);
            c.sequence = sequence;
            c.timestamp = CrashWriter.timestamp(sequence);
            engine.apply(c);
        }
        return engine;
    }

    @Test
    void aLoadedEngineContinuesExactlyLikeTheSavedOne() {
        EventRecorder savedEvents = new EventRecorder(false);
        Engine saved = new Engine(savedEvents, EngineConfig.defaults());
        OrderFlow flow = new OrderFlow(11);
        feed(saved, flow, 1, 20_000);
        SnapshotStore store = new SnapshotStore(dir);
        SnapshotStore.Captured captured = store.capture(saved, null);
        SnapshotStore.Info info = store.persist(captured);
        assertEquals(20_000, info.sequence());

        EventRecorder loadedEvents = new EventRecorder(false);
        List<String> skipped = new ArrayList<>();
        SnapshotStore.Loaded loaded = new SnapshotStore(dir).loadNewest(loadedEvents, Long.MAX_VALUE, skipped);
        assertNotNull(loaded, skipped.toString());
        assertEquals(saved.stateHash(), loaded.engine().stateHash());

        // Both continue with the same commands: same events, same state.
        OrderFlow rest = new OrderFlow(11);
        feed(new Engine(new EngineEvents() { }, EngineConfig.defaults()), rest, 1, 20_000);
        OrderFlow restCopy = new OrderFlow(11);
        feed(new Engine(new EngineEvents() { }, EngineConfig.defaults()), restCopy, 1, 20_000);
        savedEvents.clear();
        feed(saved, rest, 20_001, 30_000);
        feed(loaded.engine(), restCopy, 20_001, 30_000);
        assertEquals(saved.stateHash(), loaded.engine().stateHash());
        List<Event> a = savedEvents.events();
        List<Event> b = loadedEvents.events();
        assertTrue(a.size() > 1_000, "events: " + a.size());
        assertEquals(a, b, "the loaded engine fires the same events to its new listener");
    }

    @Test
    void damagedSnapshotsAreSkippedWithAReasonAndAnOlderOneIsUsed() throws IOException {
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        OrderFlow flow = new OrderFlow(5);
        SnapshotStore store = new SnapshotStore(dir);
        feed(engine, flow, 1, 1_000);
        store.persist(store.capture(engine, null));
        long hashAt1000 = engine.stateHash();
        feed(engine, flow, 1_001, 2_000);
        SnapshotStore.Info newest = store.persist(store.capture(engine, null));
        JournalTest.flip(newest.path(), SnapshotStore.HEADER_LENGTH + 100);

        List<String> skipped = new ArrayList<>();
        SnapshotStore.Loaded loaded = store.loadNewest(new EngineEvents() { }, Long.MAX_VALUE, skipped);
        assertEquals(1_000, loaded.info().sequence());
        assertEquals(hashAt1000, loaded.engine().stateHash());
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).contains("payload checksum mismatch"), skipped.toString());
        assertThrows(SnapshotStore.SnapshotException.class, () -> store.verify(newest.path()));

        // A snapshot beyond the journal's end is not used either.
        skipped.clear();
        assertNull(store.loadNewest(new EngineEvents() { }, 999, skipped));
        assertEquals(2, skipped.size());
    }

    @Test
    void truncatedOrForeignFilesAreRefused() throws IOException {
        Engine engine = feed(new Engine(new EngineEvents() { }, EngineConfig.defaults()), new OrderFlow(2), 1, 100);
        SnapshotStore store = new SnapshotStore(dir);
        SnapshotStore.Info info = store.persist(store.capture(engine, null));
        try (RandomAccessFile file = new RandomAccessFile(info.path().toFile(), "rw")) {
            file.setLength(file.length() - 1);
        }
        assertTrue(assertThrows(SnapshotStore.SnapshotException.class, () -> store.verify(info.path()))
                .getMessage().contains("payload is"));
        Files.write(info.path(), new byte[10]);
        assertTrue(assertThrows(SnapshotStore.SnapshotException.class, () -> store.verify(info.path()))
                .getMessage().contains("incomplete header"));
        Files.write(info.path(), new byte[SnapshotStore.HEADER_LENGTH]);
        assertThrows(SnapshotStore.SnapshotException.class, () -> store.verify(info.path()));
    }

    @Test
    void retainKeepsTheNewest() {
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        OrderFlow flow = new OrderFlow(4);
        SnapshotStore store = new SnapshotStore(dir);
        for (int i = 0; i < 5; i++) {
            feed(engine, flow, engine.lastSequence() + 1, engine.lastSequence() + 50);
            store.persist(store.capture(engine, null));
        }
        store.retain(2);
        assertEquals(2, store.list().size());
        assertEquals(250, SnapshotStore.parseFileName(store.list().get(0)));
    }
}
