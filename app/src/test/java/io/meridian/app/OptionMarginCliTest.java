package io.meridian.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meridian option margin}: the worked examples of docs/risk.md through the command line, and bad arguments. */
class OptionMarginCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return OptionMarginCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void coveredCallAndStrangleMatchTheWorkedExamples() {
        assertEquals(0, run("--spot", "60000", "--vol", "0.6", "--leg", "perp:1", "--leg", "call:60000:30:-1"));
        assertTrue(out().contains("standard margin:  initial 14312.364431"), out());
        assertTrue(out().contains("portfolio margin: initial 12302.134354"), out());
        assertTrue(out().contains("net: delta 0.4657"), out());

        assertEquals(0, run("--spot", "60000", "--vol", "0.6", "--leg", "put:54000:30:-1", "--leg", "call:66000:30:-1",
                "--json"));
        assertTrue(out().contains("\"standard\":{\"initial\":15577.097399"), out());
        assertTrue(out().contains("\"portfolio\":{\"initial\":11458.357655"), out());
        assertEquals(0, run("--spot", "60000", "--vol", "0.6", "--leg", "put:54000:30:-1", "--leg", "call:66000:30:-1",
                "--json", "--grid", "0.24"));
        assertTrue(out().contains("\"initial\":14200.270604") && out().contains("\"scenarios\":39"), out());
        assertTrue(out().trim().startsWith("{") && out().trim().endsWith("}"), "one JSON object: " + out());
    }

    @Test
    void badArgumentsAreRefusedWithTheUsage() {
        String[][] cases = {
            {"--spot", "60000", "--vol", "0.6"},
            {"--spot", "-1", "--vol", "0.6", "--leg", "perp:1"},
            {"--spot", "60000", "--vol", "0.6", "--leg", "call:60000:30"},
            {"--spot", "60000", "--vol", "0.6", "--leg", "call:60000:30:0.5"},
            {"--spot", "60000", "--vol", "0.6", "--leg", "swap:1"},
            {"--spot", "60000", "--vol", "0.6", "--leg", "perp:1", "--grid", "1.5"},
            {"--spot", "60000", "--vol", "x", "--leg", "perp:1"},
            {"--spot"},
        };
        for (String[] args : cases) {
            assertEquals(2, run(args), String.join(" ", args));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: meridian option margin"), String.join(" ", args));
        }
        assertEquals(0, run("--help"));
    }
}
