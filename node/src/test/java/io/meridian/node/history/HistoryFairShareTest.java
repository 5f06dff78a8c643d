package io.meridian.node.history;

import io.meridian.model.CancelReason;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One actor with many accounts against an honest account's history (docs/api.md, "Order history", "Bounds"): an
 * attacker churns ended orders (and fills) over K accounts, seeded, far past the global bounds, after the honest account
 * traded. The honest account keeps at least its newest {@code min(its own, share)} records, the share at least
 * {@code MAX_RECORDS / accounts} (so at least {@code FAIR_SHARE} while at most {@code MAX_ACCOUNTS} accounts hold any),
 * its open order stays, and the memory bounds (ended records in all, accounts, records per account) hold throughout.
 * Past {@code MAX_ACCOUNTS} attacking accounts, the documented last resort: the honest account, idle longest, goes.
 */
class HistoryFairShareTest {
    private static final long HONEST = 1;
    private static final int HONEST_ENDED = 60;

    @Test
    void manyAccountsCannotEvictAnHonestAccountsRecentOrders() {
        long seed = System.nanoTime();
        System.out.println("HistoryFairShareTest orders seed " + seed);
        Random random = new Random(seed);
        for (int attackers : new int[] {50, 5_000, OrderHistory.MAX_ACCOUNTS - 1}) {
            OrderHistory h = new OrderHistory();
            long id = honestOrders(h);
            // Far past the bound: 1.6x MAX_RECORDS ended orders over the attacker's accounts, in random order.
            int events = OrderHistory.MAX_RECORDS * 8 / 5;
            for (int i = 0; i < events; i++, id++) {
                long account = 2 + random.nextInt(attackers);
                switch (random.nextInt(3)) {
                    case 0 -> h.rejected(id, id, 1, id, 0, null, account, RejectReason.INSUFFICIENT_MARGIN);
                    case 1 -> {
                        h.accepted(id, id, 1, id, 0, null, account, Side.SELL, OrderType.LIMIT, TimeInForce.IOC, 9, 1, 0);
                        h.canceled(id, id, 1, id, 0, null, account, CancelReason.IMMEDIATE_OR_CANCEL);
                    }
                    default -> {
                        h.accepted(id, id, 1, id, 0, null, account, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 9, 1, 0);
                        h.filled(id, id, 1, id, 0, null, account, 9, 1, 0);
                    }
                }
                if ((i & 0xFFFF) == 0) {
                    assertBounds(h);
                }
            }
            assertBounds(h);
            // Few accounts are held to PER_ACCOUNT each; many use the whole budget, and no more.
            assertEquals(Math.min(OrderHistory.MAX_RECORDS, (long) attackers * OrderHistory.PER_ACCOUNT + HONEST_ENDED),
                    h.ended());
            int share = OrderHistory.MAX_RECORDS / h.accounts();
            assertTrue(share >= OrderHistory.FAIR_SHARE, attackers + " attackers: share " + share);
            List<OrderHistory.Order> kept = h.page(HONEST, HistoryQuery.newest(0, 1000)).items();
            int ended = (int) kept.stream().filter(o -> o.status().isFinal()).count();
            assertTrue(ended >= Math.min(HONEST_ENDED, share) && ended <= HONEST_ENDED,
                    attackers + " attackers: the honest account kept " + ended + " ended orders, share " + share);
            // Its newest ended orders, 100 + HONEST_ENDED - 1 down, are the ones kept; the open order (id 1) stays.
            for (int i = 0; i < ended; i++) {
                assertNotNull(h.find(HONEST, 100 + HONEST_ENDED - 1 - i), attackers + " attackers: order " + i);
            }
            assertEquals(OrderHistory.Status.NEW, h.find(HONEST, 1).status());
        }
    }

    /** The last resort, as documented: more attacking accounts than the account bound push out the idlest account. */
    @Test
    void pastTheAccountBoundTheIdlestAccountGoes() {
        OrderHistory h = new OrderHistory();
        long id = honestOrders(h);
        for (long account = 2; account <= OrderHistory.MAX_ACCOUNTS; account++, id++) {
            h.rejected(id, id, 1, id, 0, null, account, RejectReason.INSUFFICIENT_MARGIN);
        }
        assertEquals(OrderHistory.MAX_ACCOUNTS, h.accounts());
        assertNotNull(h.find(HONEST, 100), "at the bound, every account keeps its history");
        h.rejected(id, id, 1, id, 0, null, OrderHistory.MAX_ACCOUNTS + 1, RejectReason.INSUFFICIENT_MARGIN);
        assertEquals(OrderHistory.MAX_ACCOUNTS, h.accounts());
        assertNull(h.find(HONEST, 100), "one account more: the account changed longest ago went whole");
    }

    @Test
    void manyAccountsCannotEvictAnHonestAccountsRecentFills() {
        long seed = System.nanoTime();
        System.out.println("HistoryFairShareTest fills seed " + seed);
        Random random = new Random(seed);
        for (int attackers : new int[] {50, FillHistory.MAX_ACCOUNTS - 1}) {
            FillHistory fills = new FillHistory();
            int honestFills = 80;
            long sequence = 1;
            for (; sequence <= honestFills; sequence++) {
                fills.add(HONEST, sequence, sequence, 1, sequence, sequence, 0, null, Side.BUY, 10, 1, Liquidity.MAKER, null);
            }
            int events = FillHistory.MAX_RECORDS * 3 / 2;
            for (int i = 0; i < events; i++, sequence++) {
                fills.add(2 + random.nextInt(attackers), sequence, sequence, 1, sequence, sequence, 0, null, Side.SELL, 10, 1,
                        Liquidity.TAKER, null);
                if ((i & 0xFFFF) == 0) {
                    assertTrue(fills.size() <= FillHistory.MAX_RECORDS && fills.accounts() <= FillHistory.MAX_ACCOUNTS);
                }
            }
            assertEquals(Math.min(FillHistory.MAX_RECORDS, attackers * FillHistory.PER_ACCOUNT + honestFills),
                    fills.size());
            int share = FillHistory.MAX_RECORDS / fills.accounts();
            assertTrue(share >= FillHistory.FAIR_SHARE, "share " + share);
            List<FillHistory.Fill> kept = fills.recent(HONEST, 0, 1000);
            assertTrue(kept.size() >= Math.min(honestFills, share) && kept.size() <= honestFills,
                    attackers + " attackers: the honest account kept " + kept.size() + " fills, share " + share);
            assertEquals(honestFills, kept.get(0).sequence(), "its newest fill first");
        }
    }

    /** The honest account: one open order (id 1), then {@link #HONEST_ENDED} ended ones (ids 100 on). */
    private static long honestOrders(OrderHistory h) {
        h.accepted(1, 1, 1, 1, 0, null, HONEST, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 5, 1, 0);
        for (long id = 100; id < 100 + HONEST_ENDED; id++) {
            h.accepted(id, id, 1, id, 0, null, HONEST, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 5, 1, 0);
            h.canceled(id, id, 1, id, 0, null, HONEST, CancelReason.IMMEDIATE_OR_CANCEL);
        }
        return 1_000;
    }

    private static void assertBounds(OrderHistory h) {
        assertTrue(h.ended() <= OrderHistory.MAX_RECORDS, "ended " + h.ended());
        assertTrue(h.accounts() <= OrderHistory.MAX_ACCOUNTS, "accounts " + h.accounts());
        // Open orders are the engine's (bounded by its books): here only the honest account's one.
        assertEquals(h.ended() + 1, h.size());
    }
}
