package io.meridian.app;

import io.meridian.pricing.FeedReplay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian feed replay --csv FILE}: replays a CSV of price reports through the index aggregator
 * ({@link FeedReplay}, which documents the input and the rules) and prints one line per row:
 * {@code ts_ms=<int> index=<decimal> status=<ok|stale|held>}.
 *
 * <p><b>Exit codes:</b> 0 success; 1 a bad line (message with the line number on the error stream, output up to the
 * previous line already printed) or an unreadable file; 2 wrong arguments.
 */
@Command(name = "replay", description = "Replay rows ts_ms,source,price[,confidence] through the default index"
        + " aggregator and print ts_ms=<int> index=<decimal> status=<ok|stale|held> per row (docs/pricing.md).")
final class FeedReplayCli extends Cli.Command {
    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "the reports, one per row")
    Path file;

    @Override
    public Integer call() {
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
