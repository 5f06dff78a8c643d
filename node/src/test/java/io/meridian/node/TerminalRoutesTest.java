package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The terminal's routes on a node without the terminal module on its classpath (this module's tests): the page is a
 * 404 that says the terminal is not installed, a file name outside the allowed shape is a 404 before any class-loader
 * lookup, and nothing outside the terminal's directory is ever served. (The terminal module's TerminalBrowserTest
 * checks the files, their types and headers, with the module installed.)
 */
class TerminalRoutesTest extends NodeHttpTest {

    @Test
    void withoutTheTerminalThePageSaysSoAndNoPathEscapes() throws Exception {
        try (Node node = Node.start(config())) {
            base = "http://127.0.0.1:" + node.httpPort();
            assertError(get("/"), 404, "the browser terminal is not installed on this node");
            assertError(get("/terminal/app.js"), 404, "no terminal file 'app.js'");
            for (String hostile : List.of("/terminal/..%2F..%2Fpom.xml", "/terminal/App.js", "/terminal/a.class",
                    "/terminal/vendor/..", "/terminal/.hidden.js", "/terminal/" + "a".repeat(80) + ".js",
                    "/terminal/io%2Fmeridian%2Fnode%2FNode.class")) {
                HttpResponse<String> answer = get(hostile);
                assertEquals(404, answer.statusCode(), hostile + " -> " + answer.body());
            }
        }
    }
}
