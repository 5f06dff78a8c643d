package io.meridian.auth;

import java.util.Objects;

/**
 * The owner's revocation of an agent key: from this action on, the agent's signatures are refused, and any approval of
 * the same key with an older nonce can no longer be applied.
 *
 * @param agentKey the agent's Ed25519 public key
 * @param nonce    the owner's nonce (epoch milliseconds)
 */
public record RevokeAgent(AgentKey agentKey, long nonce) implements AgentAction {

    public RevokeAgent {
        Objects.requireNonNull(agentKey, "agentKey");
    }

    /** The struct: each member with its Solidity type, this record's component and the command field it is signed from. */
    static final SignedStruct<RevokeAgent> STRUCT = SignedStruct.builder(MeridianTypes.REVOKE_AGENT, RevokeAgent.class)
            .agentKey("agentKey", RevokeAgent::agentKey, SignedCommands::agentKey)
            .uint64("nonce", RevokeAgent::nonce, c -> c.nonce)
            .build();

    @Override
    public SignedStruct<?> struct() {
        return STRUCT;
    }
}
