package io.meridian.benchmarks;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.PostOnly;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated workload written as a CSV workload reads back as the same commands (the pre-fill first) and replays
 * through fresh books to the same state as the generated pre-fill and stream.
 */
class CsvWorkloadWriterTest {
    private static final long SEED = 20_261_207L;

    @Test
    void writtenWorkloadsReadBackAsTheSameCommandsAndReplayToTheSameBooks(@TempDir Path dir) throws Exception {
        System.out.println("CsvWorkloadWriterTest seed " + SEED);
        List<Workload> workloads = List.of(
                WorkloadGenerator.generate(WorkloadGenerator.Config.singleInstrument(SEED, 60_000)),
                WorkloadGenerator.generate(WorkloadGenerator.Config.multiInstrument(SEED, 20_000)),
                // Its size reductions are amends of the quantity alone: the other kind of amend line.
                PeerShapeGenerator.generate(SEED, 60_000));
        for (Workload generated : workloads) {
            Path file = dir.resolve("w.csv");
            long lines = CsvWorkloadWriter.write(generated, file);
            Workload read = CsvWorkload.read(file);
            Command[] expected = concat(generated.prefill(), generated.commands());
            assertEquals(expected.length, lines, generated.description());
            assertEquals(expected.length + 1, Files.readAllLines(file).size(), "header plus one line a command");
            assertEquals(0, read.prefill().length);
            assertEquals(expected.length, read.commands().length);
            int[] kinds = new int[3];
            for (int i = 0; i < expected.length; i++) {
                assertSameCommand(expected[i], read.commands()[i], i);
                kinds[expected[i].type == CommandType.PLACE_ORDER ? 0 : expected[i].type == CommandType.CANCEL_ORDER
                        ? 1 : 2]++;
            }
            assertTrue(kinds[0] > 0 && kinds[1] > 0 && kinds[2] > 0, "places, cancels and amends all written");
            assertEquals(generated.instrumentCount(), read.instrumentCount());
            for (int i = 0; i < read.instrumentCount(); i++) {
                assertEquals(generated.instruments()[i], read.instruments()[i]);
            }

            BookState fromGenerator = MatchingTarget.replayedState(generated);
            BookState fromFile = MatchingTarget.replayedState(read);
            assertEquals(fromGenerator, fromFile, generated.description());
            assertTrue(fromFile.trades() > 1_000 && fromFile.restingBids() > 0 && fromFile.restingAsks() > 0,
                    fromFile.line());
        }
    }

    @Test
    void theCliWritesTheFileAndPrintsItsSizeAndState(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Path file = dir.resolve("ours.csv");
        Files.writeString(file, "an older file, replaced");
        assertEquals(0, BenchCli.run(new String[] {"matching", "--write-workload", file.toString(), "--commands",
                "5000", "--seed", Long.toString(SEED)}, out), bytes.toString(StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("a header and 6,000 command lines (the 1,000 pre-fill orders first"), output);
        assertTrue(output.matches("(?s).*replays through Meridian's book to the generated state: trades=\\d+"
                + " resting_bids=\\d+ resting_asks=\\d+ book_digest=[0-9a-f]{16}\\R"), output);
        assertEquals(6_001, Files.readAllLines(file).size());
        assertEquals(CsvWorkloadWriter.HEADER, Files.readAllLines(file).get(0));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file left beside it");
        }
    }

    @Test
    void theCliRefusesFilesItCannotWrite(@TempDir Path dir) {
        String[][] mistakes = {
            {"matching", "--write-workload", dir.toString()},
            {"matching", "--write-workload", dir.resolve("missing/w.csv").toString()},
            {"matching", "--write-workload", ""},
            {"matching", "--write-workload", dir.resolve("w.csv").toString(), "--runs", "2"},
            {"matching", "--write-workload", dir.resolve("w.csv").toString(), "--workload", "x.csv"},
        };
        String[] reasons = {"is a directory", "no such directory", "needs a file name", "cannot be combined",
            "cannot be combined"};
        for (int i = 0; i < mistakes.length; i++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int code = BenchCli.run(mistakes[i], new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String output = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, output);
            assertTrue(output.startsWith("error: ") && output.contains(reasons[i]), output);
        }
        assertFalse(Files.exists(dir.resolve("w.csv")));
    }

    @Test
    void refusesWhatTheFormatCannotSay() {
        Command postOnly = new Command().limit(1, 0, 1, Side.BUY, 100, 1, TimeInForce.GTC);
        postOnly.postOnly = PostOnly.REJECT;
        Command withClientId = new Command().cancel(1, 0, 1);
        withClientId.clientOrderId = 7;
        Command deposit = new Command().deposit(1, 0, 5);
        for (Command c : new Command[] {postOnly, withClientId, deposit}) {
            String message = assertThrows(WorkloadException.class, () -> CsvWorkloadWriter.check(c)).getMessage();
            assertTrue(message.startsWith("cannot be written as a CSV workload: "), message);
        }
    }

    private static void assertSameCommand(Command expected, Command actual, int index) {
        String where = "command " + index + ": " + expected;
        assertEquals(expected.type, actual.type, where);
        assertEquals(expected.account, actual.account, where);
        assertEquals(expected.orderId, actual.orderId, where);
        assertEquals(expected.instrument, actual.instrument, where);
        assertEquals(expected.price, actual.price, where);
        assertEquals(expected.quantity, actual.quantity, where);
        if (expected.type == CommandType.PLACE_ORDER) {
            assertEquals(expected.side, actual.side, where);
            assertEquals(expected.timeInForce, actual.timeInForce, where);
            assertEquals(expected.orderType, actual.orderType, where);
        }
    }

    private static Command[] concat(Command[] first, Command[] second) {
        Command[] all = new Command[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
