package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.FeedSignatures;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RiskBounds;
import io.meridian.node.http.AuthRequirement;
import io.meridian.node.http.FeedRoutes;
import io.meridian.node.http.Gateway;
import io.meridian.node.http.Route;
import io.meridian.node.http.Routes;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The REST contract (issue 21): a real node answers a request to every row of the route table ({@link Routes}) and
 * every answer conforms to docs/openapi.yaml, checked strictly by {@link OpenApiContract}: its status is declared for
 * the operation, its content type too, and its JSON body matches the response schema with no field the schema lacks.
 * Each row gets a request that succeeds (valid parameters and body, on a venue with money, orders, trades, an option
 * position, signed feeds, agents and governance) and at least one refused one (a bad parameter or body, an unknown
 * instrument or order, a bad signature; on a second node in auth mode signed, a private read without a read token and
 * a command by account id). The bodies sent must match the document's request schemas too. The list of rows comes
 * from the table, so a row added without a contract case fails here. The settlement rows need a chain: on this node
 * (no chain section) their success case is the documented 404 refusal, also checked against the document.
 */
class RestContractTest extends NodeHttpTest {
    private static final long SEED = 20261221L;
    private static final long MILLI = 1_000_000L;
    /** Rows answered by their documented refusal (404: no chain section) instead of a success: they need a chain. */
    private static final Set<String> NEED_A_CHAIN = Set.of("GET /v1/settlement", "GET /v1/proof/{address}");
    /**
     * Rows that succeed only with the terminal module on the node's classpath (not in this module's tests): their
     * refusal is checked here, their files, types and headers by the terminal module's TerminalBrowserTest.
     */
    private static final Set<String> NEED_THE_TERMINAL = Set.of("GET /", "GET /terminal/{file}",
            "GET /terminal/vendor/{file}");
    private static final AgentSigner[] FEEDS = {signer(1), signer(2), signer(3)};
    private static final AgentSigner SURFACE = signer(9);
    private static final RiskBounds BOUNDS = new RiskBounds(1_000_000, 3_000_000, 2_000_000, 100_000, 60_000);

    private final OpenApiContract contract = OpenApiContract.load();
    private final List<String> problems = new ArrayList<>();
    /** Per row: "ok" once a success was checked, "refused" once a refusal was. */
    private final Map<String, Set<String>> covered = new TreeMap<>();
    /** Per row: the last request that succeeded, replayed with a bad parameter and on the signed node. */
    private final Map<String, Call> succeeded = new LinkedHashMap<>();
    private final Secp256k1PrivateKey[] admins = {key(0x11), key(0x12), key(0x13)};
    private final Secp256k1PrivateKey outsider = key(0x19);
    private long nonce = System.currentTimeMillis();
    private String expiry;

    private static AgentSigner signer(int fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        return AgentSigner.of(seed);
    }

    private static Secp256k1PrivateKey key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Secp256k1PrivateKey.of(bytes);
    }

    /**
     * The demo venue (BTC-PERP priced from the index BTC-USD, ETH-PERP marked by the operator, no price bands) in dev
     * mode, auth mode open, with feed keys for three of the index's four sources, a surface key, a chain of BTC options
     * expiring in about a month, and governance by three admins (two must approve, no timelock).
     */
    private NodeConfig venue() {
        NodeConfig d = NodeConfig.defaults();
        expiry = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(8))
                .toString();
        List<String> keys = Arrays.asList(FEEDS[0].publicKey().toHex(), FEEDS[1].publicKey().toHex(),
                FEEDS[2].publicKey().toHex(), null);
        NodeConfig base = new NodeConfig(temp.resolve("open").toString(), "127.0.0.1", 0, "group_commit", 1_000_000,
                65_536, true, d.assets(), d.instruments().stream().map(in -> in.withPriceBandPpm(0)).toList(), 1_000,
                50_000, NodeConfig.Auth.open(), false, new NodeConfig.Markets(
                        List.of(new NodeConfig.Index(1, "BTC-USD", 2, List.of("a", "b", "c", "manual"), null, keys,
                                SURFACE.publicKey().toHex())),
                        List.of(new NodeConfig.OptionChain("BTC", 1, "USDC", "0.5", "0.01", "1", List.of(expiry),
                                List.of("45000", "50000", "55000"), null, null, null, 100))));
        return base.withGovernance(new NodeConfig.Governance(Arrays.stream(admins)
                .map(k -> k.address().toChecksumHex()).toList(), 2, 0L), null);
    }

    @Test
    void everyRouteAnswersAsDocumented() throws Exception {
        System.out.println("RestContractTest seed " + SEED);
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SEED);
        try (Node node = Node.start(venue())) {
            base = "http://127.0.0.1:" + node.httpPort();
            new OpenVenue(random).run();
            // A parameter no route takes is refused (400) on every row: the refusal every row has.
            for (Map.Entry<String, Call> row : succeeded.entrySet()) {
                Call c = row.getValue();
                String query = c.query.isEmpty() ? "?bogus=1" : c.query + "&bogus=1";
                send(new Call(c.route, c.values, query, c.body, c.headers), 400);
            }
        }
        try (Node node = Node.start(signedConfig(1_000))) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (Route route : table()) {
                String row = route.method() + " " + route.path().text();
                Call c = succeeded.get(row);
                if (c == null) {
                    continue;
                }
                if (route.auth() == AuthRequirement.PRIVATE_READ) {
                    send(c, 401); // no read token
                } else if (route.auth() == AuthRequirement.SIGNED_COMMAND && (c.query.contains("account=")
                        || c.body != null && c.body.contains("\"account\""))) {
                    send(c, 401); // by account id, on a node that takes only signed requests
                }
            }
        }
        List<String> uncovered = new ArrayList<>();
        for (Route route : table()) {
            String row = route.method() + " " + route.path().text();
            Set<String> got = covered.getOrDefault(row, Set.of());
            boolean mayLackSuccess = NEED_A_CHAIN.contains(row) || NEED_THE_TERMINAL.contains(row);
            if (!got.contains("ok") && !mayLackSuccess || !got.contains("refused")) {
                uncovered.add(row + " " + got);
            }
        }
        assertEquals("", String.join("\n", uncovered),
                "rows without a success and a refusal checked against the document");
        assertEquals("", String.join("\n", problems), "answers that do not conform to docs/openapi.yaml");
    }

    private static List<Route> table() {
        return Routes.table(new Gateway(NodeConfig.defaults(), null, Map.of()));
    }

    /** A request of row {@code route} ("METHOD /pattern"), its path parameters in order, query, body and headers. */
    private record Call(String route, List<String> values, String query, String body, Map<String, String> headers) {
        String method() {
            return route.substring(0, route.indexOf(' '));
        }

        String path() {
            String path = route.substring(route.indexOf(' ') + 1);
            for (String value : values) {
                path = path.replaceFirst("\\{[^}]+}", value);
            }
            return path + query;
        }
    }

    /** Sends {@code c}, expecting {@code status}; records every way the answer departs from the document. */
    private JsonNode send(Call c, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + c.path())).method(c.method(),
                c.body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body));
        if (c.body != null) {
            request.header("Content-Type", "application/json");
        }
        c.headers.forEach(request::setHeader);
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String what = c.method() + " " + c.path() + (c.body == null ? "" : " " + c.body);
        if (answer.statusCode() != status) {
            problems.add(what + ": expected " + status + ", got " + answer.statusCode() + " " + answer.body());
        }
        problems.addAll(contract.check(c.route, answer));
        boolean ok = answer.statusCode() / 100 == 2;
        if (ok && c.body != null) {
            problems.addAll(contract.checkRequest(c.route, c.body));
        }
        if (answer.statusCode() == status) {
            covered.computeIfAbsent(c.route, r -> new TreeSet<>()).add(ok ? "ok" : "refused");
            if (ok || NEED_A_CHAIN.contains(c.route) && !c.query.contains("bogus")) {
                succeeded.putIfAbsent(c.route, c);
            }
        }
        String type = answer.headers().firstValue("Content-Type").orElse("");
        return type.startsWith("application/json") ? JSON.readTree(answer.body()) : null;
    }

    /** The steps on the open node: each row's success and its specific refusals. */
    private final class OpenVenue {
        private final SecureRandom random;
        private final Secp256k1PrivateKey owner;
        private final String address;

        OpenVenue(SecureRandom random) {
            this.random = random;
            this.owner = Secp256k1PrivateKey.random(random);
            this.address = owner.address().toChecksumHex();
        }

        private JsonNode get(String route, int status, String query, String... values) throws Exception {
            return send(new Call(route, List.of(values), query, null, Map.of()), status);
        }

        private JsonNode body(String route, int status, String body, String... values) throws Exception {
            return send(new Call(route, List.of(values), "", body, Map.of()), status);
        }

        void run() throws Exception {
            publicReads();
            JsonNode instruments = get("GET /v1/instruments", 200, "");
            String option = null;
            for (JsonNode instrument : instruments) {
                if (instrument.path("kind").asText().equals("option") && instrument.path("strike").asText()
                        .equals("50000") && instrument.path("right").asText().equals("call")) {
                    option = instrument.path("id").asText();
                }
            }
            get("GET /v1/instruments", 200, "?instrument=BTC-PERP");
            get("GET /v1/instruments", 404, "?instrument=NOPE-PERP");
            feeds();
            money();
            trade(option);
            marketData();
            terminal();
            accountReads();
            orders();
            accountChanges();
            governance();
            get("GET /v1/settlement", 404, "");
            get("GET /v1/proof/{address}", 404, "", address);
            get("GET /v1/proof/{address}", 404, "", "0x12");
        }

        private void publicReads() throws Exception {
            get("GET /health", 200, "");
            get("GET /v1/auth", 200, "");
            get("GET /v1/assets", 200, "");
            get("GET /v1/time", 200, "");
            get("GET /metrics", 200, "");
            get("GET /v1/indexes", 200, "");
            get("GET /v1/option-margin", 200, "");
            get("GET /v1/risk-parameters", 200, "");
            get("GET /v1/risk-parameters", 200, "?instrument=ETH-PERP");
            get("GET /v1/risk-parameters", 404, "?instrument=NOPE-PERP");
            get("GET /v1/governance", 200, "");
        }

        private void feeds() throws Exception {
            long t = System.currentTimeMillis() * MILLI - 10 * MILLI;
            for (int source = 0; source < 3; source++) {
                body("POST /v1/oracle", 200, report(source, "50000", t, FEEDS[source]));
            }
            body("POST /v1/oracle", 401, report(1, "50000", t + 1, FEEDS[0]));
            body("POST /v1/oracle", 403, report(3, "50000", t + 1, FEEDS[0]));
            body("POST /v1/oracle", 400, "{\"index\":1,\"source\":0,\"price\":\"50000\",\"timestamp\":" + t + "}");
            body("POST /v1/dev/oracle", 200, "{\"index\":1,\"source\":3,\"price\":\"50000\"}");
            body("POST /v1/dev/oracle", 400, "{\"index\":1,\"source\":3,\"price\":\"fifty\"}");

            long now = System.currentTimeMillis() * MILLI;
            long expiryNanos = Instant.parse(expiry).getEpochSecond() * 1_000_000_000L;
            StringBuilder quotes = new StringBuilder();
            double[][] smile = {{40_000, 0.72}, {45_000, 0.66}, {50_000, 0.62}, {55_000, 0.63}, {60_000, 0.67}};
            for (double[] q : smile) {
                quotes.append(quotes.length() == 0 ? "[" : ",").append("{\"expiry\":").append(expiryNanos)
                        .append(",\"strike\":").append((long) q[0]).append(",\"vol\":").append(q[1]).append('}');
            }
            quotes.append(']');
            String surface = "{\"index\":1,\"timestamp\":" + now + ",\"quotes\":" + quotes + "}";
            String signature = Hex.encode(SURFACE.sign(FeedSignatures.surfaceDigest(MeridianTypes.devDomain(), 1, now,
                    surface.getBytes(StandardCharsets.UTF_8))));
            send(new Call("POST /v1/surface", List.of(), "", surface, Map.of(FeedRoutes.SIGNATURE_HEADER, signature)),
                    200);
            send(new Call("POST /v1/surface", List.of(), "", surface.replace("\"timestamp\":" + now,
                    "\"timestamp\":" + (now + 1)), Map.of(FeedRoutes.SIGNATURE_HEADER, signature)), 401);
            body("POST /v1/dev/surface", 200, "{\"index\":1,\"quotes\":" + quotes + "}");
            get("GET /v1/options", 200, "?index=1");   // the chain, priced now that the surface marks it
            get("GET /v1/options", 404, "?index=99");
            get("GET /v1/options", 400, "");
            body("POST /v1/dev/surface", 400, "{\"index\":1,\"quotes\":" + quotes.toString().replace("0.72", "0")
                    + "}");
            body("POST /v1/dev/mark", 200, "{\"instrument\":\"ETH-PERP\",\"price\":\"3000\"}");
            body("POST /v1/dev/mark", 400, "{\"instrument\":\"NOPE-PERP\",\"price\":\"3000\"}");
        }

        /** A price report of {@code source} signed by {@code feed}. */
        private String report(int source, String price, long timestamp, AgentSigner feed) {
            long units = new java.math.BigDecimal(price).movePointRight(2).longValueExact();
            byte[] signature = feed.sign(FeedSignatures.priceReportDigest(MeridianTypes.devDomain(), 1, source, units,
                    timestamp, -1));
            return "{\"index\":1,\"source\":" + source + ",\"price\":\"" + price + "\",\"timestamp\":" + timestamp
                    + ",\"signature\":\"" + Hex.encode0x(signature) + "\"}";
        }

        private void money() throws Exception {
            body("POST /v1/dev/deposit", 200, "{\"account\":2,\"asset\":0,\"amount\":\"1000000\"}");
            body("POST /v1/dev/deposit", 200, "{\"account\":3,\"asset\":0,\"amount\":\"1000000\"}");
            body("POST /v1/dev/deposit", 200, "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"1000\"}");
            body("POST /v1/dev/deposit", 400, "{\"account\":2,\"asset\":0,\"amount\":\"1.0000001\"}");
        }

        private void trade(String option) throws Exception {
            String order = "\"instrument\":\"BTC-PERP\",\"type\":\"limit\",\"side\":\"%s\",\"price\":\"%s\","
                    + "\"quantity\":\"%s\"";
            body("POST /v1/orders", 200, "{\"account\":2,\"clientOrderId\":7," + String.format(order, "sell", "50000",
                    "0.01") + "}");
            body("POST /v1/orders", 200, "{\"account\":3,\"instrument\":1,\"side\":\"buy\",\"type\":\"market\","
                    + "\"quantity\":\"0.004\"}");
            body("POST /v1/orders", 200, "{\"account\":3,\"instrument\":1,\"side\":\"buy\",\"type\":\"market\","
                    + "\"quantity\":\"0.002\"}");
            body("POST /v1/orders", 200, "{\"account\":2,\"instrument\":1,\"side\":\"sell\",\"type\":\"stop_market\","
                    + "\"triggerPrice\":\"45000\",\"quantity\":\"0.001\",\"reduceOnly\":false}");
            body("POST /v1/orders", 200, "{\"account\":2,\"clientOrderId\":8," + String.format(order, "buy", "40000",
                    "0.002") + "}");
            body("POST /v1/orders", 200, "{\"account\":2,\"instrument\":" + option + ",\"side\":\"sell\","
                    + "\"price\":\"2000\",\"quantity\":\"0.1\"}");
            body("POST /v1/orders", 200, "{\"account\":3,\"instrument\":" + option + ",\"side\":\"buy\","
                    + "\"price\":\"2000\",\"quantity\":\"0.1\"}");
            body("POST /v1/orders", 400, "{\"account\":2," + String.format(order, "up", "40000", "0.001") + "}");
            body("POST /v1/orders", 422, "{\"account\":9," + String.format(order, "buy", "40000", "0.001") + "}");
        }

        /** Without the terminal module (these tests), its rows answer 404 saying so. */
        private void terminal() throws Exception {
            get("GET /", 404, "");
            get("GET /terminal/{file}", 404, "", "app.js");
            get("GET /terminal/vendor/{file}", 404, "", "lightweight-charts.mjs");
        }

        private void marketData() throws Exception {
            get("GET /v1/insurance-fund", 200, "");
            get("GET /v1/insurance-fund/history", 200, "?asset=USDC&interval=change&limit=5");
            get("GET /v1/insurance-fund/history", 200, "?asset=0");
            get("GET /v1/insurance-fund/history", 400, "?asset=NOPE");
            get("GET /v1/insurance-fund/history", 400, "?asset=USDC&interval=1M");
            get("GET /v1/book/{instrument}", 200, "?depth=5", "BTC-PERP");
            get("GET /v1/book/{instrument}", 400, "?depth=0", "BTC-PERP");
            get("GET /v1/book/{instrument}", 404, "", "NOPE-PERP");
            get("GET /v1/ticker", 200, "");
            get("GET /v1/ticker", 404, "?instrument=NOPE-PERP");
            get("GET /v1/ticker/{instrument}", 200, "", "1");
            get("GET /v1/ticker/{instrument}", 404, "", "NOPE-PERP");
            get("GET /v1/trades/{instrument}", 200, "?limit=10", "BTC-PERP");
            get("GET /v1/trades/{instrument}", 400, "?limit=0", "BTC-PERP");
            get("GET /v1/funding/{instrument}", 200, "", "BTC-PERP");
            get("GET /v1/funding/{instrument}", 400, "?limit=x", "BTC-PERP");
            get("GET /v1/candles/{instrument}", 200, "?interval=1m", "BTC-PERP");
            get("GET /v1/candles/{instrument}", 400, "", "BTC-PERP");
        }

        private void accountReads() throws Exception {
            get("GET /v1/accounts/{account}", 200, "", "2");
            get("GET /v1/accounts/{account}", 200, "", address);
            get("GET /v1/accounts/{account}", 400, "", "two");
            get("GET /v1/positions", 200, "?account=2");
            get("GET /v1/positions", 200, "?address=" + address + "&instrument=BTC-PERP");
            get("GET /v1/positions", 400, "?account=two");
            get("GET /v1/balances", 200, "?account=2");
            get("GET /v1/balances", 400, "?address=0x12");
            get("GET /v1/fills", 200, "?account=2&limit=1");
            get("GET /v1/fills", 200, "?account=3&instrument=BTC-PERP");
            get("GET /v1/fills", 400, "?account=2&limit=0");
            get("GET /v1/greeks", 200, "?account=3");
            get("GET /v1/greeks", 400, "?account=-3");
        }

        private void orders() throws Exception {
            JsonNode open = get("GET /v1/orders", 200, "?account=2");
            get("GET /v1/orders", 400, "?account=2&instrument=");
            String resting = null;
            for (JsonNode o : open) {
                if (o.path("clientOrderId").asLong() == 8) {
                    resting = o.path("orderId").asText();
                }
            }
            get("GET /v1/orders/history", 200, "?account=2&limit=2");
            get("GET /v1/orders/history", 400, "?account=2&fromId=1&cursor=x");
            get("GET /v1/orders/{orderId}", 200, "?account=2", resting);
            get("GET /v1/orders/{orderId}", 404, "?account=2", "999999");
            get("GET /v1/orders/by-client-id/{clientOrderId}", 200, "?account=2", "8");
            get("GET /v1/orders/by-client-id/{clientOrderId}", 200, "?account=2", "7");
            get("GET /v1/orders/by-client-id/{clientOrderId}", 404, "?account=2", "999");
            body("PUT /v1/orders/{orderId}", 200, "{\"account\":2,\"instrument\":1,\"price\":\"40100\"}", resting);
            body("PUT /v1/orders/{orderId}", 422, "{\"account\":2,\"instrument\":1,\"price\":\"40100\"}", "999999");
            get("DELETE /v1/orders/{orderId}", 200, "?account=2&instrument=1", resting);
            get("DELETE /v1/orders/{orderId}", 422, "?account=2&instrument=1", resting);
            get("GET /v1/orders/{orderId}", 200, "?account=2", resting);
            body("POST /v1/orders", 200, "{\"account\":2,\"clientOrderId\":\"contract:9/a\",\"instrument\":1,"
                    + "\"side\":\"buy\",\"price\":\"40000\",\"quantity\":\"0.001\"}");
            get("DELETE /v1/orders/by-client-id/{clientOrderId}", 200, "?account=2&instrument=1", "contract:9%2Fa");
            get("DELETE /v1/orders/by-client-id/{clientOrderId}", 422, "?account=2&instrument=1", "contract:9%2Fa");
            get("DELETE /v1/orders", 200, "?account=2");
            get("DELETE /v1/orders", 404, "?account=2&instrument=NOPE-PERP");
            get("DELETE /v1/orders", 400, "?account=two");
        }

        private void accountChanges() throws Exception {
            body("POST /v1/settings", 200, "{\"account\":2,\"instrument\":\"ETH-PERP\",\"leverage\":10}");
            body("POST /v1/settings", 200, "{\"account\":2,\"instrument\":\"ETH-PERP\",\"marginMode\":\"isolated\"}");
            body("POST /v1/settings", 400, "{\"account\":2,\"instrument\":1,\"leverage\":10,\"marginMode\":\"cross\"}");
            body("POST /v1/withdrawals", 200, "{\"account\":2,\"asset\":0,\"amount\":\"1\"}");
            body("POST /v1/withdrawals", 422, "{\"account\":2,\"asset\":0,\"amount\":\"100000000\"}");
            get("GET /v1/withdrawals", 200, "?account=2");
            get("GET /v1/withdrawals", 400, "?account=2&limit=101");

            AgentSigner agent = AgentSigner.random(random);
            Command approve = new Command().reset();
            approve.type = CommandType.APPROVE_AGENT;
            approve.agentName = "bot";
            approve.validUntil = System.currentTimeMillis() + 3_600_000L;
            approve.agentKey = agent.publicKey().toBytes();
            approve.nonce = ++nonce;
            SignedCommands.signAsOwner(approve, MeridianTypes.devDomain(), owner);
            String agentKey = Hex.encode0x(approve.agentKey);
            body("POST /v1/agents", 200, "{\"address\":\"" + address + "\",\"agentKey\":\"" + agentKey
                    + "\",\"name\":\"bot\",\"validUntil\":" + approve.validUntil + ",\"nonce\":" + approve.nonce
                    + ",\"signature\":\"" + Hex.encode0x(approve.signature) + "\"}");
            body("POST /v1/agents", 401, "{\"address\":\"" + address + "\",\"agentKey\":\"" + agentKey
                    + "\",\"name\":\"bot2\",\"validUntil\":" + approve.validUntil + ",\"nonce\":" + (approve.nonce + 1)
                    + ",\"signature\":\"" + Hex.encode0x(approve.signature) + "\"}");
            Command revoke = new Command().reset();
            revoke.type = CommandType.REVOKE_AGENT;
            revoke.agentKey = approve.agentKey;
            revoke.nonce = ++nonce;
            SignedCommands.signAsOwner(revoke, MeridianTypes.devDomain(), owner);
            body("POST /v1/agents/revoke", 200, "{\"address\":\"" + address + "\",\"agentKey\":\"" + agentKey
                    + "\",\"nonce\":" + revoke.nonce + ",\"signature\":\"" + Hex.encode0x(revoke.signature) + "\"}");
            body("POST /v1/agents/revoke", 400, "{\"address\":\"" + address + "\",\"nonce\":" + revoke.nonce
                    + ",\"signature\":\"" + Hex.encode0x(revoke.signature) + "\"}");

            String typed = "{\"address\":\"" + address + "\",\"nonce\":" + (++nonce) + ",\"instrument\":\"BTC-PERP\","
                    + "\"side\":\"buy\",\"price\":\"40000\",\"quantity\":\"0.001\"}";
            body("POST /v1/typed-data/{kind}", 200, typed, "order");
            body("POST /v1/typed-data/{kind}", 200, "{\"address\":\"" + address + "\",\"nonce\":" + (++nonce)
                    + ",\"instrument\":1,\"orderId\":5}", "cancel");
            body("POST /v1/typed-data/{kind}", 200, "{\"address\":\"" + address + "\",\"nonce\":" + (++nonce)
                    + ",\"instrument\":\"BTC-PERP\",\"orderId\":5,\"price\":\"40100\"}", "amend");
            body("POST /v1/typed-data/{kind}", 200, "{\"address\":\"" + address + "\",\"nonce\":" + (++nonce)
                    + "}", "cancel-all");
            body("POST /v1/typed-data/{kind}", 404, typed, "refund");
            send(new Call("POST /v1/typed-data/{kind}", List.of("order"), "", typed,
                    Map.of("Content-Type", "text/plain")), 415);
            body("POST /v1/typed-data/{kind}", 400, typed.replace("\"buy\"", "\"up\""), "order");
        }

        private void governance() throws Exception {
            JsonNode proposed = body("POST /v1/governance/proposals", 200, proposal(admins[0]));
            String id = proposed == null ? "0" : proposed.path("proposalId").asText();
            body("POST /v1/governance/proposals", 401, proposal(outsider));
            body("POST /v1/governance/proposals/{id}/approve", 200, vote(admins[1], CommandType.APPROVE_PROPOSAL,
                    Long.parseLong(id)), id);
            body("POST /v1/governance/proposals/{id}/approve", 422, vote(admins[1], CommandType.APPROVE_PROPOSAL,
                    999_999), "999999");
            JsonNode second = body("POST /v1/governance/proposals", 200, proposal(admins[2]));
            String vetoed = second == null ? "0" : second.path("proposalId").asText();
            get("GET /v1/governance", 200, "");
            body("POST /v1/governance/proposals/{id}/cancel", 200, vote(admins[0], CommandType.CANCEL_PROPOSAL,
                    Long.parseLong(vetoed)), vetoed);
            body("POST /v1/governance/proposals/{id}/cancel", 400, vote(admins[0], CommandType.CANCEL_PROPOSAL,
                    Long.parseLong(vetoed)), "x");
            get("GET /v1/risk-parameters", 200, "");
        }

        private String proposal(Secp256k1PrivateKey admin) {
            Command c = new Command().reset();
            c.type = CommandType.PROPOSE_RISK_BOUNDS;
            c.instrument = 1;
            c.riskBounds = BOUNDS;
            c.nonce = ++nonce;
            SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), admin);
            return "{\"instrument\":1,\"floorPpm\":" + BOUNDS.floorPpm() + ",\"ceilingPpm\":" + BOUNDS.ceilingPpm()
                    + ",\"maxChangePerHourPpm\":" + BOUNDS.maxChangePerHourPpm() + ",\"hysteresisPpm\":"
                    + BOUNDS.hysteresisPpm() + ",\"noticeMillis\":" + BOUNDS.noticeMillis() + signed(c);
        }

        private String vote(Secp256k1PrivateKey admin, CommandType type, long id) {
            Command c = new Command().reset();
            c.type = type;
            c.proposalId = id;
            c.nonce = ++nonce;
            SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), admin);
            return "{" + signed(c).substring(1);
        }

        private String signed(Command c) {
            return ",\"address\":\"" + Hex.encode0x(c.address) + "\",\"nonce\":" + c.nonce + ",\"signature\":\""
                    + Hex.encode0x(c.signature) + "\"}";
        }
    }
}
