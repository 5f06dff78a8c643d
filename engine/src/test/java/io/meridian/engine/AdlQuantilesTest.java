package io.meridian.engine;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link AdlQuantiles}: the one-pass quantiles of a ranked queue against the definition, counted naively. */
class AdlQuantilesTest {
    /** The definition: max(1, ceil(5 x k / n)), k = entries ranked at or below this one. O(n^2). */
    private static int naive(long[] ranks, int i) {
        int notAbove = 0;
        for (long rank : ranks) {
            if (rank <= ranks[i]) {
                notAbove++;
            }
        }
        return (int) Math.max(1, Math.ceil(5.0 * notAbove / ranks.length));
    }

    @Test
    void quantilesOfRandomQueuesMatchTheNaiveCount() {
        long seed = System.nanoTime();
        System.out.println("AdlQuantilesTest seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 2_000; round++) {
            int n = 1 + random.nextInt(round < 100 ? 8 : 300);
            long[] ranks = new long[n];
            int distinct = 1 + random.nextInt(n + 2);
            for (int i = 0; i < n; i++) {
                // Few distinct values make ties; the extremes are the ranks of accounts at or below zero equity.
                int pick = random.nextInt(distinct + 2);
                ranks[i] = pick == distinct ? Long.MAX_VALUE : pick == distinct + 1 ? Long.MIN_VALUE
                        : (pick - distinct / 2) * 1_000L;
            }
            // The queue's order: highest rank first.
            long[] queue = Arrays.stream(ranks).boxed().sorted((a, b) -> Long.compare(b, a))
                    .mapToLong(Long::longValue).toArray();
            byte[] quantiles = AdlQuantiles.of(queue);
            for (int i = 0; i < n; i++) {
                assertEquals(naive(queue, i), quantiles[i], "seed " + seed + " round " + round + " entry " + i
                        + " of " + Arrays.toString(queue));
            }
            assertEquals(5, quantiles[0], "the head of the queue is deleveraged first (seed " + seed + ")");
        }
    }

    @Test
    void lookupAnswersZeroForAnAccountThatIsNoCandidate() {
        AdlQuantiles q = new AdlQuantiles(7, new long[] {2, 5, 9}, new byte[] {5, 1, 3});
        assertEquals(5, q.quantile(2));
        assertEquals(3, q.quantile(9));
        assertEquals(0, q.quantile(4));
        assertEquals(0, q.quantile(-3));
    }

    @Test
    void scoreIsBitmexRank() {
        // +10% PnL at 4x effective leverage: 0.4 = 400,000 ppm; -10% at 4x: -0.025.
        assertEquals(400_000, AutoDeleverager.score(100, 1_000, 1_000, 250));
        assertEquals(-25_000, AutoDeleverager.score(-100, 1_000, 1_000, 250));
        assertEquals(Long.MAX_VALUE, AutoDeleverager.score(100, 1_000, 1_000, 0));
        assertEquals(Long.MIN_VALUE, AutoDeleverager.score(-100, 1_000, 1_000, -5));
    }
}
