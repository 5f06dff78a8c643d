package io.meridian.node;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.Durability;
import io.meridian.journal.EngineSettings;
import io.meridian.journal.JournalConfig;
import io.meridian.journal.JournalCorruptedException;
import io.meridian.journal.JournalFormat;
import io.meridian.journal.Sequencer;
import io.meridian.journal.SnapshotPolicy;
import io.meridian.journal.SnapshotStore;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A cluster gateway's own journal of what the cluster applied (docs/cluster.md, "The gateway's journal"): the same
 * journal as a node's ({@link Sequencer}: segments, pinned settings, snapshots by the node's policy), in
 * {@code DATA/journal}, recording each command the replica applies with the cluster's sequence and time. A start
 * recovers and replays it exactly as a node starts (the replay's events rebuild the history), and the replica goes on
 * from its end; a first start begins it at the cluster's snapshot ({@link Sequencer#begin}).
 *
 * <p><b>Durability.</b> Written at every flush of the engine loop without an fsync ({@link Durability#NONE}): the
 * cluster holds every command durably, and what a power loss cuts off the journal's tail is fetched from the cluster
 * again. The journal is forced before each snapshot, so no snapshot is ever ahead of it, and at close.
 *
 * <p><b>Gaps.</b> If the cluster can no longer serve what follows the journal (it sends a snapshot at a later
 * sequence), the journal so far is kept, renamed {@code journal-until-<last sequence>} beside it (history rebuilt from
 * it stays in memory, and the tools still read it), and a new journal begins at the snapshot: the gap is recorded
 * ({@link #gaps}) and shown in /health. A cluster behind the journal, or with other engine settings, is refused.
 *
 * <p>Engine thread only (and the starting thread before it runs).
 */
final class GatewayJournal implements AutoCloseable {
    /** The journal's directory under the node's data directory. */
    static final String DIRECTORY = "journal";
    /** The prefix of a journal kept after a gap, followed by its last sequence. */
    static final String KEPT_PREFIX = "journal-until-";
    private static final JournalConfig CONFIG = JournalConfig.defaults().withDurability(Durability.NONE);

    /**
     * Commands the cluster could not serve any more: the journal before the gap ended at {@code after}, the new one
     * begins after the cluster's snapshot at {@code resumedAt}; the old journal was kept as {@code kept}.
     */
    record Gap(long after, long resumedAt, Path kept) {
        @Override
        public String toString() {
            return "commands " + (after + 1) + ".." + resumedAt + " are not in this gateway's history: the cluster no"
                    + " longer held them and sent its engine at " + resumedAt + " instead (journal up to " + after
                    + " kept in " + kept + ")";
        }
    }

    private final Path directory;
    private final SnapshotPolicy policy;
    private final LongSupplier clock;
    private final List<Gap> gaps = new ArrayList<>();
    private final Sequencer.StartReport startReport;
    /** Null until the journal has a start: a first start waits for the cluster's snapshot. */
    private Sequencer sequencer;
    private long begunAt = -1;

    private GatewayJournal(Path directory, SnapshotPolicy policy, LongSupplier clock, Sequencer sequencer) {
        this.directory = directory;
        this.policy = policy;
        this.clock = clock;
        this.sequencer = sequencer;
        this.startReport = sequencer == null ? null : sequencer.startReport();
    }

    /**
     * Recovers the journal in {@code directory} as a node recovers its own (torn tail cut, newest valid snapshot, then
     * the records after it, whose events go to {@code events}); an empty or missing directory has no journal yet.
     *
     * @throws IllegalStateException when the journal is damaged or incomplete, saying what the operator can do
     */
    static GatewayJournal open(Path directory, SnapshotPolicy policy, EngineEvents events, LongSupplier clock) {
        if (!holdsJournal(directory)) {
            return new GatewayJournal(directory, policy, clock, null);
        }
        String startOver = "; the cluster holds every command: move " + directory + " aside (keep it to inspect) and"
                + " start again, and the gateway begins a new journal at the cluster's snapshot (its history from then"
                + " on)";
        if (EngineSettings.read(directory) == null) {
            throw new IllegalStateException("the gateway's journal in " + directory + " has no "
                    + EngineSettings.FILE_NAME + " (it is written when the journal begins)" + startOver);
        }
        try {
            return new GatewayJournal(directory, policy, clock, Sequencer.start(directory,
                    CONFIG.withFirstSequence(firstSequence(directory)), policy, EngineConfig.defaults(), events, clock,
                    Sequencer.DEFAULT_MAX_BATCH));
        } catch (JournalCorruptedException | EngineSettings.SettingsException | UncheckedIOException e) {
            throw new IllegalStateException("the gateway's journal in " + directory + " cannot be recovered: "
                    + e.getMessage() + startOver, e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the gateway's journal in " + directory + ": " + e.getMessage()
                    + startOver, e);
        }
    }

    /** Whether {@code directory} holds journal segments or snapshots (pinned settings alone are not a journal yet). */
    private static boolean holdsJournal(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path p : stream) {
                if (JournalFormat.parseFileName(p) > 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return !new SnapshotStore(directory).list().isEmpty();
    }

    /**
     * Where the journal's records begin when it has no segment (a crash right after it began): just after its newest
     * snapshot. With segments, their names say it and this is not used.
     */
    private static long firstSequence(Path directory) {
        List<Path> snapshots = new SnapshotStore(directory).list();
        if (snapshots.isEmpty()) {
            return 1;
        }
        String name = snapshots.get(0).getFileName().toString();
        return Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.'))) + 1;
    }

    /** The engine the journal rebuilt, or null when there is no journal yet. */
    Engine engine() {
        return sequencer == null ? null : sequencer.engine();
    }

    /**
     * The replica's engine was built from the cluster's snapshot: on a first start the journal begins there; after a
     * journal that the cluster could not continue, that journal is kept and a new one begins there (a gap, returned).
     *
     * @throws IllegalStateException when the cluster is behind the journal or runs other engine settings
     */
    Gap begin(Engine engine) {
        long at = engine.lastSequence();
        Gap gap = null;
        if (sequencer != null) {
            long end = sequencer.engine().lastSequence();
            if (at <= end) {
                throw new IllegalStateException("the cluster sent its engine at sequence " + at + " but this gateway's"
                        + " journal in " + directory + " already ends at " + end + ": it is not this cluster's journal"
                        + " (or the cluster lost commands); move " + directory + " aside and start again");
            }
            EngineConfig ours = sequencer.engine().view().config();
            if (!ours.equals(engine.view().config())) {
                throw new IllegalStateException("the cluster's engine settings " + engine.view().config() + " differ"
                        + " from those pinned with this gateway's journal in " + directory + " (" + ours + "): it is"
                        + " another cluster's journal; move " + directory + " aside and start again");
            }
            sequencer.close();
            sequencer = null;
            Path kept = keep(end);
            gap = new Gap(end, at, kept);
            gaps.add(gap);
        }
        sequencer = Sequencer.begin(directory, CONFIG, policy, engine, clock, Sequencer.DEFAULT_MAX_BATCH);
        begunAt = at;
        return gap;
    }

    /** Renames the journal ending at {@code end} out of the way, beside it; returns where it went. */
    private Path keep(long end) {
        Path kept = directory.resolveSibling(KEPT_PREFIX + end);
        for (int i = 2; Files.exists(kept); i++) {
            kept = directory.resolveSibling(KEPT_PREFIX + end + "-" + i);
        }
        try {
            Files.move(directory, kept);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the gateway's journal " + directory + " to " + kept, e);
        }
        return kept;
    }

    /** Journals a command the replica is about to apply (with the cluster's sequence and time). */
    void record(Command command) {
        sequencer.record(command);
    }

    /** Writes what was recorded since the last flush, and snapshots by the policy. */
    void flush() {
        if (sequencer != null) {
            sequencer.flush();
        }
    }

    /** What the start found, or null when the journal began at this start. */
    Sequencer.StartReport startReport() {
        return startReport;
    }

    /** The gaps met at this start, oldest first. */
    List<Gap> gaps() {
        return Collections.unmodifiableList(gaps);
    }

    /** For /health: where the journal is, where it begins, its snapshots, and the gaps met at this start. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("directory", directory.toString());
        if (sequencer != null) {
            status.put("begunAt", begunAt >= 0 ? begunAt : null);
            status.put("recovered", startReport == null ? null : startReport.replayed());
            status.put("snapshotsTaken", sequencer.snapshotsTaken());
            status.put("lastSnapshotSequence", sequencer.lastSnapshotSequence());
            status.put("maxSnapshotPauseMs", sequencer.maxSnapshotPauseNanos() / 1_000_000.0);
            status.put("lastSequence", sequencer.writer().committedSequence());
        }
        List<Map<String, Object>> gapList = new ArrayList<>();
        for (Gap gap : gaps) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("missingFrom", gap.after() + 1);
            g.put("missingTo", gap.resumedAt());
            g.put("kept", gap.kept().getFileName().toString());
            gapList.add(g);
        }
        status.put("gaps", gapList);
        return status;
    }

    @Override
    public void close() {
        if (sequencer != null) {
            sequencer.close();
        }
    }
}
