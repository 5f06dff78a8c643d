package io.meridian.pricing.options;

/** Why a smile fit or a volatility surface was rejected: the reject codes of {@link SviFitter} and {@link VolSurface}. */
public enum SurfaceReject {
    /** Spot not positive and finite, or quotes too large for any smile to fit with a finite error. */
    INVALID_INPUT,
    /** A surface needs at least one expiry. */
    NO_EXPIRIES,
    /** Two expiries with the same time to expiry. */
    DUPLICATE_EXPIRY,
    /** Fewer than {@link SviFitter#MIN_QUOTES} distinct strikes with a positive weight: SVI has 5 parameters. */
    TOO_FEW_QUOTES,
    /** Gatheral's density g(k) is negative somewhere on the check grid: some butterfly has a negative price. */
    BUTTERFLY_ARBITRAGE,
    /** Total variance falls from one expiry to the next at some log-moneyness: some calendar spread is negative. */
    CALENDAR_ARBITRAGE
}
