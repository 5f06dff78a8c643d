package io.meridian.risk;

import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.risk.MarginEngine.MarginState;
import io.meridian.risk.margin.Fees;
import io.meridian.risk.margin.Notional;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The checks of the {@link MarginEngine} that keep an account solvent before a command changes anything (check, then
 * apply; the rules are in the margin engine's class documentation): a new order, a leverage change, and a withdrawal
 * of the settlement asset or of a collateral asset. A check changes nothing but the account's active list and, for an
 * order in an isolated position, the pending top-up ({@link IsolatedMargins}); a leverage change is applied here once
 * it passes.
 *
 * <p>Engine thread only. {@link #checkOrder} runs for every order; it allocates only when an account is first seen or
 * grows its active list.
 */
final class PreTradeChecks {
    private final MarginEngine.Venue venue;
    private final InstrumentRisk[] instruments;
    private final Long2ObjectHashMap<RiskAccount> accounts;
    private final CollateralTable collateral;
    private final MarginCalculator margins;
    private final IsolatedMargins isolated;
    private final MarginState scratch = new MarginState();

    PreTradeChecks(MarginEngine.Venue venue, InstrumentRisk[] instruments, Long2ObjectHashMap<RiskAccount> accounts,
                   CollateralTable collateral, MarginCalculator margins, IsolatedMargins isolated) {
        this.venue = venue;
        this.instruments = instruments;
        this.accounts = accounts;
        this.collateral = collateral;
        this.margins = margins;
        this.isolated = isolated;
    }

    /** See {@link MarginEngine#checkOrder}. */
    RejectReason checkOrder(long account, int instrument, Side side, long quantity, long orderPrice, boolean reduceOnly) {
        return check(account, instrument, side, quantity, quantity, orderPrice, reduceOnly);
    }

    /** See {@link MarginEngine#checkAmend}. */
    RejectReason checkAmend(long account, int instrument, Side side, long added, long moved, long newPrice,
                            boolean reduceOnly) {
        return check(account, instrument, side, added, moved, newPrice, reduceOnly);
    }

    /**
     * The check of {@code added} lots more on {@code side} (raising the worst case, the initial margin) of which
     * {@code moved} lots (at least {@code added}) may fill at {@code orderPrice} (the fee and the open loss): a new
     * order adds and moves its quantity, an amend adds its increase and moves its whole remainder when its price
     * moved towards the other side.
     */
    private RejectReason check(long account, int instrument, Side side, long added, long moved, long orderPrice,
                               boolean reduceOnly) {
        isolated.clearPendingTopUp();
        if (reduceOnly) {
            return null;
        }
        InstrumentRisk risk = instruments[instrument];
        boolean external = risk.margining != InstrumentRisk.MODEL && margins.isExternallyMargined(account, instrument);
        long price = margins.priceFor(instrument, orderPrice);
        long unit = risk.positions.minorUnitsPerTickLot();
        long limit = orderPrice > 0 ? orderPrice : price;
        long worseBy = side == Side.BUY ? limit - price : price - limit;
        long openLoss = worseBy > 0 ? Notional.of(moved, worseBy, unit) : 0;
        // A price move alone (an amend adding nothing) in the model's margin neither raises the worst case nor carries
        // an open loss unless it passes the reference price: decided before the account's position and resting totals
        // are read, since a market maker's quotes move on every tick.
        if (added == 0 && !external && openLoss == 0) {
            return null;
        }
        long size = risk.positions.size(account);
        long buys = venue.restingLots(account, instrument, Side.BUY);
        long sells = venue.restingLots(account, instrument, Side.SELL);
        long worstBefore = MarginCalculator.worstCase(size, buys, sells);
        long worstAfter = side == Side.BUY ? MarginCalculator.worstCase(size, buys + added, sells)
                : MarginCalculator.worstCase(size, buys, sells + added);
        // An option's requirement depends on the side of the position, not only its size (long 5 -> short 5 costs
        // margin): only an order that can do nothing but reduce the position passes unchecked.
        boolean raisesRisk = external ? !reducesOnly(size, buys, sells, side, added) : worstAfter > worstBefore;
        // What does not raise the risk passes, so that an under-margined account can still cut it; but lots moved to
        // a price worse than the reference could fill at a loss at once (one's own resting order on the other side
        // buys it), so a move that carries an open loss is checked even when it adds nothing.
        if (!raisesRisk && (moved == added || openLoss == 0)) {
            return null;
        }
        if (raisesRisk) {
            if (risk.positionLimit > 0 && worstAfter > risk.positionLimit) {
                return RejectReason.POSITION_LIMIT;
            }
            if (!external && margins.leverage(account, instrument)
                    > risk.listedModel.maxLeverage(worstAfter, Notional.of(worstAfter, price, unit))) {
                return RejectReason.LEVERAGE_ABOVE_TIER_MAX;
            }
        }
        // The instrument must be in the account's active list for compute() to include the new order; a rejected order
        // leaves a stale entry, which compute() drops later.
        RiskAccount.of(accounts, account).activate(instrument);
        // Each fill's fee is rounded up on its own: up to one minor unit more per fill, and a fill is at least one lot.
        long fee = Math.addExact(Fees.charge(Notional.of(moved, Math.max(price, limit), unit), risk.takerFeePpm),
                moved);
        if (margins.isIsolated(account, instrument)) {
            MarginState position = margins.computeIsolated(account, instrument, side, added, orderPrice, scratch);
            long shortfall = Math.addExact(Math.addExact(position.initialMargin, fee), openLoss) - position.equity;
            if (shortfall <= 0) {
                return null;
            }
            if (shortfall > margins.freeCrossMargin(account, risk.asset)) {
                return RejectReason.INSUFFICIENT_MARGIN;
            }
            isolated.setPendingTopUp(account, instrument, shortfall);
            return null;
        }
        MarginState state = margins.compute(account, risk.asset, instrument, side, added, orderPrice, -1, scratch);
        long cover = Math.subtractExact(Math.subtractExact(state.equity, fee), openLoss);
        return cover >= state.initialMargin ? null : RejectReason.INSUFFICIENT_MARGIN;
    }

    /** True when the order, and every resting order on its side, can only bring the position towards zero. */
    private static boolean reducesOnly(long size, long buys, long sells, Side side, long quantity) {
        return side == Side.SELL ? size - sells - quantity >= 0 : size + buys + quantity <= 0;
    }

    /** See {@link MarginEngine#setLeverage}: checks the change and, when it passes, records it. */
    RejectReason setLeverage(long account, int instrument, int leverage) {
        InstrumentRisk risk = instruments[instrument];
        long price = venue.referencePrice(instrument);
        long unit = risk.positions.minorUnitsPerTickLot();
        if (leverage < 1 || leverage > risk.listedModel.maxLeverage(1, Notional.of(1, price, unit))) {
            return RejectReason.INVALID_LEVERAGE;
        }
        long worst = MarginCalculator.worstCase(risk.positions.size(account),
                venue.restingLots(account, instrument, Side.BUY), venue.restingLots(account, instrument, Side.SELL));
        if (leverage > risk.listedModel.maxLeverage(worst, Notional.of(worst, price, unit))) {
            return RejectReason.LEVERAGE_ABOVE_TIER_MAX;
        }
        MarginState state = margins.compute(account, risk.asset, instrument, Side.BUY, 0, 0, leverage, scratch);
        if (state.equity < state.initialMargin && leverage < margins.leverage(account, instrument)) {
            return RejectReason.INSUFFICIENT_MARGIN;
        }
        RiskAccount riskAccount = RiskAccount.of(accounts, account);
        riskAccount.activate(instrument);
        riskAccount.leverage.put(instrument, leverage);
        return null;
    }

    /** See {@link MarginEngine#withdrawalReserve}. */
    long withdrawalReserve(long account, int asset) {
        MarginState state = margins.compute(account, asset, -1, null, 0, 0, -1, scratch);
        return venue.balance(account, asset) - state.withdrawable();
    }

    /** See {@link MarginEngine#checkCollateralWithdrawal}. */
    RejectReason checkCollateralWithdrawal(long account, int asset, long amount) {
        collateral.beginWithdrawal(asset, amount);
        try {
            for (int settlement = 0; settlement < collateral.settlementLimit(); settlement++) {
                if (collateral.backs(asset, settlement)) {
                    MarginState state = margins.compute(account, settlement, -1, null, 0, 0, -1, scratch);
                    if (state.equity < state.initialMargin) {
                        return RejectReason.WITHDRAWAL_BREACHES_MARGIN;
                    }
                }
            }
            return null;
        } finally {
            collateral.endWithdrawal();
        }
    }
}
