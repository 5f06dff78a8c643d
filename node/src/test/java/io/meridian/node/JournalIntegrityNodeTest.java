package io.meridian.node;

import io.meridian.journal.Journal;
import io.meridian.journal.JournalFormat;
import io.meridian.journal.JournalReader;
import io.meridian.journal.JournalVerifier;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal integrity against the real node, each node its own process (issue 16, item 7):
 * <ul>
 * <li>a flipped byte inside the last, complete, acknowledged record of the journal makes the node refuse to start,
 * naming the segment, offset and sequence, and cuts nothing; {@code meridian verify} fails with the same facts (the
 * old rule took the record for a torn tail, cut it away and started without it);</li>
 * <li>a second node on a running node's data directory is refused, also after {@code journal.lock} was deleted (the
 * old lock let the second node create a new file, lock it and write the same journal).</li>
 * </ul>
 */
class JournalIntegrityNodeTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    private static int freePort() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private Path config(String name, Path data, int port) throws IOException {
        Path file = temp.resolve(name + ".json");
        Files.writeString(file, "{\"dataDir\":\"" + data.toString().replace("\\", "/") + "\",\"httpPort\":" + port
                + ",\"devMode\":true,\"auth\":{\"mode\":\"open\"}}");
        return file;
    }

    private Process launch(Path config, Path stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                NodeTestMain.class.getName(), config.toString())
                .redirectError(stderr.toFile())
                .start();
    }

    /** Starts a node and waits for {@code node ready}. */
    private Process start(Path config, String name) throws IOException {
        Path stderr = temp.resolve(name + ".stderr");
        Process process = launch(config, stderr);
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("node ready")) {
                return process;
            }
        }
        throw new IllegalStateException("node " + name + " exited: " + Files.readString(stderr));
    }

    /**
     * Starts a node that must refuse to start: returns its stderr after it exited with status 1. Fails (and stops
     * it) if it reports {@code node ready} instead.
     */
    private String startRefused(Path config, String name) throws Exception {
        Path stderr = temp.resolve(name + ".stderr");
        Process process = launch(config, stderr);
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                assertFalse(line.startsWith("node ready"), "node " + name + " started: " + line);
            }
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "node " + name + " exited");
            String err = Files.readString(stderr);
            System.out.println("node " + name + " refused to start: " + err.trim());
            assertEquals(1, process.exitValue(), err);
            return err;
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> order(int port, int price) throws Exception {
        return post(port, "/v1/orders", "{\"account\":1,\"instrument\":1,\"side\":\"buy\",\"price\":\"" + price
                + "\",\"quantity\":\"0.001\"}");
    }

    private static String book(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/book/1?depth=100"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The journal's last record: where it is and what it holds. */
    private record Last(Path segment, long offset, int payloadLength, long sequence, Command command) {
    }

    private static Last lastRecord(Path data) {
        Last last = null;
        try (JournalReader reader = JournalReader.open(data)) {
            while (reader.next()) {
                last = new Last(reader.currentSegment(), reader.recordOffset(), reader.payloadLength(),
                        reader.sequence(), reader.decode(new Command()));
            }
            assertTrue(reader.tornTail() == null, "a clean journal: " + reader.tornTail());
        }
        return last;
    }

    private static void xor(Path file, long offset, int mask) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ mask);
        }
    }

    @Test
    void theNodeRefusesToStartOnAFlippedByteInItsLastAcknowledgedRecord() throws Exception {
        int port = freePort();
        Path data = temp.resolve("data");
        Path config = config("node", data, port);
        // The acknowledged order must be the journal's last record. The node also journals a time tick every
        // second, so if one lands between the acknowledgement and the kill, place another order and try again.
        Last last = null;
        int ackedPrice = 0;
        for (int attempt = 0; attempt < 5 && last == null; attempt++) {
            Process node = start(config, "node-" + attempt);
            try {
                if (attempt == 0) {
                    assertEquals(200, post(port, "/v1/dev/deposit",
                            "{\"account\":1,\"asset\":0,\"amount\":\"10000000\"}").statusCode());
                }
                HttpResponse<String> acked = order(port, 48_000 + attempt);
                assertEquals(200, acked.statusCode(), acked.body());
            } finally {
                // SIGKILL straight after the acknowledgement: the node had no chance to write anything else.
                node.destroyForcibly();
                assertTrue(node.waitFor(10, TimeUnit.SECONDS));
            }
            Last found = lastRecord(data);
            if (found.command().type == CommandType.PLACE_ORDER && found.command().account == 1) {
                last = found;
                ackedPrice = 48_000 + attempt;
            }
        }
        assertNotNull(last, "the acknowledged order never ended the journal");
        Path segment = last.segment();
        long offset = last.offset();
        long sequence = last.sequence();
        long size = Files.size(segment);
        assertEquals(size, offset + JournalFormat.RECORD_HEADER_LENGTH + last.payloadLength(),
                "the order is the last complete record");

        // One flipped byte in the middle of its payload.
        xor(segment, offset + JournalFormat.RECORD_HEADER_LENGTH + last.payloadLength() / 2, 0x40);
        byte[] damaged = Files.readAllBytes(segment);

        String err = startRefused(config, "node-damaged");
        assertTrue(err.contains("node: cannot start: journal corrupted: checksum mismatch"), err);
        assertTrue(err.contains(segment.getFileName().toString()), err);
        assertTrue(err.contains("offset " + offset), err);
        assertTrue(err.contains("sequence " + sequence), err);
        assertArrayEquals(damaged, Files.readAllBytes(segment), "the refused start cut nothing");

        String verdict = JournalVerifier.verify(data, null, JournalVerifier.Listener.NONE).failure();
        assertNotNull(verdict, "meridian verify fails too");
        assertTrue(verdict.startsWith("journal corrupted: checksum mismatch"), verdict);
        assertTrue(verdict.contains(segment.getFileName().toString()) && verdict.contains("offset " + offset)
                && verdict.contains("sequence " + sequence), verdict);

        // Put the byte back: the same journal starts again, with the acknowledged order in the book.
        xor(segment, offset + JournalFormat.RECORD_HEADER_LENGTH + last.payloadLength() / 2, 0x40);
        Process again = start(config, "node-repaired");
        try {
            String book = book(port);
            assertTrue(book.contains("[\"" + ackedPrice + "\",\"0.001\"]"), "acknowledged bid at " + ackedPrice
                    + ": " + book);
        } finally {
            again.destroy();
            again.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondNodeCannotOpenARunningNodesJournalEvenAfterItsLockFileIsDeleted() throws Exception {
        int portA = freePort();
        int portB = freePort();
        Path data = temp.resolve("shared");
        Path configA = config("a", data, portA);
        Path configB = config("b", data, portB);
        Process a = start(configA, "a");
        try {
            assertEquals(200, post(portA, "/v1/dev/deposit", "{\"account\":1,\"asset\":0,\"amount\":\"10000000\"}")
                    .statusCode());
            assertEquals(200, order(portA, 48_100).statusCode());

            String refused = startRefused(configB, "b-locked");
            assertTrue(refused.contains("is open by another writer"), refused);

            Path lock = data.resolve(Journal.LOCK_FILE);
            Files.delete(lock);
            refused = startRefused(configB, "b-unlocked");
            assertTrue(refused.contains(Journal.LOCK_FILE + " is missing"), refused);
            assertFalse(Files.exists(lock), "the refused node did not recreate the lock file");

            // The running node was not disturbed and still journals.
            HttpResponse<String> more = order(portA, 48_200);
            assertEquals(200, more.statusCode(), more.body());
        } finally {
            a.destroy();
            assertTrue(a.waitFor(30, TimeUnit.SECONDS));
        }
        // With the node stopped, the operator recreates the file (docs/operations.md) and the journal starts again,
        // whole.
        String stillRefused = startRefused(configA, "a-no-lock");
        assertTrue(stillRefused.contains(Journal.LOCK_FILE + " is missing"), stillRefused);
        Files.createFile(data.resolve(Journal.LOCK_FILE));
        Process again = start(configA, "a-again");
        try {
            String book = book(portA);
            assertTrue(book.contains("[\"48100\",\"0.001\"]") && book.contains("[\"48200\",\"0.001\"]"), book);
        } finally {
            again.destroy();
            again.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
