package io.meridian.pricing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.model.FixedPoint;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Over any sequence of reports and recomputes (many in one instant, ticks at any pace, silences long enough to go
 * stale), the published index moves at most the circuit breaker's allowance for the elapsed time. The sequence comes
 * from a seeded {@link Random}; every failure message names the seed.
 */
class IndexBreakerProperties {
    private static final long SEC = 1_000_000_000L;
    private static final BigInteger SCALE = BigInteger.valueOf(FixedPoint.PPM * AggregatorConfig.NANOS_PER_SECOND);

    @Property(tries = 200)
    void publishedIndexMovesAtMostTheAllowanceForTheElapsedTime(
            @ForAll long seed,
            @ForAll @LongRange(min = 1, max = 200_000) long ratePpmPerSecond,
            @ForAll @IntRange(min = 1, max = 30) int capSeconds) {
        Random random = new Random(seed);
        AggregatorConfig config = AggregatorConfig.defaults().withMaxMovePpmPerSecond(ratePpmPerSecond)
                .withMaxMoveAccrualNanos(capSeconds * SEC);
        IndexAggregator a = new IndexAggregator(config, IndexEvents.NONE);
        for (int i = 0; i < 3; i++) {
            a.registerSource(i, "s" + i);
        }
        long base = 1 + random.nextInt(1_000_000_000) * (random.nextBoolean() ? 1_000L : 1L);
        long now = 0;
        List<long[]> published = new ArrayList<>();
        for (int step = 0; step < 250; step++) {
            int kind = random.nextInt(10);
            if (kind < 4) {
                now += 0;
            } else if (kind < 8) {
                now += random.nextInt(3) == 0 ? random.nextInt(1000) : random.nextInt((int) (2 * SEC));
            } else if (kind == 8) {
                now += random.nextInt(120) * SEC;
            } else {
                base = Math.max(1, base + (random.nextBoolean() ? base / 2 : -base / 2));
            }
            int source = random.nextInt(3);
            long price = Math.max(1, base + (long) (random.nextGaussian() * base / 3));
            a.report(source, price, -1, now, now);
            if (a.recompute(now)) {
                published.add(new long[] {now, a.index()});
            }
        }
        String where = "seed " + seed + ", rate " + ratePpmPerSecond + ", cap " + capSeconds + " s";
        BigInteger rate = BigInteger.valueOf(ratePpmPerSecond);
        BigInteger cap = BigInteger.valueOf(capSeconds * SEC);
        for (int s = 0; s < published.size(); s++) {
            long max = published.get(s)[1];
            for (int t = s + 1; t < published.size(); t++) {
                long ps = published.get(s)[1];
                long pt = published.get(t)[1];
                long prev = published.get(t - 1)[1];
                max = Math.max(max, pt);
                if (t == s + 1) {
                    // One step: at most floor(previous x rate x min(elapsed + carried remainder, cap) / 1e15).
                    BigInteger stepLimit = BigInteger.valueOf(prev).multiply(rate).multiply(cap).divide(SCALE);
                    assertTrue(BigInteger.valueOf(Math.abs(pt - prev)).compareTo(stepLimit) <= 0,
                            where + ": one step moved " + (pt - prev) + " beyond the cap's " + stepLimit);
                }
                // Any span: at most the largest index in it x rate x elapsed, plus the remainder carried into the
                // span (less than one price unit at the starting index, so at most ceil(max / ps) units).
                BigInteger elapsed = BigInteger.valueOf(published.get(t)[0] - published.get(s)[0]);
                BigInteger bound = BigInteger.valueOf(max).multiply(rate).multiply(elapsed)
                        .add(SCALE.multiply(BigInteger.valueOf((max + ps - 1) / ps)));
                BigInteger moved = BigInteger.valueOf(Math.abs(pt - ps)).multiply(SCALE);
                assertTrue(moved.compareTo(bound) <= 0, where + ": from publication " + s + " (" + ps + " at "
                        + published.get(s)[0] + ") to " + t + " (" + pt + " at " + published.get(t)[0]
                        + ") the index moved beyond the allowance");
            }
        }
    }
}
