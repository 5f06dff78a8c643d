package io.meridian.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The circuit breaker limits the index per second of command time, not per recompute: how often the index is
 * recomputed (reports in one instant, many ticks a second) does not change how far it can go in a second.
 */
class IndexBreakerTest {
    private static final long SEC = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    /** 30,000.00 in units of 1e-8. */
    private static final long P0 = 30_000L * 100_000_000L;

    private static IndexAggregator threeSources(AggregatorConfig config) {
        IndexAggregator a = new IndexAggregator(config, IndexEvents.NONE);
        for (int i = 0; i < 3; i++) {
            a.registerSource(i, "s" + i);
            a.report(i, P0, -1, 0, 0);
        }
        assertTrue(a.recompute(0));
        return a;
    }

    /** One second's allowance at the default 0.5% per second from {@code p}. */
    private static long oneSecond(long p) {
        return p / 200;
    }

    @Test
    void manyReportsInOneInstantMoveNothing() {
        IndexAggregator a = threeSources(AggregatorConfig.defaults());
        long now = SEC;
        a.report(0, P0 * 6 / 10, -1, 0, 0);
        for (int k = 0; k < 1000; k++) {
            a.report(1, P0 * 6 / 10, -1, now, now);
            a.recompute(now);
        }
        assertEquals(P0 - oneSecond(P0), a.index(), "a thousand recomputes at t = 1 s: one second's move in total");
        for (int k = 0; k < 1000; k++) {
            a.report(0, P0 * 6 / 10, -1, now, now);
            a.recompute(now);
        }
        assertEquals(P0 - oneSecond(P0), a.index(), "and nothing more in the same instant");
    }

    @Test
    void manyTicksPerSecondMoveNoMoreThanOneTickASecond() {
        long[] finals = new long[3];
        int[] perSecond = {1, 10, 1000};
        for (int r = 0; r < perSecond.length; r++) {
            IndexAggregator a = threeSources(AggregatorConfig.defaults());
            a.report(0, P0 * 6 / 10, -1, 0, 0);
            a.report(1, P0 * 6 / 10, -1, 0, 0);
            long step = SEC / perSecond[r];
            for (long t = step; t <= SEC; t += step) {
                a.recompute(t);
            }
            finals[r] = a.index();
        }
        assertEquals(P0 - oneSecond(P0), finals[0]);
        for (long f : finals) {
            // Downwards each step's allowance is taken from a lower index, so more steps can only move less.
            assertTrue(f >= P0 - oneSecond(P0), "moved more than one second's allowance: " + f);
            assertTrue(f < P0 - oneSecond(P0) * 99 / 100, "rounding froze the index: " + f);
        }
    }

    @Test
    void manyTicksUpwardsStayWithinOneSecondAtTheHighestPrice() {
        IndexAggregator a = threeSources(AggregatorConfig.defaults());
        a.report(0, P0 * 2, -1, 0, 0);
        a.report(1, P0 * 2, -1, 0, 0);
        for (long t = MS; t <= SEC; t += MS) {
            a.recompute(t);
        }
        long moved = a.index() - P0;
        assertTrue(moved <= oneSecond(a.index()) + 1, "moved " + moved + " in one second");
        assertTrue(moved >= oneSecond(P0) - 1000, "moved only " + moved);
    }

    @Test
    void roundingCannotFreezeAnIndexRecomputedEveryNanosecond() {
        // A small price (300.00 at 2 decimals): 0.5% per second is 150 units a second, one unit per 6.67 ms.
        IndexAggregator a = new IndexAggregator(AggregatorConfig.defaults(), IndexEvents.NONE);
        for (int i = 0; i < 3; i++) {
            a.registerSource(i, "s" + i);
            a.report(i, 30_000, -1, 0, 0);
        }
        a.recompute(0);
        a.report(0, 10_000, -1, 0, 0);
        a.report(1, 10_000, -1, 0, 0);
        for (long t = 1; t <= 2 * SEC; t += 97_003) {
            a.recompute(t);
        }
        long moved = 30_000 - a.index();
        assertTrue(moved >= 290 && moved <= 300, "moved " + moved + " in two seconds (allowance 300)");
    }

    @Test
    void aStaleSpellAddsAtMostTheCap() {
        IndexAggregator a = threeSources(AggregatorConfig.defaults());
        // All sources silent for five minutes: the index goes stale, then one hostile set of reports arrives.
        assertFalse(a.recompute(300 * SEC));
        for (int i = 0; i < 3; i++) {
            a.report(i, P0 / 2, -1, 300 * SEC, 300 * SEC);
        }
        assertTrue(a.recompute(300 * SEC));
        assertEquals(P0 - P0 / 20, a.index(), "ten seconds' worth, 5%, however long the silence");
    }
}
