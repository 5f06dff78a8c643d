package io.meridian.auth;

import org.bouncycastle.crypto.digests.KeccakDigest;

import java.util.Arrays;

/**
 * Streams one struct's {@code encodeData} into Keccak-256 word by word: how {@link SignedStruct} hashes Meridian's own
 * structs, skipping the maps of {@link Eip712Types} (the two are checked against each other by the tests). Single
 * use, not thread-safe.
 */
final class StructHasher {

    private final KeccakDigest digest = new KeccakDigest(256);
    private final byte[] word = new byte[32];

    StructHasher(byte[] typeHash) {
        put(typeHash);
    }

    StructHasher put(byte[] word32) {
        if (word32.length != 32) {
            throw new IllegalArgumentException("a word is 32 bytes");
        }
        digest.update(word32, 0, 32);
        return this;
    }

    /** {@code uint64}: the long's 64 bits read unsigned; also {@code uint32}, {@code uint8} and {@code bool} words. */
    StructHasher putUint(long value) {
        Arrays.fill(word, (byte) 0);
        for (int i = 0; i < 8; i++) {
            word[31 - i] = (byte) (value >>> (8 * i));
        }
        digest.update(word, 0, 32);
        return this;
    }

    StructHasher putAddress(Address address) {
        return put(address.toWord());
    }

    /** {@code string}: the Keccak-256 of its UTF-8 bytes. */
    StructHasher putString(String value) {
        return put(Keccak.hash(value));
    }

    byte[] finish() {
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }
}
