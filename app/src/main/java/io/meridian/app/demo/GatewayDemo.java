package io.meridian.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.client.LocalBook;
import io.meridian.client.MeridianClient;
import io.meridian.client.StreamClient;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code meridian demo}: starts a node (journal in {@code data/demo}, REST and WebSocket on 127.0.0.1) with BTC-PERP
 * and ETH-PERP, funds demo accounts the first time, and runs seeded agents that trade through the real gateway with
 * the client library: market makers quoting around a random-walk fair price (cancel and replace over WebSocket),
 * takers sending IOC orders, and a price feed that moves each mark once a second. It prints the URLs and a summary
 * every second. Ctrl-C (or the end of {@code --seconds}) stops the agents, then the node, which flushes its journal;
 * running it again recovers the state and carries on.
 */
public final class GatewayDemo {
    private static final int[] INSTRUMENTS = {1, 2};
    private static final long[] START_TICKS = {500_000, 300_000};
    private static final BigDecimal[] TICK = {new BigDecimal("0.1"), new BigDecimal("0.01")};
    /** Taker order sizes; makers quote ten times as much per level so the book stays two-sided. */
    private static final String[] QUANTITY = {"0.005", "0.05"};
    private static final String[] QUOTE_QUANTITY = {"0.05", "0.5"};
    private static final int MAKERS = 2;
    private static final int TAKERS = 20;

    private GatewayDemo() {
    }

    public static int run(long seconds, long seed, long rate, int port, String dataDir, PrintStream out) {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(dataDir, "127.0.0.1", port, "group_commit", 1_000_000, 65_536, true,
                d.assets(), d.instruments());
        Node node;
        try {
            node = Node.start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        var start = node.engine().startReport();
        String base = "http://127.0.0.1:" + node.httpPort();
        out.println("demo: node at " + base + " (REST, GET /health) and ws://127.0.0.1:" + node.httpPort() + "/ws");
        out.println("demo: data in " + dataDir + ": " + (start.lastSequence() == 0 ? "a new venue"
                : "recovered at sequence " + start.lastSequence() + " (" + start.replayed() + " journal records replayed"
                + (start.snapshot() == null ? "" : " after snapshot " + start.snapshot().sequence()) + ")"));
        MeridianClient client = new MeridianClient(base);
        if (new BigDecimal(client.account(1).get("margin").get(0).get("balance").asText()).signum() == 0) {
            for (int a = 1; a <= MAKERS; a++) {
                client.devDeposit(a, 0, "10000000");
            }
            for (int a = 101; a < 101 + TAKERS; a++) {
                client.devDeposit(a, 0, "100000");
            }
        }
        AtomicLong trades = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(1);
        boolean[] stop = {false};
        Thread hook = new Thread(() -> {
            stop[0] = true;
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "meridian-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        SplittableRandom random = new SplittableRandom(seed);
        long[] fair = START_TICKS.clone();
        Map<Long, long[]> quotes = new ConcurrentHashMap<>();
        // One socket for order entry, one for market data, so a burst of acknowledgements never delays the stream.
        try (StreamClient stream = new StreamClient(client, m -> { });
             StreamClient market = new StreamClient(client, m -> {
                 if (m.path("type").asText().equals("trade")) {
                     trades.incrementAndGet();
                 }
             })) {
            for (int instrument : INSTRUMENTS) {
                market.subscribeBook(instrument, 50);
            }
            long begin = System.nanoTime();
            long nextSummary = begin + TimeUnit.SECONDS.toNanos(1);
            long nextMark = begin;
            long nextQuote = begin;
            long step = TimeUnit.MILLISECONDS.toNanos(10);
            double perStep = rate / 100.0;
            double owed = 0;
            long lastAcked = 0;
            int second = 0;
            while (!stop[0] && (seconds == 0 || System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(seconds))) {
                long now = System.nanoTime();
                for (int i = 0; i < INSTRUMENTS.length; i++) {
                    fair[i] = Math.max(1, fair[i] + random.nextInt(-3, 4));
                }
                if (now >= nextMark) {
                    for (int i = 0; i < INSTRUMENTS.length; i++) {
                        client.devMark(INSTRUMENTS[i], price(fair[i], i));
                    }
                    nextMark = now + TimeUnit.SECONDS.toNanos(1);
                }
                if (now >= nextQuote) {
                    requote(stream, quotes, fair, acked, rejected);
                    nextQuote = now + TimeUnit.MILLISECONDS.toNanos(250);
                }
                owed += perStep;
                while (owed >= 1) {
                    owed -= 1;
                    int i = random.nextInt(INSTRUMENTS.length);
                    boolean buy = random.nextBoolean();
                    long ticks = fair[i] + (buy ? 1 : -1) * (2 + random.nextInt(8));
                    long account = 101 + random.nextInt(TAKERS);
                    track(stream.place(MeridianClient.Order.limit(account, INSTRUMENTS[i], buy ? "buy" : "sell",
                            price(ticks, i), QUANTITY[i]).withTimeInForce("ioc")), acked, rejected, null, null);
                }
                if (now >= nextSummary) {
                    second++;
                    long a = acked.get();
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                            "[%3ds] %,6d acks/s, %,d trades, %,d rejected, %d book resyncs", second, a - lastAcked,
                            trades.get(), rejected.get(), market.resyncs()));
                    for (int i = 0; i < INSTRUMENTS.length; i++) {
                        LocalBook book = market.book(INSTRUMENTS[i]);
                        if (book != null && !book.bids().isEmpty() && !book.asks().isEmpty()) {
                            line.append(String.format(Locale.ROOT, " | %s %s / %s", INSTRUMENTS[i] == 1 ? "BTC" : "ETH",
                                    book.bids().firstKey().toPlainString(), book.asks().firstKey().toPlainString()));
                        }
                    }
                    out.println(line);
                    lastAcked = a;
                    nextSummary += TimeUnit.SECONDS.toNanos(1);
                }
                long sleep = step - (System.nanoTime() - now);
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            JsonNode health = client.health();
            node.close();
            out.println("demo: stopped at sequence " + health.get("sequence").asLong() + "; journal flushed; run again"
                    + " to continue from there");
            stopped.countDown();
            if (!stop[0]) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }

    /** Each maker cancels its quotes and quotes again around the fair prices. */
    private static void requote(StreamClient stream, Map<Long, long[]> quotes, long[] fair, AtomicLong acked,
                                AtomicLong rejected) {
        for (Map.Entry<Long, long[]> quote : quotes.entrySet()) {
            stream.cancel(quote.getValue()[0], (int) quote.getValue()[1], quote.getKey());
        }
        quotes.clear();
        for (long maker = 1; maker <= MAKERS; maker++) {
            for (int i = 0; i < INSTRUMENTS.length; i++) {
                for (int level = 1; level <= 5; level++) {
                    long spread = level * 3L + maker;
                    for (boolean buy : new boolean[] {true, false}) {
                        long ticks = buy ? fair[i] - spread : fair[i] + spread;
                        track(stream.place(MeridianClient.Order.limit(maker, INSTRUMENTS[i], buy ? "buy" : "sell",
                                price(ticks, i), QUOTE_QUANTITY[i])), acked, rejected, quotes,
                                new long[] {maker, INSTRUMENTS[i]});
                    }
                }
            }
        }
    }

    private static void track(java.util.concurrent.CompletableFuture<JsonNode> answer, AtomicLong acked,
                              AtomicLong rejected, Map<Long, long[]> quotes, long[] owner) {
        answer.whenComplete((ack, failure) -> {
            if (failure != null) {
                rejected.incrementAndGet();
                return;
            }
            acked.incrementAndGet();
            if (quotes != null && !ack.path("restingQuantity").asText("0").equals("0")) {
                // A quote still resting: the next requote cancels it.
                quotes.put(ack.get("orderId").asLong(), owner);
            }
        });
    }

    private static String price(long ticks, int instrument) {
        return BigDecimal.valueOf(ticks).multiply(TICK[instrument]).setScale(TICK[instrument].scale(),
                RoundingMode.UNNECESSARY).toPlainString();
    }
}
