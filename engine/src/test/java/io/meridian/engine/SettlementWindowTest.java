package io.meridian.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time-weighted settlement average, by hand-computed examples, and an option's settlement value rounding. */
class SettlementWindowTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long E = 1_000 * MINUTE;

    @Test
    void weighsEachSampleByTheTimeUntilTheNextObservation() {
        // Window [E-30m, E), samples at uneven times, no staleness cap within reach (limit 1 hour):
        //   60,000.00 from E-45m (counts from E-30m)   10 min
        //   61,000.00 from E-20m                         9 min
        //   59,500.00 from E-11m                         8 min
        //   62,000.00 from E-3m until expiry             3 min
        // (6,000,000 x 10 + 6,100,000 x 9 + 5,950,000 x 8 + 6,200,000 x 3) / 30 = 181,100,000 / 30 = 6,036,666.67
        SettlementWindow window = new SettlementWindow(E, 30 * MINUTE, 60 * MINUTE);
        window.observe(E - 45 * MINUTE, true, 6_000_000);
        window.observe(E - 20 * MINUTE, true, 6_100_000);
        window.observe(E - 11 * MINUTE, true, 5_950_000);
        window.observe(E - 3 * MINUTE, true, 6_200_000);
        assertEquals(6_036_667, window.settle());
        assertEquals(4, window.samples());
        assertEquals(30 * MINUTE, window.weightNanos());
    }

    @Test
    void staleObservationsAndAgedSamplesCarryNoWeight() {
        // Staleness limit 15 minutes:
        //   100 from E-40m counts from E-30m until it ages out at E-25m     5 min   ->   500
        //   130 from E-20m until the stale observation at E-5m             15 min   -> 1,950
        //   stale at E-5m                                                    0
        //    90 from E-2m until expiry                                      2 min   ->   180
        // 2,630 / 22 = 119.545... -> 120
        SettlementWindow window = new SettlementWindow(E, 30 * MINUTE, 15 * MINUTE);
        window.observe(E - 40 * MINUTE, true, 100);
        window.observe(E - 20 * MINUTE, true, 130);
        window.observe(E - 5 * MINUTE, false, 0);
        window.observe(E - 2 * MINUTE, true, 90);
        assertEquals(120, window.settle());
        assertEquals(22 * MINUTE, window.weightNanos());
        assertEquals(3, window.samples());
    }

    @Test
    void theLastObservationAtATimestampWinsAndLateOnesAreIgnored() {
        SettlementWindow window = new SettlementWindow(E, 30 * MINUTE, 60 * MINUTE);
        window.observe(E - 20 * MINUTE, true, 1_000);
        window.observe(E - 20 * MINUTE, true, 2_000);
        window.observe(E - 10 * MINUTE, true, 2_000);
        window.observe(E - 5 * MINUTE, true, 2_000);
        window.observe(E, true, 9_999);
        assertEquals(2_000, window.settle());
        assertEquals(3, window.samples());
    }

    @Test
    void oneOrTwoSamplesOrLessThanHalfTheWindowDoNotSettle() {
        SettlementWindow one = new SettlementWindow(E, 30 * MINUTE, 60 * MINUTE);
        one.observe(E - 40 * MINUTE, true, 1_000);
        assertEquals(-1, one.settle(), "one print covering the whole window");
        assertEquals(30 * MINUTE, one.weightNanos());
        assertEquals(1, one.samples());
        SettlementWindow two = new SettlementWindow(E, 30 * MINUTE, 60 * MINUTE);
        two.observe(E - 40 * MINUTE, true, 1_000);
        two.observe(E - 10 * MINUTE, true, 2_000);
        assertEquals(-1, two.settle(), "two samples");
        // Three samples covering 14 of 30 minutes (staleness 5 minutes): under half.
        SettlementWindow thin = new SettlementWindow(E, 30 * MINUTE, 5 * MINUTE);
        thin.observe(E - 20 * MINUTE, true, 1_000);
        thin.observe(E - 10 * MINUTE, true, 1_000);
        thin.observe(E - 4 * MINUTE, true, 1_000);
        assertEquals(-1, thin.settle());
        assertEquals(14 * MINUTE, thin.weightNanos());
        // Exactly half, three samples: enough.
        SettlementWindow half = new SettlementWindow(E, 30 * MINUTE, 5 * MINUTE);
        half.observe(E - 20 * MINUTE, true, 1_000);
        half.observe(E - 15 * MINUTE, true, 1_000);
        half.observe(E - 5 * MINUTE, true, 1_000);
        assertEquals(1_000, half.settle());
        assertEquals(15 * MINUTE, half.weightNanos());
    }

    @Test
    void aWindowRolledForwardStartsEmptyAtTheOldEnd() {
        SettlementWindow window = new SettlementWindow(E, 30 * MINUTE, 60 * MINUTE);
        window.observe(E - 10 * MINUTE, true, 9_000);
        assertEquals(-1, window.settle());
        assertTrue(window.rollForward());
        assertEquals(E + 30 * MINUTE, window.expiry());
        assertEquals(1, window.rolls());
        assertEquals(0, window.samples());
        window.observe(E + 10 * MINUTE, true, 100);
        window.observe(E + 20 * MINUTE, true, 200);
        window.observe(E + 25 * MINUTE, true, 400);
        // The 9,000 in force at E is not carried in: 100 x 10 + 200 x 5 + 400 x 5 = 4,000 over 20 minutes = 200.
        assertEquals(200, window.settle());
        SettlementWindow end = new SettlementWindow(Long.MAX_VALUE - 1, 30 * MINUTE, MINUTE);
        assertEquals(-1, end.settle());
        assertFalse(end.rollForward(), "no window beyond the representable time");
    }

    @Test
    void anEmptyOrAllStaleWindowHasNoPrice() {
        assertEquals(-1, new SettlementWindow(E, 30 * MINUTE, 60 * MINUTE).settle());
        SettlementWindow stale = new SettlementWindow(E, 30 * MINUTE, 60 * MINUTE);
        stale.observe(E - 50 * MINUTE, true, 100);
        stale.observe(E - 40 * MINUTE, false, 0);
        assertEquals(-1, stale.settle());
        SettlementWindow aged = new SettlementWindow(E, 30 * MINUTE, 5 * MINUTE);
        aged.observe(E - 40 * MINUTE, true, 100);
        assertEquals(-1, aged.settle());
    }

    @Test
    void productsBeyondALongAreExact() {
        // 2^50 index units over a 24-hour window: the price x weight products need more than 64 bits.
        long big = 1L << 50;
        long day = 1_440 * MINUTE;
        SettlementWindow window = new SettlementWindow(E + day, day, 2 * day);
        window.observe(E, true, big);
        window.observe(E + day / 4, true, big);
        window.observe(E + day / 2, true, big - 2);
        assertEquals(big - 1, window.settle());
    }

    @Test
    void settlementValuesRoundAgainstTheHolder() {
        // 0.7 minor units per lot and index unit; intrinsic 3 units: 2.1 per lot.
        OptionSeries series = new OptionSeries(1, null, null, null, 0, 0, null, 7, 10);
        assertEquals(2, series.settlementValue(3, 1), "a long receives 2.1 rounded down");
        assertEquals(-3, series.settlementValue(3, -1), "a short pays 2.1 rounded up");
        assertEquals(21, series.settlementValue(3, 10));
        assertEquals(-21, series.settlementValue(3, -10));
        assertEquals(0, series.settlementValue(0, -10));
    }
}
