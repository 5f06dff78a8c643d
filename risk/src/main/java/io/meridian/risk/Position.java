package io.meridian.risk;

import io.meridian.model.FixedPoint;
import io.meridian.model.Side;
import io.meridian.risk.margin.Notional;

/**
 * One account's position in one instrument, in one-way mode: a signed size in lots and the signed cost basis of
 * the open lots in settlement minor units ({@code openValue}: positive for a long, negative for a short).
 *
 * <p><b>Rounding.</b> Opening adds the exact fill value. Reducing removes the closed lots' share of the cost basis,
 * {@code openValue x closed / |size|}, which is rarely a whole number: it is rounded up, which makes the realised
 * PnL of that partial close the smaller one for longs and shorts alike, and the remainder stays in the basis of the
 * open lots. A position that closes completely therefore realises exactly its total PnL; rounding only
 * moves value between its partial closes, never out of the system.
 */
public final class Position {
    private final int instrument;
    private long account;
    private long size;
    private long openValue;
    private long realizedPnl;

    Position(int instrument) {
        this.instrument = instrument;
    }

    /** Restoring a snapshot: the position as it was written. */
    void restore(long owner, long lots, long basis, long realized) {
        account = owner;
        size = lots;
        openValue = basis;
        realizedPnl = realized;
    }

    /** Makes a pooled, flat position belong to {@code newAccount}; its life's realised PnL starts at zero. */
    void open(long newAccount) {
        account = newAccount;
        size = 0;
        openValue = 0;
        realizedPnl = 0;
    }

    public long account() {
        return account;
    }

    public int instrument() {
        return instrument;
    }

    /** Signed size in lots: positive long, negative short. */
    public long size() {
        return size;
    }

    /** Signed cost basis of the open lots in settlement minor units. */
    public long openValue() {
        return openValue;
    }

    /** Realised PnL since the position was last flat, before fees, in settlement minor units. */
    public long realizedPnl() {
        return realizedPnl;
    }

    public boolean isFlat() {
        return size == 0;
    }

    /** Unrealised PnL at {@code price} ticks: size x price x unit - openValue. */
    public long unrealizedPnl(long price, long minorUnitsPerTickLot) {
        return Notional.unrealizedPnl(size, openValue, price, minorUnitsPerTickLot);
    }

    /** |size| x price x unit: the position's notional at {@code price}. */
    public long notional(long price, long minorUnitsPerTickLot) {
        return Notional.of(size, price, minorUnitsPerTickLot);
    }

    /**
     * Applies a fill of {@code quantity} lots at {@code price} ticks and returns the PnL it realises (0 when it only
     * opens or adds). A fill larger than the position closes it and opens the rest on the other side at the same
     * price.
     */
    long applyFill(Side side, long price, long quantity, long minorUnitsPerTickLot) {
        long signed = side == Side.BUY ? quantity : -quantity;
        if (size == 0 || Long.signum(size) == Long.signum(signed)) {
            size = Math.addExact(size, signed);
            openValue = Math.addExact(openValue, Notional.value(signed, price, minorUnitsPerTickLot));
            return 0;
        }
        long closing = Math.min(quantity, Math.abs(size));
        long basis = closedBasis(closing);
        long closedSigned = size > 0 ? closing : -closing;
        long exitValue = Notional.value(closedSigned, price, minorUnitsPerTickLot);
        long pnl = Math.subtractExact(exitValue, basis);
        size -= closedSigned;
        openValue = Math.subtractExact(openValue, basis);
        realizedPnl = Math.addExact(realizedPnl, pnl);
        long opening = quantity - closing;
        if (opening > 0) {
            long openingSigned = side == Side.BUY ? opening : -opening;
            size = openingSigned;
            openValue = Notional.value(openingSigned, price, minorUnitsPerTickLot);
        }
        return pnl;
    }

    /** The cost basis of {@code closing} of the open lots, rounded so that the PnL realised now is the smaller. */
    private long closedBasis(long closing) {
        long lots = Math.abs(size);
        if (closing == lots) {
            return openValue;
        }
        // PnL = exit value - basis for either direction (a short's basis and exit value are negative), so the smaller
        // PnL always comes from the larger basis: round the quotient up.
        return FixedPoint.mulDivCeil(openValue, closing, lots);
    }
}
