package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.cluster.ClusterNode;
import io.meridian.engine.EngineConfig;
import io.meridian.model.StateHasher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway nodes in front of three cluster members (all in this process; the members without ticks, so that the
 * replicas come to rest at one sequence): both bootstrap the same venue (the second's listings are refused, harmlessly),
 * take orders over REST, by account and signed, and serve the same book; a book stream opened on one gateway sees the
 * trade made through the other; both replicas end with the members' state hash; after the leader is stopped, both
 * carry on and agree again; /health on a gateway shows the cluster; and when one gateway stops, the other serves what it
 * acknowledged and takes orders.
 */
class ClusterGatewayTest extends NodeHttpTest {
    private static final List<String> HOSTS = List.of("localhost", "localhost", "localhost");

    private final ClusterNode[] members = new ClusterNode[3];

    @AfterEach
    void stopMembers() {
        for (ClusterNode member : members) {
            if (member != null) {
                member.close();
            }
        }
    }

    /** The maker's client order id, a text (docs/auth.md, "Client order ids"). */
    private static final String MAKER_ID = "c1a5e7e2-0000-4abc-8def-000000000001";

    @Test
    void twoGatewaysServeOneClusterAndSurviveTheLeader() throws Exception {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        // Bases stay below 32,768, where Linux's ephemeral ports begin: a fixed port among those can be taken.
        int portBase = 20_400 + new SplittableRandom(seed).nextInt(0, 22) * 500;
        System.out.println("ClusterGatewayTest seed=" + seed + " portBase=" + portBase);
        for (int id = 0; id < 3; id++) {
            members[id] = ClusterNode.start(id, HOSTS, portBase, temp.resolve("member-" + id), EngineConfig.defaults(),
                    0);
        }
        NodeConfig base = config();
        Node a = Node.start(base.withDataDirAndPort(temp.resolve("gateway-a").toString(), 0),
                new ClusterTarget(HOSTS, portBase, 11), failure -> { });
        boolean aStopped = false;
        try (Node b = Node.start(base.withDataDirAndPort(temp.resolve("gateway-b").toString(), 0),
                new ClusterTarget(HOSTS, portBase, 12), failure -> { })) {
            String onA = "http://127.0.0.1:" + a.httpPort();
            String onB = "http://127.0.0.1:" + b.httpPort();

            // Money through A, visible on B once applied there.
            this.base = onA;
            postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100000\"}");
            postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
            Secp256k1PrivateKey owner = Secp256k1PrivateKey.random(new SecureRandom());
            postOk("/v1/dev/deposit", "{\"address\":\"" + owner.address().toChecksumHex()
                    + "\",\"asset\":0,\"amount\":\"100000\"}");

            // A book stream on B, then a resting sell on B and a crossing buy on A: B's stream shows the trade.
            TextFrames frames = new TextFrames();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + b.httpPort()
                    + "/ws"), frames).get(10, TimeUnit.SECONDS);
            socket.sendText("{\"op\":\"subscribe\",\"instrument\":1,\"depth\":5}", true).get(5, TimeUnit.SECONDS);
            JsonNode snapshot = JSON.readTree(frames.frames.poll(10, TimeUnit.SECONDS));
            assertEquals("snapshot", snapshot.path("type").asText(), snapshot.toString());
            this.base = onB;
            // (Its client order id is a text: it travels to the members and to A with the command.)
            JsonNode maker = postOk("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"sell\",\"price\":\"50000\","
                    + "\"quantity\":\"0.002\",\"clientOrderId\":\"" + MAKER_ID + "\"}");
            assertEquals("0.002", maker.path("restingQuantity").asText(), maker.toString());
            this.base = onA;
            JsonNode taker = postOk("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"50000\","
                    + "\"quantity\":\"0.001\"}");
            assertEquals("0.001", taker.path("filledQuantity").asText(), taker.toString());
            assertTrue(taker.path("orderId").asLong() > maker.path("orderId").asLong(), "ids from the cluster's sequence");
            boolean sawTrade = false;
            for (int i = 0; i < 20 && !sawTrade; i++) {
                String message = frames.frames.poll(10, TimeUnit.SECONDS);
                assertNotNull(message, "B's book stream went quiet");
                sawTrade = message.contains("\"type\":\"book\"") && message.contains("[\"50000\",\"0.001\"]");
            }
            assertTrue(sawTrade, "B's book stream shows the ask that A's buy took half of");
            socket.abort();

            // A signed order through B, by the address deposited through A.
            this.base = onB;
            JsonNode signed = postOk("/v1/orders", signedOrderBody(owner, System.currentTimeMillis()));
            assertTrue(signed.path("orderId").asLong() > 0, signed.toString());
            // The gateway's /metrics: the same names as a node's, with the cluster link's gauges.
            HttpResponse<String> scraped = get("/metrics");
            assertEquals(200, scraped.statusCode(), scraped.body());
            MetricsTest.Scrape metrics = MetricsTest.parse(scraped.body());
            assertTrue(metrics.value("meridian_commands_total{type=\"PLACE_ORDER\"}") >= 1, scraped.body());
            assertTrue(metrics.value("meridian_cluster_in_flight") >= 0 && metrics.value("meridian_cluster_lag") >= 0);
            assertTrue(metrics.value("meridian_command_latency_seconds_count") >= 1, scraped.body());

            assertSameState(a, b, "after the orders");
            this.base = onA;
            // A read the maker's client order id text back from the cluster: its open orders and fills echo it.
            assertEquals(MAKER_ID, ok("/v1/orders?account=1").get(0).path("clientOrderId").asText());
            assertEquals(MAKER_ID, ok("/v1/fills?account=1").get(0).path("clientOrderId").asText());
            JsonNode health = ok("/health");
            assertEquals("cluster", health.path("snapshots").path("mode").asText(), health.toString());
            int leaderSeen = leaderOf(a);
            awaitMemberStates(onA, states -> roleOf(states, leaderSeen).equals("LEADER")
                    && states.findValues("reachable").stream().allMatch(JsonNode::asBoolean)
                    && states.findValuesAsText("role").stream().filter("FOLLOWER"::equals).count() == 2);

            // The leader stops; both gateways carry on through the new one.
            int leader = leaderOf(a);
            members[leader].close();
            members[leader] = null;
            System.out.println("stopped leader " + leader);
            this.base = onB;
            long start = System.nanoTime();
            JsonNode after = postOk("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"sell\","
                    + "\"price\":\"50100\",\"quantity\":\"0.001\"}");
            System.out.printf("first order after the stop answered in %.0f ms%n", (System.nanoTime() - start) / 1e6);
            assertEquals("0.001", after.path("restingQuantity").asText(), after.toString());
            this.base = onA;
            postOk("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"50100\","
                    + "\"quantity\":\"0.001\"}");
            assertSameState(a, b, "after the leader change");
            // B's health shows the stopped member unreachable and a new leader among the others.
            // (B's client learns of the new leader from its egress; the member states, from the members' own ports.)
            awaitMemberStates(onB, states -> !states.get(leader).path("reachable").asBoolean()
                    && states.findValuesAsText("role").contains("LEADER"));
            long leaderDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (leaderOf(b) == leader) {
                assertTrue(System.nanoTime() < leaderDeadline, "B's /health still names the stopped leader " + leader);
                Thread.sleep(100);
            }
            int newLeader = leaderOf(b);
            awaitMemberStates(onB, states -> roleOf(states, newLeader).equals("LEADER"));
            this.base = onA;

            // Gateway A goes away: what it acknowledged is in the cluster, and B serves it (a client of A reconnects
            // to B and finds its fills and its resting order there).
            a.close();
            aStopped = true;
            this.base = onB;
            String fills = get("/v1/fills?account=2").body();
            // Account 2 bought 0.001 twice through A, both times from the ask at 50,000 (the better price).
            assertEquals(2, fills.split("\"price\":\"50000\"", -1).length - 1, fills);
            String makerFills = get("/v1/fills?account=1").body();
            assertEquals(2, makerFills.split("\"clientOrderId\":\"" + MAKER_ID + "\"", -1).length - 1, makerFills);
            String book = get("/v1/book/1?depth=5").body();
            assertTrue(book.contains("[\"50100\",\"0.001\"]"), book);
            postOk("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"49000\","
                    + "\"quantity\":\"0.001\"}");
        } finally {
            if (!aStopped) {
                a.close();
            }
        }
    }

    /** Polls {@code gateway}'s /health until its members' states satisfy {@code done} (the probe reads every second). */
    private void awaitMemberStates(String gateway, java.util.function.Predicate<JsonNode> done) throws Exception {
        this.base = gateway;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            JsonNode states = ok("/health").path("snapshots").path("memberStates");
            if (states.isArray() && states.size() == 3 && done.test(states)) {
                System.out.println("member states: " + states);
                return;
            }
            assertTrue(System.nanoTime() < deadline, "member states: " + states);
            Thread.sleep(200);
        }
    }

    private static String roleOf(JsonNode states, int member) {
        return states.get(member).path("role").asText("");
    }

    /** The leader as gateway {@code node}'s cluster client sees it (from its /health). */
    private int leaderOf(Node node) throws Exception {
        this.base = "http://127.0.0.1:" + node.httpPort();
        return ok("/health").path("snapshots").path("leader").asInt();
    }

    /** Both gateways and every running member at one sequence with one state hash (no ticks: they come to rest). */
    private void assertSameState(Node a, Node b, String when) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long[] sa = state(a);
            long[] sb = state(b);
            boolean membersAgree = true;
            for (ClusterNode member : members) {
                if (member != null) {
                    var engine = member.service().engine();
                    membersAgree &= engine.lastSequence() == sa[0] && engine.stateHash() == sa[1];
                }
            }
            if (sa[0] == sb[0] && sa[1] == sb[1] && membersAgree) {
                System.out.println(when + ": sequence " + sa[0] + ", state hash " + StateHasher.hex(sa[1]));
                return;
            }
            assertTrue(System.nanoTime() < deadline, when + ": gateways at " + sa[0] + "/" + StateHasher.hex(sa[1])
                    + " and " + sb[0] + "/" + StateHasher.hex(sb[1]));
            Thread.sleep(20);
        }
    }

    private static long[] state(Node node) throws Exception {
        return node.engine().query(e -> new long[] {e.lastSequence(), e.stateHash()}).get(10, TimeUnit.SECONDS);
    }
}
