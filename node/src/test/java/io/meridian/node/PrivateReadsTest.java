package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Address;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.ReadAccess;
import io.meridian.auth.Secp256k1PrivateKey;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Private data is private (issue 16): on a node in auth mode signed, balances, positions, open orders, fills, greeks and
 * an account by id or address are answered only to a read token of the account's owner (or an approved agent), and
 * the account stream only to a connection logged in as the owner or carrying such a token. Before, anyone could read
 * any account by id or address, and ids were sequential, so the whole venue could be enumerated.
 */
class PrivateReadsTest extends NodeHttpTest {
    private static final long SEED = 20261206L;
    private static final String[] PRIVATE = {"/v1/balances?account=%d", "/v1/positions?account=%d",
        "/v1/orders?account=%d", "/v1/fills?account=%d", "/v1/greeks?account=%d", "/v1/accounts/%d"};

    private NodeConfig signedDevConfig() {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 4096, true,
                d.assets(), unbandedInstruments(d), 1_000, 50_000, NodeConfig.Auth.signed());
    }

    private HttpResponse<String> read(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (token != null) {
            request.header("X-Meridian-Read-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long deposit(Secp256k1PrivateKey owner) throws Exception {
        String address = owner.address().toChecksumHex();
        postOk("/v1/dev/deposit", "{\"address\":\"" + address + "\",\"asset\":0,\"amount\":\"100000\"}");
        String token = token(owner, 60_000);
        return JSON.readTree(read("/v1/accounts/" + address, token).body()).path("account").asLong();
    }

    private static String token(Secp256k1PrivateKey owner, long lifetimeMillis) {
        long now = System.currentTimeMillis();
        return ReadAccess.signAsOwner(MeridianTypes.devDomain(), owner, now + lifetimeMillis, now).text();
    }

    @Test
    void privateReadsNeedTheOwnersReadTokenAndAccountsCannotBeEnumerated() throws Exception {
        System.out.println("PrivateReadsTest seed " + SEED);
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SEED);
        Secp256k1PrivateKey alice = Secp256k1PrivateKey.random(random);
        Secp256k1PrivateKey bob = Secp256k1PrivateKey.random(random);
        try (Node node = Node.start(signedDevConfig())) {
            base = "http://127.0.0.1:" + node.httpPort();
            long aliceAccount = deposit(alice);
            long bobAccount = deposit(bob);
            assertTrue(aliceAccount > 1L << 32 && bobAccount > 1L << 32, aliceAccount + " " + bobAccount);
            assertTrue(Math.abs(aliceAccount - bobAccount) > 1_000_000, "ids are not handed out in order");
            String aliceToken = token(alice, 60_000);

            for (String route : PRIVATE) {
                String path = String.format(route, aliceAccount);
                assertError(read(path, null), 401, "a read token is required");
                assertEquals(200, read(path, aliceToken).statusCode(), path);
                assertError(read(String.format(route, bobAccount), aliceToken), 403,
                        "the read token does not cover this account");
            }
            // By address, and with no account named at all: the token's own account.
            assertEquals(200, read("/v1/balances?address=" + alice.address().toChecksumHex(), aliceToken).statusCode());
            assertError(read("/v1/balances?address=" + bob.address().toChecksumHex(), aliceToken), 403, "cover");
            assertError(read("/v1/accounts/" + bob.address().toChecksumHex(), aliceToken), 403, "cover");
            JsonNode own = JSON.readTree(read("/v1/accounts/" + alice.address().toChecksumHex(), aliceToken).body());
            assertEquals(aliceAccount, own.path("account").asLong());
            assertEquals(200, read("/v1/balances", aliceToken).statusCode());

            // Enumeration: every id answers the same refusal, whether an account has it or not.
            Set<String> bodies = new HashSet<>();
            for (long id : new long[] {1, 2, 3, 9, (1L << 32), (1L << 32) + 1, (1L << 32) + 2, bobAccount,
                    bobAccount + 1}) {
                HttpResponse<String> answer = read("/v1/accounts/" + id, aliceToken);
                assertEquals(403, answer.statusCode(), answer.body());
                bodies.add(answer.body());
            }
            assertEquals(1, bodies.size(), "one answer for another's account and for none: " + bodies);

            // Tokens that end, last too long, or were signed for another venue or by someone else.
            long now = System.currentTimeMillis();
            String ended = ReadAccess.signAsOwner(MeridianTypes.devDomain(), alice, now - 1, now - 10).text();
            assertError(read("/v1/balances", ended), 401, "read token refused: the read token ended");
            assertError(read("/v1/balances", token(alice, 2 * 3_600_000L)), 401, "at most");
            String otherVenue = ReadAccess.signAsOwner(MeridianTypes.domain(1, Address.parseOrThrow(
                    "0x000000000000000000000000000000000000bEEF")), alice, now + 60_000, now).text();
            assertError(read("/v1/balances", otherVenue), 401, "read token refused");
            ReadAccess forged = new ReadAccess(alice.address(), now + 60_000, now);
            String byBob = new ReadAccess.Token(forged, bob.sign(forged.digest(MeridianTypes.devDomain()))).text();
            assertError(read("/v1/balances", byBob), 401, "read token refused");
            assertError(read("/v1/balances", "0xnot-a-token"), 401, "read token refused");

            // An agent's token is good while its approval is; public data needs none.
            AgentSigner bot = AgentSigner.random(random);
            String botToken = ReadAccess.signAsAgent(MeridianTypes.devDomain(), alice.address(), bot, now + 60_000,
                    now).text();
            assertError(read("/v1/balances", botToken), 403, "cover");
            assertEquals(200, read("/v1/book/1", null).statusCode());
            assertEquals(200, read("/v1/instruments", null).statusCode());
        }
    }

    @Test
    void theAccountStreamNeedsALoginOrAReadToken() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SEED + 1);
        Secp256k1PrivateKey alice = Secp256k1PrivateKey.random(random);
        Secp256k1PrivateKey bob = Secp256k1PrivateKey.random(random);
        try (Node node = Node.start(signedDevConfig())) {
            base = "http://127.0.0.1:" + node.httpPort();
            long aliceAccount = deposit(alice);
            deposit(bob);
            TextFrames frames = new TextFrames();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                    + "/ws"), frames).get(10, TimeUnit.SECONDS);
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":" + aliceAccount + "}", true)
                    .get(5, TimeUnit.SECONDS);
            JsonNode refused = JSON.readTree(frames.frames.poll(10, TimeUnit.SECONDS));
            assertEquals("error", refused.path("type").asText(), refused.toString());
            assertEquals(440, refused.path("code").asInt(), refused.toString());

            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":" + aliceAccount
                    + ",\"token\":\"" + token(bob, 60_000) + "\"}", true).get(5, TimeUnit.SECONDS);
            JsonNode other = JSON.readTree(frames.frames.poll(10, TimeUnit.SECONDS));
            assertEquals(443, other.path("code").asInt(), other.toString());

            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":" + aliceAccount
                    + ",\"token\":\"" + token(alice, 60_000) + "\"}", true).get(5, TimeUnit.SECONDS);
            // Subscribed: a deposit to Alice now reaches this stream as a balance message.
            postOk("/v1/dev/deposit", "{\"address\":\"" + alice.address().toChecksumHex()
                    + "\",\"asset\":0,\"amount\":\"5\"}");
            JsonNode balance = null;
            for (int i = 0; i < 10 && balance == null; i++) {
                String text = frames.frames.poll(10, TimeUnit.SECONDS);
                JsonNode frame = text == null ? null : JSON.readTree(text);
                if (frame != null && "balance".equals(frame.path("type").asText())) {
                    balance = frame;
                }
                assertTrue(frame == null || !"error".equals(frame.path("type").asText()), String.valueOf(frame));
            }
            assertEquals(aliceAccount, balance.path("account").asLong(), String.valueOf(balance));
            socket.abort();
        }
    }
}
