package io.meridian.node;

import io.meridian.auth.Address;
import io.meridian.auth.AgentKey;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.EcdsaSignature;
import io.meridian.auth.Outcome;
import io.meridian.auth.Hex;
import io.meridian.auth.Verdict;
import io.meridian.auth.SignedCommands;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.netty.handler.codec.http.HttpResponseStatus;


/**
 * The gateway's half of request authorisation (docs/auth.md): reads a request's {@code address}, {@code nonce},
 * {@code signature} and optional {@code agentKey} into the command, and verifies the signature over the EIP-712 message
 * the command stands for ({@link SignedCommands}) before it is sequenced. The engine does the stateful half in log
 * order (the address's account, the agent's approval, the nonce), and the journal keeps the signature.
 *
 * <p>Rejects: 400 {@code BAD_FIELD} for fields that do not parse; 401 with the auth library's codes (8001-8011) for a
 * signature that does not verify, and 401 {@code SIGNATURE_REQUIRED} (8014) for a request by account id when the node
 * requires signatures. Verification (about 0.3 ms for secp256k1 recovery, 0.1 ms for Ed25519) runs on the calling
 * Netty I/O thread, never on the engine thread. Stateless and thread-safe.
 */
final class RequestSigning {
    static final int SIGNATURE_REQUIRED = io.meridian.model.RejectReason.SIGNATURE_REQUIRED.code();
    private static final HttpResponseStatus UNAUTHORISED = HttpResponseStatus.UNAUTHORIZED;

    private final Eip712Domain domain;
    private final boolean required;

    RequestSigning(NodeConfig.Auth auth) {
        this.domain = auth.domain();
        this.required = auth.signaturesRequired();
    }

    /** The domain clients sign under. */
    Eip712Domain domain() {
        return domain;
    }

    /** Whether requests by account id are refused. */
    boolean required() {
        return required;
    }

    /**
     * Copies the signature fields of a request into {@code c}. All four absent: an unsigned request (by account id).
     *
     * @throws HttpGateway.RequestException 400 naming the field that does not parse, or when the request names both an
     *                                      address and an account
     */
    void attach(Command c, String address, Long nonce, String signature, String agentKey)
            throws HttpGateway.RequestException {
        if (address == null && nonce == null && signature == null && agentKey == null) {
            return;
        }
        if (address == null || nonce == null || signature == null) {
            throw bad("address, nonce and signature: all required for a signed request");
        }
        Outcome<Address> parsedAddress = Address.parse(address);
        if (!parsedAddress.isOk()) {
            throw bad("address: " + parsedAddress.verdict().message());
        }
        if (c.account != 0) {
            throw bad("account: a signed request names its address, not an account id");
        }
        c.address = parsedAddress.value().toBytes();
        c.nonce = nonce;
        c.signature = hex(signature, "signature", agentKey == null ? EcdsaSignature.BYTES : AgentKey.SIGNATURE_BYTES);
        c.agentKey = agentKey == null ? null : hex(agentKey, "agentKey", AgentKey.BYTES);
    }

    /** A 32-byte Ed25519 public key field (an agent being approved or revoked). */
    static byte[] agentKey(String text) throws HttpGateway.RequestException {
        return hex(text, "agentKey", AgentKey.BYTES);
    }

    /** A 20-byte address field, e.g. a withdrawal's destination. */
    static byte[] address(String text, String field) throws HttpGateway.RequestException {
        if (text == null) {
            throw bad(field + ": required");
        }
        Outcome<Address> parsed = Address.parse(text);
        if (!parsed.isOk()) {
            throw bad(field + ": " + parsed.verdict().message());
        }
        return parsed.value().toBytes();
    }

    /**
     * Refuses an unsigned request when signatures are required, and verifies a signed one.
     *
     * @throws HttpGateway.RequestException 401 with the reason
     */
    void verify(Command c) throws HttpGateway.RequestException {
        if (c.type == CommandType.DEPOSIT) {
            // A credit to an address (the bridge's, or the dev route's), not a request by its owner: nothing to sign.
            return;
        }
        if (c.address == null) {
            if (required && SignedCommands.isSignable(c.type)) {
                throw new HttpGateway.RequestException(UNAUTHORISED, SIGNATURE_REQUIRED,
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
            throw new HttpGateway.RequestException(UNAUTHORISED, verdict.reason().code(), verdict.message());
        }
    }

    /** A rate-limit key for a signed request: its address, kept apart from account ids by the sign bit. */
    static long rateKey(Command c) {
        if (c.address == null) {
            return c.account;
        }
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key = (key << 8) | (c.address[i] & 0xFF);
        }
        return key | Long.MIN_VALUE;
    }

    private static byte[] hex(String text, String field, int length) throws HttpGateway.RequestException {
        byte[] bytes = Hex.decodeOrNull(text);
        if (bytes == null) {
            throw bad(field + ": not hex");
        }
        if (bytes.length != length) {
            throw bad(field + ": must be " + length + " bytes, was " + bytes.length);
        }
        return bytes;
    }

    private static HttpGateway.RequestException bad(String message) {
        return new HttpGateway.RequestException(HttpResponseStatus.BAD_REQUEST, HttpGateway.BAD_FIELD, message);
    }
}
