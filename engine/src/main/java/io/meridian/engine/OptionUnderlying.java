package io.meridian.engine;

import io.meridian.model.StateHasher;
import io.meridian.risk.options.OptionMarginAccount;
import io.meridian.risk.options.OptionMarginMode;
import io.meridian.risk.options.PortfolioMarginParams;
import io.meridian.risk.options.ScenarioTable;
import io.meridian.risk.options.StandardMarginParams;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * Everything the engine keeps about the options of one index: the margin library's {@link ScenarioTable} (option
 * series and the futures priced from the same index), the mark volatilities, the listed options in ascending
 * instrument id, the settlement windows not yet reached, and one {@link OptionMarginAccount} per account holding a
 * position here. Engine thread only.
 */
final class OptionUnderlying {
    final int indexId;
    /** The settlement asset of every option (and margined future) here. */
    final int asset;
    /** 10^priceDecimals of the index, as a double: index units per unit of the quote currency. */
    final double priceScale;
    final ScenarioTable table;
    final OptionVols vols = new OptionVols();
    /** Accounts with at least one leg here. */
    final Long2ObjectHashMap<OptionMarginAccount> accounts = new Long2ObjectHashMap<>(64, 0.5f);
    /** A what-if account for requirements with resting orders; empty between uses. */
    final OptionMarginAccount scratch;

    OptionSeries[] series = new OptionSeries[8];
    int seriesCount;
    /** Futures priced from the index, in ascending instrument id, with their table series and whether linked yet. */
    int[] futures = new int[4];
    int[] futureSeries = new int[4];
    boolean[] futureLinked = new boolean[4];
    int futureCount;
    /** Windows not yet settled, by expiry then window length. */
    SettlementWindow[] windows = new SettlementWindow[4];
    int windowCount;
    /** Command time of the last successful reprice; {@link Long#MIN_VALUE} before the first. */
    long lastReprice = Long.MIN_VALUE;

    OptionUnderlying(int indexId, int asset, int settlementScale, double priceScale, StandardMarginParams standard,
                     PortfolioMarginParams portfolio) {
        this.indexId = indexId;
        this.asset = asset;
        this.priceScale = priceScale;
        this.table = new ScenarioTable(settlementScale, standard, portfolio);
        this.scratch = new OptionMarginAccount(table, OptionMarginMode.STANDARD);
    }

    void addSeries(OptionSeries added) {
        if (seriesCount == series.length) {
            series = Arrays.copyOf(series, seriesCount * 2);
        }
        int i = seriesCount++;
        while (i > 0 && series[i - 1].instrument > added.instrument) {
            series[i] = series[i - 1];
            i--;
        }
        series[i] = added;
    }

    void addFuture(int instrument, int tableSeries) {
        if (futureCount == futures.length) {
            int n = futureCount * 2;
            futures = Arrays.copyOf(futures, n);
            futureSeries = Arrays.copyOf(futureSeries, n);
            futureLinked = Arrays.copyOf(futureLinked, n);
        }
        int i = futureCount++;
        while (i > 0 && futures[i - 1] > instrument) {
            futures[i] = futures[i - 1];
            futureSeries[i] = futureSeries[i - 1];
            futureLinked[i] = futureLinked[i - 1];
            i--;
        }
        futures[i] = instrument;
        futureSeries[i] = tableSeries;
        futureLinked[i] = false;
    }

    /**
     * The window of this expiry and length, created (with no samples yet) when missing. A window rolled forward for
     * lack of evidence is never shared with a newly listed expiry.
     */
    SettlementWindow window(long expiry, long windowNanos, long maxSampleAge) {
        for (int i = 0; i < windowCount; i++) {
            if (windows[i].expiry() == expiry && windows[i].windowNanos() == windowNanos && windows[i].rolls() == 0) {
                return windows[i];
            }
        }
        SettlementWindow created = new SettlementWindow(expiry, windowNanos, maxSampleAge);
        insert(created);
        return created;
    }

    /**
     * Adds a window in order: by end, then length, then (a rolled window after one that was not) roll count; among
     * equals after the ones already there.
     */
    void insert(SettlementWindow window) {
        int i = 0;
        while (i < windowCount && (windows[i].expiry() < window.expiry()
                || windows[i].expiry() == window.expiry() && (windows[i].windowNanos() < window.windowNanos()
                || windows[i].windowNanos() == window.windowNanos() && windows[i].rolls() <= window.rolls()))) {
            i++;
        }
        if (windowCount == windows.length) {
            windows = Arrays.copyOf(windows, windowCount * 2);
        }
        System.arraycopy(windows, i, windows, i + 1, windowCount - i);
        windows[i] = window;
        windowCount++;
    }

    /** Removes and returns the first window when it is due by {@code now}; null otherwise. */
    SettlementWindow pollDue(long now) {
        if (windowCount == 0 || windows[0].expiry() > now) {
            return null;
        }
        SettlementWindow due = windows[0];
        System.arraycopy(windows, 1, windows, 0, windowCount - 1);
        windows[--windowCount] = null;
        return due;
    }

    /** The earliest expiry not yet reached, or {@link Long#MAX_VALUE}. */
    long nextExpiry() {
        return windowCount == 0 ? Long.MAX_VALUE : windows[0].expiry();
    }

    /** The account's margin account here, created in {@code mode} when missing. */
    OptionMarginAccount account(long account, OptionMarginMode mode) {
        OptionMarginAccount found = accounts.get(account);
        if (found == null) {
            found = new OptionMarginAccount(table, mode);
            accounts.put(account, found);
        }
        return found;
    }

    /** Sets the account's position in a table series; drops the account once it holds nothing here. */
    void setLeg(long account, int tableSeries, long quantity, OptionMarginMode mode) {
        OptionMarginAccount held = quantity == 0 ? accounts.get(account) : account(account, mode);
        if (held == null) {
            return;
        }
        held.setPosition(tableSeries, quantity);
        if (held.legCount() == 0) {
            accounts.remove(account);
        }
    }

    /** Accounts holding legs here, ascending (a new array). */
    long[] sortedAccounts() {
        long[] ids = new long[accounts.size()];
        int n = 0;
        Long2ObjectHashMap<OptionMarginAccount>.KeyIterator keys = accounts.keySet().iterator();
        while (keys.hasNext()) {
            ids[n++] = keys.nextLong();
        }
        Arrays.sort(ids);
        return ids;
    }

    void hashState(StateHasher hasher) {
        hasher.add(indexId).add(asset).add(Double.doubleToLongBits(priceScale)).add(lastReprice);
        table.hashInto(hasher);
        vols.hashState(hasher);
        hasher.add(seriesCount);
        for (int i = 0; i < seriesCount; i++) {
            series[i].hashState(hasher);
        }
        hasher.add(futureCount);
        for (int i = 0; i < futureCount; i++) {
            hasher.add(futures[i]).add(futureSeries[i]).add(futureLinked[i]);
        }
        hasher.add(windowCount);
        for (int i = 0; i < windowCount; i++) {
            windows[i].hashState(hasher);
        }
        long[] ids = sortedAccounts();
        hasher.add(ids.length);
        for (long id : ids) {
            hasher.add(id);
            accounts.get(id).hashInto(hasher);
        }
    }
}
