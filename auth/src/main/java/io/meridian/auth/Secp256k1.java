package io.meridian.auth;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * secp256k1 ECDSA as Ethereum uses it: checking a signature's values and recovering the signer's address from a
 * 32-byte digest and {@code (r, s, v)}. Signing is {@link Secp256k1PrivateKey#sign(byte[])}.
 *
 * <p>Accepted signatures: {@code 1 <= r < n}, {@code 1 <= s <= n/2} (low s, as Ethereum requires since EIP-2: each
 * signature has a twin with {@code s' = n - s} that also verifies, and accepting both would give every signed request
 * two encodings), and {@code v} in {27, 28} or {0, 1}. Stateless and thread-safe.
 */
public final class Secp256k1 {

    static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(),
            PARAMS.getH());
    /** The group order n. */
    public static final BigInteger N = PARAMS.getN();
    /** n / 2, the largest accepted s. */
    public static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {
    }

    /**
     * Whether the signature's values are acceptable, before any curve arithmetic: {@link AuthReject#MALFORMED} for a
     * {@code v} outside {0, 1, 27, 28}, {@link AuthReject#BAD_SIGNATURE} for {@code r} or {@code s} out of
     * {@code [1, n)}, {@link AuthReject#MALLEABLE_SIGNATURE} for {@code s > n/2}.
     */
    public static Verdict check(EcdsaSignature signature) {
        int v = signature.v();
        if (v != 0 && v != 1 && v != 27 && v != 28) {
            return Verdict.reject(AuthReject.MALFORMED, "v must be 27 or 28 (or 0 or 1), got " + v);
        }
        if (signature.r().signum() == 0 || signature.r().compareTo(N) >= 0) {
            return Verdict.reject(AuthReject.BAD_SIGNATURE, "r must be in [1, n)");
        }
        if (signature.s().signum() == 0 || signature.s().compareTo(N) >= 0) {
            return Verdict.reject(AuthReject.BAD_SIGNATURE, "s must be in [1, n)");
        }
        if (signature.s().compareTo(HALF_N) > 0) {
            return Verdict.reject(AuthReject.MALLEABLE_SIGNATURE, "s must be at most n/2 (use the low-s form n - s)");
        }
        return Verdict.ok();
    }

    /**
     * The address whose key made {@code signature} over {@code digest}. Never throws: a digest that is not 32 bytes is
     * {@link AuthReject#MALFORMED}, bad values are rejected as by {@link #check(EcdsaSignature)}, and a signature from
     * which no key can be recovered is {@link AuthReject#BAD_SIGNATURE}.
     *
     * <p>A well-formed signature always recovers <em>some</em> address: whether it is the right one is for the caller
     * to compare (see {@link #verify(byte[], EcdsaSignature, Address)}).
     */
    public static Outcome<Address> recover(byte[] digest, EcdsaSignature signature) {
        if (digest == null || digest.length != 32) {
            return Outcome.reject(AuthReject.MALFORMED, "the digest must be 32 bytes");
        }
        Verdict values = check(signature);
        if (!values.isOk()) {
            return Outcome.reject(values);
        }
        // v = 27 + parity of R's y, or the bare parity; note 27 is odd, so v & 1 would be the wrong bit.
        int parity = signature.v() >= 27 ? signature.v() - 27 : signature.v();
        byte[] key = recoverPublicKey(digest, signature.r(), signature.s(), parity);
        if (key == null) {
            return Outcome.reject(AuthReject.BAD_SIGNATURE, "no public key can be recovered from this signature");
        }
        return Outcome.ok(Address.fromPublicKey(key));
    }

    /**
     * Ok when {@code signature} over {@code digest} recovers {@code expected}; {@link AuthReject#WRONG_SIGNER} when it
     * recovers another address; otherwise the reject of {@link #recover(byte[], EcdsaSignature)}.
     */
    public static Verdict verify(byte[] digest, EcdsaSignature signature, Address expected) {
        Outcome<Address> signer = recover(digest, signature);
        if (!signer.isOk()) {
            return signer.verdict();
        }
        if (!signer.value().equals(expected)) {
            // The digest the node computed from the fields it received: a client compares it with the one it signed,
            // and a difference means a field was signed otherwise than sent (docs/auth.md, "From a request to its struct").
            return Verdict.reject(AuthReject.WRONG_SIGNER, "signed by " + signer.value() + ", not by " + expected
                    + " (digest " + Hex.encode0x(digest) + ")");
        }
        return Verdict.ok();
    }

    /**
     * SEC 1 v2 section 4.1.6 public key recovery for Ethereum's recovery ids 0 and 1 (the point R has x = r; ids 2 and
     * 3, for x = r + n, cannot occur in a 27/28 {@code v}). Returns the 64-byte {@code x || y}, or null when r is not
     * the x-coordinate of a curve point or the result is the point at infinity.
     */
    static byte[] recoverPublicKey(byte[] digest, BigInteger r, BigInteger s, int yParity) {
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (0x02 | yParity);
        System.arraycopy(Abi.word(r), 0, compressed, 1, 32);
        ECPoint bigR;
        try {
            bigR = DOMAIN.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException notOnCurve) {
            return null;
        }
        // Q = r^-1 (s R - e G), computed as (-e r^-1) G + (s r^-1) R in one multi-scalar multiplication.
        BigInteger e = new BigInteger(1, digest);
        BigInteger rInv = r.modInverse(N);
        BigInteger eCoefficient = e.negate().mod(N).multiply(rInv).mod(N);
        BigInteger rCoefficient = s.multiply(rInv).mod(N);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), eCoefficient, bigR, rCoefficient).normalize();
        if (q.isInfinity()) {
            return null;
        }
        byte[] encoded = q.getEncoded(false);
        return Arrays.copyOfRange(encoded, 1, 65);
    }
}
