package io.meridian.pricing.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

class VolSurfaceTest {
    private static final double SPOT = 100.0;
    /** Three arbitrage-free smiles with rising total variance: a typical equity-like skew. */
    private static final Smile SHORT = new Smile(0.1, 100.5, new SviParams(0.004, 0.06, -0.5, 0.0, 0.1));
    private static final Smile MID = new Smile(0.5, 102.5, new SviParams(0.02, 0.12, -0.45, 0.02, 0.2));
    private static final Smile LONG = new Smile(1.0, 105.0, new SviParams(0.04, 0.16, -0.4, 0.04, 0.3));

    private static final VolSurface SURFACE = VolSurface.fromSmiles(SPOT, List.of(SHORT, MID, LONG)).surface();

    private static ExpiryQuotes quotesOf(Smile smile) {
        List<VolQuote> q = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            double k = -0.7 + 0.1 * i;
            q.add(VolQuote.totalVariance(smile.forward() * StrictMath.exp(k), smile.params().totalVariance(k)));
        }
        return new ExpiryQuotes(smile.tte(), smile.forward(), q);
    }

    @Test
    void buildsFromQuotesInAnyOrderAndReproducesEachSmile() {
        SurfaceBuild build = VolSurface.build(SPOT, List.of(quotesOf(LONG), quotesOf(SHORT), quotesOf(MID)));
        assertTrue(build.ok(), build.message());
        VolSurface surface = build.surface();
        assertEquals(3, surface.smiles().size());
        assertEquals(SHORT.tte(), surface.smiles().get(0).tte(), 0.0);
        for (Smile smile : List.of(SHORT, MID, LONG)) {
            for (double strike : new double[] {60, 90, 100, 110, 150}) {
                assertEquals(smile.vol(strike), surface.vol(strike, smile.tte()), 1e-9, smile + " K=" + strike);
            }
            assertEquals(smile.forward(), surface.forward(smile.tte()), 1e-12);
        }
    }

    @Test
    void calendarArbitrageBetweenTwoExpiriesIsDetected() {
        // The later expiry has a lower total variance at the money: a calendar spread there costs less than zero.
        Smile early = new Smile(0.25, 100, new SviParams(0.02, 0.1, -0.3, 0.0, 0.2));
        Smile late = new Smile(0.5, 100, new SviParams(0.005, 0.1, -0.3, 0.0, 0.2));
        SurfaceBuild build = VolSurface.fromSmiles(SPOT, List.of(early, late));
        assertFalse(build.ok());
        assertNull(build.surface());
        assertEquals(SurfaceReject.CALENDAR_ARBITRAGE, build.reject());
        assertTrue(build.message().contains("0.25") && build.message().contains("0.5"), build.message());
        // The same from quotes: fitted smiles, then the same check.
        SurfaceBuild fromQuotes = VolSurface.build(SPOT, List.of(quotesOf(early), quotesOf(late)));
        assertEquals(SurfaceReject.CALENDAR_ARBITRAGE, fromQuotes.reject(), fromQuotes.message());
    }

    @Test
    void wingsThatCrossBeyondTheGridAreCalendarArbitrage() {
        // Later smile above the earlier on the whole grid but with a flatter right wing: they cross far out.
        SviParams earlier = new SviParams(0.01, 0.5, 0.5, 0.0, 0.1);
        SviParams later = new SviParams(0.5, 0.4, 0.5, 0.0, 0.1);
        ArbitrageViolation v = SmileArbitrage.calendar(earlier, later, 2.0).orElseThrow();
        assertEquals(Double.POSITIVE_INFINITY, v.k(), 0.0);
        assertTrue(SmileArbitrage.calendar(earlier, earlier, 2.0).isEmpty());
    }

    @Test
    void butterflyArbitrageInAGivenSmileIsRejected() {
        Smile vogt = new Smile(1.0, 100, new SviParams(-0.0410, 0.1331, 0.3060, 0.3586, 0.4153));
        SurfaceBuild build = VolSurface.fromSmiles(SPOT, List.of(vogt));
        assertEquals(SurfaceReject.BUTTERFLY_ARBITRAGE, build.reject(), build.message());
    }

    @Test
    void interpolatesLinearlyInTotalVarianceBetweenExpiries() {
        for (double k = -1.0; k <= 1.0; k += 0.25) {
            double mid = 0.5 * (SHORT.tte() + MID.tte());
            double expected = 0.5 * (SHORT.params().totalVariance(k) + MID.params().totalVariance(k));
            assertEquals(expected, SURFACE.totalVariance(k, mid), 1e-15);
            double t = 0.75;
            double weight = (t - MID.tte()) / (LONG.tte() - MID.tte());
            assertEquals(MID.params().totalVariance(k) + weight
                    * (LONG.params().totalVariance(k) - MID.params().totalVariance(k)), SURFACE.totalVariance(k, t), 1e-15);
        }
    }

    @Test
    void extrapolatesWithFlatImpliedVolOutsideTheExpiries() {
        for (double k = -1.0; k <= 1.0; k += 0.25) {
            double vol1 = StrictMath.sqrt(SHORT.params().totalVariance(k) / SHORT.tte());
            assertEquals(vol1 * vol1 * 0.01, SURFACE.totalVariance(k, 0.01), 1e-15);
            double volN = StrictMath.sqrt(LONG.params().totalVariance(k) / LONG.tte());
            assertEquals(volN * volN * 3.0, SURFACE.totalVariance(k, 3.0), 1e-14);
        }
    }

    @Test
    void forwardIsLogLinearThroughSpotAndTheExpiries() {
        assertEquals(SPOT, SURFACE.forward(1e-12), 1e-9);
        double halfway = StrictMath.sqrt(MID.forward() * LONG.forward());
        assertEquals(halfway, SURFACE.forward(0.75), 1e-12);
        double carry = StrictMath.log(LONG.forward() / MID.forward()) / (LONG.tte() - MID.tte());
        assertEquals(LONG.forward() * StrictMath.exp(carry), SURFACE.forward(2.0), 1e-9);
        // vol(strike, tte) uses that forward for k.
        double k = StrictMath.log(120 / SURFACE.forward(0.3));
        assertEquals(StrictMath.sqrt(SURFACE.totalVariance(k, 0.3) / 0.3), SURFACE.vol(120, 0.3), 1e-15);
    }

    /** Interpolated (and extrapolated) total variance never falls as time to expiry grows, at any k. */
    @Property(tries = 2000)
    void totalVarianceIsMonotoneInTime(@ForAll @DoubleRange(min = -2, max = 2) @Scale(6) double k,
                                       @ForAll @DoubleRange(min = 0.001, max = 3) @Scale(6) double t1,
                                       @ForAll @DoubleRange(min = 0.0, max = 1) @Scale(6) double dt) {
        double t2 = t1 + dt;
        assertTrue(SURFACE.totalVariance(k, t1) <= SURFACE.totalVariance(k, t2), "k=" + k + " t1=" + t1 + " t2=" + t2);
    }

    @Test
    void rejectsBadSurfacesAndQueries() {
        assertEquals(SurfaceReject.NO_EXPIRIES, VolSurface.build(SPOT, List.of()).reject());
        assertEquals(SurfaceReject.INVALID_INPUT, VolSurface.fromSmiles(0, List.of(SHORT)).reject());
        assertEquals(SurfaceReject.DUPLICATE_EXPIRY, VolSurface.fromSmiles(SPOT, List.of(SHORT, SHORT)).reject());
        assertEquals(SurfaceReject.DUPLICATE_EXPIRY,
                VolSurface.build(SPOT, List.of(quotesOf(MID), quotesOf(MID))).reject());
        assertThrows(IllegalArgumentException.class, () -> SURFACE.totalVariance(0.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> SURFACE.totalVariance(Double.NaN, 1.0));
        assertThrows(IllegalArgumentException.class, () -> SURFACE.vol(-1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> SURFACE.forward(Double.POSITIVE_INFINITY));
    }
}
