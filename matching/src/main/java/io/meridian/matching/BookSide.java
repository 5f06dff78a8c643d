package io.meridian.matching;

import java.util.Arrays;

/**
 * The price levels of one side, kept in an array sorted by key ascending with the best level last, so that the
 * levels that change most (near the top) are the cheapest to insert and remove. Key = price for bids and
 * -price for asks, which makes "better" mean "larger key" on both sides.
 */
final class BookSide {
    private final boolean bids;
    private long[] keys;
    private PriceLevel[] levels;
    private int size;

    BookSide(boolean bids, int initialCapacity) {
        this.bids = bids;
        this.keys = new long[initialCapacity];
        this.levels = new PriceLevel[initialCapacity];
    }

    long keyOf(long price) {
        return bids ? price : -price;
    }

    int size() {
        return size;
    }

    /** The best level, or null when the side is empty. */
    PriceLevel best() {
        return size == 0 ? null : levels[size - 1];
    }

    /** The level at position {@code depth} from the top (0 = best), or null past the end. */
    PriceLevel fromTop(int depth) {
        return depth < size ? levels[size - 1 - depth] : null;
    }

    PriceLevel find(long price) {
        int index = indexOf(keyOf(price));
        return index >= 0 ? levels[index] : null;
    }

    /** Inserts a new, empty level whose price is not yet present. */
    void insert(PriceLevel level) {
        int index = -indexOf(level.key) - 1;
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            levels = Arrays.copyOf(levels, size * 2);
        }
        int tailLength = size - index;
        if (tailLength > 0) {
            System.arraycopy(keys, index, keys, index + 1, tailLength);
            System.arraycopy(levels, index, levels, index + 1, tailLength);
        }
        keys[index] = level.key;
        levels[index] = level;
        size++;
    }

    void remove(PriceLevel level) {
        int index = size - 1;
        if (levels[index] != level) {
            index = indexOf(level.key);
        }
        int tailLength = size - index - 1;
        if (tailLength > 0) {
            System.arraycopy(keys, index + 1, keys, index, tailLength);
            System.arraycopy(levels, index + 1, levels, index, tailLength);
        }
        size--;
        levels[size] = null;
    }

    /**
     * Binary search for {@code key}; the result follows {@link Arrays#binarySearch}: the index when found, else
     * {@code -(insertionPoint) - 1}. Checks the top first because new best prices land there. The probe loop has no
     * data-dependent branch (C2 turns the select into a conditional move): with ~100 levels the probes of an
     * ordinary binary search mispredict about half the time, and this lookup runs on every resting order and amend.
     */
    private int indexOf(long key) {
        int n = size;
        if (n == 0) {
            return -1;
        }
        long[] k = keys;
        if (k[n - 1] < key) {
            return -n - 1;
        }
        int base = 0;
        while (n > 1) {
            int half = n >>> 1;
            base = k[base + half] <= key ? base + half : base;
            n -= half;
        }
        if (k[base] == key) {
            return base;
        }
        return -(k[base] < key ? base + 1 : base) - 1;
    }
}
