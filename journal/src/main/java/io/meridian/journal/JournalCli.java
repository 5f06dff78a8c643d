package io.meridian.journal;

import io.meridian.auth.Address;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Outcome;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code meridian replay} and {@code meridian verify}: the offline tools over a journal directory. Both are read-only.
 *
 * <p>{@code replay --journal DIR [--to SEQ] [--from-snapshot]} applies the journal (up to SEQ) to a fresh engine with
 * the default {@link EngineConfig}, or to the newest valid snapshot, and prints a summary whose last line is
 * {@code state_hash=<hex> commands=<int>}. {@code verify --journal DIR} checks every record (length, checksum, sequence
 * continuity, timestamps, and that the payload decodes) and every snapshot (it loads to its recorded hash, which a
 * replay of the journal reaches too), and prints, as the last line, {@code verify=ok records=<int>
 * last_sequence=<int>} or {@code verify=failed <reason>}; with {@code --signatures} it also proves every user request's
 * signature ({@link SignatureAudit}). Exit codes: 0 success, 1 damaged or unreadable journal,
 * 2 usage.
 */
public final class JournalCli {
    private JournalCli() {
    }

    /** {@code meridian replay ...}. */
    public static int replay(String[] args, PrintStream out, PrintStream err) {
        Path journal = null;
        long to = Long.MAX_VALUE;
        boolean fromSnapshot = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(replayUsage());
                return 0;
            }
            if (arg.equals("--from-snapshot")) {
                fromSnapshot = true;
                continue;
            }
            if (i + 1 >= args.length) {
                err.println("replay: " + arg + " needs a value or is unknown");
                err.println(replayUsage());
                return 2;
            }
            String value = args[++i];
            switch (arg) {
                case "--journal":
                    journal = Path.of(value);
                    break;
                case "--to":
                    try {
                        to = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        to = -1;
                    }
                    if (to < 1) {
                        err.println("replay: --to must be a positive sequence number: " + value);
                        return 2;
                    }
                    break;
                default:
                    err.println("replay: unknown option " + arg);
                    err.println(replayUsage());
                    return 2;
            }
        }
        if (journal == null) {
            err.println("replay: --journal DIR is required");
            err.println(replayUsage());
            return 2;
        }
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
                engine = new Engine(new EngineEvents() { }, settings(journal));
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
                + " instruments=" + engine.instrumentIds().size());
        out.println("state_hash=" + hex(engine.stateHash()) + " commands=" + result.commands());
        return 0;
    }

    /** {@code meridian verify ...}. */
    public static int verify(String[] args, PrintStream out, PrintStream err) {
        Path journal = null;
        boolean signatures = false;
        long chainId = MeridianTypes.DEV_CHAIN_ID;
        String contract = MeridianTypes.DEV_VERIFYING_CONTRACT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(verifyUsage());
                return 0;
            }
            if (arg.equals("--signatures")) {
                signatures = true;
            } else if (arg.equals("--journal") && i + 1 < args.length) {
                journal = Path.of(args[++i]);
            } else if (arg.equals("--chain-id") && i + 1 < args.length) {
                try {
                    chainId = Long.parseLong(args[++i]);
                } catch (NumberFormatException e) {
                    err.println("verify: --chain-id must be a number: " + args[i]);
                    return 2;
                }
            } else if (arg.equals("--verifying-contract") && i + 1 < args.length) {
                contract = args[++i];
            } else {
                err.println("verify: unknown option " + arg);
                err.println(verifyUsage());
                return 2;
            }
        }
        if (journal == null) {
            err.println("verify: --journal DIR is required");
            err.println(verifyUsage());
            return 2;
        }
        if (!Files.isDirectory(journal)) {
            out.println("verify=failed no journal directory " + journal);
            return 1;
        }
        Eip712Domain domain = null;
        if (signatures) {
            Outcome<Address> verifyingContract = Address.parse(contract);
            if (!verifyingContract.isOk()) {
                err.println("verify: --verifying-contract: " + verifyingContract.verdict().message());
                return 2;
            }
            domain = MeridianTypes.domain(chainId, verifyingContract.value());
        }
        SignatureAudit audit = signatures ? new SignatureAudit(domain) : null;
        Command command = new Command();
        try (JournalReader reader = JournalReader.open(journal)) {
            while (reader.next()) {
                try {
                    reader.decode(command.reset());
                } catch (CodecException e) {
                    out.println("verify=failed record " + reader.sequence() + " in "
                            + reader.currentSegment().getFileName() + " at offset " + reader.recordOffset()
                            + " does not decode: " + e.getMessage());
                    return 1;
                }
                if (audit != null) {
                    command.sequence = reader.sequence();
                    audit.add(command);
                }
            }
            for (SegmentInfo segment : reader.segments()) {
                out.println("segment " + segment.path().getFileName() + ": " + segment.records() + " record(s), "
                        + segment.validLength() + " of " + segment.fileLength() + " byte(s) intact");
            }
            TornTail tail = reader.tornTail();
            if (tail != null) {
                out.println("torn tail: " + tail.length() + " byte(s) at offset " + tail.offset() + " of "
                        + tail.segment().getFileName() + " (" + tail.cause() + ": a crash mid-write; the next writer"
                        + " cuts it)");
            }
            if (reader.firstSequence() > 1) {
                out.println("journal starts at sequence " + reader.firstSequence() + ": the records before it were pruned"
                        + " after a snapshot" + (audit != null ? " and their signatures are not covered" : ""));
            }
            out.println(EngineSettings.read(journal) != null ? "engine settings: pinned in " + EngineSettings.FILE_NAME
                    : "engine settings: none pinned (a journal made before they were); the defaults are assumed");
            String snapshotProblem = verifySnapshots(journal, reader.firstSequence(), reader.lastSequence(), out);
            if (snapshotProblem != null) {
                out.println("verify=failed " + snapshotProblem);
                return 1;
            }
            String signed = "";
            if (audit != null) {
                String problem = audit.finish();
                out.println(audit.summary());
                if (problem != null) {
                    out.println("verify=failed " + problem);
                    return 1;
                }
                signed = " signed=" + audit.signed();
            }
            if (reader.firstSequence() > 1 && new SnapshotStore(journal).list().stream()
                    .noneMatch(p -> SnapshotStore.parseFileName(p) >= reader.firstSequence() - 1
                            && SnapshotStore.formatVersion(p) == SnapshotStore.VERSION)) {
                out.println("verify=failed the journal starts at sequence " + reader.firstSequence()
                        + " and no snapshot covers the records before it");
                return 1;
            }
            out.println("verify=ok records=" + reader.recordCount() + " last_sequence=" + reader.lastSequence() + signed);
            return 0;
        } catch (JournalCorruptedException | EngineSettings.SettingsException e) {
            out.println("verify=failed " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            out.println("verify=failed " + e.getMessage());
            return 1;
        }
    }

    /**
     * Checks every snapshot file: it loads, its engine has the recorded state hash, and a replay of the journal from
     * the start to the snapshot's sequence reaches that same hash (so the snapshot is the journal's state, not merely
     * a self-consistent file). A pruned journal (starting after sequence 1) has no start to replay from: the oldest
     * snapshot that reaches its first record is the base, checked on its own, and newer ones are checked by replaying
     * forward from it. Returns null when all pass, or the first problem.
     */
    /** The engine settings pinned with the journal, or the defaults for a journal made before they were pinned. */
    private static EngineConfig settings(Path journal) {
        EngineConfig pinned = EngineSettings.read(journal);
        return pinned != null ? pinned : EngineConfig.defaults();
    }

    private static String verifySnapshots(Path journal, long firstSequence, long lastSequence, PrintStream out) {
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
                    out.println("snapshot " + file.getFileName() + ": " + e.getMessage() + "; not checked (a start"
                            + " skips it too)");
                    continue;
                }
                return "snapshot " + file.getFileName() + ": " + e.getMessage();
            }
            if (info.sequence() > lastSequence) {
                return "snapshot " + file.getFileName() + " is beyond the journal's end " + lastSequence;
            }
            if (replayed == null) {
                if (info.sequence() < firstSequence - 1) {
                    out.println("snapshot " + file.getFileName() + ": sequence " + info.sequence() + ", loads with its "
                            + "state hash; older than the journal's first record, so not replayed");
                    continue;
                }
                SnapshotStore.Loaded base = store.loadNewest(new EngineEvents() { }, info.sequence(), new ArrayList<>());
                if (base == null || base.info().sequence() != info.sequence()) {
                    return "snapshot " + file.getFileName() + " verified but could not be loaded as the replay base";
                }
                replayed = base.engine();
                out.println("snapshot " + file.getFileName() + ": sequence " + info.sequence() + ", state hash "
                        + hex(info.stateHash()) + ", loads; the base the pruned journal replays from");
                continue;
            }
            Replay.replay(journal, replayed, info.sequence());
            if (replayed.stateHash() != info.stateHash()) {
                return "snapshot " + file.getFileName() + " has state hash " + hex(info.stateHash())
                        + " but the journal replayed to sequence " + info.sequence() + " gives "
                        + hex(replayed.stateHash());
            }
            out.println("snapshot " + file.getFileName() + ": sequence " + info.sequence() + ", state hash "
                    + hex(info.stateHash()) + ", loads and matches the journal");
        }
        return null;
    }

    /** The state hash as the CLI prints it: 16 lower-case hex digits. */
    public static String hex(long hash) {
        String digits = Long.toHexString(hash);
        return "0".repeat(16 - digits.length()) + digits;
    }

    static String replayUsage() {
        return String.join(System.lineSeparator(),
                "usage: meridian replay --journal DIR [--to SEQ] [--from-snapshot]",
                "  replays the journal in DIR (up to sequence SEQ) into a fresh engine with default settings, or",
                "  with --from-snapshot into the newest valid snapshot at or before SEQ;",
                "  the last line is state_hash=<hex> commands=<int>");
    }

    static String verifyUsage() {
        return String.join(System.lineSeparator(),
                "usage: meridian verify --journal DIR [--signatures [--chain-id N] [--verifying-contract 0x...]]",
                "  checks every record (length, CRC32C, sequence, timestamp, payload) and every snapshot (checksums,",
                "  state hash, and that replaying the journal to its sequence gives the same hash); the last line is",
                "  verify=ok records=<int> last_sequence=<int> or verify=failed <reason>.",
                "  --signatures also proves that every order, cancel, amend, settings change and withdrawal was signed",
                "  by its owner or by an agent key the owner approved (EIP-712 under the node's domain, by default",
                "  the development domain: chain id " + MeridianTypes.DEV_CHAIN_ID + ", contract "
                        + MeridianTypes.DEV_VERIFYING_CONTRACT + "); the last line then ends with signed=<int>");
    }
}
