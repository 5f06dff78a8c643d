package io.meridian.risk.margin;

/**
 * Trading fees as integer minor units from a notional (minor units, >= 0) and a rate in ppm. One rule covers every
 * case: the amount charged to the account is {@code ceil(notional x rate / 1e6)}, rounded up, i.e. against the
 * account. For a positive rate that is a fee rounded up; for a negative (maker rebate) rate it is a negative charge
 * rounded toward zero, i.e. a rebate of {@code floor(notional x |rate| / 1e6)}, rounded down. So fees are never
 * under-collected and rebates never over-paid, and as long as every rebate rate is at most every taker rate
 * ({@link FeeSchedule} checks it) the venue's net on a trade, taker fee + maker charge, is never negative.
 */
public final class Fees {

    private Fees() {
    }

    /** The signed amount charged to the account: ceil(notional x ratePpm / 1e6); negative = a rebate paid to it. */
    public static long charge(long notional, long ratePpm) {
        requireNonNegative(notional);
        return Ppm.mulCeil(notional, ratePpm);
    }

    /** Taker fee: ceil(notional x takerPpm / 1e6); {@code takerPpm >= 0}. */
    public static long takerFee(long notional, long takerPpm) {
        if (takerPpm < 0) {
            throw new IllegalArgumentException("taker rate must be >= 0: " + takerPpm);
        }
        return charge(notional, takerPpm);
    }

    /**
     * Maker charge, signed: ceil(notional x makerPpm / 1e6) when makerPpm >= 0, else minus the rebate
     * floor(notional x |makerPpm| / 1e6).
     */
    public static long makerFee(long notional, long makerPpm) {
        return charge(notional, makerPpm);
    }

    /** The rebate paid to a maker, >= 0: floor(notional x |makerPpm| / 1e6) when makerPpm < 0, else 0. */
    public static long makerRebate(long notional, long makerPpm) {
        return makerPpm >= 0 ? 0 : -makerFee(notional, makerPpm);
    }

    private static void requireNonNegative(long notional) {
        if (notional < 0) {
            throw new IllegalArgumentException("notional must be >= 0: " + notional);
        }
    }
}
