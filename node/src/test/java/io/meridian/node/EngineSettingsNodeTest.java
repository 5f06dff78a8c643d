package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.risk.margin.FeeTier;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine settings from the node config: they govern a new journal, stay pinned with it (a start without them uses
 * the journal's), and a start with other explicit settings is refused with the reason.
 */
class EngineSettingsNodeTest extends NodeHttpTest {
    private NodeConfig with(NodeConfig.EngineSection engine) {
        NodeConfig d = config();
        return new NodeConfig(d.dataDir(), d.httpHost(), 0, d.durability(), d.snapshotEveryCommands(), d.maxBodyBytes(),
                true, d.assets(), unbandedInstruments(d),
                d.ordersPerSecondPerAccount(), d.requestsPerSecondPerConnection(),
                d.auth(), false, d.markets(), false, engine);
    }

    private static NodeConfig.EngineSection twoOrders(long liquidationFeePpm) {
        return new NodeConfig.EngineSection(null, null, null, 2, List.of(new FeeTier(100, 300)),
                NodeConfig.LiquidationSection.ofFee(liquidationFeePpm), null);
    }

    private HttpResponse<String> order(int i) throws Exception {
        return post("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"" + (40_000 + i)
                + "\",\"quantity\":\"0.001\"}");
    }

    @Test
    void configuredSettingsArePinnedWithTheJournal() throws Exception {
        NodeConfig configured = with(twoOrders(7_000));
        assertEquals(2, configured.engineConfig().maxOpenOrdersPerAccount());
        assertEquals(7_000, configured.engineConfig().liquidation().feePpm());
        try (Node node = Node.start(configured)) {
            base = "http://127.0.0.1:" + node.httpPort();
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100000\"}");
            assertEquals(200, order(1).statusCode());
            assertEquals(200, order(2).statusCode());
            HttpResponse<String> third = order(3);
            assertEquals(422, third.statusCode(), third.body());
            assertEquals("TOO_MANY_OPEN_ORDERS", JSON.readTree(third.body()).get("reason").asText());
        }
        // Without explicit settings the journal's apply; the same explicit ones are fine.
        for (NodeConfig config : List.of(with(null), configured)) {
            try (Node node = Node.start(config)) {
                base = "http://127.0.0.1:" + node.httpPort();
                assertEquals(configured.engineConfig(), node.engine().query(e -> e.view().config()).get());
                JsonNode refused = JSON.readTree(order(4).body());
                assertEquals("TOO_MANY_OPEN_ORDERS", refused.get("reason").asText(), refused.toString());
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Node.start(with(twoOrders(8_000))));
        assertTrue(e.getMessage().contains("other engine settings"), e.getMessage());
    }

    @Test
    void badSettingsAreRefusedAtStartWithTheFieldNamed() {
        String[][] cases = {
            {"{\"engine\":{\"maxOpenOrdersPerAccount\":0}}", "engine: engine capacities must be positive"},
            {"{\"engine\":{\"liquidation\":{\"feePpm\":2000000}}}", "engine: invalid liquidation settings"},
            {"{\"engine\":{\"feeTiers\":[]}}", "unknown field 'feeTiers'"},
        };
        assertConfigsRefused(cases);
    }
}
