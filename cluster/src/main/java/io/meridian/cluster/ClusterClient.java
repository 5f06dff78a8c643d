package io.meridian.cluster;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import io.meridian.journal.CommandCodec;
import io.meridian.model.Command;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * A cluster client that does not lose commands across leader changes: every message gets the next client sequence
 * and is kept until acknowledged. Messages go out strictly in sequence order: if an offer fails, nothing after it is
 * sent until it goes. After the cluster announces a new leader, after the session had to be opened again, when the
 * service reports a message out of order, or when messages wait {@link #RESEND_AFTER_NANOS} with no
 * acknowledgement (one lost on the way), sending restarts from the oldest unacknowledged message; after
 * {@link #RECONNECT_AFTER_NANOS} with none, the session is opened again (its leader is gone and no new-leader event
 * came), a step at each {@link #poll} so that the polling thread never waits for it. A quiet client sends
 * keep-alives, so the cluster does not close its session. The service applies a client's messages only in sequence
 * ({@link ClusterProtocol}), so a resend of a message that had reached the log is answered as a duplicate and applied
 * once, and none can be skipped.
 *
 * <p><b>A used client id.</b> Before sending anything, a new client says hello ({@link ClusterProtocol#HELLO}) and
 * numbers its messages on from the highest sequence the cluster applied for its id: a process restarted under the id
 * of an earlier one (a gateway restarted with its client id) is then not taken for a resend of the old one. What the
 * earlier process had sent and not seen acknowledged is its own loss; the cluster applied it or never will.
 *
 * <p>It runs its own embedded media driver in {@code directory}. One thread only: call {@link #poll()} in the loop
 * that sends.
 */
public final class ClusterClient implements AutoCloseable {
    /** What the client learns from each acknowledgement. */
    public interface AckListener {
        /**
         * @param clientSequence the message's client sequence
         * @param engineSequence the engine sequence it got (0 for a duplicate or a malformed message)
         * @param status         {@link ClusterProtocol#STATUS_APPLIED}, a reject code, or a negative status
         */
        void onAck(long clientSequence, long engineSequence, int status);
    }

    /** What a client that subscribed to the applied-command feed receives ({@link ClusterProtocol}). */
    public interface FeedListener {
        /** An {@link ClusterProtocol#APPLIED} or {@link ClusterProtocol#SNAPSHOT_CHUNK} message. */
        void onFeedMessage(DirectBuffer buffer, int offset, int length);

        /**
         * The client is now talking to a new leader, or had to open its session again: feed messages may have been
         * lost in between, so the subscription is to be renewed from what was received.
         */
        void onSessionMoved();
    }

    /** For a client that does not subscribe to the feed. */
    private static final FeedListener NO_FEED = new FeedListener() {
        @Override
        public void onFeedMessage(DirectBuffer buffer, int offset, int length) {
        }

        @Override
        public void onSessionMoved() {
        }
    };

    /** Quiet time after which the client sends a keep-alive: a tenth of the members' session timeout. */
    static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Time without an acknowledgement, while messages wait for one, after which they are sent again from the oldest:
     * an acknowledgement the leader could not send (its egress to this client pushed back) or a message lost on the
     * way is repaired by the resend (answered as a duplicate if it had been applied).
     */
    static final long RESEND_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Time without any acknowledgement, while messages wait, after which the session is opened again. */
    static final long RECONNECT_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final long clientId;
    private final String ingressEndpoints;
    private final MediaDriver driver;
    private final AckListener listener;
    private final FeedListener feed;
    private final CommandCodec codec = new CommandCodec();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    /** Sent, not yet acknowledged: client sequence to the encoded message. */
    private final Long2ObjectHashMap<byte[]> unacknowledged = new Long2ObjectHashMap<>();
    private AeronCluster cluster;
    /** A session being opened again, step by step from {@link #poll}; null when none is. */
    private AeronCluster.AsyncConnect connecting;
    private long nextSequence = 1;
    /** The client sequence of the next message to offer; everything below it was offered (maybe lost). */
    private long nextToSend = 1;
    private long acknowledged;
    /** When a message or keep-alive last went to the cluster ({@link System#nanoTime}). */
    private long lastSentNanos = System.nanoTime();
    /** When the last acknowledgement came (or the session was opened) while messages were waiting. */
    private long lastProgressNanos = System.nanoTime();
    /** When sending last restarted from the oldest message because none was acknowledged. */
    private long lastResendNanos;
    /** The hello's answer: the highest client sequence the cluster applied for this id; -1 until it came. */
    private long helloApplied = -1;
    /** The client sequence of the newest feed subscription, 0 for none. */
    private long subscription;
    private long connectFailures;
    private long timeoutResends;
    private long leaderChanges;
    private long reconnects;
    private long resends;

    /**
     * Starts the client's media driver in {@code directory} and connects, retrying until {@code connectTimeoutNanos}
     * has passed (a cluster that is still electing its first leader refuses connections for a while).
     *
     * @throws io.aeron.exceptions.TimeoutException when no leader accepted the session in time
     */
    public ClusterClient(long clientId, String ingressEndpoints, File directory, AckListener listener,
                         long connectTimeoutNanos) {
        this(clientId, ingressEndpoints, directory, listener, null, connectTimeoutNanos);
    }

    /** As above, with the feed's messages to {@code feed} (null: none expected). */
    public ClusterClient(long clientId, String ingressEndpoints, File directory, AckListener listener,
                         FeedListener feed, long connectTimeoutNanos) {
        this.clientId = clientId;
        this.ingressEndpoints = ingressEndpoints;
        this.listener = listener;
        this.feed = feed == null ? NO_FEED : feed;
        this.driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(new File(directory, "client-driver").getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED)
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
        long deadline = System.nanoTime() + connectTimeoutNanos;
        while (true) {
            try {
                connect();
                break;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    CloseHelper.quietClose(driver);
                    throw e;
                }
            }
        }
        try {
            hello(deadline);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Asks the cluster where this id's numbering stands ({@link ClusterProtocol#HELLO}, resent every
     * {@link #RESEND_AFTER_NANOS} until answered) and continues after it. A member of an earlier build does not say:
     * numbering then starts at 1, as it always did.
     *
     * @throws IllegalStateException when no answer came by {@code deadline}
     */
    private void hello(long deadline) {
        long sentAt = 0;
        while (helloApplied < 0) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("the cluster at " + ingressEndpoints + " did not answer client "
                        + clientId + "'s hello in time");
            }
            if (cluster == null || cluster.isClosed()) {
                CloseHelper.quietClose(cluster);
                cluster = null;
                try {
                    connect();
                } catch (RuntimeException noLeaderYet) {
                    continue;
                }
                sentAt = 0;
            }
            if (now - sentAt > RESEND_AFTER_NANOS) {
                buffer.putByte(ClusterProtocol.KIND_OFFSET, ClusterProtocol.HELLO);
                buffer.putLong(ClusterProtocol.CLIENT_ID_OFFSET, clientId, ClusterProtocol.ORDER);
                buffer.putLong(ClusterProtocol.CLIENT_SEQUENCE_OFFSET, 0, ClusterProtocol.ORDER);
                if (cluster.offer(buffer, 0, ClusterProtocol.BODY_OFFSET) > 0) {
                    sentAt = now;
                    lastSentNanos = now;
                }
            }
            if (cluster.pollEgress() == 0) {
                Thread.onSpinWait();
            }
        }
        nextSequence = helloApplied + 1;
        nextToSend = nextSequence;
    }

    private void connect() {
        cluster = AeronCluster.connect(context());
    }

    private AeronCluster.Context context() {
        return new AeronCluster.Context()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .ingressChannel("aeron:udp?term-length=4m")
                .ingressEndpoints(ingressEndpoints)
                .egressChannel("aeron:udp?endpoint=localhost:0")
                .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5))
                .egressListener(new Egress());
    }

    /** Sends a command; returns its client sequence. It is resent until acknowledged. */
    public long send(Command command) {
        buffer.putByte(ClusterProtocol.KIND_OFFSET, ClusterProtocol.COMMAND);
        int length = ClusterProtocol.BODY_OFFSET + codec.encode(command, buffer, ClusterProtocol.BODY_OFFSET,
                CommandCodec.MAX_PAYLOAD);
        return enqueue(length);
    }

    /** Sends a checkpoint: every node writes its state hash to {@code checkpoint-<id>.txt} at this log position. */
    public long checkpoint(long id) {
        buffer.putByte(ClusterProtocol.KIND_OFFSET, ClusterProtocol.CHECKPOINT);
        buffer.putLong(ClusterProtocol.BODY_OFFSET, id, ClusterProtocol.ORDER);
        return enqueue(ClusterProtocol.BODY_OFFSET + Long.BYTES);
    }

    /**
     * Subscribes this session to the applied-command feed: every command applied after engine sequence
     * {@code afterSequence} ({@code -1}: a snapshot first). Sent and resent like a command; returns its client
     * sequence. While the previous subscription waits unsent, it is changed to ask for this instead (and its client
     * sequence returned), so a cluster out of reach for long does not pile up renewals.
     */
    public long subscribeFeed(long afterSequence) {
        byte[] waiting = subscription >= nextToSend ? unacknowledged.get(subscription) : null;
        if (waiting != null) {
            // The last subscription has not gone out yet (the cluster is out of reach): it asks for this instead,
            // rather than one more message waiting per renewal for as long as the cluster stays away.
            new org.agrona.concurrent.UnsafeBuffer(waiting).putLong(ClusterProtocol.BODY_OFFSET, afterSequence,
                    ClusterProtocol.ORDER);
            return subscription;
        }
        buffer.putByte(ClusterProtocol.KIND_OFFSET, ClusterProtocol.FEED_SUBSCRIBE);
        buffer.putLong(ClusterProtocol.BODY_OFFSET, afterSequence, ClusterProtocol.ORDER);
        subscription = enqueue(ClusterProtocol.BODY_OFFSET + Long.BYTES);
        return subscription;
    }

    private long enqueue(int length) {
        long sequence = nextSequence++;
        buffer.putLong(ClusterProtocol.CLIENT_ID_OFFSET, clientId, ClusterProtocol.ORDER);
        buffer.putLong(ClusterProtocol.CLIENT_SEQUENCE_OFFSET, sequence, ClusterProtocol.ORDER);
        byte[] message = new byte[length];
        buffer.getBytes(0, message);
        unacknowledged.put(sequence, message);
        drain();
        return sequence;
    }

    /** Offers messages from {@link #nextToSend} in order, stopping at the first that does not go. */
    private void drain() {
        if (cluster == null || cluster.isClosed()) {
            return;
        }
        while (nextToSend < nextSequence) {
            byte[] message = unacknowledged.get(nextToSend);
            if (message != null) {
                buffer.putBytes(0, message);
                if (cluster.offer(buffer, 0, message.length) < 0) {
                    return;
                }
                lastSentNanos = System.nanoTime();
            }
            nextToSend++;
        }
    }

    /** Restarts sending from the oldest unacknowledged message. */
    private void rewind() {
        long oldest = nextSequence;
        Long2ObjectHashMap<byte[]>.KeyIterator keys = unacknowledged.keySet().iterator();
        while (keys.hasNext()) {
            oldest = Math.min(oldest, keys.nextLong());
        }
        if (oldest < nextToSend) {
            resends += nextToSend - oldest;
        }
        nextToSend = oldest;
    }

    /**
     * Polls acknowledgements and keeps the session alive; reconnects and resends when needed.
     *
     * @return acknowledgements received
     */
    public int poll() {
        if (cluster == null || cluster.isClosed()) {
            if (connecting == null) {
                CloseHelper.quietClose(cluster);
                cluster = null;
                reconnects++;
                connecting = AeronCluster.asyncConnect(context());
            }
            // A step of the connection at each poll, never a wait: the caller (a gateway's engine thread) goes on
            // answering meanwhile.
            AeronCluster connected;
            try {
                connected = connecting.poll();
            } catch (RuntimeException noLeaderYet) {
                // No member took the session within the connect timeout (the cluster is down or electing): try again
                // at the next poll; the messages wait.
                CloseHelper.quietClose(connecting);
                connecting = null;
                connectFailures++;
                return 0;
            }
            if (connected == null) {
                return 0;
            }
            connecting = null;
            cluster = connected;
            rewind();
            lastProgressNanos = System.nanoTime();
            feed.onSessionMoved();
        }
        int work = cluster.pollEgress();
        long waitingSince = lastProgressNanos;
        long now = System.nanoTime();
        if (unacknowledged.isEmpty()) {
            lastProgressNanos = now;
        } else if (now - waitingSince > RECONNECT_AFTER_NANOS) {
            // Messages waited through several resends with no answer at all: the session is talking to a leader that
            // is gone and no new-leader event came (every member restarted, say). Open a new session.
            CloseHelper.quietClose(cluster);
            lastProgressNanos = now;
            return work;
        } else if (now - resendSince(waitingSince) > RESEND_AFTER_NANOS) {
            lastResendNanos = now;
            timeoutResends++;
            rewind();
        }
        drain();
        // The cluster closes a session it has not heard from for its session timeout (10 s): a client that only
        // listens (a gateway on a quiet venue) says it is alive.
        if (now - lastSentNanos > KEEP_ALIVE_NANOS && cluster.sendKeepAlive()) {
            lastSentNanos = now;
        }
        return work;
    }

    /**
     * Asks the cluster to snapshot every member now (each member's service writes {@code snapshot-taken.txt} when
     * done). Returns false when the request could not be sent; try again after a {@link #poll()}.
     */
    public boolean requestSnapshot(long correlationId) {
        return cluster != null && !cluster.isClosed() && cluster.sendAdminRequestToTakeASnapshot(correlationId);
    }

    /** Messages sent and not yet acknowledged. */
    public int pending() {
        return unacknowledged.size();
    }

    public long acknowledged() {
        return acknowledged;
    }

    /** The member the client believes is leader. */
    public int leaderMemberId() {
        return cluster == null ? -1 : cluster.leaderMemberId();
    }

    public long leaderChanges() {
        return leaderChanges;
    }

    public long reconnects() {
        return reconnects;
    }

    /** The later of the last acknowledgement and the last timed resend: resends go {@link #RESEND_AFTER_NANOS} apart. */
    private long resendSince(long waitingSince) {
        return Math.max(waitingSince, lastResendNanos);
    }

    /** Attempts to open a session that found no leader in time. */
    public long connectFailures() {
        return connectFailures;
    }

    /** Times sending restarted from the oldest message because no acknowledgement came for a while. */
    public long timeoutResends() {
        return timeoutResends;
    }

    /** Messages offered again after a leader change, reconnect, out-of-order report or a wait without answers. */
    public long resends() {
        return resends;
    }

    @Override
    public void close() {
        CloseHelper.quietClose(connecting);
        CloseHelper.quietClose(cluster);
        CloseHelper.quietClose(driver);
    }

    private final class Egress implements EgressListener {
        @Override
        public void onMessage(long clusterSessionId, long timestamp, DirectBuffer message, int offset, int length,
                              Header header) {
            byte kind = length > 0 ? message.getByte(offset) : 0;
            if (kind == ClusterProtocol.APPLIED || kind == ClusterProtocol.SNAPSHOT_CHUNK) {
                feed.onFeedMessage(message, offset, length);
                return;
            }
            if (length < ClusterProtocol.ACK_MIN_LENGTH || kind != ClusterProtocol.ACK) {
                return;
            }
            long sequence = message.getLong(offset + ClusterProtocol.ACK_CLIENT_SEQUENCE_OFFSET, ClusterProtocol.ORDER);
            int status = message.getInt(offset + ClusterProtocol.ACK_STATUS_OFFSET, ClusterProtocol.ORDER);
            if (sequence == 0) {
                // The answer to the hello: how far the cluster is with this id (not said by an earlier build's member).
                if (helloApplied < 0) {
                    helloApplied = length >= ClusterProtocol.ACK_LENGTH ? Math.max(0, message.getLong(
                            offset + ClusterProtocol.ACK_CLIENT_APPLIED_OFFSET, ClusterProtocol.ORDER)) : 0;
                }
                return;
            }
            if (status == ClusterProtocol.STATUS_OUT_OF_ORDER) {
                // An earlier message never reached the log: send again from the oldest unacknowledged.
                rewind();
                return;
            }
            if (unacknowledged.remove(sequence) == null) {
                return;
            }
            acknowledged++;
            lastProgressNanos = System.nanoTime();
            listener.onAck(sequence,
                    message.getLong(offset + ClusterProtocol.ACK_ENGINE_SEQUENCE_OFFSET, ClusterProtocol.ORDER), status);
        }

        @Override
        public void onNewLeader(long clusterSessionId, long leadershipTermId, int leaderMemberId,
                                String ingressEndpoints) {
            leaderChanges++;
            rewind();
            feed.onSessionMoved();
        }
    }
}
