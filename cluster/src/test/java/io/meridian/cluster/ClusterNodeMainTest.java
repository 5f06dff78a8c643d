package io.meridian.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meridian cluster-node}'s refusals of the log retention option, before anything starts. */
class ClusterNodeMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        err.reset();
        return ClusterNodeMain.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aNegativeOrMalformedRetentionIsAUsageError() {
        Path member = dir.resolve("member");
        assertEquals(2, run("--id", "0", "--members", "localhost", "--dir", member.toString(),
                "--log-retain-snapshots", "-1"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("--log-retain-snapshots must be 0 (keep the whole log) or more"), text);
        assertTrue(text.contains("[--log-retain-snapshots=K]"), text);
        assertEquals(2, run("--id", "0", "--members", "localhost", "--dir", member.toString(),
                "--log-retain-snapshots", "two"));
        assertTrue(Files.notExists(member), "nothing started");
    }
}
