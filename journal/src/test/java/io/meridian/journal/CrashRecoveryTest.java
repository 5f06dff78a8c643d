package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash tests with real processes: a {@link CrashWriter} child streams commands through the sequencer with group
 * commit and is killed with SIGKILL ({@link Process#destroyForcibly()}) at a random moment, several times per seed;
 * each restart recovers. After every kill the test checks, in this process, that
 * <ul>
 * <li>recovery keeps every acknowledged command (the journal's last sequence is at least the last {@code ACK});</li>
 * <li>the recovered journal, replayed, gives the same state hash as a clean engine fed the same stream directly, at
 * the last acknowledged sequence and at the journal's end;</li>
 * <li>a start from the newest snapshot (the child snapshots every few thousand commands, so kills also land during
 * snapshot writes) plus the journal after it gives that same hash, and no snapshot file is ever found damaged (a
 * snapshot is renamed into place only when complete);</li>
 * </ul>
 * and at the end, after a run to completion, that the whole journal replays to the clean engine's hash.
 */
class CrashRecoveryTest {
    private static final long TOTAL = 40_000;
    private static final int KILLS = 3;

    @TempDir
    Path temp;

    @Test
    void killedWriterLosesNothingAcknowledgedAndRecoversTheSameState() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime() % 1000);
        System.out.println("CrashRecoveryTest seed=" + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int round = 0; round < 3; round++) {
            long flowSeed = seed * 31 + round;
            Path dir = temp.resolve("journal-" + round);
            for (int kill = 0; kill < KILLS; kill++) {
                long[] acked = runChild(dir, flowSeed, 20 + random.nextInt(300));
                checkRecovery(dir, flowSeed, acked[0], "round " + round + " kill " + kill);
            }
            long[] last = runChild(dir, flowSeed, -1);
            assertEquals(TOTAL, last[1], "the final run finishes the stream");
            Engine replayed = replay(dir, Long.MAX_VALUE);
            assertEquals(TOTAL, replayed.lastSequence());
            assertEquals(reference(flowSeed, TOTAL), replayed.stateHash(), "whole journal = clean run");
        }
    }

    /**
     * Runs the child until it is killed {@code killAfterMillis} after its first acknowledgement (or, with -1, until
     * it finishes). Returns {last acknowledged sequence, DONE sequence or -1}.
     */
    private long[] runChild(Path dir, long flowSeed, long killAfterMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp",
                System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(),
                Long.toString(flowSeed), Long.toString(TOTAL))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        AtomicLong acked = new AtomicLong(-1);
        AtomicLong done = new AtomicLong(-1);
        AtomicLong firstAckAt = new AtomicLong();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        firstAckAt.compareAndSet(0, System.nanoTime());
                        acked.set(Long.parseLong(line.substring(4)));
                    } else if (line.startsWith("RECOVERED ")) {
                        acked.set(Long.parseLong(line.substring(10)));
                    } else if (line.startsWith("DONE ")) {
                        done.set(Long.parseLong(line.substring(5)));
                    }
                }
            } catch (IOException e) {
                // The child was killed mid-line: what was read is what was acknowledged.
            }
        });
        reader.start();
        if (killAfterMillis >= 0) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (firstAckAt.get() == 0 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(killAfterMillis);
            child.destroyForcibly();
        }
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child ended");
        reader.join(10_000);
        if (killAfterMillis < 0) {
            assertEquals(0, child.exitValue(), "child finished cleanly");
        }
        return new long[] {acked.get(), done.get()};
    }

    private void checkRecovery(Path dir, long flowSeed, long lastAck, String where) {
        RecoveryReport report = Journal.recover(dir);
        System.out.println(where + ": last ACK " + lastAck + ", recovered " + report);
        assertTrue(report.lastSequence() >= lastAck, where + ": acknowledged command lost: ACK " + lastAck
                + " but the journal ends at " + report.lastSequence());
        Engine atEnd = replay(dir, Long.MAX_VALUE);
        assertEquals(report.lastSequence(), atEnd.lastSequence());
        assertEquals(reference(flowSeed, report.lastSequence()), atEnd.stateHash(), where + ": journal end");
        if (lastAck > 0) {
            assertEquals(reference(flowSeed, lastAck), replay(dir, lastAck).stateHash(), where + ": acked prefix");
        }
        // What the node itself does on start: newest valid snapshot, then the journal after it.
        try (Sequencer started = Sequencer.start(dir, JournalConfig.defaults(), SnapshotPolicy.NONE,
                EngineConfig.defaults(), new EngineEvents() { }, () -> 0, 16)) {
            Sequencer.StartReport start = started.startReport();
            System.out.println(where + ": start from " + (start.snapshot() == null ? "no snapshot"
                    : "snapshot " + start.snapshot().sequence()) + " + " + start.replayed() + " journal records"
                    + (start.skipped().isEmpty() ? "" : ", skipped " + start.skipped()));
            assertTrue(start.skipped().isEmpty(), where + ": a snapshot was damaged: " + start.skipped());
            assertEquals(atEnd.stateHash(), started.engine().stateHash(), where + ": snapshot + journal");
        }
    }

    private static Engine replay(Path dir, long to) {
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        Replay.replay(dir, engine, to);
        return engine;
    }

    /** The state hash of a clean engine fed the first {@code commands} of the stream directly. */
    private static long reference(long flowSeed, long commands) {
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        OrderFlow flow = new OrderFlow(flowSeed);
        Command c = new Command();
        for (long sequence = 1; sequence <= commands; sequence++) {
            flow.next(c);
            c.sequence = sequence;
            c.timestamp = CrashWriter.timestamp(sequence);
            engine.apply(c);
        }
        return engine.stateHash();
    }
}
