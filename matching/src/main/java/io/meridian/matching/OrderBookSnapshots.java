package io.meridian.matching;

import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The snapshot section of one {@link OrderBook}: the format {@link OrderBook#writeSnapshot} documents, written from
 * the book's state and read back into a new book with every check {@link OrderBook#readSnapshot} promises (a reject
 * is a {@link io.meridian.model.snapshot.SnapshotFormatException} naming what is wrong). Kept apart from the book so
 * that the matching code is not interleaved with its persistence; it reads and writes the book's package-private
 * state directly, on the book's thread, and is reached only through those two methods.
 */
final class OrderBookSnapshots {
    /** Format version written; a reader for every earlier version stays in {@link #read}. */
    static final int VERSION = 1;

    private OrderBookSnapshots() {
    }

    /** Writes {@code book}'s section in the format {@link OrderBook#writeSnapshot} documents. */
    static void write(OrderBook book, SnapshotWriter out) {
        out.writeVarLong(book.sequence);
        out.writeVarLong(book.timestamp);
        out.writeVarLong(book.lastTradePrice);
        out.writeVarLong(book.markPrice);
        out.writeVarLong(book.tradeIds);
        out.writeVarLong(book.l2Sequence);
        out.writeVarLong(book.l3Sequence);
        out.writeVarLong(book.arrivals);
        out.writeCount(book.ordersById.size());
        writeLevels(out, book.bids);
        writeLevels(out, book.asks);
        for (OrderHeap heap : book.triggerHeaps()) {
            out.writeCount(heap.size());
            for (int i = 0; i < heap.size(); i++) {
                heap.at(i).write(out);
            }
        }
        out.writeCount(book.expiries.size());
        for (int i = 0; i < book.expiries.size(); i++) {
            out.writeVarLong(book.expiries.at(i).orderId);
        }
        int[] lists = {0};
        book.byAccount.forEachLong((account, list) -> lists[0] += list.count > 0 ? 1 : 0);
        out.writeCount(lists[0]);
        book.byAccount.forEachLong((account, list) -> {
            if (list.count > 0) {
                out.writeVarLong(account);
                out.writeCount(list.count);
                for (Order o = list.head; o != null; o = o.accountNext) {
                    out.writeVarLong(o.orderId);
                }
            }
        });
    }

    private static void writeLevels(SnapshotWriter out, BookSide side) {
        out.writeCount(side.size());
        for (int depth = side.size() - 1; depth >= 0; depth--) {
            PriceLevel level = side.fromTop(depth);
            out.writeVarLong(level.price);
            out.writeCount(level.orderCount);
            for (Order o = level.head; o != null; o = o.next) {
                o.write(out);
            }
        }
    }

    /** Restores a section {@link #write} wrote into {@code book}, which must be new; see {@link OrderBook#readSnapshot}. */
    static void read(OrderBook book, SnapshotReader in) {
        if (!book.ordersById.isEmpty() || book.arrivals != 0) {
            throw new IllegalStateException("a snapshot is restored into a new book only");
        }
        book.sequence = in.readVarLong();
        book.timestamp = in.readVarLong();
        book.lastTradePrice = in.readVarLong();
        book.markPrice = in.readVarLong();
        book.tradeIds = in.readVarLong();
        book.l2Sequence = in.readVarLong();
        book.l3Sequence = in.readVarLong();
        book.arrivals = in.readVarLong();
        int open = in.readCount(Order.SNAPSHOT_MIN_BYTES);
        book.ordersById.ensureCapacity(open);
        int gtd = readLevels(book, in, book.bids, Side.BUY) + readLevels(book, in, book.asks, Side.SELL);
        for (OrderHeap heap : book.triggerHeaps()) {
            int count = in.readCount(Order.SNAPSHOT_MIN_BYTES);
            for (int i = 0; i < count; i++) {
                Order order = readOrder(book, in);
                if (!order.type.isConditional() || book.triggerHeap(order) != heap) {
                    throw in.fail("order " + order.orderId + " of type " + order.type + " is in the wrong trigger heap");
                }
                heap.restoreNext(order);
                gtd += order.timeInForce == TimeInForce.GTD ? 1 : 0;
            }
            if (!heap.isOrdered()) {
                throw in.fail("a trigger heap of instrument " + book.instrument + " is out of order");
            }
        }
        int expiring = in.readCount(1);
        if (expiring != gtd) {
            throw in.fail("the expiry heap holds " + expiring + " orders, the book " + gtd + " GTD orders");
        }
        for (int i = 0; i < expiring; i++) {
            Order order = knownOrder(book, in);
            if (order.timeInForce != TimeInForce.GTD || order.expiryHeapIndex >= 0) {
                throw in.fail("order " + order.orderId + " cannot be in the expiry heap (again)");
            }
            book.expiries.restoreNext(order);
        }
        if (!book.expiries.isOrdered()) {
            throw in.fail("the expiry heap of instrument " + book.instrument + " is out of order");
        }
        if (book.ordersById.size() != open) {
            throw in.fail(open + " open orders announced, " + book.ordersById.size() + " read");
        }
        int accounts = in.readCount(3);
        if (accounts > book.byAccount.capacity() / 2) {
            book.byAccount = new Long2ObjectHashMap<>(2 * accounts, 0.5f);
        }
        book.lastAccountOrders = null;
        int listed = 0;
        for (int i = 0; i < accounts; i++) {
            long account = in.readVarLong();
            int count = in.readCount(1);
            if (count == 0 || book.byAccount.containsKey(account)) {
                throw in.fail("account " + account + " has an empty or a second order list");
            }
            AccountOrders list = book.accountOrdersOrNew(account);
            for (int k = 0; k < count; k++) {
                Order order = knownOrder(book, in);
                if (order.account != account || order.accountOrders != null) {
                    throw in.fail("order " + order.orderId + " cannot be in the list of account " + account);
                }
                list.append(order);
            }
            listed += count;
        }
        if (listed != book.ordersById.size()) {
            throw in.fail(book.ordersById.size() - listed + " orders of instrument " + book.instrument
                    + " are in no account's list");
        }
        addRestingToAccounts(book.bids);
        addRestingToAccounts(book.asks);
    }

    /** Reads one side's levels and their orders; returns how many of them are GTD. */
    private static int readLevels(OrderBook book, SnapshotReader in, BookSide side, Side sideOf) {
        int gtd = 0;
        int levels = in.readCount(2 + Order.SNAPSHOT_MIN_BYTES);
        long previousKey = Long.MIN_VALUE;
        for (int i = 0; i < levels; i++) {
            long price = in.readVarLong();
            long key = side.keyOf(price);
            int count = in.readCount(Order.SNAPSHOT_MIN_BYTES);
            if (count == 0 || price <= 0 || key <= previousKey) {
                throw in.fail("price level " + price + " is empty or out of order");
            }
            previousKey = key;
            PriceLevel level = book.acquireLevel();
            level.price = price;
            level.key = key;
            for (int k = 0; k < count; k++) {
                Order order = readOrder(book, in);
                if (order.side != sideOf || order.price != price || order.type.isConditional() || order.visible <= 0
                        || order.visible > order.remaining) {
                    throw in.fail("order " + order.orderId + " cannot rest at " + sideOf + " " + price);
                }
                // Linked here; the account's resting totals follow once the account lists exist.
                order.level = level;
                order.prev = level.tail;
                if (level.tail == null) {
                    level.head = order;
                } else {
                    level.tail.next = order;
                }
                level.tail = order;
                level.orderCount++;
                level.visibleQuantity += order.visible;
                level.totalQuantity += order.remaining;
                gtd += order.timeInForce == TimeInForce.GTD ? 1 : 0;
            }
            side.insert(level);
        }
        return gtd;
    }

    /** Reads one order and indexes it by order id and client order id. */
    private static Order readOrder(OrderBook book, SnapshotReader in) {
        Order o = book.acquireOrder();
        o.read(in);
        if (o.orderId <= 0 || o.account <= 0 || o.remaining <= 0 || o.remaining != o.quantity - o.filled
                || book.ordersById.put(o) != null
                || o.clientOrderId != 0 && book.byClientId.get(o.account, o.clientOrderId) != null) {
            throw in.fail("order " + o.orderId + " of account " + o.account + " is not a valid open order or is there"
                    + " twice");
        }
        if (o.clientOrderId != 0) {
            book.byClientId.put(o);
        }
        return o;
    }

    private static Order knownOrder(OrderBook book, SnapshotReader in) {
        long orderId = in.readVarLong();
        Order order = book.ordersById.get(orderId);
        if (order == null) {
            throw in.fail("order " + orderId + " is not in the book of instrument " + book.instrument);
        }
        return order;
    }

    private static void addRestingToAccounts(BookSide side) {
        for (int depth = 0; depth < side.size(); depth++) {
            for (Order o = side.fromTop(depth).head; o != null; o = o.next) {
                o.accountOrders.addResting(o, o.remaining);
            }
        }
    }
}
