package io.meridian.app.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The hostile market-data clients of {@code meridian load --idle-subscribers N}: WebSocket connections that subscribe
 * to an instrument's book at full depth and then never read again, as a tester found could starve order entry. Each
 * connects with a tiny receive buffer ({@link #RECEIVE_BUFFER} bytes), completes the handshake, sends
 * {@code {"op":"subscribe","channel":"book","instrument":I,"depth":D}}, reads exactly one message (the snapshot, which
 * proves the subscription is in place; an error message fails the setup) and from then on reads nothing, so the node's
 * writes pile up in its socket buffers and its own outbound queue.
 *
 * <p>Connections come from {@code perAddress} per loopback source address (127.0.1.1, 127.0.1.2, ...; Linux routes
 * all of 127/8 to the loopback interface), as a crowd of hosts would, so the node's per-address subscription cap does
 * not refuse them; 0 puts them all on the default source address.
 *
 * <p>{@link #census} drains what each connection can read for a moment and counts the connections the node closed:
 * how the node's slow-consumer policy treated them. Not thread-safe: one thread opens, counts and closes.
 */
final class IdleSubscribers implements AutoCloseable {
    /** The receive buffer asked for on each idle socket (the kernel may round it up). */
    static final int RECEIVE_BUFFER = 4096;

    private final List<SocketChannel> channels = new ArrayList<>();
    private final int addresses;

    private IdleSubscribers(int addresses) {
        this.addresses = addresses;
    }

    /**
     * Opens {@code count} idle subscribers to {@code host:port}, each with its snapshot read. Throws on the first
     * that fails (refused, no snapshot within 10 s, an error message instead), after closing those already open.
     */
    static IdleSubscribers open(String host, int port, int count, int instrument, int depth, int perAddress)
            throws IOException {
        int addresses = count == 0 ? 0 : perAddress <= 0 ? 1 : (count + perAddress - 1) / perAddress;
        IdleSubscribers idle = new IdleSubscribers(addresses);
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meridian-load-idle-watchdog");
            t.setDaemon(true);
            return t;
        });
        SplittableRandom random = new SplittableRandom(count * 31L + depth);
        try {
            for (int i = 0; i < count; i++) {
                InetAddress source = perAddress <= 0 ? null : sourceAddress(i / perAddress);
                idle.channels.add(openOne(host, port, source, instrument, depth, random, watchdog));
            }
        } catch (IOException | RuntimeException e) {
            idle.close();
            throw e;
        } finally {
            watchdog.shutdownNow();
        }
        return idle;
    }

    /** The {@code group}-th loopback source address: 127.0.1.1 onwards (250 per third octet). */
    static InetAddress sourceAddress(int group) throws IOException {
        if (group >= 250 * 254) {
            throw new IOException("too many source addresses");
        }
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + group / 250), (byte) (1 + group % 250)});
    }

    private static SocketChannel openOne(String host, int port, InetAddress source, int instrument, int depth,
                                         SplittableRandom random, ScheduledExecutorService watchdog)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        // The whole handshake and the snapshot within 10 s, or the channel is closed under the blocked read.
        ScheduledFuture<?> timeout = watchdog.schedule(() -> {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing to unblock; nothing else to do.
            }
        }, 10, TimeUnit.SECONDS);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            if (source != null) {
                channel.bind(new InetSocketAddress(source, 0));
            }
            channel.connect(new InetSocketAddress(host, port));
            byte[] nonce = new byte[16];
            for (int i = 0; i < nonce.length; i++) {
                nonce[i] = (byte) random.nextInt(256);
            }
            String handshake = "GET /ws HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            writeFully(channel, ByteBuffer.wrap(handshake.getBytes(StandardCharsets.US_ASCII)));
            String status = readHead(channel);
            if (!status.startsWith("HTTP/1.1 101")) {
                throw new IOException("WebSocket handshake refused: " + status);
            }
            String subscribe = "{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":" + instrument
                    + ",\"depth\":" + depth + "}";
            writeFully(channel, maskedText(subscribe.getBytes(StandardCharsets.UTF_8), random));
            String first = readTextFrame(channel);
            if (!first.startsWith("{\"type\":\"snapshot\"")) {
                throw new IOException("subscription refused: " + first.substring(0, Math.min(200, first.length())));
            }
            timeout.cancel(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            timeout.cancel(false);
            channel.close();
            throw e;
        }
    }

    /** A client text frame (masked, as RFC 6455 requires of clients). */
    static ByteBuffer maskedText(byte[] payload, SplittableRandom random) {
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 14);
        frame.put((byte) 0x81);
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length < 65_536) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] mask = new byte[4];
        for (int i = 0; i < 4; i++) {
            mask[i] = (byte) random.nextInt(256);
        }
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return frame.flip();
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Reads the HTTP response head byte by byte (no more, so the first frame stays unread); its status line. */
    private static String readHead(SocketChannel channel) throws IOException {
        StringBuilder head = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (head.length() < 8192) {
            one.clear();
            if (channel.read(one) < 0) {
                throw new EOFException("closed during the handshake");
            }
            head.append((char) (one.get(0) & 0xff));
            int n = head.length();
            if (n >= 4 && head.charAt(n - 4) == '\r' && head.charAt(n - 3) == '\n' && head.charAt(n - 2) == '\r'
                    && head.charAt(n - 1) == '\n') {
                int end = head.indexOf("\r\n");
                return head.substring(0, end);
            }
        }
        throw new IOException("handshake response head too long");
    }

    /** Reads one whole text message (unfragmented, as the node sends them) and returns it. */
    private static String readTextFrame(SocketChannel channel) throws IOException {
        ByteBuffer header = readExactly(channel, 2);
        int opcode = header.get(0) & 0x0f;
        long length = header.get(1) & 0x7f;
        if (length == 126) {
            length = readExactly(channel, 2).getShort() & 0xffff;
        } else if (length == 127) {
            length = readExactly(channel, 8).getLong();
        }
        if (length > (64 << 20) || length < 0) {
            throw new IOException("first message too long: " + length);
        }
        ByteBuffer payload = readExactly(channel, (int) length);
        String text = new String(payload.array(), 0, (int) length, StandardCharsets.UTF_8);
        if (opcode != 1) {
            throw new IOException("expected a text message, got opcode " + opcode + ": " + text);
        }
        return text;
    }

    private static ByteBuffer readExactly(SocketChannel channel, int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(n);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("closed by the node");
            }
        }
        return buffer.flip();
    }

    int size() {
        return channels.size();
    }

    /** Source addresses the connections came from. */
    int addresses() {
        return addresses;
    }

    /** What became of the idle connections: how many the node closed, how many are still open. */
    record Census(int closed, int open, long bytesRead) {
    }

    /**
     * Reads (and discards) whatever each connection can deliver for up to {@code millis}, and counts those that reach
     * the end of the stream (closed by the node). Ends the idleness: call after the measurement.
     */
    Census census(long millis) throws IOException {
        int closed = 0;
        long bytes = 0;
        ByteBuffer sink = ByteBuffer.allocate(64 << 10);
        try (Selector selector = Selector.open()) {
            int open = 0;
            for (SocketChannel channel : channels) {
                if (!channel.isOpen()) {
                    closed++;
                    continue;
                }
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
                open++;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (open > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                selector.select(left);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    SocketChannel channel = (SocketChannel) key.channel();
                    int n;
                    try {
                        sink.clear();
                        n = channel.read(sink);
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n < 0) {
                        key.cancel();
                        channel.close();
                        closed++;
                        open--;
                    } else {
                        bytes += n;
                    }
                }
            }
            return new Census(closed, channels.size() - closed, bytes);
        }
    }

    String describe(int instrument, int depth) {
        return String.format(Locale.ROOT, "%d idle subscriber(s) on instrument %d at depth %d from %d source"
                + " address(es), each with its snapshot read, then never reading (receive buffer %d bytes)",
                channels.size(), instrument, depth, Math.max(1, addresses), RECEIVE_BUFFER);
    }

    @Override
    public void close() {
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
    }

    static void printCensus(PrintStream out, Census census) {
        out.printf(Locale.ROOT, "idle subscribers after the run: %d closed by the node, %d still open (%,d bytes were"
                + " waiting for them)%n", census.closed(), census.open(), census.bytesRead());
    }
}
