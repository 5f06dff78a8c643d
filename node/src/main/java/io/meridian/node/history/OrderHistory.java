package io.meridian.node.history;

import io.meridian.model.CancelReason;
import io.meridian.model.OrderType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Every account's recent orders with their state, open or final, for {@code GET /v1/orders/history} and for the lookup
 * of one order that is no longer open: accepted, partially filled, filled, canceled (with the reason), expired (GTD), or
 * rejected by the engine (with its reason). Fed by the engine's order events on the engine thread, those of the journal
 * replayed at start included, so it survives a restart as {@link FillHistory} does. Gateway state, not engine state:
 * not journaled, hashed or snapshotted.
 *
 * <p>Bounds (docs/api.md, "Order history"): at most {@link #PER_ACCOUNT} ended orders per account (past it, the first
 * to end goes; open orders stay until they end, bounded by the engine's books), {@link #MAX_RECORDS} ended orders in
 * all and {@link #MAX_ACCOUNTS} accounts. Past the first, the oldest ended order of the account holding the most goes
 * ({@link AccountTable}: a fair share, so one actor's many accounts cannot push another account's history out: every
 * account keeps at least its last {@link #FAIR_SHARE}, and more while fewer accounts hold history); past the second,
 * the account whose orders changed longest ago goes whole. An order that ends after its account was dropped, or that
 * was accepted before the snapshot the node started from, is recorded when it ends with what its last event tells (no
 * side, type or price).
 *
 * <p>Thread confinement: the engine thread only, writes and reads (through {@code EngineLoop.query}); reads return
 * immutable {@link Order} copies. An event costs a primitive-map lookup or two and no search; a read sorts the
 * account's orders by id (at most the bound and the open ones).
 */
public final class OrderHistory {
    public static final int PER_ACCOUNT = 1_000;
    public static final int MAX_ACCOUNTS = 20_000;
    /** Ended orders kept in all. */
    public static final int MAX_RECORDS = 500_000;
    /** The ended orders every account keeps whatever others do, while at most {@link #MAX_ACCOUNTS} hold history. */
    public static final int FAIR_SHARE = MAX_RECORDS / MAX_ACCOUNTS;

    /** Where an order stands. */
    public enum Status {
        NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, REJECTED;

        /** Whether the order has ended. */
        public boolean isFinal() {
            return this == FILLED || this == CANCELED || this == EXPIRED || this == REJECTED;
        }
    }

    /**
     * One order as the history knows it. Prices in ticks, quantities in lots, times in epoch nanoseconds (0: not
     * known or not happened); {@code notional} the sum of price x quantity over its fills (ticks x lots, for the
     * average price); {@code cancelReason} for a canceled order, {@code rejectReason} for a rejected one;
     * {@code side}, {@code type} and {@code timeInForce} null when the order was accepted before the history began;
     * {@code clientOrderText} the client order id as text when it was given so (its key is {@code clientOrderId}).
     */
    public record Order(long orderId, long clientOrderId, String clientOrderText, long account, int instrument,
                        Side side, OrderType type,
                        TimeInForce timeInForce, long price, long quantity, long triggerPrice, long filled,
                        long notional, Status status, CancelReason cancelReason, RejectReason rejectReason,
                        long createdAt, long updatedAt, long updateSequence, long triggeredAt) {
    }

    /**
     * The mutable record of one order. Records that leave the history are reset and reused for the next orders
     * ({@link SpareRecords}), so that a history at its bounds, where every new order pushes an old one out, allocates
     * nothing per order and promotes nothing to the old generation.
     */
    static final class Slot {
        long orderId;
        long clientOrderId;
        String clientOrderText;
        long account;
        int instrument;
        Side side;
        OrderType type;
        TimeInForce timeInForce;
        long price;
        long quantity;
        long triggerPrice;
        long filled;
        long notional;
        Status status = Status.NEW;
        CancelReason cancelReason;
        RejectReason rejectReason;
        long createdAt;
        long updatedAt;
        long updateSequence;
        long triggeredAt;

        /** Back to a new record's state: every field its default (a field left over would show another order's). */
        void reset() {
            orderId = 0;
            clientOrderId = 0;
            clientOrderText = null;
            account = 0;
            instrument = 0;
            side = null;
            type = null;
            timeInForce = null;
            price = 0;
            quantity = 0;
            triggerPrice = 0;
            filled = 0;
            notional = 0;
            status = Status.NEW;
            cancelReason = null;
            rejectReason = null;
            createdAt = 0;
            updatedAt = 0;
            updateSequence = 0;
            triggeredAt = 0;
        }

        Order copy() {
            return new Order(orderId, clientOrderId, clientOrderText, account, instrument, side, type, timeInForce,
                    price, quantity, triggerPrice, filled, notional, status, cancelReason, rejectReason, createdAt,
                    updatedAt, updateSequence, triggeredAt);
        }
    }

    /**
     * One account's orders: the open ones by id, and the ended ones in the order they ended (bounded, the first to end
     * goes first).
     */
    private static final class Account extends AccountTable.Entry {
        final Long2ObjectHashMap<Slot> open = new Long2ObjectHashMap<>();
        final ArrayDeque<Slot> done = new ArrayDeque<>();

        int size() {
            return open.size() + done.size();
        }

        /** The order with this id (a read: the ended ones are searched, newest first). */
        Slot find(long orderId) {
            Slot s = open.get(orderId);
            for (Iterator<Slot> it = done.descendingIterator(); s == null && it.hasNext(); ) {
                Slot ended = it.next();
                s = ended.orderId == orderId ? ended : null;
            }
            return s;
        }

        /** Every order, by id, oldest or newest first (a read: copies and sorts at most the bound and the open). */
        List<Slot> byId(boolean ascending) {
            List<Slot> all = new ArrayList<>(size());
            all.addAll(open.values());
            all.addAll(done);
            Comparator<Slot> order = Comparator.comparingLong(s -> s.orderId);
            all.sort(ascending ? order : order.reversed());
            return all;
        }
    }

    /** Orders kept, open and ended. */
    private int records;
    /** The most records kept for reuse: enough for a burst of ends; the account bound's drops free more, and go. */
    static final int MAX_SPARE = 4_096;
    /** Records that left the history, reset, for the next orders. */
    private final SpareRecords<Slot> spare = new SpareRecords<>(MAX_SPARE, Slot::new, Slot::reset);

    /** The accounts, in the order their orders last changed and by how many ended orders they hold. */
    private final AccountTable<Account> byAccount = new AccountTable<>(PER_ACCOUNT);

    /** A new order passed the engine's checks. */
    public void accepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                         String clientOrderText, long account, Side side, OrderType type, TimeInForce timeInForce,
                         long price, long quantity, long triggerPrice) {
        Slot s = slot(account, orderId, instrument, clientOrderId, clientOrderText, sequence, timestamp);
        s.side = side;
        s.type = type;
        s.timeInForce = timeInForce;
        s.price = price;
        s.quantity = quantity;
        s.triggerPrice = triggerPrice;
        s.createdAt = timestamp;
    }

    /** One fill of the order; {@code remaining} its open quantity after it (0: filled). */
    public void filled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                       String clientOrderText, long account, long price, long quantity, long remaining) {
        Slot s = slot(account, orderId, instrument, clientOrderId, clientOrderText, sequence, timestamp);
        s.filled = Saturating.add(s.filled, quantity);
        s.notional = Saturating.add(s.notional, Saturating.product(price, quantity));
        if (s.quantity < s.filled + remaining) {
            s.quantity = s.filled + remaining;
        }
        status(account, s, remaining == 0 ? Status.FILLED : Status.PARTIALLY_FILLED);
    }

    /** The order (or its remainder) was canceled for {@code reason}. */
    public void canceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                         String clientOrderText, long account, CancelReason reason) {
        Slot s = slot(account, orderId, instrument, clientOrderId, clientOrderText, sequence, timestamp);
        s.cancelReason = reason;
        status(account, s, Status.CANCELED);
    }

    /** A GTD order reached its expiry. */
    public void expired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                        String clientOrderText, long account) {
        status(account, slot(account, orderId, instrument, clientOrderId, clientOrderText, sequence, timestamp),
                Status.EXPIRED);
    }

    /** A conditional order's trigger was crossed: it entered the book. */
    public void triggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                          String clientOrderText, long account) {
        slot(account, orderId, instrument, clientOrderId, clientOrderText, sequence, timestamp).triggeredAt = timestamp;
    }

    /** An open order's price, total quantity or trigger price changed. */
    public void amended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                        String clientOrderText, long account, long price, long quantity, long triggerPrice) {
        Slot s = slot(account, orderId, instrument, clientOrderId, clientOrderText, sequence, timestamp);
        s.price = price;
        s.quantity = quantity;
        s.triggerPrice = triggerPrice;
    }

    /** The engine refused a new order ({@code orderId}: the id it would have had, its command's sequence). */
    public void rejected(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                         String clientOrderText, long account, RejectReason reason) {
        if (account <= 0) {
            return;
        }
        Slot s = slot(account, orderId == 0 ? sequence : orderId, instrument, clientOrderId, clientOrderText, sequence,
                timestamp);
        s.createdAt = timestamp;
        s.rejectReason = reason;
        status(account, s, Status.REJECTED);
    }

    /** The account's order with this id, or null when the history does not hold it. */
    public Order find(long account, long orderId) {
        Account orders = byAccount.peek(account);
        Slot s = orders == null ? null : orders.find(orderId);
        return s == null ? null : s.copy();
    }

    /** The account's newest order with this client order id (optionally in one instrument, 0 = any), or null. */
    public Order findByClientOrderId(long account, long clientOrderId, int instrument) {
        Account orders = byAccount.peek(account);
        if (orders == null) {
            return null;
        }
        for (Slot s : orders.byId(false)) {
            if (s.clientOrderId == clientOrderId && (instrument == 0 || s.instrument == instrument)) {
                return s.copy();
            }
        }
        return null;
    }

    /**
     * The page of the account's orders the query asks for, by order id (see {@link HistoryQuery}); its time window
     * applies to the orders' creation times.
     */
    public HistoryQuery.Page<Order> page(long account, HistoryQuery query) {
        Account orders = byAccount.peek(account);
        if (orders == null) {
            return new HistoryQuery.Page<>(List.of(), null);
        }
        return query.page(orders.byId(query.ascending()).iterator(), s -> s.orderId, s -> 0, s -> s.instrument,
                s -> s.createdAt, Slot::copy);
    }

    /** How many orders are kept now, open and ended, all accounts together. */
    public int size() {
        return records;
    }

    /** How many ended orders are kept now, all accounts together (at most {@link #MAX_RECORDS}). */
    public long ended() {
        return byAccount.total();
    }

    /** Accounts with orders kept now (at most {@link #MAX_ACCOUNTS}). */
    public int accounts() {
        return byAccount.size();
    }

    /**
     * The account's record of the open order, made (with what this event tells) when there is none: a new order, or
     * one accepted before the history began. Never searches the ended orders: an order's events end with its end. The
     * client order id's text, when the event came with one, is kept (the engine tells it with every event of the order).
     */
    private Slot slot(long account, long orderId, int instrument, long clientOrderId, String clientOrderText,
                      long sequence, long timestamp) {
        Account orders = byAccount.touch(account);
        if (orders == null) {
            // The accounts changed longest ago go while the account bound is passed (the last resort: see the class).
            while (byAccount.size() >= MAX_ACCOUNTS) {
                Account dropped = byAccount.removeOldest();
                records -= dropped.size();
                dropped.open.values().forEach(spare::giveBack);
                dropped.done.forEach(spare::giveBack);
            }
            orders = new Account();
            byAccount.add(account, orders);
        }
        Slot s = orders.open.get(orderId);
        if (s == null) {
            s = spare.take();
            s.orderId = orderId;
            s.account = account;
            s.instrument = instrument;
            s.clientOrderId = clientOrderId;
            s.clientOrderText = clientOrderText;
            orders.open.put(orderId, s);
            records++;
        }
        s.updatedAt = timestamp;
        s.updateSequence = sequence;
        return s;
    }

    /**
     * Sets the order's status (a final one stays): an order that ends moves to its account's ended orders, the first
     * of which to end goes past {@link #PER_ACCOUNT}; past {@link #MAX_RECORDS} ended orders in all, the first to end of
     * the account holding the most goes (maybe this one's).
     */
    private void status(long account, Slot s, Status status) {
        if (s.status.isFinal()) {
            return;
        }
        s.status = status;
        if (status.isFinal()) {
            Account orders = byAccount.peek(account);
            orders.open.remove(s.orderId);
            if (orders.done.size() == PER_ACCOUNT) {
                spare.giveBack(orders.done.removeFirst());
                records--;
            } else {
                byAccount.counted(orders, 1);
            }
            orders.done.addLast(s);
            while (byAccount.total() > MAX_RECORDS) {
                Account largest = byAccount.largest();
                spare.giveBack(largest.done.removeFirst());
                records--;
                byAccount.counted(largest, -1);
            }
        }
    }

    /** Records kept for reuse now (for tests). */
    int spareRecords() {
        return spare.size();
    }

    /** Records made since the history began, reused ones not counted (for tests). */
    long recordsMade() {
        return spare.made();
    }
}
