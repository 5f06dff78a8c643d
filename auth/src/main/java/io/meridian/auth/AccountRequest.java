package io.meridian.auth;

/**
 * A request that acts on an account: an order, a cancel, an amend, a cancel-all, a settings change
 * or a withdrawal. Signed by the account's owner, or (where
 * {@link #agentMaySign()}) by an agent key the owner approved.
 */
public sealed interface AccountRequest extends TypedMessage permits OrderRequest, CancelRequest, WithdrawRequest,
        AmendRequest, AmendTriggerRequest, CancelAllRequest, SettingsRequest, SessionRequest, ReadAccess,
        RiskBoundsProposal, ProposalVote {

    /** The account acted on: its owner's address. */
    Address account();

    /**
     * Whether an agent key may sign this request. Agents trade, they do not move funds out: a withdrawal needs the
     * owner's own signature, so a leaked agent key can at worst trade badly, never withdraw.
     */
    boolean agentMaySign();
}
