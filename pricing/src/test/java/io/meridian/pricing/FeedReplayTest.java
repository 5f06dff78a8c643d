package io.meridian.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedReplayTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String csv) throws IOException {
        Path file = dir.resolve("feed.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return FeedReplay.run(new String[] {"replay", "--csv", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void replaysWithHeaderAndPrintsOneLinePerRow() throws IOException {
        String csv = "ts_ms,source,price,confidence\n"
                + "1000,binance,64000.5\n"
                + "1100,coinbase,64010,5\n"
                + "1200,kraken,63990.25\n"
                + "1300,okx,64020.125\n"
                + "2000,binance,96000\n";
        assertEquals(0, run(csv));
        assertEquals(List.of(
                "ts_ms=1000 index=0 status=stale",
                "ts_ms=1100 index=0 status=stale",
                "ts_ms=1200 index=64000.5 status=ok",
                "ts_ms=1300 index=64005.25 status=ok",
                // binance at 96000 (50% off) is clamped to the band; the median stays the midpoint of 64010 and 64020.125
                "ts_ms=2000 index=64015.0625 status=ok"), lines());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void headerIsOptionalAndSourcesAgeOut() throws IOException {
        String csv = "0,a,100\n0,b,101\n0,c,102\n60000,a,100\n60001,b,101\n";
        assertEquals(0, run(csv));
        assertEquals(List.of(
                "ts_ms=0 index=0 status=stale",
                "ts_ms=0 index=0 status=stale",
                "ts_ms=0 index=101 status=ok",
                "ts_ms=60000 index=101 status=ok",
                "ts_ms=60001 index=101 status=stale"), lines());
    }

    @Test
    void twoCapturedSourcesWalkTheIndexAtTheBreakersPaceAndAreHeldFromTheFirstStep() throws IOException {
        StringBuilder csv = new StringBuilder("0,a,30000\n0,b,30000\n0,c,30000\n");
        for (int s = 1; s <= 40; s++) {
            long ms = s * 1000L;
            csv.append(ms).append(",a,30000\n").append(ms).append(",b,18000\n").append(ms).append(",c,18000\n");
        }
        assertEquals(0, run(csv.toString()));
        List<String> lines = lines();
        // At 1000 ms a's row leaves the median at 30,000; after b's row b alone is the outlier (a captured minority:
        // outvoted, not held); c's row makes the median 18,000, and a, left behind at 30,000, is now the outlier and
        // nearer the average than where the sources are: a dissent against the move, so the index is held from that
        // report on, at 30,000 (it does not walk toward the refused price while held).
        assertEquals("ts_ms=1000 index=30000 status=ok", lines.get(4));
        assertTrue(lines.subList(5, lines.size()).stream().allMatch(l -> l.endsWith("index=30000 status=held")),
                "held at 30,000 for the whole capture: " + lines);
    }

    @Test
    void rejectedReportIsLeftOut() throws IOException {
        // c's confidence 3 is wider than 2% of 100: rejected, so only two sources are fresh.
        assertEquals(0, run("0,a,100\n0,b,101\n0,c,102,3\n"));
        assertEquals("ts_ms=0 index=0 status=stale", lines().get(2));
    }

    @Test
    void badLineIsAnErrorWithItsLineNumber() throws IOException {
        assertEquals(1, run("ts_ms,source,price\n0,a,100\n0,b,abc\n0,c,102\n"));
        assertEquals(List.of("ts_ms=0 index=0 status=stale"), lines());
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("line 3") && message.contains("'abc'"), message);
    }

    @Test
    void otherBadLines() throws IOException {
        assertEquals(1, run("0,a\n"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 1: expected ts_ms,source,price"));
        err.reset();
        assertEquals(1, run("5,a,100\n4,b,100\n"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 2: ts_ms 4 is earlier"));
        err.reset();
        assertEquals(1, run("5,a,0.000000001\n"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 1: price"));
        err.reset();
        assertEquals(1, run("5,a,-3\n"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("price must be positive"));
    }

    @Test
    void usageAndMissingFile() {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, FeedReplay.run(new String[] {"replay"}, o, e));
        assertEquals(1, FeedReplay.run(new String[] {"replay", "--csv", dir.resolve("nope.csv").toString()}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read"));
    }
}
