package io.meridian.node.binary;

import io.meridian.model.RejectReason;
import io.meridian.node.EngineLoop;
import io.meridian.sbe.ExecType;
import io.meridian.sbe.ExecutionReportEncoder;
import io.meridian.sbe.Frames;
import io.meridian.sbe.Liquidity;
import io.meridian.sbe.MessageHeaderEncoder;
import io.meridian.sbe.RequestKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * One binary session: a signer (an address, and the agent key when one signed the Logon) with its sequence numbers and
 * its retransmission ring (docs/binary-protocol.md, "Sessions and sequence numbers"). It outlives its connections: a
 * client that reconnects and resumes gets the reports after the last one it saw resent from the ring.
 *
 * <p>Every execution report is encoded once, as a ready frame, into the ring slot of its server sequence number
 * ({@value #SLOT_BYTES} bytes a slot, {@code slots} slots: the bound of what a resend can reach). The engine thread
 * encodes the answers and order events ({@link #report}) and hands the session to the connection's I/O thread once per
 * batch ({@link #batchEnd}); the I/O thread copies the frames not yet sent into one buffer and flushes it once
 * ({@link #run}), and encodes the gateway's own rejects itself. A connection more than the ring behind, or whose
 * unflushed bytes pass the outbound limit, is a slow consumer and is logged out ({@link BinaryHandler}).
 *
 * <p>Threads: the fields under "guarded" are read and written under this object's lock (taken once per report, and
 * once per drain, uncontended but for the engine thread meeting an I/O thread); {@link #registered} is the engine
 * thread's.
 */
final class BinarySession implements EngineLoop.BatchEnd, Runnable {
    /** One ring slot: the length prefix, the header, the report's block and its longest text. */
    static final int SLOT_BYTES = 384;

    static {
        if (Frames.LENGTH_BYTES + MessageHeaderEncoder.ENCODED_LENGTH + ExecutionReportEncoder.BLOCK_LENGTH + 1
                + Frames.MAX_TEXT_BYTES > SLOT_BYTES) {
            throw new ExceptionInInitializerError("an execution report does not fit a ring slot");
        }
    }

    /** Who the session is: the signer's address and agent key (null: the owner). */
    final byte[] address;
    final byte[] agentKey;
    /** The key of {@link BinaryGateway}'s registry. */
    final String key;
    private final int slots;
    private final UnsafeBuffer ring;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ExecutionReportEncoder encoder = new ExecutionReportEncoder();
    /** The gateway's slow-consumer handling, on the connection's I/O thread. */
    private final SlowConsumer slow;

    // Guarded by this.
    private long lastSeq;
    private long sentSeq;
    private long nextClientSeq = 1;
    private Channel channel;
    private boolean scheduled;
    /** When the session last lost its connection (System.nanoTime), for eviction; 0 while connected. */
    private long detachedAt;
    /** The engine session of the latest Logon (what orders are made in) and the account (0: none yet). */
    private long engineSession;
    private long account;

    /** Engine thread only: whether this session is registered for the end of the current batch. */
    private boolean registered;
    private final EngineLoop engine;

    /** What the gateway does with a connection that fell behind (logs it out with the reason). */
    interface SlowConsumer {
        void disconnect(Channel channel, String reason);
    }

    BinarySession(byte[] address, byte[] agentKey, String key, int slots, EngineLoop engine, SlowConsumer slow) {
        this.address = address;
        this.agentKey = agentKey;
        this.key = key;
        this.slots = slots;
        this.ring = new UnsafeBuffer(new byte[slots * SLOT_BYTES]);
        this.engine = engine;
        this.slow = slow;
    }

    /**
     * Any thread: encodes an execution report as the next server message. {@code text} is ASCII of at most
     * {@link Frames#MAX_TEXT_BYTES} (see {@link Frames#fit}).
     */
    synchronized void report(long clientSeq, RequestKind kind, ExecType type, long engineSequence, long timestamp,
                             long orderId, long clientOrderId, long tradeId, int instrument, long price, long quantity,
                             long leaves, int code, io.meridian.model.Side side, io.meridian.model.Liquidity liquidity,
                             String text) {
        long seq = ++lastSeq;
        int offset = (int) (seq & (slots - 1)) * SLOT_BYTES;
        encoder.wrapAndApplyHeader(ring, offset + Frames.LENGTH_BYTES, header)
                .seqNum(seq).clientSeqNum(clientSeq).engineSequence(engineSequence).timestamp(timestamp)
                .orderId(orderId).clientOrderId(clientOrderId).tradeId(tradeId).instrument(instrument).price(price)
                .quantity(quantity).leavesQuantity(leaves).code(code).execType(type).requestKind(kind)
                .side(side == null ? io.meridian.sbe.Side.NULL_VAL
                        : side == io.meridian.model.Side.BUY ? io.meridian.sbe.Side.BUY : io.meridian.sbe.Side.SELL)
                .liquidity(liquidity == null ? Liquidity.NONE
                        : liquidity == io.meridian.model.Liquidity.MAKER ? Liquidity.MAKER : Liquidity.TAKER);
        if (text == null || text.isEmpty()) {
            encoder.putText(EMPTY, 0, 0);
        } else {
            encoder.text(text);
        }
        ring.putInt(offset, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), ByteOrder.LITTLE_ENDIAN);
    }

    private static final byte[] EMPTY = new byte[0];

    /** Engine thread: the answer to a request, from the engine's result. */
    void answer(long clientSeq, RequestKind kind, int instrument, long clientOrderId, EngineLoop.Result r) {
        RejectReason reject = r.reject();
        if (reject != null) {
            report(clientSeq, kind, ExecType.REJECTED, r.sequence(), 0, r.orderId(), clientOrderId, 0, instrument, 0, 0,
                    0, reject.code(), null, null, Frames.fit(reject.name() + ": " + reject.message()));
        } else {
            report(clientSeq, kind, ExecType.ACCEPTED, r.sequence(), 0, r.orderId(), clientOrderId, 0, instrument, 0,
                    r.filledQuantity(), r.restingQuantity(), 0, null, null, null);
        }
        scheduleAtBatchEnd();
    }

    /** Engine thread: after a report, the session leaves with the batch's other answers. */
    void scheduleAtBatchEnd() {
        if (!registered) {
            registered = true;
            engine.atBatchEnd(this);
        }
    }

    /** Engine thread, after the batch: one hand-off to the connection's I/O thread. */
    @Override
    public void batchEnd() {
        registered = false;
        Channel to;
        synchronized (this) {
            if (scheduled || channel == null || sentSeq == lastSeq) {
                return;
            }
            scheduled = true;
            to = channel;
        }
        to.eventLoop().execute(this);
    }

    /**
     * The connection's I/O thread: writes the frames after the last one sent, in one buffer and one flush. Run on
     * another thread (an old connection's loop), it moves itself to the current connection's, so two drains never
     * race to one socket.
     */
    @Override
    public void run() {
        Channel to;
        ByteBuf out = null;
        String behind = null;
        synchronized (this) {
            scheduled = false;
            to = channel;
            if (to == null || sentSeq == lastSeq) {
                return;
            }
            if (!to.eventLoop().inEventLoop()) {
                scheduled = true;
                to.eventLoop().execute(this);
                return;
            }
            if (lastSeq - sentSeq > slots) {
                behind = "slow consumer: " + (lastSeq - sentSeq) + " reports unsent, more than the " + slots
                        + " the session keeps";
            } else {
                int total = 0;
                for (long seq = sentSeq + 1; seq <= lastSeq; seq++) {
                    total += Frames.LENGTH_BYTES + ring.getInt(slot(seq), ByteOrder.LITTLE_ENDIAN);
                }
                out = to.alloc().directBuffer(total);
                for (long seq = sentSeq + 1; seq <= lastSeq; seq++) {
                    int at = slot(seq);
                    out.writeBytes(ring.byteArray(), at, Frames.LENGTH_BYTES + ring.getInt(at, ByteOrder.LITTLE_ENDIAN));
                }
                sentSeq = lastSeq;
            }
        }
        if (behind != null) {
            slow.disconnect(to, behind);
            return;
        }
        to.writeAndFlush(out, to.voidPromise());
        if (!to.isWritable()) {
            slow.disconnect(to, "slow consumer: more unread bytes than the node's binary.maxOutboundBytes");
        }
    }

    private int slot(long seq) {
        return (int) (seq & (slots - 1)) * SLOT_BYTES;
    }

    /**
     * I/O thread, at a Logon: whether the reports after {@code lastSeen} are all still in the ring (null) or why not.
     */
    synchronized String resendProblem(long lastSeen) {
        if (lastSeen > lastSeq) {
            return "lastServerSeqNum " + lastSeen + " is ahead of the session's last report " + lastSeq;
        }
        if (lastSeq - lastSeen > slots) {
            return "reports after " + lastSeen + " are no longer kept (the session keeps its last " + slots
                    + "): resync open orders and fills via REST and log on with resetSequences";
        }
        return null;
    }

    /** I/O thread: the connection now taking the session's reports, from after {@code lastSeen} (checked). */
    synchronized Channel attach(Channel to, long lastSeen, long newEngineSession, long newAccount) {
        Channel old = channel;
        channel = to;
        sentSeq = lastSeen;
        detachedAt = 0;
        engineSession = newEngineSession;
        account = newAccount;
        return old == to ? null : old;
    }

    /** I/O thread, on a ResendRequest (checked): the reports after {@code lastSeen} go again. */
    synchronized void rewind(long lastSeen) {
        sentSeq = Math.min(sentSeq, lastSeen);
    }

    /** The connection's I/O thread, when it closes: the session waits for a reconnect. */
    synchronized void detach(Channel from) {
        if (channel == from) {
            channel = null;
            detachedAt = System.nanoTime();
        }
    }

    /** Whether no connection holds the session, and since when (System.nanoTime; for eviction, oldest first). */
    synchronized long detachedSince() {
        return channel == null ? Math.max(1, detachedAt) : 0;
    }

    /** A request's client sequence number against the next expected: 0 take it (and expect the next), -1 a duplicate. */
    synchronized long accept(long seqNum) {
        if (seqNum == nextClientSeq) {
            nextClientSeq++;
            return 0;
        }
        return seqNum < nextClientSeq ? -1 : nextClientSeq;
    }

    /** The connection holding the session, or null. */
    synchronized Channel channel() {
        return channel;
    }

    synchronized long nextClientSeq() {
        return nextClientSeq;
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized long engineSession() {
        return engineSession;
    }

    synchronized long account() {
        return account;
    }

    /** Test hook: the number of slots (the retransmission bound). */
    int slots() {
        return slots;
    }
}
