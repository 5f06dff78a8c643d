package io.meridian.node;

import io.meridian.node.NodeConfig.ConfigException;
import io.meridian.node.NodeConfig.Problem;
import io.meridian.node.binary.BinarySettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The config's {@code binary} section (docs/binary-protocol.md, "Enabling it"): absent is no listener; the defaults
 * fill what it leaves out; every bad value is refused with its path, with the config's other mistakes.
 */
class BinaryConfigTest {
    private static final String BASE = """
            {"devMode": true, "assets": [{"id": 0, "symbol": "USDC", "scale": 6}], "instruments": [
             {"id": 1, "symbol": "BTC-PERP", "base": "BTC", "settle": "USDC", "tickSize": "0.1", "lotSize": "0.001",
              "markPrice": "50000"}],
             "auth": {"mode": "open"}, "httpPort": 8080, "fix": {"port": 9878}""";

    @Test
    void absentIsNoListenerAndTheDefaultsFillTheRest() throws ConfigException {
        assertNull(NodeConfig.parse(BASE + "}").binary());
        BinarySettings binary = NodeConfig.parse(BASE + ", \"binary\": {\"port\": 9879}}").binary();
        assertEquals(9879, binary.port());
        assertEquals(512, binary.frameLimit());
        assertEquals(4 << 20, binary.outboundLimit());
        assertEquals(16, binary.perAddressLimit());
        assertEquals(5_000, binary.loginTimeout());
        assertEquals(10_000, binary.heartbeatInterval());
        assertEquals(8_192, binary.retransmitSlots());
        assertEquals(64, binary.sessionLimit());
    }

    @Test
    void everyBadValueIsReportedWithItsPath() {
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse(BASE + """
                , "binary": {"port": 8080, "maxFrameBytes": 10, "maxOutboundBytes": 1, "maxConnectionsPerAddress": 0,
                  "loginTimeoutMillis": 99, "heartbeatIntervalMillis": 400000, "retransmitMessages": 3000,
                  "maxSessions": 0}}"""));
        List<String> paths = e.problems().stream().map(Problem::path).toList();
        assertEquals(List.of("binary.port", "binary.maxFrameBytes", "binary.maxOutboundBytes",
                "binary.maxConnectionsPerAddress", "binary.loginTimeoutMillis", "binary.heartbeatIntervalMillis",
                "binary.retransmitMessages", "binary.maxSessions"), paths, e.getMessage());
        assertEquals("must differ from httpPort and fix.port, was 8080", e.problems().get(0).message());
        assertEquals("must be 256..65536, was 10", e.problems().get(1).message());
        assertEquals("must be a power of two, was 3000", e.problems().get(6).message());
        ConfigException missing = assertThrows(ConfigException.class, () -> NodeConfig.parse(BASE
                + ", \"binary\": {\"colour\": 1}}"));
        assertEquals(List.of("binary.colour", "binary.port"), missing.problems().stream().map(Problem::path).toList(),
                missing.getMessage());
    }
}
