package io.meridian.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meridian.model.IndexSpec;

import org.junit.jupiter.api.Test;

/** The index guards in the node config: defaults, overrides, and refusals with the field named. */
class IndexGuardsConfigTest {
    private static final String INDEX = "{\"devMode\":true,\"indexes\":[{\"id\":1,\"symbol\":\"BTC\",\"priceDecimals\":2,"
            + "\"sources\":[\"a\",\"b\",\"c\"]";

    @Test
    void leftOutGuardsKeepTheEngineDefaults() throws Exception {
        NodeConfig config = NodeConfig.parse(INDEX + "}]}");
        IndexSpec spec = NodeConfig.indexSpec(config.markets().indexes().get(0));
        assertEquals(IndexSpec.of(1, "BTC", 2, "a", "b", "c"), spec);
        assertEquals(5_000, spec.maxMovePpmPerSecond());
        assertEquals(100_000, spec.maxDivergencePpm());
        assertEquals(600_000_000_000L, spec.divergenceWindowNanos());
        assertEquals(true, spec.holdOnDivergence());
    }

    @Test
    void configuredGuardsReachTheIndexSpec() throws Exception {
        NodeConfig config = NodeConfig.parse(INDEX + ",\"maxMovePpmPerSecond\":2000,\"maxDivergencePpm\":150000,"
                + "\"divergenceWindowSeconds\":300,\"holdOnDivergence\":false}]}");
        IndexSpec spec = NodeConfig.indexSpec(config.markets().indexes().get(0));
        assertEquals(2_000, spec.maxMovePpmPerSecond());
        assertEquals(150_000, spec.maxDivergencePpm());
        assertEquals(300_000_000_000L, spec.divergenceWindowNanos());
        assertEquals(false, spec.holdOnDivergence());
        IndexSpec off = NodeConfig.indexSpec(NodeConfig.parse(INDEX + ",\"maxMovePpmPerSecond\":0,"
                + "\"maxDivergencePpm\":0}]}").markets().indexes().get(0));
        assertEquals(0, off.maxMovePpmPerSecond());
        assertEquals(0, off.maxDivergencePpm());
    }

    @Test
    void badGuardsAreRefusedAtStartWithTheFieldNamed() {
        String[][] cases = {
            {INDEX + ",\"maxMovePpmPerSecond\":-1}]}", "indexes[0].maxMovePpmPerSecond: must be 0 (off) .. 999999"},
            {INDEX + ",\"maxMovePpmPerSecond\":1000000}]}", "indexes[0].maxMovePpmPerSecond"},
            {INDEX + ",\"maxDivergencePpm\":1000000}]}", "indexes[0].maxDivergencePpm: must be 0 (off) .. 999999"},
            {INDEX + ",\"divergenceWindowSeconds\":0}]}", "indexes[0].divergenceWindowSeconds: must be 1 .. 86400"},
            {INDEX + ",\"divergenceWindowSeconds\":86401}]}", "indexes[0].divergenceWindowSeconds"},
        };
        NodeHttpTest.assertConfigsRefused(cases);
    }
}
