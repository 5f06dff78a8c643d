package io.meridian.risk.options;

import java.util.Optional;

/**
 * One volatility scenario of the portfolio-margin grid. With the option's mark volatility {@code v}, the term factor
 * {@code g(T) = (termDays / max(days to expiry, 1))^exponent} of {@link PortfolioMarginParams} (shorter expiries get
 * larger shocks, as their implied volatility moves more) and the floor {@code f = min(volFloor, v)}:
 *
 * <pre>
 *   shocked v = max(f, v x (1 + relative x g(T)) + absolute x g(T))
 * </pre>
 *
 * The floor never lifts a volatility above its unshocked value, so {@code (0, 0)} is exactly the unshocked scenario.
 *
 * @param relativePpm the relative change in ppm: +500,000 multiplies the volatility by 1.5 (at g = 1), -300,000 by
 *                    0.7; in [-1,000,000, 10,000,000]
 * @param absolutePpm an added change in volatility points, ppm of 1.00: +50,000 adds 5 points; in
 *                    [-1,000,000, 1,000,000]
 */
public record VolShock(long relativePpm, long absolutePpm) {
    /** The unshocked volatility. */
    public static final VolShock SAME = new VolShock(0, 0);
    /** The default "volatility up" scenario: x1.5 at 30 days. */
    public static final VolShock UP = new VolShock(500_000, 0);
    /** The default "volatility down" scenario: x0.7 at 30 days. */
    public static final VolShock DOWN = new VolShock(-300_000, 0);

    public VolShock {
        Optional<String> problem = check(relativePpm, absolutePpm);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    /** Why these values do not make a shock, or empty when they do. */
    public static Optional<String> check(long relativePpm, long absolutePpm) {
        if (relativePpm < -1_000_000 || relativePpm > 10_000_000) {
            return Optional.of("vol shock relativePpm must be in [-1000000, 10000000]: " + relativePpm);
        }
        if (absolutePpm < -1_000_000 || absolutePpm > 1_000_000) {
            return Optional.of("vol shock absolutePpm must be in [-1000000, 1000000]: " + absolutePpm);
        }
        return Optional.empty();
    }

    /** The shocked volatility; see the class doc. {@code termFactor} is g(T), {@code floor} the params' floor. */
    public double apply(double vol, double termFactor, double floor) {
        double shocked = vol * (1.0 + relativePpm / 1e6 * termFactor) + absolutePpm / 1e6 * termFactor;
        return StrictMath.max(StrictMath.min(floor, vol), shocked);
    }
}
