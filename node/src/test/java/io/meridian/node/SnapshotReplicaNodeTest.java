package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.journal.SnapshotStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node whose snapshots a replica takes: they are written, and a restart starts from the newest one. */
class SnapshotReplicaNodeTest extends NodeHttpTest {
    private NodeConfig replicaConfig() {
        NodeConfig d = config();
        return new NodeConfig(d.dataDir(), d.httpHost(), 0, d.durability(), 25, d.maxBodyBytes(), true, d.assets(),
                d.operatorMarkedInstruments(), d.ordersPerSecondPerAccount(), d.requestsPerSecondPerConnection(), d.auth(), false,
                d.markets(), true);
    }

    @Test
    void theReplicaWritesSnapshotsAndARestartLoadsTheNewest() throws Exception {
        NodeConfig config = replicaConfig();
        assertTrue(config.snapshotPolicy().replica());
        try (Node node = Node.start(config)) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (int account = 1; account <= 40; account++) {
                postOk("/v1/dev/deposit", "{\"account\":" + account + ",\"asset\":0,\"amount\":\"1000\"}");
            }
            for (int i = 0; i < 20; i++) {
                postOk("/v1/orders", "{\"account\":" + (i + 1) + ",\"instrument\":1,\"side\":\"buy\",\"price\":\""
                        + (49_000 + i) + "\",\"quantity\":\"0.001\"}");
            }
            // The status the operator watches: snapshots by the replica, none by the engine thread, no failure.
            JsonNode snapshots = ok("/health").get("snapshots");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (snapshots.get("taken").asLong() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                snapshots = ok("/health").get("snapshots");
            }
            assertTrue(snapshots.get("replica").asBoolean(), snapshots.toString());
            assertTrue(snapshots.get("taken").asLong() >= 1, snapshots.toString());
            assertEquals(0, snapshots.get("lastSequence").asLong() % 25, snapshots.toString());
            assertEquals(0.0, snapshots.get("maxPauseMs").asDouble(), "the engine thread never paused: " + snapshots);
            assertTrue(snapshots.get("replicaFailure").isNull(), snapshots.toString());
        }
        SnapshotStore store = new SnapshotStore(Path.of(config.dataDir()));
        assertFalse(store.list().isEmpty(), "the replica wrote snapshots");
        long newest = store.verify(store.list().get(0)).sequence();
        assertEquals(0, newest % 25, "at multiples of the interval: " + newest);
        try (Node node = Node.start(config)) {
            assertEquals(newest, node.engine().startReport().snapshot().sequence());
            long restartedAt = node.engine().startReport().lastSequence();
            assertTrue(restartedAt >= newest);
            base = "http://127.0.0.1:" + node.httpPort();
            for (int account = 1; account <= 20; account++) {
                assertEquals(1, ok("/v1/orders?account=" + account).size(), "account " + account + "'s order is back");
            }
            assertEquals(0, ok("/v1/orders?account=21").size());
        }
    }
}
