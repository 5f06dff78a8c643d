package io.meridian.risk.options;

import io.meridian.pricing.options.OptionType;

/** What a series is: a European call, a European put, or a (dated or perpetual) future, all cash-settled. */
public enum SeriesKind {
    CALL,
    PUT,
    FUTURE;

    /** The option type of a call or put; null for a future. */
    public OptionType optionType() {
        return this == CALL ? OptionType.CALL : this == PUT ? OptionType.PUT : null;
    }

    /** CALL for {@link OptionType#CALL}, PUT for {@link OptionType#PUT}. */
    public static SeriesKind of(OptionType type) {
        return type == OptionType.CALL ? CALL : PUT;
    }
}
