package io.meridian.auth;

import java.util.Objects;

/**
 * An account request with its signature: what the gateway decodes and the journal keeps beside the command.
 *
 * @param request   the order, cancel or withdrawal
 * @param signature the owner's ECDSA signature or an agent's Ed25519 signature over {@code request}'s digest
 */
public record SignedRequest(AccountRequest request, Signature signature) {

    public SignedRequest {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(signature, "signature");
    }
}
