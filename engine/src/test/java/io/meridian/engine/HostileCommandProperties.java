package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.model.event.EventRecorder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.meridian.engine.EngineFixture.BTC;
import static io.meridian.engine.EngineFixture.USD;
import static io.meridian.engine.EngineFixture.USDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The engine against a hostile client that got past the gateway: order, amend, cancel, account, agent, session,
 * sub-account and forced-withdrawal commands (and a few of the operator's) whose numbers are extreme (0, -1, the long
 * range's ends, an instrument's limits and one past them), whose ids name live orders, other accounts' orders,
 * reserved liquidation ids or nothing, whose enums are missing and whose byte strings are empty or far too long. Every
 * command must end in a result or a reject, never an exception out of {@link Engine#apply} (in the node that would
 * stop the engine on a journaled command, again at every replay); value stays conserved after each; and the same log
 * replayed into a new engine reaches the same state hash.
 */
class HostileCommandProperties {
    private static final long MARK = 650_000;
    private static final CommandType[] TYPES = {
        CommandType.PLACE_ORDER, CommandType.PLACE_ORDER, CommandType.PLACE_ORDER, CommandType.AMEND_ORDER,
        CommandType.AMEND_ORDER, CommandType.AMEND_ORDER, CommandType.CANCEL_ORDER, CommandType.CANCEL_ALL,
        CommandType.DEPOSIT, CommandType.WITHDRAW, CommandType.TRANSFER, CommandType.SET_LEVERAGE,
        CommandType.SET_MARGIN_MODE, CommandType.ADJUST_ISOLATED_MARGIN, CommandType.SET_MARK_PRICE,
        CommandType.LINK_SUBACCOUNT, CommandType.TIME_TICK, CommandType.FORCED_WITHDRAWAL, CommandType.APPROVE_AGENT,
        CommandType.REVOKE_AGENT, CommandType.OPEN_SESSION, CommandType.SET_FEE_TIER, CommandType.SET_COLLATERAL,
    };

    @Property(tries = 100)
    void hostileCommandsEndInAResultOrARejectAndReplayAlike(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        InstrumentSpec spec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001");
        if (random.nextBoolean()) {
            spec = spec.withPriceBandPpm(0);
        }
        List<Command> log = new ArrayList<>();
        log.add(EngineFixture.addAsset(new AssetSpec(USDC, "USDC", 6)));
        log.add(EngineFixture.addInstrument(spec));
        log.add(EngineFixture.mark(BTC, MARK));
        for (long account = 1; account <= 4; account++) {
            log.add(new Command().deposit(account, USDC, 50_000 * USD));
        }
        Hostile hostile = new Hostile(random, spec);
        // A ladder to trade against and to name: account 4 quotes 0.1 BTC every 100 USD within 1,000 USD of the mark.
        for (int k = 1; k <= 10; k++) {
            log.add(hostile.remember(new Command().limit(4, BTC, 0, Side.SELL, MARK + 1_000L * k, 100,
                    TimeInForce.GTC)));
            log.add(hostile.remember(new Command().limit(4, BTC, 0, Side.BUY, MARK - 1_000L * k, 100,
                    TimeInForce.GTC)));
        }
        for (int i = 0; i < 400; i++) {
            log.add(hostile.next());
        }
        Engine engine = new Engine(new EventRecorder(false));
        for (int i = 0; i < log.size(); i++) {
            Command c = log.get(i);
            c.sequence = i + 1;
            c.timestamp = 1_000 + i;
            try {
                engine.apply(c);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " command " + i + " " + c + " threw", e);
            }
            assertTrue(engine.view().ledger().isConserved(), "seed " + seed + " command " + i + " " + c + ": "
                    + engine.view().ledger().conservationReport());
        }
        Engine replayed = new Engine(new EventRecorder(false));
        for (Command c : log) {
            replayed.apply(c);
        }
        assertEquals(engine.stateHash(), replayed.stateHash(), "seed " + seed);
        if (engine.view().book(BTC).tradeCount() == 0 && engine.view().book(BTC).openOrders() == 0) {
            fail("seed " + seed + ": the stream neither traded nor rested anything, so it tested nothing");
        }
    }

    /**
     * Builds the hostile commands: each a valid command of its type (orders near the mark, amends and cancels of live
     * orders by their owners) with, one time in two, one field replaced by a hostile value, so that every reject path
     * is reached from a live book and the commands that pass keep it trading.
     */
    private static final class Hostile {
        private final SplittableRandom random;
        private final InstrumentSpec spec;
        private final List<long[]> orders = new ArrayList<>();
        private long nextId = 100;

        Hostile(SplittableRandom random, InstrumentSpec spec) {
            this.random = random;
            this.spec = spec;
        }

        /** Gives an order of the set-up the next order id and remembers it with its account. */
        Command remember(Command order) {
            order.orderId = nextId++;
            orders.add(new long[] {order.orderId, order.account});
            return order;
        }

        Command next() {
            CommandType type = TYPES[random.nextInt(TYPES.length)];
            Command c = new Command().reset();
            c.type = type;
            c.account = 1 + random.nextInt(4);
            c.instrument = BTC;
            switch (type) {
                case PLACE_ORDER -> {
                    c.side = random.nextBoolean() ? Side.BUY : Side.SELL;
                    c.orderType = OrderType.LIMIT;
                    c.timeInForce = random.nextInt(4) == 0 ? TimeInForce.IOC : TimeInForce.GTC;
                    c.price = MARK + random.nextInt(-3_000, 3_001);
                    c.quantity = 1 + random.nextInt(2_000);
                    remember(c);
                }
                case AMEND_ORDER, CANCEL_ORDER -> {
                    long[] order = orders.get(random.nextInt(orders.size()));
                    c.orderId = order[0];
                    c.account = order[1];
                    if (type == CommandType.AMEND_ORDER) {
                        c.price = random.nextInt(3) == 0 ? 0 : MARK + random.nextInt(-3_000, 3_001);
                        c.quantity = c.price != 0 && random.nextBoolean() ? 0 : 1 + random.nextInt(2_000);
                    }
                }
                case DEPOSIT, WITHDRAW, ADJUST_ISOLATED_MARGIN -> {
                    c.asset = USDC;
                    c.amount = random.nextLong(1, 5_000 * USD) * (type == CommandType.ADJUST_ISOLATED_MARGIN
                            && random.nextBoolean() ? -1 : 1);
                }
                case TRANSFER -> {
                    c.counterparty = 1 + random.nextInt(4);
                    c.asset = USDC;
                    c.amount = random.nextLong(1, 5_000 * USD);
                }
                case SET_LEVERAGE -> c.leverage = 1 + random.nextInt(20);
                case SET_MARGIN_MODE -> c.marginMode = random.nextBoolean() ? MarginMode.ISOLATED : MarginMode.CROSS;
                case SET_MARK_PRICE -> c.price = MARK + random.nextInt(-20_000, 20_001);
                default -> { }
            }
            if (random.nextBoolean()) {
                spoil(c);
            }
            return c;
        }

        /** Replaces one field of {@code c} with a hostile value. */
        private void spoil(Command c) {
            switch (random.nextInt(18)) {
                case 16 -> {
                    c.address = bytes();
                    c.agentKey = bytes();
                    c.signature = bytes();
                    c.destination = bytes();
                    c.agentName = random.nextBoolean() ? null : "x".repeat(random.nextInt(300));
                }
                case 17 -> {
                    c.feeTier = pickInt(-1, 0, 1, 4, 5, 99, Integer.MAX_VALUE, Integer.MIN_VALUE);
                    c.collateralWeightPpm = pick(-1, 0, 1_000_000, 1_000_001, Long.MAX_VALUE, Long.MIN_VALUE);
                    c.settlementAsset = pickInt(-1, 0, 1, 99);
                    c.nonce = pick(-1, 0, 1, Long.MAX_VALUE, Long.MIN_VALUE);
                    c.validUntil = pick(-1, 0, 1, Long.MAX_VALUE, Long.MIN_VALUE);
                    c.sessionId = pick(-1, 0, 1, Long.MAX_VALUE, Long.MIN_VALUE);
                    c.forcedRef = pick(-1, 0, 1, Long.MAX_VALUE, Long.MIN_VALUE);
                    c.chainRef = pick(-1, 0, 1, Long.MAX_VALUE, Long.MIN_VALUE);
                }
                case 0 -> c.account = pick(0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 5, 1L << 62);
                case 1 -> c.instrument = pickInt(0, -1, 2, 99, Integer.MAX_VALUE, Integer.MIN_VALUE,
                        Command.ALL_INSTRUMENTS);
                case 2 -> c.orderId = pick(0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62, (1L << 62) + 1, nextId + 7);
                case 3, 4 -> c.price = nasty(spec.maxPrice());
                case 5, 6 -> c.quantity = nasty(spec.maxQuantity());
                case 7 -> c.triggerPrice = nasty(spec.maxPrice());
                case 8 -> c.displayQuantity = nasty(spec.maxQuantity());
                case 9 -> c.expireAt = pick(-1, 1, 1_000, Long.MAX_VALUE, Long.MIN_VALUE);
                case 10 -> c.clientOrderId = pick(-1, 1, Long.MAX_VALUE, Long.MIN_VALUE);
                case 11 -> {
                    c.side = random.nextBoolean() ? null : c.side;
                    c.orderType = pickEnum(OrderType.values());
                    c.timeInForce = pickEnum(TimeInForce.values());
                }
                case 12 -> {
                    c.postOnly = pickEnum(PostOnly.values());
                    c.selfTradePrevention = pickEnum(SelfTradePrevention.values());
                    c.triggerSource = pickEnum(TriggerSource.values());
                    c.reduceOnly = random.nextBoolean();
                }
                case 13 -> c.amount = pick(0, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE / 2, 1L << 62);
                case 14 -> {
                    c.leverage = pickInt(0, -1, 1_000, Integer.MAX_VALUE, Integer.MIN_VALUE);
                    c.marginMode = random.nextBoolean() ? null : c.marginMode;
                }
                default -> {
                    c.asset = pickInt(-1, 1, 99, Integer.MAX_VALUE);
                    c.counterparty = pick(0, -1, Long.MAX_VALUE, c.account);
                }
            }
        }

        /** Null, empty, the lengths of an address, a key and a signature, or far too long. */
        private byte[] bytes() {
            int length = pickInt(-1, 0, 1, 20, 32, 64, 65, 129, 4_096);
            if (length < 0) {
                return null;
            }
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return bytes;
        }

        /** 0, -1, 1, the limit and one past it, half the long range and its ends. */
        private long nasty(long limit) {
            return pick(0, -1, 1, limit, limit + 1, Long.MAX_VALUE / 2, Long.MAX_VALUE, Long.MIN_VALUE);
        }

        private long pick(long... values) {
            return values[random.nextInt(values.length)];
        }

        private int pickInt(int... values) {
            return values[random.nextInt(values.length)];
        }

        private <E> E pickEnum(E[] values) {
            return random.nextInt(5) == 0 ? null : values[random.nextInt(values.length)];
        }
    }
}
