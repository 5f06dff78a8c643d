package io.meridian.node.ws;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.node.EngineLoop;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.Decimals;
import io.meridian.node.codec.Json;
import io.meridian.node.codec.Orders;
import io.meridian.node.codec.RequestException;
import io.meridian.node.http.Gateway;
import io.meridian.node.http.Responder;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket messages: subscriptions, login and order entry (docs/api.md, "WebSocket"). A message is one text frame or
 * a text frame and its continuations, joined before this handler (Netty's {@code WebSocketFrameAggregator}) up to
 * {@code maxBodyBytes} in all; a longer one closes the connection with 1009 and the reason. A bad message gets an error
 * frame {@code {"type":"error","code","message"[,"id"]}} and the connection stays. A binary message closes it with
 * 1003 and the reason (the API is JSON text). Ping, pong and close are the protocol handler's. One instance per
 * connection, on its I/O thread; engine answers are written from the engine thread ({@code writeAndFlush} is
 * thread-safe).
 */
public final class SocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final AttributeKey<SocketSession> SESSION = AttributeKey.valueOf("meridian.session");

    private final Gateway gateway;
    private final SocketReplies replies;
    /**
     * The order or cancel being built (confined to this connection's I/O thread): the engine loop copies a command into
     * its ring, so the next message can reuse it instead of allocating one.
     */
    private final Command scratch = new Command();

    private final int maxMessageBytes;
    /** Whether this connection completed the WebSocket handshake (so a close frame can be sent on it). */
    private boolean upgraded;

    /** @param maxMessageBytes the longest message (all its fragments), as the frame aggregator is set up */
    public SocketHandler(Gateway gateway, SocketReplies replies, int maxMessageBytes) {
        this.gateway = gateway;
        this.replies = replies;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The session a WebSocket connection logged in to: requests on it are made in that session. */
    private record SocketSession(byte[] address, byte[] agentKey, long id) {
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame textFrame)) {
            // Binary (or, never expected after the aggregator, a stray continuation): not this API's messages.
            close(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "binary messages are not accepted: send JSON text");
            return;
        }
        String text = textFrame.text();
        Long id = null;
        try {
            gateway.limitConnection(ctx.channel());
            // The common shapes without Jackson's mapping; anything else (and every error) through Jackson.
            SocketRequest r = SocketRequestParser.parse(text);
            if (r == null) {
                r = Json.parse(text, SocketRequest.class);
            }
            id = r.id();
            handle(ctx, r);
        } catch (RequestException e) {
            error(ctx, Json.error(e.code(), e.getMessage()), e.retryAfterNanos(), id);
        } catch (RuntimeException e) {
            // A fault of the node: the client gets an error id, the log the detail; the connection stays.
            error(ctx, gateway.faults().internal("WebSocket message", e), 0, id);
        }
    }

    /** Sends {@code {"code","message","type":"error"[,"retryAfterMs"][,"id"]}}. */
    private static void error(ChannelHandlerContext ctx, Map<String, Object> body, long retryAfterNanos, Long id) {
        body.put("type", "error");
        if (retryAfterNanos > 0) {
            body.put("retryAfterMs", Math.max(1, TimeUnit.NANOSECONDS.toMillis(retryAfterNanos)));
        }
        if (id != null) {
            body.put("id", id);
        }
        ctx.writeAndFlush(new TextWebSocketFrame(Json.write(body)));
    }

    /**
     * A message longer than {@code maxMessageBytes} across its fragments (the aggregator's refusal): closed with 1009
     * and the limit. Other exceptions go on down the pipeline.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (upgraded && cause instanceof TooLongFrameException) {
            close(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too big: at most " + maxMessageBytes + " bytes");
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            upgraded = true;
        }
        super.userEventTriggered(ctx, event);
    }

    /** Sends a close frame with {@code status} and {@code reason}, then closes the connection. */
    private static void close(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        ctx.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        gateway.engine().unsubscribe(ctx.channel());
        super.channelInactive(ctx);
    }

    private void handle(ChannelHandlerContext ctx, SocketRequest r) throws RequestException {
        String op = r.op() == null ? "" : r.op();
        Long id = r.id();
        Responder responder = (status, body) -> {
            Map<String, Object> tagged = new LinkedHashMap<>();
            tagged.put("type", status == 200 ? "ack" : "reject");
            if (id != null) {
                tagged.put("id", id);
            }
            tagged.putAll(body);
            ctx.writeAndFlush(new TextWebSocketFrame(Json.write(tagged)));
        };
        switch (op) {
            case "subscribe" -> subscribe(ctx, r);
            case "unsubscribe" -> unsubscribe(ctx, r, id);
            case "login" -> login(ctx, r, responder);
            case "order" -> {
                boolean session = ctx.channel().attr(SESSION).get() != null;
                if ((r.account() == null && r.address() == null && !session) || r.instrument() == null) {
                    throw RequestException.badField("account (or a signed address) and instrument: required");
                }
                Orders.OrderRequest order = new Orders.OrderRequest(r.account(), r.instrument(), r.side(), r.type(),
                        r.price(), r.quantity(), r.timeInForce(), r.clientOrderId(), r.postOnly(), r.reduceOnly(),
                        r.address(), r.nonce(), r.signature(), r.agentKey());
                Command c = Orders.command(order, scratch, gateway.instruments(), gateway.signing());
                inSession(ctx, c);
                submit(ctx, c, gateway.instruments().get(r.instrument()), responder, id);
            }
            case "cancel" -> {
                InstrumentSpec spec = gateway.instruments().get(r.instrument());
                boolean session = ctx.channel().attr(SESSION).get() != null;
                if (spec == null || (r.account() == null && r.address() == null && !session) || r.orderId() == null) {
                    throw RequestException.badField("account (or a signed address), instrument and orderId: required");
                }
                Command cancel = scratch.cancel(r.account() == null ? 0 : r.account(), spec.id(), r.orderId());
                gateway.signing().attach(cancel, r.address(), r.nonce(), r.signature(), r.agentKey());
                inSession(ctx, cancel);
                submit(ctx, cancel, spec, responder, id);
            }
            default -> throw RequestException.badField("op: must be subscribe, unsubscribe, login, order or cancel");
        }
    }

    /** {@code subscribe}: an instrument's book (snapshot, then deltas and trades) or an account's private stream. */
    private void subscribe(ChannelHandlerContext ctx, SocketRequest r) throws RequestException {
        EngineLoop engine = gateway.engine();
        if ("account".equals(r.channel())) {
            if (r.account() == null || r.account() <= 0) {
                throw RequestException.badField("account: required");
            }
            if (gateway.readsNeedTokens()) {
                requireReadable(ctx, r);
            }
            engine.subscribeAccount(ctx.channel(), r.account());
            return;
        }
        // An absent channel is the book (what the first clients sent); any other name is refused, never read as a book.
        if (r.channel() != null && !"book".equals(r.channel())) {
            throw RequestException.badField("channel: must be book or account");
        }
        InstrumentSpec spec = gateway.instruments().get(r.instrument());
        if (spec == null) {
            throw RequestException.badField("instrument: unknown");
        }
        int depth = r.depth() == null ? 20 : r.depth();
        if (depth < 1 || depth > 1000) {
            throw RequestException.badField("depth: must be 1..1000");
        }
        engine.subscribe(ctx.channel(), spec.id(), depth);
    }

    /**
     * An account stream in auth mode signed is private: the connection must have logged in as the account's owner or
     * one of its agents, or the message carries a read token ({@code token}) that covers the account. A session is
     * checked when the stream starts; the stream then runs until unsubscribed or closed (a revoked agent's session
     * stops its orders at once, its stream at the next subscribe).
     *
     * @throws RequestException 401 without a session or token, 403 when neither covers the account
     */
    private void requireReadable(ChannelHandlerContext ctx, SocketRequest r) throws RequestException {
        SocketSession session = ctx.channel().attr(SESSION).get();
        long readable;
        if (r.token() != null || session == null) {
            readable = gateway.access().readableAccount(r.token(), ctx.channel());
        } else {
            readable = gateway.access().mirror().accountOf(io.meridian.auth.Address.of(session.address()));
        }
        if (readable != r.account()) {
            throw io.meridian.node.access.Access.forbidden();
        }
    }

    /**
     * {@code unsubscribe}: with {@code channel} book and an {@code instrument}, or account and an {@code account}, that
     * one stream stops; without a channel, every stream of the connection does. Answered with
     * {@code {"type":"unsubscribed", ...}} once the engine thread has removed it (no message of that stream follows).
     */
    private void unsubscribe(ChannelHandlerContext ctx, SocketRequest r, Long id) throws RequestException {
        EngineLoop engine = gateway.engine();
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("type", "unsubscribed");
        if (id != null) {
            ack.put("id", id);
        }
        CompletableFuture<Boolean> done;
        if (r.channel() == null) {
            done = engine.unsubscribe(ctx.channel());
        } else if (r.channel().equals("account") && r.account() != null) {
            ack.put("channel", "account");
            ack.put("account", r.account());
            done = engine.unsubscribeAccount(ctx.channel(), r.account());
        } else if (r.channel().equals("book") && gateway.instruments().contains(r.instrument())) {
            ack.put("channel", "book");
            ack.put("instrument", r.instrument());
            done = engine.unsubscribeInstrument(ctx.channel(), r.instrument());
        } else {
            throw RequestException.badField("unsubscribe: no channel for all streams, or channel book with a known"
                    + " instrument, or channel account with an account");
        }
        done.thenRun(() -> ctx.writeAndFlush(new TextWebSocketFrame(Json.write(ack))));
    }

    /** {@code login}: opens a signed session (journaled); later requests without their own signature are made in it. */
    private void login(ChannelHandlerContext ctx, SocketRequest r, Responder responder) throws RequestException {
        if (r.validUntil() == null) {
            throw RequestException.badField("validUntil, address, nonce and signature: required");
        }
        Command login = new Command().reset();
        login.type = CommandType.OPEN_SESSION;
        login.validUntil = r.validUntil();
        gateway.signing().attach(login, r.address(), r.nonce(), r.signature(), r.agentKey());
        if (login.address == null) {
            throw RequestException.badField("validUntil, address, nonce and signature: required");
        }
        gateway.command(login, null, ctx.channel(), (status, body) -> {
            if (status == 200) {
                ctx.channel().attr(SESSION).set(new SocketSession(login.address, login.agentKey,
                        (Long) body.get("sequence")));
                body.put("session", body.get("sequence"));
            }
            responder.send(status, body);
        });
    }

    /**
     * A request on a logged-in connection that names neither an account nor its own signature is made in the
     * connection's session: it takes the session's address, key and id, and the engine checks the session.
     */
    private static void inSession(ChannelHandlerContext ctx, Command c) {
        SocketSession session = ctx.channel().attr(SESSION).get();
        if (session != null && c.address == null && c.account == 0) {
            c.address = session.address();
            c.agentKey = session.agentKey();
            c.sessionId = session.id();
        }
    }

    /**
     * A WebSocket order or cancel: verified and rate-limited as REST's, but its answer goes through the connection's
     * outbox ({@link SocketReplies}).
     */
    private void submit(ChannelHandlerContext ctx, Command c, InstrumentSpec spec, Responder responder, Long id)
            throws RequestException {
        gateway.admit(c, ctx.channel());
        Decimals.Step lots = spec != null && c.type == CommandType.PLACE_ORDER
                ? gateway.instruments().lotStep(spec.id()) : null;
        if (!gateway.engine().submit(c, replies.replyTo(ctx.channel(), id, lots))) {
            responder.send(503, Json.error(Codes.OVERLOADED, "engine queue full, retry"));
        }
    }
}
