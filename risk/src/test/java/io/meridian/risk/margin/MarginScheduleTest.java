package io.meridian.risk.margin;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tests and golden vectors of {@link MarginSchedule}; BTC amounts in satoshis, USDT in 6-decimal units. */
class MarginScheduleTest {
    private static final long BTC = 100_000_000L;
    private static final long USDT = 1_000_000L;

    private final MarginSchedule coinM = MarginSchedule.binanceCoinMBtcUsd();

    @Test
    void binanceCoinMBracket5MaintenanceAmountIs181Btc() {
        // Golden vector (Binance COIN-M FAQ): bracket 5 = 50 BTC x (5% - 2.5%) + 0.56 = 1.81 BTC.
        assertEquals(56_000_000L, coinM.maintenanceAmount(3), "bracket 4: 0.56 BTC");
        assertEquals(181_000_000L, coinM.maintenanceAmount(4), "bracket 5: 1.81 BTC");
        assertEquals(0, coinM.maintenanceAmountFraction(4));
        long[] expected = {0, 1_000_000L, 11_000_000L, 56_000_000L, 181_000_000L, 681_000_000L, 1_181_000_000L,
            2_181_000_000L, 12_181_000_000L};
        assertEquals(expected.length, coinM.tierCount());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], coinM.maintenanceAmount(i), "bracket " + (i + 1));
            assertEquals(0, coinM.maintenanceAmountFraction(i));
        }
    }

    @Test
    void binanceCoinMMaintenanceMarginIsNotionalTimesRateMinusAmount() {
        // 60 BTC in bracket 5: 60 x 5% - 1.81 = 1.19 BTC.
        assertEquals(4, coinM.tierIndex(60 * BTC));
        assertEquals(119_000_000L, coinM.maintenanceMargin(60 * BTC));
        // At the 50 BTC floor both brackets agree: 50 x 5% - 1.81 = 50 x 2.5% - 0.56 = 0.69 BTC.
        assertEquals(69_000_000L, coinM.maintenanceMargin(50 * BTC));
        assertEquals(69_000_000L, coinM.maintenanceMargin(50 * BTC - 1), "ceil(69,000,000 - 0.025)");
        assertEquals(4, coinM.tierIndex(50 * BTC));
        assertEquals(3, coinM.tierIndex(50 * BTC - 1));
        // Bracket 1: 5 BTC x 0.4% = 0.02 BTC; 1 satoshi x 0.4% rounds up to 1.
        assertEquals(2_000_000L, coinM.maintenanceMargin(5 * BTC));
        assertEquals(1, coinM.maintenanceMargin(1));
        assertEquals(0, coinM.maintenanceMargin(0));
        // Last bracket: 2,000 BTC x 25% - 121.81 = 378.19 BTC.
        assertEquals(37_819_000_000L, coinM.maintenanceMargin(2_000 * BTC));
    }

    @Test
    void binanceUsdtMAmountsMatchThePublishedCumulativeAmounts() {
        MarginSchedule usdtM = MarginSchedule.binanceUsdtMBtcUsdt(6);
        long[] expected = {0, 50, 1_300, 16_300, 266_300, 1_266_300, 2_516_300, 5_016_300, 25_016_300, 100_016_300};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] * USDT, usdtM.maintenanceAmount(i), "tier " + (i + 1));
        }
        assertEquals(125, usdtM.maxLeverage(0));
        assertEquals(1, usdtM.maxLeverage(400_000_000L * USDT));
    }

    @Test
    void tiersLeverageAndInitialMargin() {
        assertEquals(0, coinM.tierIndex(0));
        assertEquals(0, coinM.tierIndex(10 * BTC - 1));
        assertEquals(1, coinM.tierIndex(10 * BTC));
        assertEquals(8, coinM.tierIndex(Long.MAX_VALUE));
        assertEquals(coinM.tiers().get(4), coinM.tier(60 * BTC));
        assertEquals(125, coinM.maxLeverage(1));
        assertEquals(10, coinM.maxLeverage(60 * BTC));
        assertEquals(3, coinM.maxLeverage(400 * BTC));
        assertEquals(2, coinM.maxLeverage(5_000 * BTC));
        // 60 BTC: IM = max(60 x 10%, 60 / leverage).
        assertEquals(12 * BTC, coinM.initialMargin(60 * BTC, 5));
        assertEquals(6 * BTC, coinM.initialMargin(60 * BTC, 10));
        assertEquals(6 * BTC, coinM.initialMargin(60 * BTC, 20), "above the tier max the IMR binds");
        assertEquals(60 * BTC, coinM.initialMargin(60 * BTC, 1));
        // Rounding up: 1 satoshi at 100x needs 1 satoshi; 101 satoshis at 100x need 2.
        assertEquals(1, coinM.initialMargin(1, 100));
        assertEquals(2, coinM.initialMargin(101, 100));
        // The MarginModel view ignores the size.
        assertEquals(coinM.maintenanceMargin(60 * BTC), coinM.maintenanceMargin(-123, 60 * BTC));
        assertEquals(coinM.initialMargin(60 * BTC, 5), coinM.initialMargin(7, 60 * BTC, 5));
        assertEquals(10, coinM.maxLeverage(7, 60 * BTC));
    }

    @Test
    void fractionalAmountsAreKeptExactlyAndRoundedOnce() {
        // amt(1) = 1,234,567 x (5,001 - 4,000) / 1e6 = 1,235.801567 minor units.
        MarginSchedule schedule = new MarginSchedule(List.of(
                MarginTier.of(0, 4_000, 8_000),
                MarginTier.of(1_234_567, 5_001, 10_000),
                MarginTier.of(9_999_999_999L, 7_777, 20_000)));
        assertEquals(1_235, schedule.maintenanceAmount(1));
        assertEquals(801_567, schedule.maintenanceAmountFraction(1));
        long[] samples = {0, 1, 999_999, 1_234_566, 1_234_567, 1_234_568, 5_000_000_000L, 9_999_999_998L,
            9_999_999_999L, 123_456_789_012_345L};
        for (long n : samples) {
            assertEquals(exactMaintenance(schedule, n), schedule.maintenanceMargin(n), "notional " + n);
        }
    }

    @Test
    void hugeNotionalsDoNotOverflow() {
        MarginSchedule usdtM = MarginSchedule.binanceUsdtMBtcUsdt(6);
        long n = 4_000_000_000_000_000_000L; // 4e18 minor units = 4e12 USDT
        assertEquals(exactMaintenance(usdtM, n), usdtM.maintenanceMargin(n));
        assertEquals(n, usdtM.initialMargin(n, 1));
    }

    @Test
    void inconsistentTablesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MarginSchedule(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new MarginSchedule(List.of(MarginTier.of(1, 4_000, 8_000))),
                "first floor must be 0");
        assertThrows(IllegalArgumentException.class, () -> new MarginSchedule(List.of(
                MarginTier.of(0, 4_000, 8_000), MarginTier.of(0, 5_000, 10_000))), "floors strictly increasing");
        assertThrows(IllegalArgumentException.class, () -> new MarginSchedule(List.of(
                MarginTier.of(0, 5_000, 10_000), MarginTier.of(10, 4_000, 10_000))), "MMR decreasing");
        assertThrows(IllegalArgumentException.class, () -> new MarginSchedule(List.of(
                MarginTier.of(0, 4_000, 10_000), MarginTier.of(10, 5_000, 8_000))), "IMR decreasing");
        assertThrows(IllegalArgumentException.class, () -> MarginTier.of(0, 8_000, 8_000), "IMR must exceed MMR");
        assertThrows(IllegalArgumentException.class, () -> MarginTier.of(0, 0, 8_000), "MMR positive");
        assertThrows(IllegalArgumentException.class, () -> MarginTier.of(0, 4_000, 1_000_001), "IMR <= 100%");
        assertThrows(IllegalArgumentException.class, () -> MarginTier.of(-1, 4_000, 8_000), "floor >= 0");
        assertThrows(IllegalArgumentException.class, () -> new MarginTier(0, 4_000, 8_000, 100), "125x expected");
        assertThrows(IllegalArgumentException.class, () -> new MarginTier(0, 4_000, 8_000, 126), "125x expected");
        assertEquals(125, new MarginTier(0, 4_000, 8_000, 125).maxLeverage());
        assertThrows(IllegalArgumentException.class, () -> coinM.maintenanceMargin(-1));
        assertThrows(IllegalArgumentException.class, () -> coinM.initialMargin(10, 0));
    }

    @Test
    void initialMarginIsAtLeastMaintenanceAcrossTheTable() {
        for (long n = 0; n <= 2_000 * BTC; n += 7 * BTC + 12_345) {
            assertTrue(coinM.initialMargin(n, coinM.maxLeverage(n)) >= coinM.maintenanceMargin(n), "notional " + n);
        }
    }

    /** ceil(notional x MMR - amt) computed from scratch with BigDecimal (amounts by the Binance recurrence). */
    static long exactMaintenance(MarginSchedule schedule, long notional) {
        List<MarginTier> tiers = schedule.tiers();
        BigDecimal ppm = BigDecimal.valueOf(1_000_000);
        BigDecimal amount = BigDecimal.ZERO;
        int t = 0;
        for (int i = 1; i < tiers.size() && tiers.get(i).notionalFloor() <= notional; i++) {
            long delta = tiers.get(i).maintenanceRatePpm() - tiers.get(i - 1).maintenanceRatePpm();
            amount = amount.add(BigDecimal.valueOf(tiers.get(i).notionalFloor()).multiply(BigDecimal.valueOf(delta))
                    .divide(ppm));
            t = i;
        }
        BigDecimal mm = BigDecimal.valueOf(notional).multiply(BigDecimal.valueOf(tiers.get(t).maintenanceRatePpm()))
                .divide(ppm).subtract(amount);
        return mm.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
