package io.meridian.journal;

import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.OptionMarginSpecs;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginBracket;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.PricingSpec;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.risk.options.PortfolioMarginParams;
import io.meridian.risk.options.StandardMarginParams;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A venue with every kind of state the engine keeps, made by commands and the same on every run: two assets (one of
 * them collateral priced from an index), two indexes with several sources, a perpetual and a dated future priced from
 * an index (premium samples, a funding settlement), a perpetual marked by hand with its own margin tiers and a position
 * limit, an option chain (standard and portfolio margin, a set mark volatility, margin parameters, an option that
 * expired and settled), resting orders at many levels with client order ids, icebergs, GTD and post-only orders, stop
 * and take-profit orders on the last price and the mark, positions, chosen leverage, an isolated position, a
 * sub-account, a fee tier, addresses with agents (one revoked), a session and nonces, and a liquidation the insurance
 * fund took over (inventory it then began to unwind). Snapshot tests build it ({@link #setup()}) and continue it
 * ({@link #tail}): both must apply without a reject.
 */
final class RichVenue {
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** 2023-11-14T22:13:20Z: the next funding interval ends at midnight, 1 h 47 min later. */
    static final long START = 1_700_000_000L * SECOND;
    static final long USD = 1_000_000;
    static final int USDC = 0;
    static final int BTC = 1;
    static final int BTC_INDEX = 0;
    static final int ETH_INDEX = 1;
    static final int BTC_PERP = 1;
    static final int ETH_PERP = 2;
    static final int BTC_FUTURE = 3;
    static final int CALL_60K = 10;
    static final int PUT_55K = 11;
    static final int CALL_65K = 12;
    static final int PUT_60K = 13;
    /** In the money, expires two hours after the start: settled before the snapshot. */
    static final int SHORT_CALL = 14;
    /** Order ids of maker 9's BTC-PERP bids and asks, level by level from the worst: the tail names some of them. */
    private static final long MAKER_BIDS = 50_000;
    private static final long MAKER_ASKS = 50_100;
    private static final Eip712Domain DOMAIN = MeridianTypes.devDomain();

    private final List<Command> commands = new ArrayList<>();
    private long sequence;
    private long now;
    private long orderIds = 100;
    private final Secp256k1PrivateKey alice = key(0x11);
    private final Secp256k1PrivateKey bob = key(0x22);
    private final AgentSigner aliceAgent = AgentSigner.of(filled(0x33));
    private final AgentSigner bobAgent = AgentSigner.of(filled(0x44));

    private RichVenue(long firstSequence, long firstTimestamp) {
        this.sequence = firstSequence - 1;
        this.now = firstTimestamp;
    }

    /** The engine settings the venue runs under. */
    static EngineConfig config() {
        return EngineConfig.defaults();
    }

    /** Every command up to the snapshot, stamped from sequence 1. */
    static List<Command> setup() {
        RichVenue v = new RichVenue(1, START);
        v.build();
        return v.commands;
    }

    /**
     * A fixed continuation after the snapshot, stamped after {@code lastSequence} and {@code lastTimestamp}, with alice's
     * session {@code sessionId} (the set-up's OPEN_SESSION): a taker that sweeps the bids and fires a stop order,
     * an amend and a cancel by client order id, index moves that change marks and liquidation triggers, a GTD expiry,
     * marks on the hand-marked perpetual that let the insurance fund unwind, an option mark, orders in alice's session
     * and by her agent, a cancel-all, a collateral withdrawal, a deposit, and hours later a funding settlement. It
     * depends on nothing but its arguments, so that a snapshot checked in once is continued the same way by every
     * later build.
     */
    static List<Command> tail(long lastSequence, long lastTimestamp, long sessionId) {
        RichVenue v = new RichVenue(lastSequence + 1, lastTimestamp + SECOND);
        v.continueRun(sessionId);
        return v.commands;
    }

    /** The sequence of the set-up's OPEN_SESSION (alice's session id). */
    static long sessionId(List<Command> setup) {
        for (Command c : setup) {
            if (c.type == CommandType.OPEN_SESSION) {
                return c.sequence;
            }
        }
        throw new IllegalStateException("the set-up opens no session");
    }

    // ------------------------------------------------------------------------------------------------ the run

    private void build() {
        Command usdc = command(CommandType.ADD_ASSET);
        usdc.assetSpec = new AssetSpec(USDC, "USDC", 6);
        add(usdc);
        Command btc = command(CommandType.ADD_ASSET);
        btc.assetSpec = new AssetSpec(BTC, "BTC", 8);
        add(btc);
        Command btcIndex = command(CommandType.ADD_INDEX);
        btcIndex.indexSpec = IndexSpec.of(BTC_INDEX, "BTC-USD", 2, "a", "b", "c").withMaxMovePpmPerSecond(0)
                .withStalenessNanos(HOUR).withMinFreshSources(2);
        add(btcIndex);
        Command ethIndex = command(CommandType.ADD_INDEX);
        ethIndex.indexSpec = IndexSpec.of(ETH_INDEX, "ETH-USD", 2, "x").withMaxMovePpmPerSecond(0)
                .withStalenessNanos(DAY);
        add(ethIndex);
        btcReports(6_000_000, 6_000_100, 5_999_900);
        add(new Command().oracleReport(ETH_INDEX, 0, 300_000, now));

        Command perp = command(CommandType.ADD_INSTRUMENT);
        perp.instrumentSpec = InstrumentSpec.perpetual(BTC_PERP, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        perp.pricingSpec = PricingSpec.perpetual(BTC_INDEX, 6);
        add(perp);
        Command eth = command(CommandType.ADD_INSTRUMENT);
        eth.instrumentSpec = InstrumentSpec.perpetual(ETH_PERP, "ETH-PERP", "ETH", "USDC", "0.01", "0.01")
                .withPriceBandPpm(0);
        eth.marginBrackets = List.of(new MarginBracket(0, 20_000, 40_000), new MarginBracket(500_000 * USD, 50_000,
                100_000));
        eth.positionLimit = 100_000;
        add(eth);
        add(mark(ETH_PERP, 300_000));
        InstrumentSpec perpSpec = perp.instrumentSpec;
        Command future = command(CommandType.ADD_INSTRUMENT);
        future.instrumentSpec = new InstrumentSpec(BTC_FUTURE, "BTC-FUT", InstrumentKind.DATED_FUTURE, "BTC", "USDC", 6,
                perpSpec.tickSize(), perpSpec.lotSize(), BigDecimal.ONE, 1, 1_000_000, perpSpec.maxPrice(), 0, 50_000,
                200, 500, START + 30 * DAY);
        future.pricingSpec = PricingSpec.datedFuture(BTC_INDEX, 6);
        add(future);
        listOption(CALL_60K, OptionRight.CALL, "60000", START + 7 * DAY);
        listOption(PUT_55K, OptionRight.PUT, "55000", START + 7 * DAY);
        listOption(CALL_65K, OptionRight.CALL, "65000", START + 7 * DAY);
        listOption(PUT_60K, OptionRight.PUT, "60000", START + 7 * DAY);
        listOption(SHORT_CALL, OptionRight.CALL, "59000", START + 2 * HOUR);
        Command optionMargin = command(CommandType.SET_OPTION_MARGIN);
        optionMargin.indexId = BTC_INDEX;
        optionMargin.optionMarginSpec = OptionMarginSpecs.of(new StandardMarginParams(160_000, 100_000, 25_000, 500_000),
                PortfolioMarginParams.defaults().withMaintenanceFractionPpm(750_000));
        add(optionMargin);
        Command ethMargin = command(CommandType.SET_OPTION_MARGIN);
        ethMargin.indexId = ETH_INDEX;
        ethMargin.optionMarginSpec = OptionMarginSpecs.defaults();
        add(ethMargin);

        // Accounts: traders 1..8, market makers 9 and 10, the liquidated 11, an option writer 12; 15 is 5's sub-account.
        Command link = command(CommandType.LINK_SUBACCOUNT);
        link.account = 5;
        link.counterparty = 15;
        add(link);
        for (long account = 1; account <= 12; account++) {
            long amount = account == 9 || account == 10 ? 5_000_000 : account == 11 ? 2_000 : 50_000;
            add(new Command().deposit(account, USDC, amount * USD));
        }
        add(new Command().deposit(SystemAccounts.INSURANCE_FUND, USDC, 100_000 * USD));
        add(new Command().deposit(7, BTC, 2 * 100_000_000L));
        Command collateral = command(CommandType.SET_COLLATERAL);
        collateral.asset = BTC;
        collateral.settlementAsset = USDC;
        collateral.indexId = BTC_INDEX;
        collateral.collateralWeightPpm = 900_000;
        add(collateral);
        add(new Command().transfer(5, 15, USDC, 1_000 * USD));
        Command tier = command(CommandType.SET_FEE_TIER);
        tier.account = 3;
        tier.feeTier = 2;
        add(tier);
        add(new Command().setLeverage(2, BTC_PERP, 10));
        add(new Command().setLeverage(11, ETH_PERP, 20));
        add(new Command().setMarginMode(4, BTC_PERP, MarginMode.ISOLATED));
        Command isolated = command(CommandType.ADJUST_ISOLATED_MARGIN);
        isolated.account = 4;
        isolated.instrument = BTC_PERP;
        isolated.amount = 2_000 * USD;
        add(isolated);
        add(new Command().setMarginMode(6, Command.ALL_INSTRUMENTS, MarginMode.PORTFOLIO));

        // The books: ten levels a side from maker 9 (client order ids), icebergs from maker 10.
        for (int level = 0; level < 10; level++) {
            Command bid = limit(9, BTC_PERP, Side.BUY, 599_000 + 100L * level, 1_000);
            bid.orderId = MAKER_BIDS + level;
            bid.clientOrderId = 1 + level;
            add(bid);
            Command ask = limit(9, BTC_PERP, Side.SELL, 600_100 + 100L * level, 1_000);
            ask.orderId = MAKER_ASKS + level;
            ask.clientOrderId = 101 + level;
            add(ask);
            add(limit(9, BTC_FUTURE, Side.BUY, 600_000 + 100L * level, 500));
            add(limit(9, BTC_FUTURE, Side.SELL, 601_100 + 100L * level, 500));
            add(limit(9, ETH_PERP, Side.BUY, 270_000 - 1_000L * level, 500));
            add(limit(9, ETH_PERP, Side.SELL, 300_000 + 1_000L * level, 1_000));
        }
        Command iceberg = limit(10, BTC_PERP, Side.BUY, 599_500, 5_000);
        iceberg.displayQuantity = 500;
        add(iceberg);
        Command icebergAsk = limit(10, BTC_PERP, Side.SELL, 600_500, 4_000);
        icebergAsk.displayQuantity = 400;
        icebergAsk.clientOrderId = 77;
        add(icebergAsk);
        Command gtd = limit(3, BTC_PERP, Side.BUY, 598_000, 100);
        gtd.timeInForce = TimeInForce.GTD;
        gtd.expireAt = START + 3 * HOUR + 10 * MINUTE;
        add(gtd);
        Command later = limit(3, BTC_PERP, Side.SELL, 605_000, 100);
        later.timeInForce = TimeInForce.GTD;
        later.expireAt = START + DAY;
        add(later);
        Command postOnly = limit(2, BTC_PERP, Side.SELL, 602_000, 50);
        postOnly.postOnly = PostOnly.REJECT;
        add(postOnly);

        // Trades: positions for 1 (long), 2 (short), 4 (isolated long), 6 (short future), 11 (a large ETH long).
        add(market(1, BTC_PERP, Side.BUY, 500));
        add(market(2, BTC_PERP, Side.SELL, 300));
        add(market(4, BTC_PERP, Side.BUY, 200));
        add(market(6, BTC_FUTURE, Side.SELL, 100));
        add(market(11, ETH_PERP, Side.BUY, 1_000));
        add(conditional(1, BTC_PERP, Side.SELL, OrderType.STOP_MARKET, 0, 599_600, TriggerSource.LAST, 200));
        add(conditional(2, BTC_PERP, Side.BUY, OrderType.TAKE_PROFIT_LIMIT, 590_100, 590_000, TriggerSource.LAST, 100));
        add(conditional(3, BTC_PERP, Side.BUY, OrderType.STOP_LIMIT, 611_000, 610_000, TriggerSource.MARK, 100));
        Command reduce = limit(1, BTC_PERP, Side.SELL, 603_000, 100);
        reduce.reduceOnly = true;
        add(reduce);

        // Options: maker 10 quotes, 6 (portfolio margin) buys a call and sells a put, 8 writes puts, 12 a short call.
        add(limit(10, CALL_60K, Side.SELL, 26_000, 500));
        add(limit(10, CALL_60K, Side.BUY, 25_000, 500));
        add(limit(10, PUT_55K, Side.BUY, 3_800, 500));
        add(limit(10, PUT_60K, Side.BUY, 25_500, 500));
        add(limit(10, SHORT_CALL, Side.BUY, 11_500, 200));
        add(limit(10, CALL_65K, Side.SELL, 9_000, 300));
        add(market(6, CALL_60K, Side.BUY, 10));
        add(market(6, PUT_55K, Side.SELL, 10));
        add(market(8, PUT_60K, Side.SELL, 20));
        add(market(12, SHORT_CALL, Side.SELL, 50));
        add(mark(CALL_65K, 9_500));

        signedSetup();

        // The insurance fund takes 11's ETH long over: a gap through its bankruptcy price with no bid above 2,700.
        add(mark(ETH_PERP, 275_000));
        add(mark(ETH_PERP, 276_000));

        // Three hours of index reports every five minutes: premium samples, marks, the funding at midnight, and the
        // short call's expiry and settlement on its window's average.
        for (int step = 1; step <= 36; step++) {
            now = START + step * 5 * MINUTE;
            long drift = (step % 7) * 1_000 - 3_000;
            btcReports(6_000_000 + drift, 6_000_100 + drift, 5_999_900 + drift);
            if (step % 6 == 0) {
                add(command(CommandType.TIME_TICK));
                add(limit(10, BTC_PERP, Side.BUY, 599_400, 10 + step));
            }
        }
        add(command(CommandType.TIME_TICK));
    }

    /** Addresses: alice approves an agent and opens a session; bob approves one and revokes it; signed orders. */
    private void signedSetup() {
        long nowMs = now / 1_000_000;
        add(addressed(new Command().deposit(0, USDC, 100_000 * USD), alice));
        add(addressed(new Command().deposit(0, USDC, 100_000 * USD), bob));
        add(approve(alice, aliceAgent, "alice-bot", nowMs + 1, nowMs + 2 * 86_400_000L));
        add(approve(bob, bobAgent, "bob-bot", nowMs + 2, nowMs + 86_400_000L));
        Command revoke = command(CommandType.REVOKE_AGENT);
        revoke.agentKey = bobAgent.publicKey().toBytes();
        revoke.nonce = nowMs + 3;
        add(SignedCommands.signAsOwner(revoke, DOMAIN, bob));
        Command login = command(CommandType.OPEN_SESSION);
        login.nonce = nowMs + 4;
        login.validUntil = nowMs + 20 * 3_600_000L;
        add(SignedCommands.signAsOwner(login, DOMAIN, alice));
        Command byOwner = limit(0, BTC_PERP, Side.BUY, 598_500, 40);
        byOwner.clientOrderId = 9_001;
        byOwner.nonce = nowMs + 5;
        add(SignedCommands.signAsOwner(byOwner, DOMAIN, alice));
        Command byAgent = limit(0, BTC_PERP, Side.SELL, 604_000, 30);
        byAgent.clientOrderId = 9_002;
        byAgent.nonce = nowMs + 6;
        add(SignedCommands.signAsAgent(byAgent, DOMAIN, alice.address(), aliceAgent));
        Command inSession = limit(0, BTC_PERP, Side.BUY, 598_600, 20);
        inSession.address = alice.address().toBytes();
        inSession.sessionId = sessionId(commands);
        add(inSession);
        Command bobOrder = limit(0, ETH_PERP, Side.SELL, 310_000, 100);
        bobOrder.nonce = nowMs + 7;
        add(SignedCommands.signAsOwner(bobOrder, DOMAIN, bob));
    }

    private void continueRun(long sessionId) {
        long nowMs = now / 1_000_000;
        // A taker sells through 599,600: the stop order on the last price fires and sells into what is left.
        add(market(2, BTC_PERP, Side.SELL, 3_800));
        add(new Command().amend(9, BTC_PERP, MAKER_BIDS + 2, 0, 800));
        Command byClientId = command(CommandType.CANCEL_ORDER);
        byClientId.account = 9;
        byClientId.instrument = BTC_PERP;
        byClientId.clientOrderId = 104;
        add(byClientId);
        for (int step = 1; step <= 6; step++) {
            now += 2 * MINUTE;
            long price = 5_990_000 - 4_000L * step;
            btcReports(price, price + 50, price - 50);
            add(mark(ETH_PERP, 276_000 - 200L * step));
        }
        add(mark(CALL_60K, 24_000));
        Command inSession = limit(0, BTC_PERP, Side.SELL, 601_500, 15);
        inSession.address = alice.address().toBytes();
        inSession.sessionId = sessionId;
        add(inSession);
        Command byAgent = limit(0, BTC_PERP, Side.BUY, 595_000, 25);
        byAgent.nonce = nowMs + 100;
        add(SignedCommands.signAsAgent(byAgent, DOMAIN, alice.address(), aliceAgent));
        add(market(6, CALL_60K, Side.SELL, 5));
        Command cancelAll = command(CommandType.CANCEL_ALL);
        cancelAll.account = 10;
        cancelAll.instrument = CALL_60K;
        add(cancelAll);
        add(new Command().withdraw(7, BTC, 50_000_000L));
        add(new Command().deposit(1, USDC, 10_000 * USD));
        now += 20 * MINUTE;
        add(command(CommandType.TIME_TICK));
        btcReports(5_960_000, 5_960_100, 5_959_900);
        // Past the next funding time (08:00 UTC): the first command after it settles the interval.
        now = START + 10 * HOUR;
        btcReports(5_961_000, 5_961_100, 5_960_900);
        add(command(CommandType.TIME_TICK));
    }

    // ------------------------------------------------------------------------------------------------ builders

    private Command add(Command c) {
        c.sequence = ++sequence;
        c.timestamp = now;
        now += 1_000_000;
        if (c.type == CommandType.PLACE_ORDER && c.orderId == 0) {
            c.orderId = ++orderIds;
        }
        commands.add(c);
        return c;
    }

    private static Command command(CommandType type) {
        Command c = new Command().reset();
        c.type = type;
        return c;
    }

    private void btcReports(long a, long b, long c) {
        add(new Command().oracleReport(BTC_INDEX, 0, a, now));
        add(new Command().oracleReport(BTC_INDEX, 1, b, now));
        add(new Command().oracleReport(BTC_INDEX, 2, c, now));
    }

    private void listOption(int id, OptionRight right, String strike, long expiry) {
        Command c = command(CommandType.ADD_INSTRUMENT);
        c.instrumentSpec = InstrumentSpec.option(id, "BTC-" + strike + "-" + right.code() + "-" + id, "BTC", "USDC", 6,
                "0.1", "0.01", "1", expiry);
        c.optionSpec = OptionSpec.of(BTC_INDEX, strike, right);
        add(c);
    }

    private static Command mark(int instrument, long price) {
        Command c = command(CommandType.SET_MARK_PRICE);
        c.instrument = instrument;
        c.price = price;
        return c;
    }

    private static Command limit(long account, int instrument, Side side, long price, long lots) {
        return new Command().limit(account, instrument, 0, side, price, lots, TimeInForce.GTC);
    }

    private static Command market(long account, int instrument, Side side, long lots) {
        return new Command().market(account, instrument, 0, side, lots);
    }

    private static Command conditional(long account, int instrument, Side side, OrderType type, long price,
                                       long trigger, TriggerSource source, long lots) {
        Command c = new Command().limit(account, instrument, 0, side, price, lots, TimeInForce.GTC);
        c.orderType = type;
        c.triggerPrice = trigger;
        c.triggerSource = source;
        if (!type.hasLimitPrice()) {
            c.timeInForce = TimeInForce.IOC;
        }
        return c;
    }

    private static Command addressed(Command c, Secp256k1PrivateKey owner) {
        c.address = owner.address().toBytes();
        return c;
    }

    private Command approve(Secp256k1PrivateKey owner, AgentSigner agent, String name, long nonce, long validUntil) {
        Command c = command(CommandType.APPROVE_AGENT);
        c.agentKey = agent.publicKey().toBytes();
        c.agentName = name;
        c.nonce = nonce;
        c.validUntil = validUntil;
        return SignedCommands.signAsOwner(c, DOMAIN, owner);
    }

    private static Secp256k1PrivateKey key(int fill) {
        return Secp256k1PrivateKey.of(filled(fill));
    }

    private static byte[] filled(int fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        return seed;
    }
}
