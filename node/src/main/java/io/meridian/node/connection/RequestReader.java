package io.meridian.node.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The request decoder: Netty's, with strict framing and read deadlines.
 *
 * <p><b>Framing.</b> Content-Length together with Transfer-Encoding is a decoding failure ({@link AmbiguousFraming})
 * instead of a silent preference for the chunked body (RFC 9112 6.1), so that {@link RequestHygiene} refuses it.
 *
 * <p><b>Deadlines (slowloris).</b> A request is "in progress" from the first byte after the end of the previous one
 * (or, on a new connection, from its opening) until its last byte. Its head must be complete within
 * {@code headerTimeout} of that start and the whole request within {@code requestTimeout}; otherwise a
 * {@link RequestTimeout} goes down the pipeline ({@link InOrderAnswers} answers it 408 after the answers owed before
 * it, then closes) and nothing more is read; a new connection that sent nothing at all is just closed. The start is
 * exact to the read: this decoder counts the bytes it received and where each request ended, so bytes of a next
 * request that arrived with the end of the previous one start its clock too. While the node itself has stopped
 * reading (pipelined requests waiting for answers: autoRead off) a partial request is not the client's delay, and its
 * clock restarts when reading resumes. Idle keep-alive connections between requests are {@link KeepAliveIdle}'s.
 *
 * <p>One instance per connection, confined to its I/O thread.
 */
final class RequestReader extends HttpRequestDecoder {
    /** After a timeout, the connection is closed this long later whatever is still owed on it. */
    static final long GRACE_MILLIS = 5_000;

    private final long headerTimeoutNanos;
    private final long requestTimeoutNanos;
    private ChannelHandlerContext context;
    /** Bytes received, bytes the decoder consumed, and the consumed count at the end of the last whole request. */
    private long received;
    private long consumed;
    private long lastEnd;
    /** No request completed yet: the first head is awaited from the connection's opening. */
    private boolean fresh = true;
    /** The head of the request in progress has been decoded. */
    private boolean headDone;
    /** A request ended during the current read: the next one, if begun, starts its clock now. */
    private boolean ended;
    /** When the request in progress started (System.nanoTime), or -1 when none is. */
    private long clockStart = -1;
    private ScheduledFuture<?> check;
    private boolean stopped;

    RequestReader(long headerTimeoutMillis, long requestTimeoutMillis) {
        this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMillis);
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        context = ctx;
        if (ctx.channel().isActive()) {
            startClock();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (clockStart < 0 && fresh) {
            startClock();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (stopped) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes) {
            received += bytes.readableBytes();
        }
        super.channelRead(ctx, msg);
        if (!stopped && ctx.channel().isActive()) {
            afterRead();
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int from = buffer.readerIndex();
        int before = out.size();
        super.decode(ctx, buffer, out);
        consumed += buffer.readerIndex() - from;
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpRequest) {
                headDone = true;
            }
            if (o instanceof LastHttpContent) {
                lastEnd = consumed;
                headDone = false;
                fresh = false;
                ended = true;
            }
            if (o instanceof DecoderResultProvider r && r.decoderResult().isFailure()) {
                // RequestHygiene refuses it and closes; the decoder discards the rest.
                stop();
            }
        }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(
                new AmbiguousFraming("Content-Length together with Transfer-Encoding")));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.handlerRemoved0(ctx);
    }

    private void startClock() {
        clockStart = System.nanoTime();
        arm(headerTimeoutNanos);
    }

    private boolean inProgress() {
        return fresh || received > lastEnd;
    }

    private void afterRead() {
        if (!inProgress()) {
            clockStart = -1;
            ended = false;
            return;
        }
        if (ended || clockStart < 0) {
            ended = false;
            clockStart = System.nanoTime();
        }
        arm(headDone ? requestTimeoutNanos : headerTimeoutNanos);
    }

    private void arm(long delayNanos) {
        if (check == null && !stopped) {
            check = context.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        check = null;
        if (stopped || !context.channel().isActive()) {
            return;
        }
        if (!inProgress() || clockStart < 0) {
            clockStart = -1;
            return;
        }
        long now = System.nanoTime();
        if (!context.channel().config().isAutoRead()) {
            clockStart = now;
        }
        long due = clockStart + (headDone ? requestTimeoutNanos : headerTimeoutNanos);
        if (now - due >= 0) {
            expire();
        } else {
            arm(due - now);
        }
    }

    private void expire() {
        boolean anyBytes = received > lastEnd;
        stop();
        if (!anyBytes) {
            context.close();
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(headDone ? requestTimeoutNanos : headerTimeoutNanos);
        context.fireUserEventTriggered(new RequestTimeout(headDone
                ? "request timeout: the request body did not arrive within " + millis + " ms"
                : "request timeout: the request head did not arrive within " + millis + " ms"));
        ChannelHandlerContext ctx = context;
        ctx.executor().schedule(() -> {
            ctx.channel().close();
        }, GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void stop() {
        stopped = true;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    /** A request whose framing is ambiguous: its message goes back to the client as the 400's reason. */
    static final class AmbiguousFraming extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        AmbiguousFraming(String message) {
            super(message);
        }
    }

    /** A request that did not arrive in time (user event): answered 408 in its turn, then the connection closes. */
    record RequestTimeout(String message) {
    }
}
