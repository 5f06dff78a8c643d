package io.meridian.node;

import io.meridian.node.http.Gateway;
import io.meridian.node.http.Route;
import io.meridian.node.http.Routes;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * docs/openapi.yaml is a valid OpenAPI 3.0 document (issue 21): swagger-parser reads it, resolving every {@code $ref},
 * without one error or warning; and beyond what the parser checks, every operation has responses, a 2xx among them,
 * each with a body declared (the node answers every request with JSON, {@code /metrics} with text), every refusal's
 * body is the {@code {code, message}} Error schema (or one of a oneOf with it), every path parameter is declared
 * (and required) and only those, every operation takes exactly the query parameters its row of the route table
 * ({@link Routes}) takes and declares the refusals its row can get ({@link #refusals}), every schema
 * has a type, every required property is declared, and in answers the time fields follow the convention (epoch
 * milliseconds as numbers: {@code time}, {@code ...Time}; engine nanoseconds as strings: {@code timestamp},
 * {@code ...Nanos}).
 */
// swagger-parser's model hands out raw Schema (Map<String, Schema>, List<Schema>): its API, not a choice here.
@SuppressWarnings({"rawtypes", "unchecked"})
class OpenApiDocumentTest {
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

    @Test
    void theParserReportsNothing() {
        SwaggerParseResult result = OpenApiContract.parse(true);
        assertNotNull(result.getOpenAPI(), "docs/openapi.yaml did not parse: " + result.getMessages());
        assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages());
        assertEquals("3.0.3", result.getOpenAPI().getOpenapi());
    }

    @Test
    void everyOperationIsComplete() {
        OpenApiContract contract = OpenApiContract.load();
        List<String> problems = new ArrayList<>();
        Map<String, Route> rows = new java.util.HashMap<>();
        for (Route route : Routes.table(new Gateway(NodeConfig.defaults(), null, Map.of()))) {
            rows.put(route.method() + " " + route.path().text(), route);
        }
        for (Map.Entry<String, PathItem> path : contract.api().getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                String name = entry.getKey() + " " + path.getKey();
                Operation operation = entry.getValue();
                parameters(contract, name, path.getKey(), path.getValue(), operation, rows.get(name), problems);
                if (operation.getResponses() == null || operation.getResponses().isEmpty()) {
                    problems.add(name + ": no responses");
                    continue;
                }
                if (rows.containsKey(name)) {
                    Set<String> missing = new TreeSet<>(refusals(rows.get(name)));
                    missing.removeAll(operation.getResponses().keySet());
                    if (!missing.isEmpty()) {
                        problems.add(name + ": refusals not declared: " + missing);
                    }
                }
                if (operation.getResponses().keySet().stream().noneMatch(s -> s.startsWith("2"))) {
                    problems.add(name + ": no 2xx response");
                }
                for (String status : operation.getResponses().keySet()) {
                    ApiResponse response = contract.response(operation, Integer.parseInt(status));
                    if (response.getContent() == null || response.getContent().isEmpty()) {
                        problems.add(name + " " + status + ": no content declared");
                        continue;
                    }
                    for (MediaType media : response.getContent().values()) {
                        if (media.getSchema() == null) {
                            problems.add(name + " " + status + ": no schema");
                        } else if (!status.startsWith("2") && !isError(contract, media.getSchema())) {
                            problems.add(name + " " + status + ": a refusal's body is not the Error schema");
                        } else if (status.startsWith("2")) {
                            times(contract, media.getSchema(), name + " " + status, problems,
                                    new IdentityHashMap<>());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * The refusals every row of its kind can get, so each must be declared: any row a bad or unknown query parameter
     * (400), a rate limit (429), a fault (500) and a busy or stopped engine (503); a row with a body one too large
     * (413) or not JSON (415); a private read no or a bad read token (401) or one for another account (403); a
     * signed command an unproven signer (401) and the engine's refusal (422); a feed also a source without a
     * feed key (403); a dev row a node not in dev mode (404).
     */
    static Set<String> refusals(Route row) {
        Set<String> statuses = new TreeSet<>(Set.of("400", "429", "500", "503"));
        if (row.takesBody()) {
            statuses.addAll(Set.of("413", "415"));
        }
        switch (row.auth()) {
            case PRIVATE_READ -> statuses.addAll(Set.of("401", "403"));
            case SIGNED_COMMAND -> statuses.addAll(Set.of("401", "422"));
            case FEED -> statuses.addAll(Set.of("401", "403", "422"));
            case DEV_ONLY -> statuses.add("404");
            default -> { }
        }
        return statuses;
    }

    /** Path parameters are exactly the path's, required; query parameters exactly the route row's. */
    private static void parameters(OpenApiContract contract, String name, String path, PathItem item,
                                   Operation operation, Route row, List<String> problems) {
        Set<String> inPath = new TreeSet<>();
        Matcher m = PATH_PARAMETER.matcher(path);
        while (m.find()) {
            inPath.add(m.group(1));
        }
        Set<String> declaredPath = new TreeSet<>();
        Set<String> declaredQuery = new TreeSet<>();
        List<Parameter> all = new ArrayList<>();
        if (item.getParameters() != null) {
            all.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            all.addAll(operation.getParameters());
        }
        for (Parameter raw : all) {
            Parameter p = contract.parameter(raw);
            if (p.getSchema() == null) {
                problems.add(name + ": parameter " + p.getName() + " has no schema");
            }
            if ("path".equals(p.getIn())) {
                declaredPath.add(p.getName());
                if (!Boolean.TRUE.equals(p.getRequired())) {
                    problems.add(name + ": path parameter " + p.getName() + " not required");
                }
            } else if ("query".equals(p.getIn()) && !declaredQuery.add(p.getName())) {
                problems.add(name + ": query parameter " + p.getName() + " declared twice");
            }
        }
        if (!inPath.equals(declaredPath)) {
            problems.add(name + ": path parameters " + declaredPath + ", the path has " + inPath);
        }
        if (row != null && !new TreeSet<>(row.query()).equals(declaredQuery)) {
            problems.add(name + ": query parameters " + declaredQuery + ", the node takes " + new TreeSet<>(row.query()));
        }
    }

    /** Whether {@code schema} is the Error schema or extends it ({@code allOf} with it). */
    private static boolean isError(OpenApiContract contract, Schema<?> schema) {
        if ("#/components/schemas/Error".equals(schema.get$ref())) {
            return true;
        }
        Schema<?> resolved = contract.resolve(schema);
        return resolved.getAllOf() != null && resolved.getAllOf().stream().anyMatch(s -> isError(contract, s))
                || resolved.getOneOf() != null && resolved.getOneOf().stream().anyMatch(s -> isError(contract, s));
    }

    /** The time convention in an answer's schema, and that every schema in it has a type and its required fields. */
    private static void times(OpenApiContract contract, Schema<?> schema, String at, List<String> problems,
                              Map<Schema<?>, Boolean> seen) {
        Schema<?> s = contract.resolve(schema);
        if (seen.put(s, Boolean.TRUE) != null) {
            return;
        }
        if (OpenApiContract.type(s) == null && s.getOneOf() == null && s.getAnyOf() == null) {
            problems.add(at + ": no type");
        }
        if (s.getRequired() != null) {
            for (String r : s.getRequired()) {
                if (s.getProperties() == null || !s.getProperties().containsKey(r)) {
                    problems.add(at + ": required " + r + " is not a property");
                }
            }
        }
        if (s.getProperties() != null) {
            for (Map.Entry<String, Schema> p : s.getProperties().entrySet()) {
                String field = p.getKey();
                String type = OpenApiContract.type(contract.resolve(p.getValue()));
                if ((field.equals("timestamp") || field.endsWith("Nanos")) && !"string".equals(type)) {
                    problems.add(at + " " + field + ": engine nanoseconds are a string, not " + type);
                }
                if ((field.equals("time") || field.endsWith("Time")) && !"integer".equals(type)) {
                    problems.add(at + " " + field + ": epoch milliseconds are an integer, not " + type);
                }
                times(contract, p.getValue(), at + "/" + field, problems, seen);
            }
        }
        for (List<Schema> parts : new List[] {s.getAllOf(), s.getOneOf(), s.getAnyOf()}) {
            if (parts != null) {
                for (Schema<?> part : parts) {
                    times(contract, part, at, problems, seen);
                }
            }
        }
        if (s.getItems() != null) {
            times(contract, s.getItems(), at + "[]", problems, seen);
        }
        if (s.getAdditionalProperties() instanceof Schema<?> extra) {
            times(contract, extra, at + "/*", problems, seen);
        }
    }
}
