package io.meridian.auth;

import org.bouncycastle.crypto.digests.KeccakDigest;

import java.nio.charset.StandardCharsets;

/**
 * Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not the FIPS 202 SHA3-256 padding (0x06), so
 * the two give different hashes for the same input. Stateless and thread-safe: each call uses a fresh digest.
 */
public final class Keccak {

    /** Output length in bytes. */
    public static final int HASH_BYTES = 32;

    private Keccak() {
    }

    /** Keccak-256 of the concatenation of {@code parts}. */
    public static byte[] hash(byte[]... parts) {
        KeccakDigest digest = new KeccakDigest(256);
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[HASH_BYTES];
        digest.doFinal(out, 0);
        return out;
    }

    /** Keccak-256 of the UTF-8 bytes of {@code text}: how EIP-712 hashes {@code string} values and type strings. */
    public static byte[] hash(String text) {
        return hash(text.getBytes(StandardCharsets.UTF_8));
    }
}
