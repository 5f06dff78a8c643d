package io.meridian.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class IndexAggregatorProperties {
    private static final long SEC = 1_000_000_000L;

    /**
     * The published index lies between the smallest and the largest fresh, accepted price (circuit breaker off,
     * either outlier mode), and the order in which the reports arrive at the same time does not change it.
     */
    @Property(tries = 500)
    void indexWithinFreshRangeAndIndependentOfReportOrder(
            @ForAll @Size(min = 1, max = 12) List<@LongRange(min = 1, max = 1_000_000_000_000L) Long> prices,
            @ForAll @Size(min = 12, max = 12) List<@LongRange(min = 0, max = 120) Long> agesSeconds,
            @ForAll @Size(min = 12, max = 12) List<@LongRange(min = 0, max = 5) Long> weights,
            @ForAll @IntRange(min = 1, max = 3) int minFresh,
            @ForAll boolean drop,
            @ForAll long shuffleSeed) {
        int n = prices.size();
        Map<Integer, Long> weightMap = new HashMap<>();
        for (int i = 0; i < n; i++) {
            weightMap.put(i, weights.get(i));
        }
        AggregatorConfig config = AggregatorConfig.defaults().withMaxMovePpmPerSecond(0).withMinFreshSources(minFresh)
                .withOutlierMode(drop ? OutlierMode.DROP : OutlierMode.CLAMP).withSourceWeights(weightMap);
        long now = 200 * SEC;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        long[] result = new long[2];
        boolean[] published = new boolean[2];
        for (int run = 0; run < 2; run++) {
            if (run == 1) {
                Collections.shuffle(order, new Random(shuffleSeed));
            }
            IndexAggregator a = new IndexAggregator(config, IndexEvents.NONE);
            for (int i = 0; i < n; i++) {
                a.registerSource(i, "s" + i);
            }
            for (int i : order) {
                a.report(i, prices.get(i), -1, now - agesSeconds.get(i) * SEC, now);
            }
            published[run] = a.recompute(now);
            result[run] = a.index();
        }
        assertEquals(published[0], published[1]);
        assertEquals(result[0], result[1]);
        if (published[0]) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                boolean fresh = agesSeconds.get(i) * SEC <= config.stalenessNanos() && weights.get(i) > 0;
                if (fresh) {
                    min = Math.min(min, prices.get(i));
                    max = Math.max(max, prices.get(i));
                }
            }
            assertTrue(result[0] >= min && result[0] <= max, result[0] + " not in [" + min + ", " + max + "]");
        }
    }
}
