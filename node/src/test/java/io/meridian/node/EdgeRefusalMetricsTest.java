package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.node.codec.Codes;
import io.meridian.node.fix.FixGateway;
import org.junit.jupiter.api.Test;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.MsgType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meridian_gateway_refusals_total{edge,code}} and the {@code meridian_fix_*} meters against a real node in auth
 * mode signed with a FIX acceptor (docs/operations.md, "Metrics"): every kind of refusal the gateway makes before the
 * journal is sent on REST, WebSocket and a QuickFIX/J initiator (bad JSON and fields, unknown routes, methods and media
 * types, missing and invalid read tokens, missing, unknown and forged signatures, rate limits, a full engine queue,
 * bodies too large, malformed framing, binary and oversized WebSocket messages, refused Logons), each answer's code is
 * checked, and the scrape must show exactly those counts: every other series of the family stays at 0. A FIX logon and
 * logout move the session gauge and counters, and the messages counted each way equal what the initiator saw.
 */
class EdgeRefusalMetricsTest extends NodeHttpTest {
    private static final String FAMILY = "meridian_gateway_refusals_total";

    /** Expected counts by "edge code" (labels as the scrape writes them). */
    private final Map<String, Integer> expected = new TreeMap<>();
    /** The next signed request's nonce is one more (every signer's nonces rise). */
    private long nonce;
    /** The code REST refused a forged signature with (the same on WebSocket). */
    private int forgedCode;

    private void expect(String edge, int code) {
        expected.merge(edge + " " + code, 1, Integer::sum);
    }

    @Test
    void everyRefusalIsCountedByEdgeAndCode() throws Exception {
        long seed = System.nanoTime();
        System.out.println("EdgeRefusalMetricsTest seed " + seed);
        Random random = new Random(seed);
        NodeConfig d = NodeConfig.defaults();
        // Auth mode signed, 2 orders a second per account (bursts of 4), 4,096-byte bodies, a FIX acceptor.
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 4096,
                true, d.assets(), unbandedInstruments(d), 2, 50_000, NodeConfig.Auth.signed())
                .withFix(new NodeConfig.Fix(0, "MERIDIAN"));
        Secp256k1PrivateKey restOwner = key(random);
        Secp256k1PrivateKey wsOwner = key(random);
        Secp256k1PrivateKey fixOwner = key(random);
        Secp256k1PrivateKey stranger = key(random);
        try (Node node = Node.start(config)) {
            base = "http://127.0.0.1:" + node.httpPort();
            MetricsTest.Scrape start = scrape();
            assertEquals("counter", start.types().getOrDefault(FAMILY, start.types().get("meridian_gateway_refusals")));
            for (Secp256k1PrivateKey owner : new Secp256k1PrivateKey[] {restOwner, wsOwner, fixOwner}) {
                postOk("/v1/dev/deposit", "{\"address\":\"" + owner.address().toChecksumHex()
                        + "\",\"asset\":0,\"amount\":\"100000\"}");
            }
            nonce = System.currentTimeMillis();

            restRefusals(node, restOwner, stranger);
            wsRefusals(node, wsOwner, stranger);

            // FIX: two Logons refused (no signature in auth mode signed; another key's signature), one accepted.
            try (FixClient byAccount = new FixClient().logonFields(l -> l.setString(FixGateway.TAG_USERNAME, "1"))
                    .start("BYID", node.fixPort())) {
                assertTrue(byAccount.next(MsgType.LOGOUT).getString(58).startsWith(
                        io.meridian.model.RejectReason.SIGNATURE_REQUIRED.code() + " "));
                expect("fix", io.meridian.model.RejectReason.SIGNATURE_REQUIRED.code());
            }
            try (FixClient forger = new FixClient().logonFields(signedLogon(fixOwner, key(random)))
                    .start("FORGER", node.fixPort())) {
                String text = forger.next(MsgType.LOGOUT).getString(58);
                expect("fix", Integer.parseInt(text.substring(0, text.indexOf(' '))));
            }
            FixClient trader = new FixClient().logonFields(signedLogon(fixOwner, fixOwner)).start("TRADER",
                    node.fixPort());
            assertTrue(trader.awaitLogon(), "the owner-signed logon");
            await("one FIX session", s -> s.value("meridian_fix_sessions") == 1 && s.value("meridian_fix_logons_total")
                    == 1 && s.value("meridian_fix_logons_refused_total") == 2);
            AtomicInteger clOrdIds = new AtomicInteger();
            trader.send(fixOrder(clOrdIds.incrementAndGet(), "NO-SUCH-PERP"));
            assertFixRejected(trader, Codes.BAD_FIELD);

            // A full engine queue (503) on each edge: the engine thread held by a query, its queue filled behind it.
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> holding = node.engine().query(e -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            CompletableFuture<Object> last;
            do {
                last = node.engine().query(e -> null);
            } while (!last.isCompletedExceptionally());
            try {
                assertCode(post("/v1/orders", signedOrderBody(restOwner, ++nonce)), Codes.OVERLOADED, "rest");
                try (JsonSocket socket = new JsonSocket(http, node.httpPort())) {
                    socket.send(ws(signedOrderBody(wsOwner, ++nonce), 5));
                    JsonNode reject = socket.next("reject");
                    assertEquals(Codes.OVERLOADED, reject.path("code").asInt(), reject.toString());
                    expect("ws", Codes.OVERLOADED);
                    // A subscription, refused with an error frame by the market-data side.
                    wsError(socket, "{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":1,\"id\":6}",
                            Codes.OVERLOADED);
                }
                trader.send(fixOrder(clOrdIds.incrementAndGet(), "BTC-PERP"));
                assertFixRejected(trader, Codes.OVERLOADED);
            } finally {
                release.countDown();
            }
            holding.get(30, TimeUnit.SECONDS);

            // Rate limits (429): an account's orders on each edge, until the first refusal.
            int restOrders = 0;
            while (true) {
                HttpResponse<String> answer = post("/v1/orders", signedOrderBody(restOwner, ++nonce));
                if (answer.statusCode() == 429) {
                    assertCode(answer, Codes.RATE_LIMITED, "rest");
                    break;
                }
                assertEquals(200, answer.statusCode(), answer.body());
                assertTrue(++restOrders < 40, "the account's order limit was never reached");
            }
            try (JsonSocket socket = new JsonSocket(http, node.httpPort())) {
                for (int i = 0; ; i++) {
                    assertTrue(i < 40, "the account's order limit was never reached on the WebSocket");
                    socket.send(ws(signedOrderBody(wsOwner, ++nonce), 100 + i));
                    int id = 100 + i;
                    JsonNode answer = socket.next(n -> n.path("id").asInt() == id);
                    if (answer.path("type").asText().equals("error")) {
                        assertEquals(Codes.RATE_LIMITED, answer.path("code").asInt(), answer.toString());
                        expect("ws", Codes.RATE_LIMITED);
                        break;
                    }
                    assertEquals("ack", answer.path("type").asText(), answer.toString());
                }
            }
            for (int i = 0; ; i++) {
                assertTrue(i < 40, "the account's order limit was never reached on FIX");
                trader.send(fixOrder(clOrdIds.incrementAndGet(), "BTC-PERP"));
                Message report = trader.next(MsgType.EXECUTION_REPORT);
                if (report.getChar(150) == '8') {
                    assertTrue(report.getString(58).startsWith(Codes.RATE_LIMITED + " "), report.getString(58));
                    expect("fix", Codes.RATE_LIMITED);
                    break;
                }
            }

            // The FIX session logs out: the gauge drops, the logout is counted.
            trader.close();
            MetricsTest.Scrape end = await("the FIX logout", s -> s.value("meridian_fix_sessions") == 0
                    && s.value("meridian_fix_logouts_total") == 1);
            assertEquals(1, end.value("meridian_fix_logons_total"));
            assertEquals(2, end.value("meridian_fix_logons_refused_total"));
            // The acceptor's messages each way are the trader's the other way, plus each refused Logon and its Logout.
            assertEquals(trader.sentAdmin.get() + 2, end.value(fixMessages("in", "admin")), "admin messages in");
            assertEquals(trader.sentApp.get(), end.value(fixMessages("in", "app")), "application messages in");
            assertEquals(trader.receivedAdmin.get() + 2, end.value(fixMessages("out", "admin")), "admin messages out");
            assertEquals(trader.receivedApp.get(), end.value(fixMessages("out", "app")), "application messages out");
            assertEquals(clOrdIds.get(), trader.sentApp.get(), "every order sent, and nothing else");
            assertEquals(3, end.value("meridian_fix_rejects_total{type=\"order\"}"), "bad symbol, queue full, 429");
            assertEquals(0, end.value("meridian_fix_rejects_total{type=\"session\"}"));
            assertEquals(0, end.value("meridian_fix_resend_requests_total{direction=\"in\"}"));

            // Exactly the refusals made, by edge and code; every other series of the family at 0.
            assertRefusals(end);
        }
    }

    private void assertRefusals(MetricsTest.Scrape scrape) {
        Map<String, Integer> seen = new TreeMap<>();
        int series = 0;
        for (Map.Entry<String, Double> sample : scrape.samples().entrySet()) {
            if (!sample.getKey().startsWith(FAMILY + "{")) {
                continue;
            }
            series++;
            String labels = sample.getKey();
            String edge = labels.replaceFirst(".*edge=\"([a-z]+)\".*", "$1");
            String code = labels.replaceFirst(".*code=\"([a-z0-9]+)\".*", "$1");
            if (sample.getValue() != 0) {
                seen.put(edge + " " + code, sample.getValue().intValue());
            }
        }
        assertEquals(expected, seen, "refusals by edge and code");
        assertTrue(series > 90 && series < 250, "a fixed, bounded label set: " + series + " series");
        for (String edge : new String[] {"rest", "ws", "fix"}) {
            assertEquals(0, scrape.value(FAMILY + "{code=\"other\",edge=\"" + edge + "\"}"));
        }
    }

    /** Each REST refusal once: body, fields, route, method, media type, read tokens, signatures, framing. */
    private void restRefusals(Node node, Secp256k1PrivateKey restOwner, Secp256k1PrivateKey stranger) throws Exception {
        assertCode(post("/v1/orders", "{\"instrument\":1,"), Codes.BAD_JSON, "rest");
        assertCode(post("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"sideways\",\"price\":\"40000\","
                + "\"quantity\":\"0.001\"}"), Codes.BAD_FIELD, "rest");
        assertCode(get("/v1/nowhere"), Codes.NOT_FOUND, "rest");
        assertCode(delete("/v1/assets"), Codes.METHOD, "rest");
        assertCode(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString()), Codes.MEDIA_TYPE, "rest");
        assertCode(get("/v1/balances?account=1"), Codes.READ_TOKEN_REQUIRED, "rest");
        assertCode(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/balances?account=1"))
                .header("X-Meridian-Read-Token", "not-a-token").GET().build(),
                HttpResponse.BodyHandlers.ofString()), Codes.READ_TOKEN_INVALID, "rest");
        assertCode(post("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                + "\"quantity\":\"0.001\"}"), io.meridian.model.RejectReason.SIGNATURE_REQUIRED.code(), "rest");
        assertCode(post("/v1/orders", signedOrderBody(stranger, ++nonce)),
                io.meridian.model.RejectReason.UNKNOWN_ADDRESS.code(), "rest");
        forgedCode = code(post("/v1/orders", forged(restOwner, ++nonce)));
        assertTrue(forgedCode > 8000 && forgedCode < 8012, "a forged signature: " + forgedCode);
        expect("rest", forgedCode);
        // The connection layer: a body over 4,096 bytes (413) and ambiguous framing (400).
        try (RawClient raw = RawClient.connect(node.httpPort())) {
            RawClient.Answer answer = raw.send("POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n").next();
            assertEquals(413, answer.status(), answer.body());
            expect("rest", 413);
        }
        try (RawClient raw = RawClient.connect(node.httpPort())) {
            RawClient.Answer answer = raw.send("POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").next();
            assertEquals(400, answer.status(), answer.body());
            expect("rest", 400);
        }

    }

    /** Each WebSocket refusal once: JSON, fields, read token, signatures, a binary and too big messages. */
    private void wsRefusals(Node node, Secp256k1PrivateKey wsOwner, Secp256k1PrivateKey stranger) throws Exception {
        try (JsonSocket socket = new JsonSocket(http, node.httpPort())) {
            wsError(socket, "{\"op\":", Codes.BAD_JSON);
            wsError(socket, "{\"op\":\"dance\",\"id\":1}", Codes.BAD_FIELD);
            wsError(socket, "{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":1,\"id\":2}",
                    Codes.READ_TOKEN_REQUIRED);
            wsError(socket, ws(signedOrderBody(stranger, ++nonce), 3),
                    io.meridian.model.RejectReason.UNKNOWN_ADDRESS.code());
            wsError(socket, ws(forged(wsOwner, ++nonce), 4), forgedCode);
        }
        Closing binary = new Closing();
        WebSocket closed = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                + "/ws"), binary).get(10, TimeUnit.SECONDS);
        closed.sendBinary(ByteBuffer.wrap(new byte[] {'{', '}'}), true).get(5, TimeUnit.SECONDS);
        assertTrue(binary.closed.get(10, TimeUnit.SECONDS).startsWith("1003 "));
        closed.abort();
        expect("ws", 1003);
        // A message over 4,096 bytes in fragments each under it (the aggregator's refusal), and one frame over it
        // (Netty's frame decoder's): both closed with 1009.
        Closing big = new Closing();
        WebSocket tooBig = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                + "/ws"), big).get(10, TimeUnit.SECONDS);
        try {
            tooBig.sendText("{\"op\":\"" + "x".repeat(3000), false).get(5, TimeUnit.SECONDS);
            tooBig.sendText("x".repeat(3000), false).get(5, TimeUnit.SECONDS);
            tooBig.sendText("\"}", true).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException alreadyClosed) {
            // The node may close before the client finished writing.
        }
        assertTrue(big.closed.get(10, TimeUnit.SECONDS).startsWith("1009 message too big"), big.closed.get());
        tooBig.abort();
        expect("ws", 1009);
        Closing frame = new Closing();
        WebSocket oneFrame = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                + "/ws"), frame).get(10, TimeUnit.SECONDS);
        try {
            oneFrame.sendText("{\"op\":\"" + "x".repeat(5000) + "\"}", true).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException alreadyClosed) {
            // As above.
        }
        // Closed (Netty's protocol handler may send its own 1000 before the decoder's 1009): counted as 1009.
        assertFalse(frame.closed.get(10, TimeUnit.SECONDS).isEmpty());
        oneFrame.abort();
        expect("ws", 1009);

    }

    private static Secp256k1PrivateKey key(Random random) {
        byte[] bytes = new byte[32];
        while (true) {
            random.nextBytes(bytes);
            try {
                return Secp256k1PrivateKey.of(bytes);
            } catch (IllegalArgumentException outOfRange) {
                // Astronomically rare: another draw.
            }
        }
    }

    /** A signed order body whose price was changed after signing: the signature names someone else. */
    private static String forged(Secp256k1PrivateKey owner, long nonce) {
        String body = signedOrderBody(owner, nonce);
        assertTrue(body.contains("\"price\":\"40000\""), body);
        return body.replace("\"price\":\"40000\"", "\"price\":\"40001\"");
    }

    /** A REST order body as a WebSocket {@code order} message with {@code id}. */
    private static String ws(String body, int id) {
        return "{\"op\":\"order\",\"id\":" + id + "," + body.substring(1);
    }

    private static int code(HttpResponse<String> answer) throws Exception {
        assertTrue(answer.statusCode() >= 400, answer.statusCode() + " " + answer.body());
        return JSON.readTree(answer.body()).path("code").asInt();
    }

    /** The answer is a refusal with {@code code}: counted for {@code edge}. */
    private void assertCode(HttpResponse<String> answer, int code, String edge) throws Exception {
        assertEquals(code, code(answer), answer.body());
        expect(edge, code);
    }

    /** Sends {@code text} and expects an error frame with {@code code}. */
    private void wsError(JsonSocket socket, String text, int code) throws Exception {
        socket.send(text);
        JsonNode error = socket.next("error");
        assertEquals(code, error.path("code").asInt(), text + " -> " + error);
        expect("ws", code);
    }

    private static String fixMessages(String direction, String kind) {
        return "meridian_fix_messages_total{direction=\"" + direction + "\",kind=\"" + kind + "\"}";
    }

    private final HttpClient scraper = HttpClient.newHttpClient();

    private MetricsTest.Scrape scrape() throws Exception {
        HttpResponse<String> answer = scraper.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return MetricsTest.parse(answer.body());
    }

    /** Scrapes until {@code wanted} holds (scrapes 250 ms apart share one rendering), for at most 10 s. */
    private MetricsTest.Scrape await(String what, java.util.function.Predicate<MetricsTest.Scrape> wanted)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        MetricsTest.Scrape last;
        do {
            last = scrape();
            if (wanted.test(last)) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + "; last scrape: " + last.samples());
    }

    /** The FIX client's next ExecutionReport is REJECTED with the gateway's {@code code}: counted for FIX. */
    private void assertFixRejected(FixClient client, int code) throws Exception {
        Message report = client.next(MsgType.EXECUTION_REPORT);
        assertEquals('8', report.getChar(150), report.toString());
        assertTrue(report.getString(58).startsWith(code + " "), report.getString(58));
        expect("fix", code);
    }

    private static Message fixOrder(int clOrdId, String symbol) {
        Message m = new quickfix.fix44.NewOrderSingle();
        m.setString(11, Integer.toString(clOrdId));
        m.setString(55, symbol);
        m.setChar(54, '1');
        m.setUtcTimeStamp(60, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
        m.setString(38, "0.001");
        m.setChar(40, '2');
        m.setString(44, "40000");
        m.setChar(59, '1');
        return m;
    }

    /** Logon fields of a Session message for {@code owner}'s address signed by {@code signer} (docs/api.md, FIX). */
    private static Consumer<Message> signedLogon(Secp256k1PrivateKey owner, Secp256k1PrivateKey signer) {
        Command c = new Command().reset();
        c.type = CommandType.OPEN_SESSION;
        c.validUntil = System.currentTimeMillis() + 3_600_000L;
        c.nonce = System.currentTimeMillis();
        SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), signer);
        String signature = Hex.encode0x(c.signature);
        String address = owner.address().toChecksumHex();
        return logon -> {
            logon.setString(FixGateway.TAG_USERNAME, address);
            logon.setString(FixGateway.TAG_PASSWORD, c.validUntil + ":" + c.nonce);
            logon.setInt(95, signature.length());
            logon.setString(FixGateway.TAG_RAW_DATA, signature);
        };
    }

    /** A WebSocket whose close (code and reason) is all the test reads. */
    private static final class Closing implements WebSocket.Listener {
        final CompletableFuture<String> closed = new CompletableFuture<>();

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

    /**
     * A QuickFIX/J initiator (memory store, 30 s heartbeats) that queues what it receives and counts every message it
     * sends and receives, administrative and application apart: what the acceptor must have counted the other way.
     */
    private static final class FixClient implements Application, AutoCloseable {
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        final AtomicInteger sentAdmin = new AtomicInteger();
        final AtomicInteger sentApp = new AtomicInteger();
        final AtomicInteger receivedAdmin = new AtomicInteger();
        final AtomicInteger receivedApp = new AtomicInteger();
        private Consumer<Message> logonFields = m -> { };
        private SocketInitiator initiator;
        private SessionID session;

        FixClient logonFields(Consumer<Message> fields) {
            this.logonFields = fields;
            return this;
        }

        FixClient start(String compId, int port) throws ConfigError {
            session = new SessionID(FixGateway.BEGIN_STRING, compId, "MERIDIAN");
            SessionSettings settings = new SessionSettings();
            settings.setString(session, "ConnectionType", "initiator");
            settings.setString(session, "SocketConnectHost", "127.0.0.1");
            settings.setLong(session, "SocketConnectPort", port);
            settings.setLong(session, "HeartBtInt", 30);
            settings.setLong(session, "ReconnectInterval", 60);
            settings.setString(session, "NonStopSession", "Y");
            settings.setString(session, "UseDataDictionary", "Y");
            settings.setString(session, "DataDictionary", "FIX44.xml");
            initiator = new SocketInitiator(this, new MemoryStoreFactory(), settings, new SLF4JLogFactory(settings),
                    new DefaultMessageFactory());
            initiator.start();
            return this;
        }

        boolean awaitLogon() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && !initiator.isLoggedOn()) {
                Thread.sleep(10);
            }
            return initiator.isLoggedOn();
        }

        void send(Message message) throws Exception {
            assertTrue(Session.sendToTarget(message, session));
        }

        Message next(String type) throws InterruptedException, FieldNotFound {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Message m = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertNotNull(m, "no FIX message of type " + type + " within 10 s");
                if (m.getHeader().getString(MsgType.FIELD).equals(type)) {
                    return m;
                }
            }
        }

        @Override
        public void onCreate(SessionID sessionId) {
        }

        @Override
        public void onLogon(SessionID sessionId) {
        }

        @Override
        public void onLogout(SessionID sessionId) {
        }

        @Override
        public void toAdmin(Message message, SessionID sessionId) {
            if (message instanceof quickfix.fix44.Logon) {
                logonFields.accept(message);
            }
            sentAdmin.incrementAndGet();
        }

        @Override
        public void fromAdmin(Message message, SessionID sessionId) {
            receivedAdmin.incrementAndGet();
            received.add(message);
        }

        @Override
        public void toApp(Message message, SessionID sessionId) {
            sentApp.incrementAndGet();
        }

        @Override
        public void fromApp(Message message, SessionID sessionId) {
            receivedApp.incrementAndGet();
            received.add(message);
        }

        /** Logs out and waits for the acceptor's Logout before disconnecting. */
        @Override
        public void close() {
            if (initiator != null) {
                initiator.stop(false);
                initiator = null;
            }
        }
    }
}
