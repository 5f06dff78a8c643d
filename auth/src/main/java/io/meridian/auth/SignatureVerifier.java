package io.meridian.auth;

import java.util.Objects;

/**
 * Decides whether a signed order, cancel or withdrawal is authorised by its account's owner, and consumes its nonce.
 *
 * <p>Checks, in this order (the cheap ones first, so junk costs no curve arithmetic):
 * <ol>
 * <li>the request's fields fit their types ({@link AuthReject#MALFORMED});</li>
 * <li>for an agent signature: the request is one agents may sign ({@link AuthReject#AGENT_NOT_PERMITTED}: withdrawals
 * are owner-only), the signature is 64 bytes ({@link AuthReject#MALFORMED}), and the agent is approved by the
 * account's owner at {@code now} ({@link AuthReject#AGENT_NOT_AUTHORISED}, {@link AuthReject#AGENT_EXPIRED});</li>
 * <li>the signature over the request's EIP-712 digest: for the owner, it must recover the account's address
 * ({@link AuthReject#MALFORMED}, {@link AuthReject#BAD_SIGNATURE}, {@link AuthReject#MALLEABLE_SIGNATURE},
 * {@link AuthReject#WRONG_SIGNER}); for an agent, it must verify under the agent key
 * ({@link AuthReject#BAD_SIGNATURE});</li>
 * <li>the nonce passes the signer's {@link NonceTracker} rule (the owner's address or the agent key is the signer).</li>
 * </ol>
 *
 * <p>Time is an argument in Unix epoch milliseconds. Not thread-safe: {@link #accept(SignedRequest, long)} changes the
 * shared nonce tracker, so it runs on the thread that sequences requests, in sequence order, which makes the outcome of
 * a replayed command log identical to the original. {@link #check(SignedRequest, long)} changes nothing. The
 * signature arithmetic (about 0.1 ms for Ed25519, 0.3 ms for secp256k1 recovery on one core) can be moved off that
 * thread: {@link #verifySignature(Eip712Domain, SignedRequest)} is stateless, and
 * {@link #acceptVerified(SignedRequest, long)} does the rest.
 */
public final class SignatureVerifier {

    private final Eip712Domain domain;
    private final AgentRegistry agents;
    private final NonceTracker nonces;

    /**
     * @param domain the venue's domain ({@link MeridianTypes#domain(long, Address)})
     * @param agents the approved agents
     * @param nonces the nonce tracker, shared with {@code agents}
     * @throws IllegalArgumentException if {@code agents} verifies approvals under another domain: approvals and
     *                                  requests of one venue must be signed for the same venue
     */
    public SignatureVerifier(Eip712Domain domain, AgentRegistry agents, NonceTracker nonces) {
        this.domain = Objects.requireNonNull(domain);
        this.agents = Objects.requireNonNull(agents);
        this.nonces = Objects.requireNonNull(nonces);
        if (!agents.domain().equals(domain)) {
            throw new IllegalArgumentException("the agent registry uses another domain: " + agents.domain());
        }
    }

    /** The domain requests are signed under. */
    public Eip712Domain domain() {
        return domain;
    }

    /** Whether {@code signed} is authorised at {@code nowMillis}; changes nothing. */
    public Verdict check(SignedRequest signed, long nowMillis) {
        Verdict verdict = checkShape(signed);
        if (verdict.isOk()) {
            verdict = checkApproval(signed, nowMillis);
        }
        if (verdict.isOk()) {
            verdict = checkSignature(domain, signed);
        }
        if (verdict.isOk()) {
            verdict = nonces.check(signerOf(signed), signed.request().nonce(), nowMillis);
        }
        return verdict;
    }

    /** Checks, and on success records the nonce as used. A reject changes nothing. */
    public Verdict accept(SignedRequest signed, long nowMillis) {
        Verdict verdict = check(signed, nowMillis);
        if (verdict.isOk()) {
            nonces.accept(signerOf(signed), signed.request().nonce(), nowMillis);
        }
        return verdict;
    }

    /**
     * The stateless half of {@link #check(SignedRequest, long)}: fields, whether an agent may sign the request, and
     * the signature itself (secp256k1 recovery or Ed25519 verification, the expensive part). Reads no state, so it is
     * thread-safe and may run on any number of threads before requests are sequenced; the sequencing thread then
     * calls {@link #acceptVerified(SignedRequest, long)}.
     */
    public static Verdict verifySignature(Eip712Domain domain, SignedRequest signed) {
        Verdict verdict = checkShape(signed);
        return verdict.isOk() ? checkSignature(domain, signed) : verdict;
    }

    /**
     * The stateful half, for a request that {@link #verifySignature(Eip712Domain, SignedRequest)} accepted under this
     * verifier's domain: the agent's approval at {@code nowMillis} and the nonce, which is recorded on success.
     * Together the two halves decide exactly as {@link #accept(SignedRequest, long)}. Calling this for a request whose
     * signature was not verified would authorise it unchecked.
     */
    public Verdict acceptVerified(SignedRequest signed, long nowMillis) {
        Verdict verdict = checkApproval(signed, nowMillis);
        if (verdict.isOk()) {
            verdict = nonces.accept(signerOf(signed), signed.request().nonce(), nowMillis);
        }
        return verdict;
    }

    /** Fields fit their types; for agents: the request kind is allowed and the signature has the right length. */
    private static Verdict checkShape(SignedRequest signed) {
        AccountRequest request = signed.request();
        Verdict valid = request.validate();
        if (!valid.isOk()) {
            return valid;
        }
        if (signed.signature() instanceof AgentSignature agent) {
            if (!request.agentMaySign()) {
                return Verdict.reject(AuthReject.AGENT_NOT_PERMITTED, request.primaryType()
                        + " must be signed by the account owner, not by an agent key");
            }
            int length = agent.signature().length;
            if (length != AgentKey.SIGNATURE_BYTES) {
                return Verdict.reject(AuthReject.MALFORMED, "an Ed25519 signature is 64 bytes, got " + length);
            }
        }
        return Verdict.ok();
    }

    /** For agents: approved by the account's owner at {@code nowMillis}. Owners need no approval. */
    private Verdict checkApproval(SignedRequest signed, long nowMillis) {
        if (signed.signature() instanceof AgentSignature agent) {
            return agents.authorisation(signed.request().account(), agent.agentKey(), nowMillis);
        }
        return Verdict.ok();
    }

    /** The signature over the request's digest is the owner's, or verifies under the agent key. */
    private static Verdict checkSignature(Eip712Domain domain, SignedRequest signed) {
        AccountRequest request = signed.request();
        byte[] digest = request.digest(domain);
        if (signed.signature() instanceof AgentSignature agent) {
            if (!agent.agentKey().verify(digest, agent.signature())) {
                return Verdict.reject(AuthReject.BAD_SIGNATURE, "the Ed25519 signature does not verify under agent "
                        + agent.agentKey());
            }
            return Verdict.ok();
        }
        return Secp256k1.verify(digest, (EcdsaSignature) signed.signature(), request.account());
    }

    private static SignerId signerOf(SignedRequest signed) {
        return signed.signature() instanceof AgentSignature agent ? agent.agentKey() : signed.request().account();
    }
}
