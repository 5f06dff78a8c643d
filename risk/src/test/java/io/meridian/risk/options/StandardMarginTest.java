package io.meridian.risk.options;

import io.meridian.model.OptionRight;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import org.junit.jupiter.api.Test;

import static io.meridian.risk.options.OptionFixtures.NOW;
import static io.meridian.risk.options.OptionFixtures.SPOT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Standard margin against numbers worked out by hand from the documented formulas (USDC, 6 decimals). */
class StandardMarginTest {
    private static final long USD = 1_000_000;

    @Test
    void markIsTheBlackScholesValueRoundedUpForShortsAndDownForLongs() {
        ScenarioTable table = OptionFixtures.table();
        int call = OptionFixtures.call(table, 66_000, 30);
        OptionFixtures.reprice(table);
        double value = GeneralizedBlackScholes.price(OptionRight.CALL, SPOT, 66_000, 30.0 / 365.0, 0, 0, 0.6) * 1e6;
        assertEquals((long) Math.ceil(value), table.markValueUp(call));
        assertEquals((long) Math.floor(value), table.markValueDown(call));
    }

    @Test
    void shortOutOfTheMoneyCallPaysTheFloorWhenItBinds() {
        // OTM = 66,000 - 60,000 = 6,000; max(15% x 60,000 - 6,000, 10% x 60,000) = max(3,000, 6,000) = 6,000 USD.
        ScenarioTable table = OptionFixtures.table();
        int call = OptionFixtures.call(table, 66_000, 30);
        OptionFixtures.reprice(table);
        OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.STANDARD);
        account.setPosition(call, -2);
        long mark = table.markValueUp(call);
        assertEquals(6_000 * USD, table.standardInitialRisk(call));
        assertEquals(2 * (6_000 * USD + mark), account.initialMargin());
        // Maintenance: 50% of the risk part, the mark in full.
        assertEquals(2 * (3_000 * USD + mark), account.maintenanceMargin());
    }

    @Test
    void shortOutOfTheMoneyPutSubtractsItsOtmAmount() {
        // Put 57,000: OTM = 3,000; max(9,000 - 3,000, 6,000) = 6,000. Put 58,000: max(9,000 - 2,000, 6,000) = 7,000.
        ScenarioTable table = OptionFixtures.table();
        int put57 = OptionFixtures.put(table, 57_000, 30);
        int put58 = OptionFixtures.put(table, 58_000, 30);
        OptionFixtures.reprice(table);
        assertEquals(6_000 * USD, table.standardInitialRisk(put57));
        assertEquals(7_000 * USD, table.standardInitialRisk(put58));
        assertEquals(3_500 * USD, table.standardMaintenanceRisk(put58));
    }

    @Test
    void shortInTheMoneyOptionPaysTheFullRate() {
        ScenarioTable table = OptionFixtures.table();
        int call = OptionFixtures.call(table, 50_000, 30);
        int put = OptionFixtures.put(table, 70_000, 30);
        OptionFixtures.reprice(table);
        assertEquals(9_000 * USD, table.standardInitialRisk(call));
        assertEquals(9_000 * USD, table.standardInitialRisk(put));
    }

    @Test
    void longOptionsNeedNothingBeyondThePremiumPaid() {
        ScenarioTable table = OptionFixtures.table();
        int call = OptionFixtures.call(table, 60_000, 30);
        int put = OptionFixtures.put(table, 55_000, 7);
        OptionFixtures.reprice(table);
        OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.STANDARD);
        account.setPosition(call, 5);
        account.setPosition(put, 3);
        assertEquals(0, account.initialMargin());
        assertEquals(0, account.maintenanceMargin());
        assertEquals(5 * table.markValueDown(call) + 3 * table.markValueDown(put), account.netOptionValue());
    }

    @Test
    void futuresPayAPercentageOfNotionalOnEitherSide() {
        // 1 lot = 0.001 BTC at 60,000 = 60 USD notional: 2% = 1.2 USD initial, 0.6 USD maintenance.
        ScenarioTable table = OptionFixtures.table();
        int perp = table.addSeries(SeriesSpec.perpetual(0.001));
        OptionFixtures.reprice(table);
        OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.STANDARD);
        account.setPosition(perp, -1_000);
        assertEquals(1_200_000L * 1_000, account.initialMargin());
        assertEquals(600_000L * 1_000, account.maintenanceMargin());
        account.setPosition(perp, 1_000);
        assertEquals(1_200_000L * 1_000, account.initialMargin());
    }

    @Test
    void datedFutureUsesItsForward() {
        ScenarioTable table = OptionFixtures.table();
        long expiry = NOW + 365 * OptionFixtures.DAY;
        int future = table.addSeries(SeriesSpec.future(expiry, 1.0));
        MarkSource carry5 = OptionFixtures.smile(0.6, 0.0, 0.05);
        assertEquals(RepriceStatus.OK, table.reprice(SPOT, NOW, carry5));
        double forward = SPOT * StrictMath.exp(0.05);
        assertEquals((long) Math.ceil(forward * 1e6 * 0.02), table.standardInitialRisk(future));
        assertEquals(Math.round(StrictMath.exp(0.05) * 1e6), table.deltaMicros(future));
    }

    @Test
    void legsAddUpWithoutOffsets() {
        // A long future and a short call: standard margin sees two separate risks.
        ScenarioTable table = OptionFixtures.table();
        int perp = table.addSeries(SeriesSpec.perpetual(1.0));
        int call = OptionFixtures.call(table, 60_000, 30);
        OptionFixtures.reprice(table);
        OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.STANDARD);
        account.setPosition(perp, 1);
        account.setPosition(call, -1);
        assertEquals(1_200 * USD + 9_000 * USD + table.markValueUp(call), account.initialMargin());
        assertEquals(600 * USD + 4_500 * USD + table.markValueUp(call), account.maintenanceMargin());
    }
}
