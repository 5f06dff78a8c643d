package io.meridian.cluster;

import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.meridian.cluster.Checkpoints.stateOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three cluster members as separate processes on loopback. A client streams orders; the leader process is killed
 * with SIGKILL mid-stream; a new leader is elected and the client, resending what was not acknowledged, carries on.
 * Then: no acknowledged command is lost and none is applied twice (every member's engine ends at exactly one sequence
 * per command sent), the surviving members have the same state hash, and the killed member, restarted on its
 * directory, catches up and has it too. The time from the kill to the first acknowledgement after it is printed.
 * The members run without ticks ({@code --tick-ms 0}) so that engine sequences count the client's commands exactly.
 */
class ClusterFailoverTest {
    private static final int COMMANDS = 12_000;
    private static final int IN_FLIGHT = 128;
    private static final List<String> HOSTS = List.of("localhost", "localhost", "localhost");

    @TempDir
    Path temp;

    private final Process[] nodes = new Process[3];

    @AfterEach
    void stopNodes() {
        for (Process p : nodes) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void leaderKilledMidStreamLosesNothingAndEveryMemberAgrees() throws Exception {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        SplittableRandom random = new SplittableRandom(seed);
        // Bases stay below 32,768, where Linux's ephemeral ports begin: a fixed port among those can be taken.
        int portBase = 20_000 + random.nextInt(0, 22) * 500;
        System.out.println("ClusterFailoverTest seed=" + seed + " portBase=" + portBase);
        for (int id = 0; id < 3; id++) {
            nodes[id] = startNode(id, portBase);
        }
        String endpoints = ClusterNode.ingressEndpoints(HOSTS, portBase);
        long[] firstAckAfterKill = {0};
        long[] sentAtKill = {Long.MAX_VALUE};
        long[] appliedOrRejected = {0};
        long[] duplicates = {0};
        try (ClusterClient client = new ClusterClient(42, endpoints, temp.resolve("client").toFile(),
                (clientSequence, engineSequence, status) -> {
                    // Only a message sent after the kill can prove the new leader: acknowledgements of earlier ones
                    // may still be arriving from the old leader's buffers.
                    if (clientSequence > sentAtKill[0] && firstAckAfterKill[0] == 0) {
                        firstAckAfterKill[0] = System.nanoTime();
                    }
                    if (status >= 0) {
                        appliedOrRejected[0]++;
                    } else if (status == ClusterProtocol.STATUS_DUPLICATE) {
                        duplicates[0]++;
                    }
                }, TimeUnit.SECONDS.toNanos(60))) {
            Flow flow = new Flow(seed);
            Command command = new Command();
            int sent = 0;
            int killAt = COMMANDS / 3 + random.nextInt(COMMANDS / 3);
            int killed = -1;
            long killTime = 0;
            long failoverNanos = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (client.acknowledged() < COMMANDS) {
                assertTrue(System.nanoTime() < deadline, "stream did not finish: " + client.acknowledged()
                        + " acknowledged, " + client.pending() + " pending");
                while (sent < COMMANDS && client.pending() < IN_FLIGHT) {
                    client.send(flow.next(command));
                    sent++;
                }
                client.poll();
                if (killed < 0 && client.acknowledged() >= killAt) {
                    killed = client.leaderMemberId();
                    nodes[killed].destroyForcibly();
                    assertTrue(nodes[killed].waitFor(10, TimeUnit.SECONDS));
                    killTime = System.nanoTime();
                    sentAtKill[0] = sent;
                    System.out.println("killed leader " + killed + " after " + client.acknowledged() + " acks");
                }
                if (killed >= 0 && failoverNanos < 0 && firstAckAfterKill[0] > 0) {
                    failoverNanos = firstAckAfterKill[0] - killTime;
                    System.out.printf("failover: first acknowledgement %.0f ms after the kill; new leader %d%n",
                            failoverNanos / 1e6, client.leaderMemberId());
                }
            }
            assertTrue(killed >= 0 && failoverNanos > 0, "the leader was killed and acknowledgements resumed");
            // A command whose acknowledgement died with the old leader is resent and answered as a duplicate: it was
            // applied once, before. The engine sequence below proves none was applied twice.
            assertEquals(COMMANDS, appliedOrRejected[0] + duplicates[0], "every command acknowledged");
            System.out.println("acknowledged: " + appliedOrRejected[0] + " applied, " + duplicates[0]
                    + " duplicates of commands applied before the kill");

            checkpoint(client, 1);
            List<String> survivors = new ArrayList<>();
            for (int id = 0; id < 3; id++) {
                if (id != killed) {
                    survivors.add(awaitCheckpoint(id, 1));
                }
            }
            assertEquals(survivors.get(0), survivors.get(1), "surviving members agree");
            assertTrue(survivors.get(0).startsWith("sequence=" + COMMANDS + " "),
                    "one engine sequence per command, none lost or doubled: " + survivors.get(0));

            nodes[killed] = startNode(killed, portBase);
            checkpoint(client, 2);
            String expected = awaitCheckpoint((killed + 1) % 3, 2);
            for (int id = 0; id < 3; id++) {
                assertEquals(expected, awaitCheckpoint(id, 2), "member " + id + " after the restart");
            }
            assertTrue(expected.startsWith("sequence=" + COMMANDS + " "), expected);

            // A snapshot on every member, then a follower killed and restarted: it loads its snapshot and replays
            // only the log after it, and must agree again.
            long snapshotDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!client.requestSnapshot(7)) {
                assertTrue(System.nanoTime() < snapshotDeadline, "snapshot request not sent");
                client.poll();
            }
            for (int id = 0; id < 3; id++) {
                // Durable once the consensus module has entered it in the member's recording log.
                while (!snapshotRecorded(temp.resolve("node-" + id).resolve("cluster").toFile())) {
                    assertTrue(System.nanoTime() < snapshotDeadline, "member " + id + " recorded no snapshot");
                    client.poll();
                    Thread.sleep(10);
                }
            }
            int follower = (client.leaderMemberId() + 1) % 3;
            nodes[follower].destroyForcibly();
            assertTrue(nodes[follower].waitFor(10, TimeUnit.SECONDS));
            nodes[follower] = startNode(follower, portBase);
            checkpoint(client, 3);
            String third = awaitCheckpoint(follower, 3);
            String started = Files.readString(temp.resolve("node-" + follower).resolve("started.txt"));
            assertTrue(started.startsWith("from_snapshot=true sequence=" + COMMANDS), started);
            for (int id = 0; id < 3; id++) {
                assertEquals(third, awaitCheckpoint(id, 3), "member " + id + " after a restart from its snapshot");
            }
            assertEquals(stateOf(expected), stateOf(third), "no command since checkpoint 2: the same state");
            System.out.println("all three members: " + expected.trim() + "; leader changes seen by the client: "
                    + client.leaderChanges() + ", reconnects: " + client.reconnects());
            assertTrue(failoverNanos < TimeUnit.SECONDS.toNanos(10), "failover took " + failoverNanos / 1e6 + " ms");
        }
    }

    private static boolean snapshotRecorded(java.io.File clusterDir) {
        try (RecordingLog log = new RecordingLog(clusterDir, false)) {
            return log.getLatestSnapshot(0) != null
                    && log.getLatestSnapshot(ConsensusModule.Configuration.SERVICE_ID) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }


    private static void checkpoint(ClusterClient client, long id) {
        client.checkpoint(id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (client.pending() > 0) {
            assertTrue(System.nanoTime() < deadline, "checkpoint " + id + " not acknowledged");
            client.poll();
        }
    }

    private String awaitCheckpoint(int member, long id) throws InterruptedException, IOException {
        return Checkpoints.await(temp.resolve("node-" + member), id);
    }

    private Process startNode(int id, int portBase) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path dir = temp.resolve("node-" + id);
        Files.createDirectories(dir);
        Process process = new ProcessBuilder(java, "-Xmx512m", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ClusterNodeMain.class.getName(),
                "--id", Integer.toString(id), "--members", String.join(",", HOSTS), "--dir", dir.toString(),
                "--port-base", Integer.toString(portBase), "--tick-ms", "0")
                .redirectError(dir.resolve("stderr.log").toFile())
                .start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.endsWith(" ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // The process was killed.
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException("member " + id + " did not start: "
                    + Files.readString(dir.resolve("stderr.log")));
        }
        return process;
    }

    /** Setup, then limit orders around a drifting price and cancels: every command is valid or cleanly rejected. */
    private static final class Flow {
        private final SplittableRandom random;
        private long index;
        private long centre = 500_000;

        Flow(long seed) {
            this.random = new SplittableRandom(seed);
        }

        Command next(Command c) {
            c.reset();
            long i = index++;
            if (i == 0) {
                c.type = CommandType.ADD_ASSET;
                c.assetSpec = new AssetSpec(0, "USDC", 6);
                return c;
            }
            if (i == 1) {
                c.type = CommandType.ADD_INSTRUMENT;
                c.instrumentSpec = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                        .withPriceBandPpm(0);
                return c;
            }
            if (i == 2) {
                c.type = CommandType.SET_MARK_PRICE;
                c.instrument = 1;
                c.price = 500_000;
                return c;
            }
            if (i < 23) {
                return c.deposit(i - 2, 0, 1_000_000_000_000L);
            }
            long account = 1 + random.nextInt(20);
            centre += random.nextInt(-10, 11);
            if (random.nextInt(10) < 2) {
                return c.cancel(account, 1, 1 + random.nextLong(i));
            }
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long price = side == Side.BUY ? centre - random.nextInt(-20, 100) : centre + random.nextInt(-20, 100);
            return c.limit(account, 1, i, side, price, 1 + random.nextInt(20), TimeInForce.GTC);
        }
    }
}
