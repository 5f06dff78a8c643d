package io.meridian.auth;

import java.util.Objects;

/**
 * An admin's approval (APPROVE_PROPOSAL, {@code action} 0) or veto (CANCEL_PROPOSAL, {@code action} 1) of a governance
 * proposal (docs/risk.md, "Governance"). Signed by the admin's own key.
 *
 * @param account    the admin's address
 * @param proposalId the proposal: the sequence of its PROPOSE_RISK_BOUNDS
 * @param action     0 approve, 1 cancel ({@code uint8})
 * @param nonce      the admin's nonce (epoch milliseconds)
 */
public record ProposalVote(Address account, long proposalId, int action, long nonce) implements AccountRequest {
    public static final int APPROVE = 0;
    public static final int CANCEL = 1;

    public ProposalVote {
        Objects.requireNonNull(account, "account");
    }

    static final SignedStruct<ProposalVote> STRUCT = SignedStruct.builder(MeridianTypes.PROPOSAL_VOTE, ProposalVote.class)
            .address("account", ProposalVote::account, SignedCommands::account)
            .uint64("proposalId", ProposalVote::proposalId, c -> c.proposalId)
            .uint8("action", ProposalVote::action,
                    c -> c.type == io.meridian.model.CommandType.CANCEL_PROPOSAL ? CANCEL : APPROVE)
            .uint64("nonce", ProposalVote::nonce, c -> c.nonce)
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
