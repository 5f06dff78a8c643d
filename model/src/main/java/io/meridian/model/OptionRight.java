package io.meridian.model;

/** The right a European option gives its holder at expiry: to receive S - K (a call) or K - S (a put), if positive. */
public enum OptionRight {
    CALL("C"),
    PUT("P");

    private final String code;

    OptionRight(String code) {
        this.code = code;
    }

    /** "C" or "P", as in the symbol {@code BTC-27DEC26-60000-C}. */
    public String code() {
        return code;
    }

    /**
     * The intrinsic value at settlement price {@code settlement} of an option struck at {@code strike}, both in the
     * same units (the index's): {@code max(0, S - K)} for a call, {@code max(0, K - S)} for a put. Exact.
     */
    public long intrinsic(long settlement, long strike) {
        long value = this == CALL ? Math.subtractExact(settlement, strike) : Math.subtractExact(strike, settlement);
        return Math.max(0, value);
    }
}
