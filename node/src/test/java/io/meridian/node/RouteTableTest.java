package io.meridian.node;

import io.meridian.node.http.AuthRequirement;
import io.meridian.node.http.Gateway;
import io.meridian.node.http.RateClass;
import io.meridian.node.http.Route;
import io.meridian.node.http.Routes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks the gateway's route table ({@link Routes}): every row is documented (docs/openapi.yaml has its path and method,
 * docs/api.md's route table its method and path) and the OpenAPI document has no route the table lacks; a node not
 * in dev mode refuses every dev row (404, as an unknown path) that a dev node serves; an unknown path is 404 and a
 * known path with another method 405 with an {@code Allow} header listing the table's methods for it.
 */
class RouteTableTest extends NodeHttpTest {
    private static final Pattern OPENAPI_PATH = Pattern.compile("^  (/\\S*):$");
    private static final Pattern OPENAPI_METHOD = Pattern.compile("^    (get|put|post|delete|patch|head|options):$");

    /** The table as a test sees it (its handlers are never run here, so no engine is needed). */
    private static List<Route> table() {
        return Routes.table(new Gateway(NodeConfig.defaults(), null, Map.of()));
    }

    @Test
    void everyRowIsDocumentedAndEveryDocumentedRouteIsARow() throws IOException {
        List<Route> table = table();
        assertTrue(table.size() > 30, "rows: " + table.size());
        Set<String> rows = new TreeSet<>();
        for (Route route : table) {
            assertTrue(rows.add(route.method() + " " + route.path().text()), "a row twice: " + route);
        }
        Set<String> documented = openApiRoutes(Files.readAllLines(Path.of("../docs/openapi.yaml")));
        String api = Files.readString(Path.of("../docs/api.md"));
        List<String> missing = new ArrayList<>();
        for (Route route : table) {
            String row = route.method() + " " + route.path().text();
            if (!documented.contains(row)) {
                missing.add("openapi.yaml: " + row);
            }
            if (!Pattern.compile("`" + Pattern.quote(row) + "[`?\\[ ]").matcher(api).find()) {
                missing.add("api.md: " + row);
            }
        }
        assertEquals(List.of(), missing, "rows served but not documented");
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(rows);
        assertEquals(Set.of(), stale, "documented in openapi.yaml but not served");
        // /health: a literal path (one hash lookup), public, its own rate class, and no body to check.
        Route health = table.stream().filter(r -> r.path().text().equals("/health")).findFirst().orElseThrow();
        assertTrue(health.path().literal() && !health.takesBody(), health.toString());
        assertEquals(AuthRequirement.PUBLIC, health.auth());
        assertEquals(RateClass.HEALTH, health.rate());
    }

    /** "METHOD /path" for every operation under {@code paths:}. */
    private static Set<String> openApiRoutes(List<String> lines) {
        Set<String> routes = new LinkedHashSet<>();
        String path = null;
        for (String line : lines) {
            Matcher p = OPENAPI_PATH.matcher(line);
            if (p.matches()) {
                path = p.group(1);
                continue;
            }
            if (!line.startsWith("  ")) {
                path = null;
            }
            Matcher m = OPENAPI_METHOD.matcher(line);
            if (path != null && m.matches()) {
                routes.add(m.group(1).toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        return routes;
    }

    @Test
    void devRowsAreRefusedOnANodeNotInDevMode() throws Exception {
        List<Route> dev = table().stream().filter(r -> r.auth() == AuthRequirement.DEV_ONLY).toList();
        assertTrue(dev.size() >= 4, "dev rows: " + dev);
        NodeConfig d = NodeConfig.defaults();
        NodeConfig production = new NodeConfig(temp.resolve("production").toString(), "127.0.0.1", 0, "group_commit",
                1_000_000, 4096, false, d.assets(), unbandedInstruments(d));
        try (Node node = Node.start(production)) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (Route route : dev) {
                HttpResponse<String> answer = send(route.method().name(), concrete(route), "{}");
                assertError(answer, 404, "no route");
                // Any method: the path does not exist on this node, so no 405 tells it apart from an unknown one.
                assertEquals(404, send("GET", concrete(route), null).statusCode(), route.toString());
            }
        }
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (Route route : dev) {
                HttpResponse<String> answer = send(route.method().name(), concrete(route), "{}");
                assertNotEquals(404, answer.statusCode(), route + " on a dev node: " + answer.body());
            }
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethods405WithAllow() throws Exception {
        Map<String, List<String>> methods = new LinkedHashMap<>();
        for (Route route : table()) {
            methods.computeIfAbsent(concrete(route), p -> new ArrayList<>()).add(route.method().name());
        }
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            for (Map.Entry<String, List<String>> path : methods.entrySet()) {
                HttpResponse<String> answer = send("PATCH", path.getKey(), "{}");
                assertError(answer, 405, "use ");
                Set<String> allowed = Set.of(answer.headers().firstValue("Allow").orElse("").split(", "));
                assertEquals(Set.copyOf(path.getValue()), allowed, path.getKey());
            }
            assertError(get("/v1/nowhere"), 404, "no route GET /v1/nowhere");
            assertError(get("/v1/book"), 404, "no route");
            assertError(get("/v1/book/1/2"), 404, "no route");
            assertError(get("/v1/orders/"), 404, "no route");
        }
    }

    /** The row's path with every parameter given as 1. */
    private static String concrete(Route route) {
        return route.path().parameters().stream().reduce(route.path().text(),
                (path, name) -> path.replace("{" + name + "}", "1"));
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
