package io.meridian.journal;

import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashRecoveryTest}: a node in miniature. Opens the journal in front of an engine
 * (recovering whatever a killed predecessor left: snapshot plus journal), with a snapshot every
 * {@value #SNAPSHOT_EVERY} commands, then submits the {@link OrderFlow} of the given seed from where
 * the journal ends, in batches of random size, and prints {@code ACK <sequence>} after every flush: a line printed is
 * an acknowledgement, so the journal must keep every command up to it whatever happens next. Prints
 * {@code RECOVERED <last sequence>} first and {@code DONE <last sequence>} at the end.
 *
 * <p>Timestamps are a function of the sequence ({@link #timestamp}) so the test can rebuild the same stream.
 *
 * <p>Arguments: journal directory, seed, total commands.
 */
public final class CrashWriter {
    static final long BASE_TIMESTAMP = 1_767_225_600_000_000_000L;
    /** Often enough that kills land before, during and after snapshot writes. */
    static final long SNAPSHOT_EVERY = 5_000;

    private CrashWriter() {
    }

    static long timestamp(long sequence) {
        return BASE_TIMESTAMP + sequence * 1_000_000L;
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        long total = Long.parseLong(args[2]);
        PrintStream out = System.out;
        Sequencer[] holder = new Sequencer[1];
        try (Sequencer sequencer = Sequencer.start(directory, JournalConfig.defaults().withSegmentSize(256 << 10),
                new SnapshotPolicy(SNAPSHOT_EVERY, 2), EngineConfig.defaults(), new EngineEvents() { },
                () -> timestamp(holder[0] == null ? 0 : holder[0].writer().nextSequence()), Sequencer.DEFAULT_MAX_BATCH)) {
            holder[0] = sequencer;
            long done = sequencer.engine().lastSequence();
            out.println("RECOVERED " + done);
            out.flush();
            OrderFlow flow = new OrderFlow(seed);
            Command command = new Command();
            for (long i = 0; i < done; i++) {
                flow.next(command);
            }
            SplittableRandom batches = new SplittableRandom(seed ^ done);
            while (done < total) {
                int batch = (int) Math.min(total - done, 1 + batches.nextInt(64));
                for (int i = 0; i < batch; i++) {
                    sequencer.submit(flow.next(command));
                }
                done = sequencer.flush();
                out.println("ACK " + done);
                out.flush();
            }
            out.println("DONE " + done);
            out.flush();
        }
    }
}
