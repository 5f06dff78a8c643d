package io.meridian.pricing;

import io.meridian.model.FixedPoint;
import io.meridian.model.PricingSpec;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.model.snapshot.SpecCodec;

/**
 * The mark price and funding state of one instrument priced from an index (a {@link PricingSpec}). Pure and
 * integer-only; time is an input. Prices here are in <i>index units</i> (the index's {@code 10^-priceDecimals}),
 * converted from and to the instrument's ticks with {@code unitsPerTick}, a whole number fixed at creation.
 *
 * <p><b>Mark price</b> ({@link #updateMark}): the median of up to three components,
 * <pre>
 *   p1 = clamp(index x (1 + F_predicted x timeToFunding / interval), index -+ band)   (index without funding)
 *   p2 = clamp(index + EMA(impactMid - index), index -+ band)       (once both sides could fill the impact notional)
 *   p3 = clamp(last traded price, index -+ band)                    (once the instrument has traded)
 *   band = floor(index x markBandPpm / 1e6)
 * </pre>
 * A missing component counts as {@code p1}, so until the book has been deep on both sides and the instrument has
 * traded the mark is the index-based price, never the mean of the index and one trade. The result is rounded to the
 * nearest tick (half up) and is at least one tick.
 *
 * <p><b>Why it resists manipulation.</b> The book enters only through impact prices: the average fill price of the
 * impact notional on each side, so quotes too small to fill it are not seen at all, and a side that cannot fill it
 * is not sampled (the EMA keeps its value). The basis sample and all three components are clamped to the band around
 * the index, so with a usable index {@code |mark - index| <= band} whatever the book holds and trades (before the
 * rounding to a tick). {@code p1} is clamped too because its predicted rate comes from premium samples of the same
 * impact prices: a deep one-sided book that never trades would otherwise move it up to the funding cap (2.4% per
 * interval for the default BTC margin table), several times the band. The funding basis of an honest market is far
 * inside the band (0.01% x the fraction of the interval left at the default interest rate), so the clamp binds only
 * when the book is far from the index. Within the band the median still means no single component sets the mark, and
 * the EMA moves the book component only as fast as its window allows.
 *
 * <p><b>EMA of the basis.</b> Each update at which both impact prices exist samples
 * {@code b = clamp(floor((impactBid + impactAsk) / 2) - index, -band, band)} and moves the average by
 * {@code (b - ema) x dt / window} (rounded toward negative infinity), where {@code dt} is the time since the previous
 * sample, capped at the window. A time-weighted linear step rather than {@code 1 - e^(-dt/window)}: exact in
 * integers and the same on every replica; for {@code dt} much smaller than the window the two agree to first order.
 * Samples at the same timestamp do not move it (dt = 0), so a burst of updates in one instant cannot. The first
 * sample sets it. Clamping the sample keeps the average itself within the band of the indexes it was sampled at, so
 * one wild sample cannot pin the book component at the band's edge for many windows.
 *
 * <p><b>Funding</b> (when {@code fundingIntervalNanos > 0}): premium samples at epoch-aligned multiples of
 * {@code premiumSampleNanos} (a sample is taken by the first command at or after its time; times with no command
 * are not invented), the 8-hour rate at each epoch-aligned interval end is
 * {@code F8 = clamp(avgP + clamp(I - avgP, -c, c), -cap, cap)} ({@link FundingRate}), with {@code I}, {@code c} and
 * {@code cap} per 8 hours ({@link PricingSpec}); {@code avgP} is the mean of the interval's samples rounded toward
 * zero, 0 without samples. The interval pays {@code F = F8 x interval / 8 h} rounded toward zero
 * ({@link FundingRate#scaleToInterval}): every rate this class returns (predicted, last, closed) is that per-interval
 * rate, the one applied to positions.
 *
 * <p>Thread confinement: the engine thread.
 */
public final class InstrumentPricing implements PricingView {
    private final PricingSpec spec;
    private final long unitsPerTick;
    private final long cap;

    private long markUnits;
    private long emaBasis;
    private long lastEmaTime;
    private boolean hasEma;

    private long nextSample;
    private long nextFunding;
    private long premiumSum;
    private int samples;
    private long predictedRate;
    private long lastRate;

    /**
     * @param unitsPerTick index units per instrument tick (at least 1)
     * @param cap          largest |F8| (the 8-hour rate) in 1e-9
     * @param now          creation time: the first sample and funding times are the next epoch multiples after it
     */
    public InstrumentPricing(PricingSpec spec, long unitsPerTick, long cap, long now) {
        if (unitsPerTick < 1 || cap < 0) {
            throw new IllegalArgumentException("unitsPerTick must be >= 1 and cap >= 0");
        }
        this.spec = spec;
        this.unitsPerTick = unitsPerTick;
        this.cap = cap;
        if (hasFunding()) {
            nextSample = nextMultiple(now, spec.premiumSampleNanos());
            nextFunding = nextMultiple(now, spec.fundingIntervalNanos());
        } else {
            nextSample = Long.MAX_VALUE;
            nextFunding = Long.MAX_VALUE;
        }
        predictedRate = rate(0);
    }

    /** The first epoch multiple of {@code period} strictly after {@code now}. */
    static long nextMultiple(long now, long period) {
        return Math.addExact(Math.multiplyExact(Math.floorDiv(now, period), period), period);
    }

    @Override
    public PricingSpec spec() {
        return spec;
    }

    @Override
    public int indexId() {
        return spec.indexId();
    }

    @Override
    public boolean hasFunding() {
        return spec.fundingIntervalNanos() > 0;
    }

    @Override
    public long unitsPerTick() {
        return unitsPerTick;
    }

    /** Largest |F8|, the 8-hour rate before scaling to the interval, 1e-9. */
    @Override
    public long cap() {
        return cap;
    }

    // ------------------------------------------------------------------------------------------------ mark

    /**
     * Recomputes the mark at {@code now}. Allocates nothing.
     *
     * @param index     the index in index units (positive)
     * @param impactBid the impact bid in index units (average fill price of selling the impact notional into the
     *                  bids), 0 when the bids cannot fill it
     * @param impactAsk the impact ask in index units, 0 when the asks cannot fill it
     * @param lastTrade last trade price in ticks, 0 when none
     * @return the mark in ticks
     */
    public long updateMark(long now, long index, long impactBid, long impactAsk, long lastTrade) {
        long band = FixedPoint.mulDivFloor(index, spec.markBandPpm(), FixedPoint.PPM);
        if (impactBid > 0 && impactAsk > 0) {
            // Floor of the mean without overflowing the sum (both are positive).
            long mid = (impactBid >> 1) + (impactAsk >> 1) + (impactBid & impactAsk & 1);
            sampleBasis(now, clamp(mid - index, -band, band));
        }
        // The predicted rate comes from premium samples of the book's impact prices, so p1 is clamped like the
        // book's own component: without it a deep one-sided book could move p1 up to the funding cap.
        long p1 = hasFunding() ? index + clamp(fundingBasisPrice(now, index) - index, -band, band) : index;
        long p2 = hasEma ? index + clamp(emaBasis, -band, band) : 0;
        long p3 = lastTrade > 0 ? index + clamp(Math.multiplyExact(lastTrade, unitsPerTick) - index, -band, band) : 0;
        markUnits = median(p1, p2, p3);
        return markTicks();
    }

    private static long clamp(long value, long low, long high) {
        return Math.max(low, Math.min(high, value));
    }

    private void sampleBasis(long now, long basis) {
        if (!hasEma) {
            emaBasis = basis;
            hasEma = true;
        } else {
            long window = spec.markEmaWindowNanos();
            long dt = Math.min(Math.max(0, now - lastEmaTime), window);
            emaBasis += FixedPoint.mulDivFloor(basis - emaBasis, dt, window);
        }
        lastEmaTime = now;
    }

    /** {@code index x (1 + F_predicted x timeToFunding / interval)}, rounded toward negative infinity. */
    private long fundingBasisPrice(long now, long index) {
        long remaining = Math.max(0, Math.min(nextFunding - now, spec.fundingIntervalNanos()));
        long ratePart = FixedPoint.mulDivFloor(predictedRate, remaining, spec.fundingIntervalNanos());
        return index + FixedPoint.mulDivFloor(index, ratePart, FundingRate.ONE);
    }

    /** Median of the three, a missing (0) component counting as {@code p1}: see the class comment. */
    static long median(long p1, long p2, long p3) {
        long b = p2 > 0 ? p2 : p1;
        long c = p3 > 0 ? p3 : p1;
        return Math.max(Math.min(p1, b), Math.min(Math.max(p1, b), c));
    }

    /** The mark in index units; 0 until the first update. */
    @Override
    public long markUnits() {
        return markUnits;
    }

    /** The mark in ticks, rounded half up, at least 1; 0 until the first update. */
    public long markTicks() {
        if (markUnits <= 0) {
            return 0;
        }
        return Math.max(1, (markUnits + unitsPerTick / 2) / unitsPerTick);
    }

    /**
     * The EMA of the (clamped) impact mid - index in index units; 0 before both sides could first fill the impact
     * notional. The book component uses it clamped again to the band of the current index.
     */
    @Override
    public long emaBasis() {
        return emaBasis;
    }

    // ------------------------------------------------------------------------------------------------ funding

    /** The earliest time at which {@link #sampleDue} or {@link #fundingDue} becomes true. */
    public long nextDue() {
        return Math.min(nextSample, nextFunding);
    }

    public boolean sampleDue(long now) {
        return now >= nextSample;
    }

    public boolean fundingDue(long now) {
        return now >= nextFunding;
    }

    @Override
    public long nextFundingTime() {
        return nextFunding;
    }

    /**
     * Records one premium sample (1e-9, from {@link FundingRate#premiumIndex}) and schedules the next sample; the
     * predicted rate follows.
     */
    public void addPremiumSample(long premium, long now) {
        premiumSum = Math.addExact(premiumSum, premium);
        samples++;
        predictedRate = rate(averagePremium());
        nextSample = nextMultiple(now, spec.premiumSampleNanos());
    }

    /** Skips a due sample (no usable index): the next sample time moves on, nothing is recorded. */
    public void skipPremiumSample(long now) {
        nextSample = nextMultiple(now, spec.premiumSampleNanos());
    }

    /** Mean premium of the interval so far, rounded toward zero; 0 without samples. */
    public long averagePremium() {
        return samples == 0 ? 0 : premiumSum / samples;
    }

    public int samples() {
        return samples;
    }

    /**
     * Ends the funding interval: returns its rate (1e-9 per interval), remembers it as the last rate, and starts
     * the next interval (samples cleared, next funding time the next epoch multiple after {@code now}).
     */
    public long closeInterval(long now) {
        long rate = rate(averagePremium());
        lastRate = rate;
        premiumSum = 0;
        samples = 0;
        predictedRate = rate(0);
        nextFunding = nextMultiple(now, spec.fundingIntervalNanos());
        return rate;
    }

    /** The per-interval rate: the 8-hour rate from the average premium, scaled to the interval. */
    private long rate(long averagePremium) {
        long rate8h = FundingRate.fundingRate(averagePremium, spec.interestRate8h(), spec.fundingClamp8h(), cap);
        return hasFunding() ? FundingRate.scaleToInterval(rate8h, spec.fundingIntervalNanos()) : rate8h;
    }

    /** The rate the current interval would settle at now. */
    @Override
    public long predictedRate() {
        return predictedRate;
    }

    /** The rate of the last settled interval; 0 before the first. */
    @Override
    public long lastRate() {
        return lastRate;
    }

    /** Feeds every field that affects future results into the hasher. */
    public void hashState(StateHasher hasher) {
        hasher.add(spec.toString()).add(unitsPerTick).add(cap).add(markUnits).add(emaBasis).add(lastEmaTime)
                .add(hasEma).add(nextSample).add(nextFunding).add(premiumSum).add(samples).add(predictedRate)
                .add(lastRate);
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Format version of {@link #writeSnapshot}; a reader for every earlier version stays in {@link #readSnapshot}. */
    public static final int SNAPSHOT_VERSION = 1;

    /**
     * Writes the pricing (version {@value #SNAPSHOT_VERSION}): its spec, units per tick and cap, then the mark, the
     * basis EMA, the next sample and funding times, the interval's premium sum and sample count, and the predicted
     * and last rates.
     */
    public void writeSnapshot(SnapshotWriter out) {
        SpecCodec.writePricing(out, spec);
        out.writeVarLong(unitsPerTick);
        out.writeVarLong(cap);
        out.writeVarLong(markUnits);
        out.writeVarLong(emaBasis);
        out.writeVarLong(lastEmaTime);
        out.writeBoolean(hasEma);
        out.writeVarLong(nextSample);
        out.writeVarLong(nextFunding);
        out.writeVarLong(premiumSum);
        out.writeVarInt(samples);
        out.writeVarLong(predictedRate);
        out.writeVarLong(lastRate);
    }

    /** A pricing as {@link #writeSnapshot} wrote it ({@code in.version()} is the section's version). */
    public static InstrumentPricing readSnapshot(SnapshotReader in) {
        PricingSpec spec = SpecCodec.readPricing(in);
        long unitsPerTick = in.readVarLong();
        long cap = in.readVarLong();
        if (unitsPerTick < 1 || cap < 0) {
            throw in.fail("pricing with " + unitsPerTick + " units per tick and cap " + cap);
        }
        InstrumentPricing pricing = new InstrumentPricing(spec, unitsPerTick, cap, 0);
        pricing.markUnits = in.readVarLong();
        pricing.emaBasis = in.readVarLong();
        pricing.lastEmaTime = in.readVarLong();
        pricing.hasEma = in.readBoolean();
        pricing.nextSample = in.readVarLong();
        pricing.nextFunding = in.readVarLong();
        pricing.premiumSum = in.readVarLong();
        pricing.samples = in.readVarInt();
        pricing.predictedRate = in.readVarLong();
        pricing.lastRate = in.readVarLong();
        return pricing;
    }
}
