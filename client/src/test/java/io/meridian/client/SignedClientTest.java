package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.journal.JournalVerifier;
import io.meridian.model.Command;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node in auth mode signed, used through the client as a wallet would: accounts opened by deposits to addresses,
 * orders signed by the owner over REST and by an approved agent over WebSocket, withdrawals by the owner only, replays
 * and tampering refused; after a restart the accounts, approvals and nonces are still there, and
 * {@code meridian verify --signatures} proves the whole journal.
 */
class SignedClientTest {
    @TempDir
    Path temp;

    private NodeConfig config() {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536, true,
                d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.signed());
    }

    private static HttpResponse<String> post(String base, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A stop's trigger moves by a signed AmendTrigger (an amend keeping the trigger stays an Amend); an Amend signature
     * sent with a trigger price added is another message and moves nothing.
     */
    private static void movesTheStopsTrigger(MeridianClient alice, Signer owner, String base, long stopId) throws Exception {
        assertEquals("accepted", alice.amend(0, 1, stopId, null, null, "49400").get("status").asText());
        assertEquals(0, new BigDecimal("49400").compareTo(new BigDecimal(
                alice.order(0, stopId).get("triggerPrice").asText())), alice.order(0, stopId).toString());
        ObjectNode amendBody = new ObjectMapper().createObjectNode().put("address", owner.address().toChecksumHex())
                .put("nonce", 7).put("instrument", 1).put("orderId", stopId);
        assertEquals("Amend", alice.typedData("amend", amendBody.deepCopy().put("price", "48900"))
                .get("primaryType").asText());
        assertEquals("AmendTrigger", alice.typedData("amend", amendBody.deepCopy().put("triggerPrice", "49300"))
                .get("primaryType").asText());
        // An Amend signature sent with a trigger price added is another message: refused, the trigger unmoved.
        ObjectNode unsignedTrigger = Signer.fields(new ObjectMapper().createObjectNode().put("instrument", 1)
                .put("price", "48900"), owner.sign(new Command().amend(0, 1, stopId, 489_000, 0)));
        unsignedTrigger.put("triggerPrice", "49300");
        HttpResponse<String> moved = put(base, "/v1/orders/" + stopId, unsignedTrigger.toString());
        assertEquals(401, moved.statusCode(), moved.body());
        assertTrue(moved.body().contains("8004"), moved.body());
        assertEquals(0, new BigDecimal("49400").compareTo(new BigDecimal(
                alice.order(0, stopId).get("triggerPrice").asText())));
    }

    private static HttpResponse<String> put(String base, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void signedTradingThroughTheClientSurvivesARestartAndIsProvenFromTheJournal() throws Exception {
        long seed = 20261125L;
        System.out.println("SignedClientTest seed=" + seed);
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        Secp256k1PrivateKey aliceKey = Secp256k1PrivateKey.random(random);
        Secp256k1PrivateKey bobKey = Secp256k1PrivateKey.random(random);
        AgentSigner bot = AgentSigner.random(random);
        long aliceAccount;
        try (Node node = Node.start(config())) {
            String base = "http://127.0.0.1:" + node.httpPort();
            MeridianClient anonymous = new MeridianClient(base);
            Eip712Domain domain = anonymous.domain();
            assertEquals("signed", anonymous.send("GET", "/v1/auth", null).get("mode").asText());
            MeridianClient alice = anonymous.signedBy(Signer.owner(aliceKey, domain));
            MeridianClient bob = anonymous.signedBy(Signer.owner(bobKey, domain));

            // Requests by account id are refused: only signatures say who may trade.
            ApiException unsigned = assertThrows(ApiException.class,
                    () -> anonymous.place(MeridianClient.Order.limit(1, 1, "buy", "50000", "0.01")));
            assertEquals(401, unsigned.status());
            assertEquals(8014, unsigned.code());
            // Private reads need the owner's read token: none is 401; the owner's own before her account exists is 403,
            // the same answer as for someone else's account.
            ApiException noToken = assertThrows(ApiException.class, () -> anonymous.account(aliceKey.address()));
            assertEquals(401, noToken.status());
            ApiException unknown = assertThrows(ApiException.class, () -> alice.account(aliceKey.address()));
            assertEquals(403, unknown.status());

            anonymous.devDeposit(aliceKey.address(), 0, "100000");
            anonymous.devDeposit(bobKey.address(), 0, "100000");
            JsonNode aliceView = alice.account(aliceKey.address());
            aliceAccount = aliceView.get("account").asLong();
            assertTrue(aliceAccount >= 1L << 32 && aliceAccount < 1L << 53, "an address's account id: " + aliceAccount);
            assertEquals(aliceKey.address().toLowerHex(), aliceView.get("address").asText());

            JsonNode resting = alice.place(MeridianClient.Order.limit(0, 1, "sell", "50010", "0.5").withClientOrderId(1));
            assertEquals("accepted", resting.get("status").asText());
            JsonNode taken = bob.place(MeridianClient.Order.limit(0, 1, "buy", "50010", "0.2"));
            assertEquals("0.2", taken.get("filledQuantity").asText());
            alice.amend(0, 1, resting.get("orderId").asLong(), "50020", null);
            alice.setLeverage(0, 1, 5);

            // Every order type and flag, signed by the client as the node maps them (the journal proves them below).
            long now = alice.time().get("serverTime").asLong();
            JsonNode stop = alice.place(MeridianClient.Order.conditional(0, 1, "sell", "stop_limit", "49000", "0.01",
                    "49500").withTriggerSource("mark").withClientOrderId(2));
            assertEquals("accepted", stop.get("status").asText());
            movesTheStopsTrigger(alice, Signer.owner(aliceKey, domain), base, stop.get("orderId").asLong());
            JsonNode iceberg = alice.place(MeridianClient.Order.limit(0, 1, "sell", "50100", "0.05")
                    .withDisplayQuantity("0.01").goodTill(now + 3_600_000).withSelfTradePrevention("expire_both")
                    .withPostOnly("slide").withReduceOnly(false));
            assertEquals("accepted", iceberg.get("status").asText());
            JsonNode ice = alice.order(0, iceberg.get("orderId").asLong());
            assertEquals("gtd", ice.get("timeInForce").asText(), ice.toString());
            MeridianClient.Page page = alice.orderHistory(0, "limit=2");
            assertEquals(2, page.items().size(), page.toString());
            assertEquals(iceberg.get("orderId").asLong(), page.items().get(0).get("orderId").asLong());
            assertTrue(page.next() != null && alice.orderHistory(0, "limit=2&cursor=" + page.next()).items().size() > 0);
            assertTrue(alice.fills(0, "").items().size() > 0, "alice's maker fill");
            JsonNode typed = alice.typedData("cancel-all", new ObjectMapper().createObjectNode()
                    .put("address", aliceKey.address().toChecksumHex()).put("nonce", 5));
            assertEquals("CancelAll", typed.get("primaryType").asText());
            alice.cancel(0, 1, stop.get("orderId").asLong());
            alice.cancel(0, 1, iceberg.get("orderId").asLong());
            textClientOrderIds(alice);
            assertEquals("canceled", alice.order(0, stop.get("orderId").asLong()).get("status").asText());

            // A signed body sent twice: the second is the same nonce, refused at the gateway before the journal.
            ObjectNode body = bob.orderJson(MeridianClient.Order.limit(0, 1, "buy", "49000", "0.01"));
            assertEquals(200, post(base, "/v1/orders", body.toString()).statusCode());
            HttpResponse<String> replayed = post(base, "/v1/orders", body.toString());
            assertEquals(401, replayed.statusCode());
            assertTrue(replayed.body().contains("8009"), replayed.body());
            // The same signature over another price (and an unused nonce, or the reuse is refused first) recovers another
            // address: refused before sequencing.
            body.put("price", "48000");
            body.put("nonce", body.get("nonce").asLong() + 1_000);
            HttpResponse<String> tampered = post(base, "/v1/orders", body.toString());
            assertEquals(401, tampered.statusCode());
            assertTrue(tampered.body().contains("8004"), tampered.body());

            // An agent key trades over WebSocket once approved; it cannot withdraw.
            MeridianClient agent = anonymous.signedBy(Signer.agent(aliceKey.address(), bot, domain));
            try (StreamClient stream = new StreamClient(agent, m -> { })) {
                CompletableFuture<JsonNode> early = stream.place(MeridianClient.Order.limit(0, 1, "sell", "50100", "0.01"));
                ExecutionException refused = assertThrows(ExecutionException.class, () -> early.get(10, TimeUnit.SECONDS));
                assertEquals(8005, ((ApiException) refused.getCause()).code());
                alice.approveAgent(bot, "market-maker", System.currentTimeMillis() + 3_600_000);
                List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    acks.add(stream.place(MeridianClient.Order.limit(0, 1, "sell", String.valueOf(50_100 + i), "0.01")));
                }
                for (CompletableFuture<JsonNode> ack : acks) {
                    assertEquals("ack", ack.get(10, TimeUnit.SECONDS).get("type").asText());
                }
                long lastOrder = acks.get(19).get().get("orderId").asLong();
                assertEquals("ack", stream.cancel(0, 1, lastOrder).get(10, TimeUnit.SECONDS).get("type").asText());
            }
            // A logged-in connection: one signature for the session, then unsigned orders made in it.
            try (StreamClient session = new StreamClient(anonymous, m -> { })) {
                JsonNode login = session.login(Signer.agent(aliceKey.address(), bot, domain),
                        System.currentTimeMillis() + 600_000).get(10, TimeUnit.SECONDS);
                assertTrue(login.get("session").asLong() > 0);
                List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    acks.add(session.place(MeridianClient.Order.limit(0, 1, "sell", String.valueOf(51_000 + i), "0.01")));
                }
                for (CompletableFuture<JsonNode> ack : acks) {
                    assertEquals("ack", ack.get(10, TimeUnit.SECONDS).get("type").asText());
                }
                long last = acks.get(49).get().get("orderId").asLong();
                assertEquals("ack", session.cancel(0, 1, last).get(10, TimeUnit.SECONDS).get("type").asText());
            }
            assertThrows(IllegalStateException.class,
                    () -> agent.withdraw(0, 6, "1", aliceKey.address()));
            JsonNode withdrawn = alice.withdraw(0, 6, "1000", bobKey.address());
            assertEquals("accepted", withdrawn.get("status").asText());
            assertEquals(69, alice.send("GET", "/v1/orders?account=" + aliceAccount, null).size(),
                    "alice's resting sell, 19 agent orders and 49 session orders left");
            // Read routes take the address as well as the account id.
            String byAddress = "address=" + aliceKey.address().toChecksumHex();
            assertEquals(69, alice.send("GET", "/v1/orders?" + byAddress, null).size());
            assertEquals(alice.send("GET", "/v1/fills?account=" + aliceAccount, null),
                    alice.send("GET", "/v1/fills?" + byAddress, null));
            JsonNode positions = alice.send("GET", "/v1/positions?" + byAddress, null);
            assertEquals(alice.send("GET", "/v1/positions?account=" + aliceAccount, null), positions);
            assertEquals(1, positions.size(), "alice is short after bob's buy: " + positions);
            ApiException nobody = assertThrows(ApiException.class, () -> alice.send("GET", "/v1/balances?address="
                    + Secp256k1PrivateKey.random(random).address().toChecksumHex(), null));
            assertEquals(403, nobody.status());
            ApiException bad = assertThrows(ApiException.class, () -> alice.send("GET", "/v1/balances?address=0x12",
                    null));
            assertEquals(400, bad.status());
        }

        // Restart: accounts, the approval and the nonces come back from the journal.
        try (Node node = Node.start(config())) {
            String base = "http://127.0.0.1:" + node.httpPort();
            MeridianClient anonymous = new MeridianClient(base);
            Eip712Domain domain = anonymous.domain();
            MeridianClient owner = anonymous.signedBy(Signer.owner(aliceKey, domain));
            assertEquals(aliceAccount, owner.account(aliceKey.address()).get("account").asLong());
            MeridianClient agent = anonymous.signedBy(Signer.agent(aliceKey.address(), bot, domain));
            assertEquals("accepted", agent.place(MeridianClient.Order.limit(0, 1, "sell", "50500", "0.01"))
                    .get("status").asText());
            MeridianClient alice = anonymous.signedBy(Signer.owner(aliceKey, domain));
            alice.revokeAgent(bot);
            ApiException revoked = assertThrows(ApiException.class,
                    () -> agent.place(MeridianClient.Order.limit(0, 1, "sell", "50600", "0.01")));
            assertEquals(8005, revoked.code());
        }

        StringBuilder summary = new StringBuilder();
        JournalVerifier.Result verified = JournalVerifier.verify(temp.resolve("data"), MeridianTypes.devDomain(),
                new JournalVerifier.Listener() {
                    @Override
                    public void signatures(String text) {
                        summary.append(text);
                    }
                });
        String report = summary.toString();
        assertTrue(verified.ok(), verified.failure() + "\n" + report);
        assertTrue(verified.signed() > 0, report);
        assertTrue(report.contains("0 made by account id"), report);
        assertTrue(report.contains("1 session logins); 51 made in signed sessions"), report);
    }

    @Test
    void aSignerNeverReusesANonce() {
        Signer signer = Signer.owner(Secp256k1PrivateKey.random(new SecureRandom()), MeridianTypes.devDomain());
        long previous = 0;
        for (int i = 0; i < 10_000; i++) {
            long nonce = signer.nextNonce();
            assertTrue(nonce > previous);
            previous = nonce;
        }
        assertTrue(Address.parse(signer.address().toChecksumHex()).isOk());
    }

    /**
     * A client order id given as text: signed as its key by the client, echoed as the text; looked up and canceled
     * (signed, orderId 0 and the key) by it; a text that is none refused by the client before sending.
     */
    private static void textClientOrderIds(MeridianClient alice) {
        String uuid = "3f2c1d9e-7a5b-4c8d-9e0f-1a2b3c4d5e6f";
        JsonNode texted = alice.place(MeridianClient.Order.limit(0, 1, "sell", "50200", "0.01").withClientOrderId(uuid));
        assertEquals(uuid, texted.get("clientOrderId").asText(), texted.toString());
        assertEquals(texted.get("orderId"), alice.orderByClientOrderId(0, uuid).get("orderId"));
        JsonNode canceledByText = alice.cancelByClientOrderId(0, 1, uuid);
        assertEquals(uuid, canceledByText.get("clientOrderId").asText(), canceledByText.toString());
        assertEquals("canceled", alice.orderByClientOrderId(0, uuid).get("status").asText());
        assertThrows(IllegalArgumentException.class, () -> MeridianClient.Order.limit(0, 1, "sell", "1", "1")
                .withClientOrderId("no spaces"));
    }
}
