package io.meridian.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.SequencedCommands;
import io.meridian.journal.CodecException;
import io.meridian.journal.CommandCodec;
import io.meridian.journal.EngineSnapshots;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotWriter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * The engine as an Aeron Cluster clustered service: every node applies the same Raft-replicated log, so every node
 * holds the same engine. The log is the journal of cluster mode (the Aeron Archive records it on each node) and
 * snapshots go through the cluster's snapshot mechanism.
 *
 * <p><b>Log entries</b> ({@link ClusterProtocol}): a command is decoded, stamped with the engine's next sequence and
 * the log entry's cluster timestamp (nanoseconds; never earlier than the previous one), applied, and acknowledged to
 * the client session with the engine sequence and the reject reason if the engine refused it. The leader sends the
 * acknowledgement; on followers {@code offer} does nothing. A client's resend of a message already applied is answered
 * {@link ClusterProtocol#STATUS_DUPLICATE} and not applied again. A checkpoint entry writes
 * {@code checkpoint-<id>.txt} ({@code sequence=<n> state_hash=<hex> messages=<n>}) to the node's status directory:
 * every node writes it at the same log position, which is how tests and operators compare replicas. The service also
 * writes {@code started.txt} ({@code from_snapshot=<bool> sequence=<n>}) when it starts and
 * {@code snapshot-taken.txt} after each snapshot.
 *
 * <p><b>Snapshots</b>: a header message (magic, version, the per-client highest sequences, the engine payload
 * length), then the engine ({@link EngineSnapshots}) in chunks; {@link #onStart} reads them back. Version 2 carries the
 * sectioned engine format; a version 1 snapshot (the Kryo copy of earlier builds) is refused, and the member must
 * recover from the log instead.
 *
 * <p><b>The applied-command feed</b> ({@link CommandFeed}): every command the engine applies, a tick included, goes to
 * the sessions that subscribed ({@link ClusterProtocol#FEED_SUBSCRIBE}): the gateways' replicas of the engine
 * ({@link ClusterReplica}).
 *
 * <p><b>Time</b>: with a tick interval, a cluster timer applies a {@code TIME_TICK} at every interval of cluster
 * time, so funding, GTD and option expiry and the index's staleness move on with no command coming in, at the same
 * log position on every member. The timer is (re)scheduled at every new leadership term, a log event every member
 * sees, and after each tick.
 *
 * <p><b>Offline</b> ({@link #offline}): the same rules outside a cluster, for a replay of a member's recorded log
 * ({@link ClusterExport}): no cluster (no acknowledgements, no timers scheduled: the log already holds every timer
 * event), no status files, and each command handed to a {@link Sequenced} listener as the engine is about to apply it.
 *
 * <p>Runs on the cluster's service thread only.
 */
public final class EngineClusteredService implements ClusteredService {
    static final int SNAPSHOT_MAGIC = 'M' | 'R' << 8 | 'C' << 16 | 'S' << 24;
    static final int SNAPSHOT_VERSION = 2;
    private static final int CHUNK = 16 * 1024;
    /** The correlation id of the tick timer (the only timer). */
    static final long TICK_TIMER = 1;
    /** Default tick interval of a member: one second of cluster time. */
    public static final long DEFAULT_TICK_NANOS = 1_000_000_000L;
    /** The feed ring of an offline service, which has no subscribers: the smallest the feed takes. */
    private static final int OFFLINE_FEED_RING_BYTES = 64 * 1024;

    /**
     * Hears an offline service ({@link #offline}) decide: what a member's service decided at the same log position.
     * Called on the thread that drives the service.
     */
    interface Sequenced {
        /**
         * The engine is about to apply {@code command}, with its sequence, timestamp, account and order id decided
         * ({@link SequencedCommands}): the form a node journals. The engine may change the object when it applies it:
         * copy or encode it now.
         */
        void onSequenced(Command command);

        /** A checkpoint entry with this id was applied (a member writes {@code checkpoint-<id>.txt} here). */
        default void onCheckpoint(long id) {
        }
    }

    private final EngineConfig engineConfig;
    private final Path statusDirectory;
    /** Cluster-time nanoseconds between ticks; 0: no ticks. */
    private final long tickIntervalNanos;
    private final int feedRingBytes;
    private final ExpandableArrayBuffer tickPayload = new ExpandableArrayBuffer(256);
    private final CommandCodec codec = new CommandCodec();
    private final Command command = new Command();
    private final UnsafeBuffer ack = new UnsafeBuffer(new byte[ClusterProtocol.ACK_LENGTH]);
    /** Highest applied message sequence per client id. Part of the replicated state (snapshotted). */
    private final Long2LongHashMap appliedByClient = new Long2LongHashMap(64, 0.5f, 0);
    /** The engine's listener: the service reads each command's outcome from {@code apply}, not from events. */
    private final EngineEvents noEvents = new EngineEvents() { };
    /** Null on a member; the listener of an offline service. */
    private final Sequenced sequenced;

    private Cluster cluster;
    private Engine engine;
    private CommandFeed feed;
    private long messages;
    private volatile long feedErrors;
    private volatile long snapshotsTaken;
    private volatile int feedSubscribers;
    private volatile boolean leader;
    private volatile long appliedSequence;
    private volatile long lastSnapshotSequence;
    private volatile long lastSnapshotNanos = System.nanoTime();
    /** The log position of this member's newest snapshot (as the cluster gave it to the service); -1: none taken. */
    private volatile long lastSnapshotLogPosition = -1;

    /** A service with the default tick ({@link #DEFAULT_TICK_NANOS}) and feed ring. */
    public EngineClusteredService(EngineConfig engineConfig, Path statusDirectory) {
        this(engineConfig, statusDirectory, DEFAULT_TICK_NANOS, CommandFeed.DEFAULT_RING_BYTES);
    }

    /**
     * @param tickIntervalNanos cluster time between ticks, 0 for none (a test that counts engine sequences)
     * @param feedRingBytes     bound on the recent commands kept for subscribers that fall behind
     */
    public EngineClusteredService(EngineConfig engineConfig, Path statusDirectory, long tickIntervalNanos,
                                  int feedRingBytes) {
        this(engineConfig, statusDirectory, tickIntervalNanos, feedRingBytes, null);
    }

    private EngineClusteredService(EngineConfig engineConfig, Path statusDirectory, long tickIntervalNanos,
                                   int feedRingBytes, Sequenced sequenced) {
        if (tickIntervalNanos < 0 || feedRingBytes < OFFLINE_FEED_RING_BYTES) {
            throw new IllegalArgumentException("tick interval " + tickIntervalNanos + " or feed ring " + feedRingBytes);
        }
        this.engineConfig = engineConfig;
        this.statusDirectory = statusDirectory;
        this.tickIntervalNanos = tickIntervalNanos;
        this.feedRingBytes = feedRingBytes;
        this.sequenced = sequenced;
    }

    /**
     * The service outside a cluster, to replay a member's recorded log ({@link ClusterExport}): start it with
     * {@link #startOffline}, then hand it the log's session messages and timer events as the cluster would (a null
     * session and header). It applies every tick timer event in the log: a member that ran without ticks scheduled
     * none, so its log holds none. It writes no status files.
     */
    static EngineClusteredService offline(EngineConfig engineConfig, Sequenced sequenced) {
        return new EngineClusteredService(engineConfig, null, 1, OFFLINE_FEED_RING_BYTES, sequenced);
    }

    /** The replica's engine (for tests in the same process). Service thread only. */
    public Engine engine() {
        return engine;
    }

    @Override
    public void onStart(Cluster cluster, Image snapshotImage) {
        this.cluster = cluster;
        started(snapshotImage == null ? null : loadSnapshot(snapshotImage, cluster.idleStrategy()));
    }

    /**
     * Starts an offline service ({@link #offline}) from the snapshot {@code snapshot} reassembled (the service's part of
     * a snapshot recording, every message of it handed to it in order), or from an empty engine when null.
     *
     * @throws IllegalStateException when the snapshot is incomplete or not of this version
     */
    void startOffline(SnapshotReader snapshot) {
        if (snapshot != null && !snapshot.done) {
            throw new IllegalStateException("snapshot ended after " + snapshot.received + " of " + snapshot.length
                    + " engine bytes");
        }
        started(snapshot);
    }

    /** A reader for {@link #startOffline}: hand it the messages the service wrote in {@link #onTakeSnapshot}. */
    SnapshotReader snapshotReader() {
        return new SnapshotReader();
    }

    private void started(SnapshotReader snapshot) {
        if (snapshot == null) {
            engine = new Engine(noEvents, engineConfig);
        } else {
            messages = snapshot.messages;
            engine = EngineSnapshots.read(snapshot.payload, 0, snapshot.payload.length, noEvents);
        }
        feed = new CommandFeed(feedRingBytes, engine.lastSequence());
        lastSnapshotSequence = engine.lastSequence();
        appliedSequence = engine.lastSequence();
        writeStatus("started.txt", "from_snapshot=" + (snapshot != null) + " sequence=" + engine.lastSequence()
                + System.lineSeparator());
    }

    @Override
    public void onSessionOpen(ClientSession session, long timestamp) {
    }

    @Override
    public void onSessionClose(ClientSession session, long timestamp, CloseReason closeReason) {
        feed.unsubscribe(session.id());
        feedSubscribers = feed.subscriberCount();
    }

    @Override
    public void onSessionMessage(ClientSession session, long timestamp, DirectBuffer buffer, int offset, int length,
                                 Header header) {
        messages++;
        if (length < ClusterProtocol.BODY_OFFSET) {
            // Not even a client id and sequence: nothing to deduplicate against or acknowledge by.
            return;
        }
        byte kind = buffer.getByte(offset + ClusterProtocol.KIND_OFFSET);
        long clientId = buffer.getLong(offset + ClusterProtocol.CLIENT_ID_OFFSET, ClusterProtocol.ORDER);
        long clientSequence = buffer.getLong(offset + ClusterProtocol.CLIENT_SEQUENCE_OFFSET, ClusterProtocol.ORDER);
        long applied = appliedByClient.get(clientId);
        if (clientSequence <= applied) {
            // A resend, or a HELLO (sequence 0): answered, nothing applied; the answer says how far the client is.
            acknowledge(session, clientId, clientSequence, 0, ClusterProtocol.STATUS_DUPLICATE);
            return;
        }
        if (clientSequence != applied + 1) {
            // An earlier message of this client never reached the log (lost with a leader): applying this one would
            // skip it for good, and its resend would then look like a duplicate.
            acknowledge(session, clientId, clientSequence, 0, ClusterProtocol.STATUS_OUT_OF_ORDER);
            return;
        }
        appliedByClient.put(clientId, clientSequence);
        int bodyOffset = offset + ClusterProtocol.BODY_OFFSET;
        int bodyLength = length - ClusterProtocol.BODY_OFFSET;
        if (kind == ClusterProtocol.CHECKPOINT && bodyLength == Long.BYTES) {
            writeCheckpoint(buffer.getLong(bodyOffset, ClusterProtocol.ORDER));
            acknowledge(session, clientId, clientSequence, engine.lastSequence(), ClusterProtocol.STATUS_APPLIED);
            return;
        }
        if (kind == ClusterProtocol.FEED_SUBSCRIBE && bodyLength == Long.BYTES) {
            boolean subscribed = session == null
                    || feed.subscribe(session, buffer.getLong(bodyOffset, ClusterProtocol.ORDER));
            // Only a subscription or a closed session changes the count: published here, not after every command.
            feedSubscribers = feed.subscriberCount();
            acknowledge(session, clientId, clientSequence, engine.lastSequence(),
                    subscribed ? ClusterProtocol.STATUS_APPLIED : ClusterProtocol.STATUS_FEED_FULL);
            feedCatchUp();
            return;
        }
        if (kind != ClusterProtocol.COMMAND) {
            acknowledge(session, clientId, clientSequence, 0, ClusterProtocol.STATUS_MALFORMED);
            return;
        }
        try {
            codec.decode(buffer, bodyOffset, bodyLength, command);
        } catch (CodecException e) {
            acknowledge(session, clientId, clientSequence, 0, ClusterProtocol.STATUS_MALFORMED);
            return;
        }
        command.sequence = engine.lastSequence() + 1;
        command.timestamp = Math.max(timestamp, engine.lastTimestamp());
        SequencedCommands.prepare(engine, command, command.sequence);
        if (sequenced != null) {
            sequenced.onSequenced(command);
        }
        RejectReason reason = engine.apply(command).reject();
        feedApplied(command.sequence, command.timestamp, clientId, clientSequence, buffer, bodyOffset, bodyLength);
        acknowledge(session, clientId, clientSequence, command.sequence,
                reason == null ? ClusterProtocol.STATUS_APPLIED : reason.code());
        feedCatchUp();
    }

    private void acknowledge(ClientSession session, long clientId, long clientSequence, long engineSequence,
                             int status) {
        if (session == null) {
            return;
        }
        ack.putByte(ClusterProtocol.KIND_OFFSET, ClusterProtocol.ACK);
        ack.putLong(ClusterProtocol.ACK_CLIENT_SEQUENCE_OFFSET, clientSequence, ClusterProtocol.ORDER);
        ack.putLong(ClusterProtocol.ACK_ENGINE_SEQUENCE_OFFSET, engineSequence, ClusterProtocol.ORDER);
        ack.putInt(ClusterProtocol.ACK_STATUS_OFFSET, status, ClusterProtocol.ORDER);
        // Where the client's numbering stands: what a client that starts under a used id (a HELLO) continues after.
        ack.putLong(ClusterProtocol.ACK_CLIENT_APPLIED_OFFSET, appliedByClient.get(clientId), ClusterProtocol.ORDER);
        IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        // A lost acknowledgement is repaired by the client's resend (answered as a duplicate), so give up after a
        // short while rather than stall the log on a slow client.
        for (int attempt = 0; attempt < 3; attempt++) {
            long result = session.offer(ack, 0, ClusterProtocol.ACK_LENGTH);
            if (result > 0 || result == Publication.NOT_CONNECTED || result == Publication.CLOSED) {
                return;
            }
            idle.idle();
        }
    }

    private void writeCheckpoint(long id) {
        if (sequenced != null) {
            sequenced.onCheckpoint(id);
        }
        writeStatus("checkpoint-" + id + ".txt", "sequence=" + engine.lastSequence() + " state_hash="
                + StateHasher.hex(engine.stateHash()) + " messages=" + messages + System.lineSeparator());
    }

    /** Writes a small status file atomically (a reader never sees half of it); an offline service writes none. */
    private void writeStatus(String name, String text) {
        if (statusDirectory == null) {
            return;
        }
        try {
            Files.createDirectories(statusDirectory);
            Path target = statusDirectory.resolve(name);
            Path temporary = statusDirectory.resolve(name + ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name, e);
        }
    }

    @Override
    public void onTimerEvent(long correlationId, long timestamp) {
        if (correlationId != TICK_TIMER || tickIntervalNanos == 0) {
            return;
        }
        command.reset();
        command.type = CommandType.TIME_TICK;
        command.sequence = engine.lastSequence() + 1;
        command.timestamp = Math.max(timestamp, engine.lastTimestamp());
        if (sequenced != null) {
            sequenced.onSequenced(command);
        }
        engine.apply(command);
        int length = codec.encode(command, tickPayload, 0, tickPayload.capacity());
        feedApplied(command.sequence, command.timestamp, 0, 0, tickPayload, 0, length);
        if (cluster != null) {
            cluster.scheduleTimer(TICK_TIMER, timestamp + tickIntervalNanos);
        }
        feedCatchUp();
    }

    @Override
    public void onNewLeadershipTermEvent(long leadershipTermId, long logPosition, long timestamp,
                                         long termBaseLogPosition, int leaderMemberId, int logSessionId,
                                         TimeUnit timeUnit, int appVersion) {
        if (tickIntervalNanos > 0 && cluster != null) {
            cluster.scheduleTimer(TICK_TIMER, timestamp + tickIntervalNanos);
        }
    }

    /**
     * The feed's catch-up (snapshots and commands from its ring for subscribers that are behind), after each log
     * message and tick: Aeron refuses egress from {@code doBackgroundWork}, so it runs in the log's callbacks; a
     * replica that waits for it sends a message (it subscribes again) when it sees no progress.
     */
    private void feedCatchUp() {
        try {
            feed.doWork(engine, cluster != null && cluster.role() == Cluster.Role.LEADER);
        } catch (RuntimeException e) {
            feedFailed(e);
        }
    }

    /**
     * Hands an applied command to the feed. The feed is this member's own, not replicated state, and the command is
     * applied already: a failure in it must not stop the acknowledgement nor the log (a subscriber that misses
     * commands sees the gap and is caught up or sent a snapshot).
     */
    private void feedApplied(long sequence, long timestamp, long origin, long originSequence, DirectBuffer payload,
                             int offset, int length) {
        appliedSequence = sequence;
        try {
            feed.onApplied(sequence, timestamp, origin, originSequence, payload, offset, length);
        } catch (RuntimeException e) {
            feedFailed(e);
        }
    }

    private void feedFailed(RuntimeException e) {
        if (feedErrors++ == 0) {
            System.err.println("cluster: the applied-command feed failed (reported once; members carry on): " + e);
            e.printStackTrace();
        }
    }

    /** Failures of the feed so far (see {@link #feedApplied}); any thread. */
    public long feedErrors() {
        return feedErrors;
    }

    @Override
    public void onTakeSnapshot(ExclusivePublication publication) {
        SnapshotWriter out = new SnapshotWriter(1 << 20);
        EngineSnapshots.write(engine, out);
        int length = out.length();
        ExpandableArrayBuffer header = new ExpandableArrayBuffer(64);
        int at = 0;
        header.putInt(at, SNAPSHOT_MAGIC, ClusterProtocol.ORDER);
        header.putInt(at + 4, SNAPSHOT_VERSION, ClusterProtocol.ORDER);
        header.putLong(at + 8, messages, ClusterProtocol.ORDER);
        header.putInt(at + 16, appliedByClient.size(), ClusterProtocol.ORDER);
        at += 20;
        Long2LongHashMap.KeyIterator keys = appliedByClient.keySet().iterator();
        while (keys.hasNext()) {
            long client = keys.nextValue();
            header.putLong(at, client, ClusterProtocol.ORDER);
            header.putLong(at + 8, appliedByClient.get(client), ClusterProtocol.ORDER);
            at += 16;
        }
        header.putInt(at, length, ClusterProtocol.ORDER);
        at += 4;
        offer(publication, header, 0, at);
        UnsafeBuffer payload = new UnsafeBuffer(out.buffer(), 0, length);
        for (int chunk = 0; chunk < length; chunk += CHUNK) {
            offer(publication, payload, chunk, Math.min(CHUNK, length - chunk));
        }
        // The position first: the log retention reads the count, then the position (volatile, written here only).
        lastSnapshotLogPosition = cluster.logPosition();
        snapshotsTaken++;
        lastSnapshotSequence = engine.lastSequence();
        lastSnapshotNanos = System.nanoTime();
        writeStatus("snapshot-taken.txt", "sequence=" + engine.lastSequence() + " taken=" + snapshotsTaken + " bytes=" + length
                + System.lineSeparator());
    }

    private void offer(ExclusivePublication publication, DirectBuffer buffer, int offset, int length) {
        IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        while (true) {
            long result = publication.offer(buffer, offset, length);
            if (result > 0) {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("snapshot publication failed: " + result);
            }
            idle.idle();
        }
    }

    private SnapshotReader loadSnapshot(Image image, IdleStrategy idle) {
        SnapshotReader reader = new SnapshotReader();
        FragmentAssembler assembler = new FragmentAssembler(reader);
        idle.reset();
        while (!reader.done) {
            int fragments = image.poll(assembler, 1);
            if (fragments == 0) {
                if (image.isClosed()) {
                    throw new IllegalStateException("snapshot image closed after " + reader.received + " of "
                            + reader.length + " engine bytes");
                }
                idle.idle();
            }
        }
        return reader;
    }

    /**
     * Reassembles a snapshot written by {@link #onTakeSnapshot} (the per-client sequences go straight into the
     * service); each message whole, in order.
     */
    final class SnapshotReader implements FragmentHandler {
        boolean headerRead;
        boolean done;
        long messages;
        int length;
        int received;
        byte[] payload;

        @Override
        public void onFragment(DirectBuffer buffer, int offset, int fragmentLength, Header header) {
            if (!headerRead) {
                if (buffer.getInt(offset, ClusterProtocol.ORDER) != SNAPSHOT_MAGIC
                        || buffer.getInt(offset + 4, ClusterProtocol.ORDER) != SNAPSHOT_VERSION) {
                    throw new IllegalStateException("not a Meridian cluster snapshot of version " + SNAPSHOT_VERSION);
                }
                messages = buffer.getLong(offset + 8, ClusterProtocol.ORDER);
                int clients = buffer.getInt(offset + 16, ClusterProtocol.ORDER);
                int at = offset + 20;
                for (int i = 0; i < clients; i++) {
                    appliedByClient.put(buffer.getLong(at, ClusterProtocol.ORDER),
                            buffer.getLong(at + 8, ClusterProtocol.ORDER));
                    at += 16;
                }
                length = buffer.getInt(at, ClusterProtocol.ORDER);
                payload = new byte[length];
                headerRead = true;
                done = length == 0;
                return;
            }
            buffer.getBytes(offset, payload, received, fragmentLength);
            received += fragmentLength;
            done = received >= length;
        }
    }

    @Override
    public void onRoleChange(Cluster.Role newRole) {
        leader = newRole == Cluster.Role.LEADER;
    }

    // ------------------------------------------------------------------------------------------------ read by the
    // member's snapshot scheduler ({@link SnapshotSchedule}) and status server ({@link MemberStatus}) on their own
    // threads: volatile, written here only

    /** True while this member is the leader (its consensus module acts on a snapshot request). */
    boolean isLeader() {
        return leader;
    }

    /** The engine sequence of the newest command applied, as last published by the service thread. */
    long appliedSequence() {
        return appliedSequence;
    }

    /** The engine sequence of this member's newest snapshot (or of the snapshot it started from; 0: none). */
    long lastSnapshotSequence() {
        return lastSnapshotSequence;
    }

    /** {@link System#nanoTime} of this member's newest snapshot, or of its start. */
    long lastSnapshotNanos() {
        return lastSnapshotNanos;
    }

    /** Snapshots this member's service wrote since it started. */
    long snapshotsTaken() {
        return snapshotsTaken;
    }

    /** The log position of the newest snapshot this member's service wrote since it started; -1 before the first. */
    long lastSnapshotLogPosition() {
        return lastSnapshotLogPosition;
    }

    /**
     * Sessions subscribed to the applied-command feed (on the leader, the gateways), updated at each subscription and
     * closed session.
     */
    int feedSubscribers() {
        return feedSubscribers;
    }

    @Override
    public void onTerminate(Cluster cluster) {
    }
}
