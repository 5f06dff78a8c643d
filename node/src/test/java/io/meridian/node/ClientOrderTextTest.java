package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.ClientOrderIds;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.journal.JournalVerifier;
import io.meridian.model.Command;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.node.codec.Codes;
import io.meridian.node.fix.FixGateway;
import org.junit.jupiter.api.Test;
import quickfix.Message;
import quickfix.field.MsgType;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client order ids given as text (issue 21; docs/auth.md and docs/api.md, "Client order ids"), against real nodes: a
 * UUID placed over REST comes back exactly, as a JSON string, in the order's answer, the open orders, the lookup by client
 * order id, the fills, the order history, the account stream and FIX's execution reports, and still after a restart
 * (from the journal alone, and from a snapshot); a resend of the same text is the same order; cancels by text over REST,
 * WebSocket and FIX; bad texts refused on every edge with the rule; the typed data of a text id signs its key; and the
 * WebSocket order takes every order field of REST's (a stop, a GTD and an iceberg).
 */
class ClientOrderTextTest extends NodeHttpTest {
    private static final String UUID = "550e8400-e29b-41d4-a716-446655440000";
    private static final String RULE = "1 to 36 characters of A-Z a-z 0-9 . _ : / -";

    private static boolean is(JsonNode message, String type) {
        return message.path("type").asText().equals(type);
    }

    private NodeConfig withFix(NodeConfig config) {
        return config.withFix(new NodeConfig.Fix(0, "MERIDIAN"));
    }

    /** The config of {@link #config()} with a snapshot every {@code every} commands. */
    private NodeConfig snapshotting(long every) {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", every, 4096, true,
                d.assets(), unbandedInstruments(d));
    }

    @Test
    void aUuidIsEchoedOnEveryEdgeAndAfterARestartFromTheJournal() throws Exception {
        long ethSell;
        try (Node node = Node.start(withFix(config()));
             JsonSocket stream = new JsonSocket(http, node.httpPort());
             FixGatewayTest.Client fix = new FixGatewayTest.Client(logon -> logon.setString(FixGateway.TAG_USERNAME, "1"))
                     .start("TEXT1", node.fixPort())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertTrue(fix.awaitLogon());
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"1000000\"}");
            stream.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":1}");
            stream.next("subscribed");

            // Placed over REST with a UUID: the answer echoes it as a string.
            String body = "{\"account\":1,\"instrument\":2,\"side\":\"sell\",\"price\":\"3000\",\"quantity\":\"2\","
                    + "\"clientOrderId\":\"" + UUID + "\"}";
            JsonNode placed = postOk("/v1/orders", body);
            ethSell = placed.get("orderId").asLong();
            assertEquals(UUID, placed.get("clientOrderId").asText(), placed.toString());
            assertTrue(placed.get("clientOrderId").isTextual());
            // FIX's report and the account stream.
            Message accepted = fix.next(MsgType.EXECUTION_REPORT);
            assertEquals(UUID, accepted.getString(11));
            assertEquals(Long.toString(ethSell), accepted.getString(37));
            JsonNode streamed = stream.next(m -> is(m, "order") && m.path("orderId").asLong() == ethSell);
            assertEquals(UUID, streamed.get("clientOrderId").asText(), streamed.toString());
            // Open orders, one order, by client order id.
            JsonNode open = ok("/v1/orders?account=1").get(0);
            assertEquals(UUID, open.get("clientOrderId").asText(), open.toString());
            assertEquals(UUID, ok("/v1/orders/" + ethSell + "?account=1").get("clientOrderId").asText());
            JsonNode byText = ok("/v1/orders/by-client-id/" + UUID + "?account=1");
            assertEquals(ethSell, byText.get("orderId").asLong(), byText.toString());
            assertEquals(UUID, byText.get("clientOrderId").asText());

            // A resend of the same text is the same order (idempotent), answered as the first.
            JsonNode resent = postOk("/v1/orders", body);
            assertEquals(ethSell, resent.get("orderId").asLong(), resent.toString());
            assertEquals(placed.get("sequence"), resent.get("sequence"));
            assertEquals(UUID, resent.get("clientOrderId").asText());
            assertEquals(1, ok("/v1/orders?account=1").size());

            // Account 2 buys part of it with a numeric id (echoed as a number) and part with the text "42" (the key 42,
            // echoed as the string it was given as).
            JsonNode numeric = postOk("/v1/orders", "{\"account\":2,\"instrument\":2,\"side\":\"buy\",\"price\":\"3000\","
                    + "\"quantity\":\"0.5\",\"timeInForce\":\"ioc\",\"clientOrderId\":5}");
            assertTrue(numeric.get("clientOrderId").isIntegralNumber(), numeric.toString());
            JsonNode text42 = postOk("/v1/orders", "{\"account\":2,\"instrument\":2,\"side\":\"buy\",\"price\":\"3000\","
                    + "\"quantity\":\"0.5\",\"timeInForce\":\"ioc\",\"clientOrderId\":\"42\"}");
            assertEquals("42", text42.get("clientOrderId").asText());
            assertTrue(text42.get("clientOrderId").isTextual());
            // "42" and 42 are one client order id: the number resends the text's order.
            JsonNode number42 = postOk("/v1/orders", "{\"account\":2,\"instrument\":2,\"side\":\"buy\",\"price\":\"3000\","
                    + "\"quantity\":\"0.5\",\"timeInForce\":\"ioc\",\"clientOrderId\":42}");
            assertEquals(text42.get("orderId"), number42.get("orderId"), "the same order: " + number42);

            Message fill = fix.next(MsgType.EXECUTION_REPORT);
            assertEquals('F', fill.getChar(150));
            assertEquals(UUID, fill.getString(11));
            JsonNode streamedFill = stream.next(m -> is(m, "fill") && m.path("orderId").asLong() == ethSell);
            assertEquals(UUID, streamedFill.get("clientOrderId").asText(), streamedFill.toString());
            assertFills(ethSell);
            JsonNode history = ok("/v1/orders/history?account=2");
            assertEquals("42", history.get(0).get("clientOrderId").asText(), history.toString());
            assertEquals(5, history.get(1).get("clientOrderId").asLong(), history.toString());
            assertTrue(history.get(1).get("clientOrderId").isIntegralNumber());
        }

        // Restarted from the same data directory (no snapshot: the journal replays from the start): the text is there.
        // (A new FIX session: the acceptor's store kept the first one's sequence numbers, the test client's did not.)
        try (Node node = Node.start(withFix(config()));
             FixGatewayTest.Client fix = new FixGatewayTest.Client(logon -> logon.setString(FixGateway.TAG_USERNAME, "1"))
                     .start("TEXT1B", node.fixPort())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertTrue(fix.awaitLogon());
            assertEquals(null, node.engine().startReport().snapshot());
            assertEquals(UUID, ok("/v1/orders?account=1").get(0).get("clientOrderId").asText());
            assertEquals(UUID, ok("/v1/orders/by-client-id/" + UUID + "?account=1").get("clientOrderId").asText());
            assertEquals(UUID, ok("/v1/orders/history?account=1").get(0).get("clientOrderId").asText());
            assertFills(ethSell);
            assertEquals("42", ok("/v1/orders/history?account=2").get(0).get("clientOrderId").asText());

            // Canceled over FIX by its text: the report carries the cancel's ClOrdID and the order's, exactly.
            fix.send(FixGatewayTest.cancel("cancel-1", UUID));
            Message canceled = fix.next(MsgType.EXECUTION_REPORT);
            assertEquals('4', canceled.getChar(150));
            assertEquals("cancel-1", canceled.getString(11));
            assertEquals(UUID, canceled.getString(41));
            assertEquals(Long.toString(ethSell), canceled.getString(37));
            JsonNode ended = ok("/v1/orders/by-client-id/" + UUID + "?account=1");
            assertEquals("canceled", ended.get("status").asText(), ended.toString());
            assertEquals(UUID, ended.get("clientOrderId").asText());
            assertEquals(0, ok("/v1/orders?account=1").size());
        }
        // The journal proves itself, texts included.
        JournalVerifier.Result verified = JournalVerifier.verify(Path.of(config().dataDir()), null,
                JournalVerifier.Listener.NONE);
        assertTrue(verified.ok(), verified.failure());
    }

    /** Account 1's fills of its UUID order: the text; account 2's: its number and its text "42". */
    private void assertFills(long ethSell) throws Exception {
        JsonNode makerFills = ok("/v1/fills?account=1");
        assertEquals(2, makerFills.size(), makerFills.toString());
        for (JsonNode f : makerFills) {
            assertEquals(ethSell, f.get("orderId").asLong());
            assertEquals(UUID, f.get("clientOrderId").asText(), f.toString());
        }
        JsonNode takerFills = ok("/v1/fills?account=2");
        assertEquals("42", takerFills.get(0).get("clientOrderId").asText(), takerFills.toString());
        assertTrue(takerFills.get(0).get("clientOrderId").isTextual());
        assertEquals(5, takerFills.get(1).get("clientOrderId").asLong(), takerFills.toString());
        assertTrue(takerFills.get(1).get("clientOrderId").isIntegralNumber());
    }

    @Test
    void openOrdersKeepTheirTextsThroughASnapshotAndCancelByTextOverRestAndWebSocket() throws Exception {
        String slashed = "strategy/7:leg-1.a_b";
        try (Node node = Node.start(snapshotting(1))) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":3,\"asset\":0,\"amount\":\"1000000\"}");
            postOk("/v1/orders", "{\"account\":3,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                    + "\"quantity\":\"0.001\",\"clientOrderId\":\"" + UUID + "\"}");
            postOk("/v1/orders", "{\"account\":3,\"instrument\":1,\"side\":\"buy\",\"price\":\"40100\","
                    + "\"quantity\":\"0.001\",\"clientOrderId\":\"" + slashed + "\"}");
            postOk("/v1/orders", "{\"account\":3,\"instrument\":1,\"side\":\"buy\",\"price\":\"40200\","
                    + "\"quantity\":\"0.001\",\"clientOrderId\":77}");
            waitForSnapshotAfter(node, node.engine().query(e -> e.lastSequence()).get());
        }
        try (Node node = Node.start(snapshotting(1)); JsonSocket socket = new JsonSocket(http, node.httpPort())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertNotNull(node.engine().startReport().snapshot(), "restarted from a snapshot");
            JsonNode open = ok("/v1/orders?account=3");
            assertEquals(3, open.size(), open.toString());
            assertEquals(UUID, open.get(0).get("clientOrderId").asText(), open.toString());
            assertEquals(slashed, open.get(1).get("clientOrderId").asText());
            assertTrue(open.get(2).get("clientOrderId").isIntegralNumber(), "a number stays a number: " + open);
            // A '/' travels in a path segment as %2F.
            String path = "/v1/orders/by-client-id/strategy%2F7:leg-1.a_b";
            assertEquals(slashed, ok(path + "?account=3").get("clientOrderId").asText());

            socket.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":3}");
            socket.next("subscribed");
            // Cancel by text over the WebSocket: the ack names the order and echoes the text; so does the stream.
            socket.send("{\"op\":\"cancel\",\"id\":5,\"account\":3,\"instrument\":1,\"clientOrderId\":\"" + UUID + "\"}");
            JsonNode ack = socket.next(m -> is(m, "ack"));
            assertEquals(5, ack.get("id").asInt(), ack.toString());
            assertEquals(UUID, ack.get("clientOrderId").asText(), ack.toString());
            assertEquals(open.get(0).get("orderId"), ack.get("orderId"));
            JsonNode streamed = socket.next(m -> is(m, "order") && m.path("status").asText().equals("canceled"));
            assertEquals(UUID, streamed.get("clientOrderId").asText(), streamed.toString());
            // Cancel by text over REST (the '/' as %2F): the answer echoes it.
            HttpResponse<String> deleted = delete(path + "?account=3&instrument=1");
            assertEquals(200, deleted.statusCode(), deleted.body());
            JsonNode answer = JSON.readTree(deleted.body());
            assertEquals(slashed, answer.get("clientOrderId").asText(), deleted.body());
            assertEquals(open.get(1).get("orderId"), answer.get("orderId"));
            // Again: no such open order any more.
            HttpResponse<String> again = delete(path + "?account=3&instrument=1");
            assertEquals(422, again.statusCode(), again.body());
            assertTrue(again.body().contains("\"code\":2019") && again.body().contains(slashed), again.body());
            // The order history has both, canceled, with their texts: their last events came after the restart (an
            // order accepted before the snapshot a node started from enters its history when it ends, with what that
            // event tells: the engine told the text).
            JsonNode history = ok("/v1/orders/history?account=3");
            assertEquals(2, history.size(), history.toString());
            assertEquals(slashed, history.get(0).get("clientOrderId").asText(), history.toString());
            assertEquals("canceled", history.get(0).get("status").asText());
            assertEquals(UUID, history.get(1).get("clientOrderId").asText(), history.toString());
            assertEquals(1, ok("/v1/orders?account=3").size());
        }
    }

    /** Waits until the node's journal has a snapshot at or after {@code sequence}. */
    private static void waitForSnapshotAfter(Node node, long sequence) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            java.util.Map<String, Object> status = node.engine().snapshotStatus().get();
            Object last = status.get("lastSequence");
            if (last instanceof Number n && n.longValue() >= sequence) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no snapshot at or after " + sequence + ": " + node.engine().snapshotStatus().get());
    }

    @Test
    void badTextsAreRefusedOnEveryEdgeWithTheRule() throws Exception {
        try (Node node = Node.start(withFix(config())); JsonSocket socket = new JsonSocket(http, node.httpPort());
             FixGatewayTest.Client fix = new FixGatewayTest.Client(logon -> logon.setString(FixGateway.TAG_USERNAME, "4"))
                     .start("TEXT4", node.fixPort())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertTrue(fix.awaitLogon());
            postOk("/v1/dev/deposit", "{\"account\":4,\"asset\":0,\"amount\":\"100000\"}");
            String order = "{\"account\":4,\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\",\"quantity\":\"0.001\","
                    + "\"clientOrderId\":";
            String[][] refused = {
                {"\"" + "x".repeat(37) + "\"", "clientOrderId: too long (37 characters): " + RULE},
                {"\"\"", "clientOrderId: must not be empty: " + RULE},
                {"\"a b\"", "clientOrderId: character 2 is not allowed: " + RULE},
                {"\"caf\u00e9\"", "clientOrderId: character 4 is not allowed: " + RULE},
                {"\"a\\u0000\"", "clientOrderId: character 2 is not allowed: " + RULE},
                {"4611686018427387904", "clientOrderId: a number must be 1 to 4611686018427387903 (2^62 - 1); send any"
                        + " other id as a string of " + RULE},
                {"-7", "clientOrderId: a number must be 1 to 4611686018427387903"},
                {"99999999999999999999", "clientOrderId: a number must be 1 to"},
                {"7.5", "clientOrderId: must be a whole number or a string of " + RULE},
                {"true", "clientOrderId: must be a whole number or a string of " + RULE},
            };
            for (String[] c : refused) {
                HttpResponse<String> answer = post("/v1/orders", order + c[0] + "}");
                assertError(answer, 400, c[1]);
                assertTrue(answer.body().startsWith("{\"code\":" + Codes.BAD_FIELD + ","), answer.body());
                socket.send("{\"op\":\"order\",\"id\":3," + order.substring(1) + c[0] + "}");
                JsonNode error = socket.next(m -> is(m, "error"));
                assertEquals(Codes.BAD_FIELD, error.get("code").asInt(), error.toString());
                assertTrue(error.get("message").asText().contains(c[1]), error.toString());
            }
            // The paths, and the WebSocket cancel.
            assertError(get("/v1/orders/by-client-id/" + "y".repeat(37) + "?account=4"), 400,
                    "clientOrderId: too long (37 characters): " + RULE);
            assertError(delete("/v1/orders/by-client-id/a%20b?account=4&instrument=1"), 400,
                    "clientOrderId: character 2 is not allowed: " + RULE);
            socket.send("{\"op\":\"cancel\",\"account\":4,\"instrument\":1,\"clientOrderId\":\"a#b\"}");
            JsonNode error = socket.next(m -> is(m, "error"));
            assertEquals(Codes.BAD_FIELD, error.get("code").asInt(), error.toString());
            assertTrue(error.get("message").asText().contains("clientOrderId: character 2 is not allowed"), error.toString());
            // FIX: a NewOrderSingle's ClOrdID and a cancel's OrigClOrdID: session-level Rejects naming the tag.
            fix.send(FixGatewayTest.order("z".repeat(37), '1', "1", "2000"));
            Message reject = fix.next(MsgType.REJECT);
            assertEquals(11, reject.getInt(371));
            assertEquals(5, reject.getInt(373));
            assertEquals(Codes.BAD_FIELD + " ClOrdID(11): too long (37 characters): " + RULE, reject.getString(58));
            fix.send(FixGatewayTest.cancel("c-9", "no spaces"));
            Message cancelReject = fix.next(MsgType.REJECT);
            assertEquals(41, cancelReject.getInt(371));
            assertEquals("F", cancelReject.getString(372));
            assertEquals(Codes.BAD_FIELD + " OrigClOrdID(41): character 3 is not allowed: " + RULE,
                    cancelReject.getString(58));
            // Nothing was placed.
            assertEquals(0, ok("/v1/orders?account=4").size());
            assertEquals(0, ok("/v1/orders/history?account=4").size());
        }
    }

    @Test
    void aSignedTextOrderSignsItsKeyAndTheTypedDataSaysSo() throws Exception {
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(new SecureRandom());
        String address = owner.address().toChecksumHex();
        try (Node node = Node.start(signedConfig(1_000))) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"100000\"}");
            long nonce = System.currentTimeMillis();
            String fields = "\"address\":\"" + address + "\",\"nonce\":" + nonce + ",\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"40000\",\"quantity\":\"0.001\",\"clientOrderId\":\"" + UUID + "\"";
            JsonNode typed = postOk("/v1/typed-data/order", "{" + fields + "}");
            assertEquals("8032060622648495802", typed.get("message").get("clientOrderId").asText(), typed.toString());

            Command c = new Command().limit(0, 1, 0, Side.BUY, 400_000, 1, TimeInForce.GTC);
            c.clientOrderId = ClientOrderIds.key(UUID);
            c.nonce = nonce;
            SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), owner);
            JsonNode placed = postOk("/v1/orders", "{" + fields + ",\"signature\":\"" + Hex.encode0x(c.signature)
                    + "\"}");
            assertEquals(UUID, placed.get("clientOrderId").asText(), placed.toString());
            // A signature of the text's key by another text is not this order's: the node signs what it was sent.
            Command other = new Command().limit(0, 1, 0, Side.BUY, 400_000, 1, TimeInForce.GTC);
            other.clientOrderId = ClientOrderIds.key("another-id");
            other.nonce = nonce + 1;
            SignedCommands.signAsOwner(other, MeridianTypes.devDomain(), owner);
            HttpResponse<String> forged = post("/v1/orders", "{" + fields.replace(Long.toString(nonce),
                    Long.toString(nonce + 1)) + ",\"signature\":\"" + Hex.encode0x(other.signature) + "\"}");
            assertEquals(401, forged.statusCode(), forged.body());
            assertTrue(forged.body().contains("\"code\":8004"), forged.body());

            // The cancel's typed data by client order id: orderId 0 and the key; signed, it cancels and echoes the text.
            JsonNode cancelTyped = postOk("/v1/typed-data/cancel", "{\"address\":\"" + address + "\",\"nonce\":"
                    + (nonce + 2) + ",\"instrument\":1,\"clientOrderId\":\"" + UUID + "\"}");
            assertEquals("0", cancelTyped.get("message").get("orderId").asText());
            assertEquals("8032060622648495802", cancelTyped.get("message").get("clientOrderId").asText());
            Command cancel = new Command().cancel(0, 1, 0);
            cancel.clientOrderId = ClientOrderIds.key(UUID);
            cancel.nonce = nonce + 2;
            SignedCommands.signAsOwner(cancel, MeridianTypes.devDomain(), owner);
            HttpResponse<String> canceled = delete("/v1/orders/by-client-id/" + UUID + "?instrument=1&address=" + address
                    + "&nonce=" + cancel.nonce + "&signature=" + Hex.encode0x(cancel.signature));
            assertEquals(200, canceled.statusCode(), canceled.body());
            assertTrue(canceled.body().contains("\"clientOrderId\":\"" + UUID + "\""), canceled.body());
            assertEquals(placed.get("orderId"), JSON.readTree(canceled.body()).get("orderId"), "the order canceled");
        }
        JournalVerifier.Result verified = JournalVerifier.verify(Path.of(signedConfig(1_000).dataDir()),
                MeridianTypes.devDomain(), JournalVerifier.Listener.NONE);
        assertTrue(verified.ok(), verified.failure());
    }

    @Test
    void theWebSocketOrderTakesEveryFieldOfRestsOrder() throws Exception {
        try (Node node = Node.start(config()); JsonSocket socket = new JsonSocket(http, node.httpPort())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":6,\"asset\":0,\"amount\":\"1000000\"}");
            // A stop-limit sell triggered by the mark, with a text id and post-only "slide" refused by the engine as a
            // combination (post-only is for plain limits), then the same stop without it.
            socket.send("{\"op\":\"order\",\"id\":1,\"account\":6,\"instrument\":1,\"side\":\"sell\",\"type\":\"stop_limit\","
                    + "\"price\":\"44000\",\"triggerPrice\":\"45000\",\"triggerSource\":\"mark\",\"quantity\":\"0.002\","
                    + "\"clientOrderId\":\"stop-1\",\"postOnly\":\"slide\"}");
            JsonNode slide = socket.next(m -> m.path("id").asInt() == 1);
            assertEquals("reject", slide.get("type").asText(), slide.toString());
            assertEquals("POST_ONLY_NOT_RESTING", slide.get("reason").asText(), slide.toString());
            assertEquals("stop-1", slide.get("clientOrderId").asText(), slide.toString());
            socket.send("{\"op\":\"order\",\"id\":2,\"account\":6,\"instrument\":1,\"side\":\"sell\",\"type\":\"stop_limit\","
                    + "\"price\":\"44000\",\"triggerPrice\":\"45000\",\"triggerSource\":\"mark\",\"quantity\":\"0.002\","
                    + "\"clientOrderId\":\"stop-2\",\"selfTradePrevention\":\"expire_maker\"}");
            JsonNode stop = socket.next(m -> m.path("id").asInt() == 2);
            assertEquals("ack", stop.get("type").asText(), stop.toString());
            assertEquals("stop-2", stop.get("clientOrderId").asText());
            // A GTD bid expiring in 1.5 s, and an iceberg showing 0.001 of 0.005.
            long now = ok("/v1/time").get("serverTime").asLong();
            socket.send("{\"op\":\"order\",\"id\":3,\"account\":6,\"instrument\":1,\"side\":\"buy\",\"price\":\"41000\","
                    + "\"quantity\":\"0.001\",\"timeInForce\":\"gtd\",\"expireTime\":" + (now + 1_500)
                    + ",\"clientOrderId\":\"gtd-1\"}");
            JsonNode gtd = socket.next(m -> m.path("id").asInt() == 3);
            assertEquals("ack", gtd.get("type").asText(), gtd.toString());
            socket.send("{\"op\":\"order\",\"id\":4,\"account\":6,\"instrument\":1,\"side\":\"buy\",\"price\":\"42000\","
                    + "\"quantity\":\"0.005\",\"displayQuantity\":\"0.001\",\"clientOrderId\":9}");
            JsonNode iceberg = socket.next(m -> m.path("id").asInt() == 4);
            assertEquals("ack", iceberg.get("type").asText(), iceberg.toString());
            assertEquals(9, iceberg.get("clientOrderId").asInt());
            assertEquals("0.005", iceberg.get("restingQuantity").asText());

            JsonNode stopOrder = ok("/v1/orders/by-client-id/stop-2?account=6");
            assertEquals("stop_limit", stopOrder.get("type").asText(), stopOrder.toString());
            assertEquals("45000", stopOrder.get("triggerPrice").asText());
            assertEquals("44000", stopOrder.get("price").asText());
            JsonNode book = ok("/v1/book/1");
            assertEquals("42000", book.get("bids").get(0).get(0).asText(), book.toString());
            assertEquals("0.001", book.get("bids").get(0).get(1).asText(), "the iceberg shows its peak: " + book);
            assertEquals("gtd", ok("/v1/orders/by-client-id/gtd-1?account=6").get("timeInForce").asText());
            long deadline = System.currentTimeMillis() + 10_000;
            JsonNode expired = ok("/v1/orders/by-client-id/gtd-1?account=6");
            while (!expired.get("status").asText().equals("expired") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                expired = ok("/v1/orders/by-client-id/gtd-1?account=6");
            }
            assertEquals("expired", expired.get("status").asText(), expired.toString());
            assertEquals("gtd-1", expired.get("clientOrderId").asText());
            // The mark falls through the stop's trigger: it fires and rests as its limit, with its text.
            postOk("/v1/dev/mark", "{\"instrument\":1,\"price\":\"44900\"}");
            JsonNode fired = ok("/v1/orders/by-client-id/stop-2?account=6");
            assertEquals("limit", fired.get("type").asText(), fired.toString());
            assertEquals("stop-2", fired.get("clientOrderId").asText());
            JsonNode history = ok("/v1/orders/" + stop.get("orderId").asLong() + "?account=6");
            assertEquals("stop-2", history.get("clientOrderId").asText(), history.toString());
        }
    }
}
