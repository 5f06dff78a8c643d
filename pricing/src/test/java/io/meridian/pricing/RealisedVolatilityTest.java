package io.meridian.pricing;

import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimator against a naive floating-point EWMA of the same samples, on random walks of a known volatility; its
 * sampling rules (one sample a minute, a long gap spread over its minutes, nothing before ten samples); and a
 * snapshot that restores it exactly.
 */
class RealisedVolatilityTest {
    private static final long MINUTE = RealisedVolatility.SAMPLE_NANOS;

    /** A random walk of {@code annualVol} published once a minute: the estimate converges near it. */
    @Test
    void aRandomWalkOfKnownVolatilityIsMeasuredNearIt() {
        long seed = 42;
        System.out.println("RealisedVolatilityTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (double annualVol : new double[] {0.3, 0.6, 1.5}) {
            RealisedVolatility estimator = new RealisedVolatility();
            double perMinute = annualVol / Math.sqrt(525_960);
            double price = 5_000_000;
            double naive = 0;
            int samples = 0;
            long t = 0;
            estimator.onIndex(Math.round(price), t);
            double previous = Math.round(price);
            for (int i = 0; i < 2_000; i++) {
                price *= Math.exp(random.nextGaussian() * perMinute);
                t += MINUTE;
                long published = Math.round(price);
                estimator.onIndex(published, t);
                double r = Math.min(1, Math.abs(published - previous) / previous);
                naive += (r * r - naive) * RealisedVolatility.ALPHA_PPM / 1e6;
                previous = published;
                samples++;
            }
            double naiveAnnual = Math.sqrt(naive * 525_960);
            double measured = estimator.annualisedPpm() / 1e6;
            assertEquals(naiveAnnual, measured, naiveAnnual * 0.01 + 1e-4, "against the naive EWMA at " + annualVol);
            assertTrue(Math.abs(measured - annualVol) < annualVol * 0.35, measured + " measured for " + annualVol);
            assertEquals(samples, estimator.samples());
        }
    }

    @Test
    void samplesOnceAMinuteSpreadsAGapAndWaitsForTenSamples() {
        RealisedVolatility v = new RealisedVolatility();
        v.onIndex(1_000_000, 0);
        for (int i = 1; i <= 9; i++) {
            v.onIndex(1_000_000 + (i % 2) * 1_000, i * MINUTE);
            v.onIndex(2_000_000, i * MINUTE + 1);
        }
        assertEquals(9, v.samples(), "publications inside a minute take no sample");
        assertEquals(0, v.annualisedPpm(), "nothing before ten samples");
        // A 0.1% move after a gap of 100 minutes counts as a hundredth of its square per minute.
        RealisedVolatility gap = new RealisedVolatility();
        gap.onIndex(1_000_000, 0);
        gap.onIndex(1_001_000, 100 * MINUTE);
        RealisedVolatility once = new RealisedVolatility();
        once.onIndex(1_000_000, 0);
        once.onIndex(1_000_100, MINUTE);
        StateHasher a = new StateHasher();
        StateHasher b = new StateHasher();
        gap.hashState(a);
        once.hashState(b);
        assertEquals(1, gap.samples());
        assertTrue(a.value() != b.value(), "different next sample times");
    }

    @Property(tries = 200)
    void aSnapshotRestoresTheEstimatorExactly(@ForAll @LongRange(min = 1, max = 1_000_000_000L) long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RealisedVolatility v = new RealisedVolatility();
        long t = 0;
        long price = 1 + random.nextLong(10_000_000);
        for (int i = 0; i < 50; i++) {
            v.onIndex(price, t);
            price = Math.max(1, price + random.nextLong(-price / 20 - 1, price / 20 + 2));
            t += random.nextLong(1, 3 * MINUTE);
        }
        SnapshotWriter out = new SnapshotWriter(256);
        v.writeSnapshot(out);
        RealisedVolatility copy = new RealisedVolatility();
        copy.readSnapshot(new SnapshotReader(out.buffer(), 0, out.length()));
        StateHasher a = new StateHasher();
        StateHasher b = new StateHasher();
        v.hashState(a);
        copy.hashState(b);
        assertEquals(a.value(), b.value());
        assertEquals(v.annualisedPpm(), copy.annualisedPpm());
        v.onIndex(price, t + MINUTE);
        copy.onIndex(price, t + MINUTE);
        assertEquals(v.annualisedPpm(), copy.annualisedPpm());
    }

    @Test
    void integerSquareRootIsExact() {
        for (long n : new long[] {0, 1, 2, 3, 4, 15, 16, 17, 999_999_999_999L, 1_000_000_000_000_000_000L}) {
            long r = RealisedVolatility.isqrt(n);
            assertTrue(r * r <= n && (r + 1) * (r + 1) > n, n + " -> " + r);
        }
    }
}
