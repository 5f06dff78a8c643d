package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/openapi.yaml lists every route the gateway serves: each {@code route.equals("...")} of HttpGateway is a path
 * of the document, and each {@code path[2].equals("x")} route has a path under {@code /v1/x/}. A route added without
 * its documentation fails here.
 */
class OpenApiCoverageTest {
    @Test
    void everyGatewayRouteIsInTheOpenApiDocument() throws IOException {
        String gateway = Files.readString(Path.of("src/main/java/io/meridian/node/HttpGateway.java"));
        String openapi = Files.readString(Path.of("../docs/openapi.yaml"));
        List<String> missing = new ArrayList<>();
        int routes = 0;
        Matcher exact = Pattern.compile("route\\.equals\\(\"([^\"]+)\"\\)").matcher(gateway);
        while (exact.find()) {
            routes++;
            if (!openapi.contains("\n  " + exact.group(1) + ":\n")) {
                missing.add(exact.group(1));
            }
        }
        Matcher prefix = Pattern.compile("path\\[2\\]\\.equals\\(\"([^\"]+)\"\\)").matcher(gateway);
        while (prefix.find()) {
            routes++;
            if (!openapi.contains("\n  /v1/" + prefix.group(1) + "/")) {
                missing.add("/v1/" + prefix.group(1) + "/...");
            }
        }
        assertTrue(routes > 20, "the gateway's routes were found: " + routes);
        assertEquals(List.of(), missing, "routes served but not in docs/openapi.yaml");
    }
}
