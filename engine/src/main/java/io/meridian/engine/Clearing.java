package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.Positions;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Liquidity;
import io.meridian.model.PostingType;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.risk.MarginEngine;
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
    private final PositionBook positions;
    private final Ledger ledger;
    private final int asset;
    private final long minorUnitsPerTickLot;
    private final InstrumentSpec spec;
    private final FeeTiers feeTiers;
    private final TouchedAccounts touched;

    private final MarginEngine margin;

    Clearing(InstrumentSpec spec, int asset, Ledger ledger, FeeTiers feeTiers, TouchedAccounts touched,
             MarginEngine margin) {
        this.spec = spec;
        this.margin = margin;
        this.feeTiers = feeTiers;
        this.touched = touched;
        this.minorUnitsPerTickLot = spec.minorUnitsPerTickLot();
        this.positions = new PositionBook(spec.id(), minorUnitsPerTickLot);
        this.ledger = ledger;
        this.asset = asset;
    }

    PositionBook positions() {
        return positions;
    }

    int asset() {
        return asset;
    }

    @Override
    public long netPosition(long account) {
        return positions.size(account);
    }

    @Override
    public void onFill(long account, Side side, long price, long quantity, Liquidity liquidity) {
        long pnl = positions.applyFill(account, side, price, quantity);
        touched.add(account, asset);
        if (pnl > 0) {
            ledger.post(PostingType.REALIZED_PNL, asset, SystemAccounts.CLEARING, account, pnl);
        } else if (pnl < 0) {
            ledger.post(PostingType.REALIZED_PNL, asset, account, SystemAccounts.CLEARING, -pnl);
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
}
