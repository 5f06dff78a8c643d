package io.meridian.node.settlement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.model.RiskBounds;
import io.meridian.node.ChainSettings;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import io.meridian.settlement.Chain;
import io.meridian.settlement.LocalChain;
import io.meridian.settlement.VaultContracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's risk bounds set by the vault's on-chain governance (docs/risk.md, "Governance on chain"), on a real
 * ganache and a real node: a 2-of-3 multisig with a 10-minute timelock proposes the vault's {@code publishRiskBounds};
 * executing it with one approval, or with two before the timelock, fails on chain and the engine's bounds are
 * untouched; with both and after the delay it executes, and K blocks later the node journals it and the bounds are in
 * force ({@code GET /v1/risk-parameters}), applied once however many polls see it; bounds the vault refuses never
 * reach the engine.
 */
class ChainGovernanceTest extends LocalChainTest {
    private static final int K = 2;
    private static final int ETH_PERP = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode riskParameters(Node node) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + node.httpPort() + "/v1/risk-parameters?instrument=" + ETH_PERP)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get(0);
    }

    @Test
    void boundsApprovedByTheMultisigAfterItsTimelockComeIntoForce() throws Exception {
        Chain.Sender operator = chain.sender(LocalChain.keyBytes(0));
        List<Chain.Sender> owners = List.of(chain.sender(LocalChain.keyBytes(1)), chain.sender(LocalChain.keyBytes(2)),
                chain.sender(LocalChain.keyBytes(3)));
        VaultContracts venue = VaultContracts.deployDev(chain, operator, operator.address(),
                owners.stream().map(Chain.Sender::address).toList(), 2, 600, 600);
        long from = chain.blockNumber();
        NodeConfig config = settlingConfig(dir, venue, K, from, new ChainSettings.Batch(86_400_000L, 1));
        Node node = Node.start(config);
        try {
            assertTrue(riskParameters(node).get("bounds").isNull());
            RiskBounds bounds = new RiskBounds(1_000_000, 2_500_000, 500_000, 50_000, 60_000);

            // Nobody but the multisig may publish; bounds the engine would refuse are refused by the vault too.
            Chain.ChainException direct = assertThrows(Chain.ChainException.class, () -> owners.get(0).transact(
                    venue.vault(), VaultContracts.publishRiskBounds(ETH_PERP, bounds)));
            assertTrue(direct.is("NotGovernor()"), direct.getMessage());
            long bad = venue.proposeVaultCall(owners.get(0), VaultContracts.publishRiskBounds(ETH_PERP,
                    new RiskBounds(2_000_000, 1_000_000, 1, 0, 0)));
            venue.approveProposal(owners.get(1), bad);
            chain.increaseTime(601);
            Chain.ChainException refused = assertThrows(Chain.ChainException.class,
                    () -> venue.executeProposal(owners.get(2), bad));
            assertTrue(refused.is("CallFailed(bytes)"), refused.getMessage());

            long id = venue.proposeVaultCall(owners.get(0), VaultContracts.publishRiskBounds(ETH_PERP, bounds));
            Chain.ChainException oneSignature = assertThrows(Chain.ChainException.class,
                    () -> venue.executeProposal(owners.get(2), id));
            assertTrue(oneSignature.is("NotQueued()"), oneSignature.getMessage());
            venue.approveProposal(owners.get(2), id);
            Chain.ChainException early = assertThrows(Chain.ChainException.class,
                    () -> venue.executeProposal(owners.get(1), id));
            assertTrue(early.is("TooEarly()"), early.getMessage());
            chain.mine(K + 2);
            Thread.sleep(1_000);
            assertTrue(riskParameters(node).get("bounds").isNull(), "nothing executed, nothing in force");
            assertEquals(0, venue.riskBoundsCount());

            chain.increaseTime(601);
            venue.executeProposal(owners.get(1), id);
            assertEquals(1, venue.riskBoundsCount());
            chain.mine(K);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (riskParameters(node).get("bounds").isNull()) {
                assertTrue(System.nanoTime() < deadline, "the executed publication never came into force");
                Thread.sleep(50);
            }
            JsonNode inForce = riskParameters(node).get("bounds");
            assertEquals("2.5", inForce.get("ceiling").asText(), inForce.toString());
            assertEquals("1", inForce.get("floor").asText(), inForce.toString());
            chain.mine(K);
            Thread.sleep(500);
            assertEquals(1L, node.settlement().status().get("riskBoundsApplied"), "applied once");
            assertEquals(1L, (long) node.engine().query(e -> e.view().lastChainRiskBoundsRef()).get(10, TimeUnit.SECONDS));
        } finally {
            node.close();
        }
    }
}
