package io.meridian.risk.options;

import io.meridian.model.OptionRight;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.meridian.risk.options.OptionFixtures.NOW;
import static io.meridian.risk.options.OptionFixtures.SPOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Portfolio margin: the required behaviours, the add-ons and maintenance, on hand-built books. */
class PortfolioMarginTest {
    private static final long USD = 1_000_000;

    private static OptionMarginAccount account(ScenarioTable table, int[] series, long[] quantities) {
        OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
        for (int i = 0; i < series.length; i++) {
            account.setPosition(series[i], quantities[i]);
        }
        return account;
    }

    @Test
    void coveredPositionNeedsLessUnderPortfolioMarginThanStandard() {
        // Long future + short call, for calls in and at the money, 7 to 90 days, 1 to 50 units.
        for (double strike : new double[] {50_000, 55_000, 60_000}) {
            for (int days : new int[] {7, 30, 90}) {
                for (long size : new long[] {1, 10, 50}) {
                    ScenarioTable table = OptionFixtures.table();
                    int perp = table.addSeries(SeriesSpec.perpetual(1.0));
                    int call = OptionFixtures.call(table, strike, days);
                    OptionFixtures.reprice(table);
                    OptionMarginAccount covered = account(table, new int[] {perp, call}, new long[] {size, -size});
                    String where = "strike " + strike + " days " + days + " size " + size;
                    assertTrue(covered.portfolioInitialMargin() < covered.standardInitialMargin(),
                            where + ": PM " + covered.portfolioInitialMargin() + " vs standard "
                                    + covered.standardInitialMargin());
                    // The hedge is real: the covered book needs less than the naked short call alone.
                    OptionMarginAccount naked = account(table, new int[] {call}, new long[] {-size});
                    assertTrue(covered.portfolioInitialMargin() < naked.portfolioInitialMargin()
                            + account(table, new int[] {perp}, new long[] {size}).portfolioInitialMargin(), where);
                }
            }
        }
    }

    @Test
    void nakedShortStrangleNeedsMoreAsTheGridWidens() {
        long previousInitial = -1;
        long previousMaintenance = -1;
        for (long max : new long[] {40_000, 80_000, 120_000, 160_000, 240_000, 320_000}) {
            ScenarioTable table = OptionFixtures.table(PortfolioMarginParams.defaults()
                    .withPriceMoves(PortfolioMarginParams.evenMoves(max, 4)));
            int put = OptionFixtures.put(table, 54_000, 30);
            int call = OptionFixtures.call(table, 66_000, 30);
            OptionFixtures.reprice(table);
            OptionMarginAccount strangle = account(table, new int[] {put, call}, new long[] {-10, -10});
            assertTrue(strangle.portfolioInitialMargin() > previousInitial, "grid +/-" + max + ": "
                    + strangle.portfolioInitialMargin() + " after " + previousInitial);
            assertTrue(strangle.portfolioMaintenanceMargin() > previousMaintenance, "grid +/-" + max);
            previousInitial = strangle.portfolioInitialMargin();
            previousMaintenance = strangle.portfolioMaintenanceMargin();
        }
    }

    @Test
    void aSingleLongOptionNeverExceedsItsPremiumAtRisk() {
        long seed = 8_001L;
        System.out.println("PortfolioMarginTest.aSingleLongOptionNeverExceedsItsPremiumAtRisk seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 400; trial++) {
            ScenarioTable table = OptionFixtures.table(PortfolioMarginParams.defaults()
                    .withPriceMoves(PortfolioMarginParams.evenMoves(50_000 + random.nextInt(400_000), 1 + random.nextInt(8))));
            OptionRight type = random.nextBoolean() ? OptionRight.CALL : OptionRight.PUT;
            double strike = SPOT * (0.5 + random.nextDouble());
            int days = 1 + random.nextInt(365);
            int series = table.addSeries(SeriesSpec.option(type, strike, NOW + days * OptionFixtures.DAY, 1.0));
            double vol = 0.05 + 2 * random.nextDouble();
            assertEquals(RepriceStatus.OK, table.reprice(SPOT, NOW, MarkSource.flat(vol)));
            long q = 1 + random.nextInt(90);
            OptionMarginAccount account = account(table, new int[] {series}, new long[] {q});
            String where = "seed " + seed + " trial " + trial + " " + type + " K " + strike + " days " + days
                    + " vol " + vol + " q " + q;
            long premiumAtRisk = q * table.markValueUp(series);
            // Marked to market, the requirement is the worst loss plus add-ons (none apply below the bounds here).
            assertEquals(0, account.addOns(), where);
            assertTrue(account.worstLoss() <= premiumAtRisk, where + ": loss " + account.worstLoss() + " > premium "
                    + premiumAtRisk);
            // Against cash equity the long option is credited at its value: at most one minor unit per contract of
            // rounding is left.
            assertTrue(account.portfolioInitialMargin() <= q, where + ": " + account.portfolioInitialMargin());
            assertEquals(0, account.standardInitialMargin(), where);
        }
    }

    @Test
    void portfolioMarginIsNeverNegativeEvenForAProfitableBook() {
        // Long options only: every scenario is a profit or a small loss, and the value exceeds it.
        ScenarioTable table = OptionFixtures.table();
        int call = OptionFixtures.call(table, 50_000, 60);
        int put = OptionFixtures.put(table, 70_000, 60);
        OptionFixtures.reprice(table);
        OptionMarginAccount account = account(table, new int[] {call, put}, new long[] {3, 3});
        assertTrue(account.netOptionValue() > account.worstLoss());
        assertEquals(0, account.portfolioInitialMargin());
        assertEquals(0, account.portfolioMaintenanceMargin());
    }

    @Test
    void deltaNeutralStraddleVersusItsLegs() {
        // With b = r = 0 a straddle is delta-neutral where d1 = 0: K = S e^(v^2 T / 2).
        double tte = 30.0 / 365.0;
        double strike = SPOT * StrictMath.exp(0.5 * 0.36 * tte);
        long q = 50;
        // A tight delta bound (1 BTC) so that each leg alone pays a delta add-on.
        ScenarioTable table = OptionFixtures.table(PortfolioMarginParams.defaults()
                .withAddOns(10_000, 100_000_000, 20_000, 1_000_000, 40_000));
        int call = table.addSeries(SeriesSpec.option(OptionRight.CALL, strike, NOW + 30 * OptionFixtures.DAY, 1.0));
        int put = table.addSeries(SeriesSpec.option(OptionRight.PUT, strike, NOW + 30 * OptionFixtures.DAY, 1.0));
        OptionFixtures.reprice(table);
        for (long sign : new long[] {1, -1}) {
            OptionMarginAccount straddle = account(table, new int[] {call, put}, new long[] {sign * q, sign * q});
            OptionMarginAccount callOnly = account(table, new int[] {call}, new long[] {sign * q});
            OptionMarginAccount putOnly = account(table, new int[] {put}, new long[] {sign * q});
            assertTrue(StrictMath.abs(straddle.netDeltaMicros()) <= q, "delta " + straddle.netDeltaMicros());
            assertEquals(0, straddle.deltaAddOn());
            assertTrue(callOnly.deltaAddOn() > 0 && putOnly.deltaAddOn() > 0);
            // The grid's worst loss is sub-additive, the delta add-on vanishes: the straddle needs less than its legs.
            assertTrue(straddle.worstLoss() <= callOnly.worstLoss() + putOnly.worstLoss());
            assertTrue(straddle.portfolioInitialMargin() < callOnly.portfolioInitialMargin()
                    + putOnly.portfolioInitialMargin(), "sign " + sign);
            if (sign < 0) {
                // The short straddle's worst case is a large move either way, with volatility up.
                assertTrue(straddle.portfolioInitialMargin() < straddle.standardInitialMargin());
                assertEquals(500_000, table.scenarioVolShock(straddle.worstScenario()).relativePpm());
                assertEquals(160_000, StrictMath.abs(table.scenarioMovePpm(straddle.worstScenario())));
            }
        }
    }

    @Test
    void longPutProtectsALongFuture() {
        ScenarioTable table = OptionFixtures.table();
        int perp = table.addSeries(SeriesSpec.perpetual(1.0));
        int put = OptionFixtures.put(table, 57_000, 30);
        OptionFixtures.reprice(table);
        OptionMarginAccount naked = account(table, new int[] {perp}, new long[] {10});
        OptionMarginAccount hedged = account(table, new int[] {perp, put}, new long[] {10, 10});
        // A put is worth at least K - S' (r = 0), so the book never loses more than 3,000 per BTC plus the premium.
        long bound = 10 * (3_000 * USD + table.markValueUp(put));
        assertTrue(hedged.worstLoss() <= bound, hedged.worstLoss() + " vs " + bound);
        assertTrue(hedged.worstLoss() < naked.worstLoss(), hedged.worstLoss() + " vs " + naked.worstLoss());
        assertTrue(hedged.portfolioInitialMargin() < naked.portfolioInitialMargin());
    }

    @Test
    void addOnsFollowTheirFormulas() {
        // 150 short calls of 1 BTC: short add-on 1% x 150 x 60,000 = 90,000 USD; concentration 2% x (150 - 100) x
        // 60,000 = 60,000 USD; delta add-on 4% x (|delta| - 100 BTC) x 60,000.
        ScenarioTable table = OptionFixtures.table();
        int call = OptionFixtures.call(table, 50_000, 30);
        OptionFixtures.reprice(table);
        OptionMarginAccount account = account(table, new int[] {call}, new long[] {-150});
        assertEquals(90_000 * USD, account.shortOptionAddOn());
        assertEquals(60_000 * USD, account.concentrationAddOn());
        long delta = -150 * table.deltaMicros(call);
        assertEquals(delta, account.netDeltaMicros());
        long excess = -delta - 100_000_000;
        assertTrue(excess > 0);
        assertEquals((long) Math.ceil(0.04 * excess * 60_000 / 1e6 * 1e6), account.deltaAddOn());
        double exact = (10_000 * 150e6 + 20_000 * 50e6 + 40_000 * (double) excess) * (SPOT * 1e6 / 1e12);
        assertEquals((long) Math.ceil(exact), account.addOns());
        assertEquals(account.worstLoss() + account.addOns() - account.netOptionValue(), account.portfolioInitialMargin());
    }

    @Test
    void maintenanceIsTheFractionOfTheRiskPartPlusTheShortOptionValue() {
        ScenarioTable table = OptionFixtures.table(PortfolioMarginParams.defaults().withoutAddOns());
        int call = OptionFixtures.call(table, 62_000, 14);
        int put = OptionFixtures.put(table, 58_000, 14);
        OptionFixtures.reprice(table);
        OptionMarginAccount account = account(table, new int[] {call, put}, new long[] {-4, -4});
        long risk = account.worstLoss();
        long owed = -account.netOptionValue();
        assertEquals(risk + owed, account.portfolioInitialMargin());
        assertEquals((long) Math.ceil(0.8 * risk) + owed, account.portfolioMaintenanceMargin());
        assertEquals(account.portfolioInitialMargin(), account.initialMargin());
        account.setMode(OptionMarginMode.STANDARD);
        assertEquals(account.standardInitialMargin(), account.initialMargin());
    }

    @Test
    void expiredOptionsAreWorthTheirIntrinsicValue() {
        ScenarioTable table = OptionFixtures.table();
        int itm = table.addSeries(SeriesSpec.option(OptionRight.CALL, 55_000, NOW - OptionFixtures.DAY, 1.0));
        int otm = table.addSeries(SeriesSpec.option(OptionRight.PUT, 55_000, NOW, 1.0));
        OptionFixtures.reprice(table);
        assertEquals(5_000 * USD, table.markValueUp(itm));
        assertEquals(1_000_000, table.deltaMicros(itm));
        assertEquals(0, table.markValueUp(otm));
        assertEquals(0, table.deltaMicros(otm));
        // At -16% the call is worth 50,400 - 55,000 < 0, i.e. nothing: a loss of its 5,000 USD.
        int down16 = 0;
        assertEquals(-5_000 * USD, table.scenarioPnl(itm, down16, true));
        OptionMarginAccount account = account(table, new int[] {itm}, new long[] {1});
        assertEquals(5_000 * USD, account.worstLoss());
    }

    @Test
    void volShocksScaleWithTimeToExpiry() {
        ScenarioTable table = OptionFixtures.table();
        assertEquals(1.0, table.termFactor(30.0 / 365.0), 1e-15);
        assertEquals(StrictMath.pow(30.0, 0.3), table.termFactor(1.0 / 365.0), 1e-12);
        assertEquals(StrictMath.pow(30.0, 0.3), table.termFactor(1e-9), 1e-12);
        assertEquals(StrictMath.pow(30.0 / 365.0, 0.3), table.termFactor(1.0), 1e-12);
        // The floor stops a large down shock, and never lifts a volatility above its mark.
        assertEquals(0.01, new VolShock(-900_000, 0).apply(0.5, 2.0, 0.01), 0.0);
        assertEquals(0.005, new VolShock(-900_000, 0).apply(0.005, 2.0, 0.01), 0.0);
        assertEquals(0.5, VolShock.SAME.apply(0.5, 2.77, 0.01), 0.0);
        assertEquals(0.5 * 1.5 + 0.05, new VolShock(500_000, 50_000).apply(0.5, 1.0, 0.01), 1e-15);
    }

    @Test
    void scenariosAreMovesTimesShocksInOrder() {
        ScenarioTable table = OptionFixtures.table();
        assertEquals(27, table.scenarioCount());
        List<Long> moves = table.portfolioParams().priceMovesPpm();
        for (int s = 0; s < 27; s++) {
            assertEquals(moves.get(s / 3), table.scenarioMovePpm(s));
            assertEquals(table.portfolioParams().volShocks().get(s % 3), table.scenarioVolShock(s));
        }
        assertEquals(List.of(-160_000L, -120_000L, -80_000L, -40_000L, 0L, 40_000L, 80_000L, 120_000L, 160_000L), moves);
    }
}
