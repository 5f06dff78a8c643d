package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the gateway's decoders with mutations of valid requests (fields dropped, duplicated, retyped, given huge,
 * negative or over-precise numbers, bad hex in signature fields, unknown fields, truncated or nested JSON, raw bytes),
 * over REST and over one WebSocket. Every answer must be a clean refusal or a real result: a known status with a JSON
 * {@code {code, message}} body, never a 5xx other than 503-overload, never a dropped connection; the WebSocket survives
 * every bad frame and still acknowledges a good order at the end; the node stays healthy.
 */
class GatewayFuzzTest {
    private static final Set<Integer> STATUSES = Set.of(200, 400, 401, 404, 405, 413, 422, 429);
    private static final String[] ORDER_TEMPLATES = {
        "{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"type\":\"limit\",\"price\":\"49000\",\"quantity\":\"0.01\"}",
        "{\"account\":1,\"instrument\":2,\"side\":\"sell\",\"type\":\"market\",\"quantity\":\"0.1\",\"clientOrderId\":7}",
        "{\"address\":\"0x000000000000000000000000000000000000dEaD\",\"nonce\":1,\"signature\":\"0x"
                + "11".repeat(65) + "\",\"instrument\":1,\"side\":\"buy\",\"price\":\"1\",\"quantity\":\"0.001\"}",
        "{\"address\":\"0x000000000000000000000000000000000000dEaD\",\"nonce\":1,\"signature\":\"0x" + "22".repeat(64)
                + "\",\"agentKey\":\"0x" + "33".repeat(32) + "\",\"instrument\":1,\"side\":\"sell\",\"price\":\"2\","
                + "\"quantity\":\"0.001\"}",
    };
    private static final String[][] OTHER_TEMPLATES = {
        {"/v1/settings", "{\"account\":1,\"instrument\":1,\"leverage\":5}"},
        {"/v1/withdrawals", "{\"account\":1,\"asset\":0,\"amount\":\"1\"}"},
        {"/v1/agents", "{\"address\":\"0x000000000000000000000000000000000000dEaD\",\"agentKey\":\"0x" + "44".repeat(32)
                + "\",\"name\":\"x\",\"validUntil\":1,\"nonce\":1,\"signature\":\"0x" + "55".repeat(65) + "\"}"},
        {"/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"10\"}"},
    };
    private static final String[] NASTY_VALUES = {
        "null", "true", "-1", "0", "1e400", "99999999999999999999999", "\"1.000000000001\"", "\"-0.5\"", "[]", "{}",
        "\"\"", "\"0x\"", "\"0xzz\"", "\"0x" + "ab".repeat(21) + "\"", "\"\\u0000\"", "{\"a\":{\"b\":[1,{}]}}",
        "9223372036854775808", "-9223372036854775809", "\"NaN\"", "1.5", "\"buy \"",
    };

    @TempDir
    Path temp;

    @Test
    void malformedRequestsAreRefusedCleanlyAndNothingBreaks() throws Exception {
        long seed = 77_001;
        System.out.println("GatewayFuzzTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "none", 0, 4096, true,
                d.assets(), NodeHttpTest.unbandedInstruments(d));
        HttpClient http = HttpClient.newHttpClient();
        try (Node node = Node.start(config)) {
            String base = "http://127.0.0.1:" + node.httpPort();
            post(http, base, "/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            int refused = 0;
            for (int i = 0; i < 1_500; i++) {
                String path;
                String template;
                if (random.nextInt(3) > 0) {
                    path = "/v1/orders";
                    template = ORDER_TEMPLATES[random.nextInt(ORDER_TEMPLATES.length)];
                } else {
                    String[] other = OTHER_TEMPLATES[random.nextInt(OTHER_TEMPLATES.length)];
                    path = other[0];
                    template = other[1];
                }
                String body = mutate(template, random);
                HttpResponse<String> response = post(http, base, path, body);
                assertClean(response.statusCode(), response.body(), path + " " + body);
                refused += response.statusCode() == 200 ? 0 : 1;
            }
            assertTrue(refused > 1_000, "most mutations are refused: " + refused);
            for (String query : new String[] {"?account=x", "?account=1&instrument=99999999999", "?address=0x12",
                "?address=0x000000000000000000000000000000000000dEaD&nonce=abc&signature=0x00", "?account=-5", ""}) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/orders/5"
                        + query)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertClean(response.statusCode(), response.body(), "DELETE " + query);
            }

            TextFrames listener = new TextFrames();
            LinkedBlockingQueue<String> frames = listener.frames;
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                    + "/ws"), listener).join();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String template = ORDER_TEMPLATES[random.nextInt(ORDER_TEMPLATES.length)];
                String message = random.nextInt(10) == 0 ? randomBytes(random)
                        : mutate(template.replaceFirst("\\{", "{\"op\":\"" + (random.nextBoolean() ? "order" : "cancel")
                        + "\","), random);
                sent.add(message);
                socket.sendText(message, true).join();
            }
            socket.sendText("{\"op\":\"order\",\"id\":424242,\"account\":1,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"40000\",\"quantity\":\"0.001\"}", true).join();
            String ack = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ack == null && System.nanoTime() < deadline) {
                String frame = frames.poll(1, TimeUnit.SECONDS);
                if (frame != null && frame.contains("\"id\":424242")) {
                    ack = frame;
                } else if (frame != null) {
                    assertTrue(frame.contains("\"type\":\"error\"") || frame.contains("\"type\":\"reject\"")
                            || frame.contains("\"type\":\"ack\""), frame);
                    assertTrue(!frame.contains("\"type\":\"error\"") || frame.contains("\"code\""), frame);
                }
            }
            assertNotNull(ack, "the socket survived " + sent.size() + " fuzzed frames and still answers");
            assertTrue(ack.contains("\"type\":\"ack\""), ack);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            socket.abort();
        }
    }

    private static void assertClean(int status, String body, String request) {
        assertTrue(STATUSES.contains(status) || status == 503, status + " for " + request + ": " + body);
        if (status != 200) {
            assertTrue(body.startsWith("{\"code\":") && body.contains("\"message\":")
                    || status == 422 && body.contains("\"code\":"), status + " for " + request + ": " + body);
        }
    }

    private static HttpResponse<String> post(HttpClient http, String base, String path, String body) throws Exception {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.get(20, TimeUnit.SECONDS);
    }

    /** One to three mutations of a JSON object template. */
    static String mutate(String template, SplittableRandom random) {
        String json = template;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            List<int[]> values = valueSpans(json);
            switch (random.nextInt(8)) {
                case 0 -> { // replace a value
                    int[] span = values.get(random.nextInt(values.size()));
                    json = json.substring(0, span[0]) + NASTY_VALUES[random.nextInt(NASTY_VALUES.length)]
                            + json.substring(span[1]);
                }
                case 1 -> json = json.substring(0, random.nextInt(json.length())); // truncate
                case 2 -> json = json.replaceFirst("\\{", "{\"unknownField\":1,"); // unknown field
                case 3 -> { // drop a field
                    int[] span = values.get(random.nextInt(values.size()));
                    int keyStart = json.lastIndexOf(',', span[0]);
                    int from = keyStart < 0 ? json.indexOf('{') + 1 : keyStart;
                    json = json.substring(0, from) + json.substring(span[1]);
                }
                case 4 -> json = "[" + json + "]"; // wrong top-level type
                case 5 -> { // flip a character
                    char[] chars = json.toCharArray();
                    chars[random.nextInt(chars.length)] = (char) random.nextInt(32, 127);
                    json = new String(chars);
                }
                case 6 -> json = json.replace("\"quantity\":\"", "\"quantity\":\"0.00000000" + random.nextInt(1, 9));
                default -> json = json.replace("0x", "0x" + "f".repeat(random.nextInt(1, 4)));
            }
            if (json.isEmpty() || valueSpans(json).isEmpty()) {
                break;
            }
        }
        return json;
    }

    /** Start and end of each value after a {@code ":"} in a flat JSON object (strings, numbers, literals). */
    private static List<int[]> valueSpans(String json) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while ((i = json.indexOf("\":", i)) >= 0) {
            int start = i + 2;
            int end = start;
            if (end < json.length() && json.charAt(end) == '"') {
                end = json.indexOf('"', end + 1);
                end = end < 0 ? json.length() : end + 1;
            } else {
                while (end < json.length() && ",}".indexOf(json.charAt(end)) < 0) {
                    end++;
                }
            }
            spans.add(new int[] {start, end});
            i = end;
        }
        return spans;
    }

    private static String randomBytes(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(1, 200);
        for (int i = 0; i < n; i++) {
            sb.append((char) random.nextInt(1, 0x2FF));
        }
        return sb.toString();
    }
}
