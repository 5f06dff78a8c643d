package io.meridian.node;

import io.meridian.node.connection.ConnectionSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's slowloris: thousands of connections each sending a request head a few bytes at a time held the node's
 * descriptors for as long as the attacker liked (3,000 of them stayed 20 s). Now a request head must arrive within
 * {@code headerTimeoutMillis} of its first byte (408, then closed), a whole request within
 * {@code requestTimeoutMillis}, a new connection must send its first head in time (closed, unanswered, when it sent
 * nothing), and an idle keep-alive connection is closed after {@code idleTimeoutMillis}; the node answers everyone
 * else meanwhile. Over raw sockets against a real node.
 */
class SlowlorisTest extends NodeHttpTest {
    private static final String PARTIAL_HEAD = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

    /** Settings: head within 1 s, request within 2 s, idle 1.5 s. */
    static ConnectionSettings settings(String json) throws NodeConfig.ConfigException {
        return NodeConfig.parse("{\"devMode\":true,\"connections\":" + json + "}").connections();
    }

    @Test
    void slowHeadsGet408AndAreClosedWhileTheNodeAnswersOthers() throws Exception {
        NodeConfig config = config().withConnections(settings(
                "{\"headerTimeoutMillis\":1000,\"requestTimeoutMillis\":2000,\"idleTimeoutMillis\":1500}"));
        try (Node node = Node.start(config)) {
            int port = node.httpPort();
            base = "http://127.0.0.1:" + port;
            List<RawClient> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    slow.add(RawClient.connect(port).send(PARTIAL_HEAD));
                }
                long start = System.nanoTime();
                // Trickle a byte to each every 200 ms: never idle, never done.
                int answered = 0;
                while (answered < slow.size() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
                    assertEquals(200, get("/health").statusCode(), "the node answers others meanwhile");
                    Thread.sleep(200);
                    for (RawClient c : slow) {
                        try {
                            c.send("a");
                        } catch (java.io.IOException closed) {
                            // closed by the node: counted below
                        }
                    }
                    answered = 0;
                    for (RawClient c : slow) {
                        answered += c.socket.getInputStream().available() > 0 ? 1 : 0;
                    }
                }
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                for (RawClient c : slow) {
                    RawClient.Answer answer = c.next();
                    assertEquals(408, answer.status(), answer.body());
                    assertEquals("{\"code\":408,\"message\":\"request timeout: the request head did not arrive within"
                            + " 1000 ms\"}", answer.body());
                    assertEquals("close", answer.header("connection"));
                    assertTrue(c.closedWithin(2_000), "closed after the 408");
                }
                assertTrue(elapsedMillis < 4_000, "all 408s within the timeout and a margin: " + elapsedMillis + " ms");
            } finally {
                for (RawClient c : slow) {
                    c.close();
                }
            }
            assertEquals(200, get("/health").statusCode());
        }
    }

    @Test
    void aSlowBodyASilentConnectionAndAnIdleOneAreClosedInTime() throws Exception {
        NodeConfig config = config().withConnections(settings(
                "{\"headerTimeoutMillis\":1000,\"requestTimeoutMillis\":2000,\"idleTimeoutMillis\":1500}"));
        try (Node node = Node.start(config)) {
            int port = node.httpPort();
            // A body promised and sent a byte at a time: 408 once the whole request is 2 s late.
            try (RawClient body = RawClient.connect(port)) {
                body.send("POST /v1/dev/deposit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{");
                long start = System.nanoTime();
                for (int i = 0; i < 12 && body.socket.getInputStream().available() == 0; i++) {
                    Thread.sleep(250);
                    try {
                        body.send(" ");
                    } catch (java.net.SocketException closed) {
                        // The node answered 408 and closed between our check and this byte: read the answer.
                        break;
                    }
                }
                RawClient.Answer answer = body.next();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(408, answer.status(), answer.body());
                assertTrue(answer.body().contains("request body did not arrive within 2000 ms"), answer.body());
                assertTrue(millis >= 1_500 && millis < 3_500, millis + " ms");
            }
            // A connection that sends nothing is closed after the head timeout, unanswered.
            try (RawClient silent = RawClient.connect(port)) {
                long start = System.nanoTime();
                assertTrue(silent.closedWithin(3_000), "a silent new connection is closed");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis >= 800, millis + " ms");
            }
            // A keep-alive connection is served, then closed once idle for 1.5 s.
            try (RawClient idle = RawClient.connect(port)) {
                idle.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertEquals(200, idle.next().status());
                long start = System.nanoTime();
                assertTrue(idle.closedWithin(4_000), "an idle keep-alive connection is closed");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis >= 1_300, millis + " ms");
            }
            // A client that takes its time between requests but sends each promptly is served throughout.
            try (RawClient steady = RawClient.connect(port)) {
                for (int i = 0; i < 4; i++) {
                    steady.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    assertEquals(200, steady.next().status());
                    Thread.sleep(900);
                }
            }
        }
    }
}
