package io.meridian.matching;

import io.meridian.matching.reference.ReferenceBook;
import io.meridian.matching.reference.ReferenceBook.OrderView;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test: {@link OrderBook} and the naive {@link ReferenceBook} receive the same seeded random stream of
 * commands; after every command their event lists (market data included) and state hashes must be identical, and at
 * the end of each run so must every account's net position. On the first mismatch the assertion message names the
 * seed, the mix, the command index and the command, lists the commands just before it and shows both event lists
 * with the first difference marked. Everything is deterministic: rerun the named test to reproduce.
 */
class DifferentialTest {
    private static final long[] MAIN_SEEDS = {0x5EED_0001L, 0x5EED_0002L, 0x5EED_0003L};
    private static final int MAIN_COMMANDS = 100_000;
    private static final long[] SMALL_SEEDS = {11L, 2024L, 777_777L};
    private static final int SMALL_COMMANDS = 15_000;
    private static final int DEEP_COMMANDS = 6_000;

    private static final InstrumentSpec PERP = InstrumentSpec.perpetual(3, "BTC-PERP", "BTC", "USDC", "0.5", "0.001");
    /** Tiny price range with a low maximum price, size limits 2..30 lots, no price band, 40% market protection. */
    private static final InstrumentSpec TINY = new InstrumentSpec(9, "TINY-PERP", PERP.kind(), "T", "USDC", 6,
            PERP.tickSize(), PERP.lotSize(), BigDecimal.ONE, 2, 30, 25, 0, 400_000, 0, 0, 0);
    /** Very high prices with a 0.1% band, so that far marks and far limits are rejected. */
    private static final InstrumentSpec WIDE = PERP.withMaxPrice(InstrumentSpec.PRICE_LIMIT).withPriceBandPpm(1_000)
            .withMarketProtectionPpm(999_999);

    /** Outcomes the main mix must produce on every seed, so that a generator change cannot quietly lose a path. */
    private static final List<String> MAIN_MUST_SEE = List.of(
            "OrderAccepted", "OrderFilled", "TradeExecuted", "OrderTriggered", "OrderExpired", "OrderAmended",
            "MarkPriceChanged", "BookLevelChanged", "BookOrderChanged.ADD", "BookOrderChanged.MODIFY",
            "BookOrderChanged.REMOVE",
            "OrderCanceled.USER", "OrderCanceled.CANCEL_ALL", "OrderCanceled.IMMEDIATE_OR_CANCEL",
            "OrderCanceled.MARKET_PROTECTION", "OrderCanceled.NO_LIQUIDITY", "OrderCanceled.SELF_TRADE",
            "OrderCanceled.REDUCE_ONLY",
            "CommandRejected.PLACE_ORDER.INVALID_ACCOUNT", "CommandRejected.PLACE_ORDER.INVALID_ORDER_ID",
            "CommandRejected.PLACE_ORDER.DUPLICATE_ORDER_ID", "CommandRejected.PLACE_ORDER.MISSING_SIDE",
            "CommandRejected.PLACE_ORDER.MISSING_ORDER_TYPE", "CommandRejected.PLACE_ORDER.MISSING_TIME_IN_FORCE",
            "CommandRejected.PLACE_ORDER.INVALID_QUANTITY", "CommandRejected.PLACE_ORDER.QUANTITY_ABOVE_MAX",
            "CommandRejected.PLACE_ORDER.INVALID_PRICE", "CommandRejected.PLACE_ORDER.PRICE_ABOVE_MAX",
            "CommandRejected.PLACE_ORDER.MARKET_ORDER_WITH_PRICE", "CommandRejected.PLACE_ORDER.MARKET_ORDER_MUST_NOT_REST",
            "CommandRejected.PLACE_ORDER.INVALID_TRIGGER_PRICE", "CommandRejected.PLACE_ORDER.TRIGGER_ON_PLAIN_ORDER",
            "CommandRejected.PLACE_ORDER.INVALID_EXPIRY", "CommandRejected.PLACE_ORDER.EXPIRY_ON_NON_GTD",
            "CommandRejected.PLACE_ORDER.INVALID_DISPLAY_QUANTITY", "CommandRejected.PLACE_ORDER.ICEBERG_NOT_RESTING",
            "CommandRejected.PLACE_ORDER.POST_ONLY_NOT_RESTING", "CommandRejected.PLACE_ORDER.DUPLICATE_CLIENT_ORDER_ID",
            "CommandRejected.PLACE_ORDER.PRICE_OUTSIDE_BAND", "CommandRejected.PLACE_ORDER.REDUCE_ONLY_WOULD_INCREASE",
            "CommandRejected.PLACE_ORDER.WOULD_TRIGGER_IMMEDIATELY", "CommandRejected.PLACE_ORDER.NO_LIQUIDITY",
            "CommandRejected.PLACE_ORDER.POST_ONLY_WOULD_CROSS", "CommandRejected.PLACE_ORDER.FOK_NOT_FILLABLE",
            "CommandRejected.CANCEL_ORDER.INVALID_ACCOUNT", "CommandRejected.CANCEL_ORDER.INVALID_ORDER_ID",
            "CommandRejected.CANCEL_ORDER.UNKNOWN_ORDER",
            "CommandRejected.AMEND_ORDER.INVALID_ACCOUNT", "CommandRejected.AMEND_ORDER.UNKNOWN_ORDER",
            "CommandRejected.AMEND_ORDER.INVALID_PRICE", "CommandRejected.AMEND_ORDER.MARKET_ORDER_WITH_PRICE",
            "CommandRejected.AMEND_ORDER.PRICE_ABOVE_MAX", "CommandRejected.AMEND_ORDER.INVALID_QUANTITY",
            "CommandRejected.AMEND_ORDER.QUANTITY_ABOVE_MAX", "CommandRejected.AMEND_ORDER.AMEND_QUANTITY_NOT_ABOVE_FILLED",
            "CommandRejected.AMEND_ORDER.INVALID_TRIGGER_PRICE", "CommandRejected.AMEND_ORDER.TRIGGER_ON_PLAIN_ORDER",
            "CommandRejected.AMEND_ORDER.AMEND_NOTHING", "CommandRejected.AMEND_ORDER.WOULD_TRIGGER_IMMEDIATELY",
            "CommandRejected.SET_MARK_PRICE.INVALID_MARK_PRICE");

    // ------------------------------------------------------------------------------------------------ the runs

    @Test
    void mainMixOfEveryCommand() {
        long commands = 0;
        for (long seed : MAIN_SEEDS) {
            Map<String, Integer> seen = run(seed, Mix.standard(), MAIN_COMMANDS);
            for (String outcome : MAIN_MUST_SEE) {
                assertTrue(seen.containsKey(outcome), "seed=" + seed + ": the main mix never produced " + outcome);
            }
            commands += MAIN_COMMANDS;
        }
        assertTrue(commands >= 100_000);
    }

    @Test
    void narrowPriceRangeThatCrossesOften() {
        runSmall(narrow());
    }

    @Test
    void heavySelfTradePrevention() {
        runSmall(selfTrades());
    }

    @Test
    void heavyConditionalOrders() {
        Map<String, Integer> seen = runSmall(conditional());
        assertTrue(seen.containsKey("OrderCanceled.FILL_OR_KILL"), "no triggered fill-or-kill order was canceled");
    }

    @Test
    void icebergsEverywhere() {
        runSmall(icebergs());
    }

    @Test
    void reduceOnlyAndPositions() {
        runSmall(reduceOnly());
    }

    @Test
    void postOnlyAndAmendsHeavy() {
        runSmall(postOnly());
    }

    @Test
    void priceEdgesSmallCapacityAndSizeLimits() {
        Map<String, Integer> seen = runSmall(edges());
        assertTrue(seen.containsKey("CommandRejected.PLACE_ORDER.BOOK_FULL"), "the edges mix never filled the book");
        assertTrue(seen.containsKey("CommandRejected.PLACE_ORDER.QUANTITY_BELOW_MIN"), "no QUANTITY_BELOW_MIN");
        assertTrue(seen.containsKey("CommandRejected.AMEND_ORDER.QUANTITY_BELOW_MIN"), "no amend QUANTITY_BELOW_MIN");
    }

    @Test
    void deepBookWithManyLevelsAndWaitingOrders() {
        for (long seed : SMALL_SEEDS) {
            run(seed, deep(), DEEP_COMMANDS);
        }
    }

    @Test
    void wideBandHighPricesAndFarMarks() {
        Map<String, Integer> seen = runSmall(band());
        assertTrue(seen.containsKey("CommandRejected.AMEND_ORDER.PRICE_OUTSIDE_BAND"),
                "no amend PRICE_OUTSIDE_BAND");
    }

    private static Mix narrow() {
        return Mix.standard().named("narrow").accounts(6).prices(500, 3).quantities(8).targetBook(80);
    }

    private static Mix selfTrades() {
        return Mix.standard().named("stp").accounts(3).prices(2_000, 6).stpPct(85).icebergPct(20);
    }

    private static Mix conditional() {
        // No reduce-only orders here, so that conditional fill-or-kill orders stay in (see the exclusions below).
        return Mix.standard().named("conditional").weights(30, 5, 35, 10, 2, 10, 12, 3, 2).prices(5_000, 10)
                .reduceOnlyPct(0);
    }

    private static Mix icebergs() {
        return Mix.standard().named("iceberg").icebergPct(60).quantities(40).prices(1_000, 5);
    }

    private static Mix reduceOnly() {
        return Mix.standard().named("reduce-only").accounts(5).reduceOnlyPct(45).prices(3_000, 5);
    }

    private static Mix postOnly() {
        return Mix.standard().named("post-only").postOnlyPct(50).weights(40, 4, 6, 10, 2, 30, 4, 2, 2).prices(800, 4);
    }

    private static Mix edges() {
        return Mix.standard().named("edges").spec(TINY).maxOpenOrders(30).targetBook(100).prices(12, 12)
                .quantities(35).postOnlyPct(30);
    }

    /** Hundreds of levels per side and many waiting stops; a tiny preallocation makes the real book grow its pools. */
    private static Mix deep() {
        return Mix.standard().named("deep").weights(50, 3, 18, 3, 0, 12, 5, 3, 2).prices(100_000, 900).passivePct(90)
                .icebergPct(5).postOnlyPct(5).targetBook(900).expectedOrders(16);
    }

    private static Mix band() {
        return Mix.standard().named("band").spec(WIDE).prices(3_000_000_000L, 4_000).farMarkPct(30);
    }

    // ------------------------------------------------------------------------------------------------ driver

    private static Map<String, Integer> runSmall(Mix mix) {
        Map<String, Integer> seen = new TreeMap<>();
        for (long seed : SMALL_SEEDS) {
            run(seed, mix, SMALL_COMMANDS).forEach((k, v) -> seen.merge(k, v, Integer::sum));
        }
        return seen;
    }

    /** Runs {@code commands} random commands against both books; returns how often each outcome occurred. */
    private static Map<String, Integer> run(long seed, Mix mix, int commands) {
        Driver driver = new Driver(seed, mix);
        for (int i = 0; i < commands; i++) {
            driver.step(i);
        }
        driver.comparePositions();
        return driver.seen;
    }

    private enum Kind { PLACE, CANCEL, CANCEL_ALL, AMEND, MARK, EXPIRE }

    /** One generated command. {@code value} is the account, mark price or time for the commands that take one. */
    private record Op(Kind kind, long sequence, long timestamp, Command command, long value) {
        @Override
        public String toString() {
            switch (kind) {
                case CANCEL_ALL:
                    return "cancelAll(account=" + value + ") seq=" + sequence + " ts=" + timestamp;
                case MARK:
                    return "setMarkPrice(" + value + ") seq=" + sequence + " ts=" + timestamp;
                case EXPIRE:
                    return "expireDue(" + value + ") seq=" + sequence + " ts=" + timestamp;
                default:
                    return kind.name().toLowerCase() + "(" + command + ")";
            }
        }
    }

    /** Drives one seeded run: generates commands from the reference's state, applies them to both books, compares. */
    private static final class Driver {
        private final long seed;
        private final Mix mix;
        private final InstrumentSpec spec;
        private final SplittableRandom random;
        /** Its own stream, so that the commands generated are those of the seed with or without prefetching. */
        private final SplittableRandom prefetchIds;
        private final EventRecorder bookEvents = new EventRecorder();
        private final EventRecorder refEvents = new EventRecorder();
        private final NetPositions positions = new NetPositions();
        private final OrderBook book;
        private final ReferenceBook ref;
        private final Deque<Op> recent = new ArrayDeque<>();
        /** What the run produced, by event type and reason, so that a test can insist every path was taken. */
        private final Map<String, Integer> seen = new TreeMap<>();
        private long sequence;
        private long timestamp = 1_000_000L;
        private long nextOrderId;
        private long mid;

        Driver(long seed, Mix mix) {
            this.seed = seed;
            this.mix = mix;
            this.spec = mix.spec;
            this.random = new SplittableRandom(seed);
            this.prefetchIds = new SplittableRandom(~seed);
            this.book = new OrderBook(spec, bookEvents, positions, mix.expectedOrders, mix.maxOpenOrders);
            this.ref = new ReferenceBook(spec, refEvents, mix.maxOpenOrders);
            this.mid = mix.mid;
        }

        void step(int index) {
            sequence++;
            timestamp += 1 + random.nextLong(mix.timeStep);
            if (random.nextInt(100) < 3) {
                mid = clamp(mid + random.nextLong(-2, 3), Math.max(1, mix.mid - mix.halfRange),
                        mix.mid + mix.halfRange);
            }
            Op op = generate();
            recent.addLast(op);
            if (recent.size() > 12) {
                recent.removeFirst();
            }
            book.setContext(sequence, timestamp);
            ref.setContext(sequence, timestamp);
            try {
                apply(op);
            } catch (RuntimeException e) {
                fail(describe(index, op, "exception " + e, refEvents.drain(), bookEvents.drain()), e);
            }
            List<Event> actual = bookEvents.drain();
            List<Event> expected = refEvents.drain();
            tally(actual);
            if (!actual.equals(expected)) {
                fail(describe(index, op, "event lists differ", expected, actual));
            }
            if (index % mix.hashEvery == 0) {
                StateHasher bookHash = new StateHasher();
                StateHasher refHash = new StateHasher();
                book.hashState(bookHash);
                ref.hashState(refHash);
                if (bookHash.value() != refHash.value()) {
                    fail(describe(index, op, "state hashes differ: book " + StateHasher.hex(bookHash.value())
                            + " reference " + StateHasher.hex(refHash.value()), expected, actual));
                }
            }
        }

        private void tally(List<Event> events) {
            for (Event e : events) {
                String key = e.getClass().getSimpleName();
                if (e instanceof Event.CommandRejected r) {
                    key += "." + r.command() + "." + r.reason();
                } else if (e instanceof Event.OrderCanceled x) {
                    key += "." + x.reason();
                } else if (e instanceof Event.BookOrderChanged x) {
                    key += "." + x.action();
                }
                seen.merge(key, 1, Integer::sum);
            }
        }

        void comparePositions() {
            for (long account = 1; account <= mix.accounts; account++) {
                assertEquals(ref.netPosition(account), positions.netPosition(account),
                        "seed=" + seed + " mix=" + mix.name + ": net position of account " + account);
            }
            assertEquals(0, positions.sum(), "seed=" + seed + " mix=" + mix.name + ": positions must net to zero");
        }

        /**
         * The reference first, so that its events are there to compare when the real book throws. The real book is
         * first asked to prefetch the command's order id and a random one (as the engine does for the next command of
         * a batch): the comparison after every command shows that prefetching changes nothing, for any id.
         */
        private void apply(Op op) {
            for (int step = OrderBook.PREFETCH_STEPS + 1; step >= 0; step--) {
                if (op.command != null) {
                    book.prefetch(op.command.orderId, step);
                }
                book.prefetch(prefetchIds.nextLong(-2, nextOrderId + 2), step);
            }
            switch (op.kind) {
                case PLACE:
                    ref.place(op.command);
                    book.place(op.command);
                    break;
                case CANCEL:
                    ref.cancel(op.command);
                    book.cancel(op.command);
                    break;
                case CANCEL_ALL:
                    ref.cancelAll(op.value);
                    book.cancelAll(op.value);
                    break;
                case AMEND:
                    ref.amend(op.command);
                    book.amend(op.command);
                    break;
                case MARK:
                    ref.setMarkPrice(op.value);
                    book.setMarkPrice(op.value);
                    break;
                case EXPIRE:
                    ref.expireDue(op.value);
                    book.expireDue(op.value);
                    break;
                default:
                    throw new IllegalStateException("unknown kind " + op.kind);
            }
        }

        private String describe(int index, Op op, String what, List<Event> expected, List<Event> actual) {
            StringBuilder sb = new StringBuilder();
            sb.append("DIFFERENTIAL MISMATCH (").append(what).append(")\n  seed=").append(seed).append(" mix=")
                    .append(mix.name).append(" command index=").append(index).append("\n  command: ").append(op)
                    .append("\n  recent commands (oldest first):\n");
            for (Op previous : recent) {
                sb.append("    ").append(previous).append('\n');
            }
            int first = 0;
            while (first < expected.size() && first < actual.size() && expected.get(first).equals(actual.get(first))) {
                first++;
            }
            sb.append("  first differing event index: ").append(first).append('\n');
            sb.append("  reference events:\n");
            for (int i = 0; i < expected.size(); i++) {
                sb.append(i == first ? "  > " : "    ").append(expected.get(i)).append('\n');
            }
            sb.append("  OrderBook events:\n");
            for (int i = 0; i < actual.size(); i++) {
                sb.append(i == first ? "  > " : "    ").append(actual.get(i)).append('\n');
            }
            return sb.toString();
        }

        // -------------------------------------------------------------------------------------------- generation

        private Op generate() {
            int open = ref.openOrderCount();
            int roll = random.nextInt(mix.totalWeight());
            if (open > mix.targetBook && random.nextInt(100) < 40) {
                return random.nextInt(10) == 0 ? cancelAllOp() : cancelOp();
            }
            int[] w = mix.weights;
            if ((roll -= w[0]) < 0) {
                return placeOp(random.nextInt(100) < 50 ? OrderType.LIMIT : plainOrStopLimit());
            }
            if ((roll -= w[1]) < 0) {
                return placeOp(OrderType.MARKET);
            }
            if ((roll -= w[2]) < 0) {
                OrderType[] conditional = {OrderType.STOP_MARKET, OrderType.STOP_LIMIT, OrderType.TAKE_PROFIT_MARKET,
                    OrderType.TAKE_PROFIT_LIMIT};
                return placeOp(conditional[random.nextInt(conditional.length)]);
            }
            if ((roll -= w[3]) < 0) {
                return cancelOp();
            }
            if ((roll -= w[4]) < 0) {
                return cancelAllOp();
            }
            if ((roll -= w[5]) < 0) {
                return amendOp();
            }
            if ((roll -= w[6]) < 0) {
                return markOp();
            }
            if ((roll -= w[7]) < 0) {
                return new Op(Kind.EXPIRE, sequence, timestamp, null, expiryProbeTime());
            }
            return invalidPlaceOp();
        }

        private OrderType plainOrStopLimit() {
            return random.nextInt(100) < 90 ? OrderType.LIMIT : OrderType.STOP_LIMIT;
        }

        private long expiryProbeTime() {
            int r = random.nextInt(10);
            if (r == 0) {
                return timestamp - random.nextLong(mix.timeStep * 10);
            }
            return r == 1 ? timestamp + random.nextLong(mix.timeStep * 50) : timestamp;
        }

        private Command base(CommandType type, long account) {
            Command c = new Command().reset();
            c.type = type;
            c.sequence = sequence;
            c.timestamp = timestamp;
            c.instrument = spec.id();
            c.account = account;
            return c;
        }

        private long randomAccount() {
            return 1 + random.nextInt(mix.accounts);
        }

        private Op placeOp(OrderType type) {
            long account = randomAccount();
            Command c = base(CommandType.PLACE_ORDER, account);
            c.orderId = ++nextOrderId;
            c.orderType = type;
            c.side = random.nextBoolean() ? Side.BUY : Side.SELL;
            if (random.nextInt(100) < mix.reduceOnlyPct) {
                c.reduceOnly = true;
                long position = ref.netPosition(account);
                if (position != 0 && random.nextInt(100) < 85) {
                    c.side = position > 0 ? Side.SELL : Side.BUY;
                }
            }
            c.quantity = quantity();
            if (random.nextInt(100) < 60) {
                c.clientOrderId = 1 + random.nextInt(mix.clientIds);
            }
            c.timeInForce = timeInForce(type);
            if (c.timeInForce == TimeInForce.GTD) {
                c.expireAt = random.nextInt(100) < 4 ? timestamp - random.nextLong(3)
                        : timestamp + 1 + random.nextLong(mix.timeStep * mix.gtdHorizonSteps);
            } else if (random.nextInt(1000) < 5) {
                c.expireAt = timestamp + 100;
            }
            if (type.hasLimitPrice()) {
                c.price = limitPrice(c.side);
            }
            if (type.isConditional()) {
                int r = random.nextInt(100);
                c.triggerSource = r < 53 ? TriggerSource.LAST : r < 98 ? TriggerSource.MARK : null;
                c.triggerPrice = triggerPrice(type, c.side, c.triggerSource);
                if (type.hasLimitPrice() && random.nextBoolean()) {
                    c.price = clampPrice(c.triggerPrice + random.nextLong(-mix.halfRange / 2 - 1, mix.halfRange / 2 + 2));
                }
            } else if (random.nextInt(100) < 2) {
                c.triggerSource = random.nextBoolean() ? TriggerSource.MARK : null;
            }
            if (random.nextInt(100) < mix.icebergPct) {
                c.displayQuantity = c.quantity > 1 ? 1 + random.nextLong(c.quantity - 1) : 1;
            }
            if (random.nextInt(100) < mix.postOnlyPct) {
                c.postOnly = random.nextBoolean() ? PostOnly.REJECT : PostOnly.SLIDE;
                if (type == OrderType.LIMIT && random.nextBoolean()) {
                    c.price = aggressivePrice(c.side, c.price);
                }
            } else if (random.nextInt(200) == 0) {
                c.postOnly = null;
            }
            c.selfTradePrevention = selfTradePrevention();
            if (random.nextInt(1000) < 3) {
                c.orderId = existingOrderId(c.orderId);
            }
            return new Op(Kind.PLACE, sequence, timestamp, c, 0);
        }

        private SelfTradePrevention selfTradePrevention() {
            if (random.nextInt(100) >= mix.stpPct) {
                return random.nextInt(300) == 0 ? null : SelfTradePrevention.NONE;
            }
            SelfTradePrevention[] modes = {SelfTradePrevention.EXPIRE_MAKER, SelfTradePrevention.EXPIRE_TAKER,
                SelfTradePrevention.EXPIRE_BOTH, SelfTradePrevention.DECREMENT};
            return modes[random.nextInt(modes.length)];
        }

        private TimeInForce timeInForce(OrderType type) {
            int r = random.nextInt(100);
            if (!type.hasLimitPrice()) {
                if (r < 2) {
                    return TimeInForce.GTC;
                }
                return r < 60 ? TimeInForce.IOC : TimeInForce.FOK;
            }
            if (r < 100 - mix.gtdPct - mix.iocPct - mix.fokPct) {
                return TimeInForce.GTC;
            }
            r -= 100 - mix.gtdPct - mix.iocPct - mix.fokPct;
            if (r < mix.gtdPct) {
                return TimeInForce.GTD;
            }
            return r < mix.gtdPct + mix.iocPct ? TimeInForce.IOC : TimeInForce.FOK;
        }

        private long quantity() {
            int r = random.nextInt(100);
            if (r < 3) {
                return 1;
            }
            if (r < 6) {
                return mix.maxQuantity * 3;
            }
            return 1 + random.nextLong(mix.maxQuantity);
        }

        private long limitPrice(Side side) {
            if (random.nextInt(100) < 3) {
                long far = Math.max(1, mid * (random.nextBoolean() ? 12 : 8) / 10);
                return clampPrice(far);
            }
            if (random.nextInt(100) < mix.passivePct) {
                // Passive: builds depth on both sides of the mid.
                long depth = 1 + random.nextLong(mix.halfRange);
                return clampPrice(side == Side.BUY ? mid - depth : mid + depth);
            }
            return clampPrice(mid + random.nextLong(-mix.halfRange, mix.halfRange + 1));
        }

        private long aggressivePrice(Side side, long fallback) {
            long opposite = side == Side.BUY ? ref.bestAsk() : ref.bestBid();
            if (opposite == 0) {
                return fallback;
            }
            return clampPrice(side == Side.BUY ? opposite + random.nextLong(3) : opposite - random.nextLong(3));
        }

        private long triggerPrice(OrderType type, Side side, TriggerSource source) {
            long reference = source == TriggerSource.MARK ? ref.markPrice() : ref.lastTradePrice();
            if (reference == 0) {
                reference = mid;
            }
            boolean rises = (type == OrderType.STOP_MARKET || type == OrderType.STOP_LIMIT) == (side == Side.BUY);
            long distance = random.nextLong(mix.halfRange + 2);
            if (random.nextInt(100) < 5) {
                distance = -distance;
            }
            return clampPrice(rises ? reference + distance : reference - distance);
        }

        private long clampPrice(long price) {
            return clamp(price, 1, spec.maxPrice());
        }

        private static long clamp(long value, long low, long high) {
            return Math.max(low, Math.min(high, value));
        }

        private long existingOrderId(long fallback) {
            List<OrderView> open = ref.openOrders();
            return open.isEmpty() ? fallback : open.get(random.nextInt(open.size())).orderId();
        }

        /** A place with exactly one deliberately bad field (or an unusual but legal one). */
        private Op invalidPlaceOp() {
            OrderType[] types = OrderType.values();
            Op op = placeOp(types[random.nextInt(types.length)]);
            Command c = op.command;
            switch (random.nextInt(20)) {
                case 0:
                    c.account = random.nextBoolean() ? 0 : -7;
                    break;
                case 1:
                    c.orderId = random.nextBoolean() ? 0 : -3;
                    break;
                case 2:
                    c.orderId = existingOrderId(c.orderId);
                    break;
                case 3:
                    c.side = null;
                    break;
                case 4:
                    c.orderType = null;
                    break;
                case 5:
                    c.timeInForce = null;
                    break;
                case 6:
                    c.quantity = random.nextBoolean() ? 0 : -5;
                    break;
                case 7:
                    c.quantity = spec.maxQuantity() + 1;
                    break;
                case 8:
                    c.price = random.nextBoolean() ? -1 : 0;
                    break;
                case 9:
                    c.price = spec.maxPrice() + 1;
                    break;
                case 10:
                    c.price = c.orderType.hasLimitPrice() ? c.price : 5;
                    break;
                case 11:
                    c.triggerPrice = random.nextBoolean() ? mid : -2;
                    break;
                case 12:
                    c.triggerPrice = spec.maxPrice() + 1;
                    break;
                case 13:
                    c.expireAt = random.nextBoolean() ? timestamp : timestamp + 5;
                    break;
                case 14:
                    c.displayQuantity = random.nextBoolean() ? -1 : c.quantity;
                    break;
                case 15:
                    c.postOnly = random.nextBoolean() ? PostOnly.SLIDE : PostOnly.REJECT;
                    break;
                case 16:
                    c.reduceOnly = mix.reduceOnlyPct > 0;
                    break;
                case 17:
                    c.clientOrderId = duplicateClientId(c);
                    break;
                case 18:
                    c.timeInForce = TimeInForce.values()[random.nextInt(4)];
                    break;
                default:
                    c.quantity = spec.minQuantity() - 1;
                    break;
            }
            return op;
        }

        private long duplicateClientId(Command c) {
            for (OrderView o : ref.openOrders()) {
                if (o.clientOrderId() != 0) {
                    c.account = o.account();
                    return o.clientOrderId();
                }
            }
            return c.clientOrderId;
        }

        private Op cancelOp() {
            Command c = base(CommandType.CANCEL_ORDER, randomAccount());
            List<OrderView> open = ref.openOrders();
            int r = random.nextInt(100);
            if (r < 60 && !open.isEmpty()) {
                OrderView target = open.get(random.nextInt(open.size()));
                c.orderId = target.orderId();
                c.account = random.nextInt(100) < 8 ? target.account() % mix.accounts + 1 : target.account();
                if (random.nextBoolean()) {
                    c.clientOrderId = target.clientOrderId();
                }
            } else if (r < 82) {
                OrderView target = open.isEmpty() ? null : open.get(random.nextInt(open.size()));
                if (target != null && target.clientOrderId() != 0) {
                    c.account = target.account();
                    c.clientOrderId = target.clientOrderId();
                } else {
                    c.clientOrderId = 1 + random.nextInt(mix.clientIds);
                }
            } else if (r < 92) {
                c.orderId = 1 + random.nextLong(Math.max(1, nextOrderId + 5));
            } else {
                int bad = random.nextInt(3);
                if (bad == 0) {
                    c.account = 0;
                    c.orderId = 1 + random.nextLong(Math.max(1, nextOrderId));
                } else if (bad == 1) {
                    c.orderId = -1;
                }
            }
            return new Op(Kind.CANCEL, sequence, timestamp, c, 0);
        }

        private Op cancelAllOp() {
            long account = random.nextInt(100) < 3 ? -random.nextInt(2) : randomAccount();
            return new Op(Kind.CANCEL_ALL, sequence, timestamp, null, account);
        }

        private Op markOp() {
            int r = random.nextInt(100);
            long mark;
            if (r < 4) {
                mark = r < 2 ? 0 : -3;
            } else if (r < 6) {
                mark = spec.maxPrice() + 1;
            } else if (r < 6 + mix.farMarkPct / 3) {
                mark = clampPrice(mid * (random.nextBoolean() ? 13 : 7) / 10);
            } else {
                mark = clampPrice(mid + random.nextLong(-2 * mix.halfRange - 1, 2 * mix.halfRange + 2));
            }
            return new Op(Kind.MARK, sequence, timestamp, null, mark);
        }

        private Op amendOp() {
            List<OrderView> open = ref.openOrders();
            Command c = base(CommandType.AMEND_ORDER, randomAccount());
            if (open.isEmpty() || random.nextInt(100) < 6) {
                // Mostly unknown or someone else's order; when it names an open order of this account it is an amend.
                c.orderId = 1 + random.nextLong(Math.max(1, nextOrderId + 3));
                c.quantity = 1 + random.nextLong(mix.maxQuantity);
                return new Op(Kind.AMEND, sequence, timestamp, c, 0);
            }
            OrderView o = open.get(random.nextInt(open.size()));
            c.account = random.nextInt(100) < 4 ? o.account() % mix.accounts + 1 : o.account();
            if (o.clientOrderId() != 0 && random.nextInt(100) < 25) {
                c.clientOrderId = o.clientOrderId();
            } else {
                c.orderId = o.orderId();
            }
            int what = random.nextInt(100);
            if (what < 30) {
                c.price = amendedPrice(o);
            } else if (what < 60) {
                c.quantity = amendedQuantity(o);
            } else if (what < 72) {
                c.price = amendedPrice(o);
                c.quantity = amendedQuantity(o);
            } else if (what < 87) {
                c.triggerPrice = o.type().isConditional() || random.nextInt(4) == 0
                        ? triggerPrice(o.type().isConditional() ? o.type() : OrderType.STOP_LIMIT, o.side(),
                        o.triggerSource()) : 0;
                if (random.nextInt(4) == 0) {
                    c.quantity = amendedQuantity(o);
                }
            } else {
                invalidAmend(c, o);
            }
            return new Op(Kind.AMEND, sequence, timestamp, c, 0);
        }

        private long amendedPrice(OrderView o) {
            int r = random.nextInt(100);
            if (r < 25) {
                long opposite = o.side() == Side.BUY ? ref.bestAsk() : ref.bestBid();
                if (opposite != 0) {
                    return clampPrice(o.side() == Side.BUY ? opposite + random.nextLong(3)
                            : opposite - random.nextLong(3));
                }
            }
            long base = o.price() != 0 ? o.price() : mid;
            return clampPrice(base + random.nextLong(-mix.halfRange, mix.halfRange + 1));
        }

        private long amendedQuantity(OrderView o) {
            int r = random.nextInt(100);
            if (r < 8) {
                return Math.max(1, o.filled());
            }
            if (r < 55) {
                long open = o.quantity() - o.filled();
                return open > 1 ? o.filled() + 1 + random.nextLong(open - 1) : o.quantity();
            }
            return o.quantity() + 1 + random.nextLong(mix.maxQuantity);
        }

        private void invalidAmend(Command c, OrderView o) {
            switch (random.nextInt(9)) {
                case 0:
                    c.price = -1;
                    break;
                case 1:
                    c.quantity = -2;
                    break;
                case 2:
                    c.triggerPrice = -4;
                    break;
                case 3:
                    c.price = spec.maxPrice() + 1;
                    break;
                case 4:
                    c.quantity = spec.maxQuantity() + 1;
                    break;
                case 5:
                    c.price = o.price();
                    c.quantity = o.quantity();
                    c.triggerPrice = o.triggerPrice();
                    break;
                case 6:
                    c.triggerPrice = spec.maxPrice() + 1;
                    break;
                case 7:
                    c.account = 0;
                    break;
                default:
                    // Nothing at all: AMEND_NOTHING, or INVALID_ORDER_ID when named by neither id.
                    if (random.nextBoolean()) {
                        c.orderId = 0;
                        c.clientOrderId = 0;
                    }
                    break;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ mixes

    /** Parameters of one generated command stream. */
    private static final class Mix {
        String name = "standard";
        InstrumentSpec spec = PERP;
        int maxOpenOrders = 10_000_000;
        /** Preallocation of the real book; small values make it grow its pools while the run goes on. */
        int expectedOrders = 64;
        int passivePct = 40;
        int accounts = 12;
        int clientIds = 25;
        long mid = 10_000;
        long halfRange = 30;
        long maxQuantity = 20;
        /** place limit, market, conditional, cancel, cancelAll, amend, mark, expire, invalid place. */
        int[] weights = {42, 6, 10, 12, 2, 14, 5, 4, 5};
        int icebergPct = 10;
        int postOnlyPct = 10;
        int reduceOnlyPct = 8;
        int stpPct = 35;
        int gtdPct = 15;
        int iocPct = 12;
        int fokPct = 10;
        int farMarkPct = 6;
        int targetBook = 250;
        long timeStep = 1_000;
        long gtdHorizonSteps = 300;
        int hashEvery = 1;

        static Mix standard() {
            return new Mix();
        }

        int totalWeight() {
            int sum = 0;
            for (int w : weights) {
                sum += w;
            }
            return sum;
        }

        Mix named(String value) {
            name = value;
            return this;
        }

        Mix spec(InstrumentSpec value) {
            spec = value;
            return this;
        }

        Mix maxOpenOrders(int value) {
            maxOpenOrders = value;
            return this;
        }

        Mix accounts(int value) {
            accounts = value;
            return this;
        }

        Mix prices(long midPrice, long half) {
            mid = midPrice;
            halfRange = half;
            return this;
        }

        Mix quantities(long max) {
            maxQuantity = max;
            return this;
        }

        Mix weights(int... values) {
            weights = values;
            return this;
        }

        Mix icebergPct(int value) {
            icebergPct = value;
            return this;
        }

        Mix postOnlyPct(int value) {
            postOnlyPct = value;
            return this;
        }

        Mix reduceOnlyPct(int value) {
            reduceOnlyPct = value;
            return this;
        }

        Mix stpPct(int value) {
            stpPct = value;
            return this;
        }

        Mix farMarkPct(int value) {
            farMarkPct = value;
            return this;
        }

        Mix expectedOrders(int value) {
            expectedOrders = value;
            return this;
        }

        Mix passivePct(int value) {
            passivePct = value;
            return this;
        }

        Mix targetBook(int value) {
            targetBook = value;
            return this;
        }
    }
}
