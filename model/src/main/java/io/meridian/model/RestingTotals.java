package io.meridian.model;

/**
 * What one account's resting orders in one book still offer, per side: the lots that would fill if they all traded,
 * and the sum of remaining lots x price in ticks. Waiting conditional orders and reduce-only orders are not counted.
 *
 * <p><b>Contract.</b> A book hands out one such view per account and keeps it for the book's whole life, current as
 * orders rest, fill, shrink and leave (all zeros once the account has none left, the same object when it comes back).
 * So the margin engine may keep the view between commands instead of looking the account up in every book on every
 * check. Read on the engine thread only.
 */
public interface RestingTotals {
    /** Lots the resting orders offer on {@code side}. */
    long restingLots(Side side);

    /** Sum of remaining lots x price (ticks) of the resting orders on {@code side}. */
    long restingValue(Side side);
}
