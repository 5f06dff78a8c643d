package io.meridian.node;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's layout (issue 16): no source file of the gateway's packages over 500 lines; FIX imports nothing from
 * the REST package; the edge codec, shared by REST, WebSocket and FIX, imports none of them.
 */
class GatewayStructureTest {
    private static final Path MAIN = Path.of("src/main/java/io/meridian/node");
    private static final int MAX_LINES = 500;

    @Test
    void noGatewayFileIsOver500Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String dir : new String[] {"http", "ws", "fix", "binary", "codec", "history"}) {
            try (Stream<Path> list = Files.list(MAIN.resolve(dir))) {
                list.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        files.add(MAIN.resolve("HttpGateway.java"));
        files.add(MAIN.resolve("RateLimits.java"));
        assertTrue(files.size() > 30, "files: " + files.size());
        for (Path file : files) {
            int lines = Files.readAllLines(file).size();
            if (lines > MAX_LINES) {
                tooLong.add(file + ": " + lines);
            }
        }
        assertEquals(List.of(), tooLong);
    }

    @Test
    void fixAndTheCodecDoNotDependOnRest() throws IOException {
        List<String> found = new ArrayList<>();
        check("fix", new String[] {"io.meridian.node.http.", "io.meridian.node.ws."}, found);
        check("codec", new String[] {"io.meridian.node.http.", "io.meridian.node.ws.", "io.meridian.node.fix."},
                found);
        assertEquals(List.of(), found);
    }

    private static void check(String dir, String[] forbidden, List<String> found) throws IOException {
        try (Stream<Path> list = Files.list(MAIN.resolve(dir))) {
            for (Path file : list.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    for (String prefix : forbidden) {
                        if (line.startsWith("import " + prefix) || line.startsWith("import static " + prefix)) {
                            found.add(file.getFileName() + ": " + line);
                        }
                    }
                }
            }
        }
    }
}
