package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.node.metrics.MetricsSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code GET /metrics} against a real node (docs/operations.md, "Metrics"): the Prometheus text format, parsed here
 * line by line (every sample of a family has its {@code # TYPE}, values are numbers, a histogram's buckets are
 * cumulative and end at {@code +Inf} with its count), and the counters moving as orders are answered and refused,
 * connections and WebSocket streams open and close, subscriptions are refused and rate limits refuse requests; who may
 * read it by the config's {@code metrics} section.
 */
class MetricsTest extends NodeHttpTest {
    /** {@code name{labels} value}: one sample line of the text format. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\\w+)$");

    /** A scrape parsed: every sample by {@code name{labels}} as written, and every family's type. */
    record Scrape(Map<String, Double> samples, Map<String, String> types) {
        double value(String series) {
            Double v = samples.get(series);
            assertNotNull(v, "no sample " + series + " in " + samples.keySet());
            return v;
        }
    }

    /** Parses the text format strictly enough to catch a malformed exposition. */
    static Scrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ")) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                types.put(type.group(1), type.group(2));
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), "not a sample line: " + line);
            String name = sample.group(1);
            String family = name.replaceFirst("_(bucket|count|sum|total|max)$", "");
            assertTrue(types.containsKey(name) || types.containsKey(family), "a sample before its TYPE: " + line);
            String value = sample.group(3);
            double v = value.equals("+Inf") ? Double.POSITIVE_INFINITY : value.equals("NaN") ? Double.NaN
                    : Double.parseDouble(value);
            assertEquals(null, samples.put(name + (sample.group(2) == null ? "" : sample.group(2)), v), line);
        }
        return new Scrape(samples, types);
    }

    /** Scrapes on a connection of its own (the test's own requests must not spend its rate-limit tokens). */
    private Scrape scrape() throws Exception {
        HttpResponse<String> answer = scrapeAnswer(null);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", answer.headers().firstValue("Content-Type")
                .orElse(""));
        return parse(answer.body());
    }

    private HttpResponse<String> scrapeAnswer(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/metrics")).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return scraper.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The scrapes' own client (and connection). */
    private final HttpClient scraper = HttpClient.newHttpClient();

    /** Scrapes until {@code wanted} holds (scrapes within 250 ms share one rendering), for at most 10 s. */
    private Scrape await(String what, Predicate<Scrape> wanted) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Scrape last = null;
        while (System.nanoTime() < deadline) {
            last = scrape();
            if (wanted.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        fail(what + "; last scrape: " + last.samples());
        return null;
    }

    @Test
    void countersMoveWithOrdersRejectsConnectionsSubscriptionsAndRateLimits() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        // 5 orders a second per account, 40 requests a second per connection (bursts of twice that).
        NodeConfig limited = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 4096,
                true, d.assets(), unbandedInstruments(d), 5, 40, NodeConfig.Auth.open());
        System.setProperty("meridian.marketData.maxSubscriptionsPerConnection", "2");
        Node started;
        try {
            started = Node.start(limited);
        } finally {
            System.clearProperty("meridian.marketData.maxSubscriptionsPerConnection");
        }
        try (Node node = started) {
            base = "http://127.0.0.1:" + node.httpPort();
            Scrape before = scrape();
            for (String family : new String[] {"meridian_commands_total", "meridian_rejects_total",
                "meridian_engine_queue_depth", "meridian_connections", "meridian_subscriptions",
                "meridian_rate_limit_refusals_total", "meridian_engine_stalled_seconds"}) {
                String base = family.replaceFirst("_total$", "");
                assertTrue(before.types().containsKey(family) || before.types().containsKey(base),
                        family + " in " + before.types().keySet());
            }
            assertEquals("histogram", before.types().get("meridian_command_latency_seconds"));
            assertEquals("histogram", before.types().get("meridian_journal_fsync_seconds"));
            assertEquals("histogram", before.types().get("meridian_engine_queue_wait_seconds"));
            assertEquals(16384, before.value("meridian_engine_queue_capacity"));
            String placed = "meridian_commands_total{type=\"PLACE_ORDER\"}";
            String insufficient = "meridian_rejects_total{code=\"7001\",reason=\"INSUFFICIENT_MARGIN\"}";
            String latencyCount = "meridian_command_latency_seconds_count";

            // An accepted order and one the engine refuses (an account without collateral).
            postOk("/v1/dev/deposit", "{\"account\":7,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/orders", "{\"account\":7,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                    + "\"quantity\":\"0.001\"}");
            HttpResponse<String> refused = post("/v1/orders", "{\"account\":8,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"40000\",\"quantity\":\"0.001\"}");
            assertEquals(422, refused.statusCode(), refused.body());
            assertEquals(7001, JSON.readTree(refused.body()).get("code").asInt(), refused.body());
            Scrape after = await("the orders counted", s -> s.value(placed) >= before.value(placed) + 2
                    && s.value(insufficient) == before.value(insufficient) + 1);
            assertTrue(after.value(latencyCount) >= before.value(latencyCount) + 3, "deposit and two orders timed");
            assertEquals(after.value(latencyCount), after.value("meridian_command_latency_seconds_bucket{le=\"+Inf\"}"));
            assertTrue(after.value("meridian_command_latency_seconds_sum") > 0);
            assertTrue(after.value("meridian_journal_fsync_seconds_count") >= 3, "one fsync per group commit");
            assertTrue(after.value("meridian_engine_queue_wait_seconds_count") >= 3);
            assertCumulative(after, "meridian_command_latency_seconds");
            assertCumulative(after, "meridian_journal_fsync_seconds");
            assertTrue(after.value("meridian_engine_sequence") >= 3);

            // A WebSocket: a connection, two streams (the cap here), a third refused; closed, all gone.
            String book = "meridian_subscriptions{channel=\"book\"}";
            String trades = "meridian_subscriptions{channel=\"trades\"}";
            String subscriptionsRefused = "meridian_subscriptions_refused_total";
            try (JsonSocket socket = new JsonSocket(http, node.httpPort())) {
                socket.send("{\"op\":\"subscribe\",\"instrument\":1,\"id\":1}");
                socket.next(n -> "snapshot".equals(n.path("type").asText()));
                socket.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":1,\"id\":2}");
                socket.next(n -> "subscribed".equals(n.path("type").asText()));
                socket.send("{\"op\":\"subscribe\",\"channel\":\"ticker\",\"instrument\":1,\"id\":3}");
                JsonNode error = socket.next(n -> "error".equals(n.path("type").asText()));
                assertEquals(429, error.path("code").asInt(), error.toString());
                Scrape open = await("the streams counted", s -> s.value(book) == 1 && s.value(trades) == 1
                        && s.value(subscriptionsRefused) == before.value(subscriptionsRefused) + 1);
                assertTrue(open.value("meridian_websocket_connections") >= 1, open.samples().toString());
                assertTrue(open.value("meridian_connections") >= 2, "the WebSocket and the scrape's own");
            }
            await("the streams and the WebSocket gone", s -> s.value(book) == 0 && s.value(trades) == 0
                    && s.value("meridian_websocket_connections") == 0);

            // Rate limits: an account's orders, then a connection's requests.
            String orders = "meridian_rate_limit_refusals_total{limit=\"account_orders\"}";
            String requests = "meridian_rate_limit_refusals_total{limit=\"connection_requests\"}";
            int ordersRefused = 0;
            for (int i = 0; i < 40 && ordersRefused == 0; i++) {
                HttpResponse<String> answer = post("/v1/orders", "{\"account\":7,\"instrument\":1,\"side\":\"buy\","
                        + "\"price\":\"40000\",\"quantity\":\"0.001\"}");
                ordersRefused += answer.statusCode() == 429 ? 1 : 0;
            }
            assertEquals(1, ordersRefused, "the account's limit was never reached");
            int requestsRefused = 0;
            for (int i = 0; i < 500 && requestsRefused == 0; i++) {
                requestsRefused += get("/v1/assets").statusCode() == 429 ? 1 : 0;
            }
            assertEquals(1, requestsRefused, "the connection's limit was never reached");
            await("the refusals counted", s -> s.value(orders) == before.value(orders) + 1
                    && s.value(requests) >= before.value(requests) + 1);
        }
    }

    /** A histogram's buckets never decrease and its +Inf bucket is its count. */
    private static void assertCumulative(Scrape s, String histogram) {
        double previous = 0;
        for (Map.Entry<String, Double> sample : s.samples().entrySet()) {
            if (sample.getKey().startsWith(histogram + "_bucket{")) {
                assertTrue(sample.getValue() >= previous, sample.toString());
                previous = sample.getValue();
            }
        }
        assertEquals(s.value(histogram + "_count"), previous, histogram);
    }

    @Test
    void whoMayReadThemIsTheConfigs() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig production = new NodeConfig(temp.resolve("production").toString(), "127.0.0.1", 0, "group_commit",
                0, 4096, false, d.assets(), unbandedInstruments(d));
        try (Node node = Node.start(production)) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertError(scrapeAnswer(null), 401, "metrics are not public on this node and it has no metrics token");
        }
        String token = "s3cret-metrics-token-0123456789";
        try (Node node = Node.start(production.withMetrics(new MetricsSettings(true, false, token)))) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertError(scrapeAnswer(null), 401, "metrics need Authorization: Bearer");
            assertError(scrapeAnswer("Bearer wrong-token-0123456789"), 401, "metrics need Authorization: Bearer");
            HttpResponse<String> answer = scrapeAnswer("Bearer " + token);
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(parse(answer.body()).types().containsKey("meridian_command_latency_seconds"));
        }
        try (Node node = Node.start(config().withMetrics(new MetricsSettings(false, true, null)))) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertError(scrapeAnswer(null), 404, "no route GET /metrics");
        }
    }

    @Test
    void theConfigSection() throws Exception {
        assertEquals(new MetricsSettings(true, false, null),
                NodeConfig.read(java.nio.file.Path.of("../config/examples/production.json")).metrics());
        assertEquals(new MetricsSettings(true, true, null), NodeConfig.parse("{\"devMode\":true,\"auth\":"
                + "{\"mode\":\"open\"}}").metrics());
        assertEquals(new MetricsSettings(false, true, "0123456789abcdef"), NodeConfig.parse(
                "{\"devMode\":true,\"auth\":{\"mode\":\"open\"},\"metrics\":{\"enabled\":false,\"public\":true,"
                + "\"token\":\"0123456789abcdef\"}}").metrics());
        assertConfigsRefused(new String[][] {
            {"{\"metrics\":{\"token\":\"short\"}}", "metrics.token: must be at least 16 printable ASCII"},
            {"{\"metrics\":{\"public\":\"yes\"}}", "metrics.public: must be true or false"},
            {"{\"metrics\":{\"colour\":1}}", "unknown field 'colour'"},
        });
    }
}
