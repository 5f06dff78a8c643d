package io.meridian.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aeron.AeronCounters;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.Cluster;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A member's status for operators and for the gateways' {@code GET /health}: {@code GET /status} on the member's status
 * port ({@link ClusterNode#STATUS_PORT}) answers one JSON object, read from the consensus module's counters (role,
 * module and election state, commit position, leadership term, elections, errors) and from what the service publishes
 * (applied sequence, snapshots, feed subscribers). Nothing else is served: any other path is 404, any other method 405.
 *
 * <p>An operator's port like the archive's and the consensus ports (docs/operations.md): it tells nothing secret, but
 * it belongs on the cluster's network, not the internet. The JDK's HTTP server on one thread; an answer is a few
 * hundred bytes built on demand, so a client polling fast costs this member a little CPU and nothing more.
 */
final class MemberStatus implements AutoCloseable {
    static final String PATH = "/status";

    private final int memberId;
    private final int clusterId;
    private final CountersReader counters;
    private final EngineClusteredService service;
    private final LongSupplier snapshotRequests;
    private final long startedMillis = System.currentTimeMillis();
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Serves on {@code host:port}.
     *
     * @throws UncheckedIOException when the port cannot be bound (the member does not start: a member whose status
     *                              nobody can read is an operator's blind spot, and a taken port is a misconfiguration)
     */
    MemberStatus(String host, int port, int memberId, int clusterId, CountersReader counters,
                 EngineClusteredService service, LongSupplier snapshotRequests) {
        this.memberId = memberId;
        this.clusterId = clusterId;
        this.counters = counters;
        this.service = service;
        this.snapshotRequests = snapshotRequests;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the member status on " + host + ":" + port, e);
        }
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-member-status-" + memberId);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int code;
            String body;
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                code = 404;
                body = "{\"error\":\"not found: only GET " + PATH + " is served\"}";
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                code = 405;
                body = "{\"error\":\"method not allowed: GET only\"}";
            } else {
                code = 200;
                body = json();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The status object; field names are documented in docs/cluster.md ("Member status"). */
    String json() {
        long role = counter(AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID);
        long moduleState = counter(AeronCounters.CLUSTER_CONSENSUS_MODULE_STATE_TYPE_ID);
        long electionState = counter(AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID);
        StringBuilder json = new StringBuilder(512).append('{');
        field(json, "member", memberId);
        text(json, "role", role < 0 ? null : name(() -> Cluster.Role.get(role).name()));
        text(json, "moduleState", moduleState < 0 ? null : name(() -> ConsensusModule.State.get(moduleState).name()));
        text(json, "electionState", electionState < 0 ? null : name(() -> ElectionState.get(electionState).name()));
        field(json, "leadershipTermId", counter(AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID));
        field(json, "commitPosition", counter(AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID));
        field(json, "elections", counter(AeronCounters.CLUSTER_ELECTION_COUNT_TYPE_ID));
        field(json, "consensusErrors", counter(AeronCounters.CLUSTER_CONSENSUS_MODULE_ERROR_COUNT_TYPE_ID));
        field(json, "serviceErrors", counter(AeronCounters.CLUSTER_CLUSTERED_SERVICE_ERROR_COUNT_TYPE_ID));
        field(json, "appliedSequence", service.appliedSequence());
        field(json, "lastSnapshotSequence", service.lastSnapshotSequence());
        field(json, "snapshotsTaken", service.snapshotsTaken());
        field(json, "snapshotRequests", snapshotRequests.getAsLong());
        field(json, "feedSubscribers", service.feedSubscribers());
        field(json, "feedErrors", service.feedErrors());
        field(json, "uptimeSeconds", (System.currentTimeMillis() - startedMillis) / 1000);
        json.setLength(json.length() - 1);
        return json.append('}').toString();
    }

    /** The value of this cluster's counter of {@code typeId}, or -1 while the consensus module has not made it. */
    private long counter(int typeId) {
        long[] value = {-1};
        counters.forEach((counterId, type, keyBuffer, label) -> {
            if (type == typeId && value[0] == -1 && counters.getCounterState(counterId) == CountersReader.RECORD_ALLOCATED
                    && keyBuffer.getInt(0) == clusterId) {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    private static String name(java.util.function.Supplier<String> lookup) {
        try {
            return lookup.get();
        } catch (RuntimeException unknownCode) {
            return "UNKNOWN";
        }
    }

    private static void field(StringBuilder json, String name, long value) {
        json.append('"').append(name).append("\":").append(value).append(',');
    }

    private static void text(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":");
        if (value == null) {
            json.append("null");
        } else {
            json.append('"').append(value).append('"');
        }
        json.append(',');
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
