package io.meridian.model;

/** How long an order may live. GTD orders carry an expiry timestamp and expire on the first command at or after it. */
public enum TimeInForce {
    GTC, IOC, FOK, GTD;

    private static final TimeInForce[] VALUES = values();

    /** True when an unfilled remainder rests in the book. */
    public boolean rests() {
        return this == GTC || this == GTD;
    }

    public static TimeInForce ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
