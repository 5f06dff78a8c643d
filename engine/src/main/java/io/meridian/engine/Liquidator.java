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
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;
import io.meridian.risk.PositionBook;
import io.meridian.risk.margin.Fees;
import io.meridian.risk.margin.Health;
import io.meridian.risk.margin.MarginModel;
import io.meridian.risk.margin.Notional;
import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * <p><b>Process</b> (per liquidatable cross account and asset, or isolated position): cancel its orders; then in
 * steps, close enough of the position with the largest maintenance margin to restore equity to maintenance margin x
 * (1 + buffer), at most {@code maxStepUnits} of notional per step: (1) an IOC reduce-only order in the book limited
 * at the bankruptcy price, paying the liquidation fee to the insurance fund; (2) else a transfer to the backstop
 * account at the bankruptcy price, if it has the margin; (3) else, while the insurance fund has money, an IOC order
 * whose worst price lets the fund cover the loss beyond bankruptcy; (4) else auto-deleveraging of opposite positions
 * at the bankruptcy price, highest BitMEX rank first. A remaining deficit (equity below zero with nothing left to
 * close) is paid by the insurance fund, and what it cannot pay by the venue's fee pool, so no account is left with
 * uncovered negative equity. Every step is an event.
 *
 * <p>Engine thread only; allocates only on the rare paths (auto-deleveraging ranks, growth).
 */
final class Liquidator {
    /** Order ids from here up are the engine's liquidation orders; user orders may not use them. */
    static final long ORDER_ID_BASE = 1L << 62;

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
    private final TriggerIndex[] longs;
    private final TriggerIndex[] shorts;
    /** Per instrument: cross accounts that also hold positions in other instruments. */
    private final LongHashSet[] multi;

    private long[] dirty = new long[256];
    private int dirtyCount;
    private final LongHashSet dirtySet = new LongHashSet(256);
    private long[] candidates = new long[64];
    private int candidateCount;
    private final LongHashSet candidateSet = new LongHashSet(64);
    /** A named class, not a method reference: snapshots copy the object graph, and lambdas cannot be serialized. */
    private final LongConsumer candidateSink = new LongConsumer() {
        @Override
        public void accept(long account) {
            addCandidate(account);
        }
    };
    /** Accounts with negative equity and nothing left to close, with the asset: (account, asset) pairs. */
    private long[] deficitAccounts = new long[8];
    private int[] deficitAssets = new int[8];
    private int deficitCount;

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
        this.longs = new TriggerIndex[books.length];
        this.shorts = new TriggerIndex[books.length];
        this.multi = new LongHashSet[books.length];
    }

    void addInstrument(int instrument) {
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
        return candidateCount > 0 || deficitCount > 0;
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

    /** Liquidates every queued account that is liquidatable now, in ascending account order. */
    void run(long commandSequence, long commandTimestamp) {
        this.sequence = commandSequence;
        this.timestamp = commandTimestamp;
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

    /** Liquidates a cross account in one asset ({@code isolatedInstrument} = -1) or one isolated position. */
    private void liquidate(long account, int asset, int isolatedInstrument) {
        MarginEngine.MarginState now = measure(account, asset, isolatedInstrument);
        long equity = now.equity;
        long maintenance = now.maintenanceMargin;
        events.liquidationStarted(sequence, timestamp, account, asset, isolatedInstrument, equity, maintenance);
        // Canceling orders frees initial margin but changes neither equity nor maintenance margin: no re-measure.
        cancelOrders(account, asset, isolatedInstrument);
        boolean isolated = isolatedInstrument >= 0;
        for (int step = 0; step < config.maxStepsPerAccount(); step++) {
            if (equity > 0 && equity >= target(maintenance)) {
                break;
            }
            int instrument = isolated ? isolatedInstrument : largestMaintenance(account, asset);
            if (instrument < 0 || clearings[instrument].positions().position(account) == null) {
                break;
            }
            long lots = lotsToClose(account, instrument, equity, maintenance);
            closeStep(account, asset, instrument, lots, equity);
            now = measure(account, asset, isolatedInstrument);
            equity = now.equity;
            maintenance = now.maintenanceMargin;
        }
        if (equity < 0 && !hasPositions(account, asset, isolatedInstrument)) {
            coverDeficit(account, asset, isolatedInstrument, -equity);
            now = measure(account, asset, isolatedInstrument);
            equity = now.equity;
            maintenance = now.maintenanceMargin;
        }
        events.liquidationEnded(sequence, timestamp, account, asset, isolatedInstrument, equity, maintenance);
    }

    /** Maintenance margin x (1 + buffer), rounded up. */
    private long target(long maintenance) {
        return maintenance + FixedPoint.mulDivCeil(maintenance, config.targetBufferPpm(), FixedPoint.PPM);
    }

    private void cancelOrders(long account, int asset, int isolatedInstrument) {
        instrumentScratch = margin.activeInstruments(account, instrumentScratch);
        int count = margin.activeCount();
        Arrays.sort(instrumentScratch, 0, count);
        for (int k = 0; k < count; k++) {
            int instrument = instrumentScratch[k];
            boolean isolated = margin.marginMode(account, instrument) == MarginMode.ISOLATED;
            boolean ours = isolatedInstrument >= 0 ? instrument == isolatedInstrument
                    : clearings[instrument].asset() == asset && !isolated;
            if (ours && books[instrument].openOrders(account) > 0) {
                books[instrument].setContext(sequence, timestamp);
                books[instrument].cancelAll(account);
            }
        }
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
     * close can cost, covers the remaining maintenance margin x (1 + buffer), assuming the position's margin falls in
     * proportion to its size (exact within a tier); at least one lot; at most the step notional and the instrument's
     * largest order.
     */
    private long lotsToClose(long account, int instrument, long equity, long maintenance) {
        Position position = clearings[instrument].positions().position(account);
        long size = Math.abs(position.size());
        long lots = size;
        long own = maintenanceOf(instrument, position);
        long perUnitRelief = FixedPoint.mulDivFloor(own, FixedPoint.PPM + config.targetBufferPpm() - config.feeCapPpm(),
                FixedPoint.PPM);
        if (equity > 0 && perUnitRelief > 0) {
            // Closing q of |size| lots releases own x q / |size| of maintenance margin and costs at most feeCap of that
            // in fees: (1 + b)(MM - own q/|size|) <= E - feeCap own q/|size| gives the q below.
            long shortfall = Math.max(0, target(maintenance) - equity);
            lots = Math.min(size, Math.max(1, FixedPoint.mulDivCeil(size, shortfall, perUnitRelief)));
        }
        long mark = books[instrument].markPrice();
        long perLot = Math.max(1, Math.multiplyExact(mark, clearings[instrument].positions().minorUnitsPerTickLot()));
        long stepNotional = Math.multiplyExact(config.maxStepUnits(),
                FixedPoint.pow10(ledger.asset(clearings[instrument].asset()).scale()));
        lots = Math.min(lots, Math.max(1, stepNotional / perLot));
        return Math.min(lots, books[instrument].spec().maxQuantity());
    }

    /**
     * The price at which the position's account (cross: everything else held at the mark; isolated: its margin),
     * whose equity is {@code equity} now, has zero equity, rounded to the tick on the safe side (a long sells at or
     * above it, a short buys at or below), within 1 .. the instrument's maximum price.
     */
    private long bankruptcyPrice(long account, int instrument, long equity) {
        Position position = clearings[instrument].positions().position(account);
        long unit = clearings[instrument].positions().minorUnitsPerTickLot();
        long mark = books[instrument].markPrice();
        long collateral = equity - position.unrealizedPnl(mark, unit);
        long numerator = Math.subtractExact(position.openValue(), collateral);
        long denominator = Math.multiplyExact(position.size(), unit);
        long price = position.size() > 0 ? Math.floorDiv(numerator, denominator)
                + (Math.floorMod(numerator, denominator) != 0 ? 1 : 0) : Math.floorDiv(numerator, denominator);
        return Math.max(1, Math.min(price, books[instrument].spec().maxPrice()));
    }

    private void closeStep(long account, int asset, int instrument, long lots, long equity) {
        PositionBook positions = clearings[instrument].positions();
        long size = positions.size(account);
        Side side = size > 0 ? Side.SELL : Side.BUY;
        long bankruptcy = bankruptcyPrice(account, instrument, equity);
        if (bookOrder(account, instrument, side, bankruptcy, lots) > 0) {
            return;
        }
        if (backstop(account, instrument, side, bankruptcy, lots)) {
            return;
        }
        long fund = ledger.balance(SystemAccounts.INSURANCE_FUND, asset);
        if (fund > 0) {
            long perTick = Math.multiplyExact(lots, positions.minorUnitsPerTickLot());
            long slack = fund / perTick;
            long worst = side == Side.SELL ? Math.max(1, bankruptcy - slack)
                    : Math.min(books[instrument].spec().maxPrice(), bankruptcy + slack);
            if (worst != bankruptcy && bookOrder(account, instrument, side, worst, lots) > 0) {
                return;
            }
        }
        autoDeleverage(account, asset, instrument, side, bankruptcy, lots);
    }

    /** An IOC reduce-only liquidation order; returns the lots filled. */
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
     * A fill of a liquidation order, after its PnL was settled: charges the liquidation fee on its notional, capped at
     * {@code feeCap} of the maintenance margin the fill releases and at the equity left (so the fee never creates a
     * deficit), into the insurance fund, and reports the fill.
     */
    void onFill(Clearing clearing, long account, Side side, long price, long quantity) {
        int instrument = clearing.instrument();
        int asset = clearing.asset();
        long unit = clearing.positions().minorUnitsPerTickLot();
        long notional = Notional.of(quantity, price, unit);
        long fee = config.feePpm() == 0 ? 0 : Fees.charge(notional, config.feePpm());
        long released = maintenanceOf(account, instrument, side == Side.SELL ? quantity : -quantity);
        fee = Math.min(fee, FixedPoint.mulDivFloor(released, config.feeCapPpm(), FixedPoint.PPM));
        boolean isolated = margin.marginMode(account, instrument) == MarginMode.ISOLATED;
        long equity = isolated ? margin.computeIsolated(account, instrument, state).equity
                : margin.compute(account, asset, state).equity;
        fee = Math.max(0, Math.min(fee, equity));
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
     * Closes {@code lots} of the account's position against opposite positions at the bankruptcy price, highest
     * BitMEX rank first (ties: lower account). The counterparties' sides always hold enough: long and short lots are
     * equal in every instrument.
     */
    private void autoDeleverage(long account, int asset, int instrument, Side side, long price, long lots) {
        List<long[]> ranked = rankOpposite(account, instrument, side);
        Clearing clearing = clearings[instrument];
        Side opposite = side == Side.SELL ? Side.BUY : Side.SELL;
        long remaining = lots;
        for (long[] entry : ranked) {
            if (remaining == 0) {
                break;
            }
            long counterparty = entry[0];
            long quantity = Math.min(remaining, Math.abs(clearing.positions().size(counterparty)));
            clearing.transfer(account, side, price, quantity);
            clearing.transfer(counterparty, opposite, price, quantity);
            events.autoDeleveraged(sequence, timestamp, account, counterparty, instrument, side, price, quantity,
                    entry[1]);
            remaining -= quantity;
        }
    }

    /** Opposite-side positions of the instrument as {account, rankPpm}, highest rank first, ties by account. */
    private List<long[]> rankOpposite(long account, int instrument, Side closingSide) {
        List<long[]> ranked = new ArrayList<>();
        boolean wantShorts = closingSide == Side.SELL;
        for (Position position : clearings[instrument].positions().sortedPositions()) {
            if (position.account() == account || (position.size() < 0) != wantShorts) {
                continue;
            }
            ranked.add(new long[] {position.account(), adlRankPpm(position.account(), instrument, position)});
        }
        ranked.sort((a, b) -> a[1] != b[1] ? Long.compare(b[1], a[1]) : Long.compare(a[0], b[0]));
        return ranked;
    }

    /**
     * BitMEX's ADL rank in ppm: PnL% x effective leverage when PnL% > 0, else PnL% / effective leverage, where
     * PnL% = unrealised PnL / |entry value| and effective leverage = |mark value| / equity (mark value minus
     * bankrupt value is the equity). An account with no positive equity ranks first among the profitable.
     */
    long adlRankPpm(long account, int instrument, Position position) {
        long unit = clearings[instrument].positions().minorUnitsPerTickLot();
        long mark = books[instrument].markPrice();
        long pnl = position.unrealizedPnl(mark, unit);
        long entry = Math.abs(position.openValue());
        long markValue = position.notional(mark, unit);
        boolean isolated = margin.marginMode(account, instrument) == MarginMode.ISOLATED;
        long equity = isolated ? margin.computeIsolated(account, instrument, state).equity
                : margin.compute(account, clearings[instrument].asset(), state).equity;
        long pnlPpm = entry == 0 ? 0 : FixedPoint.mulDivFloor(pnl, FixedPoint.PPM, entry);
        if (equity <= 0 || markValue == 0) {
            return pnlPpm > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return pnlPpm > 0 ? FixedPoint.mulDivFloor(pnlPpm, markValue, equity)
                : FixedPoint.mulDivFloor(pnlPpm, equity, markValue);
    }

    /**
     * Pays a deficit: the insurance fund as far as it can, then the venue's fee pool. For an isolated position the
     * payment goes into its isolated margin.
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

    /** ADL quantile 1..5 of the account's position (5 = deleveraged first), 0 when flat. O(positions): a query. */
    int adlQuantile(long account, int instrument) {
        PositionBook positions = clearings[instrument].positions();
        Position own = positions.position(account);
        if (own == null || books[instrument].markPrice() == 0) {
            return 0;
        }
        long rank = adlRankPpm(account, instrument, own);
        int same = 0;
        int notAbove = 0;
        for (Position position : positions.sortedPositions()) {
            if ((position.size() > 0) == (own.size() > 0)) {
                same++;
                if (adlRankPpm(position.account(), instrument, position) <= rank) {
                    notAbove++;
                }
            }
        }
        return (int) Math.max(1, (5L * notAbove + same - 1) / same);
    }

    void hashState(StateHasher hasher) {
        hasher.add(nextOrderId);
    }
}
