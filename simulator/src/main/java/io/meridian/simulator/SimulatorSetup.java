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

    private SimulatorSetup() {
    }

    /** Liquidation steps of at most 250,000 USDC; the backstop account only when it has capital. */
    static EngineConfig engineConfig(long backstopUsdc) {
        return EngineConfig.defaults().withLiquidation(LiquidationConfig.defaults()
                .withBackstopAccount(backstopUsdc > 0 ? BACKSTOP : 0).withMaxStepUnits(250_000));
    }

    /** Creates the venue's assets, index, instrument, system funding and agents; returns the agents. */
    static List<Agents.Agent> build(SimVenue venue, SplittableRandom random, long backstopUsdc, long insuranceUsdc,
                                    int makers, int trendFollowers, int holders, int noiseTraders) {
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
                .withPriceBandPpm(100_000);
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
            agents.add(new Agents.MarketMaker(account, 20 + 15L * i, 400 + 200L * i, 4, 0.02));
        }
        for (int i = 0; i < trendFollowers; i++) {
            long account = 100 + i;
            venue.submit(venue.command().deposit(account, USDC, random.nextLong(2_000, 20_001) * USD));
            int leverage = (int) random.nextLong(5, 51);
            setLeverage(venue, account, leverage);
            agents.add(new Agents.TrendFollower(account, leverage, random.nextLong(10, 60), random.nextLong(120, 600),
                    (int) random.nextLong(5, 30), (int) random.nextLong(0, 30)));
        }
        for (int i = 0; i < holders; i++) {
            long account = 500 + i;
            venue.submit(venue.command().deposit(account, USDC, random.nextLong(1_000, 10_001) * USD));
            int leverage = (int) random.nextLong(3, 41);
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
        return agents;
    }

    private static void setLeverage(SimVenue venue, long account, int leverage) {
        Command c = venue.command().setLeverage(account, BTC_PERP, leverage);
        venue.submit(c);
    }
}
