package io.meridian.risk.options;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.meridian.risk.options.OptionFixtures.NOW;
import static io.meridian.risk.options.OptionFixtures.SPOT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Differential test: accounts updated incrementally (position changes applied to their summed vectors, reprices,
 * parameter changes, mode switches, new series, clears, all in a seeded random order) must equal, exactly, both a
 * full re-sum from the table and {@link ReferenceMargin}, which reprices every leg in every scenario from scratch.
 */
class ScenarioVectorDifferentialProperties {
    private static final int ACCOUNTS = 4;

    @Property(tries = 40)
    void incrementalUpdatesEqualAFullRecomputeAndTheNaiveReference(@ForAll long seed) {
        run(seed, 150);
    }

    @Test
    void longRunWithAFixedSeed() {
        long seed = 0x5EED_0008L;
        System.out.println("ScenarioVectorDifferentialProperties.longRunWithAFixedSeed seed " + seed);
        run(seed, 1_500);
    }

    private static void run(long seed, int steps) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SeriesSpec> specs = new ArrayList<>(OptionFixtures.randomSeries(random, 20));
        PortfolioMarginParams pm = randomParams(random);
        StandardMarginParams std = StandardMarginParams.defaults();
        ScenarioTable table = new ScenarioTable(OptionFixtures.USDC, std, pm);
        for (SeriesSpec spec : specs) {
            table.addSeries(spec);
        }
        double spot = SPOT;
        long now = NOW;
        MarkSource marks = OptionFixtures.smile(0.6, 0.0, 0.0);
        assertEquals(RepriceStatus.OK, table.reprice(spot, now, marks));
        OptionMarginAccount[] accounts = new OptionMarginAccount[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accounts[a] = new OptionMarginAccount(table, a % 2 == 0 ? OptionMarginMode.PORTFOLIO
                    : OptionMarginMode.STANDARD);
        }
        for (int step = 0; step < steps; step++) {
            String where = "seed " + seed + " step " + step;
            int op = random.nextInt(100);
            OptionMarginAccount account = accounts[random.nextInt(ACCOUNTS)];
            if (op < 55) {
                int series = random.nextInt(table.seriesCount());
                long q = random.nextInt(4) == 0 ? 0 : random.nextInt(201) - 100;
                account.setPosition(series, q);
            } else if (op < 65) {
                int series = random.nextInt(table.seriesCount());
                account.addPosition(series, random.nextInt(21) - 10);
            } else if (op < 80) {
                spot = spot * (0.9 + 0.2 * random.nextDouble());
                now += random.nextInt(4) == 0 ? random.nextInt(5) * OptionFixtures.DAY : random.nextInt(3_600) * 1_000_000_000L;
                if (random.nextInt(3) == 0) {
                    marks = OptionFixtures.smile(0.2 + random.nextDouble(), 0.1 * random.nextDouble(),
                            0.1 * random.nextDouble() - 0.05);
                }
                assertEquals(RepriceStatus.OK, table.reprice(spot, now, marks), where);
            } else if (op < 84) {
                account.setMode(random.nextBoolean() ? OptionMarginMode.PORTFOLIO : OptionMarginMode.STANDARD);
            } else if (op < 88) {
                pm = randomParams(random);
                std = new StandardMarginParams(100_000 + random.nextInt(100_000), 50_000 + random.nextInt(50_000),
                        10_000 + random.nextInt(90_000), 300_000 + random.nextInt(700_000));
                assertEquals(RepriceStatus.OK, table.setParams(std, pm), where);
            } else if (op < 91) {
                SeriesSpec spec = OptionFixtures.randomSeries(random, 3).get(2);
                int id = table.addSeries(spec);
                assertEquals(specs.size(), id, where);
                specs.add(spec);
            } else if (op < 93) {
                account.clear();
            }
            if (random.nextInt(4) != 0) {
                // Queries sync the accounts, so the next position change takes the incremental path.
                for (int a = 0; a < ACCOUNTS; a++) {
                    check(table, accounts[a], spot, now, marks, where + " account " + a);
                }
            }
        }
        for (int a = 0; a < ACCOUNTS; a++) {
            check(table, accounts[a], spot, now, marks, "seed " + seed + " end, account " + a);
        }
    }

    private static void check(ScenarioTable table, OptionMarginAccount account, double spot, long now,
                              MarkSource marks, String where) {
        ReferenceMargin.Result expected = ReferenceMargin.compute(OptionFixtures.legs(table, account),
                table.settlementScale(), table.standardParams(), table.portfolioParams(), spot, now, marks);
        long[] incremental = snapshot(table, account);
        assertEquals(expected.standardInitial(), incremental[0], where + " standard initial");
        assertEquals(expected.standardMaintenance(), incremental[1], where + " standard maintenance");
        assertEquals(expected.portfolioInitial(), incremental[2], where + " portfolio initial");
        assertEquals(expected.portfolioMaintenance(), incremental[3], where + " portfolio maintenance");
        assertEquals(expected.worstLoss(), incremental[4], where + " worst loss");
        assertEquals(expected.netOptionValue(), incremental[5], where + " option value");
        assertEquals(expected.netDeltaMicros(), incremental[6], where + " net delta");
        for (int s = 0; s < table.scenarioCount(); s++) {
            assertEquals(expected.scenarioPnl()[s], incremental[7 + s], where + " scenario " + s);
        }
        account.recompute();
        long[] full = snapshot(table, account);
        for (int i = 0; i < full.length; i++) {
            assertEquals(full[i], incremental[i], where + " full re-sum, field " + i);
        }
    }

    private static long[] snapshot(ScenarioTable table, OptionMarginAccount account) {
        long[] v = new long[7 + table.scenarioCount()];
        v[0] = account.standardInitialMargin();
        v[1] = account.standardMaintenanceMargin();
        v[2] = account.portfolioInitialMargin();
        v[3] = account.portfolioMaintenanceMargin();
        v[4] = account.worstLoss();
        v[5] = account.netOptionValue();
        v[6] = account.netDeltaMicros();
        for (int s = 0; s < table.scenarioCount(); s++) {
            v[7 + s] = account.scenarioPnl(s);
        }
        return v;
    }

    /** A random grid, shocks and add-ons, small enough thresholds that the add-ons are exercised. */
    static PortfolioMarginParams randomParams(SplittableRandom random) {
        List<VolShock> shocks = new ArrayList<>(List.of(VolShock.SAME));
        if (random.nextBoolean()) {
            shocks.add(new VolShock(200_000 + random.nextInt(600_000), random.nextInt(50_000)));
        }
        if (random.nextBoolean()) {
            shocks.add(0, new VolShock(-random.nextInt(900_000) - 1, -random.nextInt(20_000)));
        }
        return PortfolioMarginParams.defaults()
                .withPriceMoves(PortfolioMarginParams.evenMoves(20_000 + random.nextInt(400_000), 1 + random.nextInt(6)))
                .withVolShocks(shocks)
                .withVolTerm(1 + random.nextInt(90), random.nextInt(600_000))
                .withAddOns(random.nextInt(30_000), random.nextInt(50) * 1_000_000L, random.nextInt(30_000),
                        random.nextInt(50) * 1_000_000L, random.nextInt(60_000))
                .withMaintenanceFractionPpm(500_000 + random.nextInt(500_001));
    }
}
