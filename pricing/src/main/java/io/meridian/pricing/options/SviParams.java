package io.meridian.pricing.options;

/**
 * A raw SVI smile (Gatheral 2004): total implied variance as a function of log-moneyness {@code k = ln(K/F)},
 *
 * <pre>
 *   w(k) = a + b (rho (k - m) + sqrt((k - m)^2 + sigma^2)),     w = implied vol^2 x T
 * </pre>
 *
 * The constructor enforces the constraints under which w is a valid total variance: all finite, {@code b >= 0},
 * {@code |rho| < 1}, {@code sigma > 0} and a non-negative minimum {@code a + b sigma sqrt(1 - rho^2) >= 0}.
 * They do not exclude butterfly arbitrage: {@link #density(double)} is Gatheral's g(k), checked by
 * {@link SmileArbitrage}.
 *
 * @throws IllegalArgumentException when a constraint is broken
 */
public record SviParams(double a, double b, double rho, double m, double sigma) {
    public SviParams {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(rho) || !Double.isFinite(m)
                || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("SVI parameters must be finite");
        }
        if (b < 0.0) {
            throw new IllegalArgumentException("SVI b must be >= 0: " + b);
        }
        if (!(StrictMath.abs(rho) < 1.0)) {
            throw new IllegalArgumentException("SVI |rho| must be < 1: " + rho);
        }
        if (!(sigma > 0.0)) {
            throw new IllegalArgumentException("SVI sigma must be > 0: " + sigma);
        }
        if (a + b * sigma * StrictMath.sqrt(1.0 - rho * rho) < 0.0) {
            throw new IllegalArgumentException("SVI minimum variance a + b sigma sqrt(1 - rho^2) must be >= 0");
        }
    }

    /** Total implied variance w(k). */
    public double totalVariance(double k) {
        double x = k - m;
        return a + b * (rho * x + StrictMath.sqrt(x * x + sigma * sigma));
    }

    /** dw/dk. */
    public double slope(double k) {
        double x = k - m;
        return b * (rho + x / StrictMath.sqrt(x * x + sigma * sigma));
    }

    /** d2w/dk2 = b sigma^2 / ((k - m)^2 + sigma^2)^(3/2), never negative. */
    public double curvature(double k) {
        double x = k - m;
        double r = x * x + sigma * sigma;
        return b * sigma * sigma / (r * StrictMath.sqrt(r));
    }

    /** The smallest total variance, {@code a + b sigma sqrt(1 - rho^2)}, at {@code k = m - rho sigma / sqrt(1 - rho^2)}. */
    public double minTotalVariance() {
        return a + b * sigma * StrictMath.sqrt(1.0 - rho * rho);
    }

    /** The slope of w as k tends to +infinity: {@code b (1 + rho)}. */
    public double rightWingSlope() {
        return b * (1.0 + rho);
    }

    /** The slope of -w as k tends to -infinity: {@code b (1 - rho)}. */
    public double leftWingSlope() {
        return b * (1.0 - rho);
    }

    /**
     * Gatheral's g(k) (Gatheral and Jacquier, "Arbitrage-free SVI volatility surfaces", 2014, eq. 2.1): the
     * risk-neutral density of ln(S_T/F) is {@code g(k) / sqrt(2 pi w) exp(-d2^2 / 2)}, so the smile is free of
     * butterfly arbitrage iff {@code g(k) >= 0} (and w(k) > 0) for all k.
     *
     * <pre>
     *   g(k) = (1 - k w' / (2 w))^2 - (w'^2 / 4) (1 / w + 1 / 4) + w'' / 2
     * </pre>
     * Returns -infinity where w(k) is not positive.
     */
    public double density(double k) {
        double w = totalVariance(k);
        if (!(w > 0.0)) {
            return Double.NEGATIVE_INFINITY;
        }
        double w1 = slope(k);
        double term = 1.0 - k * w1 / (2.0 * w);
        return term * term - 0.25 * w1 * w1 * (1.0 / w + 0.25) + 0.5 * curvature(k);
    }
}
