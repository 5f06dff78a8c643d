package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the node's system tests share: a temporary data directory, a dev-mode config (auth open) on a free port, and
 * HTTP calls against {@link #base} (set once the node is up) with JSON and error-shape assertions.
 */
abstract class NodeHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    final HttpClient http = HttpClient.newHttpClient();
    /** {@code http://127.0.0.1:<port>} of the node under test. */
    String base;

    /**
     * The built-in venue in dev mode and auth mode open, with its journal under the temporary directory, its
     * perpetuals marked by the operator and without a price band ({@link #unbandedInstruments}).
     */
    NodeConfig config() {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 1_000_000, 4096, true,
                d.assets(), unbandedInstruments(d));
    }

    /** As {@link #config()} in auth mode signed, with {@code ordersPerSecond} orders a second per account. */
    NodeConfig signedConfig(int ordersPerSecond) {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 4096, true,
                d.assets(), unbandedInstruments(d), ordersPerSecond, 50_000, NodeConfig.Auth.signed());
    }

    /**
     * {@code d}'s perpetuals marked by the operator, with the price band turned off (0): the system tests rest orders
     * far from the mark (bids at 40,000 against a starting mark of 50,000) and move marks by hand to liquidate, which
     * the default 5% band would refuse. The band itself is tested in {@link PricedPerpetualNodeTest} and in the
     * engine's MarkManipulationTest.
     */
    static List<NodeConfig.Instrument> unbandedInstruments(NodeConfig d) {
        return d.operatorMarkedInstruments().stream().map(in -> in.withPriceBandPpm(0)).toList();
    }

    /**
     * The body of {@code POST /v1/orders} for a limit buy of 0.001 BTC-PERP at 40,000 signed by {@code owner} with
     * {@code nonce} under the development domain.
     */
    static String signedOrderBody(io.meridian.auth.Secp256k1PrivateKey owner, long nonce) {
        return signedOrderBody(owner, nonce, 40_000);
    }

    /** As above at a whole-dollar price of {@code priceUsd}. */
    static String signedOrderBody(io.meridian.auth.Secp256k1PrivateKey owner, long nonce, long priceUsd) {
        io.meridian.model.Command c = new io.meridian.model.Command().limit(0, 1, 0, io.meridian.model.Side.BUY,
                priceUsd * 10, 1, io.meridian.model.TimeInForce.GTC);
        c.nonce = nonce;
        io.meridian.auth.SignedCommands.signAsOwner(c, io.meridian.auth.MeridianTypes.devDomain(), owner);
        return "{\"address\":\"" + owner.address().toChecksumHex() + "\",\"nonce\":" + nonce + ",\"signature\":\""
                + io.meridian.auth.Hex.encode0x(c.signature) + "\",\"instrument\":1,\"side\":\"buy\",\"price\":\""
                + priceUsd + "\",\"quantity\":\"0.001\"}";
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET that must answer 200; its JSON. */
    JsonNode ok(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST that must answer 200; its JSON. */
    JsonNode postOk(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = post(path, json);
        assertEquals(200, response.statusCode(), path + " " + json + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A refusal: the status, a {@code {code, message}} body, and the message containing {@code expected}. */
    static void assertError(HttpResponse<String> response, int status, String expected) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().matches("\\{\"code\":\\d+,\"message\":\".*\"}"), response.body());
        assertTrue(response.body().contains(expected), response.body());
    }

    /** Each {config JSON, expected text}: parsing the config is refused with a message containing the text. */
    static void assertConfigsRefused(String[][] cases) {
        for (String[] c : cases) {
            NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class, () -> NodeConfig.parse(c[0]),
                    c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
