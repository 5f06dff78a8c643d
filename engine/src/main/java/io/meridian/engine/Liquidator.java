package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.FixedPoint;
import io.meridian.model.MarginMode;
import io.meridian.model.OrderType;
import io.meridian.model.PostingType;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;
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
import java.util.function.LongConsumer;

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
 * <p>Engine thread only; allocates only on the rare paths (auto-deleveraging ranks, growth).
 */
final class Liquidator {
    /** Order ids from here up are the engine's liquidation orders; user orders may not use them. */
    static final long ORDER_ID_BASE = 1L << 62;
    /** Bound on the closes of one liquidation in one command (each closes a position or a step of it). */
    private static final int MAX_CLOSES = 64;

    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final MarginModel[] models;
    private final MarginEngine margin;
    private final Ledger ledger;
    private final EngineEvents events;
    private final TouchedAccounts touched;
    private final LiquidationConfig config;
    private final IntPredicate priceUsable;
    /** Per-position maintenance of options (and futures margined with them), which their models do not give. */
    private final Options options;
    /** The waterfall's last step, and the bankruptcy price every step is bounded by. */
    private final AutoDeleverager deleverager;
    private final TriggerIndex[] longs;
    private final TriggerIndex[] shorts;
    /** Per instrument: cross accounts that also hold positions in other instruments. */
    private final LongHashSet[] multi;

    private long[] dirty = new long[256];
    private int dirtyCount;
    /** Not final: a restored liquidator gets a set sized for its dirty accounts ({@link #readSnapshot}). */
    private LongHashSet dirtySet = new LongHashSet(256);
    private long[] candidates = new long[64];
    private int candidateCount;
    private final LongHashSet candidateSet = new LongHashSet(64);
    private final LongConsumer candidateSink = this::addCandidate;
    /** Accounts with negative equity and nothing left to close, with the asset: (account, asset) pairs. */
    private long[] deficitAccounts = new long[8];
    private int[] deficitAssets = new int[8];
    private int deficitCount;

    /** Accounts that took a partial step in this command: the next step waits for a re-measured mark. */
    private final LongHashSet stepped = new LongHashSet(64);
    /** Instruments whose mark moved in this command while the insurance fund holds a position there. */
    private final boolean[] unwindPending;
    private final int[] unwindInstruments;
    private int unwindCount;
    /** Per asset: PnL the insurance fund realised on its inventory. */
    private long[] fundRealizedPnl = new long[8];
    /** Per asset: the fund has held inventory there (its equity is then checked at the end of liquidation runs). */
    private boolean[] fundAssets = new boolean[8];

    private final Command order = new Command();
    private final MarginEngine.MarginState state = new MarginEngine.MarginState();
    private int[] instrumentScratch = new int[8];
    private long nextOrderId = ORDER_ID_BASE;
    private long sequence;
    private long timestamp;

    /** The account whose liquidation order is in the book now, and the asset and mode it is liquidated in. */
    private long liquidating;
    private int liquidatingInstrument = -1;

    Liquidator(OrderBook[] books, Clearing[] clearings, MarginModel[] models, MarginEngine margin, Ledger ledger,
               EngineEvents events, TouchedAccounts touched, LiquidationConfig config, IntPredicate priceUsable,
               Options options) {
        this.options = options;
        this.books = books;
        this.clearings = clearings;
        this.models = models;
        this.margin = margin;
        this.ledger = ledger;
        this.events = events;
        this.touched = touched;
        this.config = config;
        this.priceUsable = priceUsable;
        this.deleverager = new AutoDeleverager(books, clearings, margin, ledger, events);
        this.longs = new TriggerIndex[books.length];
        this.shorts = new TriggerIndex[books.length];
        this.multi = new LongHashSet[books.length];
        this.unwindPending = new boolean[books.length];
        this.unwindInstruments = new int[books.length];
    }

    void addInstrument(int instrument) {
        int asset = clearings[instrument].asset();
        if (asset >= fundRealizedPnl.length) {
            fundRealizedPnl = Arrays.copyOf(fundRealizedPnl, Math.max(asset + 1, fundRealizedPnl.length * 2));
            fundAssets = Arrays.copyOf(fundAssets, fundRealizedPnl.length);
        }
        longs[instrument] = new TriggerIndex(true);
        shorts[instrument] = new TriggerIndex(false);
        multi[instrument] = new LongHashSet(16);
    }

    // ------------------------------------------------------------------------------------------------ detection

    /** The account's balance or positions changed: its triggers must be recomputed before the next mark is used. */
    void markDirty(long account) {
        if (account > 0 && dirtySet.add(account)) {
            if (dirtyCount == dirty.length) {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = account;
        }
    }

    /** The instrument's mark changed (and its price is usable): queue every position whose trigger it crossed. */
    void onMarkChanged(int instrument, long mark) {
        if (!unwindPending[instrument] && clearings[instrument].positions().size(SystemAccounts.INSURANCE_FUND) != 0) {
            unwindPending[instrument] = true;
            unwindInstruments[unwindCount++] = instrument;
        }
        flushDirty();
        longs[instrument].drainCrossed(mark, candidateSink);
        shorts[instrument].drainCrossed(mark, candidateSink);
        LongHashSet holders = multi[instrument];
        if (!holders.isEmpty()) {
            LongHashSet.LongIterator it = holders.iterator();
            while (it.hasNext()) {
                markDirty(it.nextValue());
            }
        }
    }

    /** A touched account's state, computed at the end of a command, is liquidatable. */
    void considerTouched(long account) {
        addCandidate(account);
    }

    private void addCandidate(long account) {
        if (candidateSet.add(account)) {
            if (candidateCount == candidates.length) {
                candidates = Arrays.copyOf(candidates, candidateCount * 2);
            }
            candidates[candidateCount++] = account;
        }
    }

    /**
     * A touched account has negative equity in the asset and no maintenance margin there (nothing left to close, e.g.
     * after auto-deleveraging closed it at a price worse than its mark): its deficit is to be covered.
     */
    void considerDeficit(long account, int asset) {
        if (deficitCount == deficitAccounts.length) {
            deficitAccounts = Arrays.copyOf(deficitAccounts, deficitCount * 2);
            deficitAssets = Arrays.copyOf(deficitAssets, deficitCount * 2);
        }
        deficitAccounts[deficitCount] = account;
        deficitAssets[deficitCount++] = asset;
    }

    boolean hasCandidates() {
        return candidateCount > 0 || deficitCount > 0 || unwindCount > 0;
    }

    /** Recomputes the triggers of every dirty account. */
    private void flushDirty() {
        for (int i = 0; i < dirtyCount; i++) {
            recomputeTriggers(dirty[i]);
        }
        dirtyCount = 0;
        dirtySet.clear();
    }

    private void recomputeTriggers(long account) {
        instrumentScratch = margin.activeInstruments(account, instrumentScratch);
        int count = margin.activeCount();
        int crossPositions = 0;
        for (int k = 0; k < count; k++) {
            int instrument = instrumentScratch[k];
            Position position = clearings[instrument].positions().position(account);
            if (position != null && margin.marginMode(account, instrument) != MarginMode.ISOLATED) {
                crossPositions++;
            }
        }
        for (int k = 0; k < count; k++) {
            int instrument = instrumentScratch[k];
            Position position = clearings[instrument].positions().position(account);
            long trigger = position == null ? Health.NO_LIQUIDATION_PRICE : margin.liquidationPrice(account, instrument);
            TriggerIndex longIndex = longs[instrument];
            TriggerIndex shortIndex = shorts[instrument];
            if (trigger == Health.NO_LIQUIDATION_PRICE) {
                longIndex.remove(account);
                shortIndex.remove(account);
            } else if (position.size() > 0) {
                shortIndex.remove(account);
                longIndex.put(account, trigger);
            } else {
                longIndex.remove(account);
                shortIndex.put(account, trigger);
            }
            boolean cross = position != null && margin.marginMode(account, instrument) != MarginMode.ISOLATED;
            if (cross && crossPositions > 1) {
                multi[instrument].add(account);
            } else {
                multi[instrument].remove(account);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ process

    /**
     * Unwinds the insurance fund's inventory in the instruments whose mark moved, then liquidates every queued account
     * that is liquidatable now, in ascending account order, then covers deficits (the fund's own included).
     */
    void run(long commandSequence, long commandTimestamp) {
        this.sequence = commandSequence;
        this.timestamp = commandTimestamp;
        if (unwindCount > 0) {
            int pending = unwindCount;
            unwindCount = 0;
            for (int i = 0; i < pending; i++) {
                int instrument = unwindInstruments[i];
                unwindPending[instrument] = false;
                unwind(instrument);
            }
        }
        long[] batch = Arrays.copyOf(candidates, candidateCount);
        candidateCount = 0;
        candidateSet.clear();
        Arrays.sort(batch);
        for (long account : batch) {
            liquidateAccount(account);
            markDirty(account);
        }
        int deficits = deficitCount;
        deficitCount = 0;
        for (int i = 0; i < deficits; i++) {
            long account = deficitAccounts[i];
            int asset = deficitAssets[i];
            MarginEngine.MarginState now = margin.compute(account, asset, state);
            if (now.equity < 0 && now.maintenanceMargin == 0) {
                coverDeficit(account, asset, -1, -now.equity);
            }
        }
        coverFundDeficit();
    }

    /** End of a command: the next command may take the next partial step of an account stepped in this one. */
    void endCommand(long commandSequence, long commandTimestamp) {
        // The fund's equity moves with every mark of its inventory, also on commands that liquidated nobody (or after
        // the last liquidation round): at the end of each command it is made whole again, never left negative.
        this.sequence = commandSequence;
        this.timestamp = commandTimestamp;
        coverFundDeficit();
        if (!stepped.isEmpty()) {
            stepped.clear();
        }
        for (int i = 0; i < unwindCount; i++) {
            unwindPending[unwindInstruments[i]] = false;
        }
        unwindCount = 0;
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
            coverDeficit(account, asset, isolatedInstrument, -equity);
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
            long mm = maintenanceOf(instrument, position);
            if (mm > bestMargin || mm == bestMargin && instrument < best) {
                best = instrument;
                bestMargin = mm;
            }
        }
        return best;
    }

    private long maintenanceOf(int instrument, Position position) {
        return maintenanceOf(position.account(), instrument, position.size());
    }

    /**
     * The maintenance margin of {@code size} lots (signed) of the account's position on its own: the instrument's
     * model at the mark, or, for a position margined by the option rules, its leg's share ({@link
     * Options#legMaintenance}: a long option's value, a short option's risk part).
     */
    private long maintenanceOf(long account, int instrument, long size) {
        if (size == 0) {
            return 0;
        }
        if (margin.isExternallyMargined(account, instrument)) {
            long leg = options.legMaintenance(instrument, size);
            if (leg >= 0) {
                return leg;
            }
        }
        long unit = clearings[instrument].positions().minorUnitsPerTickLot();
        return models[instrument].maintenanceMargin(size, Notional.of(size, books[instrument].markPrice(), unit));
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
        long ownMaintenance = maintenanceOf(instrument, position);
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
        if (bookOrder(account, instrument, side, bankruptcy, lots) > 0) {
            return;
        }
        long all = Math.abs(size);
        if (backstop(account, instrument, side, bankruptcy, all)) {
            return;
        }
        if (takeover(account, asset, instrument, side, bankruptcy, all, false)) {
            return;
        }
        long left = deleverager.deleverage(sequence, timestamp, account, asset, instrument, side, bankruptcy, all);
        if (left > 0) {
            // Nobody on the other side can take the rest within their own bankruptcy price: the fund takes it as the
            // last resort, and what its equity then lacks is covered by the fee pool (coverFundDeficit).
            takeover(account, asset, instrument, side, bankruptcy, left, true);
        }
    }

    /** An IOC reduce-only order of the account (a liquidated account, or the fund); returns the lots filled. */
    private long bookOrder(long account, int instrument, Side side, long price, long lots) {
        OrderBook book = books[instrument];
        long before = Math.abs(clearings[instrument].positions().size(account));
        order.reset();
        order.type = CommandType.PLACE_ORDER;
        order.sequence = sequence;
        order.timestamp = timestamp;
        order.account = account;
        order.instrument = instrument;
        order.orderId = nextOrderId++;
        order.side = side;
        order.orderType = OrderType.LIMIT;
        order.timeInForce = TimeInForce.IOC;
        order.price = price;
        order.quantity = lots;
        order.reduceOnly = true;
        book.setContext(sequence, timestamp);
        liquidating = account;
        liquidatingInstrument = instrument;
        try {
            book.placeValidated(order);
        } finally {
            liquidating = 0;
            liquidatingInstrument = -1;
        }
        return before - Math.abs(clearings[instrument].positions().size(account));
    }

    /** True when {@link Clearing} must treat this fill as a liquidation fill (no trade fee; see {@link #onFill}). */
    boolean isLiquidationFill(long account, int instrument) {
        return account == liquidating && instrument == liquidatingInstrument;
    }

    /**
     * A fill of a liquidation order, after its PnL ({@code pnl}) was settled. The fund's unwind fills pay no fee and
     * are reported as {@code insuranceFundUnwind}. A liquidated account's fill pays the liquidation fee into the
     * insurance fund: {@code feePpm} of the notional, at most {@code feeCap} of the maintenance margin the fill
     * releases and at most {@code feeCap} of the account's surplus over maintenance margin after the fill (none when
     * the fill left it liquidatable); so the fee never creates or deepens a deficit and never triggers the next step.
     */
    void onFill(Clearing clearing, long account, Side side, long price, long quantity, long pnl) {
        int instrument = clearing.instrument();
        int asset = clearing.asset();
        if (account == SystemAccounts.INSURANCE_FUND) {
            fundRealizedPnl[asset] = Math.addExact(fundRealizedPnl[asset], pnl);
            events.insuranceFundUnwind(sequence, timestamp, instrument, side, price, quantity, pnl,
                    clearing.positions().size(account));
            return;
        }
        long unit = clearing.positions().minorUnitsPerTickLot();
        long notional = Notional.of(quantity, price, unit);
        long fee = config.feePpm() == 0 ? 0 : Fees.charge(notional, config.feePpm());
        long released = maintenanceOf(account, instrument, side == Side.SELL ? quantity : -quantity);
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

    /**
     * The insurance fund takes {@code lots} of the position over at the bankruptcy price when its equity after the
     * takeover (valued at the mark) stays at or above its floor plus the maintenance margin of its inventory, or
     * when {@code forced} (the last resort after auto-deleveraging); else reports {@code insuranceFundBelowFloor}
     * and returns false.
     */
    private boolean takeover(long account, int asset, int instrument, Side side, long price, long lots,
                             boolean forced) {
        long fund = SystemAccounts.INSURANCE_FUND;
        Clearing clearing = clearings[instrument];
        long unit = clearing.positions().minorUnitsPerTickLot();
        long mark = books[instrument].markPrice();
        MarginEngine.MarginState now = margin.compute(fund, asset, state);
        long held = clearing.positions().size(fund);
        long taken = side == Side.SELL ? lots : -lots;
        long gain = Math.multiplyExact(Math.multiplyExact(mark - price, taken), unit);
        long equityAfter = Math.addExact(now.equity, gain);
        long maintenanceAfter = now.maintenanceMargin - maintenanceOf(fund, instrument, held)
                + maintenanceOf(fund, instrument, Math.addExact(held, taken));
        long required = Math.addExact(floor(asset), maintenanceAfter);
        if (!forced && equityAfter < required) {
            events.insuranceFundBelowFloor(sequence, timestamp, account, asset, instrument, equityAfter, required);
            return false;
        }
        margin.touch(fund, instrument);
        fundAssets[asset] = true;
        Side opposite = side == Side.SELL ? Side.BUY : Side.SELL;
        clearing.transfer(account, side, price, lots);
        long pnl = clearing.transfer(fund, opposite, price, lots);
        fundRealizedPnl[asset] = Math.addExact(fundRealizedPnl[asset], pnl);
        events.insuranceFundTakeover(sequence, timestamp, account, instrument, side, price, lots, equityAfter);
        return true;
    }

    /** The insurance fund's floor in the asset's minor units. */
    private long floor(int asset) {
        return Math.multiplyExact(config.insuranceFundFloorUnits(), FixedPoint.pow10(ledger.asset(asset).scale()));
    }

    /**
     * The instrument's mark moved: the fund offers {@code unwindSharePpm} of its inventory there (at least a lot, at
     * most {@code maxStepUnits} of notional; all of it under {@code minFullCloseUnits}) in an IOC reduce-only order
     * limited {@code unwindBandPpm} from the mark. If its equity is then below its floor plus the maintenance margin
     * of its inventory, the rest of its position in the instrument is auto-deleveraged at the mark.
     */
    private void unwind(int instrument) {
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
        bookOrder(fund, instrument, side, limit, lots);
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
            fundRealizedPnl[asset] = Math.addExact(fundRealizedPnl[asset], deleverager.lastRealized());
        }
    }

    /**
     * Pays a deficit: the insurance fund from its cash as far as it can, then the venue's fee pool. For an isolated
     * position the payment goes into its isolated margin.
     */
    private void coverDeficit(long account, int asset, int isolatedInstrument, long deficit) {
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
    private void coverFundDeficit() {
        long fund = SystemAccounts.INSURANCE_FUND;
        for (int asset = 0; asset < fundAssets.length; asset++) {
            if (!fundAssets[asset]) {
                continue;
            }
            MarginEngine.MarginState now = margin.compute(fund, asset, state);
            if (now.equity < 0) {
                ledger.post(PostingType.DEFICIT_COVERED_BY_VENUE, asset, SystemAccounts.FEE_POOL, fund, -now.equity);
                events.deficitCoveredByVenue(sequence, timestamp, fund, asset, -now.equity);
            }
        }
    }

    /** The fund's position in the instrument (signed lots; 0 when flat). */
    long fundInventory(int instrument) {
        return clearings[instrument].positions().size(SystemAccounts.INSURANCE_FUND);
    }

    /**
     * PnL the fund realised on its inventory in the asset (takeovers netting earlier inventory, unwinds, its own
     * inventory auto-deleveraged below its floor).
     */
    long fundRealizedPnl(int asset) {
        return asset >= 0 && asset < fundRealizedPnl.length ? fundRealizedPnl[asset] : 0;
    }

    /** ADL quantile 1..5 of the account's position (5 = deleveraged first), 0 when flat. O(positions): a query. */
    int adlQuantile(long account, int instrument) {
        return deleverager.adlQuantile(account, instrument);
    }

    void hashState(StateHasher hasher) {
        hasher.add(nextOrderId);
        for (int asset = 0; asset < fundRealizedPnl.length; asset++) {
            if (fundRealizedPnl[asset] != 0 || fundAssets[asset]) {
                hasher.add(asset);
                hasher.add(fundRealizedPnl[asset]);
                hasher.add(fundAssets[asset] ? 1 : 0);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Asset ids a snapshot may name (the ledger's bound). */
    private static final int MAX_SNAPSHOT_ASSET = 1024;

    /**
     * Writes the liquidation state between commands: the next liquidation order id; the insurance fund's realised PnL
     * and the assets it has held inventory in; per instrument (ascending) the liquidation triggers of longs and shorts
     * and the cross accounts that hold positions in other instruments too; the accounts whose triggers are stale
     * (dirty, in order); and what a command left queued (candidates, deficits: only when a cascade ran out of
     * rounds). Within a command only: the accounts stepped, the fund's pending unwinds, the order in the book now.
     */
    void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(nextOrderId);
        int assets = 0;
        for (int asset = 0; asset < fundRealizedPnl.length; asset++) {
            assets += fundRealizedPnl[asset] != 0 || fundAssets[asset] ? 1 : 0;
        }
        out.writeCount(assets);
        for (int asset = 0; asset < fundRealizedPnl.length; asset++) {
            if (fundRealizedPnl[asset] != 0 || fundAssets[asset]) {
                out.writeCount(asset);
                out.writeVarLong(fundRealizedPnl[asset]);
                out.writeBoolean(fundAssets[asset]);
            }
        }
        int instruments = 0;
        for (TriggerIndex index : longs) {
            instruments += index == null ? 0 : 1;
        }
        out.writeCount(instruments);
        for (int id = 0; id < longs.length; id++) {
            if (longs[id] == null) {
                continue;
            }
            out.writeCount(id);
            longs[id].writeSnapshot(out);
            shorts[id].writeSnapshot(out);
            out.writeCount(multi[id].size());
            multi[id].forEachLong(out::writeVarLong);
        }
        writeLongs(out, dirty, dirtyCount);
        writeLongs(out, candidates, candidateCount);
        out.writeCount(deficitCount);
        for (int i = 0; i < deficitCount; i++) {
            out.writeVarLong(deficitAccounts[i]);
            out.writeCount(deficitAssets[i]);
        }
    }

    private static void writeLongs(SnapshotWriter out, long[] values, int count) {
        out.writeCount(count);
        for (int i = 0; i < count; i++) {
            out.writeVarLong(values[i]);
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into this liquidator, whose instruments are all added and which has
     * no state yet. Refuses instruments it does not have (or has more of), and accounts listed twice.
     */
    void readSnapshot(SnapshotReader in) {
        if (dirtyCount != 0 || candidateCount != 0 || nextOrderId != ORDER_ID_BASE) {
            throw new IllegalStateException("a snapshot is restored into a new liquidator only");
        }
        nextOrderId = in.readVarLong();
        if (nextOrderId < ORDER_ID_BASE) {
            throw in.fail("the next liquidation order id " + nextOrderId + " is below " + ORDER_ID_BASE);
        }
        int assets = in.readCount(3);
        for (int i = 0; i < assets; i++) {
            int asset = in.readIndex(MAX_SNAPSHOT_ASSET, "asset");
            if (asset >= fundRealizedPnl.length) {
                fundRealizedPnl = Arrays.copyOf(fundRealizedPnl, asset + 1);
                fundAssets = Arrays.copyOf(fundAssets, asset + 1);
            }
            fundRealizedPnl[asset] = in.readVarLong();
            fundAssets[asset] = in.readBoolean();
        }
        int instruments = in.readCount(4);
        int added = 0;
        for (TriggerIndex index : longs) {
            added += index == null ? 0 : 1;
        }
        if (instruments != added) {
            throw in.fail("liquidation state for " + instruments + " instruments, the engine has " + added);
        }
        int previous = -1;
        for (int i = 0; i < instruments; i++) {
            int id = in.readIndex(longs.length, "instrument");
            if (id <= previous || longs[id] == null) {
                throw in.fail("instrument " + id + " is unknown or out of order");
            }
            previous = id;
            longs[id].readSnapshot(in);
            shorts[id].readSnapshot(in);
            int holders = in.readCount(1);
            for (int k = 0; k < holders; k++) {
                multi[id].add(in.readVarLong());
            }
        }
        int dirtyAccounts = in.readCount(1);
        if (dirtyAccounts > dirty.length) {
            dirty = new long[dirtyAccounts];
            dirtySet = new LongHashSet(2 * dirtyAccounts);
        }
        for (int i = 0; i < dirtyAccounts; i++) {
            long account = in.readVarLong();
            if (account <= 0 || !dirtySet.add(account)) {
                throw in.fail("dirty account " + account + " is not a user account or is there twice");
            }
            dirty[dirtyCount++] = account;
        }
        int queued = in.readCount(1);
        for (int i = 0; i < queued; i++) {
            addCandidate(in.readVarLong());
        }
        int deficits = in.readCount(2);
        for (int i = 0; i < deficits; i++) {
            considerDeficit(in.readVarLong(), in.readIndex(MAX_SNAPSHOT_ASSET, "asset"));
        }
    }
}
