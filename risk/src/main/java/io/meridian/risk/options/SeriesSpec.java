package io.meridian.risk.options;

import io.meridian.model.OptionRight;

import java.util.Optional;

/**
 * One series an account can hold on an underlying: a European option or a future, and the unit its quantity
 * counts in. Values are linear: an option pays {@code max(0, S - K)} (call) or {@code max(0, K - S)} (put) per base
 * unit in the settlement currency, which is also the currency the index and the strike are quoted in (USDC-settled
 * BTC options, say). Inverse (coin-settled) contracts are not covered.
 *
 * <p>The doubles here are model inputs (the engine converts its ticks once, when it registers the series), never
 * money.
 *
 * @param kind        call, put or future
 * @param strike      an option's strike in settlement currency per base unit (60000.0 for a 60,000 USD BTC strike);
 *                    0 for a future
 * @param expiryNanos expiry as epoch nanoseconds; {@link #PERPETUAL} for a perpetual future (options must expire)
 * @param multiplier  base units of the underlying per unit of quantity: an option contract's size (1.0 = 1 BTC per
 *                    contract), a future's lot (0.001 BTC); between {@link #MIN_MULTIPLIER} and
 *                    {@link #MAX_MULTIPLIER}
 */
public record SeriesSpec(SeriesKind kind, double strike, long expiryNanos, double multiplier) {
    /** The expiry of a perpetual future: it never expires, so its forward is the index. */
    public static final long PERPETUAL = Long.MAX_VALUE;
    /** The smallest multiplier: sizes are counted in micro base units ({@link #sizeMicros()}), at least one. */
    public static final double MIN_MULTIPLIER = 1e-6;
    /** The largest multiplier (a contract of a million million base units is a mistake, not a product). */
    public static final double MAX_MULTIPLIER = 1e12;
    /** The largest strike accepted. */
    public static final double MAX_STRIKE = 1e15;

    public SeriesSpec {
        Optional<String> problem = check(kind, strike, expiryNanos, multiplier);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    /** A European option of {@code multiplier} base units per contract. */
    public static SeriesSpec option(OptionRight type, double strike, long expiryNanos, double multiplier) {
        if (type == null) {
            throw new IllegalArgumentException("option type is required");
        }
        return new SeriesSpec(SeriesKind.of(type), strike, expiryNanos, multiplier);
    }

    /** A dated future of {@code multiplier} base units per lot; its forward is {@code S e^(bT)}. */
    public static SeriesSpec future(long expiryNanos, double multiplier) {
        return new SeriesSpec(SeriesKind.FUTURE, 0.0, expiryNanos, multiplier);
    }

    /** A perpetual future of {@code multiplier} base units per lot; its forward is the index. */
    public static SeriesSpec perpetual(double multiplier) {
        return new SeriesSpec(SeriesKind.FUTURE, 0.0, PERPETUAL, multiplier);
    }

    /**
     * Why these values do not make a series, or empty when they do: the check the constructor runs, for callers that
     * must reject (an instrument created by command) rather than throw.
     */
    public static Optional<String> check(SeriesKind kind, double strike, long expiryNanos, double multiplier) {
        if (kind == null) {
            return Optional.of("series kind is required");
        }
        if (!(multiplier >= MIN_MULTIPLIER) || !(multiplier <= MAX_MULTIPLIER)) {
            return Optional.of("multiplier must be between " + MIN_MULTIPLIER + " and " + MAX_MULTIPLIER
                    + " base units: " + multiplier);
        }
        if (kind == SeriesKind.FUTURE) {
            if (strike != 0.0) {
                return Optional.of("a future has no strike: " + strike);
            }
            return Optional.empty();
        }
        if (!(strike > 0.0) || !(strike <= MAX_STRIKE)) {
            return Optional.of("strike must be positive and at most " + MAX_STRIKE + ": " + strike);
        }
        if (expiryNanos == PERPETUAL) {
            return Optional.of("an option must have an expiry");
        }
        return Optional.empty();
    }

    /** True for a call or a put. */
    public boolean isOption() {
        return kind != SeriesKind.FUTURE;
    }

    /**
     * One unit of quantity in micro base units, {@code round(multiplier x 1e6)}, at least 1: the exact integer that
     * the size-based add-ons count.
     */
    public long sizeMicros() {
        return StrictMath.max(1L, (long) StrictMath.rint(multiplier * 1e6));
    }
}
