package io.meridian.auth;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secp256k1 private key that signs EIP-712 digests as an Ethereum wallet does: RFC 6979 deterministic nonces
 * (HMAC-SHA256), low-s normalisation and {@code v} in {27, 28}. The same key and digest always give the same signature.
 * For clients, tests and the demo; the exchange itself never holds an owner's key. Immutable and thread-safe; never
 * prints the key.
 */
public final class Secp256k1PrivateKey {

    private final BigInteger d;
    private final byte[] publicKey;
    private final Address address;

    private Secp256k1PrivateKey(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("a private key must be in [1, n)");
        }
        this.d = d;
        byte[] encoded = new FixedPointCombMultiplier().multiply(Secp256k1.DOMAIN.getG(), d).normalize().getEncoded(false);
        this.publicKey = Arrays.copyOfRange(encoded, 1, 65);
        this.address = Address.fromPublicKey(publicKey);
    }

    /**
     * The key with this 32-byte big-endian value.
     *
     * @throws IllegalArgumentException if {@code bytes} is not 32 bytes or its value is not in [1, n)
     */
    public static Secp256k1PrivateKey of(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a private key is 32 bytes");
        }
        return new Secp256k1PrivateKey(new BigInteger(1, bytes));
    }

    /** A fresh key from {@code random}. */
    public static Secp256k1PrivateKey random(SecureRandom random) {
        while (true) {
            BigInteger d = new BigInteger(256, random);
            if (d.signum() > 0 && d.compareTo(Secp256k1.N) < 0) {
                return new Secp256k1PrivateKey(d);
            }
        }
    }

    /** The 64-byte uncompressed public key {@code x || y} (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The key's Ethereum address. */
    public Address address() {
        return address;
    }

    /**
     * Signs a 32-byte digest (normally an EIP-712 digest; never a raw message, which must be hashed first).
     *
     * @throws IllegalArgumentException if {@code digest} is not 32 bytes
     */
    public EcdsaSignature sign(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("sign a 32-byte digest");
        }
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, Secp256k1.DOMAIN));
        BigInteger[] rs = signer.generateSignature(digest);
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (s.compareTo(Secp256k1.HALF_N) > 0) {
            // Negating s mirrors R's y-coordinate; the recovery id found below accounts for it.
            s = Secp256k1.N.subtract(s);
        }
        for (int parity = 0; parity < 2; parity++) {
            byte[] recovered = Secp256k1.recoverPublicKey(digest, r, s, parity);
            if (recovered != null && Arrays.equals(recovered, publicKey)) {
                return new EcdsaSignature(r, s, 27 + parity);
            }
        }
        throw new IllegalStateException("no recovery id reproduces the signing key");
    }

    @Override
    public String toString() {
        return "Secp256k1PrivateKey{address=" + address + "}";
    }
}
