package io.meridian.model;

import java.util.List;

/**
 * An L2 snapshot of one instrument's book, best level first on each side, taken between commands. Its
 * {@code l2Sequence} is that of the last L2 delta already reflected in it: a client applies the deltas whose
 * {@code l2Sequence} follows it, in order, and resynchronises on any gap.
 */
public record BookSnapshot(int instrument, long sequence, long l2Sequence, List<Level> bids, List<Level> asks) {

    /** One price level: visible quantity in lots and number of resting orders. */
    public record Level(long price, long quantity, int orderCount) {
    }
}
