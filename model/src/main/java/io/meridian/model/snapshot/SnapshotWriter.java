package io.meridian.model.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a snapshot: primitives appended to a growable byte array, grouped into sections. The format of each value is
 * fixed (docs/journal.md, "Snapshots"), so a later build reads what this one wrote:
 * <ul>
 * <li>{@link #writeVarLong}, {@link #writeVarInt}: zig-zag varints (7 bits a byte, low first, high bit = more);</li>
 * <li>{@link #writeCount}: an unsigned varint (counts, lengths, tags, versions, indexes);</li>
 * <li>{@link #writeInt}, {@link #writeLong}: fixed 4 and 8 bytes, little-endian; {@link #writeDouble}: the 8 bytes of
 * its raw bits; {@link #writeBoolean}: one byte, 0 or 1;</li>
 * <li>{@link #writeEnum}: {@code ordinal + 1} as an unsigned varint, 0 for null (so an enum's constants may only ever
 * be appended);</li>
 * <li>{@link #writeString}, {@link #writeBytes}: a count, then the UTF-8 bytes or the bytes; the nullable variants
 * write {@code length + 1}, 0 for null.</li>
 * </ul>
 *
 * <p><b>Sections.</b> {@link #beginSection} writes a component's tag and format version (unsigned varints) and reserves
 * four bytes for its length, which {@link #endSection} fills in (little-endian int): so a reader knows where each
 * section ends before it reads it. Sections may nest a few levels deep.
 *
 * <p>Reusable ({@link #reset}) so that the array grows once to a venue's size. Not thread-safe.
 */
public final class SnapshotWriter {
    /** The largest snapshot a byte array can hold. */
    public static final int MAX_LENGTH = Integer.MAX_VALUE - 16;
    private static final int MAX_DEPTH = 8;

    private byte[] buffer;
    private int position;
    private final int[] openSections = new int[MAX_DEPTH];
    private int depth;

    public SnapshotWriter() {
        this(1 << 16);
    }

    public SnapshotWriter(int initialCapacity) {
        buffer = new byte[Math.max(64, initialCapacity)];
    }

    /** Starts over: the next write goes to the start of the (kept) array. */
    public void reset() {
        position = 0;
        depth = 0;
    }

    /** Bytes written since the last {@link #reset}. */
    public int length() {
        return position;
    }

    /** The array written into; its first {@link #length()} bytes are the snapshot (valid until the next write). */
    public byte[] buffer() {
        return buffer;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, position);
    }

    public void writeByte(int value) {
        ensure(1);
        buffer[position++] = (byte) value;
    }

    public void writeBoolean(boolean value) {
        writeByte(value ? 1 : 0);
    }

    public void writeInt(int value) {
        ensure(4);
        putInt(position, value);
        position += 4;
    }

    public void writeLong(long value) {
        ensure(8);
        byte[] b = buffer;
        int p = position;
        for (int i = 0; i < 8; i++) {
            b[p + i] = (byte) (value >>> (8 * i));
        }
        position = p + 8;
    }

    /** The raw bits, so that every double (NaN payloads included) reads back identical. */
    public void writeDouble(double value) {
        writeLong(Double.doubleToRawLongBits(value));
    }

    /** A signed value as a zig-zag varint: small magnitudes of either sign take few bytes. */
    public void writeVarLong(long value) {
        writeUnsigned((value << 1) ^ (value >> 63));
    }

    public void writeVarInt(int value) {
        writeVarLong(value);
    }

    /** A count, length or index (not negative) as an unsigned varint. */
    public void writeCount(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a count cannot be negative: " + value);
        }
        writeUnsigned(value);
    }

    /** {@code ordinal + 1}, or 0 for null. */
    public void writeEnum(Enum<?> value) {
        writeUnsigned(value == null ? 0 : value.ordinal() + 1);
    }

    public void writeBytes(byte[] bytes) {
        writeCount(bytes.length);
        writeRaw(bytes);
    }

    /** {@code length + 1} then the bytes, or 0 for null. */
    public void writeNullableBytes(byte[] bytes) {
        if (bytes == null) {
            writeUnsigned(0);
        } else {
            writeUnsigned(bytes.length + 1L);
            writeRaw(bytes);
        }
    }

    public void writeString(String value) {
        writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public void writeNullableString(String value) {
        writeNullableBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Opens a section: the component's tag and format version, and room for the length ({@link #endSection}). Every
     * section must be ended, innermost first.
     */
    public void beginSection(int tag, int version) {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("sections nest at most " + MAX_DEPTH + " deep");
        }
        writeCount(tag);
        writeCount(version);
        ensure(4);
        openSections[depth++] = position;
        position += 4;
    }

    /** Closes the innermost open section, writing its length. */
    public void endSection() {
        if (depth == 0) {
            throw new IllegalStateException("no open section");
        }
        int start = openSections[--depth];
        putInt(start, position - start - 4);
    }

    private void writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
    }

    private void writeUnsigned(long value) {
        ensure(10);
        byte[] b = buffer;
        int p = position;
        long v = value;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        position = p;
    }

    private void putInt(int at, int value) {
        buffer[at] = (byte) value;
        buffer[at + 1] = (byte) (value >>> 8);
        buffer[at + 2] = (byte) (value >>> 16);
        buffer[at + 3] = (byte) (value >>> 24);
    }

    private void ensure(int more) {
        if (buffer.length - position < more) {
            long needed = (long) position + more;
            if (needed > MAX_LENGTH) {
                throw new IllegalStateException("a snapshot cannot exceed " + MAX_LENGTH + " bytes");
            }
            long grown = Math.max(needed, Math.min(MAX_LENGTH, (long) buffer.length * 2));
            buffer = Arrays.copyOf(buffer, (int) grown);
        }
    }
}
