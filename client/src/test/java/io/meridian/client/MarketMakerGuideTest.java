package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.node.Node;
import io.meridian.node.NodeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/market-makers.md's loops run as written, each against a real node in auth mode signed: the curl script
 * ({@code docs/examples/market-maker.sh}), the JavaScript one ({@code client/interop/market-maker.mjs}, ethers and
 * ws) and the Java one ({@link MarketMakerLoop}). For each, a funded owner approves an agent key, the loop quotes, a
 * taker here fills part of its ask, and the test checks what the loop printed against the node: its fill, its moved
 * quotes, its history, and no order left open. The guide's code blocks must be the files' text, so the guide cannot
 * drift from code that runs. {@code -Dguide.seed=N} replays a seed (printed).
 */
class MarketMakerGuideTest {
    private static final long SEED = Long.getLong("guide.seed", System.nanoTime());
    private static final long SCRIPT_TIMEOUT_SECONDS = 90;
    /** PKCS#8 DER of an Ed25519 private key (RFC 8410) before its 32-byte seed: what openssl reads from a PEM. */
    private static final String ED25519_PKCS8_PREFIX = "302e020100300506032b657004220420";

    private static Path data;
    private static Node node;
    private static String base;
    private static Eip712Domain domain;
    private static SecureRandom random;

    @BeforeAll
    static void start() throws Exception {
        System.out.println("MarketMakerGuideTest seed=" + SEED + " (rerun with -Dguide.seed=" + SEED + ")");
        random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SEED);
        data = Files.createTempDirectory("guide");
        NodeConfig d = NodeConfig.defaults();
        node = Node.start(new NodeConfig(data.resolve("journal").toString(), "127.0.0.1", 0, "group_commit", 0, 65_536,
                true, d.assets(), d.operatorMarkedInstruments(), 1_000, 50_000, NodeConfig.Auth.signed()));
        base = "http://127.0.0.1:" + node.httpPort();
        domain = new MeridianClient(base).domain();
    }

    @AfterAll
    static void stop() throws IOException {
        if (node != null) {
            node.close();
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A funded owner who approved a new agent key; a funded taker. */
    private record Maker(byte[] ownerKey, byte[] agentSeed, MeridianClient taker) {
        Secp256k1PrivateKey owner() {
            return Secp256k1PrivateKey.of(ownerKey);
        }

        AgentSigner agent() {
            return AgentSigner.of(agentSeed);
        }
    }

    private static Maker newMaker() {
        return newMaker(true);
    }

    private static Maker newMaker(boolean approveAgent) {
        byte[] ownerKey = new byte[32];
        random.nextBytes(ownerKey);
        Secp256k1PrivateKey owner = Secp256k1PrivateKey.of(ownerKey);
        Secp256k1PrivateKey takerKey = Secp256k1PrivateKey.random(random);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        MeridianClient anonymous = new MeridianClient(base);
        anonymous.devDeposit(owner.address(), 0, "100000");
        anonymous.devDeposit(takerKey.address(), 0, "100000");
        if (approveAgent) {
            // The one message the owner's wallet signs: the agent's approval.
            anonymous.signedBy(Signer.owner(owner, domain)).approveAgent(AgentSigner.of(seed), "quoter",
                    System.currentTimeMillis() + 3_600_000);
        }
        return new Maker(ownerKey, seed, anonymous.signedBy(Signer.owner(takerKey, domain)));
    }

    /**
     * While the loop runs: once the owner has an ask resting, the taker buys part of it (a market order for less than
     * the ask's size, so the ask stays open and is amended next).
     */
    private static Thread takerOnceQuoted(Maker maker) {
        Thread taker = new Thread(() -> {
            MeridianClient reader = new MeridianClient(base).signedBy(Signer.owner(maker.owner(), domain));
            long deadline = System.currentTimeMillis() + SCRIPT_TIMEOUT_SECONDS * 1000;
            while (System.currentTimeMillis() < deadline) {
                JsonNode open = reader.send("GET", "/v1/orders?address=" + maker.owner().address().toChecksumHex(), null);
                for (JsonNode o : open) {
                    if (o.get("side").asText().equals("sell")) {
                        maker.taker().place(MeridianClient.Order.market(0, 1, "buy", "0.004"));
                        return;
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "guide-taker");
        taker.setDaemon(true);
        taker.start();
        return taker;
    }

    @Test
    void curlLoop() throws Exception {
        Maker maker = newMaker();
        Path pem = data.resolve("agent.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(
                HexFormat.of().parseHex(ED25519_PKCS8_PREFIX + HexFormat.of().formatHex(maker.agentSeed())))
                + "\n-----END PRIVATE KEY-----\n");
        Thread taker = takerOnceQuoted(maker);
        String out = run(List.of("bash", repo().resolve("docs/examples/market-maker.sh").toString()), repo(), Map.of(
                "MERIDIAN_URL", base,
                "MERIDIAN_ADDRESS", maker.owner().address().toChecksumHex(),
                "MERIDIAN_AGENT_PEM", pem.toString()));
        taker.join(10_000);
        assertTrue(out.matches("(?s).*quoted bid=\\d+ ask=\\d+ around 50000.*"), out);
        assertTrue(out.contains("filled: {"), out);
        assertTrue(out.contains("moved buy to 49997.9") && out.contains("moved sell to 50002.1"), out);
        assertTrue(number(out, "fills: (\\d+)") >= 1, out);
        assertTrue(number(out, "orders: (\\d+)") >= 2, out);
        assertEquals(0, number(out, "open after cancel-all: (\\d+)"), out);
        assertEquals(0, openOrders(maker));
    }

    @Test
    void javaLoop() throws Exception {
        Maker maker = newMaker();
        Thread taker = takerOnceQuoted(maker);
        List<String> log = new ArrayList<>();
        MarketMakerLoop.Result result = MarketMakerLoop.run(base, maker.owner().address(), maker.agent(), "BTC-PERP", 3,
                line -> {
                    System.out.println("java loop: " + line);
                    log.add(line);
                });
        taker.join(10_000);
        assertEquals(List.of("round 1: bid 49998.0 ask 50002.0"), log.subList(0, 1), log.toString());
        assertTrue(log.get(1).startsWith("fill: sell 0.004 at 50002"), log.toString());
        assertEquals("round 3: bid 49997.8 ask 50002.2", log.get(3), log.toString());
        assertTrue(result.streamedFills() >= 1 && result.historyFills() >= result.streamedFills(), result.toString());
        assertEquals(6, result.historyOrders(), "three rounds of two quotes: " + result);
        assertEquals(0, result.openAtEnd());
        assertEquals(0, openOrders(maker));
    }

    @Test
    void javaScriptLoop() throws Exception {
        Maker maker = newMaker(false);   // the script approves its agent with the owner's wallet (ethers)
        Thread taker = takerOnceQuoted(maker);
        Path interop = repo().resolve("client/interop");
        if (!Files.isDirectory(interop.resolve("node_modules/ethers"))) {
            fail("ethers is not installed in client/interop: the client module's build runs interop/build.sh");
        }
        String out = run(List.of("node", "market-maker.mjs"), interop, Map.of(
                "MERIDIAN_URL", base,
                "MERIDIAN_OWNER_KEY", HexFormat.of().formatHex(maker.ownerKey()),
                "MERIDIAN_AGENT_SEED", HexFormat.of().formatHex(maker.agentSeed())));
        taker.join(10_000);
        JsonNode summary = MeridianClient.JSON.readTree(out);
        assertTrue(summary.get("streamedFills").asInt() >= 1, out);
        assertTrue(summary.get("historyFills").asInt() >= summary.get("streamedFills").asInt(), out);
        assertEquals(6, summary.get("historyOrders").asInt(), "three rounds of two quotes: " + out);
        assertEquals(0, summary.get("openAtEnd").asInt());
        assertEquals(0, openOrders(maker));
    }

    /** Every code block of the guide marked {@code <!-- from PATH -->} is a run of lines of that file, as they are. */
    @Test
    void theGuideShowsTheProgramsAsTheyAre() throws IOException {
        List<String> guide = Files.readAllLines(repo().resolve("docs/market-makers.md"));
        int blocks = 0;
        for (int i = 0; i < guide.size(); i++) {
            Matcher from = Pattern.compile("^<!-- from (\\S+) -->$").matcher(guide.get(i));
            if (!from.matches()) {
                continue;
            }
            assertTrue(guide.get(i + 1).startsWith("```"), "a code block follows line " + (i + 1));
            int end = i + 2;
            while (!guide.get(end).equals("```")) {
                end++;
            }
            List<String> block = guide.subList(i + 2, end);
            List<String> file = Files.readAllLines(repo().resolve(from.group(1)));
            assertTrue(java.util.Collections.indexOfSubList(file, block) >= 0, "docs/market-makers.md line " + (i + 3)
                    + ": the block is not " + from.group(1) + "'s text:\n" + String.join("\n", block));
            blocks++;
        }
        assertTrue(blocks >= 8, "the guide shows each program: " + blocks + " blocks");
    }

    private static int openOrders(Maker maker) {
        return new MeridianClient(base).signedBy(Signer.owner(maker.owner(), domain))
                .send("GET", "/v1/orders?address=" + maker.owner().address().toChecksumHex(), null).size();
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            fail("no '" + regex + "' in:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** Runs {@code command} in {@code dir} with {@code env}; its standard output (the test fails on a non-zero exit). */
    static String run(List<String> command, Path dir, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile(data, "out", ".txt");
        Path err = Files.createTempFile(data, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean done = process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        String log = Files.readString(err, StandardCharsets.UTF_8);
        System.out.print(String.join(" ", command) + ":\n" + output + log);
        assertTrue(done, "finished within " + SCRIPT_TIMEOUT_SECONDS + " s");
        assertEquals(0, process.exitValue(), "failed:\n" + output + log);
        return output;
    }

    /** The repository's root, from the module's directory or the root itself. */
    static Path repo() {
        for (Path candidate : List.of(Path.of(".."), Path.of("."))) {
            if (Files.isRegularFile(candidate.resolve("docs/examples/market-maker.sh"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("docs/examples/market-maker.sh not found from " + Path.of("").toAbsolutePath());
    }
}
