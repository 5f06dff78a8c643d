package io.meridian.matching;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kryo serializers for the order book's linked structures, used by engine snapshots (the journal module's
 * {@code EngineSnapshots}). A generic field-by-field copy would follow {@link Order#next} and
 * {@link Order#accountNext} recursively, one stack frame per order, and overflow on a long price level or a busy
 * account; so an {@link Order} is written as a leaf (its own values only), and the containers write their members as a
 * flat sequence and rebuild the links when read:
 * <ul>
 * <li>{@link PriceLevel}: its orders head to tail, setting {@code prev}, {@code next} and {@code level};</li>
 * <li>{@link AccountOrders}: its orders oldest first, setting {@code accountPrev}, {@code accountNext} and
 * {@code accountOrders};</li>
 * <li>{@link OrderHeap}: field by field (its array is flat), then {@code triggerHeap} back-links.</li>
 * </ul>
 * Numbers are zig-zag varints (most are small: ids, lots, ticks), which halves the size of a book. Every other book
 * field (maps, pools, sequences) is copied field by field. Requires Kryo references to be on: an
 * order appears in several containers and must come back as one object.
 */
public final class BookSnapshots {
    private static final Side[] SIDES = Side.values();
    private static final OrderType[] TYPES = OrderType.values();
    private static final TimeInForce[] TIME_IN_FORCES = TimeInForce.values();
    private static final TriggerSource[] TRIGGER_SOURCES = TriggerSource.values();
    private static final PostOnly[] POST_ONLYS = PostOnly.values();
    private static final SelfTradePrevention[] STPS = SelfTradePrevention.values();

    private BookSnapshots() {
    }

    /** Write epochs, unique in this process, so that two writers never mistake each other's stamps. */
    private static final AtomicInteger EPOCHS = new AtomicInteger();

    /** Registers the serializers on {@code kryo} (which must have references enabled). */
    public static void register(Kryo kryo) {
        if (!kryo.getReferences()) {
            throw new IllegalArgumentException("book snapshots need Kryo references enabled");
        }
        kryo.register(Order.class, new OrderSerializer());
        kryo.register(PriceLevel.class, new LevelSerializer());
        kryo.register(AccountOrders.class, new AccountOrdersSerializer());
        kryo.register(OrderHeap.class, new HeapSerializer(kryo));
    }

    /** The class whose objects {@link BookSnapshots} tracks itself: Kryo's reference tracking must be off for it. */
    public static Class<?> selfReferencedType() {
        return Order.class;
    }

    /** Call before writing a snapshot with {@code kryo}. */
    public static void beginWrite(Kryo kryo) {
        OrderSerializer orders = (OrderSerializer) kryo.getRegistration(Order.class).getSerializer();
        orders.epoch = EPOCHS.incrementAndGet();
        orders.count = 0;
    }

    /** Call before reading a snapshot with {@code kryo}. */
    public static void beginRead(Kryo kryo) {
        ((OrderSerializer) kryo.getRegistration(Order.class).getSerializer()).read.clear();
    }

    private static void writeEnum(Output out, Enum<?> value) {
        out.writeVarInt(value == null ? 0 : value.ordinal() + 1, true);
    }

    private static <E> E readEnum(Input in, E[] values) {
        int ordinal = in.readVarInt(true);
        return ordinal == 0 ? null : values[ordinal - 1];
    }

    /** An order's own values, or its index when already written; the links are rebuilt by its containers. */
    private static final class OrderSerializer extends Serializer<Order> {
        int epoch;
        int count;
        final ArrayList<Order> read = new ArrayList<>();

        @Override
        public void write(Kryo kryo, Output out, Order o) {
            if (epoch == 0) {
                throw new IllegalStateException("BookSnapshots.beginWrite was not called");
            }
            if (o.snapshotEpoch == epoch) {
                out.writeVarInt(o.snapshotIndex + 1, true);
                return;
            }
            o.snapshotEpoch = epoch;
            o.snapshotIndex = count++;
            out.writeVarInt(0, true);
            out.writeVarLong(o.orderId, false);
            out.writeVarLong(o.clientOrderId, false);
            out.writeVarLong(o.account, false);
            writeEnum(out, o.side);
            writeEnum(out, o.type);
            writeEnum(out, o.timeInForce);
            out.writeVarLong(o.price, false);
            out.writeVarLong(o.quantity, false);
            out.writeVarLong(o.filled, false);
            out.writeVarLong(o.remaining, false);
            out.writeVarLong(o.displayQuantity, false);
            out.writeVarLong(o.visible, false);
            out.writeVarLong(o.triggerPrice, false);
            writeEnum(out, o.triggerSource);
            out.writeVarLong(o.expireAt, false);
            writeEnum(out, o.postOnly);
            out.writeBoolean(o.reduceOnly);
            writeEnum(out, o.selfTradePrevention);
            out.writeVarLong(o.arrival, false);
            out.writeVarInt(o.expiryHeapIndex, false);
            out.writeVarInt(o.triggerHeapIndex, false);
        }

        @Override
        public Order read(Kryo kryo, Input in, Class<? extends Order> type) {
            int mention = in.readVarInt(true);
            if (mention > 0) {
                if (mention > read.size()) {
                    throw new IllegalStateException("order " + mention + " mentioned before it was written");
                }
                return read.get(mention - 1);
            }
            Order o = new Order();
            read.add(o);
            o.orderId = in.readVarLong(false);
            o.clientOrderId = in.readVarLong(false);
            o.account = in.readVarLong(false);
            o.side = readEnum(in, SIDES);
            o.type = readEnum(in, TYPES);
            o.timeInForce = readEnum(in, TIME_IN_FORCES);
            o.price = in.readVarLong(false);
            o.quantity = in.readVarLong(false);
            o.filled = in.readVarLong(false);
            o.remaining = in.readVarLong(false);
            o.displayQuantity = in.readVarLong(false);
            o.visible = in.readVarLong(false);
            o.triggerPrice = in.readVarLong(false);
            o.triggerSource = readEnum(in, TRIGGER_SOURCES);
            o.expireAt = in.readVarLong(false);
            o.postOnly = readEnum(in, POST_ONLYS);
            o.reduceOnly = in.readBoolean();
            o.selfTradePrevention = readEnum(in, STPS);
            o.arrival = in.readVarLong(false);
            o.expiryHeapIndex = in.readVarInt(false);
            o.triggerHeapIndex = in.readVarInt(false);
            return o;
        }
    }

    private static final class LevelSerializer extends Serializer<PriceLevel> {
        @Override
        public void write(Kryo kryo, Output out, PriceLevel level) {
            out.writeVarLong(level.price, false);
            out.writeVarLong(level.key, false);
            out.writeVarLong(level.visibleQuantity, false);
            out.writeVarLong(level.totalQuantity, false);
            out.writeVarInt(level.orderCount, false);
            int written = 0;
            for (Order o = level.head; o != null; o = o.next) {
                kryo.writeObject(out, o);
                written++;
            }
            if (written != level.orderCount) {
                throw new IllegalStateException("price level " + level.price + " counts " + level.orderCount
                        + " orders but links " + written);
            }
        }

        @Override
        public PriceLevel read(Kryo kryo, Input in, Class<? extends PriceLevel> type) {
            PriceLevel level = new PriceLevel();
            kryo.reference(level);
            level.price = in.readVarLong(false);
            level.key = in.readVarLong(false);
            level.visibleQuantity = in.readVarLong(false);
            level.totalQuantity = in.readVarLong(false);
            level.orderCount = in.readVarInt(false);
            Order tail = null;
            for (int i = 0; i < level.orderCount; i++) {
                Order o = kryo.readObject(in, Order.class);
                o.level = level;
                o.prev = tail;
                if (tail == null) {
                    level.head = o;
                } else {
                    tail.next = o;
                }
                tail = o;
            }
            level.tail = tail;
            return level;
        }
    }

    private static final class AccountOrdersSerializer extends Serializer<AccountOrders> {
        @Override
        public void write(Kryo kryo, Output out, AccountOrders orders) {
            out.writeVarInt(orders.count, false);
            out.writeVarLong(orders.restingBuyLots, false);
            out.writeVarLong(orders.restingSellLots, false);
            out.writeVarLong(orders.restingBuyValue, false);
            out.writeVarLong(orders.restingSellValue, false);
            int linked = 0;
            for (Order o = orders.head; o != null; o = o.accountNext) {
                linked++;
            }
            out.writeVarInt(linked, false);
            for (Order o = orders.head; o != null; o = o.accountNext) {
                kryo.writeObject(out, o);
            }
        }

        @Override
        public AccountOrders read(Kryo kryo, Input in, Class<? extends AccountOrders> type) {
            AccountOrders orders = new AccountOrders();
            kryo.reference(orders);
            orders.count = in.readVarInt(false);
            orders.restingBuyLots = in.readVarLong(false);
            orders.restingSellLots = in.readVarLong(false);
            orders.restingBuyValue = in.readVarLong(false);
            orders.restingSellValue = in.readVarLong(false);
            int linked = in.readVarInt(false);
            Order tail = null;
            for (int i = 0; i < linked; i++) {
                Order o = kryo.readObject(in, Order.class);
                o.accountOrders = orders;
                o.accountPrev = tail;
                if (tail == null) {
                    orders.head = o;
                } else {
                    tail.accountNext = o;
                }
                tail = o;
            }
            orders.tail = tail;
            return orders;
        }
    }

    private static final class HeapSerializer extends FieldSerializer<OrderHeap> {
        HeapSerializer(Kryo kryo) {
            super(kryo, OrderHeap.class);
        }

        @Override
        public OrderHeap read(Kryo kryo, Input input, Class<? extends OrderHeap> type) {
            OrderHeap heap = super.read(kryo, input, type);
            heap.relinkMembers();
            return heap;
        }
    }
}
