package io.meridian.engine;

import io.meridian.matching.OrderBook;
import io.meridian.model.InstrumentKind;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.model.snapshot.SpecCodec;
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

    // ------------------------------------------------------------------------------------------------ snapshots

    private static final OptionMarginMode[] MODES = OptionMarginMode.values();

    /**
     * Writes the underlying: index, asset, settlement scale, price scale and last reprice; the margin table and the
     * volatilities; the settlement windows (those not yet reached, in order, then those only settled options still
     * point at); the listed options (ascending instrument: terms, strike units, table series, window, settlement unit,
     * state, settlement price); the futures (instrument, table series, linked); and per account holding legs here (map
     * order) its mode and legs. The what-if account is empty between commands and is not written.
     */
    void writeSnapshot(SnapshotWriter out) {
        out.writeCount(indexId);
        out.writeVarInt(asset);
        out.writeVarInt(table.settlementScale());
        out.writeDouble(priceScale);
        out.writeVarLong(lastReprice);
        table.writeSnapshot(out);
        vols.writeSnapshot(out);
        SettlementWindow[] all = Arrays.copyOf(windows, windowCount + seriesCount);
        int total = windowCount;
        for (int i = 0; i < seriesCount; i++) {
            if (indexOf(all, total, series[i].window) < 0) {
                all[total++] = series[i].window;
            }
        }
        out.writeCount(windowCount);
        out.writeCount(total - windowCount);
        for (int i = 0; i < total; i++) {
            all[i].writeSnapshot(out);
        }
        out.writeCount(seriesCount);
        for (int i = 0; i < seriesCount; i++) {
            OptionSeries s = series[i];
            out.writeCount(s.instrument);
            SpecCodec.writeOption(out, s.option);
            out.writeVarLong(s.strikeUnits);
            out.writeCount(s.series);
            out.writeCount(indexOf(all, total, s.window));
            out.writeVarLong(s.unitNumerator);
            out.writeVarLong(s.unitDenominator);
            out.writeVarInt(s.state);
            out.writeVarLong(s.settlementPrice);
        }
        out.writeCount(futureCount);
        for (int i = 0; i < futureCount; i++) {
            out.writeCount(futures[i]);
            out.writeCount(futureSeries[i]);
            out.writeBoolean(futureLinked[i]);
        }
        out.writeCount(accounts.size());
        accounts.forEachLong((account, held) -> {
            out.writeVarLong(account);
            out.writeEnum(held.mode());
            out.writeCount(held.legCount());
            for (int k = 0; k < held.legCount(); k++) {
                out.writeCount(held.legSeries(k));
                out.writeVarLong(held.legQuantity(k));
            }
        });
    }

    private static int indexOf(SettlementWindow[] windows, int count, SettlementWindow window) {
        for (int i = 0; i < count; i++) {
            if (windows[i] == window) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An underlying as {@link #writeSnapshot} wrote it; its options' instrument specs are their books'. Refuses options
     * and futures on instruments that have no book (or the wrong kind), table series and windows out of range, and
     * legs the table refuses.
     */
    static OptionUnderlying readSnapshot(SnapshotReader in, OrderBook[] books, int maxIndexes) {
        int indexId = in.readIndex(maxIndexes, "index");
        int asset = in.readVarInt();
        int settlementScale = in.readVarInt();
        double priceScale = in.readDouble();
        if (asset < 0 || settlementScale < 0 || settlementScale > ScenarioTable.MAX_SETTLEMENT_SCALE
                || !(priceScale >= 1)) {
            throw in.fail("option underlying " + indexId + ": asset " + asset + ", scale " + settlementScale);
        }
        OptionUnderlying u = new OptionUnderlying(indexId, asset, settlementScale, priceScale,
                StandardMarginParams.defaults(), PortfolioMarginParams.defaults());
        u.lastReprice = in.readVarLong();
        u.table.readSnapshot(in, u.vols);
        u.vols.readSnapshot(in);
        int pending = in.readCount(13);
        int settled = in.readCount(13);
        if ((long) pending + settled > in.remaining() / 13) {
            throw in.fail(pending + settled + " settlement windows do not fit the bytes left");
        }
        SettlementWindow[] all = new SettlementWindow[pending + settled];
        for (int i = 0; i < all.length; i++) {
            all[i] = SettlementWindow.readSnapshot(in);
        }
        for (int i = 0; i < pending; i++) {
            u.insert(all[i]);
        }
        int count = in.readCount(1);
        for (int i = 0; i < count; i++) {
            int instrument = in.readIndex(books.length, "instrument");
            OrderBook book = books[instrument];
            if (book == null || book.spec().kind() != InstrumentKind.OPTION
                    || i > 0 && instrument <= u.series[i - 1].instrument) {
                throw in.fail("option " + instrument + " has no option book or is out of order");
            }
            OptionSeries s = new OptionSeries(instrument, book.spec(), SpecCodec.readOption(in), u, in.readVarLong(),
                    in.readIndex(u.table.seriesCount(), "table series"), all[in.readIndex(all.length, "window")],
                    in.readVarLong(), in.readVarLong());
            s.state = in.readVarInt();
            s.settlementPrice = in.readVarLong();
            if (s.state < OptionSeries.TRADING || s.state > OptionSeries.SETTLED || s.unitDenominator <= 0
                    || s.option.indexId() != indexId) {
                throw in.fail("option " + instrument + " in state " + s.state + " cannot be on index " + indexId);
            }
            u.addSeries(s);
        }
        int futureCount = in.readCount(3);
        for (int i = 0; i < futureCount; i++) {
            int instrument = in.readIndex(books.length, "instrument");
            if (books[instrument] == null || i > 0 && instrument <= u.futures[i - 1]) {
                throw in.fail("future " + instrument + " has no book or is out of order");
            }
            u.addFuture(instrument, in.readIndex(u.table.seriesCount(), "table series"));
            u.futureLinked[i] = in.readBoolean();
        }
        int holders = in.readCount(3);
        try {
            for (int i = 0; i < holders; i++) {
                long account = in.readVarLong();
                OptionMarginMode mode = in.readRequiredEnum(MODES, "option margin mode");
                int legs = in.readCount(2);
                if (legs == 0 || u.accounts.containsKey(account)) {
                    throw in.fail("account " + account + " holds no legs on index " + indexId + " or is there twice");
                }
                OptionMarginAccount held = u.account(account, mode);
                for (int k = 0; k < legs; k++) {
                    int tableSeries = in.readIndex(u.table.seriesCount(), "table series");
                    long quantity = in.readVarLong();
                    if (quantity == 0 || held.position(tableSeries) != 0) {
                        throw in.fail("account " + account + ": leg " + tableSeries + " of " + quantity);
                    }
                    held.setPosition(tableSeries, quantity);
                }
            }
        } catch (IllegalArgumentException e) {
            throw in.fail("option legs on index " + indexId + ": " + e.getMessage());
        }
        return u;
    }
}
