package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 16's production defaults: a signed-mode config that named no EIP-712 domain silently ran under the development
 * one (chain 31337, contract 0x...dEaD), so signatures made for any development node verified on it. Now a node
 * outside dev mode must name its chain and contract, and the development domain is refused; a node on a public
 * address must list its Host names; a connection cap the file-descriptor limit cannot hold is refused. The node as
 * its own process ({@code meridian node --config FILE}): the start fails with the keys named.
 */
class ProductionConfigTest {
    private static final String DOMAIN = "\"auth\":{\"mode\":\"signed\",\"chainId\":42161,"
            + "\"verifyingContract\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}";

    @TempDir
    Path temp;

    @Test
    void aProductionConfigWithoutItsOwnDomainIsRefusedAtStart() throws Exception {
        Result none = run("{\"dataDir\":\"" + data("a") + "\",\"httpPort\":0}", List.of());
        assertEquals(1, none.exit(), none.stderr());
        assertTrue(none.stderr().contains("node: 2 problems in the config:"), none.stderr());
        assertTrue(none.stderr().contains("  auth.chainId: required outside dev mode, and not the development domain"
                + " (chain 31337, contract 0x000000000000000000000000000000000000dEaD)"), none.stderr());
        assertTrue(none.stderr().contains("  auth.verifyingContract: required outside dev mode"), none.stderr());

        Result chainOnly = run("{\"dataDir\":\"" + data("b") + "\",\"httpPort\":0,\"auth\":{\"chainId\":1}}", List.of());
        assertEquals(1, chainOnly.exit(), chainOnly.stderr());
        assertTrue(chainOnly.stderr().contains("node: auth.verifyingContract: required outside dev mode"),
                chainOnly.stderr());

        Result devChain = run("{\"dataDir\":\"" + data("c") + "\",\"httpPort\":0,\"auth\":{\"chainId\":31337,"
                + "\"verifyingContract\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}}", List.of());
        assertEquals(1, devChain.exit(), devChain.stderr());
        assertTrue(devChain.stderr().contains("node: auth.chainId: required outside dev mode"), devChain.stderr());

        Result wildcard = run("{\"dataDir\":\"" + data("d") + "\",\"httpPort\":0,\"httpHost\":\"0.0.0.0\"," + DOMAIN
                + "}", List.of());
        assertEquals(1, wildcard.exit(), wildcard.stderr());
        assertTrue(wildcard.stderr().contains("node: connections.allowedHosts: required outside dev mode when httpHost"
                + " (0.0.0.0) is not a loopback address"), wildcard.stderr());
    }

    @Test
    void aCompleteProductionConfigStarts() throws Exception {
        Path config = temp.resolve("venue.json");
        Files.writeString(config, "{\"dataDir\":\"" + data("ok") + "\",\"httpPort\":0," + DOMAIN
                + ",\"connections\":{\"maxConnections\":2000,\"maxConnectionsPerAddress\":50,"
                + "\"allowedOrigins\":[\"https://app.venue.example\"]}}");
        Process node = process(config, List.of(), true);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String ready = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("node ready ")) {
                    ready = line.substring("node ready ".length());
                    break;
                }
            }
            assertTrue(ready != null, "node ready: " + Files.readString(temp.resolve("stderr.log")));
            HttpResponse<String> auth = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ready
                    + "/v1/auth")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, auth.statusCode());
            assertTrue(auth.body().contains("\"chainId\":42161"), auth.body());
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConnectionCapBeyondTheDescriptorLimitIsRefusedAtStart() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "ulimit through sh");
        Result tooMany = run("{\"dataDir\":\"" + data("f") + "\",\"httpPort\":0," + DOMAIN
                + ",\"connections\":{\"maxConnections\":5000}}", List.of("ulimit -n 2048"));
        assertEquals(1, tooMany.exit(), tooMany.stderr());
        assertTrue(tooMany.stderr().contains("connections.maxConnections: 5000 needs more file descriptors than the"
                + " process may open (ulimit -n 2048"), tooMany.stderr());
        assertTrue(tooMany.stderr().contains("at most 1472"), tooMany.stderr());
    }

    private String data(String name) {
        return temp.resolve(name).toString().replace("\\", "/");
    }

    private record Result(int exit, String stderr) {
    }

    private Result run(String json, List<String> shellPrefix) throws Exception {
        Path config = temp.resolve("node-" + System.nanoTime() + ".json");
        Files.writeString(config, json);
        Process node = process(config, shellPrefix, false);
        node.getOutputStream().close();
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the node started instead of refusing the config: " + json);
        }
        return new Result(node.exitValue(), Files.readString(temp.resolve("stderr.log")));
    }

    /**
     * {@code meridian node --config FILE} as a process (after the shell commands, if any), stderr to a file, stdout
     * piped to the test or to a file.
     */
    private Process process(Path config, List<String> shellPrefix, boolean pipeOutput) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                NodeTestMain.class.getName(), config.toString()));
        if (!shellPrefix.isEmpty()) {
            StringBuilder line = new StringBuilder(String.join(" && ", shellPrefix)).append(" && exec");
            for (String part : command) {
                line.append(" '").append(part.replace("'", "'\\''")).append('\'');
            }
            command = List.of("sh", "-c", line.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(temp.resolve("stderr.log").toFile());
        if (!pipeOutput) {
            builder.redirectOutput(temp.resolve("stdout.log").toFile());
        }
        return builder.start();
    }
}
