package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.OrderType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sequencer: stamping, journal before engine, recovery by replay. */
class SequencerTest {
    @TempDir
    Path dir;

    private static Engine engine(EngineEvents events) {
        return new Engine(events, EngineConfig.defaults());
    }

    @Test
    void journaledEngineMatchesADirectlyFedOneAndRecoversAfterRestart() {
        AtomicLong clock = new AtomicLong(5_000);
        Engine journaled = engine(new EngineEvents() { });
        Engine direct = engine(new EngineEvents() { });
        OrderFlow flow = new OrderFlow(7);
        Command c = new Command();
        try (Sequencer sequencer = Sequencer.open(dir, JournalConfig.defaults(), journaled,
                () -> clock.addAndGet(3), 100)) {
            for (int i = 0; i < 5_000; i++) {
                flow.next(c);
                long sequence = sequencer.submit(c);
                assertEquals(i + 1, sequence);
                if (i % 37 == 0) {
                    sequencer.flush();
                }
            }
        }
        List<Command> journal = JournalTest.readAll(dir);
        assertEquals(5_000, journal.size());
        for (Command record : journal) {
            direct.apply(record);
        }
        assertEquals(direct.stateHash(), journaled.stateHash());

        Engine restarted = engine(new EngineEvents() { });
        try (Sequencer sequencer = Sequencer.open(dir, JournalConfig.defaults(), restarted, clock::get)) {
            assertEquals(5_000, sequencer.recovered().commands());
            assertEquals(journaled.stateHash(), restarted.stateHash());
            assertEquals(5_001, sequencer.submit(new Command().deposit(1, 0, 1)));
        }
    }

    @Test
    void theCommandThatFillsABatchIsToldItsSequenceToo() {
        Engine engine = engine(new EngineEvents() { });
        OrderFlow flow = new OrderFlow(5);
        Command c = new Command();
        try (Sequencer sequencer = Sequencer.open(dir, JournalConfig.defaults(), engine, () -> 1, 4)) {
            for (int i = 0; i < 10; i++) {
                // The fourth and eighth fill the batch, which flushes (and resets the batch's copies) at once.
                assertEquals(i + 1, sequencer.submit(flow.next(c)));
            }
            assertEquals(8, engine.lastSequence());
        }
    }

    @Test
    void theEngineSeesACommandOnlyAfterItsBatchIsCommitted() {
        List<Long> committedAtEvent = new ArrayList<>();
        Sequencer[] holder = new Sequencer[1];
        EngineEvents events = new EngineEvents() {
            @Override
            public void orderAccepted(long sequence, long timestamp, int instrument, long orderId,
                                      long clientOrderId, long account, Side side, OrderType type,
                                      TimeInForce timeInForce, long price, long quantity, long triggerPrice) {
                committedAtEvent.add(holder[0].writer().committedSequence() - sequence);
            }
        };
        Engine engine = engine(events);
        OrderFlow flow = new OrderFlow(3);
        Command c = new Command();
        try (Sequencer sequencer = Sequencer.open(dir, JournalConfig.defaults(), engine, () -> 1, 16)) {
            holder[0] = sequencer;
            for (int i = 0; i < 500; i++) {
                sequencer.submit(flow.next(c));
                assertTrue(engine.lastSequence() <= sequencer.writer().committedSequence());
            }
        }
        assertTrue(committedAtEvent.size() > 50);
        for (long lead : committedAtEvent) {
            assertTrue(lead >= 0, "an event for a command not yet durable");
        }
    }

    @Test
    void aClockThatStepsBackIsHeldAtTheLastTimestamp() {
        long[] times = {100, 200, 150, 300};
        int[] at = {0};
        Engine engine = engine(new EngineEvents() { });
        try (Sequencer sequencer = Sequencer.open(dir, JournalConfig.defaults(), engine, () -> times[at[0]++])) {
            for (int i = 0; i < times.length; i++) {
                Command tick = new Command().reset();
                tick.type = CommandType.TIME_TICK;
                sequencer.submit(tick);
            }
        }
        List<Command> journal = JournalTest.readAll(dir);
        assertEquals(List.of(100L, 200L, 200L, 300L), journal.stream().map(r -> r.timestamp).toList());
    }

    @Test
    void rejectedCommandsAreJournaledToo() {
        List<RejectReason> rejects = new ArrayList<>();
        EngineEvents events = new EngineEvents() {
            @Override
            public void commandRejected(long sequence, long timestamp, CommandType command, int instrument,
                                        long orderId, long clientOrderId, long account, RejectReason reason) {
                rejects.add(reason);
            }
        };
        Engine engine = engine(events);
        try (Sequencer sequencer = Sequencer.open(dir, JournalConfig.defaults(), engine, () -> 1)) {
            sequencer.submit(new Command().limit(1, 99, 1, Side.BUY, 100, 1, TimeInForce.GTC));
        }
        assertEquals(1, rejects.size());
        assertEquals(1, JournalTest.readAll(dir).size(), "the log holds what was decided, rejects included");
    }

    @Test
    void anEngineAheadOfTheJournalIsRefused() {
        Engine engine = engine(new EngineEvents() { });
        Command c = new Command().deposit(1, 0, 1);
        c.sequence = 1;
        c.timestamp = 1;
        engine.apply(c);
        assertThrows(IllegalStateException.class,
                () -> Sequencer.open(dir, JournalConfig.defaults(), engine, () -> 1));
        // The failed open released the directory.
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            assertEquals(1, writer.nextSequence());
        }
    }

    @Test
    void startLoadsTheNewestSnapshotAndReplaysOnlyTheJournalAfterIt() throws java.io.IOException {
        AtomicLong clock = new AtomicLong(1);
        OrderFlow flow = new OrderFlow(9);
        Command c = new Command();
        long hash;
        try (Sequencer sequencer = Sequencer.start(dir, JournalConfig.defaults(), new SnapshotPolicy(1_000, 2),
                EngineConfig.defaults(), new EngineEvents() { }, clock::incrementAndGet, 64)) {
            assertEquals(null, sequencer.startReport().snapshot());
            for (int i = 0; i < 5_500; i++) {
                sequencer.submit(flow.next(c));
            }
            sequencer.flush();
            sequencer.awaitSnapshot();
            assertTrue(sequencer.snapshotsTaken() >= 5, "snapshots: " + sequencer.snapshotsTaken());
            assertTrue(sequencer.maxSnapshotPauseNanos() > 0);
            hash = sequencer.engine().stateHash();
        }
        SnapshotStore store = new SnapshotStore(dir);
        assertEquals(2, store.list().size(), "retain 2");
        long newest = SnapshotStore.parseFileName(store.list().get(0));

        try (Sequencer restarted = Sequencer.start(dir, JournalConfig.defaults(), SnapshotPolicy.NONE,
                EngineConfig.defaults(), new EngineEvents() { }, clock::incrementAndGet, 64)) {
            Sequencer.StartReport report = restarted.startReport();
            assertEquals(newest, report.snapshot().sequence());
            assertEquals(5_500 - newest, report.replayed());
            assertEquals(hash, restarted.engine().stateHash());
        }

        // The newest snapshot damaged: the older one is used, and the journal covers the rest.
        JournalTest.flip(store.list().get(0), SnapshotStore.HEADER_LENGTH + 7);
        try (Sequencer restarted = Sequencer.start(dir, JournalConfig.defaults(), SnapshotPolicy.NONE,
                EngineConfig.defaults(), new EngineEvents() { }, clock::incrementAndGet, 64)) {
            Sequencer.StartReport report = restarted.startReport();
            assertEquals(1, report.skipped().size(), report.skipped().toString());
            assertTrue(report.snapshot().sequence() < newest);
            assertEquals(hash, restarted.engine().stateHash());
        }
    }
}
