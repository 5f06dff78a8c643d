package io.meridian.auth;

import java.util.Arrays;

/**
 * A 20-byte Ethereum address: the identity of a Meridian account. Printed in EIP-55 mixed-case checksum form.
 *
 * <p>{@link #parse(String)} is strict: {@code 0x} followed by exactly 40 hex digits; all-lower-case and all-upper-case
 * digits are accepted as they carry no checksum (EIP-55 says so), and mixed case must match the checksum exactly, since
 * a mixed-case address that fails it is almost always a typo. Immutable and thread-safe.
 */
public final class Address implements SignerId, Comparable<Address> {

    /** Length in bytes. */
    public static final int BYTES = 20;

    private final byte[] bytes;
    /**
     * The bytes' hash, computed once: addresses key the gateway's and the engine's per-signer maps, which hash them for
     * every signed command (it was a visible share of the engine thread's time under load). The bytes never change.
     */
    private final int hash;

    private Address(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * The address with these 20 bytes (copied).
     *
     * @throws IllegalArgumentException if {@code bytes} is not 20 bytes long
     */
    public static Address of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("an address is 20 bytes, got " + bytes.length);
        }
        return new Address(bytes.clone());
    }

    /**
     * {@code likely} when it holds these bytes, else {@link #of(byte[])}: a caller that keeps the last address it made
     * skips the copy and the hash for a run of commands from one owner (the engine thread looks an order's owner up
     * several times, and a market maker's orders come from one address). Same contract as {@link #of(byte[])}.
     */
    public static Address of(byte[] bytes, Address likely) {
        return likely != null && Arrays.equals(likely.bytes, bytes) ? likely : of(bytes);
    }

    /**
     * The address of a secp256k1 public key: the last 20 bytes of the Keccak-256 of the 64-byte uncompressed key
     * {@code x || y}. A 65-byte key with the SEC1 {@code 0x04} prefix is accepted too.
     *
     * @throws IllegalArgumentException for any other length or prefix
     */
    public static Address fromPublicKey(byte[] uncompressed) {
        byte[] xy;
        if (uncompressed.length == 64) {
            xy = uncompressed;
        } else if (uncompressed.length == 65 && uncompressed[0] == 0x04) {
            xy = Arrays.copyOfRange(uncompressed, 1, 65);
        } else {
            throw new IllegalArgumentException("expected a 64-byte x||y or 65-byte 0x04||x||y public key");
        }
        byte[] hash = Keccak.hash(xy);
        return new Address(Arrays.copyOfRange(hash, hash.length - BYTES, hash.length));
    }

    /**
     * Parses {@code 0x} + 40 hex digits. Never throws: any string (null included) gives an address or a
     * {@link AuthReject#MALFORMED} reject saying what is wrong.
     */
    public static Outcome<Address> parse(String text) {
        if (text == null) {
            return Outcome.reject(AuthReject.MALFORMED, "address is missing");
        }
        if (!text.startsWith("0x")) {
            return Outcome.reject(AuthReject.MALFORMED, "address must start with 0x");
        }
        if (text.length() != 2 + 2 * BYTES) {
            return Outcome.reject(AuthReject.MALFORMED,
                    "address must have 40 hex digits after 0x, got " + (text.length() - 2) + " characters");
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 2; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Hex.digit(c) < 0) {
                return Outcome.reject(AuthReject.MALFORMED, "address has a non-hex character at position " + i);
            }
            lower |= c >= 'a' && c <= 'f';
            upper |= c >= 'A' && c <= 'F';
        }
        Address address = new Address(Hex.decode(text));
        if (lower && upper && !address.toChecksumHex().equals(text)) {
            return Outcome.reject(AuthReject.MALFORMED, "address checksum (EIP-55 mixed case) does not match");
        }
        return Outcome.ok(address);
    }

    /**
     * Parses like {@link #parse(String)} but throws: for constants and tests only.
     *
     * @throws IllegalArgumentException if {@code text} is not a valid address
     */
    public static Address parseOrThrow(String text) {
        Outcome<Address> parsed = parse(text);
        if (!parsed.isOk()) {
            throw new IllegalArgumentException(parsed.verdict().message() + ": " + text);
        }
        return parsed.value();
    }

    /** A copy of the 20 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The 20 bytes left-padded to a 32-byte ABI word, as EIP-712 encodes an {@code address}. */
    byte[] toWord() {
        byte[] word = new byte[32];
        System.arraycopy(bytes, 0, word, 32 - BYTES, BYTES);
        return word;
    }

    /**
     * EIP-55 form: {@code 0x} + hex where each letter is upper case when the matching nibble of the Keccak-256 of the
     * lower-case hex (without {@code 0x}) is 8 or more.
     */
    public String toChecksumHex() {
        String lower = Hex.encode(bytes);
        byte[] hash = Keccak.hash(lower);
        char[] out = new char[2 + lower.length()];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            int nibble = (hash[i / 2] >> ((i & 1) == 0 ? 4 : 0)) & 0xF;
            out[2 + i] = c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c;
        }
        return new String(out);
    }

    /** Lower-case {@code 0x} form, as JSON-RPC and most logs print it. */
    public String toLowerHex() {
        return Hex.encode0x(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Address other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Unsigned byte order: the same order as the addresses' numeric values. */
    @Override
    public int compareTo(Address o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    /** The EIP-55 checksum form. */
    @Override
    public String toString() {
        return toChecksumHex();
    }
}
