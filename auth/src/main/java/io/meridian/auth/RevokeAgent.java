package io.meridian.auth;

import java.util.LinkedHashMap;
import java.util.Map;
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

    @Override
    public String primaryType() {
        return MeridianTypes.REVOKE_AGENT;
    }

    @Override
    public Verdict validate() {
        return Verdict.ok();
    }

    @Override
    public Map<String, Object> message() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agentKey", agentKey.toBytes());
        m.put("nonce", MeridianTypes.u64(nonce));
        return m;
    }

    @Override
    public byte[] structHash() {
        return new StructHasher(MeridianTypes.REVOKE_AGENT_TYPEHASH)
                .put(agentKey.toBytes())
                .putUint(nonce)
                .finish();
    }
}
