package io.meridian.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.model.FixedPoint;
import io.meridian.model.StateHasher;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class IndexAggregatorTest {
    private static final long SEC = 1_000_000_000L;
    /** Prices in units of 1e-8: 100.00 = 10_000_000_000. */
    private static final long UNIT = 100_000_000L;

    private final RecordingEvents events = new RecordingEvents();

    private IndexAggregator aggregator(AggregatorConfig config, int sources) {
        IndexAggregator a = new IndexAggregator(config, events);
        for (int i = 0; i < sources; i++) {
            a.registerSource(i, "src" + i);
        }
        return a;
    }

    private static AggregatorConfig noBreaker() {
        return AggregatorConfig.defaults().withMaxMovePpmPerSecond(0);
    }

    private static long px(double units) {
        return Math.round(units * UNIT);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        IndexAggregator a = aggregator(noBreaker().withMinFreshSources(1), 4);
        long now = 10 * SEC;
        assertNull(a.report(0, 100 * UNIT, -1, now, now));
        assertNull(a.report(1, 102 * UNIT, -1, now, now));
        assertNull(a.report(2, 101 * UNIT, -1, now, now));
        assertTrue(a.recompute(now));
        assertEquals(101 * UNIT, a.index());
        assertEquals("index " + 101 * UNIT + " fresh=3", events.last());
        // Even count: floor of the midpoint of the two middle prices.
        assertNull(a.report(3, 101 * UNIT + 3, -1, now, now));
        a.recompute(now);
        assertEquals(101 * UNIT + 1, a.index());
    }

    @Test
    void weightsDecideTheMedian() {
        AggregatorConfig config = noBreaker().withMinFreshSources(1).withSourceWeights(Map.of(0, 5L, 1, 1L, 2, 1L));
        IndexAggregator a = aggregator(config, 3);
        long now = SEC;
        a.report(0, 100 * UNIT, -1, now, now);
        a.report(1, 102 * UNIT, -1, now, now);
        a.report(2, 103 * UNIT, -1, now, now);
        a.recompute(now);
        assertEquals(100 * UNIT, a.index(), "weight 5 of 7 holds the median");
    }

    @Test
    void evenWeightSplitTakesFlooredMidpoint() {
        AggregatorConfig config = noBreaker().withMinFreshSources(1).withSourceWeights(Map.of(0, 3L, 1, 1L, 2, 2L));
        IndexAggregator a = aggregator(config, 3);
        long now = SEC;
        a.report(0, 100 * UNIT, -1, now, now);
        a.report(1, 101 * UNIT, -1, now, now);
        a.report(2, 102 * UNIT + 1, -1, now, now);
        a.recompute(now);
        // Weight 3 of 6 at 100: exactly half, so the midpoint of 100 and 101, rounded down.
        assertEquals(100 * UNIT + UNIT / 2, a.index());
    }

    @Test
    void staleSourceHasNoWeightAndTooFewFreshMarksIndexStale() {
        IndexAggregator a = aggregator(noBreaker(), 3);
        a.report(0, 100 * UNIT, -1, 0, 0);
        a.report(1, 101 * UNIT, -1, 0, 0);
        a.report(2, 102 * UNIT, -1, 30 * SEC, 30 * SEC);
        assertTrue(a.recompute(30 * SEC));
        assertEquals(101 * UNIT, a.index());
        assertFalse(a.isStale());
        // At exactly the limit a source is still fresh.
        assertTrue(a.recompute(60 * SEC));
        events.events.clear();
        assertFalse(a.recompute(60 * SEC + 1));
        assertEquals(List.of("stale 0 age=" + (60 * SEC + 1), "stale 1 age=" + (60 * SEC + 1),
                "indexStale fresh=1 last=" + 101 * UNIT), events.events);
        assertTrue(a.isStale());
        assertEquals(101 * UNIT, a.index(), "the last index stays, marked stale");
        assertEquals(1, a.freshSources());
    }

    @Test
    void noIndexBeforeMinimumSources() {
        IndexAggregator a = aggregator(noBreaker(), 3);
        a.report(0, 100 * UNIT, -1, 0, 0);
        assertFalse(a.recompute(0));
        assertEquals("indexStale fresh=1 last=0", events.last());
        assertFalse(a.hasIndex());
        assertTrue(a.isStale());
    }

    @Test
    void outlierIsClampedToTheBand() {
        IndexAggregator a = aggregator(noBreaker(), 4);
        a.report(0, 100 * UNIT, -1, 0, 0);
        a.report(1, 100 * UNIT, -1, 0, 0);
        a.report(2, 110 * UNIT, -1, 0, 0);
        a.report(3, 200 * UNIT, -1, 0, 0);
        a.recompute(0);
        // Raw median: midpoint of 100 and 110 = 105; band 5% = 5.25 -> [99.75, 110.25]; 200 is clamped to 110.25.
        long median = 105 * UNIT;
        assertEquals(List.of("outlier 3 " + 200 * UNIT + " median=" + median + " used=" + px(110.25) + " CLAMP",
                "index " + median + " fresh=4"), events.events);
    }

    @Test
    void clampMattersWhenTheMedianIsAMidpoint() {
        IndexAggregator a = aggregator(noBreaker().withMinFreshSources(2), 2);
        a.report(0, 100 * UNIT, -1, 0, 0);
        a.report(1, 120 * UNIT, -1, 0, 0);
        a.recompute(0);
        // m0 = 110, band 5.5 -> both are outliers: 100 -> 104.5, 120 -> 115.5; the median is still 110.
        assertEquals(3, events.events.size());
        assertEquals(110 * UNIT, a.index());
    }

    @Test
    void outlierIsDroppedAndCanMakeTheIndexStale() {
        IndexAggregator a = aggregator(noBreaker().withOutlierMode(OutlierMode.DROP), 4);
        a.report(0, 100 * UNIT, -1, 0, 0);
        a.report(1, 100 * UNIT, -1, 0, 0);
        a.report(2, 101 * UNIT, -1, 0, 0);
        a.report(3, 200 * UNIT, -1, 0, 0);
        a.recompute(0);
        assertEquals("outlier 3 " + 200 * UNIT + " median=" + px(100.5) + " used=0 DROP", events.events.get(0));
        assertEquals("index " + 100 * UNIT + " fresh=3", events.last());
        // With a minimum of 4, dropping the outlier leaves too few.
        IndexAggregator b = aggregator(noBreaker().withOutlierMode(OutlierMode.DROP).withMinFreshSources(4), 4);
        for (int i = 0; i < 4; i++) {
            b.report(i, i == 3 ? 200 * UNIT : 100 * UNIT, -1, 0, 0);
        }
        events.events.clear();
        assertFalse(b.recompute(0));
        assertEquals(List.of("outlier 3 " + 200 * UNIT + " median=" + 100 * UNIT + " used=0 DROP",
                "indexStale fresh=3 last=0"), events.events);
    }

    @Test
    void circuitBreakerLimitsTheMovePerSecond() {
        // Defaults: 0.5% per second, at most 10 seconds' worth after a gap.
        IndexAggregator a = aggregator(AggregatorConfig.defaults(), 3);
        for (int i = 0; i < 3; i++) {
            a.report(i, 100 * UNIT, -1, 0, 0);
        }
        a.recompute(0);
        for (int i = 0; i < 3; i++) {
            a.report(i, 150 * UNIT, -1, SEC, SEC);
        }
        events.events.clear();
        a.recompute(SEC);
        assertEquals(List.of("breaker " + 100 * UNIT + " " + 150 * UNIT + " -> " + px(100.5),
                "index " + px(100.5) + " fresh=3"), events.events);
        a.recompute(3 * SEC);
        assertEquals(px(100.5) + px(100.5) / 100, a.index(), "two seconds: 1% of the previous index");
        long before = a.index();
        a.recompute(3 * SEC);
        assertEquals(before, a.index(), "no time, no move: a second recompute at the same instant adds nothing");
        for (int i = 0; i < 3; i++) {
            a.report(i, 50 * UNIT, -1, 103 * SEC, 103 * SEC);
        }
        a.recompute(103 * SEC);
        assertEquals(before - before / 20, a.index(), "after 100 s of silence the allowance is capped at 10 s: 5%");
    }

    @Test
    void rejects() {
        IndexAggregator a = aggregator(AggregatorConfig.defaults(), 2);
        long now = 10 * SEC;
        assertEquals(ReportReject.UNKNOWN_SOURCE, a.report(5, UNIT, -1, now, now));
        assertEquals(ReportReject.UNKNOWN_SOURCE, a.report(-1, UNIT, -1, now, now));
        assertEquals(ReportReject.UNKNOWN_SOURCE, a.report(1000, UNIT, -1, now, now));
        assertEquals(ReportReject.NON_POSITIVE_PRICE, a.report(0, 0, -1, now, now));
        assertEquals(ReportReject.NON_POSITIVE_PRICE, a.report(0, -5, -1, now, now));
        // 2% of 100 = 2: exactly 2 passes, one unit more is rejected.
        assertNull(a.report(0, 100 * UNIT, 2 * UNIT, now - 2, now));
        assertEquals(ReportReject.CONFIDENCE_TOO_WIDE, a.report(0, 100 * UNIT, 2 * UNIT + 1, now, now));
        assertEquals(ReportReject.FUTURE_TIMESTAMP, a.report(0, 100 * UNIT, -1, now + 1, now));
        assertEquals(ReportReject.OUT_OF_ORDER, a.report(0, 100 * UNIT, -1, now - 3, now));
        assertNull(a.report(0, 99 * UNIT, -1, now - 2, now), "an equal timestamp replaces the report");
        assertEquals(99 * UNIT, a.lastPrice(0));
        assertEquals(ReportReject.OUT_OF_ORDER, a.report(0, 100 * UNIT, -1, now - 3, now + 5));
        assertEquals(99 * UNIT, a.lastPrice(0), "a rejected report changes nothing");
    }

    @Test
    void registrationIsValidated() {
        IndexAggregator a = aggregator(AggregatorConfig.defaults(), 1);
        assertThrows(IllegalArgumentException.class, () -> a.registerSource(0, "again"));
        assertThrows(IllegalArgumentException.class, () -> a.registerSource(32, "too big"));
        assertThrows(IllegalArgumentException.class, () -> a.registerSource(1, ""));
        assertEquals("src0", a.sourceName(0));
        assertNull(a.sourceName(1));
    }

    @Test
    void zeroWeightSourceNeverCounts() {
        IndexAggregator a = aggregator(noBreaker().withSourceWeights(Map.of(2, 0L)), 4);
        for (int i = 0; i < 4; i++) {
            a.report(i, (100 + i) * UNIT, -1, 0, 0);
        }
        a.recompute(0);
        assertEquals("index " + 101 * UNIT + " fresh=3", events.last());
    }

    @Test
    void stateHashCoversReportsAndIndex() {
        IndexAggregator a = aggregator(AggregatorConfig.defaults(), 3);
        IndexAggregator b = aggregator(AggregatorConfig.defaults(), 3);
        for (int i = 0; i < 3; i++) {
            a.report(i, 100 * UNIT + i, -1, 0, 0);
            b.report(2 - i, 100 * UNIT + 2 - i, -1, 0, 0);
        }
        a.recompute(0);
        b.recompute(0);
        assertEquals(a.stateHash(new StateHasher()).value(), b.stateHash(new StateHasher()).value());
        b.report(1, 100 * UNIT + 7, -1, 0, 0);
        assertNotEquals(a.stateHash(new StateHasher()).value(), b.stateHash(new StateHasher()).value());
    }

    /**
     * Robustness: five equally weighted sources around 100 (spread 0.2%); one of them reports 50% off, or freezes
     * while the market moves. Stated bound: the index stays within the range of the four honest prices, and moves by
     * less than 0.1% (1,000 ppm) from the all-honest index.
     */
    @Test
    void oneBadSourceOfFiveMovesTheIndexLessThanTheBound() {
        long[] honest = {px(99.9), px(99.95), px(100), px(100.05), px(100.1)};
        long bound = 1_000; // ppm
        AggregatorConfig config = AggregatorConfig.defaults().withMaxMovePpmPerSecond(0);
        long reference = indexOf(config, honest);
        assertEquals(px(100), reference);
        for (long bad : new long[] {px(150), px(50), px(1_000_000), 1}) {
            for (int victim = 0; victim < 5; victim++) {
                long[] prices = honest.clone();
                prices[victim] = bad;
                for (OutlierMode mode : OutlierMode.values()) {
                    long index = indexOf(config.withOutlierMode(mode), prices);
                    assertTrue(movePpm(reference, index) < bound, "moved " + movePpm(reference, index) + " ppm");
                    assertTrue(index >= px(99.9) && index <= px(100.1));
                }
            }
        }
        // Frozen: the market moves +5% in 1% steps over 40 s; source 4 stays at 100 (its feed froze, still "fresh").
        IndexAggregator a = new IndexAggregator(config, IndexEvents.NONE);
        IndexAggregator truth = new IndexAggregator(config, IndexEvents.NONE);
        for (int i = 0; i < 5; i++) {
            a.registerSource(i, "s" + i);
            truth.registerSource(i, "s" + i);
        }
        for (int step = 0; step <= 5; step++) {
            long now = step * 8 * SEC;
            for (int i = 0; i < 5; i++) {
                long price = FixedPoint.mulDivFloor(honest[i], 100 + step, 100);
                truth.report(i, price, -1, now, now);
                if (i != 4 || step == 0) {
                    a.report(i, price, -1, now, now);
                }
            }
            a.recompute(now);
            truth.recompute(now);
            assertTrue(movePpm(truth.index(), a.index()) < bound,
                    "step " + step + ": moved " + movePpm(truth.index(), a.index()) + " ppm");
        }
    }

    private static long indexOf(AggregatorConfig config, long[] prices) {
        IndexAggregator a = new IndexAggregator(config, IndexEvents.NONE);
        for (int i = 0; i < prices.length; i++) {
            a.registerSource(i, "s" + i);
            a.report(i, prices[i], -1, 0, 0);
        }
        assertTrue(a.recompute(0));
        return a.index();
    }

    private static long movePpm(long from, long to) {
        return FixedPoint.mulDivCeil(Math.abs(to - from), FixedPoint.PPM, from);
    }
}
