package io.meridian.node;

import io.meridian.node.NodeConfig.ConfigException;
import io.meridian.node.NodeConfig.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example configs in {@code config/examples/} (docs/operations.md, "Example configs") load and pass every check,
 * and say what each is for; a node starts from the dev venue's. A config with several mistakes is refused once, with
 * every mistake and its JSON path.
 */
class ExampleConfigsTest {
    @TempDir
    Path temp;

    /** The repository's {@code config/examples}, found from the working directory up. */
    static Path examples() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("config").resolve("examples");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no config/examples above " + Path.of("").toAbsolutePath());
    }

    @Test
    void everyExampleLoadsAndPassesItsChecks() throws IOException, ConfigException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(examples())) {
            files = listing.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(List.of("dev.json", "load-test.json", "production.json"),
                files.stream().map(f -> f.getFileName().toString()).toList());
        for (Path file : files) {
            assertNotNull(NodeConfig.read(file), file.toString());
        }
    }

    @Test
    void theDevVenueIsOpenOnLoopbackWithDevRoutes() throws ConfigException {
        NodeConfig dev = NodeConfig.read(examples().resolve("dev.json"));
        assertTrue(dev.devMode());
        assertEquals(NodeConfig.Auth.OPEN, dev.auth().mode());
        assertEquals("127.0.0.1", dev.httpHost());
        assertEquals(List.of("BTC-PERP", "ETH-PERP"), dev.instruments().stream().map(NodeConfig.Instrument::symbol)
                .toList());
        assertEquals(1, dev.markets().indexes().size());
    }

    @Test
    void theProductionVenueIsSignedWithSignedFeeds() throws ConfigException {
        NodeConfig production = NodeConfig.read(examples().resolve("production.json"));
        assertFalse(production.devMode(), "no dev routes on a public node");
        assertTrue(production.auth().signaturesRequired());
        assertEquals(42161, production.auth().chainId());
        for (NodeConfig.Index index : production.markets().indexes()) {
            assertEquals(index.sources().size(), index.sourceKeys().size(), index.symbol());
            for (int source = 0; source < index.sources().size(); source++) {
                assertNotNull(index.sourceKey(source), index.symbol() + " source " + source + " has a feed key");
            }
        }
        assertNotNull(production.markets().indexes().get(0).surfaceFeedKey());
        assertEquals(List.of("api.venue.example"), production.connections().allowedHosts());
        assertNotNull(production.governance());
        assertNotNull(production.fix());
        assertNotNull(production.chain());
        assertFalse(production.markets().optionChains().isEmpty());
    }

    @Test
    void theLoadTestNodeLiftsTheRateLimits() throws ConfigException {
        NodeConfig load = NodeConfig.read(examples().resolve("load-test.json"));
        assertTrue(load.devMode(), "meridian load funds its accounts through the dev deposit route");
        assertEquals(NodeConfig.Auth.OPEN, load.auth().mode(), "meridian load --auth none needs auth mode open");
        assertTrue(load.ordersPerSecondPerAccount() >= 1_000_000);
        assertTrue(load.requestsPerSecondPerConnection() >= 1_000_000);
        assertTrue(load.snapshotReplica(), "snapshots must not pause the engine thread under load");
        assertEquals(9879, load.binary().port(), "meridian load --protocol binary needs the binary order entry");
    }

    @Test
    void aNodeStartsFromTheDevVenue() throws Exception {
        NodeConfig dev = NodeConfig.read(examples().resolve("dev.json"))
                .withDataDirAndPort(temp.resolve("dev").toString(), 0);
        try (Node node = Node.start(dev)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + node.httpPort();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            HttpResponse<String> instruments = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/instruments"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, instruments.statusCode(), instruments.body());
            assertTrue(instruments.body().contains("BTC-PERP") && instruments.body().contains("ETH-PERP"),
                    instruments.body());
        }
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsPath() {
        String json = """
                {
                  "devMode": true,
                  "httpPort": 70000,
                  "durability": "sometimes",
                  "colour": "blue",
                  "maxBodyBytes": "big",
                  "auth": {"mode": "open", "chainId": 0},
                  "assets": [{"id": 0, "symbol": "USDC", "scale": 6}],
                  "instruments": [
                    {"id": 1, "symbol": "BTC-PERP", "base": "BTC", "settle": "USDT", "tickSize": "0.1",
                     "lotSize": "0.001", "markPrice": "50000", "extra": 1},
                    {"id": 1, "symbol": "ETH-PERP", "base": "ETH", "settle": "USDC", "tickSize": "abc",
                     "lotSize": "0.01", "markPrice": "3000"}
                  ]
                }
                """;
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse(json));
        List<Problem> problems = e.problems();
        // The file's shape first (as the parser met them), then the values' checks.
        assertEquals(List.of("colour", "maxBodyBytes", "instruments[0].extra", "httpPort", "durability",
                "auth.chainId", "instruments[0].settle", "instruments[1].id", "instruments[1].tickSize"),
                problems.stream().map(Problem::path).toList(), e.getMessage());
        assertEquals("unknown field 'colour'", problems.get(0).message());
        assertEquals("must be a whole number, was 'big'", problems.get(1).message());
        assertEquals("must be 0..65535, was 70000", problems.get(3).message());
        String message = e.getMessage();
        assertTrue(message.startsWith("9 problems in the config:"), message);
        assertTrue(message.contains(System.lineSeparator() + "  instruments[1].tickSize: not a decimal number: 'abc'"),
                message);
        // A value refused for its type is not checked again (maxBodyBytes keeps its default): one problem per mistake.
        assertEquals(1, problems.stream().filter(p -> p.path().equals("maxBodyBytes")).count());
    }

    @Test
    void theChainAndConnectionsSectionsReportEveryMistakeToo() {
        String json = """
                {
                  "devMode": true,
                  "assets": [{"id": 0, "symbol": "USDC", "scale": 6}],
                  "chain": {"rpcUrl": "ftp://node", "chainId": 0, "vault": "0x12",
                            "assets": {"0x0000000000000000000000000000000000000001": 7}, "confirmations": 0,
                            "operatorKeyFile": "operator.key"},
                  "connections": {"maxConnections": -1, "headerTimeoutMillis": 5, "maxPipelinedRequests": 0,
                                  "allowedOrigins": ["ftp://shop"]}
                }
                """;
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse(json));
        List<String> paths = e.problems().stream().map(Problem::path).toList();
        for (String expected : List.of("chain.rpcUrl", "chain.chainId", "chain.vault",
                "chain.assets.0x0000000000000000000000000000000000000001", "chain.confirmations",
                "connections.maxConnections", "connections.headerTimeoutMillis", "connections.maxPipelinedRequests",
                "connections.allowedOrigins[0]")) {
            assertTrue(paths.contains(expected), expected + " in " + e.getMessage());
        }
    }

    @Test
    void aValueWhereASectionGoesIsOneMistakeAmongOthers() {
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse(
                "{\"devMode\": true, \"fix\": \"on\", \"connections\": [1], \"httpPort\": true, \"assets\": 5}"));
        assertEquals(List.of("fix", "connections", "httpPort", "assets"),
                e.problems().stream().map(Problem::path).toList(), e.getMessage());
        assertTrue(e.getMessage().contains("fix: must be an object, was 'on'"), e.getMessage());
        assertTrue(e.getMessage().contains("assets: must be a list, was 5"), e.getMessage());
    }

    @Test
    void oneMistakeIsReportedAsBefore() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> NodeConfig.parse("{\"devMode\": true, \"httpPort\": -1}"));
        assertEquals("httpPort: must be 0..65535, was -1", e.getMessage());
        assertEquals(List.of(new Problem("httpPort", "must be 0..65535, was -1")), e.problems());
    }

    @Test
    void theNodeCommandListsEveryMistake() throws IOException {
        Path file = temp.resolve("bad.json");
        Files.writeString(file, "{\"devMode\": true, \"httpPort\": 70000, \"durability\": \"x\", \"colour\": 1}");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = NodeMain.run(new String[] {"--config", file.toString()},
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true),
                new java.io.PrintStream(err, true));
        assertEquals(1, code);
        String text = err.toString();
        assertTrue(text.startsWith("node: 3 problems in the config:"), text);
        assertTrue(text.contains("  colour: unknown field 'colour'") && text.contains("  httpPort: must be 0..65535")
                && text.contains("  durability: must be group_commit or none"), text);
    }
}
