package io.meridian.pricing.options;

/**
 * One expiry's fitted smile: total variance {@code params.totalVariance(ln(K / forward))} at time {@code tte}.
 *
 * @param tte     time to expiry in years, positive
 * @param forward forward price of that expiry, positive
 * @param params  the raw SVI parameters
 */
public record Smile(double tte, double forward, SviParams params) {
    public Smile {
        if (!(tte > 0.0) || !Double.isFinite(tte)) {
            throw new IllegalArgumentException("smile tte must be positive and finite: " + tte);
        }
        if (!(forward > 0.0) || !Double.isFinite(forward)) {
            throw new IllegalArgumentException("smile forward must be positive and finite: " + forward);
        }
        if (params == null) {
            throw new IllegalArgumentException("smile params are required");
        }
    }

    /** Implied volatility at a strike: {@code sqrt(w(ln(K / F)) / T)}. */
    public double vol(double strike) {
        return StrictMath.sqrt(params.totalVariance(StrictMath.log(strike / forward)) / tte);
    }
}
