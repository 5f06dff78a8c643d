package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.journal.JournalVerifier;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client nobody here wrote trades against a real node in auth mode signed: {@code interop/interop.mjs} signs with
 * ethers v6 ({@code Wallet.signTypedData}, the structs parsed from docs/auth.md, the domain from {@code GET /v1/auth})
 * and talks over {@code fetch} and the {@code ws} package, both installed by this module's build from the pinned
 * lockfile. It places and cancels orders over REST, approves an agent key whose Ed25519 signature (Node's crypto over
 * the digest ethers computed) places another, logs in to a WebSocket session, places and cancels an order in it and
 * crosses alice's two asks, reads fills, positions and balances back with read tokens, sends an order whose price
 * differs from the signed one, and withdraws. This test funds the two wallets, runs the script, asserts on the JSON
 * summary it prints, and proves the journal's signatures. {@code -Dinterop.seed=N} replays a seed (printed).
 */
class EthersInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SCRIPT_TIMEOUT_SECONDS = 60;
    private static final int INSTRUMENT = 1;
    private static final Pattern DIGEST = Pattern.compile("0x[0-9a-fA-F]{64}(?![0-9a-fA-F])");

    @TempDir
    Path temp;

    private NodeConfig config() {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536, true,
                d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.signed());
    }

    @Test
    void ethersSignedRequestsTradeOnARealNode() throws Exception {
        long seed = Long.getLong("interop.seed", 20261207L);
        System.out.println("EthersInteropTest seed=" + seed + " (-Dinterop.seed=N to replay another)");
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        byte[] aliceBytes = bytes(random);
        byte[] bobBytes = bytes(random);
        byte[] agentSeed = bytes(random);
        Secp256k1PrivateKey alice = Secp256k1PrivateKey.of(aliceBytes);
        Secp256k1PrivateKey bob = Secp256k1PrivateKey.of(bobBytes);
        AgentSigner agent = AgentSigner.of(agentSeed);

        JsonNode s;
        try (Node node = Node.start(config())) {
            String base = "http://127.0.0.1:" + node.httpPort();
            MeridianClient anonymous = new MeridianClient(base);
            anonymous.devDeposit(alice.address(), 0, "100000");
            anonymous.devDeposit(bob.address(), 0, "100000");

            s = runScript(Map.of("MERIDIAN_URL", base,
                    "MERIDIAN_AUTH_DOC", docs().resolve("auth.md").toString(),
                    "MERIDIAN_ALICE_KEY", Hex.encode0x(aliceBytes),
                    "MERIDIAN_BOB_KEY", Hex.encode0x(bobBytes),
                    "MERIDIAN_AGENT_SEED", Hex.encode0x(agentSeed),
                    "MERIDIAN_SEED", Long.toString(seed),
                    "MERIDIAN_INSTRUMENT", Integer.toString(INSTRUMENT)));

            // docs/auth.md's test vectors, recomputed by ethers (digests, the owner's signatures) and OpenSSL (the
            // agent's Ed25519 signature).
            assertEquals(18, s.get("vectors").size());
            for (JsonNode v : s.get("vectors")) {
                assertTrue(v.get("digestMatches").asBoolean() && v.get("signatureMatches").asBoolean(), v.toString());
            }
            // docs/auth.md's client order id keys, recomputed with ethers' keccak256.
            assertEquals(8, s.get("clientOrderIds").size(), s.get("clientOrderIds").toString());
            for (JsonNode v : s.get("clientOrderIds")) {
                assertTrue(v.get("matches").asBoolean(), v.toString());
            }
            // The same keys make the same addresses and agent key in both implementations.
            assertEquals(alice.address().toChecksumHex(), s.get("alice").asText());
            assertEquals(bob.address().toChecksumHex(), s.get("bob").asText());
            assertTrue(Arrays.equals(agent.publicKey().toBytes(), Hex.decode(s.get("agentKey").asText())),
                    "the agent key Node's crypto derives from the seed: " + s.get("agentKey"));
            JsonNode auth = anonymous.send("GET", "/v1/auth", null);
            for (String field : List.of("name", "version", "chainId", "verifyingContract")) {
                assertEquals(auth.get(field), s.get("domain").get(field), "the domain ethers signed under: " + field);
            }

            // An owner-signed limit order over REST rests and is listed; a second one is canceled by a signed DELETE.
            JsonNode rest = s.get("restOrder");
            assertEquals("accepted", rest.get("status").asText(), rest.toString());
            assertTrue(rest.get("orderId").asLong() > 0, rest.toString());
            assertDecimal(rest.get("quantity"), rest.get("restingQuantity"));
            assertTrue(rest.get("listed").asBoolean(), "alice's open orders list it: " + rest);
            // Its client order id, a text ethers signed as its key, comes back exactly, in the answer and the listing.
            assertEquals(rest.get("sentClientOrderId").asText(), rest.get("clientOrderId").asText(), rest.toString());
            assertEquals(rest.get("sentClientOrderId").asText(), rest.get("listedClientOrderId").asText(),
                    rest.toString());
            assertEquals("accepted", s.get("restCancel").get("status").asText(), s.get("restCancel").toString());

            // The agent, approved by an ethers-signed ApproveAgent, places an order with its Ed25519 signature.
            JsonNode agentPart = s.get("agent");
            assertEquals("accepted", agentPart.get("approval").asText(), agentPart.toString());
            assertEquals("accepted", agentPart.get("order").get("status").asText(), agentPart.toString());
            long agentOrder = agentPart.get("order").get("orderId").asLong();

            // A WebSocket session opened by an ethers-signed Session, its account stream subscribed by address: an order
            // placed and canceled in it.
            JsonNode session = s.get("session");
            assertEquals("ack", session.get("login").asText(), session.toString());
            assertTrue(session.get("session").asLong() > 0, session.toString());
            assertEquals(s.get("accounts").get("bob"), session.get("subscribed").get("account"), session.toString());
            assertEquals("ack", session.get("order").get("type").asText(), session.toString());
            assertEquals("ack", session.get("cancel").asText(), session.toString());
            assertEquals("canceled", session.get("streamedCancel").asText(), session.toString());

            // Bob's session order crossed both of alice's asks: two trades, on both accounts' fills.
            JsonNode trade = s.get("trade");
            long taker = trade.get("order").get("orderId").asLong();
            assertDecimal(trade.get("quantity"), trade.get("order").get("filledQuantity"));
            assertEquals(2, trade.get("streamedFills").size(), trade.toString());
            Set<Long> makers = Set.of(rest.get("orderId").asLong(), agentOrder);
            Set<Long> aliceTrades = new HashSet<>();
            Set<Long> makerOrders = new HashSet<>();
            for (JsonNode fill : s.get("fills").get("alice")) {
                assertEquals("sell", fill.get("side").asText(), fill.toString());
                assertEquals("maker", fill.get("liquidity").asText(), fill.toString());
                aliceTrades.add(fill.get("tradeId").asLong());
                makerOrders.add(fill.get("orderId").asLong());
            }
            assertEquals(makers, makerOrders, "alice's fills are her REST order's and her agent's");
            Set<Long> bobTrades = new HashSet<>();
            for (JsonNode fill : s.get("fills").get("bob")) {
                assertEquals("buy", fill.get("side").asText(), fill.toString());
                assertEquals("taker", fill.get("liquidity").asText(), fill.toString());
                assertEquals(taker, fill.get("orderId").asLong(), fill.toString());
                bobTrades.add(fill.get("tradeId").asLong());
            }
            assertEquals(2, aliceTrades.size(), s.get("fills").toString());
            assertEquals(aliceTrades, bobTrades, "the same two trades on both sides");
            for (JsonNode fill : trade.get("streamedFills")) {
                assertTrue(bobTrades.contains(fill.get("tradeId").asLong()), "streamed fill is a REST fill: " + fill);
            }
            BigDecimal quantity = new BigDecimal(trade.get("quantity").asText());
            assertPosition(s.get("positions").get("alice"), "short", quantity);
            assertPosition(s.get("positions").get("bob"), "long", quantity);
            // Balances moved by the trades' fees (opening a perpetual position moves cash by fees only): the taker paid.
            for (String who : List.of("alice", "bob")) {
                BigDecimal before = new BigDecimal(s.get("balancesBefore").get(who).get("balance").asText());
                BigDecimal after = new BigDecimal(s.get("balancesAfterTrade").get(who).get("balance").asText());
                assertTrue(who.equals("alice") ? after.compareTo(before) != 0 : after.compareTo(before) < 0,
                        who + "'s balance moved: " + before + " -> " + after);
            }

            // The order signed at one price and sent at the next tick is refused: 8004, naming the address the node
            // recovered from the altered fields (what ethers recovers too) and the account's.
            JsonNode tampered = s.get("tampered");
            assertEquals(401, tampered.get("status").asInt(), tampered.toString());
            assertEquals(8004, tampered.get("body").get("code").asInt(), tampered.toString());
            String message = tampered.get("body").get("message").asText().toLowerCase(Locale.ROOT);
            String recovered = tampered.get("recovered").asText().toLowerCase(Locale.ROOT);
            assertNotEquals(bob.address().toLowerHex(), recovered);
            assertTrue(message.contains(recovered), "the node names the signer it recovered: " + tampered);
            assertTrue(message.contains(bob.address().toLowerHex()), "and the account's address: " + tampered);
            Matcher digest = DIGEST.matcher(message);
            assertTrue(digest.find(), "the node gives the digest it computed: " + message);
            assertEquals(tampered.get("digest").asText().toLowerCase(Locale.ROOT), digest.group(),
                    "the digest in the message is the one ethers computes for the fields as sent");

            // docs/auth.md: a body's absent trigger source is signed as LAST (0), not as 255.
            JsonNode as255 = s.get("triggerSource255");
            assertEquals(401, as255.get("status").asInt(), as255.toString());
            assertEquals(8004, as255.get("body").get("code").asInt(), as255.toString());

            // The withdrawal: alice's balance fell by exactly the amount.
            JsonNode withdrawal = s.get("withdrawal");
            assertEquals("accepted", withdrawal.get("status").asText(), withdrawal.toString());
            BigDecimal drop = new BigDecimal(withdrawal.get("balanceBefore").get("balance").asText())
                    .subtract(new BigDecimal(withdrawal.get("balanceAfter").get("balance").asText()));
            assertEquals(0, drop.compareTo(new BigDecimal(withdrawal.get("amount").asText())), withdrawal.toString());

            // The Java client, signing on its own, reads the same account as the script did.
            MeridianClient aliceClient = anonymous.signedBy(Signer.owner(alice, anonymous.domain()));
            assertEquals(s.get("accounts").get("alice").asLong(),
                    aliceClient.account(alice.address()).get("account").asLong());
            assertEquals(s.get("fills").get("alice"),
                    aliceClient.send("GET", "/v1/fills?account=" + s.get("accounts").get("alice").asLong()
                            + "&instrument=" + INSTRUMENT, null));
        }

        // Every request ethers and the agent signed is in the journal and proven from it alone.
        StringBuilder report = new StringBuilder();
        JournalVerifier.Result verified = JournalVerifier.verify(temp.resolve("data"), MeridianTypes.devDomain(),
                new JournalVerifier.Listener() {
                    @Override
                    public void signatures(String text) {
                        report.append(text);
                    }
                });
        assertTrue(verified.ok(), verified.failure() + "\n" + report);
        assertTrue(report.toString().contains("0 made by account id"), report.toString());
        assertTrue(report.toString().contains("1 session logins); 3 made in signed sessions"), report.toString());
    }

    /** Runs the script with {@code env}; its progress goes to this test's output, its summary is returned. */
    private JsonNode runScript(Map<String, String> env) throws IOException, InterruptedException {
        Path dir = interopDir();
        if (!Files.isDirectory(dir.resolve("node_modules/ethers"))) {
            throw new IllegalStateException("ethers is not installed in " + dir + ": build the client module (its"
                    + " build runs interop/build.sh, npm ci from the pinned lockfile)");
        }
        Path out = temp.resolve("interop.out");
        Path err = temp.resolve("interop.err");
        ProcessBuilder builder = new ProcessBuilder("node", "interop.mjs")
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean done = process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String log = Files.readString(err, StandardCharsets.UTF_8);
        System.out.print(log);
        String summary = Files.readString(out, StandardCharsets.UTF_8);
        System.out.print("interop summary: " + summary);
        assertTrue(done, "the script finished within " + SCRIPT_TIMEOUT_SECONDS + " s");
        assertEquals(0, process.exitValue(), "the script failed:\n" + log);
        return JSON.readTree(summary);
    }

    private static Path interopDir() {
        for (Path candidate : List.of(Path.of("interop"), Path.of("client", "interop"))) {
            if (Files.isRegularFile(candidate.resolve("interop.mjs"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("client/interop/interop.mjs not found from " + Path.of("").toAbsolutePath());
    }

    private static Path docs() {
        return interopDir().getParent().getParent().resolve("docs");
    }

    private static byte[] bytes(SecureRandom random) {
        byte[] out = new byte[32];
        random.nextBytes(out);
        return out;
    }

    private static void assertDecimal(JsonNode expected, JsonNode actual) {
        assertEquals(0, new BigDecimal(expected.asText()).compareTo(new BigDecimal(actual.asText())),
                "expected " + expected + ", was " + actual);
    }

    private static void assertPosition(JsonNode positions, String side, BigDecimal size) {
        assertEquals(1, positions.size(), positions.toString());
        JsonNode p = positions.get(0);
        assertEquals(side, p.get("side").asText(), p.toString());
        assertEquals(0, new BigDecimal(p.get("size").asText()).abs().compareTo(size), p.toString());
    }
}
