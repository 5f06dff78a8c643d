package io.meridian.matching;

import java.util.Arrays;

/**
 * The price levels of one side. Key = price for bids and -price for asks, which makes "better" mean "larger key" on
 * both sides.
 *
 * <p>A <em>window</em> holds the levels near the market: a direct-mapped array of {@code slots} covering the keys
 * {@code [base, base + slots.length)} with a two-level bitmap of the occupied slots, so that finding a level by price,
 * inserting and removing one, and stepping to the next better or worse level cost a few word operations whatever the
 * number of levels, and touch no other level. (A sorted array with binary search and shifting, which this replaced,
 * cost about 40% of the time of a workload that moves orders between a thousand levels; a linked list of levels
 * costs a cache miss per neighbour.) Levels whose key is outside the window, such as a hostile far-away order, sit
 * in a sorted overflow array: correct, only slower.
 *
 * <p>The window starts small (so a book with a few levels, such as one option series of a chain, costs a few
 * kilobytes), doubles up to {@link #MAX_WINDOW} slots when a key outside it would fit with the levels already in it,
 * is re-centred on the levels when the market has drifted (at most once per window-length of inserts), and on the
 * next key whenever it holds no level. Growing allocates; a steady state does not.
 *
 * <p>Single-threaded, like the book: {@link #fromTop} keeps a cursor so that walking the depths in order costs one
 * step each.
 */
final class BookSide {
    /** The window's largest size: 65,536 ticks around the market, 256 KiB of slots and 8 KiB of bitmap. */
    static final int MAX_WINDOW = 1 << 16;
    private static final int INITIAL_WINDOW = 1 << 10;

    private final boolean bids;
    private PriceLevel[] slots;
    /** Bit {@code i} set when {@code slots[i]} holds a level. */
    private long[] words;
    /** Bit {@code w} set when {@code words[w]} is not zero. */
    private long[] summary;
    private long base;
    private int windowCount;
    private int insertsSinceRebase;
    /** Cleared arrays of the window's size that a re-centre fills and swaps in (made by the first re-centre). */
    private PriceLevel[] spareSlots;
    private long[] spareWords;
    private long[] spareSummary;

    /** Levels outside the window, sorted by key ascending. */
    private long[] farKeys;
    private PriceLevel[] farLevels;
    private int farSize;

    private PriceLevel best;
    private int size;
    private PriceLevel cursor;
    private int cursorDepth = -1;

    BookSide(boolean bids, int initialCapacity) {
        this.bids = bids;
        this.farKeys = new long[Math.max(4, initialCapacity / 16)];
        this.farLevels = new PriceLevel[farKeys.length];
        window(INITIAL_WINDOW);
    }

    private void window(int slotCount) {
        slots = new PriceLevel[slotCount];
        words = new long[slotCount >>> 6];
        summary = new long[Math.max(1, words.length >>> 6)];
    }

    long keyOf(long price) {
        return bids ? price : -price;
    }

    int size() {
        return size;
    }

    /** The best level, or null when the side is empty. */
    PriceLevel best() {
        return best;
    }

    /**
     * The level at position {@code depth} from the top (0 = best), or null past the end. Steps from the best, the
     * worst or the last level asked for, whichever is nearest: in order, either way, each depth is one step.
     */
    PriceLevel fromTop(int depth) {
        if (depth < 0 || depth >= size) {
            return null;
        }
        PriceLevel level;
        int at;
        int fromWorst = size - 1 - depth;
        if (cursorDepth >= 0 && Math.abs(depth - cursorDepth) < Math.min(depth, fromWorst)) {
            level = cursor;
            at = cursorDepth;
        } else if (depth <= fromWorst) {
            level = best;
            at = 0;
        } else {
            level = worst();
            at = size - 1;
        }
        while (at < depth) {
            level = nextWorse(level);
            at++;
        }
        while (at > depth) {
            level = nextBetter(level);
            at--;
        }
        cursor = level;
        cursorDepth = depth;
        return level;
    }

    PriceLevel find(long price) {
        long key = keyOf(price);
        long offset = key - base;
        if (offset >= 0 && offset < slots.length) {
            return slots[(int) offset];
        }
        int index = farIndexOf(key);
        return index >= 0 ? farLevels[index] : null;
    }

    /** Inserts a new, empty level whose price is not yet present. */
    void insert(PriceLevel level) {
        long key = level.key;
        insertsSinceRebase++;
        if (size == 0 || windowCount == 0) {
            base = key - (slots.length >>> 1);
            pullFarIntoWindow();
        }
        long offset = key - base;
        if (offset < 0 || offset >= slots.length) {
            grow(key);
            offset = key - base;
        }
        if (offset >= 0 && offset < slots.length) {
            place(level, (int) offset);
        } else {
            farInsert(level);
        }
        if (best == null || key > best.key) {
            best = level;
        }
        size++;
        cursorDepth = -1;
    }

    void remove(PriceLevel level) {
        if (level == best) {
            best = nextWorse(level);
        }
        long offset = level.key - base;
        if (offset >= 0 && offset < slots.length) {
            int slot = (int) offset;
            slots[slot] = null;
            clear(slot);
            windowCount--;
        } else {
            int index = farIndexOf(level.key);
            int tail = farSize - index - 1;
            if (tail > 0) {
                System.arraycopy(farKeys, index + 1, farKeys, index, tail);
                System.arraycopy(farLevels, index + 1, farLevels, index, tail);
            }
            farLevels[--farSize] = null;
        }
        size--;
        cursorDepth = -1;
    }

    /** The next worse level (smaller key) than a level of this side, or null. */
    private PriceLevel nextWorse(PriceLevel level) {
        long offset = level.key - base;
        if (offset >= 0 && offset < slots.length) {
            PriceLevel below = windowBelow((int) offset);
            if (below != null) {
                return below;
            }
            int index = -farIndexOf(level.key) - 1;
            return index > 0 ? farLevels[index - 1] : null;
        }
        int index = farIndexOf(level.key);
        PriceLevel far = index > 0 ? farLevels[index - 1] : null;
        if (offset >= slots.length && windowCount > 0) {
            PriceLevel top = windowBelow(slots.length);
            if (far == null || far.key < top.key) {
                return top;
            }
        }
        return far;
    }

    /** The next better level (larger key) than a level of this side, or null. */
    private PriceLevel nextBetter(PriceLevel level) {
        long offset = level.key - base;
        if (offset >= 0 && offset < slots.length) {
            PriceLevel above = windowAbove((int) offset);
            if (above != null) {
                return above;
            }
            int index = -farIndexOf(level.key) - 1;
            return index < farSize ? farLevels[index] : null;
        }
        int index = farIndexOf(level.key);
        PriceLevel far = index + 1 < farSize ? farLevels[index + 1] : null;
        if (offset < 0 && windowCount > 0) {
            PriceLevel bottom = windowAbove(-1);
            if (far == null || bottom.key < far.key) {
                return bottom;
            }
        }
        return far;
    }

    /** The worst level, or null when the side is empty. */
    private PriceLevel worst() {
        PriceLevel far = farSize > 0 ? farLevels[0] : null;
        PriceLevel window = windowCount > 0 ? windowAbove(-1) : null;
        if (window == null || (far != null && far.key < window.key)) {
            return far;
        }
        return window;
    }

    private void place(PriceLevel level, int slot) {
        slots[slot] = level;
        set(slot);
        windowCount++;
    }

    /**
     * Makes room for {@code key} outside the window when the levels in the window and the key fit in
     * {@link #MAX_WINDOW} / 2 ticks: doubles the window while it is smaller than twice their span (at most six times in
     * the side's life), and re-centres it on them. A re-centre that would not double runs at most once per
     * window-length of inserts, so its cost (one pass over the window) stays a small constant per insert however a
     * trader alternates far prices; otherwise the key goes to the overflow.
     */
    private void grow(long key) {
        long low = key;
        long high = key;
        if (windowCount > 0) {
            low = Math.min(low, windowAbove(-1).key);
            high = Math.max(high, windowBelow(slots.length).key);
        }
        long span = high - low + 1;
        if (span > MAX_WINDOW / 2) {
            return;
        }
        int newLength = slots.length;
        while (newLength < 2 * span) {
            newLength <<= 1;
        }
        if (newLength == slots.length && insertsSinceRebase < slots.length) {
            return;
        }
        insertsSinceRebase = 0;
        PriceLevel[] oldSlots = slots;
        long[] oldWords = words;
        long[] oldSummary = summary;
        long oldBase = base;
        if (newLength != slots.length) {
            window(newLength);
            spareSlots = null;
        } else {
            if (spareSlots == null) {
                spareSlots = new PriceLevel[newLength];
                spareWords = new long[words.length];
                spareSummary = new long[summary.length];
            }
            slots = spareSlots;
            words = spareWords;
            summary = spareSummary;
        }
        base = low - ((newLength - span) >>> 1);
        windowCount = 0;
        for (int w = 0; w < oldWords.length; w++) {
            for (long bits = oldWords[w]; bits != 0; bits &= bits - 1) {
                int old = (w << 6) + Long.numberOfTrailingZeros(bits);
                place(oldSlots[old], (int) (oldBase + old - base));
                oldSlots[old] = null;
            }
            oldWords[w] = 0;
        }
        Arrays.fill(oldSummary, 0);
        if (newLength == oldSlots.length) {
            spareSlots = oldSlots;
            spareWords = oldWords;
            spareSummary = oldSummary;
        }
        pullFarIntoWindow();
    }

    /** Moves the overflow levels whose keys now lie in the window into it; the linked order is unchanged. */
    private void pullFarIntoWindow() {
        int kept = 0;
        for (int i = 0; i < farSize; i++) {
            long offset = farKeys[i] - base;
            if (offset >= 0 && offset < slots.length) {
                slots[(int) offset] = farLevels[i];
                set((int) offset);
                windowCount++;
            } else {
                farKeys[kept] = farKeys[i];
                farLevels[kept++] = farLevels[i];
            }
        }
        Arrays.fill(farLevels, kept, farSize, null);
        farSize = kept;
    }

    private void set(int slot) {
        int word = slot >>> 6;
        words[word] |= 1L << slot;
        summary[word >>> 6] |= 1L << word;
    }

    private void clear(int slot) {
        int word = slot >>> 6;
        long bits = words[word] & ~(1L << slot);
        words[word] = bits;
        if (bits == 0) {
            summary[word >>> 6] &= ~(1L << word);
        }
    }

    /** The window's level at the lowest slot above {@code slot} (-1: the lowest of all), or null. */
    private PriceLevel windowAbove(int slot) {
        int from = slot + 1;
        if (from >= slots.length) {
            return null;
        }
        int word = from >>> 6;
        long bits = words[word] & (-1L << from);
        if (bits != 0) {
            return slots[(word << 6) + Long.numberOfTrailingZeros(bits)];
        }
        int nextWord = word + 1;
        if (nextWord >= words.length) {
            return null;
        }
        int group = nextWord >>> 6;
        long groups = summary[group] & (-1L << nextWord);
        while (true) {
            if (groups != 0) {
                int next = (group << 6) + Long.numberOfTrailingZeros(groups);
                return slots[(next << 6) + Long.numberOfTrailingZeros(words[next])];
            }
            if (++group >= summary.length) {
                return null;
            }
            groups = summary[group];
        }
    }

    /** The window's level at the highest slot below {@code slot} ({@code slots.length}: the highest of all), or null. */
    private PriceLevel windowBelow(int slot) {
        int from = slot - 1;
        if (from < 0) {
            return null;
        }
        int word = from >>> 6;
        long bits = words[word] & (-1L >>> (63 - (from & 63)));
        if (bits != 0) {
            return slots[(word << 6) + 63 - Long.numberOfLeadingZeros(bits)];
        }
        int previousWord = word - 1;
        if (previousWord < 0) {
            return null;
        }
        int group = previousWord >>> 6;
        long groups = summary[group] & (-1L >>> (63 - (previousWord & 63)));
        while (true) {
            if (groups != 0) {
                int next = (group << 6) + 63 - Long.numberOfLeadingZeros(groups);
                return slots[(next << 6) + 63 - Long.numberOfLeadingZeros(words[next])];
            }
            if (--group < 0) {
                return null;
            }
            groups = summary[group];
        }
    }

    /** Inserts into the sorted overflow. */
    private void farInsert(PriceLevel level) {
        int index = -farIndexOf(level.key) - 1;
        if (farSize == farKeys.length) {
            farKeys = Arrays.copyOf(farKeys, farSize * 2);
            farLevels = Arrays.copyOf(farLevels, farSize * 2);
        }
        int tail = farSize - index;
        if (tail > 0) {
            System.arraycopy(farKeys, index, farKeys, index + 1, tail);
            System.arraycopy(farLevels, index, farLevels, index + 1, tail);
        }
        farKeys[index] = level.key;
        farLevels[index] = level;
        farSize++;
    }

    /** Binary search of the overflow, as {@link Arrays#binarySearch}. */
    private int farIndexOf(long key) {
        return Arrays.binarySearch(farKeys, 0, farSize, key);
    }
}
