package io.meridian.engine;

import java.util.Arrays;

/**
 * The auto-deleveraging indicator of every candidate position of one instrument, as venues show it (Binance's and
 * Bybit's 1..5 lights: 5 = deleveraged first): computed in one pass from the very queue {@link AutoDeleverager} walks
 * ({@link EngineView#adlQuantiles}), so what a trader sees is the engine's order, not a second ranking.
 *
 * <p>A position's quantile is {@code max(1, ceil(5 x k / n))}, where {@code n} is the number of candidates on its side
 * and {@code k} the number of them whose rank is at or below its own (so equal ranks share a quantile, and the first
 * in the queue has 5). A position that is not a candidate (flat, a system account's, an account at or below zero
 * equity, which the engine skips) has none: {@link #quantile} answers 0 for it. Immutable; any thread may read it.
 *
 * @param sequence  the engine's last applied sequence when it was computed
 * @param accounts  the candidates' accounts, ascending
 * @param quantiles each candidate's quantile, 1..5, in {@code accounts} order
 */
public record AdlQuantiles(long sequence, long[] accounts, byte[] quantiles) {
    /** The quantile of the account's position, 1..5, or 0 when it is no candidate. O(log n). */
    public int quantile(long account) {
        int i = Arrays.binarySearch(accounts, account);
        return i < 0 ? 0 : quantiles[i];
    }

    /**
     * The quantiles of a queue whose ranks are {@code ranksInQueueOrder}, highest first (ties in any order): each
     * entry's {@code max(1, ceil(5 x k / n))}, k = entries ranked at or below it. O(n); the array is not changed.
     */
    static byte[] of(long[] ranksInQueueOrder) {
        int n = ranksInQueueOrder.length;
        byte[] quantiles = new byte[n];
        int groupStart = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && ranksInQueueOrder[i] != ranksInQueueOrder[i - 1]) {
                groupStart = i;
            }
            long notAbove = n - groupStart;
            quantiles[i] = (byte) Math.max(1, (5L * notAbove + n - 1) / n);
        }
        return quantiles;
    }
}
