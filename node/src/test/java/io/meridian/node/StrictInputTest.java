package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.node.codec.Codes;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strict input at the edge (issue 16), against a real node. Before: whole-number fields took {@code " 2"},
 * {@code "2\u0000"}, {@code "+2"}, {@code "02"} and {@code ""} (as null) and truncated {@code 2.7} to 2; booleans took
 * {@code "true"} and {@code 1}; text fields took numbers and control characters, so an agent key was approved (and
 * journaled) under a name holding a NUL, and a WebSocket {@code "channel":"book\u0000"} subscribed to the book; client
 * text was echoed unbounded. Now each is a 400 (or an error frame) naming the field and saying why.
 */
class StrictInputTest extends NodeHttpTest {
    private static final String ORDER = "\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\",\"quantity\":\"0.001\"";

    @Test
    void paddedNumbersControlCharactersAndCoercionsAreRefusedOverRest() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/orders", "{\"account\":2," + ORDER + "}");
            postOk("/v1/orders", "{\"account\":\"2\"," + ORDER + "}");
            String[][] refused = {
                {"\"account\":\" 2\"", "account: not a whole number"},
                {"\"account\":\"2\\u0000\"", "account: not a whole number"},
                {"\"account\":\"2 \"", "account: not a whole number"},
                {"\"account\":\"+2\"", "account: not a whole number"},
                {"\"account\":\"02\"", "account: not a whole number"},
                {"\"account\":\"\"", "account: not a whole number"},
                {"\"account\":2.7", "account: must be a whole number"},
                {"\"account\":2,\"clientOrderId\":7.9", "clientOrderId: must be a whole number"},
                {"\"account\":2,\"clientOrderId\":\"\\t7\"", "clientOrderId: character 1 is not allowed"},
                {"\"account\":2,\"postOnly\":\"true\"", "postOnly: must be true, false"},
                {"\"account\":2,\"reduceOnly\":1", "reduceOnly: must be true or false"},
                {"\"account\":2,\"timeInForce\":\"gtc\\u0000\"", "timeInForce: control characters"},
                {"\"account\":2,\"timeInForce\":\"gtc\u007f\"", "timeInForce: control characters"},
                {"\"account\":2,\"type\":\"limit\\u001f\"", "type: control characters"},
                {"\"account\":2,\"timeInForce\":5", "timeInForce: must be a string"},
            };
            for (String[] c : refused) {
                assertError(post("/v1/orders", "{" + c[0] + "," + ORDER + "}"), 400, c[1]);
            }
            // The side comes after the other fields in ORDER: its own field wins as a duplicate would not.
            assertError(post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\\u0000\",\"price\":\"40000\","
                    + "\"quantity\":\"0.001\"}"), 400, "side: control characters");
            // Padded and otherwise impure decimals (EdgeDecimals' grammar), in every decimal field.
            for (String decimal : new String[] {"\" 0.001\"", "\"0.001\\u0000\"", "\"0.001 \"", "\"\\t0.001\"",
                "\"0.001\\n\"", "\"+0.001\""}) {
                assertError(post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                        + "\"quantity\":" + decimal + "}"), 400, "quantity: not a plain decimal");
                assertError(post("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":" + decimal + "}"), 400,
                        "amount: not a plain decimal");
            }
            // Query parameters and paths: a control character is named, not read as something else.
            assertError(get("/v1/balances?account=2%00"), 400, "account: control characters");
            assertError(get("/v1/book/1%07"), 400, "request target: control characters");
            assertError(get("/v1/orders?account=+2"), 400, "account: not a whole number");
            // Client text is echoed at most 40 characters long.
            HttpResponse<String> longSide = post("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\""
                    + "s".repeat(3_000) + "\",\"price\":\"40000\",\"quantity\":\"0.001\"}");
            assertError(longSide, 400, "side: must be buy or sell");
            assertTrue(longSide.body().length() < 200, longSide.body());
            HttpResponse<String> longPath = get("/v1/" + "p".repeat(1_000));
            assertError(longPath, 404, "no route GET /v1/ppp");
            assertTrue(longPath.body().length() < 200, longPath.body());
        }
    }

    @Test
    void anAgentNameWithAControlCharacterIsRefusedBeforeItIsSigned() throws Exception {
        SecureRandom random = new SecureRandom(new byte[] {7});
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(random);
        String address = owner.address().toChecksumHex();
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"10\"}");
            for (String name : new String[] {"bot\u0000", "bot\u001b[2J", "bot\u007f"}) {
                Command c = new Command().reset();
                c.type = CommandType.APPROVE_AGENT;
                c.agentName = name;
                c.validUntil = System.currentTimeMillis() + 3_600_000L;
                c.agentKey = AgentSigner.random(random).publicKey().toBytes();
                c.nonce = System.currentTimeMillis() + name.length();
                SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), owner);
                String body = "{\"address\":\"" + address + "\",\"agentKey\":\"" + Hex.encode0x(c.agentKey)
                        + "\",\"name\":" + JSON.writeValueAsString(name) + ",\"validUntil\":" + c.validUntil
                        + ",\"nonce\":" + c.nonce + ",\"signature\":\"" + Hex.encode0x(c.signature) + "\"}";
                assertError(post("/v1/agents", body), 400, "name: control characters");
            }
        }
    }

    @Test
    void aWebSocketMessageWithPaddingOrAControlCharacterGetsAnErrorFrame() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
            TextFrames frames = new TextFrames();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                    + "/ws"), frames).get(10, TimeUnit.SECONDS);
            String[][] refused = {
                {"{\"op\":\"order\",\"id\":1,\"account\":\" 2\"," + ORDER + "}", "account: not a whole number"},
                {"{\"op\":\"order\",\"id\":2,\"account\":2.5," + ORDER + "}", "account: must be a whole number"},
                {"{\"op\":\"subscribe\",\"id\":3,\"channel\":\"book\\u0000\",\"instrument\":1}",
                    "channel: control characters"},
                {"{\"op\":\"order\\u0000\",\"id\":4,\"account\":2," + ORDER + "}", "op: control characters"},
                {"{\"op\":\"order\",\"id\":5,\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                    + "\"quantity\":\"0.001 \"}", "quantity: not a plain decimal"},
            };
            for (int i = 0; i < refused.length; i++) {
                String[] c = refused[i];
                socket.sendText(c[0], true).get(5, TimeUnit.SECONDS);
                String frame = frames.frames.poll(10, TimeUnit.SECONDS);
                assertNotNull(frame, c[0]);
                JsonNode error = JSON.readTree(frame);
                assertEquals("error", error.path("type").asText(), frame);
                assertEquals(Codes.BAD_FIELD, error.path("code").asInt(), frame);
                assertTrue(error.path("message").asText().startsWith(c[1]), frame);
                // Refused while it was read, it still names the request it answers.
                assertEquals(i + 1, error.path("id").asInt(), "the refusal carries the request's id: " + frame);
            }
            // The connection survives, and a clean order is acknowledged.
            socket.sendText("{\"op\":\"order\",\"id\":6,\"account\":2," + ORDER + "}", true).get(5, TimeUnit.SECONDS);
            String ack = frames.frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(ack);
            assertEquals("ack", JSON.readTree(ack).path("type").asText(), ack);
            socket.abort();
        }
    }
}
