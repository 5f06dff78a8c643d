package io.meridian.simulator;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs with {@code --options}: crash-30 compressed to 150 steps (the path to the low at 69% of the start is the
 * same, traversed six times faster; seed 1). What is asserted follows from the sizing rules in {@link OptionsLab}
 * and {@link Agents}, not from how this seed happened to fall; each assertion says why it must hold.
 */
class StressOptionsTest {
    private static final int STEPS = 150;

    private static StressRunner.Result crash(long seed, boolean options) {
        Scenario s = Scenario.CRASH_30;
        return StressRunner.run(s, seed, STEPS, 3, 20, 30, 30, s.backstopUsdc(), s.insuranceFundUsdc(), options);
    }

    @Test
    void aCrashLiquidatesNakedPutWritersAndNotCoveredCalls() {
        StressRunner.Result result = crash(1, true);
        // Conservation and no uncovered negative equity, checked after every step for every agent, the option
        // market maker and writers included, and after every command for every account.
        assertEquals(List.of(), result.violations());
        assertTrue(result.worstEquity() >= 0);
        StressRunner.OptionsReport options = result.options();
        assertNotNull(options);
        assertEquals(Math.round(SimulatorSetup.START_TICKS * 0.69), options.bottomIndexTicks());
        assertEquals(1 + 2 * 0.31, options.bottomVolMultiple(), 1e-9);

        List<StressRunner.OptionAccount> puts = options.accounts().stream()
                .filter(a -> a.role().equals("put writers")).toList();
        List<StressRunner.OptionAccount> covered = options.accounts().stream()
                .filter(a -> a.role().equals("covered calls")).toList();
        assertEquals(2 * OptionsLab.PUT_WRITER_PAIRS, puts.size());
        assertEquals(OptionsLab.COVERED_CALL_WRITERS, covered.size());
        assertTrue(puts.stream().anyMatch(a -> a.liquidations() > 0), "some put writers are liquidated");

        // A pair is one standard and one portfolio account with the same capital, strike and target; each tops up
        // until it holds its target, so both hold the same book and only the margin regime differs.
        for (int i = 0; i < puts.size(); i += 2) {
            StressRunner.OptionAccount standard = puts.get(i);
            StressRunner.OptionAccount portfolio = puts.get(i + 1);
            assertTrue(!standard.portfolioMargin() && portfolio.portfolioMargin());
            assertEquals(standard.capital(), portfolio.capital());
            assertEquals(standard.series(), portfolio.series());
            assertEquals(standard.largestLots(), portfolio.largestLots(), "pair " + standard.account());
        }

        // A 45,000 put writer sold 60% of its capital (less rounding) over 50 USD of standard initial margin per lot
        // (0.01 BTC), at the maker's bid, below the mark of about 1,350 USD per BTC. At the low (34,500) the put is
        // worth at least its 10,500 intrinsic: holding on, it would lose at least (10,500 - 1,350) x 0.01 per lot,
        // over 1.08 x its capital. Not liquidated, its equity would be negative (a violation, asserted absent above),
        // so every one of them, in either regime, was liquidated.
        List<StressRunner.OptionAccount> ninety = puts.stream().filter(a -> a.series().equals("BTC-45000-P")).toList();
        assertTrue(!ninety.isEmpty(), "seed 1 has 90%-strike writers");
        for (StressRunner.OptionAccount a : ninety) {
            assertTrue(a.largestLots() * 50 * SimulatorSetup.USD >= 0.59 * a.capital(), "sized " + a);
            assertTrue(a.liquidations() > 0, "liquidated " + a);
        }

        // A covered-call writer is long BTC-PERP at most 1.5 x its capital C and short calls on the same BTC. The 31%
        // fall costs the perpetual at most 0.47 C while the calls only lose value, so equity stays near 0.5 C or
        // above (0.4 C leaves room for fees, buying above the index and the perpetual mark's basis); its portfolio
        // maintenance is 80% of the worst loss on the +-16% grid plus the 1% short-option add-on on the remaining
        // exposure (under 1.04 C), about 0.14 C, plus the calls' small value. Equity never reaches maintenance:
        // none is liquidated.
        for (StressRunner.OptionAccount a : covered) {
            assertTrue(a.portfolioMargin());
            assertTrue(a.largestLots() > 0, "wrote calls " + a);
            assertEquals(0, a.liquidations(), "covered call survives " + a);
            assertTrue(a.worstEquity() > a.capital() * 0.4, "covered call equity " + a);
        }
    }

    @Test
    void optionRunsAreReproducibleAndOptIn() {
        StressRunner.Result a = crash(2, true);
        StressRunner.Result b = crash(2, true);
        assertEquals(a.stateHash(), b.stateHash());
        assertEquals(a.samples(), b.samples());
        assertEquals(a.options(), b.options());
        // Without options the run is the one the other overloads give (the existing results are unchanged).
        StressRunner.Result without = crash(2, false);
        assertNull(without.options());
        assertEquals(StressRunner.run(Scenario.CRASH_30, 2, STEPS, 3, 20, 30, 30).stateHash(), without.stateHash());
        assertNotEquals(a.stateHash(), without.stateHash());
    }

    @Test
    void volatilityRisesWithTheDrawdownOnly() {
        assertEquals(1.0, Scenario.CRASH_30.volMultiple(60), 1e-9);
        assertEquals(1.6, Scenario.CRASH_30.volMultiple(660), 1e-9);
        assertEquals(2.0, Scenario.CRASH_50_VACUUM.volMultiple(360), 1e-9);
        assertEquals(1.0, Scenario.SHORT_SQUEEZE.volMultiple(300), 1e-9);
        // From the squeeze's top (1.40 at 300 s) to 1.35: a small drawdown, a small rise.
        assertEquals(1 + 2 * (1 - 1.35 / 1.40), Scenario.SHORT_SQUEEZE.volMultiple(600), 1e-9);
        assertEquals(1.0, Scenario.FLASH_CRASH.volMultiple(600), 1e-9);
    }
}
