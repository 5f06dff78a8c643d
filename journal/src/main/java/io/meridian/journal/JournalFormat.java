package io.meridian.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The on-disk layout, in one place (docs/journal.md has the same tables). All integers are little-endian.
 *
 * <p>Segment file {@code <first sequence, 20 digits>.journal}, starting with a {@value #FILE_HEADER_LENGTH}-byte
 * header: magic {@code "MRDJ"} (int), format version (int), first sequence (long), CRC32C of the previous 16 bytes
 * (int), reserved zero (int). Then records back to back, each a {@value #RECORD_HEADER_LENGTH}-byte header and the
 * payload: payload length (int), CRC32C of everything after the CRC field (sequence, timestamp, payload) (int),
 * sequence (long), timestamp (long), payload ({@link CommandCodec} bytes).
 */
public final class JournalFormat {
    /** "MRDJ" read as a little-endian int. */
    public static final int MAGIC = 'M' | 'R' << 8 | 'D' << 16 | 'J' << 24;
    public static final int VERSION = 1;
    public static final int FILE_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 24;
    public static final int MAX_PAYLOAD = CommandCodec.MAX_PAYLOAD;
    public static final int MAX_RECORD = RECORD_HEADER_LENGTH + MAX_PAYLOAD;
    /** The smallest possible record: a payload is at least version, type and mask. */
    public static final int MIN_RECORD = RECORD_HEADER_LENGTH + 3;
    public static final String SUFFIX = ".journal";
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    static final int H_MAGIC = 0;
    static final int H_VERSION = 4;
    static final int H_FIRST_SEQUENCE = 8;
    static final int H_CRC = 16;
    static final int H_CRC_COVERS = 16;

    static final int R_LENGTH = 0;
    static final int R_CRC = 4;
    static final int R_SEQUENCE = 8;
    static final int R_TIMESTAMP = 16;
    /** The record CRC covers from here to the end of the payload. */
    static final int R_CRC_FROM = 8;

    private static final int NAME_DIGITS = 20;

    private JournalFormat() {
    }

    /** File name of the segment whose first record has {@code firstSequence}. */
    public static String fileName(long firstSequence) {
        String digits = Long.toString(firstSequence);
        return "0".repeat(Math.max(0, NAME_DIGITS - digits.length())) + digits + SUFFIX;
    }

    /** The first sequence a segment file's name states, or -1 when the file is not a segment. */
    public static long parseFileName(Path file) {
        String name = file.getFileName().toString();
        if (name.length() != NAME_DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < NAME_DIGITS; i++) {
            char ch = name.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - (ch - '0')) / 10) {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value < 1 ? -1 : value;
    }

    /** A file header for a segment starting at {@code firstSequence}. */
    static ByteBuffer fileHeader(long firstSequence) {
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ORDER);
        header.putInt(H_MAGIC, MAGIC).putInt(H_VERSION, VERSION).putLong(H_FIRST_SEQUENCE, firstSequence);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, H_CRC_COVERS);
        header.putInt(H_CRC, (int) crc.getValue());
        return header;
    }

    /** Fills in a record header whose payload is already in place; {@code view} is a ByteBuffer over the same bytes. */
    static void sealRecord(MutableDirectBuffer buffer, ByteBuffer view, CRC32C crc, int offset, int payloadLength,
                           long sequence, long timestamp) {
        buffer.putInt(offset + R_LENGTH, payloadLength, ORDER);
        buffer.putLong(offset + R_SEQUENCE, sequence, ORDER);
        buffer.putLong(offset + R_TIMESTAMP, timestamp, ORDER);
        buffer.putInt(offset + R_CRC, checksum(view, crc, offset, payloadLength), ORDER);
    }

    /** CRC32C of a record's covered bytes (sequence, timestamp, payload); {@code view} must span the buffer. */
    static int checksum(ByteBuffer view, CRC32C crc, int recordOffset, int payloadLength) {
        crc.reset();
        view.limit(recordOffset + RECORD_HEADER_LENGTH + payloadLength).position(recordOffset + R_CRC_FROM);
        crc.update(view);
        return (int) crc.getValue();
    }

    static int readInt(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset, ORDER);
    }

    static long readLong(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset, ORDER);
    }
}
