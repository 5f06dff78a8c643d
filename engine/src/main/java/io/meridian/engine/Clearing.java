package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.Positions;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Liquidity;
import io.meridian.model.PostingType;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.pricing.FundingRate;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;
import io.meridian.risk.PositionBook;
import io.meridian.risk.margin.Fees;
import io.meridian.risk.margin.Notional;

/**
 * Clears the fills of one instrument: the {@link Positions} hook that the instrument's book calls once per side of
 * every trade. It updates the account's position, settles realised PnL against {@link SystemAccounts#CLEARING} and
 * charges the maker or taker fee of the account's fee tier into {@link SystemAccounts#FEE_POOL} (or pays the maker
 * rebate out of it); for an isolated position, PnL and fees also move its isolated margin. All in
 * the instrument's settlement asset through the ledger, whose postings follow the trade's events.
 *
 * <p>Rounding, always against the account: fees round up, rebates round down; realised PnL rounding is described on
 * {@link io.meridian.risk.Position}. Every amount is an exact number of minor units before it is posted, so the
 * ledger conserves value exactly.
 */
final class Clearing implements Positions {
    /** Told of the position changes of instruments margined with options (their margin legs). */
    interface PositionWatcher {
        /** The account's position in the instrument is now {@code size} lots (fill, transfer or settlement). */
        void positionChanged(int instrument, long account, long size);
    }

    /**
     * The liquidation engine's part in a fill: which fills are its orders' (they pay no trade fee), and what such a
     * fill does (the liquidation fee, the fund's unwind). All the clearing knows of the liquidation engine.
     */
    interface LiquidationFills {
        boolean isLiquidationFill(long account, int instrument);

        void onFill(Clearing clearing, long account, Side side, long price, long quantity, long pnl);
    }

    private final PositionBook positions;
    private final Ledger ledger;
    private final int asset;
    private final long minorUnitsPerTickLot;
    private final InstrumentSpec spec;
    private final FeeTiers feeTiers;
    private final TouchedAccounts touched;

    private final MarginEngine margin;
    private final LiquidationFills liquidator;
    private final PositionWatcher watcher;
    /**
     * True once the instrument is an option or a future margined with options: from then on every position change is
     * reported to the watcher. State the listing (or the first pricing of an option table) sets, not wiring.
     */
    private boolean reportsPositions;

    Clearing(InstrumentSpec spec, int asset, Ledger ledger, FeeTiers feeTiers, TouchedAccounts touched,
             MarginEngine margin, LiquidationFills liquidator, PositionWatcher watcher) {
        this.spec = spec;
        this.watcher = watcher;
        this.liquidator = liquidator;
        this.margin = margin;
        this.feeTiers = feeTiers;
        this.touched = touched;
        this.minorUnitsPerTickLot = spec.minorUnitsPerTickLot();
        this.positions = new PositionBook(spec.id(), minorUnitsPerTickLot);
        this.ledger = ledger;
        this.asset = asset;
    }

    /** Reports every later position change of this instrument to the watcher (the options' margin accounts). */
    void reportPositions() {
        this.reportsPositions = true;
    }

    PositionBook positions() {
        return positions;
    }

    int asset() {
        return asset;
    }

    int instrument() {
        return spec.id();
    }

    @Override
    public long netPosition(long account) {
        return positions.size(account);
    }

    @Override
    public void onFill(long account, Side side, long price, long quantity, Liquidity liquidity) {
        long pnl = settle(account, side, price, quantity);
        if (liquidator.isLiquidationFill(account, spec.id())) {
            margin.onIsolatedCashflow(account, spec.id(), pnl);
            liquidator.onFill(this, account, side, price, quantity, pnl);
            return;
        }
        long feePpm = liquidity == Liquidity.MAKER ? feeTiers.makerPpm(account, spec) : feeTiers.takerPpm(account, spec);
        long fee = feePpm == 0 ? 0 : Fees.charge(Notional.of(quantity, price, minorUnitsPerTickLot), feePpm);
        if (fee > 0) {
            ledger.post(PostingType.TRADE_FEE, asset, account, SystemAccounts.FEE_POOL, fee);
        } else if (fee < 0) {
            ledger.post(PostingType.MAKER_REBATE, asset, SystemAccounts.FEE_POOL, account, -fee);
        }
        margin.onIsolatedCashflow(account, spec.id(), pnl - fee);
    }

    /**
     * Moves a position between accounts outside the book (backstop transfer, insurance fund takeover,
     * auto-deleveraging): one side of the transfer for {@code account}, with its realised PnL settled like a fill and
     * no fee. Returns the realised PnL.
     */
    long transfer(long account, Side side, long price, long quantity) {
        long pnl = settle(account, side, price, quantity);
        margin.onIsolatedCashflow(account, spec.id(), pnl);
        return pnl;
    }

    /** Applies one side of a trade or transfer to the position and posts its realised PnL; returns the PnL. */
    private long settle(long account, Side side, long price, long quantity) {
        long pnl = positions.applyFill(account, side, price, quantity);
        margin.onPositionChanged(account, spec.id());
        if (reportsPositions) {
            watcher.positionChanged(spec.id(), account, positions.size(account));
        }
        touched.add(account, asset);
        if (pnl > 0) {
            ledger.post(PostingType.REALIZED_PNL, asset, SystemAccounts.CLEARING, account, pnl);
        } else if (pnl < 0) {
            ledger.post(PostingType.REALIZED_PNL, asset, account, SystemAccounts.CLEARING, -pnl);
        }
        return pnl;
    }

    /**
     * Closes the account's whole position at a settlement value instead of a price (an option at expiry): the position
     * closes as if at price 0, which realises minus its cost basis, and {@code value} (signed, minor units: what a long
     * receives, minus what a short pays) is added; the sum is posted as {@code OPTION_SETTLEMENT} against
     * {@link SystemAccounts#CLEARING}. Returns that amount (positive: the account is credited). No fee.
     */
    long closeAtValue(long account, long value) {
        long size = positions.size(account);
        long basis = settle(account, size > 0 ? Side.SELL : Side.BUY, 0, Math.abs(size));
        // settle() posted the basis as realised PnL; the value joins it as the settlement of the contract.
        long amount = Math.addExact(basis, value);
        if (value > 0) {
            ledger.post(PostingType.OPTION_SETTLEMENT, asset, SystemAccounts.CLEARING, account, value);
        } else if (value < 0) {
            ledger.post(PostingType.OPTION_SETTLEMENT, asset, account, SystemAccounts.CLEARING, -value);
        }
        margin.onIsolatedCashflow(account, spec.id(), amount);
        return amount;
    }

    /**
     * Settles one funding interval at {@code rate} (1e-9; positive: longs pay shorts) on every open position valued
     * at {@code markTicks}, in ascending account order. A payer posts {@code ceil(|value| x |rate| / 1e9)} to
     * {@link SystemAccounts#CLEARING}, a receiver is paid {@code floor(...)} from it; since long and short lots are
     * equal and valued at one mark, what payers pay covers what receivers get, and the rounding residue (under one
     * minor unit per position) moves on to {@link SystemAccounts#FEE_POOL}, so CLEARING is left as it was. Isolated
     * positions pay from and receive into their isolated margin. A payer's balance may go below zero: funding is
     * owed regardless, and the account is then under water like any other loss.
     *
     * <p>Events, in order: one {@code fundingSettled} per position (also when the amount rounds to 0), each
     * preceded by its {@code postingApplied}, then the residue's posting.
     *
     * @return the residue moved to the fee pool
     */
    long settleFunding(long rate, long markTicks, EngineEvents events, long sequence, long timestamp) {
        long paid = 0;
        long received = 0;
        for (Position position : positions.sortedPositions()) {
            long account = position.account();
            long size = position.size();
            long amount = FundingRate.payment(Notional.value(size, markTicks, minorUnitsPerTickLot), rate);
            if (amount < 0) {
                ledger.post(PostingType.FUNDING, asset, account, SystemAccounts.CLEARING, -amount);
                paid += -amount;
            } else if (amount > 0) {
                ledger.post(PostingType.FUNDING, asset, SystemAccounts.CLEARING, account, amount);
                received += amount;
            }
            margin.onIsolatedCashflow(account, spec.id(), amount);
            touched.add(account, asset);
            events.fundingSettled(sequence, timestamp, spec.id(), account, size, rate, amount);
        }
        long residue = paid - received;
        if (residue > 0) {
            ledger.post(PostingType.FUNDING, asset, SystemAccounts.CLEARING, SystemAccounts.FEE_POOL, residue);
        }
        return residue;
    }
}
