package io.meridian.node.history;

import io.meridian.model.CancelReason;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order and fill histories reuse the records that leave them (so a history at its bounds allocates nothing per
 * order or fill): a reused record must show nothing of the order or fill it held before, and reuse must happen.
 */
class HistoryRecyclingTest {
    private static final long ACCOUNT = 7;
    private static final int BTC = 3;

    @Test
    void everyFieldOfAResetOrderRecordIsANewRecordsDefault() throws IllegalAccessException {
        OrderHistory.Slot used = new OrderHistory.Slot();
        OrderHistory.Slot fresh = new OrderHistory.Slot();
        List<Field> fields = instanceFields(OrderHistory.Slot.class);
        for (Field f : fields) {
            f.set(used, notDefault(f.getType()));
            assertNotEquals(f.get(fresh), f.get(used), f.getName() + ": the test could not make it differ");
        }
        used.reset();
        for (Field f : fields) {
            assertEquals(f.get(fresh), f.get(used), f.getName() + " survives a reset: a reused record would show it");
        }
    }

    @Test
    void aReusedOrderRecordShowsNothingOfTheOrderBefore() {
        OrderHistory history = new OrderHistory();
        long sequence = 1;
        // Fill the account's ended orders past the bound with records that have every field set.
        for (long id = 1; id <= 3L * OrderHistory.PER_ACCOUNT; id++) {
            history.accepted(sequence++, 100 + id, BTC, id, 500 + id, "text-" + id, ACCOUNT, Side.SELL,
                    OrderType.STOP_LIMIT, TimeInForce.GTD, 65_000, 40, 64_000);
            history.triggered(sequence++, 200 + id, BTC, id, 500 + id, "text-" + id, ACCOUNT);
            history.filled(sequence++, 300 + id, BTC, id, 500 + id, "text-" + id, ACCOUNT, 65_000, 10, 30);
            history.canceled(sequence++, 400 + id, BTC, id, 500 + id, "text-" + id, ACCOUNT, CancelReason.USER);
        }
        assertEquals(OrderHistory.PER_ACCOUNT + 1, history.recordsMade(),
                "past the bound, each new order takes the record of the one its predecessor's end pushed out");
        assertEquals(1, history.spareRecords());
        // An order accepted before the history began ends: its record is a reused one, told only what its end says.
        long unknown = 90_000;
        history.expired(sequence, 9_000, BTC, unknown, 0, null, ACCOUNT);
        assertEquals(OrderHistory.PER_ACCOUNT + 1, history.recordsMade());
        assertEquals(new OrderHistory.Order(unknown, 0, null, ACCOUNT, BTC, null, null, null, 0, 0, 0, 0, 0,
                OrderHistory.Status.EXPIRED, null, null, 0, 9_000, sequence, 0), history.find(ACCOUNT, unknown));
        // And a rejected one, the same.
        history.rejected(sequence + 1, 9_100, BTC, 0, 0, null, ACCOUNT, RejectReason.INSUFFICIENT_MARGIN);
        assertEquals(new OrderHistory.Order(sequence + 1, 0, null, ACCOUNT, BTC, null, null, null, 0, 0, 0, 0, 0,
                OrderHistory.Status.REJECTED, null, RejectReason.INSUFFICIENT_MARGIN, 9_100, 9_100, sequence + 1, 0),
                history.find(ACCOUNT, sequence + 1));
        assertEquals(OrderHistory.PER_ACCOUNT + 1, history.recordsMade());
        assertEquals(OrderHistory.PER_ACCOUNT, history.size(), "the account keeps its bound, no more");
    }

    @Test
    void aReusedFillRecordShowsNothingOfTheFillBefore() {
        FillHistory history = new FillHistory();
        for (long n = 1; n <= 3L * FillHistory.PER_ACCOUNT; n++) {
            history.add(ACCOUNT, n, 10 * n, BTC, 100 + n, 200 + n, 300 + n, "text-" + n, Side.BUY, 65_000, 2,
                    Liquidity.MAKER, "adl");
        }
        assertEquals(FillHistory.PER_ACCOUNT, history.recordsMade(),
                "past the bound, each fill takes the record of the one it pushed out");
        long sequence = 50_000;
        history.add(ACCOUNT, sequence, 777, BTC + 1, 0, 0, 0, null, Side.SELL, 64_000, 5, null, null);
        assertEquals(FillHistory.PER_ACCOUNT, history.recordsMade());
        assertEquals(new FillHistory.Fill(sequence, 0, 777, BTC + 1, 0, 0, 0, null, Side.SELL, 64_000, 5, null, null),
                history.recent(ACCOUNT, 0, 1).get(0));
        assertEquals(FillHistory.PER_ACCOUNT, history.size());
    }

    @Test
    void reuseKeepsAtMostItsBoundWhenAccountsAreDroppedWhole() {
        OrderHistory orders = new OrderHistory();
        FillHistory fills = new FillHistory();
        long sequence = 1;
        // Six accounts with a full history each, then enough one-order accounts to drop the six whole, one by one.
        for (long account = 1; account <= 6 + OrderHistory.MAX_ACCOUNTS; account++) {
            int count = account <= 6 ? OrderHistory.PER_ACCOUNT : 1;
            for (int k = 0; k < count; k++) {
                orders.accepted(sequence, sequence, BTC, sequence, 0, null, account, Side.BUY, OrderType.LIMIT,
                        TimeInForce.GTC, 1, 1, 0);
                orders.canceled(sequence, sequence, BTC, sequence, 0, null, account, CancelReason.USER);
                fills.add(account, sequence, sequence, BTC, sequence, sequence, 0, null, Side.BUY, 1, 1,
                        Liquidity.TAKER, null);
                sequence++;
            }
        }
        // 6,000 records of each kind left with the six; the bound kept (the one-order accounts after took a few).
        assertTrue(orders.spareRecords() <= OrderHistory.MAX_SPARE && orders.spareRecords() > OrderHistory.MAX_SPARE - 6,
                "kept for reuse up to the bound, no more: " + orders.spareRecords());
        assertTrue(fills.spareRecords() <= FillHistory.MAX_SPARE && fills.spareRecords() > FillHistory.MAX_SPARE - 6,
                "kept for reuse up to the bound, no more: " + fills.spareRecords());
    }

    private static List<Field> instanceFields(Class<?> type) {
        return java.util.Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
                .peek(f -> f.setAccessible(true))
                .toList();
    }

    /** A value of the type that no new record holds. */
    private static Object notDefault(Class<?> type) {
        if (type == long.class) {
            return 42L;
        }
        if (type == int.class) {
            return 42;
        }
        if (type == String.class) {
            return "left over";
        }
        if (type.isEnum()) {
            Object[] values = type.getEnumConstants();
            return values[values.length - 1];
        }
        throw new AssertionError("no test value for a field of type " + type + ": add one");
    }
}
