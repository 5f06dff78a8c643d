package io.meridian.app;

import io.meridian.auth.Address;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Outcome;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.CodecException;
import io.meridian.journal.EngineSettings;
import io.meridian.journal.JournalCorruptedException;
import io.meridian.journal.JournalVerifier;
import io.meridian.journal.Replay;
import io.meridian.journal.SegmentInfo;
import io.meridian.journal.SnapshotStore;
import io.meridian.journal.TornTail;
import io.meridian.model.EngineEvents;
import io.meridian.model.StateHasher;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian replay} and {@code meridian verify}: the offline tools over a journal directory. Both are read-only.
 *
 * <p>{@code replay --journal DIR [--to SEQ] [--from-snapshot]} applies the journal (up to SEQ) to a fresh engine with
 * the default {@link EngineConfig}, or to the newest valid snapshot, and prints a summary whose last line is
 * {@code state_hash=<hex> commands=<int>} ({@link Replay}). {@code verify --journal DIR} checks every record and every
 * snapshot ({@link JournalVerifier}), prints what it checked and, as the last line, {@code verify=ok records=<int>
 * last_sequence=<int>} or {@code verify=failed <reason>}; with {@code --signatures} it also proves every user request's
 * signature. Exit codes: 0 success, 1 damaged or unreadable journal, 2 usage.
 */
final class JournalCli {
    private JournalCli() {
    }

    /** {@code meridian replay ...}. */
    static int replay(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "replay"), out, err);
    }

    /** {@code meridian verify ...}. */
    static int verify(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "verify"), out, err);
    }

    /** {@code meridian replay}. */
    @Command(name = "replay", description = {"Replay a journal into a fresh engine; the last line is state_hash=<hex>"
            + " commands=<int>.", "Replays the journal in DIR (up to sequence SEQ) into a fresh engine with its pinned"
            + " (or the default) settings, or with --from-snapshot into the newest valid snapshot at or before SEQ."})
    static final class ReplayCommand extends Cli.Command {
        @Option(names = "--journal", required = true, paramLabel = "DIR", description = "the journal directory")
        Path journal;
        @Option(names = "--to", paramLabel = "SEQ", description = "stop after this sequence (default: the end)")
        long to = Long.MAX_VALUE;
        @Option(names = "--from-snapshot", description = "start from the newest valid snapshot at or before SEQ")
        boolean fromSnapshot;

        @Override
        public Integer call() {
            if (to < 1) {
                throw usage("--to must be a positive sequence number: " + to);
            }
            return replay(journal, to, fromSnapshot, out, err);
        }
    }

    /** {@code meridian verify}. */
    @Command(name = "verify", description = {"Check every record of a journal (and every request's signature); the last"
            + " line is verify=ok records=<int> last_sequence=<int> or verify=failed <reason>.",
            "Checks every record (length, CRC32C, sequence, timestamp, payload) and every snapshot (checksums, state hash,"
            + " and that replaying the journal to its sequence gives the same hash). --signatures also proves that every"
            + " order, cancel, amend, settings change and withdrawal was signed by its owner or by an agent key the owner"
            + " approved (EIP-712 under the node's domain, by default the development domain: chain id "
            + MeridianTypes.DEV_CHAIN_ID + ", contract " + MeridianTypes.DEV_VERIFYING_CONTRACT + "); the last line then"
            + " ends with signed=<int>."})
    static final class VerifyCommand extends Cli.Command {
        @Option(names = "--journal", required = true, paramLabel = "DIR", description = "the journal directory")
        Path journal;
        @Option(names = "--signatures", description = "also prove every user request's signature")
        boolean signatures;
        @Option(names = "--chain-id", paramLabel = "N", description = "the domain's chain id (with --signatures)")
        long chainId = MeridianTypes.DEV_CHAIN_ID;
        @Option(names = "--verifying-contract", paramLabel = "0x...", description = "the domain's contract (with"
                + " --signatures)")
        String contract = MeridianTypes.DEV_VERIFYING_CONTRACT;

        @Override
        public Integer call() {
            Eip712Domain domain = null;
            if (signatures) {
                Outcome<Address> verifyingContract = Address.parse(contract);
                if (!verifyingContract.isOk()) {
                    throw usage("--verifying-contract: " + verifyingContract.verdict().message());
                }
                domain = MeridianTypes.domain(chainId, verifyingContract.value());
            }
            return verify(journal, signatures, domain, out, err);
        }
    }

    static int replay(Path journal, long to, boolean fromSnapshot, PrintStream out, PrintStream err) {
        if (!Files.isDirectory(journal)) {
            err.println("replay: no journal directory " + journal);
            return 1;
        }
        Engine engine = null;
        if (fromSnapshot) {
            List<String> skipped = new ArrayList<>();
            SnapshotStore.Loaded loaded = new SnapshotStore(journal).loadNewest(new EngineEvents() { }, to, skipped);
            for (String reason : skipped) {
                out.println("snapshot skipped: " + reason);
            }
            if (loaded != null) {
                engine = loaded.engine();
                out.println(String.format(Locale.ROOT, "snapshot: %s (sequence %d) loaded in %.3f s",
                        loaded.info().path().getFileName(), loaded.info().sequence(), loaded.loadNanos() / 1e9));
            } else {
                out.println("snapshot: none usable; replaying from the start");
            }
        }
        if (engine == null) {
            try {
                EngineConfig pinned = EngineSettings.read(journal);
                engine = new Engine(new EngineEvents() { }, pinned != null ? pinned : EngineConfig.defaults());
            } catch (EngineSettings.SettingsException | UncheckedIOException e) {
                err.println("replay: " + e.getMessage());
                return 1;
            }
        }
        Replay.Result result;
        try {
            result = Replay.replay(journal, engine, to);
        } catch (JournalCorruptedException | CodecException | IllegalStateException | UncheckedIOException e) {
            err.println("replay: " + e.getMessage() + (e instanceof IllegalStateException && !fromSnapshot
                    ? " (a journal pruned after a snapshot replays with --from-snapshot)" : ""));
            return 1;
        }
        double seconds = result.nanos() / 1e9;
        out.println("journal: " + journal);
        if (result.tornTail() != null) {
            out.println("torn tail: " + result.tornTail().length() + " byte(s) at offset " + result.tornTail().offset()
                    + " of " + result.tornTail().segment().getFileName() + " (skipped; a writer would cut it)");
        }
        out.println(String.format(Locale.ROOT, "replayed %d command(s) in %.3f s (%.0f commands/s)",
                result.commands(), seconds, seconds > 0 ? result.commands() / seconds : 0.0));
        out.println("last_sequence=" + result.lastSequence() + " last_timestamp=" + result.lastTimestamp()
                + " instruments=" + engine.view().instrumentIds().size());
        out.println("state_hash=" + StateHasher.hex(engine.stateHash()) + " commands=" + result.commands());
        return 0;
    }

    static int verify(Path journal, boolean signatures, Eip712Domain domain, PrintStream out, PrintStream err) {
        boolean audited = signatures;
        JournalVerifier.Result result = JournalVerifier.verify(journal, domain, new JournalVerifier.Listener() {
            @Override
            public void segment(SegmentInfo segment) {
                out.println("segment " + segment.path().getFileName() + ": " + segment.records() + " record(s), "
                        + segment.validLength() + " of " + segment.fileLength() + " byte(s) intact");
            }

            @Override
            public void tornTail(TornTail tail) {
                out.println("torn tail: " + tail.length() + " byte(s) at offset " + tail.offset() + " of "
                        + tail.segment().getFileName() + " (" + tail.cause() + ": a crash mid-write; the next writer"
                        + " cuts it)");
            }

            @Override
            public void pruned(long firstSequence) {
                out.println("journal starts at sequence " + firstSequence + ": the records before it were pruned"
                        + " after a snapshot" + (audited ? " and their signatures are not covered" : ""));
            }

            @Override
            public void settings(boolean pinned) {
                out.println(pinned ? "engine settings: pinned in " + EngineSettings.FILE_NAME
                        : "engine settings: none pinned (a journal made before they were); the defaults are assumed");
            }

            @Override
            public void notChecked(Path file, String why) {
                out.println("snapshot " + file.getFileName() + ": " + why + "; not checked (a start skips it too)");
            }

            @Override
            public void snapshot(JournalVerifier.SnapshotCheck check) {
                String what = switch (check.verdict()) {
                    case OLDER_THAN_JOURNAL -> "sequence " + check.sequence() + ", loads with its state hash; older than"
                            + " the journal's first record, so not replayed";
                    case BASE -> "sequence " + check.sequence() + ", state hash " + StateHasher.hex(check.stateHash())
                            + ", loads; the base the pruned journal replays from";
                    case MATCHES -> "sequence " + check.sequence() + ", state hash " + StateHasher.hex(check.stateHash())
                            + ", loads and matches the journal";
                };
                out.println("snapshot " + check.file().getFileName() + ": " + what);
            }

            @Override
            public void signatures(String summary) {
                out.println(summary);
            }
        });
        if (!result.ok()) {
            out.println("verify=failed " + result.failure());
            return 1;
        }
        out.println("verify=ok records=" + result.records() + " last_sequence=" + result.lastSequence()
                + (audited ? " signed=" + result.signed() : ""));
        return 0;
    }
}
