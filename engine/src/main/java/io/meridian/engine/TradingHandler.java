package io.meridian.engine;

import io.meridian.matching.Order;
import io.meridian.matching.OrderBook;
import io.meridian.model.Command;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.risk.MarginEngine;

/**
 * Order entry: PLACE_ORDER, AMEND_ORDER, CANCEL_ORDER and CANCEL_ALL, and the GTD expiry timer. A new order is
 * checked by its book, then by the margin engine ({@code INSUFFICIENT_MARGIN}, {@code LEVERAGE_ABOVE_TIER_MAX}), and
 * only then placed; an amend that passes its book's checks and raises the quantity or moves the price towards the
 * other side is checked as a new order would be (the stale-index guard, {@link MarginEngine#checkAmend}). Every
 * refusal is a {@code commandRejected} event. Engine thread.
 */
final class TradingHandler {
    private final Markets markets;
    private final MarginEngine margin;
    private final Options options;
    private final PriceGuard guard;
    private final TouchedAccounts touched;

    TradingHandler(Markets markets, MarginEngine margin, Options options, PriceGuard guard, TouchedAccounts touched) {
        this.markets = markets;
        this.margin = margin;
        this.options = options;
        this.guard = guard;
        this.touched = touched;
    }

    void place(Command c) {
        OrderBook book = tradableBook(c);
        if (book == null) {
            return;
        }
        RejectReason reason = c.orderId >= Liquidator.ORDER_ID_BASE ? RejectReason.INVALID_ORDER_ID : book.validate(c);
        if (reason == null && !c.reduceOnly && guard.reduceOnlyWhileStale(c.instrument)) {
            reason = RejectReason.INDEX_STALE_REDUCE_ONLY;
        }
        if (reason == null) {
            reason = margin.checkOrder(c.account, c.instrument, c.side, c.quantity, valuationPrice(book, c),
                    c.reduceOnly);
        }
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        margin.touch(c.account, c.instrument);
        if (margin.applyPendingTopUp() != 0) {
            touched.add(c.account, markets.clearings[c.instrument].asset());
        }
        book.placeValidated(c);
        markets.nextExpiry = Math.min(markets.nextExpiry, book.nextExpiry());
    }

    /** The price a new order is valued at when its instrument has no mark or trade yet. */
    private static long valuationPrice(OrderBook book, Command c) {
        if (c.price > 0) {
            return c.price;
        }
        if (c.triggerPrice > 0) {
            return c.triggerPrice;
        }
        return c.side == Side.BUY ? book.bestAsk() : book.bestBid();
    }

    void amend(Command c) {
        OrderBook book = tradableBook(c);
        if (book == null) {
            return;
        }
        Order order = c.account > 0 ? book.findOrder(c.account, c.orderId, c.clientOrderId) : null;
        // The book's own checks first (it rejects while applying): the margin arithmetic then sees only prices and
        // quantities within the instrument's limits, and never refuses for margin what the book refuses anyway.
        if (order != null && book.validateAmend(c, order) == null) {
            RejectReason reason = checkAmend(c, order);
            // The book may still refuse a post-only amend that would cross, so no top-up can be moved safely before
            // it: an isolated position must already hold the margin a larger order needs (ADJUST_ISOLATED_MARGIN adds
            // it).
            if (reason == null && margin.discardPendingTopUp() > 0) {
                reason = RejectReason.INSUFFICIENT_MARGIN;
            }
            if (reason != null) {
                markets.reject(c, reason);
            } else {
                // Found and validated above, nothing applied since: the book neither looks the order up nor checks
                // the amend again.
                book.amendValidated(c, order);
            }
            return;
        }
        // Unknown order or refused by the book: amend looks it up again and gives the reject.
        book.amend(c);
    }

    /**
     * The checks of an amend that adds risk, raising the quantity or moving the price towards the other side, as of a
     * new order: {@code INDEX_STALE_REDUCE_ONLY} while the instrument's index is stale (when so configured) unless
     * the order is reduce-only, then the margin check (the increase; the whole new remainder, which may fill at the
     * new price, for its fee and open loss). Null for any other amend, which adds no risk.
     */
    private RejectReason checkAmend(Command c, Order order) {
        long newQuantity = c.quantity > 0 ? c.quantity : order.quantity();
        long added = Math.max(0, newQuantity - order.quantity());
        long newPrice = c.price > 0 ? c.price : order.price();
        boolean towardsOtherSide = order.side() == Side.BUY ? newPrice > order.price() : newPrice < order.price();
        if (added == 0 && !towardsOtherSide) {
            return null;
        }
        if (!order.reduceOnly() && guard.reduceOnlyWhileStale(c.instrument)) {
            return RejectReason.INDEX_STALE_REDUCE_ONLY;
        }
        long moved = towardsOtherSide ? newQuantity - order.filled() : added;
        return margin.checkAmend(c.account, c.instrument, order.side(), added, moved, newPrice, order.reduceOnly());
    }

    void cancel(Command c) {
        OrderBook book = markets.book(c);
        if (book != null) {
            book.cancel(c);
        }
    }

    void cancelAll(Command c) {
        if (c.account <= 0) {
            markets.reject(c, RejectReason.INVALID_ACCOUNT);
            return;
        }
        if (c.instrument == Command.ALL_INSTRUMENTS) {
            for (int i = 0; i < markets.instrumentCount; i++) {
                OrderBook book = markets.books[markets.instrumentIds[i]];
                book.setContext(c.sequence, c.timestamp);
                book.cancelAll(c.account);
            }
            return;
        }
        OrderBook book = markets.book(c);
        if (book != null) {
            book.cancelAll(c.account);
        }
    }

    /** The GTD timer: expires every order due by {@code timestamp}, books in instrument id order. */
    void expireDue(long sequence, long timestamp) {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < markets.instrumentCount; i++) {
            OrderBook book = markets.books[markets.instrumentIds[i]];
            if (book.nextExpiry() <= timestamp) {
                book.setContext(sequence, timestamp);
                book.expireDue(timestamp);
            }
            earliest = Math.min(earliest, book.nextExpiry());
        }
        markets.nextExpiry = earliest;
    }

    /**
     * As {@link Markets#book(Command)}, and also rejects {@code INSTRUMENT_NOT_TRADING} once a dated future has
     * expired, and for an option {@code INSTRUMENT_EXPIRED} once it has expired or {@code OPTION_NOT_PRICED} before its
     * index published.
     */
    private OrderBook tradableBook(Command c) {
        OrderBook book = markets.book(c);
        if (book == null) {
            return null;
        }
        long expiry = book.spec().expiryTimestamp();
        if (expiry != 0) {
            OptionSeries option = options.series(c.instrument);
            RejectReason reason = option != null ? options.tradingReject(option)
                    : c.timestamp >= expiry ? RejectReason.INSTRUMENT_NOT_TRADING : null;
            if (reason != null) {
                markets.reject(c, reason);
                return null;
            }
        }
        return book;
    }
}
