package io.meridian.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.auth.Hex;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meridian governance}: admins propose risk bounds, approve and veto with their own keys against a running node
 * (the client signs, the node verifies), and {@code show} prints the governance, the open proposals and the risk
 * parameters in force; bad arguments are refused with the usage and exit code 2, the node's refusals with 1.
 */
class GovernanceCliTest {
    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Secp256k1PrivateKey[] admins = {key(1), key(2), key(3)};

    private static Secp256k1PrivateKey key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Secp256k1PrivateKey.of(bytes);
    }

    private static String hex(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Hex.encode0x(bytes);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void adminsProposeApproveAndVetoAndShowPrintsTheState() throws Exception {
        NodeConfig d = NodeConfig.defaults();
        NodeConfig config = new NodeConfig(temp.resolve("data").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536,
                true, d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.open(), false,
                NodeConfig.Markets.NONE).withGovernance(new NodeConfig.Governance(Arrays.stream(admins)
                        .map(k -> k.address().toChecksumHex()).toList(), 2, 0L), null);
        Path keyFile = temp.resolve("admin1.key");
        Files.writeString(keyFile, hex(1) + "\n");
        ObjectMapper json = new ObjectMapper();
        try (Node node = Node.start(config)) {
            String url = "http://127.0.0.1:" + node.httpPort();
            assertEquals(0, run("governance", "show", "--url", url), err.toString(StandardCharsets.UTF_8));
            assertTrue(out().contains("governance: 2 of 3 admins, timelock 0 ms"), out());
            assertTrue(out().contains("BTC-PERP (1): multiplier 1,"), out());

            assertEquals(0, run("governance", "propose", "--url", url, "--key-file", keyFile.toString(),
                    "--instrument", "1", "--floor", "1", "--ceiling", "2.5", "--max-change-per-hour", "0.5",
                    "--hysteresis", "0.05", "--notice-millis", "60000"), err.toString(StandardCharsets.UTF_8));
            long id = json.readTree(out()).get("proposalId").asLong();
            assertEquals(0, run("governance", "propose", "--url", url, "--key", hex(3), "--instrument", "1",
                    "--floor", "1", "--ceiling", "4", "--max-change-per-hour", "1", "--hysteresis", "0",
                    "--notice-millis", "0"));
            long vetoed = json.readTree(out()).get("proposalId").asLong();
            assertEquals(0, run("governance", "show", "--url", url, "--json"));
            JsonNode shown = json.readTree(out());
            assertEquals(2, shown.get("governance").get("proposals").size(), out());

            assertEquals(0, run("governance", "cancel", "--url", url, "--key", hex(2), "--id", Long.toString(vetoed)));
            assertEquals(0, run("governance", "approve", "--url", url, "--key", hex(2), "--id", Long.toString(id)));
            assertEquals("accepted", json.readTree(out()).get("status").asText());
            // No timelock: the bounds are in force at the node's next command (its time tick, within a second).
            long deadline = System.nanoTime() + 10_000_000_000L;
            String ceiling = "";
            while (!ceiling.equals("2.5") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                run("governance", "show", "--url", url, "--instrument", "1", "--json");
                ceiling = json.readTree(out()).get("riskParameters").get(0).path("bounds").path("ceiling").asText();
            }
            assertEquals("2.5", ceiling, out());

            // The node's refusals: not an admin (at the edge), an unknown proposal (by the engine).
            assertEquals(1, run("governance", "approve", "--url", url, "--key", hex(9), "--id", Long.toString(id)));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("9004"), err.toString(StandardCharsets.UTF_8));
            assertEquals(1, run("governance", "approve", "--url", url, "--key", hex(3), "--id", Long.toString(id)));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("9006"), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheUsage() {
        List<String[]> cases = List.of(
                new String[] {"governance"},
                new String[] {"governance", "vote", "--url", "http://127.0.0.1:1"},
                new String[] {"governance", "show"},
                new String[] {"governance", "approve", "--url", "http://127.0.0.1:1", "--id", "1"},
                new String[] {"governance", "approve", "--url", "http://127.0.0.1:1", "--key", "0x12", "--id", "1"},
                new String[] {"governance", "cancel", "--url", "http://127.0.0.1:1", "--key", hex(2), "--id"},
                new String[] {"governance", "show", "--url", "http://127.0.0.1:1", "--what", "1"});
        for (String[] args : cases) {
            assertEquals(2, run(args), String.join(" ", args));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: meridian governance"),
                    err.toString(StandardCharsets.UTF_8));
        }
        assertTrue(GovernanceCli.bounds("1", "2.5", "0.5", "0.05", 60_000).ceilingPpm() == 2_500_000);
    }
}
