package io.meridian.journal;

import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.FeedSignatures;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.auth.SignedCommands;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signed requests through the journal: they survive the codec, a snapshot carries the accounts, approvals and nonces
 * (a loaded engine continues like the saved one), and the verifier's signature audit ({@code meridian verify
 * --signatures}) proves a signed journal and finds a tampered or operator-made request.
 */
class SignedJournalTest {
    private static final long NOW_MS = 1_795_564_800_000L;
    private static final Eip712Domain DOMAIN = MeridianTypes.devDomain();
    private static final long USD = 1_000_000;

    @TempDir
    Path dir;

    /** The signature audit's summary of the last {@link #verify}. */
    private String summary = "";

    /** Setup by the operator, deposits to 4 addresses, an agent approval each, then signed orders and cancels. */
    private static List<Command> signedFlow(long seed, int orders) {
        return signedFlow(seed, orders, false);
    }

    /** As above; with {@code textIds}, every other order's client order id is given as text (its key signed). */
    private static List<Command> signedFlow(long seed, int orders, boolean textIds) {
        SplittableRandom random = new SplittableRandom(seed);
        System.out.println("SignedJournalTest seed=" + seed);
        List<Command> commands = new ArrayList<>();
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(0, "USDC", 6);
        commands.add(asset);
        Command instrument = new Command().reset();
        instrument.type = CommandType.ADD_INSTRUMENT;
        instrument.instrumentSpec = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(0);
        commands.add(instrument);
        List<Secp256k1PrivateKey> owners = new ArrayList<>();
        List<AgentSigner> agents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] seedBytes = new byte[32];
            Arrays.fill(seedBytes, (byte) (i + 1));
            Secp256k1PrivateKey owner = Secp256k1PrivateKey.of(seedBytes);
            AgentSigner agent = AgentSigner.of(Arrays.copyOf(seedBytes, 32));
            owners.add(owner);
            agents.add(agent);
            Command deposit = new Command().deposit(0, 0, 1_000_000 * USD);
            deposit.address = owner.address().toBytes();
            commands.add(deposit);
            Command approve = new Command().reset();
            approve.type = CommandType.APPROVE_AGENT;
            approve.agentKey = agent.publicKey().toBytes();
            approve.agentName = "bot-" + i;
            approve.nonce = NOW_MS;
            approve.validUntil = NOW_MS + 86_400_000L;
            commands.add(SignedCommands.signAsOwner(approve, DOMAIN, owner));
        }
        // Owner 0 logs in; its next orders are made in the session (sessionId = the login's sequence, set below).
        Command login = new Command().reset();
        login.type = CommandType.OPEN_SESSION;
        login.nonce = NOW_MS + 1;
        login.validUntil = NOW_MS + 3_600_000L;
        commands.add(SignedCommands.signAsOwner(login, DOMAIN, owners.get(0)));
        int loginIndex = commands.size() - 1;
        for (int i = 0; i < 5; i++) {
            Command order = new Command().limit(0, 1, 0, Side.BUY, 400_000 + i, 1, TimeInForce.GTC);
            order.address = owners.get(0).address().toBytes();
            order.sessionId = -1;
            commands.add(order);
        }
        for (int i = 0; i < orders; i++) {
            int who = random.nextInt(4);
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long price = 500_000 + (side == Side.BUY ? -1 : 1) * random.nextInt(0, 50) - (side == Side.BUY ? 0 : 20);
            Command order = new Command().limit(0, 1, 0, side, price, 1 + random.nextInt(20), TimeInForce.GTC);
            order.nonce = NOW_MS + 2 + i;
            order.clientOrderId = i + 1;
            if (textIds && i % 2 == 0) {
                order.clientOrderText = new java.util.UUID(seed, i).toString();
                order.clientOrderId = io.meridian.auth.ClientOrderIds.key(order.clientOrderText);
            }
            commands.add(random.nextBoolean()
                    ? SignedCommands.signAsOwner(order, DOMAIN, owners.get(who))
                    : SignedCommands.signAsAgent(order, DOMAIN, owners.get(who).address(), agents.get(who)));
        }
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            c.sequence = i + 1;
            c.timestamp = (NOW_MS + i) * 1_000_000L;
            if (c.type == CommandType.PLACE_ORDER) {
                c.orderId = c.sequence;
            }
            if (c.sessionId == -1) {
                c.sessionId = loginIndex + 1;
            }
        }
        return commands;
    }

    private void write(List<Command> commands) {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.defaults())) {
            for (Command c : commands) {
                writer.append(c);
            }
            writer.commit();
        }
    }

    /** Verifies the journal in {@code journal}, proving signatures under {@code domain} (null: records only). */
    private JournalVerifier.Result verify(Path journal, Eip712Domain domain) {
        summary = "";
        return JournalVerifier.verify(journal, domain, new JournalVerifier.Listener() {
            @Override
            public void signatures(String text) {
                summary = text;
            }
        });
    }

    @Test
    void aSignedJournalIsProvenAndATamperedOrOperatorRequestIsFound() {
        List<Command> commands = signedFlow(5, 300);
        write(commands);
        int records = commands.size();
        assertEquals(new JournalVerifier.Result(null, records, records, 305), verify(dir, DOMAIN));
        assertTrue(summary.contains("4 agent approvals or revocations, 1 session logins); 5 made in signed sessions"),
                summary);
        Eip712Domain otherChain = MeridianTypes.domain(1, Address.parseOrThrow(MeridianTypes.DEV_VERIFYING_CONTRACT));
        assertFalse(verify(dir, otherChain).ok(), "signatures for the development domain do not prove requests on another"
                + " chain");

        // One order's quantity changed after signing: the journal still replays, but the proof fails at that record.
        Path tampered = dir.resolve("tampered");
        List<Command> altered = signedFlow(5, 300);
        altered.get(100).quantity += 1;
        Command operatorOrder = new Command().limit(1L << 32, 1, 0, Side.BUY, 499_000, 1, TimeInForce.GTC);
        operatorOrder.sequence = altered.size() + 1;
        operatorOrder.timestamp = altered.get(altered.size() - 1).timestamp;
        altered.add(operatorOrder);
        try (JournalWriter writer = JournalWriter.open(tampered, JournalConfig.defaults())) {
            altered.forEach(writer::append);
            writer.commit();
        }
        String failure = verify(tampered, DOMAIN).failure();
        assertTrue(failure.startsWith("signature of record 101 (PLACE_ORDER)"), failure);
        Path session = dir.resolve("session");
        // A request slipped into owner 0's session under another owner's address is not proven by that session.
        List<Command> foreign = signedFlow(5, 300);
        int at = 20;
        while (Arrays.equals(foreign.get(at).address, foreign.get(10).address)) {
            at++;
        }
        Command intruder = foreign.get(at);
        intruder.signature = null;
        intruder.agentKey = null;
        intruder.sessionId = foreign.get(10).sequence;
        try (JournalWriter writer = JournalWriter.open(session, JournalConfig.defaults())) {
            foreign.forEach(writer::append);
            writer.commit();
        }
        failure = verify(session, DOMAIN).failure();
        assertTrue(failure.startsWith("record " + (at + 1) + " (PLACE_ORDER) names session 11"), failure);
        Path operatorOnly = dir.resolve("operator");
        try (JournalWriter writer = JournalWriter.open(operatorOnly, JournalConfig.defaults())) {
            signedFlow(5, 300).forEach(writer::append);
            writer.append(operatorOrder);
            writer.commit();
        }
        assertEquals("1 request(s) carry no owner's signature (made by account id, first at sequence "
                + operatorOrder.sequence + ")", verify(operatorOnly, DOMAIN).failure());
        assertTrue(verify(operatorOnly, null).ok(), "without signatures only the records count");
    }

    @Test
    void clientOrderTextsAreProvenThroughTheirKeysAndAMismatchIsFound() {
        List<Command> commands = signedFlow(9, 60, true);
        write(commands);
        JournalVerifier.Result proven = verify(dir, DOMAIN);
        assertTrue(proven.ok(), proven.failure());
        assertTrue(summary.contains("client order id texts: 30 checked against their keys"), summary);

        // A text whose key is not the signed clientOrderId (a journal written by something else): the signature proves
        // the key, so the text it would echo is not proven; the audit names the record.
        Path other = dir.resolve("other-key");
        List<Command> altered = signedFlow(9, 60, true);
        int at = 0;
        while (altered.get(at).clientOrderText == null) {
            at++;
        }
        altered.get(at).clientOrderText = "not-" + altered.get(at).clientOrderText.substring(4);
        try (JournalWriter writer = JournalWriter.open(other, JournalConfig.defaults())) {
            altered.forEach(writer::append);
            writer.commit();
        }
        String failure = verify(other, DOMAIN).failure();
        assertTrue(failure.startsWith("record " + (at + 1) + " (PLACE_ORDER): the key of its client order id text"),
                failure);
        Path malformed = dir.resolve("malformed");
        List<Command> bad = signedFlow(9, 60, true);
        bad.get(at).clientOrderText = "has space";
        try (JournalWriter writer = JournalWriter.open(malformed, JournalConfig.defaults())) {
            bad.forEach(writer::append);
            writer.commit();
        }
        failure = verify(malformed, DOMAIN).failure();
        assertTrue(failure.startsWith("record " + (at + 1) + " (PLACE_ORDER) has a client order id text that character 4"
                + " is not allowed"), failure);
    }

    private static byte[] feedSeed(int b) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) b);
        return seed;
    }

    @Test
    void signedPriceReportsAreProvenAndATamperedOneIsFound() {
        AgentSigner feedA = AgentSigner.of(feedSeed(1));
        AgentSigner feedB = AgentSigner.of(feedSeed(2));
        List<Command> reports = new ArrayList<>();
        long t = NOW_MS * 1_000_000L;
        for (int i = 0; i < 6; i++) {
            Command c = new Command().oracleReport(0, i % 2, 6_000_000 + i, t + i);
            reports.add(FeedSignatures.signPriceReport(c, DOMAIN, i % 2 == 0 ? feedA : feedB));
        }
        reports.add(new Command().oracleReport(0, 0, 6_000_100, t + 10));
        for (int i = 0; i < reports.size(); i++) {
            reports.get(i).sequence = i + 1;
            reports.get(i).timestamp = t + i;
        }
        write(reports);
        JournalVerifier.Result proven = verify(dir, DOMAIN);
        assertTrue(proven.ok(), proven.failure());
        assertTrue(summary.contains("price reports: 6 signed by feed keys [0/0 " + feedA.publicKey().toHex() + ", 0/1 "
                + feedB.publicKey().toHex() + "], 1 unsigned"), summary);

        Path tampered = dir.resolve("tampered-report");
        reports.get(3).price += 100;
        try (JournalWriter writer = JournalWriter.open(tampered, JournalConfig.defaults())) {
            reports.forEach(writer::append);
            writer.commit();
        }
        assertEquals("price report 4 (index 0, source 1) is not signed by the key it names",
                verify(tampered, DOMAIN).failure());
    }

    @Test
    void snapshotsCarryAccountsApprovalsAndNonces() {
        List<Command> commands = signedFlow(9, 400);
        Engine saved = new Engine(new EngineEvents() { }, EngineConfig.defaults());
        int half = commands.size() / 2;
        List<Command> decoded = new ArrayList<>();
        CommandCodec codec = new CommandCodec();
        for (Command c : commands) {
            Command copy = codec.decode(codec.encode(c), new Command());
            copy.sequence = c.sequence;
            copy.timestamp = c.timestamp;
            decoded.add(copy);
        }
        for (int i = 0; i < half; i++) {
            saved.apply(decoded.get(i));
        }
        SnapshotStore store = new SnapshotStore(dir);
        store.persist(store.capture(saved, null));
        SnapshotStore.Loaded loaded = new SnapshotStore(dir).loadNewest(new EngineEvents() { }, Long.MAX_VALUE,
                new ArrayList<>());
        assertNotNull(loaded);
        Engine restored = loaded.engine();
        assertEquals(saved.stateHash(), restored.stateHash());
        byte[] agent = commands.get(3).agentKey;
        byte[] owner = commands.get(3).address;
        assertTrue(restored.view().agentAuthorised(owner, agent, NOW_MS + 10));
        assertEquals(saved.view().accountOfAddress(owner), restored.view().accountOfAddress(owner));
        for (int i = half; i < decoded.size(); i++) {
            Command again = new Command().copyFrom(decoded.get(i));
            saved.apply(decoded.get(i));
            restored.apply(again);
        }
        assertEquals(saved.stateHash(), restored.stateHash());
        // A replayed nonce is refused the same way by both: the nonce windows came through the snapshot.
        Command replay = new Command().copyFrom(decoded.get(half));
        replay.sequence = saved.lastSequence() + 1;
        replay.timestamp = saved.lastTimestamp();
        Command replayCopy = new Command().copyFrom(replay);
        saved.apply(replay);
        restored.apply(replayCopy);
        assertEquals(saved.stateHash(), restored.stateHash());
    }
}
