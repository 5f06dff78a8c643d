package io.meridian.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlatformBenchTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private int run(String... args) {
        bytes.reset();
        return BenchCli.run(LiquidationBench.prepend("platform", args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheTimerFloorAndOneChaseFigurePerWorkingSetUpToTheLimit() {
        assertEquals(0, run("--samples", "10_000", "--rounds", "3", "--max-working-set-mib", "2", "--loads", "100000"),
                output());
        String[] lines = output().split("\\R");
        Matcher last = Pattern.compile("timer_p9999_ns=(\\d+) timer_max_ns=(\\d+) hiccups_over_10us_per_s=[0-9.]+"
                + " chase_ns_32k=([0-9.]+) chase_ns_256k=([0-9.]+) chase_ns_2m=([0-9.]+)").matcher(lines[lines.length - 1]);
        assertTrue(last.matches(), output());
        assertTrue(Long.parseLong(last.group(2)) >= Long.parseLong(last.group(1)), output());
        for (int group = 3; group <= 5; group++) {
            assertTrue(Double.parseDouble(last.group(group)) > 0, output());
        }
        assertTrue(output().contains("arguments ["), output());
    }

    @Test
    void theChaseVisitsEveryCellOnceBeforeComingBack() {
        for (int cells : new int[] {1, 2, 3, 1_000, 4_096}) {
            int[] memory = PlatformBench.cycle(cells);
            boolean[] seen = new boolean[cells];
            int at = 0;
            for (int step = 0; step < cells; step++) {
                assertTrue(!seen[at / 16], "cell " + at / 16 + " visited twice in " + cells);
                seen[at / 16] = true;
                at = memory[at];
            }
            assertEquals(0, at, "the cycle of " + cells + " cells does not close");
        }
    }

    @Test
    void refusesOutOfRangeOptionsAsUsageMistakes() {
        assertEquals(2, run("--samples", "10"));
        assertTrue(output().contains("--samples"), output());
        assertEquals(2, run("--max-working-set-mib", "1024"));
        assertEquals(2, run("--rounds", "0"));
        assertEquals(2, run("--loads", "x"));
    }
}
