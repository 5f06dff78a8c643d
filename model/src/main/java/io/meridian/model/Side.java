package io.meridian.model;

/** Order side. {@link #sign()} is +1 for buys and -1 for sells, the sign of the position change a fill makes. */
public enum Side {
    BUY, SELL;

    private static final Side[] VALUES = values();

    public int sign() {
        return this == BUY ? 1 : -1;
    }

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }

    public static Side ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
