package io.meridian.engine.audit;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.LiquidationConfig;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.PostingType;
import io.meridian.model.PricingSpec;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.FanOutEvents;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random command streams with the shadow audit checking after every command and sweeping every twenty: deposits,
 * withdrawals, transfers between linked sub-accounts, fee tiers (maker rebates included), isolated positions, limit
 * and market orders on a perpetual with a set mark (gaps through bankruptcy, a backstop sometimes, an insurance fund)
 * and on a second one priced from an index with hourly funding. Every invariant must hold after every command.
 */
class ShadowAuditProperties {
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final int ETH = 2;
    private static final int ETH_INDEX = 0;
    private static final long USD = 1_000_000;
    private static final long MAKER = 9;
    private static final long BACKSTOP = 77;
    private static final int TRADERS = 10;

    @Property(tries = 30)
    void theShadowAgreesWithTheEngineAfterEveryCommand(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed) {
        run(seed, new Counts());
    }

    /** A stream the property once drew: ADL closed a counterparty past its bankruptcy price (kept as a regression). */
    @Example
    void adlNeverClosesPastTheCounterpartysBankruptcy() {
        run(6187259619187L, new Counts());
    }

    /**
     * A stream the property once drew (jqwik seed -2443599260211418564): the mark of the fund's inventory moved on a
     * command that liquidated nobody, leaving the fund's equity below zero until the next liquidation round; the fund
     * is now made whole at the end of every command (kept as a regression).
     */
    /**
     * A stream the property once drew: the ADL counterparty's isolated BTC position was under water beyond its margin,
     * which the audit counted against the account's cross equity, so a close within the cross bankruptcy price looked
     * past it (kept as a regression of the audit itself).
     */
    @Example
    void anIsolatedPositionUnderWaterIsNotTheCrossAccountsLoss() {
        run(20972L, new Counts());
    }

    @Example
    void theFundsEquityIsNeverLeftNegativeAtTheEndOfACommand() {
        run(52L, new Counts());
    }

    /** The streams do reach what the audit follows: liquidations, funding, rebates, transfers, ADL or the backstop. */
    @Example
    void theStreamsExerciseWhatTheShadowFollows() {
        Counts counts = new Counts();
        for (long seed = 1; seed <= 10; seed++) {
            run(seed, counts);
        }
        assertTrue(counts.liquidationFills > 0 && counts.funding > 0 && counts.transfers > 0
                && counts.fundPaid + counts.takeovers > 0 && counts.adl + counts.backstop > 0, counts.toString());
    }

    /** Counts what the streams exercised (told every event after the audit). */
    private static final class Counts implements EngineEvents {
        long liquidationFills;
        long funding;
        long transfers;
        long fundPaid;
        long takeovers;
        long adl;
        long backstop;

        @Override
        public void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price,
                                    long quantity, long fee) {
            liquidationFills++;
        }

        @Override
        public void fundingSettled(long sequence, long timestamp, int instrument, long account, long position, long rate,
                                   long amount) {
            funding++;
        }

        @Override
        public void postingApplied(long sequence, long timestamp, PostingType type, int asset, long from, long to,
                                   long amount, long fromBalance, long toBalance) {
            transfers += type == PostingType.TRANSFER ? 1 : 0;
        }

        @Override
        public void insuranceFundPaid(long sequence, long timestamp, long account, int asset, long amount, long fund) {
            fundPaid++;
        }

        @Override
        public void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side,
                                          long price, long quantity, long fundEquity) {
            takeovers++;
        }

        @Override
        public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument,
                                    Side side, long price, long quantity, long rankPpm) {
            adl++;
        }

        @Override
        public void backstopTransfer(long sequence, long timestamp, long account, long backstopAccount, int instrument,
                                     Side side, long price, long quantity) {
            backstop++;
        }

        @Override
        public String toString() {
            return "liquidation fills " + liquidationFills + ", funding " + funding + ", transfers " + transfers
                    + ", fund payouts " + fundPaid + ", takeovers " + takeovers + ", ADL " + adl + ", backstop " + backstop;
        }
    }

    private void run(long seed, Counts counts) {
        SplittableRandom random = new SplittableRandom(seed);
        LiquidationConfig liquidation = random.nextBoolean() ? LiquidationConfig.defaults()
                : LiquidationConfig.defaults().withBackstopAccount(BACKSTOP);
        EngineConfig config = EngineConfig.defaults().withLiquidation(liquidation.withMaxStepUnits(
                random.nextLong(1_000, 200_000)));
        ShadowAudit audit = new ShadowAudit(config);
        Engine engine = new Engine(new FanOutEvents(audit, counts), config);
        List<String> failures = new ArrayList<>();
        long[] sequence = {0};
        Runner run = c -> {
            c.sequence = ++sequence[0];
            c.timestamp = 30_000_000_000L * sequence[0];
            audit.onCommand(c);
            engine.apply(c);
            List<String> found = sequence[0] % 20 == 0 ? audit.checkAll(engine) : audit.check(engine);
            for (String violation : found) {
                failures.add("seed " + seed + " command " + sequence[0] + " " + c.type + ": " + violation);
            }
        };
        setUp(run, random);
        long fair = 500_000;
        long ethFair = 300_000;
        long orderId = 1;
        for (int i = 0; i < 400 && failures.isEmpty(); i++) {
            long account = random.nextLong(1, TRADERS + 1);
            switch (random.nextInt(12)) {
                case 0 -> run.apply(new Command().deposit(account, USDC, random.nextLong(1, 5_000) * USD));
                case 1 -> run.apply(new Command().withdraw(account, USDC, random.nextLong(1, 3_000) * USD));
                case 2 -> run.apply(new Command().transfer(account, account + 100, USDC, random.nextLong(1, 2_000) * USD));
                case 3 -> run.apply(new Command().transfer(account + 100, account, USDC, random.nextLong(1, 2_000) * USD));
                case 4 -> {
                    Command tier = new Command().reset();
                    tier.type = CommandType.SET_FEE_TIER;
                    tier.account = random.nextBoolean() ? account : MAKER;
                    tier.feeTier = random.nextInt(5);
                    run.apply(tier);
                }
                case 5 -> {
                    fair = Math.max(50_000, fair + random.nextLong(-20_000, 20_001));
                    run.apply(mark(fair));
                }
                case 6 -> {
                    ethFair = Math.max(10_000, ethFair + random.nextLong(-6_000, 6_001));
                    run.apply(new Command().oracleReport(ETH_INDEX, 0, ethFair, 30_000_000_000L * (sequence[0] + 1)));
                }
                case 7 -> run.apply(new Command().deposit(SystemAccounts.INSURANCE_FUND, USDC,
                        random.nextLong(1, 1_000) * USD));
                default -> {
                    boolean eth = random.nextInt(3) == 0;
                    int instrument = eth ? ETH : BTC;
                    long price = eth ? ethFair : fair;
                    Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                    long lots = random.nextLong(1, eth ? 5_000 : 2_000);
                    long spread = random.nextLong(1, 500);
                    Command cancel = new Command().reset();
                    cancel.type = CommandType.CANCEL_ALL;
                    cancel.account = MAKER;
                    cancel.instrument = instrument;
                    run.apply(cancel);
                    run.apply(new Command().limit(MAKER, instrument, orderId++, side == Side.BUY ? Side.SELL : Side.BUY,
                            side == Side.BUY ? price + spread : price - spread, lots, TimeInForce.GTC));
                    if (random.nextBoolean()) {
                        run.apply(new Command().market(account, instrument, orderId++, side, lots));
                    } else {
                        run.apply(new Command().limit(account, instrument, orderId++, side,
                                side == Side.BUY ? price + spread : price - spread, lots, TimeInForce.IOC));
                    }
                }
            }
        }
        failures.addAll(audit.checkAll(engine));
        assertEquals(List.of(), failures.stream().limit(5).toList());
        assertTrue(audit.checks() > 400);
    }

    /** Applies one command and checks it. */
    private interface Runner {
        void apply(Command c);
    }

    private static void setUp(Runner run, SplittableRandom random) {
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        run.apply(asset);
        Command btc = new Command().reset();
        btc.type = CommandType.ADD_INSTRUMENT;
        btc.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001").withPriceBandPpm(0);
        run.apply(btc);
        Command index = new Command().reset();
        index.type = CommandType.ADD_INDEX;
        index.indexSpec = IndexSpec.of(ETH_INDEX, "ETH-USD", 2, "only");
        run.apply(index);
        run.apply(new Command().oracleReport(ETH_INDEX, 0, 300_000, 30_000_000_000L * 4));
        Command eth = new Command().reset();
        eth.type = CommandType.ADD_INSTRUMENT;
        eth.instrumentSpec = InstrumentSpec.perpetual(ETH, "ETH-PERP", "ETH", "USDC", "0.01", "0.01").withPriceBandPpm(0);
        eth.pricingSpec = PricingSpec.perpetual(ETH_INDEX, 6).withFundingInterval(PricingSpec.HOUR_NANOS);
        run.apply(eth);
        run.apply(mark(500_000));
        run.apply(new Command().deposit(MAKER, USDC, 100_000_000 * USD));
        run.apply(new Command().deposit(BACKSTOP, USDC, 5_000_000 * USD));
        run.apply(new Command().deposit(SystemAccounts.INSURANCE_FUND, USDC, random.nextLong(0, 20_000) * USD + 1));
        for (long account = 1; account <= TRADERS; account++) {
            Command link = new Command().reset();
            link.type = CommandType.LINK_SUBACCOUNT;
            link.account = account;
            link.counterparty = account + 100;
            run.apply(link);
            run.apply(new Command().deposit(account, USDC, random.nextLong(200, 20_000) * USD));
            for (int instrument : new int[] {BTC, ETH}) {
                Command leverage = new Command().setLeverage(account, instrument, (int) random.nextLong(2, 51));
                run.apply(leverage);
            }
            if (random.nextInt(4) == 0) {
                Command mode = new Command().setMarginMode(account, BTC, MarginMode.ISOLATED);
                run.apply(mode);
            }
        }
    }

    private static Command mark(long price) {
        Command c = new Command().reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = BTC;
        c.price = price;
        return c;
    }
}
