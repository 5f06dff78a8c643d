package io.meridian.app;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.EngineSettings;
import io.meridian.journal.JournalConfig;
import io.meridian.journal.JournalFormat;
import io.meridian.journal.JournalRetention;
import io.meridian.journal.JournalWriter;
import io.meridian.journal.SnapshotStore;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.StateHasher;
import io.meridian.simulator.Scenario;
import io.meridian.simulator.StressRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contracts of {@code meridian replay} and {@code meridian verify} (docs/journal.md) on a journal of a stress
 * scenario's commands with its engine settings pinned: what they print, their last lines and exit codes. What the
 * journal library checks underneath: JournalVerifierTest in the journal module.
 */
class JournalCliTest {
    private static StressRunner.CommandLog log;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void record() {
        log = StressRunner.record(Scenario.CRASH_30, 1, 60, 2, 5, 5, 5);
        assertNotEquals(EngineConfig.defaults(), log.config(), "pinned settings that differ from the defaults");
    }

    /** Journals the first {@code count} commands of the log (segments of {@code segmentBytes}) with its settings. */
    private void write(int count, long segmentBytes) {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults().withSegmentSize(segmentBytes))) {
            EngineSettings.write(dir, log.config());
            for (int i = 0; i < count; i++) {
                writer.append(log.commands().get(i));
            }
        }
    }

    private static Engine engineAt(int upTo) {
        Engine engine = new Engine(new EngineEvents() { }, log.config());
        for (Command c : log.commands().subList(0, upTo)) {
            engine.apply(c);
        }
        return engine;
    }

    private int replay(String... args) {
        out.reset();
        err.reset();
        return JournalCli.replay(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int verify(String... args) {
        out.reset();
        err.reset();
        return JournalCli.verify(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String lastLine() {
        List<String> lines = text().lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void replayPrintsTheStateHashOfTheWholeJournalOrAPrefixUnderThePinnedSettings() {
        int n = log.commands().size();
        write(n, JournalConfig.defaults().segmentSize());
        assertEquals(0, replay("--journal", dir.toString()));
        assertEquals("state_hash=" + StateHasher.hex(engineAt(n).stateHash()) + " commands=" + n, lastLine());
        assertTrue(lastLine().matches("state_hash=[0-9a-f]{16} commands=\\d+"));
        assertTrue(text().startsWith("journal: " + dir + System.lineSeparator()), text());
        assertTrue(text().contains("replayed " + n + " command(s) in "), text());
        assertTrue(text().contains("last_sequence=" + n + " last_timestamp="), text());
        assertEquals(0, replay("--journal", dir.toString(), "--to", "100"));
        assertEquals("state_hash=" + StateHasher.hex(engineAt(100).stateHash()) + " commands=100", lastLine());
    }

    @Test
    void verifyPrintsWhatItCheckedAndTheVerdictLast() {
        int n = log.commands().size();
        write(n, JournalConfig.defaults().segmentSize());
        SnapshotStore store = new SnapshotStore(dir);
        Engine half = engineAt(n / 2);
        store.persist(store.capture(half, null));
        assertEquals(0, verify("--journal", dir.toString()));
        List<String> lines = text().lines().toList();
        assertTrue(lines.get(0).matches("segment " + JournalFormat.fileName(1) + ": " + n + " record\\(s\\), (\\d+) of \\1"
                + " byte\\(s\\) intact"), lines.get(0));
        assertEquals("engine settings: pinned in " + EngineSettings.FILE_NAME, lines.get(1));
        assertEquals("snapshot " + store.list().get(0).getFileName() + ": sequence " + n / 2 + ", state hash "
                + StateHasher.hex(half.stateHash()) + ", loads and matches the journal", lines.get(2));
        assertEquals("verify=ok records=" + n + " last_sequence=" + n, lastLine());
        assertEquals(3 + 1, lines.size(), text());

        assertEquals(0, replay("--journal", dir.toString(), "--from-snapshot"));
        assertTrue(text().startsWith("snapshot: " + store.list().get(0).getFileName() + " (sequence " + n / 2
                + ") loaded in "), text());
        assertEquals("state_hash=" + StateHasher.hex(engineAt(n).stateHash()) + " commands=" + (n - n / 2), lastLine());
    }

    @Test
    void aPrunedJournalReplaysOnlyFromASnapshotAndVerifiesFromItsBase() {
        int n = log.commands().size();
        write(n, 16 * 1024);
        SnapshotStore store = new SnapshotStore(dir);
        store.persist(store.capture(engineAt(n / 2), null));
        assertTrue(JournalRetention.pruneThrough(dir, n / 2).segments() > 0, "the test needs a pruned journal");
        assertEquals(1, replay("--journal", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("replay: ")
                && err.toString(StandardCharsets.UTF_8).contains("(a journal pruned after a snapshot replays with"
                + " --from-snapshot)"), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, replay("--journal", dir.toString(), "--from-snapshot"));
        assertEquals("state_hash=" + StateHasher.hex(engineAt(n).stateHash()) + " commands=" + (n - n / 2), lastLine());
        assertEquals(0, verify("--journal", dir.toString()));
        assertTrue(text().contains("the records before it were pruned after a snapshot" + System.lineSeparator()), text());
        assertTrue(text().contains(", loads; the base the pruned journal replays from"), text());
        assertTrue(lastLine().startsWith("verify=ok records="), lastLine());
    }

    @Test
    void aDamagedJournalFailsBothWithExitCodeOne() throws IOException {
        write(log.commands().size(), JournalConfig.defaults().segmentSize());
        Path segment = dir.resolve(JournalFormat.fileName(1));
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long at = file.length() / 2;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x40);
        }
        assertEquals(1, verify("--journal", dir.toString()));
        assertTrue(lastLine().startsWith("verify=failed journal corrupted: "), lastLine());
        assertEquals(1, replay("--journal", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("replay: journal corrupted: "),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theRequestsOfAStressRunCarryNoSignaturesToProve() {
        int n = log.commands().size();
        write(n, JournalConfig.defaults().segmentSize());
        // The stress lab's agents trade by account id, as the operator would: nothing proves who asked.
        assertEquals(1, verify("--journal", dir.toString(), "--signatures"));
        List<String> lines = text().lines().toList();
        assertTrue(lines.get(lines.size() - 2).startsWith("signatures: 0 signed command(s) checked"), text());
        assertTrue(lastLine().matches("verify=failed \\d+ request\\(s\\) carry no owner's signature \\(made by account id,"
                + " first at sequence \\d+\\)"), lastLine());
        assertEquals(0, verify("--journal", dir.toString()));
        assertEquals("verify=ok records=" + n + " last_sequence=" + n, lastLine());
    }

    @Test
    void badArgumentsAreUsageErrors() throws IOException {
        assertEquals(2, replay());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: meridian replay [-h] --journal=DIR [--to=SEQ]"
                + " [--from-snapshot]"));
        assertEquals(2, replay("--journal"));
        assertEquals(2, replay("--journal", dir.toString(), "--to", "x"));
        assertEquals(2, replay("--bogus", "1"));
        assertEquals(1, replay("--journal", dir.resolve("missing").toString()));
        assertEquals("replay: no journal directory " + dir.resolve("missing") + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, replay("--help"));
        assertTrue(text().startsWith("Usage: meridian replay"), text());
        assertEquals(2, verify());
        assertEquals(2, verify("--chain-id", "one", "--journal", dir.toString()));
        assertEquals(2, verify("--journal", dir.toString(), "--signatures", "--verifying-contract", "0x12"));
        assertEquals(1, verify("--journal", dir.resolve("missing").toString()));
        assertEquals("verify=failed no journal directory " + dir.resolve("missing"), lastLine());
        Files.createDirectories(dir);
        assertEquals(0, verify("--help"));
        assertTrue(text().startsWith("Usage: meridian verify"), text());
    }
}
