package io.meridian.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Opening a journal directory: {@link #recover} (repairs a torn tail, for the writer) and {@link #inspect} (read-only,
 * for tools). Both read every record once and check it ({@link JournalReader}).
 *
 * <p>The rule, with its reasoning in docs/operations.md ("Journal integrity") and {@link JournalReader}: only what a
 * crash can leave at the end of the <em>last</em> segment, with no intact record anywhere after it, is a torn tail and
 * is cut off, back to the end of the last intact record: the file ending inside a record header, the file ending
 * before a record's declared length (unless the bytes there are a complete record whose length field was damaged),
 * or zeros to the end of the file; a last segment whose file header is cut or all zeros and that holds no intact
 * record is removed. Everything else that is wrong (a complete record with a bad checksum, even the last one; an
 * impossible length in a complete header; a bad record with an intact one after it; any damage in a segment that is
 * not the last; a sequence gap or repeat; a header that disagrees with its file name) throws
 * {@link JournalCorruptedException}, and nothing is changed.
 *
 * <p><b>One writer.</b> The writer (and {@link #recover}) holds an OS lock on {@value #LOCK_FILE} for its lifetime;
 * see {@link DirectoryLock} for why deleting that file does not let a second writer in.
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

    /**
     * Whether {@code directory} already holds a journal: a segment, the pinned engine settings or a snapshot. Each of
     * these is only ever written under the writer lock, after {@link #LOCK_FILE} was created.
     */
    static boolean holdsJournal(Path directory) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                if (JournalFormat.parseFileName(p) > 0 || name.equals(EngineSettings.FILE_NAME)
                        || SnapshotStore.parseFileName(p) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The exclusive writer lock of a journal directory: an OS lock ({@code fcntl}) on {@value #LOCK_FILE}, held until
     * {@link #close()}.
     *
     * <p><b>Deleting the file does not open the door.</b> An OS lock belongs to the file, not to its name: were the
     * name deleted while a writer runs, a second process could create a new file of that name and lock it, and two
     * writers would fork the log. So the lock file is created only together with a journal (when the directory holds
     * no segment, pinned settings or snapshot yet, see {@link #holdsJournal}) and never deleted; when the directory
     * holds a journal and the file is missing, the open is refused with a message telling the operator to check that
     * no node uses the directory and recreate the file. A journal made by an older build always has the file (it was
     * created on every open and never removed), so it opens as before; one whose file was lost (deleted, or not
     * copied with the rest) is refused the same way rather than guessed safe, because nothing is left to lock that
     * would prove no writer is running.
     *
     * <p><b>One writer per process, without touching the file.</b> POSIX locks belong to the process, and closing
     * <em>any</em> descriptor of the file releases them: a second open of the same directory in this JVM that opened
     * the lock file, failed to lock it and closed it would silently drop the first writer's lock. So this JVM's held
     * directories are tracked by real path and a second open is refused before the file is opened.
     *
     * <p>Limits: a lock file that is deleted and then created again while a node runs is not detected (a second
     * process would lock the new file); nor is a journal whose only content is records not yet written (a writer that
     * has appended nothing, before the node pins its settings, about a millisecond at the first start).
     */
    static final class DirectoryLock implements AutoCloseable {
        /** Real paths of the directories whose lock this JVM holds. Guarded by itself. */
        private static final Set<Path> HELD = new HashSet<>();

        private final FileChannel channel;
        private final FileLock lock;
        private final Path key;

        private DirectoryLock(FileChannel channel, FileLock lock, Path key) {
            this.channel = channel;
            this.lock = lock;
            this.key = key;
        }

        static DirectoryLock acquire(Path directory) {
            if (!Files.isDirectory(directory)) {
                throw new UncheckedIOException(new NoSuchFileException(directory.toString(), null,
                        "not a directory"));
            }
            Path key;
            try {
                key = directory.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resolve " + directory, e);
            }
            synchronized (HELD) {
                if (!HELD.add(key)) {
                    throw new IllegalStateException("journal " + directory + " is already open by a writer in this"
                            + " process");
                }
            }
            FileChannel channel = null;
            try {
                channel = openLockFile(directory);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    throw new IllegalStateException("journal " + directory + " is open by another writer (it holds "
                            + LOCK_FILE + ")");
                }
                return new DirectoryLock(channel, lock, key);
            } catch (IOException e) {
                closeQuietly(channel);
                release(key);
                throw new UncheckedIOException("cannot lock " + directory, e);
            } catch (RuntimeException e) {
                closeQuietly(channel);
                release(key);
                throw e;
            }
        }

        /** Opens the existing lock file, or creates it for a directory that holds no journal yet. */
        private static FileChannel openLockFile(Path directory) throws IOException {
            Path file = directory.resolve(LOCK_FILE);
            try {
                return FileChannel.open(file, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                if (holdsJournal(directory)) {
                    throw new IllegalStateException("journal " + directory + " has segments, settings or snapshots but"
                            + " its lock file " + LOCK_FILE + " is missing. It is created with the journal and never"
                            + " removed, so it was deleted or not copied; another node may be running on this"
                            + " directory and a second writer would fork the log. Make sure no process uses "
                            + directory + ", then create the empty file " + directory.resolve(LOCK_FILE)
                            + " and start again");
                }
            }
            FileChannel created;
            try {
                created = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException raced) {
                // Another process is creating the journal right now; whoever locks first wins below.
                return FileChannel.open(file, StandardOpenOption.WRITE);
            }
            try {
                // The file's name must outlive a power cut before the journal's first file can exist without it.
                forceDirectory(directory);
            } catch (IOException e) {
                closeQuietly(created);
                throw e;
            }
            return created;
        }

        private static void release(Path key) {
            synchronized (HELD) {
                HELD.remove(key);
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
                release(key);
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
