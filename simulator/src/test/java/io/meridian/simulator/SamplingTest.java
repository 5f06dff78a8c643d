package io.meridian.simulator;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time series stays bounded: samples every 10 steps, evenly fewer on a long run; funding events thinned evenly. */
class SamplingTest {

    @Test
    void samplesEveryTenStepsUpToFiftyThousandThenEvenlyFewer() {
        assertEquals(10, StressRunner.sampleEvery(150));
        assertEquals(10, StressRunner.sampleEvery(8_640), "a day of 1-minute candles at the default speed");
        assertEquals(10, StressRunner.sampleEvery(49_980));
        assertEquals(20, StressRunner.sampleEvery(49_990));
        assertEquals(20, StressRunner.sampleEvery(86_400), "a day at --speed 1");
        assertEquals(50, StressRunner.sampleEvery(120_000));
        for (int steps : new int[] {1, 9, 10, 11, 49_999, 50_000, 99_960, 99_961, 250_000, 1_000_000, 7_777_777,
            120_000_000}) {
            int every = StressRunner.sampleEvery(steps);
            long samples = steps / every + 1 + (steps % every == 0 ? 0 : 1);
            assertTrue(samples <= StressRunner.MAX_SAMPLES, steps + " steps: " + samples + " samples");
            assertTrue(steps < 50_000 || samples > StressRunner.MAX_SAMPLES / 5, steps + " steps: only " + samples);
        }
    }

    @Test
    void aRunKeepsItsSamplesOnTheGrid() {
        StressRunner.Result r = StressRunner.run(Scenario.CRASH_30, 1, 95, 3, 5, 5, 5);
        assertEquals(10, r.sampleEvery());
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 95L),
                r.samples().stream().map(StressRunner.Sample::second).toList());
        StressRunner.Sample last = r.samples().get(r.samples().size() - 1);
        assertTrue(last.venueIndexTicks() > 0 && last.markTicks() > 0 && last.lastTradeTicks() > 0, last.toString());
        assertTrue(Math.abs(last.venueIndexTicks() - last.indexTicks()) < last.indexTicks() / 100,
                "the venue's index follows the script's");
        assertTrue(last.predictedFundingRate() != 0, "the perpetual pays funding: its predicted rate is set");
        assertEquals(10, r.parameters().marginTiers().size(), "the default table of the perpetual");
    }

    @Test
    void thinsAStreamEvenlyWithinItsCapacity() {
        for (int n : new int[] {0, 1, 7, 8, 9, 16, 17, 100, 1_000, 12_345}) {
            Thinned<Integer> thinned = new Thinned<>(8);
            for (int i = 0; i < n; i++) {
                thinned.add(i);
            }
            List<Integer> kept = thinned.items();
            assertTrue(kept.size() <= 8, n + ": " + kept);
            assertTrue(n < 8 || kept.size() >= 4, n + ": " + kept);
            for (int i = 0; i < kept.size(); i++) {
                assertEquals(i * thinned.every(), (long) kept.get(i), n + ": every " + thinned.every() + " " + kept);
            }
        }
    }

    @Test
    void aLongReplayRecordsEveryFundingEvent() throws Exception {
        // Two hours of 5-minute candles at a minute a step: two hourly fundings (and one at the start's hour if due).
        StringBuilder csv = new StringBuilder("ts_ms,open,high,low,close,volume\n");
        for (int i = 0; i < 24; i++) {
            csv.append(1_583_971_200_000L + i * 300_000L).append(",8000,8010,7990,8000,1\n");
        }
        CandleReplay replay = CandleReplay.read("flat.csv", new java.io.ByteArrayInputStream(csv.toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), 60);
        StressRunner.Result r = StressRunner.run(replay, 1, replay.steps(), 3, 5, 5, 5, replay.backstopUsdc(),
                replay.insuranceFundUsdc(), false);
        assertEquals(List.of(59L, 119L), r.funding().stream().map(StressRunner.FundingEvent::second).toList(),
                "at 01:00 and 02:00 UTC: the venue's clock is one step ahead of the step's start");
        assertTrue(r.funding().stream().allMatch(f -> f.markTicks() > 0 && f.rate() != 0), r.funding().toString());
    }
}
