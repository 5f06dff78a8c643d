package io.meridian.pricing;

import io.meridian.model.FixedPoint;

/**
 * Perpetual funding, integer-only. <b>Units:</b> every rate here (premium index, interest rate, clamp, funding
 * rate, cap) is a signed long in units of 1e-9 per 8 hours ({@link #ONE} = 100%), so 0.01% = 100,000 and
 * Binance's -0.00184 = -1,840,000; {@link #scaleToInterval} turns the 8-hour rate into what one interval of
 * another length pays. Margin rates taken from the risk module are ppm and are converted exactly
 * (x 1000). Prices are longs in any one scale; values are minor units of the settlement asset.
 *
 * <pre>
 *   P = (max(0, impactBid - index) - max(0, index - impactAsk)) / index      premium index (BitMEX, Binance)
 *   I = (quoteRate - baseRate) / intervalsPerDay                              interest rate per interval
 *   F = P + clamp(I - P, -c, +c)                                               funding rate
 *   F is then limited to [-cap, +cap], cap = 6 x (IMR - MMR)                   (dYdX)
 *   payment = |position value| x |F|: the payer pays ceil, the receiver gets floor
 * </pre>
 * Positive F: longs pay shorts. Rounding of P and I is toward zero, so a rate never grows by rounding and longs
 * and shorts are treated symmetrically. The payment's rounding is against the account on both sides; the
 * difference (under one minor unit per payment) stays with the venue, so value is conserved.
 */
public final class FundingRate {
    /** 100% in the rate unit (1e-9). */
    public static final long ONE = 1_000_000_000L;
    /** 0.05%: the BitMEX and Binance clamp on {@code I - P}. */
    public static final long DEFAULT_CLAMP = 500_000L;
    /** dYdX's cap factor: max funding = 600% of (IMR - MMR). */
    public static final long CAP_FACTOR = 6;
    private static final long PPM_TO_RATE = ONE / FixedPoint.PPM;
    /** The period every rate here is quoted for. */
    public static final long EIGHT_HOURS_NANOS = 8L * 3_600_000_000_000L;

    private FundingRate() {
    }

    /**
     * Premium index P from the impact bid and ask (the average fill prices of the impact notional on each side)
     * against the index, rounded toward zero. Zero when the index lies between the two impact prices.
     *
     * @throws IllegalArgumentException when the index is not positive
     */
    public static long premiumIndex(long impactBid, long impactAsk, long index) {
        if (index <= 0) {
            throw new IllegalArgumentException("index must be positive: " + index);
        }
        long numerator = Math.max(0, Math.subtractExact(impactBid, index)) - Math.max(0, Math.subtractExact(index, impactAsk));
        return divideTowardZero(numerator, ONE, index);
    }

    /**
     * Interest rate per funding interval from daily quote and base rates (same unit, 1e-9 per day), rounded
     * toward zero: BitMEX and Binance use 3 intervals of 8 hours.
     */
    public static long interestRate(long quoteRatePerDay, long baseRatePerDay, int intervalsPerDay) {
        if (intervalsPerDay <= 0) {
            throw new IllegalArgumentException("intervalsPerDay must be positive: " + intervalsPerDay);
        }
        return Math.subtractExact(quoteRatePerDay, baseRatePerDay) / intervalsPerDay;
    }

    /** F = P + clamp(I - P, -clamp, +clamp); {@code clamp >= 0}. Exact. */
    public static long fundingRate(long premium, long interest, long clamp) {
        if (clamp < 0) {
            throw new IllegalArgumentException("clamp must not be negative: " + clamp);
        }
        long diff = Math.subtractExact(interest, premium);
        return Math.addExact(premium, Math.max(-clamp, Math.min(clamp, diff)));
    }

    /** {@link #fundingRate(long, long, long)} limited to {@code [-cap, +cap]}; {@code cap >= 0}. */
    public static long fundingRate(long premium, long interest, long clamp, long cap) {
        if (cap < 0) {
            throw new IllegalArgumentException("cap must not be negative: " + cap);
        }
        long f = fundingRate(premium, interest, clamp);
        return Math.max(-cap, Math.min(cap, f));
    }

    /**
     * The dYdX cap: {@code 6 x (IMR - MMR)}, from ppm margin rates, as a rate in 1e-9 units. E.g. IMR 5%, MMR 3%
     * gives 12% per interval. The cap ties the worst funding to the margin buffer between opening and liquidation
     * (see docs/pricing.md); it binds only in extreme premiums, since the clamp keeps F near P.
     *
     * @throws IllegalArgumentException unless 0 <= MMR < IMR <= 100%
     */
    public static long maxFundingRate(long imrPpm, long mmrPpm) {
        if (mmrPpm < 0 || imrPpm <= mmrPpm || imrPpm > FixedPoint.PPM) {
            throw new IllegalArgumentException("need 0 <= MMR < IMR <= 1e6 ppm: IMR " + imrPpm + ", MMR " + mmrPpm);
        }
        return CAP_FACTOR * (imrPpm - mmrPpm) * PPM_TO_RATE;
    }

    /**
     * What one funding interval of {@code intervalNanos} pays at the 8-hour rate {@code rate8h}:
     * {@code rate8h x intervalNanos / 8 h}, rounded toward zero (a rate never grows by rounding, longs and shorts are
     * treated alike) and limited to +-{@link #ONE} (100% per interval). An 8-hour interval pays the rate itself, an
     * hourly one an eighth of it.
     *
     * @throws IllegalArgumentException when the interval is not positive
     */
    public static long scaleToInterval(long rate8h, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos must be positive: " + intervalNanos);
        }
        if (intervalNanos == EIGHT_HOURS_NANOS) {
            return rate8h;
        }
        long scaled = divideTowardZero(rate8h, intervalNanos, EIGHT_HOURS_NANOS);
        return Math.max(-ONE, Math.min(ONE, scaled));
    }

    /** What the paying side pays: {@code ceil(|value| x |rate| / 1e9)} minor units (rounded against the payer). */
    public static long payerAmount(long positionValue, long rate) {
        return FixedPoint.mulDivCeil(Math.absExact(positionValue), Math.absExact(rate), ONE);
    }

    /** What the receiving side gets: {@code floor(|value| x |rate| / 1e9)} minor units (rounded against the receiver). */
    public static long receiverAmount(long positionValue, long rate) {
        return FixedPoint.mulDivFloor(Math.absExact(positionValue), Math.absExact(rate), ONE);
    }

    /**
     * The funding a position's account is credited (negative: debited). {@code positionValue} is signed: positive
     * for a long, negative for a short (in minor units of the settlement asset, at the mark price). A long pays
     * when the rate is positive, a short when it is negative; the payer pays {@link #payerAmount}, the receiver
     * gets {@link #receiverAmount}.
     */
    public static long payment(long positionValue, long rate) {
        if (positionValue == 0 || rate == 0) {
            return 0;
        }
        boolean pays = (positionValue > 0) == (rate > 0);
        return pays ? -payerAmount(positionValue, rate) : receiverAmount(positionValue, rate);
    }

    private static long divideTowardZero(long a, long b, long c) {
        return a >= 0 ? FixedPoint.mulDivFloor(a, b, c) : -FixedPoint.mulDivFloor(-a, b, c);
    }
}
