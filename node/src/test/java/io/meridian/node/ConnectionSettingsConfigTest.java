package io.meridian.node;

import io.meridian.node.connection.ConnectionSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config's {@code connections} section and the production rules: defaults, overrides, refusals naming the key. */
class ConnectionSettingsConfigTest {
    private static final String DEV = "{\"devMode\":true,\"connections\":";
    private static final String DOMAIN = "\"auth\":{\"chainId\":1,"
            + "\"verifyingContract\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}";

    @Test
    void leftOutSettingsTakeTheDefaults() throws Exception {
        ConnectionSettings d = NodeConfig.parse("{\"devMode\":true}").connections();
        assertEquals(ConnectionSettings.DEFAULTS, d);
        assertEquals(0, d.maxConnections(), "automatic: bounded by the file-descriptor limit at start");
        assertEquals(1_000, d.maxConnectionsPerAddress());
        assertEquals(10_000, d.headerTimeoutMillis());
        assertEquals(30_000, d.requestTimeoutMillis());
        assertEquals(60_000, d.idleTimeoutMillis());
        assertEquals(16, d.maxPipelinedRequests());
        assertEquals(30_000, d.webSocketPingMillis());
        assertEquals(90_000, d.webSocketIdleTimeoutMillis());
        assertNull(d.allowedHosts(), "the bound host and the loopback names");
        assertEquals(List.of(), d.allowedOrigins(), "no cross-origin access");
        assertEquals(600, d.corsMaxAgeSeconds());
        assertEquals(ConnectionSettings.DEFAULTS, NodeConfig.defaults().connections());

        ConnectionSettings set = NodeConfig.parse(DEV + "{\"maxConnections\":500,\"maxConnectionsPerAddress\":20,"
                + "\"headerTimeoutMillis\":5000,\"requestTimeoutMillis\":20000,\"idleTimeoutMillis\":30000,"
                + "\"maxPipelinedRequests\":4,\"webSocketPingMillis\":10000,\"webSocketIdleTimeoutMillis\":25000,"
                + "\"allowedHosts\":[\"API.Venue.example\"],\"allowedOrigins\":[\"https://App.Venue.example\"],"
                + "\"corsMaxAgeSeconds\":60}}").connections();
        assertEquals(new ConnectionSettings(500, 20, 5_000, 20_000, 30_000, 4, 10_000, 25_000,
                List.of("api.venue.example"), List.of("https://app.venue.example"), 60), set);
        // Production: its own domain, a public bind with its host names.
        NodeConfig production = NodeConfig.parse("{\"httpHost\":\"0.0.0.0\"," + DOMAIN
                + ",\"connections\":{\"allowedHosts\":[\"api.venue.example\"]}}");
        assertEquals(1, production.auth().chainId());
        assertTrue(production.auth().signaturesRequired());
    }

    @Test
    void badValuesAreRefusedWithTheKeyNamed() {
        String[][] cases = {
            {DEV + "{\"maxConnections\":-1}}", "connections.maxConnections: must be 0 (automatic) or 1..1000000"},
            {DEV + "{\"maxConnections\":10,\"maxConnectionsPerAddress\":11}}",
                "connections.maxConnectionsPerAddress: must be 1..maxConnections, was 11"},
            {DEV + "{\"maxConnectionsPerAddress\":0}}", "connections.maxConnectionsPerAddress"},
            {DEV + "{\"headerTimeoutMillis\":10}}", "connections.headerTimeoutMillis: must be 100..600000, was 10"},
            {DEV + "{\"headerTimeoutMillis\":5000,\"requestTimeoutMillis\":4000}}",
                "connections.requestTimeoutMillis: must be headerTimeoutMillis..3600000, was 4000"},
            {DEV + "{\"idleTimeoutMillis\":0}}", "connections.idleTimeoutMillis"},
            {DEV + "{\"maxPipelinedRequests\":0}}", "connections.maxPipelinedRequests: must be 1..1024, was 0"},
            {DEV + "{\"webSocketPingMillis\":50}}", "connections.webSocketPingMillis"},
            {DEV + "{\"webSocketPingMillis\":1000,\"webSocketIdleTimeoutMillis\":1500}}",
                "connections.webSocketIdleTimeoutMillis: must be at least twice webSocketPingMillis"},
            {DEV + "{\"allowedHosts\":[]}}", "connections.allowedHosts: 1..64 entries, was 0"},
            {DEV + "{\"allowedHosts\":[\"api.example.com:443\"]}}",
                "connections.allowedHosts[0]: a host name or address without port"},
            {DEV + "{\"allowedHosts\":[\"bad host\"]}}", "connections.allowedHosts[0]"},
            {DEV + "{\"allowedOrigins\":[\"https://app.example.com/\"]}}",
                "connections.allowedOrigins[0]: an origin as browsers send it"},
            {DEV + "{\"allowedOrigins\":[\"null\"]}}", "connections.allowedOrigins[0]"},
            {DEV + "{\"allowedOrigins\":[\"ftp://app.example.com\"]}}", "connections.allowedOrigins[0]"},
            {DEV + "{\"corsMaxAgeSeconds\":86401}}", "connections.corsMaxAgeSeconds: must be 0..86400"},
            {DEV + "{\"maxConections\":1}}", "unknown field 'maxConections'"},
            {DEV + "{\"headerTimeoutMillis\":\"ten\"}}", "connections.headerTimeoutMillis"},
            // Production: the development EIP-712 domain, and a public bind without host names.
            // Both fields are the development domain's: two problems, one for each.
            {"{}", "auth.chainId: required outside dev mode"},
            {"{}", "auth.verifyingContract: required outside dev mode"},
            {"{\"auth\":{\"mode\":\"open\"}}", "auth.chainId: required outside dev mode"},
            {"{\"auth\":{\"chainId\":5}}", "auth.verifyingContract: required outside dev mode"},
            {"{\"auth\":{\"verifyingContract\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}}",
                "auth.chainId: required outside dev mode"},
            {"{\"httpHost\":\"10.0.0.7\"," + DOMAIN + "}",
                "connections.allowedHosts: required outside dev mode when httpHost (10.0.0.7) is not a loopback"},
        };
        for (String[] c : cases) {
            NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class, () -> NodeConfig.parse(c[0]),
                    c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
