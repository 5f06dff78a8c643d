package io.meridian.auth;

/**
 * Every reason a signed request or an agent approval is refused, with a stable numeric code in the 8xxx range (the
 * engine's {@code RejectReason} uses 1xxx to 7xxx, so the gateway can return both in one {@code code} field).
 * Codes never change meaning once published. {@link #description()} is the generic text; each {@link Verdict} carries a
 * message with the specifics of the case.
 */
public enum AuthReject {
    MALFORMED(8001, "the request or one of its fields cannot be parsed"),
    BAD_SIGNATURE(8002, "the signature does not verify"),
    MALLEABLE_SIGNATURE(8003, "the signature's s value is in the upper half of the curve order"),
    WRONG_SIGNER(8004, "the signature is valid but not by the account's owner"),
    AGENT_NOT_AUTHORISED(8005, "the agent key is not approved by the account's owner"),
    AGENT_EXPIRED(8006, "the agent key's approval has expired"),
    AGENT_NOT_PERMITTED(8007, "agent keys may not sign this kind of request"),
    AGENT_LIMIT(8008, "the owner has too many agent keys"),
    NONCE_REUSED(8009, "the nonce was already used by this signer"),
    NONCE_TOO_OLD(8010, "the nonce is older than the signer's replay window"),
    NONCE_TOO_NEW(8011, "the nonce is too far in the future");

    private final int code;
    private final String description;

    AuthReject(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** Stable numeric code. */
    public int code() {
        return code;
    }

    /** Generic description of the reason. */
    public String description() {
        return description;
    }
}
