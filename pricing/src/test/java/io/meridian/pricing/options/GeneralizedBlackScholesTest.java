package io.meridian.pricing.options;

import io.meridian.model.OptionRight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

class GeneralizedBlackScholesTest {
    private static final double[] MONEYNESS = {0.6, 0.9, 1.0, 1.1, 1.5};
    private static final double[] TTE = {7 / 365.0, 0.25, 1.0, 3.0};
    private static final double[] VOL = {0.1, 0.4, 1.2};
    /** (rate, carry): Black-Scholes, Black-76, Merton with a yield, a negative rate with positive carry. */
    private static final double[][] RATES = {{0.05, 0.05}, {0.05, 0.0}, {0.03, -0.02}, {-0.01, 0.02}};

    /** The option-prices table of shared/reference/golden-vectors.md (Haug pp. 2-8): b = r - q. */
    @Test
    void haugTable() {
        // type, K, S, q, r, T, vol, value
        Object[][] rows = {
            {OptionRight.CALL, 65.0, 60.0, 0.0, 0.08, 0.25, 0.30, 2.1334},
            {OptionRight.PUT, 95.0, 100.0, 0.05, 0.10, 0.5, 0.20, 2.4648},
            {OptionRight.PUT, 19.0, 19.0, 0.10, 0.10, 0.75, 0.28, 1.7011},
            {OptionRight.CALL, 19.0, 19.0, 0.10, 0.10, 0.75, 0.28, 1.7011},
            {OptionRight.CALL, 1.60, 1.56, 0.08, 0.06, 0.5, 0.12, 0.0291},
            {OptionRight.PUT, 70.0, 75.0, 0.05, 0.10, 0.5, 0.35, 4.0870},
        };
        for (Object[] row : rows) {
            OptionRight type = (OptionRight) row[0];
            double strike = (double) row[1];
            double spot = (double) row[2];
            double q = (double) row[3];
            double r = (double) row[4];
            double tte = (double) row[5];
            double vol = (double) row[6];
            double expected = (double) row[7];
            double price = GeneralizedBlackScholes.price(type, spot, strike, tte, r, r - q, vol);
            assertEquals(expected, price, 1e-4, () -> type + " K=" + strike + " S=" + spot);
            assertEquals(price, GeneralizedBlackScholes.greeks(type, spot, strike, tte, r, r - q, vol).price(), 0.0);
        }
    }

    @Test
    void putCallParityOverAGrid() {
        for (double moneyness : new double[] {0.2, 0.6, 0.9, 1.0, 1.1, 1.5, 5.0}) {
            for (double tte : TTE) {
                for (double vol : VOL) {
                    for (double[] rb : RATES) {
                        double spot = 100.0;
                        double strike = spot / moneyness;
                        double call = GeneralizedBlackScholes.price(OptionRight.CALL, spot, strike, tte, rb[0], rb[1], vol);
                        double put = GeneralizedBlackScholes.price(OptionRight.PUT, spot, strike, tte, rb[0], rb[1], vol);
                        double parity = spot * StrictMath.exp((rb[1] - rb[0]) * tte) - strike * StrictMath.exp(-rb[0] * tte);
                        assertEquals(parity, call - put, 1e-12 * (spot + strike),
                                "S/K=" + moneyness + " T=" + tte + " vol=" + vol);
                    }
                }
            }
        }
    }

    /**
     * Every greek against a central finite difference of the price in its own input, the other inputs fixed: both
     * types over a grid of moneyness, expiries, vols and rate/carry pairs. Steps are relative (1e-4 of the input's
     * scale, ten times that for gamma's second difference), which keeps the O(h^2) truncation error well under the
     * tolerance; the tolerance adds the difference quotient's rounding noise (ulps of the price over h).
     */
    @Test
    void greeksMatchCentralFiniteDifferences() {
        int checked = 0;
        for (OptionRight type : OptionRight.values()) {
            for (double moneyness : MONEYNESS) {
                for (double tte : TTE) {
                    for (double vol : VOL) {
                        for (double[] rb : RATES) {
                            checkGreeks(type, 100.0, 100.0 / moneyness, tte, rb[0], rb[1], vol);
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(2 * 5 * 4 * 3 * 4, checked);
    }

    private static void checkGreeks(OptionRight type, double s, double k, double t, double r, double b, double v) {
        OptionGreeks g = GeneralizedBlackScholes.greeks(type, s, k, t, r, b, v);
        String where = type + " S=" + s + " K=" + k + " T=" + t + " r=" + r + " b=" + b + " vol=" + v;
        double price = g.price();
        // Spot steps scale with S min(1, vol sqrt(T)), the width over which the price curves, so short expiries
        // get short steps and the O(h^2) truncation error stays relative.
        double hs = 1e-4 * s * StrictMath.min(1.0, v * StrictMath.sqrt(t));
        double up = GeneralizedBlackScholes.price(type, s + hs, k, t, r, b, v);
        double down = GeneralizedBlackScholes.price(type, s - hs, k, t, r, b, v);
        assertClose(g.delta(), (up - down) / (2 * hs), 1.0, noise(price, hs), "delta " + where);
        double hg = 10 * hs;
        double upG = GeneralizedBlackScholes.price(type, s + hg, k, t, r, b, v);
        double downG = GeneralizedBlackScholes.price(type, s - hg, k, t, r, b, v);
        double gammaFd = (upG - 2 * price + downG) / (hg * hg);
        assertClose(g.gamma(), gammaFd, 1.0 / s, 4 * noise(price, hg) / hg, "gamma " + where);
        double hv = 1e-4 * v;
        double vegaFd = (GeneralizedBlackScholes.price(type, s, k, t, r, b, v + hv)
                - GeneralizedBlackScholes.price(type, s, k, t, r, b, v - hv)) / (2 * hv);
        assertClose(g.vega(), vegaFd, s, noise(price, hv), "vega " + where);
        double ht = 1e-4 * t;
        double thetaFd = -(GeneralizedBlackScholes.price(type, s, k, t + ht, r, b, v)
                - GeneralizedBlackScholes.price(type, s, k, t - ht, r, b, v)) / (2 * ht);
        assertClose(g.theta(), thetaFd, s, noise(price, ht), "theta " + where);
        assertEquals(g.theta() / 365.0, g.thetaPerDay(), 0.0);
        double hr = 1e-5;
        double rhoFd = (GeneralizedBlackScholes.price(type, s, k, t, r + hr, b, v)
                - GeneralizedBlackScholes.price(type, s, k, t, r - hr, b, v)) / (2 * hr);
        assertClose(g.rho(), rhoFd, s, noise(price, hr), "rho " + where);
        double carryFd = (GeneralizedBlackScholes.price(type, s, k, t, r, b + hr, v)
                - GeneralizedBlackScholes.price(type, s, k, t, r, b - hr, v)) / (2 * hr);
        assertClose(g.carryRho(), carryFd, s, noise(price, hr), "carryRho " + where);
    }

    /** The rounding error of a central difference with step h: a few ulps of the price, divided by h. */
    private static double noise(double price, double h) {
        return 16 * Math.ulp(Math.max(price, 1e-300)) / h;
    }

    /**
     * Relative 1e-6 of the greek, plus 1e-9 of its natural scale where the greek itself is near zero, plus the
     * difference quotient's own rounding noise.
     */
    private static void assertClose(double analytic, double fd, double scale, double noise, String what) {
        double tolerance = 1e-6 * Math.abs(analytic) + 1e-9 * scale + noise;
        assertEquals(analytic, fd, tolerance, what);
    }

    @Test
    void greeksHaveTheTextbookSignsAndIdentities() {
        double s = 100;
        double k = 95;
        double t = 0.5;
        double r = 0.05;
        double q = 0.02;
        OptionGreeks call = GeneralizedBlackScholes.greeks(OptionRight.CALL, s, k, t, r, r - q, 0.3);
        OptionGreeks put = GeneralizedBlackScholes.greeks(OptionRight.PUT, s, k, t, r, r - q, 0.3);
        assertEquals(call.gamma(), put.gamma(), 1e-15);
        assertEquals(call.vega(), put.vega(), 1e-12);
        assertEquals(StrictMath.exp(-q * t), call.delta() - put.delta(), 1e-15);
        // Textbook Black-Scholes-Merton rho (q held fixed) = rho + carryRho = K T e^(-rT) N(d2).
        double d2 = (StrictMath.log(s / k) + (r - q - 0.045) * t) / (0.3 * StrictMath.sqrt(t));
        double textbook = k * t * StrictMath.exp(-r * t) * NormalDistribution.cdf(d2);
        assertEquals(textbook, call.rho() + call.carryRho(), 1e-12);
        // Black-76 (b = 0): rho is -T V.
        OptionGreeks black76 = GeneralizedBlackScholes.greeks(OptionRight.CALL, s, k, t, r, 0.0, 0.3);
        assertEquals(-t * black76.price(), black76.rho(), 1e-15);
        assertTrue(call.theta() < 0 && call.vega() > 0 && call.gamma() > 0 && put.delta() < 0);
    }

    @Property(tries = 1000)
    void priceLiesWithinTheNoArbitrageBounds(@ForAll boolean call,
                                             @ForAll @DoubleRange(min = -2.5, max = 2.5) double logMoneyness,
                                             @ForAll @DoubleRange(min = 0.001, max = 5) @Scale(6) double tte,
                                             @ForAll @DoubleRange(min = 0.01, max = 3) double vol,
                                             @ForAll @DoubleRange(min = -0.05, max = 0.2) double rate,
                                             @ForAll @DoubleRange(min = -0.2, max = 0.2) double carry) {
        OptionRight type = call ? OptionRight.CALL : OptionRight.PUT;
        double spot = 100.0;
        double strike = spot * StrictMath.exp(logMoneyness);
        OptionGreeks g = GeneralizedBlackScholes.greeks(type, spot, strike, tte, rate, carry, vol);
        double lower = GeneralizedBlackScholes.lowerBound(type, spot, strike, tte, rate, carry);
        double upper = GeneralizedBlackScholes.upperBound(type, spot, strike, tte, rate, carry);
        double slack = 1e-13 * (spot + strike);
        assertTrue(g.price() >= lower - slack && g.price() <= upper + slack, g.toString());
        assertTrue(g.gamma() >= 0 && g.vega() >= 0, g.toString());
        assertTrue(call ? g.delta() >= 0 : g.delta() <= 0, g.toString());
    }

    @Test
    void rejectsInvalidInputs() {
        assertThrows(IllegalArgumentException.class,
            () -> GeneralizedBlackScholes.price(OptionRight.CALL, 100, 100, 0.0, 0.0, 0.0, 0.2));
        assertThrows(IllegalArgumentException.class,
            () -> GeneralizedBlackScholes.price(OptionRight.CALL, 100, 100, 1.0, 0.0, 0.0, -0.2));
        assertThrows(IllegalArgumentException.class,
            () -> GeneralizedBlackScholes.price(OptionRight.CALL, Double.NaN, 100, 1.0, 0.0, 0.0, 0.2));
        assertThrows(IllegalArgumentException.class,
            () -> GeneralizedBlackScholes.greeks(OptionRight.PUT, 100, 0, 1.0, 0.0, 0.0, 0.2));
        assertThrows(IllegalArgumentException.class,
            () -> GeneralizedBlackScholes.greeks(OptionRight.PUT, 100, 100, 1.0, Double.POSITIVE_INFINITY, 0.0, 0.2));
        assertThrows(IllegalArgumentException.class,
            () -> GeneralizedBlackScholes.greeks(null, 100, 100, 1.0, 0.0, 0.0, 0.2));
    }

    @Test
    void farOutOfTheMoneyPriceIsZeroNotNegative() {
        assertEquals(0.0, GeneralizedBlackScholes.price(OptionRight.CALL, 100, 1e6, 1 / 365.0, 0.0, 0.0, 0.05), 0.0);
        assertEquals(0.0, GeneralizedBlackScholes.price(OptionRight.PUT, 100, 1e-3, 1 / 365.0, 0.0, 0.0, 0.05), 0.0);
    }
}
