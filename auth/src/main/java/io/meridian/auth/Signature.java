package io.meridian.auth;

/**
 * How a request is signed: by the account's owner with secp256k1 ({@link EcdsaSignature}), or by an agent key the owner
 * approved with Ed25519 ({@link AgentSignature}). Both sign the same EIP-712 digest.
 */
public sealed interface Signature permits EcdsaSignature, AgentSignature {
}
