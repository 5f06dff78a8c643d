package io.meridian.node.access;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token buckets by key: the rate, the burst, and memory that invented keys cannot grow. */
class KeyedBucketsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aKeySpendsItsBurstThenWaitsForTheRate() {
        KeyedBuckets<String> buckets = new KeyedBuckets<>(10, 3, 100);
        long t = 1_000 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertEquals(0, buckets.take("a", t));
        }
        long wait = buckets.take("a", t);
        assertTrue(wait > 0 && wait <= SECOND / 10, "about a tenth of a second, was " + wait);
        assertEquals(0, buckets.take("b", t), "another key has its own bucket");
        assertEquals(0, buckets.take("a", t + SECOND / 10));
    }

    @Test
    void inventedKeysCannotGrowMemoryPastTheBound() {
        KeyedBuckets<Long> buckets = new KeyedBuckets<>(10, 2, 1_000);
        long t = 1_000 * SECOND;
        int refused = 0;
        for (long key = 0; key < 100_000; key++) {
            if (buckets.take(key, t) > 0) {
                refused++;
            }
            assertTrue(buckets.size() <= 1_000);
        }
        assertEquals(99_000, refused, "past the bound, new keys are refused while every bucket is in use");
        // Once buckets have refilled they carry no information and make room again.
        assertEquals(0, buckets.take(-1L, t + SECOND));
        assertTrue(buckets.size() <= 1_000);
    }
}
