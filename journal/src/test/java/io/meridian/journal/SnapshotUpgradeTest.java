package io.meridian.journal;

import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upgrade from builds that wrote Kryo snapshots (file format version 1): their files are refused by name and the
 * start falls back to the journal; the journal is never pruned behind one of them, only behind a snapshot this build
 * proved loads; and a journal already pruned behind them stops the start with what to do, rather than with a state
 * that is not the journal's.
 */
class SnapshotUpgradeTest {
    private static final JournalConfig SMALL = JournalConfig.defaults().withSegmentSize(16 * 1024);

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1);

    /** A snapshot file as the Kryo builds wrote it: their header (format version 1) around a payload of theirs. */
    static void writeKryoSnapshot(Path directory, long sequence, long seed) throws IOException {
        byte[] payload = new byte[4_096];
        new SplittableRandom(seed).nextBytes(payload);
        ByteBuffer header = ByteBuffer.allocate(SnapshotStore.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        header.putInt(SnapshotStore.MAGIC).putInt(SnapshotStore.KRYO_VERSION).putLong(sequence).putLong(sequence * 10)
                .putLong(seed).putLong(payload.length).putInt((int) crc.getValue());
        crc.reset();
        crc.update(header.array(), 0, SnapshotStore.HEADER_LENGTH - 4);
        header.putInt((int) crc.getValue());
        byte[] file = new byte[SnapshotStore.HEADER_LENGTH + payload.length];
        System.arraycopy(header.array(), 0, file, 0, SnapshotStore.HEADER_LENGTH);
        System.arraycopy(payload, 0, file, SnapshotStore.HEADER_LENGTH, payload.length);
        Files.write(directory.resolve(SnapshotStore.fileName(sequence)), file);
    }

    private Sequencer start(SnapshotPolicy policy) {
        return Sequencer.start(dir, SMALL, policy, EngineConfig.defaults(), new EngineEvents() { },
                clock::incrementAndGet, 64);
    }

    private long run(Sequencer sequencer, OrderFlow flow, int commands) {
        Command c = new Command();
        for (int i = 0; i < commands; i++) {
            sequencer.submit(flow.next(c));
        }
        sequencer.flush();
        return sequencer.engine().stateHash();
    }

    private List<Long> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(JournalFormat::parseFileName).filter(first -> first > 0).sorted().toList();
        }
    }

    @Test
    void kryoSnapshotsAreRefusedByNameAndTheJournalRebuildsTheState() throws IOException {
        OrderFlow flow = new OrderFlow(31);
        long hash;
        try (Sequencer sequencer = start(SnapshotPolicy.NONE)) {
            hash = run(sequencer, flow, 3_000);
        }
        writeKryoSnapshot(dir, 2_000, 1);
        try (Sequencer restarted = start(SnapshotPolicy.NONE)) {
            assertNull(restarted.startReport().snapshot());
            List<String> skipped = restarted.startReport().skipped();
            assertEquals(1, skipped.size());
            assertTrue(skipped.get(0).contains("format version 1") && skipped.get(0).contains("Kryo"), skipped.get(0));
            assertEquals(3_000, restarted.startReport().replayed());
            assertEquals(hash, restarted.engine().stateHash());
        }
        // `meridian verify` says so and checks the rest: an earlier build's snapshot is no damage.
        List<Path> notChecked = new ArrayList<>();
        JournalVerifier.Listener listener = new JournalVerifier.Listener() {
            @Override
            public void notChecked(Path file, String why) {
                notChecked.add(file);
            }
        };
        JournalVerifier.Result verified = JournalVerifier.verify(dir, null, listener);
        assertTrue(verified.ok(), verified.failure());
        assertEquals(1, notChecked.size());
        // Pruned behind it, the journal is covered by no snapshot this build can load: verify fails.
        JournalRetention.pruneThrough(dir, 2_000);
        JournalVerifier.Result pruned = JournalVerifier.verify(dir, null, listener);
        assertFalse(pruned.ok());
        assertTrue(pruned.failure().contains("no snapshot covers the records before it"), pruned.failure());
    }

    @Test
    void theJournalIsPrunedOnlyBehindASnapshotOfThisFormatThatLoads() throws IOException {
        OrderFlow flow = new OrderFlow(32);
        try (Sequencer sequencer = start(SnapshotPolicy.NONE)) {
            run(sequencer, flow, 1_500);
        }
        // The node ran a Kryo build with pruning: two of its snapshots are there, the journal whole.
        writeKryoSnapshot(dir, 500, 2);
        writeKryoSnapshot(dir, 1_000, 3);
        SnapshotStore store = new SnapshotStore(dir);
        long hash;
        try (Sequencer upgraded = start(new SnapshotPolicy(1_000, 3, true))) {
            // This build's first two snapshots are retained with Kryo ones, the oldest retained: nothing is pruned.
            for (int snapshot = 1; snapshot <= 2; snapshot++) {
                run(upgraded, flow, 1_000);
                upgraded.awaitSnapshot();
                assertEquals(3, store.list().size());
                assertEquals(500L + 500 * (snapshot - 1), SnapshotStore.parseFileName(store.list().get(2)));
                assertEquals(1, segments().get(0), "no segment is pruned behind a snapshot this build cannot load");
            }
            // The third retires the last Kryo snapshot: the oldest retained is this build's, proven, and the base.
            hash = run(upgraded, flow, 1_000);
            upgraded.awaitSnapshot();
        }
        long oldest = SnapshotStore.parseFileName(store.list().get(2));
        assertTrue(oldest > 1_500, "retained: " + store.list());
        assertTrue(segments().get(0) > 1 && segments().get(0) <= oldest + 1, "pruned behind " + oldest + ": "
                + segments());
        try (Sequencer restarted = start(SnapshotPolicy.NONE)) {
            assertEquals(hash, restarted.engine().stateHash());
        }
        // After a restart the oldest retained snapshot was written by the process before: verified, then the base.
        long firstBefore = segments().get(0);
        try (Sequencer restarted = start(new SnapshotPolicy(1_000, 3, true))) {
            hash = run(restarted, flow, 1_000);
            restarted.awaitSnapshot();
        }
        long base = SnapshotStore.parseFileName(store.list().get(2));
        assertTrue(segments().get(0) > firstBefore && segments().get(0) <= base + 1, "pruned behind " + base + ": "
                + segments());
        try (Sequencer restarted = start(SnapshotPolicy.NONE)) {
            assertEquals(hash, restarted.engine().stateHash());
        }
    }

    @Test
    void aJournalPrunedBehindKryoSnapshotsStopsTheStartWithWhatToDo() throws IOException {
        OrderFlow flow = new OrderFlow(33);
        try (Sequencer sequencer = start(SnapshotPolicy.NONE)) {
            run(sequencer, flow, 3_000);
        }
        // A Kryo build pruned behind its snapshot at 2,000; this build cannot read that snapshot.
        writeKryoSnapshot(dir, 2_000, 4);
        JournalRetention.pruneThrough(dir, 2_000);
        assertTrue(segments().get(0) > 1);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(SnapshotPolicy.NONE));
        assertTrue(refused.getMessage().contains("no snapshot could be loaded")
                && refused.getMessage().contains("Kryo")
                && refused.getMessage().contains("Restore the pruned journal segments"), refused.getMessage());
    }
}
