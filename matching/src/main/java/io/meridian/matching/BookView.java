package io.meridian.matching;

import io.meridian.model.BookSnapshot;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;

import java.util.List;

/**
 * What queries read of one instrument's order book: the read-only face of {@link OrderBook}, which implements it, so
 * that a query holds the engine's book without the means to change it and reading it copies nothing (gateways read
 * books often). It has no method that changes the book.
 *
 * <p><b>Thread confinement.</b> The view is the live book: read it on the engine thread, between commands (a gateway
 * through its engine thread's query slot). What it returns reflects the state after the last command; the
 * {@link Order}s it hands out are the book's pooled orders, read-only, valid until the next command and not to be
 * kept.
 */
public interface BookView {

    /** The instrument this book trades. */
    InstrumentSpec spec();

    /** Best bid price in ticks, or 0 when there is no bid. */
    long bestBid();

    /** Best ask price in ticks, or 0 when there is no ask. */
    long bestAsk();

    /** Price of the last trade in ticks, or 0 before the first. */
    long lastTradePrice();

    /** The mark price in ticks, or 0 before the first. */
    long markPrice();

    /** Trades executed in this book so far (the last trade id). */
    long tradeCount();

    /** Open orders: resting plus waiting conditional orders. */
    int openOrders();

    /**
     * Lots the account's resting orders still offer on {@code side}: what would fill if they all traded. Waiting
     * conditional orders and reduce-only orders are not included. O(1).
     */
    long restingLots(long account, Side side);

    /** Number of price levels on a side. */
    int depth(Side side);

    /** Price of the level {@code depth} levels from the top of the side (0 = best). */
    long levelPrice(Side side, int depth);

    /** Visible quantity of that level. */
    long levelQuantity(Side side, int depth);

    /**
     * An L2 snapshot of at most {@code maxDepth} levels per side (allocates; for gateways, tools and tests). It
     * carries the sequence of the last command applied to this book and the book's current L2 sequence.
     */
    BookSnapshot snapshot(int maxDepth);

    /** The open order with this id, as a read-only view valid until the next command, or null. */
    Order order(long orderId);

    /**
     * The account's open orders in this book, oldest first, as read-only views valid until the next command
     * (allocates; for gateways and tools).
     */
    List<Order> openOrdersOf(long account);
}
