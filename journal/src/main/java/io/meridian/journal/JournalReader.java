package io.meridian.journal;

import io.meridian.model.Command;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a journal directory's records in sequence order, checking each one as it goes: the file headers, every
 * record's length and CRC32C, that sequence numbers continue without a gap across records and segments, and that
 * timestamps never decrease. Read-only: it never changes a file and takes no lock, so it may run beside a writer
 * (it then sees the files as they were when it reached them, and a record being written shows up as a torn tail).
 *
 * <p><b>Torn tail or corruption.</b> Only what a crash can leave behind is a torn tail: {@link #next()} then returns
 * false and {@link #tornTail()} describes it; {@link Journal#recover} uses this class to find what to cut. Everything
 * else throws {@link JournalCorruptedException} naming the segment, the byte offset and the sequence expected there.
 * The rule (docs/operations.md, "Journal integrity", has it with the reasoning) starts from what this writer does: it
 * only ever appends whole records after the last intact one and forces them before anyone is told they are durable,
 * so a crash can only leave the file <em>ending early</em>. Bytes after the last intact record are a torn tail only
 * when they are in the last segment, no intact record follows them anywhere, and one of these holds:
 * <ol>
 * <li>the file ends inside the record header (fewer than {@value JournalFormat#RECORD_HEADER_LENGTH} bytes left);</li>
 * <li>the header states a possible length and the file ends before that length, and no shorter length makes the
 * bytes that are there an intact record ({@link #hiddenCompleteRecord}: a complete record whose length field was
 * damaged must not pass as a tear);</li>
 * <li>every byte from there to the end of the file is zero: a file system that made the file's new size durable
 * before its data (or a preallocated file) shows unwritten data as zeros, and the writer never writes a zero
 * header.</li>
 * </ol>
 * A record whose whole declared length is in the file but whose checksum fails is corruption, even the last one: it
 * was written completely, so its bytes changed afterwards, and cutting it would silently drop a record that may have
 * been acknowledged. So is a complete header with an impossible length that is not all zeros.
 *
 * <p>Segments are memory-mapped one at a time; {@link #buffer()} and the payload range are valid until the next call
 * to {@link #next()}. One thread only.
 */
public final class JournalReader implements AutoCloseable {
    private static final int OK = 0;
    /** Fewer bytes than a record header are left in the file. */
    private static final int CUT_HEADER = 1;
    /** A possible length, and the file ends before the record does. */
    private static final int SHORT = 2;
    /** A complete header whose length no record can have. */
    private static final int BAD_LENGTH = 3;
    /** The record's whole declared length is in the file, but its checksum fails. */
    private static final int BAD_CHECKSUM = 4;
    private static final int GAP = 5;
    private static final int TIME_BACKWARDS = 6;
    private static final int MIN_PAYLOAD = 3;

    private final Path directory;
    private final Path[] paths;
    private final long[] firsts;
    private final List<SegmentInfo> segments = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private final CommandCodec codec = new CommandCodec();

    private int index = -1;
    private MappedByteBuffer mapped;
    private ByteBuffer crcView;
    private int size;
    private int position;
    private long segmentRecords;

    /** The next sequence expected; 0 until the first segment's name sets it. */
    private long expected;
    private long lastTimestamp = Long.MIN_VALUE;
    private long records;
    private boolean finished;
    private TornTail tornTail;

    private long sequence;
    private long timestamp;
    private int recordOffset;
    private int payloadLength;

    private JournalReader(Path directory, Path[] paths, long[] firsts) {
        this.directory = directory;
        this.paths = paths;
        this.firsts = firsts;
    }

    /**
     * Opens the journal in {@code directory}: every file named like a segment ({@code <20 digits>.journal}), in name
     * order; other files are ignored. Nothing is read until {@link #next()}.
     *
     * @throws UncheckedIOException when the directory does not exist or cannot be listed
     */
    public static JournalReader open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new UncheckedIOException(new NoSuchFileException(directory.toString(), null, "not a directory"));
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + JournalFormat.SUFFIX)) {
            for (Path p : stream) {
                if (JournalFormat.parseFileName(p) > 0 && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        // Fixed-width names sort in sequence order.
        Collections.sort(found);
        long[] firsts = new long[found.size()];
        for (int i = 0; i < firsts.length; i++) {
            firsts[i] = JournalFormat.parseFileName(found.get(i));
        }
        return new JournalReader(directory, found.toArray(new Path[0]), firsts);
    }

    /**
     * Moves to the next intact record. Returns false at the end of the journal (including when a torn tail follows;
     * see {@link #tornTail()}).
     *
     * @throws JournalCorruptedException when the journal is damaged in a way a crash cannot explain
     * @throws UncheckedIOException      when a segment cannot be read
     */
    public boolean next() {
        while (!finished) {
            if (index < 0 || position == size) {
                if (index >= 0) {
                    finishSegment(size);
                }
                if (index + 1 >= paths.length) {
                    finished = true;
                    break;
                }
                openSegment(index + 1);
                continue;
            }
            int p = position;
            int status = check(p);
            if (status == OK) {
                position = p + JournalFormat.RECORD_HEADER_LENGTH + payloadLength;
                segmentRecords++;
                records++;
                expected++;
                lastTimestamp = timestamp;
                return true;
            }
            badRecord(p, status);
        }
        return false;
    }

    /** Sequence number of the current record. */
    public long sequence() {
        return sequence;
    }

    /** Timestamp of the current record. */
    public long timestamp() {
        return timestamp;
    }

    /** The mapped segment holding the current record's payload; valid until the next {@link #next()}. */
    public DirectBuffer buffer() {
        return buffer;
    }

    public int payloadOffset() {
        return recordOffset + JournalFormat.RECORD_HEADER_LENGTH;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** Byte offset of the current record in {@link #currentSegment()}. */
    public long recordOffset() {
        return recordOffset;
    }

    /** The segment being read, or null before the first and after the last. */
    public Path currentSegment() {
        return index >= 0 && index < paths.length && !finished ? paths[index] : null;
    }

    /**
     * Decodes the current record into {@code into}, sequence and timestamp included.
     *
     * @throws CodecException when the payload is not a command this build can read (its checksum was fine, so this
     *                        is a format-version mismatch or a bug, never crash damage)
     */
    public Command decode(Command into) {
        codec.decode(buffer, payloadOffset(), payloadLength, into);
        into.sequence = sequence;
        into.timestamp = timestamp;
        return into;
    }

    /** Intact records read so far. */
    public long recordCount() {
        return records;
    }

    /** Sequence of the first segment's first record (by its name), or 0 when there are no segments. */
    public long firstSequence() {
        return firsts.length == 0 ? 0 : firsts[0];
    }

    /** The last intact record's sequence so far; {@code firstSequence() - 1} before any, 0 with no segments. */
    public long lastSequence() {
        return expected == 0 ? firstSequence() == 0 ? 0 : firstSequence() - 1 : expected - 1;
    }

    /** The last intact record's timestamp so far, {@link Long#MIN_VALUE} before any. */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The torn tail found at the end, or null (also null until {@link #next()} has returned false). */
    public TornTail tornTail() {
        return tornTail;
    }

    /** Segment files available: all of them for a finished reader. */
    public int segmentFileCount() {
        return paths.length;
    }

    /** The segments finished so far (all of them once {@link #next()} has returned false). */
    public List<SegmentInfo> segments() {
        return Collections.unmodifiableList(segments);
    }

    public Path directory() {
        return directory;
    }

    /** Reads to the end and summarises (does not repair anything). */
    public RecoveryReport readToEnd() {
        boolean more = true;
        while (more) {
            more = next();
        }
        int intact = segments.size() - (tornTail != null && tornTail.wholeSegment() ? 1 : 0);
        return new RecoveryReport(firstSequence(), lastSequence(), lastTimestamp, records, intact, tornTail, false);
    }

    @Override
    public void close() {
        unmap();
        finished = true;
    }

    private int check(int p) {
        long remaining = (long) size - p;
        if (remaining < JournalFormat.RECORD_HEADER_LENGTH) {
            return CUT_HEADER;
        }
        int length = JournalFormat.readInt(buffer, p + JournalFormat.R_LENGTH);
        if (length < MIN_PAYLOAD || length > JournalFormat.MAX_PAYLOAD) {
            return BAD_LENGTH;
        }
        if (remaining < (long) JournalFormat.RECORD_HEADER_LENGTH + length) {
            return SHORT;
        }
        int stored = JournalFormat.readInt(buffer, p + JournalFormat.R_CRC);
        if (stored != JournalFormat.checksum(crcView, crc, p, length)) {
            return BAD_CHECKSUM;
        }
        long seq = JournalFormat.readLong(buffer, p + JournalFormat.R_SEQUENCE);
        long ts = JournalFormat.readLong(buffer, p + JournalFormat.R_TIMESTAMP);
        recordOffset = p;
        payloadLength = length;
        sequence = seq;
        timestamp = ts;
        if (seq != expected) {
            return GAP;
        }
        return ts < lastTimestamp ? TIME_BACKWARDS : OK;
    }

    /**
     * Decides between torn tail (returns, reader finished) and corruption (throws); the rule is in the class comment.
     * Every corruption names the segment, the record's offset and the sequence expected there (every record before
     * it is intact), and says what the damaged header itself claims when it is there to read.
     */
    private void badRecord(int p, int status) {
        Path path = paths[index];
        if (status == GAP) {
            throw new JournalCorruptedException("intact record with sequence " + sequence + " where " + expected
                    + " was expected (a gap or repeat)", path, p, expected);
        }
        if (status == TIME_BACKWARDS) {
            throw new JournalCorruptedException("intact record " + sequence + " has timestamp " + timestamp
                    + ", earlier than the previous " + lastTimestamp, path, p, expected);
        }
        long left = (long) size - p;
        int length = left >= JournalFormat.RECORD_HEADER_LENGTH
                ? JournalFormat.readInt(buffer, p + JournalFormat.R_LENGTH) : 0;
        String what = switch (status) {
            case CUT_HEADER -> "incomplete record header (" + left + " byte(s) left in the file)";
            case SHORT -> "incomplete record (its header says " + length + " payload byte(s), the file holds "
                    + (left - JournalFormat.RECORD_HEADER_LENGTH) + ")";
            case BAD_LENGTH -> "impossible record length " + length;
            default -> "checksum mismatch in a complete record of " + length + " payload byte(s)";
        };
        if (index != paths.length - 1) {
            throw new JournalCorruptedException(what + " in a segment that is not the last", path, p, expected);
        }
        long after = findIntactRecord(p + 1);
        if (after >= 0) {
            throw new JournalCorruptedException(what + ", and an intact record follows at offset " + after, path, p,
                    expected);
        }
        String cause;
        if (status == CUT_HEADER) {
            cause = TornTail.CUT_HEADER;
        } else if (status == BAD_LENGTH && allZero(p)) {
            cause = TornTail.ZEROS;
        } else {
            int hidden = hiddenCompleteRecord(p);
            if (hidden >= 0) {
                throw new JournalCorruptedException("record length field damaged: it says " + length
                        + " payload byte(s), but the record there is complete and intact with " + hidden
                        + " (sequence " + JournalFormat.readLong(buffer, p + JournalFormat.R_SEQUENCE)
                        + "), so this is not a crash's torn tail", path, p, expected);
            }
            if (status != SHORT) {
                // The whole record (or a whole header with a length no writer writes) is in the file: it was
                // written completely and changed afterwards. Cutting it could drop an acknowledged record.
                throw new JournalCorruptedException(what + " at the end of the last segment (its sequence field says "
                        + JournalFormat.readLong(buffer, p + JournalFormat.R_SEQUENCE) + "): a crash only ever cuts"
                        + " a write short, so this is damage, not a torn tail", path, p, expected);
            }
            cause = TornTail.SHORT;
        }
        tornTail = new TornTail(path, p, size - p, false, cause);
        finishSegment(p);
        finished = true;
    }

    /** Whether every byte from {@code from} to the end of the segment is zero. */
    private boolean allZero(int from) {
        int q = from;
        for (; q + Long.BYTES <= size; q += Long.BYTES) {
            if (buffer.getLong(q) != 0) {
                return false;
            }
        }
        for (; q < size; q++) {
            if (buffer.getByte(q) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the bytes at {@code p}, read with some length other than the one the header states, are a complete
     * intact record: payload length {@code n} (at most what the file holds) whose checksum matches the stored one
     * and whose payload decodes as a command. Returns that length, or -1.
     *
     * <p>This is what tells a damaged length field from a tear. A complete record whose length field alone was hit
     * is found (its true length passes both checks). A real tear is never taken for one: its bytes are a prefix of a
     * record, and a strict prefix of a command's encoding never decodes, because the encoding is self-delimiting
     * (every field is read by the mask, lengths come before what they measure, and trailing bytes are refused), so
     * even a chance 32-bit checksum match on a prefix cannot turn a tear into corruption. One pass: the checksum is
     * extended a byte at a time and compared at every length, at most {@link JournalFormat#MAX_PAYLOAD} bytes.
     */
    private int hiddenCompleteRecord(int p) {
        long available = (long) size - p - JournalFormat.RECORD_HEADER_LENGTH;
        if (available < MIN_PAYLOAD) {
            return -1;
        }
        int max = (int) Math.min(available, JournalFormat.MAX_PAYLOAD);
        int stored = JournalFormat.readInt(buffer, p + JournalFormat.R_CRC);
        int stated = JournalFormat.readInt(buffer, p + JournalFormat.R_LENGTH);
        crc.reset();
        for (int q = p + JournalFormat.R_CRC_FROM; q < p + JournalFormat.RECORD_HEADER_LENGTH; q++) {
            crc.update(buffer.getByte(q));
        }
        int payloadStart = p + JournalFormat.RECORD_HEADER_LENGTH;
        Command scratch = null;
        for (int n = 1; n <= max; n++) {
            crc.update(buffer.getByte(payloadStart + n - 1));
            if (n < MIN_PAYLOAD || n == stated || (int) crc.getValue() != stored) {
                continue;
            }
            if (scratch == null) {
                scratch = new Command();
            }
            try {
                codec.decode(buffer, payloadStart, n, scratch.reset());
                return n;
            } catch (CodecException e) {
                // A checksum match by chance on bytes that are not a command: keep looking.
            }
        }
        return -1;
    }

    /**
     * The offset of the first intact record at or after {@code from} whose sequence could follow the last good one
     * (at least {@link #expected}, and no further ahead than the bytes left could hold), or -1. Only offsets whose
     * sequence field is plausible get their checksum computed, so scanning a long tail stays cheap.
     */
    private long findIntactRecord(int from) {
        long maxAhead = ((long) size - from) / JournalFormat.MIN_RECORD + 1;
        for (int q = from; q <= size - JournalFormat.RECORD_HEADER_LENGTH; q++) {
            long seq = JournalFormat.readLong(buffer, q + JournalFormat.R_SEQUENCE);
            if (seq < expected || seq - expected > maxAhead) {
                continue;
            }
            int length = JournalFormat.readInt(buffer, q + JournalFormat.R_LENGTH);
            if (length < MIN_PAYLOAD || length > JournalFormat.MAX_PAYLOAD
                    || (long) q + JournalFormat.RECORD_HEADER_LENGTH + length > size) {
                continue;
            }
            if (JournalFormat.readInt(buffer, q + JournalFormat.R_CRC) == JournalFormat.checksum(crcView, crc, q, length)) {
                return q;
            }
        }
        return -1;
    }

    private void openSegment(int i) {
        unmap();
        index = i;
        segmentRecords = 0;
        Path path = paths[i];
        long named = firsts[i];
        if (expected != 0 && named != expected) {
            throw new JournalCorruptedException("segment " + path.getFileName() + " starts at sequence " + named
                    + " but the previous one ended at " + (expected - 1), path, 0, expected);
        }
        if (expected == 0) {
            expected = named;
        }
        map(path);
        boolean last = i == paths.length - 1;
        String headerProblem = headerProblem();
        if (headerProblem != null) {
            if (!last) {
                throw new JournalCorruptedException(headerProblem + " in a segment that is not the last", path, 0,
                        expected);
            }
            long after = findIntactRecord(0);
            if (after >= 0) {
                throw new JournalCorruptedException(headerProblem + ", and an intact record follows at offset " + after,
                        path, 0, expected);
            }
            boolean cut = size < JournalFormat.FILE_HEADER_LENGTH;
            if (!cut && !allZero(0)) {
                // The writer writes a header in one piece at offset 0 (and forces it before the segment's first
                // record): a crash leaves it missing, cut or unwritten zeros, never whole and wrong.
                throw new JournalCorruptedException(headerProblem + " in the complete file header of the last segment:"
                        + " damage, not a torn tail", path, 0, expected);
            }
            tornTail = new TornTail(path, 0, size, true, cut ? TornTail.CUT_HEADER : TornTail.ZEROS);
            finishSegment(0);
            finished = true;
            return;
        }
        int version = JournalFormat.readInt(buffer, JournalFormat.H_VERSION);
        if (version != JournalFormat.VERSION) {
            throw new JournalCorruptedException("format version " + version + " is not supported (this build reads "
                    + JournalFormat.VERSION + ")", path, JournalFormat.H_VERSION, expected);
        }
        long headerFirst = JournalFormat.readLong(buffer, JournalFormat.H_FIRST_SEQUENCE);
        if (headerFirst != named) {
            throw new JournalCorruptedException("file header says first sequence " + headerFirst + " but the name says "
                    + named, path, JournalFormat.H_FIRST_SEQUENCE, expected);
        }
        position = JournalFormat.FILE_HEADER_LENGTH;
    }

    /** Null when the file header is whole and its checksum matches (version and name are checked after). */
    private String headerProblem() {
        if (size < JournalFormat.FILE_HEADER_LENGTH) {
            return "incomplete file header (" + size + " byte(s))";
        }
        if (JournalFormat.readInt(buffer, JournalFormat.H_MAGIC) != JournalFormat.MAGIC) {
            return "bad magic in the file header";
        }
        crc.reset();
        crcView.limit(JournalFormat.H_CRC_COVERS).position(0);
        crc.update(crcView);
        if ((int) crc.getValue() != JournalFormat.readInt(buffer, JournalFormat.H_CRC)) {
            return "file header checksum mismatch";
        }
        return null;
    }

    private void map(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length > Integer.MAX_VALUE - 8) {
                throw new JournalCorruptedException("segment of " + length + " bytes is larger than the format allows",
                        path, 0, expected);
            }
            size = (int) length;
            position = 0;
            if (size == 0) {
                // Mapping nothing is not portable; an empty buffer behaves the same for every check.
                buffer.wrap(new byte[0]);
                crcView = ByteBuffer.allocate(0);
                return;
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            buffer.wrap(mapped);
            crcView = mapped.duplicate();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private void finishSegment(long validLength) {
        segments.add(new SegmentInfo(paths[index], firsts[index], segmentRecords, validLength, size));
        position = size;
    }

    private void unmap() {
        if (mapped != null) {
            buffer.wrap(new byte[0]);
            crcView = null;
            IoUtil.unmap(mapped);
            mapped = null;
        }
    }
}
