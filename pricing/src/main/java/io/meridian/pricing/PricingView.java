package io.meridian.pricing;

import io.meridian.model.PricingSpec;

/**
 * What queries read of one instrument's mark and funding state: the read-only face of {@link InstrumentPricing}, which
 * implements it, so that a query holds the engine's pricing without the means to update the mark, take a premium
 * sample or close a funding interval. Prices are in index units, rates per funding interval in 1e-9 (see
 * {@link InstrumentPricing}).
 *
 * <p><b>Thread confinement.</b> The view is the live pricing state: read it on the engine thread, between commands (a
 * gateway through its engine thread's query slot). What it returns reflects the state after the last command.
 */
public interface PricingView {

    /** The instrument's pricing settings (mark band, funding interval, rates), as listed. */
    PricingSpec spec();

    /** The index the instrument is priced from. */
    int indexId();

    /** True when the instrument pays funding (its spec has a funding interval). */
    boolean hasFunding();

    /** Index units per instrument tick. */
    long unitsPerTick();

    /** Largest |F8|, the 8-hour rate before scaling to the interval, 1e-9. */
    long cap();

    /** The mark in index units; 0 until the first update. */
    long markUnits();

    /**
     * The EMA of the (clamped) impact mid - index in index units; 0 before both sides could first fill the impact
     * notional. The book component uses it clamped again to the band of the current index.
     */
    long emaBasis();

    /** When the current funding interval ends (the engine's time); {@link Long#MAX_VALUE} without funding. */
    long nextFundingTime();

    /** The rate the current interval would settle at now. */
    long predictedRate();

    /** The rate of the last settled interval; 0 before the first. */
    long lastRate();
}
