package io.meridian.matching;

import io.meridian.model.BookSnapshot;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OrderType;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that starts from an L2 snapshot taken mid-stream and applies the following deltas must hold exactly the
 * book's own later snapshot: the feed is complete and its sequence numbers are gap-free.
 */
class MarketDataTest {

    /** Applies L2 deltas to a local book the way a feed client does, checking that sequences are contiguous. */
    private static final class LocalBook implements EngineEvents {
        private final TreeMap<Long, BookSnapshot.Level> bids = new TreeMap<>(Comparator.reverseOrder());
        private final TreeMap<Long, BookSnapshot.Level> asks = new TreeMap<>();
        private long l2Sequence = -1;

        void load(BookSnapshot snapshot) {
            bids.clear();
            asks.clear();
            snapshot.bids().forEach(level -> bids.put(level.price(), level));
            snapshot.asks().forEach(level -> asks.put(level.price(), level));
            l2Sequence = snapshot.l2Sequence();
        }

        @Override
        public void bookLevelChanged(long sequence, long timestamp, int instrument, long l2, Side side, long price,
                                     long quantity, int orderCount) {
            if (l2Sequence < 0) {
                return;
            }
            assertEquals(l2Sequence + 1, l2, "gap in the L2 feed");
            l2Sequence = l2;
            TreeMap<Long, BookSnapshot.Level> levels = side == Side.BUY ? bids : asks;
            if (quantity == 0) {
                levels.remove(price);
            } else {
                levels.put(price, new BookSnapshot.Level(price, quantity, orderCount));
            }
        }

        BookSnapshot asSnapshot(int instrument, long sequence) {
            return new BookSnapshot(instrument, sequence, l2Sequence, new ArrayList<>(bids.values()),
                    new ArrayList<>(asks.values()));
        }
    }

    @Test
    void snapshotPlusDeltasEqualsTheLaterSnapshot() {
        for (long seed = 1; seed <= 5; seed++) {
            runScenario(seed);
        }
    }

    /** The per-account resting lots the book keeps incrementally equal a recount of its levels. */
    private static void assertRestingLotsMatchTheBook(OrderBook book, long seed, int command) {
        for (Side side : Side.values()) {
            long[] lots = new long[21];
            long[] value = new long[21];
            for (int depth = 0; depth < book.depth(side); depth++) {
                for (Order order : book.levelOrders(side, depth)) {
                    lots[(int) order.account()] += order.remaining();
                    value[(int) order.account()] += order.remaining() * order.price();
                }
            }
            for (int account = 1; account <= 20; account++) {
                String where = "seed " + seed + " command " + command + " account " + account + " " + side;
                assertEquals(lots[account], book.restingLots(account, side), where);
                assertEquals(value[account], book.restingValue(account, side), where);
            }
        }
    }

    private static void runScenario(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LocalBook client = new LocalBook();
        InstrumentSpec spec = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001").withPriceBandPpm(0);
        OrderBook book = new OrderBook(spec, client, new NetPositions());
        Command c = new Command();
        List<Long> placed = new ArrayList<>();
        int commands = 20_000;
        int snapshotAt = commands / 3;
        for (int i = 1; i <= commands; i++) {
            book.setContext(i, i * 1_000L);
            if (i == snapshotAt) {
                client.load(book.snapshot(Integer.MAX_VALUE));
            }
            long account = 1 + random.nextInt(20);
            SelfTradePrevention stp = random.nextInt(4) == 0 ? SelfTradePrevention.DECREMENT : SelfTradePrevention.NONE;
            int kind = random.nextInt(100);
            if (kind < 55 || placed.isEmpty()) {
                c.limit(account, 1, i, random.nextBoolean() ? Side.BUY : Side.SELL, 1_000 + random.nextInt(40),
                        1 + random.nextInt(10), random.nextInt(10) == 0 ? TimeInForce.IOC : TimeInForce.GTC);
                c.selfTradePrevention = stp;
                if (random.nextInt(10) == 0) {
                    c.displayQuantity = 1;
                    c.quantity = Math.max(2, c.quantity);
                }
                if (random.nextInt(20) == 0) {
                    c.orderType = OrderType.MARKET;
                    c.price = 0;
                    c.timeInForce = TimeInForce.IOC;
                    c.displayQuantity = 0;
                }
                book.place(c);
                placed.add((long) i);
            } else {
                Order target = book.order(placed.get(random.nextInt(placed.size())));
                if (target == null) {
                    continue;
                }
                if (kind < 75) {
                    book.cancel(c.cancel(target.account(), 1, target.orderId()));
                } else if (kind < 90) {
                    book.amend(c.amend(target.account(), 1, target.orderId(), 1_000 + random.nextInt(40), 0));
                } else {
                    long smaller = Math.max(target.filled() + 1, target.quantity() - 1);
                    book.amend(c.amend(target.account(), 1, target.orderId(), 0, smaller));
                }
            }
            if (i % 50 == 0) {
                assertRestingLotsMatchTheBook(book, seed, i);
            }
        }
        BookSnapshot expected = book.snapshot(Integer.MAX_VALUE);
        assertTrue(expected.bids().size() > 5 && expected.asks().size() > 5, "a book worth comparing: " + expected);
        assertTrue(expected.l2Sequence() > commands / 2, "many deltas after the snapshot: " + expected.l2Sequence());
        assertEquals(expected, client.asSnapshot(1, expected.sequence()), "seed " + seed);
    }
}
