package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.event.Event;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import io.meridian.risk.MarginEngine;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static io.meridian.engine.OptionFixture.DAY;
import static io.meridian.engine.OptionFixture.EXPIRY;
import static io.meridian.engine.OptionFixture.INDEX;
import static io.meridian.engine.OptionFixture.PERP;
import static io.meridian.engine.OptionFixture.S60K;
import static io.meridian.engine.OptionFixture.SECOND;
import static io.meridian.engine.OptionFixture.START;
import static io.meridian.engine.OptionFixture.USD;
import static io.meridian.engine.OptionFixture.USDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Option instruments in the engine before expiry: listing and its rejects, marks from the index and the mark
 * volatility, standard margin (not the perpetual schedule), portfolio margin by opt-in, and liquidation on it.
 * Units: see {@link OptionFixture}.
 */
class OptionTradingTest {
    private static final int CALL = 10;
    private static final int PUT = 11;
    /** Seven days in years, as the margin table measures it. */
    private static final double WEEK = 7.0 / 365.0;

    private final OptionFixture f = OptionFixture.standard(1_000_000);

    /** The premium in ticks (0.1 USD) of an option at spot S and 7 days, Black-76 on the index. */
    private static double ticks(OptionRight type, double spot, double strike, double vol) {
        return GeneralizedBlackScholes.price(type, spot, strike, WEEK, 0.0, 0.0, vol) / 0.1;
    }

    private long mark(int instrument) {
        return f.engine.view().book(instrument).markPrice();
    }

    @Test
    void listsAnOptionWhichTradesOnlyOnceItsIndexHasAPrice() {
        f.option(CALL, OptionRight.CALL, "60000");
        List<Event> events = f.recorder.drain();
        assertTrue(events.get(0) instanceof Event.InstrumentAdded added && added.spec().kind() == InstrumentKind.OPTION);
        Event.OptionAdded added = (Event.OptionAdded) events.get(1);
        assertEquals(OptionSpec.of(INDEX, "60000", OptionRight.CALL), added.option());
        assertEquals(added.option(), f.engine.view().optionSpec(CALL));
        assertNull(f.engine.view().optionSpec(PERP));

        f.limit(1, CALL, Side.BUY, 10_000, 1);
        assertEquals(List.of(RejectReason.OPTION_NOT_PRICED), f.rejects());

        // The first usable index prices the option: 7 days at the initial 80% volatility.
        f.index(S60K);
        double expected = ticks(OptionRight.CALL, 60_000, 60_000, 0.8);
        assertTrue(Math.abs(mark(CALL) - expected) <= 1, mark(CALL) + " vs " + expected);
        assertEquals(0.8, f.engine.view().optionMarkVolatility(CALL));
        f.recorder.clear();
        f.limit(1, CALL, Side.BUY, 10_000, 1);
        assertEquals(List.of(), f.rejects());
    }

    @Test
    void rejectsOptionTermsThatCannotMakeAnOption() {
        InstrumentSpec valid = OptionFixture.optionSpec(20, OptionRight.PUT, "60000", EXPIRY);
        OptionSpec terms = OptionSpec.of(INDEX, "60000", OptionRight.PUT);
        f.apply(listing(valid, null));
        f.apply(listing(InstrumentSpec.perpetual(20, "X-PERP", "BTC", "USDC", "0.1", "0.001"), terms));
        f.apply(listing(valid, OptionSpec.of(7, "60000", OptionRight.PUT)));
        f.apply(listing(valid, OptionSpec.of(INDEX, "60000.005", OptionRight.PUT)));
        f.apply(listing(valid, new OptionSpec(INDEX, new BigDecimal("-1"), OptionRight.PUT, 1, 1)));
        f.apply(listing(valid, terms.withSettlementWindow(0)));
        f.apply(listing(valid, terms.withInitialVolPpm(0)));
        f.apply(listing(OptionFixture.optionSpec(20, OptionRight.PUT, "60000", f.now()), terms));
        Command priced = listing(valid, terms);
        priced.pricingSpec = PricingSpec.datedFuture(INDEX, 6);
        f.apply(priced);
        // A lot of a million BTC: the strike's value of one lot (6e16 minor units) is beyond what margin can carry.
        InstrumentSpec huge = InstrumentSpec.option(20, "BIG", "BTC", "USDC", 6, "0.1", "1000", "1000", EXPIRY)
                .withQuantityLimits(1, 1);
        assertNull(huge.validate());
        f.apply(listing(huge, terms));
        assertEquals(List.of(RejectReason.INVALID_OPTION, RejectReason.INVALID_OPTION, RejectReason.UNKNOWN_INDEX,
                RejectReason.INVALID_STRIKE, RejectReason.INVALID_OPTION, RejectReason.INVALID_OPTION,
                RejectReason.INVALID_OPTION, RejectReason.OPTION_EXPIRY_PASSED, RejectReason.INVALID_OPTION,
                RejectReason.INVALID_OPTION), f.rejects());
        assertEquals(List.of(PERP), f.engine.view().instrumentIds());

        // All options of an index settle in one asset.
        f.apply(listing(valid, terms));
        Command usdt = new Command().reset();
        usdt.type = CommandType.ADD_ASSET;
        usdt.assetSpec = new AssetSpec(1, "USDT", 6);
        f.apply(usdt);
        InstrumentSpec inUsdt = InstrumentSpec.option(21, "BTC-USDT-C", "BTC", "USDT", 6, "0.1", "0.01", "1", EXPIRY);
        f.recorder.clear();
        f.apply(listing(inUsdt, OptionSpec.of(INDEX, "60000", OptionRight.CALL)));
        assertEquals(List.of(RejectReason.INVALID_OPTION), f.rejects());
        assertEquals(List.of(PERP, 20), f.engine.view().instrumentIds());
    }

    private static Command listing(InstrumentSpec spec, OptionSpec terms) {
        Command c = new Command().reset();
        c.type = CommandType.ADD_INSTRUMENT;
        c.instrumentSpec = spec;
        c.optionSpec = terms;
        return c;
    }

    @Test
    void shortOptionsNeedTheStandardRuleAndLongsTheirValue() {
        f.option(CALL, OptionRight.CALL, "60000");
        f.option(PUT, OptionRight.PUT, "50000");
        f.index(S60K);
        long callMark = mark(CALL);
        long putMark = mark(PUT);
        f.trade(CALL, 1, 2, callMark, 1);
        f.trade(PUT, 1, 3, putMark, 1);
        assertEquals(List.of(), f.rejects());

        // Short at-the-money call, 1 lot = 0.01 BTC: max(15% x 60,000 - 0, 10% x 60,000) x 0.01 = 90 USD;
        // maintenance half of it. Its premium is in equity as unrealised PnL, so nothing more is required.
        MarginEngine.MarginState call = f.engine.view().marginState(2, USDC);
        assertTrue(Math.abs(call.initialMargin - 90 * USD) <= 1, "short call initial " + call.initialMargin);
        assertTrue(Math.abs(call.maintenanceMargin - 45 * USD) <= 1, "short call maintenance " + call.maintenanceMargin);
        // Short put 10,000 out of the money: max(9,000 - 10,000, 6,000) x 0.01 = 60 USD.
        MarginEngine.MarginState put = f.engine.view().marginState(3, USDC);
        assertTrue(Math.abs(put.initialMargin - 60 * USD) <= 1, "short put initial " + put.initialMargin);
        // The long holds both: it needs their value (1,000 minor units per tick and lot), within half a tick each.
        MarginEngine.MarginState longs = f.engine.view().marginState(1, USDC);
        long value = (callMark + putMark) * 1_000;
        assertTrue(Math.abs(longs.initialMargin - value) <= 1_000, longs.initialMargin + " vs " + value);
        assertEquals(longs.initialMargin, longs.maintenanceMargin);
        assertTrue(f.engine.view().ledger().isConserved());
    }

    @Test
    void restingOrdersCountAtTheirWorstCaseSide() {
        f.option(CALL, OptionRight.CALL, "60000");
        f.index(S60K);
        long callMark = mark(CALL);
        f.trade(CALL, 4, 9, callMark, 5);
        long longOnly = f.engine.view().marginState(4, USDC).initialMargin;
        // Selling 10 lots while long 5 leaves the worst-case size at 5, but as a short: 5 x 90 USD instead of the
        // long's value. A perpetual-style check would have let it through without a margin check.
        f.limit(4, CALL, Side.SELL, callMark + 1_000, 10);
        MarginEngine.MarginState withOrder = f.engine.view().marginState(4, USDC);
        assertTrue(Math.abs(withOrder.initialMargin - 450 * USD) <= 5, "worst case " + withOrder.initialMargin
                + ", long only " + longOnly);
        assertEquals(longOnly, withOrder.maintenanceMargin);
    }

    @Test
    void aMarkImpliesTheVolatilityThatMovesWithTheIndex() {
        f.option(CALL, OptionRight.CALL, "60000");
        f.option(PUT, OptionRight.PUT, "60000");
        f.index(S60K);
        long atHalf = Math.round(ticks(OptionRight.CALL, 60_000, 60_000, 0.5));
        f.setMark(CALL, atHalf);
        assertEquals(atHalf, mark(CALL));
        assertEquals(0.5, f.engine.view().optionMarkVolatility(CALL), 1e-3);
        assertEquals(0.5, f.engine.view().optionMarkVolatility(PUT), 1e-3, "one volatility per strike and expiry");

        // Within the reprice interval the marks stay; after it, the next index recompute reprices both options.
        f.at(START + SECOND / 2).index(6_200_000);
        assertEquals(atHalf, mark(CALL));
        f.at(START + 2 * SECOND).index(6_200_000);
        double tte = (EXPIRY - (START + 2 * SECOND)) / (365.0 * DAY);
        double call = GeneralizedBlackScholes.price(OptionRight.CALL, 62_000, 60_000, tte, 0, 0, 0.5) / 0.1;
        double put = GeneralizedBlackScholes.price(OptionRight.PUT, 62_000, 60_000, tte, 0, 0, 0.5) / 0.1;
        assertTrue(Math.abs(mark(CALL) - call) <= 2, mark(CALL) + " vs " + call);
        assertTrue(Math.abs(mark(PUT) - put) <= 2, mark(PUT) + " vs " + put);
    }

    @Test
    void optionsTakeNeitherLeverageNorIsolatedMargin() {
        f.option(CALL, OptionRight.CALL, "60000");
        Command leverage = new Command().setLeverage(1, CALL, 5);
        f.apply(leverage);
        f.marginMode(1, CALL, MarginMode.ISOLATED);
        f.marginMode(1, PERP, MarginMode.PORTFOLIO);
        f.marginMode(1, Command.ALL_INSTRUMENTS, MarginMode.ISOLATED);
        assertEquals(List.of(RejectReason.NOT_FOR_OPTIONS, RejectReason.NOT_FOR_OPTIONS,
                RejectReason.INVALID_ACCOUNT_MARGIN_MODE, RejectReason.INVALID_ACCOUNT_MARGIN_MODE), f.rejects());
    }

    @Test
    void portfolioMarginOffsetsACoveredCallAndIsOptIn() {
        f.option(CALL, OptionRight.CALL, "60000");
        f.index(S60K);
        // Long 0.01 BTC of BTC-PERP (10 lots of 0.001 at 60,000.0) and short 1 lot (0.01 BTC) of the call.
        f.trade(PERP, 3, 9, 600_000, 10);
        f.trade(CALL, 9, 3, mark(CALL), 1);
        assertEquals(List.of(), f.rejects());
        long standard = f.engine.view().marginState(3, USDC).initialMargin;

        f.recorder.clear();
        f.marginMode(3, Command.ALL_INSTRUMENTS, MarginMode.PORTFOLIO);
        assertTrue(f.engine.view().isPortfolioMargin(3));
        List<Event.AccountUpdated> updates = f.recorder.ofType(Event.AccountUpdated.class);
        assertEquals(1, updates.size(), "the switch publishes the account");
        long portfolio = f.engine.view().marginState(3, USDC).initialMargin;
        assertEquals(portfolio, updates.get(0).initialMargin());
        assertTrue(portfolio < standard, "covered call: portfolio " + portfolio + " < standard " + standard);
        assertEquals(2, f.engine.view().optionMarginAccount(3, INDEX).legCount(), "the perpetual is a leg in portfolio mode");

        f.marginMode(3, Command.ALL_INSTRUMENTS, MarginMode.CROSS);
        assertFalse(f.engine.view().isPortfolioMargin(3));
        assertEquals(standard, f.engine.view().marginState(3, USDC).initialMargin);
        assertEquals(1, f.engine.view().optionMarginAccount(3, INDEX).legCount());
    }

    @Test
    void switchingModeIsRefusedWhenTheNewRequirementIsNotCovered() {
        f.option(CALL, OptionRight.CALL, "60000");
        f.index(S60K);
        f.apply(new Command().deposit(20, USDC, 150 * USD));
        // 0.02 BTC of BTC-PERP, 1,200 USD: 5% (60 USD) at the default leverage, but a 16% move (192 USD) under the
        // portfolio grid, more than the 150 USD it has.
        f.trade(PERP, 20, 9, 600_000, 20);
        assertEquals(List.of(), f.rejects());
        f.marginMode(20, Command.ALL_INSTRUMENTS, MarginMode.PORTFOLIO);
        assertEquals(List.of(RejectReason.INSUFFICIENT_MARGIN), f.rejects());
        assertFalse(f.engine.view().isPortfolioMargin(20));
        assertNull(f.engine.view().optionMarginAccount(20, INDEX));
    }

    @Test
    void anIndexMoveLiquidatesAShortOptionOnItsOptionMargin() {
        f.option(CALL, OptionRight.CALL, "60000");
        f.index(S60K);
        f.apply(new Command().deposit(20, USDC, 200 * USD));
        long callMark = mark(CALL);
        f.trade(CALL, 1, 20, callMark, 2);
        f.limit(9, CALL, Side.SELL, 200_000, 100);
        assertEquals(List.of(), f.rejects());
        MarginEngine.MarginState before = f.engine.view().marginState(20, USDC);
        assertTrue(before.equity > before.maintenanceMargin);
        assertEquals(0, f.engine.view().liquidationPrice(20, CALL), "no trigger price: the option rules decide");

        // +25%: the call is worth more than the account has.
        f.at(START + 5 * SECOND).index(7_500_000);
        List<Event.LiquidationStarted> started = f.recorder.ofType(Event.LiquidationStarted.class);
        assertEquals(1, started.size());
        assertEquals(20, started.get(0).account());
        assertEquals(0, f.engine.view().positions(CALL).position(20) == null ? 0
                : f.engine.view().positions(CALL).position(20).size());
        assertTrue(f.engine.view().marginState(20, USDC).equity >= 0);
        assertTrue(f.engine.view().ledger().isConserved());
    }
}
