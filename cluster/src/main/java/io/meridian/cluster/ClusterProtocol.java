package io.meridian.cluster;

import java.nio.ByteOrder;

/**
 * The messages between cluster clients and the clustered engine, little-endian (docs/cluster.md has the tables).
 *
 * <p>Ingress (client to cluster): {@code kind (byte) | clientId (long) | clientSequence (long) | body}, where the body
 * of {@link #COMMAND} is a {@code CommandCodec} payload (the command without sequence and timestamp, which the log
 * assigns) and the body of {@link #CHECKPOINT} is a checkpoint id (long). A client numbers its messages 1, 2, 3...
 * under an id unique to it (a random 64-bit id) and resends every unacknowledged one, in order, after a leader
 * change. The service applies a client's message only if its sequence is the next after the highest it applied for
 * that client: a lower one is a duplicate (answered, not applied), a higher one is out of order (answered, not
 * applied, nothing consumed), so a resend is never applied twice and no message is ever skipped.
 *
 * <p>Egress (cluster to client), one per ingress message: {@code kind ACK (byte) | clientSequence (long) |
 * engineSequence (long) | status (int) | clientApplied (long)}: status {@link #STATUS_APPLIED}, a reject reason code
 * (the command was applied and the engine refused it), {@link #STATUS_DUPLICATE} (applied before; the engine sequence
 * is then 0), {@link #STATUS_MALFORMED} (the body could not be decoded; nothing was applied, the sequence is used up)
 * or {@link #STATUS_OUT_OF_ORDER}; a feed subscription may be answered {@link #STATUS_FEED_FULL}. {@code clientApplied}
 * is the highest client sequence the cluster has applied for the client id after this message (members of builds
 * before it send the first 21 bytes only).
 *
 * <p><b>Hello.</b> {@link #HELLO}, with client sequence 0 and no body, is answered as a duplicate (nothing applied,
 * nothing consumed) and so tells a client where its id's numbering stands: a client started under the id of an earlier
 * process (a gateway restarted with its client id) numbers its messages on from there, not from 1 (which the cluster
 * would drop as duplicates).
 *
 * <p><b>The applied-command feed</b> ({@link CommandFeed}, {@link ClusterReplica}). Ingress {@link #FEED_SUBSCRIBE},
 * numbered like a command, with the body {@code afterSequence (long)}: from then on the session is sent every command
 * the engine applies after that engine sequence ({@code -1}: a snapshot of the engine first). Egress
 * {@link #APPLIED}: {@code kind | engineSequence (long) | timestamp (long) | originClient (long) |
 * originSequence (long) | CommandCodec payload}, one per applied command in sequence order (origin 0 and 0 for the
 * cluster's own commands, such as time ticks). Egress {@link #SNAPSHOT_CHUNK}: {@code kind | engineSequence (long) |
 * totalLength (int) | chunkOffset (int) | bytes}, the engine's snapshot ({@code EngineSnapshots}) after that sequence
 * in order; the commands after it follow as {@link #APPLIED}.
 */
public final class ClusterProtocol {
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final byte COMMAND = 1;
    public static final byte CHECKPOINT = 2;
    public static final byte ACK = 3;
    public static final byte FEED_SUBSCRIBE = 4;
    public static final byte APPLIED = 5;
    public static final byte SNAPSHOT_CHUNK = 6;
    public static final byte HELLO = 7;

    public static final int KIND_OFFSET = 0;
    public static final int CLIENT_ID_OFFSET = 1;
    public static final int CLIENT_SEQUENCE_OFFSET = 9;
    public static final int BODY_OFFSET = 17;

    public static final int ACK_CLIENT_SEQUENCE_OFFSET = 1;
    public static final int ACK_ENGINE_SEQUENCE_OFFSET = 9;
    public static final int ACK_STATUS_OFFSET = 17;
    public static final int ACK_CLIENT_APPLIED_OFFSET = 21;
    /** An acknowledgement of a member of an earlier build ends before {@link #ACK_CLIENT_APPLIED_OFFSET}. */
    public static final int ACK_MIN_LENGTH = 21;
    public static final int ACK_LENGTH = 29;

    public static final int APPLIED_SEQUENCE_OFFSET = 1;
    public static final int APPLIED_TIMESTAMP_OFFSET = 9;
    public static final int APPLIED_ORIGIN_CLIENT_OFFSET = 17;
    public static final int APPLIED_ORIGIN_SEQUENCE_OFFSET = 25;
    public static final int APPLIED_HEADER_LENGTH = 33;

    public static final int SNAPSHOT_SEQUENCE_OFFSET = 1;
    public static final int SNAPSHOT_TOTAL_OFFSET = 9;
    public static final int SNAPSHOT_CHUNK_OFFSET = 13;
    public static final int SNAPSHOT_HEADER_LENGTH = 17;

    public static final int STATUS_APPLIED = 0;
    public static final int STATUS_DUPLICATE = -1;
    public static final int STATUS_MALFORMED = -2;
    /** The client's previous message has not been applied: this one is not applied either; resend from the gap. */
    public static final int STATUS_OUT_OF_ORDER = -3;
    /**
     * A feed subscription refused: the leader serves {@link CommandFeed#MAX_SUBSCRIBERS} sessions already. The client
     * may try again later (a subscriber leaves when its session closes).
     */
    public static final int STATUS_FEED_FULL = -4;

    private ClusterProtocol() {
    }
}
