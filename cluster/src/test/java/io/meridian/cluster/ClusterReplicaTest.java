package io.meridian.cluster;

import io.meridian.engine.CommandOutcome;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.meridian.cluster.Checkpoints.hashOf;
import static io.meridian.cluster.Checkpoints.sequenceOf;
import static io.meridian.cluster.Checkpoints.stateOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three members (in this process) and gateway replicas of the engine fed by the cluster's applied-command feed: two
 * replicas send orders through the cluster and each ends, at a checkpoint, with the members' state hash; the cluster
 * ticks by itself and the replicas apply the ticks; the leader is stopped while orders flow, and both replicas carry
 * on through the new leader (every command each sent applied exactly once, seen in order, the hashes equal again); a
 * replica that joins late starts from a snapshot sent by the new leader and catches up to the same hash; and after every
 * member is stopped and started again from its archive, all three and the replicas agree again.
 */
class ClusterReplicaTest {
    private static final List<String> HOSTS = List.of("localhost", "localhost", "localhost");
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

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

    /** One replica as a gateway would run it: what it applied, with its own commands counted by client sequence. */
    private static final class Gateway implements ClusterReplica.Listener {
        final String name;
        final Set<Long> ownApplied = new HashSet<>();
        final Map<Long, String> hashBySequence = new HashMap<>();
        long sent;
        long acknowledged;
        long ticks;
        long lastApplied;
        boolean outOfOrder;
        boolean recording;
        ClusterReplica replica;

        Gateway(String name) {
            this.name = name;
        }

        @Override
        public void onReset(Engine engine) {
            lastApplied = engine.lastSequence();
            if (recording) {
                hashBySequence.put(lastApplied, StateHasher.hex(engine.stateHash()));
            }
        }

        @Override
        public void onApplied(Command command, CommandOutcome outcome, long ownSequence) {
            outOfOrder |= command.sequence != lastApplied + 1;
            lastApplied = command.sequence;
            ticks += command.type == CommandType.TIME_TICK ? 1 : 0;
            if (ownSequence != 0) {
                assertTrue(ownApplied.add(ownSequence), name + " saw its message " + ownSequence + " applied twice");
            }
            if (recording) {
                hashBySequence.put(command.sequence, StateHasher.hex(replica.engine().stateHash()));
            }
        }

        @Override
        public void onAck(long clientSequence, long engineSequence, int status) {
            acknowledged++;
        }

        void startRecording() {
            recording = true;
            if (replica.isReady()) {
                hashBySequence.put(replica.lastSequence(), StateHasher.hex(replica.engine().stateHash()));
            }
        }
    }

    @Test
    void replicasFollowTheMembersThroughALeaderChange() throws Exception {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        SplittableRandom random = new SplittableRandom(seed);
        // Bases stay below 32,768, where Linux's ephemeral ports begin: a fixed port among those can be taken.
        int portBase = 20_250 + random.nextInt(0, 22) * 500;
        System.out.println("ClusterReplicaTest seed=" + seed + " portBase=" + portBase);
        for (int id = 0; id < 3; id++) {
            startMember(id, portBase);
        }
        String endpoints = ClusterNode.ingressEndpoints(HOSTS, portBase);
        Gateway a = new Gateway("A");
        Gateway b = new Gateway("B");
        try (ClusterReplica ra = replica(1001, endpoints, a); ClusterReplica rb = replica(1002, endpoints, b)) {
            await("both replicas get a snapshot", () -> ra.isReady() && rb.isReady(), ra, rb);

            // Setup through A, orders from both.
            TestVenue.list(cmd -> {
                a.sent++;
                ra.send(cmd);
            });
            Command c = new Command();
            for (long account = 1; account <= 10; account++) {
                a.sent++;
                ra.send(c.deposit(account, 0, 1_000_000_000_000L));
            }
            long[] orderId = {1};
            flow(ra, rb, a, b, random, orderId, 400, null);
            String first = checkpointAndCompare(ra, rb, a, b, 1, 0);
            System.out.println("checkpoint 1: " + first.trim());
            checkStatuses(portBase, -1, 2);
            assertTrue(a.ticks + b.ticks > 0, "the cluster ticked and the replicas applied the ticks");

            // Stop the leader while orders flow.
            int leader = ra.client().leaderMemberId();
            long[] stoppedAt = {0};
            flow(ra, rb, a, b, random, orderId, 600, () -> {
                if (stoppedAt[0] == 0 && a.acknowledged + b.acknowledged > 0) {
                    members[leader].close();
                    members[leader] = null;
                    stoppedAt[0] = System.nanoTime();
                    System.out.println("stopped leader " + leader);
                }
            });
            assertTrue(stoppedAt[0] > 0, "the leader was stopped");
            String second = checkpointAndCompare(ra, rb, a, b, 2, leader);
            System.out.println("checkpoint 2: " + second.trim() + "; subscriptions renewed: A " + ra.gaps()
                    + ", B " + rb.gaps());
            assertTrue(a.ownApplied.size() >= 400 / 2 && b.ownApplied.size() >= 400 / 2, "both sent orders");
            checkStatuses(portBase, leader, 2);
            assertTrue(!a.outOfOrder && !b.outOfOrder, "every command applied in sequence order");
            // The new leader ticks too: with no command sent, both replicas move on by ticks alone.
            long ticksBefore = a.ticks;
            long quiet = ra.lastSequence();
            await("ticks under the new leader", () -> a.ticks >= ticksBefore + 2 && rb.lastSequence() >= quiet + 2,
                    ra, rb);

            // A replica that joins now starts from the new leader's snapshot.
            Gateway late = new Gateway("C");
            try (ClusterReplica rc = replica(1003, endpoints, late)) {
                await("the late replica gets a snapshot", rc::isReady, ra, rb, rc);
                late.startRecording();
                a.startRecording();
                long id = ra.checkpoint(3);
                await("checkpoint 3 acknowledged", () -> ra.client().pending() == 0, ra, rb, rc);
                String third = awaitCheckpoint((leader + 1) % 3, 3);
                long sequence = sequenceOf(third);
                await("the late replica reaches the checkpoint", () -> rc.lastSequence() >= sequence, ra, rb, rc);
                assertEquals(hashOf(third), late.hashBySequence.get(sequence), "late replica at " + sequence);
                assertEquals(1, rc.resets(), "one snapshot");
                assertTrue(id > 0);
            }

            // The whole cluster stops and starts again from its archives (the member stopped earlier included): every
            // member recovers the same state, and a replica that stayed connected carries on from it.
            for (int id = 0; id < 3; id++) {
                if (members[id] != null) {
                    members[id].close();
                    members[id] = null;
                }
            }
            for (int id = 0; id < 3; id++) {
                startMember(id, portBase);
            }
            String fourth = checkpointAndCompare(ra, rb, a, b, 4, -1);
            System.out.println("checkpoint 4, after a restart of every member: " + fourth.trim());
            assertTrue(sequenceOf(fourth) >= sequenceOf(second), "nothing lost in the restart");
        }
    }

    /** {@code count} limit orders and cancels, alternating randomly between the replicas; polls both throughout. */
    private static void flow(ClusterReplica ra, ClusterReplica rb, Gateway a, Gateway b, SplittableRandom random,
                             long[] orderId, int count, Runnable midway) throws InterruptedException {
        Command c = new Command();
        long centre = 500_000;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int i = 0; i < count; i++) {
            boolean first = random.nextBoolean();
            ClusterReplica r = first ? ra : rb;
            Gateway g = first ? a : b;
            long account = 1 + random.nextInt(10);
            centre += random.nextInt(-10, 11);
            c.reset();
            if (random.nextInt(10) < 2) {
                c.cancel(account, 1, 1 + random.nextLong(orderId[0]));
            } else {
                Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                long price = side == Side.BUY ? centre - random.nextInt(-20, 100) : centre + random.nextInt(-20, 100);
                c.limit(account, 1, orderId[0]++, side, price, 1 + random.nextInt(20), TimeInForce.GTC);
            }
            g.sent++;
            r.send(c);
            while (ra.client().pending() + rb.client().pending() > 64) {
                assertTrue(System.nanoTime() < deadline, "the flow stalled");
                ra.poll();
                rb.poll();
            }
            if (midway != null && i == count / 3) {
                midway.run();
            }
            ra.poll();
            rb.poll();
        }
        while (ra.client().pending() + rb.client().pending() > 0) {
            assertTrue(System.nanoTime() < deadline, "the flow was not acknowledged: " + ra.client().pending() + " + "
                    + rb.client().pending() + " pending");
            ra.poll();
            rb.poll();
            Thread.onSpinWait();
        }
    }

    /**
     * Sends checkpoint {@code id} through A with both replicas recording their hash per sequence, and checks that
     * both reach the checkpoint's sequence with the members' hash (member {@code skip} excepted, when stopped).
     */
    private String checkpointAndCompare(ClusterReplica ra, ClusterReplica rb, Gateway a, Gateway b, long id, int skip)
            throws Exception {
        a.hashBySequence.clear();
        b.hashBySequence.clear();
        a.startRecording();
        b.startRecording();
        ra.checkpoint(id);
        await("checkpoint " + id + " acknowledged", () -> ra.client().pending() == 0, ra, rb);
        String expected = null;
        for (int member = 0; member < 3; member++) {
            if (members[member] == null) {
                continue;
            }
            String line = awaitCheckpoint(member, id);
            if (expected == null) {
                expected = line;
            }
            assertEquals(stateOf(expected), stateOf(line), "member " + member + " at checkpoint " + id);
        }
        assertNotNull(expected);
        long sequence = sequenceOf(expected);
        await("both replicas reach sequence " + sequence, () -> ra.lastSequence() >= sequence
                && rb.lastSequence() >= sequence, ra, rb);
        assertEquals(hashOf(expected), a.hashBySequence.get(sequence), "replica A at " + sequence);
        assertEquals(hashOf(expected), b.hashBySequence.get(sequence), "replica B at " + sequence);
        a.recording = false;
        b.recording = false;
        return expected;
    }

    private ClusterReplica replica(long clientId, String endpoints, Gateway gateway) {
        ClusterReplica replica = new ClusterReplica(clientId, endpoints, temp.resolve("gateway-" + clientId).toFile(),
                new EngineEvents() { }, gateway, TimeUnit.SECONDS.toNanos(60));
        gateway.replica = replica;
        return replica;
    }

    private void startMember(int id, int portBase) {
        members[id] = ClusterNode.start(id, HOSTS, portBase, temp.resolve("node-" + id), EngineConfig.defaults(),
                TICK_NANOS);
    }

    private static void await(String what, BooleanSupplier done, ClusterReplica... replicas)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            int work = 0;
            for (ClusterReplica r : replicas) {
                work += r.poll();
            }
            if (work == 0) {
                Thread.sleep(1);
            }
        }
    }

    /**
     * Every running member's status ({@link MemberStatus}): one leader, the others followers, all active, each at
     * a commit position and an applied sequence, the leader feeding the {@code subscribers} replicas; the status
     * port serves nothing else.
     */
    private void checkStatuses(int portBase, int stopped, int subscribers) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
        int leaders = 0;
        for (int member = 0; member < 3; member++) {
            if (member == stopped) {
                continue;
            }
            String url = ClusterNode.statusUrl(HOSTS, portBase, member);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            System.out.println("member " + member + " status: " + body);
            assertEquals(200, response.statusCode(), body);
            assertTrue(body.contains("\"member\":" + member + ","), body);
            assertTrue(body.contains("\"moduleState\":\"ACTIVE\""), body);
            assertTrue(number(body, "commitPosition") > 0 && number(body, "appliedSequence") > 0, body);
            if (body.contains("\"role\":\"LEADER\"")) {
                leaders++;
                assertEquals(subscribers, number(body, "feedSubscribers"), body);
            } else {
                assertTrue(body.contains("\"role\":\"FOLLOWER\""), body);
            }
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(url.replace("/status", "/x")))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
        assertEquals(1, leaders, "one leader among the running members");
    }

    private static long number(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":(-?\\d+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private String awaitCheckpoint(int member, long id) throws InterruptedException, IOException {
        return Checkpoints.await(temp.resolve("node-" + member), id);
    }



}
