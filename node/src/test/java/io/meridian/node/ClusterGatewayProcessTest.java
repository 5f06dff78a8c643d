package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.cluster.ClusterClient;
import io.meridian.cluster.ClusterNode;
import io.meridian.cluster.ClusterNodeMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The highly available venue with real processes: three member processes and two gateway processes
 * ({@code meridian node --cluster}), orders through gateway A from several clients at once.
 * <ol>
 *   <li>The leader is killed (SIGKILL) under load: every open request is answered, the first order acknowledged after
 *       the kill comes within {@link #FAILOVER_LIMIT_MILLIS}, and every acknowledged order is in the book exactly once
 *       (each order rests: buys below the mark, one client order id each).</li>
 *   <li>The killed member is restarted on its directory and catches up: at a checkpoint sent afterwards, all three
 *       members write one sequence and one state hash.</li>
 *   <li>Both gateways serve one venue: a signed order through B, a trade through A that B's book stream shows, the same
 *       book on both.</li>
 *   <li>Gateway A is killed: a book stream opened on A is cut, its client reconnects to B and resyncs from B's snapshot,
 *       which equals B's REST book; B has every order A acknowledged (but the one A's trade took) and takes new ones.</li>
 * </ol>
 */
class ClusterGatewayProcessTest {
    private static final List<String> HOSTS = List.of("localhost", "localhost", "localhost");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The target, from the kill to the first order acknowledged after it. */
    static final long FAILOVER_LIMIT_MILLIS = 2_000;
    private static final int CLIENTS = 4;
    private static final int ACCOUNTS = 8;

    @TempDir
    Path temp;

    private final Process[] members = new Process[3];
    private final List<Process> gateways = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopAll() {
        for (Process gateway : gateways) {
            gateway.destroyForcibly();
        }
        for (Process member : members) {
            if (member != null) {
                member.destroyForcibly();
            }
        }
    }

    /** One order request and how it ended. */
    private record Outcome(long account, long clientOrderId, long sentNanos, long doneNanos, int status, String body) {
    }

    @Test
    void leaderAndGatewayKilledUnderLoad() throws Exception {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        SplittableRandom random = new SplittableRandom(seed);
        // Bases stay below 32,768, where Linux's ephemeral ports begin: a fixed port among those can be taken.
        int portBase = 21_000 + random.nextInt(0, 22) * 500;
        System.out.println("ClusterGatewayProcessTest seed=" + seed + " portBase=" + portBase);
        Path config = temp.resolve("venue.json");
        Files.writeString(config, "{\"auth\":{\"mode\":\"open\"},\"devMode\":true,\"ordersPerSecondPerAccount\":1000000,"
                + "\"requestsPerSecondPerConnection\":1000000}");
        for (int id = 0; id < 3; id++) {
            members[id] = startMember(id, portBase);
        }
        String a = startGateway("a", 11, portBase, config);
        String b = startGateway("b", 12, portBase, config);
        for (long account = 1; account <= ACCOUNTS; account++) {
            post(a, "/v1/dev/deposit", "{\"account\":" + account + ",\"asset\":0,\"amount\":\"1000000\"}", 200);
        }

        // A book stream on A, cut when A dies later.
        TextFrames frames = new TextFrames();
        WebSocket onA = http.newWebSocketBuilder().buildAsync(URI.create(a.replace("http", "ws") + "/ws"), frames)
                .get(10, TimeUnit.SECONDS);
        onA.sendText("{\"op\":\"subscribe\",\"instrument\":1}", true).get(5, TimeUnit.SECONDS);
        assertTrue(frames.frames.poll(10, TimeUnit.SECONDS).contains("\"snapshot\""), "a book snapshot on A");

        // Load through A; the leader dies 3 s in.
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicLong nextClientOrderId = new AtomicLong(1);
        long loadEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(9);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            long clientSeed = seed * 31 + client;
            Thread thread = new Thread(() -> load(a, clientSeed, nextClientOrderId, loadEnd, outcomes, failure),
                    "load-" + client);
            thread.start();
            clients.add(thread);
        }
        Thread.sleep(3_000);
        int leader = health(a).path("leader").asInt();
        members[leader].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        System.out.println("killed leader " + leader);
        for (Thread thread : clients) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!thread.isAlive(), "a load client never finished");
        }
        assertEquals(null, failure.get(), "a request went unanswered or failed");

        Set<String> acknowledged = new HashSet<>();
        long firstAfterKillMillis = Long.MAX_VALUE;
        long maxMillis = 0;
        int refused = 0;
        for (Outcome outcome : outcomes) {
            maxMillis = Math.max(maxMillis, (outcome.doneNanos - outcome.sentNanos) / 1_000_000);
            if (outcome.status == 200) {
                assertTrue(acknowledged.add(outcome.account + "/" + outcome.clientOrderId), "acknowledged twice");
                if (outcome.sentNanos >= killedAt) {
                    firstAfterKillMillis = Math.min(firstAfterKillMillis, (outcome.doneNanos - killedAt) / 1_000_000);
                }
            } else {
                // A clear refusal is an answer, but this load should need none: say what it was.
                refused++;
                System.out.println("refused: " + outcome);
            }
        }
        System.out.printf("%d orders acknowledged, %d refused; first acknowledged after the kill %d ms after it;"
                + " slowest answer %d ms%n", acknowledged.size(), refused, firstAfterKillMillis, maxMillis);
        assertTrue(acknowledged.size() > 100, "the load ran: " + acknowledged.size());
        assertTrue(firstAfterKillMillis <= FAILOVER_LIMIT_MILLIS, "failover took " + firstAfterKillMillis + " ms");

        // The killed member comes back on its directory and catches up: one state at a checkpoint on all three.
        members[leader] = startMember(leader, portBase);
        String[] checkpoints = checkpoint(portBase, 1);
        System.out.println("checkpoint after the rejoin: " + String.join(" | ", checkpoints));
        for (String line : checkpoints) {
            assertEquals(stateOf(checkpoints[0]), stateOf(line), "members at the checkpoint");
        }

        // Both gateways serve one venue: a signed order through B, a trade through A that B's book stream shows, and the
        // same book on both once both have applied the same sequence.
        io.meridian.auth.Secp256k1PrivateKey owner = io.meridian.auth.Secp256k1PrivateKey.random(
                new java.security.SecureRandom());
        post(a, "/v1/dev/deposit", "{\"address\":\"" + owner.address().toChecksumHex()
                + "\",\"asset\":0,\"amount\":\"100000\"}", 200);
        post(b, "/v1/orders", NodeHttpTest.signedOrderBody(owner, System.currentTimeMillis(), 48_500), 200);
        TextFrames onBFrames = new TextFrames();
        WebSocket streamB = http.newWebSocketBuilder().buildAsync(URI.create(b.replace("http", "ws") + "/ws"), onBFrames)
                .get(10, TimeUnit.SECONDS);
        streamB.sendText("{\"op\":\"subscribe\",\"instrument\":1,\"depth\":5}", true).get(5, TimeUnit.SECONDS);
        assertTrue(onBFrames.frames.poll(10, TimeUnit.SECONDS).contains("\"snapshot\""), "a book snapshot on B");
        JsonNode bestBid = JSON.readTree(get(a, "/v1/book/1?depth=1").body()).path("bids").get(0);
        post(a, "/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"sell\",\"price\":\"" + bestBid.get(0).asText()
                + "\",\"quantity\":\"0.001\",\"clientOrderId\":" + nextClientOrderId.getAndIncrement() + "}", 200);
        boolean sawTrade = false;
        for (int i = 0; i < 50 && !sawTrade; i++) {
            String message = onBFrames.frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "B's book stream went quiet");
            sawTrade = message.contains("\"type\":\"book\"") && message.contains(bestBid.get(0).asText());
        }
        assertTrue(sawTrade, "B's book stream shows the bid A's sell took from");
        streamB.abort();
        long sameDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (health(a).path("appliedSequence").asLong() != health(b).path("appliedSequence").asLong()
                || !get(a, "/v1/book/1?depth=20").body().equals(get(b, "/v1/book/1?depth=20").body())) {
            assertTrue(System.nanoTime() < sameDeadline, "the gateways' books differ: " + get(a, "/v1/book/1?depth=20")
                    .body() + " against " + get(b, "/v1/book/1?depth=20").body());
            Thread.sleep(50);
        }
        System.out.println("both gateways at sequence " + health(b).path("appliedSequence").asLong()
                + " with the same book");

        // Gateway A dies. Its book stream is cut; the client reconnects to B, which has everything A acknowledged.
        gateways.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long cutDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!onA.isInputClosed()) {
            assertTrue(System.nanoTime() < cutDeadline, "A's stream was not cut");
            Thread.sleep(20);
        }
        Set<String> open = openOrders(b);
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(open);
        // A's sell took the best bid (or, if that was account 1's own, self-trade prevention removed one of the two).
        assertTrue(missing.size() <= 1, "B lacks acknowledged orders beyond the one A's sell filled: " + missing);
        assertTrue(acknowledged.containsAll(open), "B has an order nobody acknowledged: " + open);
        TextFrames resync = new TextFrames();
        WebSocket onB = http.newWebSocketBuilder().buildAsync(URI.create(b.replace("http", "ws") + "/ws"), resync)
                .get(10, TimeUnit.SECONDS);
        onB.sendText("{\"op\":\"subscribe\",\"instrument\":1,\"depth\":10}", true).get(5, TimeUnit.SECONDS);
        JsonNode snapshot = JSON.readTree(resync.frames.poll(10, TimeUnit.SECONDS));
        assertEquals("snapshot", snapshot.path("type").asText(), snapshot.toString());
        JsonNode book = JSON.readTree(get(b, "/v1/book/1?depth=10").body());
        assertEquals(book.path("bids"), snapshot.path("bids"), "the resynced snapshot is B's book");
        assertEquals(book.path("asks"), snapshot.path("asks"), "the resynced snapshot is B's book");
        assertTrue(book.path("bids").size() > 0, book.toString());
        post(b, "/v1/orders", order(1, nextClientOrderId.getAndIncrement(), 48_000), 200);
        onB.abort();
    }

    /** Resting buys from one client until {@code end}: each request's outcome, or the first failure. */
    private void load(String gateway, long seed, AtomicLong nextClientOrderId, long end,
                      ConcurrentLinkedQueue<Outcome> outcomes, AtomicReference<Throwable> failure) {
        SplittableRandom random = new SplittableRandom(seed);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            while (System.nanoTime() < end && failure.get() == null) {
                long account = 1 + random.nextInt(ACCOUNTS);
                long clientOrderId = nextClientOrderId.getAndIncrement();
                long price = 48_000 + random.nextInt(0, 1_900);
                long sent = System.nanoTime();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/orders"))
                        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(order(account, clientOrderId, price))).build(),
                        HttpResponse.BodyHandlers.ofString());
                outcomes.add(new Outcome(account, clientOrderId, sent, System.nanoTime(), response.statusCode(),
                        response.body()));
                if (response.statusCode() != 200 && response.statusCode() != 503) {
                    throw new AssertionError("order answered " + response.statusCode() + ": " + response.body());
                }
            }
        } catch (Exception | AssertionError t) {
            failure.compareAndSet(null, t);
        }
    }

    private static String order(long account, long clientOrderId, long price) {
        return "{\"account\":" + account + ",\"instrument\":1,\"side\":\"buy\",\"price\":\"" + price
                + "\",\"quantity\":\"0.001\",\"clientOrderId\":" + clientOrderId + "}";
    }

    /** Every open order of the load's accounts on {@code gateway}, as account/clientOrderId (a repeat fails). */
    private Set<String> openOrders(String gateway) throws Exception {
        Set<String> open = new HashSet<>();
        for (long account = 1; account <= ACCOUNTS; account++) {
            JsonNode orders = JSON.readTree(get(gateway, "/v1/orders?account=" + account).body());
            JsonNode list = orders.isArray() ? orders : orders.path("orders");
            for (JsonNode order : list) {
                assertTrue(open.add(account + "/" + order.path("clientOrderId").asLong()), "an order twice: " + order);
            }
        }
        return open;
    }

    /** Sends checkpoint {@code id} through a client of the test's own and reads every member's checkpoint line. */
    private String[] checkpoint(int portBase, long id) throws Exception {
        String endpoints = ClusterNode.ingressEndpoints(HOSTS, portBase);
        try (ClusterClient client = new ClusterClient(99, endpoints, temp.resolve("checkpoint-client").toFile(),
                (clientSequence, engineSequence, status) -> { }, TimeUnit.SECONDS.toNanos(60))) {
            client.checkpoint(id);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (client.pending() > 0) {
                assertTrue(System.nanoTime() < deadline, "checkpoint " + id + " not acknowledged");
                client.poll();
            }
        }
        String[] lines = new String[3];
        for (int member = 0; member < 3; member++) {
            Path file = temp.resolve("member-" + member).resolve("checkpoint-" + id + ".txt");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(file)) {
                assertTrue(System.nanoTime() < deadline, "member " + member + " never wrote checkpoint " + id);
                Thread.sleep(20);
            }
            lines[member] = Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        return lines;
    }

    private static String stateOf(String checkpoint) {
        return checkpoint.substring(0, checkpoint.indexOf(" messages="));
    }

    private JsonNode health(String gateway) throws Exception {
        return JSON.readTree(get(gateway, "/health").body()).path("snapshots");
    }

    private HttpResponse<String> get(String gateway, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void post(String gateway, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), path + " " + body + ": " + response.body());
    }

    private Process startMember(int id, int portBase) throws IOException, InterruptedException {
        Path dir = temp.resolve("member-" + id);
        Files.createDirectories(dir);
        return start(dir, " ready", ClusterNodeMain.class.getName(), "--id", Integer.toString(id),
                "--members", String.join(",", HOSTS), "--dir", dir.toString(), "--port-base", Integer.toString(portBase))
                .process;
    }

    /** Starts gateway {@code name}; its base URL. */
    private String startGateway(String name, long clientId, int portBase, Path config) throws Exception {
        Path dir = temp.resolve("gateway-" + name);
        Files.createDirectories(dir);
        Started started = start(dir, "node ready ", GatewayMain.class.getName(), "--config", config.toString(),
                "--http-port", "0", "--data-dir", dir.toString(), "--cluster", String.join(",", HOSTS),
                "--cluster-port-base", Integer.toString(portBase), "--client-id", Long.toString(clientId));
        gateways.add(started.process);
        String line = started.readyLine;
        return "http://127.0.0.1:" + line.substring(line.lastIndexOf(':') + 1).trim();
    }

    private record Started(Process process, String readyLine) {
    }

    /** {@code meridian node} as a process of its own (the node module has no main class: the app's command has). */
    public static final class GatewayMain {
        public static void main(String[] args) {
            int code = NodeMain.run(args, System.out, System.err);
            if (code != 0) {
                System.exit(code);
            }
        }
    }

    /** Starts a JVM on the test's class path and waits for the line containing {@code ready}. */
    private static Started start(Path dir, String ready, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.log").toFile()).start();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> line = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String text;
                while ((text = lines.readLine()) != null) {
                    if (text.contains(ready) && line.compareAndSet(null, text)) {
                        started.countDown();
                    }
                }
            } catch (IOException e) {
                // The process was killed.
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!started.await(100, TimeUnit.MILLISECONDS) && process.isAlive() && System.nanoTime() < deadline) {
            // waiting for the ready line
        }
        if (line.get() == null) {
            process.destroyForcibly();
            throw new IllegalStateException(mainClass + " did not start: " + Files.readString(dir.resolve("stderr.log")));
        }
        assertNotNull(line.get());
        return new Started(process, line.get());
    }
}
