package io.meridian.engine;

import io.meridian.auth.Address;
import io.meridian.model.Command;
import io.meridian.model.FixedPoint;
import io.meridian.model.GovernanceSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.RejectReason;
import io.meridian.model.RiskBounds;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;
import io.meridian.risk.margin.MarginModel;
import io.meridian.risk.margin.MarginSchedule;
import io.meridian.risk.margin.MarginTier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Volatility-driven risk parameters under automated governance (docs/risk.md, "Volatility-driven risk parameters" and
 * "Governance"): each model-margined instrument's <b>risk multiplier</b>, the governance bounds it moves within, and
 * the M-of-N proposals that set those bounds.
 *
 * <p><b>The multiplier</b> {@code m} (ppm, 1,000,000 = as listed) puts the instrument under: every margin tier's
 * initial and maintenance rate times {@code m} ({@link MarginSchedule#scaled}); the listed position limit divided by
 * {@code m} (rounded down, at least one lot); the listed price band times {@code m} (capped at 100%). A user's leverage
 * choice is still checked against the listed tiers; the scaled initial rate binds above it. A SET_RISK_SCALE (the
 * volatility controller's operator command) announces a change with a notice ({@code riskScaleScheduled}); the change
 * takes effect at the first command at or after its time ({@code riskScaleApplied}), and the accounts holding positions
 * in the instrument are re-measured and liquidated if under maintenance by that command. A change is refused unless
 * the instrument has bounds and the new multiplier is within [floor, ceiling], differs from the one in force by at
 * least the hysteresis, by at most {@code maxChangePerHour x min(1 h, effectiveAt - last change) / 1 h}, and takes
 * effect at least the notice and at most a day after it is announced.
 *
 * <p><b>Governance.</b> SET_GOVERNANCE, once, names the admins (addresses), M and the timelock. An admin's signed
 * PROPOSE_RISK_BOUNDS opens a proposal (its id is the command's sequence; the proposer's approval counts); other
 * admins' APPROVE_PROPOSAL add theirs; at M the proposal is queued and takes effect {@code timelock} later (the first
 * command at or after it): the instrument's bounds become the proposal's and its multiplier is clamped into them. Any
 * admin may CANCEL_PROPOSAL a pending or queued proposal (a veto: one key can stop a change, never make one). A
 * proposal not approved within {@link #PROPOSAL_TTL_NANOS} expires. At most {@link #MAX_OPEN_PROPOSALS} are open.
 * Signatures are verified before sequencing and proven by {@code meridian verify --signatures}, as users' are; the
 * engine checks, in log order, that the signer is an admin and its nonce fresh.
 *
 * <p><b>Governance on chain.</b> The settlement vault's governor (an M-of-N multisig with a timelock) may publish an
 * instrument's bounds on chain; the operator journals each confirmed publication as CHAIN_RISK_BOUNDS, in the vault's
 * order ({@code chainRef} 1, 2, ...: {@code CHAIN_BOUNDS_APPLIED} for one already applied, {@code CHAIN_BOUNDS_GAP}
 * past the next). It is announced as a proposal (its id the command's sequence) executed at once, its bounds in force
 * as an executed proposal's; one the engine cannot use (instrument not listed or not margined by tiers, bounds it
 * refuses) is consumed and announced canceled, so the publications behind it are not held up. The engine does not
 * need SET_GOVERNANCE for it: the approvals and the delay were enforced on chain.
 *
 * <p>Thread confinement: the engine thread. Nothing here runs per order: timers run only when one is due.
 */
final class RiskGovernance {
    /** A pending proposal expires a week after it was made. */
    static final long PROPOSAL_TTL_NANOS = 7L * 86_400_000_000_000L;
    static final int MAX_OPEN_PROPOSALS = 16;
    static final long HOUR_NANOS = 3_600_000_000_000L;
    static final long MAX_LEAD_NANOS = 86_400_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    static final int PENDING = 0;
    static final int QUEUED = 1;
    static final int EXECUTED = 2;
    static final int CANCELED = 3;
    static final int EXPIRED = 4;

    /** The risk state of one instrument that has (or had) bounds: created when its first bounds take effect. */
    static final class Scale {
        final int instrument;
        final MarginSchedule listedModel;
        final long listedPositionLimit;
        final long listedPriceBandPpm;
        RiskBounds bounds;
        long multiplierPpm = FixedPoint.PPM;
        /** When the multiplier in force took effect (0: never changed). */
        long changedAt;
        /** The announced change, 0 when none. */
        long pendingPpm;
        long pendingAt;

        Scale(int instrument, MarginSchedule listedModel, long listedPositionLimit, long listedPriceBandPpm) {
            this.instrument = instrument;
            this.listedModel = listedModel;
            this.listedPositionLimit = listedPositionLimit;
            this.listedPriceBandPpm = listedPriceBandPpm;
        }

        long positionLimit() {
            return listedPositionLimit == 0 ? 0
                    : Math.max(1, FixedPoint.mulDivFloor(listedPositionLimit, FixedPoint.PPM, multiplierPpm));
        }

        long priceBandPpm() {
            return listedPriceBandPpm == 0 ? 0
                    : Math.min(FixedPoint.PPM, FixedPoint.mulDivFloor(listedPriceBandPpm, multiplierPpm, FixedPoint.PPM));
        }
    }

    /** An open proposal. */
    static final class Proposal {
        final long id;
        final int instrument;
        final RiskBounds bounds;
        final long createdAt;
        final List<Address> approvals = new ArrayList<>();
        /** When it takes effect once queued; 0 while pending. */
        long eta;

        Proposal(long id, int instrument, RiskBounds bounds, long createdAt) {
            this.id = id;
            this.instrument = instrument;
            this.bounds = bounds;
            this.createdAt = createdAt;
        }
    }

    private final Markets markets;
    private final MarginEngine margin;
    private final TouchedAccounts touched;
    private GovernanceSpec spec;
    private final List<Address> admins = new ArrayList<>();
    private final TreeMap<Integer, Scale> scales = new TreeMap<>();
    private final TreeMap<Long, Proposal> proposals = new TreeMap<>();
    /** The vault's risk-bounds publication applied last ({@code chainRef}; 0: none). */
    private long lastChainRef;
    /** The earliest time a timer here is due: a queued proposal, an expiry, an announced change. */
    long nextDue = Long.MAX_VALUE;

    RiskGovernance(Markets markets, MarginEngine margin, TouchedAccounts touched) {
        this.markets = markets;
        this.margin = margin;
        this.touched = touched;
    }

    // ------------------------------------------------------------------------------------------------ commands

    /** SET_GOVERNANCE: once; {@code INVALID_GOVERNANCE}, {@code GOVERNANCE_ALREADY_SET}. */
    void setGovernance(Command c) {
        if (spec != null) {
            markets.reject(c, RejectReason.GOVERNANCE_ALREADY_SET);
            return;
        }
        if (c.governanceSpec == null || c.governanceSpec.problem() != null) {
            markets.reject(c, RejectReason.INVALID_GOVERNANCE);
            return;
        }
        install(c.governanceSpec);
    }

    private void install(GovernanceSpec governance) {
        spec = governance;
        for (String admin : governance.admins()) {
            admins.add(Address.parseOrThrow(admin));
        }
    }

    /**
     * The stateful half of an admin's signed command, before it runs: governance set, the signer an admin, a 65-byte
     * owner signature (admins do not delegate to agents or sessions), and the nonce. Null when it may run.
     */
    RejectReason authorise(Command c, Authorisations authorisations) {
        if (spec == null) {
            return RejectReason.GOVERNANCE_NOT_SET;
        }
        if (c.address == null || c.address.length != Address.BYTES || c.agentKey != null || c.sessionId != 0) {
            return RejectReason.AUTH_MALFORMED;
        }
        if (c.signature == null) {
            return RejectReason.SIGNATURE_REQUIRED;
        }
        if (!admins.contains(Address.of(c.address))) {
            return RejectReason.NOT_AN_ADMIN;
        }
        return authorisations.acceptAdminNonce(c);
    }

    /** PROPOSE_RISK_BOUNDS (authorised): checks the bounds and the instrument and opens the proposal. */
    void propose(Command c) {
        RejectReason reason = c.riskBounds == null || c.riskBounds.problem() != null ? RejectReason.INVALID_RISK_BOUNDS
                : instrumentProblem(c.instrument);
        if (reason == null && proposals.size() >= MAX_OPEN_PROPOSALS) {
            reason = RejectReason.TOO_MANY_PROPOSALS;
        }
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        Proposal proposal = new Proposal(c.sequence, c.instrument, c.riskBounds, c.timestamp);
        proposals.put(proposal.id, proposal);
        approve(proposal, Address.of(c.address), c);
    }

    /** APPROVE_PROPOSAL (authorised): {@code UNKNOWN_PROPOSAL}, {@code PROPOSAL_QUEUED}, {@code ALREADY_APPROVED}. */
    void approve(Command c) {
        Proposal proposal = proposals.get(c.proposalId);
        Address admin = Address.of(c.address);
        RejectReason reason = proposal == null ? RejectReason.UNKNOWN_PROPOSAL
                : proposal.eta != 0 ? RejectReason.PROPOSAL_QUEUED
                : proposal.approvals.contains(admin) ? RejectReason.ALREADY_APPROVED : null;
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        approve(proposal, admin, c);
    }

    private void approve(Proposal proposal, Address admin, Command c) {
        proposal.approvals.add(admin);
        if (proposal.approvals.size() >= spec.threshold()) {
            proposal.eta = Math.addExact(c.timestamp, spec.timelockMillis() * NANOS_PER_MILLI);
        }
        announce(proposal, proposal.eta == 0 ? PENDING : QUEUED, c.sequence, c.timestamp);
        scheduleNext();
    }

    /** CANCEL_PROPOSAL (authorised): {@code UNKNOWN_PROPOSAL}; any admin may veto an open proposal. */
    void cancel(Command c) {
        Proposal proposal = proposals.remove(c.proposalId);
        if (proposal == null) {
            markets.reject(c, RejectReason.UNKNOWN_PROPOSAL);
            return;
        }
        announce(proposal, CANCELED, c.sequence, c.timestamp);
        scheduleNext();
    }

    /**
     * CHAIN_RISK_BOUNDS: the vault governor's next publication ({@code CHAIN_BOUNDS_APPLIED}, {@code CHAIN_BOUNDS_GAP}
     * leave everything as it was); executed at once, or consumed and announced canceled when unusable.
     */
    void chainBounds(Command c) {
        if (c.chainRef <= lastChainRef) {
            markets.reject(c, RejectReason.CHAIN_BOUNDS_APPLIED);
            return;
        }
        if (c.chainRef != lastChainRef + 1) {
            markets.reject(c, RejectReason.CHAIN_BOUNDS_GAP);
            return;
        }
        lastChainRef = c.chainRef;
        boolean usable = c.riskBounds != null && c.riskBounds.problem() == null && instrumentProblem(c.instrument) == null;
        Proposal published = new Proposal(c.sequence, c.instrument, usable ? c.riskBounds : null, c.timestamp);
        published.eta = c.timestamp;
        if (usable) {
            execute(published, c.sequence, c.timestamp);
        } else {
            announce(published, CANCELED, c.sequence, c.timestamp);
        }
    }

    /** SET_RISK_SCALE: checks the change against the instrument's bounds and announces it. */
    void setRiskScale(Command c) {
        RejectReason reason = instrumentProblem(c.instrument);
        Scale scale = scales.get(c.instrument);
        if (reason == null) {
            reason = scale == null || scale.bounds == null ? RejectReason.RISK_BOUNDS_NOT_SET
                    : scaleProblem(scale.bounds, scale.multiplierPpm, scale.changedAt, c.riskMultiplierPpm, c.effectiveAt,
                    c.timestamp);
        }
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        scale.pendingPpm = c.riskMultiplierPpm;
        scale.pendingAt = c.effectiveAt;
        markets.events.riskScaleScheduled(c.sequence, c.timestamp, c.instrument, c.riskMultiplierPpm, c.effectiveAt,
                volatility(c.instrument));
        scheduleNext();
    }

    /**
     * Why a change from {@code inForce} (in force since {@code changedAt}) to {@code multiplier} effective at
     * {@code effectiveAt}, announced at {@code now}, is refused under {@code bounds}; null when allowed. The
     * controller ({@link VolatilityRiskPolicy}) proposes only changes that pass.
     */
    static RejectReason scaleProblem(RiskBounds bounds, long inForce, long changedAt, long multiplier, long effectiveAt,
                                     long now) {
        if (multiplier < bounds.floorPpm() || multiplier > bounds.ceilingPpm()) {
            return RejectReason.RISK_SCALE_OUT_OF_BOUNDS;
        }
        long lead = effectiveAt - now;
        if (lead < bounds.noticeMillis() * NANOS_PER_MILLI || lead > MAX_LEAD_NANOS) {
            return RejectReason.RISK_SCALE_NOTICE;
        }
        long change = Math.abs(multiplier - inForce);
        if (change == 0 || change < bounds.hysteresisPpm()) {
            return RejectReason.RISK_SCALE_WITHIN_HYSTERESIS;
        }
        return change > allowedChange(bounds, changedAt, effectiveAt) ? RejectReason.RISK_SCALE_TOO_FAST : null;
    }

    /** The largest change the bounds allow for a change effective at {@code effectiveAt}. */
    static long allowedChange(RiskBounds bounds, long changedAt, long effectiveAt) {
        long elapsed = Math.min(HOUR_NANOS, Math.max(0, effectiveAt - changedAt));
        return FixedPoint.mulDivFloor(bounds.maxChangePerHourPpm(), elapsed, HOUR_NANOS);
    }

    private RejectReason instrumentProblem(int instrument) {
        if (markets.book(instrument) == null) {
            return RejectReason.UNKNOWN_INSTRUMENT;
        }
        return markets.models[instrument] instanceof MarginSchedule
                && markets.books[instrument].spec().kind() != InstrumentKind.OPTION ? null : RejectReason.NOT_MODEL_MARGINED;
    }

    private long volatility(int instrument) {
        var pricing = markets.pricing(instrument);
        PriceIndex index = pricing == null ? null : markets.index(pricing.indexId());
        return index == null ? 0 : index.realisedVolatilityPpm();
    }

    // ------------------------------------------------------------------------------------------------ timers

    /**
     * Everything due by {@code timestamp}, before the command runs: expiries of pending proposals (by id), queued
     * proposals whose timelock ended (by time, then id), then announced changes (by instrument id).
     */
    void runTimers(long sequence, long timestamp) {
        List<Proposal> due = new ArrayList<>();
        for (var it = proposals.values().iterator(); it.hasNext(); ) {
            Proposal p = it.next();
            if (p.eta == 0 && timestamp >= p.createdAt + PROPOSAL_TTL_NANOS) {
                it.remove();
                announce(p, EXPIRED, sequence, timestamp);
            } else if (p.eta != 0 && timestamp >= p.eta) {
                it.remove();
                due.add(p);
            }
        }
        due.sort((a, b) -> a.eta != b.eta ? Long.compare(a.eta, b.eta) : Long.compare(a.id, b.id));
        for (Proposal p : due) {
            execute(p, sequence, timestamp);
        }
        for (Scale scale : scales.values()) {
            if (scale.pendingPpm != 0 && timestamp >= scale.pendingAt) {
                long multiplier = scale.bounds.clamp(scale.pendingPpm);
                long at = scale.pendingAt;
                scale.pendingPpm = 0;
                scale.pendingAt = 0;
                apply(scale, multiplier, at, sequence, timestamp);
            }
        }
        scheduleNext();
    }

    private void execute(Proposal p, long sequence, long timestamp) {
        Scale scale = scales.get(p.instrument);
        if (scale == null) {
            // The listed parameters are captured when the instrument first comes under governance, at multiplier 1.
            MarginSchedule listed = (MarginSchedule) markets.models[p.instrument];
            scale = new Scale(p.instrument, listed, margin.positionLimit(p.instrument),
                    markets.books[p.instrument].spec().priceBandPpm());
            scales.put(p.instrument, scale);
        }
        scale.bounds = p.bounds;
        announce(p, EXECUTED, sequence, timestamp);
        long clamped = p.bounds.clamp(scale.multiplierPpm);
        if (clamped != scale.multiplierPpm) {
            apply(scale, clamped, timestamp, sequence, timestamp);
        }
    }

    /** Puts the multiplier in force and re-measures the accounts with positions in the instrument. */
    private void apply(Scale scale, long multiplier, long effectiveAt, long sequence, long timestamp) {
        scale.multiplierPpm = multiplier;
        scale.changedAt = effectiveAt;
        install(scale);
        int id = scale.instrument;
        markets.events.riskScaleApplied(sequence, timestamp, id, multiplier, scale.positionLimit(),
                scale.priceBandPpm());
        int asset = markets.clearings[id].asset();
        for (Position position : markets.clearings[id].positions().sortedPositions()) {
            touched.add(position.account(), asset);
        }
    }

    /** The scale's parameters into the margin engine, the liquidation's models and the book. */
    private void install(Scale scale) {
        int id = scale.instrument;
        MarginModel inForce = scale.listedModel.scaled(scale.multiplierPpm);
        markets.models[id] = inForce;
        margin.setRiskLimits(id, scale.listedModel, inForce, scale.positionLimit());
        markets.books[id].setPriceBandPpm(scale.priceBandPpm());
    }

    private void announce(Proposal p, int state, long sequence, long timestamp) {
        markets.events.governanceProposal(sequence, timestamp, p.id, p.instrument, state, p.approvals.size(), p.eta);
    }

    private void scheduleNext() {
        long next = Long.MAX_VALUE;
        for (Proposal p : proposals.values()) {
            next = Math.min(next, p.eta != 0 ? p.eta : p.createdAt + PROPOSAL_TTL_NANOS);
        }
        for (Scale scale : scales.values()) {
            if (scale.pendingPpm != 0) {
                next = Math.min(next, scale.pendingAt);
            }
        }
        nextDue = next;
    }

    // ------------------------------------------------------------------------------------------------ queries

    GovernanceSpec spec() {
        return spec;
    }

    Scale scale(int instrument) {
        return scales.get(instrument);
    }

    Map<Long, Proposal> proposals() {
        return proposals;
    }

    boolean hasState() {
        return spec != null || !scales.isEmpty() || lastChainRef != 0;
    }

    long lastChainRef() {
        return lastChainRef;
    }

    // ------------------------------------------------------------------------------------------------ state

    /** Feeds the governance, every instrument's scale and the open proposals into the hasher (when there are any). */
    void hashState(StateHasher hasher) {
        if (!hasState()) {
            return;
        }
        hasher.add(spec == null ? "" : spec.toString().toLowerCase(java.util.Locale.ROOT));
        for (Scale s : scales.values()) {
            hasher.add(s.instrument).add(String.valueOf(s.bounds)).add(s.multiplierPpm).add(s.changedAt)
                    .add(s.pendingPpm).add(s.pendingAt).add(s.listedPositionLimit).add(s.listedPriceBandPpm);
        }
        for (Proposal p : proposals.values()) {
            hasher.add(p.id).add(p.instrument).add(p.bounds.toString()).add(p.createdAt).add(p.eta);
            for (Address a : p.approvals) {
                hasher.add(a.toLowerHex());
            }
        }
        if (lastChainRef != 0) {
            hasher.add("chain bounds").add(lastChainRef);
        }
    }

    static final int SNAPSHOT_VERSION = 1;

    /**
     * Writes (version {@value #SNAPSHOT_VERSION}) the governance spec (or its absence), then per scale (instrument
     * order) its listed tiers, limit and band, bounds, multiplier, change time and announced change, then the open
     * proposals (id order) with their approvals in order, then the last applied on-chain publication (added later: a
     * section without it reads as 0).
     */
    void writeSnapshot(SnapshotWriter out) {
        out.writeBoolean(spec != null);
        if (spec != null) {
            out.writeCount(spec.admins().size());
            spec.admins().forEach(out::writeString);
            out.writeVarInt(spec.threshold());
            out.writeVarLong(spec.timelockMillis());
        }
        out.writeCount(scales.size());
        for (Scale s : scales.values()) {
            out.writeCount(s.instrument);
            out.writeCount(s.listedModel.tierCount());
            for (MarginTier tier : s.listedModel.tiers()) {
                out.writeVarLong(tier.notionalFloor());
                out.writeVarLong(tier.maintenanceRatePpm());
                out.writeVarLong(tier.initialRatePpm());
            }
            out.writeVarLong(s.listedPositionLimit);
            out.writeVarLong(s.listedPriceBandPpm);
            writeBounds(out, s.bounds);
            out.writeVarLong(s.multiplierPpm);
            out.writeVarLong(s.changedAt);
            out.writeVarLong(s.pendingPpm);
            out.writeVarLong(s.pendingAt);
        }
        out.writeCount(proposals.size());
        for (Proposal p : proposals.values()) {
            out.writeVarLong(p.id);
            out.writeCount(p.instrument);
            writeBounds(out, p.bounds);
            out.writeVarLong(p.createdAt);
            out.writeVarLong(p.eta);
            out.writeCount(p.approvals.size());
            p.approvals.forEach(a -> out.writeBytes(a.toBytes()));
        }
        out.writeVarLong(lastChainRef);
    }

    private static void writeBounds(SnapshotWriter out, RiskBounds b) {
        out.writeVarLong(b.floorPpm());
        out.writeVarLong(b.ceilingPpm());
        out.writeVarLong(b.maxChangePerHourPpm());
        out.writeVarLong(b.hysteresisPpm());
        out.writeVarLong(b.noticeMillis());
    }

    private static RiskBounds readBounds(SnapshotReader in) {
        RiskBounds b = new RiskBounds(in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(),
                in.readVarLong());
        if (b.problem() != null) {
            throw in.fail("risk bounds: " + b.problem());
        }
        return b;
    }

    /**
     * Restores what {@link #writeSnapshot} wrote, after the instruments and the margin engine, and puts every scale's
     * parameters back in force (the instruments section holds the scaled tiers; the listed ones are here).
     */
    void readSnapshot(SnapshotReader in) {
        if (in.readBoolean()) {
            int count = in.readCount(1);
            List<String> names = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                names.add(in.readString());
            }
            GovernanceSpec restored = new GovernanceSpec(names, in.readVarInt(), in.readVarLong());
            if (restored.problem() != null) {
                throw in.fail("governance: " + restored.problem());
            }
            install(restored);
        }
        int scaleCount = in.readCount(8);
        for (int i = 0; i < scaleCount; i++) {
            int id = in.readIndex(markets.books.length, "instrument");
            if (markets.books[id] == null || scales.containsKey(id)) {
                throw in.fail("risk scale of instrument " + id + ": not listed, or there twice");
            }
            int tiers = in.readCount(3);
            List<MarginTier> listed = new ArrayList<>(tiers);
            for (int k = 0; k < tiers; k++) {
                listed.add(MarginTier.of(in.readVarLong(), in.readVarLong(), in.readVarLong()));
            }
            Scale s = new Scale(id, new MarginSchedule(listed), in.readVarLong(), in.readVarLong());
            s.bounds = readBounds(in);
            s.multiplierPpm = in.readVarLong();
            s.changedAt = in.readVarLong();
            s.pendingPpm = in.readVarLong();
            s.pendingAt = in.readVarLong();
            if (s.multiplierPpm <= 0 || s.pendingPpm < 0) {
                throw in.fail("risk scale of instrument " + id + ": multiplier " + s.multiplierPpm);
            }
            scales.put(id, s);
            install(s);
        }
        int proposalCount = in.readCount(8);
        for (int i = 0; i < proposalCount; i++) {
            Proposal p = new Proposal(in.readVarLong(), in.readCount(1), readBounds(in), in.readVarLong());
            p.eta = in.readVarLong();
            int approvals = in.readCount(Address.BYTES);
            for (int k = 0; k < approvals; k++) {
                byte[] bytes = in.readBytes();
                if (bytes.length != Address.BYTES) {
                    throw in.fail("proposal " + p.id + ": an approval is not an address");
                }
                p.approvals.add(Address.of(bytes));
            }
            if (spec == null || markets.books.length <= p.instrument || markets.books[p.instrument] == null
                    || proposals.put(p.id, p) != null) {
                throw in.fail("proposal " + p.id + " without governance, for an unlisted instrument, or there twice");
            }
        }
        lastChainRef = in.hasRemaining() ? in.readVarLong() : 0;
        if (lastChainRef < 0) {
            throw in.fail("last on-chain risk bounds " + lastChainRef);
        }
        scheduleNext();
    }
}
