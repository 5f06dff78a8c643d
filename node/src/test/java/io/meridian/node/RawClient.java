package io.meridian.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client over one socket, for the connection tests: it sends bytes exactly as given (pipelined,
 * partial, slow) and reads answers one by one by their Content-Length, or everything until the node closes.
 */
final class RawClient implements AutoCloseable {
    /** One answer: status, headers (lower-case names), body. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A connection to the node on 127.0.0.1 from {@code localAddress} (another loopback address is another client). */
    static RawClient connect(int port, String localAddress) throws IOException {
        Socket socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return new RawClient(socket);
    }

    static RawClient connect(int port) throws IOException {
        return connect(port, null);
    }

    RawClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** The next answer; fails on a timeout or when the node closes first. */
    Answer next() throws IOException {
        String head = readHead();
        if (head == null) {
            throw new IOException("connection closed before an answer; had: " + pending.toString(StandardCharsets.UTF_8));
        }
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = readExactly(length);
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the node closed the connection (end of stream) within {@code millis}, reading nothing more. */
    boolean closedWithin(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        try {
            int b = pending.size() > 0 ? 0 : in.read();
            return b < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    /** Every answer until the node closes the connection. */
    List<Answer> allUntilClosed() throws IOException {
        List<Answer> answers = new ArrayList<>();
        while (true) {
            String head = peekEnd();
            if (head == null) {
                return answers;
            }
            answers.add(next());
        }
    }

    /** Null at the end of the stream with nothing pending, else leaves the bytes pending. */
    private String peekEnd() throws IOException {
        if (pending.size() > 0) {
            return "";
        }
        int b = in.read();
        if (b < 0) {
            return null;
        }
        pending.write(b);
        return "";
    }

    private String readHead() throws IOException {
        while (true) {
            String text = pending.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                byte[] rest = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
                pending.reset();
                pending.write(rest, 0, rest.length);
                return text.substring(0, end);
            }
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            if (n < 0) {
                return null;
            }
            pending.write(buffer, 0, n);
        }
    }

    private byte[] readExactly(int length) throws IOException {
        while (pending.size() < length) {
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("connection closed in a body");
            }
            pending.write(buffer, 0, n);
        }
        byte[] all = pending.toByteArray();
        pending.reset();
        pending.write(all, length, all.length - length);
        byte[] body = new byte[length];
        System.arraycopy(all, 0, body, 0, length);
        return body;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
