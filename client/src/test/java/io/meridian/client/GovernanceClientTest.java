package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.model.RiskBounds;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's governance calls on a node in auth mode signed: an admin without an account proposes, another approves,
 * a third vetoes another proposal; the reads show it; an agent signer cannot make governance requests.
 */
class GovernanceClientTest {
    @TempDir
    Path temp;

    private static Secp256k1PrivateKey key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Secp256k1PrivateKey.of(bytes);
    }

    @Test
    void adminsProposeApproveAndVetoWithTheirOwnKeys() throws Exception {
        List<Secp256k1PrivateKey> admins = List.of(key(1), key(2), key(3));
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536,
                true, d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.signed())
                .withGovernance(new NodeConfig.Governance(admins.stream().map(k -> k.address().toChecksumHex()).toList(),
                        2, 3_600_000L), null);
        try (Node node = Node.start(config)) {
            MeridianClient anonymous = new MeridianClient("http://127.0.0.1:" + node.httpPort());
            Eip712Domain domain = anonymous.domain();
            MeridianClient[] clients = admins.stream().map(k -> anonymous.signedBy(Signer.owner(k, domain)))
                    .toArray(MeridianClient[]::new);
            RiskBounds bounds = new RiskBounds(1_000_000, 2_000_000, 500_000, 50_000, 60_000);
            long id = clients[0].proposeRiskBounds(1, bounds).get("proposalId").asLong();
            long other = clients[2].proposeRiskBounds(2, bounds).get("proposalId").asLong();
            assertEquals("accepted", clients[1].cancelProposal(other).get("status").asText());
            assertEquals("accepted", clients[1].approveProposal(id).get("status").asText());

            JsonNode governance = anonymous.governance();
            assertEquals(1, governance.get("proposals").size(), governance.toString());
            JsonNode queued = governance.get("proposals").get(0);
            assertEquals("queued", queued.get("state").asText());
            assertEquals(List.of(admins.get(0).address().toChecksumHex(), admins.get(1).address().toChecksumHex()),
                    List.of(queued.get("approvals").get(0).asText(), queued.get("approvals").get(1).asText()));
            assertEquals("2", queued.get("bounds").get("ceiling").asText());
            assertTrue(queued.get("eta").asLong() > 0);
            assertEquals(2, anonymous.riskParameters().size(), "both perpetuals");
            assertTrue(anonymous.riskParameters(1).get(0).get("bounds").isNull(), "the timelock has not ended");

            ApiException again = assertThrows(ApiException.class, () -> clients[2].approveProposal(id));
            assertEquals(9008, again.code(), again.getMessage());
            MeridianClient agent = anonymous.signedBy(Signer.agent(admins.get(0).address(),
                    AgentSigner.random(new java.security.SecureRandom()), domain));
            assertThrows(IllegalStateException.class, () -> agent.approveProposal(id));
        }
    }
}
