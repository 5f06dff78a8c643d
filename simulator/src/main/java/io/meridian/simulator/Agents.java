package io.meridian.simulator;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.MarginMode;
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
            long inventory = venue.engine().view().positions(market.instrument()).size(account);
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
            long equity = venue.engine().view().marginState(account, SimulatorSetup.USDC).equity;
            if (equity <= 0) {
                return;
            }
            double signal = Math.signum(fast - slow);
            // Lots affordable at the leverage: equity (minor units) / (price ticks x minor units per tick-lot).
            double maxLots = (double) equity * leverage / (price * SimulatorSetup.MINOR_UNITS_PER_TICK_LOT);
            long target = Math.round(signal * maxLots * 0.6);
            long current = venue.engine().view().positions(market.instrument()).size(account);
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
            long equity = venue.engine().view().marginState(account, SimulatorSetup.USDC).equity;
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

    /**
     * Opts an account into portfolio margin (account-wide). Sent before the account holds anything, so the engine's
     * check that equity covers the new requirement cannot refuse it.
     */
    static void portfolioMargin(SimVenue venue, long account) {
        Command c = venue.command().setMarginMode(account, Command.ALL_INSTRUMENTS, MarginMode.PORTFOLIO);
        venue.submit(c);
    }

    /**
     * Quotes every option series around the engine's mark each second (cancel-all, then a ladder): half-spread 3% of
     * the mark (at least 2 ticks), scaled by the scenario's liquidity like the perpetual's makers. Deep pockets; its
     * quotes are what the option writers trade against, and what liquidations buy short options back from.
     */
    static final class OptionMarketMaker implements Agent {
        private final long account;
        private final int[] instruments;
        private final long lotsPerLevel;
        private final int levels;

        OptionMarketMaker(long account, int[] instruments, long lotsPerLevel, int levels) {
            this.account = account;
            this.instruments = instruments.clone();
            this.lotsPerLevel = lotsPerLevel;
            this.levels = levels;
        }

        @Override
        public long account() {
            return account;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Market market) {
            for (int instrument : instruments) {
                Command cancel = venue.command();
                cancel.type = CommandType.CANCEL_ALL;
                cancel.account = account;
                cancel.instrument = instrument;
                venue.submit(cancel);
                long mark = venue.engine().view().book(instrument).markPrice();
                if (market.liquidity() <= 0.01 || mark <= 0) {
                    continue;
                }
                long half = Math.round(Math.max(2, mark * 0.03) / market.liquidity());
                long lots = Math.max(1, Math.round(lotsPerLevel * market.liquidity()));
                for (int level = 0; level < levels; level++) {
                    long bid = mark - half * (level + 1);
                    if (bid > 0) {
                        venue.submit(venue.command().limit(account, instrument, 0, Side.BUY, bid, lots, TimeInForce.GTC));
                    }
                    venue.submit(venue.command().limit(account, instrument, 0, Side.SELL, mark + half * (level + 1), lots,
                            TimeInForce.GTC));
                }
            }
        }
    }

    /**
     * Sells an out-of-the-money put with market orders from {@code openAt}: a target of {@code fraction} of its equity
     * over the standard initial margin of one lot at the index it sees then ({@code max(15% S - OTM, 10% S)} per BTC,
     * docs/options.md), topped up each second for up to 20 seconds if the book was too thin. Standard or portfolio
     * margin; both regimes get the same target for the same capital, so only the margin rules differ.
     */
    static final class PutWriter implements Agent {
        private final long account;
        private final int instrument;
        private final double strikeUsd;
        private final boolean portfolio;
        private final double fraction;
        private final int openAt;
        private long target;
        /** Short lots after its last order; a smaller position later means liquidation took some: stop writing. */
        private long written;
        private boolean done;

        PutWriter(long account, int instrument, double strikeUsd, boolean portfolio, double fraction, int openAt) {
            this.account = account;
            this.instrument = instrument;
            this.strikeUsd = strikeUsd;
            this.portfolio = portfolio;
            this.fraction = fraction;
            this.openAt = openAt;
        }

        @Override
        public long account() {
            return account;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Market market) {
            if (market.second() < openAt || market.second() >= openAt + 20) {
                return;
            }
            if (market.second() == openAt) {
                if (portfolio) {
                    portfolioMargin(venue, account);
                }
                double spot = market.indexTicks() * 0.1;
                double perBtc = Math.max(0.15 * spot - Math.max(0, spot - strikeUsd), 0.10 * spot);
                double perLot = perBtc * OptionsLab.BTC_PER_LOT * SimulatorSetup.USD;
                target = (long) (fraction * venue.engine().view().marginState(account, SimulatorSetup.USDC).equity / perLot);
            }
            if (done) {
                return;
            }
            long shortLots = -venue.engine().view().positions(instrument).size(account);
            if (shortLots < written || shortLots >= target) {
                done = true;
                return;
            }
            venue.submit(venue.command().market(account, instrument, 0, Side.SELL, target - shortLots));
            written = -venue.engine().view().positions(instrument).size(account);
        }
    }

    /**
     * A covered-call writer in portfolio margin: at {@code openAt} buys BTC-PERP worth {@code leverage x equity}, then
     * sells calls on the same amount of BTC (one option lot is ten perpetual lots), topping up for ten seconds. In
     * portfolio margin the short calls offset the long perpetual on the stress grid.
     */
    static final class CoveredCallWriter implements Agent {
        private final long account;
        private final int call;
        private final double leverage;
        private final int openAt;
        /** As {@link PutWriter}: stops once its book is complete or liquidation has touched it. */
        private long written;
        private boolean done;

        CoveredCallWriter(long account, int call, double leverage, int openAt) {
            this.account = account;
            this.call = call;
            this.leverage = leverage;
            this.openAt = openAt;
        }

        @Override
        public long account() {
            return account;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Market market) {
            if (market.second() == openAt) {
                portfolioMargin(venue, account);
                long equity = venue.engine().view().marginState(account, SimulatorSetup.USDC).equity;
                long lots = (long) (leverage * equity
                        / ((double) market.indexTicks() * SimulatorSetup.MINOR_UNITS_PER_TICK_LOT));
                if (lots > 0) {
                    venue.submit(venue.command().market(account, market.instrument(), 0, Side.BUY, lots));
                }
                return;
            }
            if (done || market.second() <= openAt || market.second() > openAt + 10) {
                return;
            }
            long target = venue.engine().view().positions(market.instrument()).size(account)
                    / OptionsLab.PERP_LOTS_PER_OPTION_LOT;
            long shortLots = -venue.engine().view().positions(call).size(account);
            if (shortLots < written || shortLots >= target) {
                done = true;
                return;
            }
            venue.submit(venue.command().market(account, call, 0, Side.SELL, target - shortLots));
            written = -venue.engine().view().positions(call).size(account);
        }
    }
}
