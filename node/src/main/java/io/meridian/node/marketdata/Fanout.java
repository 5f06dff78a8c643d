package io.meridian.node.marketdata;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The publisher's last step: queues encoded frames for each subscriber within its bound, applies the slow-consumer
 * policy past it (see {@link Subscriber}: disconnect a connection that holds a private stream, conflate one that only
 * reads books), and hands every subscriber with something new to its I/O thread, one task per thread per batch.
 * Publisher thread only.
 */
final class Fanout {
    private final long maxPendingBytes;
    private final FeedStats stats;
    /** Subscribers with something queued for their I/O thread this batch. */
    private final ArrayList<Subscriber> dirty = new ArrayList<>();
    private final Map<EventLoop, ArrayList<Subscriber>> byLoop = new IdentityHashMap<>();
    private int offers;

    Fanout(long maxPendingBytes, FeedStats stats) {
        this.maxPendingBytes = maxPendingBytes;
        this.stats = stats;
    }

    /** Whether nothing waits to be handed to an I/O thread. */
    boolean idle() {
        return dirty.isEmpty();
    }

    /** A new batch: {@link #offers()} counts from zero. */
    void startBatch() {
        offers = 0;
    }

    /** How many subscribers were handed something since {@link #startBatch()}. */
    int offers() {
        return offers;
    }

    /** Queues a duplicate of {@code buf} for {@code s}, unless that would pass its bound (then: the policy). */
    void offer(Subscriber s, ByteBuf buf, int n) {
        if (s.closing || !s.channel.isActive()) {
            return;
        }
        if (s.wouldExceed(n)) {
            slow(s);
            return;
        }
        s.enqueue(buf.retainedDuplicate(), n);
        offers++;
        stats.frames.incrementAndGet();
        stats.bytes.addAndGet(n);
        markDirty(s);
    }

    /** Queues {@code frame} (one or more framed messages) for {@code s} alone. */
    void offerOwn(Subscriber s, JsonBytes frame) {
        int n = frame.length();
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(n, n);
        buf.writeBytes(frame.array(), 0, n);
        try {
            offer(s, buf, n);
        } finally {
            buf.release();
        }
    }

    /** The slow-consumer policy (see {@link Subscriber}): disconnect if it holds a private stream, else conflate. */
    private void slow(Subscriber s) {
        if (!s.accounts.isEmpty()) {
            s.disconnect("slow consumer: more than " + maxPendingBytes + " bytes waiting on a"
                    + " connection with a private account stream");
            return;
        }
        if (!s.stale) {
            s.stale = true;
            s.episodes++;
            s.watch(s.episodes);
            stats.conflated.incrementAndGet();
            markDirty(s);
        }
    }

    private void markDirty(Subscriber s) {
        if (!s.dirty) {
            s.dirty = true;
            dirty.add(s);
        }
    }

    /** One task per I/O thread that writes every connection of it that has something new. */
    void dispatch() {
        if (dirty.isEmpty()) {
            return;
        }
        for (int i = 0; i < dirty.size(); i++) {
            Subscriber s = dirty.get(i);
            s.dirty = false;
            byLoop.computeIfAbsent(s.channel.eventLoop(), k -> new ArrayList<>()).add(s);
        }
        dirty.clear();
        for (Map.Entry<EventLoop, ArrayList<Subscriber>> e : byLoop.entrySet()) {
            ArrayList<Subscriber> list = e.getValue();
            e.getKey().execute(() -> {
                for (int i = 0; i < list.size(); i++) {
                    list.get(i).drain();
                }
            });
        }
        byLoop.clear();
    }
}
