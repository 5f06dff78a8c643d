package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's connection exhaustion: 21,000 half-sent requests from one client ran the node out of file descriptors.
 * Now connections are capped per client address and in total; the connection over a cap gets a 503 with a JSON body
 * and is closed, and a slot freed by a close is reusable at once. Other loopback addresses (127.0.0.2, ...) stand
 * for other clients. Over raw sockets against a real node.
 */
class ConnectionCapsTest extends NodeHttpTest {
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @Test
    void theConnectionOverTheCapOfItsAddressIsRefusedAndAFreedSlotIsReusable() throws Exception {
        NodeConfig config = config().withConnections(SlowlorisTest.settings(
                "{\"maxConnections\":6,\"maxConnectionsPerAddress\":4}"));
        try (Node node = Node.start(config)) {
            int port = node.httpPort();
            List<RawClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    RawClient c = RawClient.connect(port).send(HEALTH);
                    assertEquals(200, c.next().status(), "connection " + i);
                    open.add(c);
                }
                try (RawClient fifth = RawClient.connect(port)) {
                    fifth.send(HEALTH);
                    RawClient.Answer refused = fifth.next();
                    assertEquals(503, refused.status(), refused.body());
                    assertEquals("{\"code\":503,\"message\":\"too many connections from your address\"}", refused.body());
                    assertEquals("close", refused.header("connection"));
                    assertEquals("1", refused.header("retry-after"));
                    assertTrue(fifth.closedWithin(2_000), "closed after the refusal");
                }
                // Another client still gets in, up to the total of 6.
                List<RawClient> others = new ArrayList<>();
                for (String address : List.of("127.0.0.2", "127.0.0.2")) {
                    RawClient c = RawClient.connect(port, address).send(HEALTH);
                    assertEquals(200, c.next().status(), address);
                    others.add(c);
                }
                open.addAll(others);
                try (RawClient seventh = RawClient.connect(port, "127.0.0.3")) {
                    seventh.send(HEALTH);
                    RawClient.Answer refused = seventh.next();
                    assertEquals(503, refused.status(), refused.body());
                    assertTrue(refused.body().contains("the node is at its limit"), refused.body());
                }
                // A closed connection frees its slot: the same address gets in again.
                open.remove(0).close();
                RawClient again = connectWhenFree(port);
                open.add(again);
                again.send(HEALTH);
                assertEquals(200, again.next().status());
            } finally {
                for (RawClient c : open) {
                    c.close();
                }
            }
            // Everything closed: the counts are back to zero, so a full set fits again.
            List<RawClient> refill = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    RawClient c = connectWhenFree(port);
                    refill.add(c);
                    c.send(HEALTH);
                    assertEquals(200, c.next().status(), "refill " + i);
                }
            } finally {
                for (RawClient c : refill) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aFloodOfHalfSentRequestsIsCappedAndTheNodeStillAnswers() throws Exception {
        NodeConfig config = config().withConnections(SlowlorisTest.settings(
                "{\"maxConnections\":200,\"maxConnectionsPerAddress\":100}"));
        try (Node node = Node.start(config)) {
            int port = node.httpPort();
            base = "http://127.0.0.1:" + port;
            List<RawClient> flood = new ArrayList<>();
            int refused = 0;
            try {
                for (int i = 0; i < 400; i++) {
                    RawClient c = RawClient.connect(port, "127.0.0.5");
                    c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ");
                    flood.add(c);
                }
                for (RawClient c : flood) {
                    if (c.socket.getInputStream().available() > 0 || c.closedWithin(50)) {
                        refused++;
                    }
                }
                assertEquals(300, refused, "all but 100 of one address's connections are refused");
                assertEquals(200, get("/health").statusCode(), "another address is served");
            } finally {
                for (RawClient c : flood) {
                    c.close();
                }
            }
        }
    }

    /** A connection from 127.0.0.1 once the node has counted the last close (closes are counted asynchronously). */
    private static RawClient connectWhenFree(int port) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            RawClient c = RawClient.connect(port);
            c.send("OPTIONS /probe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawClient.Answer probe = c.next();
            if (probe.status() != 503) {
                return c;
            }
            c.close();
            assertTrue(System.nanoTime() < deadline, "no slot freed");
            Thread.sleep(20);
        }
    }
}
