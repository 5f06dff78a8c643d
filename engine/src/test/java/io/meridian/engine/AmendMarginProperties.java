package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.risk.MarginEngine;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.List;
import java.util.SplittableRandom;

import static io.meridian.engine.EngineFixture.BTC;
import static io.meridian.engine.EngineFixture.USDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Amends are checked like the orders they become: a trader with one order amends it to random prices and sizes
 * against a market maker's ladder on both sides of the mark, and an accepted amend never leaves the trader's equity
 * below its initial margin by more than the taker fee of its own fills (moving a bid onto offers above the mark, or
 * an offer onto bids below it, fills at a loss the margin check must have covered).
 */
class AmendMarginProperties {
    private static final long MARK = 650_000;
    /** Lots in the trader's orders: at most 3 BTC. */
    private static final int MAX_LOTS = 3_000;
    /** The taker fee (0.05%) of the largest amended order at the highest price, with a unit per lot: 112.5 USDC. */
    private static final long FEE_BOUND = MAX_LOTS * 750_000L * 100 / 2_000 + MAX_LOTS;

    @Property(tries = 150)
    void anAcceptedAmendLeavesTheInitialMarginCoveredButForItsFee(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        EngineFixture fx = EngineFixture.traderAndMarketMaker();
        fx.apply(EngineFixture.mark(BTC, MARK));
        // The maker (account 9): 0.2 BTC every 500 USD from 500 to 10,000 USD either side of the mark.
        long makerOrder = 1_000;
        for (int k = 1; k <= 20; k++) {
            fx.apply(new Command().limit(9, BTC, makerOrder++, Side.SELL, MARK + 5_000L * k, 200, TimeInForce.GTC));
            fx.apply(new Command().limit(9, BTC, makerOrder++, Side.BUY, MARK - 5_000L * k, 200, TimeInForce.GTC));
        }
        // The trader (account 1, 10,000 USDC): one order resting away from the market, then amends of it.
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        long restingPrice = side == Side.BUY ? 550_000 + random.nextInt(90_001) : 660_000 + random.nextInt(90_001);
        fx.apply(new Command().limit(1, BTC, 1, side, restingPrice, 1 + random.nextInt(MAX_LOTS), TimeInForce.GTC));
        for (int i = 0; i < 6 && fx.engine.view().book(BTC).order(1) != null; i++) {
            MarginEngine.MarginState before = state(fx);
            long price = random.nextInt(4) == 0 ? 0 : 550_000 + random.nextInt(200_001);
            long quantity = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(MAX_LOTS);
            fx.recorder.clear();
            fx.apply(new Command().amend(1, BTC, 1, price, quantity));
            List<RejectReason> rejects = fx.rejects();
            MarginEngine.MarginState after = state(fx);
            String where = "seed " + seed + " amend " + i + " (" + side + " to price " + price + ", quantity " + quantity
                    + "): equity " + before.equity + " -> " + after.equity + ", initial margin " + before.initialMargin
                    + " -> " + after.initialMargin + ", rejects " + rejects + ", trades "
                    + fx.recorder.ofType(Event.TradeExecuted.class).size();
            if (!rejects.isEmpty()) {
                assertEquals(before.equity, after.equity, where);
                continue;
            }
            if (before.equity >= before.initialMargin) {
                assertTrue(after.equity + FEE_BOUND >= after.initialMargin, where);
            }
        }
        assertTrue(fx.engine.view().ledger().isConserved(), fx.engine.view().ledger().conservationReport());
    }

    private static MarginEngine.MarginState state(EngineFixture fx) {
        MarginEngine.MarginState s = fx.engine.view().marginState(1, USDC);
        MarginEngine.MarginState copy = new MarginEngine.MarginState();
        copy.equity = s.equity;
        copy.initialMargin = s.initialMargin;
        return copy;
    }
}
