package io.meridian.auth;

import java.util.Objects;

/**
 * An owner's approval or revocation of an agent key with the owner's signature.
 *
 * @param owner     the account whose agent this is; the signature must recover to it
 * @param action    the approval or revocation
 * @param signature the owner's ECDSA signature over {@code action}'s digest
 */
public record SignedAgentAction(Address owner, AgentAction action, EcdsaSignature signature) {

    public SignedAgentAction {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(signature, "signature");
    }
}
