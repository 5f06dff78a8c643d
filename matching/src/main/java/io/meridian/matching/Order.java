package io.meridian.matching;

import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;

/**
 * An open order: resting in a price level or waiting in the trigger book. Pooled and reused by {@link OrderBook};
 * never escapes it except through read-only views handed to snapshot visitors during the call.
 * Invariants: {@code remaining == quantity - filled > 0} while open; {@code 0 < visible <= remaining} while resting.
 */
public final class Order {
    long orderId;
    long clientOrderId;
    long account;
    Side side;
    /** The current type: a triggered conditional order turns into LIMIT or MARKET. */
    OrderType type;
    TimeInForce timeInForce;
    long price;
    /** Total quantity including what has filled; lowered by amends and self-trade decrements. */
    long quantity;
    long filled;
    long remaining;
    /** Iceberg peak size; 0 when the order is fully visible. */
    long displayQuantity;
    /** What the book shows of a resting order: the current iceberg peak, else {@link #remaining}. */
    long visible;
    long triggerPrice;
    TriggerSource triggerSource;
    long expireAt;
    PostOnly postOnly;
    boolean reduceOnly;
    SelfTradePrevention selfTradePrevention;
    /** Book-local arrival counter: the tie-break for heaps, so equal keys fire in arrival order. */
    long arrival;

    PriceLevel level;
    Order prev;
    Order next;

    AccountOrders accountOrders;
    Order accountPrev;
    Order accountNext;

    int expiryHeapIndex = -1;
    int triggerHeapIndex = -1;
    OrderHeap triggerHeap;

    void clear() {
        level = null;
        prev = null;
        next = null;
        accountOrders = null;
        accountPrev = null;
        accountNext = null;
        expiryHeapIndex = -1;
        triggerHeapIndex = -1;
        triggerHeap = null;
        side = null;
        type = null;
        timeInForce = null;
        triggerSource = null;
        postOnly = null;
        selfTradePrevention = null;
    }

    boolean isResting() {
        return level != null;
    }

    boolean isIceberg() {
        return displayQuantity > 0;
    }

    public long orderId() {
        return orderId;
    }

    public long clientOrderId() {
        return clientOrderId;
    }

    public long account() {
        return account;
    }

    public Side side() {
        return side;
    }

    public OrderType type() {
        return type;
    }

    public TimeInForce timeInForce() {
        return timeInForce;
    }

    public long price() {
        return price;
    }

    public long quantity() {
        return quantity;
    }

    public long filled() {
        return filled;
    }

    public long remaining() {
        return remaining;
    }

    public long displayQuantity() {
        return displayQuantity;
    }

    public long visible() {
        return visible;
    }

    public long triggerPrice() {
        return triggerPrice;
    }

    public TriggerSource triggerSource() {
        return triggerSource;
    }

    public long expireAt() {
        return expireAt;
    }

    public boolean reduceOnly() {
        return reduceOnly;
    }

    public PostOnly postOnly() {
        return postOnly;
    }

    public SelfTradePrevention selfTradePrevention() {
        return selfTradePrevention;
    }
}
