package io.meridian.matching;

import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

/**
 * An open order: resting in a price level or waiting in the trigger book. Pooled and reused by {@link OrderBook};
 * never escapes it except through read-only views handed to snapshot visitors during the call.
 * Invariants: {@code remaining == quantity - filled > 0} while open; {@code 0 < visible <= remaining} while resting.
 */
public final class Order extends OrderLinks {
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

    int expiryHeapIndex = -1;
    int triggerHeapIndex = -1;
    OrderHeap triggerHeap;

    /** The fewest bytes an order takes in a snapshot (one per field): bounds counts read from a damaged one. */
    static final int SNAPSHOT_MIN_BYTES = 19;
    private static final Side[] SIDES = Side.values();
    private static final OrderType[] ORDER_TYPES = OrderType.values();
    private static final TimeInForce[] TIME_IN_FORCES = TimeInForce.values();
    private static final TriggerSource[] TRIGGER_SOURCES = TriggerSource.values();
    private static final PostOnly[] POST_ONLYS = PostOnly.values();
    private static final SelfTradePrevention[] STPS = SelfTradePrevention.values();

    /** Adds the order's state (every field a snapshot keeps but its arrival) to the book's state hash. */
    void hash(StateHasher hasher) {
        hasher.add(orderId).add(clientOrderId).add(account).add(side).add(type).add(timeInForce).add(price)
                .add(quantity).add(filled).add(remaining).add(displayQuantity).add(visible).add(triggerPrice)
                .add(triggerSource).add(expireAt).add(postOnly).add(reduceOnly).add(selfTradePrevention);
    }

    /** Writes the order's fields to its book's snapshot section, in the order {@link #read} reads them. */
    void write(SnapshotWriter out) {
        out.writeVarLong(orderId);
        out.writeVarLong(clientOrderId);
        out.writeVarLong(account);
        out.writeEnum(side);
        out.writeEnum(type);
        out.writeEnum(timeInForce);
        out.writeVarLong(price);
        out.writeVarLong(quantity);
        out.writeVarLong(filled);
        out.writeVarLong(remaining);
        out.writeVarLong(displayQuantity);
        out.writeVarLong(visible);
        out.writeVarLong(triggerPrice);
        out.writeEnum(triggerSource);
        out.writeVarLong(expireAt);
        out.writeEnum(postOnly);
        out.writeBoolean(reduceOnly);
        out.writeEnum(selfTradePrevention);
        out.writeVarLong(arrival);
    }

    /**
     * Reads the fields {@link #write} wrote into this (cleared) order; an unknown enum value is refused by the reader.
     * What makes an order valid in its book (ids, quantities, uniqueness) is the book's to check.
     */
    void read(SnapshotReader in) {
        orderId = in.readVarLong();
        clientOrderId = in.readVarLong();
        account = in.readVarLong();
        side = in.readRequiredEnum(SIDES, "side");
        type = in.readRequiredEnum(ORDER_TYPES, "order type");
        timeInForce = in.readRequiredEnum(TIME_IN_FORCES, "time in force");
        price = in.readVarLong();
        quantity = in.readVarLong();
        filled = in.readVarLong();
        remaining = in.readVarLong();
        displayQuantity = in.readVarLong();
        visible = in.readVarLong();
        triggerPrice = in.readVarLong();
        triggerSource = in.readRequiredEnum(TRIGGER_SOURCES, "trigger source");
        expireAt = in.readVarLong();
        postOnly = in.readRequiredEnum(POST_ONLYS, "post-only");
        reduceOnly = in.readBoolean();
        selfTradePrevention = in.readRequiredEnum(STPS, "self-trade prevention");
        arrival = in.readVarLong();
    }

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
