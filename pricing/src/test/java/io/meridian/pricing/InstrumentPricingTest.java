package io.meridian.pricing;

import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mark-price components, the basis EMA, and the premium/funding schedule of one instrument. */
class InstrumentPricingTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3_600 * SECOND;
    /** Cap of 2.4% per interval, index units = ticks x 10. */
    private static final long CAP = 24_000_000;

    private static InstrumentPricing perpetual(long now) {
        return new InstrumentPricing(PricingSpec.perpetual(0, 6), 10, CAP, now);
    }

    @Test
    void scheduleIsAlignedToTheEpoch() {
        InstrumentPricing pricing = perpetual(HOUR + 5 * SECOND);
        assertEquals(HOUR + 60 * SECOND, pricing.nextDue());
        assertEquals(8 * HOUR, pricing.nextFundingTime());
        assertFalse(pricing.sampleDue(HOUR + 59 * SECOND));
        assertTrue(pricing.sampleDue(HOUR + 60 * SECOND));
        assertEquals(8 * HOUR, InstrumentPricing.nextMultiple(0, 8 * HOUR));
        assertEquals(16 * HOUR, InstrumentPricing.nextMultiple(8 * HOUR, 8 * HOUR));
    }

    @Test
    void theRateAveragesTheIntervalsSamplesAndIsClampedAndCapped() {
        InstrumentPricing pricing = perpetual(0);
        assertEquals(100_000, pricing.predictedRate(), "no samples: F = clamp(I) = I");
        pricing.addPremiumSample(2_000_000, 60 * SECOND);
        pricing.addPremiumSample(1_000_001, 120 * SECOND);
        // avgP = 3,000,001 / 2 = 1,500,000 (toward zero); F = P + clamp(I - P, -c, c) = 1,500,000 - 500,000.
        assertEquals(1_500_000, pricing.averagePremium());
        assertEquals(1_000_000, pricing.predictedRate());
        pricing.addPremiumSample(200_000_000, 180 * SECOND);
        assertEquals(CAP, pricing.predictedRate(), "capped at 6 x (IMR - MMR)");
        assertEquals(CAP, pricing.closeInterval(8 * HOUR));
        assertEquals(CAP, pricing.lastRate());
        assertEquals(0, pricing.samples());
        assertEquals(16 * HOUR, pricing.nextFundingTime());
        assertEquals(100_000, pricing.predictedRate());
    }

    @Test
    void negativePremiumsRoundTowardZero() {
        InstrumentPricing pricing = perpetual(0);
        pricing.addPremiumSample(-3, 60 * SECOND);
        pricing.addPremiumSample(-4, 120 * SECOND);
        assertEquals(-3, pricing.averagePremium());
    }

    @Test
    void aDatedFutureHasNoFundingAndItsMarkIsTheIndexWithoutBook() {
        InstrumentPricing future = new InstrumentPricing(PricingSpec.datedFuture(0, 6), 10, CAP, 0);
        assertEquals(Long.MAX_VALUE, future.nextDue());
        assertEquals(500_000, future.updateMark(SECOND, 5_000_000, 0, 0, 0));
        assertEquals(500_001, future.updateMark(SECOND, 5_000_005, 0, 0, 0), "rounded half up to a tick");
        assertEquals(500_000, future.updateMark(SECOND, 5_000_004, 0, 0, 0));
    }

    @Test
    void theMedianCountsMissingComponentsAsTheIndexPrice() {
        assertEquals(100, InstrumentPricing.median(100, 0, 0));
        assertEquals(100, InstrumentPricing.median(100, 0, 500));
        assertEquals(100, InstrumentPricing.median(100, 90, 0));
        assertEquals(105, InstrumentPricing.median(100, 110, 105));
        assertEquals(100, InstrumentPricing.median(100, 110, 90));
    }

    @Test
    void theBasisEmaMovesByTheElapsedFractionOfItsWindowAndAtMostAllTheWay() {
        InstrumentPricing future = new InstrumentPricing(PricingSpec.datedFuture(0, 6), 10, CAP, 0);
        future.updateMark(0, 5_000_000, 4_990_000, 5_010_000, 0);
        assertEquals(0, future.emaBasis());
        // Impact mid 5,020,000 units: basis 20,000 (inside the 0.5% band of 25,000); 75 s of 150 s moves it half way.
        future.updateMark(75 * SECOND, 5_000_000, 5_010_000, 5_030_000, 0);
        assertEquals(10_000, future.emaBasis());
        // Ten windows later one sample takes it all the way (dt is capped at the window).
        future.updateMark(1_575 * SECOND, 5_000_000, 5_010_000, 5_030_000, 0);
        assertEquals(20_000, future.emaBasis());
    }

    @Test
    void theBookAndTheLastTradeAreClampedToTheMarkBandAroundTheIndex() {
        // Index 5,000,000 units, band 0.5% = 25,000 units.
        InstrumentPricing future = new InstrumentPricing(PricingSpec.datedFuture(0, 6), 10, CAP, 0);
        // A book 20% above the index: the sample is clamped to the band before it enters the EMA.
        future.updateMark(0, 5_000_000, 6_000_000, 6_000_010, 0);
        assertEquals(25_000, future.emaBasis());
        // A print at 40% above the index is clamped too; the median of index, +band and +band is +band.
        assertEquals(502_500, future.updateMark(SECOND, 5_000_000, 0, 0, 700_000));
        // The index halves: the EMA (25,000, sampled against the old index) is re-clamped to the new band (12,500).
        assertEquals(251_250, future.updateMark(2 * SECOND, 2_500_000, 0, 0, 700_000));
        assertEquals(2_512_500, future.markUnits());
    }

    @Test
    void aSideThatCannotFillTheImpactNotionalTakesNoSample() {
        InstrumentPricing future = new InstrumentPricing(PricingSpec.datedFuture(0, 6), 10, CAP, 0);
        future.updateMark(0, 5_000_000, 5_010_000, 0, 0);
        future.updateMark(SECOND, 5_000_000, 0, 5_010_000, 0);
        assertEquals(0, future.emaBasis());
        assertEquals(500_000, future.updateMark(2 * SECOND, 5_000_000, 0, 0, 0), "the index alone");
        future.updateMark(3 * SECOND, 5_000_000, 5_010_000, 5_020_000, 0);
        assertEquals(15_000, future.emaBasis(), "the first two-sided sample sets it");
    }

    @Test
    void markBandOutOfRangeIsInvalid() {
        assertNull(PricingSpec.perpetual(0, 6).validate());
        assertEquals(RejectReason.INVALID_PRICING,
                PricingSpec.perpetual(0, 6).withMarkBandPpm(0).validate());
        assertEquals(RejectReason.INVALID_PRICING,
                PricingSpec.perpetual(0, 6).withMarkBandPpm(PricingSpec.MAX_MARK_BAND_PPM + 1).validate());
        assertNull(PricingSpec.perpetual(0, 6).withMarkBandPpm(PricingSpec.MAX_MARK_BAND_PPM).validate());
    }

    /**
     * Whatever the book's impact prices and the last trade are, over a sequence of updates, the mark stays within the
     * band of the index before rounding to a tick (every component is clamped to it, p1 included), and within half a
     * tick more after.
     */
    @Property(tries = 300, seed = "15")
    void noBookOrTradeMovesTheMarkBeyondTheBand(@ForAll @LongRange(min = 1_000, max = 10_000_000) long index,
                                                @ForAll("updates") List<long[]> updates) {
        InstrumentPricing pricing = perpetual(0);
        long band = index * PricingSpec.DEFAULT_MARK_BAND_PPM / 1_000_000;
        long now = 0;
        for (long[] u : updates) {
            now += u[0];
            if (u[4] != 0) {
                pricing.addPremiumSample(u[4], now);
            }
            long mark = pricing.updateMark(now, index, u[1], u[2], u[3]);
            assertTrue(Math.abs(pricing.markUnits() - index) <= band,
                    "mark " + pricing.markUnits() + " index " + index + " band " + band);
            assertTrue(Math.abs(mark * 10 - index) <= band + 5, "ticks " + mark);
        }
    }

    @Provide
    Arbitrary<List<long[]>> updates() {
        Arbitrary<Long> price = Arbitraries.oneOf(Arbitraries.just(0L),
                Arbitraries.longs().between(1, 1_000_000_000L));
        // A premium sample (0 = none) of up to +-100%, so the predicted rate, and with it p1, can reach the cap.
        Arbitrary<Long> premium = Arbitraries.oneOf(Arbitraries.just(0L),
                Arbitraries.longs().between(-1_000_000_000L, 1_000_000_000L));
        return Combinators.combine(Arbitraries.longs().between(0, 600 * SECOND), price,
                price, Arbitraries.longs().between(0, 100_000_000L), premium)
                .as((dt, bid, ask, last, p) -> new long[] {dt, bid, ask, last, p}).list().ofMinSize(1).ofMaxSize(20);
    }
}
