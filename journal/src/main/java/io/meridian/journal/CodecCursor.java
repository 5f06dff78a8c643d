package io.meridian.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where {@link CommandCodec} writes or reads, and the primitives its fields are made of: zig-zag and unsigned
 * varints, bytes, booleans, enums as {@code ordinal + 1} (0 = null), counts as {@code size + 1} (0 = null), UTF-8
 * strings and exact decimals with length prefixes, byte strings. Writing never passes the limit given (else
 * {@link CodecException}: the command does not fit); reading refuses a length or count larger than the bytes left
 * before it allocates, so hostile bytes cannot cost memory. One codec's, confined to its thread.
 *
 * <p>{@link CommandCodec} extends it rather than holding one: the order commands' fields then read and write the
 * cursor's fields on {@code this}, as before this class was split out; held in a field of its own, the extra load per
 * primitive made encoding and decoding a limit order about 7% slower (a scratch loop over 20M commands, the best level
 * of each JVM in five alternating rounds: 99-103 ns against 92-95 ns; extended, 90-94 ns).
 */
class CodecCursor {
    /** Longest byte-string field (addresses 20, keys 32, signatures 64 or 65): anything longer is damage, not data. */
    private static final int MAX_BYTES_FIELD = 128;

    private MutableDirectBuffer out;
    private DirectBuffer in;
    private int pos;
    private int limit;

    /** Writes from {@code offset} up to {@code limit} (exclusive) of {@code buffer}. */
    void startWrite(MutableDirectBuffer buffer, int offset, int limit) {
        this.out = buffer;
        this.pos = offset;
        this.limit = limit;
    }

    /** Reads from {@code offset} up to {@code limit} (exclusive) of {@code buffer}. */
    void startRead(DirectBuffer buffer, int offset, int limit) {
        this.in = buffer;
        this.pos = offset;
        this.limit = limit;
    }

    /** Lets go of the buffer (so that a codec does not keep a caller's buffer alive). */
    void end() {
        out = null;
        in = null;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return limit - pos;
    }

    /** A byte string: its length, then the bytes. Present only when not null (the presence bit says so). */
    void putBytes(byte[] bytes, String what) {
        if (bytes.length > MAX_BYTES_FIELD) {
            throw new CodecException(what + ": " + bytes.length + " bytes, at most " + MAX_BYTES_FIELD);
        }
        putVarLong(bytes.length);
        ensure(bytes.length);
        out.putBytes(pos, bytes);
        pos += bytes.length;
    }

    byte[] getBytes(String what) {
        long n = getVarLong();
        if (n < 0 || n > MAX_BYTES_FIELD || n > limit - pos) {
            throw new CodecException(what + ": " + n + " byte(s), at most " + MAX_BYTES_FIELD + " with "
                    + (limit - pos) + " left");
        }
        return take((int) n);
    }

    /**
     * The bytes of a nullable field written as its byte count + 1 (0 = null), then the bytes: null for 0; refused when
     * the count is below {@code minBytes} or more than the record has left.
     */
    private byte[] getNullableBytes(String what, String kind, int minBytes) {
        long v = getVarLong();
        if (v == 0) {
            return null;
        }
        long n = v - 1;
        if (n < minBytes || n > limit - pos) {
            throw new CodecException(what + ": " + kind + " of " + n + " byte(s) with " + (limit - pos) + " left");
        }
        return take((int) n);
    }

    /** The next {@code n} bytes, which the caller has checked are there. */
    private byte[] take(int n) {
        byte[] bytes = new byte[n];
        in.getBytes(pos, bytes);
        pos += n;
        return bytes;
    }

    /** Writes the presence byte; returns true when {@code value} is null (nothing more to write). */
    boolean putNull(Object value) {
        putByte((byte) (value == null ? 0 : 1));
        return value == null;
    }

    boolean getPresent(String what) {
        byte b = getByte();
        if (b != 0 && b != 1) {
            throw new CodecException(what + ": presence byte " + b + " is neither 0 nor 1");
        }
        return b == 1;
    }

    /** A list's size + 1, or 0 for a null list. */
    void putCount(List<?> list) {
        putVarLong(list == null ? 0 : (long) list.size() + 1);
    }

    /**
     * Reads a count written by {@link #putCount}; -1 for null. Every element takes at least one byte, so a count
     * larger than the bytes left is refused before any array is allocated for it.
     */
    int getCount(String what) {
        long v = getVarLong();
        if (v == 0) {
            return -1;
        }
        long count = v - 1;
        if (count < 0 || count > limit - pos) {
            throw new CodecException(what + ": " + count + " element(s) cannot fit in the " + (limit - pos)
                    + " byte(s) left");
        }
        return (int) count;
    }

    void putEnum(Enum<?> value) {
        putVarLong(value == null ? 0 : value.ordinal() + 1);
    }

    /** Returns the ordinal, or -1 for null; refuses ordinals this build does not know. */
    int getEnum(int valueCount, String what) {
        long v = getVarLong();
        return v == 0 ? -1 : ordinal(v, valueCount, what);
    }

    static int ordinal(long encoded, int valueCount, String what) {
        if (encoded < 1 || encoded > valueCount) {
            throw new CodecException(what + " ordinal " + (encoded - 1) + " is out of range 0.." + (valueCount - 1));
        }
        return (int) encoded - 1;
    }

    void putBoolean(boolean value) {
        putByte((byte) (value ? 1 : 0));
    }

    boolean getBoolean(String what) {
        byte b = getByte();
        if (b != 0 && b != 1) {
            throw new CodecException(what + ": boolean byte " + b + " is neither 0 nor 1");
        }
        return b == 1;
    }

    /**
     * UTF-8 bytes with a length prefix of byte count + 1; 0 = null. Unpaired surrogates are refused, not replaced. An
     * ASCII string (a client order id text, most names) is written byte by byte, without allocating.
     */
    void putString(String s) {
        if (s == null) {
            putVarLong(0);
            return;
        }
        if (isAscii(s)) {
            putVarLong((long) s.length() + 1);
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                out.putByte(pos++, (byte) s.charAt(i));
            }
            return;
        }
        ByteBuffer bytes;
        try {
            bytes = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new CodecException("string is not valid UTF-16 and cannot be stored exactly: " + e);
        }
        int n = bytes.remaining();
        putVarLong((long) n + 1);
        ensure(n);
        out.putBytes(pos, bytes, bytes.position(), n);
        pos += n;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    String getString(String what) {
        byte[] bytes = getNullableBytes(what, "string", 0);
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(what + ": invalid UTF-8: " + e);
        }
    }

    /** Unscaled value as two's-complement bytes (count + 1, 0 = null), then the scale: exact, scale included. */
    void putDecimal(BigDecimal d) {
        if (d == null) {
            putVarLong(0);
            return;
        }
        byte[] unscaled = d.unscaledValue().toByteArray();
        putVarLong((long) unscaled.length + 1);
        ensure(unscaled.length);
        out.putBytes(pos, unscaled);
        pos += unscaled.length;
        putZigZag(d.scale());
    }

    BigDecimal getDecimal(String what) {
        byte[] unscaled = getNullableBytes(what, "decimal", 1);
        if (unscaled == null) {
            return null;
        }
        int scale = getInt(what + ".scale");
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    void putZigZag(long v) {
        putVarLong((v << 1) ^ (v >> 63));
    }

    long getZigZag() {
        long z = getVarLong();
        return (z >>> 1) ^ -(z & 1);
    }

    int getInt(String what) {
        long v = getZigZag();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CodecException(what + ": " + v + " does not fit an int");
        }
        return (int) v;
    }

    /** Unsigned LEB128: 7 bits per byte, low bits first, high bit set on every byte but the last. */
    void putVarLong(long v) {
        long value = v;
        while ((value & ~0x7FL) != 0) {
            putByte((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        putByte((byte) value);
    }

    long getVarLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = getByte();
            if (shift == 63 && (b & 0xFF) > 1) {
                throw new CodecException("varint overflows 64 bits at byte " + (pos - 1));
            }
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new CodecException("varint longer than 10 bytes at byte " + (pos - 1));
    }

    void putByte(byte b) {
        ensure(1);
        out.putByte(pos++, b);
    }

    byte getByte() {
        if (pos >= limit) {
            throw new CodecException("truncated: needed a byte at offset " + pos + " of a " + limit + "-byte range");
        }
        return in.getByte(pos++);
    }

    private void ensure(int n) {
        if ((long) pos + n > limit) {
            throw new CodecException("command does not fit in the space given (at most " + CommandCodec.MAX_PAYLOAD
                    + " bytes, less when the buffer is smaller)");
        }
    }
}
