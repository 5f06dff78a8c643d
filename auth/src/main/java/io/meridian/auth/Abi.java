package io.meridian.auth;

import java.math.BigInteger;

/** 32-byte ABI words for the atomic EIP-712 types. Stateless. */
final class Abi {

    private Abi() {
    }

    /** A non-negative integer below 2^256 as a big-endian 32-byte word. */
    static byte[] word(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a 256-bit unsigned value: " + value);
        }
        byte[] raw = value.toByteArray();
        byte[] word = new byte[32];
        // toByteArray may carry one leading sign byte of zero; copy only the significant tail.
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, word, 32 - length, length);
        return word;
    }

    /** {@code value}'s 64 bits read as unsigned, as a word. */
    static byte[] uint(long value) {
        byte[] word = new byte[32];
        for (int i = 0; i < 8; i++) {
            word[31 - i] = (byte) (value >>> (8 * i));
        }
        return word;
    }
}
