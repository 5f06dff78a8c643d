package io.meridian.node.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection caps: at most {@code max} open connections, at most {@code perAddress} of them from one client
 * address (IPv4 address, or IPv6 /64: one host commonly holds a whole /64). Counted when a connection is accepted,
 * uncounted exactly once when it closes (its close future), whoever closes it.
 *
 * <p>A connection over a cap is refused cleanly: it gets a fixed HTTP 503 with a JSON body ({@code code} 503,
 * {@code Retry-After: 1}), its output is shut, what it sends is discarded until it closes its side or
 * {@link #LINGER_MILLIS} pass, then it is closed. Lingering avoids the TCP reset that closing at once with the
 * client's request unread would send, which can destroy the 503 before the client reads it. At most
 * {@link #MAX_LINGERING} refusals linger at once; beyond that a refused connection is closed at once, unanswered, so a
 * flood of refused connections holds a bounded number of descriptors.
 *
 * <p>Thread-safe: the counts are updated from every I/O thread.
 */
final class ConnectionCaps {
    /** Refused connections that may wait for their 503 to be read at once. */
    static final int MAX_LINGERING = 64;
    /** How long a refused connection waits for the client to read the 503 and close. */
    static final long LINGER_MILLIS = 1_000;

    private static final byte[] TOO_MANY = refusal("too many connections: the node is at its limit");
    private static final byte[] TOO_MANY_FROM_ADDRESS = refusal("too many connections from your address");

    private final int max;
    private final int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger lingering = new AtomicInteger();
    /** Connections refused since the start: over the total cap, over the per-address cap (for the metrics). */
    private final java.util.concurrent.atomic.LongAdder refusedTotal = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder refusedPerAddress = new java.util.concurrent.atomic.LongAdder();
    /** Open connections per address key; an entry exists only while its count is positive (bounded by max). */
    private final ConcurrentHashMap<Object, Integer> byAddress = new ConcurrentHashMap<>();

    ConnectionCaps(int max, int perAddress) {
        this.max = max;
        this.perAddress = Math.min(perAddress, max);
    }

    /**
     * Counts {@code ch} in, or refuses it (then it is being answered 503 and closed). Called on the channel's I/O
     * thread before any other handler is added.
     */
    boolean admit(SocketChannel ch) {
        Object key = key(ch.remoteAddress());
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refusedTotal.increment();
            refuse(ch, TOO_MANY);
            return false;
        }
        boolean[] counted = new boolean[1];
        byAddress.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perAddress) {
                return n;
            }
            counted[0] = true;
            return count + 1;
        });
        if (!counted[0]) {
            open.decrementAndGet();
            refusedPerAddress.increment();
            refuse(ch, TOO_MANY_FROM_ADDRESS);
            return false;
        }
        ch.closeFuture().addListener(f -> {
            byAddress.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
            open.decrementAndGet();
        });
        return true;
    }

    /** Connections counted now. */
    int open() {
        return open.get();
    }

    /** Connections refused over the total cap since the start. */
    long refusedTotal() {
        return refusedTotal.sum();
    }

    /** Connections refused over the per-address cap since the start. */
    long refusedPerAddress() {
        return refusedPerAddress.sum();
    }

    /** The count key of a client address: the IPv4 address, or the /64 prefix of an IPv6 one. */
    static Object key(InetSocketAddress remote) {
        InetAddress address = remote == null ? null : remote.getAddress();
        if (address == null) {
            return "unknown";
        }
        if (address instanceof Inet6Address) {
            return ByteBuffer.wrap(address.getAddress()).getLong();
        }
        return address;
    }

    private void refuse(SocketChannel ch, byte[] answer) {
        if (lingering.incrementAndGet() > MAX_LINGERING) {
            lingering.decrementAndGet();
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> lingering.decrementAndGet());
        ch.pipeline().addLast(new Refusal(answer));
    }

    private static byte[] refusal(String message) {
        byte[] body = ("{\"code\":503,\"message\":\"" + message + "\"}").getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head8.length + body.length];
        System.arraycopy(head8, 0, all, 0, head8.length);
        System.arraycopy(body, 0, all, head8.length, body.length);
        return all;
    }

    /** The whole pipeline of a refused connection: the 503, a half close, the rest discarded. */
    private static final class Refusal extends ChannelInboundHandlerAdapter {
        private final byte[] answer;

        Refusal(byte[] answer) {
            this.answer = answer;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            SocketChannel ch = (SocketChannel) ctx.channel();
            ByteBuf bytes = Unpooled.wrappedBuffer(answer);
            ctx.writeAndFlush(bytes).addListener(f -> {
                if (f.isSuccess()) {
                    ch.shutdownOutput();
                } else {
                    ch.close();
                }
            });
            ctx.executor().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
