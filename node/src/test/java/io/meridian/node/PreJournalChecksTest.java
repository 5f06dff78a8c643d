package io.meridian.node;

import io.meridian.auth.AgentSigner;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.journal.JournalReader;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cheap checks before the journal (issue 16): a replay of an accepted signed order, an order signed by a key whose
 * address owns no account, and an order by an agent that was never approved are refused at the gateway with the
 * engine's own reason, without a journal record and without charging the victim's rate limit. Before, each was
 * sequenced and journaled as a reject, and replays drained the owner's order limit (the owner's own orders got 429).
 */
class PreJournalChecksTest extends NodeHttpTest {
    private static final long SEED = 20261207L;

    /** Signed mode, dev routes on, 5 orders a second per account (bursts of 10). */
    private NodeConfig signedLimitedConfig() {
        return signedConfig(5);
    }

    private static String order(Secp256k1PrivateKey owner, long nonce) {
        return signedOrderBody(owner, nonce);
    }

    private static String agentOrder(Secp256k1PrivateKey owner, AgentSigner agent, long nonce) {
        Command c = new Command().limit(0, 1, 0, Side.BUY, 400_000, 1, TimeInForce.GTC);
        c.nonce = nonce;
        SignedCommands.signAsAgent(c, MeridianTypes.devDomain(), owner.address(), agent);
        return "{\"address\":\"" + owner.address().toChecksumHex() + "\",\"nonce\":" + nonce + ",\"signature\":\""
                + Hex.encode0x(c.signature) + "\",\"agentKey\":\"" + agent.publicKey().toHex()
                + "\",\"instrument\":1,\"side\":\"buy\",\"price\":\"40000\",\"quantity\":\"0.001\"}";
    }

    /**
     * The journal's records other than the ticker's TIME_TICKs (a tick is journaled every second, so the sequence
     * alone cannot tell whether a request was journaled): the node must be stopped first.
     */
    private List<CommandType> journaledCommands() {
        List<CommandType> types = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(temp.resolve("data"))) {
            Command c = new Command();
            while (reader.next()) {
                CommandType type = reader.decode(c).type;
                if (type != CommandType.TIME_TICK) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    @Test
    void replaysStrangersAndUnapprovedAgentsNeverReachTheJournalNorTheOwnersLimit() throws Exception {
        System.out.println("PreJournalChecksTest seed " + SEED);
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SEED);
        Secp256k1PrivateKey victim = Secp256k1PrivateKey.random(random);
        try (Node node = Node.start(signedLimitedConfig())) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"address\":\"" + victim.address().toChecksumHex()
                    + "\",\"asset\":0,\"amount\":\"100000\"}");
            long nonce = System.currentTimeMillis();
            String accepted = order(victim, nonce);
            postOk("/v1/orders", accepted);

            // An eavesdropper replays the accepted order 40 times: far past the victim's burst of 10.
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> replay = post("/v1/orders", accepted);
                assertError(replay, 401, "NONCE_REUSED");
                assertEquals(8009, JSON.readTree(replay.body()).path("code").asInt());
            }
            // Strangers: fresh keys that own no account sign orders.
            for (int i = 0; i < 20; i++) {
                Secp256k1PrivateKey stranger = Secp256k1PrivateKey.random(random);
                assertError(post("/v1/orders", order(stranger, nonce + i)), 401, "UNKNOWN_ADDRESS");
            }
            // An agent key the victim never approved.
            AgentSigner rogue = AgentSigner.random(random);
            for (int i = 0; i < 20; i++) {
                assertError(post("/v1/orders", agentOrder(victim, rogue, nonce + 100 + i)), 401,
                        "AGENT_NOT_AUTHORISED");
            }
            // A nonce from long ago.
            assertError(post("/v1/orders", order(victim, nonce - 3L * 24 * 3_600_000)), 401, "NONCE_TOO_OLD");

            // The victim's own next orders go through: the replays took nothing of the limit.
            for (int i = 1; i <= 5; i++) {
                postOk("/v1/orders", order(victim, nonce + i));
            }
        }
        // Journaled: the node's set-up, the deposit and the victim's six orders; nothing of the 81 refusals.
        List<CommandType> journaled = journaledCommands();
        assertEquals(6, journaled.stream().filter(t -> t == CommandType.PLACE_ORDER).count(), journaled.toString());
        assertEquals(1, journaled.stream().filter(t -> t == CommandType.DEPOSIT).count(), journaled.toString());
    }
}
