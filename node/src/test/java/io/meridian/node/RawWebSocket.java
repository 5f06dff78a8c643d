package io.meridian.node;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * A bare WebSocket client for tests that must control reading: a blocking socket with a small receive buffer
 * ({@link #RECEIVE_BUFFER}) that reads only when the test asks, so a test can play a subscriber that stops reading and
 * later reads everything that waited. Text messages only, as the node sends them (unfragmented), plus the close frame.
 * One thread.
 */
final class RawWebSocket implements AutoCloseable {
    static final int RECEIVE_BUFFER = 4096;

    /** A frame read: a text message, or a close frame with its code and reason. */
    record Frame(boolean close, int code, String text) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SplittableRandom masks = new SplittableRandom(7);

    RawWebSocket(int port) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(RECEIVE_BUFFER);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the handshake");
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
    }

    /** Sends a masked text message (as a client must). */
    void send(String text) throws IOException {
        out.write(frame(text));
        out.flush();
    }

    /** Several messages in one write, so the node reads them together. */
    void sendAll(String... texts) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (String text : texts) {
            all.writeBytes(frame(text));
        }
        out.write(all.toByteArray());
        out.flush();
    }

    private byte[] frame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(payload.length + 14);
        frame.put((byte) 0x81);
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        }
        byte[] mask = new byte[4];
        for (int i = 0; i < 4; i++) {
            mask[i] = (byte) masks.nextInt(256);
        }
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        byte[] bytes = new byte[frame.position()];
        frame.flip().get(bytes);
        return bytes;
    }

    /** The next frame, waiting at most {@code millis}; null at the end of the stream. */
    Frame next(int millis) throws IOException {
        socket.setSoTimeout(millis);
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int opcode = b0 & 0x0f;
        long length = readFully(1)[0] & 0x7f;
        if (length == 126) {
            byte[] l = readFully(2);
            length = ((l[0] & 0xff) << 8) | (l[1] & 0xff);
        } else if (length == 127) {
            byte[] l = readFully(8);
            length = 0;
            for (byte x : l) {
                length = (length << 8) | (x & 0xff);
            }
        }
        byte[] payload = readFully((int) length);
        if (opcode == 8) {
            int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 0;
            String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
            return new Frame(true, code, reason);
        }
        if (opcode != 1) {
            throw new IOException("unexpected opcode " + opcode);
        }
        return new Frame(false, 0, new String(payload, StandardCharsets.UTF_8));
    }

    /** The next text message within {@code millis}, or null when none came (timeout) or the stream ended. */
    String text(int millis) throws IOException {
        try {
            Frame f = next(millis);
            return f == null || f.close() ? null : f.text();
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private byte[] readFully(int n) throws IOException {
        byte[] bytes = new byte[n];
        int at = 0;
        while (at < n) {
            int r = in.read(bytes, at, n - at);
            if (r < 0) {
                throw new EOFException("closed in a frame");
            }
            at += r;
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
