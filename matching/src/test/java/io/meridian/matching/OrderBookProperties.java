package io.meridian.matching;

import io.meridian.model.CancelReason;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.FixedPoint;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.L3Action;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.model.event.Event;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Property tests of {@link OrderBook}: random command scripts (every order type and flag, cancels, amends,
 * cancel-all, mark changes, time ticks) over a small price range and a few accounts, with the book's invariants
 * checked against the events after every command. Scripts are drawn from jqwik's seeded {@link Random}, so a
 * failure's seed (printed by jqwik) reproduces it; the shrunk sample is the script, one op per command.
 *
 * <p>What is checked, after every command or at every event:
 * <ul>
 * <li>the book is never crossed;</li>
 * <li>per order: accepted quantity + amendments = filled + open + canceled + expired, and every event's
 * remaining/canceled/expired quantity agrees with that account; the book's view of each open order agrees;</li>
 * <li>each trade is a maker fill, then a taker fill with the same trade id, then the trade, at the maker's resting
 * price, on opposite sides, trade ids consecutive;</li>
 * <li>price-time priority: every maker fill is against the head of the best level of its side;</li>
 * <li>limit takers never trade through their limit; market takers stay inside the protection band; post-only
 * orders never take; reduce-only fills never open or grow a position; IOC, FOK and market orders never rest;</li>
 * <li>net positions sum to zero and match the fills;</li>
 * <li>L2 and L3 sequence numbers go up by exactly one per event, the L2 book rebuilt from the deltas equals the
 * book's levels, the L3 book rebuilt from its deltas equals the book's queues, and each L2 delta agrees with L3;</li>
 * <li>triggers fire only when crossed, in the documented priority, and no waiting order is left due;</li>
 * <li>GTD orders expire at or after their expiry, earliest first, and none is left due after a tick;</li>
 * <li>a rejected command emits only the reject and leaves the state hash unchanged.</li>
 * </ul>
 */
class OrderBookProperties {
    private static final int TRIES = 200;
    private static final int MAX_COMMANDS = 300;
    private static final long PROTECTION_PPM = 20_000;

    /** Shape of the random scripts: price range, accounts, and how often icebergs and self-trade modes appear. */
    record Profile(long low, long high, int accounts, int icebergPercent, int selfTradePercent) {
    }

    private static final Profile WIDE = new Profile(96, 104, 4, 15, 25);
    private static final Profile NARROW = new Profile(99, 101, 2, 35, 60);

    // ------------------------------------------------------------------------------------------------ properties

    @Property(tries = TRIES)
    void invariantsHoldAfterEveryCommand(@ForAll("wideScripts") List<Op> script) {
        new Run().execute(script);
    }

    @Property(tries = TRIES)
    void invariantsHoldInANarrowBookOfIcebergsAndSelfTrades(@ForAll("narrowScripts") List<Op> script) {
        new Run().execute(script);
    }

    @Property(tries = 50)
    void replayGivesTheSameEventsAndState(@ForAll("wideScripts") List<Op> script) {
        Run first = new Run();
        first.execute(script);
        Run second = new Run();
        second.execute(script);
        if (!first.allEvents.equals(second.allEvents) || first.fx.hash() != second.fx.hash()) {
            throw new AssertionError("two runs of the same script differ");
        }
    }

    /**
     * Fill-or-kill atomicity (an accepted FOK order fills completely within its command or not at all) on a narrow,
     * crowded book where icebergs, self-trade prevention and reduce-only makers meet FOK orders often.
     */
    @Property(tries = TRIES)
    void fillOrKillOrdersFillCompletelyOrNotAtAll(@ForAll("narrowScripts") List<Op> script) {
        new Run().execute(script);
    }

    @Provide
    Arbitrary<List<Op>> wideScripts() {
        return scripts(WIDE);
    }

    @Provide
    Arbitrary<List<Op>> narrowScripts() {
        return scripts(NARROW);
    }

    private static Arbitrary<List<Op>> scripts(Profile profile) {
        return Arbitraries.randomValue(random -> randomOp(random, profile)).list().ofMinSize(1).ofMaxSize(MAX_COMMANDS)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    static InstrumentSpec spec() {
        return BookFixture.defaultSpec().withPriceBandPpm(80_000).withMarketProtectionPpm(PROTECTION_PPM);
    }

    // ------------------------------------------------------------------------------------------------ script

    /** One command of a script. Targets of cancels and amends are resolved against the open orders at run time. */
    sealed interface Op permits Place, Cancel, CancelAll, Amend, Mark, Tick {
    }

    /**
     * A new order. {@code triggerOffset} > 0 places the trigger that many ticks on the not-yet-crossed side of the
     * current reference price (else {@code trigger} is used as is); {@code towardReduce} turns a reduce-only order
     * to the side that reduces the account's position, when it has one.
     */
    record Place(long account, Side side, OrderType type, TimeInForce tif, long price, long quantity, long trigger,
                 int triggerOffset, TriggerSource source, long display, PostOnly postOnly, boolean reduceOnly,
                 boolean towardReduce, SelfTradePrevention stp, long clientId, int expirySteps) implements Op {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("place(a").append(account).append(' ').append(side).append(' ')
                    .append(type).append(' ').append(tif).append(" px=").append(price).append(" q=").append(quantity);
            if (triggerOffset != 0) {
                sb.append(" trig=ref").append(type.firesOnRise(side) ? '+' : '-').append(triggerOffset).append('/')
                        .append(source);
            } else if (trigger != 0) {
                sb.append(" trig=").append(trigger).append('/').append(source);
            }
            if (display != 0) {
                sb.append(" disp=").append(display);
            }
            if (postOnly != PostOnly.NONE) {
                sb.append(" post=").append(postOnly);
            }
            if (reduceOnly) {
                sb.append(towardReduce ? " ro(reducing side)" : " ro");
            }
            if (stp != SelfTradePrevention.NONE) {
                sb.append(" stp=").append(stp);
            }
            if (clientId != 0) {
                sb.append(" cid=").append(clientId);
            }
            if (tif == TimeInForce.GTD) {
                sb.append(" exp=+").append(expirySteps);
            }
            return sb.append(')').toString();
        }
    }

    record Cancel(int target, boolean byClientId, boolean wrongAccount) implements Op {
    }

    record CancelAll(long account) implements Op {
    }

    /**
     * Amends an open order. Unless {@code odd}, a price is only sent to orders with a limit price and a trigger
     * only to waiting conditional orders; odd amends send everything as generated, to provoke rejects.
     */
    record Amend(int target, long price, long quantity, long trigger, boolean byClientId, boolean wrongAccount,
                 boolean odd) implements Op {
    }

    record Mark(long price) implements Op {
    }

    /** Advances the clock by {@code steps} extra command steps and expires what is due. */
    record Tick(int steps) implements Op {
    }

    static Op randomOp(Random r, Profile p) {
        int roll = r.nextInt(100);
        if (roll < 55) {
            return randomPlace(r, p);
        }
        if (roll < 67) {
            return new Cancel(r.nextInt(1_000), r.nextInt(5) == 0, r.nextInt(25) == 0);
        }
        if (roll < 80) {
            long price = r.nextBoolean() ? 0 : between(r, p.low(), p.high());
            long quantity = r.nextBoolean() ? 0 : 1 + r.nextInt(12);
            long trigger = r.nextInt(4) == 0 ? between(r, p.low() - 1, p.high() + 1) : 0;
            if (price == 0 && quantity == 0 && trigger == 0 && r.nextInt(4) != 0) {
                quantity = 1 + r.nextInt(12);
            }
            return new Amend(r.nextInt(1_000), price, quantity, trigger, r.nextInt(7) == 0, r.nextInt(30) == 0,
                    r.nextInt(10) == 0);
        }
        if (roll < 83) {
            return new CancelAll(1 + r.nextInt(p.accounts()));
        }
        if (roll < 92) {
            return new Mark(between(r, p.low() - 2, p.high() + 2));
        }
        return new Tick(r.nextInt(20));
    }

    private static Place randomPlace(Random r, Profile p) {
        long account = 1 + r.nextInt(p.accounts());
        Side side = r.nextBoolean() ? Side.BUY : Side.SELL;
        int typeRoll = r.nextInt(100);
        OrderType type;
        if (typeRoll < 55) {
            type = OrderType.LIMIT;
        } else if (typeRoll < 67) {
            type = OrderType.MARKET;
        } else if (typeRoll < 75) {
            type = OrderType.STOP_MARKET;
        } else if (typeRoll < 84) {
            type = OrderType.STOP_LIMIT;
        } else if (typeRoll < 91) {
            type = OrderType.TAKE_PROFIT_MARKET;
        } else {
            type = OrderType.TAKE_PROFIT_LIMIT;
        }
        TimeInForce tif;
        int tifRoll = r.nextInt(100);
        if (r.nextInt(50) == 0) {
            tif = TimeInForce.values()[r.nextInt(TimeInForce.values().length)];
        } else if (type.hasLimitPrice()) {
            tif = tifRoll < 50 ? TimeInForce.GTC : tifRoll < 65 ? TimeInForce.IOC : tifRoll < 80 ? TimeInForce.FOK
                    : TimeInForce.GTD;
        } else {
            tif = tifRoll < 70 ? TimeInForce.IOC : TimeInForce.FOK;
        }
        long price = type.hasLimitPrice() ? between(r, p.low(), p.high()) : 0;
        if (r.nextInt(60) == 0) {
            price = type.hasLimitPrice() ? 0 : between(r, p.low(), p.high());
        }
        long trigger = type.isConditional() ? between(r, p.low() - 1, p.high() + 1) : 0;
        int triggerOffset = type.isConditional() && r.nextInt(5) != 0 ? 1 + r.nextInt(4) : 0;
        TriggerSource source = type.isConditional() && r.nextInt(3) == 0 ? TriggerSource.MARK : TriggerSource.LAST;
        long quantity = r.nextInt(80) == 0 ? 0 : 1 + r.nextInt(10);
        long display = 0;
        if (type.hasLimitPrice() && tif.rests() && quantity > 1 && r.nextInt(100) < p.icebergPercent()) {
            display = 1 + r.nextInt((int) quantity - 1);
        }
        PostOnly postOnly = PostOnly.NONE;
        if (type == OrderType.LIMIT && tif.rests() && r.nextInt(100) < 12) {
            postOnly = r.nextBoolean() ? PostOnly.REJECT : PostOnly.SLIDE;
        }
        boolean reduceOnly = r.nextInt(100) < 12;
        boolean towardReduce = reduceOnly && r.nextInt(4) != 0;
        SelfTradePrevention stp = SelfTradePrevention.NONE;
        if (r.nextInt(100) < p.selfTradePercent()) {
            stp = SelfTradePrevention.values()[1 + r.nextInt(SelfTradePrevention.values().length - 1)];
        }
        long clientId = r.nextInt(10) < 3 ? 1 + r.nextInt(6) : 0;
        int expirySteps = tif == TimeInForce.GTD ? r.nextInt(41) : 0;
        return new Place(account, side, type, tif, price, quantity, trigger, triggerOffset, source, display, postOnly,
                reduceOnly, towardReduce, stp, clientId, expirySteps);
    }

    private static long between(Random r, long low, long high) {
        return low + r.nextInt((int) (high - low + 1));
    }

    // ------------------------------------------------------------------------------------------------ model

    /** What the events say about one order. */
    static final class Tracked {
        long orderId;
        long account;
        Side side;
        OrderType type;
        TimeInForce tif;
        long price;
        long triggerPrice;
        TriggerSource source;
        boolean reduceOnly;
        PostOnly postOnly;
        long expireAt;
        long arrival;
        long accepted;
        long amendDelta;
        long quantity;
        long filled;
        long canceled;
        long expired;
        boolean open = true;
        boolean waiting;
        /** First fill price of a market taker: the reference of its protection band. */
        long marketReference;

        long remaining() {
            return quantity - filled;
        }
    }

    // ------------------------------------------------------------------------------------------------ run

    /** One script on a fresh book, with the checker fed after every command. */
    static final class Run {
        final BookFixture fx = new BookFixture(spec());
        final List<Event> allEvents = new ArrayList<>();

        private final Map<Long, Tracked> orders = new HashMap<>();
        private final TreeSet<Long> openIds = new TreeSet<>();
        private final Map<Side, TreeMap<Long, long[]>> l2 = Map.of(Side.BUY, new TreeMap<>(), Side.SELL, new TreeMap<>());
        private final Map<Side, TreeMap<Long, LinkedHashSet<Long>>> l3Levels =
                Map.of(Side.BUY, new TreeMap<>(), Side.SELL, new TreeMap<>());
        /** Resting order id to {price, visible}. */
        private final Map<Long, long[]> l3Orders = new HashMap<>();
        private final Map<Long, Long> positions = new HashMap<>();
        private long l2Sequence;
        private long l3Sequence;
        private long tradeId;
        private long lastTrade;
        private long mark;
        private long arrivals;
        private long nextOrderId = 1;
        /** The last command was a time tick: no GTD order may be left due. */
        private boolean tick;

        void execute(List<Op> script) {
            for (int i = 0; i < script.size(); i++) {
                Op op = script.get(i);
                long hashBefore = fx.hash();
                Command placed = apply(op);
                List<Event> events = fx.drain();
                allEvents.addAll(events);
                try {
                    check(placed, events, hashBefore);
                } catch (AssertionError e) {
                    StringBuilder sb = new StringBuilder("invariant broken by command #").append(i).append(' ').append(op)
                            .append(": ").append(e.getMessage()).append("\nevents of that command:");
                    for (Event event : events) {
                        sb.append("\n  ").append(event);
                    }
                    throw new AssertionError(sb.toString(), e);
                }
            }
        }

        // -------------------------------------------------------------------------------------------- commands

        /** Applies the op; returns the PLACE_ORDER command if it was one (to read its flags), else null. */
        private Command apply(Op op) {
            tick = op instanceof Tick;
            if (op instanceof Place p) {
                Command c = new Command().reset();
                c.type = CommandType.PLACE_ORDER;
                c.account = p.account();
                c.instrument = BookFixture.INSTRUMENT;
                c.orderId = nextOrderId++;
                c.clientOrderId = p.clientId();
                c.side = p.side();
                long position = fx.position(p.account());
                if (p.towardReduce() && position != 0) {
                    c.side = position > 0 ? Side.SELL : Side.BUY;
                }
                c.orderType = p.type();
                c.timeInForce = p.tif();
                c.price = p.price();
                c.quantity = p.quantity();
                c.triggerPrice = p.trigger();
                if (p.triggerOffset() > 0) {
                    long reference = p.source() == TriggerSource.MARK ? fx.book.markPrice() : fx.book.lastTradePrice();
                    reference = reference == 0 ? p.trigger() : reference;
                    boolean rise = p.type().firesOnRise(c.side);
                    c.triggerPrice = Math.max(1, rise ? reference + p.triggerOffset() : reference - p.triggerOffset());
                }
                c.triggerSource = p.source();
                c.displayQuantity = p.display();
                c.postOnly = p.postOnly();
                c.reduceOnly = p.reduceOnly();
                c.selfTradePrevention = p.stp();
                c.expireAt = p.tif() == TimeInForce.GTD ? fx.now() + (1 + p.expirySteps()) * BookFixture.STEP : 0;
                fx.place(c);
                return c;
            }
            if (op instanceof Cancel c) {
                Tracked target = target(c.target());
                Command cmd = new Command().cancel(target == null ? 1 : target.account, BookFixture.INSTRUMENT,
                        target == null ? 1_000_000 + c.target() : target.orderId);
                if (target != null && c.byClientId() && fx.book.order(target.orderId).clientOrderId() != 0) {
                    cmd.clientOrderId = fx.book.order(target.orderId).clientOrderId();
                    cmd.orderId = 0;
                }
                if (c.wrongAccount()) {
                    cmd.account++;
                }
                fx.next();
                fx.book.cancel(cmd);
                return null;
            }
            if (op instanceof Amend a) {
                Tracked target = target(a.target());
                Command cmd = new Command().amend(target == null ? 1 : target.account, BookFixture.INSTRUMENT,
                        target == null ? 1_000_000 + a.target() : target.orderId, a.price(), a.quantity());
                cmd.triggerPrice = a.trigger();
                if (target != null && !a.odd()) {
                    cmd.price = target.type.hasLimitPrice() ? a.price() : 0;
                    cmd.triggerPrice = target.waiting ? a.trigger() : 0;
                }
                if (target != null && a.byClientId() && fx.book.order(target.orderId).clientOrderId() != 0) {
                    cmd.clientOrderId = fx.book.order(target.orderId).clientOrderId();
                    cmd.orderId = 0;
                }
                if (a.wrongAccount()) {
                    cmd.account++;
                }
                fx.amend(cmd);
                return null;
            }
            if (op instanceof CancelAll c) {
                fx.cancelAll(c.account());
            } else if (op instanceof Mark m) {
                fx.mark(m.price());
            } else if (op instanceof Tick t) {
                fx.advance(t.steps() * BookFixture.STEP);
                fx.expireDue();
            }
            return null;
        }

        private Tracked target(int index) {
            if (openIds.isEmpty()) {
                return null;
            }
            int i = index % openIds.size();
            for (long id : openIds) {
                if (i-- == 0) {
                    return orders.get(id);
                }
            }
            throw new IllegalStateException();
        }

        // -------------------------------------------------------------------------------------------- checks

        private void check(Command placed, List<Event> events, long hashBefore) {
            boolean rejected = false;
            for (Event e : events) {
                if (e instanceof Event.CommandRejected) {
                    rejected = true;
                }
            }
            if (rejected) {
                expect(events.size() == 1, "a reject is the command's only event");
                expect(fx.hash() == hashBefore, "a reject leaves the state hash unchanged");
                return;
            }
            Map<Long, Long> firstFillOfCommand = new HashMap<>();
            long expiredAt = Long.MIN_VALUE;
            long expiredArrival = Long.MIN_VALUE;
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                expect(e.sequence() == fx.seq() && e.timestamp() == fx.now(), "events carry the command's context");
                if (e instanceof Event.OrderAccepted a) {
                    onAccepted(a, placed);
                } else if (e instanceof Event.OrderFilled f) {
                    expect(f.liquidity() == Liquidity.MAKER, "a trade starts with the maker's fill: " + f);
                    expect(i + 2 < events.size() && events.get(i + 1) instanceof Event.OrderFilled
                            && events.get(i + 2) instanceof Event.TradeExecuted, "maker fill, taker fill, trade");
                    onTrade(f, (Event.OrderFilled) events.get(i + 1), (Event.TradeExecuted) events.get(i + 2));
                    firstFillOfCommand.putIfAbsent(f.orderId(), f.tradeId());
                    firstFillOfCommand.putIfAbsent(((Event.OrderFilled) events.get(i + 1)).orderId(), f.tradeId());
                    i += 2;
                } else if (e instanceof Event.TradeExecuted t) {
                    throw new AssertionError("trade without fills: " + t);
                } else if (e instanceof Event.OrderCanceled c) {
                    Tracked o = open(c.orderId());
                    expect(c.canceledQuantity() == o.remaining() && c.canceledQuantity() > 0, "canceled = open quantity");
                    if (c.reason() == CancelReason.FILL_OR_KILL) {
                        expect(o.tif == TimeInForce.FOK && o.filled == 0, "FILL_OR_KILL only for unfilled FOK");
                    }
                    o.canceled += c.canceledQuantity();
                    close(o);
                } else if (e instanceof Event.OrderExpired x) {
                    Tracked o = open(x.orderId());
                    expect(o.tif == TimeInForce.GTD && o.expireAt <= fx.now(), "only due GTD orders expire");
                    expect(x.expiredQuantity() == o.remaining(), "expired = open quantity");
                    expect(o.expireAt > expiredAt || (o.expireAt == expiredAt && o.arrival > expiredArrival),
                            "earliest expiry first, then arrival");
                    expiredAt = o.expireAt;
                    expiredArrival = o.arrival;
                    o.expired += x.expiredQuantity();
                    close(o);
                } else if (e instanceof Event.OrderAmended a) {
                    Tracked o = open(a.orderId());
                    expect(a.quantity() > o.filled && a.remaining() == a.quantity() - o.filled,
                            "amended remaining = quantity - filled");
                    o.amendDelta += a.quantity() - o.quantity;
                    o.quantity = a.quantity();
                    o.price = a.price();
                    o.triggerPrice = a.triggerPrice();
                } else if (e instanceof Event.OrderTriggered t) {
                    onTriggered(t);
                } else if (e instanceof Event.BookLevelChanged b) {
                    onLevel(b);
                } else if (e instanceof Event.BookOrderChanged b) {
                    onOrderChanged(b);
                } else if (e instanceof Event.MarkPriceChanged m) {
                    mark = m.markPrice();
                } else {
                    throw new AssertionError("unexpected event " + e);
                }
            }
            for (long id : firstFillOfCommand.keySet()) {
                Tracked o = orders.get(id);
                expect(o.tif != TimeInForce.FOK || o.remaining() == 0 && !o.open,
                        "a FOK order that trades fills completely: " + id);
            }
            checkBook();
        }

        private void onAccepted(Event.OrderAccepted a, Command placed) {
            expect(placed != null && placed.orderId == a.orderId(), "accepted order is the placed one");
            expect(!orders.containsKey(a.orderId()), "order ids are new");
            Tracked o = new Tracked();
            o.orderId = a.orderId();
            o.account = a.account();
            o.side = a.side();
            o.type = a.type();
            o.tif = a.timeInForce();
            o.price = a.price();
            o.triggerPrice = a.triggerPrice();
            o.source = placed.triggerSource;
            o.reduceOnly = placed.reduceOnly;
            o.postOnly = placed.postOnly;
            o.expireAt = placed.expireAt;
            o.arrival = ++arrivals;
            o.accepted = a.quantity();
            o.quantity = a.quantity();
            o.waiting = a.type().isConditional();
            expect(a.quantity() == placed.quantity, "accepted quantity");
            if (placed.postOnly == PostOnly.SLIDE) {
                expect(a.side() == Side.BUY ? a.price() <= placed.price : a.price() >= placed.price,
                        "a slide only improves the book");
            } else {
                expect(a.price() == placed.price, "accepted price");
            }
            orders.put(o.orderId, o);
            openIds.add(o.orderId);
        }

        private void onTrade(Event.OrderFilled makerFill, Event.OrderFilled takerFill, Event.TradeExecuted trade) {
            expect(takerFill.liquidity() == Liquidity.TAKER, "second fill is the taker's");
            expect(makerFill.tradeId() == ++tradeId && takerFill.tradeId() == tradeId && trade.tradeId() == tradeId,
                    "one maker and one taker fill per consecutive trade id");
            long q = makerFill.quantity();
            expect(q > 0 && takerFill.quantity() == q && trade.quantity() == q, "same quantity on both sides");
            expect(makerFill.price() == takerFill.price() && trade.price() == makerFill.price(), "same price");
            expect(makerFill.side() != takerFill.side() && trade.takerSide() == takerFill.side(), "opposite sides");
            Tracked maker = open(makerFill.orderId());
            Tracked taker = open(takerFill.orderId());
            expect(maker.orderId != taker.orderId, "an order does not trade with itself");
            // Price-time priority: the maker is resting at the head of the best level of its side.
            long[] resting = l3Orders.get(maker.orderId);
            expect(resting != null, "maker is resting");
            expect(resting[0] == makerFill.price() && maker.price == makerFill.price(), "trade at the maker's price");
            expect(q <= resting[1], "maker fill within its visible quantity");
            TreeMap<Long, LinkedHashSet<Long>> side = l3Levels.get(maker.side);
            long best = maker.side == Side.BUY ? side.lastKey() : side.firstKey();
            expect(best == makerFill.price(), "maker fill at the best level of its side");
            expect(side.get(best).iterator().next() == maker.orderId, "maker fill at the head of its level");
            expect(!l3Orders.containsKey(taker.orderId), "the taker is not resting");
            // The taker's limits.
            expect(taker.postOnly == PostOnly.NONE, "post-only orders never take");
            if (taker.type == OrderType.LIMIT) {
                expect(taker.side == Side.BUY ? makerFill.price() <= taker.price : makerFill.price() >= taker.price,
                        "no trade through the taker's limit");
            } else {
                expect(taker.type == OrderType.MARKET, "takers are limit or market orders: " + taker.type);
                if (taker.marketReference == 0) {
                    taker.marketReference = makerFill.price();
                }
                long ref = taker.marketReference;
                long band = taker.side == Side.BUY
                        ? FixedPoint.mulDivFloor(ref, FixedPoint.PPM + PROTECTION_PPM, FixedPoint.PPM)
                        : FixedPoint.mulDivCeil(ref, FixedPoint.PPM - PROTECTION_PPM, FixedPoint.PPM);
                expect(taker.side == Side.BUY ? makerFill.price() <= band : makerFill.price() >= band,
                        "market order inside its protection band");
            }
            applyFill(maker, makerFill, q);
            applyFill(taker, takerFill, q);
            lastTrade = makerFill.price();
        }

        private void applyFill(Tracked o, Event.OrderFilled f, long q) {
            expect(o.account == f.account() && o.side == f.side(), "fill names the order's account and side");
            long position = positions.getOrDefault(o.account, 0L);
            if (o.reduceOnly) {
                expect(o.side == Side.BUY ? position <= -q : position >= q, "reduce-only fill only reduces: position "
                        + position + ", " + o.side + " " + q);
            }
            positions.put(o.account, position + (o.side == Side.BUY ? q : -q));
            o.filled += q;
            expect(f.remaining() == o.remaining() && o.remaining() >= 0, "fill remaining = quantity - filled");
            if (o.remaining() == 0) {
                close(o);
            }
        }

        private void onTriggered(Event.OrderTriggered t) {
            Tracked o = open(t.orderId());
            expect(o.waiting, "only waiting conditional orders trigger");
            expect(o.triggerPrice == t.triggerPrice(), "trigger price");
            expect(t.triggeredAt() == (o.source == TriggerSource.MARK ? mark : lastTrade), "triggered at the source price");
            expect(isDue(o), "triggered only when crossed");
            Tracked first = null;
            for (long id : openIds) {
                Tracked w = orders.get(id);
                if (w.waiting && isDue(w) && (first == null || firesBefore(w, first))) {
                    first = w;
                }
            }
            expect(first == o, "trigger priority: expected " + (first == null ? "none" : first.orderId));
            o.waiting = false;
            o.type = o.type.triggeredType();
        }

        private boolean isDue(Tracked o) {
            long reference = o.source == TriggerSource.MARK ? mark : lastTrade;
            if (reference == 0) {
                return false;
            }
            return o.type.firesOnRise(o.side) ? o.triggerPrice <= reference : o.triggerPrice >= reference;
        }

        /** Class contract: last rising (lowest first), last falling (highest first), mark rising, mark falling. */
        private static boolean firesBefore(Tracked a, Tracked b) {
            int ca = category(a);
            int cb = category(b);
            if (ca != cb) {
                return ca < cb;
            }
            if (a.triggerPrice != b.triggerPrice) {
                return a.type.firesOnRise(a.side) ? a.triggerPrice < b.triggerPrice : a.triggerPrice > b.triggerPrice;
            }
            return a.arrival < b.arrival;
        }

        private static int category(Tracked o) {
            return (o.source == TriggerSource.MARK ? 2 : 0) + (o.type.firesOnRise(o.side) ? 0 : 1);
        }

        private void onLevel(Event.BookLevelChanged b) {
            expect(b.l2Sequence() == ++l2Sequence, "L2 sequence + 1");
            TreeMap<Long, long[]> side = l2.get(b.side());
            if (b.orderCount() == 0) {
                expect(b.quantity() == 0, "an empty level shows no quantity");
                side.remove(b.price());
            } else {
                expect(b.quantity() > 0 && b.orderCount() > 0, "a level shows something");
                side.put(b.price(), new long[] {b.quantity(), b.orderCount()});
            }
            LinkedHashSet<Long> queue = l3Levels.get(b.side()).get(b.price());
            long visible = 0;
            int count = 0;
            if (queue != null) {
                for (long id : queue) {
                    visible += l3Orders.get(id)[1];
                    count++;
                }
            }
            expect(visible == b.quantity() && count == b.orderCount(), "L2 delta agrees with the L3 book");
        }

        private void onOrderChanged(Event.BookOrderChanged b) {
            expect(b.l3Sequence() == ++l3Sequence, "L3 sequence + 1");
            TreeMap<Long, LinkedHashSet<Long>> side = l3Levels.get(b.side());
            long[] resting = l3Orders.get(b.orderId());
            if (b.action() == L3Action.ADD) {
                Tracked o = open(b.orderId());
                expect(resting == null, "ADD of an order that is not resting");
                expect(o.tif.rests() && o.type == OrderType.LIMIT, "only GTC/GTD limit orders rest");
                expect(o.side == b.side() && o.price == b.price(), "ADD at the order's side and price");
                expect(b.visibleQuantity() > 0 && b.visibleQuantity() <= o.remaining(), "0 < visible <= remaining");
                l3Orders.put(b.orderId(), new long[] {b.price(), b.visibleQuantity()});
                side.computeIfAbsent(b.price(), k -> new LinkedHashSet<>()).add(b.orderId());
            } else {
                expect(resting != null && resting[0] == b.price(), "MODIFY/REMOVE of a resting order at its price");
                if (b.action() == L3Action.MODIFY) {
                    expect(b.visibleQuantity() > 0, "MODIFY keeps something visible");
                    resting[1] = b.visibleQuantity();
                } else {
                    expect(b.visibleQuantity() == 0, "REMOVE shows nothing");
                    l3Orders.remove(b.orderId());
                    LinkedHashSet<Long> queue = side.get(b.price());
                    queue.remove(b.orderId());
                    if (queue.isEmpty()) {
                        side.remove(b.price());
                    }
                }
            }
        }

        private Tracked open(long orderId) {
            Tracked o = orders.get(orderId);
            expect(o != null && o.open, "order " + orderId + " is open");
            return o;
        }

        private void close(Tracked o) {
            o.open = false;
            o.waiting = false;
            openIds.remove(o.orderId);
        }

        /** End-of-command checks of the book against the models built from the events. */
        private void checkBook() {
            OrderBook book = fx.book;
            long bid = book.bestBid();
            long ask = book.bestAsk();
            expect(bid == 0 || ask == 0 || bid < ask, "book not crossed: " + bid + " / " + ask);
            expect(book.l2Sequence() == l2Sequence && book.l3Sequence() == l3Sequence, "sequence counters");
            expect(book.tradeCount() == tradeId && book.lastTradePrice() == lastTrade, "trade counters");
            expect(book.markPrice() == mark, "mark price");
            for (Side s : Side.values()) {
                TreeMap<Long, long[]> levels = l2.get(s);
                expect(book.depth(s) == levels.size(), "L2 depth of " + s);
                List<Long> prices = new ArrayList<>(s == Side.BUY ? levels.descendingKeySet() : levels.keySet());
                for (int d = 0; d < prices.size(); d++) {
                    long price = prices.get(d);
                    expect(book.levelPrice(s, d) == price, "L2 price " + s + "[" + d + "]");
                    expect(book.levelQuantity(s, d) == levels.get(price)[0], "L2 quantity " + s + "@" + price);
                    expect(book.levelOrderCount(s, d) == levels.get(price)[1], "L2 count " + s + "@" + price);
                    List<Long> queue = new ArrayList<>();
                    long total = 0;
                    for (Order o : book.levelOrders(s, d)) {
                        queue.add(o.orderId());
                        total += o.remaining();
                        expect(o.visible() == l3Orders.get(o.orderId())[1], "L3 visible of " + o.orderId());
                        expect(o.visible() > 0 && o.visible() <= o.remaining(), "0 < visible <= remaining");
                    }
                    expect(queue.equals(new ArrayList<>(l3Levels.get(s).get(price))), "L3 queue " + s + "@" + price);
                    expect(book.levelTotalQuantity(s, d) == total, "level total = sum of remaining");
                }
                expect(l3Levels.get(s).keySet().equals(levels.keySet()), "L3 levels = L2 levels on " + s);
            }
            long sum = 0;
            for (Map.Entry<Long, Long> p : positions.entrySet()) {
                expect(fx.position(p.getKey()) == p.getValue(), "position of account " + p.getKey());
                sum += p.getValue();
            }
            expect(sum == 0 && fx.positions.sum() == 0, "positions sum to zero");
            expect(book.openOrders() == openIds.size(), "open order count");
            Set<Long> waiting = new HashSet<>();
            for (Order o : book.waitingConditionalOrders()) {
                waiting.add(o.orderId());
            }
            for (Tracked o : orders.values()) {
                expect(o.accepted + o.amendDelta == o.filled + (o.open ? o.remaining() : 0) + o.canceled + o.expired,
                        "quantity conserved for order " + o.orderId);
                Order live = book.order(o.orderId);
                if (!o.open) {
                    expect(live == null && !l3Orders.containsKey(o.orderId), "closed order " + o.orderId + " is gone");
                    continue;
                }
                expect(live != null, "open order " + o.orderId + " is in the book");
                expect(live.quantity() == o.quantity && live.filled() == o.filled && live.remaining() == o.remaining(),
                        "book's quantities of order " + o.orderId);
                expect(live.price() == o.price && live.triggerPrice() == o.triggerPrice, "book's prices of " + o.orderId);
                expect(o.waiting == waiting.contains(o.orderId), "waiting state of " + o.orderId);
                expect(o.waiting != l3Orders.containsKey(o.orderId), "order " + o.orderId + " rests xor waits");
                expect(o.waiting || o.tif.rests(), "only GTC/GTD orders stay open after their turn: " + o.orderId);
                expect(!o.waiting || !isDue(o), "no conditional order is left due: " + o.orderId);
                expect(o.tif != TimeInForce.GTD || o.expireAt > fx.now() || !tick,
                        "no GTD order is left due after a tick: " + o.orderId);
            }
            expect(waiting.size() + l3Orders.size() == openIds.size(), "open = resting + waiting");
        }

        private static void expect(boolean condition, String what) {
            if (!condition) {
                throw new AssertionError(what);
            }
        }
    }
}
