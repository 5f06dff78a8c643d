package io.meridian.engine;

import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Accounts keyed by their liquidation trigger price in one instrument, bucketed so that a mark move finds the crossed
 * ones in time proportional to how many it crosses. For longs ({@code highFirst}) a trigger is crossed when the mark is
 * at or below it; for shorts when the mark is at or above it.
 *
 * <p><b>Buckets.</b> A key (a positive tick price) falls in bucket {@code (e, m)}: {@code e} its binary exponent, {@code m}
 * the 12 bits after its leading one, so a bucket spans at most 1/4096 (0.024%) of its price and buckets are ordered
 * like prices. Each bucket is an intrusive doubly linked list of entries (arrays indexed by a dense slot; one map
 * from account to slot), and three levels of bitmaps (exponents, 64-bucket words, buckets) find the highest or
 * lowest non-empty bucket in a few instructions. Put and remove are O(1) plus one map operation; draining touches the
 * crossed entries and, in the one bucket the mark falls in, the entries of that bucket. Bucket arrays are allocated
 * per exponent on first use (16 KB each), so an instrument whose prices span a few octaves uses a few of them.
 *
 * <p>Engine thread only; garbage-free once grown.
 */
final class TriggerIndex {
    private static final int MANTISSA_BITS = 12;
    private static final int BUCKETS_PER_EXPONENT = 1 << MANTISSA_BITS;
    private static final int WORDS_PER_EXPONENT = BUCKETS_PER_EXPONENT / 64;
    private static final int EXPONENTS = 63;
    private static final int NONE = -1;

    private final boolean highFirst;
    /** Per exponent: first slot of each bucket's list, or NONE; null until the exponent is used. */
    private final int[][] heads = new int[EXPONENTS][];
    /** Per exponent: one bit per non-empty bucket. */
    private final long[][] bucketBits = new long[EXPONENTS][];
    /** Per exponent: one bit per non-zero word of {@link #bucketBits}. */
    private final long[] wordBits = new long[EXPONENTS];
    /** One bit per exponent with a non-empty bucket. */
    private long exponentBits;

    private long[] accounts = new long[64];
    private long[] keys = new long[64];
    private int[] buckets = new int[64];
    private int[] next = new int[64];
    private int[] prev = new int[64];
    private int slotsUsed;
    private int freeHead = NONE;
    private int size;
    private final Long2LongHashMap slotOf = new Long2LongHashMap(128, 0.5f, NONE);

    TriggerIndex(boolean highFirst) {
        this.highFirst = highFirst;
    }

    int size() {
        return size;
    }

    boolean contains(long account) {
        return slotOf.get(account) != NONE;
    }

    /** The account's key, or -1 when absent. */
    long keyOf(long account) {
        int slot = (int) slotOf.get(account);
        return slot == NONE ? -1 : keys[slot];
    }

    /** Bucket number of a positive key: exponent x 4096 + the 12 bits after the leading one; monotone in the key. */
    static int bucketOf(long key) {
        int exponent = 63 - Long.numberOfLeadingZeros(key);
        long mantissa = exponent >= MANTISSA_BITS ? key >>> (exponent - MANTISSA_BITS) : key << (MANTISSA_BITS - exponent);
        return exponent * BUCKETS_PER_EXPONENT + (int) (mantissa & (BUCKETS_PER_EXPONENT - 1));
    }

    /** The smallest key in the bucket. */
    static long lowestKey(int bucket) {
        int exponent = bucket / BUCKETS_PER_EXPONENT;
        long mantissa = BUCKETS_PER_EXPONENT | (bucket % BUCKETS_PER_EXPONENT);
        return exponent >= MANTISSA_BITS ? mantissa << (exponent - MANTISSA_BITS)
                : (mantissa + (1L << (MANTISSA_BITS - exponent)) - 1) >>> (MANTISSA_BITS - exponent);
    }

    /** The largest key in the bucket. */
    static long highestKey(int bucket) {
        int exponent = bucket / BUCKETS_PER_EXPONENT;
        long mantissa = BUCKETS_PER_EXPONENT | (bucket % BUCKETS_PER_EXPONENT);
        return exponent >= MANTISSA_BITS ? ((mantissa + 1) << (exponent - MANTISSA_BITS)) - 1
                : mantissa >>> (MANTISSA_BITS - exponent);
    }

    /** Inserts the account with its key (positive), or moves it to the new key. */
    void put(long account, long key) {
        int slot = (int) slotOf.get(account);
        if (slot != NONE) {
            if (keys[slot] == key) {
                return;
            }
            unlink(slot);
        } else {
            slot = allocate();
            accounts[slot] = account;
            slotOf.put(account, slot);
            size++;
        }
        keys[slot] = key;
        link(slot, bucketOf(key));
    }

    void remove(long account) {
        int slot = (int) slotOf.remove(account);
        if (slot == NONE) {
            return;
        }
        unlink(slot);
        release(slot);
        size--;
    }

    /**
     * Removes every account whose trigger the mark has crossed and hands it to {@code sink}; the order is by bucket
     * (most extreme first), and within a bucket by insertion (most recent first).
     */
    void drainCrossed(long mark, LongConsumer sink) {
        while (exponentBits != 0) {
            int bucket = highFirst ? highestBucket() : lowestBucket();
            if (highFirst ? highestKey(bucket) < mark : lowestKey(bucket) > mark) {
                return;
            }
            boolean whole = highFirst ? lowestKey(bucket) > mark : highestKey(bucket) < mark;
            int[] bucketHeads = heads[bucket / BUCKETS_PER_EXPONENT];
            int slot = bucketHeads[bucket % BUCKETS_PER_EXPONENT];
            if (whole) {
                while (slot != NONE) {
                    int following = next[slot];
                    take(slot, sink);
                    slot = following;
                }
                continue;
            }
            while (slot != NONE) {
                int following = next[slot];
                if (highFirst ? keys[slot] >= mark : keys[slot] <= mark) {
                    take(slot, sink);
                }
                slot = following;
            }
            return;
        }
    }

    private void take(int slot, LongConsumer sink) {
        long account = accounts[slot];
        slotOf.remove(account);
        unlink(slot);
        release(slot);
        size--;
        sink.accept(account);
    }

    private int highestBucket() {
        int exponent = 63 - Long.numberOfLeadingZeros(exponentBits);
        int word = 63 - Long.numberOfLeadingZeros(wordBits[exponent]);
        int bit = 63 - Long.numberOfLeadingZeros(bucketBits[exponent][word]);
        return exponent * BUCKETS_PER_EXPONENT + word * 64 + bit;
    }

    private int lowestBucket() {
        int exponent = Long.numberOfTrailingZeros(exponentBits);
        int word = Long.numberOfTrailingZeros(wordBits[exponent]);
        int bit = Long.numberOfTrailingZeros(bucketBits[exponent][word]);
        return exponent * BUCKETS_PER_EXPONENT + word * 64 + bit;
    }

    private void link(int slot, int bucket) {
        int exponent = bucket / BUCKETS_PER_EXPONENT;
        int index = bucket % BUCKETS_PER_EXPONENT;
        int[] bucketHeads = heads[exponent];
        if (bucketHeads == null) {
            bucketHeads = new int[BUCKETS_PER_EXPONENT];
            Arrays.fill(bucketHeads, NONE);
            heads[exponent] = bucketHeads;
            bucketBits[exponent] = new long[WORDS_PER_EXPONENT];
        }
        int head = bucketHeads[index];
        buckets[slot] = bucket;
        prev[slot] = NONE;
        next[slot] = head;
        if (head != NONE) {
            prev[head] = slot;
        } else {
            bucketBits[exponent][index >>> 6] |= 1L << (index & 63);
            wordBits[exponent] |= 1L << (index >>> 6);
            exponentBits |= 1L << exponent;
        }
        bucketHeads[index] = slot;
    }

    private void unlink(int slot) {
        int bucket = buckets[slot];
        int exponent = bucket / BUCKETS_PER_EXPONENT;
        int index = bucket % BUCKETS_PER_EXPONENT;
        int before = prev[slot];
        int after = next[slot];
        if (before != NONE) {
            next[before] = after;
        } else {
            heads[exponent][index] = after;
        }
        if (after != NONE) {
            prev[after] = before;
        }
        if (before == NONE && after == NONE) {
            long[] words = bucketBits[exponent];
            words[index >>> 6] &= ~(1L << (index & 63));
            if (words[index >>> 6] == 0) {
                wordBits[exponent] &= ~(1L << (index >>> 6));
                if (wordBits[exponent] == 0) {
                    exponentBits &= ~(1L << exponent);
                }
            }
        }
    }

    private int allocate() {
        if (freeHead != NONE) {
            int slot = freeHead;
            freeHead = next[slot];
            return slot;
        }
        if (slotsUsed == accounts.length) {
            int capacity = slotsUsed * 2;
            accounts = Arrays.copyOf(accounts, capacity);
            keys = Arrays.copyOf(keys, capacity);
            buckets = Arrays.copyOf(buckets, capacity);
            next = Arrays.copyOf(next, capacity);
            prev = Arrays.copyOf(prev, capacity);
        }
        return slotsUsed++;
    }

    private void release(int slot) {
        next[slot] = freeHead;
        freeHead = slot;
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /**
     * Writes every (account, trigger) pair. The order within a bucket is not kept: it only decides the order in which a
     * mark move hands crossed accounts over, and those are sorted before anyone is liquidated.
     */
    void writeSnapshot(SnapshotWriter out) {
        out.writeCount(size);
        slotOf.forEachLong((account, slot) -> {
            out.writeVarLong(account);
            out.writeVarLong(keys[(int) slot]);
        });
    }

    /** Restores what {@link #writeSnapshot} wrote into an empty index; refuses a non-positive trigger or an account twice. */
    void readSnapshot(SnapshotReader in) {
        if (size != 0) {
            throw new IllegalStateException("a snapshot is restored into an empty trigger index only");
        }
        int count = in.readCount(2);
        for (int i = 0; i < count; i++) {
            long account = in.readVarLong();
            long key = in.readVarLong();
            if (key <= 0 || contains(account)) {
                throw in.fail("trigger " + key + " of account " + account + " is not positive or is there twice");
            }
            put(account, key);
        }
    }
}
