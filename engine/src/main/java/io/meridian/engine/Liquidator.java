package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.EngineEvents;
import io.meridian.model.FixedPoint;
import io.meridian.model.MarginMode;
import io.meridian.model.PostingType;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.SystemAccounts;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;
import io.meridian.risk.PositionBook;
import io.meridian.risk.margin.Fees;
import io.meridian.risk.margin.Health;
import io.meridian.risk.margin.MarginModel;
import io.meridian.risk.margin.Notional;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Finds accounts that fell to their maintenance margin and liquidates them, inside the command that made them
 * liquidatable. docs/risk.md ("Liquidation") describes the process step by step; in short:
 *
 * <p><b>Detection without scanning.</b> Per instrument, two {@link TriggerIndex}es hold every open position's exact
 * liquidation price ({@link MarginEngine#liquidationPrice}: tiers included, everything else in the account held
 * constant), longs and shorts, bucketed by price. A mark change takes out only the positions it crosses: a quiet
 * tick looks at the one bucket the mark falls in. Triggers go stale when the account changes (fill, funding, deposit, ...): such
 * accounts are marked dirty at the end of each command and recomputed at the next mark change of any instrument,
 * before anything is popped, so the cost of a recompute is paid once per changed account per mark tick, not per
 * command. A cross account with positions in several instruments has its triggers in the others marked dirty when
 * one instrument's mark moves, since each trigger holds the other marks constant. Between mark changes, the end of
 * every command checks the exact state of the accounts it touched ({@link #considerTouched}).
 *
 * <p><b>Process</b> (per liquidatable cross account and asset, or isolated position): cancel its orders; then one
 * partial step per command while equity is positive (the next after the mark is re-measured), every close needed at
 * or below bankruptcy. A step closes, of the position with the largest maintenance margin, at most
 * {@code maxStepSharePpm} of it and no more than restores {@code MM + targetPpm x (IM - MM)}: (1) an IOC reduce-only
 * order in the book limited at the bankruptcy price, paying a liquidation fee to the insurance fund that never
 * creates a deficit or triggers the next step; if the book fills nothing, the whole position goes at the bankruptcy
 * price (2) to the backstop account, if configured and it has the margin; (3) to the insurance fund (account
 * {@link SystemAccounts#INSURANCE_FUND}, which holds positions) while its equity after the takeover stays at or above
 * its floor plus its inventory's maintenance margin; (4) else to auto-deleveraging, highest BitMEX rank first, each
 * counterparty at a price never beyond its own bankruptcy price, the margin above the bankrupt account's bankruptcy
 * price going to the fund. The fund unwinds its inventory on later mark changes (reduce-only IOC orders within a band
 * of the mark) and has the rest auto-deleveraged when it falls below its floor. A remaining deficit is paid by the
 * insurance fund, and what it cannot pay (the fund's own negative equity included) by the venue's fee pool, so no
 * account is left with uncovered negative equity. Every step is an event.
 *
 * <p><b>Parts.</b> This class runs the process (the steps, the book and the backstop, the liquidation fee) and is
 * what the rest of the engine calls. {@link LiquidationWatch} does the detection (triggers, dirty accounts, the
 * queue); {@link InsuranceFund} the fund's takeovers, unwinds, floor and deficit payments; {@link AutoDeleverager}
 * the last step and the bankruptcy price; {@link LiquidationOrders} places the engine's own orders;
 * {@link PositionMaintenance} prices one position's maintenance margin. Each owns its state, and writes and reads its
 * part of the snapshot section ({@link #writeSnapshot}).
 *
 * <p>Engine thread only; allocates only on the rare paths (auto-deleveraging ranks, growth).
 */
final class Liquidator implements Clearing.LiquidationFills {
    /** Order ids from here up are the engine's liquidation orders; user orders may not use them. */
    static final long ORDER_ID_BASE = 1L << 62;
    /** Asset ids a snapshot may name (the ledger's bound). */
    static final int MAX_SNAPSHOT_ASSET = 1024;
    /** Bound on the closes of one liquidation in one command (each closes a position or a step of it). */
    private static final int MAX_CLOSES = 64;

    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final MarginEngine margin;
    private final Ledger ledger;
    private final EngineEvents events;
    private final LiquidationConfig config;
    private final IntPredicate priceUsable;
    /** The waterfall's last step, and the bankruptcy price every step is bounded by. */
    private final AutoDeleverager deleverager;
    private final PositionMaintenance positionMaintenance;
    private final LiquidationOrders orders;
    private final LiquidationWatch watch;
    private final InsuranceFund fund;

    /** Accounts that took a partial step in this command: the next step waits for a re-measured mark. */
    private final LongHashSet stepped = new LongHashSet(64);

    private final MarginEngine.MarginState state = new MarginEngine.MarginState();
    private int[] instrumentScratch = new int[8];
    private long sequence;
    private long timestamp;

    Liquidator(OrderBook[] books, Clearing[] clearings, MarginModel[] models, MarginEngine margin, Ledger ledger,
               EngineEvents events, TouchedAccounts touched, LiquidationConfig config, IntPredicate priceUsable,
               OptionMarginHook optionMargin, LiquidationWatch watch) {
        this.books = books;
        this.clearings = clearings;
        this.margin = margin;
        this.ledger = ledger;
        this.events = events;
        this.config = config;
        this.priceUsable = priceUsable;
        this.deleverager = new AutoDeleverager(books, clearings, margin, ledger, events);
        this.positionMaintenance = new PositionMaintenance(books, clearings, models, margin, optionMargin);
        this.orders = new LiquidationOrders(books, clearings);
        this.watch = watch;
        this.fund = new InsuranceFund(books, clearings, margin, ledger, events, touched, config, priceUsable,
                deleverager, orders, positionMaintenance);
    }

    void addInstrument(int instrument) {
        fund.addAsset(clearings[instrument].asset());
        watch.addInstrument(instrument);
    }

    // ------------------------------------------------------------------------------------------------ detection

    /** The account's balance or positions changed: its triggers must be recomputed before the next mark is used. */
    void markDirty(long account) {
        watch.markDirty(account);
    }

    /** The instrument's mark changed (and its price is usable): queue every position whose trigger it crossed. */
    void onMarkChanged(int instrument, long mark) {
        fund.onMarkChanged(instrument);
        watch.onMarkChanged(instrument, mark);
    }

    /** A touched account's state, computed at the end of a command, is liquidatable. */
    void considerTouched(long account) {
        watch.addCandidate(account);
    }

    /**
     * A touched account has negative equity in the asset and no maintenance margin there (nothing left to close, e.g.
     * after auto-deleveraging closed it at a price worse than its mark): its deficit is to be covered.
     */
    void considerDeficit(long account, int asset) {
        watch.considerDeficit(account, asset);
    }

    boolean hasCandidates() {
        return watch.hasQueued() || fund.hasPendingUnwinds();
    }

    // ------------------------------------------------------------------------------------------------ process

    /**
     * Unwinds the insurance fund's inventory in the instruments whose mark moved, then liquidates every queued account
     * that is liquidatable now, in ascending account order, then covers deficits (the fund's own included).
     */
    void run(long commandSequence, long commandTimestamp) {
        this.sequence = commandSequence;
        this.timestamp = commandTimestamp;
        fund.unwindPending(sequence, timestamp);
        for (long account : watch.takeCandidates()) {
            liquidateAccount(account);
            watch.markDirty(account);
        }
        int deficits = watch.takeDeficits();
        for (int i = 0; i < deficits; i++) {
            long account = watch.deficitAccount(i);
            int asset = watch.deficitAsset(i);
            MarginEngine.MarginState now = margin.compute(account, asset, state);
            if (now.equity < 0 && now.maintenanceMargin == 0) {
                fund.coverDeficit(sequence, timestamp, account, asset, -1, -now.equity);
            }
        }
        fund.coverFundDeficit(sequence, timestamp);
    }

    /** End of a command: the next command may take the next partial step of an account stepped in this one. */
    void endCommand(long commandSequence, long commandTimestamp) {
        // The fund's equity moves with every mark of its inventory, also on commands that liquidated nobody (or after
        // the last liquidation round): at the end of each command it is made whole again, never left negative.
        this.sequence = commandSequence;
        this.timestamp = commandTimestamp;
        fund.coverFundDeficit(sequence, timestamp);
        if (!stepped.isEmpty()) {
            stepped.clear();
        }
        fund.dropPendingUnwinds();
    }

    private void liquidateAccount(long account) {
        instrumentScratch = margin.activeInstruments(account, instrumentScratch);
        int count = margin.activeCount();
        int[] instruments = Arrays.copyOf(instrumentScratch, count);
        Arrays.sort(instruments);
        int[] assetsDone = new int[count];
        int assetCount = 0;
        for (int instrument : instruments) {
            Position position = clearings[instrument].positions().position(account);
            if (position == null || !priceUsable.test(instrument)) {
                continue;
            }
            if (margin.marginMode(account, instrument) == MarginMode.ISOLATED) {
                MarginEngine.MarginState isolated = margin.computeIsolated(account, instrument, state);
                if (Health.isLiquidatable(isolated.equity, isolated.maintenanceMargin)) {
                    liquidate(account, clearings[instrument].asset(), instrument);
                }
                continue;
            }
            int asset = clearings[instrument].asset();
            boolean seen = false;
            for (int a = 0; a < assetCount; a++) {
                seen |= assetsDone[a] == asset;
            }
            if (!seen) {
                assetsDone[assetCount++] = asset;
                MarginEngine.MarginState cross = margin.compute(account, asset, state);
                if (Health.isLiquidatable(cross.equity, cross.maintenanceMargin)) {
                    liquidate(account, asset, -1);
                }
            }
        }
    }

    /** Margin state of what is being liquidated: the cross account in the asset, or the isolated position. */
    private MarginEngine.MarginState measure(long account, int asset, int isolatedInstrument) {
        return isolatedInstrument >= 0 ? margin.computeIsolated(account, isolatedInstrument, state)
                : margin.compute(account, asset, state);
    }

    /**
     * Liquidates a cross account in one asset ({@code isolatedInstrument} = -1) or one isolated position: at most
     * {@code maxStepsPerAccount} partial steps per command while equity is positive (an account already stepped in
     * this command waits for the next mark change or command), every close needed while it is at or below
     * bankruptcy.
     */
    private void liquidate(long account, int asset, int isolatedInstrument) {
        MarginEngine.MarginState now = measure(account, asset, isolatedInstrument);
        long equity = now.equity;
        if (equity > 0 && stepped.contains(account)) {
            return;
        }
        long maintenance = now.maintenanceMargin;
        events.liquidationStarted(sequence, timestamp, account, asset, isolatedInstrument, equity, maintenance);
        // Canceling orders frees initial margin but changes neither equity nor maintenance margin: the state is
        // re-measured (for the initial margin the step aims at) only when there were orders.
        if (cancelOrders(account, asset, isolatedInstrument)) {
            now = measure(account, asset, isolatedInstrument);
        }
        long initial = Math.max(now.initialMargin, maintenance);
        boolean isolated = isolatedInstrument >= 0;
        int steps = 0;
        for (int round = 0; round < MAX_CLOSES; round++) {
            if (equity > 0 && (steps >= config.maxStepsPerAccount() || !Health.isLiquidatable(equity, maintenance))) {
                break;
            }
            int instrument = isolated ? isolatedInstrument : largestMaintenance(account, asset);
            if (instrument < 0 || clearings[instrument].positions().position(account) == null) {
                break;
            }
            long lots = lotsToClose(account, instrument, equity, maintenance, initial);
            closeStep(account, asset, instrument, lots, equity);
            if (equity > 0) {
                steps++;
                stepped.add(account);
            }
            now = measure(account, asset, isolatedInstrument);
            equity = now.equity;
            maintenance = now.maintenanceMargin;
            initial = Math.max(now.initialMargin, maintenance);
        }
        if (equity < 0 && !hasPositions(account, asset, isolatedInstrument)) {
            fund.coverDeficit(sequence, timestamp, account, asset, isolatedInstrument, -equity);
            now = measure(account, asset, isolatedInstrument);
            equity = now.equity;
            maintenance = now.maintenanceMargin;
        }
        events.liquidationEnded(sequence, timestamp, account, asset, isolatedInstrument, equity, maintenance);
    }

    /** Cancels the account's orders in what is liquidated; returns whether there were any. */
    private boolean cancelOrders(long account, int asset, int isolatedInstrument) {
        instrumentScratch = margin.activeInstruments(account, instrumentScratch);
        int count = margin.activeCount();
        Arrays.sort(instrumentScratch, 0, count);
        boolean canceled = false;
        for (int k = 0; k < count; k++) {
            int instrument = instrumentScratch[k];
            boolean isolated = margin.marginMode(account, instrument) == MarginMode.ISOLATED;
            boolean ours = isolatedInstrument >= 0 ? instrument == isolatedInstrument
                    : clearings[instrument].asset() == asset && !isolated;
            if (ours && books[instrument].openOrders(account) > 0) {
                books[instrument].setContext(sequence, timestamp);
                books[instrument].cancelAll(account);
                canceled = true;
            }
        }
        return canceled;
    }

    /** The cross position in the asset with the largest maintenance margin at a usable price; -1 when none. */
    private int largestMaintenance(long account, int asset) {
        instrumentScratch = margin.activeInstruments(account, instrumentScratch);
        int count = margin.activeCount();
        int best = -1;
        long bestMargin = -1;
        for (int k = 0; k < count; k++) {
            int instrument = instrumentScratch[k];
            Clearing clearing = clearings[instrument];
            Position position = clearing.positions().position(account);
            if (position == null || clearing.asset() != asset || !priceUsable.test(instrument)
                    || margin.marginMode(account, instrument) == MarginMode.ISOLATED) {
                continue;
            }
            long mm = positionMaintenance.of(instrument, position);
            if (mm > bestMargin || mm == bestMargin && instrument < best) {
                best = instrument;
                bestMargin = mm;
            }
        }
        return best;
    }

    private boolean hasPositions(long account, int asset, int isolatedInstrument) {
        if (isolatedInstrument >= 0) {
            return clearings[isolatedInstrument].positions().position(account) != null;
        }
        return largestMaintenance(account, asset) >= 0;
    }

    /**
     * Lots to close in this step: all when equity is not positive; else enough that equity, after the largest fee the
     * close can cost, reaches the target {@code MM + targetPpm x (IM - MM)} of what is left, assuming the position's
     * margins fall in proportion to its size (exact within a tier; the position's IM is its MM scaled by the account's
     * IM / MM); at least one lot; at most {@code maxStepSharePpm} of the position, {@code maxStepUnits} of notional and
     * the instrument's largest order; all of it when what would be left is worth less than {@code minFullCloseUnits}.
     */
    private long lotsToClose(long account, int instrument, long equity, long maintenance, long initial) {
        Position position = clearings[instrument].positions().position(account);
        long size = Math.abs(position.size());
        long maxOrder = books[instrument].spec().maxQuantity();
        if (equity <= 0) {
            return Math.min(size, maxOrder);
        }
        long mark = books[instrument].markPrice();
        long unit = clearings[instrument].positions().minorUnitsPerTickLot();
        long ownMaintenance = positionMaintenance.of(instrument, position);
        long ownInitial = maintenance == 0 ? ownMaintenance
                : FixedPoint.mulDivCeil(ownMaintenance, initial, maintenance);
        long target = maintenance + FixedPoint.mulDivCeil(initial - maintenance, config.targetPpm(), FixedPoint.PPM);
        long ownTarget = ownMaintenance
                + FixedPoint.mulDivCeil(ownInitial - ownMaintenance, config.targetPpm(), FixedPoint.PPM);
        long notional = Notional.of(size, mark, unit);
        long worstFee = Math.min(Fees.charge(notional, config.feePpm()),
                FixedPoint.mulDivFloor(ownMaintenance, config.feeCapPpm(), FixedPoint.PPM));
        long relief = ownTarget - worstFee;
        long shortfall = Math.max(0, target - equity);
        // Closing q of |size| lots lowers the target by ownTarget x q/|size| and equity by at most worstFee x q/|size|.
        long lots = relief <= 0 ? size : Math.min(size, Math.max(1, FixedPoint.mulDivCeil(size, shortfall, relief)));
        lots = Math.min(lots, Math.max(1, FixedPoint.mulDivCeil(size, config.maxStepSharePpm(), FixedPoint.PPM)));
        long perLot = Math.max(1, Math.multiplyExact(mark, unit));
        long scale = FixedPoint.pow10(ledger.asset(clearings[instrument].asset()).scale());
        lots = Math.min(lots, Math.max(1, Math.multiplyExact(config.maxStepUnits(), scale) / perLot));
        long minimum = Math.multiplyExact(config.minFullCloseUnits(), scale);
        if (Notional.of(size - lots, mark, unit) < minimum) {
            lots = size;
        }
        return Math.min(lots, maxOrder);
    }

    /**
     * One step: (1) the book, IOC reduce-only limited at the bankruptcy price; when it fills nothing, the whole
     * position (a part closed at the bankruptcy price would leave the margin ratio as it was) goes (2) to the
     * backstop account, (3) to the insurance fund while it has the capital, (4) else to auto-deleveraging.
     */
    private void closeStep(long account, int asset, int instrument, long lots, long equity) {
        PositionBook positions = clearings[instrument].positions();
        long size = positions.size(account);
        Side side = size > 0 ? Side.SELL : Side.BUY;
        long bankruptcy = deleverager.bankruptcyPrice(account, instrument, equity);
        if (orders.place(sequence, timestamp, account, instrument, side, bankruptcy, lots) > 0) {
            return;
        }
        long all = Math.abs(size);
        if (backstop(account, instrument, side, bankruptcy, all)) {
            return;
        }
        if (fund.takeover(sequence, timestamp, account, asset, instrument, side, bankruptcy, all, false)) {
            return;
        }
        long left = deleverager.deleverage(sequence, timestamp, account, asset, instrument, side, bankruptcy, all);
        if (left > 0) {
            // Nobody on the other side can take the rest within their own bankruptcy price: the fund takes it as the
            // last resort, and what its equity then lacks is covered by the fee pool (coverFundDeficit).
            fund.takeover(sequence, timestamp, account, asset, instrument, side, bankruptcy, left, true);
        }
    }

    /** True when {@link Clearing} must treat this fill as a liquidation fill (no trade fee; see {@link #onFill}). */
    @Override
    public boolean isLiquidationFill(long account, int instrument) {
        return orders.isLiquidationFill(account, instrument);
    }

    /**
     * A fill of a liquidation order, after its PnL ({@code pnl}) was settled. The fund's unwind fills pay no fee and
     * are reported as {@code insuranceFundUnwind}. A liquidated account's fill pays the liquidation fee into the
     * insurance fund: {@code feePpm} of the notional, at most {@code feeCap} of the maintenance margin the fill
     * releases and at most {@code feeCap} of the account's surplus over maintenance margin after the fill (none when
     * the fill left it liquidatable); so the fee never creates or deepens a deficit and never triggers the next step.
     * ({@link InsuranceFund#onUnwindFill} reports the fund's.)
     */
    @Override
    public void onFill(Clearing clearing, long account, Side side, long price, long quantity, long pnl) {
        if (account == SystemAccounts.INSURANCE_FUND) {
            fund.onUnwindFill(sequence, timestamp, clearing, side, price, quantity, pnl);
            return;
        }
        int instrument = clearing.instrument();
        int asset = clearing.asset();
        long unit = clearing.positions().minorUnitsPerTickLot();
        long notional = Notional.of(quantity, price, unit);
        long fee = config.feePpm() == 0 ? 0 : Fees.charge(notional, config.feePpm());
        long released = positionMaintenance.of(account, instrument, side == Side.SELL ? quantity : -quantity);
        fee = Math.min(fee, FixedPoint.mulDivFloor(released, config.feeCapPpm(), FixedPoint.PPM));
        if (fee > 0) {
            boolean isolated = margin.marginMode(account, instrument) == MarginMode.ISOLATED;
            MarginEngine.MarginState after = isolated ? margin.computeIsolated(account, instrument, state)
                    : margin.compute(account, asset, state);
            long surplus = Math.max(0, after.equity - after.maintenanceMargin);
            fee = Math.min(fee, FixedPoint.mulDivFloor(surplus, config.feeCapPpm(), FixedPoint.PPM));
        }
        if (fee > 0) {
            ledger.post(PostingType.LIQUIDATION_FEE, asset, account, SystemAccounts.INSURANCE_FUND, fee);
            margin.onIsolatedCashflow(account, instrument, -fee);
        }
        events.liquidationFill(sequence, timestamp, account, instrument, side, price, quantity, fee);
    }

    private boolean backstop(long account, int instrument, Side side, long price, long lots) {
        long backstop = config.backstopAccount();
        if (backstop == 0 || backstop == account) {
            return false;
        }
        Side opposite = side == Side.SELL ? Side.BUY : Side.SELL;
        boolean fits = margin.checkOrder(backstop, instrument, opposite, lots, price, false) == null;
        margin.discardPendingTopUp();
        if (!fits) {
            return false;
        }
        margin.touch(backstop, instrument);
        Clearing clearing = clearings[instrument];
        clearing.transfer(account, side, price, lots);
        clearing.transfer(backstop, opposite, price, lots);
        events.backstopTransfer(sequence, timestamp, account, backstop, instrument, side, price, lots);
        return true;
    }

    /** The fund's position in the instrument (signed lots; 0 when flat). */
    long fundInventory(int instrument) {
        return fund.inventory(instrument);
    }

    /**
     * PnL the fund realised on its inventory in the asset (takeovers netting earlier inventory, unwinds, its own
     * inventory auto-deleveraged below its floor).
     */
    long fundRealizedPnl(int asset) {
        return fund.realizedPnl(asset);
    }

    /** The ADL indicator of every candidate position of the instrument ({@link AutoDeleverager#adlQuantiles}). */
    AdlQuantiles adlQuantiles(int instrument, long sequence) {
        return deleverager.adlQuantiles(instrument, sequence);
    }

    void hashState(StateHasher hasher) {
        hasher.add(orders.nextOrderId());
        fund.hashState(hasher);
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /**
     * Writes the liquidation state between commands: the next liquidation order id; the insurance fund's realised PnL
     * and the assets it has held inventory in; per instrument (ascending) the liquidation triggers of longs and shorts
     * and the cross accounts that hold positions in other instruments too; the accounts whose triggers are stale
     * (dirty, in order); and what a command left queued (candidates, deficits: only when a cascade ran out of
     * rounds). Within a command only: the accounts stepped, the fund's pending unwinds, the order in the book now.
     * Each part is written by its owner ({@link LiquidationOrders}, {@link InsuranceFund}, {@link LiquidationWatch}),
     * in this order.
     */
    void writeSnapshot(SnapshotWriter out) {
        orders.writeSnapshot(out);
        fund.writeSnapshot(out);
        watch.writeSnapshot(out);
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into this liquidator, whose instruments are all added and which has
     * no state yet. Refuses instruments it does not have (or has more of), and accounts listed twice.
     */
    void readSnapshot(SnapshotReader in) {
        if (!watch.isEmpty() || orders.nextOrderId() != ORDER_ID_BASE) {
            throw new IllegalStateException("a snapshot is restored into a new liquidator only");
        }
        orders.readSnapshot(in);
        fund.readSnapshot(in);
        watch.readSnapshot(in);
    }
}
