package io.meridian.engine;

import io.meridian.auth.Eip712Domain;
import io.meridian.auth.MeridianTypes;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.auth.SignedCommands;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.GovernanceSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.RiskBounds;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.margin.MarginTier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Governance (M-of-N admins, timelock, veto, expiry) and the risk multiplier it bounds: every refusal, the notice, the
 * rate limit and hysteresis, the parameters in force (tiers, position limit, band), the re-measure that liquidates, and
 * a snapshot taken with a change pending that continues exactly as the original.
 */
class RiskGovernanceTest {
    private static final Eip712Domain DOMAIN = MeridianTypes.devDomain();
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final long USD = 1_000_000;

    private final Secp256k1PrivateKey[] admins = {key(1), key(2), key(3)};
    private final Secp256k1PrivateKey outsider = key(9);
    private EventRecorder recorder;
    private Engine engine;
    private final List<Command> log = new ArrayList<>();
    private long sequence;
    private long now = T0;

    private static Secp256k1PrivateKey key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Secp256k1PrivateKey.of(bytes);
    }

    @BeforeEach
    void venue() {
        recorder = new EventRecorder(false);
        engine = new Engine(recorder);
        Command asset = new Command().reset();
        asset.type = CommandType.ADD_ASSET;
        asset.assetSpec = new AssetSpec(USDC, "USDC", 6);
        apply(asset);
        Command listing = new Command().reset();
        listing.type = CommandType.ADD_INSTRUMENT;
        listing.instrumentSpec = InstrumentSpec.perpetual(BTC, "BTC-PERP", "BTC", "USDC", "0.1", "0.001")
                .withPriceBandPpm(50_000);
        listing.positionLimit = 10_000;
        apply(listing);
        apply(new Command().deposit(9, USDC, 10_000_000 * USD));
        apply(new Command().deposit(1, USDC, 10_000 * USD));
        apply(new Command().deposit(2, USDC, 660 * USD));
        mark(600_000);
        apply(new Command().setLeverage(2, BTC, 100));
        trade(1, 1000);
        trade(2, 1000);
    }

    private void trade(long buyer, long lots) {
        apply(new Command().limit(9, BTC, sequence + 1, Side.SELL, 600_000, lots, TimeInForce.GTC));
        apply(new Command().limit(buyer, BTC, sequence + 1, Side.BUY, 600_000, lots, TimeInForce.IOC));
    }

    private void mark(long price) {
        Command c = new Command().reset();
        c.type = CommandType.SET_MARK_PRICE;
        c.instrument = BTC;
        c.price = price;
        apply(c);
    }

    private CommandOutcome apply(Command c) {
        c.sequence = ++sequence;
        c.timestamp = now;
        log.add(new Command().copyFrom(c));
        return engine.apply(c);
    }

    private void tick(long at) {
        now = at;
        Command c = new Command().reset();
        c.type = CommandType.TIME_TICK;
        apply(c);
    }

    private RejectReason lastReject() {
        List<Event.CommandRejected> rejects = recorder.ofType(Event.CommandRejected.class);
        return rejects.isEmpty() ? null : rejects.get(rejects.size() - 1).reason();
    }

    private void genesis(int threshold, long timelockMillis) {
        Command c = new Command().reset();
        c.type = CommandType.SET_GOVERNANCE;
        c.governanceSpec = new GovernanceSpec(Arrays.stream(admins).map(k -> k.address().toLowerHex()).toList(),
                threshold, timelockMillis);
        apply(c);
    }

    private Command propose(Secp256k1PrivateKey admin, RiskBounds bounds) {
        Command c = new Command().reset();
        c.type = CommandType.PROPOSE_RISK_BOUNDS;
        c.instrument = BTC;
        c.riskBounds = bounds;
        c.nonce = now / 1_000_000 + sequence;
        return SignedCommands.signAsOwner(c, DOMAIN, admin);
    }

    private Command vote(Secp256k1PrivateKey admin, CommandType type, long proposalId) {
        Command c = new Command().reset();
        c.type = type;
        c.proposalId = proposalId;
        c.nonce = now / 1_000_000 + sequence;
        return SignedCommands.signAsOwner(c, DOMAIN, admin);
    }

    private Command scale(long multiplierPpm, long effectiveAt) {
        Command c = new Command().reset();
        c.type = CommandType.SET_RISK_SCALE;
        c.instrument = BTC;
        c.riskMultiplierPpm = multiplierPpm;
        c.effectiveAt = effectiveAt;
        return c;
    }

    /** Bounds 1x .. 3x, 1x per hour, 0.1x hysteresis, 5 minutes' notice, set by 2 of 3 admins after an hour. */
    private static final RiskBounds BOUNDS = new RiskBounds(1_000_000, 3_000_000, 1_000_000, 100_000, 300_000);

    private void governWithBounds(RiskBounds bounds) {
        genesis(2, 3_600_000);
        long id = sequence + 1;
        apply(propose(admins[0], bounds));
        apply(vote(admins[1], CommandType.APPROVE_PROPOSAL, id));
        tick(now + HOUR);
    }

    @Test
    void boundsNeedMOfNAdminsAndTheTimelock() {
        apply(scale(2_000_000, now + HOUR));
        assertEquals(RejectReason.RISK_BOUNDS_NOT_SET, lastReject());
        apply(propose(admins[0], BOUNDS));
        assertEquals(RejectReason.GOVERNANCE_NOT_SET, lastReject());
        genesis(2, 3_600_000);
        genesis(1, 0);
        assertEquals(RejectReason.GOVERNANCE_ALREADY_SET, lastReject());

        apply(propose(outsider, BOUNDS));
        assertEquals(RejectReason.NOT_AN_ADMIN, lastReject());
        apply(propose(admins[0], new RiskBounds(50_000, 3_000_000, 1, 0, 0)));
        assertEquals(RejectReason.INVALID_RISK_BOUNDS, lastReject());
        long id = sequence + 1;
        apply(propose(admins[0], BOUNDS));
        assertEquals(1, engine.view().proposals().size());
        assertEquals(id, engine.view().proposals().get(0).id());
        assertEquals(0, engine.view().proposals().get(0).eta());
        apply(vote(admins[0], CommandType.APPROVE_PROPOSAL, id));
        assertEquals(RejectReason.ALREADY_APPROVED, lastReject());
        Command unsigned = vote(admins[1], CommandType.APPROVE_PROPOSAL, id);
        unsigned.signature = null;
        apply(unsigned);
        assertEquals(RejectReason.SIGNATURE_REQUIRED, lastReject());
        Command replayed = vote(admins[1], CommandType.APPROVE_PROPOSAL, id);
        apply(new Command().copyFrom(replayed));
        long queuedAt = now;
        assertEquals(queuedAt + HOUR, engine.view().proposals().get(0).eta());
        apply(replayed);
        assertEquals(RejectReason.NONCE_REUSED, lastReject());
        apply(vote(admins[2], CommandType.APPROVE_PROPOSAL, id));
        assertEquals(RejectReason.PROPOSAL_QUEUED, lastReject());

        tick(queuedAt + HOUR - 1);
        assertNull(engine.view().riskScale(BTC).bounds());
        tick(queuedAt + HOUR);
        assertEquals(BOUNDS, engine.view().riskScale(BTC).bounds());
        assertTrue(engine.view().proposals().isEmpty());
        assertEquals(List.of(RiskGovernance.PENDING, RiskGovernance.QUEUED, RiskGovernance.EXECUTED),
                recorder.ofType(Event.GovernanceProposal.class).stream().map(Event.GovernanceProposal::state).toList());
    }

    @Test
    void anyAdminVetoesAndUnapprovedProposalsExpire() {
        genesis(3, 0);
        long vetoed = sequence + 1;
        apply(propose(admins[0], BOUNDS));
        apply(vote(admins[2], CommandType.CANCEL_PROPOSAL, vetoed));
        apply(vote(admins[1], CommandType.APPROVE_PROPOSAL, vetoed));
        assertEquals(RejectReason.UNKNOWN_PROPOSAL, lastReject());
        long stale = sequence + 1;
        apply(propose(admins[0], BOUNDS));
        tick(now + RiskGovernance.PROPOSAL_TTL_NANOS);
        assertTrue(engine.view().proposals().isEmpty());
        assertEquals(List.of(RiskGovernance.PENDING, RiskGovernance.EXPIRED), recorder.ofType(Event.GovernanceProposal.class)
                .stream().filter(p -> p.proposalId() == stale).map(Event.GovernanceProposal::state).toList());
        assertNull(engine.view().riskScale(BTC).bounds());
    }

    @Test
    void aChangeIsCheckedAgainstTheBoundsAnnouncedAndThenPutInForce() {
        governWithBounds(BOUNDS);
        long notice = 5 * MINUTE;
        apply(scale(3_500_000, now + notice));
        assertEquals(RejectReason.RISK_SCALE_OUT_OF_BOUNDS, lastReject());
        apply(scale(1_500_000, now + notice - 1));
        assertEquals(RejectReason.RISK_SCALE_NOTICE, lastReject());
        apply(scale(1_050_000, now + notice));
        assertEquals(RejectReason.RISK_SCALE_WITHIN_HYSTERESIS, lastReject());
        apply(scale(2_500_000, now + notice));
        assertEquals(RejectReason.RISK_SCALE_TOO_FAST, lastReject());

        MarginTier listedTier = engine.view().marginTiers(BTC).get(0);
        long maintenanceBefore = engine.view().marginState(1, USDC).maintenanceMargin;
        long effectiveAt = now + notice;
        recorder.clear();
        // A change that fits (never changed before, so a full hour's 1x is allowed) is announced: visible before it
        // takes effect, nothing changed yet.
        apply(scale(2_000_000, effectiveAt));
        assertTrue(recorder.ofType(Event.CommandRejected.class).isEmpty());
        RiskScaleView announced = engine.view().riskScale(BTC);
        assertEquals(2_000_000, announced.nextMultiplierPpm());
        assertEquals(effectiveAt, announced.nextAt());
        assertEquals(1_000_000, announced.multiplierPpm());
        assertEquals(1, recorder.ofType(Event.RiskScaleScheduled.class).size());

        tick(effectiveAt);
        RiskScaleView inForce = engine.view().riskScale(BTC);
        assertEquals(2_000_000, inForce.multiplierPpm());
        assertEquals(effectiveAt, inForce.changedAt());
        assertEquals(0, inForce.nextMultiplierPpm());
        assertEquals(5_000, inForce.positionLimit());
        assertEquals(100_000, inForce.priceBandPpm());
        MarginTier scaledTier = inForce.tiers().get(0);
        assertEquals(2 * listedTier.maintenanceRatePpm(), scaledTier.maintenanceRatePpm());
        assertEquals(2 * listedTier.initialRatePpm(), scaledTier.initialRatePpm());
        assertEquals(scaledTier, engine.view().marginTiers(BTC).get(0));
        assertEquals(2 * maintenanceBefore, engine.view().marginState(1, USDC).maintenanceMargin);
        assertEquals(List.of(5_000L), recorder.ofType(Event.RiskScaleApplied.class).stream()
                .map(Event.RiskScaleApplied::positionLimit).toList());

        // The position limit in force binds new orders; the leverage chosen under the listed tiers still stands.
        apply(new Command().limit(1, BTC, sequence + 1, Side.BUY, 590_000, 4_500, TimeInForce.GTC));
        assertEquals(RejectReason.POSITION_LIMIT, lastReject());
        // The band widened from 5% to 10%: a bid 8% below the mark rests.
        recorder.clear();
        apply(new Command().limit(1, BTC, sequence + 1, Side.BUY, 552_000, 1, TimeInForce.GTC));
        assertTrue(recorder.ofType(Event.CommandRejected.class).isEmpty());
    }

    @Test
    void raisingMarginsLiquidatesAnAccountNowUnderMaintenance() {
        assertEquals(1000, engine.view().positions(BTC).size(2));
        governWithBounds(new RiskBounds(1_000_000, 3_000_000, 3_000_000, 0, 0));
        assertTrue(engine.view().marginState(2, USDC).equity > engine.view().marginState(2, USDC).maintenanceMargin);
        recorder.clear();
        apply(scale(3_000_000, now));
        assertTrue(recorder.ofType(Event.RiskScaleApplied.class).isEmpty());
        tick(now + 1);
        assertEquals(1, recorder.ofType(Event.RiskScaleApplied.class).size());
        assertTrue(recorder.ofType(Event.LiquidationStarted.class).stream().anyMatch(e -> e.account() == 2));
    }

    @Test
    void newBoundsClampTheMultiplierInForce() {
        governWithBounds(new RiskBounds(1_000_000, 3_000_000, 3_000_000, 0, 0));
        apply(scale(3_000_000, now));
        tick(now + 1);
        long id = sequence + 1;
        apply(propose(admins[0], new RiskBounds(1_000_000, 1_500_000, 500_000, 0, 0)));
        apply(vote(admins[2], CommandType.APPROVE_PROPOSAL, id));
        tick(now + HOUR);
        assertEquals(1_500_000, engine.view().riskScale(BTC).multiplierPpm());
        assertEquals(6_666, engine.view().riskScale(BTC).positionLimit());
    }

    @Test
    void aSnapshotWithAChangePendingContinuesExactlyAsTheOriginal() {
        governWithBounds(BOUNDS);
        long id = sequence + 1;
        apply(propose(admins[2], new RiskBounds(500_000, 2_000_000, 1_000_000, 0, 60_000)));
        apply(scale(1_800_000, now + 10 * MINUTE));
        tick(now + 10 * MINUTE);
        apply(scale(2_100_000, now + 20 * MINUTE));

        SnapshotWriter out = new SnapshotWriter();
        EngineSnapshotFormat.write(engine, out);
        byte[] bytes = out.toByteArray();
        Engine restored = EngineSnapshotFormat.read(new SnapshotReader(bytes, 0, bytes.length),
                new EventRecorder(false), EngineConfig.defaults());
        assertEquals(engine.stateHash(), restored.stateHash());
        assertEquals(engine.view().riskScale(BTC), restored.view().riskScale(BTC));
        assertEquals(engine.view().proposals(), restored.view().proposals());

        // Both carry on: the pending change takes effect, another admin approves, a liquidation-sized move.
        List<Command> more = new ArrayList<>();
        long at = now + 20 * MINUTE;
        more.add(tickAt(at));
        more.add(signedAt(vote(admins[1], CommandType.APPROVE_PROPOSAL, id), at + 1));
        more.add(tickAt(at + HOUR + 2));
        for (Command c : more) {
            c.sequence = ++sequence;
            now = c.timestamp;
            engine.apply(new Command().copyFrom(c));
            restored.apply(new Command().copyFrom(c));
        }
        assertEquals(2_000_000, engine.view().riskScale(BTC).multiplierPpm());
        assertEquals(2_000_000, engine.view().riskScale(BTC).bounds().ceilingPpm());
        assertEquals(engine.stateHash(), restored.stateHash());
        assertEquals(engine.view().riskScale(BTC), restored.view().riskScale(BTC));
    }

    private static Command chainBounds(long ref, int instrument, RiskBounds bounds) {
        Command c = new Command().reset();
        c.type = CommandType.CHAIN_RISK_BOUNDS;
        c.chainRef = ref;
        c.instrument = instrument;
        c.riskBounds = bounds;
        return c;
    }

    /**
     * Bounds the vault's multisig published on chain: in force at once, in the vault's order, each once; one the engine
     * cannot use is consumed and announced canceled; no SET_GOVERNANCE is needed; a snapshot keeps the last applied.
     */
    @Test
    void boundsPublishedOnChainApplyOnceInOrder() {
        RiskBounds wide = new RiskBounds(1_000_000, 2_000_000, 1_000_000, 0, 0);
        assertTrue(!apply(chainBounds(2, BTC, wide)).accepted());
        assertEquals(RejectReason.CHAIN_BOUNDS_GAP, lastReject(), "2 before 1");
        assertEquals(0, engine.view().lastChainRiskBoundsRef(), "nothing applied");

        assertTrue(apply(chainBounds(1, BTC, wide)).accepted());
        assertEquals(wide, engine.view().riskScale(BTC).bounds(), "in force at once: the timelock ran on chain");
        assertEquals(1, engine.view().lastChainRiskBoundsRef());
        var announced = recorder.ofType(Event.GovernanceProposal.class);
        assertEquals(RiskGovernance.EXECUTED, announced.get(announced.size() - 1).state());

        assertTrue(!apply(chainBounds(1, BTC, new RiskBounds(1_000_000, 3_000_000, 1_000_000, 0, 0))).accepted());
        assertEquals(RejectReason.CHAIN_BOUNDS_APPLIED, lastReject(), "seen twice, applied once");
        assertEquals(wide, engine.view().riskScale(BTC).bounds());

        // An unlisted instrument: consumed and canceled, so publication 3 is not held up behind it.
        assertTrue(apply(chainBounds(2, 77, wide)).accepted());
        announced = recorder.ofType(Event.GovernanceProposal.class);
        assertEquals(RiskGovernance.CANCELED, announced.get(announced.size() - 1).state());
        assertEquals(2, engine.view().lastChainRiskBoundsRef());
        assertTrue(apply(scale(2_000_000, now)).accepted(), "the controller moves within the chain's bounds");
        tick(now + 1);
        assertEquals(2_000_000, engine.view().riskScale(BTC).multiplierPpm());
        RiskBounds narrow = new RiskBounds(1_000_000, 1_500_000, 1_000_000, 0, 0);
        assertTrue(apply(chainBounds(3, BTC, narrow)).accepted());
        assertEquals(1_500_000, engine.view().riskScale(BTC).multiplierPpm(), "the multiplier clamped into them");

        SnapshotWriter out = new SnapshotWriter();
        EngineSnapshotFormat.write(engine, out);
        byte[] bytes = out.toByteArray();
        Engine restored = EngineSnapshotFormat.read(new SnapshotReader(bytes, 0, bytes.length),
                new EventRecorder(false), EngineConfig.defaults());
        assertEquals(engine.stateHash(), restored.stateHash());
        assertEquals(3, restored.view().lastChainRiskBoundsRef());
    }

    private static Command tickAt(long at) {
        Command c = new Command().reset();
        c.type = CommandType.TIME_TICK;
        c.timestamp = at;
        return c;
    }

    private static Command signedAt(Command c, long at) {
        c.timestamp = at;
        return c;
    }

    @Test
    void theControllerProposesOnlyChangesTheEngineAccepts() {
        governWithBounds(BOUNDS);
        VolatilityRiskPolicy policy = new VolatilityRiskPolicy(500_000, 50_000, 60_000);
        RiskScaleView calm = engine.view().riskScale(BTC);
        assertNull(policy.decide(calm, now), "no volatility estimate yet");
        RiskScaleView stormy = withVolatility(calm, 1_600_000);
        VolatilityRiskPolicy.Change change = policy.decide(stormy, now);
        // Target 3.2x, clamped to 3x; an hour since the last change allows 1x, so 2x, effective after the notice.
        assertEquals(2_000_000, change.multiplierPpm());
        assertEquals(now + 5 * MINUTE, change.effectiveAt());
        recorder.clear();
        apply(scale(change.multiplierPpm(), change.effectiveAt()));
        assertTrue(recorder.ofType(Event.CommandRejected.class).isEmpty());
        assertNull(policy.decide(withVolatility(engine.view().riskScale(BTC), 1_600_000), now));
        tick(change.effectiveAt());
        // Right after a change, the rate limit allows only what the notice adds: 5 minutes of 1x per hour < 0.1x.
        RiskScaleView after = withVolatility(engine.view().riskScale(BTC), 1_600_000);
        assertNull(policy.decide(after, now));
        assertNotNull(policy.decide(after, now + 2 * MINUTE));
        // Back to calm: down towards the floor at the same pace.
        VolatilityRiskPolicy.Change down = policy.decide(withVolatility(after, 200_000), now + HOUR);
        assertEquals(1_000_000, down.multiplierPpm());
    }

    private static RiskScaleView withVolatility(RiskScaleView v, long volatility) {
        return new RiskScaleView(v.instrument(), v.multiplierPpm(), v.tiers(), v.positionLimit(), v.priceBandPpm(),
                v.bounds(), v.changedAt(), v.nextMultiplierPpm(), v.nextAt(), volatility);
    }
}
