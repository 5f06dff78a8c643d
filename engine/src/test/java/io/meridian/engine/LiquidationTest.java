package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.PostingType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.risk.MarginEngine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The liquidation process through the engine: detection on mark moves, partial liquidation in the book with the
 * fee to the insurance fund, the backstop account, the insurance fund covering a loss beyond bankruptcy, and
 * auto-deleveraging by rank.
 *
 * <p>BTC-PERP: tick 0.1 USD, lot 0.001 BTC (100 minor units per lot-tick), default tiers: first tier MMR 0.4%.
 * Account 1 opens 1 BTC long at 50,000 with 1,000 USDC at 100x; its bankruptcy price is then
 * 50,000 - 975 (balance after the 25 USDC taker fee) = 49,025.
 */
class LiquidationTest {
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final long USD = 1_000_000;
    private static final long ONE_BTC = 1_000;
    private static final long BACKSTOP = 77;

    private EventRecorder recorder;
    private Engine engine;
    private long sequence;

    private void start(LiquidationConfig liquidation) {
        recorder = new EventRecorder(false);
        engine = new Engine(recorder, EngineConfig.defaults().withLiquidation(liquidation));
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        apply(asset);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        apply(instrument);
        apply(new Command().deposit(1, USDC, 1_000 * USD));
        apply(new Command().deposit(9, USDC, 10_000_000 * USD));
        apply(new Command().deposit(BACKSTOP, USDC, 10_000_000 * USD));
        mark(500_000);
        apply(leverage(1, 100));
    }

    private void apply(Command c) {
        c.sequence = ++sequence;
        c.timestamp = 1_000 + sequence;
        engine.apply(c);
    }

    private void mark(long price) {
        Command c = new Command().reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = BTC;
        c.price = price;
        apply(c);
    }

    private static Command leverage(long account, int value) {
        Command c = new Command().reset();
        c.type = CommandType.SET_LEVERAGE;
        c.account = account;
        c.instrument = BTC;
        c.leverage = value;
        return c;
    }

    /** Account {@code buyer} buys {@code lots} from {@code seller} at {@code price}. */
    private void trade(long buyer, long seller, long price, long lots) {
        apply(new Command().limit(seller, BTC, 1_000 + sequence, Side.SELL, price, lots, TimeInForce.GTC));
        apply(new Command().limit(buyer, BTC, 1_000 + sequence, Side.BUY, price, lots, TimeInForce.IOC));
    }

    private void insuranceDeposit(long amount) {
        apply(new Command().deposit(SystemAccounts.INSURANCE_FUND, USDC, amount));
    }

    private List<RejectReason> rejects() {
        return recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList();
    }

    private void assertSolventAndConserved(long... accounts) {
        assertTrue(engine.ledger().isConserved(), engine.ledger().conservationReport());
        assertNull(engine.ledger().recomputeSums());
        for (long account : accounts) {
            MarginEngine.MarginState state = engine.marginState(account, USDC);
            assertTrue(state.equity >= 0, "account " + account + " equity " + state.equity);
        }
    }

    @Test
    void aMarkMoveThatCrossesNoTriggerLiquidatesNobody() {
        start(LiquidationConfig.defaults());
        trade(1, 9, 500_000, ONE_BTC);
        recorder.clear();
        mark(492_500);
        assertTrue(recorder.ofType(Event.LiquidationStarted.class).isEmpty());
        assertEquals(ONE_BTC, engine.positions(BTC).size(1));
    }

    @Test
    void aFallingMarkLiquidatesPartlyInTheBookWithTheFeeToTheInsuranceFund() {
        start(LiquidationConfig.defaults());
        trade(1, 9, 500_000, ONE_BTC);
        apply(new Command().limit(9, BTC, 5_000, Side.BUY, 491_500, 5 * ONE_BTC, TimeInForce.GTC));
        recorder.clear();
        // Equity 975 - 800 = 175 USDC against MM 0.4% x 49,200 = 196.8: liquidatable.
        mark(492_000);
        List<Event.LiquidationStarted> started = recorder.ofType(Event.LiquidationStarted.class);
        assertEquals(List.of(new Event.LiquidationStarted(sequence, 1_000 + sequence, 1, USDC, -1, 175 * USD,
                196_800_000)), started);
        List<Event.LiquidationFill> fills = recorder.ofType(Event.LiquidationFill.class);
        assertFalse(fills.isEmpty());
        long fees = 0;
        for (Event.LiquidationFill fill : fills) {
            assertEquals(Side.SELL, fill.side());
            assertEquals(491_500, fill.price(), "fills at the bid, above bankruptcy (49,025)");
            fees += fill.fee();
        }
        assertEquals(fees, engine.insuranceFund(USDC));
        assertTrue(fees > 0);
        long left = engine.positions(BTC).size(1);
        assertTrue(left > 0 && left < ONE_BTC, "partial: " + left);
        MarginEngine.MarginState after = engine.marginState(1, USDC);
        assertTrue(after.equity * 10 >= after.maintenanceMargin * 11, "back above MM x 1.1: " + after.equity + " vs "
                + after.maintenanceMargin);
        Event.LiquidationEnded ended = recorder.ofType(Event.LiquidationEnded.class).get(0);
        assertEquals(after.equity, ended.equity());
        assertTrue(recorder.ofType(Event.OrderAccepted.class).stream()
                .anyMatch(o -> o.account() == 1 && o.orderId() >= Liquidator.ORDER_ID_BASE));
        assertSolventAndConserved(1, 9);
    }

    @Test
    void theBackstopTakesWhatTheBookCannotAbsorbAtTheBankruptcyPrice() {
        start(LiquidationConfig.defaults().withBackstopAccount(BACKSTOP));
        trade(1, 9, 500_000, ONE_BTC);
        recorder.clear();
        mark(492_000);
        List<Event.BackstopTransfer> transfers = recorder.ofType(Event.BackstopTransfer.class);
        assertFalse(transfers.isEmpty());
        for (Event.BackstopTransfer transfer : transfers) {
            assertEquals(BACKSTOP, transfer.backstopAccount());
            assertTrue(transfer.price() >= 490_250, "at or above bankruptcy: " + transfer.price());
        }
        long moved = transfers.stream().mapToLong(Event.BackstopTransfer::quantity).sum();
        assertEquals(moved, engine.positions(BTC).size(BACKSTOP));
        assertEquals(ONE_BTC - moved, engine.positions(BTC).size(1));
        assertSolventAndConserved(1, 9, BACKSTOP);
    }

    @Test
    void theInsuranceFundCoversALossBeyondBankruptcyAfterAGap() {
        start(LiquidationConfig.defaults());
        insuranceDeposit(10_000 * USD);
        trade(1, 9, 500_000, ONE_BTC);
        apply(new Command().limit(9, BTC, 5_000, Side.BUY, 479_000, 5 * ONE_BTC, TimeInForce.GTC));
        recorder.clear();
        // A gap straight through bankruptcy (49,025): equity 975 - 2,000 < 0.
        mark(480_000);
        assertEquals(0, engine.positions(BTC).size(1), "closed in full: equity was negative");
        List<Event.InsuranceFundPaid> paid = recorder.ofType(Event.InsuranceFundPaid.class);
        assertEquals(1, paid.size());
        // Sold 1 BTC at 47,900: balance 975 - 2,100 = -1,125 USDC (no fee: no equity left to pay it from).
        assertEquals(1_125 * USD, paid.get(0).amount());
        assertEquals((10_000 - 1_125) * USD, engine.insuranceFund(USDC));
        assertEquals(0, engine.ledger().balance(1, USDC));
        assertSolventAndConserved(1, 9);
    }

    @Test
    void autoDeleveragingClosesTheHighestRankedOppositePositionsAtBankruptcy() {
        start(LiquidationConfig.defaults());
        apply(new Command().deposit(2, USDC, 100_000 * USD));
        apply(new Command().deposit(3, USDC, 5_000 * USD));
        trade(1, 2, 500_000, ONE_BTC / 2);
        trade(1, 3, 500_000, ONE_BTC / 2);
        mark(495_000);
        // Both shorts are in profit by the same percentage; 3 has less equity, so more effective leverage.
        assertEquals(5, engine.adlQuantile(3, BTC));
        assertTrue(engine.adlQuantile(2, BTC) < 5);
        recorder.clear();
        mark(480_000);
        List<Event.AutoDeleveraged> adl = recorder.ofType(Event.AutoDeleveraged.class);
        assertEquals(2, adl.size());
        assertEquals(3, adl.get(0).counterparty());
        assertEquals(2, adl.get(1).counterparty());
        long bankruptcy = adl.get(0).price();
        assertTrue(bankruptcy >= 490_000 && bankruptcy <= 490_260, "bankruptcy about 49,025: " + bankruptcy);
        assertEquals(0, engine.positions(BTC).size(1));
        assertEquals(0, engine.positions(BTC).size(2));
        assertEquals(0, engine.positions(BTC).size(3));
        MarginEngine.MarginState bankrupt = engine.marginState(1, USDC);
        assertTrue(bankrupt.equity >= 0 && bankrupt.equity < 100 * USD, "closed at bankruptcy: " + bankrupt.equity);
        assertTrue(recorder.ofType(Event.InsuranceFundPaid.class).isEmpty());
        assertSolventAndConserved(1, 2, 3);
    }

    @Test
    void anIsolatedPositionIsLiquidatedAloneAndTheCrossBalanceIsUntouched() {
        start(LiquidationConfig.defaults());
        apply(new Command().deposit(1, USDC, 9_000 * USD));
        Command isolated = new Command().reset();
        isolated.type = CommandType.SET_MARGIN_MODE;
        isolated.account = 1;
        isolated.instrument = BTC;
        isolated.marginMode = MarginMode.ISOLATED;
        apply(isolated);
        trade(1, 9, 500_000, ONE_BTC);
        apply(new Command().limit(9, BTC, 5_000, Side.BUY, 496_800, 5 * ONE_BTC, TimeInForce.GTC));
        long isolatedMargin = engine.isolatedState(1, BTC).balance;
        long crossBefore = engine.marginState(1, USDC).equity;
        assertTrue(isolatedMargin > 0 && isolatedMargin < 1_000 * USD, "about 500 USDC at 100x: " + isolatedMargin);
        recorder.clear();
        // Isolated equity about 500 - 310 = 190 against MM 0.4% x 49,690 = 198.76: just liquidatable.
        mark(496_900);
        Event.LiquidationStarted started = recorder.ofType(Event.LiquidationStarted.class).get(0);
        assertEquals(BTC, started.instrument());
        long left = engine.positions(BTC).size(1);
        assertTrue(left > 0 && left < ONE_BTC, "partial: " + left);
        MarginEngine.MarginState position = engine.isolatedState(1, BTC);
        assertTrue(position.equity * 10 >= position.maintenanceMargin * 11, position.equity + " vs "
                + position.maintenanceMargin);
        assertEquals(crossBefore, engine.marginState(1, USDC).equity, "cross equity unchanged");
        assertSolventAndConserved(1, 9);
    }

    @Test
    void liquidationOrderIdsAreReservedAndTheInsuranceFundCanBeFunded() {
        start(LiquidationConfig.defaults());
        apply(new Command().limit(9, BTC, Liquidator.ORDER_ID_BASE, Side.BUY, 400_000, 1, TimeInForce.GTC));
        apply(new Command().deposit(SystemAccounts.INSURANCE_FUND, USDC, 0));
        apply(new Command().deposit(SystemAccounts.INSURANCE_FUND, 7, 1));
        assertEquals(List.of(RejectReason.INVALID_ORDER_ID, RejectReason.INVALID_AMOUNT, RejectReason.UNKNOWN_ASSET),
                rejects());
        insuranceDeposit(5 * USD);
        assertEquals(5 * USD, engine.insuranceFund(USDC));
        assertTrue(recorder.ofType(Event.PostingApplied.class).stream().anyMatch(p -> p.type() == PostingType.DEPOSIT
                && p.toAccount() == SystemAccounts.INSURANCE_FUND));
        assertSolventAndConserved(9);
    }
}
