package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A test's WebSocket to a node: sends text, and queues every message received as JSON (joined across fragments). */
final class JsonSocket implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
    /** Every message taken from the queue so far (by {@link #next} and {@link #poll}), for {@link #find}. */
    final java.util.List<JsonNode> taken = new java.util.ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    JsonSocket(HttpClient http, int port) {
        this.socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                queue.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message, waiting at most 10 s. */
    JsonNode next() throws InterruptedException {
        JsonNode node = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(node, "no message within 10 s");
        taken.add(node);
        return node;
    }

    /** A message {@code wanted} accepts among those taken already, else the next such one. */
    JsonNode find(Predicate<JsonNode> wanted) throws InterruptedException {
        for (JsonNode node : taken) {
            if (wanted.test(node)) {
                return node;
            }
        }
        return next(wanted);
    }

    /** The next message of {@code type}, skipping others. */
    JsonNode next(String type) throws InterruptedException {
        return next(n -> n.path("type").asText().equals(type));
    }

    /** The next message that {@code wanted} accepts, skipping others (10 s at most). */
    JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            JsonNode node = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(node, "no such message within 10 s");
            taken.add(node);
            if (wanted.test(node)) {
                return node;
            }
        }
    }

    /** The next message if one comes within {@code millis}, else null. */
    JsonNode poll(long millis) throws InterruptedException {
        JsonNode node = queue.poll(millis, TimeUnit.MILLISECONDS);
        if (node != null) {
            taken.add(node);
        }
        return node;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }
}
