package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.cluster.ClusterNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A gateway's view of each cluster member for {@code GET /health}: every {@value #INTERVAL_MILLIS} ms it reads each
 * member's status port ({@code GET /status}, the cluster module's member status) and keeps the newest answer, or why
 * there was none. A member that does not answer within {@value #TIMEOUT_MILLIS} ms is reported unreachable, with the
 * time it was last seen; a member's answer is bounded ({@value #MAX_ANSWER_BYTES} bytes) and only its known fields are
 * kept, so a confused or hostile peer on the status port cannot grow the gateway's memory or its health answer.
 *
 * <p>Thread confinement: its own daemon thread polls and writes; {@link #members} is read by any thread (each member's
 * entry is an immutable map published through an atomic array).
 */
final class ClusterMemberProbe implements AutoCloseable {
    static final long INTERVAL_MILLIS = 1_000;
    static final long TIMEOUT_MILLIS = 500;
    static final int MAX_ANSWER_BYTES = 4_096;
    /** The member status fields a gateway passes on (docs/cluster.md, "Member status"). */
    private static final List<String> FIELDS = List.of("role", "moduleState", "electionState", "leadershipTermId",
            "commitPosition", "elections", "consensusErrors", "serviceErrors", "appliedSequence", "lastSnapshotSequence",
            "snapshotsTaken", "feedSubscribers", "feedErrors", "uptimeSeconds");

    private final List<String> urls;
    private final AtomicReferenceArray<Map<String, Object>> states;
    private final long[] lastSeenMillis;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Thread thread;
    private volatile boolean running = true;

    ClusterMemberProbe(ClusterTarget target) {
        List<String> list = new ArrayList<>();
        for (int member = 0; member < target.hosts().size(); member++) {
            list.add(ClusterNode.statusUrl(target.hosts(), target.portBase(), member));
        }
        urls = List.copyOf(list);
        states = new AtomicReferenceArray<>(urls.size());
        lastSeenMillis = new long[urls.size()];
        for (int member = 0; member < urls.size(); member++) {
            states.set(member, unreachable(member, "not polled yet"));
        }
        http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(TIMEOUT_MILLIS))
                .version(HttpClient.Version.HTTP_1_1).build();
        thread = new Thread(this::run, "meridian-cluster-member-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** The newest view of every member, in member-id order. Any thread. */
    List<Map<String, Object>> members() {
        List<Map<String, Object>> list = new ArrayList<>(urls.size());
        for (int member = 0; member < urls.size(); member++) {
            list.add(states.get(member));
        }
        return Collections.unmodifiableList(list);
    }

    private void run() {
        while (running) {
            for (int member = 0; member < urls.size() && running; member++) {
                states.set(member, poll(member));
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Map<String, Object> poll(int member) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get(member)))
                    .timeout(Duration.ofMillis(TIMEOUT_MILLIS)).GET().build();
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (java.io.InputStream in = response.body()) {
                // Reads one byte past the bound and no more: a larger answer is refused, not buffered.
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
            if (response.statusCode() != 200 || body.length > MAX_ANSWER_BYTES) {
                return unreachable(member, "status " + response.statusCode() + (body.length > MAX_ANSWER_BYTES
                        ? ", answer over " + MAX_ANSWER_BYTES + " bytes" : ""));
            }
            JsonNode node = json.readTree(body);
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("member", member);
            state.put("url", urls.get(member));
            state.put("reachable", true);
            for (String field : FIELDS) {
                JsonNode value = node.get(field);
                if (value != null && value.isNumber()) {
                    state.put(field, value.asLong());
                } else if (value != null && value.isTextual() && value.asText().length() <= 32) {
                    state.put(field, value.asText());
                }
            }
            lastSeenMillis[member] = System.currentTimeMillis();
            return Collections.unmodifiableMap(state);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return unreachable(member, "probe stopped");
        } catch (Exception e) {
            return unreachable(member, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + truncate(e.getMessage())));
        }
    }

    private Map<String, Object> unreachable(int member, String why) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("member", member);
        state.put("url", urls.get(member));
        state.put("reachable", false);
        state.put("error", why);
        state.put("lastSeenMillisAgo", lastSeenMillis[member] == 0 ? null
                : System.currentTimeMillis() - lastSeenMillis[member]);
        return Collections.unmodifiableMap(state);
    }

    private static String truncate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
