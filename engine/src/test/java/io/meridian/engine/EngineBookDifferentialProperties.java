package io.meridian.engine;

import io.meridian.matching.NetPositions;
import io.meridian.matching.OrderBook;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.List;
import java.util.SplittableRandom;

import static io.meridian.engine.EngineFixture.BTC;
import static io.meridian.engine.EngineFixture.USD;
import static io.meridian.engine.EngineFixture.USDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine routes order commands through its own checks and then into the book by shortcuts (a place validated
 * once, an amend found and validated once, then {@code placeValidated} / {@code amendValidated}): with accounts whose
 * margin never binds, the engine must give exactly the order events a bare {@link OrderBook} gives for the same
 * commands, reject for reject. Random places (plain, post-only reject and slide, stop-limits on the last trade price)
 * and amends of every field (price, quantity, trigger, each 0 = unchanged, out of range or another account's order)
 * and cancels, among five accounts that trade with each other.
 */
class EngineBookDifferentialProperties {
    private static final long MID = 650_000;
    private static final int ACCOUNTS = 5;

    @Property(tries = 60)
    void theEngineGivesTheBooksOrderEventsForTheSameCommands(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        EngineFixture fx = EngineFixture.standard();
        for (long account = 1; account <= ACCOUNTS; account++) {
            fx.apply(new Command().deposit(account, USDC, 1_000_000_000 * USD));
        }
        fx.apply(EngineFixture.mark(BTC, MID));
        EventRecorder bareEvents = new EventRecorder(false);
        OrderBook bare = new OrderBook(fx.engine.view().book(BTC).spec(), bareEvents, new NetPositions(), 16,
                EngineConfig.defaults().maxOpenOrdersPerBook(), EngineConfig.defaults().maxOpenOrdersPerAccount());
        bare.setMarkPrice(MID);
        fx.recorder.clear();
        bareEvents.clear();
        long nextOrderId = 1;
        int amended = 0;
        int rejected = 0;
        for (int i = 0; i < 400; i++) {
            Command c = randomCommand(random, nextOrderId);
            if (c.type == CommandType.PLACE_ORDER) {
                nextOrderId++;
            }
            fx.apply(c);
            bare.setContext(c.sequence, c.timestamp);
            switch (c.type) {
                case PLACE_ORDER -> bare.place(c);
                case AMEND_ORDER -> bare.amend(c);
                case CANCEL_ORDER -> bare.cancel(c);
                default -> throw new IllegalStateException(c.type.toString());
            }
            List<Event> expected = orderEvents(bareEvents.drain());
            List<Event> actual = orderEvents(fx.recorder.drain());
            assertEquals(expected, actual, "seed " + seed + ", command " + i + ": " + c);
            amended += expected.stream().filter(e -> e instanceof Event.OrderAmended).count();
            rejected += expected.stream().filter(e -> e instanceof Event.CommandRejected).count();
        }
        // Both paths of the engine's amend (validated there, refused by the book) were taken.
        assertTrue(amended > 40 && rejected > 20, "seed " + seed + ": " + amended + " amended, " + rejected + " rejected");
    }

    private static Command randomCommand(SplittableRandom random, long nextOrderId) {
        long account = 1 + random.nextInt(ACCOUNTS);
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        // Mostly on one's own side of the middle, some across it (trades, post-only crosses).
        long away = random.nextLong(-300, 2_001);
        long price = side == Side.BUY ? MID - away : MID + away;
        // Mostly one of the last 30 orders, which are more often still open.
        long existing = nextOrderId > 1 ? Math.max(1, nextOrderId - 1 - random.nextLong(30)) : 1;
        int kind = random.nextInt(10);
        if (kind < 4) {
            Command c = new Command().limit(ownerGuess(nextOrderId), BTC, nextOrderId, side, price, 1 + random.nextInt(50),
                    TimeInForce.GTC);
            switch (random.nextInt(6)) {
                case 0 -> c.postOnly = PostOnly.REJECT;
                case 1 -> c.postOnly = PostOnly.SLIDE;
                case 2 -> {
                    c.orderType = OrderType.STOP_LIMIT;
                    c.triggerSource = TriggerSource.LAST;
                    c.triggerPrice = MID + random.nextLong(-2_000, 2_001);
                }
                default -> { }
            }
            return c;
        }
        if (kind < 9) {
            // Mostly the order's own account; sometimes another's (UNKNOWN_ORDER from both).
            long owner = random.nextInt(8) == 0 ? account : ownerGuess(existing);
            long newPrice = switch (random.nextInt(12)) {
                case 0, 1 -> 0;
                case 2 -> Long.MAX_VALUE;
                default -> price;
            };
            long newQuantity = switch (random.nextInt(12)) {
                case 0, 1 -> 0;
                case 2 -> -1;
                default -> 1 + random.nextInt(60);
            };
            Command c = new Command().amend(owner, BTC, existing, newPrice, newQuantity);
            if (random.nextInt(4) == 0) {
                c.triggerPrice = MID + random.nextLong(-2_000, 2_001);
            }
            return c;
        }
        return new Command().cancel(ownerGuess(existing), BTC, existing);
    }

    /** The account that places order {@code orderId} (so that amends and cancels can name its owner). */
    private static long ownerGuess(long orderId) {
        return 1 + orderId % ACCOUNTS;
    }

    private static List<Event> orderEvents(List<Event> events) {
        return events.stream().filter(e -> e instanceof Event.OrderAccepted || e instanceof Event.OrderFilled
                || e instanceof Event.OrderCanceled || e instanceof Event.OrderAmended
                || e instanceof Event.OrderTriggered || e instanceof Event.CommandRejected).toList();
    }
}
