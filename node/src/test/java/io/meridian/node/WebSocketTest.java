package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.node.codec.Codes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket: a client that rebuilds the book from the snapshot and the deltas (checking first, last and prev for
 * gaps) ends with exactly the engine's book, while another client trades over the same socket protocol; bad
 * messages get error frames and the connection survives.
 */
class WebSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** Collects text frames (joined across fragments). */
    private static final class Frames implements WebSocket.Listener {
        final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    queue.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        JsonNode next() throws InterruptedException {
            JsonNode node = queue.poll(10, TimeUnit.SECONDS);
            assertNotNull(node, "no frame within 10 s");
            return node;
        }

        /** The next frame of {@code type}, skipping others (trades, marks). */
        JsonNode next(String type) throws InterruptedException {
            while (true) {
                JsonNode node = next();
                if (node.path("type").asText().equals(type)) {
                    return node;
                }
            }
        }
    }

    private static void apply(Map<String, String> side, JsonNode levels) {
        for (JsonNode level : levels) {
            String price = level.get(0).asText();
            String quantity = level.get(1).asText();
            if (quantity.equals("0")) {
                side.remove(price);
            } else {
                side.put(price, quantity);
            }
        }
    }

    @Test
    void aClientRebuildsTheBookFromSnapshotAndDeltas() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "none", 0, 4096, true,
                d.assets(), NodeHttpTest.unbandedInstruments(d));
        HttpClient http = HttpClient.newHttpClient();
        try (Node node = Node.start(config)) {
            String base = "127.0.0.1:" + node.httpPort();
            for (int account = 1; account <= 4; account++) {
                http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/v1/dev/deposit"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"account\":" + account
                                + ",\"asset\":0,\"amount\":\"1000000\"}")).header("Content-Type", "application/json")
                        .build(), HttpResponse.BodyHandlers.ofString());
            }
            Frames market = new Frames();
            WebSocket watcher = http.newWebSocketBuilder().buildAsync(URI.create("ws://" + base + "/ws"), market).join();
            watcher.sendText("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":1000}", true).join();
            JsonNode snapshot = market.next("snapshot");
            Map<String, String> bids = new TreeMap<>();
            Map<String, String> asks = new TreeMap<>();
            apply(bids, snapshot.get("bids"));
            apply(asks, snapshot.get("asks"));
            long applied = snapshot.get("l2Sequence").asLong();

            Frames trader = new Frames();
            WebSocket trading = http.newWebSocketBuilder().buildAsync(URI.create("ws://" + base + "/ws"), trader).join();
            Frames privateFrames = new Frames();
            WebSocket privateSocket = http.newWebSocketBuilder().buildAsync(URI.create("ws://" + base + "/ws"),
                    privateFrames).join();
            privateSocket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":3}", true).join();
            JsonNode subscribed = privateFrames.next();
            assertEquals("subscribed", subscribed.get("type").asText(), subscribed.toString());
            assertEquals(3, subscribed.get("account").asInt(), subscribed.toString());
            // The subscription is registered on the engine thread; a query through it afterwards proves it is in place
            // (/health does not wait for the engine thread).
            http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/v1/book/1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            // Bad messages: error frames, and the connection survives.
            trading.sendText("{nonsense", true).join();
            assertEquals("error", trader.next().get("type").asText());
            trading.sendText("{\"op\":\"fly\",\"id\":3}", true).join();
            JsonNode unknownOp = trader.next();
            assertEquals(Codes.BAD_FIELD, unknownOp.get("code").asInt());
            // A channel the node does not have is refused, not read as a book subscription.
            trading.sendText("{\"op\":\"subscribe\",\"channel\":\"foo\",\"instrument\":1,\"id\":5}", true).join();
            JsonNode unknownChannel = trader.next();
            assertEquals("error", unknownChannel.get("type").asText());
            assertEquals(Codes.BAD_FIELD, unknownChannel.get("code").asInt(), unknownChannel.toString());
            assertEquals(5, unknownChannel.get("id").asInt(), unknownChannel.toString());
            assertTrue(unknownChannel.get("message").asText().contains(
                    "channel: must be book, trades, ticker, funding, liquidations or account"), unknownChannel.toString());
            trading.sendText("{\"op\":\"order\",\"id\":4,\"account\":1,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"1.05\",\"quantity\":\"0.001\"}", true).join();
            assertTrue(trader.next().get("message").asText().contains("not a multiple"));

            long seed = 42;
            SplittableRandom random = new SplittableRandom(seed);
            int orders = 400;
            for (int i = 0; i < orders; i++) {
                long account = 1 + random.nextInt(4);
                boolean buy = random.nextBoolean();
                long ticks = 500_000 + (buy ? -random.nextInt(-5, 40) : random.nextInt(-5, 40));
                String price = java.math.BigDecimal.valueOf(ticks, 1).toPlainString();
                String quantity = java.math.BigDecimal.valueOf(1 + random.nextInt(20), 3).toPlainString();
                trading.sendText("{\"op\":\"order\",\"id\":" + (100 + i) + ",\"account\":" + account
                        + ",\"instrument\":1,\"side\":\"" + (buy ? "buy" : "sell") + "\",\"price\":\"" + price
                        + "\",\"quantity\":\"" + quantity + "\"}", true).join();
            }
            for (int i = 0; i < orders; i++) {
                JsonNode ack = trader.next();
                assertEquals("ack", ack.get("type").asText(), ack.toString());
                assertEquals(100 + i, ack.get("id").asInt(), "acknowledgements come back in order");
            }
            JsonNode engineBook = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + base
                    + "/v1/book/1?depth=1000")).build(), HttpResponse.BodyHandlers.ofString()).body());
            long target = engineBook.get("l2Sequence").asLong();
            while (applied < target) {
                JsonNode delta = market.next("book");
                assertEquals(applied, delta.get("prev").asLong(), "no gap: prev is the last sequence applied");
                assertTrue(delta.get("first").asLong() > applied);
                apply(bids, delta.get("bids"));
                apply(asks, delta.get("asks"));
                applied = delta.get("last").asLong();
            }
            Map<String, String> expectedBids = new TreeMap<>();
            Map<String, String> expectedAsks = new TreeMap<>();
            apply(expectedBids, engineBook.get("bids"));
            apply(expectedAsks, engineBook.get("asks"));
            assertEquals(expectedBids, bids, "bids rebuilt from the stream (seed " + seed + ")");
            assertEquals(expectedAsks, asks, "asks rebuilt from the stream");
            assertTrue(!bids.isEmpty() && !asks.isEmpty());
            // Account 3's private stream saw its orders accepted, its fills and its balances, and nobody else's.
            int accepted = 0;
            int fills = 0;
            int balances = 0;
            int positions = 0;
            JsonNode message;
            while ((message = privateFrames.queue.poll(500, TimeUnit.MILLISECONDS)) != null) {
                assertEquals(3, message.get("account").asInt(), message.toString());
                switch (message.get("type").asText()) {
                    case "order" -> accepted += message.get("status").asText().equals("accepted") ? 1 : 0;
                    case "fill" -> fills++;
                    case "balance" -> balances++;
                    case "position" -> positions++;
                    default -> throw new AssertionError(message.toString());
                }
            }
            assertTrue(accepted > 50 && fills > 0 && balances > 0 && positions > 0,
                    accepted + " " + fills + " " + balances + " " + positions);
            privateSocket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            watcher.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            trading.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }

    @Test
    void liquidationsAreStreamedAndSubscriptionsAreLimited() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("liquidation").toString(), "127.0.0.1", 0, "none", 0, 4096,
                true, d.assets(), NodeHttpTest.unbandedInstruments(d));
        HttpClient http = HttpClient.newHttpClient();
        try (Node node = Node.start(config)) {
            String base = "127.0.0.1:" + node.httpPort();
            java.util.function.BiFunction<String, String, Integer> post = (path, body) -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://" + base + path))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/json").build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            post.apply("/v1/dev/deposit", "{\"account\":9,\"asset\":0,\"amount\":\"10000000\"}");
            post.apply("/v1/dev/deposit", "{\"account\":5,\"asset\":0,\"amount\":\"1000\"}");
            // Account 5 buys 0.3 BTC at 50,000 with 1,000 USDC (after the fee: liquidation near 46,870, bankruptcy
            // near 46,692); the market maker bids 46,800, inside that gap, so the liquidation sells into the book.
            assertEquals(200, post.apply("/v1/orders", "{\"account\":9,\"instrument\":1,\"side\":\"sell\","
                    + "\"price\":\"50000\",\"quantity\":\"0.3\"}"));
            assertEquals(200, post.apply("/v1/orders", "{\"account\":5,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"50000\",\"quantity\":\"0.3\",\"timeInForce\":\"ioc\"}"));
            assertEquals(200, post.apply("/v1/orders", "{\"account\":9,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"46800\",\"quantity\":\"5\"}"));
            Frames frames = new Frames();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://" + base + "/ws"), frames).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1}", true).join();
            frames.next("snapshot");
            assertEquals(200, post.apply("/v1/dev/mark", "{\"instrument\":1,\"price\":\"46850\"}"));
            JsonNode liquidation = frames.next("liquidation");
            assertEquals("sell", liquidation.get("side").asText(), "the long is sold");
            assertTrue(!liquidation.has("account"), "the liquidated account is not published");

            for (int account = 1; account < MarketData.MAX_SUBSCRIPTIONS_PER_CONNECTION; account++) {
                socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":" + account + "}", true)
                        .join();
            }
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":1000}", true).join();
            JsonNode refused = frames.next("error");
            assertEquals(429, refused.get("code").asInt(), refused.toString());
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }

    /**
     * A liquidation the book cannot take (no bids) and the empty insurance fund refuses goes to auto-deleveraging: the
     * public stream says {@code "via":"adl"}, both accounts' private streams get a {@code liquidation} message with
     * their own side, and both fill histories list the close.
     */
    @Test
    void aPositionClosedOutsideTheBookIsStreamedAndListedWithVia() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("adl").toString(), "127.0.0.1", 0, "none", 0, 4096,
                true, d.assets(), d.operatorMarkedInstruments());
        HttpClient http = HttpClient.newHttpClient();
        try (Node node = Node.start(config)) {
            String base = "127.0.0.1:" + node.httpPort();
            java.util.function.BiFunction<String, String, Integer> post = (path, body) -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://" + base + path))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/json").build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            post.apply("/v1/dev/deposit", "{\"account\":9,\"asset\":0,\"amount\":\"10000000\"}");
            post.apply("/v1/dev/deposit", "{\"account\":6,\"asset\":0,\"amount\":\"1000\"}");
            assertEquals(200, post.apply("/v1/orders", "{\"account\":9,\"instrument\":1,\"side\":\"sell\","
                    + "\"price\":\"50000\",\"quantity\":\"0.3\"}"));
            assertEquals(200, post.apply("/v1/orders", "{\"account\":6,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"50000\",\"quantity\":\"0.3\",\"timeInForce\":\"ioc\"}"));
            Frames frames = new Frames();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://" + base + "/ws"), frames).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1}", true).join();
            frames.next("snapshot");
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":6}", true).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":9}", true).join();
            assertEquals(200, post.apply("/v1/dev/mark", "{\"instrument\":1,\"price\":\"46850\"}"));
            Map<String, JsonNode> seen = new TreeMap<>();
            for (int i = 0; i < 3; i++) {
                JsonNode liquidation = frames.next("liquidation");
                assertEquals("adl", liquidation.get("via").asText(), liquidation.toString());
                seen.put(liquidation.has("account") ? liquidation.get("account").asText() : "public", liquidation);
            }
            assertEquals("sell", seen.get("public").get("side").asText(), seen.toString());
            assertTrue(!seen.get("public").has("account"), "the liquidated account is not published");
            assertEquals("sell", seen.get("6").get("side").asText(), seen.toString());
            assertEquals("buy", seen.get("9").get("side").asText(), seen.toString());
            for (String account : new String[] {"6", "9"}) {
                JsonNode fills = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                        URI.create("http://" + base + "/v1/fills?account=" + account)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertEquals("adl", fills.get(0).get("via").asText(), fills.toString());
                assertTrue(!fills.get(0).has("liquidity"), fills.toString());
            }
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }
}
