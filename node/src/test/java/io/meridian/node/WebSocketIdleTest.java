package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket idle policy: a socket that sends nothing is pinged every {@code webSocketPingMillis} and closed (1001)
 * once silent for {@code webSocketIdleTimeoutMillis}; a client that answers pings (every browser, the JDK's and the
 * client library's WebSockets) stays connected however long it only listens. Against a real node.
 */
class WebSocketIdleTest extends NodeHttpTest {
    @Test
    void aSilentSocketIsPingedThenClosedAndAnAnsweringOneStays() throws Exception {
        NodeConfig config = config().withConnections(SlowlorisTest.settings(
                "{\"webSocketPingMillis\":200,\"webSocketIdleTimeoutMillis\":800,\"idleTimeoutMillis\":300}"));
        try (Node node = Node.start(config)) {
            int port = node.httpPort();
            // A listener that answers pings (the JDK's WebSocket does it by itself), subscribed to a book.
            BlockingQueue<String> frames = new LinkedBlockingQueue<>();
            WebSocket listener = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            frames.add(data.toString());
                            socket.request(1);
                            return null;
                        }
                    }).join();
            listener.sendText("{\"op\":\"subscribe\",\"instrument\":1,\"depth\":5}", true).join();
            assertNotNull(frames.poll(10, TimeUnit.SECONDS), "the book snapshot");

            // A raw socket that upgrades and then never answers: pings, then a close frame and the end.
            try (RawClient silent = RawClient.connect(port)) {
                silent.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
                assertEquals(101, silent.next().status());
                long start = System.nanoTime();
                DataInputStream in = new DataInputStream(silent.socket.getInputStream());
                int pings = 0;
                int close = -1;
                while (close < 0) {
                    int opcode = in.readUnsignedByte() & 0x0F;
                    int length = in.readUnsignedByte() & 0x7F;
                    byte[] payload = in.readNBytes(length);
                    if (opcode == 0x9) {
                        pings++;
                    } else if (opcode == 0x8) {
                        close = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                    }
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(1001, close, "going away");
                assertTrue(pings >= 2, pings + " pings");
                assertTrue(millis >= 700 && millis < 3_000, millis + " ms");
                assertTrue(silent.closedWithin(3_000), "closed after the close frame");
            }

            // The listener has been silent for far longer than the idle bound, answering pings: still served.
            Thread.sleep(1_500);
            frames.clear();
            listener.sendText("{\"op\":\"subscribe\",\"instrument\":2,\"depth\":5}", true).join();
            String snapshot = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(snapshot, "the listener is still connected");
            assertTrue(snapshot.contains("\"instrument\":2"), snapshot);
            listener.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }
}
