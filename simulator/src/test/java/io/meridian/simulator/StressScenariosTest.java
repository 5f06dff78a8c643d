package io.meridian.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short versions of every scenario hold the invariants; runs are reproducible; the CLI keeps its contract. */
class StressScenariosTest {
    private static final int SHORT_STEPS = 150;

    static Stream<Scenario> crashScenarios() {
        return Arrays.stream(Scenario.values()).filter(s -> !s.adversarial());
    }

    /** The crash scenarios; the adversarial ones are StressAdversarialTest's. */
    @ParameterizedTest
    @MethodSource("crashScenarios")
    void everyScenarioHoldsTheInvariants(Scenario scenario) {
        for (long seed : new long[] {1, 2}) {
            System.out.println("StressScenariosTest " + scenario.id() + " seed=" + seed);
            StressRunner.Result result = StressRunner.run(scenario, seed, SHORT_STEPS, 3, 20, 30, 30);
            assertEquals(List.of(), result.violations(), scenario.id() + " seed " + seed);
            assertTrue(result.invariants().stream().allMatch(StressRunner.InvariantStatus::held));
            assertEquals(StressRunner.invariantNames(), result.invariants().stream()
                    .map(StressRunner.InvariantStatus::name).toList(), "every invariant is reported by name");
            assertTrue(result.worstEquity() >= 0);
            assertTrue(result.liquidations() > 0, scenario.id() + " seed " + seed + " liquidates someone");
            assertTrue(result.samples().size() >= SHORT_STEPS / 10);
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        StressRunner.Result a = StressRunner.run(Scenario.FLASH_CRASH, 7, 100, 2, 10, 10, 10);
        StressRunner.Result b = StressRunner.run(Scenario.FLASH_CRASH, 7, 100, 2, 10, 10, 10);
        assertEquals(a.stateHash(), b.stateHash());
        assertEquals(a.samples(), b.samples());
        StressRunner.Result c = StressRunner.run(Scenario.FLASH_CRASH, 8, 100, 2, 10, 10, 10);
        assertTrue(a.stateHash() != c.stateHash());
    }

    @Test
    void pathsFollowTheirDescriptions() {
        assertEquals(0.70, Scenario.CRASH_30.indexMultiple(660), 1e-9);
        assertEquals(0.50, Scenario.CRASH_50_VACUUM.indexMultiple(360), 1e-9);
        assertEquals(0.0, Scenario.CRASH_50_VACUUM.liquidity(300), 1e-9);
        assertEquals(1.40, Scenario.SHORT_SQUEEZE.indexMultiple(300), 1e-9);
        assertEquals(0.75, Scenario.FLASH_CRASH.indexMultiple(190), 1e-9);
        assertEquals(1.0, Scenario.FLASH_CRASH.indexMultiple(600), 1e-9);
    }

    @Test
    void cliListsRunsAndWritesTheTimeSeries(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(0, StressCli.run(new String[] {"--list"}, out, out));
        for (String id : Scenario.ids()) {
            assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(id));
        }
        bytes.reset();
        Path csv = dir.resolve("series.csv");
        assertEquals(0, StressCli.run(new String[] {"--scenario", "short-squeeze", "--seed", "3", "--seconds", "60",
            "--csv", csv.toString()}, out, out));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).trim().split("\\R");
        assertEquals("invariants=ok", lines[lines.length - 1]);
        List<String> rows = Files.readAllLines(csv);
        assertTrue(rows.get(0).startsWith("second,index,mark,insurance_fund_usdc"));
        assertEquals(8, rows.size(), "header + seconds 0, 10, ..., 60");
    }

    @Test
    void cliRejectsBadArguments() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(2, StressCli.run(new String[] {}, out, out));
        assertEquals(2, StressCli.run(new String[] {"--scenario", "meteor"}, out, out));
        assertEquals(2, StressCli.run(new String[] {"--scenario", "crash-30", "--seed", "x"}, out, out));
        assertEquals(2, StressCli.run(new String[] {"--scenario", "crash-30", "--seconds", "0"}, out, out));
        assertEquals(2, StressCli.run(new String[] {"--scenario"}, out, out));
        assertEquals(2, StressCli.run(new String[] {"--bogus"}, out, out));
    }

    @Test
    void aViolationNamesItselfInTheLastLine() {
        StressRunner.Result ok = StressRunner.run(Scenario.CRASH_30, 1, 20, 1, 1, 1, 1);
        assertEquals("invariants=ok", StressCli.verdict(ok));
        StressRunner.Result bad = new StressRunner.Result(ok.scenario(), 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, java.util.Map.of(), 0, List.of(), List.of("no uncovered negative equity: account 5"));
        assertEquals("invariants=violated no_uncovered_negative_equity", StressCli.verdict(bad));
    }
}
