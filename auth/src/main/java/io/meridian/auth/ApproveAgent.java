package io.meridian.auth;

import java.util.LinkedHashMap;
import java.util.Map;
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

    @Override
    public String primaryType() {
        return MeridianTypes.APPROVE_AGENT;
    }

    @Override
    public Verdict validate() {
        if (name.length() > MeridianTypes.MAX_AGENT_NAME) {
            return Verdict.reject(AuthReject.MALFORMED, "ApproveAgent.name is longer than "
                    + MeridianTypes.MAX_AGENT_NAME + " characters");
        }
        return Verdict.ok();
    }

    @Override
    public Map<String, Object> message() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agentKey", agentKey.toBytes());
        m.put("name", name);
        m.put("nonce", MeridianTypes.u64(nonce));
        m.put("validUntil", MeridianTypes.u64(validUntil));
        return m;
    }

    @Override
    public byte[] structHash() {
        MeridianTypes.requireValid(this);
        return new StructHasher(MeridianTypes.APPROVE_AGENT_TYPEHASH)
                .put(agentKey.toBytes())
                .putString(name)
                .putUint(nonce)
                .putUint(validUntil)
                .finish();
    }
}
