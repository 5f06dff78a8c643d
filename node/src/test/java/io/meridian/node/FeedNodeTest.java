package io.meridian.node;

import io.meridian.node.http.FeedRoutes;
import io.meridian.node.codec.Codes;
import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.FeedSignatures;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.journal.JournalVerifier;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Production price feeds on a node without dev routes: each index source's reports signed by its configured feed key
 * ({@code POST /v1/oracle}), the surface signed by the index's surface key ({@code POST /v1/surface}); forged, foreign,
 * unkeyed and replayed requests refused; the journal proves every report ({@code verify --signatures}).
 */
class FeedNodeTest extends NodeHttpTest {
    private static final long SECOND = 1_000_000_000L;
    /** 2026-12-01T00:00:00Z on the node's test clock. */
    private static final long START = Instant.parse("2026-12-01T00:00:00Z").getEpochSecond() * SECOND;
    private static final String EXPIRY = "2026-12-31T08:00:00Z";
    private static final AgentSigner[] FEEDS = {signer(1), signer(2), signer(3)};
    private static final AgentSigner SURFACE = signer(9);

    private final AtomicLong clock = new AtomicLong(START);

    private static AgentSigner signer(int b) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) b);
        return AgentSigner.of(seed);
    }

    private NodeConfig feedConfig() {
        NodeConfig d = config();
        List<String> keys = Arrays.asList(FEEDS[0].publicKey().toHex(), FEEDS[1].publicKey().toHex(),
                FEEDS[2].publicKey().toHex(), null);
        return new NodeConfig(d.dataDir(), d.httpHost(), 0, d.durability(), d.snapshotEveryCommands(), d.maxBodyBytes(),
                false, d.assets(), d.operatorMarkedInstruments(),
                d.ordersPerSecondPerAccount(), d.requestsPerSecondPerConnection(),
                d.auth(), false, new NodeConfig.Markets(
                        List.of(new NodeConfig.Index(1, "BTC-USD", 2, List.of("a", "b", "c", "manual"), null, keys,
                                SURFACE.publicKey().toHex())),
                        List.of(new NodeConfig.OptionChain("BTC", 1, "USDC", "0.5", "0.01", "1", List.of(EXPIRY),
                                List.of("45000", "50000", "55000"), null, null, null, 100))));
    }

    /** A report body for source {@code source} at {@code price} (2 decimals), signed by {@code feed}. */
    private static String report(int source, String price, long timestamp, AgentSigner feed, String sentPrice) {
        long units = new java.math.BigDecimal(price).movePointRight(2).longValueExact();
        byte[] signature = feed.sign(FeedSignatures.priceReportDigest(MeridianTypes.devDomain(), 1, source, units,
                timestamp, -1));
        return "{\"index\":1,\"source\":" + source + ",\"price\":\"" + sentPrice + "\",\"timestamp\":" + timestamp
                + ",\"signature\":\"" + Hex.encode0x(signature) + "\"}";
    }

    private HttpResponse<String> postSigned(String path, String body, String signatureHex) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (signatureHex != null) {
            request.header(FeedRoutes.SIGNATURE_HEADER, signatureHex);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String signSurface(AgentSigner signer, long timestamp, String body) {
        return Hex.encode(signer.sign(FeedSignatures.surfaceDigest(MeridianTypes.devDomain(), 1, timestamp,
                body.getBytes(StandardCharsets.UTF_8))));
    }

    private void assertRefused(HttpResponse<String> response, int status, int code, String text) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(code, body.get("code").asInt(), response.body());
        assertTrue(body.get("message").asText().contains(text), response.body());
    }

    @Test
    void signedFeedsPriceTheIndexAndMarkTheChainWithoutDevRoutes() throws Exception {
        try (Node node = Node.start(feedConfig(), failure -> { }, clock::get)) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(404, post("/v1/dev/oracle", "{\"index\":1,\"source\":0,\"price\":\"1\"}").statusCode(),
                    "no dev routes on this node");

            // Reports are stamped by their sources a little before the node sees them.
            long t = clock.addAndGet(SECOND) - 10;
            for (int source = 0; source < 3; source++) {
                postOk("/v1/oracle", report(source, "50000", t, FEEDS[source], "50000"));
            }
            assertEquals(5_000_000L, node.engine().query(e -> e.view().indexPrice(1)).get(), "three signed sources publish");

            // Source 1's report signed by source 0's key; source 3 has no key; a price changed after signing.
            assertRefused(post("/v1/oracle", report(1, "50100", t + 1, FEEDS[0], "50100")), 401, 8002, "feed key");
            assertRefused(post("/v1/oracle", report(3, "50100", t + 1, FEEDS[0], "50100")), 403, 8005, "no feed key");
            assertRefused(post("/v1/oracle", report(0, "50100", t + 1, FEEDS[0], "50200")), 401, 8002, "feed key");
            assertRefused(post("/v1/oracle", "{\"index\":1,\"source\":0,\"price\":\"50100\",\"timestamp\":" + t + "}"),
                    400, Codes.BAD_FIELD, "signature");
            // A genuine report older than the source's last: the engine refuses it (a replay changes nothing).
            postOk("/v1/oracle", report(0, "50100", t + 5, FEEDS[0], "50100"));
            HttpResponse<String> replay = post("/v1/oracle", report(0, "49000", t + 2, FEEDS[0], "49000"));
            assertRefused(replay, 422, 4014, "earlier");

            // The surface: signed over the exact body, fresh, and only once.
            long now = clock.addAndGet(SECOND);
            String quotes = "[{\"expiry\":" + Instant.parse(EXPIRY).getEpochSecond() * SECOND
                    + ",\"strike\":40000,\"vol\":0.72},{\"expiry\":" + Instant.parse(EXPIRY).getEpochSecond() * SECOND
                    + ",\"strike\":45000,\"vol\":0.66},{\"expiry\":" + Instant.parse(EXPIRY).getEpochSecond() * SECOND
                    + ",\"strike\":50000,\"vol\":0.62},{\"expiry\":" + Instant.parse(EXPIRY).getEpochSecond() * SECOND
                    + ",\"strike\":55000,\"vol\":0.63},{\"expiry\":" + Instant.parse(EXPIRY).getEpochSecond() * SECOND
                    + ",\"strike\":60000,\"vol\":0.67}]";
            String body = "{\"index\":1,\"timestamp\":" + now + ",\"quotes\":" + quotes + "}";
            HttpResponse<String> marked = postSigned("/v1/surface", body, signSurface(SURFACE, now, body));
            assertEquals(200, marked.statusCode(), marked.body());
            JsonNode marks = JSON.readTree(marked.body()).get("marks");
            assertEquals(6, marks.size(), marked.body());
            marks.forEach(m -> assertTrue(!m.has("code"), "every mark applied: " + m));
            assertEquals(0.62, node.engine().query(e -> e.view().optionMarkVolatility(102)).get(), 0.01,
                    "the 50,000 call carries the surface's volatility at its strike");

            assertRefused(postSigned("/v1/surface", body, signSurface(SURFACE, now, body)), 400,
                    Codes.BAD_FIELD, "not after the last surface");
            String later = body.replace("\"timestamp\":" + now, "\"timestamp\":" + (now + 1));
            assertRefused(postSigned("/v1/surface", later, signSurface(FEEDS[0], now + 1, later)), 401, 8002,
                    "surface key");
            assertRefused(postSigned("/v1/surface", later, null), 401, 8002, "surface key");
            assertRefused(postSigned("/v1/surface", later.replace("0.62", "0.52"), signSurface(SURFACE, now + 1, later)),
                    401, 8002, "surface key");
            long stale = now - 120 * SECOND;
            String old = body.replace("\"timestamp\":" + now, "\"timestamp\":" + stale);
            assertRefused(postSigned("/v1/surface", old, signSurface(SURFACE, stale, old)), 400, Codes.BAD_FIELD,
                    "from the node's clock");
        }

        StringBuilder summary = new StringBuilder();
        JournalVerifier.Result verified = JournalVerifier.verify(Path.of(config().dataDir()), MeridianTypes.devDomain(),
                new JournalVerifier.Listener() {
                    @Override
                    public void signatures(String text) {
                        summary.append(text);
                    }
                });
        assertTrue(verified.ok(), verified.failure());
        String audit = summary.toString();
        assertTrue(audit.contains("price reports: 5 signed by feed keys [1/0 " + FEEDS[0].publicKey().toHex()),
                audit);
        assertTrue(audit.contains("1/2 " + FEEDS[2].publicKey().toHex() + "], 0 unsigned"), audit);
    }

    @Test
    void badFeedKeysAreRefusedAtStartWithTheFieldNamed() {
        String index = "{\"indexes\":[{\"id\":1,\"symbol\":\"BTC\",\"priceDecimals\":2,\"sources\":[\"a\",\"b\"],";
        String[][] cases = {
            {index + "\"sourceKeys\":[\"" + FEEDS[0].publicKey().toHex() + "\"]}]}", "indexes[0].sourceKeys: one per"},
            {index + "\"sourceKeys\":[null,\"0x1234\"]}]}", "indexes[0].sourceKeys[1]: not an Ed25519 public key"},
            {index + "\"surfaceKey\":\"zz\"}]}", "indexes[0].surfaceKey: not an Ed25519 public key"},
        };
        assertConfigsRefused(cases);
    }
}
