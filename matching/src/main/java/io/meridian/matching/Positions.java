package io.meridian.matching;

import io.meridian.model.Liquidity;
import io.meridian.model.Side;

/**
 * The book's view of positions, used to enforce reduce-only orders, and the book's report of every fill: the seam
 * where clearing (positions, PnL, fees) hooks into matching. The book calls {@link #onFill} twice per trade, maker
 * then taker, on the engine thread, right after the trade's {@code orderFilled} and {@code tradeExecuted} events and
 * before it looks at the next resting order, so a reduce-only check always sees the position after every earlier
 * fill. The engine supplies the clearing implementation; {@link NetPositions} is the self-contained one for books
 * used alone.
 */
public interface Positions {
    /** Signed net position of the account in this book's instrument, in lots (positive = long). */
    long netPosition(long account);

    /** The account bought ({@code side == BUY}) or sold {@code quantity} lots at {@code price} ticks as maker or taker. */
    void onFill(long account, Side side, long price, long quantity, Liquidity liquidity);
}
