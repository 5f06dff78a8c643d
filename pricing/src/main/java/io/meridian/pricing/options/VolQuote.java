package io.meridian.pricing.options;

/**
 * One point of a smile to fit: a strike with either an implied volatility or a total implied variance, and a
 * weight in the least-squares fit. Build with the factories; they validate.
 *
 * @param strike        strike price, positive
 * @param value         implied vol per year (1.00 = 100%) if {@code totalVariance} is false, else vol^2 x T
 * @param totalVariance whether {@code value} is a total variance rather than a volatility
 * @param weight        least-squares weight, {@code >= 0}; 0 keeps the quote out of the fit
 */
public record VolQuote(double strike, double value, boolean totalVariance, double weight) {
    public VolQuote {
        if (!(strike > 0.0) || !Double.isFinite(strike)) {
            throw new IllegalArgumentException("quote strike must be positive and finite: " + strike);
        }
        if (!(value > 0.0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("quote vol or total variance must be positive and finite: " + value);
        }
        if (!(weight >= 0.0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("quote weight must be >= 0 and finite: " + weight);
        }
    }

    /** An implied-volatility quote with weight 1. */
    public static VolQuote vol(double strike, double vol) {
        return new VolQuote(strike, vol, false, 1.0);
    }

    /** An implied-volatility quote with a weight. */
    public static VolQuote vol(double strike, double vol, double weight) {
        return new VolQuote(strike, vol, false, weight);
    }

    /** A total-variance quote with weight 1. */
    public static VolQuote totalVariance(double strike, double totalVariance) {
        return new VolQuote(strike, totalVariance, true, 1.0);
    }

    /** A total-variance quote with a weight. */
    public static VolQuote totalVariance(double strike, double totalVariance, double weight) {
        return new VolQuote(strike, totalVariance, true, weight);
    }

    /** The quote as total variance at time to expiry {@code tte}. */
    public double totalVarianceAt(double tte) {
        return totalVariance ? value : value * value * tte;
    }
}
