package io.meridian.node.marketdata;

import io.meridian.model.BookSnapshot;

import java.util.Arrays;
import java.util.List;

/**
 * One instrument's book as the publisher keeps it for its book streams: the best {@link #capacity()} levels of each
 * side, exact after every command, and for each subscribed depth N the change a command made to the top N levels (the
 * window) of each side (docs/api.md, "Book stream").
 *
 * <p><b>Why it stays exact.</b> The engine thread hands over every level change of a command (price and new quantity,
 * 0 when the level is gone) and, after them, the <i>edge</i>: the levels at ranks {@code [M - r, M)} of each side
 * after the command, where M is the capacity and r the number of levels removed on that side in the command (at most
 * M of them; {@code io.meridian.node.MarketData}). Every level applied here is one that exists with the quantity
 * given. A level in the true top M after the command either was in the top M before (then it is held here, and if it
 * changed its change was applied), or was changed in the command (applied), or was outside the top M, untouched: then
 * at least M levels were better than it before and only the r removals can have made fewer, so its rank now is at
 * least M - r, and the edge brought it. So what is held contains the true top M and only real levels; its best M
 * levels are the true top M. The extra levels are dropped at the end of each command.
 *
 * <p><b>Deltas.</b> For a depth N, a price goes into the command's delta with its new quantity when it is in the
 * window after the command and was not in it before or had another quantity, and with quantity 0 when it was in the
 * window before and is not after: a level removed, or pushed below the N-th rank by a better one. A level that rises
 * into the window (one inside it was removed) is in the delta with its quantity. So a client that applies the deltas
 * to the snapshot holds exactly the top N levels of each side after every command, never more. The work per command
 * is proportional to its changes and to how far each window's edge moved, not to N.
 *
 * <p>Use: {@link #reset} from a snapshot at least as deep as the capacity; per command {@link #change} for every level
 * event and edge level, then {@link #window} for each subscribed depth, then {@link #endCommand}. Publisher thread
 * only; not thread-safe.
 */
final class BookWindows {
    /** The side arrays' index of bids and asks (as {@link FeedSlot#BUY} and {@link FeedSlot#SELL}). */
    static final int BIDS = FeedSlot.BUY;
    static final int ASKS = FeedSlot.SELL;
    /** "No edge": the side holds fewer levels than the depth, so every level of it is in the window. */
    private static final long NONE = Long.MIN_VALUE;

    private final Side[] sides = {new Side(true), new Side(false)};
    private int capacity;
    /** The depths whose windows are computed, ascending (their old edges are captured at a side's first change). */
    private int[] depths = new int[0];

    /** One side's levels, best first, as keys (price for bids, -price for asks: a better price has a larger key). */
    private static final class Side {
        final boolean bids;
        long[] keys = new long[64];
        long[] quantities = new long[64];
        int size;
        /** The prices changed in the command (keys), each with its quantity before the command (0: absent). */
        long[] changed = new long[16];
        long[] before = new long[16];
        int changes;
        final KeyIndex index = new KeyIndex();
        /** Per depth (as {@link #depths}), the key at rank depth - 1 before the command, or {@link #NONE}. */
        long[] oldEdges = new long[0];

        Side(boolean bids) {
            this.bids = bids;
        }

        long key(long price) {
            return bids ? price : -price;
        }

        long price(long key) {
            return bids ? key : -key;
        }

        /** The index of {@code key}, or {@code -(insertion point) - 1} (keys descend). */
        int find(long key) {
            int lo = 0;
            int hi = size - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long k = keys[mid];
                if (k == key) {
                    return mid;
                }
                if (k > key) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return -lo - 1;
        }

        /** The first index whose key is below {@code key}. */
        int firstBelow(long key) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (keys[mid] >= key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        long quantity(long key) {
            int i = find(key);
            return i >= 0 ? quantities[i] : 0;
        }

        void set(long key, long quantity) {
            int i = find(key);
            if (i >= 0) {
                if (quantity == 0) {
                    System.arraycopy(keys, i + 1, keys, i, size - i - 1);
                    System.arraycopy(quantities, i + 1, quantities, i, size - i - 1);
                    size--;
                } else {
                    quantities[i] = quantity;
                }
                return;
            }
            if (quantity == 0) {
                return;
            }
            int at = -i - 1;
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                quantities = Arrays.copyOf(quantities, size * 2);
            }
            System.arraycopy(keys, at, keys, at + 1, size - at);
            System.arraycopy(quantities, at, quantities, at + 1, size - at);
            keys[at] = key;
            quantities[at] = quantity;
            size++;
        }

        long edge(int depth) {
            return size >= depth ? keys[depth - 1] : NONE;
        }
    }

    /** The keys changed in a command, for a lookup in O(1): open addressing, cleared by a generation count. */
    private static final class KeyIndex {
        private long[] keys = new long[32];
        private int[] stamps = new int[32];
        private int generation = 1;
        private int count;

        /** Adds {@code key}; false when it was there already. */
        boolean add(long key) {
            if (2 * (count + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (stamps[i] == generation) {
                if (keys[i] == key) {
                    return false;
                }
                i = (i + 1) & mask;
            }
            stamps[i] = generation;
            keys[i] = key;
            count++;
            return true;
        }

        boolean contains(long key) {
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (stamps[i] == generation) {
                if (keys[i] == key) {
                    return true;
                }
                i = (i + 1) & mask;
            }
            return false;
        }

        void clear() {
            count = 0;
            if (++generation == Integer.MAX_VALUE) {
                Arrays.fill(stamps, 0);
                generation = 1;
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldStamps = stamps;
            int live = generation;
            keys = new long[oldKeys.length * 2];
            stamps = new int[oldKeys.length * 2];
            generation = 1;
            count = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldStamps[i] == live) {
                    add(oldKeys[i]);
                }
            }
        }
    }

    /** A command's change of one depth's window: (price, quantity) pairs per side, quantity 0 for a level that left. */
    static final class Delta {
        long[] bids = new long[32];
        int bidCount;
        long[] asks = new long[32];
        int askCount;

        void clear() {
            bidCount = 0;
            askCount = 0;
        }

        boolean isEmpty() {
            return bidCount == 0 && askCount == 0;
        }

        void add(int side, long price, long quantity) {
            if (side == BIDS) {
                if (2 * bidCount + 2 > bids.length) {
                    bids = Arrays.copyOf(bids, bids.length * 2);
                }
                bids[2 * bidCount] = price;
                bids[2 * bidCount + 1] = quantity;
                bidCount++;
            } else {
                if (2 * askCount + 2 > asks.length) {
                    asks = Arrays.copyOf(asks, asks.length * 2);
                }
                asks[2 * askCount] = price;
                asks[2 * askCount + 1] = quantity;
                askCount++;
            }
        }
    }

    /** The deepest window kept: the greatest depth subscribed. */
    int capacity() {
        return capacity;
    }

    /** Levels held on {@code side} (at most the capacity between commands). */
    int size(int side) {
        return sides[side].size;
    }

    long price(int side, int rank) {
        Side s = sides[side];
        return s.price(s.keys[rank]);
    }

    long quantity(int side, int rank) {
        return sides[side].quantities[rank];
    }

    /**
     * Starts again from {@code snapshot} (taken at least {@code capacity} deep, between two commands) with that
     * capacity. Any command in progress is dropped.
     */
    void reset(BookSnapshot snapshot, int capacity) {
        this.capacity = capacity;
        load(sides[BIDS], snapshot.bids());
        load(sides[ASKS], snapshot.asks());
        endCommand();
    }

    private void load(Side side, List<BookSnapshot.Level> levels) {
        side.size = 0;
        int n = Math.min(levels.size(), capacity);
        for (int i = 0; i < n; i++) {
            BookSnapshot.Level level = levels.get(i);
            side.set(side.key(level.price()), level.quantity());
        }
    }

    /**
     * A smaller capacity (the deepest subscriber left): the levels below it are dropped. Between commands only; a
     * greater capacity needs a {@link #reset} from a deeper snapshot.
     */
    void shrink(int capacity) {
        if (capacity > this.capacity) {
            throw new IllegalArgumentException("a greater capacity needs a snapshot: " + capacity);
        }
        this.capacity = capacity;
        for (Side side : sides) {
            side.size = Math.min(side.size, capacity);
        }
    }

    /** The depths whose windows {@link #window} computes (ascending, none above the capacity). Between commands. */
    void depths(int[] ascending) {
        this.depths = ascending.clone();
        for (Side side : sides) {
            side.oldEdges = new long[ascending.length];
        }
    }

    /** Whether the command in progress changed a level. */
    boolean inCommand() {
        return sides[BIDS].changes > 0 || sides[ASKS].changes > 0;
    }

    /** A level of the command: {@code quantity} is the level's new quantity, 0 when it is gone (an edge level's too). */
    void change(int sideIndex, long price, long quantity) {
        Side side = sides[sideIndex];
        long key = side.key(price);
        if (side.changes == 0) {
            for (int d = 0; d < depths.length; d++) {
                side.oldEdges[d] = side.edge(depths[d]);
            }
        }
        if (side.index.add(key)) {
            if (side.changes == side.changed.length) {
                side.changed = Arrays.copyOf(side.changed, side.changes * 2);
                side.before = Arrays.copyOf(side.before, side.changes * 2);
            }
            side.changed[side.changes] = key;
            side.before[side.changes] = side.quantity(key);
            side.changes++;
        }
        side.set(key, quantity);
    }

    /**
     * The command's change of the window of depth {@code depths[d]} (one of those given to {@link #depths}) into
     * {@code out} (cleared first). Before {@link #endCommand}.
     */
    void window(int d, Delta out) {
        out.clear();
        int depth = depths[d];
        for (int sideIndex = 0; sideIndex < 2; sideIndex++) {
            Side side = sides[sideIndex];
            if (side.changes == 0) {
                continue;
            }
            long oldEdge = side.oldEdges[d];
            long newEdge = side.edge(depth);
            for (int i = 0; i < side.changes; i++) {
                long key = side.changed[i];
                long was = side.before[i];
                long now = side.quantity(key);
                boolean wasIn = was > 0 && key >= oldEdge;
                boolean isIn = now > 0 && key >= newEdge;
                if (isIn && (!wasIn || was != now)) {
                    out.add(sideIndex, side.price(key), now);
                } else if (wasIn && !isIn) {
                    out.add(sideIndex, side.price(key), 0);
                }
            }
            if (newEdge < oldEdge) {
                // The window reaches deeper: unchanged levels between the edges rose into it.
                int end = Math.min(depth, side.size);
                for (int i = side.firstBelow(oldEdge); i < end; i++) {
                    if (!side.index.contains(side.keys[i])) {
                        out.add(sideIndex, side.price(side.keys[i]), side.quantities[i]);
                    }
                }
            } else if (newEdge > oldEdge) {
                // Better levels came in: unchanged levels between the edges were pushed out of it.
                for (int i = depth; i < side.size && side.keys[i] >= oldEdge; i++) {
                    if (!side.index.contains(side.keys[i])) {
                        out.add(sideIndex, side.price(side.keys[i]), 0);
                    }
                }
            }
        }
    }

    /** Ends the command: the levels below the capacity are dropped. */
    void endCommand() {
        for (Side side : sides) {
            if (side.size > capacity) {
                side.size = capacity;
            }
            side.changes = 0;
            side.index.clear();
        }
    }
}
