package io.meridian.risk.options;

import io.meridian.pricing.options.VolSurface;

/**
 * The market inputs a {@link ScenarioTable} prices with, besides the index: each option's mark volatility, the
 * cost of carry per expiry and the risk-free rate, as in {@code GeneralizedBlackScholes}. Called on the engine
 * thread during {@link ScenarioTable#reprice}, once per live series; must be deterministic (StrictMath only) so
 * that replicas build the same table.
 */
public interface MarkSource {
    /**
     * Annualised implied volatility of the option of this strike and time to expiry (0.6 = 60%). Anything but a
     * positive finite number rejects the whole reprice ({@link RepriceStatus#INVALID_MARKS}).
     *
     * @param strike the strike, settlement currency per base unit
     * @param tte    time to expiry in years (365-day years), positive
     */
    double vol(double strike, double tte);

    /**
     * Cost of carry b per year for this expiry, continuously compounded: the forward is {@code S e^(bT)}. Default 0:
     * the index is the forward (Black-76 on the index).
     */
    default double carry(double tte) {
        return 0.0;
    }

    /** Risk-free rate r per year, continuously compounded, that discounts option values. Default 0. */
    default double rate() {
        return 0.0;
    }

    /** One volatility for every strike and expiry, zero rate and carry: for tests and examples. */
    static MarkSource flat(double vol) {
        return (strike, tte) -> vol;
    }

    /**
     * Marks from a fitted surface: the surface's implied volatility at the strike and expiry, and the carry that
     * reproduces its forward, {@code b = ln(F(T) / spot) / T}, where spot is the spot the surface was built with.
     * Zero rate.
     */
    static MarkSource of(VolSurface surface) {
        return new MarkSource() {
            @Override
            public double vol(double strike, double tte) {
                return surface.vol(strike, tte);
            }

            @Override
            public double carry(double tte) {
                return StrictMath.log(surface.forward(tte) / surface.spot()) / tte;
            }
        };
    }
}
