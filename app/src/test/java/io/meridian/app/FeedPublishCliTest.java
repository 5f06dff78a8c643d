package io.meridian.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meridian feed keygen} and {@code feed publish}: keys made by the CLI go in a node's config, and lines piped
 * into the publisher price the index of a node without dev routes; a foreign key and malformed lines are refused.
 */
class FeedPublishCliTest {
    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private JsonNode keygen() throws Exception {
        out.reset();
        assertEquals(0, FeedPublishCli.keygen(new PrintStream(out, true, StandardCharsets.UTF_8)));
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    private int publish(String stdin, long now, String... args) {
        out.reset();
        err.reset();
        return FeedPublishCli.publish(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                () -> now);
    }

    @Test
    void keysFromKeygenLetPipedReportsPriceTheIndex() throws Exception {
        List<JsonNode> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            keys.add(keygen());
        }
        assertTrue(keys.get(0).get("seed").asText().matches("0x[0-9a-f]{64}"), keys.get(0).toString());
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536,
                false, d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.open(), false,
                new NodeConfig.Markets(List.of(new NodeConfig.Index(7, "ETH-USD", 2, List.of("a", "b", "c"), null,
                        keys.stream().map(k -> k.get("publicKey").asText()).toList(), null)), List.of()));
        Path[] files = new Path[3];
        for (int i = 0; i < 3; i++) {
            files[i] = Files.writeString(temp.resolve("feed" + i + ".key"), keys.get(i).get("seed").asText() + "\n");
        }
        try (Node node = Node.start(config)) {
            String url = "http://127.0.0.1:" + node.httpPort();
            long now = System.currentTimeMillis() * 1_000_000L - 1_000_000L;
            for (int source = 0; source < 3; source++) {
                assertEquals(0, publish("# a comment, then a report\n3000.25\n", now, "--url", url, "--key-file",
                        files[source].toString(), "--index", "7", "--source", Integer.toString(source)),
                        err.toString(StandardCharsets.UTF_8));
                assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("ok "), out.toString());
            }
            assertEquals(300_025L, node.engine().query(e -> e.view().indexPrice(7)).get(), "three signed sources publish");

            // Source 1 reported with source 0's key: refused by the node, exit 1; timestamps from the lines.
            assertEquals(1, publish("0 3001 " + (now + 1) + "\n1 3001 " + (now + 1) + "\n", now, "--url", url,
                    "--key-file", files[0].toString(), "--index", "7"));
            String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
            assertTrue(lines[0].startsWith("ok "), lines[0]);
            assertTrue(lines[1].startsWith("refused 8002"), lines[1]);

            assertEquals(2, publish("3000.125\n", now, "--url", url, "--key-file", files[0].toString(), "--index", "7",
                    "--source", "0"));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("more than 2 decimals"), err.toString());
            assertEquals(2, publish("1 2 3 4\n", now, "--url", url, "--key-file", files[0].toString(), "--index", "7"));
            assertEquals(2, publish("", now, "--url", url, "--key-file", files[0].toString(), "--index", "9"));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("no index 9"), err.toString());
        }
        assertEquals(2, publish("", 0, "--url", "http://127.0.0.1:1"));
    }
}
