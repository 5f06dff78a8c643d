package io.meridian.cluster;

import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.RecordingLog;
import org.agrona.CloseHelper;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Truncates a member's recorded log behind its snapshots ({@code cluster-node --log-retain-snapshots K}): after the
 * member's service takes a snapshot and the consensus module has entered it in the recording log, the log recording's
 * segments that lie wholly before the {@code K}-th newest snapshot's log position are purged (Aeron Archive
 * {@code purgeSegments}: whole segment files, the recording's start moves to the first segment kept), and the recordings
 * of older snapshots are deleted ({@code purgeRecording}).
 *
 * <p><b>Why that is safe for the member itself.</b> Aeron recovers a member from its newest valid snapshot and replays
 * its log from that snapshot's position ({@code RecordingLog.createRecoveryPlan}); the log from the {@code K}-th newest
 * snapshot on is kept, and so are those {@code K} snapshots, so the member restarts from its newest snapshot, or from
 * any of the {@code K - 1} before it if newer ones are invalidated (Aeron's {@code ClusterTool
 * invalidate-latest-snapshot}). Snapshots older than those have no log after them any more: deleting them loses
 * nothing a recovery can use. Their entries stay in the recording log (only the consensus module writes it while it
 * runs): an operator who invalidates all {@code K} kept snapshots gets a start that fails on the missing recording,
 * never a silently wrong state.
 *
 * <p><b>What it costs others.</b> A member that is behind (down across snapshots, or new with an empty directory)
 * catches up by replicating the leader's log from its own end; if the leader has purged that part, it cannot (Aeron
 * 1.46 sends no snapshots to a member that lags): it must be given a copy of a current member's directory. See
 * docs/cluster.md and docs/operations.md.
 *
 * <p>Runs on the member's snapshot schedule thread ({@link SnapshotSchedule}), never the service's: it reads the
 * recording log (as Aeron's {@code ClusterTool} does on a running member) and talks to the member's archive through its
 * own client. A failure is reported and the work is tried again after the next snapshot.
 */
final class LogRetention implements AutoCloseable {
    /** Default: keep the whole log (it is the audit record that {@code cluster-export} reads). */
    static final int DEFAULT_RETAIN_SNAPSHOTS = 0;

    /** One snapshot of the cluster: its log position and the recordings of the consensus module and the service. */
    record Snapshot(long logPosition, long consensusRecordingId, long serviceRecordingId) {
    }

    private final int retain;
    private final File clusterDir;
    private final AeronArchive.Context archiveContext;
    private final EngineClusteredService service;
    private final PrintStream err;
    private AeronArchive archive;
    private volatile long handledSnapshots;
    private volatile long logStartPosition = -1;
    private volatile long segmentPurges;
    private volatile long snapshotsDeleted;
    private volatile long failures;

    /**
     * @param retain         snapshots whose log is kept, at least 1
     * @param archiveContext how to reach the member's archive (a context this object clones)
     */
    LogRetention(int retain, File clusterDir, AeronArchive.Context archiveContext, EngineClusteredService service,
                 PrintStream err) {
        if (retain < 1) {
            throw new IllegalArgumentException("snapshots to retain: " + retain);
        }
        this.retain = retain;
        this.clusterDir = clusterDir;
        this.archiveContext = archiveContext;
        this.service = service;
        this.err = err;
    }

    /** Acts once after each snapshot the service took, when the recording log has it. Returns true when it acted. */
    boolean doWork() {
        long taken = service.snapshotsTaken();
        if (taken == handledSnapshots) {
            return false;
        }
        long position = service.lastSnapshotLogPosition();
        try {
            List<Snapshot> snapshots;
            long logRecordingId;
            try (RecordingLog recordingLog = new RecordingLog(clusterDir, false)) {
                snapshots = snapshots(recordingLog.entries());
                logRecordingId = recordingLog.findLastTermRecordingId();
            }
            if (snapshots.isEmpty() || snapshots.get(snapshots.size() - 1).logPosition() < position) {
                // The consensus module enters a snapshot once every service has taken it: look again later.
                return false;
            }
            handledSnapshots = taken;
            if (snapshots.size() < retain || logRecordingId < 0) {
                return true;
            }
            Snapshot base = snapshots.get(snapshots.size() - retain);
            if (archive == null) {
                archive = AeronArchive.connect(archiveContext.clone());
            }
            // Older snapshots first: stopped half way, the member never keeps a snapshot whose log is gone.
            for (Snapshot old : snapshots.subList(0, snapshots.size() - retain)) {
                snapshotsDeleted += purgeIfPresent(old.consensusRecordingId()) + purgeIfPresent(old.serviceRecordingId());
            }
            long[] extent = extent(logRecordingId);
            long newStart = AeronArchive.segmentFileBasePosition(extent[0], base.logPosition(), (int) extent[1],
                    (int) extent[2]);
            if (newStart > extent[0]) {
                archive.purgeSegments(logRecordingId, newStart);
                segmentPurges++;
                logStartPosition = newStart;
            } else {
                logStartPosition = extent[0];
            }
        } catch (RuntimeException e) {
            handledSnapshots = taken;
            failures++;
            err.println("cluster-node: log retention failed (tried again after the next snapshot): " + e);
            CloseHelper.quietClose(archive);
            archive = null;
        }
        return true;
    }

    /** Start, term length and segment length of a recording in the member's archive. */
    private long[] extent(long recordingId) {
        long[] extent = new long[3];
        int found = archive.listRecording(recordingId, (controlSessionId, correlationId, id, startTimestamp,
                stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength,
                mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) -> {
            extent[0] = startPosition;
            extent[1] = termBufferLength;
            extent[2] = segmentFileLength;
        });
        if (found == 0) {
            throw new IllegalStateException("the log recording " + recordingId + " is not in the archive");
        }
        return extent;
    }

    private int purgeIfPresent(long recordingId) {
        if (recordingId < 0 || archive.listRecording(recordingId, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) -> {
        }) == 0) {
            return 0;
        }
        archive.purgeRecording(recordingId);
        return 1;
    }

    /**
     * The valid snapshots of a recording log, oldest first: a consensus module entry (service id -1) with the
     * service's entry (service id 0, this member's one service) just before it at the same log position, as Aeron
     * pairs them.
     */
    static List<Snapshot> snapshots(List<RecordingLog.Entry> entries) {
        List<Snapshot> snapshots = new ArrayList<>();
        for (int i = 1; i < entries.size(); i++) {
            RecordingLog.Entry consensus = entries.get(i);
            RecordingLog.Entry service = entries.get(i - 1);
            if (consensus.isValid && consensus.type == RecordingLog.ENTRY_TYPE_SNAPSHOT && consensus.serviceId == -1
                    && service.isValid && service.type == RecordingLog.ENTRY_TYPE_SNAPSHOT && service.serviceId == 0
                    && service.logPosition == consensus.logPosition) {
                snapshots.add(new Snapshot(consensus.logPosition, consensus.recordingId, service.recordingId));
            }
        }
        return snapshots;
    }

    /** The log recording's start after the last purge (-1 before the first snapshot was handled). */
    long logStartPosition() {
        return logStartPosition;
    }

    /** Purges of log segments so far. */
    long segmentPurges() {
        return segmentPurges;
    }

    /** Snapshot recordings deleted so far. */
    long snapshotsDeleted() {
        return snapshotsDeleted;
    }

    long failures() {
        return failures;
    }

    /** Where it stands, for a log line or a failed test: snapshots taken and handled, purges, log start, deletions. */
    @Override
    public String toString() {
        return "log retention: " + service.snapshotsTaken() + " snapshot(s) taken, " + handledSnapshots + " handled, "
                + segmentPurges + " purge(s), log start " + logStartPosition + ", " + snapshotsDeleted
                + " snapshot recording(s) deleted, " + failures + " failure(s), last snapshot at log position "
                + service.lastSnapshotLogPosition();
    }

    /** Closes the archive client: on the thread that calls {@link #doWork}. */
    @Override
    public void close() {
        CloseHelper.quietClose(archive);
        archive = null;
    }
}
