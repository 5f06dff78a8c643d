package io.meridian.engine;

import io.meridian.matching.OrderBook;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.OrderType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

/**
 * The engine's own orders in the books: the IOC reduce-only orders of a liquidated account's steps and of the
 * insurance fund's unwinds ({@link Liquidator}, {@link InsuranceFund}). Owns their order ids (from
 * {@link Liquidator#ORDER_ID_BASE} up, part of the state hash and the snapshot) and knows which account's order is in
 * the book now, so that {@link Clearing} can tell a liquidation fill from a trade.
 *
 * <p>Engine thread only; garbage-free (one reused command).
 */
final class LiquidationOrders {
    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final Command order = new Command();
    private long nextOrderId = Liquidator.ORDER_ID_BASE;

    /** The account whose liquidation order is in the book now, and the instrument it is in. */
    private long liquidating;
    private int liquidatingInstrument = -1;

    LiquidationOrders(OrderBook[] books, Clearing[] clearings) {
        this.books = books;
        this.clearings = clearings;
    }

    /** An IOC reduce-only order of the account (a liquidated account, or the fund); returns the lots filled. */
    long place(long sequence, long timestamp, long account, int instrument, Side side, long price, long lots) {
        OrderBook book = books[instrument];
        long before = Math.abs(clearings[instrument].positions().size(account));
        order.reset();
        order.type = CommandType.PLACE_ORDER;
        order.sequence = sequence;
        order.timestamp = timestamp;
        order.account = account;
        order.instrument = instrument;
        order.orderId = nextOrderId++;
        order.side = side;
        order.orderType = OrderType.LIMIT;
        order.timeInForce = TimeInForce.IOC;
        order.price = price;
        order.quantity = lots;
        order.reduceOnly = true;
        book.setContext(sequence, timestamp);
        liquidating = account;
        liquidatingInstrument = instrument;
        try {
            book.placeValidated(order);
        } finally {
            liquidating = 0;
            liquidatingInstrument = -1;
        }
        return before - Math.abs(clearings[instrument].positions().size(account));
    }

    /** True while the account's order placed by {@link #place} is in the instrument's book. */
    boolean isLiquidationFill(long account, int instrument) {
        return account == liquidating && instrument == liquidatingInstrument;
    }

    /** The id the next order will get. */
    long nextOrderId() {
        return nextOrderId;
    }

    void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(nextOrderId);
    }

    /** Restores what {@link #writeSnapshot} wrote; refuses an id below {@link Liquidator#ORDER_ID_BASE}. */
    void readSnapshot(SnapshotReader in) {
        nextOrderId = in.readVarLong();
        if (nextOrderId < Liquidator.ORDER_ID_BASE) {
            throw in.fail("the next liquidation order id " + nextOrderId + " is below " + Liquidator.ORDER_ID_BASE);
        }
    }
}
