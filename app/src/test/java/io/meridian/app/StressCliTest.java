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
    /** The last line of a run whose invariants held. */
    static final String OK_LINE = "invariants=ok bad_debt=\\d+\\.\\d{6} adl=\\d+ fund_min=\\d+\\.\\d{6} liquidations=\\d+";

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
        assertEquals(Scenario.values().length + io.meridian.simulator.CandleReplay.BUILTIN.size(), lines.size());
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
        assertTrue(lines[lines.length - 1].matches(OK_LINE), lines[lines.length - 1]);
        List<String> rows = Files.readAllLines(csv);
        assertTrue(rows.get(0).startsWith("second,index,mark,insurance_fund_usdc"));
        assertEquals(8, rows.size(), "header + seconds 0, 10, ..., 60");
    }

    @Test
    void writesTheHtmlReportOfAScenarioAndOfAReplay(@TempDir Path dir) throws IOException {
        Path scenario = dir.resolve("scenario");
        assertEquals(0, run("--scenario", "flash-crash", "--seconds", "60", "--report", scenario.toString()), text());
        List<String> lines = text().lines().toList();
        assertEquals("report: " + scenario.resolve("index.html"), lines.get(lines.size() - 2));
        assertTrue(lines.get(lines.size() - 1).matches(OK_LINE), lines.get(lines.size() - 1));
        String html = Files.readString(scenario.resolve("index.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<td>flash-crash</td>"), html);
        assertEquals(9, html.split("<svg ", -1).length - 1, "nine plots: seven over time, margin in force, volatility");
        bytes.reset();

        // A file name is user input: it reaches the page escaped.
        Path candles = dir.resolve("<b>&'x.csv");
        Files.writeString(candles, "ts_ms,open,high,low,close,volume\n0,100,101,99,100.5,1\n60000,100.5,100.5,70,71,9\n"
                + "120000,71,80,70.5,79,3\n");
        Path replay = dir.resolve("replay");
        assertEquals(0, run("--replay", candles.toString(), "--speed", "5", "--report", replay.toString()), text());
        html = Files.readString(replay.resolve("index.html"));
        assertTrue(html.contains("<td>&lt;b&gt;&amp;&#39;x.csv</td>"), "the name, escaped");
        assertTrue(!html.contains("<b>&"), "nowhere unescaped");
        assertTrue(html.contains("the candles&#39; first open, 100 USD, is the venue&#39;s 50,000"), "the price scale");
        bytes.reset();

        Path file = Files.writeString(dir.resolve("a-file"), "");
        assertEquals(1, run("--scenario", "flash-crash", "--seconds", "20", "--report", file.toString()));
        assertTrue(text().contains("stress: cannot write the report in " + file), text());
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
        assertTrue(lines.get(lines.size() - 1).matches(OK_LINE), lines.get(lines.size() - 1));
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
        assertTrue(lines[lines.length - 1].matches(OK_LINE), lines[lines.length - 1]);
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
        assertTrue(StressCli.verdict(ok).matches(OK_LINE), StressCli.verdict(ok));
        StressRunner.Result bad = new StressRunner.Result(ok.scenario(), 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, Map.of(), 0, List.of(), List.of("no uncovered negative equity: account 5"));
        assertEquals("invariants=violated no_uncovered_negative_equity bad_debt=0.000000 adl=0 fund_min=0.000000"
                + " liquidations=0", StressCli.verdict(bad));
    }

    @Test
    void replaysEveryPackagedCrash() {
        for (String name : io.meridian.simulator.CandleReplay.BUILTIN) {
            assertEquals(0, run("--replay", name, "--seed", "2", "--speed", "900", "--makers", "2",
                    "--trend-followers", "10", "--holders", "10", "--noise-traders", "10"), text());
            String[] lines = text().trim().split("\\R");
            assertTrue(lines[0].startsWith("scenario " + name + ".csv (seed 2): "), lines[0]);
            assertTrue(lines[lines.length - 1].matches(OK_LINE), name + ": " + lines[lines.length - 1]);
            bytes.reset();
        }
        assertTrue(run("--list") == 0 && text().contains("btcusdt-2025-10-10-1m [replay]"), text());
    }

    @Test
    void replaysAnyWellFormedFileAndRefusesAMalformedOneByLine(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("mine.csv");
        Files.writeString(good, "ts_ms,open,high,low,close,volume\n0,100,101,99,100.5,1\n60000,100.5,100.5,70,71,9\n"
                + "120000,71,80,70.5,79,3\n");
        assertEquals(0, run("--replay", good.toString(), "--speed", "5", "--seed", "4"), text());
        String[] lines = text().trim().split("\\R");
        assertTrue(lines[lines.length - 1].matches(OK_LINE), lines[lines.length - 1]);
        assertTrue(lines[0].contains("3 candles of 60 s"), lines[0]);
        bytes.reset();

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "ts_ms,open,high,low,close,volume\n0,100,101,99,100.5,1\n60000,100.5,99,98,99.5,x\n");
        assertEquals(2, run("--replay", bad.toString()));
        assertEquals("error: bad.csv:3: volume 'x' is not a plain decimal number", text().trim());
        bytes.reset();
        assertEquals(2, run("--replay", dir.resolve("missing.csv").toString()));
        assertTrue(text().startsWith("error: "), text());
        bytes.reset();
        assertEquals(2, run("--replay", good.toString(), "--seconds", "10"));
        assertEquals(2, run("--replay", good.toString(), "--speed", "0"));
        assertEquals(2, run("--replay", good.toString(), "--scenario", "crash-30"));
    }

    @Test
    void aTinySweepWritesItsTablesAndRefusesBadAxes(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sweep");
        assertEquals(0, run("sweep", "--files", "btcusdt-2022-11-08-5m", "--speed", "1200", "--margin", "1,2",
                "--insurance-fund", "20000", "--threads", "2", "--out", out.toString()), text());
        List<String> lines = text().lines().toList();
        assertEquals("invariants=ok runs=2", lines.get(lines.size() - 1));
        assertTrue(lines.get(0).startsWith("| rank | parameters |"), lines.get(0));
        assertEquals(3, Files.readAllLines(out.resolve("sweep.csv")).size());
        assertTrue(Files.readString(out.resolve("sweep.md")).contains("| btcusdt-2022-11-08-5m.csv | 1 | margin x2"));
        bytes.reset();
        assertEquals(2, run("sweep", "--dynamic-risk", "maybe"));
        assertTrue(text().contains("--dynamic-risk is on or off"), text());
        assertEquals(2, run("sweep", "--margin", "1,,2"));
        assertEquals(2, run("sweep", "--seeds", String.join(",", java.util.Collections.nCopies(21, "1"))));
        assertEquals(2, run("sweep", "--bogus", "1"));
    }

    @Test
    void aSweepComparesStaticAndDynamicRisk(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sweep");
        assertEquals(0, run("sweep", "--files", "btcusdt-2020-03-12-1m", "--speed", "600", "--dynamic-risk", "off,on",
                "--insurance-fund", "20000", "--threads", "2", "--out", out.toString()), text());
        List<String> lines = text().lines().toList();
        assertEquals("invariants=ok runs=2", lines.get(lines.size() - 1));
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertTrue(csv.get(1).contains(",off,ok,") && csv.get(2).contains(",on,ok,"), String.join("\n", csv));
        assertTrue(csv.get(1).endsWith(",0,1.00,1.000"), "static: no change, x1 throughout: " + csv.get(1));
        assertTrue(Files.readString(out.resolve("sweep.md")).contains("band 10%, dynamic, fund 20,000"));
        bytes.reset();
        // Two ceilings: the static cell once, the dynamic one per ceiling.
        assertEquals(0, run("sweep", "--files", "btcusdt-2020-03-12-1m", "--speed", "1200", "--dynamic-risk", "off,on",
                "--risk-ceiling", "2,3", "--insurance-fund", "20000", "--out", out.toString()), text());
        lines = text().lines().toList();
        assertEquals("invariants=ok runs=3", lines.get(lines.size() - 1));
        assertTrue(Files.readString(out.resolve("sweep.md")).contains("dynamic 1x..2x, 1x/h, reference vol 60%"));
        assertEquals(2, run("sweep", "--risk-ceiling", "1"));
    }

    @Test
    void aReplayWithDynamicRiskReportsItsMultiplierBeforeTheLastLine(@TempDir Path dir) throws IOException {
        assertEquals(0, run("--replay", "btcusdt-2021-05-19-1m", "--speed", "300", "--seed", "3", "--dynamic-risk",
                "on", "--makers", "2", "--trend-followers", "10", "--holders", "10", "--noise-traders", "10",
                "--report", dir.resolve("report").toString()), text());
        String[] lines = text().trim().split("\\R");
        assertTrue(lines[lines.length - 1].matches(OK_LINE), lines[lines.length - 1]);
        String multiplier = java.util.Arrays.stream(lines).filter(l -> l.trim().startsWith("risk multiplier"))
                .findFirst().orElseThrow();
        assertTrue(multiplier.matches(".*dynamic \\(1x\\.\\.3x, 1x/h, reference vol 60%\\): \\d+ changes applied "
                + "\\(\\d+ announced, 0 refused\\), max x[\\d.]+, end x[\\d.]+; highest realised volatility .*"),
                multiplier);
        assertTrue(Files.readString(dir.resolve("report").resolve("index.html")).contains("id=\"dynamic-parameters\""));
        bytes.reset();
        assertEquals(0, run("--scenario", "crash-30", "--seconds", "30", "--dynamic-risk", "off"), text());
        assertTrue(text().contains("risk multiplier                static"), text());
        assertEquals(2, run("--scenario", "crash-30", "--dynamic-risk", "yes"));
        assertTrue(text().contains("--dynamic-risk is on or off"), text());
    }

    @Test
    void oneGridPointRunsAloneAndBadPointsAreRefused() {
        assertEquals(0, run("--scenario", "crash-30", "--seconds", "60", "--margin", "2", "--step-share", "50",
                "--band", "5"), text());
        String[] lines = text().trim().split("\\R");
        assertTrue(lines[lines.length - 1].matches(OK_LINE), lines[lines.length - 1]);
        bytes.reset();
        assertEquals(2, run("--scenario", "crash-30", "--margin", "0.05"));
        assertTrue(text().contains("margin multiplier must be 0.1 .. 10"), text());
        assertEquals(2, run("--scenario", "crash-30", "--step-share", "0"));
        assertEquals(2, run("--scenario", "crash-30", "--band", "101"));
    }
}
