package io.meridian.auth;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.security.SecureRandom;

/**
 * An agent's Ed25519 private key (the RFC 8032 32-byte secret seed): signs EIP-712 digests on behalf of the owner who
 * approved its {@link #publicKey()}. Ed25519 signatures are deterministic. For clients, tests and the demo. Immutable
 * and thread-safe; never prints the key.
 */
public final class AgentSigner {

    private final Ed25519PrivateKeyParameters key;
    private final AgentKey publicKey;

    private AgentSigner(Ed25519PrivateKeyParameters key) {
        this.key = key;
        this.publicKey = AgentKey.of(key.generatePublicKey());
    }

    /**
     * The signer with this 32-byte secret seed.
     *
     * @throws IllegalArgumentException if {@code seed} is not 32 bytes
     */
    public static AgentSigner of(byte[] seed) {
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 secret key is 32 bytes");
        }
        return new AgentSigner(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /** A fresh key from {@code random}. */
    public static AgentSigner random(SecureRandom random) {
        return new AgentSigner(new Ed25519PrivateKeyParameters(random));
    }

    /** The public key, which the owner approves. */
    public AgentKey publicKey() {
        return publicKey;
    }

    /** The 64-byte Ed25519 signature of {@code message} (for requests, the 32-byte EIP-712 digest). */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public String toString() {
        return "AgentSigner{publicKey=" + publicKey + "}";
    }
}
