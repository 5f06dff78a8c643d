package io.meridian.matching.reference;

import io.meridian.model.CancelReason;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.L3Action;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.RejectReason;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A deliberately naive second implementation of the order book contract documented on
 * {@code io.meridian.matching.OrderBook}, for differential testing. It shares no code with the real book: every open
 * order sits in one plain {@link ArrayList}, and every question ("what is the best ask?", "who is first in the queue
 * at 101?", "which stop fires next?") is answered by scanning or sorting that list again. Queue priority is a
 * counter stamped on an order each time it joins the back of a queue. Nothing is pooled, nothing is indexed.
 *
 * <p>Fill-or-kill is decided by really running the match on a throw-away copy of the whole book (which has no
 * listener) and looking whether the taker came out completely filled, rather than by a separate dry-run walk.
 *
 * <p>Slow on purpose; clarity over speed. Use only in tests.
 */
public final class ReferenceBook {

    /** Where an open order currently is. */
    private enum Place {
        /** In a price level queue. */
        BOOK,
        /** Waiting in the trigger book. */
        TRIGGERS,
        /** Registered but momentarily in neither: an amended or triggered order while it trades as a taker. */
        IN_FLIGHT
    }

    /** How a taker's matching ended, when it ended early. */
    private enum Halt {
        NONE, SELF_TRADE, REDUCE_ONLY
    }

    /** One order; plain mutable fields, copied for sandboxes. */
    private static final class Ord {
        long orderId;
        long clientOrderId;
        long account;
        Side side;
        OrderType type;
        TimeInForce tif;
        long price;
        long quantity;
        long filled;
        long remaining;
        long display;
        long visible;
        long trigger;
        TriggerSource source;
        long expireAt;
        PostOnly postOnly;
        boolean reduceOnly;
        SelfTradePrevention stp;
        /** Arrival number in this book: breaks ties for triggers and expiry, and gives cancel-all its order. */
        long arrival;
        /** Time priority inside a price level: a fresh stamp every time the order joins the back of a queue. */
        long queueStamp;
        Place place;

        Ord duplicate() {
            Ord o = new Ord();
            o.orderId = orderId;
            o.clientOrderId = clientOrderId;
            o.account = account;
            o.side = side;
            o.type = type;
            o.tif = tif;
            o.price = price;
            o.quantity = quantity;
            o.filled = filled;
            o.remaining = remaining;
            o.display = display;
            o.visible = visible;
            o.trigger = trigger;
            o.source = source;
            o.expireAt = expireAt;
            o.postOnly = postOnly;
            o.reduceOnly = reduceOnly;
            o.stp = stp;
            o.arrival = arrival;
            o.queueStamp = queueStamp;
            o.place = place;
            return o;
        }

        boolean risesToTrigger() {
            boolean stop = type == OrderType.STOP_MARKET || type == OrderType.STOP_LIMIT;
            return stop ? side == Side.BUY : side == Side.SELL;
        }
    }

    /** What the test driver may look at: a copy of an open order's public fields. */
    public record OrderView(long orderId, long clientOrderId, long account, Side side, OrderType type,
                            TimeInForce timeInForce, long price, long quantity, long filled, long remaining,
                            long displayQuantity, long triggerPrice, TriggerSource triggerSource, boolean resting,
                            PostOnly postOnly, boolean reduceOnly) {
    }

    private static final EngineEvents SILENT = new EngineEvents() {
    };
    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000L);

    private final InstrumentSpec spec;
    private final EngineEvents out;
    private final int maxOpenOrders;

    /** Every open order: resting, waiting for its trigger, or in flight during a command. */
    private final List<Ord> orders = new ArrayList<>();
    /** Net position per account, signed lots. */
    private final Map<Long, Long> positions = new HashMap<>();

    private long sequence;
    private long timestamp;
    private long lastPrice;
    private long markPrice;
    private long trades;
    private long l2Sequence;
    private long l3Sequence;
    private long arrivals;
    private long stamps;
    private boolean tradedInThisCommand;

    public ReferenceBook(InstrumentSpec spec, EngineEvents events, int maxOpenOrders) {
        this.spec = spec;
        this.out = events;
        this.maxOpenOrders = maxOpenOrders;
    }

    public ReferenceBook(InstrumentSpec spec, EngineEvents events) {
        this(spec, events, 10_000_000);
    }

    public void setContext(long sequence, long timestamp) {
        this.sequence = sequence;
        this.timestamp = timestamp;
    }

    // =========================================================================================== commands

    public void place(Command c) {
        RejectReason problem = problemWithNewOrder(c);
        if (problem != null) {
            out.commandRejected(sequence, timestamp, CommandType.PLACE_ORDER, spec.id(), c.orderId, c.clientOrderId,
                    c.account, problem);
            return;
        }
        Ord o = new Ord();
        o.orderId = c.orderId;
        o.clientOrderId = c.clientOrderId;
        o.account = c.account;
        o.side = c.side;
        o.type = c.orderType;
        o.tif = c.timeInForce;
        o.price = c.price;
        o.quantity = c.quantity;
        o.remaining = c.quantity;
        o.display = c.displayQuantity;
        o.trigger = c.triggerPrice;
        o.source = c.triggerSource == null ? TriggerSource.LAST : c.triggerSource;
        o.expireAt = c.expireAt;
        o.postOnly = c.postOnly == null ? PostOnly.NONE : c.postOnly;
        o.reduceOnly = c.reduceOnly;
        o.stp = c.selfTradePrevention == null ? SelfTradePrevention.NONE : c.selfTradePrevention;
        if (o.postOnly == PostOnly.SLIDE && wouldCross(o.side, o.price)) {
            o.price = slidTo(o.side);
        }
        o.arrival = ++arrivals;
        out.orderAccepted(sequence, timestamp, spec.id(), o.orderId, o.clientOrderId, o.account, o.side, o.type,
                o.tif, o.price, o.quantity, o.trigger);
        tradedInThisCommand = false;
        if (o.type.isConditional()) {
            o.place = Place.TRIGGERS;
            orders.add(o);
        } else {
            o.place = Place.IN_FLIGHT;
            takeLiquidity(o);
        }
        if (tradedInThisCommand) {
            fireDueTriggers();
        }
    }

    public void cancel(Command c) {
        Ord o = lookUp(CommandType.CANCEL_ORDER, c);
        if (o == null) {
            return;
        }
        out.orderCanceled(sequence, timestamp, spec.id(), o.orderId, o.clientOrderId, o.account, o.remaining,
                CancelReason.USER);
        takeOut(o);
    }

    public void cancelAll(long account) {
        List<Ord> mine = new ArrayList<>();
        for (Ord o : orders) {
            if (o.account == account) {
                mine.add(o);
            }
        }
        mine.sort(Comparator.comparingLong(o -> o.arrival));
        for (Ord o : mine) {
            out.orderCanceled(sequence, timestamp, spec.id(), o.orderId, o.clientOrderId, o.account, o.remaining,
                    CancelReason.CANCEL_ALL);
            takeOut(o);
        }
    }

    public void amend(Command c) {
        Ord o = lookUp(CommandType.AMEND_ORDER, c);
        if (o == null) {
            return;
        }
        long price = c.price != 0 ? c.price : o.price;
        long quantity = c.quantity != 0 ? c.quantity : o.quantity;
        long trigger = c.triggerPrice != 0 ? c.triggerPrice : o.trigger;
        RejectReason problem = problemWithAmend(c, o, price, quantity, trigger);
        if (problem == null && o.place == Place.BOOK && price != o.price && o.postOnly != PostOnly.NONE
                && wouldCross(o.side, price)) {
            long slid = slidTo(o.side);
            if (o.postOnly == PostOnly.REJECT || !validPrice(slid)) {
                problem = RejectReason.POST_ONLY_WOULD_CROSS;
            } else {
                price = slid;
                if (price == o.price && quantity == o.quantity && trigger == o.trigger) {
                    problem = RejectReason.AMEND_NOTHING;
                }
            }
        }
        if (problem != null) {
            out.commandRejected(sequence, timestamp, CommandType.AMEND_ORDER, spec.id(), o.orderId, o.clientOrderId,
                    o.account, problem);
            return;
        }
        if (o.place == Place.TRIGGERS) {
            o.price = price;
            o.quantity = quantity;
            o.remaining = quantity - o.filled;
            o.trigger = trigger;
            reportAmended(o);
            return;
        }
        tradedInThisCommand = false;
        if (price == o.price && quantity <= o.quantity) {
            // Same price, not larger: shrink where it stands, keeping the queue position.
            long less = o.quantity - quantity;
            o.quantity = quantity;
            o.remaining -= less;
            o.visible = Math.min(o.visible, o.remaining);
            reportAmended(o);
            l3(L3Action.MODIFY, o, o.visible);
            l2(o.side, o.price);
        } else {
            // New price or more size: the order is amended (event first, per the documented order), leaves its
            // queue, and comes back as a taker at its new price.
            long oldPrice = o.price;
            o.place = Place.IN_FLIGHT;
            o.price = price;
            o.quantity = quantity;
            o.remaining = quantity - o.filled;
            o.visible = 0;
            reportAmended(o);
            bookOrderChanged(L3Action.REMOVE, o.orderId, o.side, oldPrice, 0);
            l2(o.side, oldPrice);
            if (wouldCross(o.side, o.price)) {
                takeLiquidity(o);
            } else {
                rest(o);
            }
        }
        if (tradedInThisCommand) {
            fireDueTriggers();
        }
    }

    public void setMarkPrice(long price) {
        if (price <= 0 || price > spec.maxPrice()) {
            out.commandRejected(sequence, timestamp, CommandType.SET_MARK_PRICE, spec.id(), 0, 0, 0,
                    RejectReason.INVALID_MARK_PRICE);
            return;
        }
        markPrice = price;
        out.markPriceChanged(sequence, timestamp, spec.id(), price);
        fireDueTriggers();
    }

    public void expireDue(long now) {
        while (true) {
            Ord first = null;
            for (Ord o : orders) {
                if (o.tif == TimeInForce.GTD && o.expireAt <= now
                        && (first == null || o.expireAt < first.expireAt
                        || (o.expireAt == first.expireAt && o.arrival < first.arrival))) {
                    first = o;
                }
            }
            if (first == null) {
                return;
            }
            out.orderExpired(sequence, timestamp, spec.id(), first.orderId, first.clientOrderId, first.account,
                    first.remaining);
            takeOut(first);
        }
    }

    // =========================================================================================== validation

    private RejectReason problemWithNewOrder(Command c) {
        if (c.account <= 0) {
            return RejectReason.INVALID_ACCOUNT;
        }
        if (c.orderId <= 0) {
            return RejectReason.INVALID_ORDER_ID;
        }
        if (byId(c.orderId) != null) {
            return RejectReason.DUPLICATE_ORDER_ID;
        }
        if (c.side == null) {
            return RejectReason.MISSING_SIDE;
        }
        if (c.orderType == null) {
            return RejectReason.MISSING_ORDER_TYPE;
        }
        if (c.timeInForce == null) {
            return RejectReason.MISSING_TIME_IN_FORCE;
        }
        OrderType type = c.orderType;
        TimeInForce tif = c.timeInForce;
        RejectReason size = problemWithQuantity(c.quantity);
        if (size != null) {
            return size;
        }
        boolean limitType = type.hasLimitPrice();
        boolean resting = tif == TimeInForce.GTC || tif == TimeInForce.GTD;
        if (limitType && c.price <= 0) {
            return RejectReason.INVALID_PRICE;
        }
        if (limitType && c.price > spec.maxPrice()) {
            return RejectReason.PRICE_ABOVE_MAX;
        }
        if (!limitType && c.price != 0) {
            return RejectReason.MARKET_ORDER_WITH_PRICE;
        }
        if (!limitType && resting) {
            return RejectReason.MARKET_ORDER_MUST_NOT_REST;
        }
        if (type.isConditional() && c.triggerPrice <= 0) {
            return RejectReason.INVALID_TRIGGER_PRICE;
        }
        if (type.isConditional() && c.triggerPrice > spec.maxPrice()) {
            return RejectReason.PRICE_ABOVE_MAX;
        }
        if (!type.isConditional() && c.triggerPrice != 0) {
            return RejectReason.TRIGGER_ON_PLAIN_ORDER;
        }
        if (tif == TimeInForce.GTD && c.expireAt <= timestamp) {
            return RejectReason.INVALID_EXPIRY;
        }
        if (tif != TimeInForce.GTD && c.expireAt != 0) {
            return RejectReason.EXPIRY_ON_NON_GTD;
        }
        if (c.displayQuantity != 0 && (c.displayQuantity < 0 || c.displayQuantity >= c.quantity)) {
            return RejectReason.INVALID_DISPLAY_QUANTITY;
        }
        if (c.displayQuantity != 0 && !(limitType && resting)) {
            return RejectReason.ICEBERG_NOT_RESTING;
        }
        PostOnly postOnly = c.postOnly == null ? PostOnly.NONE : c.postOnly;
        if (postOnly != PostOnly.NONE && !(type == OrderType.LIMIT && resting)) {
            return RejectReason.POST_ONLY_NOT_RESTING;
        }
        if (c.clientOrderId != 0 && byClientId(c.account, c.clientOrderId) != null) {
            return RejectReason.DUPLICATE_CLIENT_ORDER_ID;
        }
        if (orders.size() >= maxOpenOrders) {
            return RejectReason.BOOK_FULL;
        }
        if (type == OrderType.LIMIT && outsideBand(c.price)) {
            return RejectReason.PRICE_OUTSIDE_BAND;
        }
        if (c.reduceOnly && reducible(c.account, c.side) == 0) {
            return RejectReason.REDUCE_ONLY_WOULD_INCREASE;
        }
        if (type.isConditional()) {
            Ord probe = new Ord();
            probe.type = type;
            probe.side = c.side;
            probe.source = c.triggerSource == null ? TriggerSource.LAST : c.triggerSource;
            probe.trigger = c.triggerPrice;
            return alreadyCrossed(probe, probe.trigger) ? RejectReason.WOULD_TRIGGER_IMMEDIATELY : null;
        }
        if (type == OrderType.MARKET && best(c.side.opposite()) == 0) {
            return RejectReason.NO_LIQUIDITY;
        }
        if (postOnly != PostOnly.NONE && wouldCross(c.side, c.price)
                && (postOnly == PostOnly.REJECT || !validPrice(slidTo(c.side)))) {
            return RejectReason.POST_ONLY_WOULD_CROSS;
        }
        if (tif == TimeInForce.FOK) {
            Ord probe = new Ord();
            probe.orderId = c.orderId;
            probe.account = c.account;
            probe.side = c.side;
            probe.type = type;
            probe.tif = tif;
            probe.price = c.price;
            probe.quantity = c.quantity;
            probe.remaining = c.quantity;
            probe.reduceOnly = c.reduceOnly;
            probe.stp = c.selfTradePrevention == null ? SelfTradePrevention.NONE : c.selfTradePrevention;
            if (!wouldFillCompletely(probe)) {
                return RejectReason.FOK_NOT_FILLABLE;
            }
        }
        return null;
    }

    private RejectReason problemWithQuantity(long quantity) {
        if (quantity <= 0) {
            return RejectReason.INVALID_QUANTITY;
        }
        if (quantity > spec.maxQuantity()) {
            return RejectReason.QUANTITY_ABOVE_MAX;
        }
        if (quantity < spec.minQuantity()) {
            return RejectReason.QUANTITY_BELOW_MIN;
        }
        return null;
    }

    private RejectReason problemWithAmend(Command c, Ord o, long price, long quantity, long trigger) {
        if (c.price < 0) {
            return RejectReason.INVALID_PRICE;
        }
        if (c.price != 0 && !o.type.hasLimitPrice()) {
            return RejectReason.MARKET_ORDER_WITH_PRICE;
        }
        if (price > spec.maxPrice()) {
            return RejectReason.PRICE_ABOVE_MAX;
        }
        if (c.quantity < 0) {
            return RejectReason.INVALID_QUANTITY;
        }
        // Limits apply to a quantity the client sends; an untouched one may sit below them after a DECREMENT.
        RejectReason size = c.quantity == 0 ? null : problemWithQuantity(quantity);
        if (size != null) {
            return size;
        }
        if (quantity <= o.filled) {
            return RejectReason.AMEND_QUANTITY_NOT_ABOVE_FILLED;
        }
        if (c.triggerPrice < 0) {
            return RejectReason.INVALID_TRIGGER_PRICE;
        }
        if (c.triggerPrice != 0 && !o.type.isConditional()) {
            return RejectReason.TRIGGER_ON_PLAIN_ORDER;
        }
        if (trigger > spec.maxPrice()) {
            return RejectReason.PRICE_ABOVE_MAX;
        }
        if (price == o.price && quantity == o.quantity && trigger == o.trigger) {
            return RejectReason.AMEND_NOTHING;
        }
        if (o.place == Place.BOOK && o.type == OrderType.LIMIT && price != o.price && outsideBand(price)) {
            return RejectReason.PRICE_OUTSIDE_BAND;
        }
        if (o.type.isConditional() && trigger != o.trigger && alreadyCrossed(o, trigger)) {
            return RejectReason.WOULD_TRIGGER_IMMEDIATELY;
        }
        return null;
    }

    /** The order a cancel or amend names, or null after emitting the reject. */
    private Ord lookUp(CommandType command, Command c) {
        RejectReason problem = null;
        Ord found = null;
        if (c.account <= 0) {
            problem = RejectReason.INVALID_ACCOUNT;
        } else if (c.orderId < 0 || (c.orderId == 0 && c.clientOrderId == 0)) {
            problem = RejectReason.INVALID_ORDER_ID;
        } else {
            found = c.orderId != 0 ? byId(c.orderId) : byClientId(c.account, c.clientOrderId);
            if (found == null || found.account != c.account) {
                found = null;
                problem = RejectReason.UNKNOWN_ORDER;
            }
        }
        if (problem != null) {
            out.commandRejected(sequence, timestamp, command, spec.id(), c.orderId, c.clientOrderId, c.account,
                    problem);
        }
        return found;
    }

    private boolean outsideBand(long price) {
        long reference = markPrice != 0 ? markPrice : lastPrice;
        if (reference == 0 || spec.priceBandPpm() == 0) {
            return false;
        }
        BigInteger allowed = BigInteger.valueOf(reference).multiply(BigInteger.valueOf(spec.priceBandPpm()))
                .divide(MILLION);
        return BigInteger.valueOf(Math.abs(price - reference)).compareTo(allowed) > 0;
    }

    /** Whether the conditional order's watched price is already at or past {@code trigger}. */
    private boolean alreadyCrossed(Ord o, long trigger) {
        long watched = o.source == TriggerSource.MARK ? markPrice : lastPrice;
        if (watched == 0) {
            return false;
        }
        return o.risesToTrigger() ? watched >= trigger : watched <= trigger;
    }

    private boolean validPrice(long price) {
        return price >= 1 && price <= spec.maxPrice();
    }

    // =========================================================================================== matching

    /** Trades the order against the book, then rests or cancels what is left. The order is not in a queue. */
    private void takeLiquidity(Ord taker) {
        Halt halt = Halt.NONE;
        if (taker.type == OrderType.MARKET) {
            long bestOpposite = best(taker.side.opposite());
            if (bestOpposite != 0) {
                halt = sweep(taker, protectionLimit(taker.side, bestOpposite));
            }
        } else {
            halt = sweep(taker, taker.price);
        }
        if (halt == Halt.NONE && taker.reduceOnly && reducible(taker.account, taker.side) == 0) {
            halt = Halt.REDUCE_ONLY;
        }
        if (taker.remaining == 0) {
            orders.remove(taker);
            return;
        }
        CancelReason reason;
        if (halt == Halt.SELF_TRADE) {
            reason = CancelReason.SELF_TRADE;
        } else if (halt == Halt.REDUCE_ONLY) {
            reason = CancelReason.REDUCE_ONLY;
        } else if (taker.type == OrderType.MARKET) {
            reason = best(taker.side.opposite()) == 0 ? CancelReason.NO_LIQUIDITY : CancelReason.MARKET_PROTECTION;
        } else if (taker.tif == TimeInForce.IOC || taker.tif == TimeInForce.FOK) {
            reason = CancelReason.IMMEDIATE_OR_CANCEL;
        } else {
            rest(taker);
            return;
        }
        out.orderCanceled(sequence, timestamp, spec.id(), taker.orderId, taker.clientOrderId, taker.account,
                taker.remaining, reason);
        orders.remove(taker);
    }

    /** Level by level, best first, while the level price is within {@code limit}. */
    private Halt sweep(Ord taker, long limit) {
        Side opposite = taker.side.opposite();
        while (taker.remaining > 0) {
            long price = best(opposite);
            if (price == 0 || !within(taker.side, price, limit)) {
                return Halt.NONE;
            }
            long shownBefore = shown(opposite, price);
            int countBefore = queue(opposite, price).size();
            Halt halt = sweepLevel(taker, opposite, price);
            if (shown(opposite, price) != shownBefore || queue(opposite, price).size() != countBefore) {
                l2(opposite, price);
            }
            if (halt != Halt.NONE) {
                return halt;
            }
        }
        return Halt.NONE;
    }

    private Halt sweepLevel(Ord taker, Side opposite, long price) {
        while (taker.remaining > 0) {
            Ord maker = firstInQueue(opposite, price);
            if (maker == null) {
                return Halt.NONE;
            }
            if (maker.account == taker.account && taker.stp != SelfTradePrevention.NONE) {
                Halt halt = selfTrade(taker, maker);
                if (halt != Halt.NONE) {
                    return halt;
                }
                continue;
            }
            if (maker.reduceOnly && reducible(maker.account, maker.side) == 0) {
                dropMaker(maker, maker.remaining, CancelReason.REDUCE_ONLY);
                continue;
            }
            long lots = Math.min(taker.remaining, maker.visible);
            if (maker.reduceOnly) {
                lots = Math.min(lots, reducible(maker.account, maker.side));
            }
            if (taker.reduceOnly) {
                lots = Math.min(lots, reducible(taker.account, taker.side));
                if (lots == 0) {
                    return Halt.REDUCE_ONLY;
                }
            }
            execute(maker, taker, lots);
        }
        return Halt.NONE;
    }

    private Halt selfTrade(Ord taker, Ord maker) {
        switch (taker.stp) {
            case EXPIRE_MAKER:
                dropMaker(maker, maker.remaining, CancelReason.SELF_TRADE);
                return Halt.NONE;
            case EXPIRE_TAKER:
                return Halt.SELF_TRADE;
            case EXPIRE_BOTH:
                dropMaker(maker, maker.remaining, CancelReason.SELF_TRADE);
                return Halt.SELF_TRADE;
            case DECREMENT:
                long both = Math.min(taker.remaining, maker.remaining);
                if (both == maker.remaining) {
                    dropMaker(maker, both, CancelReason.SELF_TRADE);
                } else {
                    maker.quantity -= both;
                    maker.remaining -= both;
                    maker.visible = Math.min(maker.visible, maker.remaining);
                    reportAmended(maker);
                    l3(L3Action.MODIFY, maker, maker.visible);
                }
                if (both == taker.remaining) {
                    // The taker reaches zero: it is canceled (by the caller) rather than shrunk.
                    return Halt.SELF_TRADE;
                }
                taker.quantity -= both;
                taker.remaining -= both;
                reportAmended(taker);
                return Halt.NONE;
            default:
                throw new IllegalStateException("no self-trade prevention mode " + taker.stp);
        }
    }

    /** One trade of {@code lots} at the maker's price. */
    private void execute(Ord maker, Ord taker, long lots) {
        long price = maker.price;
        long tradeId = ++trades;
        maker.filled += lots;
        maker.remaining -= lots;
        maker.visible -= lots;
        taker.filled += lots;
        taker.remaining -= lots;
        lastPrice = price;
        tradedInThisCommand = true;
        move(maker.account, maker.side, lots);
        move(taker.account, taker.side, lots);
        out.orderFilled(sequence, timestamp, spec.id(), tradeId, maker.orderId, maker.clientOrderId, maker.account,
                maker.side, price, lots, maker.remaining, Liquidity.MAKER);
        out.orderFilled(sequence, timestamp, spec.id(), tradeId, taker.orderId, taker.clientOrderId, taker.account,
                taker.side, price, lots, taker.remaining, Liquidity.TAKER);
        out.tradeExecuted(sequence, timestamp, spec.id(), tradeId, taker.side, price, lots);
        if (maker.remaining == 0) {
            orders.remove(maker);
            l3(L3Action.REMOVE, maker, 0);
            return;
        }
        if (maker.visible == 0) {
            // The iceberg's peak is used up: a new peak is shown at the back of the queue.
            l3(L3Action.REMOVE, maker, 0);
            maker.visible = Math.min(maker.display, maker.remaining);
            maker.queueStamp = ++stamps;
            l3(L3Action.ADD, maker, maker.visible);
        } else {
            l3(L3Action.MODIFY, maker, maker.visible);
        }
        if (maker.reduceOnly && reducible(maker.account, maker.side) == 0) {
            dropMaker(maker, maker.remaining, CancelReason.REDUCE_ONLY);
        }
    }

    /** A resting order removed while a taker works its level; the level's L2 follows when the taker leaves it. */
    private void dropMaker(Ord maker, long lots, CancelReason reason) {
        out.orderCanceled(sequence, timestamp, spec.id(), maker.orderId, maker.clientOrderId, maker.account, lots,
                reason);
        orders.remove(maker);
        l3(L3Action.REMOVE, maker, 0);
    }

    /** Joins the back of the queue at its price. */
    private void rest(Ord o) {
        o.visible = o.display > 0 ? Math.min(o.display, o.remaining) : o.remaining;
        o.place = Place.BOOK;
        o.queueStamp = ++stamps;
        if (!orders.contains(o)) {
            orders.add(o);
        }
        l3(L3Action.ADD, o, o.visible);
        l2(o.side, o.price);
    }

    /** Removes an open order (resting or waiting) for a cancel or an expiry; L3/L2 for a resting one. */
    private void takeOut(Ord o) {
        boolean wasResting = o.place == Place.BOOK;
        orders.remove(o);
        if (wasResting) {
            l3(L3Action.REMOVE, o, 0);
            l2(o.side, o.price);
        }
    }

    /**
     * Fill-or-kill: runs the real matching for a copy of the taker on a copy of the book and its positions, with no
     * listener, and reports whether the copy filled completely. A reduce-only taker must also be able to reduce by
     * its full quantity up front.
     */
    private boolean wouldFillCompletely(Ord taker) {
        if (taker.reduceOnly && reducible(taker.account, taker.side) < taker.remaining) {
            return false;
        }
        ReferenceBook sandbox = new ReferenceBook(spec, SILENT, maxOpenOrders);
        for (Ord o : orders) {
            sandbox.orders.add(o.duplicate());
        }
        sandbox.positions.putAll(positions);
        sandbox.lastPrice = lastPrice;
        sandbox.markPrice = markPrice;
        sandbox.stamps = stamps;
        Ord copy = taker.duplicate();
        long wanted = copy.remaining;
        long filledBefore = copy.filled;
        if (copy.type == OrderType.MARKET) {
            sandbox.sweep(copy, protectionLimit(copy.side, best(copy.side.opposite())));
        } else {
            sandbox.sweep(copy, copy.price);
        }
        return copy.filled - filledBefore == wanted;
    }

    // =========================================================================================== triggers

    private void fireDueTriggers() {
        while (true) {
            Ord next = null;
            long at = 0;
            if (lastPrice > 0) {
                next = dueOrder(TriggerSource.LAST, lastPrice);
                at = lastPrice;
            }
            if (next == null && markPrice > 0) {
                next = dueOrder(TriggerSource.MARK, markPrice);
                at = markPrice;
            }
            if (next == null) {
                return;
            }
            next.place = Place.IN_FLIGHT;
            out.orderTriggered(sequence, timestamp, spec.id(), next.orderId, next.clientOrderId, next.account,
                    next.trigger, at);
            next.type = next.type.triggeredType();
            enterAfterTrigger(next);
        }
    }

    /** Rising triggers first (lowest trigger, then earliest arrival), then falling ones (highest trigger first). */
    private Ord dueOrder(TriggerSource source, long price) {
        List<Ord> rising = new ArrayList<>();
        List<Ord> falling = new ArrayList<>();
        for (Ord o : orders) {
            if (o.place != Place.TRIGGERS || o.source != source) {
                continue;
            }
            if (o.risesToTrigger() && o.trigger <= price) {
                rising.add(o);
            } else if (!o.risesToTrigger() && o.trigger >= price) {
                falling.add(o);
            }
        }
        rising.sort(Comparator.<Ord>comparingLong(o -> o.trigger).thenComparingLong(o -> o.arrival));
        falling.sort(Comparator.<Ord>comparingLong(o -> -o.trigger).thenComparingLong(o -> o.arrival));
        if (!rising.isEmpty()) {
            return rising.get(0);
        }
        return falling.isEmpty() ? null : falling.get(0);
    }

    private void enterAfterTrigger(Ord o) {
        CancelReason reason = null;
        if (o.reduceOnly && reducible(o.account, o.side) == 0) {
            reason = CancelReason.REDUCE_ONLY;
        } else if (o.type == OrderType.MARKET && best(o.side.opposite()) == 0) {
            reason = CancelReason.NO_LIQUIDITY;
        } else if (o.tif == TimeInForce.FOK && !wouldFillCompletely(o)) {
            reason = CancelReason.FILL_OR_KILL;
        }
        if (reason == null) {
            takeLiquidity(o);
            return;
        }
        out.orderCanceled(sequence, timestamp, spec.id(), o.orderId, o.clientOrderId, o.account, o.remaining, reason);
        orders.remove(o);
    }

    // =========================================================================================== book queries

    /** Best price on a side, 0 when the side is empty. */
    private long best(Side side) {
        long best = 0;
        for (Ord o : orders) {
            if (o.place == Place.BOOK && o.side == side && (best == 0 || better(side, o.price, best))) {
                best = o.price;
            }
        }
        return best;
    }

    private static boolean better(Side side, long a, long b) {
        return side == Side.BUY ? a > b : a < b;
    }

    /** Whether a taker on {@code takerSide} with this limit may trade at {@code levelPrice}. */
    private static boolean within(Side takerSide, long levelPrice, long limit) {
        return takerSide == Side.BUY ? levelPrice <= limit : levelPrice >= limit;
    }

    private boolean wouldCross(Side side, long price) {
        long opposite = best(side.opposite());
        return opposite != 0 && within(side, opposite, price);
    }

    /** One tick behind the best opposite price. */
    private long slidTo(Side side) {
        return side == Side.BUY ? best(Side.SELL) - 1 : best(Side.BUY) + 1;
    }

    private long protectionLimit(Side side, long bestOpposite) {
        BigInteger reference = BigInteger.valueOf(bestOpposite);
        BigInteger band = BigInteger.valueOf(spec.marketProtectionPpm());
        if (side == Side.BUY) {
            long up = reference.multiply(MILLION.add(band)).divide(MILLION).longValueExact();
            return Math.min(up, spec.maxPrice());
        }
        BigInteger scaled = reference.multiply(MILLION.subtract(band));
        BigInteger[] qr = scaled.divideAndRemainder(MILLION);
        long down = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
        return Math.max(1, down);
    }

    private Ord firstInQueue(Side side, long price) {
        Ord first = null;
        for (Ord o : orders) {
            if (o.place == Place.BOOK && o.side == side && o.price == price
                    && (first == null || o.queueStamp < first.queueStamp)) {
                first = o;
            }
        }
        return first;
    }

    /** The queue at one price, first in line first. */
    private List<Ord> queue(Side side, long price) {
        List<Ord> q = new ArrayList<>();
        for (Ord o : orders) {
            if (o.place == Place.BOOK && o.side == side && o.price == price) {
                q.add(o);
            }
        }
        q.sort(Comparator.comparingLong(o -> o.queueStamp));
        return q;
    }

    /** Distinct resting prices of a side, best first. */
    private List<Long> prices(Side side) {
        TreeSet<Long> set = new TreeSet<>(side == Side.BUY ? Comparator.<Long>reverseOrder() : Comparator.naturalOrder());
        for (Ord o : orders) {
            if (o.place == Place.BOOK && o.side == side) {
                set.add(o.price);
            }
        }
        return new ArrayList<>(set);
    }

    private Ord byId(long orderId) {
        for (Ord o : orders) {
            if (o.orderId == orderId) {
                return o;
            }
        }
        return null;
    }

    private Ord byClientId(long account, long clientOrderId) {
        for (Ord o : orders) {
            if (o.account == account && o.clientOrderId == clientOrderId) {
                return o;
            }
        }
        return null;
    }

    // =========================================================================================== positions

    private long position(long account) {
        return positions.getOrDefault(account, 0L);
    }

    private void move(long account, Side side, long lots) {
        positions.put(account, position(account) + (side == Side.BUY ? lots : -lots));
    }

    /** Lots the account can still trade on {@code side} while only reducing its position. */
    private long reducible(long account, Side side) {
        long p = position(account);
        if (side == Side.BUY) {
            return p < 0 ? -p : 0;
        }
        return p > 0 ? p : 0;
    }

    // =========================================================================================== events

    private void reportAmended(Ord o) {
        out.orderAmended(sequence, timestamp, spec.id(), o.orderId, o.clientOrderId, o.account, o.price, o.quantity,
                o.remaining, o.trigger);
    }

    private void l3(L3Action action, Ord o, long visible) {
        bookOrderChanged(action, o.orderId, o.side, o.price, visible);
    }

    private void bookOrderChanged(L3Action action, long orderId, Side side, long price, long visible) {
        out.bookOrderChanged(sequence, timestamp, spec.id(), ++l3Sequence, action, orderId, side, price, visible);
    }

    /** The level's state as it is now (0 lots in 0 orders when it is gone). */
    private void l2(Side side, long price) {
        out.bookLevelChanged(sequence, timestamp, spec.id(), ++l2Sequence, side, price, shown(side, price),
                queue(side, price).size());
    }

    private long shown(Side side, long price) {
        long shown = 0;
        for (Ord o : queue(side, price)) {
            shown += o.visible;
        }
        return shown;
    }

    // =========================================================================================== state

    /** Same canonical order as the real book: counters, bids best first, asks best first, waiting orders by id. */
    public void hashState(StateHasher hasher) {
        hasher.add(spec.id()).add(lastPrice).add(markPrice).add(trades).add(l2Sequence).add(l3Sequence);
        for (Side side : new Side[] {Side.BUY, Side.SELL}) {
            List<Ord> resting = new ArrayList<>();
            for (Ord o : orders) {
                if (o.place == Place.BOOK && o.side == side) {
                    resting.add(o);
                }
            }
            Comparator<Ord> byPrice = Comparator.comparingLong(o -> side == Side.BUY ? -o.price : o.price);
            resting.sort(byPrice.thenComparingLong(o -> o.queueStamp));
            hasher.add(prices(side).size());
            int start = 0;
            while (start < resting.size()) {
                int end = start;
                long shown = 0;
                long total = 0;
                while (end < resting.size() && resting.get(end).price == resting.get(start).price) {
                    shown += resting.get(end).visible;
                    total += resting.get(end).remaining;
                    end++;
                }
                hasher.add(resting.get(start).price).add(shown).add(total).add(end - start);
                for (Ord o : resting.subList(start, end)) {
                    hashOrder(hasher, o);
                }
                start = end;
            }
        }
        List<Ord> waiting = new ArrayList<>();
        for (Ord o : orders) {
            if (o.place == Place.TRIGGERS) {
                waiting.add(o);
            }
        }
        waiting.sort(Comparator.comparingLong(o -> o.orderId));
        for (Ord o : waiting) {
            hashOrder(hasher, o);
        }
    }

    private static void hashOrder(StateHasher h, Ord o) {
        h.add(o.orderId).add(o.clientOrderId).add(o.account).add(o.side).add(o.type).add(o.tif).add(o.price)
                .add(o.quantity).add(o.filled).add(o.remaining).add(o.display).add(o.visible).add(o.trigger)
                .add(o.source).add(o.expireAt).add(o.postOnly).add(o.reduceOnly).add(o.stp);
    }

    // =========================================================================================== for the driver

    /** Open orders (resting and waiting), in no particular but deterministic order. */
    public List<OrderView> openOrders() {
        List<OrderView> views = new ArrayList<>(orders.size());
        for (Ord o : orders) {
            views.add(new OrderView(o.orderId, o.clientOrderId, o.account, o.side, o.type, o.tif, o.price,
                    o.quantity, o.filled, o.remaining, o.display, o.trigger, o.source, o.place == Place.BOOK,
                    o.postOnly, o.reduceOnly));
        }
        return views;
    }

    public int openOrderCount() {
        return orders.size();
    }

    public long netPosition(long account) {
        return position(account);
    }

    public long bestBid() {
        return best(Side.BUY);
    }

    public long bestAsk() {
        return best(Side.SELL);
    }

    public long lastTradePrice() {
        return lastPrice;
    }

    public long markPrice() {
        return markPrice;
    }
}
