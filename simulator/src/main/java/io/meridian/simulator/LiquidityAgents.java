package io.meridian.simulator;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.OrderType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;

import java.util.SplittableRandom;

/**
 * The agents of the realistic population (docs/stress.md, "The realistic population"): market makers that price
 * inventory risk and realised volatility (Avellaneda-Stoikov), traders who protect positions with stop-losses that
 * cluster at round prices, and funding arbitrageurs. Like {@link Agents}, each acts through ordinary commands and
 * sees only what a client sees: the index, the book's top and mark, its own position and equity.
 */
final class LiquidityAgents {
    private LiquidityAgents() {
    }

    /**
     * An Avellaneda-Stoikov market maker, in relative terms (prices as fractions of the index, inventory as notional
     * over the maker's equity, so one parameter set fits any price level):
     * <pre>
     *   sigma^2   EWMA (weight {@code lambda}) of squared index log returns per step, over the step's seconds
     *   x         inventory notional / equity (signed: long positive)
     *   r         = s (1 - gamma x sigma^2 tau)                     reservation price
     *   h         = s (gamma sigma^2 tau / 2 + baseHalfSpread)      half spread around r
     * </pre>
     * with {@code tau} the horizon it holds inventory over. Quote size shrinks as volatility rises:
     * {@code size = baseLots x min(1, calmSigma / sigma)}, and every quote is pulled while sigma is above
     * {@code pullSigmas x calmSigma} (a maker that cannot price the risk leaves). It does not quote the side that would
     * take its inventory past {@code maxInventory} (in units of equity), and when inventory passes
     * {@code hedgeInventory} it hedges: an IOC order for the excess, priced at most 0.5% through the index (a maker
     * with no other venue here hedges by taking this book's liquidity). The scenario's liquidity multiplier, if any,
     * scales size and spread on top, as for the ladder makers.
     */
    static final class AvellanedaStoikovMaker implements Agents.Agent {
        static final double LAMBDA = 0.05;
        private final long account;
        private final double gamma;
        private final double tauSeconds;
        private final double baseHalfSpread;
        private final long baseLots;
        private final int levels;
        private final double calmSigma;
        private final double pullSigmas;
        private final double maxInventory;
        private final double hedgeInventory;
        private final double secondsPerStep;
        private double variance;
        private long lastIndex;

        /**
         * @param calmSigma     volatility per square-root second it treats as calm (its size is full at or below it)
         * @param secondsPerStep seconds of market time between two of its steps
         */
        AvellanedaStoikovMaker(long account, double gamma, double tauSeconds, double baseHalfSpread, long baseLots,
                               int levels, double calmSigma, double pullSigmas, double maxInventory,
                               double hedgeInventory, double secondsPerStep) {
            this.account = account;
            this.gamma = gamma;
            this.tauSeconds = tauSeconds;
            this.baseHalfSpread = baseHalfSpread;
            this.baseLots = baseLots;
            this.levels = levels;
            this.calmSigma = calmSigma;
            this.pullSigmas = pullSigmas;
            this.maxInventory = maxInventory;
            this.hedgeInventory = hedgeInventory;
            this.secondsPerStep = secondsPerStep;
            this.variance = calmSigma * calmSigma;
        }

        @Override
        public long account() {
            return account;
        }

        /** Volatility per square-root second as the maker estimates it now. */
        double sigma() {
            return Math.sqrt(variance);
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Agents.Market market) {
            long index = market.indexTicks();
            if (lastIndex > 0) {
                double r = Math.log((double) index / lastIndex);
                variance += LAMBDA * (r * r / secondsPerStep - variance);
            }
            lastIndex = index;
            Command cancel = venue.command();
            cancel.type = CommandType.CANCEL_ALL;
            cancel.account = account;
            cancel.instrument = market.instrument();
            venue.submit(cancel);
            double sigma = sigma();
            long equity = venue.engine().view().marginState(account, SimulatorSetup.USDC).equity;
            if (equity <= 0 || market.liquidity() <= 0.01) {
                return;
            }
            long position = venue.engine().view().positions(market.instrument()).size(account);
            double notionalPerLot = (double) index * SimulatorSetup.MINOR_UNITS_PER_TICK_LOT;
            double inventory = position * notionalPerLot / equity;
            if (Math.abs(inventory) > hedgeInventory) {
                hedge(venue, market, position, inventory, notionalPerLot, equity);
                position = venue.engine().view().positions(market.instrument()).size(account);
                inventory = position * notionalPerLot / equity;
            }
            if (sigma > pullSigmas * calmSigma) {
                return;
            }
            double riskTerm = gamma * variance * tauSeconds;
            double reservation = index * (1 - riskTerm * inventory);
            double half = index * (riskTerm / 2 + baseHalfSpread) / market.liquidity();
            long halfTicks = Math.max(1, Math.round(half));
            long lots = Math.max(1, Math.round(baseLots * Math.min(1, calmSigma / sigma) * market.liquidity()));
            double lotsAsInventory = lots * notionalPerLot / equity;
            for (int level = 0; level < levels; level++) {
                long offset = halfTicks * (level + 1);
                long bid = Math.round(reservation) - offset;
                long ask = Math.round(reservation) + offset;
                // Never quote through the index on the wrong side: a skewed quote still leaves the maker an edge.
                bid = Math.min(bid, index - 1);
                ask = Math.max(ask, index + 1);
                double depthInventory = lotsAsInventory * (level + 1);
                if (bid > 0 && inventory + depthInventory <= maxInventory) {
                    venue.submit(venue.command().limit(account, market.instrument(), 0, Side.BUY, bid, lots,
                            TimeInForce.GTC));
                }
                if (inventory - depthInventory >= -maxInventory) {
                    venue.submit(venue.command().limit(account, market.instrument(), 0, Side.SELL, ask, lots,
                            TimeInForce.GTC));
                }
            }
        }

        private void hedge(SimVenue venue, Agents.Market market, long position, double inventory,
                           double notionalPerLot, long equity) {
            double excess = Math.abs(inventory) - hedgeInventory / 2;
            long lots = Math.min(Math.abs(position), Math.round(excess * equity / notionalPerLot));
            if (lots <= 0) {
                return;
            }
            Side side = position > 0 ? Side.SELL : Side.BUY;
            long limit = side == Side.SELL ? Math.round(market.indexTicks() * 0.995) : Math.round(market.indexTicks() * 1.005);
            Command c = venue.command().limit(account, market.instrument(), 0, side, limit, lots, TimeInForce.IOC);
            c.reduceOnly = true;
            venue.submit(c);
        }
    }

    /**
     * A leveraged trader who protects the position with a stop-loss at a round price: at {@code openAt} it opens a long
     * or a short of {@code leverage x equity}, then places a reduce-only stop-market order on the mark at the round
     * number ({@code roundTicks}) nearest below (a long) or above (a short) the price {@code stopDistance} away.
     * Many traders picking the same round number is what makes stops cluster, and a cluster that fires at once is a
     * cascade the book has to absorb. A stop whose market order found too little liquidity is finished with market
     * orders on the following steps.
     */
    static final class StopLossTrader implements Agents.Agent {
        private final long account;
        private final int leverage;
        private final Side side;
        private final int openAt;
        private final double stopDistance;
        private final long roundTicks;

        StopLossTrader(long account, int leverage, Side side, int openAt, double stopDistance, long roundTicks) {
            this.account = account;
            this.leverage = leverage;
            this.side = side;
            this.openAt = openAt;
            this.stopDistance = stopDistance;
            this.roundTicks = roundTicks;
        }

        @Override
        public long account() {
            return account;
        }

        int leverage() {
            return leverage;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Agents.Market market) {
            if (market.second() > openAt) {
                finishStopOut(venue, market);
                return;
            }
            if (market.second() != openAt) {
                return;
            }
            long equity = venue.engine().view().marginState(account, SimulatorSetup.USDC).equity;
            long lots = (long) ((double) equity * leverage * 0.9
                    / ((double) market.indexTicks() * SimulatorSetup.MINOR_UNITS_PER_TICK_LOT));
            if (lots <= 0) {
                return;
            }
            venue.submit(venue.command().market(account, market.instrument(), 0, side, lots));
            long size = Math.abs(venue.engine().view().positions(market.instrument()).size(account));
            if (size == 0) {
                return;
            }
            boolean isLong = side == Side.BUY;
            double raw = market.indexTicks() * (isLong ? 1 - stopDistance : 1 + stopDistance);
            long trigger = isLong ? (long) Math.floor(raw / roundTicks) * roundTicks
                    : (long) Math.ceil(raw / roundTicks) * roundTicks;
            if (trigger <= 0) {
                return;
            }
            Command stop = venue.command().market(account, market.instrument(), 0, isLong ? Side.SELL : Side.BUY, size);
            stop.orderType = OrderType.STOP_MARKET;
            stop.triggerPrice = trigger;
            stop.triggerSource = TriggerSource.MARK;
            stop.reduceOnly = true;
            venue.submit(stop);
        }

        /**
         * Once the stop has fired (no order of its own left) with part of the position still open (its market order
         * found too little in the book), the trader wants out: it sends the rest as a reduce-only market order each
         * step until it is flat.
         */
        private void finishStopOut(SimVenue venue, Agents.Market market) {
            long size = venue.engine().view().positions(market.instrument()).size(account);
            if (size == 0 || !venue.engine().view().book(market.instrument()).openOrdersOf(account).isEmpty()) {
                return;
            }
            Command close = venue.command().market(account, market.instrument(), 0, size > 0 ? Side.SELL : Side.BUY,
                    Math.abs(size));
            close.reduceOnly = true;
            venue.submit(close);
        }
    }

    /**
     * A funding arbitrageur: when the perpetual trades at a premium to the index (the book's mid above it by more than
     * {@code enterPremium}), longs pay shorts, so it sells the perpetual (and, off this venue, would hold the hedge);
     * at a discount it buys. It sizes at {@code leverage x equity}, and closes when the premium has come back inside
     * {@code exitPremium} or turned against it. Every {@code period} steps.
     */
    static final class FundingArbitrageur implements Agents.Agent {
        private final long account;
        private final double leverage;
        private final double enterPremium;
        private final double exitPremium;
        private final int period;
        private final int phase;

        FundingArbitrageur(long account, double leverage, double enterPremium, double exitPremium, int period,
                           int phase) {
            this.account = account;
            this.leverage = leverage;
            this.enterPremium = enterPremium;
            this.exitPremium = exitPremium;
            this.period = period;
            this.phase = phase;
        }

        @Override
        public long account() {
            return account;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Agents.Market market) {
            if ((market.second() + phase) % period != 0) {
                return;
            }
            var book = venue.engine().view().book(market.instrument());
            long bid = book.bestBid();
            long ask = book.bestAsk();
            if (bid <= 0 || ask <= 0) {
                return;
            }
            double premium = ((bid + ask) / 2.0 - market.indexTicks()) / market.indexTicks();
            long position = venue.engine().view().positions(market.instrument()).size(account);
            if (position != 0) {
                boolean shortPerp = position < 0;
                if (Math.abs(premium) < exitPremium || (shortPerp ? premium < 0 : premium > 0)) {
                    Command close = venue.command().market(account, market.instrument(), 0,
                            shortPerp ? Side.BUY : Side.SELL, Math.abs(position));
                    close.reduceOnly = true;
                    venue.submit(close);
                }
                return;
            }
            if (Math.abs(premium) < enterPremium) {
                return;
            }
            long equity = venue.engine().view().marginState(account, SimulatorSetup.USDC).equity;
            long lots = (long) (equity * leverage / ((double) market.indexTicks() * SimulatorSetup.MINOR_UNITS_PER_TICK_LOT));
            if (lots > 0) {
                venue.submit(venue.command().market(account, market.instrument(), 0, premium > 0 ? Side.SELL : Side.BUY,
                        lots));
            }
        }
    }
}
