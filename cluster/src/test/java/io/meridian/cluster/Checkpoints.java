package io.meridian.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster tests' reading of the members' checkpoint files ({@code <member dir>/checkpoint-<id>.txt}, written by
 * {@link EngineClusteredService}: {@code sequence=<n> state_hash=<hex> messages=<n>}).
 */
final class Checkpoints {
    private Checkpoints() {
    }

    /** Waits (60 s at most) for the member in {@code memberDirectory} to write checkpoint {@code id}; its line. */
    static String await(Path memberDirectory, long id) throws InterruptedException, IOException {
        Path file = memberDirectory.resolve("checkpoint-" + id + ".txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, memberDirectory + " never wrote checkpoint " + id);
            Thread.sleep(10);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** {@code sequence=<n> state_hash=<hex>} of a checkpoint line. */
    static String stateOf(String checkpoint) {
        return checkpoint.substring(0, checkpoint.indexOf(" messages="));
    }

    static long sequenceOf(String checkpoint) {
        return Long.parseLong(checkpoint.substring("sequence=".length(), checkpoint.indexOf(' ')));
    }

    static String hashOf(String checkpoint) {
        String state = stateOf(checkpoint);
        return state.substring(state.indexOf("state_hash=") + "state_hash=".length());
    }
}
