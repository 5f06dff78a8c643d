package io.meridian.risk.margin;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of {@link MarginSchedule} over random valid tables ({@link MarginFixtures}): MM exact against BigDecimal,
 * continuous across tier floors, monotone; IM exact, >= MM, monotone in notional and non-increasing in leverage.
 */
class MarginScheduleProperties {
    private static final int TRIES = 500;
    private static final BigDecimal PPM = BigDecimal.valueOf(1_000_000);

    @Property(tries = TRIES)
    void maintenanceMarginIsTheExactFormulaRoundedUp(@ForAll Random random) {
        MarginSchedule schedule = MarginFixtures.randomSchedule(random);
        for (int i = 0; i < 20; i++) {
            long n = MarginFixtures.randomNotional(random, schedule);
            assertEquals(MarginScheduleTest.exactMaintenance(schedule, n), schedule.maintenanceMargin(n), "notional " + n);
        }
    }

    @Property(tries = TRIES)
    void maintenanceMarginIsContinuousAcrossTierFloors(@ForAll Random random) {
        MarginSchedule schedule = MarginFixtures.randomSchedule(random);
        List<MarginTier> tiers = schedule.tiers();
        for (int i = 1; i < tiers.size(); i++) {
            long floor = tiers.get(i).notionalFloor();
            long jump = schedule.maintenanceMargin(floor) - schedule.maintenanceMargin(floor - 1);
            // The exact step over one minor unit is MMR(i-1) / 1e6 < 1; after rounding up it is 0 or 1.
            assertTrue(jump >= 0 && jump <= 1, "tier " + i + " floor " + floor + " jump " + jump);
            assertEquals(i, schedule.tierIndex(floor));
            assertEquals(i - 1, schedule.tierIndex(floor - 1));
        }
    }

    @Property(tries = TRIES)
    void maintenanceMarginIsMonotone(@ForAll Random random) {
        MarginSchedule schedule = MarginFixtures.randomSchedule(random);
        for (int i = 0; i < 20; i++) {
            long a = MarginFixtures.randomNotional(random, schedule);
            long b = MarginFixtures.randomNotional(random, schedule);
            long lo = Math.min(a, b);
            long hi = Math.max(a, b);
            assertTrue(schedule.maintenanceMargin(lo) <= schedule.maintenanceMargin(hi), lo + " vs " + hi);
            assertTrue(schedule.maintenanceMargin(lo) <= schedule.maintenanceMargin(lo + 1), "step at " + lo);
            assertTrue(schedule.maintenanceMargin(lo) >= 0);
        }
    }

    @Property(tries = TRIES)
    void initialMarginIsExactAtLeastMaintenanceAndMonotone(@ForAll Random random,
                                                          @ForAll @IntRange(min = 1, max = 200) int leverage) {
        MarginSchedule schedule = MarginFixtures.randomSchedule(random);
        for (int i = 0; i < 20; i++) {
            long a = MarginFixtures.randomNotional(random, schedule);
            long b = MarginFixtures.randomNotional(random, schedule);
            long lo = Math.min(a, b);
            long hi = Math.max(a, b);
            long im = schedule.initialMargin(lo, leverage);
            assertEquals(exactInitial(schedule, lo, leverage), im, "notional " + lo + " leverage " + leverage);
            assertTrue(im >= schedule.maintenanceMargin(lo), "IM >= MM at " + lo);
            int max = schedule.maxLeverage(lo);
            assertTrue(schedule.initialMargin(lo, max) >= schedule.maintenanceMargin(lo), "IM >= MM at max leverage");
            assertTrue(im <= schedule.initialMargin(hi, leverage), "monotone in notional " + lo + " vs " + hi);
            assertTrue(schedule.initialMargin(lo, leverage + 1) <= im, "non-increasing in leverage");
            assertTrue(schedule.initialMargin(lo, 1) >= im);
            assertTrue(schedule.maxLeverage(hi) <= max, "max leverage non-increasing");
        }
    }

    private static long exactInitial(MarginSchedule schedule, long notional, int leverage) {
        BigDecimal n = BigDecimal.valueOf(notional);
        BigDecimal byRate = n.multiply(BigDecimal.valueOf(schedule.tier(notional).initialRatePpm())).divide(PPM);
        BigDecimal byLeverage = n.divide(BigDecimal.valueOf(leverage), 12, RoundingMode.CEILING);
        return byRate.max(byLeverage).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
