package io.meridian.terminal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The terminal's own logic under Node's test runner ({@code node --test web/test/}): book merging and the gap rule
 * (with a seeded differential against a naive book), exact decimal formatting, candles from trades, the feed's
 * routing and resubscription, one repaint per frame. {@code TERMINAL_SEED=N} in the environment replays the
 * differential's seed, which it prints.
 */
class TerminalScriptsTest {

    @Test
    void theModulesUnitTestsPassUnderNode() throws IOException, InterruptedException {
        Path web = Path.of("web").toAbsolutePath();
        assertTrue(Files.isDirectory(web.resolve("test")), "run from the terminal module: " + web);
        Path out = Files.createTempFile("terminal-tests", ".txt");
        Process process = new ProcessBuilder("node", "--test", "test/").directory(web.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = process.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String report = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        System.out.println(report.lines().filter(l -> l.startsWith("# ") || l.startsWith("not ok")
                || l.contains("seed=")).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(done, "node --test finished within 120 s");
        assertEquals(0, process.exitValue(), report);
        assertTrue(report.contains("# fail 0") && !report.contains("# pass 0"), report);
    }
}
