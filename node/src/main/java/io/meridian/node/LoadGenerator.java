package io.meridian.node;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code meridian load --url URL --seconds S [--connections N] [--window W] [--accounts N] [--seed N]}: drives a
 * node's WebSocket order entry and measures it. It funds N accounts (default 100) through the dev deposit route, opens
 * N connections (default 4), and on each keeps W orders (default 256) in flight for S seconds: limit orders around
 * BTC-PERP's starting mark, buys and sells, so some rest and some trade. Latency is from sending an order to its
 * acknowledgement (which the node sends after the order is journaled and applied). Last line:
 * {@code orders_per_s=<int> p50_us=<int> p99_us=<int> errors=<int>}, where errors are error frames and orders never
 * acknowledged; engine rejects are counted separately (they are answers, not failures). Loopback only: it refuses a
 * URL whose host is not 127.0.0.1 or localhost.
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        int seconds = 10;
        int connections = 4;
        int window = 256;
        int accounts = 100;
        long seed = 1;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--url" -> url = v;
                    case "--seconds" -> seconds = bounded(v, "--seconds", 1, 600);
                    case "--connections" -> connections = bounded(v, "--connections", 1, 64);
                    case "--window" -> window = bounded(v, "--window", 1, 10_000);
                    case "--accounts" -> accounts = bounded(v, "--accounts", 1, 100_000);
                    case "--seed" -> seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (url == null) {
                throw new IllegalArgumentException("--url is required (the node's http://127.0.0.1:PORT)");
            }
            String host = URI.create(url).getHost();
            if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
                throw new IllegalArgumentException("loopback only: " + host);
            }
        } catch (IllegalArgumentException e) {
            err.println("load: " + e.getMessage());
            err.println("usage: meridian load --url URL --seconds S [--connections N] [--window W] [--accounts N]");
            return 2;
        }
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        HttpClient http = HttpClient.newHttpClient();
        try {
            for (int account = 1; account <= accounts; account++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/dev/deposit"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"account\":" + account
                                + ",\"asset\":0,\"amount\":\"100000000\"}")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    err.println("load: funding account " + account + " failed (" + r.statusCode() + " " + r.body()
                            + "); the node must run in dev mode");
                    return 1;
                }
            }
        } catch (Exception e) {
            err.println("load: cannot reach " + base + ": " + e.getMessage());
            return 1;
        }
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong errors = new AtomicLong();
        AtomicLong rejects = new AtomicLong();
        List<Connection> all = new ArrayList<>();
        URI ws = URI.create(base.replaceFirst("^http", "ws") + HttpGateway.WEBSOCKET_PATH);
        for (int c = 0; c < connections; c++) {
            all.add(new Connection(http, ws, window, accounts, new SplittableRandom(seed + c), errors, rejects));
        }
        out.printf(Locale.ROOT, "load: %d connection(s), %d in flight each, %d accounts, %d s against %s%n",
                connections, window, accounts, seconds, base);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (Connection c : all) {
            c.start(end);
        }
        for (Connection c : all) {
            c.awaitDone(TimeUnit.SECONDS.toNanos(seconds + 30L));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long acked = 0;
        for (Connection c : all) {
            synchronized (c) {
                latency.add(c.latency);
                acked += c.acked;
                errors.addAndGet(c.sent - c.acked - c.failed);
            }
            c.close();
        }
        long perSecond = Math.round(acked / elapsed);
        out.printf(Locale.ROOT, "acknowledged %,d orders in %.1f s (%,d engine rejects); ack latency p50 %d us, p99 %d us,"
                        + " p99.9 %d us, max %d us%n", acked, elapsed, rejects.get(),
                latency.getValueAtPercentile(50) / 1000, latency.getValueAtPercentile(99) / 1000,
                latency.getValueAtPercentile(99.9) / 1000, latency.getMaxValue() / 1000);
        out.println("orders_per_s=" + perSecond + " p50_us=" + latency.getValueAtPercentile(50) / 1000 + " p99_us="
                + latency.getValueAtPercentile(99) / 1000 + " errors=" + errors.get());
        return 0;
    }

    private static int bounded(String text, String option, int min, int max) {
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max);
        }
        return value;
    }

    /** One WebSocket with a window of orders in flight; acknowledgements free slots. */
    private static final class Connection implements WebSocket.Listener {
        private final WebSocket socket;
        private final int window;
        private final int accounts;
        private final SplittableRandom random;
        private final AtomicLong errors;
        private final AtomicLong rejects;
        private final long[] sentAt;
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long sent;
        long acked;
        long failed;
        private long end;
        private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

        Connection(HttpClient http, URI uri, int window, int accounts, SplittableRandom random, AtomicLong errors,
                   AtomicLong rejects) {
            this.window = window;
            this.accounts = accounts;
            this.random = random;
            this.errors = errors;
            this.rejects = rejects;
            this.sentAt = new long[window * 4];
            this.socket = http.newWebSocketBuilder().buildAsync(uri, this).join();
        }

        synchronized void start(long endNanos) {
            this.end = endNanos;
            for (int i = 0; i < window; i++) {
                sendOne();
            }
        }

        /** Sends the next order; the JDK socket takes one send at a time, so sends are chained. */
        private void sendOne() {
            long id = sent++;
            boolean buy = random.nextBoolean();
            long ticks = 500_000 + (buy ? -random.nextInt(-3, 60) : random.nextInt(-3, 60));
            String text = "{\"op\":\"order\",\"id\":" + id + ",\"account\":" + (1 + random.nextInt(accounts))
                    + ",\"instrument\":1,\"side\":\"" + (buy ? "buy" : "sell") + "\",\"price\":\"" + (ticks / 10) + "."
                    + (ticks % 10) + "\",\"quantity\":\"0.00" + (1 + random.nextInt(9)) + "\"}";
            sentAt[(int) (id % sentAt.length)] = System.nanoTime();
            sending = sending.thenCompose(ws -> socket.sendText(text, true));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                onMessage(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private synchronized void onMessage(String message) {
            int at = message.indexOf("\"id\":");
            if (at < 0) {
                failed++;
                errors.incrementAndGet();
                return;
            }
            int from = at + 5;
            int to = from;
            while (to < message.length() && Character.isDigit(message.charAt(to))) {
                to++;
            }
            long id = Long.parseLong(message.substring(from, to));
            latency.recordValue(Math.max(0, System.nanoTime() - sentAt[(int) (id % sentAt.length)]));
            if (message.startsWith("{\"type\":\"ack\"")) {
                acked++;
            } else if (message.startsWith("{\"type\":\"reject\"")) {
                acked++;
                rejects.incrementAndGet();
            } else {
                failed++;
                errors.incrementAndGet();
            }
            if (System.nanoTime() < end) {
                sendOne();
            } else if (acked + failed == sent) {
                done.complete(null);
            }
        }

        void awaitDone(long timeoutNanos) {
            try {
                done.get(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // Unanswered orders are counted as errors by the caller.
            }
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
