package io.meridian.benchmarks;

import io.meridian.matching.Order;
import io.meridian.matching.OrderBook;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;

import java.util.Locale;

/**
 * Where a replay left the books, in terms another order book can report too, so that two implementations fed the same
 * workload can be checked to end in the same place (benchmarks/peer/ExchangeCoreSideBySide.java prints the same line
 * for exchange-core's book).
 *
 * @param trades      trades since the books were created (one per maker fill, self-trades included)
 * @param restingBids open buy orders over all books
 * @param restingAsks open sell orders over all books
 * @param digest      {@link #digest} of the resting orders
 * @param stateHash   Meridian's own state hash of the books ({@link OrderBook#hashState}), which also covers fields
 *                    another book does not have (order types, counters); for comparing two Meridian replays
 */
public record BookState(long trades, long restingBids, long restingAsks, long digest, long stateHash) {

    /** The state of these books, instrument by instrument in array order. */
    public static BookState of(OrderBook... books) {
        long trades = 0;
        long bids = 0;
        long asks = 0;
        long digest = 0;
        StateHasher hasher = new StateHasher();
        for (OrderBook book : books) {
            trades += book.tradeCount();
            for (Side side : new Side[] {Side.BUY, Side.SELL}) {
                int count = 0;
                for (int depth = 0; depth < book.depth(side); depth++) {
                    count += book.levelOrderCount(side, depth);
                }
                if (side == Side.BUY) {
                    bids += count;
                } else {
                    asks += count;
                }
                digest = digest * 31 + count;
                for (int depth = 0; depth < book.depth(side); depth++) {
                    for (Order o : book.levelOrders(side, depth)) {
                        digest = digestOrder(digest, o.orderId(), o.price(), o.remaining(), o.account());
                    }
                }
            }
            book.hashState(hasher);
        }
        return new BookState(trades, bids, asks, digest, hasher.value());
    }

    /**
     * The digest's step for one resting order. The digest is, for each book in instrument order and for its bids then
     * its asks: {@code d = d * 31 + number of orders on the side}, then for each order in matching priority (best
     * price first, oldest first within a price) {@code d = (((d * 31 + orderId) * 31 + price) * 31 + remaining) * 31
     * + account}, in wrapping long arithmetic starting from 0. It covers what every price-time book has: which orders
     * rest, where, in what order and with how much left.
     */
    static long digestOrder(long digest, long orderId, long price, long remaining, long account) {
        return (((digest * 31 + orderId) * 31 + price) * 31 + remaining) * 31 + account;
    }

    /** {@code trades=N resting_bids=N resting_asks=N book_digest=HEX}: the line both sides of a comparison print. */
    public String line() {
        return String.format(Locale.ROOT, "trades=%d resting_bids=%d resting_asks=%d book_digest=%016x", trades,
                restingBids, restingAsks, digest);
    }
}
