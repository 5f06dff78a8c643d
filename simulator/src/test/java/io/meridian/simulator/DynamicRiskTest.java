package io.meridian.simulator;

import io.meridian.model.CommandType;
import io.meridian.model.FixedPoint;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stress lab's volatility controller under its own governance ({@link RiskController}): the genesis and bounds go
 * through the engine; as realised volatility rises over a replay the controller's SET_RISK_SCALE commands are accepted
 * and applied, and none is ever refused over a full crash; the multiplier stays within the bounds and moves no faster
 * than they allow; the same seed gives the same run; and a static run is exactly what it was before.
 */
class DynamicRiskTest {
    private static final RiskParameters DYNAMIC = RiskParameters.DEFAULT.withDynamicRisk(true);
    private static final Population CROWD = new Population(2, 5, 10, 5, true, 10, 1,
            Population.LeverageDistribution.DEFAULT);

    private static StressRunner.Result run(CandleReplay replay, long seed, int steps, RiskParameters risk) {
        System.out.println("DynamicRiskTest " + replay.id() + " seed=" + seed + " steps=" + steps + " dynamic="
                + risk.dynamicRisk());
        return StressRunner.run(replay, seed, steps, CROWD, 0, 100_000, false, risk);
    }

    @Test
    void risingVolatilityRaisesTheMultiplierThroughAcceptedCommands() throws Exception {
        // The first six hours of 2021-05-19 at a minute a step: the morning's slide lifts the realised volatility.
        CandleReplay may = CandleReplay.builtin("btcusdt-2021-05-19-1m", 60);
        StressRunner.Result r = run(may, 3, 360, DYNAMIC);
        StressRunner.RiskScaleReport risk = r.riskScale();
        assertTrue(risk.dynamic());
        assertTrue(risk.applied() >= 1, "at least one change applied: " + risk);
        assertEquals(0, risk.refused(), "the engine refused none of the controller's commands");
        assertEquals(0L, r.rejectReasons().keySet().stream().filter(k -> k.startsWith("RISK_SCALE")
                || k.startsWith("GOVERNANCE") || k.equals("NOT_AN_ADMIN") || k.startsWith("RISK_BOUNDS")).count(),
                r.rejectReasons().toString());
        assertTrue(risk.maxMultiplierPpm() > FixedPoint.PPM, risk.toString());
        assertTrue(r.invariantsHold(), r.violations().toString());
        // Every change was announced a minute ahead, and the first one followed an estimate above the reference.
        List<StressRunner.RiskScaleEvent> announced = risk.events().stream().filter(e -> !e.applied()).toList();
        assertEquals(risk.announced(), announced.size());
        assertTrue(announced.get(0).volatilityPpm() > DynamicRisk.DEFAULT.policy().referenceVolatilityPpm(),
                announced.get(0).toString());
        // The samples carry the multiplier in force and the first tier's rates under it.
        StressRunner.Sample top = r.samples().stream().max((a, b) -> Long.compare(a.riskMultiplierPpm(),
                b.riskMultiplierPpm())).orElseThrow();
        assertTrue(top.riskMultiplierPpm() > FixedPoint.PPM);
        assertEquals(Math.min(999_999, (4_000 * top.riskMultiplierPpm() + 999_999) / 1_000_000),
                top.maintenanceRatePpm(), "tier 1's 0.4% times the multiplier, rounded up");
    }

    @Test
    void aFullCrashNeverRefusesTheControllerAndStaysWithinTheBounds() throws Exception {
        for (String name : CandleReplay.BUILTIN) {
            CandleReplay replay = CandleReplay.builtin(name, 300);
            StressRunner.Result r = run(replay, 1, replay.steps(), DYNAMIC);
            StressRunner.RiskScaleReport risk = r.riskScale();
            assertEquals(0, risk.refused(), name + ": " + r.rejectReasons());
            assertTrue(r.invariantsHold(), name + ": " + r.violations());
            long floor = DynamicRisk.DEFAULT.bounds().floorPpm();
            long ceiling = DynamicRisk.DEFAULT.bounds().ceilingPpm();
            long perHour = DynamicRisk.DEFAULT.bounds().maxChangePerHourPpm();
            long previous = FixedPoint.PPM;
            long changedAt = 0;
            for (StressRunner.RiskScaleEvent e : risk.events()) {
                if (!e.applied()) {
                    continue;
                }
                assertTrue(e.multiplierPpm() >= floor && e.multiplierPpm() <= ceiling, name + ": " + e);
                long elapsed = Math.min(3_600_000_000_000L, e.at() - changedAt);
                assertTrue(changedAt == 0 || Math.abs(e.multiplierPpm() - previous)
                        <= perHour * (double) elapsed / 3_600_000_000_000L + 1, name + ": too fast: " + e);
                previous = e.multiplierPpm();
                changedAt = e.at();
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameDynamicRunAndAStaticRunIsUnchanged() throws Exception {
        CandleReplay march = CandleReplay.builtin("btcusdt-2020-03-12-1m", 300);
        StressRunner.Result a = run(march, 7, march.steps(), DYNAMIC);
        StressRunner.Result b = run(march, 7, march.steps(), DYNAMIC);
        assertEquals(a.stateHash(), b.stateHash());
        assertEquals(a.riskScale(), b.riskScale());
        assertEquals(a.samples(), b.samples());
        StressRunner.Result still = run(march, 7, march.steps(), RiskParameters.DEFAULT);
        assertFalse(still.riskScale().dynamic());
        assertEquals(0, still.riskScale().applied());
        assertNotEquals(a.stateHash(), still.stateHash(), "the controller changed the run");
        assertTrue(still.samples().stream().allMatch(s -> s.riskMultiplierPpm() == FixedPoint.PPM));
        // A static run submits no governance command at all, so its log is the one it always was.
        assertEquals(0L, still.rejectReasons().keySet().stream().filter(k -> k.contains("GOVERNANCE")).count());
    }

    @Test
    void theControllersCommandsAreInTheLogAndReplayToTheSameState() {
        StressRunner.CommandLog log = StressRunner.record(Scenario.CRASH_50_VACUUM, 2, 900, 2, 5, 10, 5, DYNAMIC);
        assertTrue(log.result().riskScale().applied() >= 1, log.result().riskScale().toString());
        assertTrue(log.commands().stream().anyMatch(c -> c.type == CommandType.SET_RISK_SCALE));
        assertTrue(log.commands().stream().anyMatch(c -> c.type == CommandType.PROPOSE_RISK_BOUNDS
                && c.signature != null));
        io.meridian.engine.Engine replayed = new io.meridian.engine.Engine(new io.meridian.model.EngineEvents() {
        }, log.config());
        for (io.meridian.model.Command c : log.commands()) {
            replayed.apply(new io.meridian.model.Command().copyFrom(c));
        }
        assertEquals(log.result().stateHash(), replayed.stateHash(), "the log alone reproduces the run");
    }
}
