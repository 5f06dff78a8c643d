package io.meridian.auth;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A secp256k1 ECDSA signature as Ethereum carries it: {@code r}, {@code s} and the recovery id {@code v}. Holds any
 * 256-bit {@code r}, {@code s} and any byte {@code v}, so that every 65-byte string parses; whether the values are
 * acceptable (ranges, low s, {@code v} in {0, 1, 27, 28}) is decided by {@link Secp256k1#check(EcdsaSignature)} with a
 * reject reason. Immutable.
 *
 * @param r the x-coordinate of the signature point, as an unsigned integer
 * @param s the signature's s value, as an unsigned integer
 * @param v the recovery id: 27 or 28 as Ethereum writes it, 0 or 1 as some libraries do
 */
public record EcdsaSignature(BigInteger r, BigInteger s, int v) implements Signature {

    /** Length of the {@code r || s || v} encoding. */
    public static final int BYTES = 65;

    /**
     * @throws IllegalArgumentException if {@code r} or {@code s} is negative or wider than 256 bits, or {@code v} is
     *                                  not a byte value
     */
    public EcdsaSignature {
        if (r.signum() < 0 || r.bitLength() > 256 || s.signum() < 0 || s.bitLength() > 256) {
            throw new IllegalArgumentException("r and s are unsigned 256-bit values");
        }
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException("v is one byte: " + v);
        }
    }

    /**
     * Parses the 65-byte {@code r || s || v} form that {@code eth_signTypedData_v4} returns. Never throws: a wrong
     * length (or null) is a {@link AuthReject#MALFORMED} reject.
     */
    public static Outcome<EcdsaSignature> fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            return Outcome.reject(AuthReject.MALFORMED, "an ECDSA signature is 65 bytes r||s||v, got "
                    + (bytes == null ? "none" : bytes.length + " bytes"));
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(bytes, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(bytes, 32, 64));
        return Outcome.ok(new EcdsaSignature(r, s, bytes[64] & 0xFF));
    }

    /** Parses 130 hex digits (optional {@code 0x}) of {@code r || s || v}. Never throws. */
    public static Outcome<EcdsaSignature> parseHex(String text) {
        byte[] bytes = Hex.decodeOrNull(text);
        if (bytes == null) {
            return Outcome.reject(AuthReject.MALFORMED, "signature is not hex");
        }
        return fromBytes(bytes);
    }

    /** The 65-byte {@code r || s || v} form. */
    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        System.arraycopy(Abi.word(r), 0, out, 0, 32);
        System.arraycopy(Abi.word(s), 0, out, 32, 32);
        out[64] = (byte) v;
        return out;
    }

    /** {@code 0x} + 130 hex digits. */
    public String toHex() {
        return Hex.encode0x(toBytes());
    }

    @Override
    public String toString() {
        return "EcdsaSignature{r=0x" + r.toString(16) + ", s=0x" + s.toString(16) + ", v=" + v + "}";
    }
}
