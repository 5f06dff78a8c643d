package io.meridian.risk;

import java.util.List;

/**
 * What queries read of the positions in one instrument: the read-only face of {@link PositionBook}, which implements
 * it, so that a query holds the engine's positions without the means to fill them and reading them copies nothing.
 * It has no method that changes a position.
 *
 * <p><b>Thread confinement.</b> The view is the live position book: read it on the engine thread, between commands (a
 * gateway through its engine thread's query slot). What it returns reflects the state after the last command; the
 * {@link Position}s it hands out are the book's pooled positions, read-only, valid until the next command and not to
 * be kept.
 */
public interface PositionsView {

    /** Settlement minor units per tick per lot: a position's value is size x price x this. */
    long minorUnitsPerTickLot();

    /** The open position of the account, or null when it is flat. */
    Position position(long account);

    /** Signed net size in lots, 0 when flat. */
    long size(long account);

    /** Open interest: the sum of all long sizes, which equals the sum of all short sizes. */
    long openInterest();

    /** Number of open (non-flat) positions. */
    int openPositions();

    /** Open positions sorted by account (a new list; for tools, hashing and tests). */
    List<Position> sortedPositions();
}
