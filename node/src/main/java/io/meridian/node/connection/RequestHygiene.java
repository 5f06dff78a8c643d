package io.meridian.node.connection;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

import java.util.function.IntConsumer;

/**
 * HTTP framing that cannot be smuggled through (RFC 9112, 6.1 and 6.3): a request whose framing is ambiguous or
 * malformed (Content-Length together with Transfer-Encoding, Content-Length twice or unparsable, a line or header
 * block over the decoder's limits, a body over {@code maxBodyBytes}) is answered once, with 400 (414 for a request
 * line, 431 for headers, 413 for a body, too long) and {@code Connection: close}, and the connection is closed; nothing
 * after it on that connection is read as a request. Before, such a request got a keep-alive 400 and the bytes after
 * it were served as the next request.
 *
 * <p>It sits after {@link InOrderAnswers}, so a refusal leaves after the answers owed to the requests before it
 * (and closes only then). One instance per connection, on its I/O thread. WebSocket frames after an upgrade pass
 * through untouched.
 */
final class RequestHygiene extends ChannelInboundHandlerAdapter {
    /** Told the code of each refusal (for /metrics). */
    private final IntConsumer counted;
    private boolean refused;

    RequestHygiene(IntConsumer counted) {
        this.counted = counted;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
            refused = true;
            ReferenceCountUtil.release(msg);
            refuse(ctx, request.decoderResult().cause());
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
        String message = "malformed HTTP request";
        if (cause instanceof BoundedAggregator.BodyTooLarge) {
            status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            message = cause.getMessage();
        } else if (cause instanceof TooLongFrameException) {
            String text = String.valueOf(cause.getMessage());
            boolean line = text.contains("line");
            status = line ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            message = line ? "request line too long" : "request headers too large";
        } else if (cause instanceof RequestReader.AmbiguousFraming) {
            message = "malformed HTTP request: " + cause.getMessage();
        }
        counted.accept(status.code());
        ctx.writeAndFlush(Answers.error(status, status.code(), message, true)).addListener(ChannelFutureListener.CLOSE);
    }
}
