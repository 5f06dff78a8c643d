package io.meridian.risk.options;

import io.meridian.model.OptionRight;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter validation: every bad value is refused with a message naming it; the defaults are the documented ones. */
class OptionMarginParamsTest {
    private static final PortfolioMarginParams D = PortfolioMarginParams.defaults();

    private static void rejected(String expectedInMessage, Supplier<?> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(expectedInMessage), "message '" + e.getMessage() + "' should name "
                + expectedInMessage);
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        assertEquals(List.of(-160_000L, -120_000L, -80_000L, -40_000L, 0L, 40_000L, 80_000L, 120_000L, 160_000L),
                D.priceMovesPpm());
        assertEquals(List.of(VolShock.DOWN, VolShock.SAME, VolShock.UP), D.volShocks());
        assertEquals(new VolShock(-300_000, 0), VolShock.DOWN);
        assertEquals(new VolShock(500_000, 0), VolShock.UP);
        assertEquals(10_000, D.volFloorPpm());
        assertEquals(30, D.volTermDays());
        assertEquals(300_000, D.volTermExponentPpm());
        assertEquals(10_000, D.shortOptionAddOnPpm());
        assertEquals(100_000_000, D.concentrationThresholdMicros());
        assertEquals(20_000, D.concentrationAddOnPpm());
        assertEquals(100_000_000, D.deltaBoundMicros());
        assertEquals(40_000, D.deltaAddOnPpm());
        assertEquals(800_000, D.maintenanceFractionPpm());
        assertEquals(27, D.scenarioCount());
        assertEquals(new StandardMarginParams(150_000, 100_000, 20_000, 500_000), StandardMarginParams.defaults());
    }

    @Test
    void priceMovesAreValidated() {
        rejected("priceMovesPpm needs 1 to 64", () -> D.withPriceMoves(List.of()));
        rejected("priceMovesPpm needs 1 to 64", () -> D.withPriceMoves(null));
        List<Long> tooMany = new ArrayList<>();
        for (long i = 0; i < 65; i++) {
            tooMany.add(i);
        }
        rejected("priceMovesPpm needs 1 to 64", () -> D.withPriceMoves(tooMany));
        rejected("a fall of 100% or more", () -> D.withPriceMoves(List.of(-1_000_000L, 0L)));
        rejected("each price move must be in", () -> D.withPriceMoves(List.of(0L, 10_000_001L)));
        rejected("strictly increasing", () -> D.withPriceMoves(List.of(-80_000L, 80_000L, 0L)));
        rejected("strictly increasing", () -> D.withPriceMoves(List.of(0L, 0L)));
        rejected("contains null", () -> D.withPriceMoves(Arrays.asList(0L, null)));
        assertEquals(1, D.withPriceMoves(List.of(-999_999L)).priceMovesPpm().size());
    }

    @Test
    void evenMovesBuildsTheDeribitGrid() {
        assertEquals(List.of(-160_000L, -80_000L, 0L, 80_000L, 160_000L), PortfolioMarginParams.evenMoves(160_000, 2));
        // A step that does not divide evenly is rounded down; the ends are exact.
        assertEquals(List.of(-100_000L, -66_666L, -33_333L, 0L, 33_333L, 66_666L, 100_000L),
                PortfolioMarginParams.evenMoves(100_000, 3));
        rejected("evenMoves needs", () -> PortfolioMarginParams.evenMoves(0, 4));
        rejected("evenMoves needs", () -> PortfolioMarginParams.evenMoves(1_000_000, 4));
        rejected("evenMoves needs", () -> PortfolioMarginParams.evenMoves(160_000, 0));
        rejected("evenMoves needs", () -> PortfolioMarginParams.evenMoves(160_000, 32));
        rejected("evenMoves needs", () -> PortfolioMarginParams.evenMoves(3, 4));
    }

    @Test
    void volShocksAreValidated() {
        rejected("volShocks needs 1 to 16", () -> D.withVolShocks(List.of()));
        rejected("volShocks has a duplicate", () -> D.withVolShocks(List.of(VolShock.UP, new VolShock(500_000, 0))));
        rejected("contains null", () -> D.withVolShocks(Arrays.asList(VolShock.UP, null)));
        rejected("relativePpm", () -> new VolShock(-1_000_001, 0));
        rejected("relativePpm", () -> new VolShock(10_000_001, 0));
        rejected("absolutePpm", () -> new VolShock(0, 1_000_001));
        rejected("absolutePpm", () -> new VolShock(0, -1_000_001));
        List<VolShock> tooMany = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            tooMany.add(new VolShock(i * 10_000, 0));
        }
        rejected("volShocks needs 1 to 16", () -> D.withVolShocks(tooMany));
    }

    @Test
    void scalarsAreValidated() {
        rejected("volTermDays", () -> D.withVolTerm(0, 300_000));
        rejected("volTermDays", () -> D.withVolTerm(3_651, 300_000));
        rejected("volTermExponentPpm", () -> D.withVolTerm(30, -1));
        rejected("volTermExponentPpm", () -> D.withVolTerm(30, 2_000_001));
        rejected("shortOptionAddOnPpm", () -> D.withAddOns(-1, 0, 0, 0, 0));
        rejected("shortOptionAddOnPpm", () -> D.withAddOns(1_000_001, 0, 0, 0, 0));
        rejected("concentrationThresholdMicros", () -> D.withAddOns(0, -1, 0, 0, 0));
        rejected("concentrationAddOnPpm", () -> D.withAddOns(0, 0, 1_000_001, 0, 0));
        rejected("deltaBoundMicros", () -> D.withAddOns(0, 0, 0, -5, 0));
        rejected("deltaAddOnPpm", () -> D.withAddOns(0, 0, 0, 0, -1));
        rejected("maintenanceFractionPpm", () -> D.withMaintenanceFractionPpm(0));
        rejected("maintenanceFractionPpm", () -> D.withMaintenanceFractionPpm(1_000_001));
        rejected("volFloorPpm", () -> new PortfolioMarginParams(D.priceMovesPpm(), D.volShocks(), 0, 30, 0, 0, 0, 0, 0,
                0, 800_000));
        // The non-throwing check gives the same sentence, for rejects by command.
        assertEquals("maintenanceFractionPpm must be in (0, 1000000]: 0", PortfolioMarginParams.check(
                D.priceMovesPpm(), D.volShocks(), 10_000, 30, 0, 0, 0, 0, 0, 0, 0).orElseThrow());
        assertTrue(PortfolioMarginParams.check(D.priceMovesPpm(), D.volShocks(), 10_000, 30, 0, 0, 0, 0, 0, 0, 1)
                .isEmpty());
    }

    @Test
    void standardParamsAreValidated() {
        rejected("shortOptionRatePpm", () -> new StandardMarginParams(0, 0, 20_000, 500_000));
        rejected("shortOptionRatePpm", () -> new StandardMarginParams(1_000_001, 100_000, 20_000, 500_000));
        rejected("shortOptionFloorPpm", () -> new StandardMarginParams(150_000, 0, 20_000, 500_000));
        rejected("shortOptionFloorPpm", () -> new StandardMarginParams(150_000, 150_001, 20_000, 500_000));
        rejected("futuresRatePpm", () -> new StandardMarginParams(150_000, 100_000, 0, 500_000));
        rejected("maintenanceFractionPpm", () -> new StandardMarginParams(150_000, 100_000, 20_000, 1_000_001));
        assertTrue(StandardMarginParams.check(150_000, 150_000, 1_000_000, 1_000_000).isEmpty());
    }

    @Test
    void seriesAreValidated() {
        rejected("multiplier", () -> SeriesSpec.perpetual(0.0));
        rejected("multiplier", () -> SeriesSpec.perpetual(1e-7));
        rejected("multiplier", () -> SeriesSpec.perpetual(Double.NaN));
        rejected("multiplier", () -> SeriesSpec.perpetual(1e13));
        rejected("strike", () -> SeriesSpec.option(OptionRight.CALL, 0.0, 1, 1.0));
        rejected("strike", () -> SeriesSpec.option(OptionRight.PUT, Double.POSITIVE_INFINITY, 1, 1.0));
        rejected("an option must have an expiry", () -> SeriesSpec.option(OptionRight.PUT, 100, SeriesSpec.PERPETUAL,
                1.0));
        rejected("a future has no strike", () -> new SeriesSpec(SeriesKind.FUTURE, 5.0, 1, 1.0));
        rejected("option type is required", () -> SeriesSpec.option(null, 100, 1, 1.0));
        rejected("series kind is required", () -> new SeriesSpec(null, 100, 1, 1.0));
        assertEquals(1_000, SeriesSpec.perpetual(0.001).sizeMicros());
        assertEquals(1, SeriesSpec.perpetual(1e-6).sizeMicros());
    }

    @Test
    void tablesAreValidated() {
        rejected("settlementScale", () -> new ScenarioTable(19, StandardMarginParams.defaults(), D));
        rejected("settlementScale", () -> new ScenarioTable(-1, StandardMarginParams.defaults(), D));
        rejected("parameters are required", () -> new ScenarioTable(6, null, D));
    }
}
