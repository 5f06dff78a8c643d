package io.meridian.model.snapshot;

import java.nio.charset.StandardCharsets;

/**
 * Reads what a {@link SnapshotWriter} wrote, refusing anything else with a {@link SnapshotFormatException}.
 *
 * <p><b>Bounded.</b> Every read checks the bytes left in the array (or in the current section): a truncated or
 * hostile snapshot is refused, never read past. Counts are checked against the bytes left before anything is
 * allocated for them ({@link #readCount(int)}: each element takes at least so many bytes), so a corrupt count cannot
 * make a reader allocate more than the snapshot's own size; varints longer than 10 bytes, booleans other than 0 and 1
 * and enum ordinals this build does not know are refused.
 *
 * <p><b>Sections.</b> {@link #openSection} reads a section's tag, version and length and returns a reader of its bytes
 * only (this reader moves past them); the component reads its fields in order, then {@link #expectEnd} refuses any
 * bytes it did not read: fields a newer build appended, which this build cannot honour. A reader of an older
 * section that ends early gives the fields added since their defaults: it asks {@link #hasRemaining()} first.
 *
 * <p>Not thread-safe.
 */
public final class SnapshotReader {
    private final byte[] data;
    private final int start;
    private final int limit;
    private final int tag;
    private final int version;
    private int position;

    /** A reader of {@code length} bytes of {@code data} from {@code offset}. */
    public SnapshotReader(byte[] data, int offset, int length) {
        this(data, offset, checkedEnd(data, offset, length), 0, 0);
    }

    private SnapshotReader(byte[] data, int start, int limit, int tag, int version) {
        this.data = data;
        this.start = start;
        this.limit = limit;
        this.position = start;
        this.tag = tag;
        this.version = version;
    }

    private static int checkedEnd(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("offset " + offset + " and length " + length + " outside the "
                    + data.length + " bytes");
        }
        return offset + length;
    }

    /** The format version of the section this reader reads; 0 for a reader of a whole array. */
    public int version() {
        return version;
    }

    /** The tag of the section this reader reads; 0 for a reader of a whole array. */
    public int tag() {
        return tag;
    }

    public int remaining() {
        return limit - position;
    }

    public boolean hasRemaining() {
        return position < limit;
    }

    public int readByte() {
        need(1);
        return data[position++] & 0xFF;
    }

    public boolean readBoolean() {
        int value = readByte();
        if (value > 1) {
            throw fail("a boolean byte is " + value);
        }
        return value == 1;
    }

    public int readInt() {
        need(4);
        int p = position;
        position = p + 4;
        return (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16 | (data[p + 3] & 0xFF) << 24;
    }

    public long readLong() {
        need(8);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (data[position + i] & 0xFF);
        }
        position += 8;
        return value;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public long readVarLong() {
        long raw = readUnsigned();
        return (raw >>> 1) ^ -(raw & 1);
    }

    public int readVarInt() {
        long value = readVarLong();
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw fail("an int is " + value);
        }
        return (int) value;
    }

    /**
     * A count of elements each written in at least {@code minBytesEach} bytes (at least 1): refused when the bytes
     * left could not hold that many, so that nothing is allocated for a corrupt count.
     */
    public int readCount(int minBytesEach) {
        long count = readUnsigned();
        if (count > remaining() / Math.max(1, minBytesEach)) {
            throw fail("a count of " + count + " does not fit the " + remaining() + " bytes left");
        }
        return (int) count;
    }

    /** An index written with {@link SnapshotWriter#writeCount}, refused unless below {@code bound}. */
    public int readIndex(int bound, String what) {
        long value = readUnsigned();
        if (value >= bound) {
            throw fail(what + " " + value + " is not below " + bound);
        }
        return (int) value;
    }

    /** A count or other non-negative long written with {@link SnapshotWriter#writeCount}. */
    public long readUnsignedLong() {
        long value = readUnsigned();
        if (value < 0) {
            throw fail("a count is beyond a long");
        }
        return value;
    }

    /** An enum written as {@code ordinal + 1} (0: null), refused when the ordinal is not one of {@code values}. */
    public <E extends Enum<E>> E readEnum(E[] values, String what) {
        long encoded = readUnsigned();
        if (encoded == 0) {
            return null;
        }
        if (encoded > values.length || encoded < 0) {
            throw fail(what + " ordinal " + (encoded - 1) + " is unknown to this build (0.." + (values.length - 1) + ")");
        }
        return values[(int) encoded - 1];
    }

    /** As {@link #readEnum}, refusing null. */
    public <E extends Enum<E>> E readRequiredEnum(E[] values, String what) {
        E value = readEnum(values, what);
        if (value == null) {
            throw fail(what + " is missing");
        }
        return value;
    }

    public byte[] readBytes() {
        return readRaw(readCount(1));
    }

    public byte[] readNullableBytes() {
        long encoded = readUnsigned();
        if (encoded == 0) {
            return null;
        }
        if (encoded - 1 > remaining() || encoded < 0) {
            throw fail("a length of " + (encoded - 1) + " does not fit the " + remaining() + " bytes left");
        }
        return readRaw((int) (encoded - 1));
    }

    public String readString() {
        int length = readCount(1);
        String value = new String(data, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    public String readNullableString() {
        byte[] bytes = readNullableBytes();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Reads the next section's header and returns a reader of its bytes; this reader moves past the section. Refuses
     * a section with another tag (the components are written in a fixed order), a format version outside
     * {@code 1..maxVersion} (written by a newer build, or damaged), and a length beyond the bytes left.
     *
     * @param name the component's name, for messages
     */
    public SnapshotReader openSection(int expectedTag, int maxVersion, String name) {
        int at = position;
        long found = readUnsigned();
        if (found != expectedTag) {
            position = at;
            throw fail("expected the " + name + " section (tag " + expectedTag + "), found tag " + found);
        }
        long sectionVersion = readUnsigned();
        if (sectionVersion < 1 || sectionVersion > maxVersion) {
            throw fail("the " + name + " section has format version " + sectionVersion + "; this build reads versions 1 to "
                    + maxVersion);
        }
        int length = readInt();
        if (length < 0 || length > remaining()) {
            throw fail("the " + name + " section's length " + length + " exceeds the " + remaining() + " bytes left");
        }
        SnapshotReader section = new SnapshotReader(data, position, position + length, expectedTag, (int) sectionVersion);
        position += length;
        return section;
    }

    /** The tag of the next section without reading it, or -1 when nothing is left (or the tag is unreadable). */
    public long peekTag() {
        if (!hasRemaining()) {
            return -1;
        }
        int at = position;
        try {
            return readUnsigned();
        } catch (SnapshotFormatException e) {
            return -1;
        } finally {
            position = at;
        }
    }

    /** Refuses bytes left unread: fields a newer build appended to this section, which this build would drop. */
    public void expectEnd(String name) {
        if (position != limit) {
            throw fail("the " + name + " section has " + remaining() + " bytes this build does not read (written by a"
                    + " newer build?)");
        }
    }

    /** A refusal naming where in the snapshot it happened. */
    public SnapshotFormatException fail(String message) {
        return new SnapshotFormatException(message + " (byte " + (position - start) + (tag != 0 ? " of section " + tag : "")
                + ")");
    }

    private byte[] readRaw(int length) {
        need(length);
        byte[] bytes = new byte[length];
        System.arraycopy(data, position, bytes, 0, length);
        position += length;
        return bytes;
    }

    private long readUnsigned() {
        int p = position;
        if (limit - p >= 10) {
            // The common case, with no bounds check per byte: at most 10 bytes are read.
            byte[] d = data;
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = d[p++];
                result |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    position = p;
                    if (shift == 63 && b > 1) {
                        throw fail("a varint overflows 64 bits");
                    }
                    return result;
                }
            }
            position = p;
            throw fail("a varint runs past 10 bytes");
        }
        return readUnsignedNearTheEnd();
    }

    private long readUnsignedNearTheEnd() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 63 && b > 1) {
                    throw fail("a varint overflows 64 bits");
                }
                return result;
            }
        }
        throw fail("a varint runs past 10 bytes");
    }

    private void need(int bytes) {
        if (limit - position < bytes) {
            throw fail("truncated: " + bytes + " bytes needed, " + (limit - position) + " left");
        }
    }
}
