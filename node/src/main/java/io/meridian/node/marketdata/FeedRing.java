package io.meridian.node.marketdata;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-off from the engine thread (the one producer) to the publisher thread (the one consumer): a ring of
 * preallocated {@link FeedSlot}s, and beside it a queue of {@link Control}s stamped with their place among the events.
 *
 * <p><b>Never blocks the engine.</b> {@link #claim} returns null when the ring is full instead of waiting: the engine
 * thread then drops market data and resynchronises its streams later (see {@code MarketData}). Claimed slots become
 * visible to the consumer at {@link #publish} (the engine calls it once per batch of commands), so the consumer is
 * woken at most once per batch. Controls are bounded too ({@link #MAX_CONTROLS}): one that adds a subscription is
 * refused beyond the bound; a removal or a resync is always taken, so that queue holds at most the bound plus about
 * as many changes as there are streams.
 *
 * <p><b>Waking.</b> The consumer parks when there is nothing to do ({@link #await}); the producer unparks it only if it
 * is parked. Both flags are volatile, written then read on each side, so a publish and a park cannot miss each other.
 */
public final class FeedRing {
    /** Controls queued at most (additions beyond it are refused; removals always go). */
    public static final int MAX_CONTROLS = 1 << 16;

    private final FeedSlot[] slots;
    private final int mask;
    /** Producer only: the last slot claimed, and the consumer's position as last read. */
    private long claimed = -1;
    private long consumedSeen = -1;
    private final AtomicLong published = new AtomicLong(-1);
    private final AtomicLong consumed = new AtomicLong(-1);
    private final ConcurrentLinkedQueue<Control> controls = new ConcurrentLinkedQueue<>();
    private final AtomicInteger controlCount = new AtomicInteger();
    private volatile boolean sleeping;
    private volatile Thread consumer;

    public FeedRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacity);
        }
        slots = new FeedSlot[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new FeedSlot();
        }
        mask = capacity - 1;
    }

    public int capacity() {
        return slots.length;
    }

    // Producer side: the engine thread.

    /** The next slot, cleared, or null when the ring is full (the consumer is a whole ring behind). */
    public FeedSlot claim() {
        long next = claimed + 1;
        if (next - consumedSeen > slots.length) {
            consumedSeen = consumed.get();
            if (next - consumedSeen > slots.length) {
                return null;
            }
        }
        claimed = next;
        FeedSlot slot = slots[(int) (next & mask)];
        slot.clear();
        return slot;
    }

    /** Slots free for claiming now. */
    public int free() {
        return (int) (slots.length - (claimed - consumed.get()));
    }

    /** Makes every claimed slot visible to the consumer, and wakes it if it sleeps. */
    public void publish() {
        if (published.get() != claimed) {
            published.set(claimed);
            wake();
        }
    }

    /**
     * Queues a change to apply after every slot claimed so far. Returns false (and queues nothing) when the queue is
     * at its bound and the change is a subscription ({@link Control#bounded}).
     */
    public boolean control(Control c) {
        if (c.bounded() && controlCount.get() >= MAX_CONTROLS) {
            return false;
        }
        c.stamp = claimed;
        controlCount.incrementAndGet();
        controls.add(c);
        wake();
        return true;
    }

    private void wake() {
        if (sleeping) {
            Thread t = consumer;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    // Consumer side: the publisher thread.

    void consumerThread(Thread t) {
        consumer = t;
    }

    /** The last slot published. */
    long published() {
        return published.get();
    }

    FeedSlot slot(long sequence) {
        return slots[(int) (sequence & mask)];
    }

    /** The consumer is done with every slot up to {@code sequence}: the producer may reuse them. */
    void consumed(long sequence) {
        consumed.lazySet(sequence);
    }

    /** The next change if it applies at or before slot {@code processed}, taken off the queue; else null. */
    Control nextControl(long processed) {
        Control head = controls.peek();
        if (head == null || head.stamp > processed) {
            return null;
        }
        controls.poll();
        controlCount.decrementAndGet();
        return head;
    }

    /**
     * Parks the consumer, at most {@code nanos}, unless there is work: slots after {@code processed}, or a change that
     * applies at or before it.
     */
    void await(long processed, long nanos) {
        sleeping = true;
        Control head = controls.peek();
        if (published.get() > processed || head != null && head.stamp <= processed) {
            sleeping = false;
            return;
        }
        LockSupport.parkNanos(this, nanos);
        sleeping = false;
    }
}
