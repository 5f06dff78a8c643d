package io.meridian.node.marketdata;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.AttributeKey;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket connection's end of the market data: a bounded queue of encoded frames from the publisher thread to
 * the connection's I/O thread, and the slow-consumer policy (docs/api.md, "Slow consumers").
 *
 * <p><b>Bounded.</b> The bytes a connection has waiting (handed over here and not yet written into the channel, plus
 * Netty's outbound buffer, acknowledgements included) may not pass {@link StreamLimits#maxPendingBytes}. A message
 * that would pass it is not queued: the connection is a slow consumer from then on. If it holds a private account
 * stream it is disconnected at once (private messages cannot be skipped). Otherwise its book streams are
 * <b>conflated</b>: nothing more is queued for it; once everything queued before has been written to its socket it
 * gets, per book stream, {@code {"type":"resync","channel":"book","instrument":N,"reason":"slow_consumer",...}} and a
 * fresh snapshot, and the deltas go on from there; at most one resync a second. A slow consumer that has not caught
 * up within {@link StreamLimits#slowConsumerTimeoutMillis} (plus up to a quarter more, so that a crowd is not
 * disconnected at once) is disconnected: it gets {@code {"type":"error","code":1008,"message":"slow consumer: ..."}}
 * and a close frame (1008, policy violation) behind what it has not read, and the connection is closed when those are
 * written or after the timeout again.
 *
 * <p><b>Threads.</b> Made on the connection's I/O thread ({@link #of}). The publisher thread calls {@link #enqueue}
 * and owns the fields marked publisher; {@link #drain} and the slow-consumer steps run on the I/O thread; the queue is
 * guarded by this object's lock, taken once per batch on each side. The encoded frames are shared by every subscriber
 * of a stream (duplicates of one buffer), so a message costs its bytes once however many connections hold it.
 */
public final class Subscriber {
    private static final AttributeKey<Subscriber> KEY = AttributeKey.valueOf("meridian.subscriber");
    /** A conflated subscriber gets at most one resync per this interval (each costs the engine a snapshot). */
    static final long RESYNC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The error code of the final message to a disconnected slow consumer (the close code too). */
    public static final int SLOW_CONSUMER = 1008;

    final Channel channel;
    final InetAddress address;
    private final MarketFeed feed;
    /** Snapshots asked for and not yet queued (I/O thread increments, publisher decrements). */
    private final AtomicInteger snapshotsInFlight = new AtomicInteger();
    /** Bytes queued here and not yet written into the channel. */
    private final AtomicLong queued = new AtomicLong();
    private ArrayList<ByteBuf> pending = new ArrayList<>();
    private ArrayList<ByteBuf> spare = new ArrayList<>();

    // Publisher thread.
    /** Book, account and other public streams ({@link Channels#key}) held, as the publisher's registry has them. */
    final java.util.HashSet<Integer> books = new java.util.HashSet<>();
    final java.util.HashSet<Long> accounts = new java.util.HashSet<>();
    final java.util.LinkedHashSet<Long> channels = new java.util.LinkedHashSet<>();
    /** Whether a drain is due at the end of the publisher's batch. */
    boolean dirty;
    /** Whether its book streams are conflated (nothing queued until a resync). */
    boolean stale;
    /** Slow-consumer episodes started so far. */
    long episodes;

    // Read across threads.
    /** The episode whose catching up the I/O thread must watch for (set by the publisher). */
    private volatile long watch;
    /** The last episode resolved by a resync (set by the publisher). */
    volatile long resolved;
    /** Set once it is being disconnected: nothing more is queued. */
    volatile boolean closing;

    // I/O thread.
    private long watched;
    private long lastResync = System.nanoTime() - RESYNC_INTERVAL_NANOS;

    private Subscriber(Channel channel, MarketFeed feed) {
        this.channel = channel;
        this.feed = feed;
        this.address = channel.remoteAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
        int sendBuffer = feed.limits().socketSendBuffer();
        if (sendBuffer > 0) {
            // Bounds what the kernel holds for a peer that does not read (else it grows to megabytes).
            channel.config().setOption(io.netty.channel.ChannelOption.SO_SNDBUF, sendBuffer);
        }
    }

    /** The connection's subscriber end, made on first use (on the connection's I/O thread). */
    public static Subscriber of(Channel channel, MarketFeed feed) {
        Subscriber s = channel.attr(KEY).get();
        if (s == null) {
            Subscriber made = new Subscriber(channel, feed);
            s = channel.attr(KEY).setIfAbsent(made);
            if (s == null) {
                s = made;
            }
        }
        return s;
    }

    /** The connection's subscriber end if it ever subscribed, else null. */
    public static Subscriber existing(Channel channel) {
        return channel.attr(KEY).get();
    }

    /**
     * I/O thread: reserves one of the connection's {@link StreamLimits#maxSnapshotsInFlight} snapshots for a book
     * subscription; false when they are all taken (the request is refused).
     */
    public boolean reserveSnapshot() {
        if (snapshotsInFlight.incrementAndGet() > feed.limits().maxSnapshotsInFlight()) {
            snapshotsInFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Any thread: the reserved snapshot was sent, or its subscription refused. */
    public void releaseSnapshot() {
        snapshotsInFlight.decrementAndGet();
    }

    public Channel channel() {
        return channel;
    }

    /** The peer's IP address (the key of the per-address cap); null when unknown. */
    public InetAddress address() {
        return address;
    }

    /**
     * Publisher: whether {@code bytes} more would pass the bound. A connection with nothing waiting always takes the
     * next message, so one message larger than the bound still gets through.
     */
    boolean wouldExceed(long bytes) {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        long waiting = queued.get() + (outbound == null ? 0 : outbound.totalPendingWriteBytes());
        return waiting > 0 && waiting + bytes > feed.limits().maxPendingBytes();
    }

    /** Publisher: queues a frame (its reference passes here) of {@code bytes}. */
    void enqueue(ByteBuf frame, int bytes) {
        synchronized (this) {
            pending.add(frame);
        }
        queued.addAndGet(bytes);
    }

    /** Publisher: the I/O thread must watch for this episode's catching up (it is run with the next drain). */
    void watch(long episode) {
        watch = episode;
    }

    /** I/O thread: writes what is queued and flushes once; starts watching a slow-consumer episode if one began. */
    void drain() {
        ArrayList<ByteBuf> batch;
        synchronized (this) {
            batch = pending;
            pending = spare;
            spare = batch;
        }
        long bytes = 0;
        boolean open = channel.isActive() && !closing;
        for (int i = 0; i < batch.size(); i++) {
            ByteBuf frame = batch.get(i);
            bytes += frame.readableBytes();
            if (open) {
                channel.write(frame, channel.voidPromise());
            } else {
                frame.release();
            }
        }
        batch.clear();
        queued.addAndGet(-bytes);
        long episode = watch;
        if (open && episode != watched) {
            watched = episode;
            // An empty write after everything queued: its promise completes once all of that has left for the socket.
            channel.write(Unpooled.EMPTY_BUFFER).addListener(f -> {
                if (f.isSuccess()) {
                    caughtUp(episode);
                }
            });
            channel.eventLoop().schedule(() -> timeout(episode), spread(feed.limits().slowConsumerTimeoutMillis()),
                    TimeUnit.MILLISECONDS);
        }
        if (open) {
            channel.flush();
        }
    }

    /** I/O thread: everything queued before the episode began is written; ask for fresh snapshots (rate-limited). */
    private void caughtUp(long episode) {
        if (!channel.isActive() || closing || resolved >= episode) {
            return;
        }
        long wait = lastResync + RESYNC_INTERVAL_NANOS - System.nanoTime();
        if (wait > 0) {
            channel.eventLoop().schedule(() -> caughtUp(episode), wait, TimeUnit.NANOSECONDS);
            return;
        }
        lastResync = System.nanoTime();
        feed.resyncer().resync(this, episode);
    }

    /**
     * {@code millis} plus up to a quarter more at random: subscribers that fell behind together (a crowd of idle ones)
     * are not all disconnected, nor closed, in the same moment, which would hold the I/O threads up at once.
     */
    private static long spread(long millis) {
        return millis + java.util.concurrent.ThreadLocalRandom.current().nextLong(millis / 4 + 1);
    }

    /** I/O thread: the episode's time is up; disconnect unless it was resolved. */
    private void timeout(long episode) {
        if (resolved < episode && channel.isActive()) {
            disconnect("slow consumer: the book stream was not read for "
                    + feed.limits().slowConsumerTimeoutMillis() + " ms");
        }
    }

    /**
     * Any thread: the final error message and a close frame (1008) behind what is queued, then the connection is closed
     * once they are written or after the slow-consumer timeout. Nothing more is queued meanwhile.
     */
    void disconnect(String reason) {
        closing = true;
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                return;
            }
            JsonBytes text = new JsonBytes(128).ascii("{\"type\":\"error\",\"code\":").number(SLOW_CONSUMER)
                    .ascii(",\"message\":").string(reason).ascii('}');
            channel.write(new TextWebSocketFrame(text.toString()), channel.voidPromise());
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, "slow consumer"))
                    .addListener(ChannelFutureListener.CLOSE);
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, spread(feed.limits().slowConsumerTimeoutMillis()), TimeUnit.MILLISECONDS);
            feed.stats().disconnected();
        });
    }

    /** Any thread: an error frame for a refused request ({@code code}, {@code message}). */
    public void refuse(int code, String message) {
        refuse(code, message, null);
    }

    /** Any thread: an error frame for a refused request ({@code code}, {@code message}, the request's id if any). */
    public void refuse(int code, String message, Long id) {
        feed.refused(code);
        JsonBytes text = new JsonBytes(128).ascii("{\"type\":\"error\",\"code\":").number(code).ascii(",\"message\":")
                .string(message);
        if (id != null) {
            text.ascii(",\"id\":").number(id);
        }
        channel.writeAndFlush(new TextWebSocketFrame(text.ascii('}').toString()));
    }
}
