package io.meridian.model;

/**
 * Post-only handling. {@link #REJECT} rejects an order that would take liquidity; {@link #SLIDE} reprices it
 * to one tick behind the best opposite price so that it rests as a maker.
 */
public enum PostOnly {
    NONE, REJECT, SLIDE;

    private static final PostOnly[] VALUES = values();

    public static PostOnly ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
