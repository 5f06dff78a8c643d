package io.meridian.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trigger heap against a plain map: same contents, and the top is always an extreme key. */
class TriggerHeapTest {

    @Property(tries = 200)
    void behavesLikeAMapWithAnExtremeTop(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed,
                                         @ForAll boolean highFirst) {
        SplittableRandom random = new SplittableRandom(seed);
        TriggerHeap heap = new TriggerHeap(highFirst);
        Map<Long, Long> reference = new HashMap<>();
        for (int step = 0; step < 2_000; step++) {
            long account = random.nextLong(1, 200);
            int action = random.nextInt(10);
            if (action < 6) {
                long key = random.nextLong(1, 1_000);
                heap.put(account, key);
                reference.put(account, key);
            } else if (action < 8) {
                heap.remove(account);
                reference.remove(account);
            } else if (!reference.isEmpty()) {
                long top = heap.topKey();
                long expected = highFirst ? reference.values().stream().mapToLong(Long::longValue).max().orElseThrow()
                        : reference.values().stream().mapToLong(Long::longValue).min().orElseThrow();
                assertEquals(expected, top, "seed " + seed);
                long popped = heap.pop();
                assertEquals(top, reference.remove(popped), "seed " + seed);
            }
            assertEquals(reference.size(), heap.size(), "seed " + seed);
            assertTrue(reference.keySet().stream().allMatch(heap::contains), "seed " + seed);
        }
    }
}
