package io.meridian.simulator;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.IndexSpec;
import io.meridian.model.OrderType;
import io.meridian.model.PricingSpec;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** The adversaries of the adversarial scenarios (docs/stress.md, "Adversarial scenarios"). */
final class Attacks {
    /** The band the mark must stay within around a usable index: the default mark band of a priced perpetual (0.5%). */
    static final long MARK_BAND_PPM = PricingSpec.DEFAULT_MARK_BAND_PPM;
    /** The index's breaker allowance per simulated second (the default: 0.5%). */
    static final long BREAKER_PPM = IndexSpec.DEFAULT_MAX_MOVE_PPM_PER_SECOND;
    /** When the attacks begin, scenario seconds: after the honest crowd opened its positions. */
    static final double ATTACK_START = 90;

    private Attacks() {
    }

    private static void deposit(SimVenue venue, long account, int asset, long amount) {
        venue.submit(venue.command().deposit(account, asset, amount));
    }

    private static void leverage(SimVenue venue, long account, int leverage) {
        Command c = venue.command().setLeverage(account, SimulatorSetup.BTC_PERP, leverage);
        venue.submit(c);
    }

    private static void cancelAll(SimVenue venue, long account) {
        Command c = venue.command();
        c.type = CommandType.CANCEL_ALL;
        c.account = account;
        c.instrument = SimulatorSetup.BTC_PERP;
        venue.submit(c);
    }

    private static void limit(SimVenue venue, long account, Side side, long price, long lots, TimeInForce tif) {
        venue.submit(venue.command().limit(account, SimulatorSetup.BTC_PERP, 0, side, Math.max(1, price), lots, tif));
    }

    private static String ppm(long ppm) {
        return String.format(Locale.ROOT, "%.2f%%", ppm / 10_000.0);
    }

    /**
     * Tracks how far the mark strays from the index (while the index is usable) from the attack on, and judges it
     * against the mark band.
     */
    abstract static class MarkAttack extends Adversary {
        long worstPpm;
        long worstSecond = -1;
        long startStep = -1;

        /** The attacker's two accounts: each funded with 200,000 USDC at 10x; no honest agents of its own. */
        List<Agents.Agent> setupPair(SimVenue venue, SplittableRandom random, long first, long second) {
            super.setup(venue, random);
            for (long account : new long[] {first, second}) {
                attackers.add(account);
                deposit(venue, account, SimulatorSetup.USDC, 200_000 * SimulatorSetup.USD);
                leverage(venue, account, 10);
            }
            return List.of();
        }

        @Override
        void observe(SimVenue venue, double t, long honestIndexTicks) {
            Engine engine = venue.engine();
            if (t < ATTACK_START || engine.view().isIndexStale(SimulatorSetup.INDEX)) {
                return;
            }
            if (startStep < 0) {
                startStep = venue.second;
            }
            long index = engine.view().indexPrice(SimulatorSetup.INDEX) / SimulatorSetup.UNITS_PER_TICK;
            long mark = engine.view().book(SimulatorSetup.BTC_PERP).markPrice();
            // One tick of rounding is allowed on top of the band.
            long off = Math.max(0, Math.abs(mark - index) - 1) * 1_000_000 / index;
            if (off > worstPpm) {
                worstPpm = off;
                worstSecond = venue.second;
            }
        }

        @Override
        List<StressRunner.Criterion> criteria() {
            return List.of(new StressRunner.Criterion("the mark stays within the mark band (" + ppm(MARK_BAND_PPM)
                    + ") of the index",
                    worstPpm <= MARK_BAND_PPM, "largest gap " + ppm(worstPpm)
                    + (worstSecond >= 0 ? " at second " + worstSecond : "")),
                    noHonestLiquidation(Math.max(0, startStep), "during the attack"));
        }
    }

    /**
     * Dust-walking the mark: with the makers gone and the index flat, a trader prints 0.001 BTC at +20% of the index and
     * rests 0.002 BTC bid at +20.17% and 0.01 BTC offered at +20.33% (the 36,000 / 36,050 / 36,100 against
     * 30,000), every second; each order is kept inside the venue's price band around the mark (9% above it), so the
     * attack walks the mark up as far as the mark lets it.
     */
    static final class DustMark extends MarkAttack {
        private static final long BUYER = 7_001;
        private static final long SELLER = 7_002;

        @Override
        String attacker() {
            return "accounts 7001/7002 print 0.001 BTC at +20% of the index and rest 0.002 BTC bid at +20.17% and 0.01 BTC"
                    + " offered at +20.33% every second (within 9% of the mark), from second 90, into an empty book";
        }

        @Override
        List<Agents.Agent> setup(SimVenue venue, SplittableRandom random) {
            return setupPair(venue, random, BUYER, SELLER);
        }

        @Override
        void act(SimVenue venue, Agents.Market market, double t) {
            if (t < ATTACK_START) {
                return;
            }
            cancelAll(venue, BUYER);
            cancelAll(venue, SELLER);
            long index = market.indexTicks();
            long mark = venue.engine().view().book(SimulatorSetup.BTC_PERP).markPrice();
            long cap = mark + mark * 9 / 100;
            long print = Math.min(index * 12_000 / 10_000, cap);
            limit(venue, SELLER, Side.SELL, print, 1, TimeInForce.GTC);
            limit(venue, BUYER, Side.BUY, print, 1, TimeInForce.IOC);
            limit(venue, BUYER, Side.BUY, Math.min(index * 12_017 / 10_000, cap + 5), 2, TimeInForce.GTC);
            limit(venue, SELLER, Side.SELL, Math.min(index * 12_033 / 10_000, cap + 10), 10, TimeInForce.GTC);
        }
    }

    /**
     * Wash prints: two accounts of one trader trade 0.001 BTC with each other every second at +15% of the index (within
     * 9% of the mark), alternating sides, into an empty book; no quotes rest.
     */
    static final class WashPrints extends MarkAttack {
        private static final long A = 7_101;
        private static final long B = 7_102;
        private boolean flip;

        @Override
        String attacker() {
            return "accounts 7101/7102 trade 0.001 BTC with each other at +15% of the index (within 9% of the mark) every"
                    + " second from second 90, into an empty book";
        }

        @Override
        List<Agents.Agent> setup(SimVenue venue, SplittableRandom random) {
            return setupPair(venue, random, A, B);
        }

        @Override
        void act(SimVenue venue, Agents.Market market, double t) {
            if (t < ATTACK_START) {
                return;
            }
            long mark = venue.engine().view().book(SimulatorSetup.BTC_PERP).markPrice();
            long price = Math.min(market.indexTicks() * 11_500 / 10_000, mark + mark * 9 / 100);
            long maker = flip ? A : B;
            long taker = flip ? B : A;
            flip = !flip;
            cancelAll(venue, maker);
            limit(venue, maker, Side.SELL, price, 1, TimeInForce.GTC);
            limit(venue, taker, Side.BUY, price, 1, TimeInForce.IOC);
        }
    }

    /**
     * Captures {@code captured} of the three BTC price sources from second 90 to 210: they report +30% of the honest
     * price. Judged on the index's move per simulated second (the breaker's allowance), on the divergence guard when
     * the captured sources are a majority, and on liquidations while the price is captured.
     */
    static final class OracleCapture extends Adversary {
        private static final double END = 210;
        private final int captured;
        private long previousIndex;
        private long worstMovePpm;
        private long worstMoveSecond = -1;
        private long worstGapPpm;
        private long startStep = -1;
        private long held;
        private long liquidationsWhileCaptured;

        OracleCapture(int captured) {
            this.captured = captured;
        }

        @Override
        String attacker() {
            return captured + " of the 3 BTC price sources report +30% of the honest price from second 90 to 210";
        }

        @Override
        long sourcePrice(int source, long honest, double t) {
            boolean isCaptured = source >= SimulatorSetup.SOURCES.length - captured;
            return isCaptured && t >= ATTACK_START && t < END ? honest * 13 / 10 : honest;
        }

        @Override
        public void indexDiverged(long sequence, long timestamp, int indexId, long price, long average, boolean isHeld) {
            if (isHeld && indexId == SimulatorSetup.INDEX) {
                held++;
            }
        }

        @Override
        void observe(SimVenue venue, double t, long honestIndexTicks) {
            long index = venue.engine().view().indexPrice(SimulatorSetup.INDEX);
            if (previousIndex > 0 && t >= ATTACK_START) {
                long move = Math.abs(index - previousIndex) * 1_000_000 / previousIndex;
                if (move > worstMovePpm) {
                    worstMovePpm = move;
                    worstMoveSecond = venue.second;
                }
            }
            previousIndex = index;
            if (t >= ATTACK_START && t < END) {
                if (startStep < 0) {
                    startStep = venue.second;
                }
                long honestUnits = honestIndexTicks * SimulatorSetup.UNITS_PER_TICK;
                worstGapPpm = Math.max(worstGapPpm, Math.abs(index - honestUnits) * 1_000_000 / honestUnits);
            }
        }

        @Override
        List<StressRunner.Criterion> criteria() {
            List<StressRunner.Criterion> criteria = new ArrayList<>();
            // The honest sources' own noise (about 1 bp each) moves the index too: allow 0.1% on top.
            criteria.add(new StressRunner.Criterion("the index moves at most the breaker's allowance (" + ppm(BREAKER_PPM)
                    + ") in any simulated second", worstMovePpm <= BREAKER_PPM + 1_000, "largest move " + ppm(worstMovePpm)
                    + (worstMoveSecond >= 0 ? " at second " + worstMoveSecond : "")
                    + ", largest gap to the honest price " + ppm(worstGapPpm)));
            if (captured * 2 > SimulatorSetup.SOURCES.length) {
                criteria.add(new StressRunner.Criterion("the divergence guard holds the captured index", held > 0,
                        held + " held recomputes"));
            } else {
                criteria.add(new StressRunner.Criterion(
                        "the index ignores the captured minority (within 0.5% of the honest price)",
                        worstGapPpm <= 5_000, "largest gap " + ppm(worstGapPpm)));
            }
            criteria.add(noHonestLiquidation(Math.max(0, startStep), "on the captured price"));
            return criteria;
        }
    }

    /**
     * Stop hunting in a thin book: twenty honest longs (accounts 7200..) each hold 0.1 BTC with a stop-market sell 3%
     * below their entry, half triggered by the mark and half by the last trade. From second 90 the makers quote a tenth
     * of their size at ten times the spread, and an attacker (7299) sells 1 BTC every second with a limit 6% below the
     * index into the bids, where its accomplice (7298) rests 0.001 BTC 5% down: once the makers' bids are gone the sweep
     * prints there, spiking the last trade down 5% while the index stays flat.
     */
    static final class StopHunt extends Adversary {
        private static final long ATTACKER = 7_299;
        private static final long ACCOMPLICE = 7_298;
        private static final int VICTIMS = 20;
        private final Map<Long, TriggerSource> stops = new HashMap<>();
        private long markStopsFired;
        private long lastStopsFired;
        private long lowestTrade = Long.MAX_VALUE;
        private long startStep = -1;

        @Override
        String attacker() {
            return "account 7299 sells 1 BTC every second at up to 6% below the index into a thin book, from second 90, through"
                    + " its accomplice 7298's 0.001 BTC bid 5% down; 20 honest longs hold stops 3% below entry (10 on the mark,"
                    + " 10 on the last trade)";
        }

        @Override
        List<Agents.Agent> setup(SimVenue venue, SplittableRandom random) {
            super.setup(venue, random);
            for (long account : new long[] {ATTACKER, ACCOMPLICE}) {
                attackers.add(account);
                deposit(venue, account, SimulatorSetup.USDC, 5_000_000 * SimulatorSetup.USD);
                leverage(venue, account, 10);
            }
            List<Agents.Agent> victims = new ArrayList<>();
            for (int i = 0; i < VICTIMS; i++) {
                long account = 7_200 + i;
                deposit(venue, account, SimulatorSetup.USDC, 2_000 * SimulatorSetup.USD);
                leverage(venue, account, 5);
                victims.add(new StopHolder(account, i % 2 == 0 ? TriggerSource.MARK : TriggerSource.LAST, 1 + i, stops));
            }
            return victims;
        }

        @Override
        void act(SimVenue venue, Agents.Market market, double t) {
            if (t < ATTACK_START) {
                return;
            }
            if (startStep < 0) {
                startStep = venue.second;
            }
            // The accomplice's dust bid 5% down is what the sweep prints at once the makers' bids are gone.
            cancelAll(venue, ACCOMPLICE);
            limit(venue, ACCOMPLICE, Side.BUY, market.indexTicks() * 95 / 100, 1, TimeInForce.GTC);
            limit(venue, ATTACKER, Side.SELL, market.indexTicks() * 94 / 100, 1_000, TimeInForce.IOC);
        }

        @Override
        public void orderTriggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                   long account, long triggerPrice, long triggeredAt) {
            TriggerSource source = stops.get(orderId);
            if (source == TriggerSource.MARK) {
                markStopsFired++;
            } else if (source == TriggerSource.LAST) {
                lastStopsFired++;
            }
        }

        @Override
        public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
                                  long quantity) {
            if (startStep >= 0) {
                lowestTrade = Math.min(lowestTrade, price);
            }
        }

        @Override
        List<StressRunner.Criterion> criteria() {
            return List.of(new StressRunner.Criterion("no mark-triggered stop fires on the last-trade spike (the index is flat)",
                    markStopsFired == 0, markStopsFired + " mark stops and " + lastStopsFired + " last-trade stops fired;"
                    + " lowest trade " + (lowestTrade == Long.MAX_VALUE ? "none" : lowestTrade / 10 + "." + lowestTrade % 10)),
                    noHonestLiquidation(Math.max(0, startStep), "by the spike"));
        }
    }

    /** An honest long with a protective stop: buys 0.1 BTC at its opening second, then rests a stop-market sell 3% lower. */
    static final class StopHolder implements Agents.Agent {
        private final long account;
        private final TriggerSource source;
        private final long openSecond;
        private final Map<Long, TriggerSource> stops;
        private boolean done;

        StopHolder(long account, TriggerSource source, long openSecond, Map<Long, TriggerSource> stops) {
            this.account = account;
            this.source = source;
            this.openSecond = openSecond;
            this.stops = stops;
        }

        @Override
        public long account() {
            return account;
        }

        @Override
        public void act(SimVenue venue, SplittableRandom random, Agents.Market market) {
            if (done || market.second() < openSecond) {
                return;
            }
            done = true;
            venue.submit(venue.command().market(account, market.instrument(), 0, Side.BUY, 100));
            Command stop = venue.command();
            stop.type = CommandType.PLACE_ORDER;
            stop.account = account;
            stop.instrument = market.instrument();
            stop.side = Side.SELL;
            stop.orderType = OrderType.STOP_MARKET;
            stop.timeInForce = TimeInForce.IOC;
            stop.quantity = 100;
            stop.triggerPrice = market.indexTicks() * 97 / 100;
            stop.triggerSource = source;
            stop.reduceOnly = true;
            venue.submit(stop);
            stops.put(stop.orderId, source);
        }
    }

    /**
     * A Mango-style collateral pump. The venue accepts MNGO (asset 1) as collateral for USDC positions at a 50% weight,
     * priced from its own three-source index (honest price 0.10 USD). Account 7401 deposits 2,000,000 MNGO (200,000 USD,
     * worth 100,000 USDC of margin); account 7402 deposits 500,000 USDC. From second 90 to 150 the attacker's capture of
     * all three MNGO sources ramps the price tenfold; at second 160, 7401 buys BTC-PERP from 7402 at 8% over the mark,
     * as much as its inflated margin allows, 7402 buys the short back from the makers (realising the 8%) and withdraws
     * all it can; at second 200 the sources report honestly again.
     */
    static final class CollateralPump extends Adversary {
        static final int MNGO = 1;
        static final int MNGO_INDEX = 1;
        private static final long PUMPER = 7_401;
        private static final long TAKER = 7_402;
        private static final long HONEST_UNITS = 1_000;
        private static final long MNGO_DEPOSIT = 2_000_000L * 1_000_000;
        private static final long USDC_DEPOSIT = 500_000 * SimulatorSetup.USD;
        private static final long WEIGHT_PPM = 500_000;
        private boolean traded;
        private boolean closed;
        private long withdrawn;
        private long lots;

        @Override
        String attacker() {
            return "account 7401 pledges 2,000,000 MNGO (0.10 USD, 50% weight), pumps the MNGO index tenfold over"
                    + " seconds 90-150, then buys BTC-PERP at 8% over the mark from its own account 7402, which closes"
                    + " and withdraws";
        }

        @Override
        List<Agents.Agent> setup(SimVenue venue, SplittableRandom random) {
            super.setup(venue, random);
            Command asset = venue.command();
            asset.type = CommandType.ADD_ASSET;
            asset.assetSpec = new AssetSpec(MNGO, "MNGO", 6);
            venue.submit(asset);
            Command index = venue.command();
            index.type = CommandType.ADD_INDEX;
            index.indexSpec = IndexSpec.of(MNGO_INDEX, "MNGO-USD", 4, "mngo-a", "mngo-b", "mngo-c");
            venue.submit(index);
            report(venue, 0);
            Command collateral = venue.command();
            collateral.type = CommandType.SET_COLLATERAL;
            collateral.asset = MNGO;
            collateral.settlementAsset = SimulatorSetup.USDC;
            collateral.indexId = MNGO_INDEX;
            collateral.collateralWeightPpm = WEIGHT_PPM;
            venue.submit(collateral);
            attackers.add(PUMPER);
            attackers.add(TAKER);
            deposit(venue, PUMPER, MNGO, MNGO_DEPOSIT);
            deposit(venue, TAKER, SimulatorSetup.USDC, USDC_DEPOSIT);
            leverage(venue, PUMPER, 20);
            leverage(venue, TAKER, 20);
            return List.of();
        }

        private static double pump(double t) {
            if (t < ATTACK_START || t >= 200) {
                return 1;
            }
            return t >= 150 ? 10 : 1 + 9 * (t - ATTACK_START) / (150 - ATTACK_START);
        }

        @Override
        void report(SimVenue venue, double t) {
            long units = Math.round(HONEST_UNITS * pump(t));
            for (int source = 0; source < 3; source++) {
                venue.submit(venue.command().oracleReport(MNGO_INDEX, source, units, venue.time()));
            }
        }

        @Override
        void act(SimVenue venue, Agents.Market market, double t) {
            Engine engine = venue.engine();
            if (!traded && t >= 160) {
                traded = true;
                long mark = engine.view().book(SimulatorSetup.BTC_PERP).markPrice();
                long price = mark + mark * 8 / 100;
                long equity = engine.view().marginState(PUMPER, SimulatorSetup.USDC).equity;
                // Initial margin 5% at 20x plus the 8% open loss and the fee: about 13.1% of the notional.
                lots = Math.max(1, equity * 1_000 / 131 / (price * SimulatorSetup.MINOR_UNITS_PER_TICK_LOT));
                limit(venue, TAKER, Side.SELL, price, lots, TimeInForce.GTC);
                limit(venue, PUMPER, Side.BUY, price, lots, TimeInForce.IOC);
                cancelAll(venue, TAKER);
                return;
            }
            if (traded && !closed) {
                long shortLots = -engine.view().positions(SimulatorSetup.BTC_PERP).size(TAKER);
                if (shortLots > 0) {
                    limit(venue, TAKER, Side.BUY, market.indexTicks() * 102 / 100, Math.min(shortLots, 2_000),
                            TimeInForce.IOC);
                }
                if (engine.view().positions(SimulatorSetup.BTC_PERP).size(TAKER) == 0) {
                    closed = true;
                    long balance = engine.view().ledger().balance(TAKER, SimulatorSetup.USDC);
                    long before = venue.rejects;
                    venue.submit(venue.command().withdraw(TAKER, SimulatorSetup.USDC, balance));
                    if (venue.rejects == before) {
                        withdrawn += balance;
                    }
                }
            }
        }

        @Override
        List<StressRunner.Criterion> criteria() {
            long honestCredit = MNGO_DEPOSIT * HONEST_UNITS / 10_000 * WEIGHT_PPM / 1_000_000;
            long extracted = withdrawn - USDC_DEPOSIT;
            Engine engine = venue.engine();
            long fund = engine.view().ledger().balance(SystemAccounts.INSURANCE_FUND, SimulatorSetup.USDC);
            return List.of(new StressRunner.Criterion(
                    "the attacker withdraws at most its collateral's credit at the honest price ("
                    + honestCredit / SimulatorSetup.USD + " USDC) beyond its USDC deposit", extracted <= honestCredit,
                    String.format(Locale.ROOT, "bought %.3f BTC; net USDC withdrawn %.2f; insurance fund at the end %.2f",
                            lots / 1_000.0, extracted / 1e6, fund / 1e6)));
        }
    }

    /**
     * A liquidity vacuum with the insurance fund at its floor: the index falls 40% over four minutes while the makers
     * pull; no backstop; the fund starts at its floor ({@code LiquidationConfig.insuranceFundFloorUnits}). The book
     * cannot absorb the liquidations, so the fund takes positions over while that keeps it above its floor, and
     * auto-deleveraging must run when it cannot, and only then.
     */
    static final class VacuumAtFundFloor extends Adversary {
        static final long FLOOR_USDC = 20_000;
        private long adlEvents;
        private long adlWithoutRefusal;
        private long refusals;
        private long takeovers;
        private long refusedInCommand = -1;
        private long lowestFundEquity = Long.MAX_VALUE;

        @Override
        String attacker() {
            return "none (the market): makers pull while the index falls 40%; no backstop; the fund starts at its floor of "
                    + FLOOR_USDC + " USDC";
        }

        @Override
        EngineConfig config(EngineConfig base) {
            return base.withLiquidation(base.liquidation().withInsuranceFundFloorUnits(FLOOR_USDC));
        }

        @Override
        public void insuranceFundBelowFloor(long sequence, long timestamp, long account, int asset, int instrument,
                                            long fundEquity, long required) {
            refusals++;
            refusedInCommand = sequence;
        }

        @Override
        public void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side,
                                          long price, long quantity, long fundEquity) {
            takeovers++;
        }

        @Override
        public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument,
                                    Side side, long price, long quantity, long rankPpm) {
            adlEvents++;
            if (refusedInCommand != sequence) {
                adlWithoutRefusal++;
            }
        }

        @Override
        void observe(SimVenue venue, double t, long honestIndexTicks) {
            lowestFundEquity = Math.min(lowestFundEquity, venue.engine().view().insuranceFundState(SimulatorSetup.USDC).equity);
        }

        @Override
        List<StressRunner.Criterion> criteria() {
            return List.of(new StressRunner.Criterion("auto-deleveraging runs in the vacuum", adlEvents > 0,
                            adlEvents + " ADL events; " + takeovers + " takeovers by the fund"),
                    new StressRunner.Criterion("auto-deleveraging only after the insurance fund could not take the"
                            + " position over without falling below its floor", adlWithoutRefusal == 0,
                            adlWithoutRefusal + " ADL events without a refusal in the same command; " + refusals
                            + " refusals; lowest fund equity at a second " + String.format(Locale.ROOT, "%.2f USDC",
                            lowestFundEquity / 1e6)),
                    new StressRunner.Criterion("no deficit is left to the venue", venue.venueCovered == 0,
                            String.format(Locale.ROOT, "venue covered %.2f USDC", venue.venueCovered / 1e6)));
        }
    }
}
