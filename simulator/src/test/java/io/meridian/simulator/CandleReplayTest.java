package io.meridian.simulator;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented path through candles, the packaged crash files, and a replay through the venue. */
class CandleReplayTest {
    private static final double EPS = 1e-12;

    @Test
    void anUpCandleVisitsItsLowFirstAndADownCandleItsHigh() {
        // 60 s candles: up (100 -> 110, low 95, high 120), then down (110 -> 90, high 115, low 80).
        CandleReplay replay = new CandleReplay("t", List.of(new CandleCsv.Candle(0, 100, 120, 95, 110, 1),
                new CandleCsv.Candle(60_000, 110, 115, 80, 90, 1)), 10);
        assertEquals(120, replay.seconds());
        assertEquals(1.00, replay.indexMultiple(0), EPS);
        assertEquals(0.95, replay.indexMultiple(15), EPS);
        assertEquals(1.20, replay.indexMultiple(30), EPS);
        assertEquals(1.10, replay.indexMultiple(45), EPS);
        assertEquals(1.10, replay.indexMultiple(60), EPS);
        assertEquals(1.15, replay.indexMultiple(75), EPS);
        assertEquals(0.80, replay.indexMultiple(90), EPS);
        assertEquals(0.90, replay.indexMultiple(105), EPS);
        assertEquals(0.90, replay.indexMultiple(1_000), EPS);
        assertEquals((0.95 + 1.20) / 2, replay.indexMultiple(22.5), EPS, "linear between points");
        // Drawdown from the high so far: at the low of the second candle, 80 against 120.
        assertEquals(1 + 2 * (1 - 0.80 / 1.20), replay.volMultiple(90), EPS);
        assertEquals(1.0, replay.volMultiple(0), EPS);
        assertEquals(12, replay.steps());
        assertEquals(10, replay.venueSecondsPerStep());
        assertEquals(0L, replay.startEpochNanos());
    }

    @Test
    void everyPackagedCrashLoadsAndAnUnknownNameIsNull() throws Exception {
        for (String name : CandleReplay.BUILTIN) {
            CandleReplay replay = CandleReplay.builtin(name, 60);
            assertNotNull(replay, name);
            assertTrue(replay.seconds() >= 86_400, name + " spans a day or more");
            assertTrue(replay.description().contains("candles of "), replay.description());
        }
        assertNull(CandleReplay.builtin("btcusdt-1929-10-29-1m", 60));
        CandleReplay march = CandleReplay.builtin("btcusdt-2020-03-12-1m", 60);
        // The file's low, 3621.81 against a first open of 7525.44, is on the path (a low is a point of it).
        double low = 1;
        for (int t = 0; t < march.seconds(); t += 15) {
            low = Math.min(low, march.indexMultiple(t));
        }
        assertEquals(3621.81 / 7525.44, low, 1e-9);
    }

    /** The same replay and seed give the same run; the index follows the file's crash and the invariants hold. */
    @Test
    void aReplayRunsThroughTheVenueDeterministically() throws Exception {
        CandleReplay replay = CandleReplay.builtin("btcusdt-2021-05-19-1m", 300);
        StressRunner.Result a = StressRunner.run(replay, 5, replay.steps(), 2, 10, 10, 10, 2_000_000, 250_000, false);
        StressRunner.Result b = StressRunner.run(replay, 5, replay.steps(), 2, 10, 10, 10, 2_000_000, 250_000, false);
        assertEquals(a.stateHash(), b.stateHash());
        assertTrue(a.invariantsHold(), a.violations().toString());
        // Every sample's index is the file's path at that step (a step is 300 s of candle time), scaled to the venue's
        // 50,000 start; the engine's mark follows it.
        for (StressRunner.Sample sample : a.samples()) {
            long expected = Math.round(SimulatorSetup.START_TICKS * replay.indexMultiple(sample.second() * 300.0));
            assertEquals(expected, sample.indexTicks(), "index at step " + sample.second());
            assertTrue(Math.abs(sample.markTicks() - expected) < expected * 0.05, "mark " + sample.markTicks()
                    + " against index " + expected + " at step " + sample.second());
        }
        StressRunner.Sample last = a.samples().get(a.samples().size() - 1);
        assertTrue(last.indexTicks() < SimulatorSetup.START_TICKS * 0.95, "the file ends well below its start");
    }
}
