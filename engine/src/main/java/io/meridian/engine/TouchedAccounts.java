package io.meridian.engine;

import java.util.Arrays;

/**
 * The (account, asset) pairs whose balance or position the current command changed, in first-touched order and
 * without duplicates, so that each gets one {@code accountUpdated} at the end of the command. Linear de-duplication:
 * a command touches a handful of accounts, and a preallocated array keeps this garbage-free.
 */
final class TouchedAccounts {
    private long[] accounts = new long[16];
    private int[] assets = new int[16];
    private int size;

    void add(long account, int asset) {
        for (int i = 0; i < size; i++) {
            if (accounts[i] == account && assets[i] == asset) {
                return;
            }
        }
        if (size == accounts.length) {
            accounts = Arrays.copyOf(accounts, size * 2);
            assets = Arrays.copyOf(assets, size * 2);
        }
        accounts[size] = account;
        assets[size] = asset;
        size++;
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
        size = 0;
    }
}
