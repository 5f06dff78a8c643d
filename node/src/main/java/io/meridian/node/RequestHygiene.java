package io.meridian.node;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * HTTP framing that cannot be smuggled through (RFC 9112, 6.1 and 6.3): a request whose framing is ambiguous or
 * malformed (Content-Length together with Transfer-Encoding, Content-Length twice or unparsable, a line or header
 * block over the decoder's limits) is answered once, with 400 (414 for a request line, 431 for headers, too long) and
 * {@code Connection: close}, and the connection is closed; nothing after it on that connection is read as a request.
 * Before, such a request got a keep-alive 400 and the bytes after it were served as the next request.
 *
 * <p>One instance per connection, on its I/O thread. WebSocket frames after an upgrade pass through untouched.
 */
final class RequestHygiene extends ChannelInboundHandlerAdapter {
    private boolean refused;

    /**
     * The request decoder of the pipeline: Netty's, except that Content-Length together with Transfer-Encoding is a
     * decoding failure instead of a silent preference for the chunked body.
     */
    static HttpRequestDecoder decoder() {
        return new StrictDecoder();
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

    private static void refuse(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
        String message = "malformed HTTP request";
        if (cause instanceof TooLongFrameException) {
            String text = String.valueOf(cause.getMessage());
            boolean line = text.contains("line");
            status = line ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            message = line ? "request line too long" : "request headers too large";
        } else if (cause instanceof AmbiguousFraming) {
            message = "malformed HTTP request: " + cause.getMessage();
        }
        byte[] body = ("{\"code\":" + status.code() + ",\"message\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** The framing of a request is ambiguous: its message goes back to the client as the 400's reason. */
    private static final class AmbiguousFraming extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        AmbiguousFraming(String message) {
            super(message);
        }
    }

    /** Netty's request decoder, refusing Content-Length with Transfer-Encoding (see {@link #decoder()}). */
    private static final class StrictDecoder extends HttpRequestDecoder {
        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            super.handleTransferEncodingChunkedWithContentLength(message);
            message.setDecoderResult(DecoderResult.failure(
                    new AmbiguousFraming("Content-Length together with Transfer-Encoding")));
        }
    }
}
