package io.meridian.risk.margin;

import java.util.List;

/**
 * A margin requirement as a function of one position: its size in lots and its notional in settlement minor units
 * ({@code |size| x price x minorUnitsPerTickLot}, see {@link Notional}). Tiered schedules ({@link MarginSchedule}, the
 * default) look only at the notional; size-linear schedules ({@link LinearMarginSchedule}, Deribit legacy style) also
 * at the size, which is why both are passed. Sizes may be signed; only {@code |size|} matters.
 *
 * <p>Every implementation is pure and integer-only, rounds requirements up (against the account), and guarantees
 * {@code 0 <= maintenanceMargin <= initialMargin} and a maintenance rate below 100%, so that the equity of a single
 * position minus its maintenance margin is monotone in the price (which {@link Health#liquidationPrice} relies on).
 */
public interface MarginModel {

    /** Maintenance margin of the position in settlement minor units, rounded up. {@code notional >= 0}. */
    long maintenanceMargin(long sizeLots, long notional);

    /**
     * Initial margin in settlement minor units at the user's selected {@code leverage} (>= 1), rounded up:
     * max(notional x IMR, notional / leverage). A leverage above {@link #maxLeverage} is not an error here (the IMR
     * term then binds); the pre-trade check rejects it first with {@code LEVERAGE_ABOVE_TIER_MAX}.
     */
    long initialMargin(long sizeLots, long notional, int leverage);

    /** Highest leverage the user may select for a position of this size and notional (at least 1). */
    int maxLeverage(long sizeLots, long notional);

    /** A tiered schedule (the default model); see {@link MarginSchedule}. */
    static MarginSchedule tiered(List<MarginTier> tiers) {
        return new MarginSchedule(tiers);
    }

    /**
     * A size-linear schedule, Deribit legacy style: rate = base + slope x |size| / sizeStepLots; see
     * {@link LinearMarginSchedule}.
     */
    static LinearMarginSchedule linear(long initialBasePpm, long initialSlopePpm, long maintenanceBasePpm,
                                       long maintenanceSlopePpm, long sizeStepLots, long maxSizeLots) {
        return new LinearMarginSchedule(initialBasePpm, initialSlopePpm, maintenanceBasePpm, maintenanceSlopePpm,
                sizeStepLots, maxSizeLots);
    }
}
