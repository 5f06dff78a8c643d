package io.meridian.pricing.options;

/** The right an option gives: to buy (call) or to sell (put) the underlying at the strike, at expiry (European). */
public enum OptionType {
    CALL,
    PUT;

    /**
     * Parses {@code call} or {@code put}, case-insensitively.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static OptionType parse(String text) {
        if ("call".equalsIgnoreCase(text)) {
            return CALL;
        }
        if ("put".equalsIgnoreCase(text)) {
            return PUT;
        }
        throw new IllegalArgumentException("option type must be call or put: " + text);
    }
}
