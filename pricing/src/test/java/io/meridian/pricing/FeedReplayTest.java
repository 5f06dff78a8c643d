package io.meridian.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The replay of a price feed through the index aggregator, row by row (the CLI over it: the app's FeedReplayCliTest). */
class FeedReplayTest {
    private final List<String> lines = new ArrayList<>();

    /** Replays every line of {@code csv} and keeps each row as {@code meridian feed replay} prints it. */
    private void run(String csv) throws FeedReplay.BadLineException {
        FeedReplay replay = new FeedReplay();
        for (String line : csv.split("\n", -1)) {
            FeedReplay.Row row = replay.next(line);
            if (row != null) {
                lines.add("ts_ms=" + row.tsMs() + " index=" + row.indexText() + " status=" + row.status().label());
            }
        }
    }

    private List<String> lines() {
        return lines;
    }

    private static FeedReplay.BadLineException bad(String csv) {
        return assertThrows(FeedReplay.BadLineException.class, () -> {
            FeedReplay replay = new FeedReplay();
            for (String line : csv.split("\n", -1)) {
                replay.next(line);
            }
        });
    }

    @Test
    void replaysWithHeaderAndPrintsOneLinePerRow() throws FeedReplay.BadLineException {
        String csv = "ts_ms,source,price,confidence\n"
                + "1000,binance,64000.5\n"
                + "1100,coinbase,64010,5\n"
                + "1200,kraken,63990.25\n"
                + "1300,okx,64020.125\n"
                + "2000,binance,96000\n";
        run(csv);
        assertEquals(List.of(
                "ts_ms=1000 index=0 status=stale",
                "ts_ms=1100 index=0 status=stale",
                "ts_ms=1200 index=64000.5 status=ok",
                "ts_ms=1300 index=64005.25 status=ok",
                // binance at 96000 (50% off) is clamped to the band; the median stays the midpoint of 64010 and 64020.125
                "ts_ms=2000 index=64015.0625 status=ok"), lines());
    }

    @Test
    void headerIsOptionalAndSourcesAgeOut() throws FeedReplay.BadLineException {
        String csv = "0,a,100\n0,b,101\n0,c,102\n60000,a,100\n60001,b,101\n";
        run(csv);
        assertEquals(List.of(
                "ts_ms=0 index=0 status=stale",
                "ts_ms=0 index=0 status=stale",
                "ts_ms=0 index=101 status=ok",
                "ts_ms=60000 index=101 status=ok",
                "ts_ms=60001 index=101 status=stale"), lines());
    }

    @Test
    void twoCapturedSourcesWalkTheIndexAtTheBreakersPaceAndAreHeldFromTheFirstStep() throws FeedReplay.BadLineException {
        StringBuilder csv = new StringBuilder("0,a,30000\n0,b,30000\n0,c,30000\n");
        for (int s = 1; s <= 40; s++) {
            long ms = s * 1000L;
            csv.append(ms).append(",a,30000\n").append(ms).append(",b,18000\n").append(ms).append(",c,18000\n");
        }
        run(csv.toString());
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
    void rejectedReportIsLeftOut() throws FeedReplay.BadLineException {
        // c's confidence 3 is wider than 2% of 100: rejected, so only two sources are fresh.
        run("0,a,100\n0,b,101\n0,c,102,3\n");
        assertEquals("ts_ms=0 index=0 status=stale", lines().get(2));
    }

    @Test
    void badLineNamesItsLineNumberAndLeavesTheRowsBeforeIt() throws FeedReplay.BadLineException {
        FeedReplay replay = new FeedReplay();
        assertNull(replay.next("ts_ms,source,price"));
        assertEquals(new FeedReplay.Row(0, 0, FeedReplay.Status.STALE), replay.next("0,a,100"));
        FeedReplay.BadLineException e = assertThrows(FeedReplay.BadLineException.class, () -> replay.next("0,b,abc"));
        assertEquals(3, e.line());
        assertTrue(e.problem().contains("'abc'"), e.problem());
        assertNull(replay.next(""));
    }

    @Test
    void otherBadLines() {
        assertTrue(bad("0,a").getMessage().startsWith("line 1: expected ts_ms,source,price"));
        assertTrue(bad("5,a,100\n4,b,100").getMessage().startsWith("line 2: ts_ms 4 is earlier"));
        assertTrue(bad("5,a,0.000000001").getMessage().startsWith("line 1: price"));
        assertTrue(bad("5,a,-3").getMessage().contains("price must be positive"));
        assertTrue(bad("5,,3").getMessage().contains("source is empty"));
        assertTrue(bad("5,a,3,-1").getMessage().contains("confidence must not be negative"));
    }

    @Test
    void formatStripsTrailingZeros() {
        assertEquals("0", FeedReplay.format(0));
        assertEquals("100.05", FeedReplay.format(10_005_000_000L));
        assertEquals("64000", FeedReplay.format(6_400_000_000_000L));
    }
}
