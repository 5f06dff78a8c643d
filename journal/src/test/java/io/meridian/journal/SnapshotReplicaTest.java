package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots by a replica: the live engine never pauses, every snapshot file is the state the journal gives at its
 * sequence, a start loads the newest one, and an explicit request is served at the current sequence.
 */
class SnapshotReplicaTest {
    @TempDir
    Path dir;

    private static Sequencer start(Path dir, SnapshotPolicy policy, AtomicLong clock) {
        return Sequencer.start(dir, JournalConfig.defaults(), policy, EngineConfig.defaults(), new EngineEvents() { },
                clock::incrementAndGet, 64);
    }

    /** The state hash the journal gives at {@code sequence}, by replaying its first records into a fresh engine. */
    private static long hashAt(List<Command> journal, long sequence) {
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        for (Command c : journal) {
            if (c.sequence > sequence) {
                break;
            }
            engine.apply(c);
        }
        assertEquals(sequence, engine.lastSequence());
        return engine.stateHash();
    }

    @Test
    void theReplicaSnapshotsWhileTheLiveEngineNeverPauses() {
        AtomicLong clock = new AtomicLong(1);
        OrderFlow flow = new OrderFlow(21);
        Command c = new Command();
        long hash;
        SnapshotPolicy policy = new SnapshotPolicy(700, 3).withReplica(true);
        try (Sequencer sequencer = start(dir, policy, clock)) {
            for (int i = 0; i < 6_000; i++) {
                sequencer.submit(flow.next(c));
                if (i % 50 == 0) {
                    sequencer.flush();
                }
            }
            sequencer.flush();
            // Every command the live engine applied reaches the replica; its snapshots are written in the background.
            sequencer.snapshot();
            SnapshotStore.Info last = sequencer.awaitSnapshot();
            assertEquals(6_000, last.sequence(), "an explicit request is served at the current sequence");
            assertEquals(0, sequencer.maxSnapshotPauseNanos(), "the live engine never copied itself");
            assertTrue(sequencer.replicaMaxCaptureNanos() > 0, "the replica did");
            assertEquals(9, sequencer.snapshotsTaken(), "every 700 commands exactly, then the requested one");
            assertEquals(0, sequencer.replicaLag());
            hash = sequencer.engine().stateHash();
            assertEquals(last.stateHash(), hash, "the newest snapshot is the live state");
        }
        List<Command> journal = JournalTest.readAll(dir);
        SnapshotStore store = new SnapshotStore(dir);
        List<Path> kept = store.list();
        assertEquals(List.of(6_000L, 5_600L, 4_900L), kept.stream().map(SnapshotStore::parseFileName).toList(),
                "retain 3, at multiples of 700 whatever the batching, and the requested one");
        for (Path file : kept) {
            SnapshotStore.Info info = store.verify(file);
            assertEquals(hashAt(journal, info.sequence()), info.stateHash(), "snapshot at " + info.sequence());
        }

        try (Sequencer restarted = start(dir, SnapshotPolicy.NONE, clock)) {
            assertEquals(6_000, restarted.startReport().snapshot().sequence());
            assertEquals(0, restarted.startReport().replayed());
            assertEquals(hash, restarted.engine().stateHash());
        }
    }

    @Test
    void aRestartedReplicaStartsFromTheLoadedStateAndCarriesOn() {
        AtomicLong clock = new AtomicLong(1);
        OrderFlow flow = new OrderFlow(5);
        Command c = new Command();
        SnapshotPolicy policy = new SnapshotPolicy(1_000, 2).withReplica(true);
        try (Sequencer sequencer = start(dir, policy, clock)) {
            for (int i = 0; i < 2_500; i++) {
                sequencer.submit(flow.next(c));
            }
        }
        long hash;
        try (Sequencer restarted = start(dir, policy, clock)) {
            assertEquals(2_000, restarted.startReport().snapshot().sequence());
            assertEquals(500, restarted.startReport().replayed());
            for (int i = 0; i < 1_000; i++) {
                restarted.submit(flow.next(c));
            }
            restarted.flush();
            hash = restarted.engine().stateHash();
        }
        List<Command> journal = JournalTest.readAll(dir);
        SnapshotStore store = new SnapshotStore(dir);
        SnapshotStore.Info newest = store.verify(store.list().get(0));
        assertEquals(3_000, newest.sequence(), "1,000 after the loaded snapshot");
        assertEquals(hashAt(journal, 3_000), newest.stateHash());
        assertEquals(hashAt(journal, 3_500), hash);
    }
}
