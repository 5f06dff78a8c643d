package io.meridian.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * A lean WebSocket client connection (RFC 6455, text messages, no extensions) over a non-blocking socket driven by a
 * {@link Reactor} thread. It exists because the JDK's {@code java.net.http.WebSocket} takes one send at a time through
 * a chain of futures and decodes through several threads, which cost more CPU than the node's whole order path; here a
 * send is a masked frame appended to one buffer, and frames sent while the reactor thread delivers a read (an
 * answer that triggers the next order) leave in one write after the read is handled.
 *
 * <p>Threads: {@link #send} may be called from any thread (appends under this object's lock, then writes at once
 * unless the reactor thread is delivering); the {@link Listener} runs on the reactor thread and must not block.
 * Masking keys come from a per-connection {@link SplittableRandom} seeded from {@link SecureRandom}: masking exists to
 * stop browser scripts from steering bytes through proxies, which a native client does not need, so a fast generator
 * suffices.
 */
public final class WebSocketConnection implements AutoCloseable {
    /** Receives a connection's messages on the reactor thread. */
    public interface Listener {
        /** A complete text message: {@code length} UTF-8 bytes at {@code offset}, valid during the call only. */
        void onText(byte[] buffer, int offset, int length);

        /** The connection closed (by either side, or failed: then {@code cause} is not null). */
        default void onClose(Throwable cause) {
        }
    }

    private static final int MAX_MESSAGE = 16 << 20;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final SocketChannel channel;
    private final Reactor reactor;
    private final Listener listener;
    private final SplittableRandom masks = new SplittableRandom(new SecureRandom().nextLong());
    /** Frames to send (write mode); guarded by this. */
    private ByteBuffer out = ByteBuffer.allocate(64 << 10);
    /** Received bytes not yet parsed (write mode); reactor thread only after the handshake. */
    private ByteBuffer in = ByteBuffer.allocate(64 << 10);
    /** A fragmented message being assembled; reactor thread only. */
    private byte[] fragments = new byte[0];
    private int fragmentLength = -1;
    private SelectionKey key;
    /** Whether the reactor thread is delivering a read: sends then wait for the end of it (one write). */
    private boolean delivering;
    private boolean wantsWrite;
    private volatile boolean closed;

    private WebSocketConnection(SocketChannel channel, Reactor reactor, Listener listener) {
        this.channel = channel;
        this.reactor = reactor;
        this.listener = listener;
    }

    /**
     * Connects to {@code uri} ({@code ws://host:port/path}), performs the opening handshake (blocking, on the calling
     * thread), and hands the connection to {@code reactor}.
     *
     * @throws UncheckedIOException when the host cannot be reached or refuses the upgrade
     */
    public static WebSocketConnection open(URI uri, Reactor reactor, Listener listener) {
        if (!"ws".equals(uri.getScheme())) {
            throw new IllegalArgumentException("only ws:// is supported, was " + uri);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        try {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            WebSocketConnection connection = new WebSocketConnection(channel, reactor, listener);
            connection.handshake(uri.getHost() + ":" + port, path);
            channel.configureBlocking(false);
            reactor.register(connection);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + uri + ": " + e.getMessage(), e);
        }
    }

    private void handshake(String host, String path) throws IOException {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String key64 = Base64.getEncoder().encodeToString(nonce);
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key64 + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        ByteBuffer req = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        while (req.hasRemaining()) {
            channel.write(req);
        }
        int end;
        while ((end = headerEnd()) < 0) {
            if (!in.hasRemaining()) {
                throw new IOException("handshake answer too long");
            }
            if (channel.read(in) < 0) {
                throw new IOException("closed during the handshake");
            }
        }
        String head = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
        }
        String expected;
        try {
            expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key64 + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        boolean accepted = head.lines().anyMatch(line -> line.regionMatches(true, 0, "Sec-WebSocket-Accept:", 0, 21)
                && line.substring(21).trim().equals(expected));
        if (!accepted) {
            throw new IOException("bad Sec-WebSocket-Accept in the upgrade answer");
        }
        // Bytes after the header are the first frames.
        in.flip();
        in.position(end);
        in.compact();
    }

    private int headerEnd() {
        byte[] a = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Sends {@code text} as one text message. */
    public void send(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        send(bytes, 0, bytes.length);
    }

    /**
     * Sends {@code length} bytes of UTF-8 text at {@code offset} as one text message (copied; the caller may reuse
     * the array). On the reactor thread during a delivery the frame leaves with the others at its end.
     */
    public void send(byte[] text, int offset, int length) {
        synchronized (this) {
            if (closed) {
                return;
            }
            appendFrame(0x81, text, offset, length);
            if (delivering && reactor.inReactorThread()) {
                return;
            }
            flushLocked();
        }
    }

    private void appendFrame(int opcode, byte[] payload, int offset, int length) {
        int header = length < 126 ? 6 : length < 65_536 ? 8 : 14;
        ensureOut(header + length);
        ByteBuffer b = out;
        b.put((byte) opcode);
        if (length < 126) {
            b.put((byte) (0x80 | length));
        } else if (length < 65_536) {
            b.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            b.put((byte) (0x80 | 127)).putLong(length);
        }
        int mask = masks.nextInt();
        b.putInt(mask);
        byte[] a = b.array();
        int at = b.position();
        byte m0 = (byte) (mask >>> 24);
        byte m1 = (byte) (mask >>> 16);
        byte m2 = (byte) (mask >>> 8);
        byte m3 = (byte) mask;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            a[at + i] = (byte) (payload[offset + i] ^ m0);
            a[at + i + 1] = (byte) (payload[offset + i + 1] ^ m1);
            a[at + i + 2] = (byte) (payload[offset + i + 2] ^ m2);
            a[at + i + 3] = (byte) (payload[offset + i + 3] ^ m3);
        }
        for (; i < length; i++) {
            int k = i & 3;
            byte m = k == 0 ? m0 : k == 1 ? m1 : k == 2 ? m2 : m3;
            a[at + i] = (byte) (payload[offset + i] ^ m);
        }
        b.position(at + length);
    }

    private void ensureOut(int more) {
        if (out.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + more));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
    }

    /** Writes what the socket takes now; asks the reactor for the rest. Holds this. */
    private void flushLocked() {
        if (out.position() == 0 || closed) {
            return;
        }
        out.flip();
        try {
            channel.write(out);
        } catch (IOException e) {
            out.clear();
            reactor.execute(() -> fail(e));
            return;
        } finally {
            out.compact();
        }
        boolean more = out.position() > 0;
        if (more != wantsWrite && key != null) {
            wantsWrite = more;
            reactor.interest(key, more ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /** Reactor thread: the socket can take more. */
    void writable() {
        synchronized (this) {
            flushLocked();
        }
    }

    SocketChannel channelForRegistration() {
        return channel;
    }

    void registered(SelectionKey selectionKey) {
        synchronized (this) {
            this.key = selectionKey;
        }
        // Frames that arrived with the handshake answer.
        if (in.position() > 0) {
            deliver();
        }
    }

    /** Reactor thread: reads what arrived and delivers every complete message. */
    void readable() {
        try {
            int n = channel.read(in);
            if (n < 0) {
                fail(null);
                return;
            }
            deliver();
            if (!in.hasRemaining()) {
                // A message larger than the buffer: grow (up to the limit) and read on.
                if (in.capacity() >= MAX_MESSAGE + 14) {
                    fail(new IOException("message larger than " + MAX_MESSAGE + " bytes"));
                    return;
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.min(in.capacity() * 2, MAX_MESSAGE + 14));
                in.flip();
                bigger.put(in);
                in = bigger;
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void deliver() {
        delivering = true;
        try {
            in.flip();
            byte[] a = in.array();
            while (in.remaining() >= 2) {
                int at = in.position();
                int b0 = a[at] & 0xFF;
                int b1 = a[at + 1] & 0xFF;
                if ((b1 & 0x80) != 0) {
                    throw new IOException("a server frame must not be masked");
                }
                long length = b1 & 0x7F;
                int header = 2;
                if (length == 126) {
                    if (in.remaining() < 4) {
                        break;
                    }
                    length = ((a[at + 2] & 0xFF) << 8) | (a[at + 3] & 0xFF);
                    header = 4;
                } else if (length == 127) {
                    if (in.remaining() < 10) {
                        break;
                    }
                    length = in.getLong(at + 2);
                    header = 10;
                }
                if (length < 0 || length > MAX_MESSAGE) {
                    throw new IOException("frame of " + length + " bytes");
                }
                if (in.remaining() < header + length) {
                    break;
                }
                int start = at + header;
                int len = (int) length;
                in.position(start + len);
                frame(b0, a, start, len);
                if (closed) {
                    return;
                }
            }
            in.compact();
        } catch (IOException e) {
            in.clear();
            fail(e);
        } finally {
            delivering = false;
        }
        synchronized (this) {
            flushLocked();
        }
    }

    private void frame(int b0, byte[] a, int start, int len) throws IOException {
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        switch (opcode) {
            case 0x1, 0x2 -> {
                if (fin) {
                    if (opcode == 0x1) {
                        listener.onText(a, start, len);
                    }
                } else {
                    fragmentLength = 0;
                    appendFragment(a, start, len);
                }
            }
            case 0x0 -> {
                if (fragmentLength < 0) {
                    throw new IOException("continuation without a first fragment");
                }
                appendFragment(a, start, len);
                if (fin) {
                    int n = fragmentLength;
                    fragmentLength = -1;
                    listener.onText(fragments, 0, n);
                }
            }
            case 0x8 -> {
                synchronized (this) {
                    appendFrame(0x88, a, start, Math.min(len, 2));
                    flushLocked();
                }
                fail(null);
            }
            case 0x9 -> {
                synchronized (this) {
                    appendFrame(0x8A, a, start, len);
                }
            }
            case 0xA -> {
                // A pong: nothing to do.
            }
            default -> throw new IOException("unknown opcode " + opcode);
        }
    }

    private void appendFragment(byte[] a, int start, int len) throws IOException {
        if (fragmentLength + len > MAX_MESSAGE) {
            throw new IOException("message larger than " + MAX_MESSAGE + " bytes");
        }
        if (fragments.length < fragmentLength + len) {
            fragments = java.util.Arrays.copyOf(fragments, Math.max(fragments.length * 2, fragmentLength + len));
        }
        System.arraycopy(a, start, fragments, fragmentLength, len);
        fragmentLength += len;
    }

    /** Reactor thread: closes the socket and tells the listener once. */
    void fail(Throwable cause) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        listener.onClose(cause);
    }

    /** Whether the connection is closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Sends a close frame (normal closure) and closes the socket once it is written. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            appendFrame(0x88, new byte[] {0x03, (byte) 0xE8}, 0, 2);
            flushLocked();
        }
        reactor.execute(() -> fail(null));
    }
}
