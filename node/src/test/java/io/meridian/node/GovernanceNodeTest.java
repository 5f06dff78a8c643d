package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.journal.JournalReader;
import io.meridian.journal.JournalVerifier;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.RiskBounds;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Risk governance on a running node, end to end: the config's governance journaled at genesis (once), a proposal of
 * risk bounds by one admin and its approval by another over REST (signed, verified at the edge), the timelock, then
 * the index fed through the dev oracle on the node's own (test-set) clock until the engine estimates a realised
 * volatility, the node's volatility controller announcing a higher multiplier ({@code GET /v1/risk-parameters} shows
 * the next change, the WebSocket a {@code riskScale} message), the change in force after its notice, and the journal's
 * governance signatures proven by the verifier {@code meridian verify --signatures} runs. Also: refusals at the edge,
 * and a restart whose config names other governance refused.
 */
class GovernanceNodeTest extends NodeHttpTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private final Secp256k1PrivateKey[] admins = {key(1), key(2), key(3)};
    private final Secp256k1PrivateKey outsider = key(9);
    /** The node's clock: real time at the start (admins sign nonces from the wall clock), moved on by the test. */
    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis() * 1_000_000L);
    private final TextFrames frames = new TextFrames();
    private long nonce = System.currentTimeMillis();

    private static Secp256k1PrivateKey key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Secp256k1PrivateKey.of(bytes);
    }

    /** BTC-PERP priced from the index BTC-USD (one dev source), 3 admins, M = 2, a one-second timelock, a controller. */
    private NodeConfig config(int threshold) {
        NodeConfig d = config();
        List<NodeConfig.Instrument> instruments = List.of(new NodeConfig.Instrument(1, "BTC-PERP", "BTC", "USDC", "0.1",
                "0.001", "50000").pricedFrom(1));
        NodeConfig base = new NodeConfig(d.dataDir(), d.httpHost(), 0, d.durability(), d.snapshotEveryCommands(),
                d.maxBodyBytes(), true, d.assets(), instruments, d.ordersPerSecondPerAccount(),
                d.requestsPerSecondPerConnection(), d.auth(), false,
                new NodeConfig.Markets(List.of(new NodeConfig.Index(1, "BTC-USD", 2, List.of("a"))), List.of()));
        return base.withGovernance(new NodeConfig.Governance(Arrays.stream(admins)
                        .map(k -> k.address().toChecksumHex()).toList(), threshold, 1_000L),
                new NodeConfig.RiskController(true, "0.5", "0.05", 0L, 100L));
    }

    private String proposalBody(Secp256k1PrivateKey admin, RiskBounds b) {
        Command c = new Command().reset();
        c.type = CommandType.PROPOSE_RISK_BOUNDS;
        c.instrument = 1;
        c.riskBounds = b;
        c.nonce = ++nonce;
        SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), admin);
        return "{\"instrument\":1,\"floorPpm\":" + b.floorPpm() + ",\"ceilingPpm\":" + b.ceilingPpm()
                + ",\"maxChangePerHourPpm\":" + b.maxChangePerHourPpm() + ",\"hysteresisPpm\":" + b.hysteresisPpm()
                + ",\"noticeMillis\":" + b.noticeMillis() + signature(c);
    }

    private String voteBody(Secp256k1PrivateKey admin, CommandType type, long id) {
        Command c = new Command().reset();
        c.type = type;
        c.proposalId = id;
        c.nonce = ++nonce;
        SignedCommands.signAsOwner(c, MeridianTypes.devDomain(), admin);
        return "{" + signature(c).substring(1);
    }

    private static String signature(Command c) {
        return ",\"address\":\"" + Hex.encode0x(c.address) + "\",\"nonce\":" + c.nonce + ",\"signature\":\""
                + Hex.encode0x(c.signature) + "\"}";
    }

    /** Bounds 1x .. 3x, 2x an hour, 0.1x hysteresis, a minute's notice. */
    private static final RiskBounds BOUNDS = new RiskBounds(1_000_000, 3_000_000, 2_000_000, 100_000, 60_000);

    @Test
    void boundsByTwoOfThreeAdminsThenTheControllerFollowsVolatility() throws Exception {
        try (Node node = Node.start(config(2), failure -> { }, clock::get)) {
            base = "http://127.0.0.1:" + node.httpPort();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort()
                    + "/ws"), frames).join();
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"book\",\"instrument\":1,\"depth\":1}", true).join();
            JsonNode governance = ok("/v1/governance");
            assertEquals(3, governance.get("admins").size(), governance.toString());
            assertEquals(admins[0].address().toChecksumHex(), governance.get("admins").get(0).asText());
            assertEquals(2, governance.get("threshold").asInt());
            assertEquals(1_000, governance.get("timelockMillis").asLong());
            JsonNode before = ok("/v1/risk-parameters?instrument=1").get(0);
            assertEquals("1", before.get("multiplier").asText(), before.toString());
            assertTrue(before.get("bounds").isNull() && before.get("next").isNull(), before.toString());
            BigDecimal listedImr = new BigDecimal(before.get("tiers").get(0).get("initialMarginRate").asText());

            // Refused at the edge: not an admin (the gateway's mirror knows the admins), bounds the engine would refuse.
            assertError(post("/v1/governance/proposals", proposalBody(outsider, BOUNDS)), 401, "NOT_AN_ADMIN");
            assertError(post("/v1/governance/proposals", proposalBody(admins[0],
                    new RiskBounds(50_000, 3_000_000, 1, 0, 0))), 400, "riskBounds: floor and ceiling");
            assertError(post("/v1/governance/proposals/1/approve", "{\"address\":\"0x12\"}"), 400,
                    "address, nonce and signature");

            long id = postOk("/v1/governance/proposals", proposalBody(admins[0], BOUNDS)).get("proposalId").asLong();
            JsonNode pending = ok("/v1/governance").get("proposals").get(0);
            assertEquals(id, pending.get("id").asLong());
            assertEquals("pending", pending.get("state").asText());
            assertEquals("3", pending.get("bounds").get("ceiling").asText(), pending.toString());
            assertTrue(pending.get("eta").isNull());
            awaitFrame(f -> f.contains("\"type\":\"proposal\"") && f.contains("\"pending\""));
            // A second proposal, vetoed by one admin: any one admin can stop a change.
            long vetoed = postOk("/v1/governance/proposals", proposalBody(admins[2], BOUNDS)).get("proposalId").asLong();
            postOk("/v1/governance/proposals/" + vetoed + "/cancel", voteBody(admins[1], CommandType.CANCEL_PROPOSAL,
                    vetoed));
            JsonNode approved = postOk("/v1/governance/proposals/" + id + "/approve",
                    voteBody(admins[1], CommandType.APPROVE_PROPOSAL, id));
            assertEquals("accepted", approved.get("status").asText());
            JsonNode queued = ok("/v1/governance").get("proposals");
            assertEquals(1, queued.size(), queued.toString());
            assertEquals("queued", queued.get(0).get("state").asText());
            assertEquals(2, queued.get(0).get("approvals").size());
            HttpResponse<String> again = post("/v1/governance/proposals/" + id + "/approve",
                    voteBody(admins[2], CommandType.APPROVE_PROPOSAL, id));
            assertEquals(422, again.statusCode(), again.body());
            assertTrue(again.body().contains("PROPOSAL_QUEUED"), again.body());

            // The timelock ends on the node's clock; the next tick puts the bounds in force.
            clock.addAndGet(2 * SECOND);
            JsonNode governed = await(() -> ok("/v1/risk-parameters?instrument=1").get(0),
                    p -> !p.get("bounds").isNull());
            assertEquals("3", governed.get("bounds").get("ceiling").asText(), governed.toString());
            assertEquals(0, ok("/v1/governance").get("proposals").size());

            // Eleven reports a minute apart, swinging 2% each time: the engine's one-minute samples see a storm.
            for (int i = 0; i <= 11; i++) {
                clock.addAndGet(MINUTE + SECOND);
                postOk("/v1/dev/oracle", "{\"index\":1,\"source\":0,\"price\":\"" + (i % 2 == 0 ? 50000 : 51000) + "\"}");
            }
            JsonNode announced = await(() -> ok("/v1/risk-parameters?instrument=1").get(0),
                    p -> !p.get("next").isNull());
            assertNotNull(announced.get("realisedVolatility").asText(), announced.toString());
            assertEquals("3", announced.get("next").get("multiplier").asText(), announced.toString());
            assertEquals("1", announced.get("multiplier").asText());
            long at = announced.get("next").get("atNanos").asLong();
            assertEquals(at / 1_000_000, announced.get("next").get("at").asLong(), "milliseconds: " + announced);
            assertTrue(at - clock.get() >= MINUTE, "announced at least the notice ahead: " + announced);
            JsonNode scheduled = JSON.readTree(awaitFrame(f -> f.contains("\"type\":\"riskScale\"")));
            assertEquals("scheduled", scheduled.get("status").asText(), scheduled.toString());
            assertEquals(String.valueOf(at), scheduled.get("effectiveAtNanos").asText(), scheduled.toString());
            assertEquals(at / 1_000_000, scheduled.get("effectiveAt").asLong(), "milliseconds: " + scheduled);

            clock.set(at + SECOND);
            JsonNode inForce = await(() -> ok("/v1/risk-parameters?instrument=1").get(0),
                    p -> p.get("multiplier").asText().equals("3"));
            assertEquals(at, inForce.get("changedAtNanos").asLong());
            assertTrue(inForce.get("next").isNull(), inForce.toString());
            assertEquals(0, listedImr.multiply(BigDecimal.valueOf(3)).compareTo(
                    new BigDecimal(inForce.get("tiers").get(0).get("initialMarginRate").asText())), inForce.toString());
            JsonNode applied = JSON.readTree(awaitFrame(f -> f.contains("\"status\":\"applied\"")));
            assertEquals("3", applied.get("multiplier").asText(), applied.toString());
            JsonNode health = ok("/health").get("riskController");
            assertEquals(1, health.get("accepted").asLong(), health.toString());
            assertEquals(0, health.get("refused").asLong(), health.toString());
            socket.abort();
        }
        Path journal = Path.of(config().dataDir());
        assertEquals(List.of(CommandType.SET_GOVERNANCE, CommandType.SET_RISK_SCALE), journaled(journal));
        JournalVerifier.Result verified = JournalVerifier.verify(journal, MeridianTypes.devDomain(),
                JournalVerifier.Listener.NONE);
        assertTrue(verified.ok(), String.valueOf(verified.failure()));
        // Two proposals, a veto, an approval and the approval the engine refused (queued already; journaled, as every
        // sequenced command is): every governance signature proven from the journal alone.
        assertEquals(5, verified.signed());

        // Governance lives in the journal: a restart with the same config journals it no more; with another it stops.
        try (Node node = Node.start(config(2), failure -> { }, clock::get)) {
            assertEquals(2, node.engine().query(e -> e.view().governance().threshold()).get());
        }
        assertEquals(1, journaled(journal).stream().filter(t -> t == CommandType.SET_GOVERNANCE).count());
        IllegalStateException changed = assertThrows(IllegalStateException.class,
                () -> Node.start(config(3), failure -> { }, clock::get));
        assertTrue(changed.getMessage().contains("changing it is not supported yet"), changed.getMessage());
    }

    /** The operator commands of governance in the journal, in order: genesis and the controller's changes. */
    private static List<CommandType> journaled(Path journal) {
        List<CommandType> found = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal)) {
            Command c = new Command();
            while (reader.next()) {
                CommandType type = reader.decode(c).type;
                if (type == CommandType.SET_GOVERNANCE || type == CommandType.SET_RISK_SCALE) {
                    found.add(type);
                }
            }
        }
        return found;
    }

    private interface Read {
        JsonNode get() throws Exception;
    }

    private static JsonNode await(Read read, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        JsonNode last = read.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = read.get();
        }
        assertTrue(done.test(last), "not reached: " + last);
        return last;
    }

    private String awaitFrame(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            String frame = frames.frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no such WebSocket message");
    }
}
