package io.meridian.engine;

import io.meridian.model.StateHasher;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/** State hashing of primitive maps, whose iteration order depends on their layout: entries go in by ascending key. */
final class LongMaps {
    private LongMaps() {
    }

    /** Feeds the entry count, then every (key, value) by ascending key. Allocates a key array: off the hot path. */
    static void hashSorted(StateHasher hasher, Long2LongHashMap map) {
        long[] keys = new long[map.size()];
        int n = 0;
        Long2LongHashMap.KeyIterator iterator = map.keySet().iterator();
        while (iterator.hasNext()) {
            keys[n++] = iterator.nextValue();
        }
        Arrays.sort(keys);
        hasher.add(n);
        for (long key : keys) {
            hasher.add(key).add(map.get(key));
        }
    }
}
