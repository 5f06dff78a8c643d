package io.meridian.engine;

import io.meridian.risk.options.ScenarioTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mark volatilities by expiry and strike, and how the margin table's questions find them. */
class OptionVolsTest {
    private static final long YEAR = ScenarioTable.NANOS_PER_YEAR;

    @Test
    void theTableFindsTheVolatilityOfTheExpiryAndStrikeItAsksFor() {
        OptionVols vols = new OptionVols();
        vols.add(YEAR, 60_000, 0.8);
        vols.add(YEAR, 50_000, 0.9);
        vols.add(2 * YEAR, 60_000, 0.7);
        vols.add(YEAR, 60_000, 0.1);
        assertEquals(0.8, vols.get(YEAR, 60_000), "a known strike keeps its volatility");
        vols.now = YEAR / 2;
        assertEquals(0.8, vols.vol(60_000, OptionVols.years(YEAR / 2, YEAR)));
        assertEquals(0.9, vols.vol(50_000, OptionVols.years(YEAR / 2, YEAR)));
        assertEquals(0.7, vols.vol(60_000, OptionVols.years(YEAR / 2, 2 * YEAR)));
        // Between strikes (never asked by the table): the nearest; beyond them, the end.
        assertEquals(0.9, vols.vol(54_000, 0.5));
        assertEquals(0.8, vols.vol(58_000, 0.5));
        assertEquals(0.8, vols.vol(90_000, 0.5));
        vols.set(YEAR, 50_000, 0.55);
        assertEquals(0.55, vols.vol(50_000, 0.5));
    }

    @Test
    void removingTheLastStrikeOfAnExpiryRemovesTheExpiry() {
        OptionVols vols = new OptionVols();
        assertTrue(Double.isNaN(vols.vol(1.0, 1.0)), "nothing listed: the table refuses the reprice");
        vols.add(YEAR, 60_000, 0.8);
        vols.add(2 * YEAR, 60_000, 0.7);
        vols.remove(YEAR, 60_000);
        assertEquals(0.0, vols.get(YEAR, 60_000));
        vols.now = 0;
        assertEquals(0.7, vols.vol(60_000, 1.0), "the only expiry left answers");
        vols.remove(2 * YEAR, 60_000);
        assertTrue(Double.isNaN(vols.vol(60_000, 1.0)));
    }
}
