package io.meridian.node.connection;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Answers in request order, and a bound on what one connection may have the node working on (RFC 9112 9.3.2: a
 * server answers pipelined requests in the order they came).
 *
 * <p>The gateway answers a request whenever it is done, some at once on the I/O thread, some later from the engine
 * thread, so pipelined answers used to leave out of order, and a {@code Connection: close} request answered at once
 * closed the connection before the answers owed to the requests before it. Here the requests of a connection are
 * handed to the gateway one at a time: the next only once the previous one's final answer has been written. Each
 * answer is therefore the answer to the one request in the gateway, whatever thread writes it, and needs no tag. A
 * connection thus holds at most one place in the engine's queue, so pipelining many slow reads cannot push other
 * clients' requests back.
 *
 * <p>Requests read ahead wait here, at most {@code maxPipelined} with the one being answered and at most
 * {@code maxQueuedBytes} of bodies; at either bound the connection is not read (autoRead off) until answers drain,
 * and none is handed on while the connection's output buffer is full (the client is not reading its answers). A
 * request that is not keep-alive ({@code Connection: close}, or HTTP/1.0 without keep-alive) is the last: reading
 * stops when it arrives, anything after it is discarded, its answer says {@code Connection: close}, and the
 * connection closes once that answer is written, after every earlier one. A {@link RequestReader.RequestTimeout}
 * takes its turn like a request (the answers owed before it still go out) and is answered 408, then the connection
 * closes. A {@code 101 Switching Protocols} (a WebSocket upgrade) ends all this:
 * the connection's HTTP handlers are swapped for the WebSocket's ({@code onUpgrade}).
 *
 * <p>One instance per connection; every method runs on its I/O thread (Netty calls {@code write} there too, whatever
 * thread asked for the write).
 */
final class InOrderAnswers extends ChannelDuplexHandler {
    private final int maxPipelined;
    private final int maxQueuedBytes;
    private final Consumer<ChannelPipeline> onUpgrade;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private int queuedBytes;
    /** A request is in the gateway and its final answer has not been written (ended) yet. */
    private boolean answering;
    /** The final answer's head has been written; it ends with its last content. */
    private boolean answerStarted;
    /** Whether the request being answered keeps the connection open. */
    private boolean keepAlive = true;
    /** A closing request (or a timeout) is queued: nothing after it is read or kept. */
    private boolean endOfInput;
    /** The answer being written is the last: the connection closes after it. */
    private boolean closing;
    private boolean upgraded;
    /** This handler turned autoRead off. */
    private boolean paused;
    private boolean dispatching;
    private boolean dispatchScheduled;

    /** Told the code of each refusal this handler answers (408, for /metrics). */
    private final IntConsumer counted;

    InOrderAnswers(int maxPipelined, int maxQueuedBytes, Consumer<ChannelPipeline> onUpgrade) {
        this(maxPipelined, maxQueuedBytes, onUpgrade, code -> { });
    }

    InOrderAnswers(int maxPipelined, int maxQueuedBytes, Consumer<ChannelPipeline> onUpgrade, IntConsumer counted) {
        this.maxPipelined = maxPipelined;
        this.maxQueuedBytes = maxQueuedBytes;
        this.onUpgrade = onUpgrade;
        this.counted = counted;
    }

    /** Whether no answer is owed on this connection (then an interim {@code 100 Continue} cannot jump a queue). */
    boolean idle() {
        return !answering && waiting.isEmpty();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upgraded || !(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (endOfInput || closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        waiting.add(request);
        queuedBytes += request.content().readableBytes();
        endOfInput = !HttpUtil.isKeepAlive(request);
        dispatch(ctx);
        updateReading(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof RequestReader.RequestTimeout timeout && !upgraded) {
            if (!endOfInput && !closing) {
                waiting.add(timeout);
                endOfInput = true;
                dispatch(ctx);
                updateReading(ctx);
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            dispatch(ctx);
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Hands on the next waiting request while none is being answered. */
    private void dispatch(ChannelHandlerContext ctx) {
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            while (!answering && !upgraded && !waiting.isEmpty() && ctx.channel().isActive()
                    && ctx.channel().isWritable()) {
                Object next = waiting.poll();
                if (next instanceof RequestReader.RequestTimeout timeout) {
                    closing = true;
                    releaseWaiting();
                    counted.accept(HttpResponseStatus.REQUEST_TIMEOUT.code());
                    ctx.writeAndFlush(Answers.error(HttpResponseStatus.REQUEST_TIMEOUT, 408, timeout.message(), true))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                FullHttpRequest request = (FullHttpRequest) next;
                queuedBytes -= request.content().readableBytes();
                answering = true;
                answerStarted = false;
                keepAlive = HttpUtil.isKeepAlive(request);
                if (!keepAlive) {
                    closing = true;
                    releaseWaiting();
                }
                ctx.fireChannelRead(request);
            }
        } finally {
            dispatching = false;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (upgraded || !(msg instanceof HttpObject)) {
            ctx.write(msg, promise);
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                upgraded(ctx, msg, promise);
                return;
            }
            if (code < 200) {
                ctx.write(msg, promise);
                return;
            }
            if (answering) {
                answerStarted = true;
                if (!keepAlive) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                if (response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
                    closing = true;
                    releaseWaiting();
                }
            }
        }
        if (msg instanceof LastHttpContent && answering && answerStarted) {
            answering = false;
            if (closing) {
                ChannelPromise closed = promise.unvoid();
                closed.addListener(ChannelFutureListener.CLOSE);
                ctx.write(msg, closed);
            } else {
                ctx.write(msg, promise);
                scheduleDispatch(ctx);
            }
            updateReading(ctx);
            return;
        }
        ctx.write(msg, promise);
    }

    /** The next request goes on in a task of its own, after the I/O of other connections waiting on this thread. */
    private void scheduleDispatch(ChannelHandlerContext ctx) {
        if (waiting.isEmpty() || dispatchScheduled) {
            return;
        }
        if (dispatching) {
            return; // the dispatch loop below on the stack goes on with it
        }
        dispatchScheduled = true;
        ctx.executor().execute(() -> {
            dispatchScheduled = false;
            dispatch(ctx);
            updateReading(ctx);
        });
    }

    private void upgraded(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        upgraded = true;
        answering = false;
        releaseWaiting();
        ctx.write(msg, promise);
        if (paused) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }
        onUpgrade.accept(ctx.pipeline());
    }

    /** Reads while fewer than maxPipelined requests are owed answers and their bodies are under maxQueuedBytes. */
    private void updateReading(ChannelHandlerContext ctx) {
        if (upgraded || !ctx.channel().isActive()) {
            return;
        }
        int owed = waiting.size() + (answering ? 1 : 0);
        boolean read = !endOfInput && !closing && owed < maxPipelined && queuedBytes < maxQueuedBytes;
        if (read == paused) {
            paused = !read;
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void releaseWaiting() {
        for (Object o; (o = waiting.poll()) != null; ) {
            ReferenceCountUtil.release(o);
        }
        queuedBytes = 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseWaiting();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }
}
