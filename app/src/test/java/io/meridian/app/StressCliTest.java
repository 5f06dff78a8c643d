package io.meridian.app;

import io.meridian.simulator.Scenario;
import io.meridian.simulator.StressRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meridian stress}: the list, the report, the time series, the last line and bad arguments. */
class StressCliTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private int run(String... args) {
        bytes.reset();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        return StressCli.run(args, out, out);
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theListShowsEveryScenarioAndMarksTheAdversarialOnes() {
        assertEquals(0, run("--list"));
        List<String> lines = text().lines().toList();
        assertEquals(Scenario.values().length, lines.size());
        for (Scenario scenario : Scenario.values()) {
            String line = lines.stream().filter(l -> l.startsWith(scenario.id() + " ")).findFirst().orElseThrow();
            assertEquals(scenario.adversarial(), line.contains("[adversarial]"), line);
        }
    }

    @Test
    void runsAScenarioAndWritesTheTimeSeries(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("series.csv");
        assertEquals(0, run("--scenario", "short-squeeze", "--seed", "3", "--seconds", "60", "--csv", csv.toString()));
        String[] lines = text().trim().split("\\R");
        assertEquals("invariants=ok", lines[lines.length - 1]);
        List<String> rows = Files.readAllLines(csv);
        assertTrue(rows.get(0).startsWith("second,index,mark,insurance_fund_usdc"));
        assertEquals(8, rows.size(), "header + seconds 0, 10, ..., 60");
    }

    @Test
    void theReportPrintsEveryInvariantAndEveryCriterion() {
        assertEquals(0, run("--scenario", "oracle-capture-1of3", "--seconds", "120"));
        String report = text();
        // Every run reports the same invariants, by name (StressScenariosTest holds them to the audit's list).
        for (StressRunner.InvariantStatus invariant : StressRunner.run(Scenario.CRASH_30, 1, 20, 1, 1, 1, 1).invariants()) {
            String name = invariant.name();
            assertTrue(report.lines().anyMatch(l -> l.matches("  " + name + " +ok")), name + " in\n" + report);
        }
        assertTrue(report.contains("  attacker "), report);
        assertEquals(3, report.lines().filter(l -> l.startsWith("  pass: ") && l.contains(" ... ok (")).count(), report);
        List<String> lines = report.lines().toList();
        assertEquals("invariants=ok", lines.get(lines.size() - 1));
    }

    @Test
    void printsTheOptionsSectionAndItsColumns(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("series.csv");
        int exit = run("--scenario", "crash-50-vacuum", "--options", "--seconds", "60", "--csv", csv.toString());
        String text = text();
        assertTrue(text.contains("put writers, standard"), text);
        assertTrue(text.contains("put writers, portfolio"), text);
        assertTrue(text.contains("covered calls, portfolio"), text);
        assertTrue(text.contains("BTC-45000-P"), text);
        String[] lines = text.trim().split("\\R");
        assertEquals("invariants=ok", lines[lines.length - 1]);
        assertEquals(0, exit);
        List<String> rows = Files.readAllLines(csv);
        assertTrue(rows.get(0).endsWith(",shocked_vol,atm_put_mark,atm_put_vol,option_writers_liquidated"));
        assertEquals(8, rows.size());
        assertEquals(rows.get(0).split(",").length, rows.get(7).split(",").length);
    }

    @Test
    void rejectsBadArguments() {
        assertEquals(2, run());
        assertEquals(2, run("--scenario", "meteor"));
        assertEquals(2, run("--scenario", "crash-30", "--seed", "x"));
        assertEquals(2, run("--scenario", "crash-30", "--seconds", "0"));
        assertEquals(2, run("--scenario"));
        assertEquals(2, run("--bogus"));
        assertTrue(text().contains("usage: meridian stress"), text());
    }

    @Test
    void aViolationNamesItselfInTheLastLine() {
        StressRunner.Result ok = StressRunner.run(Scenario.CRASH_30, 1, 20, 1, 1, 1, 1);
        assertEquals("invariants=ok", StressCli.verdict(ok));
        StressRunner.Result bad = new StressRunner.Result(ok.scenario(), 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, Map.of(), 0, List.of(), List.of("no uncovered negative equity: account 5"));
        assertEquals("invariants=violated no_uncovered_negative_equity", StressCli.verdict(bad));
    }
}
