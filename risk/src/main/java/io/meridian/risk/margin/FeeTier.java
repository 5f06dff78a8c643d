package io.meridian.risk.margin;

import io.meridian.model.FixedPoint;

/**
 * One fee tier: maker and taker rates in ppm (100 ppm = 0.01% = 1 basis point). A negative maker rate is a rebate.
 * Validated on construction ({@link IllegalArgumentException}): 0 <= taker <= 100%, maker <= 100%, and
 * maker >= -taker (the tier never rebates more than it charges a taker of the same tier; {@link FeeSchedule}
 * checks the same across tiers).
 *
 * @param makerPpm maker rate, ppm; negative for a rebate
 * @param takerPpm taker rate, ppm
 */
public record FeeTier(long makerPpm, long takerPpm) {

    public FeeTier {
        if (takerPpm < 0 || takerPpm > FixedPoint.PPM) {
            throw new IllegalArgumentException("taker rate must be 0..1e6 ppm: " + takerPpm);
        }
        if (makerPpm > FixedPoint.PPM) {
            throw new IllegalArgumentException("maker rate must be at most 1e6 ppm: " + makerPpm);
        }
        if (makerPpm < -takerPpm) {
            throw new IllegalArgumentException("maker rebate " + (-makerPpm) + " ppm is above the taker rate "
                    + takerPpm + " ppm");
        }
    }

    /** The rebate rate in ppm, >= 0 (0 when the maker rate is a fee). */
    public long rebatePpm() {
        return Math.max(0, -makerPpm);
    }
}
