package io.meridian.node;

import io.meridian.node.codec.EdgeDecimals;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's decimal exponent bomb against a real node: before, {@code "quantity":"1e-99999999"} answered 400 with a
 * 100 MB body after 2 s ({@code 1e-999999999}: 1 GB and 27 s, the node's heap grew by 2 GB), and {@code "1e999999999"}
 * answered 500 with the Java exception's text. Every decimal now goes through the edge grammar before any arithmetic:
 * each of these is a 400 naming the field, with a short body, at once; and the node still answers afterwards.
 */
class DecimalBombTest extends NodeHttpTest {
    private static final String[] BOMBS = {
        "\"1e-999999999\"", "\"1e999999999\"", "1e-999999999", "1E+999999999", "\"1e-99999999\"", "\"-1e5\"",
        "\" 0.001\"", "\"0.001\\u0000\"", "\"0.001 \"", "\"+1\"", "\".5\"", "\"1.\"", "\"\"", "\"0x10\"",
        "\"" + "9".repeat(41) + "\"", "\"NaN\"", "\"Infinity\"", "true", "[1]", "{\"a\":1}",
    };

    @Test
    void exponentsAndMalformedDecimalsAreRefusedCheaplyWithABoundedAnswer() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (String bomb : BOMBS) {
                for (String field : new String[] {"quantity", "price"}) {
                    String other = field.equals("quantity") ? "\"price\":\"50000\"" : "\"quantity\":\"0.001\"";
                    long start = System.nanoTime();
                    HttpResponse<String> answer = post("/v1/orders", "{\"account\":2,\"instrument\":1,"
                            + "\"side\":\"buy\"," + other + ",\"" + field + "\":" + bomb + "}");
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(400, answer.statusCode(), field + "=" + bomb + ": " + answer.body());
                    assertTrue(answer.body().contains(field), field + "=" + bomb + ": " + answer.body());
                    assertTrue(answer.body().length() < 300, field + "=" + bomb + ": a " + answer.body().length()
                            + "-character answer");
                    assertTrue(millis < 2_000, field + "=" + bomb + " took " + millis + " ms");
                }
            }
            // A duplicate key is refused, not silently resolved to one of its values.
            assertError(post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"1\","
                    + "\"quantity\":\"0.001\",\"quantity\":\"1000\"}"), 400, "malformed JSON");
            // An unknown field's name is echoed at most 40 characters long.
            HttpResponse<String> longName = post("/v1/orders", "{\"" + "x".repeat(2_000) + "\":1}");
            assertEquals(400, longName.statusCode());
            assertTrue(longName.body().length() < 300, longName.body());
            // The same order with plain decimals still reaches the engine.
            HttpResponse<String> plain = post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"50000\",\"quantity\":\"0.001\"}");
            assertTrue(plain.statusCode() == 200 || plain.statusCode() == 422, plain.body());
            assertEquals(200, get("/health").statusCode());
        }
    }

    @Test
    void echoIsBoundedAndPrintable() {
        assertEquals("'abc'", EdgeDecimals.echo("abc"));
        assertEquals("'" + "x".repeat(40) + "...'", EdgeDecimals.echo("x".repeat(1_000)));
        assertEquals("'a?b'", EdgeDecimals.echo("a\u0000b"));
        assertEquals("null", EdgeDecimals.echo(null));
    }
}
