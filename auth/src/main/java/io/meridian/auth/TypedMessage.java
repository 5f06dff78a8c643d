package io.meridian.auth;

import java.util.Map;

/**
 * A Meridian message that is signed as EIP-712 typed data: its struct (see {@link MeridianTypes}), its values, its
 * {@code hashStruct} and the digest a wallet signs under a domain. Each implementation is a record whose struct is
 * described once, by its {@link SignedStruct} table; the methods below all come from that table.
 */
public sealed interface TypedMessage permits AccountRequest, AgentAction {

    /** The EIP-712 primary type, e.g. {@code Order}. */
    String primaryType();

    /** The nonce: by convention the signer's clock in Unix epoch milliseconds (see {@link NonceTracker}). */
    long nonce();

    /**
     * Whether every field fits its EIP-712 type (e.g. a {@code uint8} field in [0, 255]):
     * {@link AuthReject#MALFORMED} with the field named when not.
     */
    Verdict validate();

    /** The struct's values as {@link Eip712Types} takes them (and as {@link TypedDataJson} prints them). */
    Map<String, Object> message();

    /**
     * {@code hashStruct(message)}.
     *
     * @throws IllegalArgumentException if {@link #validate()} rejects the message
     */
    byte[] structHash();

    /** The 32-byte EIP-712 digest under {@code domain}: what the owner or the agent signs. */
    default byte[] digest(Eip712Domain domain) {
        return domain.digest(structHash());
    }
}
