package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Secp256k1PrivateKey;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 429 says which limit was hit, never an internal id (issue 16): before, a signed order over its account's limit was
 * refused with "too many orders for account -8646911284551352320", the bucket's key derived from the signer's address.
 * Now REST and WebSocket both say "too many orders and cancels for this account: at most N a second", and a
 * connection over its limit "too many requests on this connection: at most N a second".
 */
class RateLimitMessageTest extends NodeHttpTest {
    /** A number of seven or more digits, as a bucket key, account id or connection id would show. */
    private static final Pattern LONG_NUMBER = Pattern.compile("-?\\d{7,}");

    @Test
    void refusalsNameTheLimitNotTheBucket() throws Exception {
        SecureRandom random = new SecureRandom(new byte[] {42});
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(random);
        String address = owner.address().toChecksumHex();
        NodeConfig d = NodeConfig.defaults();
        NodeConfig limited = new NodeConfig(temp.resolve("limited").toString(), "127.0.0.1", 0, "none", 0, 4096, true,
                d.assets(), unbandedInstruments(d), 5, 40, NodeConfig.Auth.open());
        try (Node node = Node.start(limited)) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"100000\"}");
            // Fresh signed orders, one after another (a replay of one would be refused before the limit, as a reused
            // nonce): the signer's token runs out after its burst.
            long firstNonce = System.currentTimeMillis();
            HttpResponse<String> refused = null;
            for (int i = 0; i < 30 && refused == null; i++) {
                String body = signedOrderBody(owner, firstNonce + i);
                HttpResponse<String> answer = post("/v1/orders", body);
                if (answer.statusCode() == 429) {
                    refused = answer;
                }
            }
            assertNotNull(refused, "the signer's limit of 5 a second was never reached");
            assertError(refused, 429, "too many orders and cancels for this account: at most 5 a second");
            assertFalse(LONG_NUMBER.matcher(refused.body()).find(), refused.body());

            // Over WebSocket, by account id: the same words.
            TextFrames frames = new TextFrames();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                    + "/ws"), frames).get(10, TimeUnit.SECONDS);
            postOk("/v1/dev/deposit", "{\"account\":7,\"asset\":0,\"amount\":\"100000\"}");
            JsonNode error = null;
            for (int i = 0; i < 30 && error == null; i++) {
                socket.sendText("{\"op\":\"order\",\"id\":" + i + ",\"account\":7,\"instrument\":1,\"side\":\"buy\","
                        + "\"price\":\"40000\",\"quantity\":\"0.001\"}", true).get(5, TimeUnit.SECONDS);
                JsonNode frame = JSON.readTree(frames.frames.poll(10, TimeUnit.SECONDS));
                if ("error".equals(frame.path("type").asText())) {
                    error = frame;
                }
            }
            assertNotNull(error, "the account's limit was never reached over WebSocket");
            assertEquals(429, error.path("code").asInt(), error.toString());
            assertEquals("too many orders and cancels for this account: at most 5 a second",
                    error.path("message").asText());
            socket.abort();

            // A connection over its own limit (40 a second, bursts of 80): one keep-alive connection.
            HttpResponse<String> busy = null;
            for (int i = 0; i < 500 && busy == null; i++) {
                HttpResponse<String> answer = get("/v1/assets");
                if (answer.statusCode() == 429) {
                    busy = answer;
                }
            }
            assertNotNull(busy, "the connection's limit was never reached");
            assertError(busy, 429, "too many requests on this connection: at most 40 a second");
            assertTrue(busy.headers().firstValue("Retry-After").isPresent());
        }
    }
}
