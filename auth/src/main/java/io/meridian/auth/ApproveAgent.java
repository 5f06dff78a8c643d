package io.meridian.auth;

import java.util.Objects;

/**
 * The owner's approval of an agent key: from {@code nonce} on, until {@code validUntil}, the agent may sign orders and
 * cancels for the owner's account. Re-approving the same key with a newer nonce replaces the approval (e.g. to extend
 * it); {@link RevokeAgent} ends it.
 *
 * @param agentKey   the agent's Ed25519 public key
 * @param name       a label the owner chooses, at most {@value MeridianTypes#MAX_AGENT_NAME} characters
 * @param nonce      the owner's nonce (epoch milliseconds)
 * @param validUntil the approval expires at this instant (epoch milliseconds, exclusive)
 */
public record ApproveAgent(AgentKey agentKey, String name, long nonce, long validUntil) implements AgentAction {

    public ApproveAgent {
        Objects.requireNonNull(agentKey, "agentKey");
        Objects.requireNonNull(name, "name");
    }

    /**
     * The struct: each member with its Solidity type, this record's component and the command field it is signed from;
     * and the name's length limit.
     */
    static final SignedStruct<ApproveAgent> STRUCT = SignedStruct.builder(MeridianTypes.APPROVE_AGENT, ApproveAgent.class)
            .agentKey("agentKey", ApproveAgent::agentKey, SignedCommands::agentKey)
            .string("name", ApproveAgent::name, SignedCommands::agentName)
            .uint64("nonce", ApproveAgent::nonce, c -> c.nonce)
            .uint64("validUntil", ApproveAgent::validUntil, c -> c.validUntil)
            .check(ApproveAgent::checkName)
            .build();

    private static Verdict checkName(ApproveAgent approve) {
        if (approve.name.length() > MeridianTypes.MAX_AGENT_NAME) {
            return Verdict.reject(AuthReject.MALFORMED, "ApproveAgent.name is longer than "
                    + MeridianTypes.MAX_AGENT_NAME + " characters");
        }
        return Verdict.ok();
    }

    @Override
    public SignedStruct<?> struct() {
        return STRUCT;
    }
}
