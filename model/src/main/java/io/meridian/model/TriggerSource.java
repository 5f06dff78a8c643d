package io.meridian.model;

/** The price a conditional order watches: the last traded price of its instrument or the mark price. */
public enum TriggerSource {
    LAST, MARK;

    private static final TriggerSource[] VALUES = values();

    public static TriggerSource ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
