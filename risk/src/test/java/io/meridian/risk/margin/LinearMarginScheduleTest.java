package io.meridian.risk.margin;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden vectors (Deribit legacy futures) and properties of {@link LinearMarginSchedule}. The instrument is a
 * BTC-settled linear contract with lots of 0.001 BTC, so 100 BTC = 100,000 lots and notionals are satoshis.
 */
class LinearMarginScheduleTest {
    private static final long BTC = 100_000_000L;
    private static final long LOTS_PER_BTC = 1_000;
    private final LinearMarginSchedule deribit = LinearMarginSchedule.deribitLegacy(100 * LOTS_PER_BTC);

    @Test
    void deribitInitialMarginFor25And350Btc() {
        // Golden vectors: 25 BTC -> IM 2.125% = 0.53125 BTC; 350 BTC -> IM 3.75% = 13.125 BTC (at the max leverage,
        // where the rate term binds).
        assertEquals(53_125_000L, deribit.initialMargin(25 * LOTS_PER_BTC, 25 * BTC,
                deribit.maxLeverage(25 * LOTS_PER_BTC, 25 * BTC)));
        assertEquals(1_312_500_000L, deribit.initialMargin(350 * LOTS_PER_BTC, 350 * BTC,
                deribit.maxLeverage(350 * LOTS_PER_BTC, 350 * BTC)));
        // Same rate for a short, and for a lower user leverage the leverage term binds: 25 BTC at 10x = 2.5 BTC.
        assertEquals(53_125_000L, deribit.initialMargin(-25 * LOTS_PER_BTC, 25 * BTC, 100));
        assertEquals(250_000_000L, deribit.initialMargin(25 * LOTS_PER_BTC, 25 * BTC, 10));
    }

    @Test
    void deribitRatesMarginsAndLeverage() {
        // ceil(1 / 2.125%) = ceil(47.06) = 48; ceil(1 / 3.75%) = ceil(26.67) = 27.
        assertEquals(48, deribit.maxLeverage(25 * LOTS_PER_BTC, 25 * BTC));
        assertEquals(27, deribit.maxLeverage(350 * LOTS_PER_BTC, 350 * BTC));
        assertEquals(53_125_000L, deribit.initialMargin(25 * LOTS_PER_BTC, 25 * BTC, 48));
        assertEquals(53_191_490L, deribit.initialMargin(25 * LOTS_PER_BTC, 25 * BTC, 47), "25 BTC / 47, rounded up");
        assertEquals(21_250, deribit.initialRatePpm(25 * LOTS_PER_BTC));
        assertEquals(37_500, deribit.initialRatePpm(-350 * LOTS_PER_BTC), "shorts use |size|");
        // MM = 1.5% + 0.5% per 100 BTC: 25 BTC -> 1.625% = 0.40625 BTC; 350 BTC -> 3.25% = 11.375 BTC.
        assertEquals(16_250, deribit.maintenanceRatePpm(25 * LOTS_PER_BTC));
        assertEquals(40_625_000L, deribit.maintenanceMargin(25 * LOTS_PER_BTC, 25 * BTC));
        assertEquals(1_137_500_000L, deribit.maintenanceMargin(-350 * LOTS_PER_BTC, 350 * BTC));
        // Zero size: base rates, 2% and 1.5%, 50x.
        assertEquals(50, deribit.maxLeverage(0, 0));
        assertEquals(0, deribit.maintenanceMargin(0, 0));
    }

    @Test
    void ratesStopGrowingAtTheMaxSize() {
        assertEquals(196 * 100 * LOTS_PER_BTC, deribit.maxSizeLots());
        assertEquals(1_000_000, deribit.initialRatePpm(deribit.maxSizeLots()));
        assertEquals(1_000_000, deribit.initialRatePpm(10 * deribit.maxSizeLots()));
        assertEquals(995_000, deribit.maintenanceRatePpm(Long.MAX_VALUE));
        assertEquals(1, deribit.maxLeverage(Long.MAX_VALUE, 1));
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LinearMarginSchedule(15_000, 5_000, 15_000, 5_000, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearMarginSchedule(20_000, 4_000, 15_000, 5_000, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearMarginSchedule(20_000, 5_000, 0, 5_000, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearMarginSchedule(20_000, 5_000, 15_000, -1, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearMarginSchedule(20_000, 5_000, 15_000, 5_000, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearMarginSchedule(20_000, 5_000, 15_000, 5_000, 100, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new LinearMarginSchedule(20_000, 5_000, 15_000, 5_000, 100, 197 * 100), "IMR above 100%");
        assertThrows(IllegalArgumentException.class, () -> deribit.initialMargin(1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> deribit.maintenanceMargin(1, -1));
        MarginModel viaFactory = MarginModel.linear(20_000, 5_000, 15_000, 5_000, 100_000, 196 * 100_000);
        assertEquals(53_125_000L, viaFactory.initialMargin(25_000, 25 * BTC, 1_000));
    }

    @Property(tries = 1_000)
    void requirementsAreExactRoundedUpAndOrdered(@ForAll @LongRange(min = -30_000_000, max = 30_000_000) long size,
                                                 @ForAll @LongRange(min = 1, max = 20_000_000) long priceTicks,
                                                 @ForAll @IntRange(min = 1, max = 100) int leverage) {
        long notional = Notional.of(size, priceTicks, 1);
        long capped = Math.min(Math.abs(size), deribit.maxSizeLots());
        BigDecimal step = BigDecimal.valueOf(100 * LOTS_PER_BTC);
        BigDecimal growth = BigDecimal.valueOf(5_000 * capped).divide(step, 20, RoundingMode.UNNECESSARY);
        BigDecimal imr = BigDecimal.valueOf(20_000).add(growth);
        BigDecimal mmr = BigDecimal.valueOf(15_000).add(growth);
        BigDecimal n = BigDecimal.valueOf(notional);
        BigDecimal million = BigDecimal.valueOf(1_000_000);
        long mm = n.multiply(mmr).divide(million).setScale(0, RoundingMode.CEILING).longValueExact();
        long byRate = n.multiply(imr).divide(million).setScale(0, RoundingMode.CEILING).longValueExact();
        long byLeverage = n.divide(BigDecimal.valueOf(leverage), 0, RoundingMode.CEILING).longValueExact();
        long im = Math.max(byRate, byLeverage);
        assertEquals(byRate, deribit.initialMargin(size, notional, deribit.maxLeverage(size, notional)),
                "at the max leverage the rate term binds");
        assertEquals(mm, deribit.maintenanceMargin(size, notional));
        assertEquals(im, deribit.initialMargin(size, notional, leverage));
        assertTrue(im >= mm);
        assertTrue(deribit.initialMargin(size + Long.signum(size), notional, leverage) >= im, "monotone in size");
        assertTrue(deribit.initialMargin(size, notional, leverage + 1) <= im, "non-increasing in leverage");
    }
}
