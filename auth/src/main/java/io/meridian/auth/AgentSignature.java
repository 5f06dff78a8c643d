package io.meridian.auth;

import java.util.Arrays;

/**
 * An Ed25519 signature by an agent key over a request's EIP-712 digest. The key travels with the signature so the
 * verifier knows which approval to look up. The signature bytes are kept as given (any length, so every input is
 * representable); a wrong length simply fails verification. Immutable.
 *
 * @param agentKey  the signing agent's public key
 * @param signature the 64-byte signature
 */
public record AgentSignature(AgentKey agentKey, byte[] signature) implements Signature {

    public AgentSignature {
        if (agentKey == null || signature == null) {
            throw new IllegalArgumentException("agent key and signature are required");
        }
        signature = signature.clone();
    }

    /** A copy of the signature bytes. */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentSignature other && agentKey.equals(other.agentKey)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * agentKey.hashCode() + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "AgentSignature{agentKey=" + agentKey + ", signature=" + Hex.encode0x(signature) + "}";
    }
}
