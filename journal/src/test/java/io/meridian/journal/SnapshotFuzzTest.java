package io.meridian.journal;

import io.meridian.model.StateHasher;
import io.meridian.engine.Engine;
import io.meridian.model.snapshot.SnapshotFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged and hostile snapshots are refused cleanly. Starting from a real one (the {@link SnapshotCompatibilityTest}
 * fixture), each case flips bytes, overwrites a run of bytes, or cuts the file or payload short, seeded (the seed is
 * printed; rerun with {@code -Dsnapshot.fuzz.seed=N}):
 * <ul>
 * <li>through the store, as a node loads: either the file is refused with a reason, or what loads has the original
 * state hash (the header's checksums catch almost everything);</li>
 * <li>through the reader alone, with no checksum in front of it (as a file whose checksums were recomputed after the
 * damage would be): either a {@link SnapshotFormatException}, or an engine that was restored and whose state hash can
 * be computed; never another exception, an out-of-memory error or a hang.</li>
 * </ul>
 */
class SnapshotFuzzTest {
    private static final int STORE_CASES = 200;
    private static final int READER_CASES = 1_500;

    @TempDir
    Path dir;

    private static long seed() {
        long seed = Long.getLong("snapshot.fuzz.seed", System.nanoTime());
        System.out.println("SnapshotFuzzTest seed=" + seed + " (rerun with -Dsnapshot.fuzz.seed=" + seed + ")");
        return seed;
    }

    @Test
    void aDamagedFileIsRefusedOrLoadsToTheOriginalState() throws IOException {
        byte[] original = SnapshotCompatibilityTest.fixture();
        Properties expected = SnapshotCompatibilityTest.properties();
        long sequence = Long.parseLong(expected.getProperty("sequence"));
        Path file = dir.resolve(SnapshotStore.fileName(sequence));
        SplittableRandom random = new SplittableRandom(seed());
        SnapshotStore store = new SnapshotStore(dir);
        int refused = 0;
        for (int n = 0; n < STORE_CASES; n++) {
            byte[] damaged = damage(original, random, 0);
            Files.write(file, damaged);
            List<String> skipped = new ArrayList<>();
            SnapshotStore.Loaded loaded = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> store.loadNewest(SnapshotCompatibilityTest.quiet(), Long.MAX_VALUE, skipped));
            if (loaded == null) {
                assertEquals(1, skipped.size(), "case " + n);
                refused++;
            } else {
                assertEquals(expected.getProperty("stateHash"), StateHasher.hex(loaded.engine().stateHash()), "case " + n);
            }
        }
        assertTrue(refused > STORE_CASES / 2, refused + " of " + STORE_CASES + " damaged files refused");
    }

    @Test
    void theReaderRefusesDamagedPayloadsCleanlyWithoutAChecksum() {
        byte[] file;
        try {
            file = SnapshotCompatibilityTest.fixture();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        byte[] payload = Arrays.copyOfRange(file, SnapshotStore.HEADER_LENGTH, file.length);
        Engine intact = EngineSnapshots.read(payload, 0, payload.length, SnapshotCompatibilityTest.quiet());
        long intactHash = intact.stateHash();
        SplittableRandom random = new SplittableRandom(seed());
        int refused = 0;
        int loadedDifferent = 0;
        for (int n = 0; n < READER_CASES; n++) {
            byte[] damaged = damage(payload, random, 0);
            int caseNumber = n;
            String outcome = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                Engine engine;
                try {
                    engine = EngineSnapshots.read(damaged, 0, damaged.length, SnapshotCompatibilityTest.quiet());
                } catch (SnapshotFormatException refusedCleanly) {
                    return "refused";
                } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                    fail("case " + caseNumber + ": not a clean refusal: " + e, e);
                    return "failed";
                }
                return engine.stateHash() == intactHash ? "same" : "different";
            });
            refused += outcome.equals("refused") ? 1 : 0;
            loadedDifferent += outcome.equals("different") ? 1 : 0;
        }
        System.out.println("SnapshotFuzzTest: " + refused + " of " + READER_CASES + " damaged payloads refused, "
                + loadedDifferent + " loaded to another state (a changed value the reader cannot tell from a real one;"
                + " the file's checksums and state hash refuse those)");
        assertTrue(refused > READER_CASES / 4, refused + " refused");
    }

    /**
     * One kind of damage: flipped bits (1 to 4 bytes), a run of random bytes, a run of 0xFF (huge varints and
     * lengths), or the bytes cut short.
     */
    private static byte[] damage(byte[] original, SplittableRandom random, int from) {
        byte[] bytes = original.clone();
        int kind = random.nextInt(4);
        switch (kind) {
            case 0 -> {
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = from + random.nextInt(bytes.length - from);
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                int at = from + random.nextInt(bytes.length - from);
                int length = Math.min(bytes.length - at, 1 + random.nextInt(16));
                for (int i = 0; i < length; i++) {
                    bytes[at + i] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                int at = from + random.nextInt(bytes.length - from);
                int length = Math.min(bytes.length - at, 1 + random.nextInt(10));
                Arrays.fill(bytes, at, at + length, (byte) 0xFF);
            }
            default -> bytes = Arrays.copyOf(bytes, from + random.nextInt(bytes.length - from));
        }
        return bytes;
    }
}
