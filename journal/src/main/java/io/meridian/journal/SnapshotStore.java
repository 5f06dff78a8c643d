package io.meridian.journal;

import io.meridian.engine.Engine;
import io.meridian.model.EngineEvents;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotFormatException;
import io.meridian.model.snapshot.SnapshotWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * Snapshot files of the engine, kept beside the journal segments in the same directory.
 *
 * <p>File {@code snapshot-<sequence, 20 digits>.snap}: a {@value #HEADER_LENGTH}-byte header, little-endian: magic
 * {@code "MRDS"} (int), format version (int, {@value #VERSION}), sequence (long), timestamp (long), state hash (long),
 * payload length (long), CRC32C of the payload (int), CRC32C of the header's first 44 bytes (int); then the payload
 * ({@link EngineSnapshots}: sections per component). A snapshot is written to a temporary name, forced, and renamed
 * into place (then the directory is forced), so a file with the final name is always complete. Format version 1 was
 * the Kryo copy of the engine's object graph that builds before the sectioned format wrote; this build refuses it
 * with a message that says so, and a start falls back to an older snapshot or the journal.
 *
 * <p>Taking a snapshot has two halves: {@link #capture} copies the engine to bytes on the engine thread (the pause;
 * the engine must not run meanwhile) and {@link #persist}, which may run on another thread, loads the bytes back into
 * a scratch engine to take its state hash and writes the file.
 *
 * <p>{@link #loadNewest} tries snapshots newest first and takes the first that passes every check: both checksums,
 * a sequence not beyond the journal's end, a payload this build can read, and a loaded engine whose
 * {@link Engine#stateHash()} and last sequence equal the header's. Each one skipped is reported with its reason.
 *
 * <p>{@link #pruneJournal} deletes journal segments only behind a snapshot this store has proven to load (it wrote,
 * loaded or verified it, in this format), so that pruning never leaves a node with nothing to recover from.
 */
public final class SnapshotStore {
    public static final int MAGIC = 'M' | 'R' << 8 | 'D' << 16 | 'S' << 24;
    /** The sectioned format ({@link EngineSnapshots}); 1 was the Kryo object-graph copy of earlier builds. */
    public static final int VERSION = 2;
    /** The format version of the Kryo snapshots of builds before {@link #VERSION} 2, refused by name. */
    static final int KRYO_VERSION = 1;
    public static final int HEADER_LENGTH = 48;
    static final String PREFIX = "snapshot-";
    static final String SUFFIX = ".snap";
    private static final int NAME_DIGITS = 20;

    private final Path directory;
    /** Sequences of the snapshot files this store has proven to load: written, loaded or verified by it. */
    private final Set<Long> proven = ConcurrentHashMap.newKeySet();

    public SnapshotStore(Path directory) {
        this.directory = directory;
    }

    /**
     * A snapshot in memory: the engine's sequence and timestamp and the payload ({@code length} bytes of
     * {@code payload}, which may be a reused buffer: persist it before the next capture into the same buffer).
     */
    public record Captured(long sequence, long timestamp, byte[] payload, int length, long captureNanos) {
    }

    /** A snapshot file. */
    public record Info(Path path, long sequence, long timestamp, long stateHash, long payloadLength) {
    }

    /** A loaded snapshot, and those skipped before it (newest first) with the reason. */
    public record Loaded(Engine engine, Info info, List<String> skipped, long loadNanos) {
    }

    /**
     * Copies {@code engine} to bytes. Call on the engine thread, between commands: this is the pause, and it is only
     * the copy (the state hash is computed by {@link #persist}, off this thread).
     *
     * @param buffer a reusable buffer (grown as needed), or null
     */
    public Captured capture(Engine engine, SnapshotWriter buffer) {
        long start = System.nanoTime();
        SnapshotWriter out = buffer != null ? buffer : new SnapshotWriter(1 << 20);
        out.reset();
        EngineSnapshots.write(engine, out);
        return new Captured(engine.lastSequence(), engine.lastTimestamp(), out.buffer(), out.length(),
                System.nanoTime() - start);
    }

    /**
     * Proves a captured snapshot loads, then writes it to its file, durably. The payload is decoded into a scratch
     * engine and that engine's state hash goes into the header: so a snapshot file exists only if it loads, and a
     * loader checks it got back the state that was written. May run on another thread than {@link #capture}, but not
     * on two at once.
     *
     * @throws SnapshotException when the payload does not load back (nothing is written)
     */
    public Info persist(Captured snapshot) {
        Engine copy;
        try {
            copy = EngineSnapshots.read(snapshot.payload(), 0, snapshot.length(), new EngineEvents() { });
        } catch (RuntimeException | StackOverflowError e) {
            throw new SnapshotException("captured engine does not load back (" + e + ")", e);
        }
        if (copy.lastSequence() != snapshot.sequence()) {
            throw new SnapshotException("captured engine loads at sequence " + copy.lastSequence() + ", not "
                    + snapshot.sequence(), null);
        }
        long stateHash = copy.stateHash();
        Path target = directory.resolve(fileName(snapshot.sequence()));
        Path temporary = directory.resolve(fileName(snapshot.sequence()) + ".tmp");
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(snapshot.payload(), 0, snapshot.length());
        header.putInt(MAGIC).putInt(VERSION).putLong(snapshot.sequence()).putLong(snapshot.timestamp())
                .putLong(stateHash).putLong(snapshot.length()).putInt((int) crc.getValue());
        crc.reset();
        crc.update(header.array(), 0, HEADER_LENGTH - 4);
        header.putInt((int) crc.getValue());
        header.flip();
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(channel, header);
            writeFully(channel, ByteBuffer.wrap(snapshot.payload(), 0, snapshot.length()));
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + temporary, e);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Journal.forceDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move snapshot into place: " + target, e);
        }
        proven.add(snapshot.sequence());
        return new Info(target, snapshot.sequence(), snapshot.timestamp(), stateHash, snapshot.length());
    }

    /** Snapshot files by sequence, newest first (names only; contents are checked when loaded). */
    public List<Path> list() {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path p : stream) {
                if (parseFileName(p) > 0) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        found.sort(Comparator.comparingLong(SnapshotStore::parseFileName).reversed());
        return found;
    }

    /**
     * Loads the newest snapshot that passes every check and is not beyond {@code maxSequence} (the journal's end).
     *
     * @return the loaded engine, or null when none qualifies (then {@code skipped} explains each one)
     */
    public Loaded loadNewest(EngineEvents events, long maxSequence, List<String> skipped) {
        for (Path path : list()) {
            long start = System.nanoTime();
            try {
                Info info = readHeader(path);
                if (info.sequence() > maxSequence) {
                    skipped.add(path.getFileName() + ": sequence " + info.sequence() + " is beyond the journal's end "
                            + maxSequence);
                    continue;
                }
                Engine engine = load(path, info, events);
                return new Loaded(engine, info, List.copyOf(skipped), System.nanoTime() - start);
            } catch (SnapshotException e) {
                skipped.add(path.getFileName() + ": " + e.getMessage());
            }
        }
        return null;
    }

    /**
     * Checks a snapshot file completely (checksums, payload, state hash) without keeping the engine.
     *
     * @return its header values
     * @throws SnapshotException with the reason when it fails a check
     */
    public Info verify(Path path) {
        Info info = readHeader(path);
        load(path, info, new EngineEvents() { });
        return info;
    }

    /**
     * Deletes the journal segments in this directory that lie wholly before the oldest retained snapshot, when that
     * snapshot is in this format and loads: proven by this store (written, loaded or verified by it), else verified
     * now (a full load, once per file and store). Otherwise nothing is deleted: a snapshot of an older format (after an
     * upgrade) or one that fails a check is no base to prune behind, and the journal stays until retention has replaced
     * it with snapshots of this build. Keeping every retained snapshot's journal lets each of them replay forward.
     *
     * @return what was deleted, or null when the oldest retained snapshot is not (yet) a base
     */
    public JournalRetention.Pruned pruneJournal() {
        List<Path> kept = list();
        if (kept.isEmpty()) {
            return null;
        }
        Path oldest = kept.get(kept.size() - 1);
        long sequence = parseFileName(oldest);
        try {
            readHeader(oldest);
            if (!proven.contains(sequence)) {
                verify(oldest);
            }
        } catch (SnapshotException e) {
            return null;
        }
        return JournalRetention.pruneThrough(directory, sequence);
    }

    /**
     * The format version in a snapshot file's header when the header is intact (magic and checksum), else -1: how tools
     * tell a snapshot of an earlier format ({@link #KRYO_VERSION}) from a damaged one. Reads the header only.
     */
    static int formatVersion(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (channel.size() < HEADER_LENGTH) {
                return -1;
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, 0);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_LENGTH - 4);
            return header.getInt(0) == MAGIC && (int) crc.getValue() == header.getInt(HEADER_LENGTH - 4)
                    ? header.getInt(4) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Deletes all but the newest {@code keep} snapshot files (and stray temporary files). */
    public void retain(int keep) {
        List<Path> all = list();
        try {
            for (int i = keep; i < all.size(); i++) {
                Files.deleteIfExists(all.get(i));
            }
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX + ".tmp")) {
                for (Path p : stream) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune snapshots in " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** The reason a snapshot file was refused. */
    public static final class SnapshotException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SnapshotException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Info readHeader(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_LENGTH) {
                throw new SnapshotException("incomplete header (" + size + " bytes)", null);
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, 0);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_LENGTH - 4);
            if ((int) crc.getValue() != header.getInt(HEADER_LENGTH - 4)) {
                throw new SnapshotException("header checksum mismatch", null);
            }
            if (header.getInt(0) != MAGIC) {
                throw new SnapshotException("not a snapshot (bad magic)", null);
            }
            if (header.getInt(4) == KRYO_VERSION) {
                throw new SnapshotException("format version " + KRYO_VERSION + " (the Kryo object-graph snapshots of"
                        + " earlier builds) cannot be read by this build, which reads format version " + VERSION, null);
            }
            if (header.getInt(4) != VERSION) {
                throw new SnapshotException("format version " + header.getInt(4) + " is not " + VERSION, null);
            }
            long sequence = header.getLong(8);
            long payloadLength = header.getLong(32);
            if (sequence != parseFileName(path)) {
                throw new SnapshotException("header says sequence " + sequence + " but the name says "
                        + parseFileName(path), null);
            }
            if (payloadLength != size - HEADER_LENGTH) {
                throw new SnapshotException("payload is " + (size - HEADER_LENGTH) + " bytes, header says "
                        + payloadLength, null);
            }
            return new Info(path, sequence, header.getLong(16), header.getLong(24), payloadLength);
        } catch (IOException e) {
            throw new SnapshotException("cannot read: " + e.getMessage(), e);
        }
    }

    private Engine load(Path path, Info info, EngineEvents events) {
        if (info.payloadLength() > Integer.MAX_VALUE - 16) {
            throw new SnapshotException("payload of " + info.payloadLength() + " bytes is too large", null);
        }
        byte[] payload = new byte[(int) info.payloadLength()];
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            readFully(channel, ByteBuffer.wrap(payload), HEADER_LENGTH);
            ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, 0);
            CRC32C crc = new CRC32C();
            crc.update(payload);
            if ((int) crc.getValue() != header.getInt(40)) {
                throw new SnapshotException("payload checksum mismatch", null);
            }
        } catch (IOException e) {
            throw new SnapshotException("cannot read: " + e.getMessage(), e);
        }
        Engine engine;
        try {
            engine = EngineSnapshots.read(payload, 0, payload.length, events);
        } catch (RuntimeException | StackOverflowError e) {
            throw new SnapshotException("payload cannot be read by this build (" + (e instanceof SnapshotFormatException
                    ? e.getMessage() : e.toString()) + ")", e);
        }
        if (engine.lastSequence() != info.sequence()) {
            throw new SnapshotException("engine inside is at sequence " + engine.lastSequence(), null);
        }
        long hash = engine.stateHash();
        if (hash != info.stateHash()) {
            throw new SnapshotException("state hash " + StateHasher.hex(hash) + " of the loaded engine is not the "
                    + "recorded " + StateHasher.hex(info.stateHash()), null);
        }
        proven.add(info.sequence());
        return engine;
    }

    static String fileName(long sequence) {
        String digits = Long.toString(sequence);
        return PREFIX + "0".repeat(Math.max(0, NAME_DIGITS - digits.length())) + digits + SUFFIX;
    }

    /** The sequence a snapshot file's name states, or -1. */
    static long parseFileName(Path path) {
        String name = path.getFileName().toString();
        if (name.length() != PREFIX.length() + NAME_DIGITS + SUFFIX.length() || !name.startsWith(PREFIX)
                || !name.endsWith(SUFFIX)) {
            return -1;
        }
        long value = 0;
        for (int i = PREFIX.length(); i < PREFIX.length() + NAME_DIGITS; i++) {
            char ch = name.charAt(i);
            if (ch < '0' || ch > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            at += n;
        }
    }
}
