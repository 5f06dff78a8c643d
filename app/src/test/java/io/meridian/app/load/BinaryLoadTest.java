package io.meridian.app.load;

import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import io.meridian.node.binary.BinarySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meridian load --protocol binary} against a real node with the binary order entry on: the same contract line
 * as the WebSocket run, every order answered, none refused; an order budget is kept exactly; a binary run without the
 * port (or with another auth) is a usage error.
 */
class BinaryLoadTest {
    @TempDir
    Path temp;

    private static String[] run(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LoadGenerator.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, text);
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private static void assertContractLine(String text) {
        String[] lines = text.split("\\R");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("orders_per_s=\\d+ p50_us=\\d+ p99_us=\\d+ errors=0"), text);
        assertFalse(last.startsWith("orders_per_s=0 "), text);
        assertTrue(text.contains(" 0 engine rejects"), text);
    }

    @Test
    void binaryRunsAgainstASignedNode() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig.Auth signed = NodeConfig.Auth.signed();
        NodeConfig config = new NodeConfig(temp.resolve("binary").toString(), "127.0.0.1", 0, "group_commit", 0,
                65_536, true, d.assets(), d.operatorMarkedInstruments(), 100_000, 100_000,
                new NodeConfig.Auth(signed.mode(), signed.chainId(), signed.verifyingContract(), 1_000_000, 3_600))
                .withBinary(BinarySettings.on(0));
        try (Node node = Node.start(config)) {
            String url = "http://127.0.0.1:" + node.httpPort();
            String port = Integer.toString(node.binaryPort());
            String out = run(0, "--url", url, "--protocol", "binary", "--binary-port", port, "--seconds", "1",
                    "--connections", "2", "--window", "16")[0];
            assertContractLine(out);
            assertTrue(out.contains("binary order entry on port " + port), out);
            String bounded = run(0, "--url", url, "--protocol", "binary", "--binary-port", port, "--seconds", "5",
                    "--connections", "3", "--window", "4", "--key", "owner", "--max-orders", "200", "--seed", "7")[0];
            assertContractLine(bounded);
            assertTrue(bounded.contains("answered 200 orders"), bounded);
            String usage = run(2, "--url", url, "--protocol", "binary")[1];
            assertTrue(usage.contains("--protocol binary needs --binary-port"), usage);
            run(2, "--url", url, "--protocol", "binary", "--binary-port", port, "--auth", "signed");
            run(2, "--url", url, "--protocol", "sbe");
        }
    }
}
