package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No exception text reaches a client (issue 16): before, a malformed percent-escape in a query answered 500 with the
 * Java exception's text (and the input, unbounded) or dropped the connection; a stopped engine answered 503 with its
 * exception's text; a surface with an extreme volatility was never answered; a malformed body's 400 quoted the parser's
 * message with up to 256 characters of the input. Now: malformed escapes are a 400, the surface a 400 naming the
 * quotes, the parser's message the gateway's own, and a fault of the node an answer with an opaque error id that the
 * log has with the detail.
 */
class FaultAnswersTest extends NodeHttpTest {
    private static final Pattern ERROR_ID = Pattern.compile("error id ([0-9a-f]{16})");

    @Test
    void malformedEscapesAndBodiesAreRefusedInTheGatewaysOwnWords() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (String target : new String[] {"/v1/orders/1?account=%zz&instrument=1", "/v1/positions?account=%zz",
                "/v1/book/%zz", "/v1/orders?account=1&instrument=%4"}) {
                for (String method : new String[] {"GET", "DELETE"}) {
                    String answer = raw(node.httpPort(), method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    assertTrue(answer.startsWith("HTTP/1.1 400 "), method + " " + target + ": " + answer);
                    assertTrue(answer.contains("malformed percent-encoding"), answer);
                    assertNoJavaText(answer);
                }
            }
            String junk = "x".repeat(500);
            HttpResponse<String> malformed = post("/v1/orders", "{\"account\":" + junk + "}");
            assertError(malformed, 400, "malformed JSON: unexpected text at line 1, column ");
            assertFalse(malformed.body().contains("x".repeat(41)), malformed.body());
            assertError(post("/v1/orders", "{\"account\":1"), 400, "malformed JSON: unexpected end of input");
            assertError(post("/v1/orders", "{\"account\":1,\"account\":2}"), 400, "malformed JSON: duplicate key 'account'");
            assertEquals(200, get("/health").statusCode());
        }
    }

    @Test
    void aSurfaceThatPricesNothingIsRefusedNotLeftUnanswered() throws Exception {
        // The built-in venue: an index with three sources and BTC options on it.
        try (Node node = Node.start(NodeConfig.defaults().withDataDirAndPort(temp.resolve("venue").toString(), 0))) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (int source = 0; source < 3; source++) {
                postOk("/v1/dev/oracle", "{\"index\":1,\"source\":" + source + ",\"price\":\"50000\"}");
            }
            long expiry = JSON.readTree(get("/v1/instruments").body()).findValues("expiryNanos").get(0).asLong();
            String[][] vols = {{"1e300", "quotes: "}, {"10.5", "quotes: "}, {"-1", "quotes: "}, {"0", "quotes: "},
                {"\"NaN\"", "vol: not a plain decimal"}, {"\"Infinity\"", "vol: not a plain decimal"}};
            for (String[] c : vols) {
                String vol = c[0];
                StringBuilder quotes = new StringBuilder();
                for (int strike = 40_000; strike <= 60_000; strike += 5_000) {
                    quotes.append(quotes.length() == 0 ? "" : ",").append("{\"expiry\":").append(expiry)
                            .append(",\"strike\":\"").append(strike).append("\",\"vol\":").append(vol).append('}');
                }
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/dev/surface"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"index\":1,\"quotes\":[" + quotes + "]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertError(answer, 400, c[1]);
                assertNoJavaText(answer.body());
            }
        }
    }

    @Test
    void aStoppedEngineIsReportedWithAnErrorIdThatTheLogExplains() throws Exception {
        AtomicReference<Throwable> told = new AtomicReference<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        try (Node node = Node.start(config(), told::set)) {
            base = "http://127.0.0.1:" + node.httpPort();
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            // A command the journal cannot take (larger than a record may be): the engine thread stops.
            io.meridian.model.Command huge = new io.meridian.model.Command().reset();
            huge.type = io.meridian.model.CommandType.ADD_ASSET;
            huge.assetSpec = new io.meridian.model.AssetSpec(9, "X".repeat(2 << 20), 2);
            node.engine().submit(huge, result -> { });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (told.get() == null) {
                assertTrue(System.nanoTime() < deadline, "the failure was not reported");
                Thread.sleep(5);
            }
            stderr.println("FaultAnswersTest: the engine stopped with " + told.get());
            for (String path : new String[] {"/health", "/v1/positions?account=1", "/v1/book/1",
                "/v1/accounts/0x000000000000000000000000000000000000dEaD"}) {
                HttpResponse<String> answer = get(path);
                assertError(answer, 503, "the engine has stopped");
                assertNoJavaText(answer.body());
                Matcher id = ERROR_ID.matcher(answer.body());
                assertTrue(id.find(), answer.body());
                String logged = log.toString(StandardCharsets.UTF_8);
                assertTrue(logged.contains("error id " + id.group(1)), "the log names the id: " + logged);
                assertTrue(logged.contains("engine thread failed"), "and the detail: " + logged);
            }
        } finally {
            System.setErr(stderr);
        }
    }

    /** No Java exception's text: class names, "Exception", stack frames. */
    static void assertNoJavaText(String answer) {
        for (String leak : new String[] {"Exception", "java.", "io.meridian", "\tat ", "engine thread failed"}) {
            assertFalse(answer.contains(leak), "'" + leak + "' in " + answer);
        }
    }

    /** Sends raw bytes (targets a URI class would refuse) and reads until closed or two seconds of silence. */
    static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    if (out.toString(StandardCharsets.ISO_8859_1).contains("}")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                // the connection stayed open: what arrived is the answer
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
