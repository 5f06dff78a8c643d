package io.meridian.node.marketdata;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer for hand-written JSON text (UTF-8): the market-data messages are written here once per
 * message, not once per subscriber, and without building maps or strings. Its numbers and decimals are the text the
 * generic path writes ({@code MarketData.decimal}: the product of units and step, trailing zeros stripped, plain
 * notation; money with every decimal of the asset, as {@code BigDecimal.valueOf(minor, scale).toPlainString()}); its
 * strings are escaped as Jackson escapes them. Not thread-safe: one owner thread.
 */
public final class JsonBytes {
    private byte[] bytes;
    private int length;

    public JsonBytes(int capacity) {
        this.bytes = new byte[Math.max(16, capacity)];
    }

    public JsonBytes clear() {
        length = 0;
        return this;
    }

    public int length() {
        return length;
    }

    /** The backing array (valid up to {@link #length}; replaced when it grows). */
    public byte[] array() {
        return bytes;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** Appends ASCII text as is (field names and punctuation written by this package). */
    public JsonBytes ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    public JsonBytes ascii(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends one raw byte (a frame header's). */
    public JsonBytes octet(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
        return this;
    }

    /**
     * Appends {@code payload} as one unmasked WebSocket text frame (RFC 6455: FIN and opcode 1, then the length in 7,
     * 16 or 64 bits), as a server sends it: frames made once here go to every subscriber as they are.
     */
    public JsonBytes textFrame(JsonBytes payload) {
        int n = payload.length;
        octet(0x81);
        if (n < 126) {
            octet(n);
        } else if (n < 65_536) {
            octet(126).octet(n >>> 8).octet(n);
        } else {
            octet(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                octet((int) ((long) n >>> shift));
            }
        }
        return bytes(payload.bytes, 0, n);
    }

    public JsonBytes bytes(byte[] b, int offset, int n) {
        ensure(n);
        System.arraycopy(b, offset, bytes, length, n);
        length += n;
        return this;
    }

    public JsonBytes number(long value) {
        if (value == Long.MIN_VALUE) {
            return ascii("-9223372036854775808");
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        return this;
    }

    /** {@code units} of {@code step} as a JSON string of the decimal ({@code "50000.5"}). */
    public JsonBytes decimal(long units, DecimalStep step) {
        ascii('"');
        plainDecimal(units, step);
        return ascii('"');
    }

    /**
     * {@code units * step} as plain text without trailing zeros ("0" for zero), the text of {@code MarketData.decimal};
     * exact in longs where the product fits, else through {@link BigDecimal}.
     */
    public JsonBytes plainDecimal(long units, DecimalStep step) {
        long value;
        try {
            if (step.unscaled() == 0) {
                throw new ArithmeticException("step too wide for a long");
            }
            value = Math.multiplyExact(units, step.unscaled());
        } catch (ArithmeticException e) {
            return ascii(step.unit().multiply(BigDecimal.valueOf(units)).stripTrailingZeros().toPlainString());
        }
        int scale = step.scale();
        if (value == 0) {
            return ascii('0');
        }
        while (scale > 0 && value % 10 == 0) {
            value /= 10;
            scale--;
        }
        return scaled(value, scale);
    }

    /**
     * {@code minor} units of an asset of {@code scale} decimals with all of them, as a JSON string
     * ({@code BigDecimal.valueOf(minor, scale).toPlainString()}: {@code "1000.500000"}).
     */
    public JsonBytes money(long minor, int scale) {
        ascii('"');
        if (scale < 0 || minor == Long.MIN_VALUE) {
            ascii(BigDecimal.valueOf(minor, scale).toPlainString());
        } else {
            scaled(minor, scale);
        }
        return ascii('"');
    }

    /** {@code value * 10^-scale} in plain notation, keeping every digit of the scale. */
    private JsonBytes scaled(long value, int scale) {
        if (scale <= 0) {
            number(value);
            ensure(-scale);
            for (int i = 0; i < -scale; i++) {
                bytes[length++] = '0';
            }
            return this;
        }
        if (value == Long.MIN_VALUE) {
            return ascii(BigDecimal.valueOf(value, scale).toPlainString());
        }
        if (value < 0) {
            ascii('-');
            value = -value;
        }
        int start = length;
        number(value);
        int digits = length - start;
        int integer = digits - scale;
        if (integer <= 0) {
            // 0.00ddd: shift the digits right by 2 - integer places and write "0." and the zeros in front.
            int shift = 2 - integer;
            ensure(shift);
            System.arraycopy(bytes, start, bytes, start + shift, digits);
            bytes[start] = '0';
            bytes[start + 1] = '.';
            for (int i = 0; i < -integer; i++) {
                bytes[start + 2 + i] = '0';
            }
            length += shift;
        } else {
            ensure(1);
            int point = start + integer;
            System.arraycopy(bytes, point, bytes, point + 1, scale);
            bytes[point] = '.';
            length++;
        }
        return this;
    }

    /** A JSON string as Jackson writes it (quotes, backslashes and control characters escaped), or null. */
    public JsonBytes string(String s) {
        if (s == null) {
            return ascii("null");
        }
        ascii('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> ascii("\\\"");
                case '\\' -> ascii("\\\\");
                case '\n' -> ascii("\\n");
                case '\r' -> ascii("\\r");
                case '\t' -> ascii("\\t");
                case '\b' -> ascii("\\b");
                case '\f' -> ascii("\\f");
                default -> {
                    if (c < 0x20) {
                        ascii(String.format("\\u%04X", (int) c));
                    } else if (c < 0x80) {
                        ascii(c);
                    } else {
                        // Non-ASCII: UTF-8 of this character (a surrogate pair as one code point).
                        int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                        byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                        bytes(utf8, 0, utf8.length);
                        i = end - 1;
                    }
                }
            }
        }
        return ascii('"');
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
