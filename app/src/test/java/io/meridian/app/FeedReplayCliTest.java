package io.meridian.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meridian feed replay}: the file, the printed lines, errors and exit codes (the replay itself: FeedReplayTest). */
class FeedReplayCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int replayCsv(String csv) throws IOException {
        Path file = dir.resolve("feed.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return run("replay", "--csv", file.toString());
    }

    private int run(String... args) {
        return FeedCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void printsOneLinePerRowAfterTheHeader() throws IOException {
        assertEquals(0, replayCsv("ts_ms,source,price,confidence\n1000,binance,64000.5\n1100,coinbase,64010,5\n"
                + "1200,kraken,63990.25\n\n1300,okx,64020.125\n"));
        assertEquals(List.of(
                "ts_ms=1000 index=0 status=stale",
                "ts_ms=1100 index=0 status=stale",
                "ts_ms=1200 index=64000.5 status=ok",
                "ts_ms=1300 index=64005.25 status=ok"), lines());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badLineIsAnErrorWithItsLineNumberAfterTheRowsBeforeIt() throws IOException {
        assertEquals(1, replayCsv("ts_ms,source,price\n0,a,100\n0,b,abc\n0,c,102\n"));
        assertEquals(List.of("ts_ms=0 index=0 status=stale"), lines());
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("error: " + dir.resolve("feed.csv") + " line 3: price 'abc'"), message);
    }

    @Test
    void usageAndMissingFile() {
        assertEquals(2, run("replay"));
        assertEquals(2, run("replay", "--file", "feed.csv"));
        String usage = err.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("meridian feed replay: missing required option: '--csv=FILE'"), usage);
        assertTrue(usage.contains("meridian feed replay: unknown option '--file'"), usage);
        assertTrue(usage.contains("usage: meridian feed replay [-h] --csv=FILE"), usage);
        assertEquals(1, run("replay", "--csv", dir.resolve("nope.csv").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("error: cannot read"));
    }
}
