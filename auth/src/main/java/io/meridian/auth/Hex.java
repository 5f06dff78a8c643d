package io.meridian.auth;

/**
 * Strict hexadecimal encoding and decoding. Decoding never throws on bad input: it returns {@code null}, so parsers
 * built on it turn any string into either a value or a reject. Stateless and thread-safe.
 */
public final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** Lower-case hex of {@code bytes}, no prefix. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /** Lower-case hex of {@code bytes} with a {@code 0x} prefix, as Ethereum tooling prints byte strings. */
    public static String encode0x(byte[] bytes) {
        return "0x" + encode(bytes);
    }

    /**
     * Decodes hex digits (either case) with an optional {@code 0x} or {@code 0X} prefix; an odd number of digits or any
     * other character gives {@code null}. The empty string (or a bare {@code 0x}) decodes to an empty array.
     */
    public static byte[] decodeOrNull(String text) {
        if (text == null) {
            return null;
        }
        int start = text.startsWith("0x") || text.startsWith("0X") ? 2 : 0;
        int digits = text.length() - start;
        if ((digits & 1) != 0) {
            return null;
        }
        byte[] out = new byte[digits / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(text.charAt(start + 2 * i));
            int lo = digit(text.charAt(start + 2 * i + 1));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * Decodes like {@link #decodeOrNull(String)} but throws for bad input: for constants and tests, where bad hex is a
     * bug, never for client input.
     *
     * @throws IllegalArgumentException if {@code text} is not hex
     */
    public static byte[] decode(String text) {
        byte[] out = decodeOrNull(text);
        if (out == null) {
            throw new IllegalArgumentException("not hex: " + text);
        }
        return out;
    }

    /** Value of one hex digit of either case, or -1. */
    static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
