package io.meridian.node.codec;

import io.meridian.auth.ProposalVote;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.RiskBounds;

/**
 * The bodies of the governance routes (docs/api.md, "Risk parameters and governance") into engine commands: an admin's
 * signed proposal of risk bounds ({@code POST /v1/governance/proposals}, EIP-712 {@code RiskBoundsProposal}) and its
 * approval or veto of a proposal ({@code POST /v1/governance/proposals/{id}/approve} and {@code /cancel}, EIP-712
 * {@code ProposalVote}). The fields are the signed struct's, so what the admin signs is what the body says and what the
 * engine runs. Always signed, whatever the auth mode: governance is never made by account id; the signature itself is
 * verified with every other signed request's ({@link RequestSigning#verify}, via the gateway's admit). Stateless.
 *
 * <p>Refusals (400): {@code BAD_FIELD} naming a missing or out-of-range field; {@code INVALID_RISK_BOUNDS} (9005) with
 * the bounds' problem, for bounds the engine would refuse anyway, before anything is journaled.
 */
public final class GovernanceRequests {
    private GovernanceRequests() {
    }

    /**
     * The body of {@code POST /v1/governance/proposals}: the {@code RiskBoundsProposal} members ({@code account} as
     * {@code address}) and the admin's signature.
     */
    public record ProposalBody(InstrumentRef instrument, Long floorPpm, Long ceilingPpm, Long maxChangePerHourPpm,
                               Long hysteresisPpm, Long noticeMillis, String address, Long nonce, String signature) {
    }

    /** The body of an approval or a veto: the admin's address, nonce and signature of the {@code ProposalVote}. */
    public record VoteBody(String address, Long nonce, String signature) {
    }

    /**
     * The PROPOSE_RISK_BOUNDS a proposal body stands for, signature attached (not yet verified).
     *
     * @throws RequestException 400 naming the field, or 9005 with what is wrong with the bounds
     */
    public static Command proposal(ProposalBody body, Instruments instruments, RequestSigning signing)
            throws RequestException {
        InstrumentSpec spec = instruments.resolve(body.instrument(), "instrument");
        RiskBounds bounds = new RiskBounds(required(body.floorPpm(), "floorPpm"), required(body.ceilingPpm(),
                "ceilingPpm"), required(body.maxChangePerHourPpm(), "maxChangePerHourPpm"),
                required(body.hysteresisPpm(), "hysteresisPpm"), required(body.noticeMillis(), "noticeMillis"));
        String problem = bounds.problem();
        if (problem != null) {
            throw new RequestException(400, RejectReason.INVALID_RISK_BOUNDS.code(), "riskBounds: " + problem);
        }
        Command c = new Command().reset();
        c.type = CommandType.PROPOSE_RISK_BOUNDS;
        c.instrument = spec.id();
        c.riskBounds = bounds;
        attach(c, body.address(), body.nonce(), body.signature(), signing);
        return c;
    }

    /**
     * The APPROVE_PROPOSAL ({@code action} {@link ProposalVote#APPROVE}) or CANCEL_PROPOSAL ({@link ProposalVote#CANCEL})
     * of proposal {@code idText} (the path's {@code {id}}) a vote body stands for, signature attached.
     *
     * @throws RequestException 400 naming the field
     */
    public static Command vote(String idText, int action, VoteBody body, RequestSigning signing)
            throws RequestException {
        long id = Ids.positive(idText, "id");
        Command c = new Command().reset();
        c.type = action == ProposalVote.CANCEL ? CommandType.CANCEL_PROPOSAL : CommandType.APPROVE_PROPOSAL;
        c.proposalId = id;
        attach(c, body.address(), body.nonce(), body.signature(), signing);
        return c;
    }

    /** A required non-negative member. */
    private static long required(Long value, String field) throws RequestException {
        if (value == null) {
            throw RequestException.badField(field + ": required");
        }
        if (value < 0) {
            throw RequestException.badField(field + ": must not be negative, was " + value);
        }
        return value;
    }

    /** The admin's signature fields: all three required (no agent key, no session, no account id). */
    private static void attach(Command c, String address, Long nonce, String signature, RequestSigning signing)
            throws RequestException {
        if (address == null || nonce == null || signature == null) {
            throw RequestException.badField("address, nonce and signature: all required (an admin signs every governance"
                    + " request with its own key, docs/auth.md)");
        }
        if (nonce < 0) {
            throw RequestException.badField("nonce: must be the admin's clock in epoch milliseconds, was " + nonce);
        }
        signing.attach(c, address, nonce, signature, null);
    }
}
