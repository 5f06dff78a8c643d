package io.meridian.node.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The idle policy of a WebSocket: a client that sent nothing for {@code pingMillis} is pinged (RFC 6455 5.5.2: it
 * must answer with a pong, and browsers and the client library do), again every {@code pingMillis} while it stays
 * silent, and closed (status 1001, "idle") once it has been silent for {@code idleMillis}. A live subscriber that
 * only listens is therefore never dropped; a dead peer or a held-open socket is, within {@code idleMillis}.
 * Listening to what the node writes does not count: a peer that vanished still "receives" until TCP gives up.
 *
 * <p>Netty's {@link IdleStateHandler} at the front of the pipeline (any byte read is a sign of life, pongs included,
 * which the WebSocket handler drops before the gateway). One instance per connection, on its I/O thread.
 */
final class WebSocketIdle extends IdleStateHandler {
    private static final byte[] PING = "meridian".getBytes(StandardCharsets.US_ASCII);

    private final long pingMillis;
    private final long idleMillis;
    private long silentMillis;

    WebSocketIdle(long pingMillis, long idleMillis) {
        super(pingMillis, 0, 0, TimeUnit.MILLISECONDS);
        this.pingMillis = pingMillis;
        this.idleMillis = idleMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        silentMillis = 0;
        super.channelRead(ctx, msg);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() != IdleState.READER_IDLE) {
            return;
        }
        silentMillis = evt.isFirst() ? pingMillis : silentMillis + pingMillis;
        if (silentMillis >= idleMillis) {
            ctx.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "idle"))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.channel().writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(PING)));
        }
    }
}
