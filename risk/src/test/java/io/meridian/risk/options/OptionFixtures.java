package io.meridian.risk.options;

import io.meridian.model.OptionRight;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Shared set-up: a BTC-like underlying settled in USDC (6 decimals), a clock value, chains and random books. */
final class OptionFixtures {
    static final int USDC = 6;
    static final long DAY = 86_400L * 1_000_000_000L;
    /** 2023-11-14T22:13:20Z; any instant works, the tests only use differences. */
    static final long NOW = 1_700_000_000_000_000_000L;
    static final double SPOT = 60_000.0;
    static final MarkSource FLAT_60 = MarkSource.flat(0.6);

    private OptionFixtures() {
    }

    static ScenarioTable table(PortfolioMarginParams pm) {
        return new ScenarioTable(USDC, StandardMarginParams.defaults(), pm);
    }

    static ScenarioTable table() {
        return table(PortfolioMarginParams.defaults());
    }

    static int call(ScenarioTable table, double strike, int days) {
        return table.addSeries(SeriesSpec.option(OptionRight.CALL, strike, NOW + days * DAY, 1.0));
    }

    static int put(ScenarioTable table, double strike, int days) {
        return table.addSeries(SeriesSpec.option(OptionRight.PUT, strike, NOW + days * DAY, 1.0));
    }

    static void reprice(ScenarioTable table) {
        RepriceStatus status = table.reprice(SPOT, NOW, FLAT_60);
        if (status != RepriceStatus.OK) {
            throw new AssertionError(status + ": " + table.lastRejectMessage());
        }
    }

    /** A smile that depends on strike and expiry, with a non-zero rate and carry, all deterministic. */
    static MarkSource smile(double atmVol, double rate, double carry) {
        return new MarkSource() {
            @Override
            public double vol(double strike, double tte) {
                double k = StrictMath.log(strike / SPOT);
                return atmVol * (1.0 + 0.8 * k * k - 0.1 * k) * (1.0 + 0.05 * StrictMath.sqrt(tte));
            }

            @Override
            public double carry(double tte) {
                return carry;
            }

            @Override
            public double rate() {
                return rate;
            }
        };
    }

    /**
     * A random set of series: 2..5 expiries (1 to 180 days; sometimes one already expired), strikes 60%..160% of
     * spot, calls and puts, multipliers 1, 0.1 or 0.01; a perpetual and a dated future.
     */
    static List<SeriesSpec> randomSeries(SplittableRandom random, int count) {
        List<SeriesSpec> specs = new ArrayList<>();
        specs.add(SeriesSpec.perpetual(0.001));
        specs.add(SeriesSpec.future(NOW + 90 * DAY, 1.0));
        int expiries = 2 + random.nextInt(4);
        long[] expiry = new long[expiries];
        for (int e = 0; e < expiries; e++) {
            expiry[e] = random.nextInt(10) == 0 ? NOW - DAY : NOW + (1 + random.nextInt(180)) * DAY;
        }
        double[] multipliers = {1.0, 0.1, 0.01};
        while (specs.size() < count) {
            double strike = StrictMath.rint(SPOT * (0.6 + random.nextDouble()) / 500.0) * 500.0;
            OptionRight type = random.nextBoolean() ? OptionRight.CALL : OptionRight.PUT;
            specs.add(SeriesSpec.option(type, strike, expiry[random.nextInt(expiries)],
                    multipliers[random.nextInt(multipliers.length)]));
        }
        return specs;
    }

    /** Quantities for the series: about half zero, the rest -50..50 (never zero). */
    static long[] randomQuantities(SplittableRandom random, int count) {
        long[] q = new long[count];
        for (int i = 0; i < count; i++) {
            if (random.nextBoolean()) {
                long v = 1 + random.nextInt(50);
                q[i] = random.nextBoolean() ? v : -v;
            }
        }
        return q;
    }

    static List<ReferenceMargin.Leg> legs(ScenarioTable table, OptionMarginAccount account) {
        List<ReferenceMargin.Leg> legs = new ArrayList<>();
        for (int i = 0; i < account.legCount(); i++) {
            legs.add(new ReferenceMargin.Leg(table.spec(account.legSeries(i)), account.legQuantity(i)));
        }
        return legs;
    }
}
