package io.meridian.pricing.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SviFitterTest {
    private static final double FORWARD = 100.0;

    /** Exact total-variance quotes of {@code p} at n log-moneyness points evenly spread over [kLo, kHi]. */
    static ExpiryQuotes quotes(SviParams p, double tte, double kLo, double kHi, int n) {
        List<VolQuote> q = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double k = kLo + (kHi - kLo) * i / (n - 1);
            q.add(VolQuote.totalVariance(FORWARD * StrictMath.exp(k), p.totalVariance(k)));
        }
        return new ExpiryQuotes(tte, FORWARD, q);
    }

    /** Absurd quotes (a vol of 1e300: no smile has a finite error) are refused with a reason, never thrown. */
    @Test
    void quotesTooLargeForAnyFiniteFitAreRefusedNotThrown() {
        for (boolean all : new boolean[] {true, false}) {
            List<VolQuote> quotes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                quotes.add(VolQuote.vol(40_000 + 4_000 * i, all || i == 3 ? 1e300 : 0.6));
            }
            SmileFit fit = SviFitter.fit(new ExpiryQuotes(0.25, 50_000, quotes));
            assertEquals(SurfaceReject.INVALID_INPUT, fit.reject(), fit.toString());
            assertNull(fit.smile());
        }
    }

    @Test
    void recoversKnownParametersFromExactQuotes() {
        SviParams[] truths = {
            new SviParams(0.04, 0.4, -0.4, 0.1, 0.2),
            new SviParams(0.01, 0.1, -0.7, -0.05, 0.1),
            new SviParams(0.2, 0.8, 0.3, 0.0, 0.5),
            new SviParams(0.002, 0.05, -0.9, 0.02, 0.05),
        };
        for (SviParams truth : truths) {
            SmileFit fit = SviFitter.fit(quotes(truth, 1.0, -1.0, 1.0, 21));
            assertTrue(fit.ok(), fit.message());
            SviParams got = fit.smile().params();
            String where = truth + " -> " + got;
            assertEquals(truth.a(), got.a(), 1e-8, where);
            assertEquals(truth.b(), got.b(), 1e-8, where);
            assertEquals(truth.rho(), got.rho(), 1e-8, where);
            assertEquals(truth.m(), got.m(), 1e-8, where);
            assertEquals(truth.sigma(), got.sigma(), 1e-8, where);
            assertTrue(fit.rmse() < 1e-12, where);
        }
    }

    @Test
    void fitsImpliedVolQuotesAndKeepsWeightZeroQuotesOut() {
        SviParams truth = new SviParams(0.02, 0.15, -0.5, 0.05, 0.15);
        double tte = 0.5;
        List<VolQuote> q = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            double k = -0.6 + 0.12 * i;
            q.add(VolQuote.vol(FORWARD * StrictMath.exp(k), StrictMath.sqrt(truth.totalVariance(k) / tte), 2.0));
        }
        // A wild quote with weight zero must not move the fit.
        q.add(VolQuote.vol(FORWARD, 5.0, 0.0));
        SmileFit fit = SviFitter.fit(new ExpiryQuotes(tte, FORWARD, q));
        assertTrue(fit.ok(), fit.message());
        for (double k = -0.6; k <= 0.6; k += 0.05) {
            assertEquals(truth.totalVariance(k), fit.smile().params().totalVariance(k), 1e-10);
        }
        double strike = FORWARD * StrictMath.exp(0.3);
        assertEquals(StrictMath.sqrt(truth.totalVariance(0.3) / tte), fit.smile().vol(strike), 1e-9);
    }

    /**
     * Noisy quotes from a known smile (seeded): the fit is at least as good as the true smile (which is feasible,
     * so a global least-squares minimum cannot be worse), satisfies every constraint of the fitter, and is the
     * same bits on a second run.
     */
    @Test
    void noisyQuotesFitWithinTheNoiseAndDeterministically() {
        long seed = 20_240_611L;
        System.out.println("SviFitterTest noise seed " + seed);
        Random random = new Random(seed);
        SviParams truth = new SviParams(0.03, 0.3, -0.6, 0.0, 0.25);
        List<VolQuote> q = new ArrayList<>();
        double truthSquares = 0.0;
        for (int i = 0; i < 25; i++) {
            double k = -1.2 + 0.1 * i;
            double noisy = truth.totalVariance(k) * (1.0 + 0.002 * random.nextGaussian());
            q.add(VolQuote.totalVariance(FORWARD * StrictMath.exp(k), noisy));
            truthSquares += (noisy - truth.totalVariance(k)) * (noisy - truth.totalVariance(k));
        }
        double truthRmse = StrictMath.sqrt(truthSquares / 25);
        ExpiryQuotes expiry = new ExpiryQuotes(1.0, FORWARD, q);
        SmileFit fit = SviFitter.fit(expiry);
        assertTrue(fit.ok(), fit.message());
        assertTrue(fit.rmse() <= truthRmse * (1 + 1e-9), "rmse " + fit.rmse() + " > the true smile's " + truthRmse);
        SviParams p = fit.smile().params();
        assertTrue(p.b() >= 0 && Math.abs(p.rho()) <= SviFitter.RHO_MAX && p.sigma() > 0);
        assertTrue(p.b() * (1 + Math.abs(p.rho())) <= 2.0 + 1e-12);
        assertTrue(p.minTotalVariance() >= 0);
        assertEquals(fit, SviFitter.fit(expiry));
    }

    @Test
    void wingsSteeperThanLeesBoundAreCappedAtSlopeTwo() {
        // Quotes whose right wing rises with slope 3 in total variance: a fit may not follow them past 2.
        List<VolQuote> q = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            double k = -0.5 + 0.15 * i;
            q.add(VolQuote.totalVariance(FORWARD * StrictMath.exp(k), 0.05 + 3.0 * StrictMath.max(0.0, k)));
        }
        SmileFit fit = SviFitter.fit(new ExpiryQuotes(1.0, FORWARD, q));
        SviParams p = fit.smile().params();
        assertTrue(p.rightWingSlope() <= 2.0 + 1e-12 && p.leftWingSlope() <= 2.0 + 1e-12, p.toString());
    }

    /**
     * A smile with a tiny at-the-money variance and steep wings (a near-V shape): SVI fits it exactly, but
     * Gatheral's g(k) is deeply negative just off the money, so the fit is rejected, not returned.
     */
    @Test
    void butterflyArbitrageSmileIsRejected() {
        SviParams vShape = new SviParams(0.0001, 1.0, 0.0, 0.0, 0.01);
        Optional<ArbitrageViolation> direct = SmileArbitrage.butterfly(vShape, 2.0);
        assertTrue(direct.isPresent());
        SmileFit fit = SviFitter.fit(quotes(vShape, 1.0, -0.5, 0.5, 21));
        assertFalse(fit.ok());
        assertEquals(SurfaceReject.BUTTERFLY_ARBITRAGE, fit.reject());
        assertTrue(fit.message().contains("butterfly arbitrage"), fit.message());
        assertEquals(vShape.b(), fit.smile().params().b(), 1e-8);
    }

    /**
     * Axel Vogt's parameters, the counterexample in Gatheral and Jacquier (2014, section 3.2): a smile with
     * positive variance everywhere but butterfly arbitrage. The check flags it, and a fit to its quotes is
     * rejected too.
     */
    @Test
    void vogtsSmileHasButterflyArbitrage() {
        SviParams vogt = new SviParams(-0.0410, 0.1331, 0.3060, 0.3586, 0.4153);
        assertTrue(vogt.minTotalVariance() > 0);
        ArbitrageViolation v = SmileArbitrage.butterfly(vogt, 1.5).orElseThrow();
        assertTrue(v.value() < 0 && v.k() > 0.5 && v.k() < 1.0, v.toString());
        SmileFit fit = SviFitter.fit(quotes(vogt, 1.0, -1.5, 1.5, 31));
        assertEquals(SurfaceReject.BUTTERFLY_ARBITRAGE, fit.reject(), fit.message());
    }

    @Test
    void arbitrageFreeSmilePassesTheButterflyCheck() {
        SviParams p = new SviParams(0.04, 0.4, -0.4, 0.1, 0.2);
        assertTrue(SmileArbitrage.butterfly(p, SmileArbitrage.gridHalfWidth(p, 1.0)).isEmpty());
        // max(2, 6 sqrt(w(0)), 1.5 max |k| quoted)
        assertEquals(6 * StrictMath.sqrt(p.totalVariance(0)), SmileArbitrage.gridHalfWidth(p, 0.5), 1e-15);
        assertEquals(4.5, SmileArbitrage.gridHalfWidth(p, 3.0), 0.0);
        SviParams low = new SviParams(0.001, 0.01, 0.0, 0.0, 0.1);
        assertEquals(2.0, SmileArbitrage.gridHalfWidth(low, 0.5), 0.0);
    }

    @Test
    void tooFewDistinctStrikesIsRejected() {
        SviParams p = new SviParams(0.04, 0.4, -0.4, 0.1, 0.2);
        SmileFit fit = SviFitter.fit(quotes(p, 1.0, -0.5, 0.5, 4));
        assertEquals(SurfaceReject.TOO_FEW_QUOTES, fit.reject());
        assertNull(fit.smile());
        List<VolQuote> repeated = new ArrayList<>(quotes(p, 1.0, -0.5, 0.5, 4).quotes());
        repeated.add(repeated.get(0));
        repeated.add(VolQuote.vol(300, 0.5, 0.0));
        assertEquals(SurfaceReject.TOO_FEW_QUOTES, SviFitter.fit(new ExpiryQuotes(1.0, FORWARD, repeated)).reject());
    }

    @Test
    void parameterAndQuoteValidation() {
        assertThrows(IllegalArgumentException.class, () -> new SviParams(0.04, -0.1, 0.0, 0.0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SviParams(0.04, 0.1, 1.0, 0.0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SviParams(0.04, 0.1, 0.0, 0.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new SviParams(-0.1, 0.1, 0.0, 0.0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SviParams(Double.NaN, 0.1, 0.0, 0.0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> VolQuote.vol(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> VolQuote.vol(100, -0.5));
        assertThrows(IllegalArgumentException.class, () -> VolQuote.totalVariance(100, 0.1, -1));
        assertThrows(IllegalArgumentException.class, () -> new ExpiryQuotes(0, FORWARD, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ExpiryQuotes(1, Double.NaN, List.of()));
    }

    @Test
    void densityMatchesAFiniteDifferenceDefinition() {
        // g(k) from its formula against w, w', w'' by central differences.
        SviParams p = new SviParams(0.02, 0.3, -0.3, 0.05, 0.15);
        for (double k = -1.0; k <= 1.0; k += 0.1) {
            double h = 1e-4;
            double w = p.totalVariance(k);
            double w1 = (p.totalVariance(k + h) - p.totalVariance(k - h)) / (2 * h);
            double w2 = (p.totalVariance(k + h) - 2 * w + p.totalVariance(k - h)) / (h * h);
            assertEquals(w1, p.slope(k), 1e-7);
            assertEquals(w2, p.curvature(k), 1e-5);
            double term = 1 - k * w1 / (2 * w);
            double g = term * term - w1 * w1 / 4 * (1 / w + 0.25) + w2 / 2;
            assertEquals(g, p.density(k), 1e-5);
        }
    }
}
