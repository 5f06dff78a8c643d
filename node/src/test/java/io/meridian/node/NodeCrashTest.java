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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node as a real process, killed with SIGKILL while orders stream in over HTTP, then restarted on its data
 * directory: every order the node acknowledged is there after the restart (found by its order id in the account's
 * book), and the recovered node keeps trading.
 */
class NodeCrashTest {
    @TempDir
    Path temp;

    private Process start(Path config) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                NodeTestMain.class.getName(), config.toString())
                .redirectError(temp.resolve("stderr.log").toFile())
                .start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("node ready")) {
                return process;
            }
            assertTrue(System.nanoTime() < deadline, "node did not start");
        }
        throw new IllegalStateException("node exited: " + Files.readString(temp.resolve("stderr.log")));
    }

    @Test
    void everyAcknowledgedOrderSurvivesAKill() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path config = temp.resolve("node.json");
        Files.writeString(config, "{\"dataDir\":\"" + temp.resolve("data").toString().replace("\\", "/")
                + "\",\"httpPort\":" + port + ",\"devMode\":true,\"auth\":{\"mode\":\"open\"}}");
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        Process node = start(config);
        http.send(HttpRequest.newBuilder(URI.create(base + "/v1/dev/deposit")).POST(HttpRequest.BodyPublishers
                .ofString("{\"account\":1,\"asset\":0,\"amount\":\"10000000\"}")).header("Content-Type", "application/json")
                .build(),
                HttpResponse.BodyHandlers.ofString());
        // Resting bids at distinct prices, sent concurrently; once some are acknowledged, the node is killed while the
        // rest stream in. 48,000-48,599 stays inside the default 5% price band around the starting mark of 50,000.
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String price = (48_000 + i) + ".0";
            sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/orders")).POST(HttpRequest
                    .BodyPublishers.ofString("{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"" + price
                            + "\",\"quantity\":\"0.001\"}")).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString()));
            if (i == 200) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (sent.stream().filter(CompletableFuture::isDone).count() < 50) {
                    assertTrue(System.nanoTime() < deadline, "no acknowledgements before the kill");
                    Thread.sleep(1);
                }
            }
            if (i == 300) {
                node.destroyForcibly();
            }
        }
        assertTrue(node.waitFor(10, TimeUnit.SECONDS));
        List<String> acknowledgedPrices = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            try {
                HttpResponse<String> response = sent.get(i).get(10, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    acknowledgedPrices.add(String.valueOf(48_000 + i));
                }
            } catch (Exception e) {
                // Never answered: the kill came first; it may or may not be in the journal.
            }
        }
        assertTrue(acknowledgedPrices.size() > 10, "some orders were acknowledged before the kill");

        Process again = start(config);
        try {
            String book = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/book/1?depth=1000")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String price : acknowledgedPrices) {
                assertTrue(book.contains("[\"" + price + "\",\"0.001\"]"), "acknowledged bid at " + price
                        + " lost: " + book);
            }
            HttpResponse<String> more = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/orders")).POST(
                    HttpRequest.BodyPublishers.ofString("{\"account\":1,\"instrument\":1,\"side\":\"buy\","
                            + "\"price\":\"49000\",\"quantity\":\"0.001\"}")).header("Content-Type", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, more.statusCode(), more.body());
        } finally {
            again.destroy();
            again.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
