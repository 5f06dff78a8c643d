package io.meridian.simulator;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small sweep: one row per file, seed and parameter set, in grid order, the same whatever the thread count; the
 * parameters reach the venue (a tighter margin changes the run); the tables have a row per run and per set; grids too
 * large or malformed are refused; the dynamic-risk axis switches the controller on.
 */
class StressSweepTest {
    private static final StressSweep.Grid GRID = new StressSweep.Grid(List.of(1.0, 3.0), List.of(250_000L),
            List.of(20_000L), List.of(100_000L), List.of(false));

    @Test
    void rowsComeInGridOrderAndDoNotDependOnTheThreads() throws Exception {
        CandleReplay march = CandleReplay.builtin("btcusdt-2020-03-12-1m", 600);
        Population crowd = new Population(2, 5, 10, 5, true, 10, 1, Population.LeverageDistribution.DEFAULT);
        List<StressSweep.Row> one = StressSweep.run(List.of(march), List.of(1L, 2L), GRID, crowd, 0, 1);
        List<StressSweep.Row> two = StressSweep.run(List.of(march), List.of(1L, 2L), GRID, crowd, 0, 2);
        assertEquals(4, one.size());
        assertEquals(one, two, "the same rows on one thread and on two");
        assertEquals(List.of(1L, 1L, 2L, 2L), one.stream().map(StressSweep.Row::seed).toList());
        assertEquals(List.of(1.0, 3.0, 1.0, 3.0), one.stream().map(r -> r.cell().risk().marginMultiplier()).toList());
        assertTrue(one.stream().allMatch(StressSweep.Row::invariantsHeld));
        assertTrue(one.get(0).stateHash() != one.get(1).stateHash(), "three times the margin is another run");
        List<String> csv = StressSweep.csv(one);
        assertEquals(5, csv.size());
        assertTrue(csv.get(1).startsWith("btcusdt-2020-03-12-1m.csv,1,1.0,0.25,20000,0.1,off,ok,"), csv.get(1));
        List<String> markdown = StressSweep.markdown(one);
        assertEquals(2 + 2 + 1 + 2 + 4, markdown.size(), String.join("\n", markdown));
        assertTrue(markdown.get(2).startsWith("| 1 | margin x"), markdown.get(2));
    }

    @Test
    void recoveryIsMeasuredFromTheFundsLowestSampleBackToItsStart() {
        StressRunner.Result base = StressRunner.run(Scenario.CRASH_30, 1, 20, 1, 1, 1, 1);
        long start = base.insuranceStart();
        List<StressRunner.Sample> samples = List.of(sample(0, start), sample(10, start - 5), sample(20, start - 9),
                sample(30, start - 1), sample(40, start + 3));
        StressRunner.Result r = withSamples(base, samples);
        assertEquals(20 * 7, StressSweep.recoverSeconds(r, 7), "from step 20 to step 40, 7 s a step");
        assertEquals(0, StressSweep.recoverSeconds(withSamples(base, List.of(sample(0, start), sample(10, start))), 7));
        assertEquals(-1, StressSweep.recoverSeconds(withSamples(base, List.of(sample(0, start), sample(10, start - 1))),
                7));
    }

    private static StressRunner.Sample sample(long second, long fund) {
        return new StressRunner.Sample(second, 0, 0, fund, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static StressRunner.Result withSamples(StressRunner.Result r, List<StressRunner.Sample> samples) {
        return new StressRunner.Result(r.scenario(), r.seed(), r.steps(), r.accounts(), r.commands(), r.liquidations(),
                r.liquidationFills(), r.backstopTransfers(), r.adlEvents(), r.liquidatedNotional(), r.insuranceStart(),
                r.insuranceEnd(), r.insuranceMin(), r.badDebt(), r.venueCovered(), r.worstEquity(),
                r.worstEquityAccount(), r.rejects(), r.rejectReasons(), r.stateHash(), samples, r.violations());
    }

    @Test
    void refusesGridsTooLargeOrMalformed() throws Exception {
        CandleReplay march = CandleReplay.builtin("btcusdt-2020-03-12-1m", 600);
        List<Double> many = java.util.stream.IntStream.range(0, 20).mapToObj(i -> 1.0 + i / 10.0).toList();
        List<Long> seeds = java.util.stream.LongStream.range(0, 600).boxed().toList();
        StressSweep.Grid big = new StressSweep.Grid(many, List.of(250_000L), List.of(1L), List.of(0L), List.of(false));
        assertThrows(IllegalArgumentException.class, () -> StressSweep.run(List.of(march), seeds, big,
                Population.classic(1, 1, 1, 1), 0, 1));
        assertTrue(new RiskParameters(1, 250_000, 100_000, true).label().endsWith(", dynamic"), "accepted now");
        assertThrows(IllegalArgumentException.class, () -> new RiskParameters(1, 250_000, 100_000, true, null));
        assertThrows(IllegalArgumentException.class, () -> new RiskParameters(0.01, 250_000, 100_000, false));
        assertThrows(IllegalArgumentException.class, () -> new StressSweep.Grid(List.of(), List.of(1L), List.of(1L),
                List.of(1L), List.of(false)));
        // Three times the margin: every tier's rates tripled, capped at 100%, initial above maintenance.
        List<io.meridian.model.MarginBracket> brackets = new RiskParameters(3, 250_000, 100_000, false).marginBrackets(6);
        assertEquals(12_000, brackets.get(0).maintenanceRatePpm());
        assertEquals(24_000, brackets.get(0).initialRatePpm());
        assertEquals(1_000_000, brackets.get(brackets.size() - 1).initialRatePpm());
        assertTrue(brackets.stream().allMatch(b -> b.initialRatePpm() > b.maintenanceRatePpm()));
        assertEquals(null, RiskParameters.DEFAULT.marginBrackets(6), "the default table, untouched");
    }

    @Test
    void theDynamicAxisRunsTheControllerAndTheTablesSayHowFarItWent() throws Exception {
        CandleReplay march = CandleReplay.builtin("btcusdt-2020-03-12-1m", 300);
        Population crowd = new Population(2, 5, 10, 5, true, 10, 1, Population.LeverageDistribution.DEFAULT);
        StressSweep.Grid grid = new StressSweep.Grid(List.of(1.0), List.of(250_000L), List.of(20_000L),
                List.of(100_000L), List.of(false, true));
        List<StressSweep.Row> rows = StressSweep.run(List.of(march), List.of(1L), grid, crowd, 0, 2);
        assertEquals(2, rows.size());
        StressSweep.Row off = rows.get(0);
        StressSweep.Row on = rows.get(1);
        assertEquals(0, off.riskChanges());
        assertEquals(1.0, off.maxMultiplier());
        assertTrue(on.riskChanges() > 0 && on.maxMultiplier() > 1 && on.meanMultiplier() > 1, on.toString());
        assertTrue(on.invariantsHeld() && off.invariantsHeld());
        List<String> csv = StressSweep.csv(rows);
        assertTrue(csv.get(2).contains(",0.1,on,ok,"), csv.get(2));
        assertTrue(csv.get(0).endsWith(",risk_changes,max_multiplier,mean_multiplier"), csv.get(0));
        assertTrue(String.join("\n", StressSweep.markdown(rows)).contains("band 10%, dynamic, fund 20,000"));
    }
}
