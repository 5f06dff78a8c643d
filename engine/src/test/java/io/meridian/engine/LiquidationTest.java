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
 * The liquidation waterfall through the engine: detection on mark moves, partial steps in the book (a bounded share
 * per mark change) with the fee to the insurance fund, the backstop account, the insurance fund taking over at the
 * bankruptcy price and unwinding later, and auto-deleveraging by rank only below the fund's floor, never past a
 * counterparty's own bankruptcy price.
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
    private static final int ETH = 2;
    private static final long ONE_ETH = 1_000;

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
        markOf(BTC, price);
    }

    private void markOf(int instrument, long price) {
        Command c = new Command().reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = instrument;
        c.price = price;
        apply(c);
    }

    /** ETH-PERP: tick 0.01 USD, lot 0.001 ETH (10 minor units per lot-tick), mark 2,350. */
    private void addEth() {
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(ETH, "ETH-PERP", "ETH", "USDC", "0.01", "0.001")
                .withPriceBandPpm(0);
        apply(instrument);
        markOf(ETH, 235_000);
    }

    private static Command leverage(long account, int value) {
        return leverage(account, BTC, value);
    }

    private static Command leverage(long account, int instrument, int value) {
        Command c = new Command().setLeverage(account, instrument, value);
        return c;
    }

    /** Account {@code buyer} buys {@code lots} from {@code seller} at {@code price}. */
    private void trade(long buyer, long seller, long price, long lots) {
        trade(BTC, buyer, seller, price, lots);
    }

    private void trade(int instrument, long buyer, long seller, long price, long lots) {
        apply(new Command().limit(seller, instrument, 1_000 + sequence, Side.SELL, price, lots, TimeInForce.GTC));
        apply(new Command().limit(buyer, instrument, 1_000 + sequence, Side.BUY, price, lots, TimeInForce.IOC));
    }

    private void insuranceDeposit(long amount) {
        apply(new Command().deposit(SystemAccounts.INSURANCE_FUND, USDC, amount));
    }

    private List<RejectReason> rejects() {
        return recorder.ofType(Event.CommandRejected.class).stream().map(Event.CommandRejected::reason).toList();
    }

    private void assertSolventAndConserved(long... accounts) {
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
        assertNull(engine.view().ledger().recomputeSums());
        for (long account : accounts) {
            MarginEngine.MarginState state = engine.view().marginState(account, USDC);
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
        assertEquals(ONE_BTC, engine.view().positions(BTC).size(1));
    }

    @Test
    void aFallingMarkLiquidatesOneBoundedStepInTheBookWithTheFeeToTheInsuranceFund() {
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
        assertEquals(fees, engine.view().insuranceFund(USDC));
        assertTrue(fees > 0);
        // One step of at most 25% of the position: 250 lots.
        assertEquals(ONE_BTC - 250, engine.view().positions(BTC).size(1));
        MarginEngine.MarginState after = engine.view().marginState(1, USDC);
        // Sold 0.25 BTC at 49,150: equity 175 - 12.5 = 162.5 against MM 147.6; the fee takes at most a quarter of
        // the 14.9 surplus (and of the 49.2 x 0.25 of MM released), so the account stays above maintenance.
        assertTrue(after.equity > after.maintenanceMargin, after.equity + " vs " + after.maintenanceMargin);
        assertEquals(3_725_000, fees);
        assertEquals(162_500_000 - fees, after.equity);
        Event.LiquidationEnded ended = recorder.ofType(Event.LiquidationEnded.class).get(0);
        assertEquals(after.equity, ended.equity());
        assertTrue(recorder.ofType(Event.OrderAccepted.class).stream()
                .anyMatch(o -> o.account() == 1 && o.orderId() >= Liquidator.ORDER_ID_BASE));
        assertSolventAndConserved(1, 9);
    }

    @Test
    void aTwentyEthLongIsCutByAQuarterPerMarkChangeAndTheFeeIsASmallShareOfEquity() {
        start(LiquidationConfig.defaults());
        addEth();
        apply(new Command().deposit(4, USDC, 2_500 * USD));
        apply(leverage(4, ETH, 20));
        // Long 20 ETH at 2,350 (notional 47,000 USDC) with 2,500 USDC at 20x.
        trade(ETH, 4, 9, 235_000, 20 * ONE_ETH);
        long liquidationPrice = engine.view().liquidationPrice(4, ETH);
        assertTrue(liquidationPrice > 220_000 && liquidationPrice < 235_000, "about 2,234.9: " + liquidationPrice);
        // Market makers' bids below the mark: 5 ETH a level.
        for (int level = 0; level < 4; level++) {
            apply(new Command().limit(9, ETH, 6_000 + level, Side.BUY, liquidationPrice - 10 - 50 * level,
                    5 * ONE_ETH, TimeInForce.GTC));
        }
        MarginEngine.MarginState before = engine.view().marginState(4, USDC);
        recorder.clear();
        markOf(ETH, liquidationPrice - 1);
        List<Event.LiquidationStarted> started = recorder.ofType(Event.LiquidationStarted.class);
        assertEquals(1, started.size());
        long equityBefore = started.get(0).equity();
        long maintenanceBefore = started.get(0).maintenanceMargin();
        assertTrue(equityBefore <= maintenanceBefore && equityBefore > 0);
        long sold = recorder.ofType(Event.LiquidationFill.class).stream().mapToLong(Event.LiquidationFill::quantity)
                .sum();
        long fee = recorder.ofType(Event.LiquidationFill.class).stream().mapToLong(Event.LiquidationFill::fee).sum();
        assertEquals(5 * ONE_ETH, sold, "one step: 25% of 20 ETH");
        assertEquals(15 * ONE_ETH, engine.view().positions(ETH).size(4));
        MarginEngine.MarginState after = engine.view().marginState(4, USDC);
        assertTrue(after.equity > after.maintenanceMargin, "healthier: " + after.equity + " vs "
                + after.maintenanceMargin);
        // Closer to initial margin than before: equity / IM rose.
        assertTrue(after.equity * before.initialMargin > equityBefore * after.initialMargin);
        assertTrue(fee > 0 && fee * 10 < after.equity, "fee " + fee + " is under a tenth of equity " + after.equity);
        // The same mark again does nothing (the account is above maintenance); a lower mark that crosses the new
        // trigger takes exactly one more step.
        recorder.clear();
        markOf(ETH, liquidationPrice - 2);
        assertTrue(recorder.ofType(Event.LiquidationFill.class).isEmpty());
        long next = engine.view().liquidationPrice(4, ETH);
        markOf(ETH, next);
        long soldNext = recorder.ofType(Event.LiquidationFill.class).stream()
                .mapToLong(Event.LiquidationFill::quantity).sum();
        assertTrue(soldNext > 0 && soldNext <= 15 * ONE_ETH / 4 + 1, "one step of at most 25%: " + soldNext);
        assertSolventAndConserved(4, 9);
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
        assertEquals(moved, engine.view().positions(BTC).size(BACKSTOP));
        assertEquals(ONE_BTC - moved, engine.view().positions(BTC).size(1));
        assertSolventAndConserved(1, 9, BACKSTOP);
    }

    @Test
    void afterAGapTheInsuranceFundTakesThePositionOverAtBankruptcyAndUnwindsItOnLaterMarks() {
        start(LiquidationConfig.defaults());
        insuranceDeposit(10_000 * USD);
        trade(1, 9, 500_000, ONE_BTC);
        apply(new Command().limit(9, BTC, 5_000, Side.BUY, 479_000, 5 * ONE_BTC, TimeInForce.GTC));
        recorder.clear();
        // A gap straight through bankruptcy (49,025): equity 975 - 2,000 < 0. The only bid (47,900) is worse than
        // bankruptcy, so the book takes nothing and the fund takes the whole position at 49,025.
        mark(480_000);
        assertEquals(0, engine.view().positions(BTC).size(1));
        assertTrue(recorder.ofType(Event.LiquidationFill.class).isEmpty(), "no fill worse than bankruptcy");
        List<Event.InsuranceFundTakeover> takeovers = recorder.ofType(Event.InsuranceFundTakeover.class);
        assertEquals(1, takeovers.size());
        assertEquals(new Event.InsuranceFundTakeover(sequence, 1_000 + sequence, 1, BTC, Side.SELL, 490_250, ONE_BTC,
                (10_000 - 1_025) * USD), takeovers.get(0));
        assertEquals(ONE_BTC, engine.view().insuranceFundInventory(BTC));
        assertEquals(0, engine.view().ledger().balance(1, USDC), "closed at bankruptcy: nothing left, no deficit");
        assertTrue(recorder.ofType(Event.InsuranceFundPaid.class).isEmpty());
        MarginEngine.MarginState fund = engine.view().insuranceFundState(USDC);
        assertEquals(10_000 * USD, fund.balance);
        assertEquals(-1_025 * USD, fund.unrealizedPnl);
        assertEquals((10_000 - 1_025) * USD, fund.equity);
        assertTrue(recorder.ofType(Event.InsuranceFundUnwind.class).isEmpty(), "no unwind in the takeover's command");

        // The next mark: the fund offers 25% of its inventory within 2% of the mark; the bid at 47,900 is inside.
        recorder.clear();
        mark(480_100);
        List<Event.InsuranceFundUnwind> unwinds = recorder.ofType(Event.InsuranceFundUnwind.class);
        assertEquals(List.of(new Event.InsuranceFundUnwind(sequence, 1_000 + sequence, BTC, Side.SELL, 479_000, 250,
                -281_250_000, 750)), unwinds);
        assertEquals(750, engine.view().insuranceFundInventory(BTC));
        assertEquals(-281_250_000, engine.view().insuranceFundRealizedPnl(USDC));
        mark(480_200);
        assertEquals(750 - 188, engine.view().insuranceFundInventory(BTC));
        // A mark whose band excludes the bid (47,900 < 48,900 x 0.98 = 47,922) unwinds nothing.
        mark(489_000);
        assertEquals(750 - 188, engine.view().insuranceFundInventory(BTC));
        assertSolventAndConserved(1, 9, SystemAccounts.INSURANCE_FUND);
    }

    @Test
    void theMarginLeftAboveBankruptcyGoesToTheInsuranceFundWhenItTakesOver() {
        start(LiquidationConfig.defaults());
        insuranceDeposit(10_000 * USD);
        trade(1, 9, 500_000, ONE_BTC);
        recorder.clear();
        // Equity 175 at 49,200, nobody bids: the fund takes 1 BTC at 49,025 and its 175 of margin with it.
        mark(492_000);
        assertEquals(1, recorder.ofType(Event.InsuranceFundTakeover.class).size());
        assertEquals(0, engine.view().positions(BTC).size(1));
        assertEquals(0, engine.view().marginState(1, USDC).equity);
        assertEquals((10_000 + 175) * USD, engine.view().insuranceFundState(USDC).equity);
        assertTrue(recorder.ofType(Event.AutoDeleveraged.class).isEmpty());
        assertSolventAndConserved(1, 9, SystemAccounts.INSURANCE_FUND);
    }

    @Test
    void autoDeleveragingRunsOnlyWhenTheFundWouldFallBelowItsFloor() {
        // The same fund and crash, with a floor of 20,000 USDC: the fund may not take over, ADL closes the position.
        start(LiquidationConfig.defaults().withInsuranceFundFloorUnits(20_000));
        insuranceDeposit(10_000 * USD);
        trade(1, 9, 500_000, ONE_BTC);
        recorder.clear();
        mark(492_000);
        List<Event.InsuranceFundBelowFloor> cause = recorder.ofType(Event.InsuranceFundBelowFloor.class);
        assertEquals(1, cause.size());
        assertEquals((10_000 + 175) * USD, cause.get(0).fundEquity());
        assertTrue(cause.get(0).required() >= 20_000 * USD);
        assertTrue(recorder.ofType(Event.InsuranceFundTakeover.class).isEmpty());
        List<Event.AutoDeleveraged> adl = recorder.ofType(Event.AutoDeleveraged.class);
        assertEquals(1, adl.size());
        // The counterparty closes at the mark, not at the bankrupt price: the 175 of margin goes to the fund.
        assertEquals(492_000, adl.get(0).price());
        assertEquals(List.of(new Event.RemainingMarginToInsuranceFund(sequence, 1_000 + sequence, 1, USDC, BTC,
                175 * USD)), recorder.ofType(Event.RemainingMarginToInsuranceFund.class));
        assertEquals((10_000 + 175) * USD, engine.view().insuranceFund(USDC));
        assertEquals(0, engine.view().marginState(1, USDC).equity);
        assertSolventAndConserved(1, 9, SystemAccounts.INSURANCE_FUND);
    }

    @Test
    void theFundsOwnInventoryIsDeleveragedAtTheMarkWhenItFallsBelowItsFloor() {
        start(LiquidationConfig.defaults());
        insuranceDeposit(1_000 * USD);
        trade(1, 9, 500_000, ONE_BTC);
        // Nobody bids: at 49,200 the fund (1,000 USDC) takes 1 BTC over at 49,025, equity 1,175 >= MM 196.8.
        mark(492_000);
        assertEquals(ONE_BTC, engine.view().insuranceFundInventory(BTC));
        // At 48,500 its equity is 1,000 - 525 = 475, above the MM of 194: it keeps the position (no bid to unwind).
        mark(485_000);
        assertEquals(ONE_BTC, engine.view().insuranceFundInventory(BTC));
        assertTrue(recorder.ofType(Event.AutoDeleveraged.class).isEmpty());
        // At 48,100: 1,000 - 925 = 75 < MM 192.4. The fund's inventory is deleveraged at the mark against short 9.
        recorder.clear();
        mark(481_000);
        List<Event.InsuranceFundBelowFloor> cause = recorder.ofType(Event.InsuranceFundBelowFloor.class);
        assertEquals(1, cause.size());
        assertEquals(SystemAccounts.INSURANCE_FUND, cause.get(0).account());
        List<Event.AutoDeleveraged> adl = recorder.ofType(Event.AutoDeleveraged.class);
        assertEquals(1, adl.size());
        assertEquals(new Event.AutoDeleveraged(sequence, 1_000 + sequence, SystemAccounts.INSURANCE_FUND, 9, BTC,
                Side.SELL, 481_000, ONE_BTC, adl.get(0).rankPpm()), adl.get(0));
        assertEquals(0, engine.view().insuranceFundInventory(BTC));
        assertEquals(-925 * USD, engine.view().insuranceFundRealizedPnl(USDC));
        assertEquals(75 * USD, engine.view().insuranceFund(USDC));
        assertEquals(75 * USD, engine.view().insuranceFundState(USDC).equity);
        assertSolventAndConserved(1, 9, SystemAccounts.INSURANCE_FUND);
    }

    @Test
    void autoDeleveragingNeverClosesACounterpartyBeyondItsOwnBankruptcyPrice() {
        start(LiquidationConfig.defaults());
        addEth();
        apply(new Command().deposit(1, USDC, 500 * USD));
        apply(new Command().deposit(3, USDC, 300 * USD));
        apply(leverage(3, 100));
        apply(leverage(1, ETH, 100));
        // Account 1: long 1 BTC at 50,000 (half from 3, half from 9) and long 20 ETH at 2,350.
        trade(1, 3, 500_000, ONE_BTC / 2);
        trade(1, 9, 500_000, ONE_BTC / 2);
        trade(ETH, 1, 9, 235_000, 20 * ONE_ETH);
        recorder.clear();
        // ETH gaps to 2,150 with no bids: account 1 loses 4,000 and is deep below zero. Its BTC bankruptcy price
        // (ETH held at its mark) is far above the BTC mark of 50,000; short 3, with about 287 USDC of equity on 0.5
        // BTC, goes bankrupt at about 50,590: no price keeps both 3 and account 1 at or above zero, so 3 is never
        // deleveraged (before, 3 was closed at its own bankruptcy price, beyond account 1's: every ADL close must lie
        // within both accounts' bankruptcy prices, and the shadow audit found the breach in a random stream).
        markOf(ETH, 215_000);
        List<Event.AutoDeleveraged> adl = recorder.ofType(Event.AutoDeleveraged.class);
        assertFalse(adl.isEmpty());
        assertTrue(adl.stream().noneMatch(a -> a.counterparty() == 3), "3 cannot take it within both bounds: " + adl);
        assertEquals(-ONE_BTC / 2, engine.view().positions(BTC).size(3), "3 keeps its short");
        assertTrue(engine.view().marginState(3, USDC).equity >= 0);
        Event.AutoDeleveraged nine = adl.stream().filter(a -> a.counterparty() == 9 && a.instrument() == BTC)
                .findFirst().orElseThrow();
        assertTrue(nine.price() > 506_500, "9 takes the BTC at account 1's bankruptcy price, within 9's own bound: "
                + nine.price());
        assertEquals(0, engine.view().positions(BTC).size(1));
        assertEquals(0, engine.view().positions(ETH).size(1));
        assertSolventAndConserved(1, 3, 9, SystemAccounts.INSURANCE_FUND);
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
        assertEquals(5, engine.view().adlQuantile(3, BTC));
        assertTrue(engine.view().adlQuantile(2, BTC) < 5);
        recorder.clear();
        mark(480_000);
        List<Event.AutoDeleveraged> adl = recorder.ofType(Event.AutoDeleveraged.class);
        assertEquals(2, adl.size());
        assertEquals(3, adl.get(0).counterparty());
        assertEquals(2, adl.get(1).counterparty());
        long bankruptcy = adl.get(0).price();
        assertTrue(bankruptcy >= 490_000 && bankruptcy <= 490_260, "bankruptcy about 49,025: " + bankruptcy);
        assertEquals(0, engine.view().positions(BTC).size(1));
        assertEquals(0, engine.view().positions(BTC).size(2));
        assertEquals(0, engine.view().positions(BTC).size(3));
        MarginEngine.MarginState bankrupt = engine.view().marginState(1, USDC);
        assertTrue(bankrupt.equity >= 0 && bankrupt.equity < 100 * USD, "closed at bankruptcy: " + bankrupt.equity);
        assertTrue(recorder.ofType(Event.InsuranceFundPaid.class).isEmpty());
        assertSolventAndConserved(1, 2, 3);
    }

    @Test
    void anIsolatedPositionIsLiquidatedAloneAndTheCrossBalanceIsUntouched() {
        start(LiquidationConfig.defaults());
        apply(new Command().deposit(1, USDC, 9_000 * USD));
        Command isolated = new Command().setMarginMode(1, BTC, MarginMode.ISOLATED);
        apply(isolated);
        trade(1, 9, 500_000, ONE_BTC);
        apply(new Command().limit(9, BTC, 5_000, Side.BUY, 496_800, 5 * ONE_BTC, TimeInForce.GTC));
        long isolatedMargin = engine.view().isolatedState(1, BTC).balance;
        long crossBefore = engine.view().marginState(1, USDC).equity;
        assertTrue(isolatedMargin > 0 && isolatedMargin < 1_000 * USD, "about 500 USDC at 100x: " + isolatedMargin);
        recorder.clear();
        // Isolated equity about 500 - 310 = 190 against MM 0.4% x 49,690 = 198.76: just liquidatable.
        mark(496_900);
        Event.LiquidationStarted started = recorder.ofType(Event.LiquidationStarted.class).get(0);
        assertEquals(BTC, started.instrument());
        long left = engine.view().positions(BTC).size(1);
        assertEquals(ONE_BTC - 250, left, "one step: 25% of the position");
        MarginEngine.MarginState position = engine.view().isolatedState(1, BTC);
        assertTrue(position.equity > position.maintenanceMargin, position.equity + " vs "
                + position.maintenanceMargin);
        assertEquals(crossBefore, engine.view().marginState(1, USDC).equity, "cross equity unchanged");
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
        assertEquals(5 * USD, engine.view().insuranceFund(USDC));
        assertTrue(recorder.ofType(Event.PostingApplied.class).stream().anyMatch(p -> p.type() == PostingType.DEPOSIT
                && p.toAccount() == SystemAccounts.INSURANCE_FUND));
        assertSolventAndConserved(9);
    }
}
