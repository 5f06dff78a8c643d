package io.meridian.journal;

import io.meridian.auth.Eip712Domain;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.StateHasher;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Checks a journal directory offline, read-only: every record (length, checksum, sequence continuity, timestamps,
 * and that the payload decodes), every snapshot (it loads to its recorded state hash, and a replay of the journal
 * reaches that same hash), and, when given a signing domain, every user request's signature ({@link SignatureAudit}).
 * {@code meridian verify} prints what it reports.
 *
 * <p>What was checked is reported to a {@link Listener} as the verification goes, in this order: the segments, a torn
 * tail, a pruned start, the pinned engine settings, each snapshot (oldest first), the signature audit. It stops at the
 * first problem: the {@link Result} then names it and the listener has heard what was checked before it.
 */
public final class JournalVerifier {
    private JournalVerifier() {
    }

    /** What one snapshot file turned out to be. */
    public enum SnapshotVerdict {
        /** Loads with its state hash, but is older than the journal's first record, so nothing replays to it. */
        OLDER_THAN_JOURNAL,
        /** Loads with its state hash: the oldest snapshot of a pruned journal, which the newer ones replay from. */
        BASE,
        /** Loads, and the journal replayed to its sequence gives its state hash. */
        MATCHES
    }

    /** One snapshot that passed its check. */
    public record SnapshotCheck(Path file, long sequence, long stateHash, SnapshotVerdict verdict) {
    }

    /** Hears what was checked, as it is checked; every method does nothing unless overridden. */
    public interface Listener {
        /** A listener that ignores everything. */
        Listener NONE = new Listener() { };

        /** One segment file and its intact records, oldest first; all of them before anything below. */
        default void segment(SegmentInfo segment) {
        }

        /** A torn tail after the last intact record (a crash mid-write; the next writer cuts it). */
        default void tornTail(TornTail tail) {
        }

        /** The journal starts after sequence 1: the records before {@code firstSequence} were pruned after a snapshot. */
        default void pruned(long firstSequence) {
        }

        /** Whether the engine settings are pinned in the directory ({@link EngineSettings}) or the defaults apply. */
        default void settings(boolean pinned) {
        }

        /** A snapshot that passed, oldest first. */
        /** A snapshot of an earlier build's format (Kryo), which a start skips too: reported, not checked. */
        default void notChecked(Path file, String why) {
        }

        default void snapshot(SnapshotCheck check) {
        }

        /** The signature audit's summary (only when signatures are checked), before its verdict. */
        default void signatures(String summary) {
        }
    }

    /**
     * The outcome.
     *
     * @param failure      the first problem found, or null when the journal is intact
     * @param records      records read
     * @param lastSequence the last intact record's sequence
     * @param signed       signed requests proven (0 when signatures were not checked)
     */
    public record Result(String failure, long records, long lastSequence, long signed) {
        public boolean ok() {
            return failure == null;
        }

        static Result failed(String failure) {
            return new Result(failure, 0, 0, 0);
        }
    }

    /**
     * Verifies the journal in {@code journal}.
     *
     * @param domain   the EIP-712 domain the node signs under, to prove every request's signature; null to skip that
     * @param listener hears what was checked
     */
    public static Result verify(Path journal, Eip712Domain domain, Listener listener) {
        if (!Files.isDirectory(journal)) {
            return Result.failed("no journal directory " + journal);
        }
        SignatureAudit audit = domain != null ? new SignatureAudit(domain) : null;
        Command command = new Command();
        try (JournalReader reader = JournalReader.open(journal)) {
            while (reader.next()) {
                try {
                    reader.decode(command.reset());
                } catch (CodecException e) {
                    return Result.failed("record " + reader.sequence() + " in " + reader.currentSegment().getFileName()
                            + " at offset " + reader.recordOffset() + " does not decode: " + e.getMessage());
                }
                if (audit != null) {
                    command.sequence = reader.sequence();
                    audit.add(command);
                }
            }
            for (SegmentInfo segment : reader.segments()) {
                listener.segment(segment);
            }
            if (reader.tornTail() != null) {
                listener.tornTail(reader.tornTail());
            }
            if (reader.firstSequence() > 1) {
                listener.pruned(reader.firstSequence());
            }
            listener.settings(EngineSettings.read(journal) != null);
            String snapshotProblem = verifySnapshots(journal, reader.firstSequence(), reader.lastSequence(), listener);
            if (snapshotProblem != null) {
                return Result.failed(snapshotProblem);
            }
            long signed = 0;
            if (audit != null) {
                String problem = audit.finish();
                listener.signatures(audit.summary());
                if (problem != null) {
                    return Result.failed(problem);
                }
                signed = audit.signed();
            }
            if (reader.firstSequence() > 1 && new SnapshotStore(journal).list().stream()
                    .noneMatch(p -> SnapshotStore.parseFileName(p) >= reader.firstSequence() - 1
                            && SnapshotStore.formatVersion(p) == SnapshotStore.VERSION)) {
                return Result.failed("the journal starts at sequence " + reader.firstSequence()
                        + " and no snapshot covers the records before it");
            }
            return new Result(null, reader.recordCount(), reader.lastSequence(), signed);
        } catch (JournalCorruptedException | EngineSettings.SettingsException | UncheckedIOException e) {
            return Result.failed(e.getMessage());
        }
    }

    /** The engine settings pinned with the journal, or the defaults for a journal made before they were pinned. */
    private static EngineConfig settings(Path journal) {
        EngineConfig pinned = EngineSettings.read(journal);
        return pinned != null ? pinned : EngineConfig.defaults();
    }

    /**
     * Checks every snapshot file: it loads, its engine has the recorded state hash, and a replay of the journal from
     * the start to the snapshot's sequence reaches that same hash (so the snapshot is the journal's state, not merely
     * a self-consistent file). A pruned journal (starting after sequence 1) has no start to replay from: the oldest
     * snapshot that reaches its first record is the base, checked on its own, and newer ones are checked by replaying
     * forward from it. Returns null when all pass, or the first problem.
     */
    private static String verifySnapshots(Path journal, long firstSequence, long lastSequence, Listener listener) {
        SnapshotStore store = new SnapshotStore(journal);
        List<Path> files = new ArrayList<>(store.list());
        Collections.reverse(files);
        Engine replayed = firstSequence <= 1 ? new Engine(new EngineEvents() { }, settings(journal)) : null;
        for (Path file : files) {
            SnapshotStore.Info info;
            try {
                info = store.verify(file);
            } catch (SnapshotStore.SnapshotException e) {
                if (SnapshotStore.formatVersion(file) == SnapshotStore.KRYO_VERSION) {
                    // An earlier build's snapshot after an upgrade: a start skips it too, and retention retires it.
                    listener.notChecked(file, e.getMessage());
                    continue;
                }
                return "snapshot " + file.getFileName() + ": " + e.getMessage();
            }
            if (info.sequence() > lastSequence) {
                return "snapshot " + file.getFileName() + " is beyond the journal's end " + lastSequence;
            }
            if (replayed == null) {
                if (info.sequence() < firstSequence - 1) {
                    listener.snapshot(new SnapshotCheck(file, info.sequence(), info.stateHash(),
                            SnapshotVerdict.OLDER_THAN_JOURNAL));
                    continue;
                }
                SnapshotStore.Loaded base = store.loadNewest(new EngineEvents() { }, info.sequence(), new ArrayList<>());
                if (base == null || base.info().sequence() != info.sequence()) {
                    return "snapshot " + file.getFileName() + " verified but could not be loaded as the replay base";
                }
                replayed = base.engine();
                listener.snapshot(new SnapshotCheck(file, info.sequence(), info.stateHash(), SnapshotVerdict.BASE));
                continue;
            }
            Replay.replay(journal, replayed, info.sequence());
            if (replayed.stateHash() != info.stateHash()) {
                return "snapshot " + file.getFileName() + " has state hash " + StateHasher.hex(info.stateHash())
                        + " but the journal replayed to sequence " + info.sequence() + " gives "
                        + StateHasher.hex(replayed.stateHash());
            }
            listener.snapshot(new SnapshotCheck(file, info.sequence(), info.stateHash(), SnapshotVerdict.MATCHES));
        }
        return null;
    }
}
