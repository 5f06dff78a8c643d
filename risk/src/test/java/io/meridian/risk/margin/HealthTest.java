package io.meridian.risk.margin;

import io.meridian.model.InstrumentSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health, margin ratio and liquidation price examples. The instrument is BTC-PERP settled in USDC (6 decimals) with
 * tick 0.1 and lot 0.001, so one lot moving one tick is 100 minor units, 1 BTC is 1,000 lots and 60,000.0 is
 * 600,000 ticks; margins use the Binance USDT-M BTCUSDT example table.
 */
class HealthTest {
    private static final long USDC = 1_000_000L;
    private static final InstrumentSpec BTC_PERP = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001");
    private static final long UNIT = BTC_PERP.minorUnitsPerTickLot();
    private static final MarginSchedule TIERS = MarginSchedule.binanceUsdtMBtcUsdt(6);

    @Test
    void healthIsDriftsFormulaRoundedDown() {
        assertEquals(75, Health.health(10_000 * USDC, 2_500 * USDC));
        assertEquals(66, Health.health(3, 1), "100 x 2/3 = 66.67, rounded down");
        assertEquals(0, Health.health(2_500 * USDC, 2_500 * USDC), "equity == MM");
        assertEquals(0, Health.health(1_000, 2_500));
        assertEquals(0, Health.health(-5, 2_500));
        assertEquals(0, Health.health(-5, 0), "negative equity without positions");
        assertEquals(100, Health.health(0, 0));
        assertEquals(100, Health.health(10, 0));
        assertEquals(99, Health.health(Long.MAX_VALUE, 1));
        assertEquals(0, Health.health(Long.MAX_VALUE - 1, Long.MAX_VALUE));
    }

    @Test
    void marginRatioRoundsUp() {
        assertEquals(250_000, Health.marginRatioPpm(10_000 * USDC, 2_500 * USDC));
        assertEquals(333_334, Health.marginRatioPpm(3, 1), "33.3333%, rounded up");
        assertEquals(1_000_000, Health.marginRatioPpm(2_500, 2_500));
        assertEquals(Long.MAX_VALUE, Health.marginRatioPpm(0, 1));
        assertEquals(Long.MAX_VALUE, Health.marginRatioPpm(-1, 1));
        assertEquals(Long.MAX_VALUE, Health.marginRatioPpm(1, Long.MAX_VALUE));
        assertEquals(0, Health.marginRatioPpm(5, 0));
        assertTrue(Health.isLiquidatable(2_500, 2_500));
        assertFalse(Health.isLiquidatable(2_501, 2_500));
        assertFalse(Health.isLiquidatable(-1, 0), "nothing to liquidate");
    }

    @Test
    void longLiquidationPriceCrossesIntoALowerTier() {
        // Long 1 BTC at 60,000.0 with 12,000 USDC isolated. Tier 2 (notional >= 50,000 USDT: MM = 0.5% - 50) would put
        // the root at 48,190.95, whose notional is in tier 1; tier 1 (MM = 0.4%) gives 48,192.77, consistent.
        long size = 1_000;
        long openValue = Notional.value(size, 600_000, UNIT);
        long liq = Health.liquidationPrice(TIERS, BTC_PERP, size, openValue, 12_000 * USDC, 0);
        assertEquals(481_927, liq);
        assertEquals(0, TIERS.tierIndex(Notional.of(size, liq, UNIT)));
        assertTrue(surplus(TIERS, size, openValue, 12_000 * USDC, 0, liq) <= 0);
        assertTrue(surplus(TIERS, size, openValue, 12_000 * USDC, 0, liq + 1) > 0);
        assertEquals(-70_800, surplus(TIERS, size, openValue, 12_000 * USDC, 0, liq));
    }

    @Test
    void longAndShortLiquidationPricesInTier2() {
        long size = 1_000;
        long openValue = Notional.value(size, 600_000, UNIT);
        // Long, 3,000 USDC: 99,500 p = 56,950,000,000 -> p = 572,361.8 -> highest liquidating tick 572,361.
        assertEquals(572_361, Health.liquidationPrice(TIERS, UNIT, size, openValue, 3_000 * USDC, 0));
        // Short, 3,000 USDC: 100,500 p = 63,050,000,000 -> p = 627,363.2 -> lowest liquidating tick 627,364.
        long liqShort = Health.liquidationPrice(TIERS, UNIT, -size, -openValue, 3_000 * USDC, 0);
        assertEquals(627_364, liqShort);
        assertTrue(surplus(TIERS, -size, -openValue, 3_000 * USDC, 0, liqShort) <= 0);
        assertTrue(surplus(TIERS, -size, -openValue, 3_000 * USDC, 0, liqShort - 1) > 0);
    }

    @Test
    void crossModeCountsOtherPositionsAsConstants() {
        long size = 1_000;
        long openValue = Notional.value(size, 600_000, UNIT);
        // Cross: 12,000 USDC of collateral but other positions need 9,000 USDC of MM -> same as 3,000 isolated.
        assertEquals(572_361, Health.liquidationPrice(TIERS, UNIT, size, openValue, 12_000 * USDC, 9_000 * USDC));
    }

    @Test
    void specialCases() {
        long openValue = Notional.value(1_000, 600_000, UNIT);
        assertEquals(Health.NO_LIQUIDATION_PRICE, Health.liquidationPrice(TIERS, UNIT, 0, 0, 1, 0));
        // A long with collateral covering its whole entry value cannot be liquidated at any positive price.
        assertEquals(0, Health.liquidationPrice(TIERS, UNIT, 1_000, openValue, openValue, 0));
        // ... one tick's worth less and it is liquidatable at price 1 tick.
        assertEquals(1, Health.liquidationPrice(TIERS, UNIT, 1_000, openValue, openValue - 100_000, 0));
        // Already below maintenance at every price: a long triggers at any mark, a short too.
        assertEquals(Long.MAX_VALUE, Health.liquidationPrice(TIERS, UNIT, 1_000, openValue, 0, Long.MAX_VALUE >> 1));
        // A short whose collateral is minus its entry value has equity -size x price: negative at every price.
        assertEquals(1, Health.liquidationPrice(TIERS, UNIT, -1_000, -openValue, -openValue, 0));
        // A tiny short with an enormous collateral has no liquidation price below the price limit.
        assertEquals(0, Health.liquidationPrice(TIERS, 1, -1, -1, Long.MAX_VALUE >> 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Health.liquidationPrice(TIERS, 0, 1, 1, 1, 0));
    }

    @Test
    void linearModelLiquidationPrice() {
        // Deribit-style MM on a USDC-settled BTC-PERP: 1 BTC long at 60,000.0 with 3,000 USDC.
        // MMR = 1.5% + 0.5% x 1/100 = 1.505% -> 100,000 p - 6e10 + 3e9 = 1,505 p -> p = 578,709.58 -> 578,709.
        LinearMarginSchedule deribit = LinearMarginSchedule.deribitLegacy(100_000);
        long openValue = Notional.value(1_000, 600_000, UNIT);
        assertEquals(578_709, Health.liquidationPrice(deribit, BTC_PERP, 1_000, openValue, 3_000 * USDC, 0));
    }

    static long surplus(MarginModel model, long size, long openValue, long collateral, long otherMm, long price) {
        long equity = collateral + size * price * UNIT - openValue;
        return equity - model.maintenanceMargin(size, Math.abs(size) * price * UNIT) - otherMm;
    }
}
