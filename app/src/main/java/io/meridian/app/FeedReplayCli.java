package io.meridian.app;

import io.meridian.pricing.FeedReplay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code meridian feed replay --csv FILE}: replays a CSV of price reports through the index aggregator
 * ({@link FeedReplay}, which documents the input and the rules) and prints one line per row:
 * {@code ts_ms=<int> index=<decimal> status=<ok|stale|held>}.
 *
 * <p><b>Exit codes:</b> 0 success; 1 a bad line (message with the line number on the error stream, output up to the
 * previous line already printed) or an unreadable file; 2 wrong arguments.
 */
final class FeedReplayCli {
    private static final String USAGE = "usage: meridian feed replay --csv FILE";

    private FeedReplayCli() {
    }

    /** Runs {@code replay --csv FILE} ({@code args} are those after "feed"); results to {@code out}, errors to {@code err}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args == null || args.length != 3 || !"replay".equals(args[0]) || !"--csv".equals(args[1])) {
            err.println(USAGE);
            return 2;
        }
        Path file = Path.of(args[2]);
        FeedReplay replay = new FeedReplay();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                FeedReplay.Row row = replay.next(line);
                if (row != null) {
                    out.println("ts_ms=" + row.tsMs() + " index=" + row.indexText() + " status=" + row.status().label());
                }
            }
            return 0;
        } catch (FeedReplay.BadLineException e) {
            err.println("error: " + file + " line " + e.line() + ": " + e.problem());
            return 1;
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
    }
}
