package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.MarginMode;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.risk.MarginEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Isolated positions: their own margin, topped up from the cross account, released when idle. */
class IsolatedMarginTest {
    private static final int USDC = EngineFixture.USDC;
    private static final int BTC = EngineFixture.BTC;
    private static final long USD = EngineFixture.USD;
    private static final long ONE_BTC = 1_000;

    private EngineFixture fx;
    private Engine engine;

    @BeforeEach
    void setUp() {
        fx = EngineFixture.traderAndMarketMaker();
        engine = fx.engine;
    }

    private void apply(Command c) {
        fx.apply(c);
    }

    private static Command mode(long account, MarginMode mode) {
        return EngineFixture.marginMode(account, BTC, mode);
    }

    private static Command adjust(long account, long amount) {
        return EngineFixture.adjustIsolated(account, BTC, amount);
    }

    private static Command leverage(long account, int leverage) {
        return EngineFixture.leverage(account, BTC, leverage);
    }

    private List<RejectReason> rejects() {
        return fx.rejects();
    }

    @Test
    void anIsolatedPositionCarriesItsOwnMarginThroughItsLife() {
        apply(mode(1, MarginMode.ISOLATED));
        apply(leverage(1, 10));
        assertEquals(MarginMode.ISOLATED, engine.view().marginMode(1, BTC));
        // A bid for 1 BTC at 65,000 at 10x needs 6,500 USDC plus a fee of up to 32.5 (and 0.001 for per-fill rounding):
        // moved out of the cross balance.
        apply(new Command().limit(1, BTC, 10, Side.BUY, 650_000, ONE_BTC, TimeInForce.GTC));
        assertEquals(6_532_501_000L, engine.view().isolatedState(1, BTC).balance);
        MarginEngine.MarginState cross = engine.view().marginState(1, USDC);
        assertEquals(10_000 * USD - 6_532_501_000L, cross.balance);
        assertEquals(cross.balance, cross.withdrawable(), "the cross account has nothing else to cover");

        // Filled as maker (fee 13 USDC, paid out of the isolated margin).
        apply(new Command().limit(9, BTC, 11, Side.SELL, 650_000, ONE_BTC, TimeInForce.IOC));
        MarginEngine.MarginState isolated = engine.view().isolatedState(1, BTC);
        assertEquals(6_532_501_000L - 13 * USD, isolated.balance);
        assertEquals(6_500 * USD, isolated.initialMargin);
        long liquidation = engine.view().liquidationPrice(1, BTC);
        assertTrue(liquidation > 585_000 && liquidation < 590_000, "about 65,000 - 6,519.5 + MM: " + liquidation);
        List<Event.IsolatedPositionUpdated> updates = fx.recorder.ofType(Event.IsolatedPositionUpdated.class);
        assertEquals(isolated.balance, updates.get(updates.size() - 1).isolatedMargin());

        // Closing at 66,000 as taker: +1,000 USDC realised, 33 USDC fee; flat, so the margin goes back to cross.
        apply(new Command().limit(9, BTC, 12, Side.BUY, 660_000, ONE_BTC, TimeInForce.GTC));
        apply(new Command().limit(1, BTC, 13, Side.SELL, 660_000, ONE_BTC, TimeInForce.IOC));
        assertEquals(0, engine.view().isolatedState(1, BTC).balance);
        long ledgerBalance = engine.view().ledger().balance(1, USDC);
        assertEquals(10_000 * USD - 13 * USD + 1_000 * USD - 33 * USD, ledgerBalance);
        assertEquals(ledgerBalance, engine.view().marginState(1, USDC).balance);
        assertEquals(List.of(), rejects());
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
    }

    @Test
    void anIsolatedOrderCannotTakeMoreThanTheCrossAccountCanSpare() {
        apply(mode(1, MarginMode.ISOLATED));
        apply(leverage(1, 5));
        // 1 BTC at 65,000 and 5x needs 13,000 USDC; the account has 10,000.
        apply(new Command().limit(1, BTC, 10, Side.BUY, 650_000, ONE_BTC, TimeInForce.GTC));
        assertEquals(List.of(RejectReason.INSUFFICIENT_MARGIN), rejects());
        assertEquals(0, engine.view().isolatedState(1, BTC).balance, "a rejected order moves nothing");
    }

    @Test
    void modeChangesOnlyWhileFlatWithoutOrders() {
        apply(new Command().limit(1, BTC, 10, Side.BUY, 600_000, 10, TimeInForce.GTC));
        apply(mode(1, MarginMode.ISOLATED));
        apply(mode(1, null));
        apply(new Command().cancel(1, BTC, 10));
        apply(mode(1, MarginMode.ISOLATED));
        apply(adjust(9, 1));
        assertEquals(List.of(RejectReason.MARGIN_MODE_LOCKED, RejectReason.MISSING_MARGIN_MODE,
                RejectReason.NOT_ISOLATED), rejects());
        assertEquals(MarginMode.ISOLATED, engine.view().marginMode(1, BTC));
    }

    @Test
    void marginCanBeAddedAndTakenBackDownToTheInitialMargin() {
        apply(mode(1, MarginMode.ISOLATED));
        apply(leverage(1, 10));
        apply(new Command().limit(1, BTC, 10, Side.BUY, 650_000, ONE_BTC, TimeInForce.GTC));
        apply(new Command().limit(9, BTC, 11, Side.SELL, 650_000, ONE_BTC, TimeInForce.IOC));
        apply(adjust(1, 1_000 * USD));
        long margin = engine.view().isolatedState(1, BTC).balance;
        assertEquals(6_532_501_000L - 13 * USD + 1_000 * USD, margin);
        apply(adjust(1, 10_000 * USD));
        apply(adjust(1, -(margin - 6_500 * USD) - 1));
        apply(adjust(1, 0));
        assertEquals(List.of(RejectReason.INSUFFICIENT_MARGIN, RejectReason.ISOLATED_MARGIN_BREACH,
                RejectReason.INVALID_AMOUNT), rejects());
        apply(adjust(1, -(margin - 6_500 * USD)));
        assertEquals(6_500 * USD, engine.view().isolatedState(1, BTC).balance);
        assertTrue(engine.view().ledger().isConserved(), engine.view().ledger().conservationReport());
    }
}
