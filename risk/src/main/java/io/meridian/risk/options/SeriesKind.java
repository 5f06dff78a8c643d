package io.meridian.risk.options;

import io.meridian.model.OptionRight;

/** What a series is: a European call, a European put, or a (dated or perpetual) future, all cash-settled. */
public enum SeriesKind {
    CALL,
    PUT,
    FUTURE;

    /** The right of a call or put; null for a future. */
    public OptionRight right() {
        return this == CALL ? OptionRight.CALL : this == PUT ? OptionRight.PUT : null;
    }

    /** CALL for {@link OptionRight#CALL}, PUT for {@link OptionRight#PUT}. */
    public static SeriesKind of(OptionRight right) {
        return right == OptionRight.CALL ? CALL : PUT;
    }
}
