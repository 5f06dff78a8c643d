package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A private stream follows the marks: an account holding a position gets a {@code balance} message with its equity
 * and margin at a new mark although it did nothing, at most once a second of command time; an account without a
 * position gets none.
 */
class MarkUpdatesTest extends NodeHttpTest {
    private static final long SECOND = 1_000_000_000L;
    private final TextFrames listener = new TextFrames();
    private final AtomicLong clock = new AtomicLong(1_800_000_000L * SECOND);

    private List<JsonNode> balances(long millis) throws Exception {
        List<JsonNode> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            String frame = listener.frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null && frame.contains("\"type\":\"balance\"")) {
                got.add(JSON.readTree(frame));
            }
        }
        return got;
    }

    private JsonNode awaitBalance() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String frame = listener.frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null && frame.contains("\"type\":\"balance\"")) {
                return JSON.readTree(frame);
            }
        }
        return null;
    }

    @Test
    void aHolderSeesItsEquityFollowTheMarkAtMostOnceASecond() throws Exception {
        try (Node node = Node.start(config(), failure -> { }, clock::get)) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (int account = 1; account <= 3; account++) {
                postOk("/v1/dev/deposit", "{\"account\":" + account + ",\"asset\":0,\"amount\":\"100000\"}");
            }
            // Account 1 buys 0.1 BTC-PERP at 50,000 from account 2; account 3 holds nothing.
            postOk("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"sell\",\"price\":\"50000\",\"quantity\":\"0.1\"}");
            postOk("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"50000\",\"quantity\":\"0.1\"}");
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                    + "/ws"), listener).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":1}", true).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":3}", true).join();
            balances(300);
            BigDecimal before = new BigDecimal(ok("/v1/balances?account=1").get(0).get("equity").asText());

            clock.addAndGet(2 * SECOND);
            postOk("/v1/dev/mark", "{\"instrument\":1,\"price\":\"51000\"}");
            JsonNode update = awaitBalance();
            assertNotNull(update, "a balance message at the new mark");
            assertEquals(1, update.get("account").asLong(), "only the holder: " + update);
            // Long 0.1 BTC: +100 USDC of unrealised PnL at 51,000.
            assertEquals(0, before.add(new BigDecimal("100")).compareTo(new BigDecimal(update.get("equity").asText())),
                    before + " -> " + update);

            // Another mark within the second (command time): no message yet.
            clock.addAndGet(SECOND / 2);
            postOk("/v1/dev/mark", "{\"instrument\":1,\"price\":\"51500\"}");
            assertEquals(List.of(), balances(300), "at most one mark-driven update a second");

            clock.addAndGet(SECOND);
            postOk("/v1/dev/mark", "{\"instrument\":1,\"price\":\"49000\"}");
            JsonNode later = awaitBalance();
            assertNotNull(later);
            assertEquals(0, before.subtract(new BigDecimal("100")).compareTo(new BigDecimal(later.get("equity").asText())),
                    before + " -> " + later);
            assertTrue(balances(200).stream().noneMatch(b -> b.get("account").asLong() == 3), "account 3 holds nothing");
        }
    }
}
