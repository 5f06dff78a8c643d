package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/balances} and the account stream's {@code balance} messages name an asset alike (docs/api.md,
 * "Account stream"): {@code asset} its symbol and {@code assetId} its id, so a client joins the two without a table. A
 * real node with two assets; deposits of both move the stream, and each asset's last streamed balance is the one REST
 * answers once the node is quiet.
 */
class BalanceNamesTest extends NodeHttpTest {
    @Test
    void restAndTheStreamNameAssetsAlike() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        List<NodeConfig.Asset> assets = List.of(new NodeConfig.Asset(0, "USDC", 6), new NodeConfig.Asset(7, "WETH", 8));
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 4096,
                true, assets, unbandedInstruments(d));
        try (Node node = Node.start(config)) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":3,\"asset\":0,\"amount\":\"100\"}");
            try (JsonSocket socket = new JsonSocket(http, node.httpPort())) {
                socket.send("{\"op\":\"subscribe\",\"channel\":\"account\",\"account\":3}");
                socket.next("subscribed");
                postOk("/v1/dev/deposit", "{\"account\":3,\"asset\":0,\"amount\":\"250.5\"}");
                postOk("/v1/dev/deposit", "{\"account\":3,\"asset\":7,\"amount\":\"1.25\"}");
                // Each asset's newest streamed balance, by the names the stream gives it.
                Map<String, JsonNode> streamed = new HashMap<>();
                while (!(has(streamed.get("USDC"), "350.5") && has(streamed.get("WETH"), "1.25"))) {
                    JsonNode message = socket.next("balance");
                    assertTrue(message.get("asset").isTextual(), message.toString());
                    assertTrue(message.get("assetId").isInt(), message.toString());
                    streamed.put(message.get("asset").asText(), message);
                }
                JsonNode rest = ok("/v1/balances?account=3");
                assertEquals(2, rest.size(), rest.toString());
                for (JsonNode balance : rest) {
                    JsonNode same = streamed.get(balance.get("asset").asText());
                    assertNotNull(same, "the stream names " + balance.get("asset") + " as REST does: " + streamed);
                    assertEquals(balance.get("assetId"), same.get("assetId"), balance + " vs " + same);
                    for (String figure : new String[] {"balance", "equity", "initialMargin", "maintenanceMargin",
                        "health"}) {
                        assertEquals(balance.get(figure), same.get(figure), figure + ": " + balance + " vs " + same);
                    }
                }
                assertEquals(7, streamed.get("WETH").get("assetId").asInt());
                assertEquals(0, streamed.get("USDC").get("assetId").asInt());
            }
        }
    }

    private static boolean has(JsonNode balance, String amount) {
        return balance != null && balance.get("balance").asText().replaceFirst("\\.?0+$", "").equals(amount);
    }
}
