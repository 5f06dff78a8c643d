package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.EngineEvents;
import io.meridian.model.FixedPoint;
import io.meridian.model.MarginMode;
import io.meridian.model.PostingType;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;

import java.util.ArrayList;
import java.util.List;

/**
 * Auto-deleveraging, the last step of the liquidation waterfall ({@link Liquidator}; docs/risk.md, "Liquidation"):
 * closes a position that neither the book, the backstop nor the insurance fund could take against opposite user
 * positions ranked by BitMEX's rule, never past a counterparty's own bankruptcy price; and the bankruptcy price itself,
 * which every step of the waterfall is bounded by. Fires {@code autoDeleveraged} per counterparty and
 * {@code remainingMarginToInsuranceFund} when the close leaves the account margin above bankruptcy.
 *
 * <p>Engine thread only; allocates the ranking (a rare path).
 */
final class AutoDeleverager {
    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final MarginEngine margin;
    private final Ledger ledger;
    private final EngineEvents events;
    private final MarginEngine.MarginState state = new MarginEngine.MarginState();
    /** PnL the account realised in the last {@link #deleverage} (for the insurance fund's own inventory). */
    private long lastRealized;

    AutoDeleverager(OrderBook[] books, Clearing[] clearings, MarginEngine margin, Ledger ledger, EngineEvents events) {
        this.books = books;
        this.clearings = clearings;
        this.margin = margin;
        this.ledger = ledger;
        this.events = events;
    }

    /**
     * The price at which the position's account (cross: everything else held at the mark; isolated: its margin),
     * whose equity is {@code equity} now, has zero equity, rounded to the tick on the safe side (a long sells at or
     * above it, a short buys at or below), within 1 .. the instrument's maximum price.
     */
    long bankruptcyPrice(long account, int instrument, long equity) {
        Position position = clearings[instrument].positions().position(account);
        long unit = clearings[instrument].positions().minorUnitsPerTickLot();
        long mark = books[instrument].markPrice();
        long collateral = equity - position.unrealizedPnl(mark, unit);
        long numerator = Math.subtractExact(position.openValue(), collateral);
        long denominator = Math.multiplyExact(position.size(), unit);
        long price = position.size() > 0 ? Math.floorDiv(numerator, denominator)
                + (Math.floorMod(numerator, denominator) != 0 ? 1 : 0) : Math.floorDiv(numerator, denominator);
        return Math.max(1, Math.min(price, books[instrument].spec().maxPrice()));
    }

    /**
     * Closes up to {@code lots} of the account's position against opposite positions, highest BitMEX rank first
     * (ties: lower account), each counterparty at the price least favourable to it among the mark and the bankruptcy
     * price, but never beyond its own bankruptcy price; counterparties at or below zero equity, system accounts, and
     * counterparties whose own bankruptcy price is worse than {@code price} (no price would keep both sides at or above
     * zero) are skipped. The account closes at the same price; when that is better for it than its bankruptcy price, the
     * difference (its margin left above bankruptcy on those lots) goes to the insurance fund. Returns the lots left;
     * {@link #lastRealized()} is then the PnL the account realised on the lots closed.
     */
    long deleverage(long sequence, long timestamp, long account, int asset, int instrument, Side side, long price,
                    long lots) {
        lastRealized = 0;
        List<long[]> ranked = rankOpposite(account, instrument, side);
        Clearing clearing = clearings[instrument];
        long unit = clearing.positions().minorUnitsPerTickLot();
        long mark = books[instrument].markPrice();
        Side opposite = side == Side.SELL ? Side.BUY : Side.SELL;
        boolean isolated = margin.marginMode(account, instrument) == MarginMode.ISOLATED;
        long remaining = lots;
        for (long[] entry : ranked) {
            if (remaining == 0) {
                break;
            }
            long counterparty = entry[0];
            boolean counterpartyIsolated = margin.marginMode(counterparty, instrument) == MarginMode.ISOLATED;
            long counterpartyEquity = counterpartyIsolated
                    ? margin.computeIsolated(counterparty, instrument, state).equity
                    : margin.compute(counterparty, asset, state).equity;
            if (counterpartyEquity <= 0) {
                continue;
            }
            long bound = bankruptcyPrice(counterparty, instrument, counterpartyEquity);
            if (side == Side.SELL ? bound < price : bound > price) {
                // No price lies within both bankruptcy prices: closing here would push one of the two below zero. The
                // counterparty is skipped; what nobody can take goes to the insurance fund (the last resort).
                continue;
            }
            // The account sells (a long is liquidated): the short counterparty buys at max(mark, bankruptcy), at most
            // its own bankruptcy price; and the mirror image for a short.
            long at = side == Side.SELL ? Math.min(Math.max(mark, price), bound) : Math.max(Math.min(mark, price), bound);
            long quantity = Math.min(remaining, Math.abs(clearing.positions().size(counterparty)));
            lastRealized = Math.addExact(lastRealized, clearing.transfer(account, side, at, quantity));
            clearing.transfer(counterparty, opposite, at, quantity);
            events.autoDeleveraged(sequence, timestamp, account, counterparty, instrument, side, at, quantity,
                    entry[1]);
            long better = side == Side.SELL ? at - price : price - at;
            if (better > 0) {
                long margin = Math.multiplyExact(Math.multiplyExact(better, quantity), unit);
                MarginEngine.MarginState now = isolated ? this.margin.computeIsolated(account, instrument, state)
                        : this.margin.compute(account, asset, state);
                margin = Math.min(margin, Math.max(0, now.equity));
                if (margin > 0) {
                    ledger.post(PostingType.LIQUIDATION_FEE, asset, account, SystemAccounts.INSURANCE_FUND, margin);
                    this.margin.onIsolatedCashflow(account, instrument, -margin);
                    events.remainingMarginToInsuranceFund(sequence, timestamp, account, asset, instrument, margin);
                }
            }
            remaining -= quantity;
        }
        return remaining;
    }

    /** Opposite-side user positions of the instrument as {account, rankPpm, equity}: {@link #queue} of that side. */
    private List<long[]> rankOpposite(long account, int instrument, Side closingSide) {
        return queue(instrument, closingSide == Side.SELL, account);
    }

    /**
     * The ADL queue of one side of the instrument, in the order {@link #deleverage} walks it: the user positions
     * (account > 0) of that side but {@code except}'s, as {account, rankPpm, equity}, highest rank first, ties by
     * lower account. Both {@link #deleverage} and the quantiles ({@link #adlQuantiles}) take it from here, so the
     * indicator a trader sees is this order. O(positions x the margin computation of each account); allocates.
     */
    private List<long[]> queue(int instrument, boolean shorts, long except) {
        List<long[]> ranked = new ArrayList<>();
        for (Position position : clearings[instrument].positions().sortedPositions()) {
            if (position.account() == except || position.account() <= 0 || position.isFlat()
                    || (position.size() < 0) != shorts) {
                continue;
            }
            long equity = equity(position.account(), instrument);
            ranked.add(new long[] {position.account(), adlRankPpm(instrument, position, equity), equity});
        }
        ranked.sort((a, b) -> a[1] != b[1] ? Long.compare(b[1], a[1]) : Long.compare(a[0], b[0]));
        return ranked;
    }

    /** The account's equity as ADL weighs it: its isolated position's in isolated mode, else its cross equity. */
    private long equity(long account, int instrument) {
        return margin.marginMode(account, instrument) == MarginMode.ISOLATED
                ? margin.computeIsolated(account, instrument, state).equity
                : margin.compute(account, clearings[instrument].asset(), state).equity;
    }

    /** BitMEX's ADL rank of the position at the current mark given its account's {@code equity} ({@link #score}). */
    long adlRankPpm(int instrument, Position position, long equity) {
        long unit = clearings[instrument].positions().minorUnitsPerTickLot();
        long mark = books[instrument].markPrice();
        return score(position.unrealizedPnl(mark, unit), Math.abs(position.openValue()), position.notional(mark, unit),
                equity);
    }

    /**
     * BitMEX's ADL rank in ppm, the one function that orders the queue: PnL% x effective leverage when PnL% > 0, else
     * PnL% / effective leverage, where PnL% = unrealised PnL / |entry value| (ppm, floored) and effective leverage =
     * |mark value| / equity (mark value minus bankrupt value is the equity). An account with no positive equity (or a
     * position of no mark value) ranks first among the profitable and last among the losing; it is skipped as a
     * counterparty, though. All amounts in the settlement asset's minor units.
     */
    static long score(long pnl, long entryValue, long markValue, long equity) {
        long pnlPpm = entryValue == 0 ? 0 : FixedPoint.mulDivFloor(pnl, FixedPoint.PPM, entryValue);
        if (equity <= 0 || markValue == 0) {
            return pnlPpm > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return pnlPpm > 0 ? FixedPoint.mulDivFloor(pnlPpm, markValue, equity)
                : FixedPoint.mulDivFloor(pnlPpm, equity, markValue);
    }

    /** PnL the account realised on the lots the last {@link #deleverage} closed. */
    long lastRealized() {
        return lastRealized;
    }

    /**
     * The ADL indicator of every candidate position of the instrument ({@link AdlQuantiles}): each side's
     * {@link #queue}, less the accounts at or below zero equity (the engine skips them as counterparties), ranked into
     * quantiles. Before a mark there is no queue: none. A query, not a command path: O(n log n) in the instrument's
     * positions, each with its account's margin computation; it allocates.
     */
    AdlQuantiles adlQuantiles(int instrument, long sequence) {
        if (books[instrument].markPrice() == 0) {
            return new AdlQuantiles(sequence, new long[0], new byte[0]);
        }
        List<long[]> candidates = new ArrayList<>();
        for (boolean shorts : new boolean[] {false, true}) {
            List<long[]> side = new ArrayList<>();
            for (long[] entry : queue(instrument, shorts, 0)) {
                if (entry[2] > 0) {
                    side.add(entry);
                }
            }
            long[] ranks = new long[side.size()];
            for (int i = 0; i < ranks.length; i++) {
                ranks[i] = side.get(i)[1];
            }
            byte[] quantiles = AdlQuantiles.of(ranks);
            for (int i = 0; i < ranks.length; i++) {
                candidates.add(new long[] {side.get(i)[0], quantiles[i]});
            }
        }
        candidates.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] accounts = new long[candidates.size()];
        byte[] quantiles = new byte[candidates.size()];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = candidates.get(i)[0];
            quantiles[i] = (byte) candidates.get(i)[1];
        }
        return new AdlQuantiles(sequence, accounts, quantiles);
    }
}
