package io.meridian.client;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.sbe.AmendEncoder;
import io.meridian.sbe.BooleanType;
import io.meridian.sbe.CancelAllEncoder;
import io.meridian.sbe.CancelByClientIdEncoder;
import io.meridian.sbe.CancelEncoder;
import io.meridian.sbe.ExecType;
import io.meridian.sbe.ExecutionReportDecoder;
import io.meridian.sbe.Frames;
import io.meridian.sbe.HeartbeatEncoder;
import io.meridian.sbe.LogonAckDecoder;
import io.meridian.sbe.LogonEncoder;
import io.meridian.sbe.LogonRejectDecoder;
import io.meridian.sbe.LogoutDecoder;
import io.meridian.sbe.MessageHeaderDecoder;
import io.meridian.sbe.MessageHeaderEncoder;
import io.meridian.sbe.ResendRequestEncoder;
import io.meridian.sbe.SessionRejectDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * Binary (SBE) order entry to a node (docs/binary-protocol.md): requests whose answers complete futures, and every
 * execution report (answers, fills, cancels, amends, expiries) handed to a {@link Listener}. The object is the session:
 * it outlives its connections. The first {@link #logon} starts new sequences ({@code resetSequences}); after a
 * {@link #connect} again, {@link #logon} resumes: it names the last report seen, the node resends the ones after it,
 * and requests the node never received (at or after the LogonAck's {@code nextClientSeqNum}) are sent again with their
 * numbers, so none is lost and none is executed twice. Reports at or below the last seen are dropped; one ahead of the
 * next expected asks for a resend.
 *
 * <p>Threads: one reader thread per connection delivers reports to the listener and completes futures (they must not
 * block); requests may be sent from any thread. Sends made on the reader thread (a listener answering a report) are
 * gathered and written once the reports of one read are handled: one write for a burst of answers.
 */
public final class BinaryOrderEntry implements AutoCloseable {
    /** An execution report as received (docs/binary-protocol.md, "Execution reports"). */
    public record Report(long seqNum, long clientSeqNum, long engineSequence, long timestamp, long orderId,
                         long clientOrderId, long tradeId, int instrument, long price, long quantity,
                         long leavesQuantity, int code, ExecType execType, io.meridian.sbe.RequestKind requestKind,
                         io.meridian.sbe.Side side, io.meridian.sbe.Liquidity liquidity, String text) {
    }

    /** What the LogonAck said. */
    public record Logon(long sessionId, long account, long nextClientSeqNum, long lastServerSeqNum) {
    }

    /** Hears every report (on the reader thread, must not block) and why a connection ended. */
    public interface Listener {
        void onReport(Report report);

        /** The connection ended: the node's Logout code and text (0 and a note when the socket just closed). */
        default void onClose(int code, String text) {
        }

        /** A SessionReject: a message the node could not take (outside the sequence). */
        default void onSessionReject(int code, String text) {
        }
    }

    /** A new order in the engine's units (ticks and lots); the optional fields keep their defaults (0: none). */
    public static final class Order {
        int instrument;
        io.meridian.sbe.Side side;
        io.meridian.sbe.OrdType type = io.meridian.sbe.OrdType.LIMIT;
        io.meridian.sbe.TimeInForce timeInForce = io.meridian.sbe.TimeInForce.DEFAULT;
        long price;
        long quantity;
        long clientOrderId;
        String clientOrderText;
        long triggerPrice;
        long displayQuantity;
        long expireTime;
        io.meridian.sbe.PostOnly postOnly = io.meridian.sbe.PostOnly.NONE;
        boolean reduceOnly;
        io.meridian.sbe.TriggerSource triggerSource = io.meridian.sbe.TriggerSource.LAST;
        io.meridian.sbe.SelfTradePrevention selfTradePrevention = io.meridian.sbe.SelfTradePrevention.NONE;

        /** A limit order: {@code price} ticks, {@code quantity} lots. */
        public static Order limit(int instrument, io.meridian.sbe.Side side, long price, long quantity) {
            Order o = new Order();
            o.instrument = instrument;
            o.side = side;
            o.price = price;
            o.quantity = quantity;
            return o;
        }

        /** A market order of {@code quantity} lots. */
        public static Order market(int instrument, io.meridian.sbe.Side side, long quantity) {
            Order o = limit(instrument, side, 0, quantity);
            o.type = io.meridian.sbe.OrdType.MARKET;
            return o;
        }

        public Order timeInForce(io.meridian.sbe.TimeInForce tif) {
            this.timeInForce = tif;
            return this;
        }

        public Order clientOrderId(long key) {
            this.clientOrderId = key;
            return this;
        }

        public Order clientOrderText(String text) {
            this.clientOrderText = text;
            return this;
        }

        public Order postOnly(io.meridian.sbe.PostOnly mode) {
            this.postOnly = mode;
            return this;
        }

        public Order reduceOnly(boolean flag) {
            this.reduceOnly = flag;
            return this;
        }

        public Order trigger(io.meridian.sbe.OrdType conditionalType, long triggerTicks,
                             io.meridian.sbe.TriggerSource source) {
            this.type = conditionalType;
            this.triggerPrice = triggerTicks;
            this.triggerSource = source;
            return this;
        }

        public Order displayQuantity(long lots) {
            this.displayQuantity = lots;
            return this;
        }

        public Order expireTime(long epochMillis) {
            this.expireTime = epochMillis;
            return this;
        }

        public Order selfTradePrevention(io.meridian.sbe.SelfTradePrevention mode) {
            this.selfTradePrevention = mode;
            return this;
        }
    }

    /** A request sent and not yet answered: its frame (resent on resume) and its future. */
    private record Pending(byte[] frame, CompletableFuture<Report> answer) {
    }

    private final String host;
    private final int port;
    private final Listener listener;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final UnsafeBuffer encodeBuffer = new UnsafeBuffer(new byte[Frames.LENGTH_BYTES + 1024]);
    /** The request encoders, reused under this object's lock. */
    private final io.meridian.sbe.NewOrderEncoder newOrder = new io.meridian.sbe.NewOrderEncoder();
    private final CancelEncoder cancelEncoder = new CancelEncoder();
    // Guarded by this.
    /** In sequence order (inserted so): what a resume sends again. */
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private long nextClientSeq = 1;
    private long lastServerSeq;
    private boolean loggedOnBefore;
    private CompletableFuture<Logon> logon;
    private Connection connection;

    private BinaryOrderEntry(String host, int port, Listener listener) {
        this.host = host;
        this.port = port;
        this.listener = listener;
    }

    /** Connects to a node's binary listener ({@code binary.port}); {@link #logon} next. */
    public static BinaryOrderEntry connect(String host, int port, Listener listener) {
        BinaryOrderEntry entry = new BinaryOrderEntry(host, port, listener);
        entry.connect();
        return entry;
    }

    /** Opens a new connection for this session (after a drop, or {@link #disconnect}); {@link #logon} resumes it. */
    public synchronized void connect() {
        if (connection != null && connection.open) {
            throw new IllegalStateException("connected already");
        }
        try {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            connection = new Connection(channel);
            connection.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("connecting to " + host + ":" + port, e);
        }
    }

    /**
     * Logs on with {@code signer}'s signed Session message (as the WebSocket's login): the first time with new
     * sequences, after a reconnect resuming from the last report seen. Completes with the LogonAck, or fails with
     * {@link ApiException} (the LogonReject's code: 462 when the node no longer has the reports to resend, so resync via
     * REST and {@link #reset}).
     */
    public CompletableFuture<Logon> logon(Signer signer, long validUntilMillis) {
        Command c = new Command().reset();
        c.type = CommandType.OPEN_SESSION;
        c.validUntil = validUntilMillis;
        Command signed = signer.sign(c);
        synchronized (this) {
            LogonEncoder e = new LogonEncoder();
            e.wrapAndApplyHeader(encodeBuffer, Frames.LENGTH_BYTES, header).validUntil(validUntilMillis)
                    .nonce(signed.nonce).lastServerSeqNum(loggedOnBefore ? lastServerSeq : 0)
                    .resetSequences(loggedOnBefore ? BooleanType.FALSE : BooleanType.TRUE)
                    .hasAgentKey(signed.agentKey != null ? BooleanType.TRUE : BooleanType.FALSE);
            for (int i = 0; i < LogonEncoder.addressLength(); i++) {
                e.address(i, (short) (signed.address[i] & 0xFF));
            }
            for (int i = 0; i < LogonEncoder.agentKeyLength(); i++) {
                e.agentKey(i, (short) (signed.agentKey == null ? 0 : signed.agentKey[i] & 0xFF));
            }
            for (int i = 0; i < LogonEncoder.signatureLength(); i++) {
                e.signature(i, (short) (i < signed.signature.length ? signed.signature[i] & 0xFF : 0));
            }
            logon = new CompletableFuture<>();
            connection.send(frame(e.encodedLength()), true);
            return logon;
        }
    }

    /** Forgets the sequences (after a resync via REST): the next {@link #logon} starts new ones. */
    public synchronized void reset() {
        loggedOnBefore = false;
        lastServerSeq = 0;
        nextClientSeq = 1;
        pending.values().forEach(p -> p.answer().completeExceptionally(new ApiException(0, 462, "session reset")));
        pending.clear();
    }

    /** Places an order; completes with its ACCEPTED answer, or fails with {@link ApiException} (REJECTED). */
    public synchronized CompletableFuture<Report> place(Order o) {
        io.meridian.sbe.NewOrderEncoder e = newOrder;
        e.wrapAndApplyHeader(encodeBuffer, Frames.LENGTH_BYTES, header).seqNum(nextClientSeq)
                .clientOrderId(o.clientOrderId).instrument(o.instrument).price(o.price).quantity(o.quantity)
                .triggerPrice(o.triggerPrice).displayQuantity(o.displayQuantity).expireTime(o.expireTime).side(o.side)
                .ordType(o.type).timeInForce(o.timeInForce).postOnly(o.postOnly)
                .reduceOnly(o.reduceOnly ? BooleanType.TRUE : BooleanType.FALSE).triggerSource(o.triggerSource)
                .selfTradePrevention(o.selfTradePrevention)
                .clientOrderText(o.clientOrderText == null ? "" : o.clientOrderText);
        return request(e.encodedLength());
    }

    /** Cancels an order by id. */
    public synchronized CompletableFuture<Report> cancel(int instrument, long orderId) {
        CancelEncoder e = cancelEncoder;
        e.wrapAndApplyHeader(encodeBuffer, Frames.LENGTH_BYTES, header).seqNum(nextClientSeq).instrument(instrument)
                .orderId(orderId);
        return request(e.encodedLength());
    }

    /** Cancels an open order by its client order id: the number, or (key 0) the text. */
    public synchronized CompletableFuture<Report> cancelByClientOrderId(int instrument, long key, String text) {
        CancelByClientIdEncoder e = new CancelByClientIdEncoder();
        e.wrapAndApplyHeader(encodeBuffer, Frames.LENGTH_BYTES, header).seqNum(nextClientSeq).instrument(instrument)
                .clientOrderId(key).clientOrderText(text == null ? "" : text);
        return request(e.encodedLength());
    }

    /** Amends an order: a new price, quantity and/or trigger price (0: keep). */
    public synchronized CompletableFuture<Report> amend(int instrument, long orderId, long price, long quantity,
                                                        long triggerPrice) {
        AmendEncoder e = new AmendEncoder();
        e.wrapAndApplyHeader(encodeBuffer, Frames.LENGTH_BYTES, header).seqNum(nextClientSeq).instrument(instrument)
                .orderId(orderId).price(price).quantity(quantity).triggerPrice(triggerPrice);
        return request(e.encodedLength());
    }

    /** Cancels the account's open orders in one instrument, or (0) all. */
    public synchronized CompletableFuture<Report> cancelAll(int instrument) {
        CancelAllEncoder e = new CancelAllEncoder();
        e.wrapAndApplyHeader(encodeBuffer, Frames.LENGTH_BYTES, header).seqNum(nextClientSeq).instrument(instrument);
        return request(e.encodedLength());
    }

    /** The last report's server sequence number seen (what a resume names). */
    public synchronized long lastServerSeq() {
        return lastServerSeq;
    }

    /** The sequence number the next request gets. */
    public synchronized long nextClientSeq() {
        return nextClientSeq;
    }

    /** Requests sent and not answered yet. */
    public synchronized int pending() {
        return pending.size();
    }

    /** Closes the connection without a Logout (as a network failure would); the session can {@link #connect} again. */
    public void disconnect() {
        Connection c;
        synchronized (this) {
            c = connection;
        }
        if (c != null) {
            c.close(0, "disconnected by the client");
        }
    }

    @Override
    public void close() {
        disconnect();
    }

    private CompletableFuture<Report> request(int encodedLength) {
        byte[] bytes = frame(encodedLength);
        CompletableFuture<Report> answer = new CompletableFuture<>();
        pending.put(nextClientSeq++, new Pending(bytes, answer));
        if (connection != null && connection.loggedOn) {
            connection.send(bytes, false);
        }
        return answer;
    }

    private byte[] frame(int encodedLength) {
        int length = MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
        encodeBuffer.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[Frames.LENGTH_BYTES + length];
        encodeBuffer.getBytes(0, bytes);
        return bytes;
    }

    /** Reader thread: a LogonAck; requests the node did not receive go again, in order. */
    private synchronized void loggedOn(Connection c, LogonAckDecoder ack) {
        loggedOnBefore = true;
        c.loggedOn = true;
        for (Map.Entry<Long, Pending> p : pending.entrySet()) {
            if (p.getKey() >= ack.nextClientSeqNum()) {
                c.send(p.getValue().frame(), false);
            }
        }
        if (logon != null) {
            logon.complete(new Logon(ack.sessionId(), ack.account(), ack.nextClientSeqNum(), ack.lastServerSeqNum()));
        }
    }

    /** Reader thread: a report in sequence (true), a duplicate (false), or ahead (false; a resend asked). */
    private synchronized boolean inSequence(Connection c, long seq) {
        if (seq <= lastServerSeq) {
            return false;
        }
        if (seq > lastServerSeq + 1) {
            if (c.resendAskedAt != lastServerSeq + 1) {
                c.resendAskedAt = lastServerSeq + 1;
                ResendRequestEncoder e = new ResendRequestEncoder();
                e.wrapAndApplyHeader(encodeBuffer, Frames.LENGTH_BYTES, header).fromSeqNum(lastServerSeq + 1);
                c.send(frame(e.encodedLength()), false);
            }
            return false;
        }
        lastServerSeq = seq;
        return true;
    }

    private synchronized Pending answered(long clientSeq) {
        return clientSeq == 0 ? null : pending.remove(clientSeq);
    }

    private synchronized void logonFailed(int code, String text) {
        if (logon != null) {
            logon.completeExceptionally(new ApiException(0, code, text));
        }
    }

    /** One TCP connection of the session, with its reader thread. */
    private final class Connection implements Runnable {
        private final SocketChannel channel;
        private final Thread reader = new Thread(this, "meridian-binary-reader");
        private final ByteBuffer in = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private final UnsafeBuffer view = new UnsafeBuffer(in.array());
        private final ByteBuffer out = ByteBuffer.allocate(1 << 16);
        private final MessageHeaderDecoder headerIn = new MessageHeaderDecoder();
        private final ExecutionReportDecoder report = new ExecutionReportDecoder();
        private volatile boolean open = true;
        private volatile boolean loggedOn;
        private long resendAskedAt;
        private boolean inBatch;
        private long lastSent = System.currentTimeMillis();

        Connection(SocketChannel channel) {
            this.channel = channel;
            reader.setDaemon(true);
        }

        void start() {
            reader.start();
        }

        /** Queues a frame; written at once unless the reader thread is handling a read (then at its end). */
        synchronized void send(byte[] frame, boolean always) {
            if (!open) {
                return;
            }
            if (out.remaining() < frame.length) {
                flush();
            }
            if (out.remaining() < frame.length) {
                write(ByteBuffer.wrap(frame));
                return;
            }
            out.put(frame);
            if (always || !(inBatch && Thread.currentThread() == reader)) {
                flush();
            }
        }

        synchronized void flush() {
            if (out.position() == 0 || !open) {
                return;
            }
            out.flip();
            write(out);
            out.clear();
        }

        private void write(ByteBuffer buffer) {
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                lastSent = System.currentTimeMillis();
            } catch (IOException e) {
                close(0, "write failed: " + e.getMessage());
            }
        }

        @Override
        public void run() {
            try {
                while (open) {
                    if (channel.read(in) < 0) {
                        close(0, "closed by the node");
                        return;
                    }
                    in.flip();
                    synchronized (this) {
                        inBatch = true;
                    }
                    handleFrames();
                    synchronized (this) {
                        inBatch = false;
                        flush();
                    }
                    in.compact();
                    heartbeatIfQuiet();
                }
            } catch (IOException e) {
                close(0, "read failed: " + e.getMessage());
            }
        }

        private void handleFrames() {
            while (in.remaining() >= Frames.LENGTH_BYTES) {
                int at = in.position();
                int length = in.getInt(at);
                if (length < MessageHeaderDecoder.ENCODED_LENGTH || length > in.capacity() - Frames.LENGTH_BYTES) {
                    close(0, "the node sent a frame of " + length + " bytes");
                    return;
                }
                if (in.remaining() < Frames.LENGTH_BYTES + length) {
                    return;
                }
                handle(at + Frames.LENGTH_BYTES);
                in.position(at + Frames.LENGTH_BYTES + length);
            }
        }

        private void handle(int offset) {
            headerIn.wrap(view, offset);
            int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            int block = headerIn.blockLength();
            int version = headerIn.version();
            switch (headerIn.templateId()) {
                case ExecutionReportDecoder.TEMPLATE_ID -> {
                    report.wrap(view, body, block, version);
                    if (!inSequence(this, report.seqNum())) {
                        return;
                    }
                    Report r = new Report(report.seqNum(), report.clientSeqNum(), report.engineSequence(),
                            report.timestamp(), report.orderId(), report.clientOrderId(), report.tradeId(),
                            report.instrument(), report.price(), report.quantity(), report.leavesQuantity(),
                            report.code(), report.execType(), report.requestKind(), report.side(), report.liquidity(),
                            report.text());
                    Pending p = answered(r.clientSeqNum());
                    if (p != null) {
                        if (r.execType() == ExecType.REJECTED) {
                            p.answer().completeExceptionally(new ApiException(0, r.code(), r.text()));
                        } else {
                            p.answer().complete(r);
                        }
                    }
                    listener.onReport(r);
                }
                case LogonAckDecoder.TEMPLATE_ID -> {
                    LogonAckDecoder ack = new LogonAckDecoder().wrap(view, body, block, version);
                    loggedOn(this, ack);
                }
                case LogonRejectDecoder.TEMPLATE_ID -> {
                    LogonRejectDecoder reject = new LogonRejectDecoder().wrap(view, body, block, version);
                    int code = reject.code();
                    String text = reject.text();
                    logonFailed(code, text);
                    close(code, text);
                }
                case LogoutDecoder.TEMPLATE_ID -> {
                    LogoutDecoder logout = new LogoutDecoder().wrap(view, body, block, version);
                    int code = logout.code();
                    close(code, logout.text());
                }
                case SessionRejectDecoder.TEMPLATE_ID -> {
                    SessionRejectDecoder reject = new SessionRejectDecoder().wrap(view, body, block, version);
                    int code = reject.code();
                    listener.onSessionReject(code, reject.text());
                }
                default -> {
                    // Heartbeats, and templates of a newer schema: nothing to do.
                }
            }
        }

        /** Keeps the session alive when the client sends nothing else (the node logs out a silent one). */
        private void heartbeatIfQuiet() {
            if (loggedOn && System.currentTimeMillis() - lastSent > 1_000) {
                synchronized (BinaryOrderEntry.this) {
                    HeartbeatEncoder e = new HeartbeatEncoder();
                    e.wrapAndApplyHeader(encodeBuffer, Frames.LENGTH_BYTES, header).sentAt(System.currentTimeMillis());
                    send(frame(e.encodedLength()), true);
                }
            }
        }

        void close(int code, String text) {
            boolean was;
            synchronized (this) {
                was = open;
                open = false;
                loggedOn = false;
            }
            if (!was) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                // Closing anyway.
            }
            logonFailed(code == 0 ? 503 : code, text);
            listener.onClose(code, text);
        }
    }
}
