package io.meridian.pricing.options;

import java.util.Optional;

/**
 * Static arbitrage checks of SVI smiles (Gatheral and Jacquier, "Arbitrage-free SVI volatility surfaces", 2014).
 * Both run on a uniform grid of {@link #GRID_POINTS} log-moneyness points over [-h, h]; a grid check is a strong
 * screen, not a proof, so the half-width h ({@link #gridHalfWidth}) reaches well into both wings, and the
 * calendar check adds the exact comparison of the asymptotic wing slopes.
 */
public final class SmileArbitrage {
    /** Points on the check grid, ends included. */
    public static final int GRID_POINTS = 801;
    /** g(k) may dip this far below 0 before it counts: the rounding noise of its O(1) terms. */
    public static final double DENSITY_TOLERANCE = 1e-12;
    /** A total variance may fall this much between expiries before it counts: rounding noise. */
    public static final double CALENDAR_TOLERANCE = 1e-12;
    private static final double MIN_HALF_WIDTH = 2.0;
    private static final double STD_DEVS = 6.0;
    private static final double QUOTE_MARGIN = 1.5;

    private SmileArbitrage() {
    }

    /**
     * The check grid's half-width for a smile: the largest of 2, six at-the-money standard deviations
     * ({@code 6 sqrt(w(0))}) and 1.5 times the largest |k| quoted.
     */
    public static double gridHalfWidth(SviParams params, double maxAbsQuotedK) {
        double atm = StrictMath.sqrt(StrictMath.max(0.0, params.totalVariance(0.0)));
        return StrictMath.max(MIN_HALF_WIDTH, StrictMath.max(STD_DEVS * atm, QUOTE_MARGIN * maxAbsQuotedK));
    }

    /**
     * Butterfly arbitrage: the point of the grid over [-halfWidth, halfWidth] with the most negative g(k) (or
     * non-positive w(k)), if any is below {@code -DENSITY_TOLERANCE}; empty when the smile passes.
     */
    public static Optional<ArbitrageViolation> butterfly(SviParams params, double halfWidth) {
        ArbitrageViolation worst = null;
        for (int i = 0; i < GRID_POINTS; i++) {
            double k = gridPoint(i, halfWidth);
            double g = params.density(k);
            if (g < -DENSITY_TOLERANCE && (worst == null || g < worst.value())) {
                worst = new ArbitrageViolation(k, g);
            }
        }
        return Optional.ofNullable(worst);
    }

    /**
     * Calendar arbitrage between two expiries, {@code earlier} first: total variance must not decrease with time
     * at any fixed log-moneyness. Checks {@code w_later(k) - w_earlier(k) >= -CALENDAR_TOLERANCE} on the grid and
     * that neither asymptotic wing slope of the later smile is below the earlier one's (else the wings cross
     * beyond the grid). Returns the worst breach, if any.
     */
    public static Optional<ArbitrageViolation> calendar(SviParams earlier, SviParams later, double halfWidth) {
        ArbitrageViolation worst = null;
        for (int i = 0; i < GRID_POINTS; i++) {
            double k = gridPoint(i, halfWidth);
            double diff = later.totalVariance(k) - earlier.totalVariance(k);
            if (diff < -CALENDAR_TOLERANCE && (worst == null || diff < worst.value())) {
                worst = new ArbitrageViolation(k, diff);
            }
        }
        if (worst == null) {
            double right = later.rightWingSlope() - earlier.rightWingSlope();
            double left = later.leftWingSlope() - earlier.leftWingSlope();
            if (right < -CALENDAR_TOLERANCE) {
                worst = new ArbitrageViolation(Double.POSITIVE_INFINITY, right);
            } else if (left < -CALENDAR_TOLERANCE) {
                worst = new ArbitrageViolation(Double.NEGATIVE_INFINITY, left);
            }
        }
        return Optional.ofNullable(worst);
    }

    static double gridPoint(int i, double halfWidth) {
        return -halfWidth + 2.0 * halfWidth * i / (GRID_POINTS - 1);
    }
}
