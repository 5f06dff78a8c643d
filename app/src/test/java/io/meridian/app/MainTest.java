package io.meridian.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentsPrintsUsageAndFails() {
        assertEquals(2, run());
        assertTrue(err().contains("usage: meridian"), err());
    }

    @Test
    void helpSucceeds() {
        assertEquals(0, run("help"));
        assertTrue(out().contains("demo"), out());
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(2, run("launch-rockets"));
        assertTrue(err().contains("unknown command 'launch-rockets'"), err());
    }

    @Test
    void feedReplayIsRouted(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("feed.csv");
        Files.writeString(csv, "1000,a,100\n1000,b,101\n1000,c,102\n");
        assertEquals(0, run("feed", "replay", "--csv", csv.toString()));
        assertTrue(out().endsWith("ts_ms=1000 index=101 status=ok" + System.lineSeparator()), out());
        assertEquals(2, run("feed", "replay"));
    }

    @Test
    void stressRunsAScenarioAndEndsWithTheVerdict() {
        assertEquals(0, run("stress", "--list"));
        assertTrue(out().contains("crash-50-vacuum"), out());
        assertEquals(0, run("stress", "--scenario", "flash-crash", "--seed", "2", "--seconds", "40"));
        String[] lines = out().trim().split("\\R");
        assertTrue(lines[lines.length - 1].matches(StressCliTest.OK_LINE), out());
        assertEquals(2, run("stress", "--scenario", "nope"));
    }

    @Test
    void demoRejectsBadOptions() {
        assertEquals(2, run("demo", "--seconds", "soon"));
        assertEquals(2, run("demo", "--rate", "0"));
        assertEquals(2, run("demo", "--color", "blue"));
        assertTrue(err().contains("unknown option '--color'"), err());
    }

    @Test
    void gatewayDemoTradesThroughTheNodeAndRecovers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String data = dir.resolve("demo").toString();
        assertEquals(0, run("demo", "--seconds", "3", "--http-port", "0", "--data-dir", data));
        String text = out();
        assertTrue(text.contains("a new venue"), text);
        // Cancels of quotes that filled meanwhile are refused, so rejects may be counted; trades must happen.
        assertTrue(text.matches("(?s).*\\[\\s+2s]\\s+[\\d,]+ acks/s, [1-9][\\d,]* trades, [\\d,]+ rejected.*"), text);
        assertTrue(text.matches("(?s).*stopped at sequence \\d+; journal flushed.*"), text);
        // Options: the hedger's call spread trades against the option maker's quotes, in portfolio margin, which
        // needs less than standard margin would on a spread whose loss is capped.
        assertTrue(text.contains("portfolio margin on; sold 0.2 BTC-") && text.contains("and bought 0.2 BTC-"), text);
        assertTrue(text.matches("(?s).*demo: options: [1-9][\\d,]* trades, [\\d.]+ contracts on 6 series of BTC-.*"),
                text);
        Matcher margin = Pattern.compile("hedger's option margin \\(portfolio mode\\): initial ([\\d,.]+), maintenance"
                + " [\\d,.]+ USDC; standard margin would need ([\\d,.]+) and").matcher(text);
        assertTrue(margin.find(), text);
        BigDecimal portfolio = new BigDecimal(margin.group(1).replace(",", ""));
        BigDecimal standard = new BigDecimal(margin.group(2).replace(",", ""));
        assertTrue(portfolio.signum() > 0 && portfolio.compareTo(standard) < 0, text);
        assertTrue(text.matches("(?s).*hedger's greeks: delta -0\\.\\d+ BTC.*"), text);
        assertEquals(0, run("demo", "--seconds", "1", "--http-port", "0", "--data-dir", data));
        assertTrue(out().matches("(?s).*recovered at sequence [1-9]\\d* .*"), out());
        assertTrue(out().contains("holds its book from an earlier run"), out());
    }

    @Test
    void demoTradesAndPrintsALiveSummary() {
        assertEquals(0, run("demo", "--in-process", "--seconds", "2", "--rate", "4000", "--seed", "7"));
        String text = out();
        assertTrue(text.contains("BTC-PERP") && text.contains("ETH-PERP"), text);
        assertTrue(text.matches("(?s).*\\[\\s+1s] BTC-PERP\\s+bid \\d+\\.\\d x .*"), text);
        // The BTC options are marked from the index and quoted.
        assertTrue(text.matches("(?s).*\\[\\s+2s] BTC-\\w+-65000-C bid \\d+\\.\\d x [^|]*\\|[^\\n]*\\| mark \\d+\\.\\d"
                + " \\| vol .*"), text);
        assertTrue(text.matches("(?s).*trades [1-9][\\d,]*.*"), "the agents must trade: " + text);
        assertTrue(text.matches("(?s).*final state hash [0-9a-f]{16} after \\d+ commands.*"), text);
    }
}
