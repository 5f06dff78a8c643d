package io.meridian.simulator;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

import java.util.SplittableRandom;

/**
 * The simulation's traders. Each acts through {@link SimVenue} with ordinary commands, exactly as a client would;
 * none sees anything a client could not (the index it is told, its own position, the book's top).
 */
final class Agents {
    private Agents() {
    }

    /** Something that may act once per simulated second. */
    interface Agent {
        long account();

        void act(SimVenue venue, SplittableRandom random, Market market);
    }

    /** What every agent may read at the start of a second. */
    record Market(int instrument, long indexTicks, double liquidity, long second) {
    }

    /**
     * Quotes a ladder around the index, skewed against its inventory (long inventory lowers both quotes so it sells
     * more and buys less). In thin liquidity it quotes {@code liquidity} of its size at a spread widened by
     * {@code 1 / liquidity}; at zero liquidity it pulls every quote.
     */
    static final class MarketMaker implements Agent {
        private final long account;
        private final long halfSpreadTicks;
        private final long lotsPerLevel;
        private final int levels;
        /** Quote shift per lot of inventory, ticks. */
        private final double skewTicksPerLot;

        MarketMaker(long account, long halfSpreadTicks, long lotsPerLevel, int levels, double skewTicksPerLot) {
            this.account = account;
            this.halfSpreadTicks = halfSpreadTicks;
            this.lotsPerLevel = lotsPerLevel;
            this.levels = levels;
            this.skewTicksPerLot = skewTicksPerLot;
        }

        @Override
        public long account() {
            return account;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Market market) {
            Command cancel = venue.command();
            cancel.type = CommandType.CANCEL_ALL;
            cancel.account = account;
            cancel.instrument = market.instrument();
            venue.submit(cancel);
            if (market.liquidity() <= 0.01) {
                return;
            }
            long inventory = venue.engine().positions(market.instrument()).size(account);
            long skew = Math.round(inventory * skewTicksPerLot);
            long half = Math.round(halfSpreadTicks / market.liquidity());
            long lots = Math.max(1, Math.round(lotsPerLevel * market.liquidity()));
            for (int level = 0; level < levels; level++) {
                long offset = half * (level + 1);
                long bid = market.indexTicks() - offset - skew;
                long ask = market.indexTicks() + offset - skew;
                if (bid > 0) {
                    venue.submit(venue.command().limit(account, market.instrument(), 0, Side.BUY, bid, lots,
                            TimeInForce.GTC));
                }
                venue.submit(venue.command().limit(account, market.instrument(), 0, Side.SELL, ask, lots,
                        TimeInForce.GTC));
            }
        }
    }

    /**
     * A leveraged trend follower: a fast and a slow moving average of the index; long while the fast is above, short
     * while below, at a target size of {@code leverage x equity / price x conviction}; trades the difference with a
     * market order when it exceeds a tenth of the target, every {@code period} seconds.
     */
    static final class TrendFollower implements Agent {
        private final long account;
        private final int leverage;
        private final double fastWeight;
        private final double slowWeight;
        private final int period;
        private final int phase;
        private double fast;
        private double slow;

        TrendFollower(long account, int leverage, double fastSeconds, double slowSeconds, int period, int phase) {
            this.account = account;
            this.leverage = leverage;
            this.fastWeight = 1 / fastSeconds;
            this.slowWeight = 1 / slowSeconds;
            this.period = period;
            this.phase = phase;
        }

        int leverage() {
            return leverage;
        }

        @Override
        public long account() {
            return account;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Market market) {
            double price = market.indexTicks();
            if (fast == 0) {
                fast = price;
                slow = price;
            }
            fast += (price - fast) * fastWeight;
            slow += (price - slow) * slowWeight;
            if ((market.second() + phase) % period != 0 || market.second() < 30) {
                return;
            }
            long equity = venue.engine().marginState(account, SimulatorSetup.USDC).equity;
            if (equity <= 0) {
                return;
            }
            double signal = Math.signum(fast - slow);
            // Lots affordable at the leverage: equity (minor units) / (price ticks x minor units per tick-lot).
            double maxLots = (double) equity * leverage / (price * SimulatorSetup.MINOR_UNITS_PER_TICK_LOT);
            long target = Math.round(signal * maxLots * 0.6);
            long current = venue.engine().positions(market.instrument()).size(account);
            long difference = target - current;
            if (Math.abs(difference) * 10 < Math.abs(target) || difference == 0) {
                return;
            }
            Side side = difference > 0 ? Side.BUY : Side.SELL;
            venue.submit(venue.command().market(account, market.instrument(), 0, side, Math.abs(difference)));
        }
    }

    /**
     * A leveraged position holder: in the first minute it opens a long or a short worth {@code leverage x equity}
     * (less a margin of safety) with a market order, then holds it; the crowd that a crash (longs) or a squeeze
     * (shorts) liquidates.
     */
    static final class Holder implements Agent {
        private final long account;
        private final int leverage;
        private final Side side;
        private final int openAt;

        Holder(long account, int leverage, Side side, int openAt) {
            this.account = account;
            this.leverage = leverage;
            this.side = side;
            this.openAt = openAt;
        }

        @Override
        public long account() {
            return account;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Market market) {
            if (market.second() != openAt) {
                return;
            }
            long equity = venue.engine().marginState(account, SimulatorSetup.USDC).equity;
            long lots = (long) ((double) equity * leverage * 0.9
                    / ((double) market.indexTicks() * SimulatorSetup.MINOR_UNITS_PER_TICK_LOT));
            if (lots > 0) {
                venue.submit(venue.command().market(account, market.instrument(), 0, side, lots));
            }
        }
    }

    /** Random small market orders, both sides, a few times a minute. */
    static final class NoiseTrader implements Agent {
        private final long account;
        private final long maxLots;
        private final double probability;

        NoiseTrader(long account, long maxLots, double probability) {
            this.account = account;
            this.maxLots = maxLots;
            this.probability = probability;
        }

        @Override
        public long account() {
            return account;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Market market) {
            if (random.nextDouble() >= probability) {
                return;
            }
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            venue.submit(venue.command().market(account, market.instrument(), 0, side, random.nextLong(1, maxLots + 1)));
        }
    }
}
