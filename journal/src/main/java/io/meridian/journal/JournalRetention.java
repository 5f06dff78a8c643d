package io.meridian.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes journal segments that a retained snapshot has made unnecessary for recovery: every segment whose records all
 * lie at or before a snapshot's sequence, except the newest segment (the one being written). What is left still
 * recovers exactly: the oldest retained snapshot, then the journal after it.
 *
 * <p>The journal is also the venue's audit record, so this is opt-in ({@link SnapshotPolicy#pruneJournal()}):
 * whoever turns it on ships segments elsewhere first if the full history must be kept. After pruning,
 * {@code meridian replay} needs {@code --from-snapshot}, and {@code meridian verify} checks the journal from its first
 * remaining record and each snapshot from the oldest one on. Thread-safety: segments before the newest are never
 * opened by the writer again, so this may run beside it (the sequencer runs it on its snapshot thread).
 */
public final class JournalRetention {
    private JournalRetention() {
    }

    /** What a prune removed. */
    public record Pruned(int segments, long bytes, long firstRemainingSequence) {
    }

    /**
     * Deletes the segments whose last record is at or before {@code throughSequence}, never the newest one.
     *
     * @return the number of segments and bytes deleted, and the first sequence the journal now starts at
     */
    public static Pruned pruneThrough(Path directory, long throughSequence) {
        List<Long> firsts = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + JournalFormat.SUFFIX)) {
            for (Path p : stream) {
                long first = JournalFormat.parseFileName(p);
                if (first > 0) {
                    firsts.add(first);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        firsts.sort(null);
        int deleted = 0;
        long bytes = 0;
        long firstRemaining = firsts.isEmpty() ? 0 : firsts.get(0);
        try {
            for (int i = 0; i + 1 < firsts.size(); i++) {
                // Segment i holds [first_i, first_{i+1} - 1]: gone once the snapshot covers its last record.
                if (firsts.get(i + 1) - 1 > throughSequence) {
                    break;
                }
                Path segment = directory.resolve(JournalFormat.fileName(firsts.get(i)));
                bytes += Files.size(segment);
                Files.delete(segment);
                deleted++;
                firstRemaining = firsts.get(i + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune journal segments in " + directory, e);
        }
        return new Pruned(deleted, bytes, firstRemaining);
    }
}
