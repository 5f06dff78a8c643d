package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.node.marketdata.FeedStats;
import io.meridian.node.marketdata.StreamLimits;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market-data attack a tester found (issue 16): subscribers of a full-depth book that never read. Against a real
 * node with small bounds, an idle subscriber is handled by the slow-consumer policy (conflated, then resynchronised
 * when it reads again; disconnected with the reason when it holds a private stream or does not catch up in time) while
 * order entry and {@code /health} keep answering; a subscriber that reads always has a consistent stream (no gap in
 * {@code first}/{@code prev}/{@code last} without an explicit {@code resync} and a fresh snapshot); the hand-off ring's
 * overflow never blocks the engine and is repaired the same way. These are policy and correctness assertions, not
 * timings.
 */
class SlowConsumerTest extends NodeHttpTest {
    private EngineLoop engine;
    private HttpGateway gateway;
    private int port;
    private final TextFrames traderFrames = new TextFrames();
    private WebSocket trader;
    private long nextId = 1;
    private final SplittableRandom random = new SplittableRandom(16);

    /** The test venue without rate limits that would refuse the traffic these tests make, and without fsyncs. */
    private NodeConfig loadConfig() {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "none", 0, 4096, true, d.assets(),
                unbandedInstruments(d), 10_000_000, 10_000_000, NodeConfig.Auth.open());
    }

    private void start(StreamLimits limits) throws Exception {
        NodeConfig config = loadConfig();
        engine = new EngineLoop(config, failure -> { }, EngineLoop.WALL_CLOCK, limits);
        gateway = new HttpGateway(config, engine);
        port = gateway.port();
        base = "http://127.0.0.1:" + port;
        for (int account = 1; account <= 4; account++) {
            postOk("/v1/dev/deposit", "{\"account\":" + account + ",\"asset\":0,\"amount\":\"100000000\"}");
        }
        trader = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), traderFrames)
                .join();
    }

    private void stop() {
        if (trader != null) {
            trader.abort();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private FeedStats stats() {
        return engine.marketData().stats();
    }

    /**
     * Sends {@code n} orders over the trader's socket (accounts 1 to 4, or {@code onlyAccount} against the others,
     * prices around 50,000 so that about half trade) and waits for every acknowledgement: order entry must keep
     * answering whatever the subscribers do.
     */
    private void trade(int n, long onlyAccount) throws Exception {
        long first = nextId;
        for (int i = 0; i < n; i++) {
            long account = onlyAccount != 0 && i % 2 == 0 ? onlyAccount : 1 + random.nextInt(4);
            boolean buy = random.nextBoolean();
            long ticks = 500_000 + (buy ? -random.nextInt(-5, 60) : random.nextInt(-5, 60));
            trader.sendText("{\"op\":\"order\",\"id\":" + nextId++ + ",\"account\":" + account + ",\"instrument\":1,"
                    + "\"side\":\"" + (buy ? "buy" : "sell") + "\",\"price\":\"" + java.math.BigDecimal.valueOf(ticks, 1)
                    .toPlainString() + "\",\"quantity\":\"0.00" + (1 + random.nextInt(9)) + "\"}", true).join();
        }
        for (long id = first; id < nextId; id++) {
            String ack = traderFrames.frames.poll(20, TimeUnit.SECONDS);
            assertNotNull(ack, "order " + id + " was not answered within 20 s");
            JsonNode node = JSON.readTree(ack);
            assertEquals("ack", node.path("type").asText(), ack);
            assertEquals(id, node.path("id").asLong(), ack);
        }
    }

    /** Trades in batches until {@code done} (at most 200,000 orders), checking /health between batches. */
    private void tradeUntil(BooleanSupplier done, long onlyAccount) throws Exception {
        for (int batch = 0; batch < 400 && !done.getAsBoolean(); batch++) {
            trade(500, onlyAccount);
            if (batch % 5 == 0) {
                assertEquals("ok", ok("/health").path("status").asText());
            }
        }
        assertTrue(done.getAsBoolean(), "the slow-consumer policy never applied: " + stats());
        assertEquals("ok", ok("/health").path("status").asText());
    }

    /** A local L2 book kept from a snapshot and gap-checked deltas, as a client keeps it. */
    private static final class Book {
        final Map<String, String> bids = new TreeMap<>();
        final Map<String, String> asks = new TreeMap<>();
        long applied;

        void snapshot(JsonNode snapshot) {
            bids.clear();
            asks.clear();
            apply(bids, snapshot.get("bids"));
            apply(asks, snapshot.get("asks"));
            applied = snapshot.get("l2Sequence").asLong();
        }

        void delta(JsonNode delta) {
            assertEquals(applied, delta.get("prev").asLong(), "no gap without a resync: " + delta);
            assertTrue(delta.get("first").asLong() > applied, delta.toString());
            apply(bids, delta.get("bids"));
            apply(asks, delta.get("asks"));
            applied = delta.get("last").asLong();
        }

        private static void apply(Map<String, String> side, JsonNode levels) {
            for (JsonNode level : levels) {
                if (level.get(1).asText().equals("0")) {
                    side.remove(level.get(0).asText());
                } else {
                    side.put(level.get(0).asText(), level.get(1).asText());
                }
            }
        }

        /** Reads deltas (skipping trades and marks) until the book is at {@code l2Sequence}. */
        void catchUp(RawWebSocket socket, long l2Sequence) throws IOException {
            while (applied < l2Sequence) {
                String text = socket.text(10_000);
                assertNotNull(text, "the stream stopped at " + applied + " before " + l2Sequence);
                JsonNode message = JSON.readTree(text);
                if (message.path("type").asText().equals("book")) {
                    delta(message);
                } else {
                    assertTrue(List.of("trade", "mark").contains(message.path("type").asText()), text);
                }
            }
        }

        void assertSameAs(JsonNode engineBook) {
            Book expected = new Book();
            expected.snapshot(engineBook);
            assertEquals(expected.bids, bids, "bids rebuilt from the stream");
            assertEquals(expected.asks, asks, "asks rebuilt from the stream");
            assertTrue(!bids.isEmpty() && !asks.isEmpty());
        }
    }

    private static JsonNode message(RawWebSocket socket) throws IOException {
        String text = socket.text(10_000);
        assertNotNull(text, "no message within 10 s");
        return JSON.readTree(text);
    }

    @Test
    void anIdleFullDepthSubscriberIsConflatedThenResyncedWhileOrdersAndHealthGoOn() throws Exception {
        try {
            start(StreamLimits.defaults().withSlowConsumer(256 << 10, 120_000));
            trade(200, 0);
            try (RawWebSocket idle = new RawWebSocket(port)) {
                idle.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":1000}");
                JsonNode snapshot = message(idle);
                assertEquals("snapshot", snapshot.path("type").asText(), snapshot.toString());
                Book book = new Book();
                book.snapshot(snapshot);

                // It reads nothing now; orders keep being answered and /health keeps answering until it is conflated.
                tradeUntil(() -> stats().conflated() > 0, 0);
                assertEquals(0, stats().disconnects(), "conflated, not disconnected: " + stats());

                // It reads again: what was queued before is a consistent stream, then a resync and a fresh snapshot.
                JsonNode resync = null;
                while (resync == null) {
                    String text = idle.text(30_000);
                    assertNotNull(text, "no resync after the queued messages: " + stats());
                    JsonNode m = JSON.readTree(text);
                    switch (m.path("type").asText()) {
                        case "book" -> book.delta(m);
                        case "trade", "mark" -> { }
                        case "resync" -> resync = m;
                        default -> throw new AssertionError(text);
                    }
                }
                assertEquals("book", resync.path("channel").asText(), resync.toString());
                assertEquals(1, resync.path("instrument").asInt(), resync.toString());
                assertEquals("slow_consumer", resync.path("reason").asText(), resync.toString());
                assertTrue(resync.path("message").asText().startsWith("slow consumer:"), resync.toString());
                JsonNode fresh = message(idle);
                assertEquals("snapshot", fresh.path("type").asText(), fresh.toString());
                assertTrue(fresh.path("l2Sequence").asLong() > book.applied, "the snapshot is newer than the deltas");
                book.snapshot(fresh);

                // From the fresh snapshot on, the deltas continue it exactly.
                trade(300, 0);
                JsonNode engineBook = ok("/v1/book/1?depth=1000");
                book.catchUp(idle, engineBook.get("l2Sequence").asLong());
                book.assertSameAs(engineBook);
                assertTrue(stats().resyncs() >= 1, stats().toString());
            }
        } finally {
            stop();
        }
    }

    /**
     * The other public channels under the same policy: an idle subscriber of a depth-3 book, the trades, the ticker and
     * the liquidations is conflated, not disconnected; when it reads again it gets, after what was queued, a resync per
     * stream: the book's with a fresh snapshot at its depth, the ticker's with the last ticker, the trades' and
     * liquidations' saying their messages were dropped. Then the streams go on.
     */
    @Test
    void anIdleSubscriberOfTheOtherChannelsIsConflatedAndToldWhatWasDropped() throws Exception {
        try {
            start(StreamLimits.defaults().withSlowConsumer(256 << 10, 120_000));
            trade(200, 0);
            try (RawWebSocket idle = new RawWebSocket(port)) {
                idle.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":3}");
                assertEquals("snapshot", message(idle).path("type").asText());
                for (String channel : new String[] {"trades", "ticker", "liquidations"}) {
                    idle.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"instrument\":1}");
                    assertEquals("subscribed", message(idle).path("type").asText());
                    if (channel.equals("ticker")) {
                        assertEquals("ticker", message(idle).path("type").asText(), "the ticker now");
                    }
                }

                tradeUntil(() -> stats().conflated() > 0, 0);
                assertEquals(0, stats().disconnects(), "conflated, not disconnected: " + stats());

                Map<String, JsonNode> resyncs = new TreeMap<>();
                Map<String, String> after = new TreeMap<>();
                String waiting = null;
                while (resyncs.size() < 4 || waiting != null) {
                    String text = idle.text(30_000);
                    assertNotNull(text, "resyncs so far " + resyncs + ": " + stats());
                    JsonNode m = JSON.readTree(text);
                    assertTrue(m.path("sequence").asLong() > 0 && m.path("ts").asLong() > 0, text);
                    if (waiting != null) {
                        after.put(waiting, m.path("type").asText());
                        waiting = null;
                    }
                    if (m.path("type").asText().equals("resync")) {
                        assertEquals("slow_consumer", m.path("reason").asText(), text);
                        resyncs.put(m.path("channel").asText(), m);
                        String channel = m.path("channel").asText();
                        waiting = channel.equals("book") || channel.equals("ticker") ? channel : null;
                    }
                }
                assertEquals(List.of("book", "liquidations", "ticker", "trades"), List.copyOf(resyncs.keySet()));
                assertEquals("snapshot", after.get("book"), "a fresh snapshot follows the book's resync");
                assertEquals("ticker", after.get("ticker"), "the last ticker follows the ticker's resync");
                assertTrue(resyncs.get("trades").path("message").asText().contains("/v1/trades"),
                        resyncs.get("trades").toString());

                // The streams go on: trades come again.
                trade(100, 0);
                JsonNode trade;
                do {
                    trade = message(idle);
                } while (!(trade.path("type").asText().equals("trade") && trade.path("channel").asText()
                        .equals("trades")));
                assertTrue(trade.path("tradeId").asLong() > 0, trade.toString());
            }
        } finally {
            stop();
        }
    }

    @Test
    void aSlowConsumerOfAPrivateStreamIsDisconnectedWithTheReason() throws Exception {
        try {
            start(StreamLimits.defaults().withSlowConsumer(256 << 10, 120_000));
            try (RawWebSocket idle = new RawWebSocket(port)) {
                idle.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":1000}");
                assertEquals("snapshot", message(idle).path("type").asText());
                idle.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":1}");
                // Its private stream cannot be conflated: over the bound, the connection is closed with the reason.
                tradeUntil(() -> stats().disconnects() > 0, 1);
                assertEquals(0, stats().conflated(), stats().toString());
                List<RawWebSocket.Frame> tail = new ArrayList<>();
                RawWebSocket.Frame frame;
                while ((frame = idle.next(30_000)) != null) {
                    tail.add(frame);
                    if (tail.size() > 3) {
                        tail.remove(0);
                    }
                    if (frame.close()) {
                        break;
                    }
                }
                assertTrue(tail.size() >= 2, tail.toString());
                RawWebSocket.Frame close = tail.get(tail.size() - 1);
                assertTrue(close.close(), "ends with a close frame: " + tail);
                assertEquals(1008, close.code(), tail.toString());
                JsonNode error = JSON.readTree(tail.get(tail.size() - 2).text());
                assertEquals("error", error.path("type").asText(), error.toString());
                assertEquals(1008, error.path("code").asInt(), error.toString());
                assertTrue(error.path("message").asText().startsWith("slow consumer:"), error.toString());
                assertEquals(null, idle.next(10_000), "then the node closes the connection");
            }
            // The rest of the venue never noticed.
            trade(100, 0);
            assertEquals("ok", ok("/health").path("status").asText());
        } finally {
            stop();
        }
    }

    @Test
    void anIdleSubscriberThatNeverCatchesUpIsDisconnected() throws Exception {
        try {
            start(StreamLimits.defaults().withSlowConsumer(256 << 10, 300));
            try (RawWebSocket idle = new RawWebSocket(port)) {
                idle.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":1000}");
                assertEquals("snapshot", message(idle).path("type").asText());
                tradeUntil(() -> stats().disconnects() > 0, 0);
                assertTrue(stats().conflated() > 0, stats().toString());
                // Whatever it reads now, the stream ends: the node closed the connection.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                boolean ended = false;
                while (!ended && System.nanoTime() < deadline) {
                    try {
                        RawWebSocket.Frame f = idle.next(10_000);
                        ended = f == null;
                        if (f != null && !f.close() && f.text().contains("\"type\":\"error\"")) {
                            assertTrue(f.text().contains("slow consumer"), f.text());
                        }
                    } catch (java.net.SocketException | java.io.EOFException reset) {
                        ended = true;
                    }
                }
                assertTrue(ended, "the idle subscriber's connection was not closed");
            }
            trade(100, 0);
            assertEquals("ok", ok("/health").path("status").asText());
        } finally {
            stop();
        }
    }

    @Test
    void subscriptionsAreCappedPerConnectionAndPerAddress() throws Exception {
        try {
            start(StreamLimits.defaults().withCaps(3, 5, 4));
            try (RawWebSocket a = new RawWebSocket(port); RawWebSocket b = new RawWebSocket(port)) {
                a.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1}");
                assertEquals("snapshot", message(a).path("type").asText());
                a.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":2}");
                assertEquals("snapshot", message(a).path("type").asText());
                a.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":1}");
                assertEquals("subscribed", message(a).path("type").asText());
                a.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":2}");
                JsonNode perConnection = message(a);
                assertEquals("error", perConnection.path("type").asText(), perConnection.toString());
                assertEquals(429, perConnection.path("code").asInt(), perConnection.toString());
                assertEquals("at most 3 subscriptions per connection", perConnection.path("message").asText());
                // Subscribing again to a stream held is a resync, not a new subscription: not refused.
                a.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1}");
                assertEquals("snapshot", message(a).path("type").asText());

                b.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1}");
                assertEquals("snapshot", message(b).path("type").asText());
                b.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":3}");
                assertEquals("subscribed", message(b).path("type").asText());
                b.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":2}");
                JsonNode perAddress = message(b);
                assertEquals(429, perAddress.path("code").asInt(), perAddress.toString());
                assertTrue(perAddress.path("message").asText().startsWith("at most 5 subscriptions per IP address"),
                        perAddress.toString());

                // Streams given up count no more.
                a.send("{\"op\":\"unsubscribe\",\"id\":9}");
                assertEquals("unsubscribed", message(a).path("type").asText());
                b.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":2}");
                assertEquals("snapshot", message(b).path("type").asText());
            }
        } finally {
            stop();
        }
    }

    @Test
    void snapshotsInFlightPerConnectionAreBounded() throws Exception {
        try {
            start(StreamLimits.defaults().withCaps(64, 512, 2));
            try (RawWebSocket socket = new RawWebSocket(port)) {
                // Held, the publisher sends no snapshot, so the first two stay in flight and the third is refused.
                engine.marketData().hold(true);
                socket.sendAll("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":1000}",
                        "{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":2,\"depth\":1000}",
                        "{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":1000}");
                JsonNode refused = message(socket);
                assertEquals("error", refused.path("type").asText(), refused.toString());
                assertEquals(429, refused.path("code").asInt(), refused.toString());
                assertTrue(refused.path("message").asText().contains("at most 2 book subscriptions (snapshots) in"
                        + " flight"), refused.toString());
                engine.marketData().hold(false);
                assertEquals("snapshot", message(socket).path("type").asText());
                assertEquals("snapshot", message(socket).path("type").asText());
                socket.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":5}");
                assertEquals("snapshot", message(socket).path("type").asText(), "in flight again once they arrived");
            }
        } finally {
            stop();
        }
    }

    @Test
    void aFullHandOffRingNeverBlocksTheEngineAndEveryStreamIsResynced() throws Exception {
        try {
            start(StreamLimits.defaults().withFeedSlots(1024));
            trade(100, 0);
            try (RawWebSocket reader = new RawWebSocket(port); RawWebSocket account = new RawWebSocket(port);
                 RawWebSocket channels = new RawWebSocket(port)) {
                reader.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":1000}");
                Book book = new Book();
                book.snapshot(message(reader));
                account.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":2}");
                channels.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":1}");
                assertEquals("subscribed", message(channels).path("type").asText());
                channels.send("{\"op\":\"subscribe\",\"channel\":\"ticker\",\"instrument\":1}");
                assertEquals("subscribed", message(channels).path("type").asText());
                assertEquals("ticker", message(channels).path("type").asText());
                ok("/health");
                engine.marketData().hold(true);
                // The publisher takes nothing: the ring (1,024 events) overflows; every order is still answered.
                trade(2000, 2);
                assertTrue(stats().overflows() >= 1, stats().toString());
                engine.marketData().hold(false);
                trade(10, 0);

                boolean resynced = false;
                while (!resynced) {
                    JsonNode m = message(reader);
                    switch (m.path("type").asText()) {
                        case "book" -> book.delta(m);
                        case "trade", "mark" -> { }
                        case "resync" -> {
                            assertEquals("feed_overflow", m.path("reason").asText(), m.toString());
                            JsonNode fresh = message(reader);
                            assertEquals("snapshot", fresh.path("type").asText(), fresh.toString());
                            book.snapshot(fresh);
                            resynced = true;
                        }
                        default -> throw new AssertionError(m.toString());
                    }
                }
                trade(200, 0);
                JsonNode engineBook = ok("/v1/book/1?depth=1000");
                book.catchUp(reader, engineBook.get("l2Sequence").asLong());
                book.assertSameAs(engineBook);

                boolean accountResync = false;
                for (int i = 0; i < 100_000 && !accountResync; i++) {
                    JsonNode m = message(account);
                    accountResync = m.path("type").asText().equals("resync");
                    if (accountResync) {
                        assertEquals("account", m.path("channel").asText(), m.toString());
                        assertEquals(2, m.path("account").asLong(), m.toString());
                        assertEquals("feed_overflow", m.path("reason").asText(), m.toString());
                    } else {
                        assertEquals(2, m.path("account").asLong(), m.toString());
                    }
                }
                assertTrue(accountResync, "the account stream was told it lost messages");

                // The trades and ticker streams are told too; the ticker's state follows, current.
                java.util.Set<String> told = new java.util.TreeSet<>();
                boolean tickerAfter = false;
                for (int i = 0; i < 100_000 && (told.size() < 2 || !tickerAfter); i++) {
                    JsonNode m = message(channels);
                    if (m.path("type").asText().equals("resync")) {
                        assertEquals("feed_overflow", m.path("reason").asText(), m.toString());
                        told.add(m.path("channel").asText());
                    } else if (told.contains("ticker") && m.path("type").asText().equals("ticker")) {
                        tickerAfter = true;
                    }
                }
                assertEquals(java.util.Set.of("ticker", "trades"), told);
                assertTrue(tickerAfter, "a ticker follows the ticker stream's resync");
            }
        } finally {
            stop();
        }
    }
}
