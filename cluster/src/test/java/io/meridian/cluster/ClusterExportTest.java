package io.meridian.cluster;

import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.CommandCodec;
import io.meridian.journal.EngineSettings;
import io.meridian.journal.JournalVerifier;
import io.meridian.journal.Replay;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import io.meridian.model.TimeInForce;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.meridian.cluster.Checkpoints.hashOf;
import static io.meridian.cluster.Checkpoints.sequenceOf;
import static io.meridian.cluster.Checkpoints.stateOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClusterExport} on a real cluster: three members (in this process, ticks every 50 ms) take setup commands,
 * orders by account and orders signed by owners and their agents, a bare client's duplicate, out-of-order, malformed,
 * too short and feed-subscription messages, a snapshot request, a checkpoint, then the leader is stopped while orders
 * flow, comes back and catches up, and a second checkpoint. Every member is stopped; the logs of members 0 and 2 are
 * exported, and each journal replays (the journal module's {@link Replay}) to the members' state hash and sequence at
 * both checkpoints, verifies ({@link JournalVerifier}), and agrees with the other member's export.
 */
class ClusterExportTest {
    private static final List<String> HOSTS = List.of("localhost", "localhost", "localhost");
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Eip712Domain DOMAIN = MeridianTypes.devDomain();
    private static final long RAW_CLIENT = 9_001;

    @TempDir
    Path temp;

    private final ClusterNode[] members = new ClusterNode[3];

    @AfterEach
    void stop() {
        for (ClusterNode member : members) {
            if (member != null) {
                member.close();
            }
        }
    }

    @Test
    void exportedLogsReplayToTheMembersCheckpointsAcrossALeaderChange() throws Exception {
        long seed = Long.getLong("cluster.seed", System.nanoTime() % 1000);
        SplittableRandom random = new SplittableRandom(seed);
        // Bases stay below 32,768, where Linux's ephemeral ports begin: a fixed port among those can be taken.
        int portBase = 20_270 + random.nextInt(0, 22) * 500;
        System.out.println("ClusterExportTest seed=" + seed + " portBase=" + portBase);
        for (int id = 0; id < 3; id++) {
            startMember(id, portBase);
        }
        String endpoints = ClusterNode.ingressEndpoints(HOSTS, portBase);
        String first;
        String second;
        try (ClusterClient client = new ClusterClient(501, endpoints, temp.resolve("client").toFile(),
                (clientSequence, engineSequence, status) -> { }, TimeUnit.SECONDS.toNanos(60))) {
            SignedFlow signed = new SignedFlow(System.currentTimeMillis());
            setup(client, signed);
            flow(client, random, signed, 150);
            rawMessages(endpoints);
            long[] requested = {0};
            await("a snapshot request sent", () -> client.requestSnapshot(++requested[0]), client);
            flow(client, random, signed, 50);
            first = checkpoint(client, 1);
            System.out.println("checkpoint 1: " + first.trim());

            int leader = client.leaderMemberId();
            members[leader].close();
            members[leader] = null;
            System.out.println("stopped leader " + leader);
            flow(client, random, signed, 150);
            startMember(leader, portBase);
            flow(client, random, signed, 50);
            // A quiet while: the cluster ticks with no command coming in.
            long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            await("a quiet half second", () -> System.nanoTime() > quietUntil, client);
            second = checkpoint(client, 2);
            System.out.println("checkpoint 2: " + second.trim());
        }
        ClusterExport.ExportException running = assertThrows(ClusterExport.ExportException.class,
                () -> ClusterExport.export(temp.resolve("node-1"), temp.resolve("refused")));
        assertTrue(running.getMessage().contains("is running"), running.getMessage());
        for (int id = 0; id < 3; id++) {
            members[id].close();
            members[id] = null;
        }

        ClusterExport.Result[] results = new ClusterExport.Result[3];
        for (int id : new int[] {0, 2}) {
            Path out = temp.resolve("export-" + id);
            ClusterExport.Result result = ClusterExport.export(temp.resolve("node-" + id), out);
            results[id] = result;
            System.out.println("member " + id + ": " + result);
            assertFalse(result.fromSnapshot(), "the whole log is there");
            assertEquals(0, result.recordingStart());
            assertEquals(1, result.firstSequence());
            assertEquals(result.lastSequence(), result.commands(), "one record per sequence");
            assertTrue(result.timerEvents() >= 5, "ticks: " + result.timerEvents());
            assertTrue(result.leadershipTerms() >= 2, "terms: " + result.leadershipTerms());
            // Session messages that were not commands: 2 checkpoints, 1 feed subscription, 1 duplicate, 1 out of
            // order, 3 malformed, 1 too short (and the client's resends around the leader change).
            long commandsApplied = result.commands() - result.timerEvents();
            assertTrue(result.sessionMessages() - commandsApplied >= 9, result.sessionMessages() + " session messages, "
                    + commandsApplied + " commands");
            assertEquals(List.of(1L, 2L), result.checkpoints().stream().map(ClusterExport.Checkpoint::id).toList());
            for (ClusterExport.Checkpoint checkpoint : result.checkpoints()) {
                assertNotNull(checkpoint.memberFile(), "member " + id + " wrote checkpoint " + checkpoint.id());
                assertTrue(checkpoint.agrees(), checkpoint.toString());
            }
            assertEquals(hashOf(first), replayTo(out, sequenceOf(first)), "member " + id + " at checkpoint 1");
            assertEquals(hashOf(second), replayTo(out, sequenceOf(second)), "member " + id + " at checkpoint 2");
            assertEquals(result.stateHash(), replayTo(out, Long.MAX_VALUE), "member " + id + " at the end");
            JournalVerifier.Result verified = JournalVerifier.verify(out, null, new JournalVerifier.Listener() { });
            assertTrue(verified.ok(), verified.failure());
            assertEquals(result.commands(), verified.records());
            ClusterExport.ExportException notEmpty = assertThrows(ClusterExport.ExportException.class,
                    () -> ClusterExport.export(temp.resolve("node-" + id), out));
            assertTrue(notEmpty.getMessage().contains("is not empty"), notEmpty.getMessage());
        }
        long common = Math.min(results[0].lastSequence(), results[2].lastSequence());
        assertTrue(common >= sequenceOf(second));
        assertEquals(replayTo(temp.resolve("export-0"), common), replayTo(temp.resolve("export-2"), common),
                "the two members' exports agree up to sequence " + common);
    }

    /** The state hash of the exported journal replayed under its pinned settings up to {@code sequence}. */
    private static String replayTo(Path journal, long sequence) {
        Engine engine = new Engine(new EngineEvents() { }, EngineSettings.read(journal));
        Replay.Result result = Replay.replay(journal, engine, sequence);
        if (sequence != Long.MAX_VALUE) {
            assertEquals(sequence, result.lastSequence(), "replayed to " + sequence);
        }
        return StateHasher.hex(engine.stateHash());
    }

    /** Two owners, each with an approved agent: orders are signed by one or the other. */
    private static final class SignedFlow {
        final List<Secp256k1PrivateKey> owners = new ArrayList<>();
        final List<AgentSigner> agents = new ArrayList<>();
        long nonce;

        SignedFlow(long nowMillis) {
            nonce = nowMillis;
            for (int i = 0; i < 2; i++) {
                byte[] seedBytes = new byte[32];
                Arrays.fill(seedBytes, (byte) (i + 11));
                owners.add(Secp256k1PrivateKey.of(seedBytes));
                agents.add(AgentSigner.of(Arrays.copyOf(seedBytes, 32)));
            }
        }
    }

    private static void setup(ClusterClient client, SignedFlow signed) throws InterruptedException {
        TestVenue.list(client::send);
        Command c = new Command();
        for (long account = 1; account <= 6; account++) {
            client.send(c.reset().deposit(account, 0, 1_000_000_000_000L));
        }
        for (int i = 0; i < signed.owners.size(); i++) {
            Command deposit = new Command().deposit(0, 0, 1_000_000_000_000L);
            deposit.address = signed.owners.get(i).address().toBytes();
            client.send(deposit);
            Command approve = new Command().reset();
            approve.type = CommandType.APPROVE_AGENT;
            approve.agentKey = signed.agents.get(i).publicKey().toBytes();
            approve.agentName = "bot-" + i;
            approve.nonce = signed.nonce++;
            approve.validUntil = signed.nonce + 86_400_000L;
            client.send(SignedCommands.signAsOwner(approve, DOMAIN, signed.owners.get(i)));
        }
        await("the setup acknowledged", () -> client.pending() == 0, client);
    }

    /** {@code count} orders and cancels by account, with every fifth order signed by an owner or its agent. */
    private static void flow(ClusterClient client, SplittableRandom random, SignedFlow signed, int count)
            throws InterruptedException {
        Command c = new Command();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int i = 0; i < count; i++) {
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long price = 500_000 + (side == Side.BUY ? -1 : 1) * random.nextInt(0, 50) - (side == Side.BUY ? 0 : 20);
            c.reset();
            if (i % 5 == 4) {
                int who = random.nextInt(signed.owners.size());
                c.limit(0, 1, 0, side, price, 1 + random.nextInt(20), TimeInForce.GTC);
                c.nonce = signed.nonce++;
                client.send(random.nextBoolean() ? SignedCommands.signAsOwner(c, DOMAIN, signed.owners.get(who))
                        : SignedCommands.signAsAgent(c, DOMAIN, signed.owners.get(who).address(),
                        signed.agents.get(who)));
            } else if (random.nextInt(10) < 2) {
                client.send(c.cancel(1 + random.nextInt(6), 1, 1 + random.nextLong(2_000)));
            } else {
                client.send(c.limit(1 + random.nextInt(6), 1, 0, side, price, 1 + random.nextInt(20), TimeInForce.GTC));
            }
            while (client.pending() > 32) {
                assertTrue(System.nanoTime() < deadline, "the flow stalled");
                client.poll();
            }
        }
        await("the flow acknowledged", () -> client.pending() == 0, client);
    }

    /**
     * A bare client's messages: applied, duplicate, out of order, malformed (unknown kind, undecodable command, a
     * checkpoint of the wrong length), a feed subscription, one too short to carry a client id, applied again.
     */
    private void rawMessages(String endpoints) throws InterruptedException {
        CommandCodec codec = new CommandCodec();
        ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(256);
        int length = codec.encode(new Command().deposit(7, 0, 5_000_000), encoded, 0, CommandCodec.MAX_PAYLOAD);
        byte[] deposit = Arrays.copyOf(encoded.byteArray(), length);
        try (RawIngress raw = new RawIngress(endpoints, temp.resolve("raw").toFile())) {
            raw.send(ClusterProtocol.COMMAND, RAW_CLIENT, 1, deposit);
            raw.send(ClusterProtocol.COMMAND, RAW_CLIENT, 1, deposit);
            raw.send(ClusterProtocol.COMMAND, RAW_CLIENT, 3, deposit);
            raw.send((byte) 9, RAW_CLIENT, 2, new byte[8]);
            raw.send(ClusterProtocol.COMMAND, RAW_CLIENT, 3, new byte[] {99, 1, 2});
            raw.send(ClusterProtocol.FEED_SUBSCRIBE, RAW_CLIENT, 4, new byte[8]);
            raw.send(ClusterProtocol.CHECKPOINT, RAW_CLIENT, 5, new byte[4]);
            raw.sendBytes(10);
            raw.send(ClusterProtocol.COMMAND, RAW_CLIENT, 6, deposit);
            raw.awaitAcks(8);
            assertEquals(List.of(ClusterProtocol.STATUS_APPLIED, ClusterProtocol.STATUS_DUPLICATE,
                            ClusterProtocol.STATUS_OUT_OF_ORDER, ClusterProtocol.STATUS_MALFORMED,
                            ClusterProtocol.STATUS_MALFORMED, ClusterProtocol.STATUS_APPLIED,
                            ClusterProtocol.STATUS_MALFORMED, ClusterProtocol.STATUS_APPLIED),
                    raw.acks.stream().map(RawIngress.Ack::status).toList(), raw.acks.toString());
        }
    }

    /** Sends checkpoint {@code id}, waits for every running member's file, checks they agree; the line. */
    private String checkpoint(ClusterClient client, long id) throws Exception {
        client.checkpoint(id);
        await("checkpoint " + id + " acknowledged", () -> client.pending() == 0, client);
        String line = null;
        for (int member = 0; member < 3; member++) {
            String text = Checkpoints.await(temp.resolve("node-" + member), id);
            if (line == null) {
                line = text;
            }
            assertEquals(stateOf(line), stateOf(text), "member " + member + " at checkpoint " + id);
        }
        return line;
    }

    private void startMember(int id, int portBase) {
        members[id] = ClusterNode.start(id, HOSTS, portBase, temp.resolve("node-" + id), EngineConfig.defaults(),
                TICK_NANOS);
    }

    private static void await(String what, BooleanSupplier done, ClusterClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            if (client.poll() == 0) {
                Thread.sleep(1);
            }
        }
    }
}
