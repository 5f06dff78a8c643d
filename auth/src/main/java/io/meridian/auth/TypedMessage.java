package io.meridian.auth;

import java.util.Map;

/**
 * A Meridian message that is signed as EIP-712 typed data: its struct (see {@link MeridianTypes}), its values, its
 * {@code hashStruct} and the digest a wallet signs under a domain. Each implementation is a record whose struct is
 * described once, by its {@link SignedStruct} table, which {@link #struct()} names; every other method reads that table.
 */
public sealed interface TypedMessage permits AccountRequest, AgentAction {

    /**
     * The table that describes this message's struct ({@code OrderRequest.STRUCT} and so on): the one thing each
     * record says; the methods below read it.
     */
    SignedStruct<?> struct();

    /** The EIP-712 primary type, e.g. {@code Order}. */
    default String primaryType() {
        return struct().name();
    }

    /** The nonce: by convention the signer's clock in Unix epoch milliseconds (see {@link NonceTracker}). */
    long nonce();

    /**
     * Whether every field fits its EIP-712 type (e.g. a {@code uint8} field in [0, 255]):
     * {@link AuthReject#MALFORMED} with the field named when not.
     */
    default Verdict validate() {
        return table().validate(this);
    }

    /** The struct's values as {@link Eip712Types} takes them (and as {@link TypedDataJson} prints them). */
    default Map<String, Object> message() {
        return table().message(this);
    }

    /**
     * {@code hashStruct(message)}.
     *
     * @throws IllegalArgumentException if {@link #validate()} rejects the message
     */
    default byte[] structHash() {
        return table().structHash(this);
    }

    /** {@link #struct()} as a table of this message's own type (each record's table is of its own type). */
    @SuppressWarnings("unchecked")
    private SignedStruct<TypedMessage> table() {
        return (SignedStruct<TypedMessage>) struct();
    }

    /** The 32-byte EIP-712 digest under {@code domain}: what the owner or the agent signs. */
    default byte[] digest(Eip712Domain domain) {
        return domain.digest(structHash());
    }
}
