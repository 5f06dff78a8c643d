package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code meridian replay} and {@code meridian verify}: the offline tools over a journal directory. Both are read-only.
 *
 * <p>{@code replay --journal DIR [--to SEQ]} applies the journal (up to SEQ) to a fresh engine with the default
 * {@link EngineConfig} and prints a summary whose last line is {@code state_hash=<hex> commands=<int>}.
 * {@code verify --journal DIR} checks every record (length, checksum, sequence continuity, timestamps, and that the
 * payload decodes) and prints, as the last line, {@code verify=ok records=<int> last_sequence=<int>} or
 * {@code verify=failed <reason>}. Exit codes: 0 success, 1 damaged or unreadable journal, 2 usage.
 */
public final class JournalCli {
    private JournalCli() {
    }

    /** {@code meridian replay ...}. */
    public static int replay(String[] args, PrintStream out, PrintStream err) {
        Path journal = null;
        long to = Long.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(replayUsage());
                return 0;
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
        Engine engine = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        Replay.Result result;
        try {
            result = Replay.replay(journal, engine, to);
        } catch (JournalCorruptedException | CodecException | IllegalStateException | UncheckedIOException e) {
            err.println("replay: " + e.getMessage());
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
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(verifyUsage());
                return 0;
            }
            if (arg.equals("--journal") && i + 1 < args.length) {
                journal = Path.of(args[++i]);
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
            }
            for (SegmentInfo segment : reader.segments()) {
                out.println("segment " + segment.path().getFileName() + ": " + segment.records() + " record(s), "
                        + segment.validLength() + " of " + segment.fileLength() + " byte(s) intact");
            }
            TornTail tail = reader.tornTail();
            if (tail != null) {
                out.println("torn tail: " + tail.length() + " byte(s) at offset " + tail.offset() + " of "
                        + tail.segment().getFileName() + " (a crash mid-write; the next writer cuts it)");
            }
            out.println("verify=ok records=" + reader.recordCount() + " last_sequence=" + reader.lastSequence());
            return 0;
        } catch (JournalCorruptedException e) {
            out.println("verify=failed " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            out.println("verify=failed " + e.getMessage());
            return 1;
        }
    }

    /** The state hash as the CLI prints it: 16 lower-case hex digits. */
    public static String hex(long hash) {
        String digits = Long.toHexString(hash);
        return "0".repeat(16 - digits.length()) + digits;
    }

    static String replayUsage() {
        return String.join(System.lineSeparator(),
                "usage: meridian replay --journal DIR [--to SEQ]",
                "  replays the journal in DIR (up to sequence SEQ) into a fresh engine with default settings;",
                "  the last line is state_hash=<hex> commands=<int>");
    }

    static String verifyUsage() {
        return String.join(System.lineSeparator(),
                "usage: meridian verify --journal DIR",
                "  checks every record (length, CRC32C, sequence, timestamp, payload); the last line is",
                "  verify=ok records=<int> last_sequence=<int> or verify=failed <reason>");
    }
}
