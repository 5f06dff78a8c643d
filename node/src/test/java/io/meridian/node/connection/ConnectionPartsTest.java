package io.meridian.node.connection;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces under the connection system tests: address keys, the descriptor budget, Host parsing, origins. */
class ConnectionPartsTest {
    @Test
    void anIpv6ClientCountsPerSlash64AndAnIpv4OnePerAddress() throws Exception {
        Object a = ConnectionCaps.key(address("2001:db8:1:2::1"));
        Object b = ConnectionCaps.key(address("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Object c = ConnectionCaps.key(address("2001:db8:1:3::1"));
        assertEquals(a, b, "one /64: one client");
        assertNotEquals(a, c);
        assertEquals(ConnectionCaps.key(address("10.0.0.1")), ConnectionCaps.key(address("10.0.0.1")));
        assertNotEquals(ConnectionCaps.key(address("10.0.0.1")), ConnectionCaps.key(address("10.0.0.2")));
        assertEquals("unknown", ConnectionCaps.key(null));
    }

    @Test
    void theConnectionCapFitsTheDescriptorLimit() {
        int room = FileDescriptors.RESERVED + ConnectionCaps.MAX_LINGERING;
        assertEquals(ConnectionSettings.DEFAULT_MAX_CONNECTIONS, FileDescriptors.effectiveMaxConnections(0, 1 << 20));
        assertEquals(1024 - room, FileDescriptors.effectiveMaxConnections(0, 1024), "automatic: lowered to fit");
        assertEquals(300, FileDescriptors.effectiveMaxConnections(300, 1024));
        assertEquals(1024 - room, FileDescriptors.effectiveMaxConnections(1024 - room, 1024));
        IllegalStateException tooMany = assertThrows(IllegalStateException.class,
                () -> FileDescriptors.effectiveMaxConnections(1024 - room + 1, 1024));
        assertTrue(tooMany.getMessage().startsWith("connections.maxConnections: " + (1024 - room + 1)),
                tooMany.getMessage());
        assertThrows(IllegalStateException.class, () -> FileDescriptors.effectiveMaxConnections(0, room + 10));
        assertEquals(50_000, FileDescriptors.effectiveMaxConnections(50_000, -1), "no known limit");
    }

    @Test
    void hostHeadersParseToTheirHost() {
        assertEquals("api.example.com", Hosts.hostOf("API.Example.com:8443"));
        assertEquals("api.example.com", Hosts.hostOf("api.example.com."));
        assertEquals("::1", Hosts.hostOf("[::1]:8080"));
        assertEquals("127.0.0.1", Hosts.hostOf("127.0.0.1"));
        assertEquals(8080, Hosts.portOf("[::1]:8080"));
        assertEquals(-1, Hosts.portOf("example.com"));
        for (String bad : List.of("", "a b", "example.com:", "example.com:99999", "example.com:8a", "[::1", "a:b:c",
                "evil.example/path", "x@y")) {
            assertNull(Hosts.hostOf(bad), bad);
        }
        assertTrue(Hosts.isLoopback("127.0.0.1") && Hosts.isLoopback("localhost") && Hosts.isLoopback("::1"));
        assertFalse(Hosts.isLoopback("0.0.0.0") || Hosts.isLoopback("10.0.0.7"));
        assertTrue(Hosts.defaults("10.0.0.7").containsAll(List.of("10.0.0.7", "localhost", "127.0.0.1", "::1")));
        assertEquals("a".repeat(40) + "...", Hosts.bounded("a".repeat(100)));
        assertEquals("q???", Hosts.bounded("q\"\\\n"), "quotes, backslashes and controls are not echoed");
    }

    @Test
    void originsAreSchemeHostAndPortOnly() {
        assertTrue(ConnectionSettings.isOrigin("https://app.example.com"));
        assertTrue(ConnectionSettings.isOrigin("http://127.0.0.1:8080"));
        assertTrue(ConnectionSettings.isOrigin("https://[::1]:8443"));
        for (String bad : List.of("null", "app.example.com", "https://app.example.com/", "https://app.example.com/x",
                "ftp://app.example.com", "https://user@app.example.com", "https://app.example.com?x=1")) {
            assertFalse(ConnectionSettings.isOrigin(bad), bad);
        }
    }

    private static InetSocketAddress address(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 1234);
    }
}
