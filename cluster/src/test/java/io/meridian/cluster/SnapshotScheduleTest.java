package io.meridian.cluster;

import io.meridian.engine.EngineConfig;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scheduled snapshots: three members (in this process) with a leader that has the cluster snapshot after 300 commands
 * or 2 s since the last snapshot. A stream of 700 commands makes every member snapshot by count; then, quiet but for
 * the ticks, by time; a member restarted afterwards starts from its snapshot.
 */
class SnapshotScheduleTest {
    private static final List<String> HOSTS = List.of("localhost", "localhost", "localhost");

    @TempDir
    Path temp;

    private final ClusterNode[] members = new ClusterNode[3];

    @AfterEach
    void stop() {
        for (ClusterNode member : members) {
            if (member != null) {
                member.close();
            }
        }
    }

    private void startMember(int id, int portBase) {
        members[id] = ClusterNode.start(id, HOSTS, portBase, temp.resolve("node-" + id), EngineConfig.defaults(),
                TimeUnit.MILLISECONDS.toNanos(200), 300, TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void theLeaderHasTheClusterSnapshotByCountAndByTime() throws Exception {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        // Bases stay below 32,768, where Linux's ephemeral ports begin: a fixed port among those can be taken.
        int portBase = 20_300 + new SplittableRandom(seed).nextInt(0, 22) * 500;
        System.out.println("SnapshotScheduleTest seed=" + seed + " portBase=" + portBase);
        for (int id = 0; id < 3; id++) {
            startMember(id, portBase);
        }
        try (ClusterClient client = new ClusterClient(77, ClusterNode.ingressEndpoints(HOSTS, portBase),
                temp.resolve("client").toFile(), (clientSequence, engineSequence, status) -> { },
                TimeUnit.SECONDS.toNanos(60))) {
            Command c = new Command().reset();
            c.type = CommandType.ADD_ASSET;
            c.assetSpec = new AssetSpec(0, "USDC", 6);
            client.send(c);
            for (int i = 0; i < 700; i++) {
                client.send(c.deposit(1 + i % 10, 0, 1_000_000));
                while (client.pending() > 64) {
                    client.poll();
                }
            }
            await("the stream acknowledged", () -> client.pending() == 0, client);
            for (int id = 0; id < 3; id++) {
                int member = id;
                await("member " + id + " snapshots by count", () -> takenAtLeast(member, 1, 300), client);
            }
            // Quiet now but for the ticks: the next one comes by time.
            for (int id = 0; id < 3; id++) {
                int member = id;
                await("member " + id + " snapshots by time", () -> takenAtLeast(member, 2, 0), client);
            }
            long leaderRequests = 0;
            for (ClusterNode member : members) {
                leaderRequests += member.snapshotRequests();
            }
            assertTrue(leaderRequests >= 2, "snapshots asked for by the leader: " + leaderRequests);

            // A follower restarted now starts from its snapshot.
            int follower = (client.leaderMemberId() + 1) % 3;
            members[follower].close();
            Path started = temp.resolve("node-" + follower).resolve("started.txt");
            Files.delete(started);
            startMember(follower, portBase);
            await("the restarted member's service started", () -> Files.exists(started), client);
            String text = Files.readString(started);
            assertTrue(text.startsWith("from_snapshot=true"), text);
        }
    }

    /** The member's {@code snapshot-taken.txt} says at least {@code taken} snapshots, the newest at {@code sequence}+. */
    private boolean takenAtLeast(int member, int taken, long sequence) {
        try {
            Path file = temp.resolve("node-" + member).resolve("snapshot-taken.txt");
            if (!Files.exists(file)) {
                return false;
            }
            String text = Files.readString(file);
            long at = Long.parseLong(text.substring("sequence=".length(), text.indexOf(' ')));
            int from = text.indexOf("taken=") + "taken=".length();
            int count = Integer.parseInt(text.substring(from, text.indexOf(' ', from)));
            return count >= taken && at >= sequence;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private static void await(String what, BooleanSupplier done, ClusterClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            if (client.poll() == 0) {
                Thread.sleep(5);
            }
        }
    }
}
