package io.meridian.risk.margin;

import io.meridian.model.InstrumentSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of {@link Health}: health and margin ratio against BigDecimal, and the liquidation-price round trip for
 * random positions, tick values, collateral and other positions' MM, over random tiered tables and the Deribit-style
 * linear model. The round trip checks, with surplus = equity - required maintenance margin:
 * at the returned tick the account is liquidatable (surplus <= 0) by less than one tick's value, one tick safer it is
 * not, and for random ticks, liquidatable exactly on the returned side.
 */
class HealthProperties {

    @Property(tries = 3_000)
    void healthAndMarginRatioRoundAgainstTheAccount(
            @ForAll @LongRange(min = -1_000_000_000_000L, max = Long.MAX_VALUE) long equity,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long mm) {
        int health = Health.health(equity, mm);
        assertTrue(health >= 0 && health <= 100);
        assertEquals(Health.isLiquidatable(equity, mm), mm > 0 && health == 0 && equity <= mm);
        if (mm > 0 && equity > mm) {
            BigDecimal exact = BigDecimal.valueOf(100).multiply(BigDecimal.ONE.subtract(
                    BigDecimal.valueOf(mm).divide(BigDecimal.valueOf(equity), 40, RoundingMode.HALF_EVEN)));
            assertEquals(exact.setScale(0, RoundingMode.FLOOR).intValueExact(), health, equity + " / " + mm);
            BigDecimal ratio = BigDecimal.valueOf(mm).multiply(BigDecimal.valueOf(1_000_000))
                    .divide(BigDecimal.valueOf(equity), 0, RoundingMode.CEILING);
            assertEquals(ratio.longValueExact(), Health.marginRatioPpm(equity, mm));
            assertTrue(Health.marginRatioPpm(equity, mm) <= 1_000_000);
        }
        if (mm > 0 && equity <= mm && equity > 0) {
            assertTrue(Health.marginRatioPpm(equity, mm) >= 1_000_000);
        }
    }

    @Property(tries = 1_000)
    void liquidationPriceRoundTripTiered(@ForAll Random random) {
        MarginSchedule schedule = random.nextBoolean() ? MarginFixtures.randomSchedule(random)
                : MarginSchedule.binanceUsdtMBtcUsdt(6);
        checkRoundTrip(schedule, random);
    }

    @Property(tries = 500)
    void liquidationPriceRoundTripLinear(@ForAll Random random) {
        checkRoundTrip(LinearMarginSchedule.deribitLegacy(1 + random.nextInt(1_000_000)), random);
    }

    private static void checkRoundTrip(MarginModel model, Random random) {
        long[] units = {1, 100, 10_000, 1_000_000};
        long unit = units[random.nextInt(units.length)];
        long entry = 1_000 + (long) (random.nextDouble() * 10_000_000);
        // Notionals up to ~1e16 minor units (1e10 USDC), far inside the search's 2^61 bound.
        long maxSize = Math.max(1, 10_000_000_000_000_000L / (entry * unit));
        long size = Math.min(maxSize, 1 + (long) (random.nextDouble() * Math.pow(10, random.nextInt(7))));
        size = random.nextBoolean() ? size : -size;
        long openValue = Notional.value(size, entry, unit);
        long notional = Math.abs(openValue);
        // Collateral from 1/200 of the notional (below maintenance) to 2x (fully collateralised long).
        long collateral = (long) (notional * (0.005 + random.nextDouble() * (random.nextBoolean() ? 0.2 : 2.0)));
        long otherMm = random.nextBoolean() ? 0 : (long) (notional * random.nextDouble() * 0.01);
        long perTick = Math.abs(size) * unit;
        long liq = Health.liquidationPrice(model, unit, size, openValue, collateral, otherMm);
        String context = "size " + size + " entry " + entry + " unit " + unit + " collateral " + collateral
                + " other " + otherMm + " -> " + liq;
        if (size > 0) {
            if (liq == Health.NO_LIQUIDATION_PRICE) {
                assertTrue(surplus(model, unit, size, openValue, collateral, otherMm, 1) > 0, context);
                return;
            }
            assertTrue(liq >= 1 && liq < InstrumentSpec.PRICE_LIMIT, context);
            long atLiq = surplus(model, unit, size, openValue, collateral, otherMm, liq);
            assertTrue(atLiq <= 0, "liquidatable at the price: " + context);
            assertTrue(atLiq > -perTick, "within one tick's value: " + context);
            assertTrue(surplus(model, unit, size, openValue, collateral, otherMm, liq + 1) > 0, "one tick safer: " + context);
        } else {
            if (liq == Health.NO_LIQUIDATION_PRICE) {
                long bound = Math.min(InstrumentSpec.PRICE_LIMIT, (Long.MAX_VALUE >> 2) / perTick);
                assertTrue(surplus(model, unit, size, openValue, collateral, otherMm, bound) > 0, context);
                return;
            }
            assertTrue(liq >= 1 && liq < InstrumentSpec.PRICE_LIMIT, context);
            long atLiq = surplus(model, unit, size, openValue, collateral, otherMm, liq);
            assertTrue(atLiq <= 0, "liquidatable at the price: " + context);
            if (liq > 1) {
                long safer = surplus(model, unit, size, openValue, collateral, otherMm, liq - 1);
                assertTrue(safer > 0, "one tick safer: " + context);
                long mmStep = model.maintenanceMargin(size, perTick * liq) - model.maintenanceMargin(size, perTick * (liq - 1));
                assertTrue(atLiq > -(perTick + mmStep), "within one tick's value: " + context);
            }
        }
        // Anywhere else: liquidatable exactly on the returned side.
        for (int i = 0; i < 20; i++) {
            long p = Math.max(1, liq + (long) (random.nextGaussian() * Math.max(10, liq / 10)));
            boolean liquidatable = surplus(model, unit, size, openValue, collateral, otherMm, p) <= 0;
            boolean predicted = size > 0 ? p <= liq : p >= liq;
            assertEquals(predicted, liquidatable, "price " + p + ": " + context);
        }
        assertFalse(size > 0 && liq == Long.MAX_VALUE, context);
    }

    private static long surplus(MarginModel model, long unit, long size, long openValue, long collateral, long otherMm,
                                long price) {
        long equity = Math.addExact(collateral, Notional.unrealizedPnl(size, openValue, price, unit));
        long required = Math.addExact(model.maintenanceMargin(size, Notional.of(size, price, unit)), otherMm);
        return Math.subtractExact(equity, required);
    }
}
