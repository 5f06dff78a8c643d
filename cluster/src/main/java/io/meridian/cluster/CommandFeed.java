package io.meridian.cluster;

import io.aeron.Publication;
import io.aeron.cluster.service.ClientSession;
import io.meridian.engine.Engine;
import io.meridian.journal.CommandCodec;
import io.meridian.journal.EngineSnapshots;
import io.meridian.model.snapshot.SnapshotWriter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The applied-command feed of the clustered engine: every command the engine applied, in engine-sequence order, sent
 * on the egress of every client session that subscribed ({@link ClusterProtocol#FEED_SUBSCRIBE}), so that a gateway
 * can keep a replica of the engine (and with it the books, the account streams and the history) that is exactly the
 * members' ({@link ClusterReplica}).
 *
 * <p><b>Recent commands.</b> The newest applied commands are kept, as the messages sent, in a ring bounded by
 * {@code maxRingBytes}; the oldest are dropped to make room. A subscriber that asks for commands after a sequence the
 * ring still holds is served from it; one that asks for older ones (a new gateway, or one that was away too long)
 * first gets a snapshot of the engine as it is now ({@link ClusterProtocol#SNAPSHOT_CHUNK}), then the commands after
 * it. A subscriber that cannot take a message now (its egress is back-pressured) is not waited for: it falls behind
 * and is served from the ring by {@link #doWork}, so a slow gateway never stalls the log. {@link #doWork} runs after
 * each log message and tick (Aeron refuses egress from the service's background work), bounded per call.
 *
 * <p><b>Not replicated state.</b> Which sessions subscribed and how far each has been sent is this member's own: only
 * the leader's egress reaches clients (a follower's {@code offer} does nothing), and a client subscribes again after
 * a leader change. The ring is rebuilt from the log a member applies, so it may be shorter on a member that started
 * from a snapshot: a subscriber it cannot serve gets a snapshot. Nothing here feeds back into the engine.
 *
 * <p>Runs on the cluster's service thread only. Sending a live command allocates nothing; a snapshot allocates its
 * bytes.
 */
public final class CommandFeed {
    /** Default bound on the ring of recent commands (allocated at the start): about 700,000 commands of 90 bytes. */
    static final int DEFAULT_RING_BYTES = 64 << 20;
    /**
     * Messages sent to one subscriber from the ring per call of {@link #doWork} (which runs in the log's callbacks:
     * the log waits for it), unless its egress pushes back first.
     */
    private static final int CATCH_UP_BATCH = 65_536;
    private static final int SNAPSHOT_CHUNK_BYTES = 32 * 1024;
    /**
     * Ring positions kept by sequence, for the newest this many commands: a subscriber behind is served from its own
     * position, not by a scan of the ring. A ring holding more commands than this serves only the newest this many.
     */
    static final int INDEXED_COMMANDS = 1 << 20;
    /**
     * Sessions that may subscribe at once: gateways, a handful per venue. The bound keeps a misbehaving client that
     * opens session after session from making the leader write snapshot after snapshot on the log's thread.
     */
    public static final int MAX_SUBSCRIBERS = 64;

    /** One subscribed session: the next engine sequence it is to be sent, and a snapshot in progress. */
    private static final class Subscriber {
        final ClientSession session;
        long next;
        /** The snapshot being sent, or null; {@link #snapshotSent} bytes of it are out. */
        byte[] snapshot;
        long snapshotSequence;
        int snapshotSent;

        Subscriber(ClientSession session) {
            this.session = session;
        }
    }

    private final FeedRing ring;
    /** The ring position ({@link FeedRing#append}) of each of the newest commands. */
    private final long[] positions = new long[INDEXED_COMMANDS];
    private final Long2ObjectHashMap<Subscriber> subscribers = new Long2ObjectHashMap<>();
    private final List<Subscriber> catchingUp = new ArrayList<>();
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[ClusterProtocol.APPLIED_HEADER_LENGTH
            + CommandCodec.MAX_PAYLOAD]);
    private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[ClusterProtocol.SNAPSHOT_HEADER_LENGTH
            + SNAPSHOT_CHUNK_BYTES]);
    /** Engine sequence of the oldest command in the ring; 0 when it is empty. */
    private long oldest;
    /** Engine sequence of the newest command applied (and in the ring). */
    private long newest;
    private long dropped;
    private long snapshotsSent;
    private long snapshotsMade;
    /**
     * The newest snapshot made for subscribers, and the engine sequence it is at: subscribers that need one while the
     * engine has not moved share it (several gateways starting at once cost one snapshot, not one each). Immutable
     * once made; dropped when no subscriber is sending it.
     */
    private byte[] sharedSnapshot;
    private long sharedSnapshotSequence = -1;
    /** The subscriber {@link #sendNext} is serving, and how many it was sent in this call. */
    private Subscriber serving;
    private int served;

    /** The ring for the member's engine, which has applied everything up to {@code lastSequence} already. */
    CommandFeed(int maxRingBytes, long lastSequence) {
        this.ring = new FeedRing(maxRingBytes);
        this.newest = lastSequence;
    }

    /**
     * The engine applied the command with this sequence and time ({@code payload}: its {@code CommandCodec} bytes),
     * sent by {@code originClient} as its message {@code originSequence} (0 and 0 for the cluster's own commands,
     * such as time ticks): kept in the ring and sent to every subscriber that is up to date.
     */
    void onApplied(long sequence, long timestamp, long originClient, long originSequence, DirectBuffer payload,
                   int payloadOffset, int payloadLength) {
        message.putByte(ClusterProtocol.KIND_OFFSET, ClusterProtocol.APPLIED);
        message.putLong(ClusterProtocol.APPLIED_SEQUENCE_OFFSET, sequence, ClusterProtocol.ORDER);
        message.putLong(ClusterProtocol.APPLIED_TIMESTAMP_OFFSET, timestamp, ClusterProtocol.ORDER);
        message.putLong(ClusterProtocol.APPLIED_ORIGIN_CLIENT_OFFSET, originClient, ClusterProtocol.ORDER);
        message.putLong(ClusterProtocol.APPLIED_ORIGIN_SEQUENCE_OFFSET, originSequence, ClusterProtocol.ORDER);
        message.putBytes(ClusterProtocol.APPLIED_HEADER_LENGTH, payload, payloadOffset, payloadLength);
        int length = ClusterProtocol.APPLIED_HEADER_LENGTH + payloadLength;
        newest = sequence;
        if (length > ring.maxMessageLength()) {
            // Too long to keep: a subscriber that still needs anything up to it gets a snapshot instead.
            oldest = sequence + 1;
        } else {
            positions[(int) (sequence & (INDEXED_COMMANDS - 1))] = ring.append(message, 0, length, dropOldest);
            if (oldest == 0 || oldest > sequence) {
                oldest = sequence;
            }
        }
        if (subscribers.isEmpty()) {
            return;
        }
        for (Subscriber s : subscribers.values()) {
            if (s.snapshot == null && s.next == sequence && offer(s.session, message, length)) {
                s.next = sequence + 1;
            }
        }
    }

    /** Drops the ring's oldest message and moves {@link #oldest} past it. */
    private final FeedRing.Reader dropOldest = (buffer, offset, length) -> {
        oldest = buffer.getLong(offset + ClusterProtocol.APPLIED_SEQUENCE_OFFSET, ClusterProtocol.ORDER) + 1;
        dropped++;
        return true;
    };

    /**
     * The session asks for every command after engine sequence {@code after} (-1: it has nothing and needs a
     * snapshot first). Replaces an earlier subscription of the same session.
     *
     * @return false, subscribing nobody, when {@link #MAX_SUBSCRIBERS} other sessions are subscribed already
     */
    boolean subscribe(ClientSession session, long after) {
        if (subscribers.size() >= MAX_SUBSCRIBERS && !subscribers.containsKey(session.id())) {
            return false;
        }
        Subscriber s = new Subscriber(session);
        s.next = after + 1;
        if (after < 0 || after > newest || (after < newest && (oldest == 0 || s.next < oldest))) {
            // Nothing to start from, a sequence this member never applied, or commands the ring no longer holds: the
            // engine as it is now, then what follows it.
            s.next = -1;
        }
        subscribers.put(session.id(), s);
        return true;
    }

    /** The session closed: nothing more is sent to it. */
    void unsubscribe(long sessionId) {
        subscribers.remove(sessionId);
    }

    /**
     * Sends what subscribers lack: a snapshot to those that need one ({@code engine} as it is now, only when
     * {@code leader}: a follower's egress reaches nobody), then commands from the ring, a batch per subscriber, until
     * each is up to date or back-pressured. Returns the work done.
     */
    int doWork(Engine engine, boolean leader) {
        if (subscribers.isEmpty()) {
            return 0;
        }
        catchingUp.clear();
        for (Subscriber s : subscribers.values()) {
            if (s.next != newest + 1 || s.snapshot != null) {
                catchingUp.add(s);
            }
        }
        int work = 0;
        for (Subscriber s : catchingUp) {
            if (s.next == -1 && s.snapshot == null) {
                if (!leader) {
                    // Nobody hears a follower: pretend it was sent, as its offers do.
                    s.next = newest + 1;
                    continue;
                }
                if (sharedSnapshotSequence != engine.lastSequence() || sharedSnapshot == null) {
                    SnapshotWriter out = new SnapshotWriter(1 << 16);
                    EngineSnapshots.write(engine, out);
                    sharedSnapshot = Arrays.copyOf(out.buffer(), out.length());
                    sharedSnapshotSequence = engine.lastSequence();
                    snapshotsMade++;
                }
                s.snapshot = sharedSnapshot;
                s.snapshotSequence = sharedSnapshotSequence;
                s.snapshotSent = 0;
                snapshotsSent++;
            }
            if (s.snapshot != null) {
                work += sendSnapshot(s);
                if (s.snapshot != null) {
                    continue;
                }
            }
            work += sendFromRing(s);
        }
        releaseSharedSnapshot();
        return work;
    }

    /** Lets the shared snapshot go once no subscriber is sending it, so an idle feed holds no engine copy. */
    private void releaseSharedSnapshot() {
        if (sharedSnapshot == null) {
            return;
        }
        for (Subscriber s : subscribers.values()) {
            if (s.snapshot == sharedSnapshot || s.next == -1) {
                return;
            }
        }
        sharedSnapshot = null;
        sharedSnapshotSequence = -1;
    }

    /** Sends the next chunks of the subscriber's snapshot; once all are out, it continues after the snapshot. */
    private int sendSnapshot(Subscriber s) {
        int work = 0;
        int total = s.snapshot.length;
        do {
            int length = Math.min(SNAPSHOT_CHUNK_BYTES, total - s.snapshotSent);
            chunk.putByte(ClusterProtocol.KIND_OFFSET, ClusterProtocol.SNAPSHOT_CHUNK);
            chunk.putLong(ClusterProtocol.SNAPSHOT_SEQUENCE_OFFSET, s.snapshotSequence, ClusterProtocol.ORDER);
            chunk.putInt(ClusterProtocol.SNAPSHOT_TOTAL_OFFSET, total, ClusterProtocol.ORDER);
            chunk.putInt(ClusterProtocol.SNAPSHOT_CHUNK_OFFSET, s.snapshotSent, ClusterProtocol.ORDER);
            chunk.putBytes(ClusterProtocol.SNAPSHOT_HEADER_LENGTH, s.snapshot, s.snapshotSent, length);
            if (!offer(s.session, chunk, ClusterProtocol.SNAPSHOT_HEADER_LENGTH + length)) {
                return work;
            }
            s.snapshotSent += length;
            work++;
        } while (s.snapshotSent < total);
        s.next = s.snapshotSequence + 1;
        s.snapshot = null;
        return work;
    }

    /** Sends the subscriber up to a batch of the ring's commands from its next sequence on, from its position. */
    private int sendFromRing(Subscriber s) {
        if (s.next > newest) {
            return 0;
        }
        long position = positions[(int) (s.next & (INDEXED_COMMANDS - 1))];
        if (oldest == 0 || s.next < oldest || newest - s.next >= INDEXED_COMMANDS || !ring.holds(position)) {
            // Fell behind what the ring holds while back-pressured: start again from a snapshot.
            s.next = -1;
            return 0;
        }
        serving = s;
        served = 0;
        ring.forEach(position, sendNext, CATCH_UP_BATCH);
        serving = null;
        return served;
    }

    private final FeedRing.Reader sendNext = (buffer, offset, length) -> {
        long sequence = buffer.getLong(offset + ClusterProtocol.APPLIED_SEQUENCE_OFFSET, ClusterProtocol.ORDER);
        if (sequence != serving.next) {
            // Not where the index said: never send out of order; start the subscriber again from a snapshot.
            serving.next = -1;
            return false;
        }
        if (!offer(serving.session, buffer, offset, length)) {
            return false;
        }
        serving.next = sequence + 1;
        served++;
        return true;
    };

    private static boolean offer(ClientSession session, MutableDirectBuffer buffer, int length) {
        return offer(session, buffer, 0, length);
    }

    /**
     * One try: a back-pressured session, or one whose egress is not connected yet (a new leader's, just after an
     * election), is left behind and served again later, never waited for; a closed one is dropped when the cluster
     * closes its session.
     */
    private static boolean offer(ClientSession session, DirectBuffer buffer, int offset, int length) {
        long result = session.offer(buffer, offset, length);
        return result > 0 || result == Publication.CLOSED;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** Engine sequence of the oldest command the ring holds; 0 when empty. */
    long oldestSequence() {
        return oldest;
    }

    long droppedFromRing() {
        return dropped;
    }

    long snapshotsSent() {
        return snapshotsSent;
    }

    /** Snapshots written for subscribers (fewer than sent when subscribers shared one). */
    long snapshotsMade() {
        return snapshotsMade;
    }
}
