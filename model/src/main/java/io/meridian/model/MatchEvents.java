package io.meridian.model;

/**
 * What an order book reports, and all it may report: the events of its orders (accepted, filled, canceled, expired,
 * triggered, amended, rejected), public trades, L2 and L3 book deltas and mark changes. A book is given this narrow
 * interface, not {@link EngineEvents} (which extends it), so matching cannot fire the engine's ledger, margin or
 * liquidation events. Delivered synchronously on the engine thread, in the order they happened, with the sequence
 * number and timestamp of the command that caused them; implementations must not call back into the book and must
 * copy what they keep.
 *
 * <p>Market-data events carry their own per-instrument sequence numbers: {@code l2Sequence} increases by one per
 * {@link #bookLevelChanged} and {@code l3Sequence} by one per {@link #bookOrderChanged}, so a client that applies
 * them to a snapshot (which carries the same numbers) detects a gap as a jump.
 *
 * <p>All methods default to no-ops so that a consumer implements only what it reads.
 */
public interface MatchEvents {

    /** A new order passed validation. Fills, resting or cancellation of the remainder follow as separate events. */
    default void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                               long account, Side side, OrderType type, TimeInForce timeInForce, long price,
                               long quantity, long triggerPrice) {
    }

    /** A command was refused; nothing it asked for happened. {@code orderId} is the order it named, if any. */
    default void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                                 long clientOrderId, long account, RejectReason reason) {
    }

    /**
     * One side of a trade. Each trade produces two events with the same {@code tradeId}: the maker's first,
     * then the taker's. {@code price} is always the maker's price; {@code remaining} is the order's open quantity
     * after this fill.
     */
    default void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                             long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                             Liquidity liquidity) {
    }

    /** An order, or its unfilled remainder of {@code canceledQuantity} lots, is gone for {@code reason}. */
    default void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                               long account, long canceledQuantity, CancelReason reason) {
    }

    /** A GTD order reached its expiry time; its open {@code expiredQuantity} lots are gone. */
    default void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long expiredQuantity) {
    }

    /** A conditional order's trigger was crossed at {@code triggeredAt}; it now enters the book as its plain type. */
    default void orderTriggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                long account, long triggerPrice, long triggeredAt) {
    }

    /** An open order was changed: its price, total quantity, open quantity and trigger price are now these. */
    default void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long price, long quantity, long remaining, long triggerPrice) {
    }

    /** A public trade for the tape: taker side, price and quantity. Follows the two {@link #orderFilled} events. */
    default void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide,
                               long price, long quantity) {
    }

    /** L2 delta: the level at {@code price} now shows {@code quantity} lots in {@code orderCount} orders (0 = gone). */
    default void bookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side,
                                  long price, long quantity, int orderCount) {
    }

    /** L3 delta: a resting order was added, changed in place, or removed; quantities are visible quantities. */
    default void bookOrderChanged(long sequence, long timestamp, int instrument, long l3Sequence, L3Action action,
                                  long orderId, Side side, long price, long visibleQuantity) {
    }

    /** The instrument's mark price changed. */
    default void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
    }
}
