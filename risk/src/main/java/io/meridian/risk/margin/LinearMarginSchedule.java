package io.meridian.risk.margin;

import io.meridian.model.FixedPoint;

/**
 * A margin schedule whose rates grow linearly with the position size, Deribit legacy futures style:
 * <pre>
 *   IMR(size) = initialBase     + initialSlope     x |size| / sizeStep
 *   MMR(size) = maintenanceBase + maintenanceSlope x |size| / sizeStep
 *   IM = max(notional x IMR(size), notional / leverage),   MM = notional x MMR(size)
 * </pre>
 * Deribit: IM = 2% + 0.5% per 100 BTC of position, MM = 1.5% + 0.5% per 100 BTC ({@link #deribitLegacy}); a 25 BTC
 * position needs 2.125% (0.53125 BTC), a 350 BTC one 3.75% (13.125 BTC).
 *
 * <p><b>Exactness and rounding.</b> The rate is the exact fraction {@code (base x step + slope x |size|) / (1e6 x step)}
 * and each requirement is rounded once, up, through {@link FixedPoint#mulDivCeil} (128-bit; its rare path for
 * products beyond 63 bits allocates, unlike the tiered default). The size used in the rates is capped at
 * {@code maxSizeLots}: beyond it the rates stay flat, so IMR never exceeds 100% and MMR stays below IMR; a venue
 * sets its position limit at or below that size.
 *
 * <p>Validated on construction ({@link IllegalArgumentException}): 0 < maintenanceBase < initialBase,
 * 0 <= maintenanceSlope <= initialSlope, sizeStep > 0, maxSize > 0 and IMR(maxSize) <= 100%.
 */
public final class LinearMarginSchedule implements MarginModel {
    private final long initialBasePpm;
    private final long initialSlopePpm;
    private final long maintenanceBasePpm;
    private final long maintenanceSlopePpm;
    private final long sizeStepLots;
    private final long maxSizeLots;
    /** 1e6 x sizeStep: the common denominator of both rates. */
    private final long denominator;

    /**
     * @param initialBasePpm      IMR of a zero-size position, ppm
     * @param initialSlopePpm     IMR added per {@code sizeStepLots} of position, ppm
     * @param maintenanceBasePpm  MMR of a zero-size position, ppm
     * @param maintenanceSlopePpm MMR added per {@code sizeStepLots} of position, ppm
     * @param sizeStepLots        the size step in lots (Deribit: 100 BTC expressed in the instrument's lots)
     * @param maxSizeLots         size above which the rates stop growing
     */
    public LinearMarginSchedule(long initialBasePpm, long initialSlopePpm, long maintenanceBasePpm,
                                long maintenanceSlopePpm, long sizeStepLots, long maxSizeLots) {
        if (maintenanceBasePpm <= 0 || initialBasePpm <= maintenanceBasePpm) {
            throw new IllegalArgumentException("need 0 < maintenance base < initial base: " + maintenanceBasePpm
                    + " ppm, " + initialBasePpm + " ppm");
        }
        if (maintenanceSlopePpm < 0 || initialSlopePpm < maintenanceSlopePpm) {
            throw new IllegalArgumentException("need 0 <= maintenance slope <= initial slope: " + maintenanceSlopePpm
                    + " ppm, " + initialSlopePpm + " ppm");
        }
        if (sizeStepLots <= 0 || sizeStepLots > Long.MAX_VALUE / FixedPoint.PPM) {
            throw new IllegalArgumentException("size step must be positive and below 2^63 / 1e6 lots: " + sizeStepLots);
        }
        if (maxSizeLots <= 0) {
            throw new IllegalArgumentException("max size must be positive: " + maxSizeLots);
        }
        this.initialBasePpm = initialBasePpm;
        this.initialSlopePpm = initialSlopePpm;
        this.maintenanceBasePpm = maintenanceBasePpm;
        this.maintenanceSlopePpm = maintenanceSlopePpm;
        this.sizeStepLots = sizeStepLots;
        this.maxSizeLots = maxSizeLots;
        this.denominator = FixedPoint.PPM * sizeStepLots;
        long maxInitial;
        try {
            maxInitial = numerator(initialBasePpm, initialSlopePpm, maxSizeLots);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("IMR at the max size overflows", e);
        }
        if (maxInitial > denominator) {
            throw new IllegalArgumentException("IMR at the max size " + maxSizeLots + " lots is above 100%");
        }
    }

    /**
     * Deribit legacy futures: IM = 2% + 0.5% per 100 BTC, MM = 1.5% + 0.5% per 100 BTC, rates flat from 19,600 BTC
     * (where IMR reaches 100%).
     *
     * @param lotsPer100Coins lots in 100 coins of the base asset (100 BTC / lot size; 100,000 for lots of 0.001)
     */
    public static LinearMarginSchedule deribitLegacy(long lotsPer100Coins) {
        return new LinearMarginSchedule(20_000, 5_000, 15_000, 5_000, lotsPer100Coins,
                Math.multiplyExact(196L, lotsPer100Coins));
    }

    public long maxSizeLots() {
        return maxSizeLots;
    }

    public long sizeStepLots() {
        return sizeStepLots;
    }

    /** IMR at this size in ppm, rounded up (display only; requirements use the exact fraction). */
    public long initialRatePpm(long sizeLots) {
        return Ppm.ceilDiv(numerator(initialBasePpm, initialSlopePpm, cappedSize(sizeLots)), sizeStepLots);
    }

    /** MMR at this size in ppm, rounded up (display only; requirements use the exact fraction). */
    public long maintenanceRatePpm(long sizeLots) {
        return Ppm.ceilDiv(numerator(maintenanceBasePpm, maintenanceSlopePpm, cappedSize(sizeLots)), sizeStepLots);
    }

    /** ceil(notional x MMR(size)). */
    @Override
    public long maintenanceMargin(long sizeLots, long notional) {
        requireNonNegative(notional);
        long rate = numerator(maintenanceBasePpm, maintenanceSlopePpm, cappedSize(sizeLots));
        return FixedPoint.mulDivCeil(notional, rate, denominator);
    }

    /** max(ceil(notional x IMR(size)), ceil(notional / leverage)), leverage >= 1. */
    @Override
    public long initialMargin(long sizeLots, long notional, int leverage) {
        requireNonNegative(notional);
        if (leverage < 1) {
            throw new IllegalArgumentException("leverage must be >= 1: " + leverage);
        }
        long rate = numerator(initialBasePpm, initialSlopePpm, cappedSize(sizeLots));
        return Math.max(FixedPoint.mulDivCeil(notional, rate, denominator), Ppm.ceilDiv(notional, leverage));
    }

    /**
     * ceil(1 / IMR(size)): the smallest leverage at which the rate term of {@link #initialMargin} binds, so that a
     * user at the maximum posts exactly Deribit's IM (2.125% at 25 BTC: 1 / 2.125% = 47.06, so 48x). Unlike a tier's
     * floor(1e6 / IMR), this never lets the leverage term undercut the rate: IM >= notional x IMR(size) at any
     * leverage. At least 1 (IMR never exceeds 100%).
     */
    @Override
    public int maxLeverage(long sizeLots, long notional) {
        long rate = numerator(initialBasePpm, initialSlopePpm, cappedSize(sizeLots));
        return (int) Math.max(1, Ppm.ceilDiv(denominator, rate));
    }

    /** base x step + slope x size: the rate times 1e6 x step. */
    private long numerator(long base, long slope, long size) {
        return Math.addExact(Math.multiplyExact(base, sizeStepLots), Math.multiplyExact(slope, size));
    }

    private long cappedSize(long sizeLots) {
        return Math.min(Math.absExact(sizeLots), maxSizeLots);
    }

    private static void requireNonNegative(long notional) {
        if (notional < 0) {
            throw new IllegalArgumentException("notional must be >= 0: " + notional);
        }
    }
}
