package io.meridian.auth;

import io.meridian.model.RejectReason;

/**
 * Every reason a signed request or an agent approval is refused. Each is one of the engine's {@link RejectReason}s
 * (8001-8011): its code and description are that reason's, not a copy, so the gateway (which refuses with these) and
 * the engine (which refuses with those) can never give one case two codes. Codes never change meaning once published.
 * {@link #description()} is the generic text; each {@link Verdict} carries a message with the specifics of the case.
 */
public enum AuthReject {
    MALFORMED(RejectReason.AUTH_MALFORMED),
    BAD_SIGNATURE(RejectReason.BAD_SIGNATURE),
    MALLEABLE_SIGNATURE(RejectReason.MALLEABLE_SIGNATURE),
    WRONG_SIGNER(RejectReason.WRONG_SIGNER),
    AGENT_NOT_AUTHORISED(RejectReason.AGENT_NOT_AUTHORISED),
    AGENT_EXPIRED(RejectReason.AGENT_EXPIRED),
    AGENT_NOT_PERMITTED(RejectReason.AGENT_NOT_PERMITTED),
    AGENT_LIMIT(RejectReason.AGENT_LIMIT),
    NONCE_REUSED(RejectReason.NONCE_REUSED),
    NONCE_TOO_OLD(RejectReason.NONCE_TOO_OLD),
    NONCE_TOO_NEW(RejectReason.NONCE_TOO_NEW);

    private final RejectReason rejectReason;

    AuthReject(RejectReason rejectReason) {
        this.rejectReason = rejectReason;
    }

    /** Stable numeric code: the {@link #rejectReason()}'s. */
    public int code() {
        return rejectReason.code();
    }

    /** Generic description of the reason: the {@link #rejectReason()}'s message. */
    public String description() {
        return rejectReason.message();
    }

    /** The engine's reject reason this is: what the engine refuses with when it finds the same fault. */
    public RejectReason rejectReason() {
        return rejectReason;
    }
}
