package io.meridian.cluster;

import io.meridian.engine.CommandOutcome;
import io.meridian.engine.Engine;
import io.meridian.engine.SequencedCommands;
import io.meridian.journal.CodecException;
import io.meridian.journal.CommandCodec;
import io.meridian.journal.EngineSnapshots;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import org.agrona.DirectBuffer;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * A gateway's replica of the clustered engine: a {@link ClusterClient} that sends commands to the cluster and keeps a
 * local {@link Engine} that applies, in engine-sequence order, every command the cluster applied (its
 * {@link CommandFeed}), with the same sequence and timestamp as the members. The replica therefore holds exactly the
 * members' state after the same sequence (the same state hash), and its listener sees exactly the events a member's
 * engine fires: a gateway serves the books, trades, account streams and history from it as a single node serves them
 * from its own engine, and two gateways serve the same.
 *
 * <p><b>Start and gaps.</b> A new replica subscribes with no state and gets a snapshot of the leader's engine, then the
 * commands after it; one given an engine to start from (a gateway's, rebuilt from its own journal) subscribes after
 * that engine's sequence, and gets the commands after it, or a snapshot if the cluster no longer holds them
 * ({@link Listener#onReset}). {@link #caughtUp} says when it has applied what the cluster had applied when it took the
 * subscription. A command whose sequence is past the next one expected (feed messages lost with a leader, or
 * dropped while this client was back-pressured) is not applied: the replica subscribes again after the last sequence
 * it applied, at once after a leader change or a reconnect, otherwise after {@link #GAP_RETRY_NANOS} without
 * progress. A command it already applied is ignored. If the cluster no longer holds the missing commands, it sends a
 * snapshot, and the replica starts over from it ({@link Listener#onReset}). After {@link #SILENCE_PROBE_NANOS} without
 * a word from the cluster it subscribes again too: a session the cluster forgot (every member restarted) then shows as
 * a message nobody answers, and the client opens a new one.
 *
 * <p><b>Its own commands.</b> Each command {@link #send} returns a client sequence; when the replica applies that
 * command (the feed names its origin), {@link Listener#onApplied} reports it with this replica's outcome, which is the
 * members' outcome. A command the cluster refused before the engine (malformed) only gets the acknowledgement.
 *
 * <p>One thread: call {@link #poll} in the loop that sends; every callback and every engine event runs in it. What a
 * callback (the engine, or the listener) throws stops the replica and is thrown by that {@link #poll} and every one
 * after it.
 */
public final class ClusterReplica implements AutoCloseable {
    /** Time without progress after a gap before the replica subscribes again. */
    static final long GAP_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Largest engine snapshot a replica accepts from the cluster. */
    static final int MAX_SNAPSHOT_BYTES = 1 << 30;
    /**
     * Silence after which the replica renews its subscription: a message the cluster must answer, so that a session
     * the cluster no longer knows (every member restarted) is noticed by the client and opened again. With the
     * members' ticks (a second apart) a live cluster is never this quiet.
     */
    static final long SILENCE_PROBE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the replica reports, on the polling thread. */
    public interface Listener {
        /**
         * The replica's engine was (re)built from a snapshot of the cluster's at {@code engine.lastSequence()}: what a
         * host derived from earlier events is to be rebuilt from this engine. Its events go to the replica's
         * {@link EngineEvents}.
         */
        void onReset(Engine engine);

        /**
         * The replica applied a command (a copy of its fields in {@code command}, with its engine sequence and time).
         * {@code ownSequence} is the client sequence {@link #send} returned when this replica sent it, else 0;
         * {@code outcome} is reused by the next command.
         */
        void onApplied(Command command, CommandOutcome outcome, long ownSequence);

        /**
         * The replica is about to apply a command (its account and order id filled in as the members fill them,
         * {@link SequencedCommands}): what must see a command before its events (a gateway's authorisation mirror).
         */
        default void beforeApply(Command command) {
        }

        /** The cluster acknowledged this replica's message (see {@link ClusterClient.AckListener}). */
        default void onAck(long clientSequence, long engineSequence, int status) {
        }
    }

    private final long clientId;
    private final EngineEvents events;
    private final Listener listener;
    private final ClusterClient client;
    private final CommandCodec codec = new CommandCodec();
    private final Command command = new Command();
    private Engine engine;
    /** The snapshot being received: its engine sequence, bytes and how many arrived; null when none. */
    private byte[] snapshot;
    private long snapshotSequence;
    private int snapshotReceived;
    private boolean resubscribe;
    /** When a gap was first seen with no progress since; 0 when there is none. */
    private long gapSince;
    /** When anything last came from the cluster (a feed message or an acknowledgement). */
    private long lastHeardNanos = System.nanoTime();
    private long gaps;
    private long resets;
    /** The client sequence of the newest subscription, and the engine sequence its acknowledgement gave (-1: none). */
    private long subscription;
    private long subscribedAt = -1;
    private long abandonedSnapshots;
    /**
     * What a callback of this replica or its listener threw during a poll (the engine failed, the listener refused a
     * reset): {@link #poll} throws it, and the replica applies nothing more.
     */
    private RuntimeException failure;

    /**
     * Connects to the cluster ({@code ingressEndpoints}, as {@link ClusterNode#ingressEndpoints}) with a media driver
     * in {@code directory}, and subscribes to the feed; the engine's events go to {@code events}. The replica has no
     * engine until the first snapshot arrives ({@link #isReady}).
     */
    public ClusterReplica(long clientId, String ingressEndpoints, File directory, EngineEvents events,
                          Listener listener, long connectTimeoutNanos) {
        this(clientId, ingressEndpoints, directory, events, listener, connectTimeoutNanos, null);
    }

    /**
     * As above, starting from {@code engine} (null: from the cluster's snapshot): an engine that holds the cluster's
     * state after its {@link Engine#lastSequence()}, such as one rebuilt from a journal of what the cluster applied
     * (its events go to its own listener, which should be {@code events}). The replica subscribes after that sequence;
     * if the cluster cannot serve it any more, a snapshot replaces the engine ({@link Listener#onReset}).
     */
    public ClusterReplica(long clientId, String ingressEndpoints, File directory, EngineEvents events,
                          Listener listener, long connectTimeoutNanos, Engine engine) {
        this.clientId = clientId;
        this.events = events;
        this.listener = listener;
        this.engine = engine;
        this.client = new ClusterClient(clientId, ingressEndpoints, directory, this::onAck, new Feed(),
                connectTimeoutNanos);
        subscribe();
    }

    /** Subscribes after the engine's sequence (-1: a snapshot first, when there is no engine yet). */
    private void subscribe() {
        subscription = client.subscribeFeed(engine == null ? -1 : engine.lastSequence());
        subscribedAt = -1;
    }

    private void onAck(long clientSequence, long engineSequence, int status) {
        if (failure != null) {
            return;
        }
        try {
            acknowledged(clientSequence, engineSequence, status);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void acknowledged(long clientSequence, long engineSequence, int status) {
        if (clientSequence == subscription) {
            if (status == ClusterProtocol.STATUS_APPLIED) {
                subscribedAt = engineSequence;
            } else if (status == ClusterProtocol.STATUS_DUPLICATE) {
                // Applied before and answered again (its first answer lost): where the cluster was is unknown, so
                // ask again rather than guess when the replica has caught up.
                resubscribe = true;
            }
            // Refused (the feed is full): asked again after a silence, not at once.
        }
        listener.onAck(clientSequence, engineSequence, status);
    }

    /** Sends a command to the cluster; returns its client sequence (see {@link Listener#onApplied}). */
    public long send(Command c) {
        return client.send(c);
    }

    /** Sends a checkpoint (every member writes its state hash at this log position). */
    public long checkpoint(long id) {
        return client.checkpoint(id);
    }

    /** Polls the cluster: acknowledgements, feed messages (applied here), resends and renewals of the subscription. */
    public int poll() {
        if (failure != null) {
            throw new IllegalStateException("the replica stopped on an earlier failure: " + failure.getMessage(),
                    failure);
        }
        int work = client.poll();
        if (failure != null) {
            // Thrown in a callback of the client's egress poll, which would only log it (Aeron hands what a fragment
            // handler throws to its error handler and goes on): the caller must hear of it.
            throw failure;
        }
        long now = System.nanoTime();
        if (work > 0) {
            lastHeardNanos = now;
        } else if (now - lastHeardNanos > SILENCE_PROBE_NANOS) {
            lastHeardNanos = now;
            resubscribe = true;
        }
        if (resubscribe || gapSince != 0 && System.nanoTime() - gapSince > GAP_RETRY_NANOS) {
            resubscribe = false;
            gapSince = gapSince == 0 ? 0 : System.nanoTime();
            subscribe();
            gaps++;
        }
        return work;
    }

    /** True once the replica has an engine (the first snapshot arrived). */
    public boolean isReady() {
        return engine != null;
    }

    /**
     * True when the replica has an engine, is not in the middle of a snapshot, and has applied at least what the cluster
     * had applied when it took the newest subscription: it holds everything the cluster had when it was asked.
     */
    public boolean caughtUp() {
        return engine != null && snapshot == null && subscribedAt >= 0 && engine.lastSequence() >= subscribedAt;
    }

    /** The replica's engine (null before {@link #isReady}); the polling thread's only. */
    public Engine engine() {
        return engine;
    }

    /** The engine sequence the replica has applied up to; -1 before it has an engine. */
    public long lastSequence() {
        return engine == null ? -1 : engine.lastSequence();
    }

    public ClusterClient client() {
        return client;
    }

    /** Subscriptions renewed after a gap, a leader change or a reconnect. */
    public long gaps() {
        return gaps;
    }

    /** Times the engine was rebuilt from a snapshot (the first included). */
    public long resets() {
        return resets;
    }

    /** Snapshot transfers begun and given up (the cluster moved on to commands). */
    public long abandonedSnapshots() {
        return abandonedSnapshots;
    }

    /** Bytes of a snapshot being received, or -1 when none is. */
    public int receivingSnapshotBytes() {
        return snapshot == null ? -1 : snapshotReceived;
    }

    @Override
    public void close() {
        client.close();
    }

    private void onApplied(DirectBuffer buffer, int offset, int length) {
        if (snapshot != null) {
            // The cluster sends no command to a subscriber in the middle of its snapshot: this one means the transfer
            // was abandoned (the subscription was renewed and is served otherwise). Waiting for its rest would wait
            // forever.
            snapshot = null;
            abandonedSnapshots++;
            if (engine == null) {
                resubscribe = true;
            }
        }
        if (engine == null || length < ClusterProtocol.APPLIED_HEADER_LENGTH) {
            return;
        }
        long sequence = buffer.getLong(offset + ClusterProtocol.APPLIED_SEQUENCE_OFFSET, ClusterProtocol.ORDER);
        long next = engine.lastSequence() + 1;
        if (sequence < next) {
            return;
        }
        if (sequence > next) {
            if (gapSince == 0) {
                gapSince = System.nanoTime();
            }
            return;
        }
        try {
            codec.decode(buffer, offset + ClusterProtocol.APPLIED_HEADER_LENGTH,
                    length - ClusterProtocol.APPLIED_HEADER_LENGTH, command);
        } catch (CodecException e) {
            // The members applied what this build cannot read: the replica cannot follow them.
            throw new IllegalStateException("command " + sequence + " from the cluster cannot be decoded", e);
        }
        command.sequence = sequence;
        command.timestamp = buffer.getLong(offset + ClusterProtocol.APPLIED_TIMESTAMP_OFFSET, ClusterProtocol.ORDER);
        long origin = buffer.getLong(offset + ClusterProtocol.APPLIED_ORIGIN_CLIENT_OFFSET, ClusterProtocol.ORDER);
        long originSequence = buffer.getLong(offset + ClusterProtocol.APPLIED_ORIGIN_SEQUENCE_OFFSET,
                ClusterProtocol.ORDER);
        SequencedCommands.prepare(engine, command, command.sequence);
        listener.beforeApply(command);
        CommandOutcome outcome = engine.apply(command);
        gapSince = 0;
        listener.onApplied(command, outcome, origin == clientId ? originSequence : 0);
    }

    private void onSnapshotChunk(DirectBuffer buffer, int offset, int length) {
        if (length < ClusterProtocol.SNAPSHOT_HEADER_LENGTH) {
            return;
        }
        long sequence = buffer.getLong(offset + ClusterProtocol.SNAPSHOT_SEQUENCE_OFFSET, ClusterProtocol.ORDER);
        int total = buffer.getInt(offset + ClusterProtocol.SNAPSHOT_TOTAL_OFFSET, ClusterProtocol.ORDER);
        int at = buffer.getInt(offset + ClusterProtocol.SNAPSHOT_CHUNK_OFFSET, ClusterProtocol.ORDER);
        int bytes = length - ClusterProtocol.SNAPSHOT_HEADER_LENGTH;
        if (at == 0) {
            if (total <= 0 || total > MAX_SNAPSHOT_BYTES) {
                throw new IllegalStateException("a snapshot of " + total + " bytes from the cluster");
            }
            snapshot = new byte[total];
            snapshotSequence = sequence;
            snapshotReceived = 0;
            // A transfer that stops half-way is asked for again, like a gap.
            gapSince = System.nanoTime();
        }
        if (snapshot == null || sequence != snapshotSequence || at != snapshotReceived || bytes > total - at) {
            // A chunk of a snapshot whose start was lost: ask again.
            snapshot = null;
            resubscribe = true;
            return;
        }
        buffer.getBytes(offset + ClusterProtocol.SNAPSHOT_HEADER_LENGTH, snapshot, at, bytes);
        snapshotReceived += bytes;
        gapSince = System.nanoTime();
        if (snapshotReceived == total) {
            Engine restored = EngineSnapshots.read(snapshot, 0, total, events);
            snapshot = null;
            if (restored.lastSequence() != snapshotSequence) {
                throw new IllegalStateException("the cluster's snapshot is at sequence " + restored.lastSequence()
                        + ", announced " + snapshotSequence);
            }
            engine = restored;
            gapSince = 0;
            resets++;
            listener.onReset(engine);
        }
    }

    private final class Feed implements ClusterClient.FeedListener {
        @Override
        public void onFeedMessage(DirectBuffer buffer, int offset, int length) {
            if (failure != null) {
                return;
            }
            try {
                if (buffer.getByte(offset) == ClusterProtocol.APPLIED) {
                    onApplied(buffer, offset, length);
                } else {
                    onSnapshotChunk(buffer, offset, length);
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        @Override
        public void onSessionMoved() {
            resubscribe = true;
        }
    }
}
