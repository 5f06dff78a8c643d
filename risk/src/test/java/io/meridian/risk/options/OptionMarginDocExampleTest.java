package io.meridian.risk.options;

import io.meridian.model.OptionRight;
import org.junit.jupiter.api.Test;

import static io.meridian.risk.options.OptionFixtures.DAY;
import static io.meridian.risk.options.OptionFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The worked example of docs/risk.md ("Option margin"), number for number: BTC at 60,000 USDC, 30-day options at
 * 60% volatility, zero rate and carry, default parameters. If this test changes, the document must change with it.
 */
class OptionMarginDocExampleTest {
    private ScenarioTable table;
    private int perp;
    private int call60;
    private int call66;
    private int put54;

    private void setUp(PortfolioMarginParams pm) {
        table = OptionFixtures.table(pm);
        perp = table.addSeries(SeriesSpec.perpetual(0.001));
        long expiry = NOW + 30 * DAY;
        call60 = table.addSeries(SeriesSpec.option(OptionRight.CALL, 60_000, expiry, 1.0));
        call66 = table.addSeries(SeriesSpec.option(OptionRight.CALL, 66_000, expiry, 1.0));
        put54 = table.addSeries(SeriesSpec.option(OptionRight.PUT, 54_000, expiry, 1.0));
        assertEquals(RepriceStatus.OK, table.reprice(60_000, NOW, MarkSource.flat(0.6)));
    }

    @Test
    void marks() {
        setUp(PortfolioMarginParams.defaults());
        assertEquals(4_112_364_431L, table.markValueUp(call60));
        assertEquals(1_962_156_303L, table.markValueUp(call66));
        assertEquals(1_614_941_096L, table.markValueUp(put54));
        assertEquals(534_270, table.deltaMicros(call60));
        assertEquals(319_866, table.deltaMicros(call66));
        assertEquals(-242_427, table.deltaMicros(put54));
    }

    @Test
    void coveredCall() {
        setUp(PortfolioMarginParams.defaults());
        OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
        account.setPosition(perp, 1_000);
        account.setPosition(call60, -1);
        assertEquals(14_312_364_431L, account.standardInitialMargin());
        assertEquals(9_212_364_431L, account.standardMaintenanceMargin());
        assertEquals(7_589_769_923L, account.worstLoss());
        assertEquals(-160_000, table.scenarioMovePpm(account.worstScenario()));
        assertEquals(VolShock.UP, table.scenarioVolShock(account.worstScenario()));
        assertEquals(600_000_000, account.addOns());
        assertEquals(-4_112_364_431L, account.netOptionValue());
        assertEquals(465_730, account.netDeltaMicros());
        assertEquals(12_302_134_354L, account.portfolioInitialMargin());
        assertEquals(10_664_180_370L, account.portfolioMaintenanceMargin());
        // Three rows of the scenario table: -16%, 0 and +16% with volatility down, same, up.
        long[][] rows = {
            {-5_705_602_347L, -6_253_734_396L, -7_589_769_923L},
            {1_231_900_086L, 0, -2_046_698_419L},
            {3_704_738_320L, 2_920_539_216L, 1_197_831_091L},
        };
        int[] moves = {0, 4, 8};
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(rows[r][k], account.scenarioPnl(moves[r] * 3 + k), "row " + r + " shock " + k);
            }
        }
    }

    @Test
    void shortStrangle() {
        setUp(PortfolioMarginParams.defaults());
        OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
        account.setPosition(put54, -1);
        account.setPosition(call66, -1);
        assertEquals(15_577_097_399L, account.standardInitialMargin());
        assertEquals(9_577_097_399L, account.standardMaintenanceMargin());
        assertEquals(6_681_260_256L, account.worstLoss());
        assertEquals(160_000, table.scenarioMovePpm(account.worstScenario()));
        assertEquals(1_200_000_000, account.addOns());
        assertEquals(11_458_357_655L, account.portfolioInitialMargin());
        assertEquals(9_882_105_604L, account.portfolioMaintenanceMargin());
    }

    @Test
    void shortStrangleOnWiderGrids() {
        long[] expected = {9_476_565_964L, 11_458_357_655L, 14_200_270_604L};
        long[] max = {80_000, 160_000, 240_000};
        for (int i = 0; i < 3; i++) {
            setUp(PortfolioMarginParams.defaults().withPriceMoves(PortfolioMarginParams.evenMoves(max[i], 4)));
            OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
            account.setPosition(put54, -1);
            account.setPosition(call66, -1);
            assertEquals(expected[i], account.portfolioInitialMargin(), "grid +/-" + max[i]);
        }
    }
}
