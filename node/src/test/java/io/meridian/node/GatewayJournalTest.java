package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.cluster.ClusterClient;
import io.meridian.cluster.ClusterNode;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.EngineSettings;
import io.meridian.journal.JournalVerifier;
import io.meridian.journal.Replay;
import io.meridian.journal.SnapshotStore;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway's own journal of what the cluster applied (three members in this process, without ticks so that everything
 * comes to rest): the history made before a gateway's restart is served after it, and so is what other gateways did
 * while it was away; a gateway started on a copy of another's journal serves the same history; snapshots of the
 * journal make a restart start from one; every journal replays (from its newest snapshot, as
 * {@code meridian replay --from-snapshot}) to the state hash the members write at a checkpoint, and verifies with its
 * signatures (as {@code meridian verify --signatures}).
 */
class GatewayJournalTest extends NodeHttpTest {
    static final List<String> HOSTS = List.of("localhost", "localhost", "localhost");

    final ClusterNode[] members = new ClusterNode[3];
    private final List<Node> gateways = new ArrayList<>();
    int portBase;
    private ClusterClient admin;

    @AfterEach
    void stopAll() {
        if (admin != null) {
            admin.close();
        }
        for (Node gateway : gateways) {
            gateway.close();
        }
        for (ClusterNode member : members) {
            if (member != null) {
                member.close();
            }
        }
    }

    /** Starts the three members on a port base from {@code name}'s seed (printed). */
    void startMembers(String name) {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        // Bases stay below 32,768, where Linux's ephemeral ports begin: a fixed port among those can be taken.
        portBase = 20_150 + new SplittableRandom(seed).nextInt(0, 22) * 500;
        System.out.println(name + " seed=" + seed + " portBase=" + portBase);
        for (int id = 0; id < 3; id++) {
            startMember(id);
        }
    }

    void startMember(int id) {
        members[id] = ClusterNode.start(id, HOSTS, portBase, temp.resolve("member-" + id), EngineConfig.defaults(), 0);
    }

    /** A gateway of the members with {@code config}'s venue, in {@code directory}, as client {@code clientId}. */
    Node gateway(NodeConfig config, String directory, long clientId) throws InterruptedException {
        Node node = Node.start(config.withDataDirAndPort(temp.resolve(directory).toString(), 0),
                new ClusterTarget(HOSTS, portBase, clientId), failure -> { });
        gateways.add(node);
        return node;
    }

    void stop(Node gateway) {
        gateways.remove(gateway);
        gateway.close();
    }

    /** The test's venue with a snapshot of the gateway's journal every {@code snapshotEvery} commands. */
    NodeConfig config(long snapshotEvery) {
        NodeConfig d = NodeConfig.defaults();
        return new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", snapshotEvery, 4096, true,
                d.assets(), unbandedInstruments(d));
    }

    void on(Node gateway) {
        base = "http://127.0.0.1:" + gateway.httpPort();
    }

    @Test
    void historyOutlivesRestartsAndTravelsWithACopiedJournal() throws Exception {
        startMembers("GatewayJournalTest.history");
        Node a = gateway(config(), "gateway-a", 11);
        // B snapshots its journal every 3 commands: its restart starts from one of them.
        Node b = gateway(config(3), "gateway-b", 12);

        // Every order signed, so that the journals verify with their signatures.
        Secp256k1PrivateKey maker = Secp256k1PrivateKey.random(new SecureRandom());
        Secp256k1PrivateKey taker = Secp256k1PrivateKey.random(new SecureRandom());
        on(a);
        for (Secp256k1PrivateKey owner : List.of(maker, taker)) {
            postOk("/v1/dev/deposit", "{\"address\":\"" + owner.address().toChecksumHex()
                    + "\",\"asset\":0,\"amount\":\"100000\"}");
        }
        postOk("/v1/orders", signedLimit(maker, Side.SELL, "50000", "0.003"));
        postOk("/v1/orders", signedLimit(taker, Side.BUY, "50000", "0.001"));
        on(b);
        postOk("/v1/orders", signedLimit(taker, Side.BUY, "50000", "0.001"));
        postOk("/v1/orders", signedLimit(taker, Side.BUY, "40000", "0.001"));
        assertSameState("two trades, through A and B", a, b);
        String takerFills = "/v1/fills?address=" + taker.address().toChecksumHex();

        on(a);
        assertEquals(2, ok("/v1/trades/1").size());
        assertEquals(2, ok(takerFills).size());
        // A copy of A's journal while A runs, as a backup is taken.
        copyTree(temp.resolve("gateway-a").resolve(GatewayJournal.DIRECTORY),
                temp.resolve("gateway-c").resolve(GatewayJournal.DIRECTORY));

        // A goes away; a third trade is made through B meanwhile.
        stop(a);
        on(b);
        postOk("/v1/orders", signedLimit(taker, Side.BUY, "50000", "0.001"));
        assertTrue(ok("/health").path("snapshots").path("journal").path("snapshotsTaken").asLong() > 0,
                "B snapshots its journal");

        // A comes back with the same client id: its journal replays (the history of the first two trades), and the
        // cluster's ring gives it the third.
        a = gateway(config(), "gateway-a", 11);
        assertNotNull(a.engine().startReport(), "A recovered its journal");
        assertTrue(a.engine().startReport().replayed() > 0, "A replayed its journal");
        assertNull(a.engine().startReport().snapshot(), "A's journal began at the cluster's sequence 0");
        on(a);
        JsonNode trades = ok("/v1/trades/1");
        assertEquals(3, trades.size(), trades.toString());
        JsonNode fills = ok(takerFills);
        assertEquals(3, fills.size(), fills.toString());
        JsonNode candles = ok("/v1/candles/1?interval=1m");
        long candleTrades = 0;
        for (JsonNode candle : candles) {
            candleTrades += candle.path("trades").asLong();
        }
        assertEquals(3, candleTrades, candles.toString());
        JsonNode health = ok("/health").path("snapshots");
        assertEquals(0, health.path("journal").path("gaps").size(), health.toString());
        // A's commands are numbered on from what the cluster applied for client 11 before: this one is not a duplicate.
        JsonNode sell = postOk("/v1/orders", signedLimit(maker, Side.SELL, "50100", "0.001"));
        assertEquals("0.001", sell.path("restingQuantity").asText(), sell.toString());

        // C starts on the copy of A's journal: the same history as A, the part after the copy from the cluster.
        Node c = gateway(config(), "gateway-c", 13);
        assertTrue(c.engine().startReport().replayed() > 0, "C replayed the copied journal");
        on(c);
        assertEquals(trades, ok("/v1/trades/1"));
        assertEquals(fills, ok(takerFills));
        assertEquals(candles, ok("/v1/candles/1?interval=1m"));

        // B restarts from its newest snapshot.
        stop(b);
        b = gateway(config(3), "gateway-b", 12);
        assertNotNull(b.engine().startReport().snapshot(), "B starts from one of its journal's snapshots");
        assertSameState("after the restarts", a, b, c);

        // Every journal replays to the members' state at a checkpoint, and verifies with its signatures.
        String checkpoint = checkpoint(1);
        long sequence = sequenceOf(checkpoint);
        String hash = hashOf(checkpoint);
        stop(a);
        stop(b);
        stop(c);
        for (String gateway : List.of("gateway-a", "gateway-b", "gateway-c")) {
            Path journal = temp.resolve(gateway).resolve(GatewayJournal.DIRECTORY);
            assertEquals(hash, StateHasher.hex(replayedHash(journal, sequence)), gateway + "'s journal");
            JournalVerifier.Result verified = JournalVerifier.verify(journal, MeridianTypes.devDomain(),
                    JournalVerifier.Listener.NONE);
            assertTrue(verified.ok(), gateway + ": " + verified.failure());
            assertEquals(sequence, verified.lastSequence(), gateway);
            assertEquals(6, verified.signed(), gateway + " proves the six signed orders");
            System.out.println(gateway + "'s journal: verify ok, " + verified.records() + " records, replays to "
                    + hash + " at " + sequence);
        }
    }

    @Test
    void aJournalTheClusterCannotContinueIsKeptAndTheGapShown() throws Exception {
        startMembers("GatewayJournalTest.gap");
        Node g = gateway(config(), "gateway-g", 21);
        Node h = gateway(config(), "gateway-h", 22);
        on(g);
        postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100000\"}");
        postOk("/v1/dev/deposit", "{\"account\":2,\"asset\":0,\"amount\":\"100000\"}");
        postOk("/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"sell\",\"price\":\"50000\","
                + "\"quantity\":\"0.004\"}");
        postOk("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"50000\","
                + "\"quantity\":\"0.001\"}");
        assertSameState("the first trade", g, h);
        stop(g);
        String beforeGap = checkpoint(1);
        long end = sequenceOf(beforeGap);

        // While G is away: a trade through H, a snapshot of the cluster and a restart of every member, which then holds
        // only the commands after its snapshot: what G's journal lacks is gone from the cluster.
        on(h);
        postOk("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"50000\","
                + "\"quantity\":\"0.001\"}");
        snapshotEveryMember();
        for (int id = 0; id < 3; id++) {
            members[id].close();
            members[id] = null;
        }
        for (int id = 0; id < 3; id++) {
            startMember(id);
        }
        assertSameState("every member restarted from its snapshot", h);

        g = gateway(config(), "gateway-g", 21);
        on(g);
        JsonNode gaps = ok("/health").path("snapshots").path("journal").path("gaps");
        assertEquals(1, gaps.size(), gaps.toString());
        assertEquals(end + 1, gaps.get(0).path("missingFrom").asLong(), gaps.toString());
        long resumedAt = gaps.get(0).path("missingTo").asLong();
        assertTrue(resumedAt > end, gaps.toString());
        assertEquals(GatewayJournal.KEPT_PREFIX + end, gaps.get(0).path("kept").asText());
        assertTrue(g.engine().startNotes().stream().anyMatch(n -> n.startsWith("history gap: commands " + (end + 1)
                + ".." + resumedAt)), g.engine().startNotes().toString());
        // The history before the gap stays (G's own trade), the one in the gap is not there, the ones after it are.
        postOk("/v1/orders", "{\"account\":2,\"instrument\":1,\"side\":\"buy\",\"price\":\"50000\","
                + "\"quantity\":\"0.001\"}");
        assertSameState("G after the gap", g, h);
        assertEquals(2, ok("/v1/trades/1").size(), "G: its trade before the gap and the one after it");
        on(h);
        assertEquals(3, ok("/v1/trades/1").size(), "H saw all three");

        // The journal before the gap replays to the members' state when G stopped; the new one to their state now.
        String after = checkpoint(2);
        stop(g);
        Path kept = temp.resolve("gateway-g").resolve(GatewayJournal.KEPT_PREFIX + end);
        assertEquals(hashOf(beforeGap), StateHasher.hex(replayedHash(kept, end)));
        Path journal = temp.resolve("gateway-g").resolve(GatewayJournal.DIRECTORY);
        assertEquals(hashOf(after), StateHasher.hex(replayedHash(journal, sequenceOf(after))));
        JournalVerifier.Result verified = JournalVerifier.verify(journal, null, JournalVerifier.Listener.NONE);
        assertTrue(verified.ok(), verified.failure());

        // The next start continues the new journal from its snapshot: no gap at that start.
        g = gateway(config(), "gateway-g", 21);
        assertEquals(resumedAt, g.engine().startReport().snapshot().sequence());
        on(g);
        assertEquals(0, ok("/health").path("snapshots").path("journal").path("gaps").size());
        assertSameState("G restarted after the gap", g, h);
        // As on a node, a start rebuilds the history from the journal after the snapshot it starts from: the trade
        // after the gap; the one before it is in the kept journal only.
        assertEquals(1, ok("/v1/trades/1").size());
    }

    @Test
    void aGatewayRefusesCommandsBeyondItsBoundWhileTheClusterIsAway() throws Exception {
        startMembers("GatewayJournalTest.bound");
        // A journal directory pinned to other engine settings than the cluster's (as a first start that stopped after
        // pinning would leave it: the lock file and the settings) is refused, not overwritten.
        Path foreign = temp.resolve("gateway-x").resolve(GatewayJournal.DIRECTORY);
        Files.createDirectories(foreign);
        Files.createFile(foreign.resolve("journal.lock"));
        EngineSettings.write(foreign, EngineConfig.defaults().withMaxOpenOrdersPerAccount(3));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> gateway(config(), "gateway-x", 32));
        assertTrue(e.getMessage().contains("other engine settings pinned"), e.getMessage());

        Node k = gateway(config().withClusterMaxInFlight(4), "gateway-k", 31);
        on(k);
        postOk("/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"100000\"}");
        for (int id = 0; id < 3; id++) {
            members[id].close();
            members[id] = null;
        }
        long stopped = System.nanoTime();
        // Four orders wait for the cluster; the fifth is refused, unsent.
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString(order(40_000 + i)))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (((Number) status(k).get("inFlight")).intValue() < 4) {
            assertTrue(System.nanoTime() < deadline, "the four orders never waited for the cluster: " + status(k));
            Thread.sleep(20);
        }
        // Past the point where the gateway's client gives up on its session and opens a new one, step by step from the
        // engine thread, which goes on answering meanwhile.
        Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(7) - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)));
        long start = System.nanoTime();
        HttpResponse<String> refused = post("/v1/orders", order(40_004));
        long refusedNanos = System.nanoTime() - start;
        System.out.printf("the fifth order refused in %.0f ms: %s%n", refusedNanos / 1e6, refused.body());
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refusedNanos < TimeUnit.SECONDS.toNanos(2), "refused at once, not after a connect attempt");
        JsonNode body = JSON.readTree(refused.body());
        assertEquals(RejectReason.CLUSTER_BACKLOG.code(), body.path("code").asInt(), refused.body());
        assertEquals("CLUSTER_BACKLOG", body.path("reason").asText(), refused.body());
        Map<String, Object> status = status(k);
        assertEquals(1L, ((Number) status.get("refused")).longValue(), status.toString());
        assertEquals(4, ((Number) status.get("inFlight")).intValue(), status.toString());
        assertEquals(4, ((Number) status.get("maxInFlight")).intValue(), status.toString());

        // The cluster comes back: the four are applied and answered; the fifth never reached it.
        for (int id = 0; id < 3; id++) {
            startMember(id);
        }
        for (CompletableFuture<HttpResponse<String>> answer : waiting) {
            HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
        }
        JsonNode open = ok("/v1/orders?account=1");
        assertEquals(4, open.size(), open.toString());
        assertTrue(open.toString().contains("\"40003\"") && !open.toString().contains("\"40004\""), open.toString());
        assertSameState("after the cluster came back", k);
        assertEquals(0, ((Number) status(k).get("inFlight")).intValue());
    }

    private static String order(int price) {
        return "{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"" + price + "\",\"quantity\":\"0.001\"}";
    }

    /** The cluster part of the gateway's /health, read on its engine thread. */
    private static Map<String, Object> status(Node gateway) throws Exception {
        return gateway.engine().snapshotStatus().get(60, TimeUnit.SECONDS);
    }

    /** Asks the cluster for a snapshot and waits until every member's recording log holds it. */
    void snapshotEveryMember() throws Exception {
        ClusterClient client = admin();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!client.requestSnapshot(1)) {
            assertTrue(System.nanoTime() < deadline, "snapshot request not sent");
            client.poll();
        }
        for (int id = 0; id < 3; id++) {
            while (!snapshotRecorded(temp.resolve("member-" + id).resolve("cluster").toFile())) {
                assertTrue(System.nanoTime() < deadline, "member " + id + " recorded no snapshot");
                client.poll();
                Thread.sleep(10);
            }
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

    static long sequenceOf(String checkpoint) {
        return Long.parseLong(checkpoint.substring("sequence=".length(), checkpoint.indexOf(' ')));
    }

    static String hashOf(String checkpoint) {
        return checkpoint.substring(checkpoint.indexOf("state_hash=") + "state_hash=".length(),
                checkpoint.indexOf(" messages="));
    }

    private long nonce = System.currentTimeMillis();

    /** The body of {@code POST /v1/orders}: a GTC limit order on BTC-PERP signed by {@code owner}. */
    String signedLimit(Secp256k1PrivateKey owner, Side side, String price, String quantity) {
        Command c = new Command().limit(0, 1, 0, side, new BigDecimal(price).scaleByPowerOfTen(1).longValueExact(),
                new BigDecimal(quantity).scaleByPowerOfTen(3).longValueExact(), TimeInForce.GTC);
        c.nonce = ++nonce;
        SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), owner);
        return "{\"address\":\"" + owner.address().toChecksumHex() + "\",\"nonce\":" + c.nonce + ",\"signature\":\""
                + Hex.encode0x(c.signature) + "\",\"instrument\":1,\"side\":\"" + side.name().toLowerCase(Locale.ROOT)
                + "\",\"price\":\"" + price + "\",\"quantity\":\"" + quantity + "\"}";
    }

    /**
     * The state an engine replays to from {@code journal}'s newest snapshot at or before {@code to} (or its start), as
     * {@code meridian replay --journal DIR --from-snapshot --to SEQ} does.
     */
    static long replayedHash(Path journal, long to) {
        SnapshotStore.Loaded loaded = new SnapshotStore(journal).loadNewest(new EngineEvents() { }, to,
                new ArrayList<>());
        Engine engine = loaded != null ? loaded.engine() : new Engine(new EngineEvents() { }, EngineSettings.read(journal));
        Replay.replay(journal, engine, to);
        assertEquals(to, engine.lastSequence(), journal + " reaches " + to);
        return engine.stateHash();
    }

    /** Every member writes checkpoint {@code id}; member 0's line ({@code sequence=N state_hash=H messages=M}). */
    String checkpoint(long id) throws Exception {
        Path file = temp.resolve("member-0").resolve("checkpoint-" + id + ".txt");
        ClusterClient client = admin();
        client.checkpoint(id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, "no checkpoint " + id);
            client.poll();
            Thread.sleep(5);
        }
        String line = Files.readString(file, StandardCharsets.UTF_8).trim();
        System.out.println("checkpoint " + id + ": " + line);
        return line;
    }

    /** The test's own cluster client (checkpoints, snapshot requests), made at first use. */
    ClusterClient admin() {
        if (admin == null) {
            admin = new ClusterClient(900, ClusterNode.ingressEndpoints(HOSTS, portBase),
                    temp.resolve("admin-client").toFile(), (s, e, st) -> { }, TimeUnit.SECONDS.toNanos(30));
        }
        return admin;
    }

    /** Every gateway and every running member at one sequence with one state hash (no ticks: they come to rest). */
    void assertSameState(String when, Node... nodes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long[] first = state(nodes[0]);
            boolean agree = true;
            StringBuilder seen = new StringBuilder();
            for (Node node : nodes) {
                long[] s = state(node);
                seen.append(' ').append(s[0]).append('/').append(StateHasher.hex(s[1]));
                agree &= s[0] == first[0] && s[1] == first[1];
            }
            for (ClusterNode member : members) {
                if (member != null) {
                    // Null while a restarted member has not loaded its state yet.
                    Engine engine = member.service().engine();
                    agree &= engine != null && engine.lastSequence() == first[0] && engine.stateHash() == first[1];
                }
            }
            if (agree) {
                System.out.println(when + ": sequence " + first[0] + ", state hash " + StateHasher.hex(first[1]));
                return;
            }
            assertTrue(System.nanoTime() < deadline, when + ": gateways at" + seen);
            Thread.sleep(20);
        }
    }

    static long[] state(Node node) throws Exception {
        return node.engine().query(e -> new long[] {e.lastSequence(), e.stateHash()}).get(10, TimeUnit.SECONDS);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
