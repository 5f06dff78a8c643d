package io.meridian.risk.margin;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Fees}, {@link FeeTier} and {@link FeeSchedule}: rounding direction, validation, and properties. */
class FeesTest {
    private static final BigDecimal PPM = BigDecimal.valueOf(1_000_000);

    @Test
    void feesRoundUpAndRebatesRoundDown() {
        // 12,345.678901 USDC at 0.05% = 6.1728394505 USDC -> 6.172840 charged.
        assertEquals(6_172_840L, Fees.takerFee(12_345_678_901L, 500));
        // Maker 0.02% = 2.4691357802 USDC -> 2.469136.
        assertEquals(2_469_136L, Fees.makerFee(12_345_678_901L, 200));
        // Maker -0.005% = rebate 0.61728394505 USDC -> 0.617283 paid, charge -617,283.
        assertEquals(-617_283L, Fees.makerFee(12_345_678_901L, -50));
        assertEquals(617_283L, Fees.makerRebate(12_345_678_901L, -50));
        assertEquals(0, Fees.makerRebate(12_345_678_901L, 200));
        // Tiny trades: any positive fee rounds up to at least one minor unit, any rebate below one rounds to 0.
        assertEquals(1, Fees.takerFee(1, 1));
        assertEquals(0, Fees.makerFee(1, -1));
        assertEquals(0, Fees.takerFee(0, 500));
        assertEquals(0, Fees.makerFee(12_345_678_901L, 0));
        // Large notionals stay exact: 4e18 x 0.05% = 2e15.
        assertEquals(2_000_000_000_000_000L, Fees.takerFee(4_000_000_000_000_000_000L, 500));
        assertThrows(IllegalArgumentException.class, () -> Fees.takerFee(-1, 500));
        assertThrows(IllegalArgumentException.class, () -> Fees.takerFee(1, -1));
    }

    @Test
    void scheduleTiersAndValidation() {
        FeeSchedule vip = FeeSchedule.exampleVip();
        assertEquals(11, vip.tierCount());
        assertEquals(new FeeTier(200, 500), vip.tier(0));
        assertEquals(6_172_840L, vip.takerFee(0, 12_345_678_901L));
        assertEquals(2_098_766L, vip.takerFee(9, 12_345_678_901L), "0.017%: 2.09876541317 rounded up");
        assertEquals(-617_283L, vip.makerFee(10, 12_345_678_901L));
        assertEquals(50, vip.tier(10).rebatePpm());
        assertEquals(0, vip.tier(0).rebatePpm());
        assertEquals(1, FeeSchedule.flat(-100, 100).tierCount());

        assertThrows(IllegalArgumentException.class, () -> new FeeTier(-101, 100), "rebate above taker");
        assertThrows(IllegalArgumentException.class, () -> new FeeTier(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new FeeTier(0, 1_000_001));
        assertThrows(IllegalArgumentException.class, () -> new FeeTier(1_000_001, 1));
        assertThrows(IllegalArgumentException.class, () -> new FeeSchedule(List.of()));
        // Each tier is fine alone, but a maker in tier 1 could earn 0.03% against a taker in tier 0 paying 0.02%.
        assertThrows(IllegalArgumentException.class, () -> new FeeSchedule(List.of(new FeeTier(0, 200),
                new FeeTier(-300, 400))));
    }

    @Property(tries = 2_000)
    void roundingNeverFavoursTheAccount(@ForAll @LongRange(min = 0, max = 4_000_000_000_000_000_000L) long notional,
                                        @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long ratePpm) {
        BigDecimal exact = BigDecimal.valueOf(notional).multiply(BigDecimal.valueOf(ratePpm)).divide(PPM);
        long charge = Fees.charge(notional, ratePpm);
        BigDecimal charged = BigDecimal.valueOf(charge);
        // Never less than the exact amount, and less than one minor unit more.
        assertTrue(charged.compareTo(exact) >= 0, charge + " < " + exact);
        assertTrue(charged.subtract(exact).compareTo(BigDecimal.ONE) < 0, charge + " vs " + exact);
        if (ratePpm < 0) {
            long rebate = Fees.makerRebate(notional, ratePpm);
            assertTrue(BigDecimal.valueOf(rebate).compareTo(exact.negate()) <= 0, "rebate over-paid");
            assertEquals(-charge, rebate);
        } else {
            assertEquals(charge, Fees.takerFee(notional, ratePpm));
        }
    }

    @Property(tries = 2_000)
    void theVenueNeverLosesOnATrade(@ForAll @LongRange(min = 0, max = 1_000_000_000_000_000L) long notional,
                                    @ForAll @IntRange(min = 0, max = 10) int makerTier,
                                    @ForAll @IntRange(min = 0, max = 10) int takerTier,
                                    @ForAll @LongRange(min = 0, max = 2_000) long taker,
                                    @ForAll @LongRange(min = 0, max = 2_000) long rebate) {
        FeeSchedule vip = FeeSchedule.exampleVip();
        assertTrue(vip.takerFee(takerTier, notional) + vip.makerFee(makerTier, notional) >= 0);
        if (rebate <= taker) {
            FeeSchedule pair = new FeeSchedule(List.of(new FeeTier(0, taker), new FeeTier(-rebate, taker + 10)));
            assertTrue(pair.takerFee(0, notional) + pair.makerFee(1, notional) >= 0);
        }
    }
}
