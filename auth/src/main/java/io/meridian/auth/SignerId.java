package io.meridian.auth;

/**
 * Who signed a message, as far as replay protection is concerned: an owner's {@link Address} for secp256k1 signatures,
 * or an {@link AgentKey} for agent signatures. Nonces are tracked per signer, so each agent (one per trading process,
 * typically) has its own nonce window and cannot collide with its owner's or another agent's.
 */
public sealed interface SignerId permits Address, AgentKey {
}
