package io.meridian.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one parser of every {@code meridian} command: for each command family, its options parse to what they mean, and
 * an unknown option, a missing value and a value of the wrong type are usage errors (exit 2, the command and the
 * mistake named on stderr) before anything starts. Every command and subcommand has {@code --help}; every command line
 * the README, docs/ and .ci/run show still parses.
 */
class CommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Parses without running: the deepest command matched. */
    private static ParseResult parse(String... args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ParseResult result = Main.commandLine(sink, sink).parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result;
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A usage error naming the command and the mistake, with the synopsis; nothing printed on stdout. */
    private void refused(String expected, String... args) {
        assertEquals(2, run(args), String.join(" ", args) + " -> " + err());
        assertTrue(err().contains(expected), String.join(" ", args) + " -> " + err());
        assertTrue(err().contains("usage: meridian "), err());
        assertEquals("", out.toString(StandardCharsets.UTF_8), String.join(" ", args));
    }

    /** The three mistakes every command must name: an unknown option, a missing value, a value of the wrong type. */
    private void mistakes(String command, String withValue, String wrongValue) {
        String[] words = command.split(" ");
        refused("meridian " + command + ": unknown option '--bogus'", with(words, "--bogus"));
        refused("meridian " + command + ": missing required parameter for option '" + withValue + "'",
                with(words, withValue));
        if (wrongValue != null) {
            refused("meridian " + command + ": invalid value for option '" + withValue + "': '" + wrongValue + "'",
                    with(words, withValue, wrongValue));
        }
    }

    private static String[] with(String[] words, String... more) {
        List<String> all = new ArrayList<>(List.of(words));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void assertName(String expected, ParseResult result) {
        assertEquals(expected, result.commandSpec().qualifiedName());
    }

    @Test
    void demo() {
        ParseResult r = parse("demo", "--seconds", "3", "--http-port", "0", "--data-dir", "d", "--seed", "7", "--rate",
                "4000", "--in-process");
        assertName("meridian demo", r);
        assertEquals(3L, (long) r.matchedOptionValue("--seconds", -1L));
        assertEquals(0, (int) r.matchedOptionValue("--http-port", -1));
        assertEquals("d", r.matchedOptionValue("--data-dir", ""));
        assertTrue(r.hasMatchedOption("--in-process"));
        assertTrue(parse("demo", "--chain", "--seconds", "3").hasMatchedOption("--chain"));
        mistakes("demo", "--seconds", "soon");
        refused("meridian demo: --chain runs the node's settlement loop", "demo", "--chain", "--in-process");
        refused("meridian demo: --rate needs a positive whole number", "demo", "--rate", "0");
    }

    @Test
    void node() {
        ParseResult r = parse("node", "--config", "venue.json", "--http-port", "0", "--data-dir", "d", "--cluster",
                "a,b,c", "--cluster-port-base", "9100", "--client-id", "7");
        assertName("meridian node", r);
        assertEquals(Path.of("venue.json"), r.matchedOptionValue("--config", null));
        assertEquals(9100, (int) r.matchedOptionValue("--cluster-port-base", 0));
        // The bug of issue 21: an unknown option was "needs a value".
        mistakes("node", "--http-port", "abc");
        refused("meridian node: unknown option '--bogus'", "node", "--bogus");
        assertFalse(err().contains("needs a value"), err());
    }

    @Test
    void load() {
        ParseResult r = parse("load", "--url", "http://127.0.0.1:8080", "--seconds", "5", "--connections", "2",
                "--window", "8", "--auth", "signed", "--key", "owner", "--presign", "--max-orders", "100");
        assertName("meridian load", r);
        assertEquals(8, (int) r.matchedOptionValue("--window", 0));
        mistakes("load", "--window", "many");
        refused("meridian load: missing required option: '--url=URL'", "load", "--seconds", "1");
        refused("meridian load: --presign goes with --auth signed", "load", "--url", "http://127.0.0.1:1",
                "--presign");
    }

    @Test
    void bench() {
        Map<String, String[]> good = Map.of(
                "matching", new String[] {"--workload", "w.csv", "--warmup", "1", "--runs", "1"},
                "engine", new String[] {"--commands", "3_000", "--multi", "--seed", "2"},
                "risk", new String[] {"--commands", "3000"},
                "liquidation", new String[] {"--accounts", "100"},
                "settlement", new String[] {"--accounts", "10", "--proofs", "5"},
                "replay", new String[] {"--commands", "20000", "--runs", "1", "--seed", "3", "--multi", "--dir", "d"},
                "journal", new String[] {"--commands", "5000", "--seconds", "1"},
                "snapshot", new String[] {"--accounts", "2", "--orders", "1", "--runs", "1", "--dir", "d"},
                "snapshot-stall", new String[] {"--mode", "replica", "--accounts", "1", "--churn", "1", "--every", "1",
                    "--batch", "1"},
                "options", new String[] {"--accounts", "1", "--legs", "1", "--seed", "1"});
        good.forEach((benchmark, options) -> assertName("meridian bench " + benchmark,
                parse(with(new String[] {"bench", benchmark}, options))));
        for (String benchmark : good.keySet()) {
            refused("meridian bench " + benchmark + ": unknown option '--bogus'", "bench", benchmark, "--bogus");
        }
        mistakes("bench engine", "--warmup", null);
        // Numbers take underscores, so the parser reads them as text; the benchmark refuses a bad one before any work.
        refused("meridian bench engine: --seed needs a whole number: abc", "bench", "engine", "--seed", "abc");
        refused("meridian bench matching: --workload replays the file as it is", "bench", "matching", "--workload",
                "x.csv", "--multi");
        refused("meridian bench: unknown command 'nonsense'", "bench", "nonsense");
        refused("meridian bench: a benchmark is required", "bench");
    }

    @Test
    void stress() {
        ParseResult r = parse("stress", "--replay", "btcusdt-2020-03-12-1m", "--speed", "300", "--seed", "1",
                "--report", "r", "--dynamic-risk", "on", "--options", "--population", "realistic");
        assertName("meridian stress", r);
        assertEquals(300, (int) r.matchedOptionValue("--speed", 0));
        assertName("meridian stress sweep", parse("stress", "sweep", "--files", "btcusdt-2022-11-08-5m", "--speed",
                "1200", "--dynamic-risk", "off,on", "--out", "d", "--threads", "1"));
        mistakes("stress", "--seed", "x");
        mistakes("stress sweep", "--speed", "fast");
        refused("meridian stress: unknown scenario 'meteor'", "stress", "--scenario", "meteor");
    }

    @Test
    void journalTools() {
        ParseResult replay = parse("replay", "--journal", "j", "--to", "5", "--from-snapshot");
        assertName("meridian replay", replay);
        assertEquals(5L, (long) replay.matchedOptionValue("--to", 0L));
        ParseResult verify = parse("verify", "--journal", "j", "--signatures", "--chain-id", "1",
                "--verifying-contract", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        assertName("meridian verify", verify);
        mistakes("replay", "--to", "x");
        mistakes("verify", "--chain-id", "one");
        refused("meridian replay: missing required option: '--journal=DIR'", "replay");
    }

    @Test
    void cluster() {
        ParseResult member = parse("cluster-node", "--id", "0", "--members", "localhost,localhost,localhost", "--dir",
                "m", "--port-base", "9000", "--tick-ms", "10", "--config", "c.json", "--snapshot-every-commands", "5",
                "--snapshot-every-seconds", "1", "--log-retain-snapshots", "1");
        assertName("meridian cluster-node", member);
        assertEquals(0, (int) member.matchedOptionValue("--id", -1));
        assertName("meridian cluster-export", parse("cluster-export", "--dir", "m", "--out", "j"));
        mistakes("cluster-node", "--id", "zero");
        mistakes("cluster-export", "--dir", null);
        refused("meridian cluster-node: --log-retain-snapshots must be 0 (keep the whole log) or more", "cluster-node",
                "--id", "0", "--members", "localhost", "--dir", "m", "--log-retain-snapshots", "-1");
    }

    @Test
    void options() {
        assertName("meridian option price", parse("option", "price", "--type", "call", "--spot", "60", "--strike", "65",
                "--rate", "0.08", "--carry", "0.08", "--vol", "0.3", "--tte", "0.25", "--json"));
        assertName("meridian option iv", parse("option", "iv", "--type", "put", "--spot", "60", "--strike", "65",
                "--rate", "0.08", "--carry", "0.08", "--tte", "0.25", "--price", "3"));
        ParseResult margin = parse("option", "margin", "--spot", "60000", "--vol", "0.6", "--leg", "perp:1", "--leg",
                "call:60000:30:-1", "--grid", "0.24");
        assertEquals(List.of("perp:1", "call:60000:30:-1"), margin.matchedOptionValue("--leg", List.of()));
        mistakes("option price", "--spot", null);
        mistakes("option margin", "--leg", null);
        refused("meridian option price: --spot must be a finite decimal number, not 'x'", "option", "price", "--type",
                "call", "--spot", "x", "--strike", "65", "--rate", "0.08", "--carry", "0.08", "--vol", "0.3", "--tte",
                "0.25");
        refused("meridian option: a subcommand is required: price, iv, margin", "option");
    }

    @Test
    void nodeClients() {
        assertName("meridian greeks", parse("greeks", "--url", "http://127.0.0.1:8080", "--account", "5", "--json",
                "--read-token", "t"));
        mistakes("greeks", "--account", "abc");
        refused("meridian greeks: one of --account or --address is required", "greeks", "--url", "http://x");
        assertName("meridian governance show", parse("governance", "show", "--url", "u", "--instrument", "1", "--json"));
        assertName("meridian governance propose", parse("governance", "propose", "--url", "u", "--key-file", "k",
                "--instrument", "1", "--floor", "1", "--ceiling", "2.5", "--max-change-per-hour", "0.5", "--hysteresis",
                "0.05", "--notice-millis", "60000"));
        assertName("meridian governance approve", parse("governance", "approve", "--url", "u", "--key", "0x1", "--id",
                "3"));
        assertName("meridian governance cancel", parse("governance", "cancel", "--url", "u", "--key", "0x1", "--id",
                "3"));
        mistakes("governance approve", "--id", "x");
        assertName("meridian verify-proof", parse("verify-proof", "--address", "0x1", "--url", "u", "--rpc", "r",
                "--vault", "0x2"));
        mistakes("verify-proof", "--rpc", null);
    }

    @Test
    void feedsAndSettlement() {
        assertName("meridian feed keygen", parse("feed", "keygen"));
        ParseResult publish = parse("feed", "publish", "--url", "u", "--key-file", "k", "--index", "1", "--source",
                "0");
        assertEquals(1, (int) publish.matchedOptionValue("--index", 0));
        assertName("meridian feed replay", parse("feed", "replay", "--csv", "f.csv"));
        mistakes("feed publish", "--index", "one");
        mistakes("feed replay", "--csv", null);
        refused("meridian feed keygen: unknown option '--bits'", "feed", "keygen", "--bits", "256");
        assertName("meridian settlement chain", parse("settlement", "chain", "--seconds", "1"));
        assertName("meridian settlement demo", parse("settlement", "demo", "--seconds", "60", "--rpc", "u"));
        mistakes("settlement chain", "--seconds", "x");
        mistakes("settlement demo", "--seconds", "x");
    }

    @Test
    void everyCommandAndSubcommandHasHelp() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<String> commands = new ArrayList<>();
        collect(Main.commandLine(sink, sink), commands);
        assertTrue(commands.size() > 30, commands.toString());
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (String command : commands) {
                String[] words = command.split(" ");
                String[] args = with(java.util.Arrays.copyOfRange(words, 1, words.length), "--help");
                assertEquals(0, run(args), command + " --help: " + err());
                String help = out.toString(StandardCharsets.UTF_8);
                assertTrue(help.startsWith("Usage: " + command), help);
                assertEquals("", err(), command);
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "picocli warnings (a '%' in a description?)");
        assertEquals(0, run("help", "node"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: meridian node"));
    }

    private static void collect(CommandLine line, List<String> into) {
        if (!line.getCommandName().equals("help")) {
            into.add(line.getCommandSpec().qualifiedName());
        }
        for (CommandLine sub : line.getSubcommands().values()) {
            collect(sub, into);
        }
    }

    /** A {@code meridian} command line as the README, docs/*.md and .ci/run show it. */
    private static final Pattern SHOWN = Pattern.compile("(?m)(?:\\./|`|^\\s*)meridian ((?:demo|node|load|bench|stress|replay"
            + "|verify-proof|verify|cluster-node|cluster-export|option|greeks|governance|feed|settlement)\\b[^`\\n]*)");

    /**
     * What the docs write like a command line but is not one: a key seed's name (docs/stress.md) and the usage mistake
     * docs/operations.md shows on purpose.
     */
    private static final java.util.Set<String> NOT_COMMANDS = java.util.Set.of("stress lab admin N", "node --bogus");

    @Test
    void everyCommandLineTheDocsShowStillParses() throws IOException {
        Path root = root();
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve(".ci/run")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        int checked = 0;
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file).replace("\\\n", " ");
            Matcher m = SHOWN.matcher(text);
            while (m.find()) {
                // The command line alone: without the shell around it (a comment, a pipe, a redirect, &, ;).
                String line = m.group(1).split("\\s+(#|\\||>|&&|&)(\\s|$)|;|\\s{2,}\\(")[0].trim();
                // Synopses (alternatives, placeholders in brackets) and the messages commands print ("meridian node:
                // unknown option ...") are not command lines.
                if (line.matches(".*[\\[\\]<>{}()].*|.*\\|.*|[a-z-]+( [a-z-]+)?:.*") || line.contains("...")
                        || NOT_COMMANDS.contains(line)) {
                    continue;
                }
                String[] args = line.replaceAll("\"\\$[a-z_]+\"", "x").replace("\"", "").split("\\s+");
                try {
                    parse(args);
                } catch (UnmatchedArgumentException e) {
                    broken.add(root.relativize(file) + ": meridian " + line + " -> " + e.getMessage());
                } catch (ParameterException e) {
                    // A placeholder (N, FILE) where a number goes, or an option left out for brevity: the names parse.
                    if (e.getMessage().startsWith("Unknown")) {
                        broken.add(root.relativize(file) + ": meridian " + line + " -> " + e.getMessage());
                    }
                }
                checked++;
            }
        }
        assertTrue(checked > 40, "found " + checked + " command lines");
        if (!broken.isEmpty()) {
            fail(String.join("\n", broken));
        }
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".ci/run")) && Files.exists(dir.resolve("README.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
