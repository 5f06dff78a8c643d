package io.meridian.node.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * The idle bound of an HTTP connection: nothing read and nothing written for {@code idleTimeoutMillis} closes it (a
 * keep-alive connection between requests, or a client that stopped reading its answers). Netty's
 * {@link IdleStateHandler} at the front of the pipeline, so any byte counts, whatever it decodes to. Replaced by
 * {@link WebSocketIdle} when the connection becomes a WebSocket.
 */
final class KeepAliveIdle extends IdleStateHandler {
    KeepAliveIdle(long idleTimeoutMillis) {
        super(0, 0, idleTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
