package io.meridian.engine;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * An indexed binary heap of accounts keyed by their liquidation trigger price in one instrument: the top is the
 * account that a mark move reaches first. For longs ({@code highFirst}) the highest trigger is on top (a falling mark
 * reaches it first), for shorts the lowest. Update, insert and remove are O(log n) through a map from account to heap
 * slot; peeking is O(1), so a mark move that liquidates nobody costs one comparison. Garbage-free once grown.
 * Engine thread only.
 */
final class TriggerHeap {
    private final boolean highFirst;
    private long[] accounts = new long[64];
    private long[] keys = new long[64];
    private int size;
    private final Long2LongHashMap slotOf = new Long2LongHashMap(128, 0.5f, -1L);

    TriggerHeap(boolean highFirst) {
        this.highFirst = highFirst;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long topKey() {
        return keys[0];
    }

    long topAccount() {
        return accounts[0];
    }

    boolean contains(long account) {
        return slotOf.get(account) >= 0;
    }

    /** Inserts the account or moves it to its new key. */
    void put(long account, long key) {
        int slot = (int) slotOf.get(account);
        if (slot < 0) {
            if (size == accounts.length) {
                accounts = Arrays.copyOf(accounts, size * 2);
                keys = Arrays.copyOf(keys, size * 2);
            }
            slot = size++;
            accounts[slot] = account;
            keys[slot] = key;
            slotOf.put(account, slot);
            siftUp(slot);
            return;
        }
        long old = keys[slot];
        keys[slot] = key;
        if (before(key, old)) {
            siftUp(slot);
        } else {
            siftDown(slot);
        }
    }

    void remove(long account) {
        int slot = (int) slotOf.remove(account);
        if (slot < 0) {
            return;
        }
        int last = --size;
        if (slot == last) {
            return;
        }
        accounts[slot] = accounts[last];
        keys[slot] = keys[last];
        slotOf.put(accounts[slot], slot);
        siftDown(slot);
        siftUp(slot);
    }

    /** Removes and returns the top account. */
    long pop() {
        long account = accounts[0];
        remove(account);
        return account;
    }

    /** True when key {@code a} belongs above key {@code b}. */
    private boolean before(long a, long b) {
        return highFirst ? a > b : a < b;
    }

    private void siftUp(int slot) {
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (!before(keys[slot], keys[parent])) {
                return;
            }
            swap(slot, parent);
            slot = parent;
        }
    }

    private void siftDown(int slot) {
        while (true) {
            int left = 2 * slot + 1;
            if (left >= size) {
                return;
            }
            int best = left;
            int right = left + 1;
            if (right < size && before(keys[right], keys[left])) {
                best = right;
            }
            if (!before(keys[best], keys[slot])) {
                return;
            }
            swap(slot, best);
            slot = best;
        }
    }

    private void swap(int a, int b) {
        long account = accounts[a];
        long key = keys[a];
        accounts[a] = accounts[b];
        keys[a] = keys[b];
        accounts[b] = account;
        keys[b] = key;
        slotOf.put(accounts[a], a);
        slotOf.put(accounts[b], b);
    }
}
