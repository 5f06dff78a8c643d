package io.meridian.pricing;

import io.meridian.model.PricingSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        future.updateMark(0, 5_000_000, 499_000, 501_000, 0);
        assertEquals(0, future.emaBasis());
        // mid 502,000 ticks = 5,020,000 units: basis 20,000; 75 s of 150 s moves it half way.
        future.updateMark(75 * SECOND, 5_000_000, 501_000, 503_000, 0);
        assertEquals(10_000, future.emaBasis());
        // Ten windows later one sample takes it all the way (dt is capped at the window).
        future.updateMark(1_575 * SECOND, 5_000_000, 501_000, 503_000, 0);
        assertEquals(20_000, future.emaBasis());
    }

    @Property(tries = 200)
    void theMarkLiesBetweenTheSmallestAndLargestComponent(@ForAll @LongRange(min = 1_000, max = 10_000_000) long index,
                                                         @ForAll @LongRange(min = 100, max = 1_000_000) long bid,
                                                         @ForAll @LongRange(min = 1, max = 1_000) long spread,
                                                         @ForAll @LongRange(min = 0, max = 1_000_000) long last) {
        InstrumentPricing pricing = perpetual(0);
        long mark = pricing.updateMark(HOUR, index, bid, bid + spread, last);
        long p1 = index + index * 100_000L * 7 / 8 / 1_000_000_000L;
        long p2 = (bid + bid + spread) * 10 / 2;
        long lo = Math.min(Math.min(index, p1), last > 0 ? Math.min(p2, last * 10) : p2);
        long hi = Math.max(Math.max(index, p1), last > 0 ? Math.max(p2, last * 10) : p2);
        long units = pricing.markUnits();
        assertTrue(units >= Math.min(lo, p1) && units <= Math.max(hi, p1), "mark " + units + " outside components");
        assertTrue(mark >= 1);
    }
}
