package io.meridian.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code clusterMaxInFlight}: read from the file, defaulted, and refused out of range with the field named. */
class ClusterMaxInFlightConfigTest {
    @Test
    void readDefaultedAndChecked() throws NodeConfig.ConfigException {
        assertEquals(NodeConfig.DEFAULT_CLUSTER_MAX_IN_FLIGHT, NodeConfig.parse("{\"devMode\":true}").clusterMaxInFlight());
        assertEquals(NodeConfig.DEFAULT_CLUSTER_MAX_IN_FLIGHT, NodeConfig.defaults().clusterMaxInFlight());
        assertEquals(10, NodeConfig.parse("{\"devMode\":true,\"clusterMaxInFlight\":10}").clusterMaxInFlight());
        assertEquals(10, NodeConfig.parse("{\"devMode\":true,\"clusterMaxInFlight\":10}").withDataDirAndPort("elsewhere", 0)
                .clusterMaxInFlight(), "kept by the command line's overrides");
        NodeHttpTest.assertConfigsRefused(new String[][] {
            {"{\"devMode\":true,\"clusterMaxInFlight\":0}", "clusterMaxInFlight: must be 1..1048576, was 0"},
            {"{\"devMode\":true,\"clusterMaxInFlight\":1048577}", "clusterMaxInFlight: must be 1..1048576, was 1048577"},
            {"{\"devMode\":true,\"clusterMaxInFlight\":\"many\"}", "clusterMaxInFlight"},
        });
    }
}
