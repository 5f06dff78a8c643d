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
 * <p>At the end of the last segment, bytes that are not an intact record and have no intact record anywhere after
 * them are a torn tail: {@link #next()} returns false and {@link #tornTail()} describes them. Anything else that is
 * wrong throws {@link JournalCorruptedException}. The exact rule is in docs/journal.md; {@link Journal#recover} uses
 * this class to find what to cut.
 *
 * <p>Segments are memory-mapped one at a time; {@link #buffer()} and the payload range are valid until the next call
 * to {@link #next()}. One thread only.
 */
public final class JournalReader implements AutoCloseable {
    private static final int OK = 0;
    private static final int INCOMPLETE = 1;
    private static final int BAD_LENGTH = 2;
    private static final int BAD_CHECKSUM = 3;
    private static final int GAP = 4;
    private static final int TIME_BACKWARDS = 5;
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
            return INCOMPLETE;
        }
        int length = JournalFormat.readInt(buffer, p + JournalFormat.R_LENGTH);
        if (length < MIN_PAYLOAD || length > JournalFormat.MAX_PAYLOAD) {
            return BAD_LENGTH;
        }
        if (remaining < (long) JournalFormat.RECORD_HEADER_LENGTH + length) {
            return INCOMPLETE;
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

    /** Decides between torn tail (returns, reader finished) and corruption (throws). */
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
        String what = status == INCOMPLETE ? "incomplete record" : status == BAD_LENGTH ? "impossible record length"
                : "checksum mismatch";
        if (index != paths.length - 1) {
            throw new JournalCorruptedException(what + " in a segment that is not the last", path, p, expected);
        }
        long after = findIntactRecord(p + 1);
        if (after >= 0) {
            throw new JournalCorruptedException(what + ", and an intact record follows at offset " + after, path, p,
                    expected);
        }
        tornTail = new TornTail(path, p, size - p, false);
        finishSegment(p);
        finished = true;
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
            tornTail = new TornTail(path, 0, size, true);
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
