package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real node on a free port with a journal in a temporary directory, driven over HTTP: health, instruments, dev
 * deposits, orders that rest and trade, the book, the account, every kind of bad request, and a restart that
 * recovers the same state from the journal.
 */
class NodeSystemTest extends NodeHttpTest {
    @Test
    void tradesOverHttpAndRecoversAfterARestart() throws Exception {
        String book;
        String account;
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            HttpResponse<String> health = get("/health");
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
            assertTrue(get("/v1/instruments").body().contains("\"symbol\":\"BTC-PERP\""));

            assertEquals(200, post("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100000\"}").statusCode());
            assertEquals(200, post("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":100000}").statusCode());
            HttpResponse<String> maker = post("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"sell\","
                    + "\"price\":\"50000.5\",\"quantity\":\"0.010\",\"clientOrderId\":7}");
            assertEquals(200, maker.statusCode(), maker.body());
            assertTrue(maker.body().contains("\"restingQuantity\":\"0.01\""), maker.body());
            HttpResponse<String> taker = post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\","
                    + "\"type\":\"limit\",\"price\":50001,\"quantity\":0.004,\"timeInForce\":\"ioc\"}");
            assertEquals(200, taker.statusCode(), taker.body());
            assertTrue(taker.body().contains("\"filledQuantity\":\"0.004\""), taker.body());

            book = get("/v1/book/1?depth=5").body();
            assertTrue(book.contains("\"asks\":[[\"50000.5\",\"0.006\"]]"), book);
            account = get("/v1/accounts/2").body();
            assertTrue(account.contains("\"positions\":[{") && account.contains("\"size\":\"0.004\""), account);
            assertTrue(get("/v1/ticker/1").body().contains("\"last\":\"50000.5\""));
            String fills = get("/v1/fills?account=2").body();
            assertTrue(fills.startsWith("[{") && fills.contains("\"quantity\":\"0.004\"")
                    && fills.contains("\"liquidity\":\"taker\""), fills);

            // The engine refuses: 422 with its code and message.
            HttpResponse<String> poor = post("/v1/orders", "{\"account\":3,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"50000\",\"quantity\":\"1\"}");
            assertEquals(422, poor.statusCode(), poor.body());
            assertTrue(poor.body().contains("\"reason\":\"INSUFFICIENT_MARGIN\""), poor.body());
            // The gateway refuses before the engine: 400 with a field and a reason.
            assertError(post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"50000.05\","
                    + "\"quantity\":\"0.001\"}"), 400, "price: 50000.05 is not a multiple of 0.1");
            assertError(post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"up\",\"price\":\"1\","
                    + "\"quantity\":\"0.001\"}"), 400, "side: must be buy or sell");
            assertError(post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"1\","
                    + "\"quantity\":\"0.001\",\"leverage\":5}"), 400, "unknown field 'leverage'");
            assertError(post("/v1/orders", "{\"account\":\"two\"}"), 400, "account: not a whole number");
            assertError(post("/v1/orders", "{not json"), 400, "malformed JSON");
            assertError(post("/v1/orders", "{\"account\":2,\"instrument\":9,\"side\":\"buy\",\"price\":\"1\","
                    + "\"quantity\":\"1\"}"), 400, "instrument: no instrument 9");
            assertError(get("/v1/nowhere"), 404, "no route GET /v1/nowhere");
            assertError(get("/v1/orders"), 400, "account: required");
            assertError(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/orders")).PUT(HttpRequest.BodyPublishers
                    .ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()), 405, "use POST");
            String open = get("/v1/orders?account=1").body();
            assertTrue(open.contains("\"side\":\"sell\"") && open.contains("\"remaining\":\"0.006\""), open);
            assertEquals("[]", get("/v1/orders?account=3&instrument=1").body());
            long makerId = Long.parseLong(maker.body().replaceAll(".*\"orderId\":(\\d+).*", "$1"));
            assertTrue(get("/v1/orders/" + makerId + "?account=1&instrument=1").body().contains("\"clientOrderId\":7"));
            assertError(get("/v1/orders/" + makerId + "?account=2&instrument=1"), 404, "no order");
            assertError(get("/v1/book/x"), 404, "no instrument x");
            assertTrue(get("/v1/book/BTC-PERP?depth=5").body().contains("\"asks\":[[\"50000.5\",\"0.006\"]]"),
                    "an instrument by symbol");
            assertEquals(413, post("/v1/orders", "{\"pad\":\"" + "x".repeat(5000) + "\"}").statusCode());

            // Cancel the rest of the maker's order.
            long makerOrder = Long.parseLong(maker.body().replaceAll(".*\"orderId\":(\\d+).*", "$1"));
            HttpResponse<String> cancel = delete("/v1/orders/" + makerOrder + "?account=1&instrument=1");
            assertEquals(200, cancel.statusCode(), cancel.body());
            assertEquals(422, delete("/v1/orders/" + makerOrder + "?account=1&instrument=1").statusCode());
            // Amend, settings and cancel-all.
            HttpResponse<String> resting = post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"30000\",\"quantity\":\"0.002\"}");
            long restingId = Long.parseLong(resting.body().replaceAll(".*\"orderId\":(\\d+).*", "$1"));
            HttpResponse<String> amended = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/orders/" + restingId))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"account\":2,\"instrument\":1,\"price\":\"30000.1\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, amended.statusCode(), amended.body());
            assertTrue(get("/v1/book/1").body().contains("[\"30000.1\",\"0.002\"]"));
            assertEquals(200, post("/v1/settings", "{\"account\":2,\"instrument\":1,\"leverage\":10}").statusCode());
            assertError(post("/v1/settings", "{\"account\":2,\"instrument\":1,\"marginMode\":\"both\"}"), 400,
                    "marginMode: must be cross, isolated, portfolio or standard");
            assertEquals(200, delete("/v1/orders?account=2").statusCode());
            assertTrue(!get("/v1/book/1").body().contains("30000.1"), "cancel-all removed it");

            // Idempotency: the same client order id again gets the original answer, not a second order.
            String again = "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                    + "\"quantity\":\"0.001\",\"clientOrderId\":99}";
            HttpResponse<String> first = post("/v1/orders", again);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(first.body(), post("/v1/orders", again).body(), "a resend returns the original result");
            book = get("/v1/book/1").body();
            assertTrue(book.contains("[\"40000\",\"0.001\"]"), "one order at 40000, not two: " + book);
            account = get("/v1/accounts/2").body();
        }

        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertTrue(node.engine().startReport().replayed() > 0, "recovered from the journal");
            assertEquals(book, get("/v1/book/1").body(), "the same book after a restart");
            assertEquals(account, get("/v1/accounts/2").body(), "the same account after a restart");
            assertTrue(get("/v1/fills?account=2").body().contains("\"quantity\":\"0.004\""),
                    "fills are rebuilt from the journal");
            HttpResponse<String> resend = post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"40000\",\"quantity\":\"0.001\",\"clientOrderId\":99}");
            assertEquals(book, get("/v1/book/1").body(), "a resend after the restart is recognised too: " + resend.body());
        }
    }

    @Test
    void rateLimitsAnswer429WithRetryAfter() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig limited = new NodeConfig(temp.resolve("limited").toString(), "127.0.0.1", 0, "none", 0, 4096, true,
                d.assets(), unbandedInstruments(d), 5, 50_000, NodeConfig.Auth.open());
        try (Node node = Node.start(limited)) {
            base = "http://127.0.0.1:" + node.httpPort();
            post("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100000\"}");
            int ok = 0;
            HttpResponse<String> refused = null;
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> r = post("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"buy\","
                        + "\"price\":\"40000\",\"quantity\":\"0.001\"}");
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    refused = r;
                }
            }
            assertTrue(ok >= 10 && ok < 30, "burst of 10 then 5/s: " + ok + " accepted");
            assertError(refused, 429, "too many orders and cancels for this account: at most 5 a second");
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            // Another account is not affected.
            post("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
            assertEquals(200, post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"40000\",\"quantity\":\"0.001\"}").statusCode());
        }
    }

    @Test
    void anEngineThreadFailureStopsTheNodeTakingRequests() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> told = new java.util.concurrent.atomic.AtomicReference<>();
        try (Node node = Node.start(config(), told::set)) {
            base = "http://127.0.0.1:" + node.httpPort();
            // A command the journal cannot take (larger than a record may be): the engine thread stops rather than
            // apply something it did not journal.
            io.meridian.model.Command huge = new io.meridian.model.Command().reset();
            huge.type = io.meridian.model.CommandType.ADD_ASSET;
            huge.assetSpec = new io.meridian.model.AssetSpec(9, "X".repeat(2 << 20), 2);
            node.engine().submit(huge, result -> { });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (told.get() == null) {
                assertTrue(System.nanoTime() < deadline, "the failure was not reported");
                Thread.sleep(5);
            }
            assertEquals(503, get("/health").statusCode());
            assertEquals(503, post("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"1\",\"quantity\":\"0.001\"}").statusCode());
        }
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(200, get("/health").statusCode(), "a restart recovers");
        }
    }

    @Test
    void configErrorsNameTheField() {
        List<String[]> cases = List.of(
                new String[] {"{\"httpPort\": 70000}", "httpPort: must be 0..65535"},
                new String[] {"{\"durability\": \"maybe\"}", "durability: must be group_commit or none"},
                new String[] {"{\"colour\": 1}", "unknown field 'colour'"},
                new String[] {"{\"httpPort\": \"x\"}", "httpPort"},
                new String[] {"{\"instruments\": []}", "instruments: at least one"},
                new String[] {"{\"instruments\": [{\"id\":1,\"symbol\":\"A\",\"base\":\"A\",\"settle\":\"EUR\","
                        + "\"tickSize\":\"1\",\"lotSize\":\"1\",\"markPrice\":\"1\"}]}", "instruments[0].settle: no asset"},
                new String[] {"{\"instruments\": [{\"id\":1,\"symbol\":\"A\",\"base\":\"A\",\"settle\":\"USDC\","
                        + "\"tickSize\":\"-1\",\"lotSize\":\"1\",\"markPrice\":\"1\"}]}", "instruments[0].tickSize"},
                new String[] {"{\"instruments\": [{\"id\":1,\"symbol\":\"A\",\"base\":\"A\",\"settle\":\"USDC\","
                        + "\"tickSize\":\"0.5\",\"lotSize\":\"1\",\"markPrice\":\"1.2\"}]}", "not a multiple of the tick"},
                new String[] {"{\"ordersPerSecondPerAccount\": 0}", "must be positive"},
                new String[] {"{\"auth\": {\"mode\": \"trusting\"}}", "auth.mode: must be signed or open"},
                new String[] {"{\"auth\": {\"chainId\": 0}}", "auth.chainId: must be positive"},
                new String[] {"{\"auth\": {\"verifyingContract\": \"0x12\"}}", "auth.verifyingContract: not an address"},
                new String[] {"{\"auth\": {\"key\": 1}}", "unknown field 'key'"},
                new String[] {"{\"fix\": {}}", "fix.port: required, 0..65535"},
                new String[] {"{\"fix\": {\"port\": 70000}}", "fix.port: required, 0..65535, was 70000"},
                new String[] {"{\"httpPort\": 9000, \"fix\": {\"port\": 9000}}", "fix.port: must differ from httpPort"},
                new String[] {"{\"fix\": {\"port\": 9878, \"senderCompId\": \"A B\"}}", "fix.senderCompId: must be"},
                new String[] {"{\"fix\": {\"port\": 9878, \"host\": \"x\"}}", "unknown field 'host'"},
                new String[] {"[1,2", "invalid config"});
        assertTrue(assertDoesNotThrowParse(DEV + "}").auth().signaturesRequired(), "a config file is signed by default");
        assertEquals("open", assertDoesNotThrowParse(DEV + ",\"auth\": {\"mode\": \"open\"}}").auth().mode());
        assertEquals(null, assertDoesNotThrowParse(DEV + "}").fix(), "no FIX acceptor unless configured");
        assertEquals(new NodeConfig.Fix(9878, "MERIDIAN"), assertDoesNotThrowParse(DEV + ",\"fix\": {\"port\": 9878}}").fix());
        assertEquals(new NodeConfig.Fix(0, "VENUE"),
                assertDoesNotThrowParse(DEV + ",\"fix\": {\"port\": 0, \"senderCompId\": \"VENUE\"}}").fix());
        for (String[] c : cases) {
            NodeConfig.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    NodeConfig.ConfigException.class, () -> NodeConfig.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    /** A dev node's file: outside dev mode a file must name its own EIP-712 domain (NodeConfigProductionTest). */
    private static final String DEV = "{\"devMode\": true";

    private static NodeConfig assertDoesNotThrowParse(String json) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> NodeConfig.parse(json));
    }
}
