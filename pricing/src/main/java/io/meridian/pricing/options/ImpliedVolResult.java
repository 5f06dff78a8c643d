package io.meridian.pricing.options;

/**
 * The outcome of {@link ImpliedVolatility#solve}: either a volatility ({@link #ok()} is true, {@code failure} is
 * null) or a reject code with a readable reason ({@code vol} is NaN).
 *
 * @param vol        the implied volatility per year (1.00 = 100%), or NaN on failure
 * @param failure    null on success, else why there is no solution
 * @param message    "ok", or a sentence naming the price and the bound it breaks
 * @param iterations solver iterations used (0 when rejected before iterating)
 */
public record ImpliedVolResult(double vol, ImpliedVolFailure failure, String message, int iterations) {
    static ImpliedVolResult solved(double vol, int iterations) {
        return new ImpliedVolResult(vol, null, "ok", iterations);
    }

    static ImpliedVolResult rejected(ImpliedVolFailure failure, String message) {
        return new ImpliedVolResult(Double.NaN, failure, message, 0);
    }

    /** True when a volatility was found. */
    public boolean ok() {
        return failure == null;
    }
}
