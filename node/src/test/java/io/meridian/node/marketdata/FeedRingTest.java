package io.meridian.node.marketdata;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-off ring: bounded (a full ring refuses a claim at once, it never waits), published slots reach the consumer
 * in order, and a change applies exactly after the events claimed before it.
 */
class FeedRingTest {
    @Test
    void aFullRingRefusesAtOnceAndTakesAgainOnceConsumed() {
        FeedRing ring = new FeedRing(8);
        for (int i = 0; i < 8; i++) {
            FeedSlot slot = ring.claim();
            assertNotNull(slot);
            slot.a = i;
        }
        assertNull(ring.claim(), "full: refused, not waited for");
        assertEquals(0, ring.free());
        ring.publish();
        assertEquals(7, ring.published());
        for (long s = 0; s <= 3; s++) {
            assertEquals(s, ring.slot(s).a);
        }
        ring.consumed(3);
        assertEquals(4, ring.free());
        FeedSlot again = ring.claim();
        assertNotNull(again);
        assertEquals(0, again.a, "a claimed slot is cleared");
    }

    @Test
    void changesApplyAfterTheEventsClaimedBeforeThem() {
        FeedRing ring = new FeedRing(16);
        ring.claim();
        ring.claim();
        Control first = Control.resyncAccount(1);
        assertTrue(ring.control(first));
        ring.claim();
        Control second = Control.resyncAccount(2);
        assertTrue(ring.control(second));
        assertNull(ring.nextControl(0), "the first change waits for both events before it");
        assertSame(first, ring.nextControl(1));
        assertNull(ring.nextControl(1));
        assertSame(second, ring.nextControl(2));
    }

    @Test
    void subscriptionsAreRefusedAtTheControlBoundButRemovalsAlwaysGo() {
        FeedRing ring = new FeedRing(16);
        for (int i = 0; i < FeedRing.MAX_CONTROLS; i++) {
            assertTrue(ring.control(Control.resyncAccount(i)));
        }
        assertFalse(ring.control(Control.subscribeAccount(null, 1)), "an addition over the bound is refused");
        assertTrue(ring.control(Control.unsubscribeAccount(null, 1, null)), "a removal is taken");
    }

    @Test
    void aConsumerThreadSeesEveryPublishedEventInOrderAndTheProducerNeverWaits() throws Exception {
        FeedRing ring = new FeedRing(1024);
        long events = 2_000_000;
        List<Long> problems = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        AtomicLong lastSeen = new AtomicLong(-1);
        Thread consumer = new Thread(() -> {
            long processed = -1;
            while (lastSeen.get() < events) {
                long available = ring.published();
                for (long s = processed + 1; s <= available; s++) {
                    long value = ring.slot(s).a;
                    if (value <= lastSeen.get()) {
                        problems.add(value);
                    }
                    lastSeen.set(value);
                    received.incrementAndGet();
                }
                processed = available;
                ring.consumed(processed);
                ring.await(processed, 1_000_000);
            }
        });
        ring.consumerThread(consumer);
        consumer.start();
        long dropped = 0;
        for (long i = 0; i < events; i++) {
            FeedSlot slot = ring.claim();
            if (slot == null) {
                dropped++;
            } else {
                slot.a = i;
            }
            if ((i & 63) == 63 || i == events - 1) {
                ring.publish();
            }
        }
        // A marker after the events, that the consumer stops at.
        FeedSlot end;
        while ((end = ring.claim()) == null) {
            Thread.onSpinWait();
        }
        end.a = events;
        ring.publish();
        consumer.join(30_000);
        assertFalse(consumer.isAlive(), "the consumer saw the end");
        assertEquals(List.of(), problems, "in order, each once");
        assertEquals(events - dropped + 1, received.get(), "every event not dropped arrived (dropped " + dropped + ")");
    }
}
