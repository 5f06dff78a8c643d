package io.meridian.engine;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RecentOrders} against a naive reference (an insertion-ordered map that drops its eldest entry past the
 * capacity): the same keys are found with the same outcomes after any sequence of records, through growth, eviction
 * and the index's backward-shift deletions (a small key space forces collisions and re-records of known keys).
 */
class RecentOrdersProperties {
    private record Key(long account, long clientOrderId) {
    }

    private record Stored(long orderId, long sequence, RejectReason reject, long filled, long resting, boolean canceled) {
    }

    @Property(tries = 300)
    void findsWhatANaiveBoundedMapFinds(@ForAll @IntRange(min = 1, max = 150) int capacity,
                                        @ForAll @Size(max = 600) List<@IntRange(min = 0, max = 400) Integer> keys) {
        RecentOrders table = new RecentOrders(capacity);
        Map<Key, Stored> reference = new LinkedHashMap<>();
        CommandOutcome outcome = new CommandOutcome();
        long sequence = 0;
        for (int k : keys) {
            sequence++;
            Key key = new Key(1 + k % 7, 1 + k / 7);
            RejectReason reject = k % 5 == 0 ? RejectReason.INSUFFICIENT_MARGIN : null;
            Stored stored = new Stored(sequence * 3, sequence, reject, k % 11, k % 13, k % 2 == 0);
            fill(outcome, key, stored);
            table.record(outcome);
            if (!reference.containsKey(key)) {
                reference.put(key, stored);
                if (reference.size() > capacity) {
                    reference.remove(reference.keySet().iterator().next());
                }
            }
            assertEquals(reference.size(), table.size());
        }
        CommandOutcome found = new CommandOutcome();
        for (long account = 1; account <= 7; account++) {
            for (long clientOrderId = 1; clientOrderId <= 58; clientOrderId++) {
                Stored expected = reference.get(new Key(account, clientOrderId));
                boolean present = table.find(account, clientOrderId, found);
                assertEquals(expected != null, present, "key " + account + "/" + clientOrderId);
                if (expected != null) {
                    assertTrue(found.duplicate());
                    assertEquals(expected.orderId(), found.orderId());
                    assertEquals(expected.sequence(), found.originalSequence());
                    assertEquals(expected.reject(), found.reject());
                    assertEquals(expected.filled(), found.filledQuantity());
                    assertEquals(expected.resting(), found.restingQuantity());
                    assertEquals(expected.canceled(), found.canceled());
                }
            }
        }
    }

    @Property(tries = 50)
    void theHashDependsOnlyOnTheRecordsHeld(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 100) Integer> keys) {
        // Two tables that grew differently (one from capacity-sized arrays) but hold the same records hash alike.
        RecentOrders small = new RecentOrders(40);
        RecentOrders large = new RecentOrders(40);
        CommandOutcome outcome = new CommandOutcome();
        long sequence = 0;
        for (int k : keys) {
            sequence++;
            fill(outcome, new Key(k, k), new Stored(sequence, sequence, null, 0, 1, false));
            small.record(outcome);
            large.record(outcome);
        }
        StateHasher a = new StateHasher();
        StateHasher b = new StateHasher();
        small.hashState(a);
        large.hashState(b);
        assertEquals(a.value(), b.value());
    }

    @Property(tries = 20)
    void aMissIsAMiss(@ForAll @IntRange(min = 1, max = 10_000) int records) {
        RecentOrders table = new RecentOrders(records);
        CommandOutcome outcome = new CommandOutcome();
        for (int i = 1; i <= records; i++) {
            fill(outcome, new Key(i, i), new Stored(i, i, null, 0, 0, false));
            table.record(outcome);
        }
        CommandOutcome found = new CommandOutcome();
        assertFalse(table.find(records + 1, records + 1, found));
        assertFalse(table.find(1, 2, found));
        assertTrue(table.find(records, records, found));
    }

    private static void fill(CommandOutcome outcome, Key key, Stored stored) {
        Command c = new Command().reset();
        c.type = CommandType.PLACE_ORDER;
        c.sequence = stored.sequence();
        c.account = key.account();
        c.clientOrderId = key.clientOrderId();
        c.orderId = stored.orderId();
        outcome.begin(c);
        if (stored.reject() != null) {
            outcome.rejected(stored.reject());
        }
        outcome.orderAccepted(stored.orderId(), stored.filled() + stored.resting());
        if (stored.filled() > 0) {
            outcome.orderFilled(stored.orderId(), stored.filled(), stored.resting());
        }
        if (stored.canceled()) {
            outcome.orderCanceled(stored.orderId() + 1, 0, 0);
        }
    }
}
