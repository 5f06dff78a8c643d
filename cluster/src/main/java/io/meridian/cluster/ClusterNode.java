package io.meridian.cluster;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.NanosecondClusterClock;
import io.aeron.cluster.codecs.AdminRequestType;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.meridian.engine.EngineConfig;
import io.meridian.journal.EngineSettings;
import org.agrona.concurrent.NoOpLock;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One member of a Meridian cluster: a media driver, an archive (which records the replicated log), the consensus
 * module (Raft: elections, log replication, commit) and the {@link EngineClusteredService}, all in this process.
 *
 * <p><b>Members and ports.</b> Members are listed as host names in member-id order ({@code localhost,localhost,
 * localhost}); member {@code i} uses ports {@code portBase + 100 i + k}: k = 1 archive control, 2 client ingress, 3
 * consensus, 4 log, 5 catch-up (UDP), 6 status (HTTP, {@link MemberStatus}). Clients connect with
 * {@link #ingressEndpoints}; gateways read each member's status at {@link #statusUrl}.
 *
 * <p><b>Timeouts</b> (why they differ from Aeron's defaults, which allow 10 s of leader silence): a follower starts an
 * election after {@value #LEADER_HEARTBEAT_TIMEOUT_MS} ms without a heartbeat, heartbeats go every
 * {@value #LEADER_HEARTBEAT_INTERVAL_MS} ms, and an election phase times out after {@value #ELECTION_TIMEOUT_MS} ms.
 * On loopback and a LAN that gives a new leader well inside the 2 s target after a leader dies, while a heartbeat
 * interval ten times shorter than the timeout keeps a busy but healthy leader from being voted out. A WAN deployment
 * would raise all three.
 *
 * <p>State lives under the node's directory: {@code driver/} (the media driver's files), {@code archive/} (the log
 * recording and snapshots), {@code cluster/} (consensus state), and checkpoint files written by the service. A node
 * restarted on the same directory recovers from its own snapshot and log, then catches up from the leader. The log is
 * kept whole unless {@link LogOptions#retainSnapshots()} says to truncate it behind snapshots ({@link LogRetention});
 * {@link ClusterExport} writes it as a journal once the member is stopped.
 */
public final class ClusterNode implements AutoCloseable {
    public static final int PORTS_PER_NODE = 100;
    static final int ARCHIVE_CONTROL_PORT = 1;
    static final int INGRESS_PORT = 2;
    static final int CONSENSUS_PORT = 3;
    static final int LOG_PORT = 4;
    static final int CATCHUP_PORT = 5;
    static final int STATUS_PORT = 6;
    static final long LEADER_HEARTBEAT_TIMEOUT_MS = 500;
    static final long LEADER_HEARTBEAT_INTERVAL_MS = 50;
    static final long ELECTION_TIMEOUT_MS = 500;

    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final EngineClusteredService service;
    private final SnapshotSchedule schedule;
    private final MemberStatus status;
    private final LogRetention retention;

    private ClusterNode(ClusteredMediaDriver driver, ClusteredServiceContainer container,
                        EngineClusteredService service, SnapshotSchedule schedule, MemberStatus status,
                        LogRetention retention) {
        this.driver = driver;
        this.container = container;
        this.service = service;
        this.schedule = schedule;
        this.status = status;
        this.retention = retention;
    }

    /**
     * The engine settings pinned in the member's directory ({@link EngineSettings}), pinning {@code offered} when there
     * are none yet (a new member).
     */
    static EngineConfig pinnedSettings(Path directory, EngineConfig offered) {
        try {
            java.nio.file.Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + directory, e);
        }
        EngineConfig pinned = EngineSettings.read(directory);
        if (pinned == null) {
            EngineSettings.write(directory, offered);
            pinned = offered;
        }
        return pinned;
    }

    /**
     * Starts member {@code memberId} of the cluster whose members run on {@code hosts}, with its state in
     * {@code directory}; the engine settings are those pinned in it, or {@code engineConfig} for a new member.
     */
    public static ClusterNode start(int memberId, List<String> hosts, int portBase, Path directory,
                                    EngineConfig engineConfig) {
        return start(memberId, hosts, portBase, directory, engineConfig, EngineClusteredService.DEFAULT_TICK_NANOS);
    }

    /** As above, with {@code tickNanos} of cluster time between the engine's ticks (0: none). */
    public static ClusterNode start(int memberId, List<String> hosts, int portBase, Path directory,
                                    EngineConfig engineConfig, long tickNanos) {
        return start(memberId, hosts, portBase, directory, engineConfig, tickNanos,
                SnapshotSchedule.DEFAULT_EVERY_COMMANDS, SnapshotSchedule.DEFAULT_EVERY_NANOS);
    }

    /**
     * As above, with scheduled snapshots ({@link SnapshotSchedule}): while it leads, the member has the cluster snapshot
     * after {@code snapshotEveryCommands} commands or {@code snapshotEveryNanos} since the newest snapshot (0: not by
     * that rule).
     */
    public static ClusterNode start(int memberId, List<String> hosts, int portBase, Path directory,
                                    EngineConfig engineConfig, long tickNanos, long snapshotEveryCommands,
                                    long snapshotEveryNanos) {
        return start(memberId, hosts, portBase, directory, engineConfig, tickNanos, snapshotEveryCommands,
                snapshotEveryNanos, LogOptions.defaults());
    }

    /**
     * How a member keeps its recorded log.
     *
     * @param retainSnapshots the log is truncated behind the {@code retainSnapshots}-th newest snapshot after each
     *                        snapshot, and older snapshots deleted ({@link LogRetention}); 0 keeps everything
     * @param termLength      the log's term length (Aeron's; 16 MiB by default, a power of two, at least 64 KiB)
     * @param segmentLength   the archive's segment files, the unit a truncation deletes (128 MiB by default, Aeron's
     *                        default; a power of two, at least the term length)
     */
    public record LogOptions(int retainSnapshots, int termLength, int segmentLength) {
        public static final int DEFAULT_TERM_LENGTH = 16 << 20;
        public static final int DEFAULT_SEGMENT_LENGTH = 128 << 20;

        public LogOptions {
            if (retainSnapshots < 0 || termLength < 64 << 10 || termLength > 1 << 30
                    || Integer.bitCount(termLength) != 1 || segmentLength < termLength || segmentLength > 1 << 30
                    || Integer.bitCount(segmentLength) != 1) {
                throw new IllegalArgumentException("log options: retain " + retainSnapshots + " snapshots, term "
                        + termLength + " bytes, segments " + segmentLength + " bytes");
            }
        }

        /** The whole log kept ({@link LogRetention#DEFAULT_RETAIN_SNAPSHOTS}), Aeron's sizes as the member uses them. */
        public static LogOptions defaults() {
            return new LogOptions(LogRetention.DEFAULT_RETAIN_SNAPSHOTS, DEFAULT_TERM_LENGTH, DEFAULT_SEGMENT_LENGTH);
        }

        public LogOptions withRetainSnapshots(int snapshots) {
            return new LogOptions(snapshots, termLength, segmentLength);
        }
    }

    /** As above, with the member's log kept as {@code log} says. */
    public static ClusterNode start(int memberId, List<String> hosts, int portBase, Path directory,
                                    EngineConfig engineConfig, long tickNanos, long snapshotEveryCommands,
                                    long snapshotEveryNanos, LogOptions log) {
        if (memberId < 0 || memberId >= hosts.size()) {
            throw new IllegalArgumentException("member id " + memberId + " is not in 0.." + (hosts.size() - 1));
        }
        String host = hosts.get(memberId);
        File base = directory.toFile();
        String aeronDir = new File(base, "driver").getAbsolutePath();

        MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(aeronDir)
                .threadingMode(ThreadingMode.SHARED)
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true);

        Archive.Context archiveContext = new Archive.Context()
                .aeronDirectoryName(aeronDir)
                .archiveDir(new File(base, "archive"))
                .controlChannel(udp(host, port(memberId, portBase, ARCHIVE_CONTROL_PORT)))
                .archiveClientContext(new AeronArchive.Context().controlResponseChannel(udp(host, 0)))
                .localControlChannel("aeron:ipc?term-length=64k")
                .replicationChannel(udp(host, 0))
                .recordingEventsEnabled(false)
                .segmentFileLength(log.segmentLength())
                .threadingMode(ArchiveThreadingMode.SHARED);

        AeronArchive.Context archiveClient = new AeronArchive.Context()
                .lock(NoOpLock.INSTANCE)
                .controlRequestChannel(archiveContext.localControlChannel())
                .controlRequestStreamId(archiveContext.localControlStreamId())
                .controlResponseChannel(archiveContext.localControlChannel())
                .aeronDirectoryName(aeronDir);

        ConsensusModule.Context consensusContext = new ConsensusModule.Context()
                .clusterMemberId(memberId)
                .clusterMembers(members(hosts, portBase))
                .clusterDir(new File(base, "cluster"))
                .archiveContext(archiveClient.clone())
                .serviceCount(1)
                .replicationChannel(udp(host, 0))
                .ingressChannel("aeron:udp?term-length=4m")
                .logChannel("aeron:udp?term-length=" + log.termLength())
                .clusterClock(new NanosecondClusterClock())
                .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(LEADER_HEARTBEAT_TIMEOUT_MS))
                .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(LEADER_HEARTBEAT_INTERVAL_MS))
                .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(ELECTION_TIMEOUT_MS))
                .electionStatusIntervalNs(TimeUnit.MILLISECONDS.toNanos(20))
                .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(10))
                .sessionTimeoutNs(TimeUnit.SECONDS.toNanos(10))
                // Clients may ask for a snapshot (an operator's tool does); every other admin request is refused.
                .authorisationServiceSupplier(() -> (protocolId, actionId, type, principal) ->
                        type == AdminRequestType.SNAPSHOT);

        // The settings the member's log was started with, as for a single node's journal: a later build with other
        // defaults replays the archive to the same state.
        EngineConfig pinned = pinnedSettings(directory, engineConfig);
        EngineClusteredService service = new EngineClusteredService(pinned, directory, tickNanos,
                CommandFeed.DEFAULT_RING_BYTES);
        ClusteredServiceContainer.Context serviceContext = new ClusteredServiceContainer.Context()
                .aeronDirectoryName(aeronDir)
                .archiveContext(archiveClient.clone())
                .clusterDir(new File(base, "cluster"))
                .clusteredService(service)
                .serviceId(0);

        ClusteredMediaDriver driver = ClusteredMediaDriver.launch(driverContext, archiveContext, consensusContext);
        ClusteredServiceContainer container;
        try {
            container = ClusteredServiceContainer.launch(serviceContext);
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
        LogRetention retention = log.retainSnapshots() == 0 ? null : new LogRetention(log.retainSnapshots(),
                consensusContext.clusterDir(), archiveClient, service, System.err);
        SnapshotSchedule schedule = new SnapshotSchedule(service, driver.mediaDriver().context().countersManager(),
                consensusContext.clusterId(), snapshotEveryCommands, snapshotEveryNanos, memberId, retention);
        MemberStatus status;
        try {
            status = new MemberStatus(host, port(memberId, portBase, STATUS_PORT), memberId, consensusContext.clusterId(),
                    driver.mediaDriver().context().countersManager(), service, schedule::requests);
        } catch (RuntimeException e) {
            schedule.close();
            container.close();
            driver.close();
            throw e;
        }
        return new ClusterNode(driver, container, service, schedule, status, retention);
    }

    /** The members string Aeron parses: {@code id,ingress,consensus,log,catchup,archive|...}. */
    static String members(List<String> hosts, int portBase) {
        StringBuilder sb = new StringBuilder();
        for (int id = 0; id < hosts.size(); id++) {
            String host = hosts.get(id);
            sb.append(id)
                    .append(',').append(host).append(':').append(port(id, portBase, INGRESS_PORT))
                    .append(',').append(host).append(':').append(port(id, portBase, CONSENSUS_PORT))
                    .append(',').append(host).append(':').append(port(id, portBase, LOG_PORT))
                    .append(',').append(host).append(':').append(port(id, portBase, CATCHUP_PORT))
                    .append(',').append(host).append(':').append(port(id, portBase, ARCHIVE_CONTROL_PORT))
                    .append('|');
        }
        return sb.toString();
    }

    /** What a client needs to reach every member: {@code 0=host:port,1=host:port,...}. */
    public static String ingressEndpoints(List<String> hosts, int portBase) {
        List<String> parts = new ArrayList<>();
        for (int id = 0; id < hosts.size(); id++) {
            parts.add(id + "=" + hosts.get(id) + ":" + port(id, portBase, INGRESS_PORT));
        }
        return String.join(",", parts);
    }

    /** Where member {@code memberId}'s status is served ({@link MemberStatus}). */
    public static String statusUrl(List<String> hosts, int portBase, int memberId) {
        return "http://" + hosts.get(memberId) + ":" + port(memberId, portBase, STATUS_PORT) + MemberStatus.PATH;
    }

    static int port(int memberId, int portBase, int offset) {
        return portBase + memberId * PORTS_PER_NODE + offset;
    }

    private static String udp(String host, int port) {
        return "aeron:udp?endpoint=" + host + ":" + port;
    }

    public EngineClusteredService service() {
        return service;
    }

    /** Snapshots this member asked the cluster for while it led ({@link SnapshotSchedule}). */
    public long snapshotRequests() {
        return schedule.requests();
    }

    /** The log retention of this member ({@link LogOptions#retainSnapshots()}), null when it keeps its whole log. */
    LogRetention logRetention() {
        return retention;
    }

    @Override
    public void close() {
        status.close();
        schedule.close();
        try {
            container.close();
        } finally {
            driver.close();
        }
    }
}
