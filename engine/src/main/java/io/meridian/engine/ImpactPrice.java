package io.meridian.engine;

import io.meridian.matching.OrderBook;
import io.meridian.model.Side;

import java.math.BigInteger;

/**
 * Impact prices for the funding premium: the average price at which a market order of a fixed notional would fill
 * against the visible book (Binance's "impact margin notional", dYdX's impact notional). Off the hot path (one call
 * per premium sample), so exact {@link BigInteger} arithmetic is fine here.
 */
final class ImpactPrice {
    private ImpactPrice() {
    }

    /**
     * The average fill price, in index units, of selling ({@code side} = BUY: walking the bids, the impact bid) or
     * buying ({@code side} = SELL: walking the asks, the impact ask) {@code notional} settlement minor units. The
     * last level may be used for a fraction of a lot: the average is {@code notional / lotsFilled} with fractional
     * lots, exactly. The impact bid is rounded down and the impact ask up, so rounding never creates a premium.
     *
     * @return the price in index units, or 0 when the side's visible depth cannot fill the notional
     */
    static long of(OrderBook book, Side side, long notional, long minorUnitsPerTickLot, long unitsPerTick) {
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
                    return average(notional, perLot, lots, 0, minorUnitsPerTickLot, unitsPerTick, side);
                }
                continue;
            }
            return average(notional, perLot, lots, remaining, minorUnitsPerTickLot, unitsPerTick, side);
        }
        return 0;
    }

    /**
     * The filled lots are {@code lots + remaining / perLot} (perLot = the last level's minor units per lot), so the
     * average in ticks is {@code notional x perLot / (minorUnitsPerTickLot x (lots x perLot + remaining))}.
     */
    private static long average(long notional, long perLot, long lots, long remaining, long minorUnitsPerTickLot,
                                long unitsPerTick, Side side) {
        BigInteger numerator = BigInteger.valueOf(notional).multiply(BigInteger.valueOf(perLot))
                .multiply(BigInteger.valueOf(unitsPerTick));
        BigInteger denominator = BigInteger.valueOf(lots).multiply(BigInteger.valueOf(perLot))
                .add(BigInteger.valueOf(remaining)).multiply(BigInteger.valueOf(minorUnitsPerTickLot));
        BigInteger[] qr = numerator.divideAndRemainder(denominator);
        BigInteger result = side == Side.SELL && qr[1].signum() != 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        return result.longValueExact();
    }
}
