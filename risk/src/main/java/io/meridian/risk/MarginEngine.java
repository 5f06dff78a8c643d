package io.meridian.risk;

import io.meridian.model.MarginMode;
import io.meridian.model.RejectReason;
import io.meridian.model.RestingTotals;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.risk.margin.Health;
import io.meridian.risk.margin.MarginModel;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * Cross-margin accounting per account and settlement asset: equity, initial and maintenance margin, health, and
 * the checks that keep an account solvent before anything is applied (check, then apply): new orders, leverage
 * changes and withdrawals.
 *
 * <p><b>Formulas</b> (docs/risk.md has worked examples). For every instrument the account is active in, settled in
 * the asset, valued at the instrument's reference price {@code P} (mark, else last trade):
 * <ul>
 * <li>equity = balance + sum of unrealised PnL at {@code P};</li>
 * <li>before an instrument has a mark or a trade, {@code P} is the highest average price of the account's resting
 * orders on either side (and the new order's price), so orders on a fresh market still need margin;</li>
 * <li>worst-case size = max(|size + resting buys|, |size - resting sells|), the position if every resting order on
 * one side filled;</li>
 * <li>initial margin = sum of {@code model.initialMargin(worst, worst x P x unit, leverage)};</li>
 * <li>maintenance margin = sum of {@code model.maintenanceMargin(size, |size| x P x unit)};</li>
 * <li>health = 100 x (1 - maintenance / equity), clamped to 0..100.</li>
 * </ul>
 * A new order passes when it does not increase the worst-case size of its instrument, or when
 * equity - fee - open loss covers the initial margin with the order added, where the fee is the taker fee on the
 * order at max(P, limit) plus one minor unit per lot (each fill rounds its fee up on its own) and the open loss is
 * what filling at the limit instead of at {@code P} would cost
 * (max(0, limit - P) per lot for a buy, max(0, P - limit) for a sell). Fills happen at the limit or better, so the
 * account still covers its initial margin at {@code P} after the order's own fills. Reduce-only orders always pass
 * (matching guarantees they cannot increase exposure).
 *
 * <p><b>Collateral in other assets.</b> An asset registered as collateral for a settlement asset
 * ({@link #setCollateral}) adds {@code floor(floor(balance x price / 10^scale) x weight / 1e6)} to the cross equity
 * of that settlement asset, for positive balances: value rounded down, against the account. It backs margin but is
 * not cash: withdrawals of the settlement asset are limited to its own balance, and withdrawing the collateral asset
 * is limited by every settlement asset it backs ({@link #checkCollateralWithdrawal}).
 *
 * <p><b>Isolated margin.</b> A position in {@link MarginMode#ISOLATED} mode has its own margin, a partition of the
 * account's ledger balance: the cross state sees {@code balance - isolated margins}, and the isolated position's
 * equity is {@code isolated margin + its unrealised PnL}, which its own initial and maintenance margin are measured
 * against. A new order in an isolated position first tops its margin up from the cross account's free margin to cover
 * the order's initial margin, fee and open loss ({@link #applyPendingTopUp}); realised PnL and fees of its fills move
 * its margin ({@link #onIsolatedCashflow}); when it is flat with no resting orders its margin returns to the cross
 * balance ({@link #releaseIdleIsolated}).
 *
 * <p><b>Options.</b> Instruments registered with {@link #setExternalMargin} (options; for accounts in portfolio
 * margin, also the futures margined with them) add their unrealised PnL to equity like any position, but their initial
 * and maintenance margin come from the engine's {@link PortfolioRisk} rather than a model; a new order on them is
 * checked unless it can only reduce the position (an option's requirement depends on its side, not only its size),
 * and they have no liquidation price.
 *
 * <p><b>Cost.</b> O(instruments the account is active in); nothing here scans other accounts. Accounts record the
 * instruments they touched; stale entries (flat, no resting orders, default leverage) are dropped as they are met.
 *
 * <p><b>Structure.</b> This class owns the accounts' records and registrations and is the one entry point; the work is
 * done by package-private parts that share its state by reference: {@link MarginCalculator} (the formulas above, the
 * hot loop), {@link PreTradeChecks} (orders, leverage, withdrawals), {@link IsolatedMargins} (isolated-margin
 * bookkeeping) and {@link CollateralTable} (collateral valuation).
 *
 * <p><b>Threading.</b> Engine thread only. Allocates only when an account is first seen or grows its active list.
 */
public final class MarginEngine {
    /** What the margin engine reads from the rest of the venue, on the engine thread. */
    public interface Venue {
        /** The account's ledger balance of the asset, in minor units. */
        long balance(long account, int asset);

        /** The price positions of the instrument are valued at, in ticks: mark, else last trade, else 0. */
        long referencePrice(int instrument);

        /** Lots the account's resting orders in the instrument still offer on {@code side}. */
        long restingLots(long account, int instrument, Side side);

        /**
         * The account's resting totals in the instrument as a live view that stays valid and current (see
         * {@link RestingTotals}), or null while it has never had an order there.
         */
        RestingTotals restingTotals(long account, int instrument);

        /**
         * A count that changes whenever some account gets its first {@link #restingTotals} view in the instrument:
         * while it is unchanged, an account that had none still has none.
         */
        long restingTotalsMade(int instrument);
    }

    /**
     * The margin state of one account in one asset (cross) or of one isolated position; a mutable holder filled by
     * {@link #compute} or {@link #computeIsolated}. For cross, {@code balance} is the ledger balance less the isolated
     * margins; for an isolated position, its isolated margin.
     */
    public static final class MarginState {
        public long balance;
        public long unrealizedPnl;
        public long equity;
        public long initialMargin;
        public long maintenanceMargin;
        public int health;

        void clear() {
            balance = 0;
            unrealizedPnl = 0;
            equity = 0;
            initialMargin = 0;
            maintenanceMargin = 0;
            health = 0;
        }

        /** What may leave the account without breaching initial margin: min(balance, equity - initial margin). */
        public long withdrawable() {
            return Math.max(0, Math.min(balance, equity - initialMargin));
        }
    }

    /**
     * Margin of positions that a per-instrument {@link MarginModel} cannot express, supplied by the engine
     * (at construction): options, whose requirement depends on the sign of the position and on the other
     * options of the same underlying, and, for accounts in portfolio margin, the futures margined together with them
     * ({@link #setExternalMargin}). Such instruments still add their unrealised PnL at the reference price to equity;
     * their initial and maintenance margin come from here instead of the model. One computation at a time: begin,
     * add per instrument, finish.
     */
    public interface PortfolioRisk {
        /** True when the account is in portfolio margin (instruments registered as portfolio-only count then). */
        boolean isPortfolio(long account);

        /** Starts one computation: the account's requirement in the settlement asset. */
        void begin(long account, int asset);

        /** One instrument of the computation: the signed position and the resting lots, the order checked included. */
        void add(int instrument, long size, long buys, long sells);

        /** Adds the initial and maintenance margin of everything added since {@link #begin} to {@code out}. */
        void finish(MarginState out);
    }

    private final InstrumentRisk[] instruments;
    private final Long2ObjectHashMap<RiskAccount> accounts = new Long2ObjectHashMap<>(1024, 0.5f);
    private final CollateralTable collateral;
    private final MarginCalculator margins;
    private final IsolatedMargins isolated;
    private final PreTradeChecks checks;
    private int activeCount;

    /**
     * A margin engine over the venue's instruments (ids below {@code maxInstruments}); {@code portfolioRisk} margins
     * the instruments later registered as externally margined ({@link #setExternalMargin}), or is null for a venue
     * that has none. Both are given here, so nothing is installed afterwards.
     */
    public MarginEngine(Venue venue, int maxInstruments, PortfolioRisk portfolioRisk) {
        this.instruments = new InstrumentRisk[maxInstruments];
        this.collateral = new CollateralTable(venue);
        this.margins = new MarginCalculator(venue, instruments, accounts, collateral, portfolioRisk);
        this.isolated = new IsolatedMargins(venue, instruments, accounts, margins);
        this.checks = new PreTradeChecks(venue, instruments, accounts, collateral, margins, isolated);
    }

    /**
     * Registers an instrument: its settlement asset, margin model, positions, taker fee (for the worst-case fee of a
     * new order) and the leverage accounts get until they choose one (at most the model's maximum for a small
     * position), and the largest worst-case position in lots an account may build (0 = no limit).
     */
    public void addInstrument(int instrument, int asset, MarginModel model, PositionBook positions, long takerFeePpm,
                              int defaultLeverage, long positionLimit) {
        instruments[instrument] = new InstrumentRisk(asset, model, positions, takerFeePpm,
                defaultLeverage, positionLimit);
    }

    /**
     * New risk limits (a risk multiplier, docs/risk.md): {@code inForce} margins positions, {@code listed} (the model
     * registered; a restore corrects it here) checks leverage choices, so a multiplier leaves them valid (the scaled
     * initial rate binds), {@code positionLimit} (lots, 0 = none) caps new positions. The caller re-measures accounts.
     */
    public void setRiskLimits(int instrument, MarginModel listed, MarginModel inForce, long positionLimit) {
        instruments[instrument] = instruments[instrument].withLimits(listed, inForce, positionLimit);
    }

    /** The position limit in force of a registered instrument (lots, 0 = none). */
    public long positionLimit(int instrument) {
        return instruments[instrument].positionLimit;
    }

    /**
     * Margins a registered instrument's cross positions by the {@link PortfolioRisk}: {@code always} (an option), or
     * only for accounts in portfolio margin (a future margined together with the options on its index). Such positions
     * skip the model's leverage tiers and have no liquidation price ({@link #liquidationPrice}): the engine checks
     * them itself.
     */
    public void setExternalMargin(int instrument, boolean always) {
        if (margins.portfolioRisk == null) {
            throw new IllegalStateException("this margin engine was built without a portfolio risk");
        }
        instruments[instrument].margining = always ? InstrumentRisk.EXTERNAL_ALWAYS : InstrumentRisk.EXTERNAL_IN_PORTFOLIO;
    }

    /** True when the account's cross position in the instrument is margined by the {@link PortfolioRisk}. */
    public boolean isExternallyMargined(long account, int instrument) {
        return margins.isExternallyMargined(account, instrument);
    }

    /**
     * Tells that a fill or transfer changed the account's position in the instrument (the engine calls it for each,
     * right after the position book applied it): the position the account's record keeps there is looked up again.
     * O(instruments the account has touched).
     */
    public void onPositionChanged(long account, int instrument) {
        RiskAccount risk = accounts.get(account);
        if (risk != null) {
            risk.forgetPosition(instrument);
        }
    }

    /** Records that the account has, or may soon have, a position or resting orders in the instrument. */
    public void touch(long account, int instrument) {
        RiskAccount.of(accounts, account).activate(instrument);
    }

    /** The account's leverage in the instrument: its choice, else the instrument's default. */
    public int leverage(long account, int instrument) {
        return margins.leverage(account, instrument);
    }

    /** Fills {@code out} with the account's margin state in {@code asset} and returns it. */
    public MarginState compute(long account, int asset, MarginState out) {
        return margins.compute(account, asset, -1, null, 0, 0, -1, out);
    }

    /**
     * The pre-trade check for a new order of {@code quantity} lots on {@code side}, valued at the instrument's
     * reference price, or at {@code orderPrice} while the instrument has none. Rejects, in order:
     * {@code POSITION_LIMIT} (the worst-case position would exceed the instrument's limit),
     * {@code LEVERAGE_ABOVE_TIER_MAX} (the account's leverage exceeds the maximum of the tier the worst-case position
     * would reach) and {@code INSUFFICIENT_MARGIN}. Returns null when the order may be placed; for an isolated
     * position the top-up it needs is then pending until {@link #applyPendingTopUp}.
     */
    public RejectReason checkOrder(long account, int instrument, Side side, long quantity, long orderPrice,
                                   boolean reduceOnly) {
        return checks.checkOrder(account, instrument, side, quantity, orderPrice, reduceOnly);
    }

    /**
     * The pre-trade check for an amend of a resting or waiting order on {@code side}: {@code added} lots more than
     * the order had (0 when it is not larger) raise the worst case as a new order's would, and {@code moved} lots
     * (at least {@code added}; the whole new remainder when the price moved towards the other side) may fill at
     * {@code newPrice}: the taker fee and the open loss of those. An amend that adds nothing passes unless its moved
     * lots carry an open loss (a buy moved above the reference price, a sell below): filled at once against one's own
     * order on the other side, that loss would be value taken out of the account past its margin. Rejects as
     * {@link #checkOrder}; an isolated position's top-up is left pending (the caller discards it: amends do not top
     * up).
     */
    public RejectReason checkAmend(long account, int instrument, Side side, long added, long moved, long newPrice,
                                   boolean reduceOnly) {
        return checks.checkAmend(account, instrument, side, added, moved, newPrice, reduceOnly);
    }

    /**
     * Changes the account's leverage in the instrument. Rejects {@code INVALID_LEVERAGE} (below 1, or above the
     * model's maximum for a one-lot position), {@code LEVERAGE_ABOVE_TIER_MAX} (above the maximum of the tier its
     * current worst-case position is in), and {@code INSUFFICIENT_MARGIN} (the higher initial margin would not be
     * covered).
     */
    public RejectReason setLeverage(long account, int instrument, int leverage) {
        return checks.setLeverage(account, instrument, leverage);
    }

    /**
     * Moves the isolated-margin top-up that the last accepted {@link #checkOrder} computed out of the cross balance,
     * right before the order is placed; a no-op when there is none. Returns the amount moved.
     */
    public long applyPendingTopUp() {
        return isolated.applyPendingTopUp();
    }

    /** Drops the pending top-up without moving anything and returns its amount (0 when there was none). */
    public long discardPendingTopUp() {
        return isolated.discardPendingTopUp();
    }

    public MarginMode marginMode(long account, int instrument) {
        return margins.isIsolated(account, instrument) ? MarginMode.ISOLATED : MarginMode.CROSS;
    }

    /** The isolated margin of the position (0 for a cross position). */
    public long isolatedMargin(long account, int instrument) {
        return isolated.isolatedMargin(account, instrument);
    }

    /**
     * Switches the position's margin mode. Only while the position is flat with no open orders
     * ({@code hasOpenOrders} says whether it has any, conditional ones included): {@code MARGIN_MODE_LOCKED}.
     */
    public RejectReason setMarginMode(long account, int instrument, MarginMode mode, boolean hasOpenOrders) {
        return isolated.setMarginMode(account, instrument, mode, hasOpenOrders);
    }

    /**
     * Adds margin to an isolated position from the cross account's free margin ({@code amount > 0}) or takes it back
     * ({@code amount < 0}). Rejects {@code NOT_ISOLATED}, {@code INVALID_AMOUNT} (0), {@code INSUFFICIENT_MARGIN}
     * (the cross account cannot spare it) and {@code ISOLATED_MARGIN_BREACH} (the position would fall below its
     * initial margin, or its margin below zero).
     */
    public RejectReason adjustIsolatedMargin(long account, int instrument, long amount) {
        return isolated.adjustIsolatedMargin(account, instrument, amount);
    }

    /** Realised PnL net of fees of a fill in an isolated position stays in (or comes out of) its margin. */
    public void onIsolatedCashflow(long account, int instrument, long amount) {
        isolated.onIsolatedCashflow(account, instrument, amount);
    }

    /**
     * Returns the margin of the account's isolated positions that are flat with no resting orders to its cross
     * balance. The engine calls it at the end of every command for the accounts the command touched, so that the
     * moment is the same on every replica.
     */
    public void releaseIdleIsolated(long account) {
        isolated.releaseIdleIsolated(account);
    }

    /**
     * Copies the instruments the account holds in isolated mode, or has isolated margin in, into {@code out} (grown
     * when too small) and returns {@code out}; {@link #isolatedCount} tells how many are valid. No particular order.
     */
    public int[] isolatedInstruments(long account, int[] out) {
        return isolated.isolatedInstruments(account, out);
    }

    /**
     * Copies the instruments the account is active in (a position, resting orders, a setting or isolated margin) into
     * {@code out} (grown when too small) and returns {@code out}; {@link #activeCount} tells how many are valid. No
     * particular order; may include instruments where the account is now flat.
     */
    public int[] activeInstruments(long account, int[] out) {
        RiskAccount risk = accounts.get(account);
        activeCount = 0;
        if (risk == null) {
            return out;
        }
        int[] result = out.length >= risk.activeCount ? out : Arrays.copyOf(out, risk.activeCount);
        System.arraycopy(risk.active, 0, result, 0, risk.activeCount);
        activeCount = risk.activeCount;
        return result;
    }

    /** How many entries the last {@link #activeInstruments} call filled. */
    public int activeCount() {
        return activeCount;
    }

    /** How many entries the last {@link #isolatedInstruments} call filled. */
    public int isolatedCount() {
        return isolated.isolatedCount();
    }

    /** Fills {@code out} with the isolated position's margin state and returns it. */
    public MarginState computeIsolated(long account, int instrument, MarginState out) {
        return margins.computeIsolated(account, instrument, Side.BUY, 0, 0, out);
    }

    /**
     * The liquidation price in ticks of the account's position in the instrument, holding everything else in the
     * cross account constant (balance, the other positions' PnL and maintenance margin):
     * {@link Health#NO_LIQUIDATION_PRICE} when flat or never liquidated; see {@link Health#liquidationPrice}.
     */
    public long liquidationPrice(long account, int instrument) {
        return margins.liquidationPrice(account, instrument);
    }

    /**
     * The amount of {@code asset} the account must keep so that a withdrawal leaves equity covering its initial
     * margin and its isolated margins untouched: ledger balance - {@link MarginState#withdrawable()}. The ledger
     * rejects a withdrawal above balance - reserve.
     */
    public long withdrawalReserve(long account, int asset) {
        return checks.withdrawalReserve(account, asset);
    }

    /**
     * Feeds the collateral table, then every account's isolated positions and chosen leverages into the hasher, by
     * ascending account and instrument.
     */
    public void hashState(StateHasher hasher) {
        collateral.hash(hasher);
        long[] ids = new long[accounts.size()];
        int n = 0;
        Long2ObjectHashMap<RiskAccount>.KeyIterator keys = accounts.keySet().iterator();
        while (keys.hasNext()) {
            ids[n++] = keys.nextLong();
        }
        Arrays.sort(ids);
        for (long id : ids) {
            accounts.get(id).hash(hasher, id);
        }
    }

    /**
     * Registers (or re-prices) {@code asset} as collateral for positions settled in {@code settlementAsset}:
     * {@code price} settlement minor units per whole unit of the asset ({@code 10^scale} minor units), counted at
     * {@code weightPpm}. The caller has checked that both assets exist and the values are in range.
     *
     * @return true when the asset's collateral value changed (new, or another price or weight): the equity of every
     *         account holding it changed with it
     */
    public boolean setCollateral(int asset, int scale, int settlementAsset, long price, long weightPpm) {
        return collateral.set(asset, scale, settlementAsset, price, weightPpm);
    }

    /** What the account's balances in other assets add to its equity in {@code settlementAsset}. */
    public long collateralValue(long account, int settlementAsset) {
        return collateral.value(account, settlementAsset);
    }

    /**
     * Whether {@code amount} of {@code asset} may leave the account as far as the asset's role as collateral goes:
     * every settlement asset it backs must still have equity covering its initial margin without it
     * ({@code WITHDRAWAL_BREACHES_MARGIN} otherwise). Null when allowed or when the asset backs nothing.
     */
    public RejectReason checkCollateralWithdrawal(long account, int asset, long amount) {
        return checks.checkCollateralWithdrawal(account, asset, amount);
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Format version of {@link #writeSnapshot}; a reader for every earlier version stays in {@link #readSnapshot}. */
    public static final int SNAPSHOT_VERSION = 1;

    /** Where a restore finds the engine's part of each registered instrument. */
    public interface Instruments {
        /** The instrument's margin model, or null when the engine has no such instrument. */
        MarginModel model(int instrument);

        /** The instrument's positions, or null when the engine has no such instrument. */
        PositionBook positions(int instrument);
    }

    /**
     * Writes the margin state (version {@value #SNAPSHOT_VERSION}): per registered instrument (id order) its settlement
     * asset, taker fee for checks, default leverage, position limit and how it is margined (model, or the portfolio
     * risk always or in portfolio margin); per account (map order) its active instruments in their order (which is the
     * order of its isolated positions' events), its chosen leverages, and its isolated instruments and margins (each
     * written as absent, empty or its members: the state hash tells an account that never used isolated margin from
     * one that did); then the collateral table, per settlement asset its collateral in registration order. Within a
     * command's checks there is scratch state (a pending isolated top-up, a collateral withdrawal being checked), which
     * no command leaves behind and which is not written.
     */
    public void writeSnapshot(SnapshotWriter out) {
        int registered = 0;
        for (InstrumentRisk risk : instruments) {
            registered += risk == null ? 0 : 1;
        }
        out.writeCount(registered);
        for (int id = 0; id < instruments.length; id++) {
            InstrumentRisk risk = instruments[id];
            if (risk == null) {
                continue;
            }
            out.writeCount(id);
            out.writeVarInt(risk.asset);
            out.writeVarLong(risk.takerFeePpm);
            out.writeVarInt(risk.defaultLeverage);
            out.writeVarLong(risk.positionLimit);
            out.writeByte(risk.margining);
        }
        out.writeCount(accounts.size());
        accounts.forEachLong((id, account) -> writeAccount(out, id, account));
        collateral.writeSnapshot(out);
    }

    private static void writeAccount(SnapshotWriter out, long id, RiskAccount account) {
        out.writeVarLong(id);
        out.writeCount(account.activeCount);
        for (int i = 0; i < account.activeCount; i++) {
            out.writeCount(account.active[i]);
        }
        out.writeCount(account.leverage.size());
        account.leverage.forEachInt((instrument, leverage) -> {
            out.writeCount(instrument);
            out.writeVarInt(leverage);
        });
        if (account.isolated == null) {
            out.writeCount(0);
        } else {
            out.writeCount(account.isolated.size() + 1L);
            account.isolated.forEachInt(out::writeCount);
        }
        if (account.isolatedMargin == null) {
            out.writeCount(0);
        } else {
            out.writeCount(account.isolatedMargin.size() + 1L);
            account.isolatedMargin.forEachLong((instrument, margin) -> {
                out.writeCount(instrument);
                out.writeVarLong(margin);
            });
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into this margin engine, which must be new (no instrument, account or
     * collateral yet); the engine's instruments come from {@code parts}. Refuses instruments the engine does not have or
     * that are named twice, and accounts or collateral naming unregistered instruments.
     */
    public void readSnapshot(SnapshotReader in, Instruments parts) {
        if (!accounts.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into a new margin engine only");
        }
        for (InstrumentRisk risk : instruments) {
            if (risk != null) {
                throw new IllegalStateException("a snapshot is restored into a new margin engine only");
            }
        }
        int registered = in.readCount(6);
        for (int i = 0; i < registered; i++) {
            int id = in.readIndex(instruments.length, "instrument");
            int asset = in.readVarInt();
            long takerFeePpm = in.readVarLong();
            int defaultLeverage = in.readVarInt();
            long positionLimit = in.readVarLong();
            int margining = in.readByte();
            MarginModel model = parts.model(id);
            PositionBook positions = parts.positions(id);
            if (instruments[id] != null || model == null || positions == null || margining > InstrumentRisk.EXTERNAL_IN_PORTFOLIO
                    || defaultLeverage < 1 || margining != InstrumentRisk.MODEL && margins.portfolioRisk == null) {
                throw in.fail("instrument " + id + " cannot be margined as written");
            }
            InstrumentRisk risk = new InstrumentRisk(asset, model, positions, takerFeePpm, defaultLeverage, positionLimit);
            risk.margining = (byte) margining;
            instruments[id] = risk;
        }
        for (int id = 0; id < instruments.length; id++) {
            if ((instruments[id] != null) != (parts.model(id) != null)) {
                throw in.fail("instrument " + id + " is " + (instruments[id] == null ? "not " : "") + "margined but "
                        + (instruments[id] == null ? "" : "not ") + "listed");
            }
        }
        // The map is shared with the margin engine's parts (by reference), so it grows in place rather than being replaced.
        int count = in.readCount(5);
        for (int i = 0; i < count; i++) {
            long id = in.readVarLong();
            if (accounts.containsKey(id)) {
                throw in.fail("account " + id + " has margin settings twice");
            }
            accounts.put(id, readAccount(in, id));
        }
        collateral.readSnapshot(in);
    }

    private RiskAccount readAccount(SnapshotReader in, long id) {
        RiskAccount account = new RiskAccount();
        int active = in.readCount(1);
        for (int k = 0; k < active; k++) {
            int instrument = registeredInstrument(in);
            if (account.isActive(instrument)) {
                throw in.fail("account " + id + " lists instrument " + instrument + " as active twice");
            }
            account.activate(instrument);
        }
        int leverages = in.readCount(2);
        for (int k = 0; k < leverages; k++) {
            int instrument = registeredInstrument(in);
            int leverage = in.readVarInt();
            if (leverage == 0 || account.leverage.put(instrument, leverage) != 0) {
                throw in.fail("account " + id + ": leverage " + leverage + " in instrument " + instrument);
            }
        }
        int isolatedPlusOne = in.readCount(1);
        if (isolatedPlusOne > 0) {
            account.isolated = new IntHashSet(4);
            for (int k = 0; k < isolatedPlusOne - 1; k++) {
                account.isolated.add(registeredInstrument(in));
            }
        }
        int marginsPlusOne = in.readCount(1);
        if (marginsPlusOne > 0) {
            account.isolatedMargin = new Long2LongHashMap(4, 0.65f, 0L);
            for (int k = 0; k < marginsPlusOne - 1; k++) {
                int instrument = registeredInstrument(in);
                long margin = in.readVarLong();
                if (margin == 0 || account.isolatedMargin.put(instrument, margin) != 0) {
                    throw in.fail("account " + id + ": isolated margin " + margin + " in instrument " + instrument);
                }
            }
        }
        return account;
    }

    private int registeredInstrument(SnapshotReader in) {
        int instrument = in.readIndex(instruments.length, "instrument");
        if (instruments[instrument] == null) {
            throw in.fail("instrument " + instrument + " is not registered");
        }
        return instrument;
    }
}
