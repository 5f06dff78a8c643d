package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket framing (issue 16): a text message sent in fragments (a text frame and continuations) is one message up to
 * the body limit; longer, the connection is closed with 1009 and the limit; a binary message closes it with 1003 and
 * the reason. Before, the first fragment alone was parsed (an error for half a JSON object), the continuations were
 * dropped without a word, and binary messages were ignored: the client waited for an answer that never came.
 */
class WebSocketFramesTest extends NodeHttpTest {
    /** Text messages and the close, as they arrive. */
    private static final class Listener implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed.complete(status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.complete("error " + error);
        }
    }

    private WebSocket connect(Node node, Listener listener) throws Exception {
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws"), listener)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void fragmentedMessagesAreJoinedAndBinaryOnesClosedWithAReason() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
            Listener listener = new Listener();
            WebSocket socket = connect(node, listener);
            // A subscription in three fragments: one message.
            socket.sendText("{\"op\":\"subscribe\",", false).get(5, TimeUnit.SECONDS);
            socket.sendText("\"instrument\":1,", false).get(5, TimeUnit.SECONDS);
            socket.sendText("\"depth\":5}", true).get(5, TimeUnit.SECONDS);
            JsonNode snapshot = JSON.readTree(listener.messages.poll(10, TimeUnit.SECONDS));
            assertEquals("snapshot", snapshot.path("type").asText(), snapshot.toString());
            // An order in two fragments, acknowledged with its id.
            socket.sendText("{\"op\":\"order\",\"id\":41,\"account\":2,\"instrument\":1,", false)
                    .get(5, TimeUnit.SECONDS);
            socket.sendText("\"side\":\"buy\",\"price\":\"40000\",\"quantity\":\"0.001\"}", true)
                    .get(5, TimeUnit.SECONDS);
            JsonNode ack = null;
            for (int i = 0; i < 10 && ack == null; i++) {
                JsonNode message = JSON.readTree(listener.messages.poll(10, TimeUnit.SECONDS));
                if (message.path("id").asLong() == 41) {
                    ack = message;
                }
            }
            assertNotNull(ack, "the fragmented order was answered");
            assertEquals("ack", ack.path("type").asText(), ack.toString());

            // A binary message: closed with 1003 and the reason.
            socket.sendBinary(ByteBuffer.wrap("{\"op\":\"subscribe\"}".getBytes(StandardCharsets.UTF_8)), true)
                    .get(5, TimeUnit.SECONDS);
            String closed = listener.closed.get(10, TimeUnit.SECONDS);
            assertTrue(closed.startsWith("1003 binary messages are not accepted"), closed);
            socket.abort();

            // Fragments beyond the limit (the test node's 4,096 bytes in all, each fragment well under it): 1009.
            Listener big = new Listener();
            WebSocket large = connect(node, big);
            large.sendText("{\"op\":\"subscribe\",\"channel\":\"" + "x".repeat(3_000), false).get(5, TimeUnit.SECONDS);
            large.sendText("x".repeat(3_000), false).get(5, TimeUnit.SECONDS);
            // The node may already have closed after the second fragment (over the limit), so the last one is
            // allowed to fail: the client's output closes when it answers the node's close.
            try {
                large.sendText("\"}", true).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException alreadyClosed) {
                assertTrue(alreadyClosed.getCause() instanceof IOException, alreadyClosed.toString());
            }
            String tooBig = big.closed.get(10, TimeUnit.SECONDS);
            assertTrue(tooBig.startsWith("1009 message too big: at most 4096 bytes"), tooBig);
            large.abort();

            // The node carries on.
            assertEquals(200, get("/health").statusCode());
        }
    }
}
