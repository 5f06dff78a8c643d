package io.meridian.pricing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index-versus-average guard: flags fast walks, lets slow drifts and settled moves through. */
class DivergenceGuardTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long WINDOW = 600 * SECOND;

    @Test
    void aJumpIsFlaggedAndReleasedOnceTheAverageCatchesUp() {
        DivergenceGuard guard = new DivergenceGuard(WINDOW, 50_000);
        assertFalse(guard.check(1_000_000, 0));
        assertTrue(guard.check(1_090_000, SECOND), "9% above a 10-minute average");
        long released = -1;
        for (long t = 10; t <= 1_200; t += 10) {
            if (!guard.check(1_090_000, t * SECOND) && released < 0) {
                released = t;
            }
        }
        assertTrue(released > 60 && released < 600, "released after " + released + " s");
        assertFalse(guard.isDiverged());
    }

    @Test
    void aSlowDriftIsNeverFlagged() {
        DivergenceGuard guard = new DivergenceGuard(WINDOW, 50_000);
        long price = 1_000_000;
        for (long t = 0; t < 7_200; t += 5) {
            price += price / 100_000;
            assertFalse(guard.check(price, t * SECOND), "at " + t + " s");
        }
    }

    @Test
    void theAverageMovesByTheElapsedFractionOfTheWindow() {
        DivergenceGuard guard = new DivergenceGuard(WINDOW, 50_000);
        guard.check(1_000_000, 0);
        guard.check(1_060_000, 60 * SECOND);
        assertEquals(1_006_000, guard.ema());
        guard.check(1_060_000, 60 * SECOND);
        assertEquals(1_006_000, guard.ema(), "no time, no move");
    }

    @Test
    void offWhenTheBandIsZeroAndBadSettingsAreRefused() {
        DivergenceGuard off = new DivergenceGuard(WINDOW, 0);
        off.check(1_000_000, 0);
        assertFalse(off.check(9_000_000, SECOND));
        assertFalse(off.isEnabled());
        assertThrows(IllegalArgumentException.class, () -> new DivergenceGuard(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DivergenceGuard(WINDOW, 1_000_000));
    }
}
