package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * REST calls to a node (docs/api.md). Prices and quantities are decimal strings in the instrument's units. Every call
 * returns the answer's JSON or throws {@link ApiException} with the node's code and message. Thread-safe.
 */
public final class MeridianClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http;

    /** @param baseUrl the node, e.g. {@code http://127.0.0.1:8080} */
    public MeridianClient(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String baseUrl() {
        return base;
    }

    HttpClient http() {
        return http;
    }

    /** A new order; {@code clientOrderId} 0 for none. */
    public record Order(long account, int instrument, String side, String type, String price, String quantity,
                        String timeInForce, long clientOrderId) {
        public static Order limit(long account, int instrument, String side, String price, String quantity) {
            return new Order(account, instrument, side, "limit", price, quantity, "gtc", 0);
        }

        public static Order market(long account, int instrument, String side, String quantity) {
            return new Order(account, instrument, side, "market", null, quantity, null, 0);
        }

        public Order withClientOrderId(long id) {
            return new Order(account, instrument, side, type, price, quantity, timeInForce, id);
        }

        public Order withTimeInForce(String tif) {
            return new Order(account, instrument, side, type, price, quantity, tif, clientOrderId);
        }

        ObjectNode json() {
            ObjectNode o = JSON.createObjectNode();
            o.put("account", account).put("instrument", instrument).put("side", side).put("type", type)
                    .put("quantity", quantity);
            if (price != null) {
                o.put("price", price);
            }
            if (timeInForce != null) {
                o.put("timeInForce", timeInForce);
            }
            if (clientOrderId != 0) {
                o.put("clientOrderId", clientOrderId);
            }
            return o;
        }
    }

    public JsonNode health() {
        return get("/health");
    }

    public JsonNode instruments() {
        return get("/v1/instruments");
    }

    public JsonNode book(int instrument, int depth) {
        return get("/v1/book/" + instrument + "?depth=" + depth);
    }

    public JsonNode ticker(int instrument) {
        return get("/v1/ticker/" + instrument);
    }

    public JsonNode account(long account) {
        return get("/v1/accounts/" + account);
    }

    /** Places an order; the answer comes once it is journaled and applied (see docs/api.md for its fields). */
    public JsonNode place(Order order) {
        return send("POST", "/v1/orders", order.json());
    }

    public JsonNode cancel(long account, int instrument, long orderId) {
        return send("DELETE", "/v1/orders/" + orderId + "?account=" + account + "&instrument=" + instrument, null);
    }

    public JsonNode cancelAll(long account) {
        return send("DELETE", "/v1/orders?account=" + account, null);
    }

    /** New price and/or quantity (null keeps it). */
    public JsonNode amend(long account, int instrument, long orderId, String price, String quantity) {
        ObjectNode o = JSON.createObjectNode().put("account", account).put("instrument", instrument);
        if (price != null) {
            o.put("price", price);
        }
        if (quantity != null) {
            o.put("quantity", quantity);
        }
        return send("PUT", "/v1/orders/" + orderId, o);
    }

    public JsonNode setLeverage(long account, int instrument, int leverage) {
        return send("POST", "/v1/settings", JSON.createObjectNode().put("account", account)
                .put("instrument", instrument).put("leverage", leverage));
    }

    /** Dev mode only: credits {@code amount} whole units of {@code asset}. */
    public JsonNode devDeposit(long account, int asset, String amount) {
        return send("POST", "/v1/dev/deposit", JSON.createObjectNode().put("account", account).put("asset", asset)
                .put("amount", amount));
    }

    /** Dev mode only: sets an instrument's mark price (the operator's price feed). */
    public JsonNode devMark(int instrument, String price) {
        return send("POST", "/v1/dev/mark", JSON.createObjectNode().put("instrument", instrument).put("price", price));
    }

    private JsonNode get(String path) {
        return send("GET", path, null);
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        request.method(method, publisher).header("Content-Type", "application/json");
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(response.statusCode(), -1, "not JSON: " + response.body());
        }
        if (response.statusCode() != 200) {
            throw new ApiException(response.statusCode(), json.path("code").asInt(-1), json.path("message").asText());
        }
        return json;
    }
}
