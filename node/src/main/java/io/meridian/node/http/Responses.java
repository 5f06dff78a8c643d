package io.meridian.node.http;

import io.meridian.node.codec.Json;
import io.meridian.node.codec.RequestException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.concurrent.TimeUnit;

/**
 * JSON answers on an HTTP connection. {@code writeAndFlush} is thread-safe, so an answer may be written from the
 * engine thread or a connection's I/O thread alike. Stateless.
 */
final class Responses {
    private Responses() {
    }

    /** Writes {@code body} as a JSON answer with {@code status}; closes the connection afterwards unless kept alive. */
    static void send(ChannelHandlerContext ctx, int status, Object body, boolean keepAlive) {
        write(ctx, response(status, body), keepAlive);
    }

    /** The JSON error answer of a refusal, with {@code Retry-After} (whole seconds, rounded up) for a rate limit. */
    static FullHttpResponse refusal(RequestException e) {
        FullHttpResponse response = response(e.status(), Json.error(e.code(), e.getMessage()));
        if (e.retryAfterNanos() > 0) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER,
                    Math.max(1, TimeUnit.NANOSECONDS.toSeconds(e.retryAfterNanos() + 999_999_999L)));
        }
        return response;
    }

    /** The header naming where the next page of a history starts (docs/api.md, "Pages of history"). */
    static final String NEXT_CURSOR = "X-Meridian-Next-Cursor";

    /**
     * The connection's request quota on every answer (docs/api.md, "Rate limits"): {@code X-RateLimit-Limit} the
     * bucket's size, {@code X-RateLimit-Remaining} the whole requests left after the request's token was taken,
     * {@code X-RateLimit-Reset} the seconds (rounded up) from then until the bucket is full again. With pipelined
     * requests, an answer shows the state after the latest request admitted on the connection.
     */
    private static void rateHeaders(ChannelHandlerContext ctx, FullHttpResponse response) {
        io.meridian.node.access.TokenBucket bucket = Gateway.connectionBucket(ctx.channel());
        if (bucket == null) {
            return;
        }
        long[] state = bucket.state();
        response.headers().set(RATE_LIMIT, (long) bucket.burst());
        response.headers().set(RATE_REMAINING, state[0]);
        response.headers().set(RATE_RESET, (state[1] + 999_999_999L) / 1_000_000_000L);
    }

    static final String RATE_LIMIT = "X-RateLimit-Limit";
    static final String RATE_REMAINING = "X-RateLimit-Remaining";
    static final String RATE_RESET = "X-RateLimit-Reset";

    static FullHttpResponse response(int status, Object body) {
        byte[] bytes = Json.writeBytes(body);
        if (bytes == null) {
            bytes = Json.unencodable();
            status = 500;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        rateHeaders(ctx, response);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
