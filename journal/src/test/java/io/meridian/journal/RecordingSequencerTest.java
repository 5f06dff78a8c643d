package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sequencer that records commands sequenced and applied elsewhere (a cluster's gateway): the journal continues after
 * a snapshot of someone else's engine, takes its own snapshots, restarts through {@link Sequencer#start} to the same
 * state, and verifies.
 */
class RecordingSequencerTest {
    @TempDir
    Path dir;

    /** Stamps and applies {@code count} commands of {@code flow} to {@code engine}, as a cluster's member would. */
    private static void applyOthers(Engine engine, OrderFlow flow, int count, Sequencer recorder) {
        Command c = new Command();
        for (int i = 0; i < count; i++) {
            flow.next(c);
            c.sequence = engine.lastSequence() + 1;
            c.timestamp = 1_000 + c.sequence * 7;
            if (recorder != null) {
                recorder.record(c);
            }
            engine.apply(c);
            if (recorder != null && i % 53 == 0) {
                recorder.flush();
            }
        }
    }

    @Test
    void aJournalRecordedAfterAForeignSnapshotRestartsAndVerifiesToTheSameState() {
        OrderFlow flow = new OrderFlow(11);
        // "The cluster": an engine that applied 1,000 commands before this journal existed.
        Engine cluster = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        applyOthers(cluster, flow, 1_000, null);
        // The gateway's copy, from a snapshot of it, which begins the journal.
        SnapshotStore.Captured captured = new SnapshotStore(dir).capture(cluster, null);
        Engine copy = EngineSnapshots.read(captured.payload(), 0, captured.length(), new EngineEvents() { });
        JournalConfig config = JournalConfig.defaults().withDurability(Durability.NONE).withSegmentSize(64 * 1024);
        long hash;
        try (Sequencer recorder = Sequencer.begin(dir, config, new SnapshotPolicy(700, 2), copy, () -> 0L, 64)) {
            assertEquals(1_001, recorder.writer().nextSequence());
            Command first = new Command().deposit(1, 0, 1);
            first.sequence = 1_001;
            first.timestamp = 1_000 + 1_001 * 7;
            recorder.record(first);
            copy.apply(first);
            assertThrows(IllegalStateException.class, () -> recorder.submit(new Command().deposit(1, 0, 1)),
                    "no stamping while recorded commands wait");
            recorder.flush();
            applyOthers(copy, flow, 2_499, recorder);
            recorder.flush();
            assertTrue(recorder.snapshotsTaken() >= 3, "snapshots by the policy: " + recorder.snapshotsTaken());
            Command wrong = new Command().deposit(1, 0, 1);
            wrong.sequence = copy.lastSequence() + 5;
            wrong.timestamp = Long.MAX_VALUE / 2;
            assertThrows(IllegalArgumentException.class, () -> recorder.record(wrong), "the journal's next sequence only");
            hash = copy.stateHash();
        }
        assertEquals(3_500, copy.lastSequence());

        // The node's own start path recovers it: newest snapshot, then the journal after it.
        try (Sequencer restarted = Sequencer.start(dir, JournalConfig.defaults().withDurability(Durability.NONE),
                SnapshotPolicy.NONE, EngineConfig.defaults(), new EngineEvents() { }, () -> 0L, 64)) {
            assertEquals(hash, restarted.engine().stateHash());
            assertEquals(3_500, restarted.startReport().lastSequence());
            assertNotNull(restarted.startReport().snapshot());
            assertTrue(restarted.startReport().snapshot().sequence() > 1_000, "one of the journal's own snapshots");
        }

        // The tools: the oldest retained snapshot is the base, the newer ones match the journal, every record decodes.
        JournalVerifier.Result verified = JournalVerifier.verify(dir, null, JournalVerifier.Listener.NONE);
        assertTrue(verified.ok(), verified.failure());
        assertEquals(3_500, verified.lastSequence());
        List<String> skipped = new ArrayList<>();
        SnapshotStore.Loaded newest = new SnapshotStore(dir).loadNewest(new EngineEvents() { }, Long.MAX_VALUE,
                skipped);
        Replay.replay(dir, newest.engine());
        assertEquals(hash, newest.engine().stateHash());
    }

    @Test
    void aSnapshotReplicaFollowsRecordedCommands() {
        OrderFlow flow = new OrderFlow(17);
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        applyOthers(engine, flow, 200, null);
        JournalConfig config = JournalConfig.defaults().withDurability(Durability.NONE);
        long hash;
        try (Sequencer recorder = Sequencer.begin(dir, config, new SnapshotPolicy(300, 2).withReplica(true), engine,
                () -> 0L, 32)) {
            applyOthers(engine, flow, 1_000, recorder);
            recorder.flush();
            // The replica snapshots by the policy as it goes; this one, at the end, is waited for.
            recorder.snapshot();
            assertEquals(1_200, recorder.awaitSnapshot().sequence());
            assertEquals(null, recorder.replicaFailure());
            hash = engine.stateHash();
        }
        try (Sequencer restarted = Sequencer.start(dir, config, SnapshotPolicy.NONE, EngineConfig.defaults(),
                new EngineEvents() { }, () -> 0L, 32)) {
            assertEquals(1_200, restarted.startReport().snapshot().sequence(), "the replica's snapshot");
            assertEquals(0, restarted.startReport().replayed());
            assertEquals(hash, restarted.engine().stateHash());
        }
    }

    @Test
    void anEmptyJournalAfterASnapshotNamesWhereItContinues() {
        OrderFlow flow = new OrderFlow(5);
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        applyOthers(engine, flow, 300, null);
        JournalConfig config = JournalConfig.defaults().withDurability(Durability.NONE);
        Sequencer.begin(dir, config, SnapshotPolicy.NONE, engine, () -> 0L, 16).close();
        assertThrows(IllegalStateException.class, () -> Sequencer.begin(dir, config, SnapshotPolicy.NONE, engine,
                () -> 0L, 16), "a journal begins only once");
        // No record yet: the empty segment says the journal continues at 301, so a plain start finds the snapshot.
        try (Sequencer restarted = Sequencer.start(dir, JournalConfig.defaults(), SnapshotPolicy.NONE,
                EngineConfig.defaults(), new EngineEvents() { }, () -> 0L, 16)) {
            assertEquals(300, restarted.engine().lastSequence());
            assertEquals(engine.stateHash(), restarted.engine().stateHash());
            assertEquals(301, restarted.writer().nextSequence());
        }
        assertTrue(JournalVerifier.verify(dir, null, JournalVerifier.Listener.NONE).ok());
    }
}
