package io.meridian.app.load;

import java.util.Arrays;

/**
 * A growable ASCII text buffer for encoding messages without building strings: whole numbers and fixed-point
 * decimals are written digit by digit. Not thread-safe; one per encoding thread.
 */
final class ByteText {
    private byte[] bytes;
    private int length;
    private final byte[] digits = new byte[20];

    ByteText(int capacity) {
        this.bytes = new byte[capacity];
    }

    ByteText clear() {
        length = 0;
        return this;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** Appends ASCII text (each char's low byte). */
    ByteText append(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    ByteText append(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    ByteText append(byte[] source, int offset, int count) {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
        return this;
    }

    /** Appends a whole number in decimal. */
    ByteText append(long value) {
        if (value == Long.MIN_VALUE) {
            return append("-9223372036854775808");
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int n = 0;
        do {
            digits[n++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        while (n > 0) {
            bytes[length++] = digits[--n];
        }
        return this;
    }

    /** Appends {@code unscaled * 10^-scale} as a plain decimal with exactly {@code max(scale, 0)} decimals. */
    ByteText appendDecimal(long unscaled, int scale) {
        if (scale <= 0) {
            append(unscaled);
            if (unscaled == 0) {
                return this;
            }
            for (int i = 0; i < -scale; i++) {
                append('0');
            }
            return this;
        }
        if (unscaled == Long.MIN_VALUE) {
            return append(java.math.BigDecimal.valueOf(unscaled, scale).toPlainString());
        }
        ensure(22 + scale);
        if (unscaled < 0) {
            bytes[length++] = '-';
            unscaled = -unscaled;
        }
        int n = 0;
        long v = unscaled;
        do {
            digits[n++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int i = Math.max(n, scale + 1) - 1; i >= 0; i--) {
            bytes[length++] = i < n ? digits[i] : (byte) '0';
            if (i == scale) {
                bytes[length++] = '.';
            }
        }
        return this;
    }
}
