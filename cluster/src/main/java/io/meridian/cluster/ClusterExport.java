package io.meridian.cluster;

import io.aeron.CommonContext;
import io.aeron.cluster.RecordingLog;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.codecs.ClusterActionRequestDecoder;
import io.aeron.cluster.codecs.MessageHeaderDecoder;
import io.aeron.cluster.codecs.NewLeadershipTermEventDecoder;
import io.aeron.cluster.codecs.SessionMessageHeaderDecoder;
import io.aeron.cluster.codecs.SnapshotMark;
import io.aeron.cluster.codecs.SnapshotMarkerDecoder;
import io.aeron.cluster.codecs.TimerEventDecoder;
import io.aeron.cluster.service.ClusterClock;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.EngineSettings;
import io.meridian.journal.JournalConfig;
import io.meridian.journal.JournalWriter;
import io.meridian.journal.SnapshotStore;
import io.meridian.model.Command;
import io.meridian.model.StateHasher;
import org.agrona.DirectBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Exports a cluster member's recorded log as a journal ({@code meridian cluster-export}): the commands the member's
 * engine applied, with the engine sequences and timestamps it gave them, in the single node's journal format, so that
 * {@code meridian replay} and {@code meridian verify [--signatures]} work on a cluster's history.
 *
 * <p><b>How.</b> The member must be stopped (or the directory a copy of a member's). Its {@code cluster/recording.log}
 * (Aeron's {@link RecordingLog}: the leadership terms and snapshots) names the log recording; the recording is read
 * straight from the archive's segment files ({@link ArchiveRecording}); each consensus log entry is decoded and handed to
 * an offline {@link EngineClusteredService} exactly as the member's service container hands it to the member's service
 * (session messages after {@link AeronCluster#SESSION_HEADER_LENGTH}, timer events, new leadership terms), so the rules
 * that decide what is applied (one client sequence after another, duplicates, out-of-order and malformed messages,
 * checkpoints and feed subscriptions applied as nothing, ticks) are the service's own, not a copy. Each command the
 * engine is about to apply goes to a {@link JournalWriter}; the member's pinned engine settings
 * ({@link EngineSettings}) go with it.
 *
 * <p><b>A log that starts later</b> (its segments before a snapshot were purged, {@link LogRetention}): the export
 * starts from the oldest snapshot in the archive at or after the log's start, loads it, persists the engine with
 * {@link SnapshotStore} in the output and starts the journal at the snapshot's sequence + 1 (replay then needs
 * {@code --from-snapshot}).
 *
 * <p><b>The tail.</b> Entries a member appended but the cluster never committed (it led, stopped or crashed, and the
 * others went on without it) cannot be told from committed ones in one member's files: its service never applied them,
 * and its next election would cut them off. The last term of a log still open in the recording log, led by the member
 * exported, says this may be so ({@link Result#lastTermOpen()}, {@link Result#lastLeader()}); docs/cluster.md has the
 * procedure.
 */
public final class ClusterExport {
    private static final String CHECKPOINT_PREFIX = "checkpoint-";

    /** The export cannot be made: the reason, for an operator. */
    public static final class ExportException extends RuntimeException {
        ExportException(String message) {
            super(message);
        }
    }

    /**
     * A checkpoint entry the export passed: the engine's sequence and state hash there, and what the member's own
     * {@code checkpoint-<id>.txt} says (null when it has none; only an id's last checkpoint in the log is compared, as
     * the file holds the last one written).
     */
    public record Checkpoint(long id, long sequence, String stateHash, String memberFile) {
        /** True when the member wrote the same sequence and state hash at this checkpoint (or wrote none). */
        public boolean agrees() {
            return memberFile == null || memberFile.startsWith("sequence=" + sequence + " state_hash=" + stateHash);
        }
    }

    /**
     * What was exported.
     *
     * @param commands             journal records written (commands and ticks)
     * @param firstSequence        the journal's first sequence (1, or the snapshot's sequence + 1)
     * @param lastSequence         the engine's sequence after the export
     * @param recordingStart       the log recording's first position
     * @param recordingStop        its stop position in the archive's catalog, -1 when the archive never stopped it
     * @param fromPosition         where the export started reading the log (the start, or the snapshot's position)
     * @param toPosition           the position after the last whole log entry read
     * @param incompleteBytes      bytes after {@code toPosition} that did not complete an entry (a recording cut short)
     * @param snapshotSequence     the engine sequence of the snapshot the export started from, -1 for none
     * @param snapshotLogPosition  that snapshot's log position, -1 for none
     * @param sessionMessages      session messages in the log read (applied or not)
     * @param timerEvents          timer events (ticks) in the log read
     * @param leadershipTerms      new-leadership-term events in the log read
     * @param lastTermOpen         true when the recording log does not say where the last term ends (see the class)
     * @param lastLeader           the member that led the last term the export read the start of, -1 when unknown
     * @param settingsPinned       false when the member has no pinned engine settings (the defaults were used)
     * @param stateHash            the engine's state hash after the export (16 hex digits)
     * @param checkpoints          checkpoint entries passed, in log order
     */
    public record Result(long commands, long firstSequence, long lastSequence, long recordingStart, long recordingStop,
                         long fromPosition, long toPosition, long incompleteBytes, long snapshotSequence,
                         long snapshotLogPosition, long sessionMessages, long timerEvents, long leadershipTerms,
                         boolean lastTermOpen, int lastLeader, boolean settingsPinned, String stateHash,
                         List<Checkpoint> checkpoints) {
        /** True when the journal starts after a snapshot (replay needs {@code --from-snapshot}). */
        public boolean fromSnapshot() {
            return snapshotSequence >= 0;
        }
    }

    private ClusterExport() {
    }

    /**
     * Exports the log of the member whose directory is {@code memberDirectory} into the new journal directory
     * {@code out} (created; refused when it exists and is not empty).
     *
     * @throws ExportException      when the directory is not a member's, the member runs, the output is not empty, or
     *                              the log cannot be exported (the message says why)
     * @throws UncheckedIOException on I/O errors
     */
    public static Result export(Path memberDirectory, Path out) {
        File clusterDir = memberDirectory.resolve("cluster").toFile();
        File archiveDir = memberDirectory.resolve("archive").toFile();
        if (!new File(clusterDir, RecordingLog.RECORDING_LOG_FILE_NAME).isFile()
                || !new File(archiveDir, "archive.catalog").isFile()) {
            throw new ExportException(memberDirectory + " is not a cluster member's directory (no cluster/"
                    + RecordingLog.RECORDING_LOG_FILE_NAME + " and archive/archive.catalog)");
        }
        refuseIfRunning(memberDirectory);
        refuseIfNotEmpty(out);

        List<RecordingLog.Entry> entries;
        try (RecordingLog recordingLog = new RecordingLog(clusterDir, false)) {
            entries = new ArrayList<>(recordingLog.entries());
        } catch (RuntimeException e) {
            throw new ExportException("cannot read " + new File(clusterDir, RecordingLog.RECORDING_LOG_FILE_NAME) + ": "
                    + e.getMessage());
        }
        RecordingLog.Entry lastTerm = null;
        for (RecordingLog.Entry entry : entries) {
            if (entry.isValid && entry.type == RecordingLog.ENTRY_TYPE_TERM) {
                if (lastTerm != null && lastTerm.recordingId != entry.recordingId) {
                    throw new ExportException("the recording log names two log recordings (" + lastTerm.recordingId
                            + " and " + entry.recordingId + "); this tool reads one");
                }
                lastTerm = entry;
            }
        }
        if (lastTerm == null) {
            throw new ExportException("the member recorded no leadership term yet: there is no log to export");
        }
        ArchiveRecording.Descriptor log = ArchiveRecording.describe(archiveDir, lastTerm.recordingId);
        if (log == null) {
            throw new ExportException("the log recording " + lastTerm.recordingId + " is not in the archive's catalog");
        }
        boolean lastTermOpen = lastTerm.logPosition < 0;
        long to = lastTermOpen ? Long.MAX_VALUE : lastTerm.logPosition;

        LogRetention.Snapshot snapshot = null;
        if (log.startPosition() > 0) {
            snapshot = oldestSnapshotFrom(entries, archiveDir, log);
            if (snapshot == null) {
                throw new ExportException("the log recording starts at position " + log.startPosition()
                        + " (the segments before it were purged) and the archive holds no snapshot at or after it");
            }
        }

        EngineConfig pinned = EngineSettings.read(memberDirectory);
        EngineConfig settings = pinned != null ? pinned : EngineConfig.defaults();
        Map<Long, Checkpoint> checkpoints = new LinkedHashMap<>();
        Sink sink = new Sink();
        EngineClusteredService service = EngineClusteredService.offline(settings, sink);
        sink.service = service;
        sink.checkpoints = checkpoints;
        if (snapshot != null) {
            EngineClusteredService.SnapshotReader reader = service.snapshotReader();
            readServiceSnapshot(archiveDir, snapshot, reader);
            try {
                service.startOffline(reader);
            } catch (RuntimeException e) {
                throw new ExportException("the snapshot at log position " + snapshot.logPosition() + " does not load: "
                        + e.getMessage());
            }
        } else {
            service.startOffline(null);
        }
        Engine engine = service.engine();
        // A snapshot taken before the first command needs no file: the journal from sequence 1 is the whole history.
        long snapshotSequence = snapshot != null && engine.lastSequence() > 0 ? engine.lastSequence() : -1;
        long firstSequence = engine.lastSequence() + 1;

        long from = snapshot != null ? snapshot.logPosition() : log.startPosition();
        LogEntries decoder = new LogEntries(service);
        ArchiveRecording.Read read;
        // The writer first: it creates the directory and its lock, which a journal's other files need beside them.
        try (JournalWriter writer = JournalWriter.open(out, JournalConfig.defaults().withFirstSequence(firstSequence))) {
            EngineSettings.write(out, settings);
            if (snapshotSequence > 0) {
                SnapshotStore store = new SnapshotStore(out);
                store.persist(store.capture(engine, null));
            }
            sink.writer = writer;
            try {
                read = ArchiveRecording.read(archiveDir, log, from, to, decoder);
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new ExportException("the log recording cannot be read: " + e.getMessage() + " (" + out
                        + " holds what was exported before it: delete it before trying again)");
            }
            writer.commit();
        }
        List<Checkpoint> passed = new ArrayList<>();
        for (Checkpoint checkpoint : checkpoints.values()) {
            passed.add(new Checkpoint(checkpoint.id(), checkpoint.sequence(), checkpoint.stateHash(),
                    memberCheckpoint(memberDirectory, checkpoint.id())));
        }
        return new Result(sink.commands, firstSequence, engine.lastSequence(), log.startPosition(),
                log.stopped() ? log.stopPosition() : -1, from, read.position(), read.incomplete(), snapshotSequence,
                snapshot != null ? snapshot.logPosition() : -1, decoder.sessionMessages, decoder.timerEvents,
                decoder.leadershipTerms, lastTermOpen, decoder.lastLeader, pinned != null,
                StateHasher.hex(engine.stateHash()), passed);
    }

    /** Appends each command the offline service is about to apply to the journal; notes checkpoints. */
    private static final class Sink implements EngineClusteredService.Sequenced {
        /** Forces the journal at least this often, so that a long export's progress is on disk as it goes. */
        private static final int COMMIT_EVERY = 65_536;
        EngineClusteredService service;
        JournalWriter writer;
        Map<Long, Checkpoint> checkpoints;
        long commands;

        @Override
        public void onSequenced(Command command) {
            writer.append(command);
            if (++commands % COMMIT_EVERY == 0) {
                writer.commit();
            }
        }

        @Override
        public void onCheckpoint(long id) {
            Engine engine = service.engine();
            // The last checkpoint of an id is the one its member's file holds: keep it at the end of the order.
            checkpoints.remove(id);
            checkpoints.put(id, new Checkpoint(id, engine.lastSequence(), StateHasher.hex(engine.stateHash()), null));
        }
    }

    /** Decodes consensus log entries and hands them to the service as the member's service container does. */
    private static final class LogEntries implements ArchiveRecording.MessageHandler {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final SessionMessageHeaderDecoder session = new SessionMessageHeaderDecoder();
        private final TimerEventDecoder timer = new TimerEventDecoder();
        private final NewLeadershipTermEventDecoder newTerm = new NewLeadershipTermEventDecoder();
        private final EngineClusteredService service;
        long sessionMessages;
        long timerEvents;
        long leadershipTerms;
        int lastLeader = -1;

        LogEntries(EngineClusteredService service) {
            this.service = service;
        }

        @Override
        public void onMessage(DirectBuffer buffer, int offset, int length, long position) {
            if (length < MessageHeaderDecoder.ENCODED_LENGTH) {
                throw new IllegalStateException("a log entry of " + length + " bytes ends at position " + position);
            }
            header.wrap(buffer, offset);
            if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
                throw new IllegalStateException("the log entry ending at position " + position + " is not a cluster"
                        + " message (schema " + header.schemaId() + ")");
            }
            int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (header.templateId()) {
                case SessionMessageHeaderDecoder.TEMPLATE_ID -> {
                    if (length < AeronCluster.SESSION_HEADER_LENGTH) {
                        throw new IllegalStateException("a session message of " + length + " bytes ends at position "
                                + position);
                    }
                    session.wrap(buffer, body, header.blockLength(), header.version());
                    sessionMessages++;
                    // The member's service got its client session here; offline there is none (no acknowledgement).
                    service.onSessionMessage(null, session.timestamp(), buffer,
                            offset + AeronCluster.SESSION_HEADER_LENGTH, length - AeronCluster.SESSION_HEADER_LENGTH,
                            null);
                }
                case TimerEventDecoder.TEMPLATE_ID -> {
                    timer.wrap(buffer, body, header.blockLength(), header.version());
                    timerEvents++;
                    service.onTimerEvent(timer.correlationId(), timer.timestamp());
                }
                case NewLeadershipTermEventDecoder.TEMPLATE_ID -> {
                    newTerm.wrap(buffer, body, header.blockLength(), header.version());
                    leadershipTerms++;
                    lastLeader = newTerm.leaderMemberId();
                    service.onNewLeadershipTermEvent(newTerm.leadershipTermId(), newTerm.logPosition(),
                            newTerm.timestamp(), newTerm.termBaseLogPosition(), newTerm.leaderMemberId(),
                            newTerm.logSessionId(), ClusterClock.map(newTerm.timeUnit()), newTerm.appVersion());
                }
                case ClusterActionRequestDecoder.TEMPLATE_ID -> {
                    // A snapshot request: the members snapshot here; the engine's state does not change.
                }
                default -> {
                    // Session open and close events (the service keeps nothing of them but feed subscriptions, which
                    // are not engine state) and membership events: nothing for the engine.
                }
            }
        }
    }

    /**
     * The oldest snapshot the archive still holds (the service's recording in the catalog, stopped, with its first
     * segment) whose log position lies in the log recording, from its start on: the export that starts there covers the
     * most of the log.
     */
    private static LogRetention.Snapshot oldestSnapshotFrom(List<RecordingLog.Entry> entries, File archiveDir,
                                                            ArchiveRecording.Descriptor log) {
        for (LogRetention.Snapshot snapshot : LogRetention.snapshots(entries)) {
            long position = snapshot.logPosition();
            if (position < log.startPosition() || (log.stopped() && position > log.stopPosition())) {
                continue;
            }
            ArchiveRecording.Descriptor recording = ArchiveRecording.describe(archiveDir, snapshot.serviceRecordingId());
            if (recording != null && recording.stopped() && ArchiveRecording.segmentFile(archiveDir, recording,
                    ArchiveRecording.segmentBase(recording, recording.startPosition())).exists()) {
                return snapshot;
            }
        }
        return null;
    }

    /**
     * Reads the service's snapshot recording into {@code reader}: first Aeron's part (a begin marker, the client
     * sessions, an end marker, all of Aeron's schema), then the messages the service wrote.
     */
    private static void readServiceSnapshot(File archiveDir, LogRetention.Snapshot snapshot,
                                            EngineClusteredService.SnapshotReader reader) {
        ArchiveRecording.Descriptor recording = ArchiveRecording.describe(archiveDir, snapshot.serviceRecordingId());
        MessageHeaderDecoder header = new MessageHeaderDecoder();
        SnapshotMarkerDecoder marker = new SnapshotMarkerDecoder();
        boolean[] aeronPartRead = {false};
        try {
            ArchiveRecording.read(archiveDir, recording, recording.startPosition(), recording.stopPosition(),
                    (buffer, offset, length, position) -> {
                        if (aeronPartRead[0]) {
                            if (!reader.done) {
                                reader.onFragment(buffer, offset, length, null);
                            }
                            return;
                        }
                        header.wrap(buffer, offset);
                        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
                            throw new IllegalStateException("the snapshot recording " + recording.recordingId()
                                    + " does not start with the cluster's snapshot marker");
                        }
                        if (header.templateId() == SnapshotMarkerDecoder.TEMPLATE_ID) {
                            marker.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                                    header.version());
                            if (marker.logPosition() != snapshot.logPosition()) {
                                throw new IllegalStateException("the snapshot recording " + recording.recordingId()
                                        + " is of log position " + marker.logPosition() + ", the recording log says "
                                        + snapshot.logPosition());
                            }
                            aeronPartRead[0] = marker.mark() == SnapshotMark.END;
                        }
                    });
            if (!aeronPartRead[0]) {
                throw new IllegalStateException("the snapshot recording " + recording.recordingId() + " has no end"
                        + " marker");
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ExportException("the snapshot at log position " + snapshot.logPosition() + " cannot be read: "
                    + e.getMessage());
        }
    }

    private static void refuseIfRunning(Path memberDirectory) {
        File driver = memberDirectory.resolve("driver").toFile();
        boolean running;
        try {
            // Aeron's own liveness window (10 s without a heartbeat): a busy or paused member whose driver missed a
            // second of heartbeats is still running (a 1 s window let an export read a live member on a loaded machine).
            // A member closed cleanly deletes its driver directory, so only a crashed one waits out the window.
            running = CommonContext.isDriverActive(driver, CommonContext.DEFAULT_DRIVER_TIMEOUT_MS, message -> { });
        } catch (RuntimeException e) {
            // Unreadable Aeron files (a copy on read-only storage, say): no live member writes through them.
            running = false;
        }
        if (running) {
            throw new ExportException("the member in " + memberDirectory + " is running (its media driver is alive):"
                    + " stop it first, or export a copy of its directory");
        }
    }

    private static void refuseIfNotEmpty(Path out) {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new ExportException(out + " exists and is not a directory");
        }
        try (Stream<Path> files = Files.list(out)) {
            if (files.findAny().isPresent()) {
                throw new ExportException(out + " is not empty: export into a new directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + out, e);
        }
    }

    private static String memberCheckpoint(Path memberDirectory, long id) {
        Path file = memberDirectory.resolve(CHECKPOINT_PREFIX + id + ".txt");
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
