package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.event.Event;
import io.meridian.risk.options.PortfolioMarginParams;
import io.meridian.risk.options.StandardMarginParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static io.meridian.engine.OptionFixture.INDEX;
import static io.meridian.engine.OptionFixture.S60K;
import static io.meridian.engine.OptionFixture.USD;
import static io.meridian.engine.OptionFixture.USDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SET_OPTION_MARGIN: an index's standard and portfolio-margin parameters by command. A change re-measures the accounts
 * holding legs on the index in the same command (published, liquidated if under maintenance); parameters set before
 * the first option apply from its listing; bad parameters are refused with nothing changed. Units: {@link OptionFixture}.
 */
class OptionMarginCommandTest {
    private static final int CALL = 10;
    private static final int PUT = 11;
    /** Account 3 holds a short strangle in portfolio margin, account 4 the same in standard margin. */
    private static final long PORTFOLIO = 3;
    private static final long STANDARD = 4;

    private static Command setMargin(int indexId, OptionMarginSpec spec) {
        Command c = new Command().reset();
        c.type = CommandType.SET_OPTION_MARGIN;
        c.indexId = indexId;
        c.optionMarginSpec = spec;
        return c;
    }

    private static OptionMarginSpec spec(StandardMarginParams standard, PortfolioMarginParams portfolio) {
        return OptionMarginSpecs.of(standard, portfolio);
    }

    /** A naked short strangle (70,000 call, 50,000 put, 5 lots each) for both accounts; 1 buys from each. */
    private static OptionFixture strangles(long deposit) {
        OptionFixture f = OptionFixture.standard(deposit);
        f.option(CALL, OptionRight.CALL, "70000");
        f.option(PUT, OptionRight.PUT, "50000");
        f.index(S60K);
        f.marginMode(PORTFOLIO, Command.ALL_INSTRUMENTS, MarginMode.PORTFOLIO);
        for (long seller : new long[] {PORTFOLIO, STANDARD}) {
            f.trade(CALL, 1, seller, f.engine.view().book(CALL).markPrice(), 5);
            f.trade(PUT, 1, seller, f.engine.view().book(PUT).markPrice(), 5);
        }
        assertEquals(List.of(), f.rejects(), "set-up");
        f.recorder.clear();
        return f;
    }

    private static Map<Long, Long> publishedInitialMargins(OptionFixture f) {
        Map<Long, Long> byAccount = new TreeMap<>();
        for (Event.AccountUpdated u : f.recorder.ofType(Event.AccountUpdated.class)) {
            byAccount.put(u.account(), u.initialMargin());
        }
        return byAccount;
    }

    @Test
    void aWiderGridRaisesTheStrangleInPortfolioMarginAndPublishesIt() {
        OptionFixture f = strangles(1_000_000);
        long portfolioBefore = f.engine.view().marginState(PORTFOLIO, USDC).initialMargin;
        long standardBefore = f.engine.view().marginState(STANDARD, USDC).initialMargin;
        assertEquals(OptionMarginSpecs.defaults(), f.engine.view().optionMarginSpec(INDEX), "defaults until set");

        OptionMarginSpec wider = spec(StandardMarginParams.defaults(),
                PortfolioMarginParams.defaults().withPriceMoves(PortfolioMarginParams.evenMoves(300_000, 6)));
        f.apply(setMargin(INDEX, wider));
        assertEquals(List.of(), f.rejects());
        assertEquals(wider, f.engine.view().optionMarginSpec(INDEX));
        long portfolioAfter = f.engine.view().marginState(PORTFOLIO, USDC).initialMargin;
        assertTrue(portfolioAfter > portfolioBefore, "+/-30% grid: " + portfolioAfter + " > " + portfolioBefore);
        assertEquals(standardBefore, f.engine.view().marginState(STANDARD, USDC).initialMargin, "standard rule unchanged");
        // Every account with legs on the index is published by the command itself, with its new requirement.
        Map<Long, Long> published = publishedInitialMargins(f);
        assertEquals(portfolioAfter, published.get(PORTFOLIO));
        assertEquals(standardBefore, published.get(STANDARD));
        assertEquals(List.of(1L, PORTFOLIO, STANDARD), List.copyOf(published.keySet()));
    }

    @Test
    void higherStandardRatesRaiseTheStandardAccountOnly() {
        OptionFixture f = strangles(1_000_000);
        long portfolioBefore = f.engine.view().marginState(PORTFOLIO, USDC).initialMargin;
        long standardBefore = f.engine.view().marginState(STANDARD, USDC).initialMargin;
        // pctA 15% -> 30%, floor 10% -> 20%: each leg's rate part doubles or more.
        f.apply(setMargin(INDEX, spec(new StandardMarginParams(300_000, 200_000, 20_000, 500_000),
                PortfolioMarginParams.defaults())));
        assertEquals(List.of(), f.rejects());
        long standardAfter = f.engine.view().marginState(STANDARD, USDC).initialMargin;
        assertTrue(standardAfter > standardBefore * 3 / 2, standardAfter + " vs " + standardBefore);
        assertEquals(portfolioBefore, f.engine.view().marginState(PORTFOLIO, USDC).initialMargin);
    }

    @Test
    void aTighterGridLiquidatesAnAccountItLeavesUnderMaintenanceInTheSameCommand() {
        // Account 8 sells the strangle in portfolio margin with little more than the default grid needs.
        OptionFixture g = OptionFixture.standard(1_000_000);
        g.option(CALL, OptionRight.CALL, "70000");
        g.option(PUT, OptionRight.PUT, "50000");
        g.index(S60K);
        g.marginMode(8, Command.ALL_INSTRUMENTS, MarginMode.PORTFOLIO);
        g.trade(CALL, 1, 8, g.engine.view().book(CALL).markPrice(), 5);
        g.trade(PUT, 1, 8, g.engine.view().book(PUT).markPrice(), 5);
        g.limit(9, CALL, Side.SELL, g.engine.view().book(CALL).markPrice() * 3, 50);
        g.limit(9, PUT, Side.SELL, g.engine.view().book(PUT).markPrice() * 3, 50);
        long need = g.engine.view().marginState(8, USDC).initialMargin;
        long equity = g.engine.view().marginState(8, USDC).equity;
        // Leave it with just over its initial requirement.
        Command withdraw = new Command().reset();
        withdraw.type = CommandType.WITHDRAW;
        withdraw.account = 8;
        withdraw.asset = USDC;
        withdraw.amount = equity - need - USD;
        g.apply(withdraw);
        assertEquals(List.of(), g.rejects(), "set-up");
        g.recorder.clear();

        // A +/-60% grid: the short call alone loses far more than that at +60%.
        g.apply(setMargin(INDEX, spec(StandardMarginParams.defaults(),
                PortfolioMarginParams.defaults().withPriceMoves(PortfolioMarginParams.evenMoves(600_000, 6)))));
        assertEquals(List.of(), g.rejects());
        List<Event.LiquidationStarted> started = g.recorder.ofType(Event.LiquidationStarted.class);
        assertEquals(1, started.size(), "liquidated by the parameter change itself");
        assertEquals(8, started.get(0).account());
        assertTrue(g.engine.view().ledger().isConserved());
    }

    @Test
    void parametersSetBeforeTheFirstOptionApplyFromItsListing() {
        OptionMarginSpec wider = spec(StandardMarginParams.defaults(),
                PortfolioMarginParams.defaults().withPriceMoves(PortfolioMarginParams.evenMoves(300_000, 6)));
        OptionFixture before = OptionFixture.standard(1_000_000);
        before.apply(setMargin(INDEX, wider));
        assertEquals(List.of(), before.rejects());
        assertEquals(wider, before.engine.view().optionMarginSpec(INDEX));
        OptionFixture after = strangles(1_000_000);
        after.apply(setMargin(INDEX, wider));

        before.option(CALL, OptionRight.CALL, "70000");
        before.option(PUT, OptionRight.PUT, "50000");
        before.index(S60K);
        before.marginMode(PORTFOLIO, Command.ALL_INSTRUMENTS, MarginMode.PORTFOLIO);
        before.trade(CALL, 1, PORTFOLIO, before.engine.view().book(CALL).markPrice(), 5);
        before.trade(PUT, 1, PORTFOLIO, before.engine.view().book(PUT).markPrice(), 5);
        assertEquals(List.of(), before.rejects());
        assertEquals(after.engine.view().marginState(PORTFOLIO, USDC).initialMargin,
                before.engine.view().marginState(PORTFOLIO, USDC).initialMargin);
        assertEquals(after.engine.view().optionMarginAccount(PORTFOLIO, INDEX).portfolioInitialMargin(),
                before.engine.view().optionMarginAccount(PORTFOLIO, INDEX).portfolioInitialMargin());
    }

    @Test
    void refusesBadParametersAndChangesNothing() {
        OptionFixture f = strangles(1_000_000);
        // The hash covers the last sequence number: the twin takes as many time ticks as f takes refused commands.
        OptionFixture twin = strangles(1_000_000);
        long initial = f.engine.view().marginState(PORTFOLIO, USDC).initialMargin;
        OptionMarginSpec good = OptionMarginSpecs.defaults();
        List<Function<OptionMarginSpec, OptionMarginSpec>> breakers = List.of(
                s -> null,
                s -> copy(s, List.of(100_000L, -100_000L), s.volShocks()),                  // moves not increasing
                s -> copy(s, List.of(-1_000_000L, 0L), s.volShocks()),                      // a fall of 100%
                s -> copy(s, List.of(), s.volShocks()),                                     // no moves
                s -> copy(s, null, s.volShocks()),
                s -> copy(s, s.priceMovesPpm(), List.of(new OptionMarginSpec.Shock(0, 0),
                        new OptionMarginSpec.Shock(0, 0))),                                 // duplicate shock
                s -> copy(s, s.priceMovesPpm(), List.of(new OptionMarginSpec.Shock(-2_000_000, 0))),
                s -> new OptionMarginSpec(100_000, 150_000, s.futuresRatePpm(), s.standardMaintenancePpm(),
                        s.priceMovesPpm(), s.volShocks(), s.volFloorPpm(), s.volTermDays(), s.volTermExponentPpm(),
                        s.shortOptionAddOnPpm(), s.concentrationThresholdMicros(), s.concentrationAddOnPpm(),
                        s.deltaBoundMicros(), s.deltaAddOnPpm(), s.portfolioMaintenancePpm()),    // floor above pctA
                s -> new OptionMarginSpec(s.shortOptionRatePpm(), s.shortOptionFloorPpm(), s.futuresRatePpm(),
                        s.standardMaintenancePpm(), s.priceMovesPpm(), s.volShocks(), s.volFloorPpm(),
                        s.volTermDays(), s.volTermExponentPpm(), s.shortOptionAddOnPpm(),
                        s.concentrationThresholdMicros(), s.concentrationAddOnPpm(), s.deltaBoundMicros(),
                        s.deltaAddOnPpm(), 0));                                              // no maintenance
        for (Function<OptionMarginSpec, OptionMarginSpec> breaker : breakers) {
            f.apply(setMargin(INDEX, breaker.apply(good)));
        }
        f.apply(setMargin(7, good));
        f.apply(setMargin(-1, good));
        List<RejectReason> expected = new ArrayList<>();
        breakers.forEach(b -> expected.add(RejectReason.INVALID_OPTION_MARGIN));
        expected.add(RejectReason.UNKNOWN_INDEX);
        expected.add(RejectReason.UNKNOWN_INDEX);
        assertEquals(expected, f.rejects());
        assertTrue(f.recorder.ofType(Event.AccountUpdated.class).isEmpty(), "nobody re-published");
        assertEquals(initial, f.engine.view().marginState(PORTFOLIO, USDC).initialMargin);
        assertEquals(OptionMarginSpecs.defaults(), f.engine.view().optionMarginSpec(INDEX));
        assertNull(f.engine.view().optionMarginSpec(7));
        for (int i = 0; i < expected.size(); i++) {
            twin.tick();
        }
        assertEquals(twin.engine.stateHash(), f.engine.stateHash(), "a refused command leaves the state as it was");
    }

    @Test
    void theParametersArePartOfTheStateHash() {
        OptionFixture a = OptionFixture.standard(1_000);
        OptionFixture b = OptionFixture.standard(1_000);
        assertEquals(a.engine.stateHash(), b.engine.stateHash());
        a.apply(setMargin(INDEX, OptionMarginSpecs.defaults()));
        b.apply(setMargin(INDEX, spec(StandardMarginParams.defaults(),
                PortfolioMarginParams.defaults().withMaintenanceFractionPpm(900_000))));
        assertEquals(List.of(), a.rejects());
        assertEquals(List.of(), b.rejects());
        assertFalse(a.engine.stateHash() == b.engine.stateHash(), "different parameters, different state");
    }

    private static OptionMarginSpec copy(OptionMarginSpec s, List<Long> moves, List<OptionMarginSpec.Shock> shocks) {
        return new OptionMarginSpec(s.shortOptionRatePpm(), s.shortOptionFloorPpm(), s.futuresRatePpm(),
                s.standardMaintenancePpm(), moves, shocks, s.volFloorPpm(), s.volTermDays(), s.volTermExponentPpm(),
                s.shortOptionAddOnPpm(), s.concentrationThresholdMicros(), s.concentrationAddOnPpm(),
                s.deltaBoundMicros(), s.deltaAddOnPpm(), s.portfolioMaintenancePpm());
    }
}
