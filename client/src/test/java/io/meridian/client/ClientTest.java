package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a real node: REST calls, WebSocket order entry, and a local book kept in sync. */
class ClientTest {
    @TempDir
    Path temp;

    @Test
    void restStreamsAndOrderEntry() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.toString(), "127.0.0.1", 0, "none", 0, 65_536, true, d.assets(),
                d.operatorMarkedInstruments());
        try (Node node = Node.start(config)) {
            MeridianClient client = new MeridianClient("http://127.0.0.1:" + node.httpPort());
            assertEquals("ok", client.health().get("status").asText());
            for (long account = 1; account <= 5; account++) {
                client.devDeposit(account, 0, "1000000");
            }
            JsonNode placed = client.place(MeridianClient.Order.limit(1, 1, "sell", "50010", "0.01"));
            assertEquals("accepted", placed.get("status").asText());
            ApiException poor = assertThrows(ApiException.class,
                    () -> client.place(MeridianClient.Order.limit(9, 1, "buy", "50010", "1")));
            assertEquals(422, poor.status());
            assertEquals(7001, poor.code());
            ApiException bad = assertThrows(ApiException.class,
                    () -> client.place(MeridianClient.Order.limit(1, 1, "buy", "50010.01", "1")));
            assertEquals(400, bad.status());

            List<JsonNode> trades = new ArrayList<>();
            try (StreamClient stream = new StreamClient(client, m -> {
                if (m.path("type").asText().equals("trade")) {
                    synchronized (trades) {
                        trades.add(m);
                    }
                }
            })) {
                stream.subscribeBook(1, 1000);
                SplittableRandom random = new SplittableRandom(5);
                List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    boolean buy = random.nextBoolean();
                    long ticks = 500_000 + (buy ? -random.nextInt(-3, 30) : random.nextInt(-3, 30));
                    acks.add(stream.place(MeridianClient.Order.limit(1 + random.nextInt(5), 1, buy ? "buy" : "sell",
                            BigDecimal.valueOf(ticks, 1).toPlainString(), "0.00" + (1 + random.nextInt(9)))));
                }
                for (CompletableFuture<JsonNode> ack : acks) {
                    assertEquals("ack", ack.get(10, TimeUnit.SECONDS).get("type").asText());
                }
                CompletableFuture<JsonNode> refused = stream.place(MeridianClient.Order.limit(1, 1, "buy", "1", "999999"));
                ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof ApiException);

                JsonNode rest = client.book(1, 1000);
                long target = rest.get("l2Sequence").asLong();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (stream.book(1).sequence() < target) {
                    assertTrue(System.nanoTime() < deadline, "book stream did not catch up");
                    Thread.sleep(5);
                }
                LocalBook expected = new LocalBook();
                expected.snapshot(rest);
                assertEquals(expected.bids(), stream.book(1).bids());
                assertEquals(expected.asks(), stream.book(1).asks());
                assertTrue(stream.book(1).synced());
                synchronized (trades) {
                    assertTrue(!trades.isEmpty(), "trades streamed");
                }
            }
            assertTrue(client.account(2).has("margin"));
            assertEquals(1, client.ticker(1).get("instrument").asInt());
        }
    }

    /**
     * A book at depth 3 holds the top three levels after a sweep (the levels below arrive), the trades channel
     * streams the sweep's trades, and an order is canceled by its client order id.
     */
    @Test
    void aDepthLimitedBookTheTradesChannelAndCancelByClientOrderId() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.toString(), "127.0.0.1", 0, "none", 0, 65_536, true, d.assets(),
                d.operatorMarkedInstruments());
        try (Node node = Node.start(config)) {
            MeridianClient client = new MeridianClient("http://127.0.0.1:" + node.httpPort());
            client.devDeposit(1, 0, "1000000");
            client.devDeposit(2, 0, "1000000");
            for (int i = 1; i <= 6; i++) {
                client.place(MeridianClient.Order.limit(1, 1, "sell", String.valueOf(50_000 + i), "0.01"));
            }
            List<JsonNode> trades = new ArrayList<>();
            try (StreamClient stream = new StreamClient(client, m -> {
                if (m.path("channel").asText().equals("trades") && m.path("type").asText().equals("trade")) {
                    synchronized (trades) {
                        trades.add(m);
                    }
                }
            })) {
                stream.subscribe("trades", 1);
                stream.subscribeBook(1, 3);
                JsonNode swept = stream.place(MeridianClient.Order.limit(2, 1, "buy", "50003", "0.03")
                        .withTimeInForce("ioc")).get(10, TimeUnit.SECONDS);
                assertEquals("0.03", swept.get("filledQuantity").asText(), swept.toString());
                LocalBook expected = new LocalBook();
                expected.snapshot(client.book(1, 3));
                assertEquals(3, expected.asks().size());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!stream.book(1).asks().equals(expected.asks())) {
                    assertTrue(System.nanoTime() < deadline, "the window never held the REST top 3: "
                            + stream.book(1).asks() + " " + expected.asks());
                    Thread.sleep(5);
                }
                while (true) {
                    synchronized (trades) {
                        if (trades.size() == 3) {
                            break;
                        }
                    }
                    assertTrue(System.nanoTime() < deadline, "three trades on the trades channel: " + trades);
                    Thread.sleep(5);
                }
                JsonNode placed = stream.place(MeridianClient.Order.limit(2, 1, "buy", "49000", "0.01")
                        .withClientOrderId(41)).get(10, TimeUnit.SECONDS);
                JsonNode canceled = stream.cancelByClientOrderId(2, 1, 41).get(10, TimeUnit.SECONDS);
                assertEquals(placed.get("orderId").asLong(), canceled.get("orderId").asLong(), canceled.toString());
                // A client order id given as text: placed over the stream and REST, looked up and canceled by it, echoed
                // exactly (a '/' included).
                String text = "grid/3:bid-1.a_b";
                JsonNode byText = stream.place(MeridianClient.Order.limit(2, 1, "buy", "48000", "0.01")
                        .withClientOrderId(text)).get(10, TimeUnit.SECONDS);
                assertEquals(text, byText.get("clientOrderId").asText(), byText.toString());
                assertEquals(text, client.orderByClientOrderId(2, text).get("clientOrderId").asText());
                JsonNode canceledByText = stream.cancelByClientOrderId(2, 1, text).get(10, TimeUnit.SECONDS);
                assertEquals(byText.get("orderId"), canceledByText.get("orderId"), canceledByText.toString());
                assertEquals(text, canceledByText.get("clientOrderId").asText());
                String uuid = "0b7e1f9a-4c2d-4e8f-9a1b-2c3d4e5f6a7b";
                JsonNode rest = client.place(MeridianClient.Order.limit(2, 1, "buy", "48500", "0.01")
                        .withClientOrderId(uuid));
                assertEquals(uuid, rest.get("clientOrderId").asText(), rest.toString());
                JsonNode restCancel = client.cancelByClientOrderId(2, 1, uuid);
                assertEquals(rest.get("orderId"), restCancel.get("orderId"), restCancel.toString());
                assertEquals("canceled", client.orderByClientOrderId(2, uuid).get("status").asText());
            }
        }
    }

    @Test
    void aGapTakesTheBookOutOfSync() throws Exception {
        LocalBook book = new LocalBook();
        book.snapshot(MeridianClient.JSON.readTree("{\"l2Sequence\":10,\"bids\":[[\"1\",\"2\"]],\"asks\":[]}"));
        assertTrue(book.apply(MeridianClient.JSON.readTree(
                "{\"prev\":10,\"first\":11,\"last\":11,\"bids\":[[\"1\",\"0\"]],\"asks\":[[\"3\",\"1\"]]}")));
        assertTrue(book.bids().isEmpty());
        assertEquals(false, book.apply(MeridianClient.JSON.readTree(
                "{\"prev\":12,\"first\":13,\"last\":13,\"bids\":[],\"asks\":[]}")));
        assertEquals(false, book.synced());
    }
}
