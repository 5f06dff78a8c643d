package io.meridian.matching;

import io.meridian.model.Side;

/**
 * The book's view of positions, used to enforce reduce-only orders, and the book's report of every fill. The
 * book calls {@link #onFill} once per side of each trade, on the engine thread. The risk module supplies the
 * real implementation; {@link NetPositions} is the self-contained one for books used alone.
 */
public interface Positions {
    /** Signed net position of the account in this book's instrument, in lots (positive = long). */
    long netPosition(long account);

    /** The account bought ({@code side == BUY}) or sold {@code quantity} lots. */
    void onFill(long account, Side side, long quantity);
}
