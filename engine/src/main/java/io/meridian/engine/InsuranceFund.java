package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.EngineEvents;
import io.meridian.model.FixedPoint;
import io.meridian.model.PostingType;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.SystemAccounts;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.PositionBook;
import io.meridian.risk.margin.Notional;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The insurance fund's part of the liquidation waterfall ({@link Liquidator}; docs/risk.md, "Liquidation"): account
 * {@link SystemAccounts#INSURANCE_FUND} takes over positions at the bankruptcy price while its equity stays at or above
 * its floor plus its inventory's maintenance margin, unwinds that inventory on later mark changes (reduce-only IOC
 * orders within a band of the mark) and has the rest auto-deleveraged when it falls below its floor, pays deficits
 * from its cash (the venue's fee pool paying what it cannot), and is itself made whole by the fee pool when its own
 * equity goes negative. Owns the fund's realised PnL per asset, the assets it has held inventory in, and the
 * instruments whose mark moved in this command while it holds a position there (unwinds pending).
 *
 * <p>Engine thread only; garbage-free once grown (per asset on listing).
 */
final class InsuranceFund {
    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final MarginEngine margin;
    private final Ledger ledger;
    private final EngineEvents events;
    private final TouchedAccounts touched;
    private final LiquidationConfig config;
    private final IntPredicate priceUsable;
    private final AutoDeleverager deleverager;
    private final LiquidationOrders orders;
    private final PositionMaintenance positionMaintenance;

    /** Instruments whose mark moved in this command while the insurance fund holds a position there. */
    private final boolean[] unwindPending;
    private final int[] unwindInstruments;
    private int unwindCount;
    /** Per asset: PnL the insurance fund realised on its inventory. */
    private long[] realizedPnl = new long[8];
    /** Per asset: the fund has held inventory there (its equity is then checked at the end of liquidation runs). */
    private boolean[] assets = new boolean[8];

    private final MarginEngine.MarginState state = new MarginEngine.MarginState();

    InsuranceFund(OrderBook[] books, Clearing[] clearings, MarginEngine margin, Ledger ledger, EngineEvents events,
                  TouchedAccounts touched, LiquidationConfig config, IntPredicate priceUsable,
                  AutoDeleverager deleverager, LiquidationOrders orders, PositionMaintenance positionMaintenance) {
        this.books = books;
        this.clearings = clearings;
        this.margin = margin;
        this.ledger = ledger;
        this.events = events;
        this.touched = touched;
        this.config = config;
        this.priceUsable = priceUsable;
        this.deleverager = deleverager;
        this.orders = orders;
        this.positionMaintenance = positionMaintenance;
        this.unwindPending = new boolean[books.length];
        this.unwindInstruments = new int[books.length];
    }

    /** An instrument in the asset is listed: the fund may come to hold inventory in it. */
    void addAsset(int asset) {
        if (asset >= realizedPnl.length) {
            realizedPnl = Arrays.copyOf(realizedPnl, Math.max(asset + 1, realizedPnl.length * 2));
            assets = Arrays.copyOf(assets, realizedPnl.length);
        }
    }

    // ------------------------------------------------------------------------------------------------ unwinds

    /** The instrument's mark changed: when the fund holds a position there, it unwinds some in the next round. */
    void onMarkChanged(int instrument) {
        if (!unwindPending[instrument] && clearings[instrument].positions().size(SystemAccounts.INSURANCE_FUND) != 0) {
            unwindPending[instrument] = true;
            unwindInstruments[unwindCount++] = instrument;
        }
    }

    boolean hasPendingUnwinds() {
        return unwindCount > 0;
    }

    /** Unwinds the inventory in every instrument whose mark moved since the last round, in the order they moved. */
    void unwindPending(long sequence, long timestamp) {
        if (unwindCount > 0) {
            int pending = unwindCount;
            unwindCount = 0;
            for (int i = 0; i < pending; i++) {
                int instrument = unwindInstruments[i];
                unwindPending[instrument] = false;
                unwind(sequence, timestamp, instrument);
            }
        }
    }

    /** End of a command: unwinds still pending (the rounds ran out) wait for the next mark change. */
    void dropPendingUnwinds() {
        for (int i = 0; i < unwindCount; i++) {
            unwindPending[unwindInstruments[i]] = false;
        }
        unwindCount = 0;
    }

    /**
     * The instrument's mark moved: the fund offers {@code unwindSharePpm} of its inventory there (at least a lot, at
     * most {@code maxStepUnits} of notional; all of it under {@code minFullCloseUnits}) in an IOC reduce-only order
     * limited {@code unwindBandPpm} from the mark. If its equity is then below its floor plus the maintenance margin
     * of its inventory, the rest of its position in the instrument is auto-deleveraged at the mark.
     */
    private void unwind(long sequence, long timestamp, int instrument) {
        long fund = SystemAccounts.INSURANCE_FUND;
        PositionBook positions = clearings[instrument].positions();
        long size = positions.size(fund);
        if (size == 0 || !priceUsable.test(instrument)) {
            return;
        }
        OrderBook book = books[instrument];
        long mark = book.markPrice();
        long unit = positions.minorUnitsPerTickLot();
        long abs = Math.abs(size);
        long lots = Math.max(1, FixedPoint.mulDivCeil(abs, config.unwindSharePpm(), FixedPoint.PPM));
        long perLot = Math.max(1, Math.multiplyExact(mark, unit));
        long scale = FixedPoint.pow10(ledger.asset(clearings[instrument].asset()).scale());
        lots = Math.min(lots, Math.max(1, Math.multiplyExact(config.maxStepUnits(), scale) / perLot));
        if (Notional.of(abs - Math.min(abs, lots), mark, unit) < Math.multiplyExact(config.minFullCloseUnits(), scale)) {
            lots = abs;
        }
        lots = Math.min(lots, book.spec().maxQuantity());
        Side side = size > 0 ? Side.SELL : Side.BUY;
        long limit = side == Side.SELL
                ? Math.max(1, FixedPoint.mulDivCeil(mark, FixedPoint.PPM - config.unwindBandPpm(), FixedPoint.PPM))
                : Math.min(book.spec().maxPrice(),
                        FixedPoint.mulDivFloor(mark, FixedPoint.PPM + config.unwindBandPpm(), FixedPoint.PPM));
        orders.place(sequence, timestamp, fund, instrument, side, limit, lots);
        size = positions.size(fund);
        if (size == 0) {
            return;
        }
        // Below its floor the fund stops carrying the rest: auto-deleveraging at the mark (never past a
        // counterparty's own bankruptcy price), as for any position the fund cannot take.
        int asset = clearings[instrument].asset();
        MarginEngine.MarginState now = margin.compute(fund, asset, state);
        long required = Math.addExact(floor(asset), now.maintenanceMargin);
        if (now.equity < required) {
            events.insuranceFundBelowFloor(sequence, timestamp, fund, asset, instrument, now.equity, required);
            deleverager.deleverage(sequence, timestamp, fund, asset, instrument, side, mark, Math.abs(size));
            realizedPnl[asset] = Math.addExact(realizedPnl[asset], deleverager.lastRealized());
        }
    }

    /**
     * A fill of the fund's unwind order, after its PnL ({@code pnl}) was settled: no fee, reported as
     * {@code insuranceFundUnwind}.
     */
    void onUnwindFill(long sequence, long timestamp, Clearing clearing, Side side, long price, long quantity,
                      long pnl) {
        int asset = clearing.asset();
        realizedPnl[asset] = Math.addExact(realizedPnl[asset], pnl);
        events.insuranceFundUnwind(sequence, timestamp, clearing.instrument(), side, price, quantity, pnl,
                clearing.positions().size(SystemAccounts.INSURANCE_FUND));
    }

    // ------------------------------------------------------------------------------------------------ takeovers

    /**
     * The insurance fund takes {@code lots} of the position over at the bankruptcy price when its equity after the
     * takeover (valued at the mark) stays at or above its floor plus the maintenance margin of its inventory, or
     * when {@code forced} (the last resort after auto-deleveraging); else reports {@code insuranceFundBelowFloor}
     * and returns false.
     */
    boolean takeover(long sequence, long timestamp, long account, int asset, int instrument, Side side, long price,
                     long lots, boolean forced) {
        long fund = SystemAccounts.INSURANCE_FUND;
        Clearing clearing = clearings[instrument];
        long unit = clearing.positions().minorUnitsPerTickLot();
        long mark = books[instrument].markPrice();
        MarginEngine.MarginState now = margin.compute(fund, asset, state);
        long held = clearing.positions().size(fund);
        long taken = side == Side.SELL ? lots : -lots;
        long gain = Math.multiplyExact(Math.multiplyExact(mark - price, taken), unit);
        long equityAfter = Math.addExact(now.equity, gain);
        long maintenanceAfter = now.maintenanceMargin - positionMaintenance.of(fund, instrument, held)
                + positionMaintenance.of(fund, instrument, Math.addExact(held, taken));
        long required = Math.addExact(floor(asset), maintenanceAfter);
        if (!forced && equityAfter < required) {
            events.insuranceFundBelowFloor(sequence, timestamp, account, asset, instrument, equityAfter, required);
            return false;
        }
        margin.touch(fund, instrument);
        assets[asset] = true;
        Side opposite = side == Side.SELL ? Side.BUY : Side.SELL;
        clearing.transfer(account, side, price, lots);
        long pnl = clearing.transfer(fund, opposite, price, lots);
        realizedPnl[asset] = Math.addExact(realizedPnl[asset], pnl);
        events.insuranceFundTakeover(sequence, timestamp, account, instrument, side, price, lots, equityAfter);
        return true;
    }

    /** The insurance fund's floor in the asset's minor units. */
    private long floor(int asset) {
        return Math.multiplyExact(config.insuranceFundFloorUnits(), FixedPoint.pow10(ledger.asset(asset).scale()));
    }

    // ------------------------------------------------------------------------------------------------ deficits

    /**
     * Pays a deficit: the insurance fund from its cash as far as it can, then the venue's fee pool. For an isolated
     * position the payment goes into its isolated margin.
     */
    void coverDeficit(long sequence, long timestamp, long account, int asset, int isolatedInstrument, long deficit) {
        long fund = ledger.balance(SystemAccounts.INSURANCE_FUND, asset);
        long fromFund = Math.min(deficit, Math.max(0, fund));
        if (fromFund > 0) {
            ledger.post(PostingType.INSURANCE_FUND_PAYOUT, asset, SystemAccounts.INSURANCE_FUND, account, fromFund);
            events.insuranceFundPaid(sequence, timestamp, account, asset, fromFund, fund - fromFund);
        }
        long rest = deficit - fromFund;
        if (rest > 0) {
            ledger.post(PostingType.DEFICIT_COVERED_BY_VENUE, asset, SystemAccounts.FEE_POOL, account, rest);
            events.deficitCoveredByVenue(sequence, timestamp, account, asset, rest);
        }
        if (isolatedInstrument >= 0) {
            margin.onIsolatedCashflow(account, isolatedInstrument, deficit);
        }
        touched.add(account, asset);
    }

    /**
     * The insurance fund's equity (cash plus its inventory at the marks) may not stay below zero either: the venue's
     * fee pool covers what it lacks ({@code deficitCoveredByVenue} for the fund), the last resort.
     */
    void coverFundDeficit(long sequence, long timestamp) {
        long fund = SystemAccounts.INSURANCE_FUND;
        for (int asset = 0; asset < assets.length; asset++) {
            if (!assets[asset]) {
                continue;
            }
            MarginEngine.MarginState now = margin.compute(fund, asset, state);
            if (now.equity < 0) {
                ledger.post(PostingType.DEFICIT_COVERED_BY_VENUE, asset, SystemAccounts.FEE_POOL, fund, -now.equity);
                events.deficitCoveredByVenue(sequence, timestamp, fund, asset, -now.equity);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** The fund's position in the instrument (signed lots; 0 when flat). */
    long inventory(int instrument) {
        return clearings[instrument].positions().size(SystemAccounts.INSURANCE_FUND);
    }

    /**
     * PnL the fund realised on its inventory in the asset (takeovers netting earlier inventory, unwinds, its own
     * inventory auto-deleveraged below its floor).
     */
    long realizedPnl(int asset) {
        return asset >= 0 && asset < realizedPnl.length ? realizedPnl[asset] : 0;
    }

    void hashState(StateHasher hasher) {
        for (int asset = 0; asset < realizedPnl.length; asset++) {
            if (realizedPnl[asset] != 0 || assets[asset]) {
                hasher.add(asset);
                hasher.add(realizedPnl[asset]);
                hasher.add(assets[asset] ? 1 : 0);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /**
     * Writes the fund's part of the liquidation section (see {@link Liquidator#writeSnapshot}): per asset it realised
     * PnL in or has held inventory in (ascending), the PnL and whether it held inventory. The pending unwinds live
     * within a command only.
     */
    void writeSnapshot(SnapshotWriter out) {
        int count = 0;
        for (int asset = 0; asset < realizedPnl.length; asset++) {
            count += realizedPnl[asset] != 0 || assets[asset] ? 1 : 0;
        }
        out.writeCount(count);
        for (int asset = 0; asset < realizedPnl.length; asset++) {
            if (realizedPnl[asset] != 0 || assets[asset]) {
                out.writeCount(asset);
                out.writeVarLong(realizedPnl[asset]);
                out.writeBoolean(assets[asset]);
            }
        }
    }

    /** Restores what {@link #writeSnapshot} wrote into a fund that has none of this state yet. */
    void readSnapshot(SnapshotReader in) {
        int count = in.readCount(3);
        for (int i = 0; i < count; i++) {
            int asset = in.readIndex(Liquidator.MAX_SNAPSHOT_ASSET, "asset");
            if (asset >= realizedPnl.length) {
                realizedPnl = Arrays.copyOf(realizedPnl, asset + 1);
                assets = Arrays.copyOf(assets, asset + 1);
            }
            realizedPnl[asset] = in.readVarLong();
            assets[asset] = in.readBoolean();
        }
    }
}
