package io.meridian.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short versions of every scenario hold the invariants; runs are reproducible (the CLI over them: the app's StressCliTest). */
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
}
