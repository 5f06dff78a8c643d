package io.meridian.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adversarial scenarios in shortened runs (150 steps): the invariants hold in every one, and each scenario's pass
 * criteria hold, except where the venue's defence is still missing ({@link #AWAITING}): there the test asserts that the
 * criterion still fails, so the day the defence lands the test fails until the scenario is moved out of the list.
 */
class StressAdversarialTest {
    private static final int STEPS = 150;

    /**
     * Scenarios whose criteria fail on this build, and why: a defence of issue 15 not merged yet, or a weakness the
     * scenario found that nothing addresses yet.
     */
    private static final Map<Scenario, String> AWAITING = Map.of();

    static Stream<Scenario> adversarial() {
        return Arrays.stream(Scenario.values()).filter(Scenario::adversarial);
    }

    @ParameterizedTest
    @MethodSource("adversarial")
    void theInvariantsHoldAndTheCriteriaAreMet(Scenario scenario) {
        StressRunner.Result result = StressRunner.run(scenario, 1, STEPS, 3, 20, 30, 30);
        assertEquals(List.of(), result.violations(), scenario.id());
        assertFalse(result.criteria().isEmpty(), scenario.id() + " has pass criteria");
        assertTrue(result.attacker() != null && !result.attacker().isBlank());
        String awaiting = AWAITING.get(scenario);
        if (awaiting == null) {
            assertTrue(result.criteriaPass(), scenario.id() + ": " + result.criteria());
        } else {
            assertFalse(result.criteriaPass(), scenario.id() + " now passes: take it out of AWAITING (" + awaiting + ")");
        }
    }

    @Test
    void everyAttackIsAnAdversarialScenario() {
        assertTrue(adversarial().map(Scenario::id).toList().containsAll(List.of("dust-mark", "wash-prints",
                "oracle-capture-1of3", "oracle-capture-2of3", "stop-hunt", "collateral-pump", "vacuum-fund-floor")));
        assertTrue(adversarial().allMatch(s -> s.adversary() != null));
    }

    @Test
    void theSameSeedGivesTheSameAttack() {
        StressRunner.Result a = StressRunner.run(Scenario.COLLATERAL_PUMP, 3, 60, 2, 5, 5, 5);
        StressRunner.Result b = StressRunner.run(Scenario.COLLATERAL_PUMP, 3, 60, 2, 5, 5, 5);
        assertEquals(a.stateHash(), b.stateHash());
        assertEquals(a.criteria(), b.criteria());
    }
}
