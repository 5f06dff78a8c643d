package io.meridian.risk.margin;

import io.meridian.model.FixedPoint;

/**
 * One bracket of a tiered margin schedule. A position whose notional is at least {@code notionalFloor} (and below
 * the next tier's floor) uses this tier's rates.
 *
 * <p>Validated on construction ({@link IllegalArgumentException}): floor >= 0, 0 < MMR < IMR <= 100%, and
 * {@code maxLeverage == floor(1e6 / IMR)}. IMR and max leverage are two encodings of the same limit; requiring them
 * to agree means neither is silently dead (a leverage above 1/IMR would never be reachable, one below would make
 * the IMR meaningless). Example: IMR 33.3% (333,000 ppm) gives 3x, 0.8% gives 125x.
 *
 * @param notionalFloor      inclusive lower bound of the bracket, settlement minor units
 * @param maintenanceRatePpm maintenance margin rate (MMR), ppm
 * @param initialRatePpm     initial margin rate (IMR), ppm
 * @param maxLeverage        highest leverage a user may select in this bracket
 */
public record MarginTier(long notionalFloor, long maintenanceRatePpm, long initialRatePpm, int maxLeverage) {

    public MarginTier {
        if (notionalFloor < 0) {
            throw new IllegalArgumentException("notional floor must be >= 0: " + notionalFloor);
        }
        if (maintenanceRatePpm <= 0 || initialRatePpm <= 0) {
            throw new IllegalArgumentException("margin rates must be positive: MMR " + maintenanceRatePpm
                    + " ppm, IMR " + initialRatePpm + " ppm");
        }
        if (initialRatePpm <= maintenanceRatePpm) {
            throw new IllegalArgumentException("IMR must be above MMR: IMR " + initialRatePpm + " ppm, MMR "
                    + maintenanceRatePpm + " ppm");
        }
        if (initialRatePpm > FixedPoint.PPM) {
            throw new IllegalArgumentException("IMR must be at most 100%: " + initialRatePpm + " ppm");
        }
        long implied = FixedPoint.PPM / initialRatePpm;
        if (maxLeverage != implied) {
            throw new IllegalArgumentException("max leverage " + maxLeverage + " is inconsistent with IMR "
                    + initialRatePpm + " ppm: floor(1e6 / IMR) = " + implied);
        }
    }

    /** A tier whose max leverage is derived from its IMR: floor(1e6 / IMR). */
    public static MarginTier of(long notionalFloor, long maintenanceRatePpm, long initialRatePpm) {
        if (initialRatePpm <= 0) {
            throw new IllegalArgumentException("IMR must be positive: " + initialRatePpm + " ppm");
        }
        return new MarginTier(notionalFloor, maintenanceRatePpm, initialRatePpm,
                (int) Math.min(Integer.MAX_VALUE, FixedPoint.PPM / initialRatePpm));
    }
}
