package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request body must be declared {@code application/json} (optionally {@code charset=utf-8}): 415 otherwise, before
 * the body is read (issue 16). Before, any Content-Type or none was read as JSON, so a browser's cross-site "simple"
 * POST ({@code text/plain}, or a form as {@code curl -d} sends) placed an order on an open node.
 */
class ContentTypeTest extends NodeHttpTest {
    private static final String ORDER = "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
            + "\"quantity\":\"0.001\"}";

    @Test
    void bodiesMustBeDeclaredJson() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
            for (String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonp", "application/json; charset=latin1",
                "application/json; boundary=x", "application/json, text/plain", "json", ""}) {
                HttpResponse<String> answer = send("POST", "/v1/orders", ORDER, type);
                assertError(answer, 415, "Content-Type: must be application/json");
            }
            assertError(send("POST", "/v1/orders", ORDER, null), 415, "Content-Type");
            // Every route with a body, and a body on a route without one.
            assertError(send("POST", "/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"1\"}", "text/plain"),
                    415, "Content-Type");
            assertError(send("PUT", "/v1/orders/5", "{\"account\":2,\"instrument\":1,\"price\":\"1\"}", "text/plain"),
                    415, "Content-Type");
            assertError(send("DELETE", "/v1/orders/5?account=2&instrument=1", "{}", "text/plain"), 415,
                    "Content-Type");
            assertEquals(0, JSON.readTree(get("/v1/orders?account=2").body()).size(), "nothing was placed");
            for (String type : new String[] {"application/json", "application/json; charset=utf-8",
                "Application/JSON;Charset=\"UTF-8\"", "application/json ;  charset = utf-8"}) {
                HttpResponse<String> answer = send("POST", "/v1/orders", ORDER, type);
                assertEquals(200, answer.statusCode(), type + ": " + answer.body());
            }
            // A GET without a body needs no Content-Type.
            assertEquals(200, get("/v1/orders?account=2").statusCode());
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(answer.body().startsWith("{"), answer.body());
        return answer;
    }
}
