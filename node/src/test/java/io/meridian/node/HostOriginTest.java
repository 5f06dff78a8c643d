package io.meridian.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: the node accepted any Host and any Origin, so a page on any site could post to it from a visitor's browser
 * (a {@code text/plain} form needs no preflight), open a WebSocket to it, or reach it through DNS rebinding. Now the
 * Host must be one the node serves (421), a browser's cross-origin request must come from an allowed origin (403,
 * WebSocket upgrades included), and allowed origins get proper CORS answers. Over raw sockets against a real node.
 */
class HostOriginTest extends NodeHttpTest {
    private static final String ALLOWED = "https://app.example.com";

    @Test
    void foreignHostsAndOriginsAreRefusedAndAnAllowedOriginGetsCors() throws Exception {
        NodeConfig config = config().withConnections(SlowlorisTest.settings(
                "{\"allowedOrigins\":[\"" + ALLOWED + "\"],\"corsMaxAgeSeconds\":900}"));
        try (Node node = Node.start(config)) {
            int port = node.httpPort();
            String self = "127.0.0.1:" + port;

            // DNS rebinding: the attacker's name resolving to the node.
            RawClient.Answer rebound = ask(port, "GET /v1/assets HTTP/1.1\r\nHost: evil.example:" + port + "\r\n\r\n");
            assertEquals(421, rebound.status(), rebound.body());
            assertEquals("{\"code\":421,\"message\":\"Host not served by this node: 'evil.example'\"}", rebound.body());
            assertEquals(400, ask(port, "GET /v1/assets HTTP/1.1\r\n\r\n").status(), "no Host");
            assertEquals(400, ask(port, "GET /v1/assets HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status(), "two");
            for (String host : new String[] {"localhost:" + port, self, "[::1]:" + port, "LOCALHOST"}) {
                assertEquals(200, ask(port, "GET /v1/assets HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status(), host);
            }

            // A cross-site text/plain form post: no preflight in the browser, refused here before any work.
            String body = "{\"account\":1,\"asset\":0,\"amount\":\"5\"}";
            RawClient.Answer forged = ask(port, "POST /v1/dev/deposit HTTP/1.1\r\nHost: " + self
                    + "\r\nOrigin: https://evil.example\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body);
            assertEquals(403, forged.status(), forged.body());
            assertEquals("{\"code\":403,\"message\":\"cross-origin request refused: origin 'https://evil.example' is"
                    + " not allowed (connections.allowedOrigins)\"}", forged.body());
            assertNull(forged.header("access-control-allow-origin"));
            assertEquals(403, ask(port, "GET /v1/assets HTTP/1.1\r\nHost: " + self + "\r\nOrigin: null\r\n\r\n")
                    .status(), "Origin: null");
            // The node's own origin is not cross-site.
            assertEquals(200, ask(port, "GET /v1/assets HTTP/1.1\r\nHost: " + self + "\r\nOrigin: http://" + self
                    + "\r\n\r\n").status());

            // Cross-site WebSocket hijacking: the upgrade from a foreign page is refused, no 101.
            RawClient.Answer hijack = ask(port, upgrade(self, "https://evil.example"));
            assertEquals(403, hijack.status(), hijack.body());
            assertEquals(101, ask(port, upgrade(self, ALLOWED)).status(), "an allowed origin upgrades");
            assertEquals(101, ask(port, upgrade(self, null)).status(), "a non-browser client upgrades");

            // The allowed origin's preflight and request get CORS answers.
            RawClient.Answer preflight = ask(port, "OPTIONS /v1/orders HTTP/1.1\r\nHost: " + self + "\r\nOrigin: "
                    + ALLOWED + "\r\nAccess-Control-Request-Method: POST\r\n"
                    + "Access-Control-Request-Headers: content-type\r\n\r\n");
            assertEquals(200, preflight.status(), preflight.body());
            assertEquals(ALLOWED, preflight.header("access-control-allow-origin"));
            assertTrue(preflight.header("access-control-allow-methods").contains("POST"), preflight.headers().toString());
            assertTrue(preflight.header("access-control-allow-headers").contains("content-type"),
                    preflight.headers().toString());
            assertEquals("900", preflight.header("access-control-max-age"));
            assertEquals("0", preflight.header("content-length"), "a keep-alive client knows the answer ended");
            RawClient.Answer cors = ask(port, "GET /v1/assets HTTP/1.1\r\nHost: " + self + "\r\nOrigin: " + ALLOWED
                    + "\r\n\r\n");
            assertEquals(200, cors.status());
            assertEquals(ALLOWED, cors.header("access-control-allow-origin"));
            assertTrue(cors.body().contains("USDC"));
            // A foreign origin's preflight gets no CORS permission.
            RawClient.Answer foreign = ask(port, "OPTIONS /v1/orders HTTP/1.1\r\nHost: " + self
                    + "\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\n\r\n");
            assertEquals(403, foreign.status());
            assertFalse(foreign.headers().containsKey("access-control-allow-origin"));
        }
    }

    @Test
    void listedHostsReplaceTheDefaultsAndAStarAcceptsAny() throws Exception {
        NodeConfig listed = config().withConnections(SlowlorisTest.settings(
                "{\"allowedHosts\":[\"api.venue.example\",\"[::1]\",\"Node.Example.\"]}"));
        try (Node node = Node.start(listed)) {
            int port = node.httpPort();
            assertEquals(200, ask(port, "GET /v1/assets HTTP/1.1\r\nHost: API.venue.example\r\n\r\n").status());
            assertEquals(200, ask(port, "GET /v1/assets HTTP/1.1\r\nHost: [::1]:" + port + "\r\n\r\n").status());
            assertEquals(200, ask(port, "GET /v1/assets HTTP/1.1\r\nHost: node.example\r\n\r\n").status());
            assertEquals(421, ask(port, "GET /v1/assets HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").status());
        }
        NodeConfig any = config().withConnections(SlowlorisTest.settings("{\"allowedHosts\":[\"*\"]}"))
                .withDataDirAndPort(temp.resolve("any").toString(), 0);
        try (Node node = Node.start(any)) {
            assertEquals(200, ask(node.httpPort(), "GET /v1/assets HTTP/1.1\r\nHost: whatever.example\r\n\r\n")
                    .status());
        }
    }

    private static String upgrade(String host, String origin) {
        return "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
    }

    private static RawClient.Answer ask(int port, String request) throws Exception {
        try (RawClient client = RawClient.connect(port)) {
            return client.send(request).next();
        }
    }
}
