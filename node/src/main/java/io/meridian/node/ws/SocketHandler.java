package io.meridian.node.ws;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.node.EngineLoop;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.Decimals;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.InstrumentRef;
import io.meridian.node.codec.Json;
import io.meridian.node.codec.Orders;
import io.meridian.node.codec.RequestException;
import io.meridian.node.http.Gateway;
import io.meridian.node.http.Responder;
import io.meridian.node.marketdata.Channels;
import io.meridian.node.metrics.EdgeRefusals;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
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
            refused(WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code());
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
            refused(e.code());
            // A message refused before it was read (a rate limit) or while it was (a field of the wrong type) still
            // gets its id back, so a client can fail the request it sent rather than wait for it.
            error(ctx, Json.error(e.code(), e.getMessage()), e.retryAfterNanos(), id != null ? id
                    : Json.requestIdOf(text));
        } catch (RuntimeException e) {
            // A fault of the node: the client gets an error id, the log the detail; the connection stays.
            refused(Codes.INTERNAL);
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
            refused(WebSocketCloseStatus.MESSAGE_TOO_BIG.code());
            close(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too big: at most " + maxMessageBytes + " bytes");
            return;
        }
        if (upgraded && cause instanceof CorruptedWebSocketFrameException corrupt) {
            // Netty's frame decoder sent the close (1002, 1007, or 1009 for one frame over the limit).
            refused(corrupt.closeStatus().code());
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

    /** Counts a refusal of this connection's message for /metrics (an I/O thread's adder increment). */
    private void refused(int code) {
        gateway.refusals().refused(EdgeRefusals.Edge.WS, code);
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
            gateway.countRefusal(EdgeRefusals.Edge.WS, status, body);
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
            case "login" -> {
                SocketFields.only(r, "op login", SocketFields.LOGIN);
                login(ctx, r, responder);
            }
            case "order" -> {
                SocketFields.order(r);
                boolean session = ctx.channel().attr(SESSION).get() != null;
                if ((r.account() == null && r.address() == null && !session) || r.instrument() == null) {
                    throw RequestException.badField("account (or a signed address) and instrument: required");
                }
                // Exactly REST's order: the same fields into the same conversion (Orders.unsigned).
                Orders.OrderRequest order = new Orders.OrderRequest(r.account(), InstrumentRef.id(r.instrument()),
                        r.side(), r.type(), r.price(), r.quantity(), r.timeInForce(), r.clientOrderId(), r.postOnly(),
                        r.reduceOnly(), r.triggerPrice(), r.triggerSource(), r.displayQuantity(), r.expireTime(),
                        r.selfTradePrevention(), r.address(), r.nonce(), r.signature(), r.agentKey());
                Command c = Orders.command(order, scratch, gateway.instruments(), gateway.signing());
                inSession(ctx, c);
                submit(ctx, c, gateway.instruments().get(r.instrument()), responder, id);
            }
            case "cancel" -> cancel(ctx, r, responder, id);
            default -> throw RequestException.badField("op: must be subscribe, unsubscribe, login, order or cancel");
        }
    }

    /**
     * {@code subscribe}: an instrument's book (snapshot, then deltas within the depth, trades and the other public
     * events), its trades, ticker, funding or liquidations, or an account's private stream (by id or by address).
     * Without a channel: the book (what the first clients sent); any other name is refused, never read as a book.
     */
    private void subscribe(ChannelHandlerContext ctx, SocketRequest r) throws RequestException {
        EngineLoop engine = gateway.engine();
        String name = r.channel() == null ? "book" : r.channel();
        if (name.equals("account")) {
            SocketFields.only(r, "op subscribe, channel account", SocketFields.SUBSCRIBE_ACCOUNT);
            AccountName named = accountNamed(r);
            if (gateway.readsNeedTokens()) {
                requireReadable(ctx, r, named.account());
            } else if (named.account() == 0) {
                throw new RequestException(404, Codes.NOT_FOUND, "address: no account has that address");
            }
            engine.subscribeAccount(ctx.channel(), named.account(), named.address(), r.id());
            return;
        }
        int channel = channel(name);
        SocketFields.only(r, "op subscribe, channel " + name, channel == Channels.BOOK ? SocketFields.SUBSCRIBE_BOOK
                : SocketFields.SUBSCRIBE_CHANNEL);
        InstrumentSpec spec = gateway.instruments().get(r.instrument());
        if (spec == null) {
            throw RequestException.badField(r.instrument() == null ? "instrument: required" : "instrument: unknown");
        }
        if (channel != Channels.BOOK) {
            engine.subscribeChannel(ctx.channel(), channel, spec.id(), r.id());
            return;
        }
        int depth = r.depth() == null ? 20 : r.depth();
        if (depth < 1 || depth > 1000) {
            throw RequestException.badField("depth: must be 1..1000");
        }
        engine.subscribe(ctx.channel(), spec.id(), depth, r.id());
    }

    /** The public channel named {@code name}, or a refusal naming the channels there are. */
    private static int channel(String name) throws RequestException {
        int channel = Channels.of(name);
        if (channel < 0) {
            throw RequestException.badField("channel: must be book, trades, ticker, funding, liquidations or account");
        }
        return channel;
    }

    /** An account named by id or by address: the id (0 for an address without an account) and the address, if any. */
    private record AccountName(long account, String address) {
    }

    private AccountName accountNamed(SocketRequest r) throws RequestException {
        if ((r.account() == null) == (r.address() == null)) {
            throw RequestException.badField("account or address: one of them is required, not both");
        }
        if (r.account() != null) {
            if (r.account() <= 0) {
                throw RequestException.badField("account: must be a positive whole number");
            }
            return new AccountName(r.account(), null);
        }
        io.meridian.auth.Address address = io.meridian.auth.Address.of(Ids.address(r.address(), "address"));
        return new AccountName(gateway.access().mirror().accountOf(address), address.toString());
    }

    /**
     * An account stream in auth mode signed is private: the connection must have logged in as the account's owner or
     * one of its agents, or the message carries a read token ({@code token}) that covers the account. A session is
     * checked when the stream starts; the stream then runs until unsubscribed or closed (a revoked agent's session
     * stops its orders at once, its stream at the next subscribe).
     *
     * @throws RequestException 401 without a session or token, 403 when neither covers the account (also for an
     *                          address without an account, {@code account} 0: one answer for both)
     */
    private void requireReadable(ChannelHandlerContext ctx, SocketRequest r, long account) throws RequestException {
        SocketSession session = ctx.channel().attr(SESSION).get();
        long readable;
        if (r.token() != null || session == null) {
            readable = gateway.access().readableAccount(r.token(), ctx.channel());
        } else {
            readable = gateway.access().mirror().accountOf(io.meridian.auth.Address.of(session.address()));
        }
        if (account == 0 || readable != account) {
            throw io.meridian.node.access.Access.forbidden();
        }
    }

    /**
     * {@code unsubscribe}: with a {@code channel} and its {@code instrument} (or for the account channel its
     * {@code account} or {@code address}), that one stream stops; without a channel, every stream of the connection
     * does. Answered with {@code {"type":"unsubscribed", ...}} once the engine thread has removed it (no message of
     * that stream follows); at once for a stream the connection does not hold.
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
            SocketFields.only(r, "op unsubscribe without a channel", SocketFields.UNSUBSCRIBE_ALL);
            done = engine.unsubscribe(ctx.channel());
        } else if (r.channel().equals("account")) {
            SocketFields.only(r, "op unsubscribe, channel account", SocketFields.UNSUBSCRIBE_ACCOUNT);
            AccountName named = accountNamed(r);
            ack.put("channel", "account");
            ack.put("account", named.account());
            if (named.address() != null) {
                ack.put("address", named.address());
            }
            done = named.account() == 0 ? CompletableFuture.completedFuture(Boolean.TRUE)
                    : engine.unsubscribeAccount(ctx.channel(), named.account());
        } else {
            int channel = channel(r.channel());
            SocketFields.only(r, "op unsubscribe, channel " + r.channel(), SocketFields.UNSUBSCRIBE_CHANNEL);
            if (!gateway.instruments().contains(r.instrument())) {
                throw RequestException.badField("unsubscribe: channel " + r.channel() + " needs a known instrument");
            }
            ack.put("channel", r.channel());
            ack.put("instrument", r.instrument());
            done = channel == Channels.BOOK ? engine.unsubscribeInstrument(ctx.channel(), r.instrument())
                    : engine.unsubscribeChannel(ctx.channel(), channel, r.instrument());
        }
        done.thenRun(() -> ctx.writeAndFlush(new TextWebSocketFrame(Json.write(ack))));
    }

    /**
     * {@code cancel}: one order of the account, named by {@code orderId} or by its {@code clientOrderId} (one of them,
     * not both), in {@code instrument}. By account id (auth mode open), signed (the EIP-712 {@code Cancel} struct,
     * whose {@code orderId} is 0 for a cancel by client order id), or made in the connection's session.
     */
    private void cancel(ChannelHandlerContext ctx, SocketRequest r, Responder responder, Long id)
            throws RequestException {
        SocketFields.only(r, "op cancel", SocketFields.CANCEL);
        InstrumentSpec spec = gateway.instruments().get(r.instrument());
        boolean session = ctx.channel().attr(SESSION).get() != null;
        if (spec == null || (r.account() == null && r.address() == null && !session)
                || (r.orderId() == null && r.clientOrderId() == null)) {
            throw RequestException.badField("account (or a signed address), instrument and orderId or clientOrderId:"
                    + " required");
        }
        if (r.orderId() != null && r.clientOrderId() != null) {
            throw RequestException.badField("orderId or clientOrderId: one of them, not both");
        }
        if (r.orderId() != null ? r.orderId() <= 0 : !r.clientOrderId().isPresent()) {
            throw RequestException.badField(r.orderId() != null ? "orderId: must be a positive whole number"
                    : "clientOrderId: must not be 0 (a number of 1 to 2^62 - 1, or a text)");
        }
        Command cancel = scratch.cancel(r.account() == null ? 0 : r.account(), spec.id(),
                r.orderId() == null ? 0 : r.orderId());
        if (r.clientOrderId() != null) {
            r.clientOrderId().applyTo(cancel);
        }
        gateway.signing().attach(cancel, r.address(), r.nonce(), r.signature(), r.agentKey());
        inSession(ctx, cancel);
        submit(ctx, cancel, spec, responder, id);
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
     * outbox ({@link SocketReplies}); it echoes the client order id as given (a text as a string).
     */
    private void submit(ChannelHandlerContext ctx, Command c, InstrumentSpec spec, Responder responder, Long id)
            throws RequestException {
        gateway.admit(c, ctx.channel());
        Decimals.Step lots = spec != null && c.type == CommandType.PLACE_ORDER
                ? gateway.instruments().lotStep(spec.id()) : null;
        Object clientOrderId = ClientOrderId.echo(c.clientOrderId, c.clientOrderText);
        if (!gateway.engine().submit(c, replies.replyTo(ctx.channel(), id, lots, clientOrderId))) {
            responder.send(503, Json.error(Codes.OVERLOADED, "engine queue full, retry"));
        }
    }
}
