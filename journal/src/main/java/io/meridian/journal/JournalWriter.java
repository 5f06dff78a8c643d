package io.meridian.journal;

import io.meridian.model.Command;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The one writer of a journal directory. {@link #append} encodes a stamped command into an in-memory batch;
 * {@link #commit} writes the batch to the current segment and, under {@link Durability#GROUP_COMMIT}, forces it to
 * stable storage once for the whole batch. A command counts as journaled (may be acknowledged) only when a
 * {@code commit()} that followed its {@code append} has returned: {@link #committedSequence()} says how far that is.
 *
 * <p><b>Opening</b> recovers the directory first ({@link Journal#recover} rules: a torn tail is cut off and reported
 * in {@link #recovery()}, any other damage throws {@link JournalCorruptedException}), takes the directory's exclusive
 * lock for the writer's lifetime, and continues after the last intact record.
 *
 * <p><b>Segments.</b> A record that would take the current segment past {@link JournalConfig#segmentSize()} starts a
 * new segment (unless the current one holds no record yet). Rolling forces the finished segment and the directory
 * under group commit, so a new file's name survives a power loss before anything in it is acknowledged.
 *
 * <p><b>Failure.</b> An I/O error leaves the writer failed: every later call throws, because what reached the disk is
 * unknown; the process should stop and recover on restart, which keeps exactly the intact prefix.
 *
 * <p>One thread only (the sequencer's).
 */
public final class JournalWriter implements AutoCloseable {
    private final Path directory;
    private final JournalConfig config;
    private final Journal.DirectoryLock lock;
    private final RecoveryReport recovery;
    private final CommandCodec codec = new CommandCodec();
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer batch;
    private final UnsafeBuffer batchBuffer;
    /** A second view of the batch for the checksum, whose position and limit we may move freely. */
    private final ByteBuffer crcView;

    private FileChannel channel;
    /** Bytes of the current segment already written to its file. */
    private long segmentLength;
    private boolean segmentHasRecords;
    /** Bytes of the batch not yet written to the file. */
    private int batchLength;

    private long nextSequence;
    private long lastTimestamp;
    private long committedSequence;
    private long appendedBytes;
    private long commits;
    private long segmentsCreated;
    /** {@link #segmentsCreated} when {@link #force} last forced the directory. */
    private long segmentsForced;
    private boolean failed;
    private boolean closed;
    /** Hears how long each force of a segment's data took; null: not timed. */
    private ForceTimes forceTimes;

    /**
     * Hears the duration of every force of a segment's data ({@code fdatasync}: one per committed batch under group
     * commit, one per {@link #force}), in nanoseconds, on the writer's thread, right after it returned. Must not block
     * or allocate (the node records it in a histogram).
     */
    @FunctionalInterface
    public interface ForceTimes {
        void forced(long nanos);
    }

    private JournalWriter(Path directory, JournalConfig config, Journal.DirectoryLock lock, RecoveryReport recovery) {
        this.directory = directory;
        this.config = config;
        this.lock = lock;
        this.recovery = recovery;
        this.batch = BufferUtil.allocateDirectAligned(config.batchBuffer(), 64).order(JournalFormat.ORDER);
        this.batchBuffer = new UnsafeBuffer(batch);
        this.crcView = batch.duplicate();
    }

    /**
     * Recovers {@code directory} (creating it when missing) and opens it for appending after its last intact record.
     *
     * @throws JournalCorruptedException when the journal is damaged other than by a torn tail
     * @throws IllegalStateException     when another writer holds the directory
     * @throws UncheckedIOException      on I/O errors
     */
    public static JournalWriter open(Path directory, JournalConfig config) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        Journal.DirectoryLock lock = Journal.DirectoryLock.acquire(directory);
        try {
            RecoveryReport report = Journal.recoverLocked(directory);
            JournalWriter writer = new JournalWriter(directory, config, lock, report);
            writer.start(report);
            return writer;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private void start(RecoveryReport report) {
        if (report.segments() == 0) {
            nextSequence = config.firstSequence();
            lastTimestamp = Long.MIN_VALUE;
        } else {
            nextSequence = report.lastSequence() + 1;
            lastTimestamp = report.lastTimestamp();
        }
        committedSequence = nextSequence - 1;
        try {
            Path last = lastSegment();
            if (last == null) {
                return;
            }
            channel = FileChannel.open(last, StandardOpenOption.WRITE);
            segmentLength = channel.size();
            channel.position(segmentLength);
            segmentHasRecords = segmentLength > JournalFormat.FILE_HEADER_LENGTH;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the last segment of " + directory, e);
        }
    }

    /** The newest segment file after recovery, or null when there is none. */
    private Path lastSegment() throws IOException {
        long newest = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + JournalFormat.SUFFIX)) {
            for (Path p : stream) {
                newest = Math.max(newest, JournalFormat.parseFileName(p));
            }
        }
        return newest > 0 ? directory.resolve(JournalFormat.fileName(newest)) : null;
    }

    /**
     * Adds {@code c} to the batch. Its {@link Command#sequence} must be {@link #nextSequence()} and its timestamp not
     * earlier than the last one: the sequencer stamps, the journal checks.
     *
     * @return the command's sequence
     * @throws IllegalArgumentException for a wrong sequence or timestamp (nothing is appended)
     * @throws CodecException           when the command cannot be encoded (nothing is appended)
     */
    public long append(Command c) {
        ensureUsable();
        if (c.sequence != nextSequence) {
            throw new IllegalArgumentException("sequence " + c.sequence + " appended where " + nextSequence
                    + " is next");
        }
        if (c.timestamp < lastTimestamp) {
            throw new IllegalArgumentException("timestamp " + c.timestamp + " is earlier than the last, "
                    + lastTimestamp);
        }
        if (batch.capacity() - batchLength < JournalFormat.MAX_RECORD) {
            writeBatch();
        }
        int offset = batchLength;
        int payload = codec.encode(c, batchBuffer, offset + JournalFormat.RECORD_HEADER_LENGTH,
                JournalFormat.MAX_PAYLOAD);
        int record = JournalFormat.RECORD_HEADER_LENGTH + payload;
        if (segmentHasRecords && segmentLength + offset + record > config.segmentSize()) {
            // This record starts the next segment: write what precedes it to the current one first.
            batchLength = offset;
            writeBatch();
            roll();
            batchBuffer.putBytes(0, batchBuffer, offset, record);
            offset = 0;
        } else if (channel == null) {
            roll();
        }
        JournalFormat.sealRecord(batchBuffer, crcView, crc, offset, payload, c.sequence, c.timestamp);
        batchLength = offset + record;
        segmentHasRecords = true;
        nextSequence++;
        lastTimestamp = c.timestamp;
        appendedBytes += record;
        return c.sequence;
    }

    /**
     * Writes the batch and, under group commit, forces it to stable storage. When it returns, every appended command
     * up to {@link #committedSequence()} is journaled.
     *
     * @return the last committed sequence
     */
    public long commit() {
        ensureUsable();
        if (nextSequence - 1 == committedSequence) {
            return committedSequence;
        }
        writeBatch();
        if (config.durability() == Durability.GROUP_COMMIT) {
            try {
                forceData();
            } catch (IOException e) {
                failed = true;
                throw new UncheckedIOException("cannot force " + directory, e);
            }
        }
        commits++;
        committedSequence = nextSequence - 1;
        return committedSequence;
    }

    /** Times every later force of a segment's data with {@code listener} (null: none). Writer's thread. */
    public void forceTimes(ForceTimes listener) {
        this.forceTimes = listener;
    }

    /** Forces the current segment's data, timed when someone listens ({@link #forceTimes}). */
    private void forceData() throws IOException {
        ForceTimes listener = forceTimes;
        if (listener == null) {
            channel.force(false);
            return;
        }
        long start = System.nanoTime();
        channel.force(false);
        listener.forced(System.nanoTime() - start);
    }

    /**
     * Forces everything appended so far to stable storage, whatever the durability, and the directory when segments
     * were created since the last force (so they are found after a power loss): how a journal written without an
     * fsync per batch ({@link Durability#NONE}) makes sure a snapshot is never ahead of it. Commits the batch first.
     *
     * @return the last forced sequence
     */
    public long force() {
        long forced = commit();
        if (channel == null) {
            return forced;
        }
        try {
            forceData();
            if (segmentsForced != segmentsCreated) {
                Journal.forceDirectory(directory);
                segmentsForced = segmentsCreated;
            }
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("cannot force " + directory, e);
        }
        return forced;
    }

    /**
     * Starts the segment the next record goes to now, if none is open yet (it is otherwise made by the first
     * {@link #append}): a journal that continues after a snapshot (its {@link JournalConfig#firstSequence()} past 1)
     * then names its first sequence on disk before any record, so a start finds where it continues and the tools see a
     * journal that begins after the snapshot. Forced as every new segment is under {@link Durability#GROUP_COMMIT}
     * (under {@link Durability#NONE}, by the next {@link #force}).
     */
    public void openSegment() {
        ensureUsable();
        if (channel == null) {
            roll();
        }
    }

    /** The sequence the next appended command must carry. */
    public long nextSequence() {
        return nextSequence;
    }

    /** The last appended command's timestamp; {@link Long#MIN_VALUE} for an empty journal. */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The last sequence made durable (or, without group commit, handed to the OS) by {@link #commit()}. */
    public long committedSequence() {
        return committedSequence;
    }

    /** What recovery found when this writer opened the directory. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** Record bytes appended by this writer (headers included). */
    public long appendedBytes() {
        return appendedBytes;
    }

    /** Commits that wrote something. */
    public long commits() {
        return commits;
    }

    /** Segment files this writer created. */
    public long segmentsCreated() {
        return segmentsCreated;
    }

    public Path directory() {
        return directory;
    }

    public JournalConfig config() {
        return config;
    }

    /** Commits what is pending, then releases the files and the lock. A failed writer just releases them. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (!failed) {
                commit();
            }
        } finally {
            closed = true;
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // Everything committed is already forced; an error closing cannot lose it.
            } finally {
                lock.close();
            }
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("journal writer is closed");
        }
        if (failed) {
            throw new IllegalStateException("journal writer failed on an earlier I/O error; restart to recover");
        }
    }

    private void writeBatch() {
        if (batchLength == 0) {
            return;
        }
        try {
            batch.limit(batchLength).position(0);
            while (batch.hasRemaining()) {
                channel.write(batch);
            }
            segmentLength += batchLength;
            batchLength = 0;
            batch.clear();
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("cannot write to " + directory, e);
        }
    }

    /**
     * Closes the current segment (forced, whatever the durability: once per segment costs nothing, and {@link #force}
     * then needs to force only the open one) and starts the next at {@link #nextSequence}.
     */
    private void roll() {
        boolean durable = config.durability() == Durability.GROUP_COMMIT;
        try {
            if (channel != null) {
                channel.force(false);
                channel.close();
            }
            Path path = directory.resolve(JournalFormat.fileName(nextSequence));
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ByteBuffer header = JournalFormat.fileHeader(nextSequence);
            while (header.hasRemaining()) {
                channel.write(header);
            }
            if (durable) {
                channel.force(true);
                Journal.forceDirectory(directory);
            }
            segmentLength = JournalFormat.FILE_HEADER_LENGTH;
            segmentHasRecords = false;
            segmentsCreated++;
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("cannot start a segment in " + directory, e);
        }
    }
}
