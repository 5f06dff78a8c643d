package io.meridian.pricing.options;

/** Why {@link ImpliedVolatility#solve} found no volatility: the reject codes of the solver. */
public enum ImpliedVolFailure {
    /** A non-finite input, or spot or strike not positive. */
    INVALID_INPUT,
    /** Time to expiry is zero or negative: an expired option has no volatility. */
    NON_POSITIVE_TIME,
    /**
     * The price is at or below the no-arbitrage lower bound (the discounted forward intrinsic value, 0 for an
     * out-of-the-money option): every positive volatility gives a higher price.
     */
    BELOW_LOWER_BOUND,
    /**
     * The price is at or above the no-arbitrage upper bound ({@code S e^((b-r)T)} for a call, {@code K e^(-rT)}
     * for a put): no finite volatility reaches it.
     */
    ABOVE_UPPER_BOUND,
    /**
     * The price is inside the no-arbitrage bounds but needs a volatility outside the solver's range
     * [{@link ImpliedVolatility#MIN_VOL}, {@link ImpliedVolatility#MAX_VOL}].
     */
    OUT_OF_VOL_RANGE
}
