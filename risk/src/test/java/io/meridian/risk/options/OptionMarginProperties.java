package io.meridian.risk.options;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.List;
import java.util.SplittableRandom;

import static io.meridian.risk.options.OptionFixtures.NOW;
import static io.meridian.risk.options.OptionFixtures.SPOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties over random books (seeded from jqwik's {@code seed}, which every message carries): requirements are
 * monotone in position size, never negative, and maintenance never exceeds initial.
 */
class OptionMarginProperties {

    /** A priced table with random series and random parameters (add-ons included), and its random book. */
    private record Book(ScenarioTable table, int[] series, long[] quantities) {
    }

    private static Book randomBook(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SeriesSpec> specs = OptionFixtures.randomSeries(random, 4 + random.nextInt(16));
        ScenarioTable table = OptionFixtures.table(ScenarioVectorDifferentialProperties.randomParams(random));
        int[] series = new int[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            series[i] = table.addSeries(specs.get(i));
        }
        MarkSource marks = random.nextBoolean() ? OptionFixtures.FLAT_60
                : OptionFixtures.smile(0.2 + random.nextDouble(), 0.05 * random.nextDouble(), 0.02);
        assertEquals(RepriceStatus.OK, table.reprice(SPOT * (0.8 + 0.4 * random.nextDouble()), NOW, marks));
        return new Book(table, series, OptionFixtures.randomQuantities(random, specs.size()));
    }

    private static OptionMarginAccount place(Book book, long scale, OptionMarginMode mode) {
        OptionMarginAccount account = new OptionMarginAccount(book.table(), mode);
        for (int i = 0; i < book.series().length; i++) {
            account.setPosition(book.series()[i], Math.multiplyExact(scale, book.quantities()[i]));
        }
        return account;
    }

    @Property(tries = 300)
    void requirementIsMonotoneInPositionSize(@ForAll long seed) {
        Book book = randomBook(seed);
        long[] previous = new long[4];
        for (long scale = 0; scale <= 8; scale++) {
            OptionMarginAccount account = place(book, scale, OptionMarginMode.PORTFOLIO);
            long[] now = {account.portfolioInitialMargin(), account.portfolioMaintenanceMargin(),
                account.standardInitialMargin(), account.standardMaintenanceMargin()};
            for (int i = 0; i < 4; i++) {
                assertTrue(now[i] >= previous[i], "seed " + seed + " scale " + scale + " requirement " + i + ": "
                        + now[i] + " < " + previous[i]);
                if (scale == 0) {
                    assertEquals(0, now[i], "seed " + seed + ": an empty book needs nothing");
                }
            }
            previous = now;
            account.clear();
        }
    }

    @Property(tries = 300)
    void standardMarginIsMonotoneInEveryLegsSize(@ForAll long seed) {
        Book book = randomBook(seed);
        OptionMarginAccount account = place(book, 1, OptionMarginMode.STANDARD);
        SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        for (int step = 0; step < 20; step++) {
            int leg = random.nextInt(book.series().length);
            int series = book.series()[leg];
            long q = account.position(series);
            long initial = account.initialMargin();
            long maintenance = account.maintenanceMargin();
            long bigger = q >= 0 ? q + 1 + random.nextInt(20) : q - 1 - random.nextInt(20);
            if (q == 0 && random.nextBoolean()) {
                bigger = -bigger;
            }
            account.setPosition(series, bigger);
            String where = "seed " + seed + " step " + step + " series " + series + " " + q + " -> " + bigger;
            assertTrue(account.initialMargin() >= initial, where);
            assertTrue(account.maintenanceMargin() >= maintenance, where);
        }
    }

    @Property(tries = 300)
    void requirementsAreNeverNegativeAndMaintenanceIsAtMostInitial(@ForAll long seed) {
        Book book = randomBook(seed);
        for (OptionMarginMode mode : OptionMarginMode.values()) {
            OptionMarginAccount account = place(book, 1, mode);
            String where = "seed " + seed + " " + mode;
            assertTrue(account.maintenanceMargin() >= 0, where);
            assertTrue(account.maintenanceMargin() <= account.initialMargin(), where);
            assertTrue(account.portfolioMaintenanceMargin() >= 0, where);
            assertTrue(account.portfolioMaintenanceMargin() <= account.portfolioInitialMargin(), where);
            assertTrue(account.standardMaintenanceMargin() <= account.standardInitialMargin(), where);
            assertTrue(account.worstLoss() >= 0 && account.addOns() >= 0, where);
            // The requirement covers the worst loss net of the options' value, whatever the add-ons.
            assertTrue(account.portfolioInitialMargin() >= account.worstLoss() - account.netOptionValue(), where);
            account.clear();
        }
    }
}
