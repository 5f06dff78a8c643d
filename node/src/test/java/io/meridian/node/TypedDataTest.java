package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Eip712Types;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SessionRequest;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/typed-data/{kind}} on a node that accepts only signed requests: what it returns is signed as a wallet
 * library signs EIP-712 typed data (from the JSON alone: the types, domain and message it holds, through the generic
 * encoder, not the node's command-to-struct path), and the node accepts the request carrying that signature: orders of
 * every kind with every flag, a cancel and a cancel-all. A signature over typed data for other values is refused.
 */
class TypedDataTest extends NodeHttpTest {
    private static final long SEED = 2_100_021L;

    /**
     * Signs typed data as a wallet does: the digest from the JSON's own types, domain and message (integers as
     * decimal strings, addresses as hex), then secp256k1.
     */
    static String sign(JsonNode typed, Secp256k1PrivateKey key) {
        Eip712Types.Builder builder = Eip712Types.builder();
        String primary = typed.get("primaryType").asText();
        Map<String, String> memberTypes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> struct : typed.get("types").properties()) {
            if (struct.getKey().equals("EIP712Domain")) {
                continue;
            }
            List<String> members = new ArrayList<>();
            for (JsonNode m : struct.getValue()) {
                members.add(m.get("type").asText() + " " + m.get("name").asText());
                if (struct.getKey().equals(primary)) {
                    memberTypes.put(m.get("name").asText(), m.get("type").asText());
                }
            }
            builder.struct(struct.getKey(), members.toArray(String[]::new));
        }
        Map<String, Object> message = new LinkedHashMap<>();
        for (Map.Entry<String, String> member : memberTypes.entrySet()) {
            JsonNode value = typed.get("message").get(member.getKey());
            String type = member.getValue();
            message.put(member.getKey(), switch (type) {
                case "address" -> Address.parse(value.asText()).value();
                case "bool" -> value.asBoolean();
                case "string" -> value.asText();
                case "bytes32" -> Hex.decode(value.asText());
                default -> new BigInteger(value.asText());
            });
        }
        JsonNode d = typed.get("domain");
        Eip712Domain domain = Eip712Domain.of(d.get("name").asText(), d.get("version").asText(),
                d.get("chainId").asLong(), Address.parse(d.get("verifyingContract").asText()).value());
        byte[] digest = domain.digest(builder.build().hashStruct(primary, message));
        return Hex.encode0x(key.sign(digest).toBytes());
    }

    /** The typed data for {@code body}; its digest header must be what the JSON hashes to. */
    private JsonNode typedData(String kind, String body) throws Exception {
        HttpResponse<String> answer = post("/v1/typed-data/" + kind, body);
        assertEquals(200, answer.statusCode(), body + " -> " + answer.body());
        assertTrue(answer.headers().firstValue("X-Meridian-Digest").orElseThrow().matches("0x[0-9a-f]{64}"));
        return JSON.readTree(answer.body());
    }

    /** {@code body} (a JSON object) with a signature field added. */
    private static String withSignature(String body, String signature) {
        return body.substring(0, body.length() - 1) + ",\"signature\":\"" + signature + "\"}";
    }

    @Test
    void whatTheNodeSaysToSignIsWhatItAccepts() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SEED);
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(random);
        String address = owner.address().toChecksumHex();
        try (Node node = Node.start(signedConfig(1_000))) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"100000\"}");
            long now = ok("/v1/time").get("serverTime").asLong();
            long nonce = System.currentTimeMillis();
            String who = "{\"address\":\"" + address + "\",\"nonce\":";
            List<String> orders = List.of(
                    // A GTD iceberg sell with a client id, self-trade prevention and post-only, by symbol.
                    who + nonce + ",\"instrument\":\"BTC-PERP\",\"side\":\"sell\",\"price\":\"60000\","
                            + "\"quantity\":\"0.010\",\"displayQuantity\":\"0.002\",\"timeInForce\":\"gtd\","
                            + "\"expireTime\":" + (now + 3_600_000) + ",\"selfTradePrevention\":\"expire_both\","
                            + "\"postOnly\":true,\"clientOrderId\":77}",
                    // A stop-market buy on the mark, reduce-only off; a take-profit limit sell on the last price.
                    who + (nonce + 1) + ",\"instrument\":1,\"side\":\"buy\",\"type\":\"stop_market\","
                            + "\"quantity\":\"0.001\",\"triggerPrice\":\"55000\",\"triggerSource\":\"mark\"}",
                    who + (nonce + 2) + ",\"instrument\":1,\"side\":\"sell\",\"type\":\"take_profit_limit\","
                            + "\"price\":\"61000\",\"quantity\":\"0.001\",\"triggerPrice\":\"61000\"}",
                    // A post-only slide limit buy, FOK-free plain GTC.
                    who + (nonce + 3) + ",\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\","
                            + "\"quantity\":\"0.001\",\"postOnly\":\"slide\"}");
            List<Long> ids = new ArrayList<>();
            for (String body : orders) {
                JsonNode typed = typedData("order", body);
                assertEquals("Order", typed.get("primaryType").asText());
                assertEquals(address, typed.get("message").get("account").asText());
                HttpResponse<String> placed = post("/v1/orders", withSignature(body, sign(typed, owner)));
                assertEquals(200, placed.statusCode(), body + " -> " + placed.body());
                ids.add(JSON.readTree(placed.body()).get("orderId").asLong());
            }
            JsonNode first = typedData("order", orders.get(0)).get("message");
            assertEquals("3", first.get("timeInForce").asText(), "GTD is 3");
            assertEquals(Long.toString((now + 3_600_000) * 1_000_000L), first.get("expireAt").asText(),
                    "the expiry in the engine's nanoseconds");
            assertEquals("2", first.get("displayQuantity").asText(), "lots");
            assertEquals("600000", first.get("price").asText(), "ticks");
            assertEquals("3", first.get("selfTradePrevention").asText());
            assertEquals("1", first.get("postOnly").asText());
            assertEquals("77", first.get("clientOrderId").asText());
            JsonNode stop = typedData("order", orders.get(1)).get("message");
            assertEquals("2", stop.get("orderType").asText());
            assertEquals("1", stop.get("triggerSource").asText(), "mark");
            assertEquals("0", stop.get("price").asText(), "a market kind signs price 0");
            assertEquals("1", stop.get("timeInForce").asText(), "IOC unless it says FOK");

            // A signature over one body does not carry another: the node computes the digest of what it received.
            String altered = orders.get(3).replace("\"40000\"", "\"40001\"").replace(Long.toString(nonce + 3),
                    Long.toString(nonce + 4));
            String original = sign(typedData("order", orders.get(3).replace(Long.toString(nonce + 3),
                    Long.toString(nonce + 4))), owner);
            HttpResponse<String> wrong = post("/v1/orders", withSignature(altered, original));
            assertError(wrong, 401, "not by " + address);
            assertEquals(8004, JSON.readTree(wrong.body()).get("code").asInt(), "WRONG_SIGNER");

            // A cancel and a cancel-all, signed the same way.
            String cancel = who + (nonce + 5) + ",\"instrument\":\"BTC-PERP\",\"orderId\":" + ids.get(3) + "}";
            String signature = sign(typedData("cancel", cancel), owner);
            HttpResponse<String> canceled = delete("/v1/orders/" + ids.get(3) + "?instrument=BTC-PERP&address="
                    + address + "&nonce=" + (nonce + 5) + "&signature=" + signature);
            assertEquals(200, canceled.statusCode(), canceled.body());
            String cancelAll = who + (nonce + 6) + "}";
            HttpResponse<String> all = delete("/v1/orders?address=" + address + "&nonce=" + (nonce + 6)
                    + "&signature=" + sign(typedData("cancel-all", cancelAll), owner));
            assertEquals(200, all.statusCode(), all.body());
            JsonNode amend = typedData("amend", who + (nonce + 7) + ",\"instrument\":1,\"orderId\":5,\"price\":\"1\"}");
            assertEquals("Amend", amend.get("primaryType").asText());
            assertEquals("10", amend.get("message").get("price").asText());

            // What the route refuses.
            assertError(post("/v1/typed-data/order", withSignature(orders.get(3), "0x00")), 400,
                    "signature: not part of what is signed");
            assertError(post("/v1/typed-data/order", "{\"instrument\":1,\"side\":\"buy\",\"price\":\"1\","
                    + "\"quantity\":\"0.001\"}"), 400, "address and nonce: required");
            assertError(post("/v1/typed-data/withdrawal", "{}"), 404, "no typed data for 'withdrawal'");
            assertError(post("/v1/typed-data/order", who + nonce + ",\"instrument\":1,\"side\":\"buy\","
                    + "\"price\":\"1\",\"quantity\":\"0.001\",\"expireTime\":\"soon\"}"), 400, "expireTime");
        }
    }

    /**
     * The kinds that are not orders: an agent approval, a read token and a login, each signed from what the route
     * answers and accepted by the node (the approval journaled, the token reading the owner's balances, the login's
     * digest the one the engine checks); a Session signature does not make a read token.
     */
    @Test
    void approvalsReadTokensAndLoginsAreSignedFromTheRoute() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SEED + 1);
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(random);
        String address = owner.address().toChecksumHex();
        AgentSigner agent = AgentSigner.random(random);
        try (Node node = Node.start(signedConfig(1_000))) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"100000\"}");
            long until = ok("/v1/time").get("serverTime").asLong() + 600_000;
            long nonce = System.currentTimeMillis();
            String approval = "{\"address\":\"" + address + "\",\"nonce\":" + nonce + ",\"agentKey\":\""
                    + agent.publicKey().toHex() + "\",\"name\":\"quoter\",\"validUntil\":" + until + "}";
            JsonNode approve = typedData("approve-agent", approval);
            assertEquals("ApproveAgent", approve.get("primaryType").asText());
            postOk("/v1/agents", withSignature(approval, sign(approve, owner)));

            String grant = "{\"address\":\"" + address + "\",\"nonce\":" + (nonce + 1) + ",\"validUntil\":" + until + "}";
            JsonNode read = typedData("read-access", grant);
            assertEquals("ReadAccess", read.get("primaryType").asText());
            String token = address + "." + until + "." + (nonce + 1) + "." + sign(read, owner);
            HttpResponse<String> balances = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/balances"))
                    .header("X-Meridian-Read-Token", token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, balances.statusCode(), balances.body());
            // The agent signs the same digest with Ed25519 (the header has it), its key after the signature.
            HttpResponse<String> answer = post("/v1/typed-data/read-access", grant);
            byte[] digest = Hex.decode(answer.headers().firstValue("X-Meridian-Digest").orElseThrow());
            String agentToken = address + "." + until + "." + (nonce + 1) + "." + Hex.encode(agent.sign(digest)) + "."
                    + agent.publicKey().toHex();
            HttpResponse<String> byAgent = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/balances"))
                    .header("X-Meridian-Read-Token", agentToken).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, byAgent.statusCode(), byAgent.body());

            // A leverage change signed from the route is accepted by POST /v1/settings.
            String leverage = "{\"address\":\"" + address + "\",\"nonce\":" + (nonce + 2)
                    + ",\"instrument\":\"BTC-PERP\",\"leverage\":7}";
            JsonNode settings = typedData("settings", leverage);
            assertEquals("Settings", settings.get("primaryType").asText());
            assertEquals("7", settings.get("message").get("leverage").asText());
            postOk("/v1/settings", withSignature(leverage, sign(settings, owner)));
            assertError(post("/v1/typed-data/settings", "{\"address\":\"" + address + "\",\"nonce\":1,"
                    + "\"instrument\":1,\"leverage\":7,\"marginMode\":\"cross\"}"), 400, "exactly one of");

            // A withdrawal signed from the route is accepted by POST /v1/withdrawals (the owner's signature).
            String withdrawal = "{\"address\":\"" + address + "\",\"nonce\":" + (nonce + 3)
                    + ",\"asset\":0,\"amount\":\"12.5\",\"destination\":\"" + address + "\"}";
            JsonNode withdraw = typedData("withdraw", withdrawal);
            assertEquals("Withdraw", withdraw.get("primaryType").asText());
            assertEquals("12500000", withdraw.get("message").get("amount").asText(), "in the asset's minor units");
            postOk("/v1/withdrawals", withSignature(withdrawal, sign(withdraw, owner)));

            JsonNode session = typedData("session", grant);
            assertEquals("Session", session.get("primaryType").asText());
            assertEquals(Hex.encode0x(new SessionRequest(owner.address(), until, nonce + 1).digest(MeridianTypes.devDomain())),
                    post("/v1/typed-data/session", grant).headers().firstValue("X-Meridian-Digest").orElseThrow());
            String loginAsToken = address + "." + until + "." + (nonce + 1) + "." + sign(session, owner);
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/balances"))
                    .header("X-Meridian-Read-Token", loginAsToken).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), "a login's signature is not a read token: " + refused.body());

            assertError(post("/v1/typed-data/read-access", "{\"address\":\"" + address + "\",\"nonce\":1}"), 400,
                    "validUntil: required");
            assertError(post("/v1/typed-data/approve-agent", "{\"address\":\"" + address + "\",\"nonce\":1,"
                    + "\"agentKey\":\"0x00\",\"name\":\"x\",\"validUntil\":1}"), 400, "agentKey");
        }
    }

    /**
     * An agent revocation signed by the owner from what {@code revoke-agent} says to sign is accepted by
     * {@code POST /v1/agents/revoke}; from then on the agent's orders are refused (8005), where before they were taken.
     */
    @Test
    void aRevocationSignedFromTheRouteStopsTheAgent() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SEED + 2);
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(random);
        String address = owner.address().toChecksumHex();
        AgentSigner agent = AgentSigner.random(random);
        String agentKey = agent.publicKey().toHex();
        try (Node node = Node.start(signedConfig(1_000))) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"100000\"}");
            long until = ok("/v1/time").get("serverTime").asLong() + 600_000;
            long nonce = System.currentTimeMillis();
            String approval = "{\"address\":\"" + address + "\",\"nonce\":" + nonce + ",\"agentKey\":\"" + agentKey
                    + "\",\"name\":\"quoter\",\"validUntil\":" + until + "}";
            postOk("/v1/agents", withSignature(approval, sign(typedData("approve-agent", approval), owner)));
            assertEquals(200, agentOrder(address, agent, nonce + 1).statusCode(), "the approved agent trades");

            String revocation = "{\"address\":\"" + address + "\",\"nonce\":" + (nonce + 2) + ",\"agentKey\":\""
                    + agentKey + "\"}";
            JsonNode revoke = typedData("revoke-agent", revocation);
            assertEquals("RevokeAgent", revoke.get("primaryType").asText());
            assertEquals(agentKey, revoke.get("message").get("agentKey").asText());
            assertEquals(Hex.encode0x(new io.meridian.auth.RevokeAgent(io.meridian.auth.AgentKey.parseHex(agentKey)
                            .value(), nonce + 2).digest(MeridianTypes.devDomain())),
                    post("/v1/typed-data/revoke-agent", revocation).headers().firstValue("X-Meridian-Digest")
                            .orElseThrow(), "the digest the engine checks");
            postOk("/v1/agents/revoke", withSignature(revocation, sign(revoke, owner)));
            assertError(agentOrder(address, agent, nonce + 3), 401, "8005");

            assertError(post("/v1/typed-data/revoke-agent", "{\"address\":\"" + address + "\",\"nonce\":1}"), 400,
                    "agentKey: required");
            assertError(post("/v1/typed-data/revoke-agent", withSignature(revocation, "0x00")), 400, "signature");
        }
    }

    /** A limit order signed by {@code agent} over the digest the typed-data route gives for it. */
    private HttpResponse<String> agentOrder(String address, AgentSigner agent, long nonce) throws Exception {
        String order = "{\"address\":\"" + address + "\",\"nonce\":" + nonce + ",\"instrument\":\"BTC-PERP\","
                + "\"side\":\"buy\",\"type\":\"limit\",\"price\":\"49000\",\"quantity\":\"0.001\"}";
        byte[] digest = Hex.decode(post("/v1/typed-data/order", order).headers().firstValue("X-Meridian-Digest")
                .orElseThrow());
        return post("/v1/orders", order.substring(0, order.length() - 1) + ",\"agentKey\":\"" + agent.publicKey().toHex()
                + "\",\"signature\":\"" + Hex.encode(agent.sign(digest)) + "\"}");
    }
}
