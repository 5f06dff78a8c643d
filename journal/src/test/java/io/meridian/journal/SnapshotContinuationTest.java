package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.simulator.Scenario;
import io.meridian.simulator.StressRunner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a snapshot does not write, the loaded engine rebuilds (book and account totals, order indexes, margin sums,
 * holder counts) or never needs (scratch, pools, state that lives within one command): proven here by behaviour. A
 * run is snapshotted at many points; each snapshot, loaded into a new engine, applies the rest of the run and must
 * fire exactly the events the original fired from there (market data included) and end at its state hash, and a
 * snapshot of the loaded engine must load to the same hash again. The runs: {@link RichVenue} (every kind of state,
 * options and signed requests included) snapshotted every few commands, and every stress scenario (liquidations, the
 * insurance fund, auto-deleveraging, attacks) at four points.
 */
class SnapshotContinuationTest {
    @Test
    void aLoadedRichVenueContinuesExactlyLikeTheOriginalFromEveryPoint() {
        List<Command> setup = RichVenue.setup();
        List<Command> run = new ArrayList<>(setup);
        Command last = setup.get(setup.size() - 1);
        run.addAll(RichVenue.tail(last.sequence, last.timestamp, RichVenue.sessionId(setup)));
        int checked = continueFrom(RichVenue.config(), run, 6);
        assertTrue(checked >= 45, "snapshots checked: " + checked);
    }

    @Test
    void everyStressScenarioContinuesExactlyFromItsSnapshots() {
        for (Scenario scenario : Scenario.values()) {
            StressRunner.CommandLog log = StressRunner.record(scenario, 7, 160, 3, 15, 20, 20);
            assertEquals(4, continueFrom(log.config(), log.commands(), log.commands().size() / 5 + 1), scenario.name());
        }
    }

    /** Snapshots the run every {@code every} commands and checks each one; returns how many it checked. */
    private static int continueFrom(EngineConfig config, List<Command> run, int every) {
        EventRecorder events = new EventRecorder(true);
        Engine original = new Engine(events, config);
        List<Integer> points = new ArrayList<>();
        List<Integer> eventsBefore = new ArrayList<>();
        List<byte[]> snapshots = new ArrayList<>();
        List<Long> hashes = new ArrayList<>();
        for (int at = 0; at < run.size(); at++) {
            original.apply(run.get(at));
            if ((at + 1) % every == 0 && at + 1 < run.size()) {
                points.add(at + 1);
                eventsBefore.add(events.events().size());
                snapshots.add(snapshot(original));
                hashes.add(original.stateHash());
            }
        }
        long finalHash = original.stateHash();
        List<Event> all = events.events();
        for (int i = 0; i < points.size(); i++) {
            int from = points.get(i);
            EventRecorder copyEvents = new EventRecorder(true);
            byte[] bytes = snapshots.get(i);
            Engine copy = EngineSnapshots.read(bytes, 0, bytes.length, copyEvents);
            assertEquals(hashes.get(i), copy.stateHash(), "the state loaded at " + from);
            byte[] again = snapshot(copy);
            assertEquals(hashes.get(i), EngineSnapshots.read(again, 0, again.length, new EventRecorder(false)).stateHash(),
                    "a snapshot of the engine loaded at " + from);
            for (int k = from; k < run.size(); k++) {
                copy.apply(run.get(k));
            }
            assertEquals(all.subList(eventsBefore.get(i), all.size()), copyEvents.events(),
                    "the events after loading at " + from);
            assertEquals(finalHash, copy.stateHash(), "the state after loading at " + from);
        }
        return points.size();
    }

    private static byte[] snapshot(Engine engine) {
        SnapshotWriter out = new SnapshotWriter();
        EngineSnapshots.write(engine, out);
        return out.toByteArray();
    }
}
