package io.meridian.auth;

import java.util.Objects;

/**
 * An admin's proposal of risk bounds for an instrument (PROPOSE_RISK_BOUNDS; docs/risk.md, "Governance"). Signed by the
 * admin's own key: governance is never delegated to agent keys or sessions.
 *
 * @param account             the admin's address
 * @param instrument          the instrument ({@code uint32})
 * @param floorPpm            the lowest risk multiplier, ppm
 * @param ceilingPpm          the highest risk multiplier, ppm
 * @param maxChangePerHourPpm the largest change per hour, ppm
 * @param hysteresisPpm       the smallest change, ppm
 * @param noticeMillis        the least notice of a change, milliseconds
 * @param nonce               the admin's nonce (epoch milliseconds)
 */
public record RiskBoundsProposal(Address account, int instrument, long floorPpm, long ceilingPpm,
                                 long maxChangePerHourPpm, long hysteresisPpm, long noticeMillis, long nonce)
        implements AccountRequest {

    public RiskBoundsProposal {
        Objects.requireNonNull(account, "account");
    }

    static final SignedStruct<RiskBoundsProposal> STRUCT = SignedStruct.builder(MeridianTypes.RISK_BOUNDS_PROPOSAL,
                    RiskBoundsProposal.class)
            .address("account", RiskBoundsProposal::account, SignedCommands::account)
            .uint32("instrument", RiskBoundsProposal::instrument, c -> c.instrument)
            .uint64("floorPpm", RiskBoundsProposal::floorPpm, c -> SignedCommands.bounds(c).floorPpm())
            .uint64("ceilingPpm", RiskBoundsProposal::ceilingPpm, c -> SignedCommands.bounds(c).ceilingPpm())
            .uint64("maxChangePerHourPpm", RiskBoundsProposal::maxChangePerHourPpm,
                    c -> SignedCommands.bounds(c).maxChangePerHourPpm())
            .uint64("hysteresisPpm", RiskBoundsProposal::hysteresisPpm, c -> SignedCommands.bounds(c).hysteresisPpm())
            .uint64("noticeMillis", RiskBoundsProposal::noticeMillis, c -> SignedCommands.bounds(c).noticeMillis())
            .uint64("nonce", RiskBoundsProposal::nonce, c -> c.nonce)
            .build();

    @Override
    public SignedStruct<?> struct() {
        return STRUCT;
    }

    @Override
    public boolean agentMaySign() {
        return false;
    }
}
