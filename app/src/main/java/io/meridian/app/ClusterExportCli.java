package io.meridian.app;

import io.meridian.cluster.ClusterExport;
import io.meridian.journal.EngineSettings;
import io.meridian.journal.JournalCorruptedException;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian cluster-export --dir MEMBER_DIR --out JOURNAL_DIR}: a stopped cluster member's recorded log as a
 * journal ({@link ClusterExport}), which {@code meridian replay} and {@code meridian verify [--signatures]} then read.
 * Prints what it read and wrote; the last line is {@code state_hash=<hex> commands=<int>}, the engine's state after the
 * last exported command. Exit codes: 0 exported, 1 refused or failed (the reason on stderr), 2 usage.
 */
@Command(name = "cluster-export", description = {"Write a stopped cluster member's recorded log as a journal for"
        + " replay and verify; the last line is state_hash=<hex> commands=<int>.",
        "MEMBER_DIR is the member's --dir, or a copy of it; JOURNAL_DIR is a new directory. The journal holds the"
        + " commands its engine applied, with their sequences and timestamps, and its engine settings. A log purged"
        + " behind a snapshot starts at that snapshot (saved with it: replay with --from-snapshot). Checkpoints passed"
        + " are compared with the member's files. Then: meridian replay --journal JOURNAL_DIR, meridian verify --journal"
        + " JOURNAL_DIR [--signatures]."})
final class ClusterExportCli extends Cli.Command {
    @Option(names = "--dir", required = true, paramLabel = "MEMBER_DIR", description = "the stopped member's directory")
    Path dir;
    @Option(names = "--out", required = true, paramLabel = "JOURNAL_DIR", description = "the journal to write (new)")
    Path target;

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "cluster-export"), out, err);
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            err.println("cluster-export: no member directory " + dir);
            return 1;
        }
        ClusterExport.Result result;
        try {
            result = ClusterExport.export(dir, target);
        } catch (ClusterExport.ExportException | EngineSettings.SettingsException | JournalCorruptedException
                 | UncheckedIOException e) {
            err.println("cluster-export: " + e.getMessage());
            return 1;
        }
        out.println("member: " + dir);
        out.println("engine settings: " + (result.settingsPinned() ? "the member's, pinned in " + EngineSettings.FILE_NAME
                : "none pinned in the member's directory; the defaults, pinned in the journal"));
        out.println("log recording: positions " + result.recordingStart() + ".." + (result.recordingStop() >= 0
                ? result.recordingStop() : "(not stopped: the member's archive died; read to its last whole entry)"));
        if (result.fromSnapshot()) {
            out.println("snapshot: log position " + result.snapshotLogPosition() + ", engine sequence "
                    + result.snapshotSequence() + " (the log before it was purged); saved in the journal directory");
        } else if (result.snapshotLogPosition() >= 0) {
            out.println("snapshot: log position " + result.snapshotLogPosition() + ", before the first command");
        }
        out.println("read: log positions " + result.fromPosition() + ".." + result.toPosition() + ", "
                + result.sessionMessages() + " session message(s), " + result.timerEvents() + " timer event(s), "
                + result.leadershipTerms() + " new leadership term(s)");
        if (result.incompleteBytes() > 0) {
            out.println("incomplete tail: " + result.incompleteBytes() + " byte(s) after position " + result.toPosition()
                    + " do not complete a log entry (not exported)");
        }
        if (result.lastTermOpen()) {
            out.println("last term: open in the recording log, led by " + (result.lastLeader() >= 0 ? "member "
                    + result.lastLeader() : "a member named before the part read") + "; if that is this member and it"
                    + " stopped or crashed while the others went on without it, its last entries may not have been"
                    + " committed (docs/cluster.md, \"Exporting a member's log\")");
        }
        boolean agree = true;
        for (ClusterExport.Checkpoint checkpoint : result.checkpoints()) {
            String member = checkpoint.memberFile() == null ? "no file in the member's directory"
                    : checkpoint.agrees() ? "as the member's file" : "MEMBER'S FILE DIFFERS: " + checkpoint.memberFile();
            out.println("checkpoint " + checkpoint.id() + ": sequence=" + checkpoint.sequence() + " state_hash="
                    + checkpoint.stateHash() + " (" + member + ")");
            agree &= checkpoint.agrees();
        }
        if (result.commands() == 0) {
            out.println("journal: " + target + ", empty: the log holds no command after the snapshot, which alone holds"
                    + " the state");
        } else {
            out.println("journal: " + target + ", sequences " + result.firstSequence() + ".." + result.lastSequence()
                    + (result.fromSnapshot() ? " (replay with --from-snapshot)" : ""));
        }
        out.println("state_hash=" + result.stateHash() + " commands=" + result.commands());
        if (!agree) {
            err.println("cluster-export: the export does not reproduce the member's state at a checkpoint (above): the"
                    + " journal was written, but do not rely on it");
            return 1;
        }
        return 0;
    }
}
