package io.meridian.app.load;

import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
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
 * The load generator's contract against a real node in each auth mode: short, bounded runs that must print the last
 * line with orders answered and no errors (figures come from the CLI runs in docs/performance.md, not from tests).
 */
class LoadGeneratorTest {
    @TempDir
    Path temp;

    private Node node(String name, NodeConfig.Auth auth) throws InterruptedException {
        NodeConfig d = NodeConfig.defaults();
        return Node.start(new NodeConfig(temp.resolve(name).toString(), "127.0.0.1", 0, "group_commit", 0, 65_536, true,
                d.assets(), d.operatorMarkedInstruments(), 100_000, 100_000, auth));
    }

    private static String run(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LoadGenerator.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, text);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertContractLine(String text) {
        String[] lines = text.split("\\R");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("orders_per_s=\\d+ p50_us=\\d+ p99_us=\\d+ errors=0"), text);
        assertFalse(last.startsWith("orders_per_s=0 "), text);
        assertTrue(text.contains(" 0 engine rejects"), text);
    }

    @Test
    void sessionSignedAndPresignedRunsAgainstASignedNode() throws Exception {
        // A load generator signs from one address: the node's per-address budget of signature checks (1,000 a second
        // by default, against floods of forged signatures) is opened up for it, as docs/performance.md's node config does.
        NodeConfig.Auth signed = NodeConfig.Auth.signed();
        try (Node node = node("signed", new NodeConfig.Auth(signed.mode(), signed.chainId(), signed.verifyingContract(),
                1_000_000, 3_600))) {
            String url = "http://127.0.0.1:" + node.httpPort();
            assertContractLine(run(0, "--url", url, "--seconds", "1", "--connections", "2", "--window", "8"));
            assertContractLine(run(0, "--url", url, "--seconds", "1", "--connections", "2", "--window", "4",
                    "--auth", "session", "--key", "owner"));
            assertContractLine(run(0, "--url", url, "--seconds", "1", "--connections", "2", "--window", "4",
                    "--auth", "signed"));
            String bounded = run(0, "--url", url, "--seconds", "5", "--connections", "2", "--window", "4",
                    "--auth", "signed", "--presign", "--max-orders", "200", "--seed", "7");
            assertContractLine(bounded);
            assertTrue(bounded.contains("answered 200 orders"), bounded);
            assertTrue(bounded.contains("seed 7"), bounded);
        }
    }

    @Test
    void accountIdsAgainstAnOpenNode() throws Exception {
        try (Node node = node("open", NodeConfig.Auth.open())) {
            String url = "http://127.0.0.1:" + node.httpPort();
            assertContractLine(run(0, "--url", url, "--seconds", "1", "--connections", "2", "--window", "8",
                    "--auth", "none", "--accounts", "10"));
        }
    }

    @Test
    void idleSubscribersAndHealthLatencyAreReported() throws Exception {
        try (Node node = node("idle", NodeConfig.Auth.open())) {
            String url = "http://127.0.0.1:" + node.httpPort();
            String out = run(0, "--url", url, "--seconds", "1", "--connections", "1", "--window", "4", "--auth", "none",
                    "--accounts", "2", "--idle-subscribers", "3", "--idle-depth", "50", "--idle-per-address", "2");
            assertContractLine(out);
            assertTrue(out.contains("3 idle subscriber(s) on instrument 1 at depth 50 from 2 source address(es), each"
                    + " with its snapshot read"), out);
            assertTrue(out.matches("(?s).*health latency \\(GET /health every 50 ms\\): [1-9]\\d* samples, p50 \\d+ us,"
                    + " p99 \\d+ us, max \\d+ us; 0 failed.*"), out);
            assertTrue(out.contains("idle subscribers after the run: 0 closed by the node, 3 still open"), out);
        }
    }

    @Test
    void refusesOtherHostsAndBadOptions() {
        run(2, "--url", "http://example.com:80", "--seconds", "1");
        run(2, "--url", "http://127.0.0.1:1", "--auth", "maybe");
        run(2, "--url", "http://127.0.0.1:1", "--presign");
        run(2, "--seconds", "1");
        run(2, "--url", "http://127.0.0.1:1", "--window", "0");
        run(2, "--url", "http://127.0.0.1:1", "--idle-depth", "1001");
        run(2, "--url", "http://127.0.0.1:1", "--idle-subscribers", "-1");
    }

    @Test
    void decimalsAreWrittenWithTheStepsScale() {
        ByteText text = new ByteText(4);
        assertEquals("50000.1", new String(text.clear().appendDecimal(500_001, 1).toBytes(), StandardCharsets.US_ASCII));
        assertEquals("0.005", new String(text.clear().appendDecimal(5, 3).toBytes(), StandardCharsets.US_ASCII));
        assertEquals("-0.05", new String(text.clear().appendDecimal(-5, 2).toBytes(), StandardCharsets.US_ASCII));
        assertEquals("1200", new String(text.clear().appendDecimal(12, -2).toBytes(), StandardCharsets.US_ASCII));
        assertEquals("-9223372036854775808", new String(text.clear().append(Long.MIN_VALUE).toBytes(),
                StandardCharsets.US_ASCII));
    }
}
