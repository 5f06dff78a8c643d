package io.meridian.matching;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.model.snapshot.SnapshotFormatException;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An order book written by {@link OrderBook#writeSnapshot} and read into a new book is the same book: what it rebuilds
 * rather than reads (level totals, each account's resting lots and value, the order id and client order id indexes)
 * equals the original's, and from then on both books answer every random command with the same events. Random scripts
 * of every order type and flag (seed printed; rerun with {@code -Dbook.snapshot.seed=N}).
 */
class BookSnapshotTest {
    private static final int SCRIPTS = 150;
    private static final int COMMANDS = 400;
    private static final long ACCOUNTS = 5;

    @Test
    void aRestoredBookIsTheSameBookAndContinuesLikeIt() {
        long seed = Long.getLong("book.snapshot.seed", System.nanoTime());
        System.out.println("BookSnapshotTest seed=" + seed + " (rerun with -Dbook.snapshot.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        InstrumentSpec spec = BookFixture.defaultSpec().withMarketProtectionPpm(20_000);
        int compared = 0;
        for (int script = 0; script < SCRIPTS; script++) {
            EventRecorder originalEvents = new EventRecorder(true);
            NetPositions originalPositions = new NetPositions();
            OrderBook original = new OrderBook(spec, originalEvents, originalPositions, 16, 10_000_000);
            Script commands = new Script(random.split());
            int cut = 1 + random.nextInt(COMMANDS - 1);
            for (int i = 0; i < cut; i++) {
                commands.apply(original, i);
            }
            SnapshotWriter out = new SnapshotWriter(64);
            original.writeSnapshot(out);
            EventRecorder copyEvents = new EventRecorder(true);
            NetPositions copyPositions = new NetPositions();
            for (Event e : originalEvents.events()) {
                if (e instanceof Event.OrderFilled fill) {
                    copyPositions.onFill(fill.account(), fill.side(), fill.price(), fill.quantity(), fill.liquidity());
                }
            }
            OrderBook copy = new OrderBook(spec, copyEvents, copyPositions, 16, 10_000_000);
            SnapshotReader in = new SnapshotReader(out.buffer(), 0, out.length());
            copy.readSnapshot(in);
            assertFalse(in.hasRemaining());
            assertSameBook(original, copy, "script " + script + " at " + cut);
            originalEvents.clear();
            for (int i = cut; i < COMMANDS; i++) {
                Command c = commands.command(original, i);
                apply(original, c, i);
                apply(copy, c, i);
            }
            assertEquals(originalEvents.events(), copyEvents.events(), "script " + script + " after " + cut);
            assertSameBook(original, copy, "script " + script + " at the end");
            compared++;
        }
        assertEquals(SCRIPTS, compared);
    }

    @Test
    void aDamagedBookIsRefusedNotHalfLoaded() {
        BookFixture fixture = new BookFixture();
        fixture.next();
        fixture.book.place(new Command().limit(1, BookFixture.INSTRUMENT, 1, Side.BUY, 100, 5, TimeInForce.GTC));
        fixture.next();
        fixture.book.place(new Command().limit(2, BookFixture.INSTRUMENT, 2, Side.SELL, 101, 5, TimeInForce.GTC));
        SnapshotWriter out = new SnapshotWriter(64);
        fixture.book.writeSnapshot(out);
        byte[] bytes = out.toByteArray();
        // Cut short anywhere: refused.
        for (int length = 0; length < bytes.length; length++) {
            OrderBook copy = new OrderBook(fixture.spec, new EventRecorder(), new NetPositions());
            int cut = length;
            assertThrows(SnapshotFormatException.class, () -> copy.readSnapshot(new SnapshotReader(bytes, 0, cut)));
        }
    }

    private static void apply(OrderBook book, Command c, int step) {
        book.setContext(step + 1, BookFixture.START + (step + 1) * BookFixture.STEP);
        switch (c.type) {
            case PLACE_ORDER -> book.place(c);
            case CANCEL_ORDER -> book.cancel(c);
            case AMEND_ORDER -> book.amend(c);
            case CANCEL_ALL -> book.cancelAll(c.account);
            case SET_MARK_PRICE -> book.setMarkPrice(c.price);
            default -> book.expireDue(BookFixture.START + (step + 1) * BookFixture.STEP);
        }
    }

    private static void assertSameBook(OrderBook a, OrderBook b, String where) {
        assertEquals(hash(a), hash(b), where);
        assertEquals(a.openOrders(), b.openOrders(), where);
        assertEquals(a.nextExpiry(), b.nextExpiry(), where);
        assertEquals(a.l2Sequence(), b.l2Sequence(), where);
        assertEquals(a.snapshot(100), b.snapshot(100), where);
        for (long account = 1; account <= ACCOUNTS; account++) {
            for (Side side : Side.values()) {
                assertEquals(a.restingLots(account, side), b.restingLots(account, side), where);
                assertEquals(a.restingValue(account, side), b.restingValue(account, side), where);
            }
            assertEquals(a.openOrders(account), b.openOrders(account), where);
            List<Long> ids = a.openOrdersOf(account).stream().map(Order::orderId).toList();
            assertEquals(ids, b.openOrdersOf(account).stream().map(Order::orderId).toList(), where);
            for (Order o : a.openOrdersOf(account)) {
                if (o.clientOrderId() != 0) {
                    assertEquals(o.orderId(), b.findOrder(account, 0, o.clientOrderId()).orderId(), where);
                }
            }
        }
        for (Side side : Side.values()) {
            for (int depth = 0; depth < a.depth(side); depth++) {
                assertEquals(a.levelTotalQuantity(side, depth), b.levelTotalQuantity(side, depth), where);
                assertEquals(a.levelOrders(side, depth).stream().map(Order::orderId).toList(),
                        b.levelOrders(side, depth).stream().map(Order::orderId).toList(), where);
            }
        }
    }

    private static long hash(OrderBook book) {
        StateHasher hasher = new StateHasher();
        book.hashState(hasher);
        return hasher.value();
    }

    /** A random script over prices 96..104 and five accounts; cancels and amends name orders that may be gone. */
    private static final class Script {
        private final SplittableRandom random;
        private long nextOrderId = 1;

        Script(SplittableRandom random) {
            this.random = random;
        }

        void apply(OrderBook book, int step) {
            BookSnapshotTest.apply(book, command(book, step), step);
        }

        Command command(OrderBook book, int step) {
            Command c = new Command();
            int roll = random.nextInt(100);
            long account = 1 + random.nextInt((int) ACCOUNTS);
            if (roll < 60) {
                place(c, account, step);
            } else if (roll < 72) {
                c.cancel(account, BookFixture.INSTRUMENT, 1 + random.nextLong(nextOrderId));
                if (random.nextInt(4) == 0) {
                    c.orderId = 0;
                    c.clientOrderId = 1 + random.nextInt(20);
                }
            } else if (roll < 85) {
                c.amend(account, BookFixture.INSTRUMENT, 1 + random.nextLong(nextOrderId),
                        random.nextBoolean() ? 0 : 96 + random.nextInt(9), random.nextBoolean() ? 0 : 1 + random.nextInt(12));
            } else if (roll < 88) {
                c.reset();
                c.type = CommandType.CANCEL_ALL;
                c.account = account;
            } else if (roll < 95) {
                c.reset();
                c.type = CommandType.SET_MARK_PRICE;
                c.price = 94 + random.nextInt(13);
            } else {
                c.reset();
                c.type = CommandType.TIME_TICK;
            }
            return c;
        }

        private void place(Command c, long account, int step) {
            OrderType[] types = OrderType.values();
            OrderType type = random.nextInt(3) == 0 ? types[random.nextInt(types.length)] : OrderType.LIMIT;
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long quantity = 1 + random.nextInt(10);
            c.limit(account, BookFixture.INSTRUMENT, nextOrderId++, side, 0, quantity, TimeInForce.GTC);
            c.orderType = type;
            if (type.hasLimitPrice()) {
                c.price = 96 + random.nextInt(9);
            }
            if (!type.hasLimitPrice()) {
                c.timeInForce = random.nextBoolean() ? TimeInForce.IOC : TimeInForce.FOK;
            } else if (random.nextInt(4) == 0) {
                c.timeInForce = TimeInForce.GTD;
                c.expireAt = BookFixture.START + (step + 2 + random.nextInt(60)) * BookFixture.STEP;
            } else if (random.nextInt(6) == 0) {
                c.timeInForce = random.nextBoolean() ? TimeInForce.IOC : TimeInForce.FOK;
            }
            if (type.isConditional()) {
                c.triggerPrice = 94 + random.nextInt(13);
                c.triggerSource = random.nextInt(3) == 0 ? TriggerSource.MARK : TriggerSource.LAST;
            }
            if (type == OrderType.LIMIT && c.timeInForce.rests() && quantity > 1 && random.nextInt(4) == 0) {
                c.displayQuantity = 1 + random.nextInt((int) quantity - 1);
            }
            if (type == OrderType.LIMIT && c.timeInForce.rests() && c.displayQuantity == 0 && random.nextInt(8) == 0) {
                c.postOnly = random.nextBoolean() ? PostOnly.REJECT : PostOnly.SLIDE;
            }
            c.reduceOnly = random.nextInt(8) == 0;
            if (random.nextInt(4) == 0) {
                SelfTradePrevention[] modes = SelfTradePrevention.values();
                c.selfTradePrevention = modes[random.nextInt(modes.length)];
            }
            if (random.nextInt(3) == 0) {
                c.clientOrderId = 1 + random.nextInt(20);
            }
        }
    }

    @Test
    void theBookIndexesAreRebuilt() {
        BookFixture fixture = new BookFixture();
        fixture.next();
        Command c = new Command().limit(3, BookFixture.INSTRUMENT, 9, Side.BUY, 100, 5, TimeInForce.GTC);
        c.clientOrderId = 44;
        fixture.book.place(c);
        SnapshotWriter out = new SnapshotWriter(64);
        fixture.book.writeSnapshot(out);
        OrderBook copy = new OrderBook(fixture.spec, new EventRecorder(), new NetPositions());
        copy.readSnapshot(new SnapshotReader(out.buffer(), 0, out.length()));
        assertEquals(9, copy.findOrder(3, 0, 44).orderId());
        assertTrue(copy.order(9) != null);
        assertEquals(5, copy.restingLots(3, Side.BUY));
    }
}
