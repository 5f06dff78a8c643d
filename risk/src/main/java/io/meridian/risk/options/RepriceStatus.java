package io.meridian.risk.options;

/**
 * The outcome of {@link ScenarioTable#reprice} and {@link ScenarioTable#addSeries}. Anything but {@link #OK} left
 * the table exactly as it was; {@link ScenarioTable#lastRejectMessage()} says why in a sentence.
 */
public enum RepriceStatus {
    OK,
    /** The index price is not a positive finite number. */
    INVALID_SPOT,
    /** The mark source gave a volatility that is not positive and finite, or a rate or carry that is not finite. */
    INVALID_MARKS,
    /** A per-contract value in settlement minor units does not fit comfortably in a long (beyond 2^62). */
    OVERFLOW
}
