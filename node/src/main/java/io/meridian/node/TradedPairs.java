package io.meridian.node;

import java.util.Arrays;

/**
 * The (account, instrument) pairs that traded in the command being applied, each once, in the order first added:
 * the {@code position} messages {@link MarketData} sends when the command completes. A set of boxed pairs allocated
 * three objects and a hash-set node for every fill of a subscribed account (a market maker's feed); this one
 * allocates nothing once its arrays have grown to the largest command seen (a sweep of N maker orders adds at most
 * N + 1 pairs, and the book's open-order cap bounds N). Open addressing over the pairs' positions with a
 * multiplicative hash, at most half full.
 *
 * <p>Engine thread only, like MarketData.
 */
final class TradedPairs {
    private static final int INITIAL = 16;

    private long[] accounts = new long[INITIAL];
    private int[] instruments = new int[INITIAL];
    private int size;
    /** 1 + the position of the pair each slot holds; 0 when free. */
    private int[] slots = new int[2 * INITIAL];
    private int shift = 64 - Integer.numberOfTrailingZeros(2 * INITIAL);

    /** Adds the pair unless it is already in (then its place in the order stays). */
    void add(long account, int instrument) {
        int mask = slots.length - 1;
        int i = home(account, instrument);
        int held;
        while ((held = slots[i]) != 0) {
            if (accounts[held - 1] == account && instruments[held - 1] == instrument) {
                return;
            }
            i = (i + 1) & mask;
        }
        if (size == accounts.length) {
            accounts = Arrays.copyOf(accounts, size * 2);
            instruments = Arrays.copyOf(instruments, size * 2);
        }
        accounts[size] = account;
        instruments[size] = instrument;
        size++;
        slots[i] = size;
        if (2 * size > slots.length) {
            rehash(slots.length * 2);
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The account of the {@code index}th pair added (0 = first). */
    long account(int index) {
        return accounts[index];
    }

    /** The instrument of the {@code index}th pair added (0 = first). */
    int instrument(int index) {
        return instruments[index];
    }

    /** Empties the set, keeping its capacity: only the slots in use are cleared, so a large capacity costs nothing. */
    void clear() {
        int mask = slots.length - 1;
        for (int k = 0; k < size; k++) {
            // Every pair is in the table: probe from its home to its slot. Slots cleared before do not end the probe.
            int i = home(accounts[k], instruments[k]);
            while (slots[i] != k + 1) {
                i = (i + 1) & mask;
            }
            slots[i] = 0;
        }
        size = 0;
    }

    private int home(long account, int instrument) {
        return (int) (((account * 31 + instrument) * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        int mask = capacity - 1;
        for (int k = 0; k < size; k++) {
            int i = home(accounts[k], instruments[k]);
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = k + 1;
        }
    }
}
