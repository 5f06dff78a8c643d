package io.meridian.matching;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.RejectReason;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@link OrderBook} wired to an {@link EventRecorder} and {@link NetPositions}, with one-line commands. Every
 * command gets the next sequence number and a timestamp {@link #STEP} later than the previous one (plus whatever
 * {@link #advance} added), so tests never think about the context. Order ids are assigned 1, 2, 3, ... unless a
 * test names one.
 */
final class BookFixture {
    static final int INSTRUMENT = 7;
    /** Nanoseconds between two consecutive commands. */
    static final long STEP = 1_000;
    static final long START = 1_700_000_000_000_000_000L;

    final InstrumentSpec spec;
    final EventRecorder recorder = new EventRecorder();
    final NetPositions positions = new NetPositions();
    final OrderBook book;

    private long sequence;
    private long timestamp = START;
    private long nextOrderId = 1;

    /** A perpetual with the price band off and a 5% market protection band. */
    BookFixture() {
        this(defaultSpec());
    }

    BookFixture(InstrumentSpec spec) {
        this(spec, 10_000_000);
    }

    BookFixture(InstrumentSpec spec, int maxOpenOrders) {
        this(spec, maxOpenOrders, Integer.MAX_VALUE);
    }

    BookFixture(InstrumentSpec spec, int maxOpenOrders, int maxOpenOrdersPerAccount) {
        this.spec = spec;
        this.book = new OrderBook(spec, recorder, positions, 16, maxOpenOrders, maxOpenOrdersPerAccount);
    }

    static InstrumentSpec defaultSpec() {
        return InstrumentSpec.perpetual(INSTRUMENT, "BTC-PERP", "BTC", "USDC", "0.1", "0.001").withPriceBandPpm(0);
    }

    // ------------------------------------------------------------------------------------------------ context

    /** Stamps the next command: sequence + 1, timestamp + {@link #STEP}. */
    void next() {
        sequence++;
        timestamp += STEP;
        book.setContext(sequence, timestamp);
    }

    /** Sequence number of the last command. */
    long seq() {
        return sequence;
    }

    /** Timestamp of the last command. */
    long now() {
        return timestamp;
    }

    /** Moves the clock forward; the next command's timestamp is {@code nanos + STEP} after the last one. */
    void advance(long nanos) {
        timestamp += nanos;
    }

    /** Sets the clock so that the next command's timestamp is exactly {@code nextTimestamp}. */
    void timeTo(long nextTimestamp) {
        if (nextTimestamp <= timestamp) {
            throw new IllegalArgumentException("time only moves forward");
        }
        timestamp = nextTimestamp - STEP;
    }

    // ------------------------------------------------------------------------------------------------ commands

    Placement buy(long account, long quantity) {
        return new Placement(account, Side.BUY, quantity);
    }

    Placement sell(long account, long quantity) {
        return new Placement(account, Side.SELL, quantity);
    }

    Placement order(long account, Side side, long quantity) {
        return new Placement(account, side, quantity);
    }

    /** GTC limit order; returns its order id. */
    long limit(long account, Side side, long price, long quantity) {
        return order(account, side, quantity).limit(price).place();
    }

    long ioc(long account, Side side, long price, long quantity) {
        return order(account, side, quantity).limit(price).ioc().place();
    }

    long fok(long account, Side side, long price, long quantity) {
        return order(account, side, quantity).limit(price).fok().place();
    }

    long market(long account, Side side, long quantity) {
        return order(account, side, quantity).market().place();
    }

    /** Places a raw command as is (after stamping the context). */
    void place(Command command) {
        next();
        book.place(command);
    }

    void cancel(long account, long orderId) {
        next();
        book.cancel(new Command().cancel(account, INSTRUMENT, orderId));
    }

    void cancelByClientId(long account, long clientOrderId) {
        Command c = new Command().cancel(account, INSTRUMENT, 0);
        c.clientOrderId = clientOrderId;
        next();
        book.cancel(c);
    }

    void cancelAll(long account) {
        next();
        book.cancelAll(account);
    }

    /** Amends price and/or total quantity (0 = unchanged). */
    void amend(long account, long orderId, long price, long quantity) {
        amend(account, orderId, price, quantity, 0);
    }

    void amend(long account, long orderId, long price, long quantity, long triggerPrice) {
        Command c = new Command().amend(account, INSTRUMENT, orderId, price, quantity);
        c.triggerPrice = triggerPrice;
        amend(c);
    }

    void amend(Command command) {
        next();
        book.amend(command);
    }

    void mark(long price) {
        next();
        book.setMarkPrice(price);
    }

    /** A time tick: expires the GTD orders due at the new command's timestamp. */
    void expireDue() {
        next();
        book.expireDue(timestamp);
    }

    // ------------------------------------------------------------------------------------------------ events

    List<Event> events() {
        return recorder.events();
    }

    /** Events since the last drain, and a fresh start. */
    List<Event> drain() {
        return recorder.drain();
    }

    <T extends Event> List<T> ofType(Class<T> type) {
        return recorder.ofType(type);
    }

    /** The reasons of the rejects recorded since the last drain. */
    List<RejectReason> rejects() {
        List<RejectReason> result = new ArrayList<>();
        for (Event.CommandRejected r : recorder.ofType(Event.CommandRejected.class)) {
            result.add(r.reason());
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------ state

    long position(long account) {
        return positions.netPosition(account);
    }

    long hash() {
        StateHasher hasher = new StateHasher();
        book.hashState(hasher);
        return hasher.value();
    }

    /** One side as "price:visible/orders" from the best level down, e.g. {@code "101:5/1 100:3/2"}. */
    String depth(Side side) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < book.depth(side); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(book.levelPrice(side, i)).append(':').append(book.levelQuantity(side, i)).append('/')
                    .append(book.levelOrderCount(side, i));
        }
        return sb.toString();
    }

    /** Order ids resting at {@code price} on {@code side}, in queue order; empty when there is no such level. */
    List<Long> queue(Side side, long price) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < book.depth(side); i++) {
            if (book.levelPrice(side, i) == price) {
                for (Order o : book.levelOrders(side, i)) {
                    ids.add(o.orderId());
                }
            }
        }
        return ids;
    }

    /** Fluent builder of one PLACE_ORDER command; {@link #place()} stamps and sends it. */
    final class Placement {
        private final Command c = new Command().reset();

        Placement(long account, Side side, long quantity) {
            c.type = CommandType.PLACE_ORDER;
            c.account = account;
            c.instrument = INSTRUMENT;
            c.side = side;
            c.quantity = quantity;
            c.orderType = OrderType.LIMIT;
            c.timeInForce = TimeInForce.GTC;
        }

        Placement limit(long price) {
            c.orderType = OrderType.LIMIT;
            c.price = price;
            return this;
        }

        /** Market IOC. */
        Placement market() {
            c.orderType = OrderType.MARKET;
            c.price = 0;
            c.timeInForce = TimeInForce.IOC;
            return this;
        }

        Placement stopMarket(long trigger) {
            return conditional(OrderType.STOP_MARKET, trigger, 0, TimeInForce.IOC);
        }

        Placement stopLimit(long trigger, long price) {
            return conditional(OrderType.STOP_LIMIT, trigger, price, TimeInForce.GTC);
        }

        Placement takeProfitMarket(long trigger) {
            return conditional(OrderType.TAKE_PROFIT_MARKET, trigger, 0, TimeInForce.IOC);
        }

        Placement takeProfitLimit(long trigger, long price) {
            return conditional(OrderType.TAKE_PROFIT_LIMIT, trigger, price, TimeInForce.GTC);
        }

        private Placement conditional(OrderType type, long trigger, long price, TimeInForce tif) {
            c.orderType = type;
            c.triggerPrice = trigger;
            c.price = price;
            c.timeInForce = tif;
            return this;
        }

        Placement type(OrderType type) {
            c.orderType = type;
            return this;
        }

        Placement price(long price) {
            c.price = price;
            return this;
        }

        Placement trigger(long price) {
            c.triggerPrice = price;
            return this;
        }

        /** Trigger on the mark price instead of the last trade price. */
        Placement onMark() {
            c.triggerSource = TriggerSource.MARK;
            return this;
        }

        Placement tif(TimeInForce tif) {
            c.timeInForce = tif;
            return this;
        }

        Placement ioc() {
            return tif(TimeInForce.IOC);
        }

        Placement fok() {
            return tif(TimeInForce.FOK);
        }

        Placement gtd(long expireAt) {
            c.timeInForce = TimeInForce.GTD;
            c.expireAt = expireAt;
            return this;
        }

        Placement expireAt(long expireAt) {
            c.expireAt = expireAt;
            return this;
        }

        Placement iceberg(long displayQuantity) {
            c.displayQuantity = displayQuantity;
            return this;
        }

        Placement postOnly(PostOnly mode) {
            c.postOnly = mode;
            return this;
        }

        Placement reduceOnly() {
            c.reduceOnly = true;
            return this;
        }

        Placement stp(SelfTradePrevention mode) {
            c.selfTradePrevention = mode;
            return this;
        }

        Placement clientId(long clientOrderId) {
            c.clientOrderId = clientOrderId;
            return this;
        }

        Placement orderId(long orderId) {
            c.orderId = orderId;
            return this;
        }

        /** The command as built so far, for tests that send it themselves or tweak odd fields. */
        Command command() {
            if (c.orderId == 0) {
                c.orderId = nextOrderId++;
            }
            return c;
        }

        /** Sends the order; returns its order id. */
        long place() {
            Command command = command();
            BookFixture.this.place(command);
            return command.orderId;
        }
    }
}
