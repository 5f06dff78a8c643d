package io.meridian.engine;

import io.meridian.ledger.LedgerView;
import io.meridian.matching.Order;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.OrderType;
import io.meridian.model.PostingType;
import io.meridian.model.RejectReason;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fills through the engine: positions, realised PnL, fees, deposits and withdrawals, and conservation of value. */
class ClearingTest {
    private static final int USDC = 0;
    private static final int BTC = 1;
    /** 1 USDC in minor units. */
    private static final long USD = 1_000_000;
    /** BTC-PERP: tick 0.1 USD, lot 0.001 BTC: one lot moving one tick is 0.0001 USD = 100 minor units. */
    private static final long PRICE_65000 = 650_000;
    private static final long PRICE_66000 = 660_000;
    private static final long ONE_BTC = 1_000;

    private EngineFixture fx;
    private EventRecorder recorder;
    private Engine engine;

    @BeforeEach
    void setUp() {
        fx = EngineFixture.standard();
        recorder = fx.recorder;
        engine = fx.engine;
        for (long account = 1; account <= 3; account++) {
            apply(new Command().deposit(account, USDC, 10_000 * USD));
        }
        recorder.clear();
    }

    private void apply(Command c) {
        fx.apply(c);
    }

    private long balance(long account) {
        return engine.view().ledger().balance(account, USDC);
    }

    @Test
    void openAndCloseRealisesPnlAndChargesFees() {
        apply(new Command().limit(2, BTC, 10, Side.SELL, PRICE_65000, ONE_BTC, TimeInForce.GTC));
        apply(new Command().limit(1, BTC, 11, Side.BUY, PRICE_65000, ONE_BTC, TimeInForce.IOC));
        // Notional 65,000 USD: maker fee 0.02% = 13 USD, taker fee 0.05% = 32.5 USD.
        assertEquals(10_000 * USD - 13 * USD, balance(2));
        assertEquals(10_000 * USD - 32_500_000, balance(1));
        Position long1 = engine.view().positions(BTC).position(1);
        assertEquals(ONE_BTC, long1.size());
        assertEquals(65_000 * USD, long1.openValue());

        apply(new Command().limit(3, BTC, 12, Side.BUY, PRICE_66000, ONE_BTC, TimeInForce.GTC));
        recorder.clear();
        apply(new Command().limit(1, BTC, 13, Side.SELL, PRICE_66000, ONE_BTC, TimeInForce.IOC));
        // +1,000 USD realised, minus the taker fee on 66,000 USD (33 USD).
        assertEquals(10_000 * USD - 32_500_000 + 1_000 * USD - 33 * USD, balance(1));
        assertNull(engine.view().positions(BTC).position(1), "flat positions are dropped");
        assertEquals(13 * USD + 32_500_000 + 13_200_000 + 33 * USD,
                engine.view().ledger().balance(SystemAccounts.FEE_POOL, USDC));
        List<Event.PostingApplied> postings = recorder.ofType(Event.PostingApplied.class);
        assertEquals(List.of(PostingType.TRADE_FEE, PostingType.REALIZED_PNL, PostingType.TRADE_FEE),
                postings.stream().map(Event.PostingApplied::type).toList());
        Event.PostingApplied pnl = postings.get(1);
        assertEquals(SystemAccounts.CLEARING, pnl.fromAccount());
        assertEquals(1, pnl.toAccount());
        assertEquals(1_000 * USD, pnl.amount());
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
        assertEquals(30_000 * USD, engine.view().ledger().netDeposits(USDC));
    }

    @Test
    void postingsFollowTheTradeEvents() {
        EventRecorder all = new EventRecorder(false);
        Engine traced = new Engine(all);
        Command[] setup = {EngineTest.addAsset(),
            EngineTest.addInstrument(InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")),
            new Command().deposit(1, USDC, 100 * USD), new Command().deposit(2, USDC, 100 * USD),
            new Command().limit(2, BTC, 10, Side.SELL, PRICE_65000, 1, TimeInForce.GTC),
            new Command().limit(1, BTC, 11, Side.BUY, PRICE_65000, 1, TimeInForce.IOC)};
        for (int i = 0; i < setup.length; i++) {
            setup[i].sequence = i + 1;
            traced.apply(setup[i]);
        }
        List<String> kinds = all.events().stream().filter(e -> e.sequence() == 6).map(e -> e.getClass().getSimpleName())
                .toList();
        assertEquals(List.of("OrderAccepted", "OrderFilled", "OrderFilled", "TradeExecuted", "PostingApplied",
                "PostingApplied", "AccountUpdated", "AccountUpdated"), kinds);
    }

    @Test
    void withdrawalsKeepTheInitialMarginCovered() {
        apply(new Command().withdraw(1, USDC, 1_000 * USD));
        assertEquals(9_000 * USD, balance(1));
        // A resting bid for 1 BTC at 65,000 needs 65,000 / 20 = 3,250 USDC of initial margin at the default leverage.
        apply(new Command().limit(1, BTC, 10, Side.BUY, PRICE_65000, ONE_BTC, TimeInForce.GTC));
        assertEquals(3_250 * USD, engine.view().marginState(1, USDC).initialMargin);
        apply(new Command().withdraw(1, USDC, 5_750 * USD + 1));
        apply(new Command().withdraw(2, USDC, 10_000 * USD + 1));
        apply(new Command().withdraw(2, USDC, 0));
        apply(new Command().withdraw(2, 7, 1));
        apply(new Command().deposit(0, USDC, 1));
        assertEquals(List.of(RejectReason.WITHDRAWAL_BREACHES_MARGIN, RejectReason.INSUFFICIENT_BALANCE,
                RejectReason.INVALID_AMOUNT, RejectReason.UNKNOWN_ASSET, RejectReason.INVALID_ACCOUNT),
                recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList());
        apply(new Command().withdraw(1, USDC, 5_750 * USD));
        assertEquals(3_250 * USD, balance(1));
        assertEquals(0, engine.view().marginState(1, USDC).withdrawable());
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
    }

    @Test
    void ordersMustBeCoveredByEquityAfterFeeAndOpenLoss() {
        apply(EngineFixture.mark(BTC, PRICE_65000));
        // 10,000 USDC at 20x: up to 200,000 USDC of notional, less the taker fee (0.05%).
        apply(new Command().limit(1, BTC, 10, Side.BUY, PRICE_65000, 3 * ONE_BTC, TimeInForce.GTC));
        apply(new Command().limit(1, BTC, 11, Side.BUY, PRICE_65000, ONE_BTC, TimeInForce.GTC));
        // Reducing the worst case is always allowed, even with no margin to spare.
        apply(new Command().limit(1, BTC, 12, Side.SELL, PRICE_66000, ONE_BTC, TimeInForce.GTC));
        // A buy limit far above the mark carries an open loss: 1 BTC at 75,000 would lose 10,000 USDC at once.
        apply(new Command().limit(2, BTC, 13, Side.BUY, 750_000, ONE_BTC, TimeInForce.GTC));
        Command reduceOnly = new Command().limit(3, BTC, 14, Side.SELL, PRICE_66000, 100 * ONE_BTC, TimeInForce.GTC);
        reduceOnly.reduceOnly = true;
        apply(reduceOnly);
        assertEquals(List.of(RejectReason.INSUFFICIENT_MARGIN, RejectReason.INSUFFICIENT_MARGIN,
                RejectReason.REDUCE_ONLY_WOULD_INCREASE),
                recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList());
        assertEquals(List.of(10L, 12L), recorder.ofType(Event.OrderAccepted.class).stream()
                .map(Event.OrderAccepted::orderId).toList());
    }

    @Test
    void anAmendThatMovesThePriceIsCheckedLikeANewOrder() {
        apply(EngineFixture.mark(BTC, PRICE_65000));
        apply(new Command().limit(2, BTC, 10, Side.BUY, 600_000, ONE_BTC, TimeInForce.GTC));
        recorder.clear();
        // Same size, price moved to 75,000: the open loss (10,000 USDC at the mark) is what a new order there is
        // refused for, so the amend is refused too and the order stays where it was.
        apply(new Command().amend(2, BTC, 10, 750_000, 0));
        assertEquals(List.of(RejectReason.INSUFFICIENT_MARGIN),
                recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList());
        assertEquals(600_000, engine.view().book(BTC).order(10).price());
    }

    @Test
    void anAmendThatMovesThePriceAcrossOnesOwnOrderCannotTakeValueOut() {
        apply(EngineFixture.mark(BTC, PRICE_65000));
        // Account 3 offers 1 BTC at 75,000; account 2 (10,000 USDC) bids 60,000, then moves the bid onto the offer:
        // bought 10,000 USDC above the mark, account 2 would be bankrupt and account 3 (or whoever owns both) paid.
        apply(new Command().limit(3, BTC, 10, Side.SELL, 750_000, ONE_BTC, TimeInForce.GTC));
        apply(new Command().limit(2, BTC, 11, Side.BUY, 600_000, ONE_BTC, TimeInForce.GTC));
        recorder.clear();
        apply(new Command().amend(2, BTC, 11, 750_000, 0));
        assertEquals(List.of(RejectReason.INSUFFICIENT_MARGIN),
                recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList());
        assertEquals(0, engine.view().book(BTC).tradeCount());
        // Moving it up to the mark carries no open loss and passes; moving it back down always does.
        apply(new Command().amend(2, BTC, 11, PRICE_65000, 0));
        apply(new Command().amend(2, BTC, 11, 500_000, 0));
        assertEquals(1, recorder.ofType(Event.CommandRejected.class).size());
        assertEquals(500_000, engine.view().book(BTC).order(11).price());
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
    }

    @Test
    void amendsOutsideTheInstrumentsLimitsGetTheBooksRejectNotAnOverflow() {
        apply(EngineFixture.mark(BTC, PRICE_65000));
        apply(new Command().limit(2, BTC, 10, Side.BUY, 600_000, ONE_BTC, TimeInForce.GTC));
        recorder.clear();
        apply(new Command().amend(2, BTC, 10, Long.MAX_VALUE, Long.MAX_VALUE));
        apply(new Command().amend(2, BTC, 10, 0, Long.MAX_VALUE));
        apply(new Command().amend(2, BTC, 10, Long.MAX_VALUE, 0));
        apply(new Command().amend(2, BTC, 10, 0, -1));
        apply(new Command().amend(2, BTC, 10, -1, 0));
        assertEquals(List.of(RejectReason.PRICE_ABOVE_MAX, RejectReason.QUANTITY_ABOVE_MAX,
                RejectReason.PRICE_ABOVE_MAX, RejectReason.INVALID_QUANTITY, RejectReason.INVALID_PRICE),
                recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList());
        assertEquals(600_000, engine.view().book(BTC).order(10).price());
        assertEquals(ONE_BTC, engine.view().book(BTC).order(10).quantity());
    }

    @Test
    void positionLimitCapsTheWorstCasePosition() {
        Command capped = EngineTest.addInstrument(InstrumentSpec.perpetual(2, "ETH-PERP", "ETH", "USDC", "0.01", "0.01"));
        capped.positionLimit = 100;
        apply(capped);
        apply(new Command().limit(1, 2, 10, Side.BUY, 300_000, 60, TimeInForce.GTC));
        apply(new Command().limit(1, 2, 11, Side.BUY, 300_000, 41, TimeInForce.GTC));
        apply(new Command().limit(1, 2, 12, Side.SELL, 310_000, 100, TimeInForce.GTC));
        apply(new Command().limit(1, 2, 13, Side.BUY, 300_000, 40, TimeInForce.GTC));
        Command negative = EngineTest.addInstrument(InstrumentSpec.perpetual(3, "SOL-PERP", "SOL", "USDC", "0.01", "0.1"));
        negative.positionLimit = -1;
        apply(negative);
        assertEquals(List.of(RejectReason.POSITION_LIMIT, RejectReason.INVALID_INSTRUMENT),
                recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList());
        assertEquals(List.of(10L, 12L, 13L), recorder.ofType(Event.OrderAccepted.class).stream()
                .map(Event.OrderAccepted::orderId).toList());
    }

    @Test
    void leverageIsChosenPerInstrumentWithinTheTierMaximum() {
        Command set = new Command().setLeverage(1, BTC, 5);
        apply(set);
        assertEquals(5, engine.view().leverage(1, BTC));
        apply(new Command().limit(1, BTC, 10, Side.BUY, PRICE_65000, ONE_BTC / 2, TimeInForce.GTC));
        assertEquals(6_500 * USD, engine.view().marginState(1, USDC).initialMargin, "32,500 / 5");
        apply(new Command().limit(1, BTC, 11, Side.BUY, PRICE_65000, ONE_BTC / 2, TimeInForce.GTC));
        set.leverage = 0;
        apply(set);
        set.leverage = 1_000;
        apply(set);
        set.leverage = 5;
        set.instrument = 99;
        apply(set);
        assertEquals(List.of(RejectReason.INSUFFICIENT_MARGIN, RejectReason.INVALID_LEVERAGE,
                RejectReason.INVALID_LEVERAGE, RejectReason.UNKNOWN_INSTRUMENT),
                recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList());
    }

    @Test
    void fillsAndTransfersPublishTheAccountsMarginState() {
        apply(new Command().limit(2, BTC, 10, Side.SELL, PRICE_65000, ONE_BTC, TimeInForce.GTC));
        recorder.clear();
        apply(new Command().limit(1, BTC, 11, Side.BUY, PRICE_65000, ONE_BTC, TimeInForce.IOC));
        List<Event.AccountUpdated> updates = recorder.ofType(Event.AccountUpdated.class);
        assertEquals(List.of(2L, 1L), updates.stream().map(Event.AccountUpdated::account).toList());
        Event.AccountUpdated buyer = updates.get(1);
        assertEquals(10_000 * USD - 32_500_000, buyer.balance());
        assertEquals(buyer.balance(), buyer.equity(), "valued at the last trade, the position has no PnL yet");
        assertEquals(3_250 * USD, buyer.initialMargin());
        assertTrue(buyer.maintenanceMargin() > 0 && buyer.maintenanceMargin() < buyer.initialMargin());
        assertTrue(buyer.health() > 0 && buyer.health() < 100);
    }

    @Test
    void makerRebateIsPaidFromTheFeePoolAndRoundsDown() {
        Engine rebating = new Engine(new EventRecorder());
        Command[] log = {EngineTest.addAsset(),
            EngineTest.addInstrument(InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withFeesPpm(-100, 500)),
            new Command().deposit(1, USDC, 100 * USD), new Command().deposit(2, USDC, 100 * USD),
            new Command().limit(2, BTC, 10, Side.SELL, 3, 7, TimeInForce.GTC),
            new Command().limit(1, BTC, 11, Side.BUY, 3, 7, TimeInForce.IOC)};
        for (int i = 0; i < log.length; i++) {
            log[i].sequence = i + 1;
            rebating.apply(log[i]);
        }
        // Notional 3 x 7 x 100 = 2,100 minor units: taker fee ceil(1.05) = 2, maker rebate floor(0.21) = 0.
        LedgerView ledger = rebating.view().ledger();
        assertEquals(100 * USD - 2, ledger.balance(1, USDC));
        assertEquals(100 * USD, ledger.balance(2, USDC));
        assertEquals(2, ledger.balance(SystemAccounts.FEE_POOL, USDC));
    }

    /**
     * Random order flow between a few funded accounts, with deposits and withdrawals mixed in: after every command the
     * ledger conserves value (fast and slow checks agree), positions net to zero, open interest is the sum of the
     * longs, and the fee pool never goes negative while maker fees are non-negative. With the mark fixed, an account
     * whose accepted limit order raised its initial margin still covers it after that order's own fills (reduce-only
     * orders and orders that lower the worst-case exposure are allowed even below initial margin), and a reduce-only
     * order never grows or flips its account's position.
     */
    @Property(tries = 60)
    void valueIsConservedAfterEveryCommand(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        EventRecorder events = new EventRecorder(false);
        Engine fuzzed = new Engine(events);
        long[] seq = {0};
        Consumer<Command> run = c -> {
            c.sequence = ++seq[0];
            c.timestamp = seq[0];
            fuzzed.apply(c);
        };
        run.accept(EngineTest.addAsset());
        run.accept(EngineTest.addInstrument(InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0)));
        Command mark = new Command().reset();
        mark.type = CommandType.SET_MARK_PRICE;
        mark.instrument = BTC;
        mark.price = 650_000;
        run.accept(mark);
        for (long account = 1; account <= 6; account++) {
            run.accept(new Command().deposit(account, USDC, random.nextLong(100 * USD, 20_000 * USD)));
        }
        long nextOrder = 100;
        for (int i = 0; i < 1_500; i++) {
            long account = 1 + random.nextInt(6);
            int kind = random.nextInt(100);
            Command c = new Command();
            if (kind < 2) {
                c.reset();
                c.type = CommandType.SET_MARGIN_MODE;
                c.account = account;
                c.instrument = BTC;
                c.marginMode = random.nextBoolean() ? MarginMode.ISOLATED : MarginMode.CROSS;
            } else if (kind < 4) {
                c.reset();
                c.type = CommandType.ADJUST_ISOLATED_MARGIN;
                c.account = account;
                c.instrument = BTC;
                c.amount = random.nextLong(-500 * USD, 500 * USD);
            } else if (kind < 8) {
                c.deposit(account, USDC, random.nextLong(1, 1_000 * USD));
            } else if (kind < 12) {
                c.withdraw(account, USDC, random.nextLong(1, 2_000 * USD));
            } else if (kind < 20) {
                c.cancel(account, BTC, 100 + random.nextLong(Math.max(1, nextOrder - 100)));
            } else if (kind < 32) {
                // Amends move prices up to 5,000 USD either side of the mark (a buy moved onto a sell resting above
                // the mark fills at a loss) and change sizes: the open-loss and size checks of amends.
                long price = random.nextInt(3) == 0 ? 0 : 600_000 + random.nextInt(100_001);
                c.amend(account, BTC, 100 + random.nextLong(Math.max(1, nextOrder - 100)), price,
                        random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(500));
            } else {
                Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                long price = 649_990 + random.nextInt(21);
                c.limit(account, BTC, nextOrder++, side, price, 1 + random.nextInt(50),
                        random.nextInt(4) == 0 ? TimeInForce.IOC : TimeInForce.GTC);
                if (random.nextInt(10) == 0) {
                    c.orderType = OrderType.MARKET;
                    c.price = 0;
                    c.timeInForce = TimeInForce.IOC;
                }
                c.reduceOnly = random.nextInt(10) == 0;
                c.selfTradePrevention = random.nextBoolean() ? SelfTradePrevention.NONE
                        : SelfTradePrevention.EXPIRE_MAKER;
            }
            events.clear();
            Order amended = c.type == CommandType.AMEND_ORDER ? fuzzed.view().book(BTC).order(c.orderId) : null;
            amended = amended != null && amended.account() == account ? amended : null;
            // An amend of a plain order that moves its price across the mark: its whole remainder may fill at a loss.
            boolean movedAtALoss = amended != null && !amended.reduceOnly() && c.price > 0
                    && (amended.side() == Side.BUY ? c.price > Math.max(650_000, amended.price())
                    : c.price < Math.min(650_000, amended.price()));
            long initialMarginBefore = fuzzed.view().marginState(account, USDC).initialMargin;
            long isolatedMarginBefore = fuzzed.view().isolatedState(account, BTC).initialMargin;
            long sizeBefore = fuzzed.view().positions(BTC).size(account);
            run.accept(c);
            LedgerView ledger = fuzzed.view().ledger();
            String where = "seed " + seed + " command " + i + " " + c;
            boolean accepted = events.ofType(Event.CommandRejected.class).isEmpty();
            MarginEngine.MarginState state = fuzzed.view().marginState(account, USDC);
            boolean raisedExposure = state.initialMargin > initialMarginBefore;
            if (c.type == CommandType.PLACE_ORDER && c.reduceOnly) {
                long sizeAfter = fuzzed.view().positions(BTC).size(account);
                assertTrue(Math.abs(sizeAfter) <= Math.abs(sizeBefore) && sizeAfter * sizeBefore >= 0,
                        where + ": reduce-only moved the position from " + sizeBefore + " to " + sizeAfter);
            }
            MarginEngine.MarginState isolated = fuzzed.view().isolatedState(account, BTC);
            if (accepted && c.type == CommandType.PLACE_ORDER && c.orderType == OrderType.LIMIT && !c.reduceOnly
                    && fuzzed.view().marginMode(account, BTC) == MarginMode.ISOLATED
                    && isolated.initialMargin > isolatedMarginBefore) {
                assertTrue(isolated.equity >= isolated.initialMargin, where + ": isolated equity " + isolated.equity
                        + " < IM " + isolated.initialMargin);
            }
            assertTrue(fuzzed.view().marginState(account, USDC).balance >= 0 || ledger.balance(account, USDC) < 0,
                    where + ": isolated margins exceed the balance");
            boolean checkedAmend = amended != null && !amended.reduceOnly() && (raisedExposure || movedAtALoss);
            if (accepted && (c.type == CommandType.PLACE_ORDER && c.orderType == OrderType.LIMIT && !c.reduceOnly
                    && raisedExposure || checkedAmend)) {
                assertTrue(state.equity >= state.initialMargin, where + ": equity " + state.equity + " < IM "
                        + state.initialMargin + " (IM before " + initialMarginBefore + ", position "
                        + fuzzed.view().positions(BTC).size(account) + ", resting buys "
                        + fuzzed.view().book(BTC).restingLots(account, Side.BUY) + ", sells "
                        + fuzzed.view().book(BTC).restingLots(account, Side.SELL) + ", events " + events.events() + ")");
            }
            assertTrue(ledger.isConserved(), where + ": " + ledger.conservationReport());
            assertNull(ledger.recomputeSums(), where);
            List<Position> positions = fuzzed.view().positions(BTC).sortedPositions();
            assertEquals(0, positions.stream().mapToLong(Position::size).sum(), where);
            assertEquals(positions.stream().mapToLong(p -> Math.max(0, p.size())).sum(),
                    fuzzed.view().positions(BTC).openInterest(), where);
            assertTrue(ledger.balance(SystemAccounts.FEE_POOL, USDC) >= 0, where);
        }
        assertTrue(fuzzed.view().book(BTC).tradeCount() > 0, "the flow must trade");
        assertTrue(fuzzed.view().ledger().balance(SystemAccounts.CLEARING, USDC) != 0
                || fuzzed.view().positions(BTC).openPositions() == 0, "PnL must have been realised");
    }

    @Test
    void commandTypesAreAllHandled() {
        for (CommandType type : CommandType.values()) {
            Command c = new Command().reset();
            c.type = type;
            apply(c);
        }
        assertTrue(recorder.ofType(Event.CommandRejected.class).stream()
                .noneMatch(r -> r.reason() == RejectReason.UNKNOWN_COMMAND), "every command type has a handler");
    }
}
