package io.meridian.engine;

import io.meridian.matching.BookView;
import io.meridian.model.FixedPoint;
import io.meridian.model.Side;

/**
 * Impact prices: the average price at which a market order of a fixed notional would fill against the visible book
 * (Binance's "impact margin notional", dYdX's impact notional). They feed the funding premium samples and the book
 * component of the mark price, which is recomputed on every index update, so this allocates nothing: long arithmetic
 * with overflow checks and {@link FixedPoint}'s 128-bit division. It walks only as many levels as the notional needs
 * (each level holds at least one lot, so at most {@code notional / (lowest price x minor units per tick-lot)}).
 */
final class ImpactPrice {
    private ImpactPrice() {
    }

    /**
     * The average fill price, in index units, of selling ({@code side} = BUY: walking the bids, the impact bid) or
     * buying ({@code side} = SELL: walking the asks, the impact ask) {@code notional} settlement minor units. The
     * last level may be used for a fraction of a lot: the average is {@code notional / lotsFilled} with fractional
     * lots, exactly. The impact bid is rounded down and the impact ask up, so rounding never creates a premium and
     * never narrows the impact spread.
     *
     * @return the price in index units, or 0 when the side's visible depth cannot fill the notional (also when the
     *         walk's valuation would not fit a long: an absurd book, treated like a thin one)
     */
    static long of(BookView book, Side side, long notional, long minorUnitsPerTickLot, long unitsPerTick) {
        long remaining = notional;
        long lots = 0;
        int depth = book.depth(side);
        for (int level = 0; level < depth; level++) {
            long price = book.levelPrice(side, level);
            long quantity = book.levelQuantity(side, level);
            long perLot = Math.multiplyExact(price, minorUnitsPerTickLot);
            if (quantity <= remaining / perLot) {
                remaining -= quantity * perLot;
                lots += quantity;
                if (remaining == 0) {
                    return average(notional, price, perLot, lots, 0, unitsPerTick, side);
                }
                continue;
            }
            return average(notional, price, perLot, lots, remaining, unitsPerTick, side);
        }
        return 0;
    }

    /**
     * With {@code perLot = price x minorUnitsPerTickLot} of the last level used, the filled lots are
     * {@code lots + remaining / perLot}, so the average in ticks is
     * {@code notional / (minorUnitsPerTickLot x filled) = notional x price / (lots x perLot + remaining)}, and in index
     * units that times {@code unitsPerTick}. The denominator is the value of the filled lots at the last level's
     * price: at most the notional for bids (walking down); for asks at most the notional times the ratio of the last
     * to the first price walked, checked against overflow.
     */
    private static long average(long notional, long price, long perLot, long lots, long remaining, long unitsPerTick,
                                Side side) {
        long high = Math.multiplyHigh(lots, perLot);
        long atLast = lots * perLot;
        if (high != 0 || atLast < 0 || atLast > Long.MAX_VALUE - remaining) {
            return 0;
        }
        long denominator = atLast + remaining;
        long priceUnits = Math.multiplyExact(price, unitsPerTick);
        return side == Side.SELL ? FixedPoint.mulDivCeil(notional, priceUnits, denominator)
                : FixedPoint.mulDivFloor(notional, priceUnits, denominator);
    }
}
