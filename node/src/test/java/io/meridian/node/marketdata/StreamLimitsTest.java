package io.meridian.node.marketdata;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The market-data settings: defaults, system properties, and refusals that name the setting. */
class StreamLimitsTest {
    @Test
    void defaultsAndOverrides() {
        StreamLimits d = StreamLimits.defaults();
        assertEquals(new StreamLimits(65_536, 512 << 10, 10_000, 64, 512, 4, 128 << 10), d);
        Properties p = new Properties();
        assertEquals(d, StreamLimits.from(p));
        p.setProperty("meridian.marketData.maxPendingBytes", "2097152");
        p.setProperty("meridian.marketData.maxSubscriptionsPerAddress", " 2000 ");
        p.setProperty("meridian.marketData.socketSendBuffer", "0");
        StreamLimits set = StreamLimits.from(p);
        assertEquals(2_097_152, set.maxPendingBytes());
        assertEquals(2000, set.maxSubscriptionsPerAddress());
        assertEquals(d.feedSlots(), set.feedSlots());
        assertEquals(0, set.socketSendBuffer());
    }

    @Test
    void badSettingsAreRefusedByName() {
        String[][] cases = {
                {"meridian.marketData.feedSlots", "1000", "feedSlots: must be a power of two"},
                {"meridian.marketData.feedSlots", "512", "feedSlots: must be a power of two 1024..4194304"},
                {"meridian.marketData.maxPendingBytes", "1024", "maxPendingBytes: must be 262144.."},
                {"meridian.marketData.maxPendingBytes", "1e6", "maxPendingBytes: must be a whole number"},
                {"meridian.marketData.slowConsumerTimeoutMillis", "0", "slowConsumerTimeoutMillis: must be 10.."},
                {"meridian.marketData.maxSubscriptionsPerConnection", "0", "maxSubscriptionsPerConnection: must be"},
                {"meridian.marketData.maxSubscriptionsPerAddress", "4294967297", "maxSubscriptionsPerAddress: out of"},
                {"meridian.marketData.maxSnapshotsInFlight", "-1", "maxSnapshotsInFlight: must be 1..1024"},
                {"meridian.marketData.socketSendBuffer", "4096", "socketSendBuffer: must be 0 or 16384..67108864"},
                {"meridian.marketData.maxPendingByte", "1", "unknown setting meridian.marketData.maxPendingByte"},
        };
        for (String[] c : cases) {
            Properties p = new Properties();
            p.setProperty(c[0], c[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamLimits.from(p),
                    c[0] + "=" + c[1]);
            assertTrue(e.getMessage().contains(c[2]), c[0] + "=" + c[1] + " -> " + e.getMessage());
        }
    }
}
