package io.meridian.simulator;

import io.meridian.engine.EngineConfig;
import io.meridian.engine.LiquidationConfig;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated venue: USDC, a BTC-USD index from three sources, BTC-PERP priced from it (hourly funding), an
 * insurance fund, a backstop account, and the seeded population of agents with their deposits and leverage:
 * market makers (accounts 1..), trend followers (100..), leveraged holders, two in three long (500..), and noise
 * traders (1000..).
 */
final class SimulatorSetup {
    static final int USDC = 0;
    static final int BTC_PERP = 1;
    static final int INDEX = 0;
    static final long USD = 1_000_000;
    /** BTC-PERP: tick 0.1 USD, lot 0.001 BTC: one lot moving one tick is 100 minor units. */
    static final long MINOR_UNITS_PER_TICK_LOT = 100;
    /** Index units (2 decimals) per tick. */
    static final long UNITS_PER_TICK = 10;
    static final long START_TICKS = 500_000;
    static final long BACKSTOP = 900;
    static final String[] SOURCES = {"exchange-a", "exchange-b", "oracle-c"};
    /**
     * The Avellaneda-Stoikov makers' parameters (docs/stress.md gives the reasons): risk aversion and horizon such
     * that in a calm market (60% a year, about 1.07e-4 per square-root second) the inventory term is about a basis
     * point and in a crash at ten times the volatility it is a hundred times that; a base half-spread of 2 bp (more
     * for each further maker); full size up to the calm volatility, pulled above 25 times it; inventory at most 30% of
     * equity per side, hedged beyond 20%.
     */
    static final double AS_GAMMA = 150;
    static final double AS_TAU_SECONDS = 60;
    static final double AS_BASE_HALF_SPREAD = 0.0002;
    static final double AS_CALM_SIGMA = 0.6 / Math.sqrt(365.25 * 86_400);
    static final double AS_PULL_SIGMAS = 25;
    static final double AS_MAX_INVENTORY = 0.30;
    static final double AS_HEDGE_INVENTORY = 0.20;
    /** Stop-losses sit on multiples of 500 USD at the lab's 50,000 start (1%): round numbers, where real ones cluster. */
    static final long STOP_ROUND_TICKS = 5_000;

    private SimulatorSetup() {
    }

    /** Liquidation steps of at most 250,000 USDC; the backstop account only when it has capital. */
    static EngineConfig engineConfig(long backstopUsdc) {
        return engineConfig(backstopUsdc, RiskParameters.DEFAULT);
    }

    /** As above, with the liquidation step share of {@code risk}. */
    static EngineConfig engineConfig(long backstopUsdc, RiskParameters risk) {
        return EngineConfig.defaults().withLiquidation(LiquidationConfig.defaults()
                .withBackstopAccount(backstopUsdc > 0 ? BACKSTOP : 0).withMaxStepUnits(250_000)
                .withMaxStepSharePpm(risk.liquidationStepSharePpm()));
    }

    /** Creates the venue's assets, index, instrument, system funding and the classic agents; returns the agents. */
    static List<Agents.Agent> build(SimVenue venue, SplittableRandom random, long backstopUsdc, long insuranceUsdc,
                                    int makers, int trendFollowers, int holders, int noiseTraders) {
        return build(venue, random, backstopUsdc, insuranceUsdc,
                Population.classic(makers, trendFollowers, holders, noiseTraders), 1);
    }

    /**
     * As above for any {@link Population}; {@code secondsPerStep} is the market time between two steps (the
     * Avellaneda-Stoikov makers measure volatility per second). The classic crowd draws exactly as it always did, so
     * its runs are unchanged; the realistic one draws its leverage from its distribution and adds its own agents
     * after the others.
     */
    static List<Agents.Agent> build(SimVenue venue, SplittableRandom random, long backstopUsdc, long insuranceUsdc,
                                    Population population, long secondsPerStep) {
        return build(venue, random, backstopUsdc, insuranceUsdc, population, secondsPerStep, RiskParameters.DEFAULT);
    }

    /** As above, the perpetual listed with {@code risk}'s price band and margin brackets. */
    static List<Agents.Agent> build(SimVenue venue, SplittableRandom random, long backstopUsdc, long insuranceUsdc,
                                    Population population, long secondsPerStep, RiskParameters risk) {
        int makers = population.makers();
        int trendFollowers = population.trendFollowers();
        int holders = population.holders();
        int noiseTraders = population.noiseTraders();
        boolean realistic = population.realistic();
        Command asset = venue.command();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        venue.submit(asset);
        Command index = venue.command();
        index.type = CommandType.ADD_INDEX;
        index.indexSpec = IndexSpec.of(INDEX, "BTC-USD", 2, SOURCES);
        venue.submit(index);
        Command instrument = venue.command();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(BTC_PERP, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(risk.markBandPpm());
        instrument.marginBrackets = risk.marginBrackets(6);
        instrument.pricingSpec = PricingSpec.perpetual(INDEX, 6).withFundingInterval(PricingSpec.HOUR_NANOS);
        venue.submit(instrument);
        if (insuranceUsdc > 0) {
            venue.submit(venue.command().deposit(SystemAccounts.INSURANCE_FUND, USDC, insuranceUsdc * USD));
        }
        if (backstopUsdc > 0) {
            venue.submit(venue.command().deposit(BACKSTOP, USDC, backstopUsdc * USD));
        }
        List<Agents.Agent> agents = new ArrayList<>();
        for (int i = 0; i < makers; i++) {
            long account = 1 + i;
            venue.submit(venue.command().deposit(account, USDC, 50_000_000 * USD));
            setLeverage(venue, account, 10);
            agents.add(realistic ? new LiquidityAgents.AvellanedaStoikovMaker(account, AS_GAMMA, AS_TAU_SECONDS,
                    AS_BASE_HALF_SPREAD * (1 + 0.5 * i), 400 + 200L * i, 4, AS_CALM_SIGMA, AS_PULL_SIGMAS,
                    AS_MAX_INVENTORY, AS_HEDGE_INVENTORY, secondsPerStep)
                    : new Agents.MarketMaker(account, 20 + 15L * i, 400 + 200L * i, 4, 0.02));
        }
        for (int i = 0; i < trendFollowers; i++) {
            long account = 100 + i;
            venue.submit(venue.command().deposit(account, USDC, random.nextLong(2_000, 20_001) * USD));
            int leverage = realistic ? population.leverage().draw(random) : (int) random.nextLong(5, 51);
            setLeverage(venue, account, leverage);
            agents.add(new Agents.TrendFollower(account, leverage, random.nextLong(10, 60), random.nextLong(120, 600),
                    (int) random.nextLong(5, 30), (int) random.nextLong(0, 30)));
        }
        for (int i = 0; i < holders; i++) {
            long account = 500 + i;
            venue.submit(venue.command().deposit(account, USDC, random.nextLong(1_000, 10_001) * USD));
            int leverage = realistic ? population.leverage().draw(random) : (int) random.nextLong(3, 41);
            setLeverage(venue, account, leverage);
            Side side = random.nextInt(3) == 0 ? Side.SELL : Side.BUY;
            agents.add(new Agents.Holder(account, leverage, side, (int) random.nextLong(5, 60)));
        }
        for (int i = 0; i < noiseTraders; i++) {
            long account = 1_000 + i;
            venue.submit(venue.command().deposit(account, USDC, random.nextLong(1_000, 20_001) * USD));
            setLeverage(venue, account, (int) random.nextLong(2, 21));
            agents.add(new Agents.NoiseTrader(account, random.nextLong(5, 200), random.nextDouble(0.02, 0.2)));
        }
        if (realistic) {
            addRealisticAgents(venue, random, population, agents);
        }
        return agents;
    }

    /** Stop-loss traders (2000..), three in four long, and funding arbitrageurs (3000..). */
    private static void addRealisticAgents(SimVenue venue, SplittableRandom random, Population population,
                                           List<Agents.Agent> agents) {
        for (int i = 0; i < population.stopLossTraders(); i++) {
            long account = 2_000 + i;
            venue.submit(venue.command().deposit(account, USDC, random.nextLong(1_000, 20_001) * USD));
            int leverage = population.leverage().draw(random);
            setLeverage(venue, account, leverage);
            Side side = random.nextInt(4) == 0 ? Side.SELL : Side.BUY;
            agents.add(new LiquidityAgents.StopLossTrader(account, leverage, side, (int) random.nextLong(5, 60),
                    random.nextDouble(0.02, 0.10), STOP_ROUND_TICKS));
        }
        for (int i = 0; i < population.fundingArbs(); i++) {
            long account = 3_000 + i;
            venue.submit(venue.command().deposit(account, USDC, random.nextLong(100_000, 500_001) * USD));
            setLeverage(venue, account, 5);
            agents.add(new LiquidityAgents.FundingArbitrageur(account, random.nextDouble(1.5, 3.0), 0.0010, 0.0002,
                    (int) random.nextLong(6, 31), (int) random.nextLong(0, 30)));
        }
    }

    private static void setLeverage(SimVenue venue, long account, int leverage) {
        Command c = venue.command().setLeverage(account, BTC_PERP, leverage);
        venue.submit(c);
    }
}
