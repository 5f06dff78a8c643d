package io.meridian.node.history;

/**
 * Sums and products of the histories' statistics that stop at {@link Long#MAX_VALUE} instead of overflowing or
 * throwing: an exception on the engine thread would stop the node over a statistic. Inputs are non-negative (prices
 * in ticks, quantities in lots). Stateless.
 */
final class Saturating {
    private Saturating() {
    }

    /** {@code a + b}, or {@link Long#MAX_VALUE} past it. */
    static long add(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /** {@code price x quantity} (ticks x lots), or {@link Long#MAX_VALUE} when it does not fit or an input is negative. */
    static long product(long price, long quantity) {
        boolean fits = price >= 0 && quantity >= 0 && Math.multiplyHigh(price, quantity) == 0 && price * quantity >= 0;
        return fits ? price * quantity : Long.MAX_VALUE;
    }
}
