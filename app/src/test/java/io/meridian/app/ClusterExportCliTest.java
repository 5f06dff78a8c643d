package io.meridian.app;

import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.cluster.ClusterClient;
import io.meridian.cluster.ClusterNode;
import io.meridian.engine.EngineConfig;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meridian cluster-export}, {@code meridian replay} and {@code meridian verify --signatures} agree on a cluster
 * member's log: a one-member cluster (in this process, ticking every 50 ms) takes an operator's setup, deposits to two
 * addresses, their agent approvals and orders signed by the owners and the agents, and a checkpoint; the stopped
 * member's export prints the checkpoint as the member wrote it, replay of the export reaches the export's state hash
 * (and the checkpoint's, up to its sequence), and verify proves every signature. Refusals and usage too.
 */
class ClusterExportCliTest {
    private static final Eip712Domain DOMAIN = MeridianTypes.devDomain();
    private static final int SIGNED_ORDERS = 40;
    private static final Pattern CHECKPOINT = Pattern.compile("sequence=(\\d+) state_hash=([0-9a-f]{16})");

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private ClusterNode member;

    @AfterEach
    void stop() {
        if (member != null) {
            member.close();
        }
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String lastLine() {
        List<String> lines = text().lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void exportReplayAndVerifyAgreeOnAMembersLog() throws Exception {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        SplittableRandom random = new SplittableRandom(seed);
        int portBase = 20_260 + random.nextInt(0, 60) * 500;
        System.out.println("ClusterExportCliTest seed=" + seed + " portBase=" + portBase);
        Path memberDir = temp.resolve("member-0");
        List<String> hosts = List.of("localhost");
        member = ClusterNode.start(0, hosts, portBase, memberDir, EngineConfig.defaults(),
                TimeUnit.MILLISECONDS.toNanos(50));
        try (ClusterClient client = new ClusterClient(701, ClusterNode.ingressEndpoints(hosts, portBase),
                temp.resolve("client").toFile(), (clientSequence, engineSequence, status) -> { },
                TimeUnit.SECONDS.toNanos(60))) {
            signedVenue(client, random);
            client.checkpoint(1);
            await(client);
        }
        Path checkpointFile = memberDir.resolve("checkpoint-1.txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(checkpointFile)) {
            assertTrue(System.nanoTime() < deadline, "the member wrote checkpoint 1");
            Thread.sleep(10);
        }
        Matcher checkpoint = CHECKPOINT.matcher(Files.readString(checkpointFile));
        assertTrue(checkpoint.find());
        String sequence = checkpoint.group(1);
        String hash = checkpoint.group(2);

        Path journal = temp.resolve("journal");
        assertEquals(1, run("cluster-export", "--dir", memberDir.toString(), "--out", journal.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is running"), err.toString(StandardCharsets.UTF_8));
        member.close();
        member = null;

        assertEquals(0, run("cluster-export", "--dir", memberDir.toString(), "--out", journal.toString()));
        System.out.print(text());
        assertTrue(text().contains("checkpoint 1: sequence=" + sequence + " state_hash=" + hash
                + " (as the member's file)"), text());
        assertTrue(text().contains("engine settings: the member's, pinned in engine-settings.txt"), text());
        assertTrue(text().contains("read: log positions 0.."), text());
        assertTrue(lastLine().matches("state_hash=[0-9a-f]{16} commands=\\d+"), lastLine());
        String exported = lastLine();
        long commands = Long.parseLong(exported.substring(exported.indexOf("commands=") + "commands=".length()));
        assertTrue(commands > Long.parseLong(sequence), "ticks after the checkpoint too: " + exported);

        assertEquals(0, run("replay", "--journal", journal.toString()));
        assertEquals(exported, lastLine(), text());
        assertEquals(0, run("replay", "--journal", journal.toString(), "--to", sequence));
        assertEquals("state_hash=" + hash + " commands=" + sequence, lastLine(), text());
        assertEquals(0, run("verify", "--journal", journal.toString(), "--signatures"));
        assertEquals("verify=ok records=" + commands + " last_sequence=" + commands + " signed="
                + (SIGNED_ORDERS + 2), lastLine(), text());

        // Refusals: an export that exists, a directory that is not a member's, and usage.
        assertEquals(1, run("cluster-export", "--dir", memberDir.toString(), "--out", journal.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not empty"), err.toString(StandardCharsets.UTF_8));
        assertEquals(1, run("cluster-export", "--dir", journal.toString(), "--out", temp.resolve("x").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a cluster member's directory"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("cluster-export", "--dir", memberDir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: meridian cluster-export"));
        assertEquals(2, run("cluster-export", "--out", temp.resolve("y").toString(), "--to", "3"));
        assertEquals(0, run("cluster-export", "--help"));
        assertTrue(text().startsWith("Usage: meridian cluster-export [-h] --dir=MEMBER_DIR --out=JOURNAL_DIR"), text());
        assertEquals(0, run("help"));
        assertTrue(text().contains("cluster-export  Write a stopped cluster member's recorded log as a journal"), text());
    }

    /** An operator's setup, two owners with deposits and approved agents, and orders each signed by one of them. */
    private static void signedVenue(ClusterClient client, SplittableRandom random) throws InterruptedException {
        Command c = new Command().reset();
        c.type = CommandType.ADD_ASSET;
        c.assetSpec = new AssetSpec(0, "USDC", 6);
        client.send(c);
        c.reset();
        c.type = CommandType.ADD_INSTRUMENT;
        c.instrumentSpec = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001").withPriceBandPpm(0);
        client.send(c);
        c.reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = 1;
        c.price = 500_000;
        client.send(c);
        long nonce = System.currentTimeMillis();
        Secp256k1PrivateKey[] owners = new Secp256k1PrivateKey[2];
        AgentSigner[] agents = new AgentSigner[2];
        for (int i = 0; i < 2; i++) {
            byte[] seedBytes = new byte[32];
            Arrays.fill(seedBytes, (byte) (i + 21));
            owners[i] = Secp256k1PrivateKey.of(seedBytes);
            agents[i] = AgentSigner.of(Arrays.copyOf(seedBytes, 32));
            Command deposit = new Command().deposit(0, 0, 1_000_000_000_000L);
            deposit.address = owners[i].address().toBytes();
            client.send(deposit);
            Command approve = new Command().reset();
            approve.type = CommandType.APPROVE_AGENT;
            approve.agentKey = agents[i].publicKey().toBytes();
            approve.agentName = "bot-" + i;
            approve.nonce = nonce++;
            approve.validUntil = nonce + 86_400_000L;
            client.send(SignedCommands.signAsOwner(approve, DOMAIN, owners[i]));
        }
        for (int i = 0; i < SIGNED_ORDERS; i++) {
            int who = random.nextInt(2);
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long price = 500_000 + (side == Side.BUY ? -1 : 1) * random.nextInt(0, 50) - (side == Side.BUY ? 0 : 20);
            Command order = new Command().limit(0, 1, 0, side, price, 1 + random.nextInt(20), TimeInForce.GTC);
            order.nonce = nonce++;
            client.send(random.nextBoolean() ? SignedCommands.signAsOwner(order, DOMAIN, owners[who])
                    : SignedCommands.signAsAgent(order, DOMAIN, owners[who].address(), agents[who]));
        }
        await(client);
    }

    private static void await(ClusterClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (client.pending() > 0) {
            assertTrue(System.nanoTime() < deadline, "acknowledgements");
            if (client.poll() == 0) {
                Thread.sleep(1);
            }
        }
    }

    @Test
    void aDirectoryThatIsNoMembersIsRefused() throws IOException {
        assertEquals(1, run("cluster-export", "--dir", temp.resolve("nothing").toString(), "--out",
                temp.resolve("out").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no member directory"));
        Files.createDirectories(temp.resolve("empty"));
        assertEquals(1, run("cluster-export", "--dir", temp.resolve("empty").toString(), "--out",
                temp.resolve("out").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a cluster member's directory"));
        assertTrue(Files.notExists(temp.resolve("out")), "nothing written");
    }
}
