package io.meridian.simulator;

import java.util.SplittableRandom;

/**
 * Who trades in a stress run. {@link #classic} is the scripted scenarios' crowd (ladder market makers, trend
 * followers, leveraged holders, noise traders; the scenarios' published figures are for it). {@link #realistic} adds
 * what makes a crash behave like a real one (docs/stress.md, "The realistic population"): Avellaneda-Stoikov makers
 * in place of the ladders, leverage drawn from a {@link LeverageDistribution}, traders with clustered stop-losses, and
 * funding arbitrageurs.
 *
 * @param realistic       Avellaneda-Stoikov makers and the leverage distribution; false: the classic crowd
 * @param stopLossTraders traders with a stop-loss at a round price (realistic only)
 * @param fundingArbs     funding arbitrageurs (realistic only)
 * @param leverage        the distribution the leveraged traders draw from (realistic only)
 */
public record Population(int makers, int trendFollowers, int holders, int noiseTraders, boolean realistic,
                         int stopLossTraders, int fundingArbs, LeverageDistribution leverage) {
    public Population {
        if (makers < 0 || trendFollowers < 0 || holders < 0 || noiseTraders < 0 || stopLossTraders < 0
                || fundingArbs < 0) {
            throw new IllegalArgumentException("agent counts must not be negative");
        }
        if (realistic && leverage == null) {
            throw new IllegalArgumentException("a realistic population needs a leverage distribution");
        }
    }

    /** The scenarios' crowd. */
    public static Population classic(int makers, int trendFollowers, int holders, int noiseTraders) {
        return new Population(makers, trendFollowers, holders, noiseTraders, false, 0, 0, null);
    }

    /** The realistic crowd with the default leverage distribution, 30 stop-loss traders and 5 funding arbitrageurs. */
    public static Population realistic(int makers, int trendFollowers, int holders, int noiseTraders) {
        return new Population(makers, trendFollowers, holders, noiseTraders, true, 30, 5, LeverageDistribution.DEFAULT);
    }

    public Population withLeverage(LeverageDistribution distribution) {
        return new Population(makers, trendFollowers, holders, noiseTraders, realistic, stopLossTraders, fundingArbs,
                distribution);
    }

    /**
     * Leverage as weighted choices, written {@code LEVERAGE:WEIGHT,...} (e.g. {@code 2:20,5:30,10:25,20:15,50:10}):
     * a trader draws a leverage with probability weight / total.
     */
    public record LeverageDistribution(int[] leverages, double[] weights) {
        /**
         * The default: most traders modest, a tail at 50x. No venue publishes its users' leverage; this shape follows
         * what venues say in passing (most open interest at or below 10x, a small share at the maximum) and is an
         * assumption to sweep over, not a measurement.
         */
        public static final LeverageDistribution DEFAULT = parse("2:15,3:15,5:25,10:25,20:12,50:8");

        public LeverageDistribution {
            if (leverages.length == 0 || leverages.length != weights.length) {
                throw new IllegalArgumentException("a leverage distribution needs LEVERAGE:WEIGHT pairs");
            }
            leverages = leverages.clone();
            weights = weights.clone();
        }

        /** Parses {@code LEVERAGE:WEIGHT,...}: leverages 1..100, weights above 0, at most 20 pairs. */
        public static LeverageDistribution parse(String text) {
            String[] parts = text.split(",", -1);
            if (parts.length > 20) {
                throw new IllegalArgumentException("at most 20 LEVERAGE:WEIGHT pairs");
            }
            int[] leverages = new int[parts.length];
            double[] weights = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                String[] pair = parts[i].split(":", -1);
                if (pair.length != 2) {
                    throw new IllegalArgumentException("'" + parts[i] + "' is not LEVERAGE:WEIGHT");
                }
                try {
                    leverages[i] = Integer.parseInt(pair[0].trim());
                    weights[i] = Double.parseDouble(pair[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + parts[i] + "' is not LEVERAGE:WEIGHT");
                }
                if (leverages[i] < 1 || leverages[i] > 100 || !(weights[i] > 0) || weights[i] > 1e6) {
                    throw new IllegalArgumentException("'" + parts[i] + "': leverage 1..100, weight above 0");
                }
            }
            return new LeverageDistribution(leverages, weights);
        }

        /** One draw. */
        public int draw(SplittableRandom random) {
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            double x = random.nextDouble() * total;
            for (int i = 0; i < weights.length; i++) {
                x -= weights[i];
                if (x < 0) {
                    return leverages[i];
                }
            }
            return leverages[leverages.length - 1];
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < leverages.length; i++) {
                sb.append(i == 0 ? "" : ",").append(leverages[i]).append(':').append(weights[i] % 1 == 0
                        ? Long.toString((long) weights[i]) : Double.toString(weights[i]));
            }
            return sb.toString();
        }
    }
}
