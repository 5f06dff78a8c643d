package io.meridian.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bucketed trigger index against a plain map, and its bucket arithmetic. */
class TriggerIndexTest {

    @Property(tries = 200)
    void drainsExactlyTheCrossedTriggers(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed,
                                          @ForAll boolean highFirst) {
        SplittableRandom random = new SplittableRandom(seed);
        TriggerIndex index = new TriggerIndex(highFirst);
        Map<Long, Long> reference = new HashMap<>();
        long scale = random.nextBoolean() ? 100 : 1L << random.nextInt(1, 50);
        for (int step = 0; step < 3_000; step++) {
            long account = random.nextLong(1, 300);
            int action = random.nextInt(10);
            if (action < 6) {
                long key = random.nextLong(1, scale + 1);
                index.put(account, key);
                reference.put(account, key);
            } else if (action < 8) {
                index.remove(account);
                reference.remove(account);
            } else {
                long mark = random.nextLong(1, scale + 1);
                List<Long> drained = new ArrayList<>();
                index.drainCrossed(mark, drained::add);
                TreeSet<Long> expected = new TreeSet<>();
                reference.forEach((a, k) -> {
                    if (highFirst ? k >= mark : k <= mark) {
                        expected.add(a);
                    }
                });
                assertEquals(expected, new TreeSet<>(drained), "seed " + seed + " mark " + mark);
                assertEquals(expected.size(), drained.size(), "seed " + seed + ": drained twice");
                expected.forEach(reference::remove);
            }
            assertEquals(reference.size(), index.size(), "seed " + seed);
        }
        reference.forEach((a, k) -> assertEquals(k, index.keyOf(a), "seed " + seed));
    }

    @Property(tries = 500)
    void bucketsAreOrderedLikeKeysAndBoundTheirKeys(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE - 1) long key) {
        int bucket = TriggerIndex.bucketOf(key);
        assertTrue(TriggerIndex.lowestKey(bucket) <= key && key <= TriggerIndex.highestKey(bucket), "key " + key);
        assertTrue(TriggerIndex.bucketOf(key + 1) >= bucket);
        assertEquals(bucket, TriggerIndex.bucketOf(TriggerIndex.lowestKey(bucket)));
        assertEquals(bucket, TriggerIndex.bucketOf(TriggerIndex.highestKey(bucket)));
    }

    @Test
    void extremeKeysWork() {
        TriggerIndex longs = new TriggerIndex(true);
        longs.put(1, Long.MAX_VALUE);
        longs.put(2, 1);
        List<Long> drained = new ArrayList<>();
        longs.drainCrossed(Long.MAX_VALUE - 1, drained::add);
        assertEquals(List.of(1L), drained);
        longs.drainCrossed(1, drained::add);
        assertEquals(List.of(1L, 2L), drained);
        assertEquals(0, longs.size());
    }
}
