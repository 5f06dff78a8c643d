package io.meridian.node.codec;

import io.meridian.auth.AgentKey;
import io.meridian.auth.EcdsaSignature;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.SignedCommands;
import io.meridian.auth.Verdict;
import io.meridian.model.Command;
import io.meridian.model.CommandType;


/**
 * The gateway's half of request authorisation (docs/auth.md): reads a request's {@code address}, {@code nonce},
 * {@code signature} and optional {@code agentKey} into the command, and verifies the signature over the EIP-712 message
 * the command stands for ({@link SignedCommands}) before it is sequenced. The engine does the stateful half in log
 * order (the address's account, the agent's approval, the nonce), and the journal keeps the signature.
 *
 * <p>Rejects: 400 {@code BAD_FIELD} for fields that do not parse; 401 with the auth library's codes (8001-8011) for a
 * signature that does not verify, and 401 {@code SIGNATURE_REQUIRED} (8014) for a request by account id when the node
 * requires signatures. Verification (about 0.3 ms for secp256k1 recovery, 0.1 ms for Ed25519) runs on the calling
 * Netty I/O thread (or FIX session thread), never on the engine thread. Stateless and thread-safe.
 */
public final class RequestSigning {
    public static final int SIGNATURE_REQUIRED = io.meridian.model.RejectReason.SIGNATURE_REQUIRED.code();
    private static final int UNAUTHORISED = 401;

    private final Eip712Domain domain;
    private final boolean required;

    /**
     * @param domain   the EIP-712 domain clients sign under
     * @param required whether requests by account id (unsigned) are refused (auth mode signed)
     */
    public RequestSigning(Eip712Domain domain, boolean required) {
        this.domain = domain;
        this.required = required;
    }

    /** The domain clients sign under. */
    public Eip712Domain domain() {
        return domain;
    }

    /** Whether requests by account id are refused. */
    public boolean required() {
        return required;
    }

    /**
     * Copies the signature fields of a request into {@code c}. All four absent: an unsigned request (by account id).
     *
     * @throws RequestException 400 naming the field that does not parse, or when the request names both an address
     *                          and an account
     */
    public void attach(Command c, String address, Long nonce, String signature, String agentKey)
            throws RequestException {
        if (address == null && nonce == null && signature == null && agentKey == null) {
            return;
        }
        if (address == null || nonce == null || signature == null) {
            throw RequestException.badField("address, nonce and signature: all required for a signed request");
        }
        byte[] parsedAddress = Ids.address(address, "address");
        if (c.account != 0) {
            throw RequestException.badField("account: a signed request names its address, not an account id");
        }
        c.address = parsedAddress;
        c.nonce = nonce;
        c.signature = Ids.hex(signature, "signature",
                agentKey == null ? EcdsaSignature.BYTES : AgentKey.SIGNATURE_BYTES);
        c.agentKey = agentKey == null ? null : Ids.hex(agentKey, "agentKey", AgentKey.BYTES);
    }

    /**
     * Refuses an unsigned request when signatures are required, and verifies a signed one.
     *
     * @throws RequestException 401 with the reason
     */
    public void verify(Command c) throws RequestException {
        if (c.type == CommandType.DEPOSIT) {
            // A credit to an address (the bridge's, or the dev route's), not a request by its owner: nothing to sign.
            return;
        }
        if (c.address == null) {
            if (required && SignedCommands.isSignable(c.type)) {
                throw new RequestException(UNAUTHORISED, SIGNATURE_REQUIRED,
                        "this node accepts only signed requests: name the address and sign (docs/auth.md)");
            }
            return;
        }
        if (c.signature == null && c.sessionId != 0) {
            // Made in the connection's session, whose login was verified: the engine checks the session is open.
            return;
        }
        Verdict verdict = SignedCommands.verify(domain, c);
        if (!verdict.isOk()) {
            throw new RequestException(UNAUTHORISED, verdict.reason().code(), verdict.message());
        }
    }

    /** A rate-limit key for a signed request: its address, kept apart from account ids by the sign bit. */
    public static long rateKey(Command c) {
        if (c.address == null) {
            return c.account;
        }
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key = (key << 8) | (c.address[i] & 0xFF);
        }
        return key | Long.MIN_VALUE;
    }
}
