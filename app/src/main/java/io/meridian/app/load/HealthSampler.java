package io.meridian.app.load;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Times {@code GET /health} on one keep-alive connection every {@code interval} during a load run, on its own thread:
 * how long an innocent client waits while the node is under load (the health route reads the engine, so it queues
 * behind whatever the engine thread is doing). A request is timed from writing it to reading the whole answer; the
 * next one starts {@code interval} after the previous one started, or at once when that one took longer (so a
 * stalled node yields few, long samples rather than none). Only requests started inside the measured window
 * count. A failed request (an answer other than 200, a broken connection, no answer within 30 s) counts as failed and
 * the sampler reconnects.
 */
final class HealthSampler implements Runnable {
    private final String host;
    private final int port;
    private final long intervalNanos;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;
    private volatile boolean stop;
    private int failed;
    private String firstFailure;
    private final Thread thread;

    HealthSampler(String host, int port, long intervalMillis) {
        this.host = host;
        this.port = port;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.thread = new Thread(this, "meridian-load-health");
        thread.setDaemon(true);
    }

    void start(long from, long to) {
        measureFrom = from;
        measureTo = to;
        thread.start();
    }

    @Override
    public void run() {
        Socket socket = null;
        byte[] request = ("GET /health HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[16 << 10];
        long next = System.nanoTime();
        while (!stop && System.nanoTime() < measureTo) {
            long now = System.nanoTime();
            if (now < next) {
                try {
                    TimeUnit.NANOSECONDS.sleep(next - now);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            long start = System.nanoTime();
            next = start + intervalNanos;
            String failure;
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    socket.connect(new InetSocketAddress(host, port), 10_000);
                }
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                failure = readAnswer(socket.getInputStream(), buffer);
            } catch (IOException e) {
                failure = e.toString();
            }
            long took = System.nanoTime() - start;
            if (start >= measureFrom && start < measureTo) {
                synchronized (this) {
                    if (failure == null) {
                        latency.recordValue(Math.min(latency.getHighestTrackableValue(), took));
                    } else {
                        failed++;
                        if (firstFailure == null) {
                            firstFailure = failure;
                        }
                    }
                }
            }
            if (failure != null && socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Reconnecting anyway.
                }
                socket = null;
            }
        }
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Done.
            }
        }
    }

    /** Reads one HTTP answer with a Content-Length body; null when it was a 200, else why not. */
    private static String readAnswer(InputStream in, byte[] buffer) throws IOException {
        int length = 0;
        int headEnd = -1;
        while (headEnd < 0) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                return "connection closed";
            }
            length += n;
            for (int i = 3; i < length; i++) {
                if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n') {
                    headEnd = i + 1;
                    break;
                }
            }
            if (headEnd < 0 && length == buffer.length) {
                return "answer head too long";
            }
        }
        String head = new String(buffer, 0, headEnd, StandardCharsets.US_ASCII);
        int body = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                body = Integer.parseInt(line.substring(15).trim());
            }
        }
        long remaining = (long) headEnd + body - length;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                return "connection closed";
            }
            remaining -= n;
        }
        return head.startsWith("HTTP/1.1 200") ? null : head.substring(0, head.indexOf('\r'));
    }

    /** Stops sampling and waits for the thread (at most the 30 s read timeout). */
    void stop() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(31));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void report(PrintStream out) {
        out.printf(Locale.ROOT, "health latency (GET /health every %d ms): %d samples, p50 %d us, p99 %d us, max %d us;"
                        + " %d failed%s%n", TimeUnit.NANOSECONDS.toMillis(intervalNanos), latency.getTotalCount(),
                latency.getValueAtPercentile(50) / 1000, latency.getValueAtPercentile(99) / 1000,
                latency.getMaxValue() / 1000, failed, firstFailure == null ? "" : " (first: " + firstFailure + ")");
    }
}
