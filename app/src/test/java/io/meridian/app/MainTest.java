package io.meridian.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
    void demoRejectsBadOptions() {
        assertEquals(2, run("demo", "--seconds", "soon"));
        assertEquals(2, run("demo", "--rate", "0"));
        assertEquals(2, run("demo", "--color", "blue"));
        assertTrue(err().contains("unknown option '--color'"), err());
    }

    @Test
    void demoTradesAndPrintsALiveSummary() {
        assertEquals(0, run("demo", "--seconds", "2", "--rate", "4000", "--seed", "7"));
        String text = out();
        assertTrue(text.contains("BTC-PERP") && text.contains("ETH-PERP"), text);
        assertTrue(text.matches("(?s).*\\[\\s+1s] BTC-PERP\\s+bid \\d+\\.\\d x .*"), text);
        assertTrue(text.matches("(?s).*trades [1-9][\\d,]*.*"), "the agents must trade: " + text);
        assertTrue(text.matches("(?s).*final state hash [0-9a-f]{16} after \\d+ commands.*"), text);
    }
}
