package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.simulator.Scenario;
import io.meridian.simulator.StressRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stress lab's command logs (oracle reports, index and mark updates, funding, leverage settings, liquidations,
 * backstop transfers, auto-deleveraging) through the journal and through snapshots: the richest state the engine
 * has. For every scenario: the journaled log replays to the live run's state hash, and an engine snapshotted at a
 * quarter, a half and three quarters of the run and loaded continues to the same final hash.
 */
class ScenarioJournalTest {
    private static final int STEPS = 240;

    @TempDir
    Path temp;

    @Test
    void everyScenarioJournalsAndSnapshotsExactly() {
        long seed = 3;
        for (Scenario scenario : Scenario.values()) {
            StressRunner.CommandLog log = StressRunner.record(scenario, seed, STEPS, 3, 20, 30, 30);
            List<Command> commands = log.commands();
            assertTrue(log.result().invariantsHold(), scenario + ": " + log.result().violations());
            Engine live = new Engine(new EngineEvents() { }, log.config());
            for (Command c : commands) {
                live.apply(c);
            }
            long finalHash = live.stateHash();

            Path journal = temp.resolve(scenario.name());
            try (JournalWriter writer = JournalWriter.open(journal, JournalConfig.defaults())) {
                for (Command c : commands) {
                    writer.append(c);
                }
            }
            Engine replayed = new Engine(new EngineEvents() { }, log.config());
            assertEquals(commands.size(), Replay.replay(journal, replayed).commands());
            assertEquals(finalHash, replayed.stateHash(), scenario + ": journal replay");

            SnapshotStore store = new SnapshotStore(journal);
            for (int quarter = 1; quarter <= 3; quarter++) {
                int at = commands.size() * quarter / 4;
                Engine partial = new Engine(new EngineEvents() { }, log.config());
                for (int i = 0; i < at; i++) {
                    partial.apply(commands.get(i));
                }
                store.persist(store.capture(partial, null));
                List<String> skipped = new ArrayList<>();
                SnapshotStore.Loaded loaded = store.loadNewest(new EngineEvents() { }, Long.MAX_VALUE, skipped);
                assertNotNull(loaded, skipped.toString());
                assertEquals(at, loaded.engine().lastSequence());
                Replay.replay(journal, loaded.engine());
                assertEquals(finalHash, loaded.engine().stateHash(), scenario + ": snapshot at " + at + " + journal");
            }
            System.out.println(scenario + ": " + commands.size() + " commands, " + log.result().liquidations()
                    + " liquidations, " + log.result().adlEvents() + " ADL events: journal and snapshots exact");
        }
    }
}
