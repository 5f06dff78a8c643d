package io.meridian.engine;

import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.risk.Position;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTest {
    private static final int BTC = 1;
    private static final int ETH = 2;

    private EventRecorder recorder;
    private Engine engine;
    private long sequence;
    private long timestamp;

    @BeforeEach
    void setUp() {
        recorder = new EventRecorder(false);
        engine = new Engine(recorder);
        sequence = 0;
        timestamp = 1_000;
        apply(addAsset());
        apply(addInstrument(InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")));
        apply(addInstrument(InstrumentSpec.perpetual(ETH, "ETH-PERP", "ETH", "USDC", "0.01", "0.01")));
        for (long account = 7; account <= 9; account++) {
            apply(new Command().deposit(account, 0, 1_000_000_000_000L));
        }
        recorder.clear();
    }

    /** ADD_ASSET for USDC, asset 0 with 6 decimals. */
    static Command addAsset() {
        return EngineFixture.addAsset(new AssetSpec(0, "USDC", 6));
    }

    static Command addInstrument(InstrumentSpec spec) {
        return EngineFixture.addInstrument(spec);
    }

    private void apply(Command c) {
        c.sequence = ++sequence;
        c.timestamp = timestamp;
        engine.apply(c);
    }

    private List<Event.CommandRejected> rejects() {
        return recorder.ofType(Event.CommandRejected.class);
    }

    @Test
    void sequenceGapIsRejectedAndChangesNothing() {
        long before = engine.stateHash();
        Command c = new Command().limit(7, BTC, 100, Side.BUY, 1000, 1, TimeInForce.GTC);
        c.sequence = sequence + 2;
        c.timestamp = timestamp;
        engine.apply(c);
        assertEquals(RejectReason.COMMAND_OUT_OF_ORDER, rejects().get(0).reason());
        assertEquals(before, engine.stateHash());
        assertEquals(sequence, engine.lastSequence());
    }

    @Test
    void prefetchTakesAnyCommandAndChangesNothing() {
        apply(new Command().limit(7, BTC, 100, Side.BUY, 1000, 1, TimeInForce.GTC));
        apply(new Command().limit(8, ETH, 101, Side.SELL, 5000, 3, TimeInForce.GTC));
        recorder.clear();
        long before = engine.stateHash();
        Command noType = new Command().reset();
        Command wrongInstrument = new Command().cancel(7, 99, 100);
        Command negativeInstrument = new Command().amend(7, -1, 100, 1001, 0);
        Command[] commands = {null, noType, wrongInstrument, negativeInstrument, new Command().cancel(7, BTC, 100),
            new Command().amend(8, ETH, 101, 4999, 0), new Command().limit(9, BTC, -3, Side.SELL, 1000, 1,
                TimeInForce.GTC), new Command().deposit(9, 0, 1)};
        for (Command c : commands) {
            for (int step = -1; step <= OrderBook.PREFETCH_STEPS + 1; step++) {
                engine.prefetch(c, step);
            }
        }
        for (int step = 0; step <= OrderBook.PREFETCH_STEPS; step++) {
            engine.prefetch(Integer.MIN_VALUE, Long.MIN_VALUE, step);
            engine.prefetch(BTC, 0, step);
            engine.prefetch(ETH, 101, step);
            engine.prefetch(-1, -1, step);
        }
        assertEquals(before, engine.stateHash());
        assertEquals(List.of(), recorder.events());
        // The same commands applied after their prefetch behave as without it.
        apply(new Command().cancel(7, BTC, 100));
        assertNull(engine.view().book(BTC).order(100));
    }

    @Test
    void prefetchPaysOnceTheBooksHoldManyOrders() {
        assertFalse(engine.prefetchPays());
        int orders = Engine.PREFETCH_FROM_OPEN_ORDERS;
        for (int i = 0; i < orders; i++) {
            int instrument = i % 2 == 0 ? BTC : ETH;
            apply(new Command().limit(7 + i % 3, instrument, 1_000 + i, Side.BUY, 1_000 + i % 500, 1, TimeInForce.GTC));
            if (i == orders - 2) {
                assertFalse(engine.prefetchPays());
            }
        }
        assertEquals(List.of(), rejects());
        // Counted again once enough commands have been applied since the last count.
        for (int i = 0; i < Engine.PREFETCH_RECOUNT_COMMANDS; i++) {
            apply(new Command().deposit(7, 0, 1));
        }
        assertTrue(engine.prefetchPays());
    }

    @Test
    void timestampGoingBackwardsIsRejected() {
        timestamp = 500;
        apply(new Command().limit(7, BTC, 100, Side.BUY, 1000, 1, TimeInForce.GTC));
        assertEquals(RejectReason.TIMESTAMP_WENT_BACKWARDS, rejects().get(0).reason());
        assertNull(engine.view().book(BTC).order(100));
    }

    @Test
    void unknownInstrumentAndMissingTypeAreRejected() {
        apply(new Command().limit(7, 99, 100, Side.BUY, 1000, 1, TimeInForce.GTC));
        apply(new Command().limit(7, -5, 101, Side.BUY, 1000, 1, TimeInForce.GTC));
        Command noType = new Command().reset();
        apply(noType);
        assertEquals(List.of(RejectReason.UNKNOWN_INSTRUMENT, RejectReason.UNKNOWN_INSTRUMENT, RejectReason.UNKNOWN_COMMAND),
                rejects().stream().map(Event.CommandRejected::reason).toList());
    }

    @Test
    void duplicateAndInvalidInstrumentsAreRejected() {
        apply(addInstrument(InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")));
        apply(addInstrument(InstrumentSpec.perpetual(3, "BAD", "BAD", "USDC", "0", "0.001")));
        apply(addInstrument(InstrumentSpec.perpetual(1_000_000, "FAR", "X", "USDC", "1", "1")));
        apply(addInstrument(null));
        assertEquals(List.of(RejectReason.INSTRUMENT_EXISTS, RejectReason.INVALID_INSTRUMENT,
                RejectReason.INVALID_INSTRUMENT, RejectReason.INVALID_INSTRUMENT),
                rejects().stream().map(Event.CommandRejected::reason).toList());
        assertEquals(List.of(BTC, ETH), engine.view().instrumentIds());
    }

    @Test
    void gtdOrdersExpireOnTheFirstCommandAtOrAfterTheirExpiry() {
        Command gtd = new Command().limit(7, BTC, 100, Side.BUY, 1000, 5, TimeInForce.GTD);
        gtd.expireAt = 2_000;
        apply(gtd);
        Command other = new Command().limit(8, ETH, 101, Side.SELL, 5000, 1, TimeInForce.GTC);
        timestamp = 1_999;
        apply(other);
        assertNotNull(engine.view().book(BTC).order(100));
        Command tick = new Command().reset();
        tick.type = CommandType.TIME_TICK;
        timestamp = 2_000;
        apply(tick);
        List<Event.OrderExpired> expired = recorder.ofType(Event.OrderExpired.class);
        assertEquals(1, expired.size());
        assertEquals(100, expired.get(0).orderId());
        assertEquals(5, expired.get(0).expiredQuantity());
        assertEquals(sequence, expired.get(0).sequence());
        assertNull(engine.view().book(BTC).order(100));
    }

    @Test
    void gtdExpiryHappensBeforeTheCommandThatReachesIt() {
        Command gtd = new Command().limit(7, BTC, 100, Side.SELL, 1000, 5, TimeInForce.GTD);
        gtd.expireAt = 2_000;
        apply(gtd);
        timestamp = 3_000;
        apply(new Command().limit(8, BTC, 101, Side.BUY, 1000, 5, TimeInForce.IOC));
        assertTrue(recorder.ofType(Event.OrderFilled.class).isEmpty(), "an expired order must not trade");
        assertEquals(1, recorder.ofType(Event.OrderExpired.class).size());
    }

    @Test
    void cancelAllAcrossInstrumentsInInstrumentOrder() {
        apply(new Command().limit(7, ETH, 100, Side.BUY, 1000, 1, TimeInForce.GTC));
        apply(new Command().limit(7, BTC, 101, Side.BUY, 1000, 1, TimeInForce.GTC));
        apply(new Command().limit(8, BTC, 102, Side.BUY, 1000, 1, TimeInForce.GTC));
        Command cancelAll = new Command().reset();
        cancelAll.type = CommandType.CANCEL_ALL;
        cancelAll.account = 7;
        cancelAll.instrument = Command.ALL_INSTRUMENTS;
        apply(cancelAll);
        List<Event.OrderCanceled> canceled = recorder.ofType(Event.OrderCanceled.class);
        assertEquals(List.of(101L, 100L), canceled.stream().map(Event.OrderCanceled::orderId).toList());
        assertNotNull(engine.view().book(BTC).order(102));
    }

    @Test
    void datedFutureStopsTradingAtExpiry() {
        InstrumentSpec future = new InstrumentSpec(5, "BTC-27DEC", InstrumentKind.DATED_FUTURE, "BTC", "USDC", 6,
                new BigDecimal("0.5"), new BigDecimal("0.001"), BigDecimal.ONE, 1, 1_000_000, 1_000_000,
                0, 50_000, 200, 500, 5_000);
        apply(addInstrument(future));
        apply(new Command().limit(7, 5, 100, Side.BUY, 1000, 1, TimeInForce.GTC));
        timestamp = 5_000;
        apply(new Command().limit(7, 5, 101, Side.BUY, 1000, 1, TimeInForce.GTC));
        apply(new Command().cancel(7, 5, 100));
        assertEquals(List.of(RejectReason.INSTRUMENT_NOT_TRADING),
                rejects().stream().map(Event.CommandRejected::reason).toList());
        assertEquals(1, recorder.ofType(Event.OrderCanceled.class).size(), "cancels stay allowed after expiry");
    }

    @Test
    void instrumentsNeedARegisteredSettlementAssetOfTheSameScale() {
        apply(addInstrument(InstrumentSpec.perpetual(7, "SOL-PERP", "SOL", "USDT", "0.01", "0.1")));
        InstrumentSpec wrongScale = InstrumentSpec.perpetual(8, "XRP-PERP", "XRP", "USDC", "0.0001", "1");
        apply(addInstrument(new InstrumentSpec(8, "XRP-PERP", wrongScale.kind(), "XRP", "USDC", 8, wrongScale.tickSize(),
                wrongScale.lotSize(), wrongScale.contractMultiplier(), 1, 1_000, 1_000, 0, 50_000, 0, 0, 0)));
        Command duplicate = addAsset();
        apply(duplicate);
        assertEquals(List.of(RejectReason.UNKNOWN_ASSET, RejectReason.INVALID_INSTRUMENT, RejectReason.ASSET_EXISTS),
                rejects().stream().map(Event.CommandRejected::reason).toList());
        assertEquals(List.of(BTC, ETH), engine.view().instrumentIds());
    }

    @Test
    void everyCommandCompletes() {
        CountingListener counting = new CountingListener();
        Engine counted = new Engine(counting);
        Command c = addInstrument(InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001"));
        c.sequence = 1;
        counted.apply(c);
        Command bad = new Command().limit(7, 99, 1, Side.BUY, 1, 1, TimeInForce.GTC);
        bad.sequence = 2;
        counted.apply(bad);
        assertEquals(2, counting.completed);
    }

    @Test
    void sameLogSameHashDifferentLogDifferentHash() {
        Engine a = new Engine(new EventRecorder());
        Engine b = new Engine(new EventRecorder());
        Command[] log = {
            addAsset(),
            addInstrument(InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")),
            new Command().deposit(7, 0, 1_000_000_000L), new Command().deposit(8, 0, 1_000_000_000L),
            new Command().deposit(9, 0, 1_000_000_000L),
            new Command().limit(7, BTC, 10, Side.BUY, 1000, 3, TimeInForce.GTC),
            new Command().limit(8, BTC, 11, Side.SELL, 1001, 2, TimeInForce.GTC),
            new Command().limit(9, BTC, 12, Side.SELL, 1000, 1, TimeInForce.IOC),
            new Command().amend(8, BTC, 11, 1000, 0),
        };
        for (int i = 0; i < log.length; i++) {
            log[i].sequence = i + 1;
            log[i].timestamp = 100 + i;
            a.apply(log[i]);
            b.apply(log[i]);
            assertEquals(a.stateHash(), b.stateHash(), "after command " + i);
        }
        Command extra = new Command().limit(7, BTC, 13, Side.BUY, 999, 1, TimeInForce.GTC);
        extra.sequence = log.length + 1;
        extra.timestamp = 1_000;
        a.apply(extra);
        assertNotEquals(a.stateHash(), b.stateHash());
        assertEquals(0, a.view().positions(BTC).sortedPositions().stream().mapToLong(Position::size).sum());
        assertTrue(a.view().ledger().isConserved(), a.view().ledger().conservationReport());
    }

    private static final class CountingListener implements EngineEvents {
        private int completed;

        @Override
        public void commandCompleted(long sequence, long timestamp) {
            completed++;
        }
    }
}
