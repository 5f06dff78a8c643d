package io.meridian.node.history;

import io.meridian.model.CancelReason;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accounts' histories on their own: the order history's statuses and bounds (per account, open orders kept past it,
 * all accounts together), the fill history's bound, and pages of both against a naive reference over a seeded stream.
 */
class AccountHistoryTest {
    private static final long MS = 1_000_000L;

    @Test
    void ordersEndWithTheirStatusAndTheBoundsHold() {
        OrderHistory h = new OrderHistory();
        h.accepted(10, 10 * MS, 1, 10, 7, "ord-10", 1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 500, 4, 0);
        h.filled(11, 11 * MS, 1, 10, 7, null, 1, 500, 1, 3);
        assertEquals(OrderHistory.Status.PARTIALLY_FILLED, h.find(1, 10).status());
        h.filled(12, 12 * MS, 1, 10, 7, null, 1, 502, 3, 0);
        OrderHistory.Order filled = h.find(1, 10);
        assertEquals(OrderHistory.Status.FILLED, filled.status());
        assertEquals(500 + 3 * 502, filled.notional());
        assertEquals(12 * MS, filled.updatedAt());
        assertEquals(10 * MS, filled.createdAt());
        h.accepted(13, 13 * MS, 1, 13, 0, null, 1, Side.SELL, OrderType.STOP_LIMIT, TimeInForce.GTC, 490, 2, 495);
        h.triggered(14, 14 * MS, 1, 13, 0, null, 1);
        h.canceled(15, 15 * MS, 1, 13, 0, null, 1, CancelReason.SELF_TRADE);
        assertEquals(CancelReason.SELF_TRADE, h.find(1, 13).cancelReason());
        assertEquals(14 * MS, h.find(1, 13).triggeredAt());
        h.rejected(16, 16 * MS, 1, 0, 0, null, 1, RejectReason.INSUFFICIENT_MARGIN);
        assertEquals(OrderHistory.Status.REJECTED, h.find(1, 16).status(), "the id it would have had");
        h.rejected(17, 17 * MS, 1, 17, 0, null, 0, RejectReason.UNKNOWN_ADDRESS);
        assertNull(h.find(0, 17), "no account: nothing recorded");
        // An order the history never saw accepted (before the snapshot the node started from) ends with what it knows.
        h.expired(18, 18 * MS, 2, 3, 0, null, 1);
        OrderHistory.Order partial = h.find(1, 3);
        assertEquals(OrderHistory.Status.EXPIRED, partial.status());
        assertNull(partial.side());
        assertEquals(10, h.findByClientOrderId(1, 7, 0).orderId(), "found by client order id");
        assertEquals("ord-10", h.findByClientOrderId(1, 7, 0).clientOrderText(), "with the text it was given as");
        assertNull(h.findByClientOrderId(1, 7, 2), "not in another instrument");

        // Per account: an open order stays however many ended ones follow; the oldest ended ones go.
        OrderHistory bounded = new OrderHistory();
        bounded.accepted(1, MS, 1, 1, 0, null, 5, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1, 1, 0);
        int n = OrderHistory.PER_ACCOUNT + 50;
        for (int i = 0; i < n; i++) {
            long id = 100 + i;
            bounded.accepted(id, id * MS, 1, id, 0, null, 5, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 1, 1, 0);
            bounded.canceled(id, id * MS, 1, id, 0, null, 5, CancelReason.IMMEDIATE_OR_CANCEL);
        }
        assertEquals(OrderHistory.PER_ACCOUNT + 1, bounded.size());
        assertNotNull(bounded.find(5, 1), "the open order stays");
        assertNull(bounded.find(5, 100), "the oldest ended order went");
        assertNotNull(bounded.find(5, 100 + n - OrderHistory.PER_ACCOUNT));

        // All accounts together: never more than MAX_RECORDS ended orders; past it the accounts holding the most lose
        // their oldest, so every account keeps an equal share of its newest (HistoryFairShareTest has the attacks).
        OrderHistory many = new OrderHistory();
        int perAccount = 500;
        int accounts = OrderHistory.MAX_RECORDS / perAccount + 3;
        long id = 1;
        for (int a = 1; a <= accounts; a++) {
            for (int i = 0; i < perAccount; i++, id++) {
                many.rejected(id, id, 1, id, 0, null, a, RejectReason.INSUFFICIENT_MARGIN);
            }
        }
        assertTrue(many.size() <= OrderHistory.MAX_RECORDS, "size " + many.size());
        assertEquals(OrderHistory.MAX_RECORDS, many.ended());
        assertNull(many.find(1, 1), "the first account's oldest went");
        assertNotNull(many.find(1, perAccount), "its newest stays");
        int kept = many.page(1, HistoryQuery.newest(0, 1000)).items().size();
        assertTrue(kept >= OrderHistory.MAX_RECORDS / accounts && kept < perAccount, "the first keeps its share: " + kept);
        assertNotNull(many.find(accounts, id - 1), "the newest stays");
    }

    @Test
    void fillsAreBoundedPerAccountAndInAll() {
        FillHistory fills = new FillHistory();
        for (int i = 0; i < FillHistory.PER_ACCOUNT + 10; i++) {
            fills.add(1, i + 1, i, 1, i, i, 0, null, Side.BUY, 1, 1, Liquidity.TAKER, null);
        }
        assertEquals(FillHistory.PER_ACCOUNT, fills.size());
        assertEquals(FillHistory.PER_ACCOUNT + 10, fills.recent(1, 0, 1).get(0).sequence());
        FillHistory all = new FillHistory();
        int accounts = FillHistory.MAX_RECORDS / FillHistory.PER_ACCOUNT + 2;
        for (int a = 1; a <= accounts; a++) {
            for (int i = 0; i < FillHistory.PER_ACCOUNT; i++) {
                all.add(a, i + 1, i, 1, i, i, 0, null, Side.SELL, 1, 1, Liquidity.MAKER, null);
            }
        }
        assertEquals(FillHistory.MAX_RECORDS, all.size());
        int kept = all.recent(1, 0, 1000).size();
        assertTrue(kept >= FillHistory.MAX_RECORDS / accounts && kept < FillHistory.PER_ACCOUNT,
                "the account that traded longest ago keeps its share, its newest fills: " + kept);
        assertEquals(FillHistory.PER_ACCOUNT, all.recent(1, 0, 1).get(0).sequence());
        assertEquals(10, all.recent(accounts, 0, 10).size());
    }

    /** A fill of the reference stream. */
    private record F(long sequence, int index, long timestamp, int instrument) {
    }

    @Test
    void pagesWalkEveryRecordOnceInEitherDirection() {
        long seed = 2_121L;
        Random random = new Random(seed);
        FillHistory fills = new FillHistory();
        List<F> reference = new ArrayList<>();
        long time = 1_000 * MS;
        for (long sequence = 1; reference.size() < 700; sequence++) {
            int count = random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(6);
            time += random.nextInt(3) * MS;
            for (int k = 0; k < count; k++) {
                int instrument = 1 + random.nextInt(2);
                fills.add(9, sequence, time, instrument, sequence, sequence, 0, null, Side.BUY, 1, 1, Liquidity.TAKER,
                        null);
                reference.add(new F(sequence, k, time, instrument));
            }
        }
        for (int round = 0; round < 40; round++) {
            int instrument = random.nextInt(3);
            boolean ascending = random.nextBoolean();
            long fromId = ascending ? 1 + random.nextInt(400) : 0;
            long start = random.nextBoolean() ? 0 : reference.get(random.nextInt(reference.size())).timestamp();
            long end = random.nextBoolean() ? Long.MAX_VALUE : start + random.nextInt(200) * MS;
            int limit = 1 + random.nextInt(50);
            List<F> expected = new ArrayList<>();
            for (F f : reference) {
                if ((instrument == 0 || f.instrument() == instrument) && f.sequence() >= fromId
                        && f.timestamp() >= start && f.timestamp() <= end) {
                    expected.add(f);
                }
            }
            if (!ascending) {
                java.util.Collections.reverse(expected);
            }
            List<F> walked = new ArrayList<>();
            HistoryQuery.Cursor cursor = null;
            int pages = 0;
            do {
                HistoryQuery.Page<FillHistory.Fill> page = fills.page(9,
                        new HistoryQuery(instrument, cursor == null ? fromId : 0, start, end, cursor, limit));
                assertTrue(page.items().size() <= limit);
                for (FillHistory.Fill f : page.items()) {
                    walked.add(new F(f.sequence(), f.index(), f.timestamp(), f.instrument()));
                }
                cursor = page.next() == null ? null : HistoryQuery.Cursor.parse(page.next().text());
                pages++;
            } while (cursor != null && pages < 10_000);
            assertEquals(expected, walked, "seed " + seed + ", round " + round);
        }
        assertNull(HistoryQuery.Cursor.parse("x1.0"));
        assertNull(HistoryQuery.Cursor.parse("d01.0"));
        assertNull(HistoryQuery.Cursor.parse("d1."));
        assertNull(HistoryQuery.Cursor.parse("d99999999999999999999.0"));
        assertEquals(new HistoryQuery.Cursor(false, 12, 3), HistoryQuery.Cursor.parse("d12.3"));
    }
}
