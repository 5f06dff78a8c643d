package io.meridian.pricing.options;

import io.meridian.model.OptionRight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

/**
 * Round trips price(vol) -> solve -> vol, and the no-solution cases.
 *
 * <p><b>Tolerance policy.</b> A price p determines the vol only as well as p itself is known: the model price
 * carries a relative rounding error below {@link #PRICE_PRECISION} (1e-13, which covers the cancellation in
 * deep out-of-the-money prices and the subtraction of the lower bound from deep in-the-money ones), and that is
 * {@code eta = PRICE_PRECISION p / vega} in vol. A grid point is <i>resolvable</i> when its time value (p minus
 * the lower bound) is above 1e-290 (a normal double, so its relative precision holds) and
 * {@code eta <= 1e-6 vol}; there the solved vol must be within {@code 1e-9 vol + 10 eta} of the true one. At the
 * other points the price is numerically indistinguishable from prices at quite different vols (or from the bound
 * itself), and the solver must either return a vol v' that reprices to p within the price's own precision,
 * {@code 1e-12 p + 1e-14 v' vega(v')} (the solver's stopping rule moves v by at most 1e-15 relative; plus 1e-300
 * for subnormal prices), or report {@link ImpliedVolFailure#BELOW_LOWER_BOUND} (the time value rounded away).
 */
class ImpliedVolatilityTest {
    private static final double PRICE_PRECISION = 1e-13;
    /** Deep in the money (K = 0.1 S for a call) to deep out of the money (K = 10 S). */
    private static final double[] STRIKES = {10, 30, 50, 70, 80, 90, 95, 100, 105, 110, 125, 150, 200, 300, 1000};
    private static final double[] TTE = {1 / 365.0, 7 / 365.0, 30 / 365.0, 0.25, 0.5, 1, 2, 5};
    private static final double[] VOLS = {0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.0, 1.5, 2.0, 3.0};
    private static final double[][] RATES = {{0.0, 0.0}, {0.05, 0.05}, {0.05, 0.0}, {0.03, -0.02}, {-0.01, 0.04}};

    @Test
    void roundTripsOverAWideGrid() {
        int total = 0;
        int resolvable = 0;
        int maxIterations = 0;
        for (OptionRight type : OptionRight.values()) {
            for (double strike : STRIKES) {
                for (double tte : TTE) {
                    for (double vol : VOLS) {
                        for (double[] rb : RATES) {
                            total++;
                            if (roundTrip(type, 100.0, strike, tte, rb[0], rb[1], vol)) {
                                resolvable++;
                            }
                            maxIterations = Math.max(maxIterations, lastIterations);
                        }
                    }
                }
            }
        }
        System.out.println("IV round trips: " + total + " grid points, " + resolvable + " resolvable, at most "
                + maxIterations + " iterations");
        assertEquals(2 * 15 * 8 * 10 * 5, total);
        // The policy must not hollow the test out: most of the grid is resolvable.
        assertTrue(resolvable >= 0.8 * total, "resolvable " + resolvable + " of " + total);
        assertTrue(maxIterations <= ImpliedVolatility.MAX_ITERATIONS);
    }

    private int lastIterations;

    /** Checks one point by the class's policy; true when it was resolvable. */
    private boolean roundTrip(OptionRight type, double spot, double strike, double tte, double rate, double carry,
                              double vol) {
        OptionGreeks g = GeneralizedBlackScholes.greeks(type, spot, strike, tte, rate, carry, vol);
        double price = g.price();
        double timeValue = price - GeneralizedBlackScholes.lowerBound(type, spot, strike, tte, rate, carry);
        double eta = PRICE_PRECISION * price / g.vega();
        boolean resolvable = timeValue > 1e-290 && eta <= 1e-6 * vol;
        ImpliedVolResult result = ImpliedVolatility.solve(type, price, spot, strike, tte, rate, carry);
        String where = type + " K=" + strike + " T=" + tte + " r=" + rate + " b=" + carry + " vol=" + vol
                + " price=" + price + " -> " + result;
        lastIterations = result.iterations();
        if (resolvable) {
            assertTrue(result.ok(), where);
            assertEquals(vol, result.vol(), 1e-9 * vol + 10 * eta, where);
        } else if (result.ok()) {
            OptionGreeks at = GeneralizedBlackScholes.greeks(type, spot, strike, tte, rate, carry, result.vol());
            assertEquals(price, at.price(), 1e-12 * price + 1e-14 * result.vol() * at.vega() + 1e-300, where);
        } else {
            assertEquals(ImpliedVolFailure.BELOW_LOWER_BOUND, result.failure(), where);
        }
        return resolvable;
    }

    @Property(tries = 1000)
    void roundTripsAtRandomPoints(@ForAll boolean call,
                                  @ForAll @DoubleRange(min = -3, max = 3) double logMoneyness,
                                  @ForAll @DoubleRange(min = 0.0027, max = 5) @Scale(6) double tte,
                                  @ForAll @DoubleRange(min = 0.05, max = 3) @Scale(4) double vol,
                                  @ForAll @DoubleRange(min = -0.02, max = 0.15) @Scale(4) double rate,
                                  @ForAll @DoubleRange(min = -0.15, max = 0.15) @Scale(4) double carry) {
        roundTrip(call ? OptionRight.CALL : OptionRight.PUT, 100.0, 100.0 * StrictMath.exp(logMoneyness), tte, rate,
                carry, vol);
    }

    @Test
    void solvesTheHaugPrices() {
        double price = GeneralizedBlackScholes.price(OptionRight.CALL, 60, 65, 0.25, 0.08, 0.08, 0.30);
        ImpliedVolResult result = ImpliedVolatility.solve(OptionRight.CALL, price, 60, 65, 0.25, 0.08, 0.08);
        assertTrue(result.ok());
        assertEquals(0.30, result.vol(), 1e-12);
        assertNull(result.failure());
        assertEquals("ok", result.message());
        // Black-76 put from the table, quoted to 4 decimals: the quote pins the vol to about 1e-4.
        ImpliedVolResult black76 = ImpliedVolatility.solve(OptionRight.PUT, 1.7011, 19, 19, 0.75, 0.10, 0.0);
        assertEquals(0.28, black76.vol(), 1e-4);
    }

    @Test
    void priceBelowTheLowerBoundHasNoSolution() {
        double spot = 100;
        double strike = 80;
        double tte = 0.5;
        double r = 0.05;
        double lower = GeneralizedBlackScholes.lowerBound(OptionRight.CALL, spot, strike, tte, r, r);
        assertNoSolution(ImpliedVolFailure.BELOW_LOWER_BOUND, OptionRight.CALL, lower - 0.01, spot, strike, tte, r, r);
        assertNoSolution(ImpliedVolFailure.BELOW_LOWER_BOUND, OptionRight.CALL, lower, spot, strike, tte, r, r);
        // Intrinsic value against the undiscounted strike is above the European bound: a price between them solves.
        assertTrue(ImpliedVolatility.solve(OptionRight.CALL, lower + 0.01, spot, strike, tte, r, r).ok());
        assertNoSolution(ImpliedVolFailure.BELOW_LOWER_BOUND, OptionRight.PUT, 0.0, spot, strike, tte, r, r);
        assertNoSolution(ImpliedVolFailure.BELOW_LOWER_BOUND, OptionRight.PUT, -1.0, spot, strike, tte, r, r);
        ImpliedVolResult result = ImpliedVolatility.solve(OptionRight.CALL, 5.0, spot, strike, tte, r, r);
        assertTrue(result.message().contains("lower bound"), result.message());
        assertTrue(Double.isNaN(result.vol()));
        assertEquals(0, result.iterations());
    }

    @Test
    void priceAtOrAboveTheUpperBoundHasNoSolution() {
        double spot = 100;
        double tte = 1;
        double r = 0.05;
        double b = 0.01;
        double callBound = spot * StrictMath.exp((b - r) * tte);
        assertNoSolution(ImpliedVolFailure.ABOVE_UPPER_BOUND, OptionRight.CALL, callBound, spot, 100, tte, r, b);
        assertNoSolution(ImpliedVolFailure.ABOVE_UPPER_BOUND, OptionRight.CALL, callBound + 1, spot, 100, tte, r, b);
        double putBound = 120 * StrictMath.exp(-r * tte);
        assertNoSolution(ImpliedVolFailure.ABOVE_UPPER_BOUND, OptionRight.PUT, putBound, spot, 120, tte, r, b);
        String message = ImpliedVolatility.solve(OptionRight.PUT, 200, spot, 120, tte, r, b).message();
        assertTrue(message.contains("upper bound K*exp(-rT)"), message);
    }

    @Test
    void pricesInsideTheBoundsButBeyondTheVolRange() {
        // At the money, F = K = 100, T = 1: a price of 99.999999 needs vol near 11.5, above MAX_VOL = 10.
        assertNoSolution(ImpliedVolFailure.OUT_OF_VOL_RANGE, OptionRight.CALL, 99.999999, 100, 100, 1, 0, 0);
        // ... and 1e-12 needs about 2.5e-14, below MIN_VOL.
        assertNoSolution(ImpliedVolFailure.OUT_OF_VOL_RANGE, OptionRight.CALL, 1e-12, 100, 100, 1, 0, 0);
        // The range's ends themselves still solve.
        double atMax = GeneralizedBlackScholes.price(OptionRight.CALL, 100, 100, 1, 0, 0, 9.9);
        assertEquals(9.9, ImpliedVolatility.solve(OptionRight.CALL, atMax, 100, 100, 1, 0, 0).vol(), 1e-6);
    }

    @Test
    void invalidInputsAndExpiredOptions() {
        assertNoSolution(ImpliedVolFailure.NON_POSITIVE_TIME, OptionRight.CALL, 5, 100, 100, 0, 0, 0);
        assertNoSolution(ImpliedVolFailure.NON_POSITIVE_TIME, OptionRight.CALL, 5, 100, 100, -0.1, 0, 0);
        assertNoSolution(ImpliedVolFailure.INVALID_INPUT, OptionRight.CALL, Double.NaN, 100, 100, 1, 0, 0);
        assertNoSolution(ImpliedVolFailure.INVALID_INPUT, OptionRight.CALL, 5, 0, 100, 1, 0, 0);
        assertNoSolution(ImpliedVolFailure.INVALID_INPUT, OptionRight.CALL, 5, 100, Double.POSITIVE_INFINITY, 1, 0, 0);
        assertNoSolution(ImpliedVolFailure.INVALID_INPUT, OptionRight.CALL, 5, 100, 100, 1, 1e300, 0);
        assertNoSolution(ImpliedVolFailure.INVALID_INPUT, null, 5, 100, 100, 1, 0, 0);
    }

    @Test
    void deterministic() {
        ImpliedVolResult first = ImpliedVolatility.solve(OptionRight.PUT, 3.21, 100, 90, 0.3, 0.02, 0.0);
        for (int i = 0; i < 5; i++) {
            assertEquals(first, ImpliedVolatility.solve(OptionRight.PUT, 3.21, 100, 90, 0.3, 0.02, 0.0));
        }
    }

    private static void assertNoSolution(ImpliedVolFailure expected, OptionRight type, double price, double spot,
                                         double strike, double tte, double rate, double carry) {
        ImpliedVolResult result = ImpliedVolatility.solve(type, price, spot, strike, tte, rate, carry);
        assertFalse(result.ok(), result::toString);
        assertEquals(expected, result.failure(), result::toString);
    }
}
