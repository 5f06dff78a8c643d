package io.meridian.risk.options;

import io.meridian.model.OptionRight;
import io.meridian.model.StateHasher;
import io.meridian.pricing.options.Smile;
import io.meridian.pricing.options.SurfaceBuild;
import io.meridian.pricing.options.SviParams;
import io.meridian.pricing.options.VolSurface;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.meridian.risk.options.OptionFixtures.DAY;
import static io.meridian.risk.options.OptionFixtures.NOW;
import static io.meridian.risk.options.OptionFixtures.SPOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table's lifecycle: check-then-apply reprices, series registration and retirement, parameter changes, hashes. */
class ScenarioTableTest {

    private static long hash(ScenarioTable table) {
        StateHasher hasher = new StateHasher();
        table.hashInto(hasher);
        return hasher.value();
    }

    private static ScenarioTable chain() {
        ScenarioTable table = OptionFixtures.table();
        table.addSeries(SeriesSpec.perpetual(0.001));
        for (int strike = 50_000; strike <= 70_000; strike += 5_000) {
            OptionFixtures.call(table, strike, 30);
            OptionFixtures.put(table, strike, 30);
        }
        return table;
    }

    @Test
    void rejectedRepricesLeaveTheTableAsItWas() {
        ScenarioTable table = chain();
        OptionFixtures.reprice(table);
        long before = hash(table);
        long epoch = table.epoch();
        assertEquals(RepriceStatus.INVALID_SPOT, table.reprice(0.0, NOW, OptionFixtures.FLAT_60));
        assertEquals(RepriceStatus.INVALID_SPOT, table.reprice(Double.NaN, NOW, OptionFixtures.FLAT_60));
        assertEquals(RepriceStatus.INVALID_SPOT, table.reprice(2e15, NOW, OptionFixtures.FLAT_60));
        assertTrue(table.lastRejectMessage().contains("index price"), table.lastRejectMessage());
        // A source that fails on one strike only, after earlier series have been priced into the spare arrays.
        MarkSource broken = (strike, tte) -> strike == 65_000 ? Double.NaN : 0.5;
        assertEquals(RepriceStatus.INVALID_MARKS, table.reprice(61_000, NOW + DAY, broken));
        assertTrue(table.lastRejectMessage().contains("strike 65000.0"), table.lastRejectMessage());
        assertEquals(RepriceStatus.INVALID_MARKS, table.reprice(61_000, NOW, MarkSource.flat(11.0)));
        assertEquals(RepriceStatus.INVALID_MARKS, table.reprice(61_000, NOW, new MarkSource() {
            @Override
            public double vol(double strike, double tte) {
                return 0.5;
            }

            @Override
            public double rate() {
                return Double.POSITIVE_INFINITY;
            }
        }));
        assertEquals(before, hash(table));
        assertEquals(epoch, table.epoch());
        assertEquals(SPOT, table.spot());
    }

    @Test
    void overflowIsRejected() {
        ScenarioTable table = new ScenarioTable(18, StandardMarginParams.defaults(), PortfolioMarginParams.defaults());
        table.addSeries(SeriesSpec.option(OptionRight.CALL, 60_000, NOW + 30 * DAY, 1.0));
        assertEquals(RepriceStatus.OVERFLOW, table.reprice(SPOT, NOW, OptionFixtures.FLAT_60));
        assertTrue(table.lastRejectMessage().contains("does not fit"), table.lastRejectMessage());
        assertFalse(table.isPriced());
    }

    @Test
    void queriesNeedAPricedTable() {
        ScenarioTable table = chain();
        OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
        account.setPosition(1, -1);
        assertThrows(IllegalStateException.class, account::initialMargin);
        OptionFixtures.reprice(table);
        assertTrue(account.initialMargin() > 0);
        assertThrows(IllegalArgumentException.class, () -> account.setPosition(999, 1));
        assertThrows(IllegalArgumentException.class, () -> account.setPosition(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> account.setPosition(1, Long.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> account.scenarioPnl(27));
    }

    @Test
    void seriesAddedToAPricedTableArePricedAtOnce() {
        ScenarioTable table = chain();
        OptionFixtures.reprice(table);
        long epoch = table.epoch();
        int late = OptionFixtures.call(table, 62_000, 30);
        assertEquals(epoch, table.epoch());
        ScenarioTable fresh = OptionFixtures.table();
        int same = OptionFixtures.call(fresh, 62_000, 30);
        OptionFixtures.reprice(fresh);
        assertEquals(fresh.markValueUp(same), table.markValueUp(late));
        for (int s = 0; s < table.scenarioCount(); s++) {
            assertEquals(fresh.scenarioPnl(same, s, true), table.scenarioPnl(late, s, true));
            assertEquals(fresh.scenarioPnl(same, s, false), table.scenarioPnl(late, s, false));
        }
        // Growing past the initial capacity keeps every row that was there.
        long first = table.markValueUp(1);
        for (int i = 0; i < 100; i++) {
            OptionFixtures.put(table, 40_000 + 300 * i, 60);
        }
        assertEquals(first, table.markValueUp(1));
    }

    @Test
    void aSeriesTheSourceCannotPriceIsNotRegistered() {
        ScenarioTable table = chain();
        table.reprice(SPOT, NOW, (strike, tte) -> strike > 100_000 ? -1.0 : 0.6);
        int count = table.seriesCount();
        assertEquals(ScenarioTable.REJECTED, OptionFixtures.call(table, 120_000, 30));
        assertEquals(count, table.seriesCount());
        assertTrue(table.lastRejectMessage().contains("volatility"));
        assertEquals(count, OptionFixtures.call(table, 80_000, 30));
    }

    @Test
    void onlySeriesNobodyHoldsCanBeRetired() {
        ScenarioTable table = chain();
        OptionFixtures.reprice(table);
        OptionMarginAccount a = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
        OptionMarginAccount b = new OptionMarginAccount(table, OptionMarginMode.STANDARD);
        a.setPosition(3, 2);
        b.setPosition(3, -2);
        assertEquals(2, table.holders(3));
        assertFalse(table.retire(3));
        a.setPosition(3, 0);
        assertFalse(table.retire(3));
        b.clear();
        assertEquals(0, table.holders(3));
        assertTrue(table.retire(3));
        assertTrue(table.isRetired(3));
        assertThrows(IllegalArgumentException.class, () -> a.setPosition(3, 1));
        a.setPosition(3, 0);
        OptionFixtures.reprice(table);
    }

    @Test
    void parameterChangesRepriceAndAccountsFollow() {
        ScenarioTable table = chain();
        OptionFixtures.reprice(table);
        OptionMarginAccount account = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
        account.setPosition(2, -5);
        long narrow = account.initialMargin();
        PortfolioMarginParams wide = PortfolioMarginParams.defaults()
                .withPriceMoves(PortfolioMarginParams.evenMoves(300_000, 6));
        assertEquals(RepriceStatus.OK, table.setParams(StandardMarginParams.defaults(), wide));
        assertEquals(39, table.scenarioCount());
        assertTrue(account.initialMargin() > narrow);
        // A change the last inputs cannot price is refused and the old parameters stay.
        ScenarioTable deep = new ScenarioTable(12, StandardMarginParams.defaults(), PortfolioMarginParams.defaults());
        deep.addSeries(SeriesSpec.perpetual(1.0));
        assertEquals(RepriceStatus.OK, deep.reprice(1_000_000, NOW, OptionFixtures.FLAT_60));
        PortfolioMarginParams huge = PortfolioMarginParams.defaults().withPriceMoves(List.of(0L, 10_000_000L));
        assertEquals(RepriceStatus.OVERFLOW, deep.setParams(StandardMarginParams.defaults(), huge));
        assertEquals(PortfolioMarginParams.defaults(), deep.portfolioParams());
        assertEquals(27, deep.scenarioCount());
    }

    @Test
    void identicalInputsGiveIdenticalHashes() {
        ScenarioTable a = chain();
        ScenarioTable b = chain();
        MarkSource marks = OptionFixtures.smile(0.55, 0.01, 0.02);
        a.reprice(61_234.5, NOW + 7_777, marks);
        b.reprice(61_234.5, NOW + 7_777, marks);
        assertEquals(hash(a), hash(b));
        b.reprice(61_234.5, NOW + 7_778, marks);
        assertNotEquals(hash(a), hash(b));
        OptionMarginAccount x = new OptionMarginAccount(a, OptionMarginMode.PORTFOLIO);
        OptionMarginAccount y = new OptionMarginAccount(b, OptionMarginMode.PORTFOLIO);
        x.setPosition(4, 3);
        x.setPosition(1, -2);
        y.setPosition(1, -2);
        y.setPosition(4, 3);
        StateHasher hx = new StateHasher();
        StateHasher hy = new StateHasher();
        x.hashInto(hx);
        y.hashInto(hy);
        assertEquals(hx.value(), hy.value());
    }

    @Test
    void marksCanComeFromAFittedSurface() {
        double tte = 30.0 / 365.0;
        double forward = SPOT * 1.004;
        SviParams smile = new SviParams(0.02, 0.05, -0.3, 0.0, 0.1);
        SurfaceBuild build = VolSurface.fromSmiles(SPOT, List.of(new Smile(tte, forward, smile)));
        assertTrue(build.ok(), build.message());
        MarkSource marks = MarkSource.of(build.surface());
        ScenarioTable table = OptionFixtures.table();
        int call = OptionFixtures.call(table, 65_000, 30);
        int future = table.addSeries(SeriesSpec.future(NOW + 30 * DAY, 1.0));
        assertEquals(RepriceStatus.OK, table.reprice(SPOT, NOW, marks));
        assertEquals(build.surface().vol(65_000, tte), table.markVol(call), 1e-15);
        // The future's forward is the surface's: delta e^(bT) = F / S.
        assertEquals(Math.round(1.004 * 1e6), table.deltaMicros(future));
    }
}
