package io.meridian.model;

/**
 * How an instrument's mark price and funding are derived from an index, given with {@code ADD_INSTRUMENT}. Without
 * one the instrument's mark is set by {@code SET_MARK_PRICE} alone. Formulas and defaults: docs/pricing.md.
 *
 * <p><b>Rates are per 8 hours</b>, whatever the funding interval: the rate F is computed from them as an 8-hour rate
 * and each interval pays {@code F x interval / 8 h} (Binance's "N-hour interest rate component", Hyperliquid's and
 * dYdX v4's hourly payment of one eighth of the 8-hour rate). So hourly funding with the defaults charges 0.01% per
 * 8 hours in total at rest, not 0.01% per hour.
 *
 * @param indexId                 the index the instrument is priced from; its price unit divided by the tick size
 *                                must be a whole number of index units per tick
 * @param markEmaWindowNanos      window of the exponential moving average of the basis (mid - index)
 * @param fundingIntervalNanos    funding interval, aligned to the epoch (8 h settles at 00:00, 08:00, 16:00 UTC);
 *                                0 = no funding (dated futures)
 * @param premiumSampleNanos      premium-index sampling period, aligned to the epoch; the rate averages the samples
 * @param impactNotional          notional, in settlement minor units, whose average fill price is the impact bid/ask
 * @param interestRate8h          interest rate I per 8 hours in units of 1e-9 (0.01% = 100,000)
 * @param fundingClamp8h          c in F = P + clamp(I - P, -c, c), per 8 hours, units of 1e-9 (0.05% = 500,000)
 * @param maxFundingRate8h        largest |F| per 8 hours in 1e-9; 0 = derived from the margin table,
 *                                6 x (IMR - MMR) of its first tier (dYdX)
 * @param markBandPpm             the book basis and the last trade enter the mark only clamped to
 *                                {@code index x (1 +- markBandPpm / 1e6)}, so no activity in the book can move the
 *                                mark further than this from a usable index; 1 .. {@link #MAX_MARK_BAND_PPM}
 */
public record PricingSpec(int indexId, long markEmaWindowNanos, long fundingIntervalNanos, long premiumSampleNanos,
                          long impactNotional, long interestRate8h, long fundingClamp8h, long maxFundingRate8h,
                          long markBandPpm) {

    public static final long HOUR_NANOS = 3_600_000_000_000L;
    /** Hyperliquid's 150 s basis EMA: long enough that one trade cannot move the mark, short enough to follow basis. */
    public static final long DEFAULT_MARK_EMA_WINDOW_NANOS = 150_000_000_000L;
    public static final long DEFAULT_FUNDING_INTERVAL_NANOS = 8 * HOUR_NANOS;
    public static final long DEFAULT_PREMIUM_SAMPLE_NANOS = 60_000_000_000L;
    /** 0.01% per 8 hours: Binance's and BitMEX's default interest rate. */
    public static final long DEFAULT_INTEREST_RATE = 100_000L;
    public static final long DEFAULT_FUNDING_CLAMP = 500_000L;
    /**
     * 0.5%: the book and the last trade can pull the mark at most this far from the index. Wider than a healthy BTC
     * or ETH perpetual's basis (usually well under 0.1%), narrow enough that a position at 10x or less cannot be
     * liquidated by book activity alone while the index holds (docs/pricing.md, "Mark price").
     */
    public static final long DEFAULT_MARK_BAND_PPM = 5_000L;
    /** The widest mark band accepted: 10%. Wider would let the book, not the index, set the mark. */
    public static final long MAX_MARK_BAND_PPM = 100_000L;
    /** Largest rate magnitude accepted anywhere (100% per 8 hours or per interval), so payments stay far from overflow. */
    public static final long MAX_RATE = 1_000_000_000L;

    /** A perpetual with the defaults; the impact notional is 10,000 settlement units. */
    public static PricingSpec perpetual(int indexId, int settlementScale) {
        return new PricingSpec(indexId, DEFAULT_MARK_EMA_WINDOW_NANOS, DEFAULT_FUNDING_INTERVAL_NANOS,
                DEFAULT_PREMIUM_SAMPLE_NANOS, 10_000L * FixedPoint.pow10(settlementScale), DEFAULT_INTEREST_RATE,
                DEFAULT_FUNDING_CLAMP, 0, DEFAULT_MARK_BAND_PPM);
    }

    /** A dated future: mark from the index and basis, no funding. */
    public static PricingSpec datedFuture(int indexId, int settlementScale) {
        return perpetual(indexId, settlementScale).withFundingInterval(0);
    }

    public PricingSpec withFundingInterval(long nanos) {
        return new PricingSpec(indexId, markEmaWindowNanos, nanos, premiumSampleNanos, impactNotional,
                interestRate8h, fundingClamp8h, maxFundingRate8h, markBandPpm);
    }

    public PricingSpec withPremiumSample(long nanos) {
        return new PricingSpec(indexId, markEmaWindowNanos, fundingIntervalNanos, nanos, impactNotional,
                interestRate8h, fundingClamp8h, maxFundingRate8h, markBandPpm);
    }

    public PricingSpec withInterestRate(long rate) {
        return new PricingSpec(indexId, markEmaWindowNanos, fundingIntervalNanos, premiumSampleNanos, impactNotional,
                rate, fundingClamp8h, maxFundingRate8h, markBandPpm);
    }

    public PricingSpec withImpactNotional(long notional) {
        return new PricingSpec(indexId, markEmaWindowNanos, fundingIntervalNanos, premiumSampleNanos, notional,
                interestRate8h, fundingClamp8h, maxFundingRate8h, markBandPpm);
    }

    public PricingSpec withMaxFundingRate(long rate) {
        return new PricingSpec(indexId, markEmaWindowNanos, fundingIntervalNanos, premiumSampleNanos, impactNotional,
                interestRate8h, fundingClamp8h, rate, markBandPpm);
    }

    public PricingSpec withMarkEmaWindow(long nanos) {
        return new PricingSpec(indexId, nanos, fundingIntervalNanos, premiumSampleNanos, impactNotional,
                interestRate8h, fundingClamp8h, maxFundingRate8h, markBandPpm);
    }

    public PricingSpec withMarkBandPpm(long ppm) {
        return new PricingSpec(indexId, markEmaWindowNanos, fundingIntervalNanos, premiumSampleNanos, impactNotional,
                interestRate8h, fundingClamp8h, maxFundingRate8h, ppm);
    }

    /** Returns null when usable, else {@link RejectReason#INVALID_PRICING}. */
    public RejectReason validate() {
        boolean funding = fundingIntervalNanos == 0 || fundingIntervalNanos > 0 && premiumSampleNanos > 0
                && premiumSampleNanos <= fundingIntervalNanos;
        boolean ok = indexId >= 0 && indexId < IndexSpec.MAX_INDEXES && markEmaWindowNanos > 0 && funding
                && premiumSampleNanos >= 0 && impactNotional > 0 && Math.abs(interestRate8h) <= MAX_RATE
                && fundingClamp8h >= 0 && fundingClamp8h <= MAX_RATE && maxFundingRate8h >= 0 && maxFundingRate8h <= MAX_RATE
                && markBandPpm > 0 && markBandPpm <= MAX_MARK_BAND_PPM;
        return ok ? null : RejectReason.INVALID_PRICING;
    }
}
