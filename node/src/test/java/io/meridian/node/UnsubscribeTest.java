package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unsubscribing one stream stops exactly that stream, acknowledged; unsubscribing with no channel stops them all. */
class UnsubscribeTest extends NodeHttpTest {
    private final TextFrames listener = new TextFrames();
    private final LinkedBlockingQueue<String> frames = listener.frames;

    private String await(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && frame.contains(fragment)) {
                return frame;
            }
        }
        return null;
    }

    private List<String> drain(long millis) throws InterruptedException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            String frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null) {
                got.add(frame);
            }
        }
        return got;
    }

    private void trade(int instrument, String price, String quantity) throws Exception {
        postOk("/v1/orders", "{\"account\":1,\"instrument\":" + instrument + ",\"side\":\"sell\",\"price\":\"" + price
                + "\",\"quantity\":\"" + quantity + "\"}");
        postOk("/v1/orders", "{\"account\":2,\"instrument\":" + instrument + ",\"side\":\"buy\",\"price\":\"" + price
                + "\",\"quantity\":\"" + quantity + "\"}");
    }

    @Test
    void oneStreamStopsAndTheOthersGoOn() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"1000000\"}");
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                    + "/ws"), listener).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1}", true).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":2}", true).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":1}", true).join();
            assertNotNull(await("\"type\":\"snapshot\",\"instrument\":2"));
            trade(1, "50000", "0.01");
            assertNotNull(await("\"type\":\"trade\",\"instrument\":1"), "subscribed: instrument 1 trades arrive");

            socket.sendText("{\"op\":\"unsubscribe\",\"id\":5,\"channel\":\"book\",\"instrument\":1}", true).join();
            String ack = await("\"type\":\"unsubscribed\"");
            assertEquals("{\"type\":\"unsubscribed\",\"id\":5,\"channel\":\"book\",\"instrument\":1}", ack);
            trade(1, "50001", "0.01");
            trade(2, "3000", "0.1");
            List<String> after = drain(500);
            assertTrue(after.stream().noneMatch(f -> f.contains("\"instrument\":1") && !f.contains("\"account\"")
                    && (f.contains("\"type\":\"trade\"") || f.contains("\"type\":\"book\""))), after.toString());
            assertTrue(after.stream().anyMatch(f -> f.contains("\"type\":\"trade\",\"instrument\":2")), after.toString());
            assertTrue(after.stream().anyMatch(f -> f.contains("\"type\":\"fill\"")), "account 1's stream goes on");

            socket.sendText("{\"op\":\"unsubscribe\",\"channel\":\"book\",\"instrument\":999}", true).join();
            assertNotNull(await("\"type\":\"error\""), "an unknown instrument is refused");
            socket.sendText("{\"op\":\"unsubscribe\"}", true).join();
            assertNotNull(await("\"type\":\"unsubscribed\""));
            trade(2, "3001", "0.1");
            assertEquals(List.of(), drain(500), "nothing after unsubscribing everything");
            socket.abort();
        }
    }
}
