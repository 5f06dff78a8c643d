package io.meridian.engine;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The (account, asset) pairs whose balance or position the current command changed, in first-touched order and
 * without duplicates, so that each gets one {@code accountUpdated} at the end of the command. A command usually touches
 * a handful of accounts, found by a linear scan; past {@link #SCAN_LIMIT} entries (a taker sweeping many makers) an
 * index from account to its first entry keeps each addition O(1). Garbage-free once grown.
 */
final class TouchedAccounts {
    private static final int SCAN_LIMIT = 16;

    private long[] accounts = new long[32];
    private int[] assets = new int[32];
    /** Next entry of the same account, or -1: chains the few assets one account touched. */
    private int[] nextOfAccount = new int[32];
    private final Long2LongHashMap firstEntry = new Long2LongHashMap(64, 0.5f, -1L);
    private int size;
    /** Whether {@link #firstEntry} indexes the entries (built once per command, when the scan limit is reached). */
    private boolean indexed;

    void add(long account, int asset) {
        if (size < SCAN_LIMIT) {
            for (int i = 0; i < size; i++) {
                if (accounts[i] == account && assets[i] == asset) {
                    return;
                }
            }
        } else {
            if (!indexed) {
                indexEntries();
                indexed = true;
            }
            int last = -1;
            for (int i = (int) firstEntry.get(account); i >= 0; i = nextOfAccount[i]) {
                if (assets[i] == asset) {
                    return;
                }
                last = i;
            }
            append(account, asset);
            if (last < 0) {
                firstEntry.put(account, size - 1);
            } else {
                nextOfAccount[last] = size - 1;
            }
            return;
        }
        append(account, asset);
    }

    private void append(long account, int asset) {
        if (size == accounts.length) {
            accounts = Arrays.copyOf(accounts, size * 2);
            assets = Arrays.copyOf(assets, size * 2);
            nextOfAccount = Arrays.copyOf(nextOfAccount, size * 2);
        }
        accounts[size] = account;
        assets[size] = asset;
        nextOfAccount[size] = -1;
        size++;
    }

    /** Builds the account index over the entries added by scanning, once the list outgrows the scan. */
    private void indexEntries() {
        for (int i = 0; i < size; i++) {
            long first = firstEntry.get(accounts[i]);
            if (first < 0) {
                firstEntry.put(accounts[i], i);
            } else {
                int last = (int) first;
                while (nextOfAccount[last] >= 0) {
                    last = nextOfAccount[last];
                }
                nextOfAccount[last] = i;
            }
        }
    }

    int size() {
        return size;
    }

    long account(int index) {
        return accounts[index];
    }

    int asset(int index) {
        return assets[index];
    }

    void clear() {
        if (indexed) {
            firstEntry.clear();
            indexed = false;
        }
        size = 0;
    }
}
