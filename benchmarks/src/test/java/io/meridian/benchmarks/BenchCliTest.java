package io.meridian.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCliTest {
    private static final String CONTRACT = "throughput_ops_per_s=\\d+ p50_ns=\\d+ p99_ns=\\d+ p9999_ns=\\d+";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private int run(String... args) {
        bytes.reset();
        return BenchCli.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private String lastLine() {
        String[] lines = output().split("\\R");
        return lines[lines.length - 1];
    }

    @Test
    void enginePrintsTheContractLineLast() {
        assertEquals(0, run("engine", "--commands", "3000", "--warmup", "1", "--runs", "1"), output());
        assertTrue(lastLine().matches(CONTRACT), output());
        assertTrue(output().contains(" 0 rejected"), output());
    }

    @Test
    void riskRunsTheEngineWithTenThousandAccounts() {
        assertEquals(0, run("risk", "--commands", "3000", "--warmup", "1", "--runs", "1"), output());
        assertTrue(output().contains("10,000 accounts"), output());
        assertTrue(output().contains(" 0 rejected"), output());
        assertTrue(lastLine().matches(CONTRACT), output());
    }

    @Test
    void booksPreallocateWhatExpectedOrdersSays() {
        assertEquals(0, run("matching", "--multi", "--commands=3000", "--warmup=0", "--expected-orders", "64"), output());
        assertTrue(output().contains("books preallocate 64 orders each"), output());
        assertTrue(lastLine().matches(CONTRACT), output());
        assertEquals(0, run("engine", "--commands=3000", "--warmup=0", "--expected-orders", "1_000"), output());
        assertTrue(output().contains(" 0 rejected"), output());
        assertEquals(2, run("matching", "--expected-orders", "15"));
        assertTrue(output().contains("--expected-orders"), output());
        assertEquals(2, run("matching", "--multi", "--expected-orders", "100001"));
        assertTrue(output().contains("--expected-orders"), output());
    }

    @Test
    void matchingRunsTheMultiInstrumentWorkload() {
        assertEquals(0, run("matching", "--multi", "--commands=3000", "--warmup=0", "--seed", "5"), output());
        assertTrue(output().contains("128 instrument(s)"), output());
        assertTrue(lastLine().matches(CONTRACT), output());
    }

    @Test
    void replaysACsvWorkload(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w.csv");
        Files.writeString(file, "op,account,order_id,instrument,side,price,qty,type\n"
                + "place,1,1,A,buy,100,5,GTC\nplace,2,2,A,sell,100,2,IOC\namend,1,1,A,,99,,\ncancel,1,1,A,,,,\n");
        assertEquals(0, run("engine", "--workload", file.toString(), "--warmup", "2"), output());
        assertTrue(lastLine().matches(CONTRACT), output());
        assertTrue(output().contains(" 0 rejected"), output());
    }

    @Test
    void compareRunsTwoBuildsInOneJvmAndPrintsTheirRatio() {
        // The class path this test runs from stands for a build, twice: the same code, so the same work.
        String build = System.getProperty("java.class.path");
        assertEquals(0, run("compare", "--build", build, "--build", build, "--benchmark", "matching", "--commands",
                "20_000", "--warmup", "1", "--rounds", "3", "--forks", "2"), output());
        String text = output();
        assertTrue(text.contains("build 2 / build 1: balanced "), text);
        assertTrue(text.contains("(build 1 loaded first "), text);
        assertTrue(text.contains(", build 2 loaded first "), text);
        assertTrue(text.contains("median of all 6 paired rounds "), text);
        assertFalse(text.contains("warning"), text);
        // One fork cannot run both load orders: said, not hidden.
        assertEquals(0, run("compare", "--build", build, "--build", build, "--benchmark", "matching", "--commands",
                "5_000", "--warmup", "0", "--rounds", "1", "--forks", "1"), output());
        assertTrue(output().contains("warning: fewer forks than builds"), output());
        assertEquals(2, run("compare", "--build", build));
        assertEquals(2, run("compare", "--build", build, "--build", "no-such.jar"));
        assertEquals(2, run("compare", "--build", build, "--build", build, "--benchmark", "risk"));
        assertEquals(2, run("compare", "--build", build, "--build", build, "--rounds", "0"));
        assertEquals(2, run("compare", "--build", build, "--build", build, "--forks", "0"));
        assertEquals(2, run("compare", "--build", build, "--build", build, "--shape", "exchange-core", "--multi"));
    }

    @Test
    void unknownBenchmarksAreUsageErrors() {
        assertEquals(2, run("nonsense"));
        assertTrue(output().startsWith("error: unknown benchmark: nonsense"), output());
    }

    @Test
    void replayBenchPrintsItsContract() {
        assertEquals(0, run("replay", "--commands", "20000", "--runs", "2"), output());
        assertTrue(lastLine().matches("replay_commands_per_s=\\d+"), output());
        assertTrue(output().contains("state hash matches"), output());
        assertEquals(2, run("replay", "--runs", "0"));
        assertEquals(2, run("replay", "--bogus", "1"));
    }

    @Test
    void snapshotBenchPrintsItsContract() {
        assertEquals(0, run("snapshot", "--accounts", "2000", "--orders", "1500", "--runs", "1"), output());
        assertTrue(lastLine().matches("snapshot_bytes=\\d+ capture_ms=[0-9.]+ write_ms=[0-9.]+ load_ms=[0-9.]+"),
                output());
        assertEquals(2, run("snapshot", "--orders", "5", "--accounts", "2"));
    }

    @Test
    void journalBenchPrintsItsContract() {
        assertEquals(0, run("journal", "--commands", "5000", "--seconds", "1"), output());
        assertTrue(lastLine().matches("journal_none_commands_per_s=\\d+ group_commit_4096_commands_per_s=\\d+"
                + " group_commit_1_commits_per_s=\\d+"), output());
    }

    @Test
    void liquidationBenchPrintsItsContract() {
        assertEquals(0, run("liquidation", "--accounts", "2000"), output());
        assertTrue(lastLine().matches("accounts=2000 underwater=\\d+ detect_and_start_ms=[0-9.]+ quiet_tick_ms=[0-9.]+"),
                output());
        assertTrue(!lastLine().contains("underwater=0 "), output());
        assertEquals(2, run("liquidation", "--accounts", "5"));
        assertEquals(2, run("liquidation", "--bogus"));
    }

    @Test
    void badArgumentsPrintUsage() {
        assertEquals(2, run());
        assertTrue(output().contains("usage: meridian bench"), output());
        String[][] bad = {
            {"engine", "--seed", "abc"},
            {"engine", "--commands", "0"},
            {"engine", "--warmup"},
            {"matching", "--bogus"},
            {"matching", "--workload", "x.csv", "--multi"},
        };
        for (String[] args : bad) {
            assertEquals(2, run(args), String.join(" ", args));
            assertTrue(output().startsWith("error: "), output());
            assertTrue(output().contains("usage: meridian bench"), output());
        }
        assertEquals(0, run("--help"));
    }
}
