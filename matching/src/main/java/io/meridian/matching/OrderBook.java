package io.meridian.matching;

import io.meridian.model.BookSnapshot;
import io.meridian.model.CancelReason;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.MatchEvents;
import io.meridian.model.FixedPoint;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.L3Action;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.RejectReason;
import io.meridian.model.RestingTotals;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The central limit order book of one instrument: price-time priority, every order type and flag of the venue,
 * a trigger book for stop and take-profit orders, GTD expiry, self-trade prevention and L2/L3 market data.
 *
 * <p><b>Purity and threading.</b> Single-threaded and pure: no clock (the caller passes each command's sequence
 * and timestamp through {@link #setContext}), no I/O, no threads. Every effect is reported synchronously to the
 * {@link MatchEvents} listener (the part of the engine's events a book may fire, nothing more); fills are also
 * reported to {@link Positions}, which also answers the net position reduce-only orders are checked against. Those
 * two narrow interfaces are all the book knows of the engine. Steady-state operation allocates nothing: orders and
 * levels are pooled, indexes are open-addressing primitive maps.
 *
 * <p><b>Totality.</b> Every public command method either applies completely or emits exactly one
 * {@link MatchEvents#commandRejected} and changes nothing. Checks run in a fixed order, documented on each method,
 * so the same bad command always gets the same reason.
 *
 * <p><b>Event order within a command</b> (the differential tests pin it down):
 * <ol>
 * <li>{@code orderAccepted} (new orders) or {@code orderAmended} (amends). Throughout, an order's own event
 * comes before the market data it causes: {@code orderCanceled} or {@code orderExpired}, then L3 REMOVE, then L2.</li>
 * <li>For each trade: maker {@code orderFilled}, taker {@code orderFilled}, {@code tradeExecuted}, whatever the
 * {@link Positions} fill hook reports (the engine's clearing: PnL and fee postings), then the maker's L3 change
 * (MODIFY, REMOVE, or REMOVE + ADD when an iceberg refills at the back of the queue).
 * Makers removed by self-trade prevention or reduce-only give {@code orderCanceled} then L3 REMOVE.
 * When matching leaves a level (emptied, or the taker is done) that level's L2 change follows, if its visible
 * quantity or order count changed.</li>
 * <li>The taker's remainder: L3 ADD then L2 when it rests, else {@code orderCanceled} with the reason.</li>
 * <li>Conditional orders whose trigger was crossed, one at a time: {@code orderTriggered}, then as above.</li>
 * </ol>
 *
 * <p><b>Rules worth knowing.</b> Conditional orders fire from the trigger book in this order until none is due:
 * last-price rising (lowest trigger first), last-price falling (highest first), mark rising, mark falling; ties
 * by arrival. Reduce-only orders are checked on entry and again at each fill against the current position: a
 * fill never exceeds what reduces the position, and a reduce-only order that can no longer reduce is canceled.
 * Client order ids are unique among an account's open orders in this book.
 */
public final class OrderBook implements BookView {
    private static final int STOP_NONE = 0;
    private static final int STOP_SELF_TRADE = 1;
    private static final int STOP_REDUCE_ONLY = 2;

    private final InstrumentSpec spec;
    /** The price band in force: the spec's, unless a risk multiplier widened it ({@link #setPriceBandPpm}). */
    private long priceBandPpm;
    final int instrument;
    /** Order events and rejects (the engine fills a command's outcome from these). */
    private final MatchEvents events;
    /** Trades, L2 and L3 deltas and marks (no command outcome depends on them: the engine gives its listener itself). */
    private final MatchEvents marketData;
    private final Positions positions;
    private final int maxOpenOrders;
    private final int maxOpenOrdersPerAccount;

    // The state a snapshot holds is package-private (here and below) for OrderBookSnapshots, the section's codec.
    final BookSide bids;
    final BookSide asks;
    final OrderIndex ordersById;
    final ClientOrderIndex byClientId;
    /** Not final: a restored book gets a map sized for its accounts ({@link #readSnapshot}). */
    Long2ObjectHashMap<AccountOrders> byAccount;
    private long lastAccount;
    AccountOrders lastAccountOrders;
    /** Order lists made (accounts' first orders here): see {@link #restingTotalsMade}. */
    private long accountListsMade;
    final OrderHeap expiries = new OrderHeap(OrderHeap.Role.EXPIRY, 64);
    private final OrderHeap lastRise = new OrderHeap(OrderHeap.Role.TRIGGER_RISE, 64);
    private final OrderHeap lastFall = new OrderHeap(OrderHeap.Role.TRIGGER_FALL, 64);
    private final OrderHeap markRise = new OrderHeap(OrderHeap.Role.TRIGGER_RISE, 64);
    private final OrderHeap markFall = new OrderHeap(OrderHeap.Role.TRIGGER_FALL, 64);
    /** Answers fill-or-kill orders' "would it fill completely" without touching the book. */
    private final FillOrKillDryRun fillOrKill;

    private Order[] orderPool;
    private int orderPoolSize;
    private PriceLevel[] levelPool;
    private int levelPoolSize;

    long sequence;
    long timestamp;
    long lastTradePrice;
    long markPrice;
    long tradeIds;
    long l2Sequence;
    long l3Sequence;
    long arrivals;
    private boolean traded;
    /** Where {@link #prefetch} puts what it read, so that the compiler keeps the reads; read by nothing. */
    private int prefetched;
    /** How many commands ahead {@link #prefetch} reads, one step each. */
    public static final int PREFETCH_STEPS = 3;

    /**
     * @param spec           the instrument; validated by the caller
     * @param events         receives every event, on the calling thread
     * @param positions      position view for reduce-only and fill sink
     * @param expectedOrders orders and levels preallocated, so that a book of this size never allocates
     * @param maxOpenOrders  open orders (resting and conditional) above which new orders get {@code BOOK_FULL}
     */
    public OrderBook(InstrumentSpec spec, MatchEvents events, Positions positions, int expectedOrders,
                     int maxOpenOrders) {
        this(spec, events, positions, expectedOrders, maxOpenOrders, Integer.MAX_VALUE);
    }

    /**
     * As above, with {@code maxOpenOrdersPerAccount}: an account's open orders (resting and conditional) in this book
     * above which its new orders get {@code TOO_MANY_OPEN_ORDERS}, so one account cannot fill a venue's book.
     */
    public OrderBook(InstrumentSpec spec, MatchEvents events, Positions positions, int expectedOrders,
                     int maxOpenOrders, int maxOpenOrdersPerAccount) {
        this(spec, events, events, positions, expectedOrders, maxOpenOrders, maxOpenOrdersPerAccount);
    }

    /**
     * As above, with the order events ({@code orderAccepted}, {@code orderFilled}, {@code orderCanceled},
     * {@code orderExpired}, {@code orderTriggered}, {@code orderAmended}, {@code commandRejected}) to {@code events}
     * and the market data ({@code tradeExecuted}, {@code bookLevelChanged}, {@code bookOrderChanged},
     * {@code markPriceChanged}) to {@code marketData}, each at the point it happens (so one listener given as both sees
     * the same order as two).
     */
    public OrderBook(InstrumentSpec spec, MatchEvents events, MatchEvents marketData, Positions positions,
                     int expectedOrders, int maxOpenOrders, int maxOpenOrdersPerAccount) {
        this.maxOpenOrdersPerAccount = maxOpenOrdersPerAccount;
        this.spec = spec;
        this.priceBandPpm = spec.priceBandPpm();
        this.instrument = spec.id();
        this.events = events;
        this.marketData = marketData;
        this.positions = positions;
        this.fillOrKill = new FillOrKillDryRun(positions);
        this.maxOpenOrders = maxOpenOrders;
        int capacity = Math.max(16, expectedOrders);
        this.bids = new BookSide(true, 256);
        this.asks = new BookSide(false, 256);
        this.ordersById = new OrderIndex(capacity);
        this.byClientId = new ClientOrderIndex(capacity);
        this.byAccount = new Long2ObjectHashMap<>(1024, 0.5f);
        this.orderPool = new Order[capacity];
        for (int i = 0; i < capacity; i++) {
            orderPool[i] = new Order();
        }
        this.orderPoolSize = capacity;
        int levels = Math.max(64, capacity / 4);
        this.levelPool = new PriceLevel[levels];
        for (int i = 0; i < levels; i++) {
            levelPool[i] = new PriceLevel();
        }
        this.levelPoolSize = levels;
    }

    public OrderBook(InstrumentSpec spec, MatchEvents events, Positions positions) {
        this(spec, events, positions, 1024, 10_000_000);
    }

    @Override
    public InstrumentSpec spec() {
        return spec;
    }

    /** Sets the sequence number and timestamp that every event of the next call carries. */
    public void setContext(long sequence, long timestamp) {
        this.sequence = sequence;
        this.timestamp = timestamp;
    }

    // ------------------------------------------------------------------------------------------------ commands

    /**
     * Places a new order from {@code c} (fields of {@link CommandType#PLACE_ORDER}). Checks, in order: account,
     * order id (positive, not open), side, type, time in force, quantity (positive, within limits), limit price
     * (present and in range for limit types, absent for market types, which must be IOC or FOK), trigger price
     * (present for conditional types only), expiry (GTD only, in the future), display quantity (iceberg: positive,
     * below quantity, resting limit types only), post-only (plain resting limits only), client order id
     * uniqueness, capacity, price band (plain limits), reduce-only direction, then book state: immediate trigger,
     * market order on an empty side, post-only cross, fill-or-kill fillability.
     */
    public void place(Command c) {
        RejectReason reject = validateNewOrder(c);
        if (reject != null) {
            reject(CommandType.PLACE_ORDER, c.orderId, c.clientOrderId, c.account, reject);
            return;
        }
        placeValidated(c);
    }

    /**
     * The checks of {@link #place}, without applying anything or emitting an event: null when {@code c} would be
     * accepted now. Lets the engine run its own checks (margin) between the book's and the placement.
     */
    public RejectReason validate(Command c) {
        return validateNewOrder(c);
    }

    /**
     * Places an order for which {@link #validate} returned null in this same context, with no command applied to
     * the book in between; skips the checks. Anything else is a bug of the caller.
     */
    public void placeValidated(Command c) {
        long price = c.price;
        if (c.postOnly == PostOnly.SLIDE && crossesBook(c.side, price)) {
            price = slidePrice(c.side);
        }
        Order order = acquireOrder();
        order.orderId = c.orderId;
        order.clientOrderId = c.clientOrderId;
        order.account = c.account;
        order.side = c.side;
        order.type = c.orderType;
        order.timeInForce = c.timeInForce;
        order.price = price;
        order.quantity = c.quantity;
        order.filled = 0;
        order.remaining = c.quantity;
        order.displayQuantity = c.displayQuantity;
        order.visible = 0;
        order.triggerPrice = c.triggerPrice;
        order.triggerSource = c.triggerSource == null ? TriggerSource.LAST : c.triggerSource;
        order.expireAt = c.expireAt;
        order.postOnly = c.postOnly == null ? PostOnly.NONE : c.postOnly;
        order.reduceOnly = c.reduceOnly;
        order.selfTradePrevention = c.selfTradePrevention == null ? SelfTradePrevention.NONE : c.selfTradePrevention;
        order.arrival = ++arrivals;
        events.orderAccepted(sequence, timestamp, instrument, order.orderId, order.clientOrderId, order.account,
                order.side, order.type, order.timeInForce, order.price, order.quantity, order.triggerPrice);
        traded = false;
        if (order.type.isConditional()) {
            register(order);
            triggerHeap(order).add(order);
        } else {
            executeTaker(order);
        }
        if (traded) {
            fireTriggers();
        }
    }

    /**
     * Cancels one open order, named by {@code c.orderId}, or by {@code c.clientOrderId} when the order id is 0.
     * Rejects: {@code INVALID_ACCOUNT}, {@code INVALID_ORDER_ID} (neither id given), {@code UNKNOWN_ORDER} (not
     * open, or open for another account). Emits {@code orderCanceled(USER)} and, for a resting order, L3 and L2.
     */
    public void cancel(Command c) {
        Order order = findOwnOrder(CommandType.CANCEL_ORDER, c);
        if (order != null) {
            cancelOpenOrder(order, CancelReason.USER);
        }
    }

    /** Cancels every open order of the account in this book, oldest first; a no-op when it has none. */
    public void cancelAll(long account) {
        AccountOrders list = byAccount.get(account);
        while (list != null && list.head != null) {
            cancelOpenOrder(list.head, CancelReason.CANCEL_ALL);
        }
    }

    /**
     * Amends an open order: {@code c.price} (new limit price), {@code c.quantity} (new total quantity including
     * what has filled) and {@code c.triggerPrice} (conditional orders only); 0 leaves a field as it is. A lower
     * quantity at the same price keeps the queue position; a new price or a higher quantity sends the order to the
     * back of the queue at its (new) price, and a new price that crosses the book trades as a taker first.
     * Rejects, in order: those of {@link #cancel}, then {@code INVALID_PRICE}, {@code MARKET_ORDER_WITH_PRICE},
     * {@code PRICE_ABOVE_MAX}, {@code INVALID_QUANTITY}, {@code QUANTITY_ABOVE_MAX}, {@code QUANTITY_BELOW_MIN},
     * {@code AMEND_QUANTITY_NOT_ABOVE_FILLED}, {@code INVALID_TRIGGER_PRICE}, {@code TRIGGER_ON_PLAIN_ORDER},
     * {@code AMEND_NOTHING}, {@code PRICE_OUTSIDE_BAND}, {@code WOULD_TRIGGER_IMMEDIATELY},
     * {@code POST_ONLY_WOULD_CROSS}.
     */
    public void amend(Command c) {
        Order order = findOwnOrder(CommandType.AMEND_ORDER, c);
        if (order == null) {
            return;
        }
        long newPrice = c.price == 0 ? order.price : c.price;
        long newQuantity = c.quantity == 0 ? order.quantity : c.quantity;
        long newTrigger = c.triggerPrice == 0 ? order.triggerPrice : c.triggerPrice;
        RejectReason reject = validateAmend(c, order, newPrice, newQuantity, newTrigger);
        if (reject != null) {
            reject(CommandType.AMEND_ORDER, order.orderId, order.clientOrderId, order.account, reject);
            return;
        }
        applyAmend(order, newPrice, newQuantity, newTrigger);
    }

    /**
     * Amends {@code order}, found by {@link #findOrder}{@code (c.account, c.orderId, c.clientOrderId)}, for which
     * {@link #validateAmend} returned null in this same context with no command applied to the book in between: what
     * {@link #amend} does after its look-up and checks, without repeating them (the engine has done both before its
     * margin check). A post-only order that would cross may still be rejected ({@code POST_ONLY_WOULD_CROSS}, or
     * {@code AMEND_NOTHING} when it slides back to where it was). Anything else is a bug of the caller.
     */
    public void amendValidated(Command c, Order order) {
        applyAmend(order, c.price == 0 ? order.price : c.price, c.quantity == 0 ? order.quantity : c.quantity,
                c.triggerPrice == 0 ? order.triggerPrice : c.triggerPrice);
    }

    /** An amend that passed the book's checks: the post-only slide (or its reject), then the change itself. */
    private void applyAmend(Order order, long newPrice, long newQuantity, long newTrigger) {
        RejectReason reject = null;
        boolean priceChanged = newPrice != order.price;
        if (order.isResting() && priceChanged && order.postOnly != PostOnly.NONE && crossesBook(order.side, newPrice)) {
            long slid = slidePrice(order.side);
            if (order.postOnly == PostOnly.REJECT || !priceInRange(slid)) {
                reject = RejectReason.POST_ONLY_WOULD_CROSS;
            } else {
                newPrice = slid;
                priceChanged = newPrice != order.price;
                if (!priceChanged && newQuantity == order.quantity && newTrigger == order.triggerPrice) {
                    reject = RejectReason.AMEND_NOTHING;
                }
            }
        }
        if (reject != null) {
            reject(CommandType.AMEND_ORDER, order.orderId, order.clientOrderId, order.account, reject);
            return;
        }
        if (!order.isResting()) {
            amendConditional(order, newPrice, newQuantity, newTrigger);
            return;
        }
        traded = false;
        if (!priceChanged && newQuantity <= order.quantity) {
            reduceInPlace(order, newQuantity);
        } else {
            requeue(order, newPrice, newQuantity);
        }
        if (traded) {
            fireTriggers();
        }
    }

    /**
     * What {@link #amend} would reject {@code c} for by the book's own rules, {@code order} being the order it names
     * (as {@link #findOrder} finds it): from {@code INVALID_PRICE} to {@code WOULD_TRIGGER_IMMEDIATELY} in
     * {@link #amend}'s order, before any post-only slide; null when it passes them. Emits nothing: the engine asks
     * before its margin check of the amend.
     */
    public RejectReason validateAmend(Command c, Order order) {
        long newPrice = c.price == 0 ? order.price : c.price;
        long newQuantity = c.quantity == 0 ? order.quantity : c.quantity;
        long newTrigger = c.triggerPrice == 0 ? order.triggerPrice : c.triggerPrice;
        return validateAmend(c, order, newPrice, newQuantity, newTrigger);
    }

    /**
     * Sets the mark price and fires the mark-triggered conditional orders it crosses. Rejects
     * {@code INVALID_MARK_PRICE} for a non-positive price or one above the instrument's maximum.
     */
    public void setMarkPrice(long price) {
        if (price <= 0 || price > spec.maxPrice()) {
            reject(CommandType.SET_MARK_PRICE, 0, 0, 0, RejectReason.INVALID_MARK_PRICE);
            return;
        }
        markPrice = price;
        marketData.markPriceChanged(sequence, timestamp, instrument, price);
        fireTriggers();
    }

    /** Expires every GTD order whose expiry is at or before {@code now}, earliest first; ties by arrival. */
    public void expireDue(long now) {
        Order due = expiries.peek();
        while (due != null && due.expireAt <= now) {
            events.orderExpired(sequence, timestamp, instrument, due.orderId, due.clientOrderId, due.account,
                    due.remaining);
            removeOpenOrder(due);
            releaseOrder(due);
            due = expiries.peek();
        }
    }

    /** The earliest GTD expiry in this book, or {@link Long#MAX_VALUE} when there is none. */
    public long nextExpiry() {
        Order due = expiries.peek();
        return due == null ? Long.MAX_VALUE : due.expireAt;
    }

    // ------------------------------------------------------------------------------------------------ validation

    private RejectReason validateNewOrder(Command c) {
        if (c.account <= 0) {
            return RejectReason.INVALID_ACCOUNT;
        }
        if (c.orderId <= 0) {
            return RejectReason.INVALID_ORDER_ID;
        }
        if (ordersById.contains(c.orderId)) {
            return RejectReason.DUPLICATE_ORDER_ID;
        }
        if (c.side == null) {
            return RejectReason.MISSING_SIDE;
        }
        OrderType type = c.orderType;
        if (type == null) {
            return RejectReason.MISSING_ORDER_TYPE;
        }
        TimeInForce tif = c.timeInForce;
        if (tif == null) {
            return RejectReason.MISSING_TIME_IN_FORCE;
        }
        RejectReason quantityReject = checkQuantity(c.quantity);
        if (quantityReject != null) {
            return quantityReject;
        }
        if (type.hasLimitPrice()) {
            if (c.price <= 0) {
                return RejectReason.INVALID_PRICE;
            }
            if (c.price > spec.maxPrice()) {
                return RejectReason.PRICE_ABOVE_MAX;
            }
        } else {
            if (c.price != 0) {
                return RejectReason.MARKET_ORDER_WITH_PRICE;
            }
            if (tif.rests()) {
                return RejectReason.MARKET_ORDER_MUST_NOT_REST;
            }
        }
        if (type.isConditional()) {
            if (c.triggerPrice <= 0) {
                return RejectReason.INVALID_TRIGGER_PRICE;
            }
            if (c.triggerPrice > spec.maxPrice()) {
                return RejectReason.PRICE_ABOVE_MAX;
            }
        } else if (c.triggerPrice != 0) {
            return RejectReason.TRIGGER_ON_PLAIN_ORDER;
        }
        if (tif == TimeInForce.GTD) {
            if (c.expireAt <= timestamp) {
                return RejectReason.INVALID_EXPIRY;
            }
        } else if (c.expireAt != 0) {
            return RejectReason.EXPIRY_ON_NON_GTD;
        }
        if (c.displayQuantity != 0) {
            if (c.displayQuantity < 0 || c.displayQuantity >= c.quantity) {
                return RejectReason.INVALID_DISPLAY_QUANTITY;
            }
            if (!type.hasLimitPrice() || !tif.rests()) {
                return RejectReason.ICEBERG_NOT_RESTING;
            }
        }
        PostOnly postOnly = c.postOnly == null ? PostOnly.NONE : c.postOnly;
        if (postOnly != PostOnly.NONE && (type != OrderType.LIMIT || !tif.rests())) {
            return RejectReason.POST_ONLY_NOT_RESTING;
        }
        if (c.clientOrderId != 0 && byClientId.get(c.account, c.clientOrderId) != null) {
            return RejectReason.DUPLICATE_CLIENT_ORDER_ID;
        }
        if (ordersById.size() >= maxOpenOrders) {
            return RejectReason.BOOK_FULL;
        }
        AccountOrders mine = accountOrders(c.account);
        if (mine != null && mine.count >= maxOpenOrdersPerAccount) {
            return RejectReason.TOO_MANY_OPEN_ORDERS;
        }
        if (type == OrderType.LIMIT && outsideBand(c.price)) {
            return RejectReason.PRICE_OUTSIDE_BAND;
        }
        if (c.reduceOnly && reducible(c.account, c.side) == 0) {
            return RejectReason.REDUCE_ONLY_WOULD_INCREASE;
        }
        if (type.isConditional()) {
            TriggerSource source = c.triggerSource == null ? TriggerSource.LAST : c.triggerSource;
            return wouldTrigger(type, c.side, source, c.triggerPrice) ? RejectReason.WOULD_TRIGGER_IMMEDIATELY : null;
        }
        BookSide opposite = c.side == Side.BUY ? asks : bids;
        if (type == OrderType.MARKET && opposite.best() == null) {
            return RejectReason.NO_LIQUIDITY;
        }
        if (postOnly != PostOnly.NONE && crossesBook(c.side, c.price)
                && (postOnly == PostOnly.REJECT || !priceInRange(slidePrice(c.side)))) {
            return RejectReason.POST_ONLY_WOULD_CROSS;
        }
        if (tif == TimeInForce.FOK) {
            long limit = type == OrderType.MARKET ? protectionLimit(c.side, opposite.best().price) : c.price;
            if (!fillOrKill.fillable(opposite, c.account, c.side, c.selfTradePrevention, c.reduceOnly, c.quantity,
                    limit)) {
                return RejectReason.FOK_NOT_FILLABLE;
            }
        }
        return null;
    }

    private RejectReason checkQuantity(long quantity) {
        if (quantity <= 0) {
            return RejectReason.INVALID_QUANTITY;
        }
        if (quantity > spec.maxQuantity()) {
            return RejectReason.QUANTITY_ABOVE_MAX;
        }
        return quantity < spec.minQuantity() ? RejectReason.QUANTITY_BELOW_MIN : null;
    }

    private RejectReason validateAmend(Command c, Order order, long newPrice, long newQuantity, long newTrigger) {
        if (c.price < 0) {
            return RejectReason.INVALID_PRICE;
        }
        if (c.price != 0 && !order.type.hasLimitPrice()) {
            return RejectReason.MARKET_ORDER_WITH_PRICE;
        }
        if (newPrice > spec.maxPrice()) {
            return RejectReason.PRICE_ABOVE_MAX;
        }
        if (c.quantity < 0) {
            return RejectReason.INVALID_QUANTITY;
        }
        RejectReason quantityReject = c.quantity == 0 ? null : checkQuantity(newQuantity);
        if (quantityReject != null) {
            return quantityReject;
        }
        if (newQuantity <= order.filled) {
            return RejectReason.AMEND_QUANTITY_NOT_ABOVE_FILLED;
        }
        if (c.triggerPrice < 0) {
            return RejectReason.INVALID_TRIGGER_PRICE;
        }
        if (c.triggerPrice != 0 && !order.type.isConditional()) {
            return RejectReason.TRIGGER_ON_PLAIN_ORDER;
        }
        if (newTrigger > spec.maxPrice()) {
            return RejectReason.PRICE_ABOVE_MAX;
        }
        if (newPrice == order.price && newQuantity == order.quantity && newTrigger == order.triggerPrice) {
            return RejectReason.AMEND_NOTHING;
        }
        if (order.isResting() && newPrice != order.price && order.type == OrderType.LIMIT && outsideBand(newPrice)) {
            return RejectReason.PRICE_OUTSIDE_BAND;
        }
        if (order.type.isConditional() && newTrigger != order.triggerPrice
                && wouldTrigger(order.type, order.side, order.triggerSource, newTrigger)) {
            return RejectReason.WOULD_TRIGGER_IMMEDIATELY;
        }
        return null;
    }

    private Order findOwnOrder(CommandType command, Command c) {
        RejectReason reject = null;
        Order order = null;
        if (c.account <= 0) {
            reject = RejectReason.INVALID_ACCOUNT;
        } else if (c.orderId < 0 || (c.orderId == 0 && c.clientOrderId == 0)) {
            reject = RejectReason.INVALID_ORDER_ID;
        } else {
            order = c.orderId != 0 ? ordersById.get(c.orderId) : byClientId.get(c.account, c.clientOrderId);
            if (order == null || order.account != c.account) {
                order = null;
                reject = RejectReason.UNKNOWN_ORDER;
            }
        }
        if (reject != null) {
            reject(command, c.orderId, c.clientOrderId, c.account, reject);
        }
        return order;
    }

    private void reject(CommandType command, long orderId, long clientOrderId, long account, RejectReason reason) {
        events.commandRejected(sequence, timestamp, command, instrument, orderId, clientOrderId, account, reason);
    }

    /**
     * Sets the price band in force (ppm around the reference price, 0 = none): the engine's risk multiplier. Not book
     * state of its own: the engine's governance section restores it.
     */
    public void setPriceBandPpm(long ppm) {
        priceBandPpm = ppm;
    }

    /** The price band in force (ppm, 0 = none). */
    public long priceBandPpm() {
        return priceBandPpm;
    }

    private boolean outsideBand(long price) {
        long reference = markPrice > 0 ? markPrice : lastTradePrice;
        if (reference == 0 || priceBandPpm == 0) {
            return false;
        }
        long maxDeviation = FixedPoint.mulDivFloor(reference, priceBandPpm, FixedPoint.PPM);
        return Math.abs(price - reference) > maxDeviation;
    }

    private boolean wouldTrigger(OrderType type, Side side, TriggerSource source, long triggerPrice) {
        long reference = source == TriggerSource.MARK ? markPrice : lastTradePrice;
        if (reference == 0) {
            return false;
        }
        return type.firesOnRise(side) ? reference >= triggerPrice : reference <= triggerPrice;
    }

    /** Lots the account may still trade on {@code side} while only reducing its position. */
    private long reducible(long account, Side side) {
        return reducibleFrom(positions.netPosition(account), side);
    }

    /** Lots a trade on {@code side} can take off a net position without opening or growing one. */
    static long reducibleFrom(long position, Side side) {
        if (side == Side.BUY) {
            return position < 0 ? -position : 0;
        }
        return position > 0 ? position : 0;
    }

    private boolean crossesBook(Side side, long price) {
        PriceLevel best = side == Side.BUY ? asks.best() : bids.best();
        return best != null && crosses(side, best.price, price);
    }

    static boolean crosses(Side takerSide, long levelPrice, long limit) {
        return takerSide == Side.BUY ? levelPrice <= limit : levelPrice >= limit;
    }

    private boolean priceInRange(long price) {
        return price > 0 && price <= spec.maxPrice();
    }

    /** One tick behind the best opposite price: where a sliding post-only order rests. */
    private long slidePrice(Side side) {
        return side == Side.BUY ? asks.best().price - 1 : bids.best().price + 1;
    }

    /** The worst price a market order may trade at: the protection band around the best opposite price. */
    private long protectionLimit(Side side, long bestOpposite) {
        long band = spec.marketProtectionPpm();
        if (side == Side.BUY) {
            return Math.min(FixedPoint.mulDivFloor(bestOpposite, FixedPoint.PPM + band, FixedPoint.PPM),
                    spec.maxPrice());
        }
        return Math.max(1, FixedPoint.mulDivCeil(bestOpposite, FixedPoint.PPM - band, FixedPoint.PPM));
    }

    // ------------------------------------------------------------------------------------------------ matching

    /** Matches an accepted order against the book, then rests or cancels its remainder. */
    private void executeTaker(Order taker) {
        BookSide opposite = taker.side == Side.BUY ? asks : bids;
        long limit;
        if (taker.type == OrderType.MARKET) {
            PriceLevel best = opposite.best();
            limit = best == null ? 0 : protectionLimit(taker.side, best.price);
        } else {
            limit = taker.price;
        }
        int stop = limit == 0 ? STOP_NONE : match(taker, opposite, limit);
        if (stop == STOP_NONE && taker.reduceOnly && reducible(taker.account, taker.side) == 0) {
            stop = STOP_REDUCE_ONLY;
        }
        if (taker.remaining == 0) {
            retire(taker);
            return;
        }
        CancelReason reason;
        if (stop == STOP_SELF_TRADE) {
            reason = CancelReason.SELF_TRADE;
        } else if (stop == STOP_REDUCE_ONLY) {
            reason = CancelReason.REDUCE_ONLY;
        } else if (taker.type == OrderType.MARKET) {
            reason = opposite.best() == null ? CancelReason.NO_LIQUIDITY : CancelReason.MARKET_PROTECTION;
        } else if (!taker.timeInForce.rests()) {
            reason = CancelReason.IMMEDIATE_OR_CANCEL;
        } else {
            rest(taker);
            return;
        }
        events.orderCanceled(sequence, timestamp, instrument, taker.orderId, taker.clientOrderId, taker.account,
                taker.remaining, reason);
        retire(taker);
    }

    /** The order has no more business in the book: drop it from the indexes (if it was there) and pool it. */
    private void retire(Order order) {
        if (order.accountOrders != null) {
            unregister(order);
        }
        releaseOrder(order);
    }

    private int match(Order taker, BookSide opposite, long limit) {
        while (taker.remaining > 0) {
            PriceLevel level = opposite.best();
            if (level == null || !crosses(taker.side, level.price, limit)) {
                return STOP_NONE;
            }
            long visibleBefore = level.visibleQuantity;
            int countBefore = level.orderCount;
            int stop = matchLevel(taker, level);
            if (level.visibleQuantity != visibleBefore || level.orderCount != countBefore) {
                finishLevel(level, opposite);
            }
            if (stop != STOP_NONE) {
                return stop;
            }
        }
        return STOP_NONE;
    }

    /**
     * Matches the taker against one level. The maker being matched is always the level's head: each one either
     * leaves the level, moves to its back (an iceberg refill), or ends the taker's turn.
     */
    private int matchLevel(Order taker, PriceLevel level) {
        Order maker;
        while (taker.remaining > 0 && (maker = level.head) != null) {
            if (maker.account == taker.account && taker.selfTradePrevention != SelfTradePrevention.NONE) {
                int stop = preventSelfTrade(taker, maker);
                if (stop != STOP_NONE) {
                    return stop;
                }
            } else if (maker.reduceOnly && reducible(maker.account, maker.side) == 0) {
                cancelMaker(maker, maker.remaining, CancelReason.REDUCE_ONLY);
            } else {
                long quantity = Math.min(taker.remaining, maker.visible);
                if (maker.reduceOnly) {
                    quantity = Math.min(quantity, reducible(maker.account, maker.side));
                }
                if (taker.reduceOnly) {
                    quantity = Math.min(quantity, reducible(taker.account, taker.side));
                    if (quantity == 0) {
                        return STOP_REDUCE_ONLY;
                    }
                }
                trade(level, maker, taker, quantity);
            }
        }
        return STOP_NONE;
    }

    /** Executes one trade at the maker's price and updates the maker's place in the book. */
    private void trade(PriceLevel level, Order maker, Order taker, long quantity) {
        long price = maker.price;
        long tradeId = ++tradeIds;
        maker.filled += quantity;
        maker.remaining -= quantity;
        maker.visible -= quantity;
        level.visibleQuantity -= quantity;
        level.totalQuantity -= quantity;
        maker.accountOrders.addResting(maker, -quantity);
        taker.filled += quantity;
        taker.remaining -= quantity;
        lastTradePrice = price;
        traded = true;
        events.orderFilled(sequence, timestamp, instrument, tradeId, maker.orderId, maker.clientOrderId,
                maker.account, maker.side, price, quantity, maker.remaining, Liquidity.MAKER);
        events.orderFilled(sequence, timestamp, instrument, tradeId, taker.orderId, taker.clientOrderId,
                taker.account, taker.side, price, quantity, taker.remaining, Liquidity.TAKER);
        marketData.tradeExecuted(sequence, timestamp, instrument, tradeId, taker.side, price, quantity);
        positions.onFill(maker.account, maker.side, price, quantity, Liquidity.MAKER);
        positions.onFill(taker.account, taker.side, price, quantity, Liquidity.TAKER);
        if (maker.remaining == 0) {
            level.unlink(maker);
            l3(L3Action.REMOVE, maker, 0);
            retire(maker);
        } else if (maker.visible == 0) {
            // Iceberg peak used up: the next peak joins the back of the queue and loses time priority.
            level.unlink(maker);
            l3(L3Action.REMOVE, maker, 0);
            maker.visible = Math.min(maker.displayQuantity, maker.remaining);
            level.append(maker);
            l3(L3Action.ADD, maker, maker.visible);
            cancelReduceOnlyMakerIfDone(maker);
        } else {
            l3(L3Action.MODIFY, maker, maker.visible);
            cancelReduceOnlyMakerIfDone(maker);
        }
    }

    private void cancelReduceOnlyMakerIfDone(Order maker) {
        if (maker.reduceOnly && reducible(maker.account, maker.side) == 0) {
            cancelMaker(maker, maker.remaining, CancelReason.REDUCE_ONLY);
        }
    }

    /** Applies the taker's self-trade prevention mode against an own resting order; returns the stop code. */
    private int preventSelfTrade(Order taker, Order maker) {
        switch (taker.selfTradePrevention) {
            case EXPIRE_MAKER:
                cancelMaker(maker, maker.remaining, CancelReason.SELF_TRADE);
                return STOP_NONE;
            case EXPIRE_TAKER:
                return STOP_SELF_TRADE;
            case EXPIRE_BOTH:
                cancelMaker(maker, maker.remaining, CancelReason.SELF_TRADE);
                return STOP_SELF_TRADE;
            case DECREMENT:
                return decrement(taker, maker);
            default:
                throw new IllegalStateException("no self-trade prevention to apply");
        }
    }

    /**
     * DECREMENT: both orders shrink by the smaller open quantity without a trade. The order that reaches zero is
     * canceled with {@code SELF_TRADE}; a resting survivor is reported by {@code orderAmended} (keeping its queue
     * position) and the taker, if it survives, by {@code orderAmended} too.
     */
    private int decrement(Order taker, Order maker) {
        long decrement = Math.min(taker.remaining, maker.remaining);
        if (maker.remaining == decrement) {
            cancelMaker(maker, decrement, CancelReason.SELF_TRADE);
        } else {
            PriceLevel level = maker.level;
            // Positive: the maker keeps more than the decrement, so at least one lot of its peak stays visible.
            long newVisible = Math.min(maker.visible, maker.remaining - decrement);
            level.visibleQuantity -= maker.visible - newVisible;
            level.totalQuantity -= decrement;
            maker.accountOrders.addResting(maker, -decrement);
            maker.visible = newVisible;
            maker.quantity -= decrement;
            maker.remaining -= decrement;
            events.orderAmended(sequence, timestamp, instrument, maker.orderId, maker.clientOrderId, maker.account,
                    maker.price, maker.quantity, maker.remaining, maker.triggerPrice);
            l3(L3Action.MODIFY, maker, maker.visible);
        }
        if (taker.remaining == decrement) {
            return STOP_SELF_TRADE;
        }
        taker.quantity -= decrement;
        taker.remaining -= decrement;
        events.orderAmended(sequence, timestamp, instrument, taker.orderId, taker.clientOrderId, taker.account,
                taker.price, taker.quantity, taker.remaining, taker.triggerPrice);
        return STOP_NONE;
    }

    /** Removes a resting maker during matching; its level's L2 change is emitted when matching leaves the level. */
    private void cancelMaker(Order maker, long canceledQuantity, CancelReason reason) {
        events.orderCanceled(sequence, timestamp, instrument, maker.orderId, maker.clientOrderId, maker.account,
                canceledQuantity, reason);
        maker.level.unlink(maker);
        l3(L3Action.REMOVE, maker, 0);
        retire(maker);
    }

    /** Emits the level's L2 state and drops the level when it is empty. */
    private void finishLevel(PriceLevel level, BookSide side) {
        marketData.bookLevelChanged(sequence, timestamp, instrument, ++l2Sequence, side == bids ? Side.BUY : Side.SELL,
                level.price, level.visibleQuantity, level.orderCount);
        if (level.isEmpty()) {
            side.remove(level);
            releaseLevel(level);
        }
    }

    private void l3(L3Action action, Order order, long visible) {
        marketData.bookOrderChanged(sequence, timestamp, instrument, ++l3Sequence, action, order.orderId, order.side,
                order.price, visible);
    }

    /** Puts the order at the back of the queue at its price and makes it findable. */
    private void rest(Order order) {
        order.visible = order.isIceberg() ? Math.min(order.displayQuantity, order.remaining) : order.remaining;
        BookSide side = order.side == Side.BUY ? bids : asks;
        PriceLevel level = side.find(order.price);
        if (level == null) {
            level = acquireLevel();
            level.price = order.price;
            level.key = side.keyOf(order.price);
            side.insert(level);
        }
        if (order.accountOrders == null) {
            register(order);
        }
        level.append(order);
        l3(L3Action.ADD, order, order.visible);
        marketData.bookLevelChanged(sequence, timestamp, instrument, ++l2Sequence, order.side, level.price,
                level.visibleQuantity, level.orderCount);
    }

    private void reduceInPlace(Order order, long newQuantity) {
        PriceLevel level = order.level;
        long decrease = order.quantity - newQuantity;
        long newVisible = Math.min(order.visible, order.remaining - decrease);
        level.totalQuantity -= decrease;
        level.visibleQuantity -= order.visible - newVisible;
        order.accountOrders.addResting(order, -decrease);
        order.quantity = newQuantity;
        order.remaining -= decrease;
        order.visible = newVisible;
        events.orderAmended(sequence, timestamp, instrument, order.orderId, order.clientOrderId, order.account,
                order.price, order.quantity, order.remaining, order.triggerPrice);
        l3(L3Action.MODIFY, order, order.visible);
        marketData.bookLevelChanged(sequence, timestamp, instrument, ++l2Sequence, order.side, level.price,
                level.visibleQuantity, level.orderCount);
    }

    /** New price or larger size: leave the queue, then trade if the new price crosses, else rest at the back. */
    private void requeue(Order order, long newPrice, long newQuantity) {
        events.orderAmended(sequence, timestamp, instrument, order.orderId, order.clientOrderId, order.account,
                newPrice, newQuantity, newQuantity - order.filled, order.triggerPrice);
        BookSide side = order.side == Side.BUY ? bids : asks;
        PriceLevel level = order.level;
        level.unlink(order);
        l3(L3Action.REMOVE, order, 0);
        finishLevel(level, side);
        order.price = newPrice;
        order.quantity = newQuantity;
        order.remaining = newQuantity - order.filled;
        order.visible = 0;
        if (crossesBook(order.side, newPrice)) {
            executeTaker(order);
        } else {
            rest(order);
        }
    }

    private void amendConditional(Order order, long newPrice, long newQuantity, long newTrigger) {
        order.price = newPrice;
        order.quantity = newQuantity;
        order.remaining = newQuantity - order.filled;
        if (newTrigger != order.triggerPrice) {
            order.triggerPrice = newTrigger;
            order.triggerHeap.update(order);
        }
        events.orderAmended(sequence, timestamp, instrument, order.orderId, order.clientOrderId, order.account,
                order.price, order.quantity, order.remaining, order.triggerPrice);
    }

    // ------------------------------------------------------------------------------------------------ triggers

    OrderHeap triggerHeap(Order order) {
        boolean rise = order.type.firesOnRise(order.side);
        if (order.triggerSource == TriggerSource.MARK) {
            return rise ? markRise : markFall;
        }
        return rise ? lastRise : lastFall;
    }

    /** Fires due conditional orders one at a time until none is due; see the class comment for the order. */
    private void fireTriggers() {
        while (true) {
            Order due = null;
            long at = 0;
            if (lastTradePrice > 0) {
                due = dueIn(lastRise, lastFall, lastTradePrice);
                at = lastTradePrice;
            }
            if (due == null && markPrice > 0) {
                due = dueIn(markRise, markFall, markPrice);
                at = markPrice;
            }
            if (due == null) {
                return;
            }
            due.triggerHeap.remove(due);
            events.orderTriggered(sequence, timestamp, instrument, due.orderId, due.clientOrderId, due.account,
                    due.triggerPrice, at);
            due.type = due.type.triggeredType();
            activate(due);
        }
    }

    private static Order dueIn(OrderHeap rise, OrderHeap fall, long price) {
        Order top = rise.peek();
        if (top != null && top.triggerPrice <= price) {
            return top;
        }
        top = fall.peek();
        return top != null && top.triggerPrice >= price ? top : null;
    }

    /** A triggered order enters the book as a taker, unless its own rules forbid it now. */
    private void activate(Order order) {
        CancelReason reason = null;
        BookSide opposite = order.side == Side.BUY ? asks : bids;
        if (order.reduceOnly && reducible(order.account, order.side) == 0) {
            reason = CancelReason.REDUCE_ONLY;
        } else if (order.type == OrderType.MARKET && opposite.best() == null) {
            reason = CancelReason.NO_LIQUIDITY;
        } else if (order.timeInForce == TimeInForce.FOK) {
            long limit = order.type == OrderType.MARKET ? protectionLimit(order.side, opposite.best().price) : order.price;
            if (!fillOrKill.fillable(opposite, order.account, order.side, order.selfTradePrevention, order.reduceOnly,
                    order.remaining, limit)) {
                reason = CancelReason.FILL_OR_KILL;
            }
        }
        if (reason != null) {
            events.orderCanceled(sequence, timestamp, instrument, order.orderId, order.clientOrderId, order.account,
                    order.remaining, reason);
            retire(order);
        } else {
            executeTaker(order);
        }
    }

    // ------------------------------------------------------------------------------------------------ bookkeeping

    private void cancelOpenOrder(Order order, CancelReason reason) {
        events.orderCanceled(sequence, timestamp, instrument, order.orderId, order.clientOrderId, order.account,
                order.remaining, reason);
        removeOpenOrder(order);
        releaseOrder(order);
    }

    /** Takes an open order out of the level or trigger book and the indexes, emitting L3/L2 for a resting one. */
    private void removeOpenOrder(Order order) {
        if (order.isResting()) {
            PriceLevel level = order.level;
            level.unlink(order);
            l3(L3Action.REMOVE, order, 0);
            finishLevel(level, order.side == Side.BUY ? bids : asks);
        } else if (order.triggerHeap != null) {
            order.triggerHeap.remove(order);
        }
        unregister(order);
    }

    /** The account's order list or null; remembers the last (asked for in a row by a new order's checks, then its
     *  registration, and by the margin check's reads of both sides' lots and values); lists live on once made. */
    private AccountOrders accountOrders(long account) {
        if (account != lastAccount || lastAccountOrders == null) {
            lastAccountOrders = byAccount.get(lastAccount = account);
        }
        return lastAccountOrders;
    }

    /** The account's order list, made (empty) when it has none: the book keeps it for its life. */
    AccountOrders accountOrdersOrNew(long account) {
        AccountOrders list = accountOrders(account);
        if (list == null) {
            list = new AccountOrders();
            byAccount.put(account, list);
            lastAccountOrders = list;
            accountListsMade++;
        }
        return list;
    }

    private void register(Order order) {
        ordersById.put(order);
        if (order.clientOrderId != 0) {
            byClientId.put(order);
        }
        accountOrdersOrNew(order.account).append(order);
        if (order.timeInForce == TimeInForce.GTD) {
            expiries.add(order);
        }
    }

    private void unregister(Order order) {
        ordersById.remove(order.orderId);
        if (order.clientOrderId != 0) {
            byClientId.remove(order.account, order.clientOrderId);
        }
        order.accountOrders.unlink(order);
        if (order.expiryHeapIndex >= 0) {
            expiries.remove(order);
        }
    }

    Order acquireOrder() {
        if (orderPoolSize == 0) {
            return new Order();
        }
        Order order = orderPool[--orderPoolSize];
        orderPool[orderPoolSize] = null;
        return order;
    }

    private void releaseOrder(Order order) {
        order.clear();
        if (orderPoolSize == orderPool.length) {
            orderPool = Arrays.copyOf(orderPool, orderPool.length * 2);
        }
        orderPool[orderPoolSize++] = order;
    }

    PriceLevel acquireLevel() {
        if (levelPoolSize == 0) {
            return new PriceLevel();
        }
        return levelPool[--levelPoolSize]; // the slot keeps a stale reference: levels are the book's for life
    }

    private void releaseLevel(PriceLevel level) {
        level.head = null;
        level.tail = null;
        level.orderCount = 0;
        level.visibleQuantity = 0;
        level.totalQuantity = 0;
        if (levelPoolSize == levelPool.length) {
            levelPool = Arrays.copyOf(levelPool, levelPool.length * 2);
        }
        levelPool[levelPoolSize++] = level;
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** Best bid price in ticks, or 0 when there is no bid. */
    @Override
    public long bestBid() {
        PriceLevel best = bids.best();
        return best == null ? 0 : best.price;
    }

    /** Best ask price in ticks, or 0 when there is no ask. */
    @Override
    public long bestAsk() {
        PriceLevel best = asks.best();
        return best == null ? 0 : best.price;
    }

    @Override
    public long lastTradePrice() {
        return lastTradePrice;
    }

    @Override
    public long markPrice() {
        return markPrice;
    }

    public long l2Sequence() {
        return l2Sequence;
    }

    public long l3Sequence() {
        return l3Sequence;
    }

    @Override
    public long tradeCount() {
        return tradeIds;
    }

    /** Open orders: resting plus waiting conditional orders. */
    @Override
    public int openOrders() {
        return ordersById.size();
    }

    /**
     * Lots the account's resting orders still offer on {@code side}: what would fill if they all traded. Waiting
     * conditional orders and reduce-only orders are not included. O(1).
     */
    @Override
    public long restingLots(long account, Side side) {
        AccountOrders list = accountOrders(account);
        return list == null ? 0 : list.restingLots(side);
    }

    /** Sum of remaining lots x price in ticks of the account's resting orders on {@code side}. O(1). */
    public long restingValue(long account, Side side) {
        AccountOrders list = accountOrders(account);
        return list == null ? 0 : list.restingValue(side);
    }

    /**
     * The account's resting totals in this book as a live view, or null while it has never had an order here. Once
     * given, the same view stays valid and current for the book's life (see {@link RestingTotals}): the book never
     * drops an account's order list, and only a restore builds a new book.
     */
    public RestingTotals restingTotals(long account) {
        return accountOrders(account);
    }

    /**
     * How many accounts have been given an order list (a {@link #restingTotals} view) in this book: a caller that found
     * no view for an account knows none has appeared since while this is unchanged.
     */
    public long restingTotalsMade() {
        return accountListsMade;
    }

    /**
     * Reads, and changes nothing, part of what a command naming this order id will read, {@code commandsAhead}
     * commands before it runs: 3, the id index's slot where its look-up starts; 2, the order (the line with its id
     * and links, {@link OrderLinks}); 1, the rest of the order, its level and account totals, and the links its queue
     * and account-list neighbours will have rewritten (not their other fields: a neighbour's links lie a line or two
     * from its quantities). With books larger than the cache these misses are most of a cancel's or an
     * amend's time: a batch applier calls this for each of the next {@link #PREFETCH_STEPS} commands before applying
     * the current one, so that each step has one miss to wait for while the current command runs (a whole chain ahead
     * stalls it: docs/performance.md, "Many books"). Any id and step are taken (nothing found or read for others);
     * the reads go to a field nothing reads, so that the compiler keeps them. Not book state. Thread-confined.
     */
    public void prefetch(long orderId, int commandsAhead) {
        switch (commandsAhead) {
            case 3 -> prefetched += ordersById.readSlot(orderId);
            case 2 -> prefetched += ordersById.contains(orderId) ? 1 : 0;
            case 1 -> {
                Order order = ordersById.get(orderId);
                if (order != null) {
                    PriceLevel level = order.level;
                    Order before = order.prev;
                    Order after = order.next;
                    AccountOrders account = order.accountOrders;
                    Order accountBefore = order.accountPrev;
                    Order accountAfter = order.accountNext;
                    prefetched += (int) order.remaining + (order.side == null ? 0 : 1)
                            + (level == null ? 0 : level.orderCount)
                            + (before == null || before.next == null ? 0 : 1)
                            + (after == null || after.prev == null ? 0 : 1)
                            + (account == null ? 0 : account.count)
                            + (accountBefore == null || accountBefore.accountNext == null ? 0 : 1)
                            + (accountAfter == null || accountAfter.accountPrev == null ? 0 : 1);
                }
            }
            default -> { }
        }
    }

    /** Open orders of one account in this book: resting plus waiting conditional orders. */
    public int openOrders(long account) {
        AccountOrders list = accountOrders(account);
        return list == null ? 0 : list.count;
    }

    /** Number of price levels on a side. */
    @Override
    public int depth(Side side) {
        return (side == Side.BUY ? bids : asks).size();
    }

    /** Price of the level {@code depth} levels from the top of the side (0 = best). */
    @Override
    public long levelPrice(Side side, int depth) {
        return (side == Side.BUY ? bids : asks).fromTop(depth).price;
    }

    /** Visible quantity of that level. */
    @Override
    public long levelQuantity(Side side, int depth) {
        return (side == Side.BUY ? bids : asks).fromTop(depth).visibleQuantity;
    }

    /** Quantity of that level including hidden iceberg reserve. */
    public long levelTotalQuantity(Side side, int depth) {
        return (side == Side.BUY ? bids : asks).fromTop(depth).totalQuantity;
    }

    public int levelOrderCount(Side side, int depth) {
        return (side == Side.BUY ? bids : asks).fromTop(depth).orderCount;
    }

    /**
     * An L2 snapshot of at most {@code maxDepth} levels per side (allocates; for gateways, tools and tests). It
     * carries the sequence of the last command applied to this book and the current {@link #l2Sequence()}.
     */
    @Override
    public BookSnapshot snapshot(int maxDepth) {
        return new BookSnapshot(instrument, sequence, l2Sequence, levels(bids, maxDepth), levels(asks, maxDepth));
    }

    private static List<BookSnapshot.Level> levels(BookSide side, int maxDepth) {
        int depth = Math.min(maxDepth, side.size());
        List<BookSnapshot.Level> levels = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            PriceLevel level = side.fromTop(i);
            levels.add(new BookSnapshot.Level(level.price, level.visibleQuantity, level.orderCount));
        }
        return levels;
    }

    /**
     * The account's open orders in this book, oldest first, as read-only views valid until the next command
     * (allocates; for gateways and tools).
     */
    @Override
    public List<Order> openOrdersOf(long account) {
        AccountOrders orders = byAccount.get(account);
        List<Order> result = new ArrayList<>(orders == null ? 0 : orders.count);
        for (Order o = orders == null ? null : orders.head; o != null; o = o.accountNext) {
            result.add(o);
        }
        return result;
    }

    /**
     * The account's open order named by {@code orderId}, or by {@code clientOrderId} when the order id is 0, as a
     * read-only view valid until the next command; null when there is none or it belongs to another account.
     */
    public Order findOrder(long account, long orderId, long clientOrderId) {
        Order order = orderId != 0 ? ordersById.get(orderId)
                : clientOrderId != 0 ? byClientId.get(account, clientOrderId) : null;
        return order != null && order.account == account ? order : null;
    }

    /** The open order with this id, as a read-only view valid until the next command, or null. */
    @Override
    public Order order(long orderId) {
        return ordersById.get(orderId);
    }

    /** The resting orders of the level {@code depth} from the top, in queue order (a new list; for tools and tests). */
    public List<Order> levelOrders(Side side, int depth) {
        List<Order> result = new ArrayList<>();
        for (Order o = (side == Side.BUY ? bids : asks).fromTop(depth).head; o != null; o = o.next) {
            result.add(o);
        }
        return result;
    }

    /** Conditional orders waiting for their trigger, sorted by order id (a new list). */
    public List<Order> waitingConditionalOrders() {
        List<Order> result = new ArrayList<>();
        for (OrderHeap heap : new OrderHeap[] {lastRise, lastFall, markRise, markFall}) {
            for (int i = 0; i < heap.size(); i++) {
                result.add(heap.at(i));
            }
        }
        result.sort((a, b) -> Long.compare(a.orderId, b.orderId));
        return result;
    }

    /**
     * Feeds the book's state into {@code hasher} in a canonical order: counters, then bids and asks from the best
     * level down with each level's orders in queue order, then waiting conditional orders by order id.
     */
    public void hashState(StateHasher hasher) {
        hasher.add(instrument).add(lastTradePrice).add(markPrice).add(tradeIds).add(l2Sequence).add(l3Sequence);
        hashSide(hasher, bids);
        hashSide(hasher, asks);
        for (Order order : waitingConditionalOrders()) {
            order.hash(hasher);
        }
    }

    private static void hashSide(StateHasher hasher, BookSide side) {
        hasher.add(side.size());
        for (int depth = 0; depth < side.size(); depth++) {
            PriceLevel level = side.fromTop(depth);
            hasher.add(level.price).add(level.visibleQuantity).add(level.totalQuantity).add(level.orderCount);
            for (Order order = level.head; order != null; order = order.next) {
                order.hash(hasher);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Format version of {@link #writeSnapshot}; a reader for every earlier version stays in {@link #readSnapshot}. */
    public static final int SNAPSHOT_VERSION = OrderBookSnapshots.VERSION;

    /**
     * Writes the book's state (version {@value #SNAPSHOT_VERSION}): the context and counters (sequence, timestamp,
     * last trade, mark, trade ids, L2 and L3 sequences, arrivals) and the number of open orders; the price levels of
     * bids then asks, worst to best, each with its orders in queue order, every order with all its fields; the waiting
     * conditional orders of the four trigger heaps (last rising, last falling, mark rising, mark falling) in heap
     * order; the GTD expiry heap as order ids in heap order; and per account with open orders its order ids, oldest
     * first. What follows from these is rebuilt by {@link #readSnapshot}: level and account totals, the order id and
     * client order id indexes. Pools and scratch arrays are not state. (The codec is {@link OrderBookSnapshots}.)
     */
    public void writeSnapshot(SnapshotWriter out) {
        OrderBookSnapshots.write(this, out);
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into this book, which must be new (no order ever placed). Refuses, with
     * a {@link io.meridian.model.snapshot.SnapshotFormatException}, anything a book could not hold: an order id or
     * client order id twice, an order in the wrong level, side or heap, a GTD order missing from the expiry heap, an
     * order in no account's list or in two, levels out of price order, heaps out of order. The section's version is
     * {@code in.version()}.
     */
    public void readSnapshot(SnapshotReader in) {
        OrderBookSnapshots.read(this, in);
    }

    /** The four trigger heaps in the order the snapshot writes them: last rising, last falling, mark rising, falling. */
    OrderHeap[] triggerHeaps() {
        return new OrderHeap[] {lastRise, lastFall, markRise, markFall};
    }
}
