package io.meridian.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opening a journal directory: {@link #recover} (repairs a torn tail, for the writer) and {@link #inspect} (read-only,
 * for tools). Both read every record once and check it ({@link JournalReader}).
 *
 * <p>The rule, also in docs/journal.md: bytes at the end of the <em>last</em> segment that are not an intact record,
 * with no intact record anywhere after them, are a torn tail (a crash in the middle of a write) and are cut off, back
 * to the end of the last intact record; a last segment whose file header is incomplete or damaged and holds no intact
 * record is removed. Everything else that is wrong (a bad record with an intact one after it, any damage in a segment
 * that is not the last, a sequence gap or repeat, a header that disagrees with its file name) throws
 * {@link JournalCorruptedException}, and nothing is changed.
 */
public final class Journal {
    /** Held (an OS file lock) by the one writer of a directory; recovery takes it too. */
    public static final String LOCK_FILE = "journal.lock";

    private Journal() {
    }

    /**
     * Reads the journal, cuts off a torn tail if there is one (truncate and force, or delete a torn new segment and
     * force the directory) and reports what it found. Takes the directory's writer lock while it works.
     *
     * @throws JournalCorruptedException when the damage is not a torn tail; the files are left as they are
     * @throws IllegalStateException     when a writer holds the directory
     * @throws UncheckedIOException      on I/O errors, or when the directory does not exist
     */
    @SuppressWarnings("try") // The lock is held for the block's duration; it needs no other use.
    public static RecoveryReport recover(Path directory) {
        try (DirectoryLock lock = DirectoryLock.acquire(directory)) {
            return recoverLocked(directory);
        }
    }

    /** Reads and checks the journal without changing anything; a torn tail is reported, not cut. */
    public static RecoveryReport inspect(Path directory) {
        try (JournalReader reader = JournalReader.open(directory)) {
            return reader.readToEnd();
        }
    }

    /** {@link #recover} for a caller that already holds the lock. */
    static RecoveryReport recoverLocked(Path directory) {
        RecoveryReport found = inspect(directory);
        TornTail tail = found.tornTail();
        if (tail == null) {
            return found;
        }
        try {
            if (tail.wholeSegment()) {
                Files.delete(tail.segment());
                forceDirectory(directory);
            } else {
                try (FileChannel channel = FileChannel.open(tail.segment(), StandardOpenOption.WRITE)) {
                    channel.truncate(tail.offset());
                    channel.force(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cut the torn tail " + tail, e);
        }
        return new RecoveryReport(found.firstSequence(), found.lastSequence(), found.lastTimestamp(), found.records(),
                found.segments(), tail, true);
    }

    /** Makes a created or deleted directory entry durable (Linux and macOS need the directory itself forced). */
    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** The exclusive writer lock of a journal directory. */
    static final class DirectoryLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private DirectoryLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static DirectoryLock acquire(Path directory) {
            if (!Files.isDirectory(directory)) {
                throw new UncheckedIOException(new NoSuchFileException(directory.toString(), null,
                        "not a directory"));
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    throw new IllegalStateException("journal " + directory + " is open by another writer");
                }
                return new DirectoryLock(channel, lock);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new UncheckedIOException("cannot lock " + directory, e);
            } catch (RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                lock.release();
            } catch (IOException e) {
                // Closing the channel below releases the lock anyway.
            } finally {
                closeQuietly(channel);
            }
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing was written through this channel; there is nothing to lose.
            }
        }
    }
}
