package io.meridian.node.http;

import io.meridian.auth.Address;
import io.meridian.auth.ProposalVote;
import io.meridian.engine.Engine;
import io.meridian.engine.ProposalView;
import io.meridian.engine.RiskScaleView;
import io.meridian.model.Command;
import io.meridian.model.GovernanceSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RiskBounds;
import io.meridian.node.codec.Decimals;
import io.meridian.node.codec.GovernanceRequests;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Times;
import io.meridian.risk.margin.MarginTier;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * Volatility-driven risk parameters and their governance (docs/api.md, "Risk parameters and governance"): the
 * parameters in force per instrument with the next announced change, the venue's governance with its open proposals,
 * and the admins' signed proposals, approvals and vetoes. Reads are engine-loop queries (on the engine thread, after
 * every command queued before them); the JSON is made on the connection's I/O thread. Ratios and multipliers are
 * decimals ({@code "1.5"} = 1.5x, {@code "0.05"} = 5%), times the engine's epoch nanoseconds.
 */
final class GovernanceRoutes {
    /** A pending proposal expires a week after it was made (the engine's rule; docs/risk.md, "Governance"). */
    static final long PROPOSAL_TTL_NANOS = 7L * 86_400_000_000_000L;

    private final Gateway gateway;

    GovernanceRoutes(Gateway gateway) {
        this.gateway = gateway;
    }

    List<Route> routes() {
        AuthRequirement signed = AuthRequirement.SIGNED_COMMAND;
        RateClass change = RateClass.ACCOUNT_CHANGE;
        return List.of(
                Route.of(GET, "/v1/risk-parameters", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::parameters)
                        .query("instrument"),
                Route.of(GET, "/v1/governance", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::governance),
                Route.of(POST, "/v1/governance/proposals", signed, change, this::propose),
                Route.of(POST, "/v1/governance/proposals/{id}/approve", signed, change, x -> vote(x, ProposalVote.APPROVE)),
                Route.of(POST, "/v1/governance/proposals/{id}/cancel", signed, change, x -> vote(x, ProposalVote.CANCEL)));
    }

    /**
     * {@code GET /v1/risk-parameters[?instrument=N]}: per model-margined instrument (every perpetual; options are
     * margined by the option rules), the parameters in force and the next change; 400 for an option or an unknown id.
     */
    private void parameters(Exchange x) throws RequestException {
        List<InstrumentSpec> specs = new ArrayList<>();
        String only = x.query("instrument");
        if (only != null) {
            InstrumentSpec spec = gateway.instruments().require(only);
            if (spec.kind() == io.meridian.model.InstrumentKind.OPTION) {
                throw RequestException.badField("instrument: " + spec.id() + " is an option: options are margined by"
                        + " the option rules, without risk parameters (7021)");
            }
            specs.add(spec);
        } else {
            specs.addAll(gateway.instruments().all());
        }
        x.reply(gateway.engine().query(e -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (InstrumentSpec spec : specs) {
                RiskScaleView view = e.view().riskScale(spec.id());
                if (view != null) {
                    list.add(parameters(spec, view));
                }
            }
            return list;
        }));
    }

    /** One instrument's parameters in force (engine thread: built from the immutable view). */
    static Map<String, Object> parameters(InstrumentSpec spec, RiskScaleView view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instrument", spec.id());
        m.put("symbol", spec.symbol());
        m.put("multiplier", ratio(view.multiplierPpm()));
        List<Map<String, Object>> tiers = new ArrayList<>();
        for (MarginTier tier : view.tiers()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("notionalFloor", Decimals.amount(tier.notionalFloor(), spec.settlementScale()));
            t.put("initialMarginRate", ratio(tier.initialRatePpm()));
            t.put("maintenanceMarginRate", ratio(tier.maintenanceRatePpm()));
            t.put("maxLeverage", tier.maxLeverage());
            tiers.add(t);
        }
        m.put("tiers", tiers);
        m.put("positionLimit", view.positionLimit() == 0 ? null : Decimals.quantity(view.positionLimit(), spec));
        m.put("priceBand", view.priceBandPpm() == 0 ? null : ratio(view.priceBandPpm()));
        m.put("bounds", bounds(view.bounds()));
        Times.putOrNull(m, "changedAt", view.changedAt());
        Map<String, Object> next = null;
        if (view.nextAt() != 0) {
            next = new LinkedHashMap<>();
            next.put("multiplier", ratio(view.nextMultiplierPpm()));
            Times.put(next, "at", view.nextAt());
        }
        m.put("next", next);
        m.put("realisedVolatility", view.volatilityPpm() == 0 ? null : ratio(view.volatilityPpm()));
        return m;
    }

    /** {@code GET /v1/governance}: the admins, threshold and timelock, and the open proposals by id. */
    private void governance(Exchange x) {
        x.reply(gateway.engine().query(GovernanceRoutes::governance));
    }

    /** The governance answer (engine thread). */
    static Map<String, Object> governance(Engine e) {
        GovernanceSpec spec = e.view().governance();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("set", spec != null);
        m.put("admins", spec == null ? List.of() : spec.admins().stream().map(GovernanceRoutes::checksum).toList());
        m.put("threshold", spec == null ? null : spec.threshold());
        m.put("timelockMillis", spec == null ? null : spec.timelockMillis());
        List<Map<String, Object>> proposals = new ArrayList<>();
        for (ProposalView p : e.view().proposals()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", p.id());
            o.put("instrument", p.instrument());
            o.put("bounds", bounds(p.bounds()));
            o.put("state", p.eta() == 0 ? "pending" : "queued");
            Times.put(o, "createdAt", p.createdAt());
            o.put("approvals", p.approvals().stream().map(GovernanceRoutes::checksum).toList());
            Times.putOrNull(o, "eta", p.eta());
            Times.put(o, "expiresAt", p.eta() == 0 ? p.createdAt() + PROPOSAL_TTL_NANOS : null);
            proposals.add(o);
        }
        m.put("proposals", proposals);
        return m;
    }

    /** {@code POST /v1/governance/proposals}: an admin's signed proposal; the answer's {@code proposalId} names it. */
    private void propose(Exchange x) throws RequestException {
        GovernanceRequests.ProposalBody body = x.body(GovernanceRequests.ProposalBody.class);
        Command c = GovernanceRequests.proposal(body, gateway.instruments(), gateway.signing());
        gateway.command(c, null, x.context().channel(), x.responder());
    }

    /** {@code POST /v1/governance/proposals/{id}/approve} and {@code /cancel}: an admin's signed vote. */
    private void vote(Exchange x, int action) throws RequestException {
        GovernanceRequests.VoteBody body = x.body(GovernanceRequests.VoteBody.class);
        Command c = GovernanceRequests.vote(x.parameter("id"), action, body, gateway.signing());
        gateway.command(c, null, x.context().channel(), x.responder());
    }

    /** Bounds as decimals ({@code noticeMillis} as is), or null. */
    static Map<String, Object> bounds(RiskBounds b) {
        if (b == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("floor", ratio(b.floorPpm()));
        m.put("ceiling", ratio(b.ceilingPpm()));
        m.put("maxChangePerHour", ratio(b.maxChangePerHourPpm()));
        m.put("hysteresis", ratio(b.hysteresisPpm()));
        m.put("noticeMillis", b.noticeMillis());
        return m;
    }

    /** Parts per million as a decimal without trailing zeros: 1,500,000 is {@code "1.5"}, 50,000 {@code "0.05"}. */
    static String ratio(long ppm) {
        return BigDecimal.valueOf(ppm, 6).stripTrailingZeros().toPlainString();
    }

    private static String checksum(String address) {
        return Address.parseOrThrow(address).toChecksumHex();
    }
}
