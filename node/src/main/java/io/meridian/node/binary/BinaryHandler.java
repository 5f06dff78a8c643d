package io.meridian.node.binary;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.Faults;
import io.meridian.node.codec.RequestException;
import io.meridian.node.http.Gateway;
import io.meridian.sbe.ExecType;
import io.meridian.sbe.Frames;
import io.meridian.sbe.HeartbeatDecoder;
import io.meridian.sbe.HeartbeatEncoder;
import io.meridian.sbe.LogonAckEncoder;
import io.meridian.sbe.LogonDecoder;
import io.meridian.sbe.LogonRejectEncoder;
import io.meridian.sbe.LogoutDecoder;
import io.meridian.sbe.LogoutEncoder;
import io.meridian.sbe.MessageHeaderDecoder;
import io.meridian.sbe.MessageHeaderEncoder;
import io.meridian.sbe.ResendRequestDecoder;
import io.meridian.sbe.SessionRejectEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One binary connection (docs/binary-protocol.md): its Logon, then its requests, on its I/O thread. Every frame is
 * checked ({@link Frames#check}) before a decoder reads it: a frame that is not a message of the schema gets a
 * SessionReject (code 466) and the connection stays, as the length prefix keeps the stream in step; a frame over the
 * limit or with a negative length closes it with a Logout (465). Nothing a client sends throws out of this handler: a
 * node fault is answered with an error id and logged ({@link Faults}), and the connection is closed.
 *
 * <p>Requests ({@link BinaryRequests}) are numbered by the client: the next expected is taken, one already taken is a
 * duplicate and ignored (its report is in the server's sequence, resent on resume), one ahead is a gap: a Logout (461)
 * naming the expected number. So a NewOrder resent after a reconnect is never executed twice, by its client sequence
 * number; the engine's idempotency by client order id backs it up.
 */
final class BinaryHandler extends ChannelInboundHandlerAdapter {
    private enum State { NEW, LOGGING_ON, ON, CLOSED }

    private final BinaryGateway binary;
    private final Gateway gateway;
    private final BinarySettings settings;
    private final byte[] bytes;
    private final UnsafeBuffer in;
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[Frames.LENGTH_BYTES + Frames.MAX_MAX_FRAME_BYTES]);
    private final MessageHeaderDecoder headerIn = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerOut = new MessageHeaderEncoder();
    private final LogonDecoder logon = new LogonDecoder();
    private final ResendRequestDecoder resend = new ResendRequestDecoder();
    private final BinaryRequests requests;
    private State state = State.NEW;
    private BinarySession session;
    /** The refusal a connection over the cap is answered with (null: a normal connection). */
    private int refusalCode;
    private String refusal;

    BinaryHandler(BinaryGateway binary, Gateway gateway, BinarySettings settings) {
        this.binary = binary;
        this.gateway = gateway;
        this.settings = settings;
        this.bytes = new byte[settings.frameLimit()];
        this.in = new UnsafeBuffer(bytes);
        this.requests = new BinaryRequests(gateway);
    }

    /** This handler answering a connection it refuses at once (over a cap) with a Logout, then closing it. */
    BinaryHandler refusing(int code, String why) {
        this.refusalCode = code;
        this.refusal = why;
        return this;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (refusal != null) {
            state = State.CLOSED;
            // Not a refusal of a message (as the other edges' caps, it is not counted in the gateway's refusals).
            ctx.writeAndFlush(logoutFrame(refusalCode, refusal)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.executor().schedule(() -> {
            if (state == State.NEW || state == State.LOGGING_ON) {
                state = State.CLOSED;
                refused(Codes.LOGIN_TIMEOUT);
                logonReject(ctx.channel(), Codes.LOGIN_TIMEOUT, "no Logon answered within "
                        + settings.loginTimeout() + " ms");
            }
        }, settings.loginTimeout(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (state == State.CLOSED) {
                return;
            }
            int length = frame.readableBytes();
            frame.getBytes(frame.readerIndex(), bytes, 0, length);
            String problem = Frames.check(in, 0, length);
            if (problem != null) {
                sessionReject(ctx.channel(), 0, templateOf(length), Codes.MALFORMED_FRAME, problem);
                return;
            }
            read(ctx, length);
        } catch (RuntimeException e) {
            String id = gateway.faults().record("binary message", e);
            state = State.CLOSED;
            logout(ctx.channel(), Codes.INTERNAL, Faults.message("internal error", id));
        } finally {
            frame.release();
        }
    }

    private int templateOf(int length) {
        return length >= 4 ? in.getShort(2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF : 0;
    }

    private void read(ChannelHandlerContext ctx, int length) {
        headerIn.wrap(in, 0);
        int template = headerIn.templateId();
        int block = headerIn.blockLength();
        int version = headerIn.version();
        int body = MessageHeaderDecoder.ENCODED_LENGTH;
        Channel ch = ctx.channel();
        switch (template) {
            case LogonDecoder.TEMPLATE_ID -> {
                if (state != State.NEW) {
                    sessionReject(ch, 0, template, Codes.BAD_FIELD, "Logon: this connection has logged on already");
                    return;
                }
                logon.wrap(in, body, block, version);
                logon(ch);
            }
            case HeartbeatDecoder.TEMPLATE_ID -> {
                // Receiving anything resets the idle timer: nothing else to do.
            }
            case LogoutDecoder.TEMPLATE_ID -> {
                state = State.CLOSED;
                logout(ch, 0, "logged out");
            }
            case ResendRequestDecoder.TEMPLATE_ID -> {
                if (state != State.ON) {
                    notLoggedOn(ch);
                    return;
                }
                try {
                    // A resend writes up to the whole ring: it spends a request of the connection's budget.
                    gateway.limitConnection(ch);
                } catch (RequestException e) {
                    sessionReject(ch, 0, template, e.code(), e.getMessage());
                    return;
                }
                resend.wrap(in, body, block, version);
                long from = resend.fromSeqNum();
                String problem = from < 1 ? "fromSeqNum: must be 1 or more" : session.resendProblem(from - 1);
                if (problem != null) {
                    sessionReject(ch, 0, template, Codes.RESEND_TOO_OLD, problem);
                    return;
                }
                session.rewind(from - 1);
                session.run();
            }
            default -> {
                if (!BinaryRequests.isRequest(template)) {
                    sessionReject(ch, 0, template, Codes.BAD_FIELD, "template " + template
                            + ": not a message a client sends");
                    return;
                }
                if (state != State.ON) {
                    notLoggedOn(ch);
                    return;
                }
                request(ch, template, block, version);
            }
        }
    }

    /** An order-entry request: its sequence number checked, then converted, admitted and submitted. */
    private void request(Channel ch, int template, int block, int version) {
        long seq = in.getLong(MessageHeaderDecoder.ENCODED_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
        long verdict = session.accept(seq);
        if (verdict < 0) {
            return;
        }
        if (verdict > 0) {
            state = State.CLOSED;
            logout(ch, Codes.SEQUENCE_GAP, "sequence gap: expected seqNum " + verdict + ", got " + seq
                    + " (resend from " + verdict + ")");
            return;
        }
        try {
            gateway.limitConnection(ch);
            requests.submit(ch, session, in, template, block, version);
        } catch (RequestException e) {
            refused(e.code());
            session.report(seq, BinaryRequests.kind(template), ExecType.REJECTED, 0, 0, 0, requests.lastClientOrderId(),
                    0, requests.lastInstrument(), 0, 0, 0, e.code(), null, null, Frames.fit(e.getMessage()));
            session.run();
        }
    }

    /** A Logon: the signed OPEN_SESSION through the gateway, as the WebSocket's {@code op: login}. */
    private void logon(Channel ch) {
        Command c = new Command().reset();
        c.type = CommandType.OPEN_SESSION;
        c.validUntil = logon.validUntil();
        c.nonce = logon.nonce();
        short agent = logon.hasAgentKeyRaw();
        short reset = logon.resetSequencesRaw();
        if ((agent != 0 && agent != 1) || (reset != 0 && reset != 1)) {
            state = State.CLOSED;
            refused(Codes.BAD_FIELD);
            logonReject(ch, Codes.BAD_FIELD, "hasAgentKey and resetSequences: must be FALSE (0) or TRUE (1)");
            return;
        }
        c.address = new byte[LogonDecoder.addressLength()];
        for (int i = 0; i < c.address.length; i++) {
            c.address[i] = (byte) logon.address(i);
        }
        if (agent == 1) {
            c.agentKey = new byte[LogonDecoder.agentKeyLength()];
            for (int i = 0; i < c.agentKey.length; i++) {
                c.agentKey[i] = (byte) logon.agentKey(i);
            }
        }
        c.signature = new byte[agent == 1 ? 64 : LogonDecoder.signatureLength()];
        for (int i = 0; i < c.signature.length; i++) {
            c.signature[i] = (byte) logon.signature(i);
        }
        boolean resetSequences = reset == 1;
        long lastSeen = logon.lastServerSeqNum();
        state = State.LOGGING_ON;
        byte[] address = c.address;
        byte[] agentKey = c.agentKey;
        try {
            gateway.limitConnection(ch);
            gateway.command(c, null, ch, (status, answer) -> {
                // The engine thread: the session is decided here, where its reports are registered.
                if (status != 200 || !(answer.get("sequence") instanceof Long engineSession)) {
                    int code = answer.get("code") instanceof Integer given ? given : Codes.INTERNAL;
                    if (!answer.containsKey("sequence")) {
                        // The gateway's refusal (an engine's carries its sequence and is counted by the engine).
                        refused(code);
                    }
                    String text = String.valueOf(answer.get("message"));
                    ch.eventLoop().execute(() -> refused(ch, code, text));
                    return;
                }
                long account = gateway.access().mirror().accountOf(io.meridian.auth.Address.of(address));
                BinaryGateway.Logon decided = binary.logon(address, agentKey, resetSequences, lastSeen, account);
                ch.eventLoop().execute(() -> loggedOn(ch, decided, resetSequences ? 0 : lastSeen, engineSession,
                        account));
            });
        } catch (RequestException e) {
            refused(e.code());
            refused(ch, e.code(), e.getMessage());
        }
    }

    private void refused(Channel ch, int code, String text) {
        state = State.CLOSED;
        logonReject(ch, code, text);
    }

    /** I/O thread: the Logon's session decided; the ack, then the reports after {@code lastSeen}. */
    private void loggedOn(Channel ch, BinaryGateway.Logon decided, long lastSeen, long engineSession, long account) {
        if (decided.session() == null) {
            refused(decided.code());
            refused(ch, decided.code(), decided.problem());
            return;
        }
        if (state != State.LOGGING_ON || !ch.isActive()) {
            return;
        }
        session = decided.session();
        state = State.ON;
        LogonAckEncoder ack = new LogonAckEncoder();
        ack.wrapAndApplyHeader(out, Frames.LENGTH_BYTES, headerOut).sessionId(engineSession).account(account)
                .nextClientSeqNum(session.nextClientSeq()).lastServerSeqNum(session.lastSeq())
                .heartbeatIntervalMs(settings.heartbeatInterval());
        ch.write(frame(ack.encodedLength()), ch.voidPromise());
        Channel old = session.attach(ch, lastSeen, engineSession, account);
        if (old == null && decided.replaced() != null && decided.replaced().channel() != ch) {
            // A new session (resetSequences) of a signer whose old one is still connected elsewhere.
            old = decided.replaced().channel();
        }
        if (old != null) {
            Channel replaced = old;
            replaced.eventLoop().execute(() -> replaced.writeAndFlush(logoutFrame(Codes.SESSION_REPLACED,
                    "the session logged on again on another connection")).addListener(ChannelFutureListener.CLOSE));
        }
        ch.flush();
        session.run();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        state = State.CLOSED;
        if (session != null) {
            session.detach(ctx.channel());
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle && state == State.ON) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                HeartbeatEncoder heartbeat = new HeartbeatEncoder();
                heartbeat.wrapAndApplyHeader(out, Frames.LENGTH_BYTES, headerOut).sentAt(System.currentTimeMillis());
                ctx.writeAndFlush(frame(heartbeat.encodedLength()), ctx.voidPromise());
            } else if (idle.state() == IdleState.READER_IDLE) {
                state = State.CLOSED;
                logout(ctx.channel(), Codes.HEARTBEAT_TIMEOUT, "nothing received for "
                        + 3 * settings.heartbeatInterval() + " ms");
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    /**
     * The frame decoder's refusals (a length over {@code maxFrameBytes}, a negative one): a Logout with the limit,
     * then closed. A reset connection is closed quietly; anything else is a fault, logged with an id.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.CLOSED) {
            ctx.close();
            return;
        }
        state = State.CLOSED;
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
            logout(ctx.channel(), Codes.FRAME_TOO_LONG, "frame length refused: at most " + settings.frameLimit()
                    + " bytes after the 4-byte length");
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            String id = gateway.faults().record("binary connection", cause);
            logout(ctx.channel(), Codes.INTERNAL, Faults.message("internal error", id));
        }
    }

    private void notLoggedOn(Channel ch) {
        state = State.CLOSED;
        logout(ch, Codes.NOT_LOGGED_ON, "log on first (and wait for the LogonAck)");
    }

    /** A connection that fell behind its reports (see {@link BinarySession#run}): a Logout with the reason. */
    static void slowConsumer(Channel ch, String reason) {
        if (ch.isActive()) {
            ch.writeAndFlush(logoutFrame(Codes.SLOW_CONSUMER, reason)).addListener(ChannelFutureListener.CLOSE);
            // The Logout may sit behind the bytes the client does not read: do not wait for it.
            ch.eventLoop().schedule(() -> ch.close(), 1, TimeUnit.SECONDS);
        }
    }

    /** Counts a refusal of the binary edge for /metrics ({@code meridian_gateway_refusals_total{edge="binary"}}). */
    private void refused(int code) {
        gateway.refusals().refused(io.meridian.node.metrics.EdgeRefusals.Edge.BINARY, code);
    }

    private void logout(Channel ch, int code, String text) {
        if (code != 0) {
            refused(code);
        }
        ch.writeAndFlush(logoutFrame(code, text)).addListener(ChannelFutureListener.CLOSE);
    }

    private static ByteBuf logoutFrame(int code, String text) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[Frames.LENGTH_BYTES + 512]);
        LogoutEncoder logout = new LogoutEncoder();
        logout.wrapAndApplyHeader(buffer, Frames.LENGTH_BYTES, new MessageHeaderEncoder()).code(code)
                .text(Frames.fit(text));
        int length = MessageHeaderEncoder.ENCODED_LENGTH + logout.encodedLength();
        buffer.putInt(0, length, java.nio.ByteOrder.LITTLE_ENDIAN);
        return Unpooled.wrappedBuffer(buffer.byteArray(), 0, Frames.LENGTH_BYTES + length);
    }

    private void logonReject(Channel ch, int code, String text) {
        LogonRejectEncoder reject = new LogonRejectEncoder();
        reject.wrapAndApplyHeader(out, Frames.LENGTH_BYTES, headerOut).code(code).text(Frames.fit(text));
        ch.writeAndFlush(frame(reject.encodedLength())).addListener(ChannelFutureListener.CLOSE);
    }

    private void sessionReject(Channel ch, long refSeq, int template, int code, String text) {
        refused(code);
        SessionRejectEncoder reject = new SessionRejectEncoder();
        reject.wrapAndApplyHeader(out, Frames.LENGTH_BYTES, headerOut).refSeqNum(refSeq).refTemplateId(template)
                .code(code).text(Frames.fit(text));
        ch.writeAndFlush(frame(reject.encodedLength()), ch.voidPromise());
    }

    /** A copy of the message just encoded into {@link #out}, with its length prefix. */
    private ByteBuf frame(int encodedLength) {
        int length = MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
        out.putInt(0, length, java.nio.ByteOrder.LITTLE_ENDIAN);
        return Unpooled.copiedBuffer(out.byteArray(), 0, Frames.LENGTH_BYTES + length);
    }
}
