package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator's contract against a real node (short and small: a figure comes from the CLI, not a test). */
class LoadGeneratorTest {
    @TempDir
    Path temp;

    @Test
    void printsTheContractLineWithNoErrors() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.toString(), "127.0.0.1", 0, "group_commit", 0, 4096, true,
                d.assets(), d.instruments());
        try (Node node = Node.start(config)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = LoadGenerator.run(new String[] {"--url", "http://127.0.0.1:" + node.httpPort(), "--seconds", "1",
                "--connections", "2", "--window", "16", "--accounts", "10"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, text + err);
            String[] lines = text.split("\\R");
            String last = lines[lines.length - 1];
            assertTrue(last.matches("orders_per_s=\\d+ p50_us=\\d+ p99_us=\\d+ errors=0"), text);
            assertTrue(!last.startsWith("orders_per_s=0 "), text);
        }
        assertEquals(2, LoadGenerator.run(new String[] {"--url", "http://example.com:80", "--seconds", "1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    }
}
