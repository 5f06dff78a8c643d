package io.meridian.matching;

import io.meridian.model.CancelReason;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.L3Action;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.RejectReason;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.meridian.model.Side.BUY;
import static io.meridian.model.Side.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tests of {@link OrderBook}, one group per order type, flag and command. Accounts are A, B, C and D. */
class OrderBookTest {
    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;
    private static final long D = 4;
    private static final int I = BookFixture.INSTRUMENT;

    private BookFixture fx;

    @BeforeEach
    void setUp() {
        fx = new BookFixture();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private List<Event.OrderFilled> fills(Liquidity liquidity) {
        List<Event.OrderFilled> result = new ArrayList<>();
        for (Event.OrderFilled f : fx.ofType(Event.OrderFilled.class)) {
            if (f.liquidity() == liquidity) {
                result.add(f);
            }
        }
        return result;
    }

    /** "orderId@price x quantity" of each maker fill recorded since the last drain. */
    private List<String> makerFills() {
        List<String> result = new ArrayList<>();
        for (Event.OrderFilled f : fills(Liquidity.MAKER)) {
            result.add(f.orderId() + "@" + f.price() + "x" + f.quantity());
        }
        return result;
    }

    private long takerFilled(long orderId) {
        long filled = 0;
        for (Event.OrderFilled f : fills(Liquidity.TAKER)) {
            if (f.orderId() == orderId) {
                filled += f.quantity();
            }
        }
        return filled;
    }

    private List<Event.OrderCanceled> cancels() {
        return fx.ofType(Event.OrderCanceled.class);
    }

    private Event.OrderCanceled onlyCancel() {
        List<Event.OrderCanceled> cancels = cancels();
        assertEquals(1, cancels.size(), () -> "cancels: " + cancels);
        return cancels.get(0);
    }

    private List<Long> triggeredIds() {
        List<Long> ids = new ArrayList<>();
        for (Event.OrderTriggered t : fx.ofType(Event.OrderTriggered.class)) {
            ids.add(t.orderId());
        }
        return ids;
    }

    private void assertRejected(RejectReason reason) {
        assertEquals(List.of(reason), fx.rejects());
    }

    private void assertNoRejects() {
        assertEquals(List.of(), fx.rejects());
    }

    private Event.OrderAccepted accepted(long orderId, long account, Side side, OrderType type, TimeInForce tif,
                                         long price, long quantity, long trigger) {
        return new Event.OrderAccepted(fx.seq(), fx.now(), I, orderId, 0, account, side, type, tif, price, quantity,
                trigger);
    }

    private Event.OrderAccepted acceptedLimit(long orderId, long account, Side side, long price, long quantity) {
        return accepted(orderId, account, side, OrderType.LIMIT, TimeInForce.GTC, price, quantity, 0);
    }

    private Event.OrderFilled fill(long tradeId, long orderId, long account, Side side, long price, long quantity,
                                   long remaining, Liquidity liquidity) {
        return new Event.OrderFilled(fx.seq(), fx.now(), I, tradeId, orderId, 0, account, side, price, quantity,
                remaining, liquidity);
    }

    private Event.TradeExecuted trade(long tradeId, Side takerSide, long price, long quantity) {
        return new Event.TradeExecuted(fx.seq(), fx.now(), I, tradeId, takerSide, price, quantity);
    }

    private Event.OrderCanceled canceled(long orderId, long account, long quantity, CancelReason reason) {
        return new Event.OrderCanceled(fx.seq(), fx.now(), I, orderId, 0, account, quantity, reason);
    }

    private Event.OrderAmended amended(long orderId, long account, long price, long quantity, long remaining) {
        return new Event.OrderAmended(fx.seq(), fx.now(), I, orderId, 0, account, price, quantity, remaining, 0);
    }

    private Event.OrderTriggered triggered(long orderId, long account, long triggerPrice, long at) {
        return new Event.OrderTriggered(fx.seq(), fx.now(), I, orderId, 0, account, triggerPrice, at);
    }

    private Event.OrderExpired expired(long orderId, long account, long quantity) {
        return new Event.OrderExpired(fx.seq(), fx.now(), I, orderId, 0, account, quantity);
    }

    private Event.BookLevelChanged l2(long l2Sequence, Side side, long price, long quantity, int orderCount) {
        return new Event.BookLevelChanged(fx.seq(), fx.now(), I, l2Sequence, side, price, quantity, orderCount);
    }

    private Event.BookOrderChanged l3(long l3Sequence, L3Action action, long orderId, Side side, long price,
                                      long visible) {
        return new Event.BookOrderChanged(fx.seq(), fx.now(), I, l3Sequence, action, orderId, side, price, visible);
    }

    // ------------------------------------------------------------------------------------------------ limit

    @Nested
    class LimitOrders {
        @Test
        void restsOnAnEmptyBook() {
            long id = fx.limit(A, BUY, 100, 5);
            assertEquals("100:5/1", fx.depth(BUY));
            assertEquals("", fx.depth(SELL));
            assertEquals(100, fx.book.bestBid());
            assertEquals(0, fx.book.bestAsk());
            Order order = fx.book.order(id);
            assertNotNull(order);
            assertEquals(5, order.remaining());
            assertEquals(0, order.filled());
            assertEquals(1, fx.book.openOrders());
        }

        @Test
        void tradesAtTheMakersPrice() {
            long ask = fx.limit(A, SELL, 100, 5);
            long bid = fx.limit(B, BUY, 103, 3);
            Event.OrderFilled maker = fills(Liquidity.MAKER).get(0);
            Event.OrderFilled taker = fills(Liquidity.TAKER).get(0);
            assertEquals(ask, maker.orderId());
            assertEquals(100, maker.price());
            assertEquals(2, maker.remaining());
            assertEquals(bid, taker.orderId());
            assertEquals(100, taker.price());
            assertEquals(0, taker.remaining());
            assertEquals(maker.tradeId(), taker.tradeId());
            assertEquals(List.of(trade(1, BUY, 100, 3)), fx.ofType(Event.TradeExecuted.class));
            assertEquals("100:2/1", fx.depth(SELL));
            assertEquals("", fx.depth(BUY));
            assertNull(fx.book.order(bid));
            assertEquals(3, fx.book.order(ask).filled());
            assertEquals(-3, fx.position(A));
            assertEquals(3, fx.position(B));
            assertEquals(100, fx.book.lastTradePrice());
            assertEquals(1, fx.book.tradeCount());
        }

        @Test
        void sweepsSeveralLevelsThenRestsTheRemainder() {
            fx.limit(A, SELL, 100, 2);
            fx.limit(A, SELL, 101, 2);
            fx.limit(A, SELL, 103, 2);
            fx.drain();
            fx.limit(B, BUY, 101, 6);
            assertEquals(List.of("1@100x2", "2@101x2"), makerFills());
            assertEquals("101:2/1", fx.depth(BUY));
            assertEquals("103:2/1", fx.depth(SELL));
            assertEquals(101, fx.book.lastTradePrice());
        }

        @Test
        void fifoWithinALevel() {
            long a = fx.limit(A, SELL, 100, 2);
            long b = fx.limit(B, SELL, 100, 2);
            long c = fx.limit(C, SELL, 100, 2);
            assertEquals(List.of(a, b, c), fx.queue(SELL, 100));
            fx.drain();
            fx.limit(D, BUY, 100, 3);
            assertEquals(List.of(a + "@100x2", b + "@100x1"), makerFills());
            assertEquals(List.of(b, c), fx.queue(SELL, 100));
            assertEquals("100:3/2", fx.depth(SELL));
        }

        @Test
        void betterAskFirstRegardlessOfArrival() {
            long far = fx.limit(A, SELL, 102, 1);
            long mid = fx.limit(B, SELL, 101, 1);
            long best = fx.limit(C, SELL, 100, 1);
            fx.drain();
            fx.limit(D, BUY, 102, 2);
            assertEquals(List.of(best + "@100x1", mid + "@101x1"), makerFills());
            assertEquals(List.of(far), fx.queue(SELL, 102));
        }

        @Test
        void higherBidFirstRegardlessOfArrival() {
            long far = fx.limit(A, BUY, 98, 1);
            long mid = fx.limit(B, BUY, 99, 1);
            long best = fx.limit(C, BUY, 100, 1);
            assertEquals("100:1/1 99:1/1 98:1/1", fx.depth(BUY));
            fx.drain();
            fx.limit(D, SELL, 98, 2);
            assertEquals(List.of(best + "@100x1", mid + "@99x1"), makerFills());
            assertEquals(List.of(far), fx.queue(BUY, 98));
            assertEquals(List.of(trade(1, SELL, 100, 1), trade(2, SELL, 99, 1)), fx.ofType(Event.TradeExecuted.class));
        }

        @Test
        void nonCrossingOrdersBuildBothSides() {
            fx.limit(A, BUY, 99, 1);
            fx.limit(A, BUY, 97, 2);
            fx.limit(B, SELL, 101, 3);
            fx.limit(B, SELL, 104, 4);
            assertEquals("99:1/1 97:2/1", fx.depth(BUY));
            assertEquals("101:3/1 104:4/1", fx.depth(SELL));
            assertEquals(0, fx.book.tradeCount());
        }
    }

    // ------------------------------------------------------------------------------------------------ market

    @Nested
    class MarketOrders {
        @Test
        void emptyBookIsRejectedWithNoLiquidity() {
            fx.limit(B, BUY, 100, 1);
            fx.drain();
            long hash = fx.hash();
            fx.market(A, BUY, 1);
            assertRejected(RejectReason.NO_LIQUIDITY);
            assertEquals(1, fx.events().size());
            assertEquals(hash, fx.hash());
        }

        @Test
        void fillsCompletely() {
            fx.limit(B, SELL, 100, 2);
            fx.limit(B, SELL, 101, 2);
            fx.drain();
            long id = fx.market(A, BUY, 3);
            assertEquals(List.of("1@100x2", "2@101x1"), makerFills());
            assertEquals(List.of(), cancels());
            assertNull(fx.book.order(id));
            assertEquals(3, fx.position(A));
        }

        @Test
        void buyStopsAtTheProtectionBandAndCancelsTheRest() {
            fx.limit(B, SELL, 100, 1);
            fx.limit(B, SELL, 104, 1);
            fx.limit(B, SELL, 105, 1);
            fx.limit(B, SELL, 106, 1);
            fx.drain();
            long id = fx.market(A, BUY, 10);
            // 5% band around the best ask 100: nothing above 105.
            assertEquals(List.of("1@100x1", "2@104x1", "3@105x1"), makerFills());
            assertEquals(canceled(id, A, 7, CancelReason.MARKET_PROTECTION), onlyCancel());
            assertEquals("106:1/1", fx.depth(SELL));
            assertEquals("", fx.depth(BUY));
        }

        @Test
        void sellStopsAtTheProtectionBandAndCancelsTheRest() {
            fx.limit(B, BUY, 100, 1);
            fx.limit(B, BUY, 96, 1);
            fx.limit(B, BUY, 95, 1);
            fx.limit(B, BUY, 94, 1);
            fx.drain();
            long id = fx.market(A, SELL, 5);
            assertEquals(List.of("1@100x1", "2@96x1", "3@95x1"), makerFills());
            assertEquals(canceled(id, A, 2, CancelReason.MARKET_PROTECTION), onlyCancel());
            assertEquals("94:1/1", fx.depth(BUY));
        }

        @Test
        void remainderIsCanceledWithNoLiquidityWhenTheSideRunsDry() {
            fx.limit(B, SELL, 100, 1);
            fx.drain();
            long id = fx.market(A, BUY, 3);
            assertEquals(List.of("1@100x1"), makerFills());
            assertEquals(canceled(id, A, 2, CancelReason.NO_LIQUIDITY), onlyCancel());
        }

        @Test
        void neverRests() {
            fx.limit(B, SELL, 100, 1);
            fx.drain();
            fx.market(A, BUY, 3);
            assertEquals(0, fx.book.depth(BUY));
            assertEquals(0, fx.book.openOrders());
        }
    }

    // ------------------------------------------------------------------------------------------------ IOC / FOK

    @Nested
    class ImmediateOrCancel {
        @Test
        void remainderIsCanceled() {
            fx.limit(B, SELL, 100, 2);
            fx.drain();
            long id = fx.ioc(A, BUY, 101, 5);
            assertEquals(List.of("1@100x2"), makerFills());
            assertEquals(canceled(id, A, 3, CancelReason.IMMEDIATE_OR_CANCEL), onlyCancel());
            assertEquals(0, fx.book.depth(BUY));
            assertNull(fx.book.order(id));
        }

        @Test
        void noCrossMeansEverythingIsCanceled() {
            fx.limit(B, SELL, 100, 2);
            fx.drain();
            long id = fx.ioc(A, BUY, 99, 5);
            assertEquals(1, fx.ofType(Event.OrderAccepted.class).size());
            assertEquals(canceled(id, A, 5, CancelReason.IMMEDIATE_OR_CANCEL), onlyCancel());
            assertEquals("100:2/1", fx.depth(SELL));
        }
    }

    @Nested
    class FillOrKill {
        @Test
        void fillsAcrossLevels() {
            fx.limit(B, SELL, 100, 2);
            fx.limit(C, SELL, 101, 3);
            fx.drain();
            fx.fok(A, BUY, 101, 5);
            assertEquals(List.of("1@100x2", "2@101x3"), makerFills());
            assertEquals(List.of(), cancels());
            assertEquals(0, fx.book.openOrders());
        }

        @Test
        void rejectedWhenNotFillableAndNothingHappens() {
            fx.limit(B, SELL, 100, 2);
            fx.limit(C, SELL, 101, 3);
            fx.drain();
            long hash = fx.hash();
            fx.fok(A, BUY, 101, 6);
            assertRejected(RejectReason.FOK_NOT_FILLABLE);
            assertEquals(1, fx.events().size());
            assertEquals(hash, fx.hash());
        }

        @Test
        void levelsBeyondTheLimitDoNotCount() {
            fx.limit(B, SELL, 100, 2);
            fx.limit(C, SELL, 102, 10);
            fx.drain();
            fx.fok(A, BUY, 101, 3);
            assertRejected(RejectReason.FOK_NOT_FILLABLE);
        }

        @Test
        void countsHiddenIcebergQuantity() {
            long iceberg = fx.sell(B, 10).limit(100).iceberg(2).place();
            fx.drain();
            fx.fok(A, BUY, 100, 8);
            assertNoRejects();
            assertEquals(List.of(iceberg + "@100x2", iceberg + "@100x2", iceberg + "@100x2", iceberg + "@100x2"),
                    makerFills());
            assertEquals(0, fills(Liquidity.TAKER).get(3).remaining());
            assertEquals(List.of(), cancels());
            assertEquals("100:2/1", fx.depth(SELL));
            assertEquals(2, fx.book.levelTotalQuantity(SELL, 0));
        }

        @Test
        void hiddenQuantityIsNotInflated() {
            fx.sell(B, 10).limit(100).iceberg(2).place();
            fx.drain();
            fx.fok(A, BUY, 100, 11);
            assertRejected(RejectReason.FOK_NOT_FILLABLE);
        }

        @Test
        void marketFillOrKillUsesTheProtectionBand() {
            fx.limit(B, SELL, 100, 2);
            fx.limit(B, SELL, 104, 2);
            fx.limit(B, SELL, 106, 5);
            fx.drain();
            fx.buy(A, 5).market().fok().place();
            assertRejected(RejectReason.FOK_NOT_FILLABLE);
            fx.drain();
            fx.buy(A, 4).market().fok().place();
            assertNoRejects();
            assertEquals(List.of("1@100x2", "2@104x2"), makerFills());
        }

        @Test
        void ownOrderStopsTheCountUnderExpireTaker() {
            fx.limit(A, SELL, 100, 1);
            fx.limit(B, SELL, 100, 5);
            fx.drain();
            fx.buy(A, 3).limit(100).fok().stp(SelfTradePrevention.EXPIRE_TAKER).place();
            assertRejected(RejectReason.FOK_NOT_FILLABLE);
        }

        @Test
        void ownOrdersAreSkippedUnderExpireMaker() {
            long own = fx.limit(A, SELL, 100, 1);
            long other = fx.limit(B, SELL, 100, 5);
            fx.drain();
            fx.buy(A, 5).limit(100).fok().stp(SelfTradePrevention.EXPIRE_MAKER).place();
            assertNoRejects();
            assertEquals(List.of(canceled(own, A, 1, CancelReason.SELF_TRADE)), cancels());
            assertEquals(List.of(other + "@100x5"), makerFills());
        }

        @Test
        void reduceOnlyMakersCountOnlyWhatTheyMayReduce() {
            fx.limit(B, SELL, 100, 3);
            fx.limit(A, BUY, 100, 3);
            fx.sell(A, 10).limit(101).reduceOnly().place();
            fx.drain();
            fx.fok(C, BUY, 101, 4);
            assertRejected(RejectReason.FOK_NOT_FILLABLE);
            fx.drain();
            fx.fok(C, BUY, 101, 3);
            assertNoRejects();
            assertEquals(0, fx.position(A));
        }

        /**
         * The dry run records a reduce-only maker's contribution in an Agrona {@code Long2LongHashMap} whose missing
         * value is 0; a maker whose account can no longer reduce contributes 0, and {@code put(account, 0)} throws.
         */
        @Test
        void fillOrKillOverAReduceOnlyMakerOfAFlatAccountDoesNotThrow() {
            fx.limit(B, SELL, 100, 3);
            fx.limit(A, BUY, 100, 3);
            long stale = fx.sell(A, 3).limit(105).reduceOnly().place();
            fx.limit(C, BUY, 100, 3);
            fx.ioc(A, SELL, 100, 3);
            assertEquals(0, fx.position(A));
            fx.drain();
            fx.fok(D, BUY, 105, 1);
            assertRejected(RejectReason.FOK_NOT_FILLABLE);
            assertNotNull(fx.book.order(stale));
        }

        /**
         * The dry run counts an iceberg's whole reserve, but its refill goes to the back of the level, behind the
         * taker's own order, where EXPIRE_TAKER stops the taker: the "fill-or-kill" order partly fills.
         */
        @Test
        void fillOrKillNeverPartlyFillsBehindAnIcebergRefill() {
            fx.sell(B, 10).limit(100).iceberg(1).place();
            fx.limit(A, SELL, 100, 1);
            fx.drain();
            long fok = fx.buy(A, 5).limit(100).fok().stp(SelfTradePrevention.EXPIRE_TAKER).place();
            boolean rejected = fx.rejects().equals(List.of(RejectReason.FOK_NOT_FILLABLE));
            long filled = takerFilled(fok);
            assertTrue(rejected || filled == 5, "FOK filled " + filled + " of 5; events " + fx.events());
        }

        /**
         * The dry run caps a reduce-only maker by the account's position but ignores that an earlier plain maker
         * of the same account, filled first, already closes that position.
         */
        @Test
        void fillOrKillNeverPartlyFillsWhenAPlainMakerClosesTheReduceOnlyPosition() {
            fx.limit(B, SELL, 100, 5);
            fx.limit(A, BUY, 100, 5);
            fx.limit(A, SELL, 101, 5);
            fx.sell(A, 5).limit(101).reduceOnly().place();
            fx.drain();
            long fok = fx.fok(C, BUY, 101, 10);
            boolean rejected = fx.rejects().equals(List.of(RejectReason.FOK_NOT_FILLABLE));
            long filled = takerFilled(fok);
            assertTrue(rejected || filled == 10, "FOK filled " + filled + " of 10; events " + fx.events());
        }

        @Test
        void fillOrKillFollowsIcebergRefillsThatLetAPlainMakerCloseTheReduceOnlyPosition() {
            // B is short 6. At 101: A's own iceberg (2, showing 1), B's reduce-only iceberg (11, showing 2), B's bid 3.
            // Matching A's sell: A 1 (wash), B 2 (reduce-only peak), B 3, A 1, then B's refilled peak only 1: B is
            // flat. That is 8 of 9, so the FOK must be refused even though the queue holds 16 lots.
            fx.limit(C, BUY, 100, 6);
            fx.limit(B, SELL, 100, 6);
            fx.buy(A, 2).limit(101).iceberg(1).place();
            fx.buy(B, 11).limit(101).iceberg(2).reduceOnly().place();
            fx.limit(B, BUY, 101, 3);
            fx.drain();
            long hash = fx.hash();
            fx.fok(A, SELL, 101, 9);
            assertEquals(List.of(RejectReason.FOK_NOT_FILLABLE), fx.rejects());
            assertEquals(hash, fx.hash());
            fx.drain();
            long fok = fx.fok(A, SELL, 101, 8);
            assertEquals(List.of(), fx.rejects());
            assertEquals(8, takerFilled(fok));
        }
    }

    // ------------------------------------------------------------------------------------------------ GTD

    @Nested
    class GoodTillDate {
        @Test
        void expiresAtItsExpiryTime() {
            long expireAt = fx.now() + 10 * BookFixture.STEP;
            long id = fx.buy(A, 5).limit(100).gtd(expireAt).place();
            assertEquals(expireAt, fx.book.nextExpiry());
            fx.timeTo(expireAt - 1);
            fx.expireDue();
            assertNotNull(fx.book.order(id));
            fx.drain();
            fx.timeTo(expireAt);
            fx.expireDue();
            assertEquals(List.of(expired(id, A, 5), l3(2, L3Action.REMOVE, id, BUY, 100, 0), l2(2, BUY, 100, 0, 0)),
                    fx.events());
            assertNull(fx.book.order(id));
            assertEquals(Long.MAX_VALUE, fx.book.nextExpiry());
        }

        @Test
        void partlyFilledOrderExpiresWithItsOpenQuantity() {
            long expireAt = fx.now() + 10 * BookFixture.STEP;
            long id = fx.sell(A, 5).limit(100).gtd(expireAt).place();
            fx.limit(B, BUY, 100, 2);
            fx.drain();
            fx.timeTo(expireAt + 500);
            fx.expireDue();
            assertEquals(List.of(expired(id, A, 3)), fx.ofType(Event.OrderExpired.class));
            assertEquals(0, fx.book.depth(SELL));
        }

        @Test
        void earliestExpiryFirstThenArrival() {
            long base = fx.now();
            long late = fx.buy(A, 1).limit(100).gtd(base + 30 * BookFixture.STEP).place();
            long early1 = fx.buy(A, 1).limit(99).gtd(base + 20 * BookFixture.STEP).place();
            long early2 = fx.buy(B, 1).limit(98).gtd(base + 20 * BookFixture.STEP).place();
            long gtc = fx.limit(C, BUY, 97, 1);
            fx.drain();
            fx.timeTo(base + 40 * BookFixture.STEP);
            fx.expireDue();
            List<Long> order = new ArrayList<>();
            for (Event.OrderExpired e : fx.ofType(Event.OrderExpired.class)) {
                order.add(e.orderId());
            }
            assertEquals(List.of(early1, early2, late), order);
            assertNotNull(fx.book.order(gtc));
        }

        @Test
        void canceledOrderNoLongerExpires() {
            long id = fx.buy(A, 1).limit(100).gtd(fx.now() + 10 * BookFixture.STEP).place();
            fx.cancel(A, id);
            assertEquals(Long.MAX_VALUE, fx.book.nextExpiry());
            fx.drain();
            fx.advance(100 * BookFixture.STEP);
            fx.expireDue();
            assertEquals(List.of(), fx.events());
        }

        @Test
        void waitingConditionalOrderExpiresWithoutMarketData() {
            long id = fx.buy(A, 2).stopLimit(105, 106).gtd(fx.now() + 10 * BookFixture.STEP).place();
            fx.drain();
            fx.advance(20 * BookFixture.STEP);
            fx.expireDue();
            assertEquals(List.of(expired(id, A, 2)), fx.events());
            assertEquals(List.of(), fx.book.waitingConditionalOrders());
        }

        @Test
        void expiryMustBeAfterTheCommandsTimestamp() {
            long commandTime = fx.now() + BookFixture.STEP;
            fx.buy(A, 1).limit(100).gtd(commandTime).place();
            assertRejected(RejectReason.INVALID_EXPIRY);
            fx.drain();
            fx.buy(A, 1).limit(100).gtd(fx.now() + BookFixture.STEP + 1).place();
            assertNoRejects();
        }

        @Test
        void expiryOnlyOnGtd() {
            fx.buy(A, 1).limit(100).expireAt(fx.now() + 10 * BookFixture.STEP).place();
            assertRejected(RejectReason.EXPIRY_ON_NON_GTD);
        }
    }

    // ------------------------------------------------------------------------------------------------ post-only

    @Nested
    class PostOnlyOrders {
        @Test
        void rejectModeRejectsACrossingOrder() {
            fx.limit(B, SELL, 100, 1);
            fx.drain();
            long hash = fx.hash();
            fx.buy(A, 1).limit(100).postOnly(PostOnly.REJECT).place();
            assertRejected(RejectReason.POST_ONLY_WOULD_CROSS);
            assertEquals(hash, fx.hash());
        }

        @Test
        void rejectModeRestsANonCrossingOrder() {
            fx.limit(B, SELL, 100, 1);
            fx.buy(A, 1).limit(99).postOnly(PostOnly.REJECT).place();
            assertEquals("99:1/1", fx.depth(BUY));
        }

        @Test
        void slideModeRestsABuyOneTickBelowTheBestAsk() {
            fx.limit(B, SELL, 100, 1);
            fx.drain();
            long id = fx.buy(A, 2).limit(102).postOnly(PostOnly.SLIDE).place();
            assertEquals(99, fx.ofType(Event.OrderAccepted.class).get(0).price());
            assertEquals("99:2/1", fx.depth(BUY));
            assertEquals(99, fx.book.order(id).price());
            assertEquals(0, fx.book.tradeCount());
        }

        @Test
        void slideModeRestsASellOneTickAboveTheBestBid() {
            fx.limit(B, BUY, 100, 1);
            fx.sell(A, 2).limit(97).postOnly(PostOnly.SLIDE).place();
            assertEquals("101:2/1", fx.depth(SELL));
            assertEquals(0, fx.book.tradeCount());
        }

        @Test
        void slideModeKeepsANonCrossingPrice() {
            fx.limit(B, SELL, 100, 1);
            fx.buy(A, 2).limit(95).postOnly(PostOnly.SLIDE).place();
            assertEquals("95:2/1", fx.depth(BUY));
        }

        @Test
        void slideModeCannotGoBelowOneTick() {
            fx.limit(B, SELL, 1, 1);
            fx.drain();
            fx.buy(A, 1).limit(1).postOnly(PostOnly.SLIDE).place();
            assertRejected(RejectReason.POST_ONLY_WOULD_CROSS);
        }

        @Test
        void slideModeCannotGoAboveTheMaximumPrice() {
            InstrumentSpec capped = new InstrumentSpec(BookFixture.INSTRUMENT, "CAP", InstrumentKind.PERPETUAL, "B", "Q",
                    6, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, 1, 1_000, 25, 0, 50_000, 0, 0, 0);
            BookFixture small = new BookFixture(capped);
            small.limit(B, BUY, 25, 5);
            long id = small.sell(A, 5).limit(25).postOnly(PostOnly.SLIDE).place();
            assertEquals(List.of(RejectReason.POST_ONLY_WOULD_CROSS), small.rejects());
            assertNull(small.book.order(id));
            assertEquals(0, small.book.depth(SELL));
        }

        @Test
        void amendThatSlidesBackToTheSamePriceChangesNothing() {
            long id = fx.buy(A, 2).limit(99).postOnly(PostOnly.SLIDE).place();
            fx.limit(B, SELL, 100, 1);
            fx.drain();
            long hash = fx.hash();
            fx.amend(A, id, 105, 0);
            assertRejected(RejectReason.AMEND_NOTHING);
            assertEquals(hash, fx.hash());
        }
    }

    // ------------------------------------------------------------------------------------------------ reduce-only

    @Nested
    class ReduceOnly {
        /** A buys 3 from B: A is long 3, B short 3. */
        private void longThree() {
            fx.limit(B, SELL, 100, 3);
            fx.limit(A, BUY, 100, 3);
            assertEquals(3, fx.position(A));
            fx.drain();
        }

        @Test
        void rejectedWhenFlat() {
            fx.buy(A, 1).limit(100).reduceOnly().place();
            assertRejected(RejectReason.REDUCE_ONLY_WOULD_INCREASE);
            fx.drain();
            fx.sell(A, 1).limit(100).reduceOnly().place();
            assertRejected(RejectReason.REDUCE_ONLY_WOULD_INCREASE);
        }

        @Test
        void rejectedWhenItWouldIncreaseThePosition() {
            longThree();
            fx.buy(A, 1).limit(90).reduceOnly().place();
            assertRejected(RejectReason.REDUCE_ONLY_WOULD_INCREASE);
            fx.drain();
            fx.sell(A, 1).limit(110).reduceOnly().place();
            assertNoRejects();
            fx.drain();
            fx.sell(B, 1).limit(110).reduceOnly().place();
            assertRejected(RejectReason.REDUCE_ONLY_WOULD_INCREASE);
            fx.drain();
            fx.buy(B, 1).limit(90).reduceOnly().place();
            assertNoRejects();
        }

        @Test
        void takerFillIsClampedToThePositionAndTheRestCanceled() {
            longThree();
            long bid = fx.limit(C, BUY, 99, 10);
            fx.drain();
            long id = fx.sell(A, 5).limit(99).ioc().reduceOnly().place();
            assertEquals(List.of(bid + "@99x3"), makerFills());
            assertEquals(canceled(id, A, 2, CancelReason.REDUCE_ONLY), onlyCancel());
            assertEquals(0, fx.position(A));
            assertEquals("99:7/1", fx.depth(BUY));
        }

        @Test
        void restingTakerRemainderIsCanceledOnceThePositionIsClosed() {
            longThree();
            fx.limit(C, BUY, 99, 10);
            fx.drain();
            long id = fx.sell(A, 5).limit(99).reduceOnly().place();
            assertEquals(canceled(id, A, 2, CancelReason.REDUCE_ONLY), onlyCancel());
            assertEquals(0, fx.book.depth(SELL));
        }

        @Test
        void partialReductionRests() {
            longThree();
            fx.limit(C, BUY, 99, 1);
            fx.drain();
            long id = fx.sell(A, 5).limit(99).reduceOnly().place();
            assertEquals(List.of(), cancels());
            assertEquals("99:4/1", fx.depth(SELL));
            assertEquals(2, fx.position(A));
            assertTrue(fx.book.order(id).reduceOnly());
        }

        @Test
        void restingMakerIsCanceledWhenThePositionIsGone() {
            longThree();
            long reduce = fx.sell(A, 3).limit(105).reduceOnly().place();
            fx.limit(C, BUY, 100, 3);
            fx.ioc(A, SELL, 100, 3);
            assertEquals(0, fx.position(A));
            fx.drain();
            long taker = fx.limit(D, BUY, 105, 2);
            assertEquals(List.of(), fills(Liquidity.MAKER));
            assertEquals(List.of(canceled(reduce, A, 3, CancelReason.REDUCE_ONLY)), cancels());
            List<Event> events = fx.events();
            int cancelAt = events.indexOf(canceled(reduce, A, 3, CancelReason.REDUCE_ONLY));
            Event next = events.get(cancelAt + 1);
            assertTrue(next instanceof Event.BookOrderChanged o && o.action() == L3Action.REMOVE && o.orderId() == reduce,
                    () -> "L3 REMOVE follows the cancel: " + events);
            assertEquals(List.of(taker), fx.queue(BUY, 105));
            assertEquals(0, fx.book.depth(SELL));
        }

        @Test
        void restingMakerFillIsClampedToThePosition() {
            longThree();
            long reduce = fx.sell(A, 5).limit(105).reduceOnly().place();
            fx.drain();
            long taker = fx.limit(D, BUY, 105, 5);
            assertEquals(List.of(reduce + "@105x3"), makerFills());
            assertEquals(List.of(canceled(reduce, A, 2, CancelReason.REDUCE_ONLY)), cancels());
            assertEquals(0, fx.position(A));
            assertEquals(List.of(taker), fx.queue(BUY, 105));
            assertEquals("105:2/1", fx.depth(BUY));
        }

        @Test
        void triggeredReduceOnlyOrderIsCanceledWhenFlat() {
            longThree();
            long stop = fx.sell(A, 3).stopMarket(95).reduceOnly().place();
            fx.limit(C, BUY, 100, 3);
            fx.ioc(A, SELL, 100, 3);
            fx.limit(C, BUY, 95, 1);
            fx.drain();
            fx.ioc(D, SELL, 95, 1);
            assertEquals(List.of(stop), triggeredIds());
            assertEquals(List.of(canceled(stop, A, 3, CancelReason.REDUCE_ONLY)), cancels());
        }
    }

    // ------------------------------------------------------------------------------------------------ conditional

    @Nested
    class ConditionalOrders {
        @Test
        void stopMarketBuyFiresWhenTheLastPriceRisesToTheTrigger() {
            fx.limit(B, SELL, 100, 1);
            fx.limit(B, SELL, 101, 1);
            fx.limit(B, SELL, 102, 5);
            long stop = fx.buy(A, 2).stopMarket(101).place();
            assertEquals(1, fx.book.waitingConditionalOrders().size());
            assertEquals(0, fx.book.depth(BUY));
            fx.ioc(C, BUY, 100, 1);
            assertEquals(List.of(), triggeredIds());
            fx.drain();
            fx.ioc(C, BUY, 101, 1);
            assertEquals(List.of(triggered(stop, A, 101, 101)), fx.ofType(Event.OrderTriggered.class));
            assertEquals(List.of("2@101x1", "3@102x2"), makerFills());
            assertEquals(2, fx.position(A));
            assertEquals(List.of(), fx.book.waitingConditionalOrders());
        }

        @Test
        void stopMarketSellFiresWhenTheLastPriceFallsToTheTrigger() {
            fx.limit(B, BUY, 99, 1);
            fx.limit(B, BUY, 98, 5);
            long stop = fx.sell(A, 2).stopMarket(99).place();
            fx.drain();
            fx.ioc(C, SELL, 99, 1);
            assertEquals(List.of(triggered(stop, A, 99, 99)), fx.ofType(Event.OrderTriggered.class));
            assertEquals(-2, fx.position(A));
            assertEquals("98:3/1", fx.depth(BUY));
        }

        @Test
        void stopLimitRestsAsALimitWhenItCannotTrade() {
            fx.limit(B, BUY, 99, 1);
            fx.limit(B, BUY, 98, 5);
            long stop = fx.sell(A, 3).stopLimit(99, 99).place();
            fx.drain();
            fx.ioc(C, SELL, 99, 1);
            assertEquals(List.of(stop), triggeredIds());
            assertEquals(List.of(stop), fx.queue(SELL, 99));
            assertEquals(OrderType.LIMIT, fx.book.order(stop).type());
        }

        @Test
        void takeProfitMarketSellFiresWhenTheLastPriceRises() {
            fx.limit(C, BUY, 100, 5);
            fx.limit(B, SELL, 105, 1);
            long tp = fx.sell(A, 2).takeProfitMarket(105).place();
            fx.drain();
            fx.ioc(D, BUY, 105, 1);
            assertEquals(List.of(triggered(tp, A, 105, 105)), fx.ofType(Event.OrderTriggered.class));
            assertEquals(List.of("2@105x1", "1@100x2"), makerFills());
            assertEquals(-2, fx.position(A));
        }

        @Test
        void takeProfitLimitBuyFiresWhenTheLastPriceFalls() {
            fx.limit(B, BUY, 95, 1);
            fx.limit(B, SELL, 96, 5);
            long tp = fx.buy(A, 2).takeProfitLimit(95, 96).place();
            fx.drain();
            fx.ioc(C, SELL, 95, 1);
            assertEquals(List.of(triggered(tp, A, 95, 95)), fx.ofType(Event.OrderTriggered.class));
            assertEquals(List.of("1@95x1", "2@96x2"), makerFills());
            assertEquals(2, fx.position(A));
        }

        @Test
        void markTriggeredOrderFiresOnTheMarkPriceOnly() {
            fx.limit(B, BUY, 100, 5);
            long onMark = fx.sell(A, 1).stopMarket(95).onMark().place();
            long onLast = fx.sell(C, 1).stopMarket(95).place();
            fx.mark(96);
            assertEquals(List.of(), triggeredIds());
            fx.drain();
            fx.mark(95);
            assertEquals(List.of(triggered(onMark, A, 95, 95)), fx.ofType(Event.OrderTriggered.class));
            assertEquals(-1, fx.position(A));
            assertEquals(95, fx.book.markPrice());
            assertEquals(List.of(onLast), idsOf(fx.book.waitingConditionalOrders()));
        }

        @Test
        void lastTriggeredOrderIgnoresTheMark() {
            fx.limit(B, BUY, 100, 5);
            long onLast = fx.sell(C, 1).stopMarket(95).place();
            fx.drain();
            fx.mark(90);
            assertEquals(List.of(), triggeredIds());
            assertNotNull(fx.book.order(onLast));
        }

        @Test
        void markTakeProfitLimitBuy() {
            fx.limit(B, SELL, 99, 5);
            long tp = fx.buy(A, 2).takeProfitLimit(97, 99).onMark().place();
            fx.mark(98);
            assertNotNull(fx.book.order(tp));
            fx.drain();
            fx.mark(97);
            assertEquals(List.of(triggered(tp, A, 97, 97)), fx.ofType(Event.OrderTriggered.class));
            assertEquals(List.of("1@99x2"), makerFills());
        }

        @Test
        void wouldTriggerImmediatelyOnTheLastPrice() {
            fx.limit(B, SELL, 100, 1);
            fx.limit(C, BUY, 100, 1);
            assertEquals(100, fx.book.lastTradePrice());
            fx.drain();
            fx.buy(A, 1).stopMarket(100).place();
            fx.sell(A, 1).stopMarket(100).place();
            fx.buy(A, 1).takeProfitMarket(100).place();
            fx.sell(A, 1).takeProfitMarket(100).place();
            fx.buy(A, 1).stopLimit(99, 99).place();
            fx.sell(A, 1).takeProfitLimit(99, 99).place();
            assertEquals(List.of(RejectReason.WOULD_TRIGGER_IMMEDIATELY, RejectReason.WOULD_TRIGGER_IMMEDIATELY,
                    RejectReason.WOULD_TRIGGER_IMMEDIATELY, RejectReason.WOULD_TRIGGER_IMMEDIATELY,
                    RejectReason.WOULD_TRIGGER_IMMEDIATELY, RejectReason.WOULD_TRIGGER_IMMEDIATELY), fx.rejects());
            fx.drain();
            fx.buy(A, 1).stopMarket(101).place();
            fx.sell(A, 1).stopMarket(99).place();
            fx.buy(A, 1).takeProfitMarket(99).place();
            fx.sell(A, 1).takeProfitMarket(101).place();
            assertNoRejects();
            assertEquals(4, fx.book.waitingConditionalOrders().size());
        }

        @Test
        void wouldTriggerImmediatelyOnTheMarkPrice() {
            fx.mark(100);
            fx.drain();
            fx.buy(A, 1).stopMarket(100).onMark().place();
            assertRejected(RejectReason.WOULD_TRIGGER_IMMEDIATELY);
            fx.drain();
            fx.buy(A, 1).stopMarket(100).place();
            assertNoRejects();
        }

        @Test
        void cascadeFiresRisingLowestFirstThenTiesByArrivalThenFalling() {
            fx.limit(B, SELL, 101, 1);
            fx.limit(B, SELL, 103, 1);
            fx.limit(B, SELL, 150, 100);
            long x = fx.buy(A, 1).stopLimit(103, 90).place();
            long y = fx.buy(A, 1).stopLimit(101, 90).place();
            long z = fx.buy(C, 1).stopLimit(101, 90).place();
            long w = fx.sell(C, 1).takeProfitLimit(102, 200).place();
            long v = fx.sell(A, 1).stopLimit(104, 200).place();
            fx.drain();
            fx.limit(D, BUY, 103, 2);
            assertEquals(List.of(y, z, w, x, v), triggeredIds());
            for (Event.OrderTriggered t : fx.ofType(Event.OrderTriggered.class)) {
                assertEquals(103, t.triggeredAt());
            }
            assertEquals("90:3/3", fx.depth(BUY));
            assertEquals(List.of(w, v), fx.queue(SELL, 200));
        }

        @Test
        void cascadeFiresLastPriceTriggersBeforeMarkTriggersAndMarkRisingBeforeFalling() {
            fx.limit(B, SELL, 101, 1);
            fx.limit(B, SELL, 103, 5);
            long markRise = fx.buy(A, 1).stopMarket(100).onMark().place();
            long markFall = fx.sell(A, 1).stopLimit(100, 200).onMark().place();
            long lastRise = fx.buy(C, 1).stopMarket(101).place();
            fx.drain();
            fx.mark(100);
            assertEquals(List.of(markRise, lastRise, markFall), triggeredIds());
            List<Event.OrderTriggered> t = fx.ofType(Event.OrderTriggered.class);
            assertEquals(100, t.get(0).triggeredAt());
            assertEquals(101, t.get(1).triggeredAt());
            assertEquals(100, t.get(2).triggeredAt());
            assertEquals(List.of("1@101x1", "2@103x1"), makerFills());
            assertEquals(List.of(markFall), fx.queue(SELL, 200));
        }

        @Test
        void cascadeChainReaction() {
            fx.limit(B, BUY, 99, 1);
            fx.limit(B, BUY, 98, 1);
            fx.limit(B, BUY, 97, 5);
            long first = fx.sell(A, 1).stopMarket(99).place();
            long second = fx.sell(C, 1).stopMarket(98).place();
            fx.drain();
            fx.ioc(D, SELL, 99, 1);
            List<Event.OrderTriggered> t = fx.ofType(Event.OrderTriggered.class);
            assertEquals(List.of(triggered(first, A, 99, 99), triggered(second, C, 98, 98)), t);
            assertEquals(List.of("1@99x1", "2@98x1", "3@97x1"), makerFills());
            assertEquals(97, fx.book.lastTradePrice());
        }

        @Test
        void triggeredMarketOrderOnAnEmptySideIsCanceled() {
            fx.limit(B, BUY, 100, 1);
            long stop = fx.buy(A, 1).stopMarket(100).place();
            fx.drain();
            fx.ioc(C, SELL, 100, 1);
            assertEquals(List.of(stop), triggeredIds());
            assertEquals(List.of(canceled(stop, A, 1, CancelReason.NO_LIQUIDITY)), cancels());
        }

        @Test
        void triggeredFillOrKillThatCannotFillIsCanceled() {
            fx.limit(B, BUY, 100, 1);
            fx.limit(B, SELL, 101, 1);
            long stop = fx.buy(A, 5).stopLimit(100, 101).fok().place();
            fx.drain();
            fx.ioc(C, SELL, 100, 1);
            assertEquals(List.of(stop), triggeredIds());
            assertEquals(List.of(canceled(stop, A, 5, CancelReason.FILL_OR_KILL)), cancels());
            assertEquals("101:1/1", fx.depth(SELL));
        }
    }

    private static List<Long> idsOf(List<Order> orders) {
        List<Long> ids = new ArrayList<>();
        for (Order o : orders) {
            ids.add(o.orderId());
        }
        return ids;
    }

    // ------------------------------------------------------------------------------------------------ iceberg

    @Nested
    class Icebergs {
        @Test
        void levelShowsOnlyTheDisplayQuantity() {
            long id = fx.sell(B, 10).limit(100).iceberg(3).place();
            assertEquals("100:3/1", fx.depth(SELL));
            assertEquals(10, fx.book.levelTotalQuantity(SELL, 0));
            assertEquals(3, fx.book.order(id).visible());
            assertEquals(List.of(l3(1, L3Action.ADD, id, SELL, 100, 3)), fx.ofType(Event.BookOrderChanged.class));
            assertEquals(List.of(l2(1, SELL, 100, 3, 1)), fx.ofType(Event.BookLevelChanged.class));
        }

        @Test
        void refillGoesToTheBackOfTheQueue() {
            long iceberg = fx.sell(B, 10).limit(100).iceberg(3).place();
            long plain = fx.limit(C, SELL, 100, 2);
            fx.drain();
            fx.limit(A, BUY, 100, 3);
            assertEquals(List.of(iceberg + "@100x3"), makerFills());
            assertEquals(List.of(plain, iceberg), fx.queue(SELL, 100));
            assertEquals(List.of(l3(3, L3Action.REMOVE, iceberg, SELL, 100, 0), l3(4, L3Action.ADD, iceberg, SELL, 100, 3)),
                    fx.ofType(Event.BookOrderChanged.class));
            // The level still shows 5 lots in 2 orders, so L2 has nothing to report: only L3 sees the reordering.
            assertEquals(List.of(), fx.ofType(Event.BookLevelChanged.class));
            assertEquals(7, fx.book.order(iceberg).remaining());
            fx.drain();
            fx.limit(A, BUY, 100, 3);
            assertEquals(List.of(plain + "@100x2", iceberg + "@100x1"), makerFills());
            assertEquals(List.of(iceberg), fx.queue(SELL, 100));
            assertEquals("100:2/1", fx.depth(SELL));
        }

        @Test
        void largeTakerEatsSeveralPeaks() {
            long iceberg = fx.sell(B, 10).limit(100).iceberg(3).place();
            fx.drain();
            fx.limit(A, BUY, 100, 7);
            assertEquals(List.of(iceberg + "@100x3", iceberg + "@100x3", iceberg + "@100x1"), makerFills());
            assertEquals("100:2/1", fx.depth(SELL));
            assertEquals(3, fx.book.levelTotalQuantity(SELL, 0));
            fx.drain();
            fx.limit(A, BUY, 100, 3);
            assertEquals(List.of(iceberg + "@100x2", iceberg + "@100x1"), makerFills());
            assertEquals(0, fx.book.depth(SELL));
            assertNull(fx.book.order(iceberg));
        }

        @Test
        void icebergTakerFillsAgainstTheBookWithItsWholeQuantity() {
            fx.limit(B, SELL, 100, 5);
            fx.drain();
            long iceberg = fx.buy(A, 10).limit(100).iceberg(2).place();
            assertEquals(List.of("1@100x5"), makerFills());
            assertEquals("100:2/1", fx.depth(BUY));
            assertEquals(5, fx.book.levelTotalQuantity(BUY, 0));
            assertEquals(5, fx.book.order(iceberg).remaining());
        }
    }

    // ------------------------------------------------------------------------------------------------ cancel

    @Nested
    class Cancels {
        @Test
        void byOrderId() {
            long id = fx.limit(A, BUY, 100, 5);
            fx.limit(B, BUY, 100, 1);
            fx.drain();
            fx.cancel(A, id);
            assertEquals(List.of(canceled(id, A, 5, CancelReason.USER)), cancels());
            assertEquals("100:1/1", fx.depth(BUY));
            assertNull(fx.book.order(id));
            assertEquals(1, fx.book.openOrders());
        }

        @Test
        void byClientOrderId() {
            long id = fx.buy(A, 5).limit(100).clientId(77).place();
            fx.drain();
            fx.cancelByClientId(A, 77);
            assertEquals(List.of(new Event.OrderCanceled(fx.seq(), fx.now(), I, id, 77, A, 5, CancelReason.USER)),
                    cancels());
            assertEquals(0, fx.book.depth(BUY));
        }

        @Test
        void byClientOrderIdOnlyFindsTheAccountsOwnOrder() {
            fx.buy(A, 5).limit(100).clientId(77).place();
            fx.drain();
            fx.cancelByClientId(B, 77);
            assertRejected(RejectReason.UNKNOWN_ORDER);
        }

        @Test
        void partlyFilledOrderCancelsItsOpenQuantity() {
            long id = fx.limit(A, SELL, 100, 5);
            fx.limit(B, BUY, 100, 2);
            fx.drain();
            fx.cancel(A, id);
            assertEquals(List.of(canceled(id, A, 3, CancelReason.USER)), cancels());
        }

        @Test
        void waitingConditionalOrderHasNoMarketData() {
            long id = fx.buy(A, 2).stopMarket(105).place();
            fx.drain();
            fx.cancel(A, id);
            assertEquals(List.of(canceled(id, A, 2, CancelReason.USER)), fx.events());
            assertEquals(List.of(), fx.book.waitingConditionalOrders());
        }

        @Test
        void unknownOrAnotherAccountsOrderIsRejected() {
            long id = fx.limit(A, BUY, 100, 5);
            fx.drain();
            fx.cancel(B, id);
            fx.cancel(A, id + 100);
            assertEquals(List.of(RejectReason.UNKNOWN_ORDER, RejectReason.UNKNOWN_ORDER), fx.rejects());
            assertNotNull(fx.book.order(id));
        }

        @Test
        void cancelTwiceIsUnknownTheSecondTime() {
            long id = fx.limit(A, BUY, 100, 5);
            fx.cancel(A, id);
            fx.drain();
            fx.cancel(A, id);
            assertRejected(RejectReason.UNKNOWN_ORDER);
        }

        @Test
        void cancelAllCancelsEveryOpenOrderOfTheAccountOldestFirst() {
            long first = fx.limit(A, BUY, 99, 1);
            long other = fx.limit(B, BUY, 99, 1);
            long second = fx.limit(A, SELL, 105, 2);
            long third = fx.buy(A, 3).stopMarket(110).place();
            long fourth = fx.limit(A, BUY, 98, 4);
            fx.drain();
            fx.cancelAll(A);
            assertEquals(List.of(canceled(first, A, 1, CancelReason.CANCEL_ALL), canceled(second, A, 2, CancelReason.CANCEL_ALL),
                    canceled(third, A, 3, CancelReason.CANCEL_ALL), canceled(fourth, A, 4, CancelReason.CANCEL_ALL)), cancels());
            assertEquals(List.of(other), fx.queue(BUY, 99));
            assertEquals("99:1/1", fx.depth(BUY));
            assertEquals(0, fx.book.depth(SELL));
            assertEquals(1, fx.book.openOrders());
        }

        @Test
        void cancelAllWithoutOrdersIsANoOp() {
            fx.limit(B, BUY, 99, 1);
            fx.drain();
            long hash = fx.hash();
            fx.cancelAll(A);
            fx.cancelAll(B);
            fx.cancelAll(B);
            assertEquals(1, cancels().size());
            assertNotEquals(hash, fx.hash());
            assertEquals(List.of(), fx.rejects());
        }
    }

    // ------------------------------------------------------------------------------------------------ amend

    @Nested
    class Amends {
        @Test
        void priceChangeLosesPriority() {
            long first = fx.limit(A, SELL, 100, 5);
            long second = fx.limit(B, SELL, 100, 5);
            fx.amend(A, first, 101, 0);
            assertEquals(List.of(second), fx.queue(SELL, 100));
            assertEquals(List.of(first), fx.queue(SELL, 101));
            fx.amend(A, first, 100, 0);
            assertEquals(List.of(second, first), fx.queue(SELL, 100));
            assertEquals("100:10/2", fx.depth(SELL));
        }

        @Test
        void sizeDecreaseKeepsPriority() {
            long first = fx.limit(A, SELL, 100, 5);
            long second = fx.limit(B, SELL, 100, 5);
            fx.drain();
            fx.amend(A, first, 0, 3);
            assertEquals(List.of(first, second), fx.queue(SELL, 100));
            assertEquals("100:8/2", fx.depth(SELL));
            assertEquals(List.of(amended(first, A, 100, 3, 3)), fx.ofType(Event.OrderAmended.class));
        }

        @Test
        void sizeIncreaseLosesPriority() {
            long first = fx.limit(A, SELL, 100, 5);
            long second = fx.limit(B, SELL, 100, 5);
            fx.drain();
            fx.amend(A, first, 0, 8);
            assertEquals(List.of(second, first), fx.queue(SELL, 100));
            assertEquals("100:13/2", fx.depth(SELL));
            assertEquals(List.of(amended(first, A, 100, 8, 8)), fx.ofType(Event.OrderAmended.class));
        }

        @Test
        void amendThatCrossesTrades() {
            long bid = fx.limit(A, BUY, 99, 5);
            long ask = fx.limit(B, SELL, 101, 3);
            fx.drain();
            fx.amend(A, bid, 101, 0);
            assertEquals(List.of(amended(bid, A, 101, 5, 5)), fx.ofType(Event.OrderAmended.class));
            assertEquals(List.of(ask + "@101x3"), makerFills());
            assertEquals(bid, fills(Liquidity.TAKER).get(0).orderId());
            assertEquals("101:2/1", fx.depth(BUY));
            assertEquals("", fx.depth(SELL));
            assertEquals(3, fx.position(A));
        }

        @Test
        void partlyFilledOrderKeepsItsFilledQuantity() {
            long ask = fx.limit(A, SELL, 100, 10);
            fx.limit(B, BUY, 100, 4);
            fx.drain();
            fx.amend(A, ask, 0, 7);
            assertEquals(List.of(amended(ask, A, 100, 7, 3)), fx.ofType(Event.OrderAmended.class));
            assertEquals("100:3/1", fx.depth(SELL));
            fx.drain();
            fx.amend(A, ask, 102, 0);
            assertEquals(List.of(amended(ask, A, 102, 7, 3)), fx.ofType(Event.OrderAmended.class));
            assertEquals("102:3/1", fx.depth(SELL));
        }

        @Test
        void quantityMustStayAboveWhatHasFilled() {
            long ask = fx.limit(A, SELL, 100, 5);
            fx.limit(B, BUY, 100, 3);
            fx.drain();
            long hash = fx.hash();
            fx.amend(A, ask, 0, 3);
            assertRejected(RejectReason.AMEND_QUANTITY_NOT_ABOVE_FILLED);
            assertEquals(hash, fx.hash());
            fx.drain();
            fx.amend(A, ask, 0, 4);
            assertNoRejects();
            assertEquals(1, fx.book.order(ask).remaining());
        }

        @Test
        void amendThatChangesNothingIsRejected() {
            long ask = fx.limit(A, SELL, 100, 5);
            fx.drain();
            fx.amend(A, ask, 100, 5);
            fx.amend(A, ask, 0, 0);
            assertEquals(List.of(RejectReason.AMEND_NOTHING, RejectReason.AMEND_NOTHING), fx.rejects());
        }

        @Test
        void postOnlyRejectAmendThatWouldCrossIsRejected() {
            long bid = fx.buy(A, 5).limit(99).postOnly(PostOnly.REJECT).place();
            fx.limit(B, SELL, 101, 5);
            fx.drain();
            long hash = fx.hash();
            fx.amend(A, bid, 101, 0);
            assertRejected(RejectReason.POST_ONLY_WOULD_CROSS);
            assertEquals(hash, fx.hash());
            assertEquals(List.of(bid), fx.queue(BUY, 99));
        }

        @Test
        void postOnlySlideAmendThatWouldCrossSlides() {
            long bid = fx.buy(A, 5).limit(98).postOnly(PostOnly.SLIDE).place();
            fx.limit(B, SELL, 101, 5);
            fx.drain();
            fx.amend(A, bid, 102, 0);
            assertNoRejects();
            assertEquals(List.of(bid), fx.queue(BUY, 100));
            assertEquals(0, fx.book.tradeCount());
        }

        @Test
        void byClientOrderId() {
            long id = fx.sell(A, 5).limit(100).clientId(9).place();
            fx.drain();
            Event.OrderAmended expected = new Event.OrderAmended(fx.seq() + 1, fx.now() + BookFixture.STEP, I, id, 9, A,
                    100, 4, 4, 0);
            Command amend = new Command().amend(A, I, 0, 0, 4);
            amend.clientOrderId = 9;
            fx.amend(amend);
            assertEquals(List.of(expected), fx.ofType(Event.OrderAmended.class));
        }

        @Test
        void anotherAccountsOrderIsUnknown() {
            long id = fx.limit(A, SELL, 100, 5);
            fx.drain();
            fx.amend(B, id, 101, 0);
            assertRejected(RejectReason.UNKNOWN_ORDER);
        }

        @Test
        void conditionalOrderTriggerCanBeMoved() {
            fx.limit(B, SELL, 105, 1);
            fx.limit(B, SELL, 106, 1);
            fx.limit(B, SELL, 107, 5);
            long stop = fx.buy(A, 2).stopLimit(105, 110).place();
            fx.drain();
            fx.amend(A, stop, 0, 0, 106);
            assertEquals(List.of(new Event.OrderAmended(fx.seq(), fx.now(), I, stop, 0, A, 110, 2, 2, 106)),
                    fx.events());
            fx.ioc(C, BUY, 105, 1);
            assertEquals(List.of(), triggeredIds());
            fx.ioc(C, BUY, 106, 1);
            assertEquals(List.of(stop), triggeredIds());
        }

        @Test
        void conditionalOrderTriggerCannotBeMovedAcrossTheLastPrice() {
            fx.limit(B, SELL, 100, 1);
            fx.limit(C, BUY, 100, 1);
            long stop = fx.buy(A, 2).stopMarket(105).place();
            fx.drain();
            fx.amend(A, stop, 0, 0, 100);
            assertRejected(RejectReason.WOULD_TRIGGER_IMMEDIATELY);
            assertEquals(105, fx.book.order(stop).triggerPrice());
        }

        @Test
        void triggerPriceOnAPlainOrderIsRejected() {
            long id = fx.limit(A, SELL, 100, 5);
            fx.drain();
            fx.amend(A, id, 0, 0, 90);
            assertRejected(RejectReason.TRIGGER_ON_PLAIN_ORDER);
        }

        @Test
        void icebergDecreaseKeepsItsPeakWithinTheRemainder() {
            long iceberg = fx.sell(A, 10).limit(100).iceberg(4).place();
            long behind = fx.limit(B, SELL, 100, 1);
            fx.amend(A, iceberg, 0, 3);
            assertEquals(List.of(iceberg, behind), fx.queue(SELL, 100));
            assertEquals("100:4/2", fx.depth(SELL));
            assertEquals(4, fx.book.levelTotalQuantity(SELL, 0));
        }

        /**
         * The class contract lists {@code orderAmended} first among a command's events; an amend that moves the
         * order emits the old level's L3 REMOVE and L2 change before it.
         */
        @Test
        void requeueingAmendReportsTheAmendFirst() {
            long id = fx.limit(A, SELL, 100, 5);
            fx.drain();
            fx.amend(A, id, 101, 0);
            assertEquals(List.of(amended(id, A, 101, 5, 5), l3(2, L3Action.REMOVE, id, SELL, 100, 0),
                    l2(2, SELL, 100, 0, 0), l3(3, L3Action.ADD, id, SELL, 101, 5), l2(3, SELL, 101, 5, 1)), fx.events());
        }

        @Test
        void priceOnlyAmendIsNotHeldToQuantityLimitsTheOrderNoLongerMeets() {
            BookFixture minThree = new BookFixture(BookFixture.defaultSpec().withQuantityLimits(3, 1_000));
            long maker = minThree.limit(A, SELL, 100, 5);
            minThree.buy(A, 3).limit(100).stp(SelfTradePrevention.DECREMENT).place();
            assertEquals(2, minThree.book.order(maker).remaining(), "DECREMENT left 2 lots, below the minimum");
            minThree.drain();
            minThree.amend(A, maker, 101, 0);
            assertEquals(List.of(), minThree.rejects());
            assertEquals(101, minThree.book.order(maker).price());
            minThree.amend(A, maker, 0, 2);
            assertEquals(List.of(RejectReason.QUANTITY_BELOW_MIN), minThree.rejects(), "a quantity sent is checked");
        }
    }

    // ------------------------------------------------------------------------------------------------ client ids

    @Nested
    class ClientOrderIds {
        @Test
        void uniqueAmongTheAccountsOpenOrders() {
            fx.buy(A, 1).limit(100).clientId(42).place();
            fx.drain();
            fx.buy(A, 1).limit(99).clientId(42).place();
            assertRejected(RejectReason.DUPLICATE_CLIENT_ORDER_ID);
            fx.drain();
            fx.buy(B, 1).limit(99).clientId(42).place();
            assertNoRejects();
        }

        @Test
        void conditionalOrdersHoldTheirClientOrderId() {
            fx.buy(A, 1).stopMarket(110).clientId(42).place();
            fx.drain();
            fx.buy(A, 1).limit(99).clientId(42).place();
            assertRejected(RejectReason.DUPLICATE_CLIENT_ORDER_ID);
        }

        @Test
        void reusableAfterCancel() {
            long id = fx.buy(A, 1).limit(100).clientId(42).place();
            fx.cancel(A, id);
            fx.drain();
            fx.buy(A, 1).limit(99).clientId(42).place();
            assertNoRejects();
        }

        @Test
        void reusableAfterFill() {
            fx.buy(A, 1).limit(100).clientId(42).place();
            fx.limit(B, SELL, 100, 1);
            fx.drain();
            fx.buy(A, 1).limit(99).clientId(42).place();
            assertNoRejects();
        }

        @Test
        void reusableRightAfterAnOrderThatNeverRested() {
            fx.buy(A, 1).limit(100).ioc().clientId(42).place();
            fx.buy(A, 1).limit(100).clientId(42).place();
            assertNoRejects();
            assertEquals("100:1/1", fx.depth(BUY));
        }

        @Test
        void fillsCarryTheClientOrderId() {
            fx.sell(A, 1).limit(100).clientId(11).place();
            fx.buy(B, 1).limit(100).clientId(22).place();
            List<Event.OrderFilled> fills = fx.ofType(Event.OrderFilled.class);
            assertEquals(11, fills.get(0).clientOrderId());
            assertEquals(22, fills.get(1).clientOrderId());
        }
    }

    // ------------------------------------------------------------------------------------------------ STP

    @Nested
    class SelfTradePreventionModes {
        @Test
        void noneLetsTheAccountTradeWithItself() {
            long own = fx.limit(A, SELL, 100, 2);
            fx.drain();
            fx.limit(A, BUY, 100, 2);
            assertEquals(List.of(own + "@100x2"), makerFills());
            assertEquals(0, fx.position(A));
            assertEquals(1, fx.book.tradeCount());
        }

        @Test
        void expireMakerCancelsOwnRestingOrdersAndContinues() {
            long own = fx.limit(A, SELL, 100, 2);
            long other = fx.limit(B, SELL, 100, 2);
            fx.drain();
            long taker = fx.buy(A, 3).limit(100).stp(SelfTradePrevention.EXPIRE_MAKER).place();
            assertEquals(List.of(canceled(own, A, 2, CancelReason.SELF_TRADE)), cancels());
            assertEquals(List.of(other + "@100x2"), makerFills());
            assertEquals(List.of(taker), fx.queue(BUY, 100));
            assertEquals("100:1/1", fx.depth(BUY));
            assertEquals(0, fx.book.depth(SELL));
        }

        @Test
        void expireTakerCancelsTheTakerAndKeepsTheMaker() {
            long other = fx.limit(B, SELL, 100, 2);
            long own = fx.limit(A, SELL, 100, 2);
            fx.drain();
            long taker = fx.buy(A, 5).limit(100).stp(SelfTradePrevention.EXPIRE_TAKER).place();
            assertEquals(List.of(other + "@100x2"), makerFills());
            assertEquals(List.of(canceled(taker, A, 3, CancelReason.SELF_TRADE)), cancels());
            assertEquals(List.of(own), fx.queue(SELL, 100));
            assertEquals(0, fx.book.depth(BUY));
        }

        @Test
        void expireBothCancelsBoth() {
            long own = fx.limit(A, SELL, 100, 2);
            long other = fx.limit(B, SELL, 100, 2);
            fx.drain();
            long taker = fx.buy(A, 5).limit(100).stp(SelfTradePrevention.EXPIRE_BOTH).place();
            assertEquals(List.of(canceled(own, A, 2, CancelReason.SELF_TRADE), canceled(taker, A, 5, CancelReason.SELF_TRADE)),
                    cancels());
            assertEquals(List.of(), makerFills());
            assertEquals(List.of(other), fx.queue(SELL, 100));
        }

        @Test
        void decrementShrinksALargerMakerInPlace() {
            long own = fx.limit(A, SELL, 100, 5);
            long other = fx.limit(B, SELL, 100, 1);
            fx.drain();
            long taker = fx.buy(A, 2).limit(100).stp(SelfTradePrevention.DECREMENT).place();
            assertEquals(List.of(amended(own, A, 100, 3, 3)), fx.ofType(Event.OrderAmended.class));
            assertEquals(List.of(canceled(taker, A, 2, CancelReason.SELF_TRADE)), cancels());
            assertEquals(List.of(), makerFills());
            assertEquals(List.of(own, other), fx.queue(SELL, 100));
            assertEquals("100:4/2", fx.depth(SELL));
            assertEquals(0, fx.position(A));
        }

        @Test
        void decrementCancelsASmallerMakerAndShrinksTheTaker() {
            long own = fx.limit(A, SELL, 100, 2);
            long other = fx.limit(B, SELL, 100, 3);
            fx.drain();
            long taker = fx.buy(A, 4).limit(100).stp(SelfTradePrevention.DECREMENT).place();
            assertEquals(List.of(canceled(own, A, 2, CancelReason.SELF_TRADE)), cancels());
            assertEquals(List.of(amended(taker, A, 100, 2, 2)), fx.ofType(Event.OrderAmended.class));
            assertEquals(List.of(other + "@100x2"), makerFills());
            assertEquals(2, fx.position(A));
            assertEquals(List.of(other), fx.queue(SELL, 100));
        }

        @Test
        void decrementOfEqualSizesCancelsBoth() {
            long own = fx.limit(A, SELL, 100, 2);
            fx.drain();
            long taker = fx.buy(A, 2).limit(100).stp(SelfTradePrevention.DECREMENT).place();
            assertEquals(List.of(canceled(own, A, 2, CancelReason.SELF_TRADE), canceled(taker, A, 2, CancelReason.SELF_TRADE)),
                    cancels());
            assertEquals(0, fx.book.openOrders());
        }

        @Test
        void decrementReducesAnIcebergsHiddenReserveToo() {
            long own = fx.sell(A, 10).limit(100).iceberg(2).place();
            fx.drain();
            fx.buy(A, 6).limit(100).stp(SelfTradePrevention.DECREMENT).place();
            assertEquals(List.of(amended(own, A, 100, 4, 4)), fx.ofType(Event.OrderAmended.class));
            assertEquals("100:2/1", fx.depth(SELL));
            assertEquals(4, fx.book.levelTotalQuantity(SELL, 0));
        }

        @Test
        void theMakersModeDoesNotMatter() {
            long own = fx.sell(A, 2).limit(100).stp(SelfTradePrevention.EXPIRE_BOTH).place();
            fx.drain();
            fx.limit(A, BUY, 100, 2);
            assertEquals(List.of(own + "@100x2"), makerFills());
        }

        @Test
        void otherAccountsAreUnaffected() {
            long other = fx.limit(B, SELL, 100, 2);
            fx.drain();
            fx.buy(A, 2).limit(100).stp(SelfTradePrevention.EXPIRE_BOTH).place();
            assertEquals(List.of(other + "@100x2"), makerFills());
            assertEquals(List.of(), cancels());
        }
    }

    // ------------------------------------------------------------------------------------------------ price band

    @Nested
    class PriceBand {
        @BeforeEach
        void bandedBook() {
            fx = new BookFixture(BookFixture.defaultSpec().withPriceBandPpm(50_000));
        }

        @Test
        void noReferenceNoBand() {
            fx.limit(A, BUY, 10, 1);
            fx.limit(A, SELL, 1_000, 1);
            assertNoRejects();
        }

        @Test
        void bandAroundTheLastTradeWhenThereIsNoMark() {
            fx.limit(A, SELL, 100, 1);
            fx.limit(B, BUY, 100, 1);
            fx.drain();
            fx.limit(A, BUY, 95, 1);
            fx.limit(A, SELL, 105, 1);
            assertNoRejects();
            fx.limit(A, BUY, 94, 1);
            fx.limit(A, SELL, 106, 1);
            assertEquals(List.of(RejectReason.PRICE_OUTSIDE_BAND, RejectReason.PRICE_OUTSIDE_BAND), fx.rejects());
        }

        @Test
        void markTakesPrecedenceOverTheLastTrade() {
            fx.limit(A, SELL, 100, 1);
            fx.limit(B, BUY, 100, 1);
            fx.mark(200);
            fx.drain();
            fx.limit(A, BUY, 100, 1);
            assertRejected(RejectReason.PRICE_OUTSIDE_BAND);
            fx.drain();
            fx.limit(A, BUY, 190, 1);
            fx.limit(A, SELL, 210, 1);
            assertNoRejects();
        }

        @Test
        void amendOutsideTheBandIsRejected() {
            fx.mark(100);
            long id = fx.limit(A, BUY, 99, 1);
            fx.drain();
            fx.amend(A, id, 94, 0);
            assertRejected(RejectReason.PRICE_OUTSIDE_BAND);
            fx.drain();
            fx.amend(A, id, 95, 0);
            assertNoRejects();
        }

        @Test
        void marketAndConditionalOrdersAreNotBanded() {
            fx.mark(100);
            fx.limit(B, SELL, 100, 1);
            fx.drain();
            fx.market(A, BUY, 1);
            fx.buy(A, 1).stopLimit(150, 160).place();
            assertNoRejects();
        }
    }

    // ------------------------------------------------------------------------------------------------ capacity

    /** Sizes past the preallocated pools and tables: growth paths of levels, order pool, client ids and heaps. */
    @Nested
    class Capacity {
        @Test
        void anAccountCannotHoldMoreThanItsOpenOrderLimit() {
            BookFixture limited = new BookFixture(BookFixture.defaultSpec(), 10_000_000, 3);
            long first = limited.limit(A, BUY, 100, 1);
            limited.limit(A, BUY, 99, 1);
            limited.limit(A, BUY, 98, 1);
            limited.limit(A, BUY, 90, 1);
            assertEquals(List.of(RejectReason.TOO_MANY_OPEN_ORDERS), limited.rejects());
            limited.limit(B, BUY, 90, 1);
            assertEquals(1, limited.rejects().size(), "another account is not limited by A's orders");
            limited.cancel(A, first);
            limited.limit(A, BUY, 90, 1);
            assertEquals(1, limited.rejects().size(), "a cancel frees a place");
        }

        @Test
        void manyLevelsOnBothSidesThenASweep() {
            for (int i = 0; i < 600; i++) {
                fx.limit(A, BUY, 1_000 - i, 1);
                fx.limit(B, SELL, 2_000 + i, 1);
            }
            assertEquals(600, fx.book.depth(BUY));
            assertEquals(600, fx.book.depth(SELL));
            assertEquals(1_000, fx.book.bestBid());
            assertEquals(401, fx.book.levelPrice(BUY, 599));
            assertEquals(2_599, fx.book.levelPrice(SELL, 599));
            fx.drain();
            fx.ioc(C, BUY, 2_299, 1_000);
            assertEquals(300, fills(Liquidity.MAKER).size());
            assertEquals(300, fx.book.depth(SELL));
            assertEquals(2_300, fx.book.bestAsk());
            for (int i = 0; i < 600; i += 2) {
                fx.cancel(A, 1 + 2L * i);
            }
            assertEquals(300, fx.book.depth(BUY));
            assertEquals(999, fx.book.bestBid());
        }

        @Test
        void clientOrderIdsSurviveGrowthAndDeletion() {
            List<Long> ids = new ArrayList<>();
            for (int i = 1; i <= 300; i++) {
                ids.add(fx.buy(1 + i % 7, 1).limit(100 - i % 50).clientId(i).place());
            }
            for (int i = 1; i <= 300; i += 3) {
                fx.cancelByClientId(1 + i % 7, i);
            }
            assertNoRejects();
            for (int i = 1; i <= 300; i++) {
                fx.drain();
                fx.cancelByClientId(1 + i % 7, i);
                if (i % 3 == 1) {
                    assertRejected(RejectReason.UNKNOWN_ORDER);
                } else {
                    assertEquals(List.of(new Event.OrderCanceled(fx.seq(), fx.now(), I, ids.get(i - 1), i, 1 + i % 7, 1,
                            CancelReason.USER)), cancels());
                }
            }
            assertEquals(0, fx.book.openOrders());
        }

        @Test
        void triggerHeapFiresInPriceThenArrivalOrderAfterRandomCancels() {
            fx.limit(B, SELL, 100, 1);
            fx.limit(C, BUY, 100, 1);
            List<long[]> stops = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < 200; i++) {
                long trigger = 101 + random.nextInt(40);
                long id = fx.buy(A, 1).stopLimit(trigger, 50).place();
                stops.add(new long[] {trigger, id});
            }
            List<long[]> expected = new ArrayList<>();
            for (int i = 0; i < stops.size(); i++) {
                if (i % 3 == 0) {
                    fx.cancel(A, stops.get(i)[1]);
                } else if (i % 7 == 0) {
                    long moved = 101 + random.nextInt(40);
                    fx.amend(A, stops.get(i)[1], 0, 0, moved);
                    expected.add(new long[] {moved, stops.get(i)[1]});
                } else {
                    expected.add(stops.get(i));
                }
            }
            assertNoRejects();
            expected.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
            fx.limit(B, SELL, 200, 1);
            fx.drain();
            fx.limit(D, BUY, 200, 1);
            List<Long> expectedIds = new ArrayList<>();
            for (long[] e : expected) {
                expectedIds.add(e[1]);
            }
            assertEquals(expectedIds, triggeredIds());
        }

        @Test
        void ordersBeyondThePoolAreRecycled() {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 100; i++) {
                    fx.limit(A, SELL, 100 + i % 10, 2);
                }
                fx.drain();
                fx.ioc(B, BUY, 200, 200);
                assertEquals(100, fills(Liquidity.MAKER).size());
                assertEquals(0, fx.book.openOrders());
            }
            assertEquals(0, fx.position(A) + fx.position(B));
            assertEquals(-600, fx.position(A));
        }
    }

    // ------------------------------------------------------------------------------------------------ misc

    @Nested
    class Miscellaneous {
        @Test
        void absentOptionalFlagsMeanNone() {
            Command c = fx.buy(A, 1).limit(100).command();
            c.postOnly = null;
            c.selfTradePrevention = null;
            c.triggerSource = null;
            fx.place(c);
            assertNoRejects();
            Order order = fx.book.order(c.orderId);
            assertEquals(PostOnly.NONE, order.postOnly());
            assertEquals(SelfTradePrevention.NONE, order.selfTradePrevention());
        }

        @Test
        void reduceOnlyTakerThatClosesThePositionOnTheLastLevelDoesNotRest() {
            fx.limit(B, SELL, 100, 3);
            fx.limit(A, BUY, 100, 3);
            fx.limit(C, BUY, 99, 3);
            fx.drain();
            long id = fx.sell(A, 5).limit(99).reduceOnly().place();
            assertEquals(canceled(id, A, 2, CancelReason.REDUCE_ONLY), onlyCancel());
            assertEquals(0, fx.book.depth(SELL));
        }

        @Test
        void selfTradeExpireTakerAtTheHeadReportsNoLevelChange() {
            long own = fx.limit(A, SELL, 100, 2);
            fx.drain();
            long taker = fx.buy(A, 1).limit(100).stp(SelfTradePrevention.EXPIRE_TAKER).place();
            assertEquals(List.of(
                    acceptedLimit(taker, A, BUY, 100, 1),
                    canceled(taker, A, 1, CancelReason.SELF_TRADE)), fx.events());
            assertEquals(List.of(own), fx.queue(SELL, 100));
        }

        @Test
        void stateHashFollowsTheState() {
            BookFixture other = new BookFixture();
            fx.limit(A, BUY, 100, 5);
            other.limit(A, BUY, 100, 5);
            assertEquals(fx.hash(), other.hash());
            fx.limit(B, BUY, 100, 1);
            assertNotEquals(fx.hash(), other.hash());
            other.limit(B, BUY, 100, 1);
            assertEquals(fx.hash(), other.hash());
        }

        @Test
        void queriesOfAnEmptyBook() {
            assertEquals(0, fx.book.bestBid());
            assertEquals(0, fx.book.bestAsk());
            assertEquals(0, fx.book.depth(BUY));
            assertEquals(Long.MAX_VALUE, fx.book.nextExpiry());
            assertNull(fx.book.order(1));
            assertEquals(List.of(), fx.book.waitingConditionalOrders());
            assertEquals(fx.spec, fx.book.spec());
        }
    }

    // ------------------------------------------------------------------------------------------------ sequences

    @Nested
    class EventSequences {
        @Test
        void restingLimit() {
            fx.limit(A, BUY, 100, 5);
            assertEquals(List.of(acceptedLimit(1, A, BUY, 100, 5), l3(1, L3Action.ADD, 1, BUY, 100, 5),
                    l2(1, BUY, 100, 5, 1)), fx.drain());
            fx.limit(B, BUY, 100, 2);
            assertEquals(List.of(acceptedLimit(2, B, BUY, 100, 2), l3(2, L3Action.ADD, 2, BUY, 100, 2),
                    l2(2, BUY, 100, 7, 2)), fx.drain());
        }

        @Test
        void takerSweepsTwoLevelsAndRests() {
            fx.limit(B, SELL, 100, 2);
            fx.limit(C, SELL, 101, 2);
            fx.drain();
            fx.limit(A, BUY, 101, 5);
            assertEquals(List.of(
                    acceptedLimit(3, A, BUY, 101, 5),
                    fill(1, 1, B, SELL, 100, 2, 0, Liquidity.MAKER),
                    fill(1, 3, A, BUY, 100, 2, 3, Liquidity.TAKER),
                    trade(1, BUY, 100, 2),
                    l3(3, L3Action.REMOVE, 1, SELL, 100, 0),
                    l2(3, SELL, 100, 0, 0),
                    fill(2, 2, C, SELL, 101, 2, 0, Liquidity.MAKER),
                    fill(2, 3, A, BUY, 101, 2, 1, Liquidity.TAKER),
                    trade(2, BUY, 101, 2),
                    l3(4, L3Action.REMOVE, 2, SELL, 101, 0),
                    l2(4, SELL, 101, 0, 0),
                    l3(5, L3Action.ADD, 3, BUY, 101, 1),
                    l2(5, BUY, 101, 1, 1)), fx.drain());
            assertEquals(5, fx.book.l2Sequence());
            assertEquals(5, fx.book.l3Sequence());
        }

        @Test
        void partialMakerFillIsAnL3Modify() {
            fx.limit(B, SELL, 100, 5);
            fx.drain();
            fx.ioc(A, BUY, 100, 2);
            assertEquals(List.of(
                    accepted(2, A, BUY, OrderType.LIMIT, TimeInForce.IOC, 100, 2, 0),
                    fill(1, 1, B, SELL, 100, 2, 3, Liquidity.MAKER),
                    fill(1, 2, A, BUY, 100, 2, 0, Liquidity.TAKER),
                    trade(1, BUY, 100, 2),
                    l3(2, L3Action.MODIFY, 1, SELL, 100, 3),
                    l2(2, SELL, 100, 3, 1)), fx.drain());
        }

        @Test
        void marketOrderStoppedByProtection() {
            fx.limit(B, SELL, 100, 1);
            fx.limit(B, SELL, 110, 1);
            fx.drain();
            fx.market(A, BUY, 3);
            assertEquals(List.of(
                    accepted(3, A, BUY, OrderType.MARKET, TimeInForce.IOC, 0, 3, 0),
                    fill(1, 1, B, SELL, 100, 1, 0, Liquidity.MAKER),
                    fill(1, 3, A, BUY, 100, 1, 2, Liquidity.TAKER),
                    trade(1, BUY, 100, 1),
                    l3(3, L3Action.REMOVE, 1, SELL, 100, 0),
                    l2(3, SELL, 100, 0, 0),
                    canceled(3, A, 2, CancelReason.MARKET_PROTECTION)), fx.drain());
        }

        @Test
        void cancelOfARestingOrder() {
            fx.limit(A, BUY, 100, 5);
            fx.limit(B, BUY, 100, 2);
            fx.drain();
            fx.cancel(A, 1);
            assertEquals(List.of(
                    canceled(1, A, 5, CancelReason.USER),
                    l3(3, L3Action.REMOVE, 1, BUY, 100, 0),
                    l2(3, BUY, 100, 2, 1)), fx.drain());
        }

        @Test
        void amendInPlace() {
            fx.limit(A, SELL, 100, 5);
            fx.drain();
            fx.amend(A, 1, 0, 2);
            assertEquals(List.of(
                    amended(1, A, 100, 2, 2),
                    l3(2, L3Action.MODIFY, 1, SELL, 100, 2),
                    l2(2, SELL, 100, 2, 1)), fx.drain());
        }

        @Test
        void amendToANewPriceMovesTheOrder() {
            fx.limit(A, SELL, 100, 5);
            fx.drain();
            fx.amend(A, 1, 101, 0);
            List<Event> events = fx.drain();
            assertEquals(List.of(amended(1, A, 101, 5, 5), l3(2, L3Action.REMOVE, 1, SELL, 100, 0),
                    l2(2, SELL, 100, 0, 0)), events.subList(0, 3));
            assertEquals(List.of(l3(3, L3Action.ADD, 1, SELL, 101, 5), l2(3, SELL, 101, 5, 1)), events.subList(3, 5));
            assertEquals(5, events.size());
        }

        @Test
        void icebergRefill() {
            fx.sell(B, 4).limit(100).iceberg(2).place();
            fx.limit(C, SELL, 100, 1);
            fx.drain();
            fx.limit(A, BUY, 100, 2);
            assertEquals(List.of(
                    acceptedLimit(3, A, BUY, 100, 2),
                    fill(1, 1, B, SELL, 100, 2, 2, Liquidity.MAKER),
                    fill(1, 3, A, BUY, 100, 2, 0, Liquidity.TAKER),
                    trade(1, BUY, 100, 2),
                    l3(3, L3Action.REMOVE, 1, SELL, 100, 0),
                    l3(4, L3Action.ADD, 1, SELL, 100, 2)), fx.drain());
        }

        @Test
        void selfTradeExpireMaker() {
            fx.limit(A, SELL, 100, 1);
            fx.limit(B, SELL, 100, 1);
            fx.drain();
            fx.buy(A, 1).limit(100).stp(SelfTradePrevention.EXPIRE_MAKER).place();
            assertEquals(List.of(
                    acceptedLimit(3, A, BUY, 100, 1),
                    canceled(1, A, 1, CancelReason.SELF_TRADE),
                    l3(3, L3Action.REMOVE, 1, SELL, 100, 0),
                    fill(1, 2, B, SELL, 100, 1, 0, Liquidity.MAKER),
                    fill(1, 3, A, BUY, 100, 1, 0, Liquidity.TAKER),
                    trade(1, BUY, 100, 1),
                    l3(4, L3Action.REMOVE, 2, SELL, 100, 0),
                    l2(3, SELL, 100, 0, 0)), fx.drain());
        }

        @Test
        void stopTriggeredByATrade() {
            fx.limit(B, SELL, 100, 1);
            fx.limit(B, SELL, 101, 1);
            fx.buy(A, 1).stopMarket(100).place();
            fx.drain();
            fx.ioc(C, BUY, 100, 1);
            assertEquals(List.of(
                    accepted(4, C, BUY, OrderType.LIMIT, TimeInForce.IOC, 100, 1, 0),
                    fill(1, 1, B, SELL, 100, 1, 0, Liquidity.MAKER),
                    fill(1, 4, C, BUY, 100, 1, 0, Liquidity.TAKER),
                    trade(1, BUY, 100, 1),
                    l3(3, L3Action.REMOVE, 1, SELL, 100, 0),
                    l2(3, SELL, 100, 0, 0),
                    triggered(3, A, 100, 100),
                    fill(2, 2, B, SELL, 101, 1, 0, Liquidity.MAKER),
                    fill(2, 3, A, BUY, 101, 1, 0, Liquidity.TAKER),
                    trade(2, BUY, 101, 1),
                    l3(4, L3Action.REMOVE, 2, SELL, 101, 0),
                    l2(4, SELL, 101, 0, 0)), fx.drain());
        }

        @Test
        void expiry() {
            long expireAt = fx.now() + 5 * BookFixture.STEP;
            fx.sell(A, 3).limit(100).gtd(expireAt).place();
            fx.drain();
            fx.timeTo(expireAt);
            fx.expireDue();
            assertEquals(List.of(
                    expired(1, A, 3),
                    l3(2, L3Action.REMOVE, 1, SELL, 100, 0),
                    l2(2, SELL, 100, 0, 0)), fx.drain());
        }

        @Test
        void rejectCarriesTheCommandAndTheOrder() {
            fx.buy(A, 1).limit(100).clientId(5).place();
            fx.drain();
            fx.buy(A, 1).limit(101).clientId(5).place();
            assertEquals(List.of(new Event.CommandRejected(fx.seq(), fx.now(), CommandType.PLACE_ORDER, I, 2, 5, A,
                    RejectReason.DUPLICATE_CLIENT_ORDER_ID)), fx.drain());
            fx.amend(A, 1, 0, 1);
            assertEquals(List.of(new Event.CommandRejected(fx.seq(), fx.now(), CommandType.AMEND_ORDER, I, 1, 5, A,
                    RejectReason.AMEND_NOTHING)), fx.drain());
            fx.mark(0);
            assertEquals(List.of(new Event.CommandRejected(fx.seq(), fx.now(), CommandType.SET_MARK_PRICE, I, 0, 0, 0,
                    RejectReason.INVALID_MARK_PRICE)), fx.drain());
        }

        @Test
        void markPriceChange() {
            fx.mark(123);
            assertEquals(List.of(new Event.MarkPriceChanged(fx.seq(), fx.now(), I, 123)), fx.drain());
        }
    }
}
