package io.meridian.node;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.util.RawValue;
import io.meridian.auth.AgentKey;
import io.meridian.auth.AuthReject;
import io.meridian.auth.FeedSignatures;
import io.meridian.auth.Hex;
import io.meridian.engine.Engine;
import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PostOnly;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The REST gateway (Netty). It decodes, validates and converts; the engine decides. Every error is JSON
 * {@code {"code": <int>, "message": "..."}}: the engine's reject reason code and message with HTTP 422 for a refused
 * command, gateway codes (below 1000) with 400, 404, 405, 413 or 503 for requests that never reach the engine.
 * docs/api.md lists the routes.
 *
 * <p>Threads: Netty's I/O threads parse and answer; engine work goes through {@link EngineLoop} and its replies are
 * written back from the engine thread ({@code writeAndFlush} is thread-safe).
 */
public final class HttpGateway implements AutoCloseable {
    static final int BAD_JSON = 400;
    static final int BAD_FIELD = 401;
    static final int NOT_FOUND = 404;
    static final int METHOD = 405;
    static final int OVERLOADED = 503;
    static final int NOT_READY = 504;

    static final String WEBSOCKET_PATH = "/ws";

    /**
     * Request bodies: unknown fields, nulls for primitives and duplicate keys are refused; every decimal goes through
     * {@link EdgeDecimals} (plain digits, no exponent, bounded length) before any arithmetic.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
            .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true)
            .registerModule(EdgeDecimals.module());

    private final EngineLoop engine;
    private final NodeConfig config;
    private final Map<Integer, InstrumentSpec> instruments = new LinkedHashMap<>();
    /** The option terms of the configured chains' series, by instrument id (fixed at start; read on I/O threads). */
    private final Map<Integer, io.meridian.model.OptionSpec> optionTerms = new LinkedHashMap<>();
    /** The configured perpetuals by id (how each is priced). */
    private final Map<Integer, NodeConfig.Instrument> perpetuals = new LinkedHashMap<>();
    /** Per index, the timestamp of the last signed surface accepted (I/O threads): replays are refused. */
    private final Map<Integer, Long> lastSurface = new ConcurrentHashMap<>();
    /** Lot sizes by instrument id, for answers' quantities. */
    private final Map<Integer, Decimals.Step> lotSteps = new java.util.HashMap<>();
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final Channel channel;
    private final RateLimits limits;
    private final RequestSigning signing;
    private static final io.netty.util.AttributeKey<RateLimits.Bucket> CONNECTION_BUCKET =
            io.netty.util.AttributeKey.valueOf("meridian.connectionBucket");
    static final int RATE_LIMITED = 429;
    /** The header that carries a feed's signature of a surface body (hex). */
    static final String SIGNATURE_HEADER = "X-Meridian-Signature";
    /** How far a signed surface's timestamp may be from the node's clock. */
    static final long SURFACE_MAX_SKEW_NANOS = 60_000_000_000L;

    /** A new order, as the API takes it. Price and quantity are decimals in the instrument's units. */
    record OrderRequest(Long account, int instrument, String side, String type, BigDecimal price, BigDecimal quantity,
                        String timeInForce, Long clientOrderId, Boolean postOnly, Boolean reduceOnly, String address,
                        Long nonce, String signature, String agentKey) {
    }

    /**
     * A WebSocket message: {@code op} is subscribe, unsubscribe, order or cancel; {@code id} (optional) comes back on
     * the answer. Subscribe takes {@code instrument} and {@code depth}; order takes the {@link OrderRequest} fields;
     * cancel takes {@code account}, {@code instrument}, {@code orderId}.
     */
    record SocketRequest(String op, Long id, String channel, Integer instrument, Integer depth, Long account,
                         String side, String type, BigDecimal price, BigDecimal quantity, String timeInForce,
                         Long clientOrderId, Boolean postOnly, Boolean reduceOnly, Long orderId, String address,
                         Long nonce, String signature, String agentKey, Long validUntil) {
    }

    /** The session a WebSocket connection logged in to: requests on it are made in that session. */
    private record SocketSession(byte[] address, byte[] agentKey, long id) {
    }

    private static final io.netty.util.AttributeKey<SocketSession> SESSION =
            io.netty.util.AttributeKey.valueOf("meridian.session");

    /** An amend: new price and/or quantity (omit one to keep it). */
    record AmendRequest(Long account, int instrument, BigDecimal price, BigDecimal quantity, String address, Long nonce,
                        String signature, String agentKey) {
    }

    /** Account settings for one instrument: {@code leverage} (whole number) or {@code marginMode} (cross, isolated). */
    record SettingsRequest(Long account, Integer instrument, Integer leverage, String marginMode, String address,
                           Long nonce, String signature, String agentKey) {
    }

    /** A mark price in dev mode (the operator's feed): {@code price} in the instrument's units. */
    record MarkRequest(int instrument, BigDecimal price) {
    }

    /** A deposit in dev mode: {@code amount} in whole units of the asset (a decimal). */
    record DepositRequest(Long account, int asset, BigDecimal amount, String address) {
    }

    /**
     * Volatility quotes: the edge's surface feed (see {@link SurfaceMarks}); {@code timestamp} (epoch nanoseconds) is
     * required on the signed route and ignored on the dev one.
     */
    record SurfaceRequest(int index, Long timestamp, List<SurfaceMarks.Quote> quotes) {
    }

    /**
     * A price report signed by the source's feed key ({@code POST /v1/oracle}): {@code price} and {@code confidence}
     * (optional) decimals in the index's units, {@code timestamp} the source's time in epoch nanoseconds, and the
     * feed's Ed25519 {@code signature} (hex) of the EIP-712 {@code PriceReport} (docs/auth.md, "Price feeds").
     */
    record PriceReportRequest(int index, int source, BigDecimal price, Long timestamp, BigDecimal confidence,
                              String signature) {
    }

    /** An oracle price report in dev mode: {@code price} (a decimal in the index's units) from one source. */
    record OracleRequest(int index, int source, BigDecimal price) {
    }

    /**
     * A withdrawal of {@code amount} (whole units of the asset, a decimal) to {@code destination}; signed by the owner
     * (agents may not withdraw), or by account id in auth mode open (then {@code destination} is optional).
     */
    record WithdrawalRequest(Long account, int asset, BigDecimal amount, String destination, String address,
                             Long nonce, String signature) {
    }

    /**
     * The owner's approval ({@code validUntil} and {@code name} given) or revocation of an agent key, signed by the
     * owner (EIP-712 ApproveAgent or RevokeAgent).
     */
    record AgentRequest(String address, String agentKey, String name, Long validUntil, Long nonce, String signature) {
    }

    public HttpGateway(NodeConfig config, EngineLoop engine) throws InterruptedException {
        this.config = config;
        this.engine = engine;
        this.signing = new RequestSigning(config.auth());
        this.limits = new RateLimits(config.ordersPerSecondPerAccount(), 2.0 * config.ordersPerSecondPerAccount(),
                config.requestsPerSecondPerConnection(), 2.0 * config.requestsPerSecondPerConnection());
        for (Command option : config.optionCommands()) {
            optionTerms.put(option.instrumentSpec.id(), option.optionSpec);
        }
        for (NodeConfig.Instrument perpetual : config.instruments()) {
            perpetuals.put(perpetual.id(), perpetual);
        }
        for (InstrumentSpec spec : config.allSpecs().values()) {
            instruments.put(spec.id(), spec);
            lotSteps.put(spec.id(), Decimals.Step.of(spec.lotSize()));
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                // Room for a burst of market data before a subscriber counts as too slow (see MarketData).
                .childOption(io.netty.channel.ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new io.netty.channel.WriteBufferWaterMark(1 << 20, 8 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Framing first: an ambiguous or malformed request is refused and its connection closed.
                        ch.pipeline().addLast(RequestHygiene.decoder(), new HttpResponseEncoder(), new RequestHygiene(),
                                new HttpObjectAggregator(config.maxBodyBytes()),
                                new WebSocketServerProtocolHandler(WEBSOCKET_PATH, null, false, config.maxBodyBytes()),
                                new SocketHandler(), new Handler());
                    }
                });
        this.channel = bootstrap.bind(config.httpHost(), config.httpPort()).sync().channel();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** A request that never reaches the engine. */
    static final class RequestException extends Exception {
        private static final long serialVersionUID = 1L;
        final HttpResponseStatus status;
        final int code;
        final long retryAfterNanos;

        RequestException(HttpResponseStatus status, int code, String message) {
            this(status, code, message, 0);
        }

        RequestException(HttpResponseStatus status, int code, String message, long retryAfterNanos) {
            super(message);
            this.status = status;
            this.code = code;
            this.retryAfterNanos = retryAfterNanos;
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String[] path = uri.path().split("/");
            try {
                limitConnection(ctx);
                if (request.method().equals(HttpMethod.GET) && uri.parameters().containsKey("address")
                        && !uri.parameters().containsKey("account")) {
                    byAddress(ctx, request, uri, path, keepAlive);
                    return;
                }
            } catch (RequestException e) {
                dispatch(ctx, request, uri, path, keepAlive, e);
                return;
            }
            dispatch(ctx, request, uri, path, keepAlive, null);
        }

        /**
         * A read route asked by address ({@code ?address=0x...} instead of {@code ?account=N}): the address's account
         * is looked up on the engine thread, then the route runs as if asked by that account id, on this connection's
         * I/O thread. 404 for an address that has no account yet. (Only GET routes: their request bodies are unused,
         * so the request may be read after Netty has released its content.)
         */
        private void byAddress(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, String[] path,
                               boolean keepAlive) throws RequestException {
            withAccountOf(ctx, first(uri, "address"), keepAlive, account -> {
                String resolved = uri.uri() + (uri.uri().contains("?") ? "&" : "?") + "account=" + account;
                dispatch(ctx, request, new QueryStringDecoder(resolved), path, keepAlive, null);
            });
        }

        /** Runs the route, or answers {@code refused}; every refusal becomes a JSON {@code {code, message}}. */
        private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, String[] path,
                              boolean keepAlive, RequestException refused) {
            try {
                if (refused != null) {
                    throw refused;
                }
                route(ctx, request, uri, path, keepAlive);
            } catch (RequestException e) {
                FullHttpResponse response = response(e.status, error(e.code, e.getMessage()));
                if (e.retryAfterNanos > 0) {
                    response.headers().set(HttpHeaderNames.RETRY_AFTER,
                            Math.max(1, TimeUnit.NANOSECONDS.toSeconds(e.retryAfterNanos + 999_999_999L)));
                }
                write(ctx, response, keepAlive);
            } catch (RuntimeException e) {
                send(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, error(500, "internal error: " + e), keepAlive);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** WebSocket frames: subscriptions and order entry. A bad message gets an error frame; the connection stays. */
    private final class SocketHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        /**
         * The order or cancel being built (one handler per connection, so confined to its I/O thread): the engine
         * loop copies a command into its ring, so the next message can reuse it instead of allocating one.
         */
        private final Command scratch = new Command();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            Long id = null;
            try {
                limitConnection(ctx);
                // The common shapes without Jackson's mapping; anything else (and every error) through Jackson.
                SocketRequest r = SocketRequestParser.parse(text);
                if (r == null) {
                    r = parse(text, SocketRequest.class);
                }
                id = r.id();
                socket(ctx, r, scratch);
            } catch (RequestException e) {
                Map<String, Object> body = error(e.code, e.getMessage());
                body.put("type", "error");
                if (e.retryAfterNanos > 0) {
                    body.put("retryAfterMs", Math.max(1, TimeUnit.NANOSECONDS.toMillis(e.retryAfterNanos)));
                }
                if (id != null) {
                    body.put("id", id);
                }
                ctx.writeAndFlush(new TextWebSocketFrame(json(body)));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            engine.unsubscribe(ctx.channel());
            super.channelInactive(ctx);
        }
    }

    private void socket(ChannelHandlerContext ctx, SocketRequest r, Command scratch) throws RequestException {
        String op = r.op() == null ? "" : r.op();
        Long id = r.id();
        Responder responder = (status, body) -> {
            Map<String, Object> tagged = new LinkedHashMap<>();
            tagged.put("type", status == HttpResponseStatus.OK ? "ack" : "reject");
            if (id != null) {
                tagged.put("id", id);
            }
            tagged.putAll(body);
            ctx.writeAndFlush(new TextWebSocketFrame(json(tagged)));
        };
        switch (op) {
            case "subscribe" -> {
                if ("account".equals(r.channel())) {
                    if (r.account() == null || r.account() <= 0) {
                        throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "account: required");
                    }
                    engine.subscribeAccount(ctx.channel(), r.account());
                    return;
                }
                InstrumentSpec spec = r.instrument() == null ? null : instruments.get(r.instrument());
                if (spec == null) {
                    throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "instrument: unknown");
                }
                int depth = r.depth() == null ? 20 : r.depth();
                if (depth < 1 || depth > 1000) {
                    throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "depth: must be 1..1000");
                }
                engine.subscribe(ctx.channel(), spec.id(), depth);
            }
            case "unsubscribe" -> unsubscribe(ctx, r, id);
            case "login" -> {
                if (r.validUntil() == null) {
                    throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                            "validUntil, address, nonce and signature: required");
                }
                Command login = new Command().reset();
                login.type = io.meridian.model.CommandType.OPEN_SESSION;
                login.validUntil = r.validUntil();
                signing.attach(login, r.address(), r.nonce(), r.signature(), r.agentKey());
                if (login.address == null) {
                    throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                            "validUntil, address, nonce and signature: required");
                }
                command(login, null, (status, body) -> {
                    if (status == HttpResponseStatus.OK) {
                        ctx.channel().attr(SESSION).set(new SocketSession(login.address, login.agentKey,
                                (Long) body.get("sequence")));
                        body.put("session", body.get("sequence"));
                    }
                    responder.send(status, body);
                });
            }
            case "order" -> {
                boolean session = ctx.channel().attr(SESSION).get() != null;
                if ((r.account() == null && r.address() == null && !session) || r.instrument() == null) {
                    throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                            "account (or a signed address) and instrument: required");
                }
                OrderRequest order = new OrderRequest(r.account(), r.instrument(), r.side(), r.type(), r.price(),
                        r.quantity(), r.timeInForce(), r.clientOrderId(), r.postOnly(), r.reduceOnly(), r.address(),
                        r.nonce(), r.signature(), r.agentKey());
                Command c = orderCommand(order, scratch);
                inSession(ctx, c);
                socketCommand(ctx, c, instruments.get(r.instrument()), responder, id);
            }
            case "cancel" -> {
                InstrumentSpec spec = r.instrument() == null ? null : instruments.get(r.instrument());
                boolean session = ctx.channel().attr(SESSION).get() != null;
                if (spec == null || (r.account() == null && r.address() == null && !session) || r.orderId() == null) {
                    throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                            "account (or a signed address), instrument and orderId: required");
                }
                Command cancel = scratch.cancel(r.account() == null ? 0 : r.account(), spec.id(), r.orderId());
                signing.attach(cancel, r.address(), r.nonce(), r.signature(), r.agentKey());
                inSession(ctx, cancel);
                socketCommand(ctx, cancel, spec, responder, id);
            }
            default -> throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "op: must be subscribe, unsubscribe, login, order or cancel");
        }
    }

    /**
     * {@code unsubscribe}: with {@code channel} book and an {@code instrument}, or account and an {@code account}, that
     * one stream stops; without a channel, every stream of the connection does. Answered with
     * {@code {"type":"unsubscribed", ...}} once the engine thread has removed it (no message of that stream follows).
     */
    private void unsubscribe(ChannelHandlerContext ctx, SocketRequest r, Long id) throws RequestException {
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
        } else if (r.channel().equals("book") && r.instrument() != null && instruments.containsKey(r.instrument())) {
            ack.put("channel", "book");
            ack.put("instrument", r.instrument());
            done = engine.unsubscribeInstrument(ctx.channel(), r.instrument());
        } else {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "unsubscribe: no channel for all streams, or channel book with a known instrument, or channel"
                            + " account with an account");
        }
        done.thenRun(() -> ctx.writeAndFlush(new TextWebSocketFrame(json(ack))));
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

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, String[] path,
                       boolean keepAlive) throws RequestException {
        HttpMethod method = request.method();
        String route = uri.path();
        if (route.equals("/health")) {
            requireMethod(method, HttpMethod.GET);
            CompletableFuture<Long> sequence = engine.query(Engine::lastSequence);
            reply(ctx, sequence.thenCombine(engine.snapshotStatus(), (s, snapshots) -> {
                Map<String, Object> health = new LinkedHashMap<>();
                health.put("status", "ok");
                health.put("sequence", s);
                health.put("snapshots", snapshots);
                return health;
            }), keepAlive);
        } else if (route.equals("/v1/auth")) {
            requireMethod(method, HttpMethod.GET);
            Map<String, Object> auth = new LinkedHashMap<>();
            auth.put("mode", config.auth().mode());
            auth.put("name", signing.domain().name());
            auth.put("version", signing.domain().version());
            auth.put("chainId", config.auth().chainId());
            auth.put("verifyingContract", signing.domain().verifyingContract().toChecksumHex());
            send(ctx, HttpResponseStatus.OK, auth, keepAlive);
        } else if (route.equals("/v1/assets")) {
            requireMethod(method, HttpMethod.GET);
            List<Map<String, Object>> list = new ArrayList<>();
            for (NodeConfig.Asset asset : config.assets()) {
                list.add(Map.of("id", asset.id(), "symbol", asset.symbol(), "scale", asset.scale()));
            }
            send(ctx, HttpResponseStatus.OK, list, keepAlive);
        } else if (route.equals("/v1/greeks")) {
            requireMethod(method, HttpMethod.GET);
            long account = parameter(uri, "account", -1, 1, Long.MAX_VALUE);
            Map<Integer, Integer> decimals = new LinkedHashMap<>();
            for (NodeConfig.Index index : config.markets().indexes()) {
                decimals.put(index.id(), index.priceDecimals());
            }
            Map<String, Integer> scales = new LinkedHashMap<>();
            for (NodeConfig.Asset asset : config.assets()) {
                scales.put(asset.symbol(), asset.scale());
            }
            reply(ctx, engine.query(e -> PortfolioGreeks.of(e, account, instruments, optionTerms, decimals, scales)),
                    keepAlive);
        } else if (route.equals("/v1/indexes")) {
            requireMethod(method, HttpMethod.GET);
            reply(ctx, perIndex((e, index, m) -> {
                m.put("priceDecimals", index.priceDecimals());
                m.put("sources", index.sources());
                List<String> keys = new ArrayList<>();
                for (int source = 0; source < index.sources().size(); source++) {
                    AgentKey key = index.sourceKey(source);
                    keys.add(key == null ? null : key.toHex());
                }
                m.put("sourceKeys", keys);
                AgentKey surface = index.surfaceFeedKey();
                m.put("surfaceKey", surface == null ? null : surface.toHex());
                long price = e.indexPrice(index.id());
                m.put("price", price == 0 ? null : BigDecimal.valueOf(price, index.priceDecimals()).toPlainString());
                m.put("stale", e.isIndexStale(index.id()));
            }), keepAlive);
        } else if (route.equals("/v1/option-margin")) {
            requireMethod(method, HttpMethod.GET);
            reply(ctx, perIndex((e, index, m) -> m.put("params", e.optionMarginSpec(index.id()))), keepAlive);
        } else if (route.equals("/v1/instruments")) {
            requireMethod(method, HttpMethod.GET);
            List<Map<String, Object>> list = new ArrayList<>();
            Map<Integer, io.meridian.model.OptionSpec> options = optionTerms;
            for (InstrumentSpec spec : instruments.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", spec.id());
                m.put("symbol", spec.symbol());
                m.put("kind", spec.kind().name().toLowerCase(Locale.ROOT));
                m.put("base", spec.baseAsset());
                m.put("settle", spec.settlementAsset());
                m.put("tickSize", spec.tickSize().toPlainString());
                m.put("lotSize", spec.lotSize().toPlainString());
                NodeConfig.Instrument perpetual = perpetuals.get(spec.id());
                if (perpetual != null && perpetual.index() != null) {
                    m.put("index", perpetual.index());
                }
                io.meridian.model.OptionSpec option = options.get(spec.id());
                if (option != null) {
                    m.put("index", option.indexId());
                    m.put("strike", option.strike().toPlainString());
                    m.put("right", option.right().name().toLowerCase(Locale.ROOT));
                    m.put("expiry", spec.expiryTimestamp());
                    m.put("contractMultiplier", spec.contractMultiplier().toPlainString());
                }
                list.add(m);
            }
            send(ctx, HttpResponseStatus.OK, list, keepAlive);
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("book")) {
            requireMethod(method, HttpMethod.GET);
            InstrumentSpec spec = instrument(path[3]);
            int depth = (int) parameter(uri, "depth", 20, 1, 1000);
            reply(ctx, engine.query(e -> e.book(spec.id()).snapshot(depth)).thenApplyAsync(s -> new RawValue(
                    io.meridian.node.marketdata.BookText.rest(s, spec)), ctx.executor()), keepAlive);
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("ticker")) {
            requireMethod(method, HttpMethod.GET);
            InstrumentSpec spec = instrument(path[3]);
            reply(ctx, engine.query(e -> ticker(e, spec)), keepAlive);
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("trades")) {
            requireMethod(method, HttpMethod.GET);
            trades(ctx, uri, instrument(path[3]), keepAlive);
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("funding")) {
            requireMethod(method, HttpMethod.GET);
            funding(ctx, uri, instrument(path[3]), keepAlive);
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("candles")) {
            requireMethod(method, HttpMethod.GET);
            candles(ctx, uri, instrument(path[3]), keepAlive);
        } else if (route.equals("/v1/positions")) {
            requireMethod(method, HttpMethod.GET);
            long account = parameter(uri, "account", -1, 1, Long.MAX_VALUE);
            List<InstrumentSpec> specs = onlyInstrument(uri);
            reply(ctx, engine.query(e -> positions(e, account, specs)), keepAlive);
        } else if (route.equals("/v1/balances")) {
            requireMethod(method, HttpMethod.GET);
            long account = parameter(uri, "account", -1, 1, Long.MAX_VALUE);
            reply(ctx, engine.query(e -> balances(e, account)), keepAlive);
        } else if (path.length == 5 && path[1].equals("v1") && path[2].equals("orders")
                && path[3].equals("by-client-id")) {
            requireMethod(method, HttpMethod.GET);
            orderByClientId(ctx, uri, path[4], keepAlive);
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("accounts")) {
            requireMethod(method, HttpMethod.GET);
            if (path[3].startsWith("0x") || path[3].startsWith("0X")) {
                withAccountOf(ctx, path[3], keepAlive,
                        opened -> reply(ctx, engine.query(e -> account(e, opened)), keepAlive));
                return;
            }
            long account = number(path[3], "account");
            reply(ctx, engine.query(e -> account(e, account)), keepAlive);
        } else if (route.equals("/v1/orders") && !method.equals(HttpMethod.DELETE) && !method.equals(HttpMethod.GET)) {
            requireMethod(method, HttpMethod.POST);
            OrderRequest order = body(request, OrderRequest.class);
            command(orderCommand(order, new Command()), instruments.get(order.instrument()), http(ctx, keepAlive));
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("orders")
                && method.equals(HttpMethod.GET)) {
            long orderId = number(path[3], "orderId");
            long account = parameter(uri, "account", -1, 1, Long.MAX_VALUE);
            InstrumentSpec spec = instrument(uri.parameters().getOrDefault("instrument", List.of("")).get(0));
            CompletableFuture<List<Map<String, Object>>> found = engine.query(e -> openOrders(e, account, List.of(spec))
                    .stream().filter(o -> ((Long) o.get("orderId")) == orderId).toList());
            found.whenComplete((orders, failure) -> {
                if (failure != null) {
                    send(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, error(NOT_READY, failure.getMessage()), keepAlive);
                } else if (orders.isEmpty()) {
                    send(ctx, HttpResponseStatus.NOT_FOUND, error(NOT_FOUND, "no open order " + orderId
                            + " of account " + account + " in instrument " + spec.id()), keepAlive);
                } else {
                    send(ctx, HttpResponseStatus.OK, orders.get(0), keepAlive);
                }
            });
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("orders")
                && method.equals(HttpMethod.PUT)) {
            long orderId = number(path[3], "orderId");
            AmendRequest amend = body(request, AmendRequest.class);
            InstrumentSpec spec = instruments.get(amend.instrument());
            if (spec == null) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "instrument: no instrument "
                        + amend.instrument());
            }
            if (amend.price() == null && amend.quantity() == null) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "price or quantity: required");
            }
            long price = amend.price() == null ? 0 : units(amend.price(), spec.tickSize(), "price");
            long lots = amend.quantity() == null ? 0 : units(amend.quantity(), spec.lotSize(), "quantity");
            Command c = new Command().amend(accountId(amend.account()), spec.id(), orderId, price, lots);
            signing.attach(c, amend.address(), amend.nonce(), amend.signature(), amend.agentKey());
            command(c, spec, http(ctx, keepAlive));
        } else if (route.equals("/v1/fills")) {
            requireMethod(method, HttpMethod.GET);
            long account = parameter(uri, "account", -1, 1, Long.MAX_VALUE);
            int limit = (int) parameter(uri, "limit", 50, 1, FillHistory.PER_ACCOUNT);
            List<String> only = uri.parameters().get("instrument");
            int instrument = only == null || only.isEmpty() ? 0 : instrument(only.get(0)).id();
            reply(ctx, engine.fills(account, instrument, limit).thenApply(list -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (FillHistory.Fill f : list) {
                    InstrumentSpec spec = instruments.get(f.instrument());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("sequence", f.sequence());
                    m.put("timestamp", f.timestamp());
                    m.put("instrument", f.instrument());
                    m.put("tradeId", f.tradeId());
                    m.put("orderId", f.orderId());
                    if (f.clientOrderId() != 0) {
                        m.put("clientOrderId", f.clientOrderId());
                    }
                    m.put("side", f.side() == Side.BUY ? "buy" : "sell");
                    m.put("price", price(f.price(), spec));
                    m.put("quantity", quantity(f.quantity(), spec));
                    if (f.via() == null) {
                        m.put("liquidity", String.valueOf(f.liquidity()).toLowerCase(Locale.ROOT));
                    } else {
                        m.put("via", f.via());
                    }
                    out.add(m);
                }
                return out;
            }), keepAlive);
        } else if (route.equals("/v1/orders") && method.equals(HttpMethod.GET)) {
            long account = parameter(uri, "account", -1, 1, Long.MAX_VALUE);
            List<String> only = uri.parameters().get("instrument");
            List<InstrumentSpec> specs = only == null || only.isEmpty() ? new ArrayList<>(instruments.values())
                    : List.of(instrument(only.get(0)));
            reply(ctx, engine.query(e -> openOrders(e, account, specs)), keepAlive);
        } else if (route.equals("/v1/orders") && method.equals(HttpMethod.DELETE)) {
            long account = parameter(uri, "account", -1, 1, Long.MAX_VALUE);
            List<String> only = uri.parameters().get("instrument");
            Command c = new Command().reset();
            c.type = io.meridian.model.CommandType.CANCEL_ALL;
            c.account = account;
            c.instrument = only == null || only.isEmpty() ? Command.ALL_INSTRUMENTS : instrument(only.get(0)).id();
            attachFromQuery(c, uri);
            command(c, null, http(ctx, keepAlive));
        } else if (route.equals("/v1/settings")) {
            requireMethod(method, HttpMethod.POST);
            SettingsRequest settings = body(request, SettingsRequest.class);
            // The account-wide modes (portfolio margin on or off) name no instrument: the engine's instrument -1.
            boolean accountWide = settings.marginMode() != null
                    && List.of("portfolio", "standard").contains(settings.marginMode().toLowerCase(Locale.ROOT));
            InstrumentSpec spec = accountWide || settings.instrument() == null ? null
                    : instruments.get(settings.instrument());
            if ((spec == null && !accountWide) || (settings.leverage() == null) == (settings.marginMode() == null)) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                        "a known instrument and exactly one of leverage or marginMode: required");
            }
            Command c = new Command().reset();
            c.account = accountId(settings.account());
            c.instrument = accountWide ? Command.ALL_INSTRUMENTS : spec.id();
            if (settings.leverage() != null) {
                c.type = io.meridian.model.CommandType.SET_LEVERAGE;
                c.leverage = settings.leverage();
            } else {
                c.type = io.meridian.model.CommandType.SET_MARGIN_MODE;
                c.marginMode = switch (settings.marginMode().toLowerCase(Locale.ROOT)) {
                    case "cross", "standard" -> io.meridian.model.MarginMode.CROSS;
                    case "isolated" -> io.meridian.model.MarginMode.ISOLATED;
                    case "portfolio" -> io.meridian.model.MarginMode.PORTFOLIO;
                    default -> throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                            "marginMode: must be cross, isolated, portfolio or standard");
                };
            }
            signing.attach(c, settings.address(), settings.nonce(), settings.signature(), settings.agentKey());
            command(c, null, http(ctx, keepAlive));
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("orders")) {
            requireMethod(method, HttpMethod.DELETE);
            long orderId = number(path[3], "orderId");
            long account = signedQuery(uri) ? 0 : parameter(uri, "account", -1, 1, Long.MAX_VALUE);
            InstrumentSpec spec = instrument(uri.parameters().getOrDefault("instrument", List.of("")).get(0));
            Command cancel = new Command().cancel(account, spec.id(), orderId);
            attachFromQuery(cancel, uri);
            command(cancel, spec, http(ctx, keepAlive));
        } else if (route.equals("/v1/dev/mark") && config.devMode()) {
            requireMethod(method, HttpMethod.POST);
            MarkRequest mark = body(request, MarkRequest.class);
            InstrumentSpec spec = instruments.get(mark.instrument());
            if (spec == null) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "instrument: no instrument "
                        + mark.instrument());
            }
            Command c = new Command().reset();
            c.type = io.meridian.model.CommandType.SET_MARK_PRICE;
            c.instrument = spec.id();
            c.price = units(mark.price(), spec.tickSize(), "price");
            command(c, null, http(ctx, keepAlive));
        } else if (route.equals("/v1/dev/surface") && config.devMode()) {
            requireMethod(method, HttpMethod.POST);
            SurfaceRequest surface = body(request, SurfaceRequest.class);
            markFromSurface(ctx, configuredIndex(surface.index(), surface.quotes()), surface, keepAlive);
        } else if (route.equals("/v1/surface")) {
            requireMethod(method, HttpMethod.POST);
            byte[] raw = ByteBufUtil.getBytes(request.content());
            SurfaceRequest surface = body(request, SurfaceRequest.class);
            NodeConfig.Index index = configuredIndex(surface.index(), surface.quotes());
            verifySurface(index, surface, raw, request.headers().get(SIGNATURE_HEADER));
            markFromSurface(ctx, index, surface, keepAlive);
        } else if (route.equals("/v1/oracle")) {
            requireMethod(method, HttpMethod.POST);
            command(signedReport(body(request, PriceReportRequest.class)), null, http(ctx, keepAlive));
        } else if (route.equals("/v1/dev/oracle") && config.devMode()) {
            requireMethod(method, HttpMethod.POST);
            OracleRequest report = body(request, OracleRequest.class);
            NodeConfig.Index index = indexWithSource(report.index(), report.source());
            long units = units(report.price(), BigDecimal.ONE.movePointLeft(index.priceDecimals()), "price");
            // The source's own time is the node's clock here: a dev feed reports as it sends.
            command(new Command().oracleReport(index.id(), report.source(), units, engine.now()), null,
                    http(ctx, keepAlive));
        } else if (route.equals("/v1/dev/deposit") && config.devMode()) {
            requireMethod(method, HttpMethod.POST);
            DepositRequest deposit = body(request, DepositRequest.class);
            NodeConfig.Asset asset = config.assets().stream().filter(a -> a.id() == deposit.asset()).findFirst()
                    .orElse(null);
            if (asset == null) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "asset: no asset "
                        + deposit.asset());
            }
            long minor = units(deposit.amount(), BigDecimal.ONE.movePointLeft(asset.scale()), "amount");
            Command c = new Command().deposit(accountId(deposit.account()), asset.id(), minor);
            if (deposit.address() != null) {
                // As a bridge credits an address: the engine opens the address's account on its first deposit.
                c.address = RequestSigning.address(deposit.address(), "address");
            }
            command(c, null, http(ctx, keepAlive));
        } else if (route.equals("/v1/withdrawals")) {
            requireMethod(method, HttpMethod.POST);
            WithdrawalRequest w = body(request, WithdrawalRequest.class);
            NodeConfig.Asset asset = config.assets().stream().filter(a -> a.id() == w.asset()).findFirst()
                    .orElse(null);
            if (asset == null || w.amount() == null) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "asset and amount: a known asset "
                        + "and an amount are required");
            }
            Command c = new Command().withdraw(accountId(w.account()), asset.id(),
                    units(w.amount(), BigDecimal.ONE.movePointLeft(asset.scale()), "amount"));
            if (w.destination() != null || w.address() != null) {
                c.destination = RequestSigning.address(w.destination(), "destination");
            }
            signing.attach(c, w.address(), w.nonce(), w.signature(), null);
            command(c, null, http(ctx, keepAlive));
        } else if (route.equals("/v1/agents") || route.equals("/v1/agents/revoke")) {
            requireMethod(method, HttpMethod.POST);
            AgentRequest a = body(request, AgentRequest.class);
            boolean approve = route.equals("/v1/agents");
            if (a.agentKey() == null || (approve && (a.name() == null || a.validUntil() == null))) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, approve
                        ? "agentKey, name and validUntil: required" : "agentKey: required");
            }
            Command c = new Command().reset();
            c.type = approve ? io.meridian.model.CommandType.APPROVE_AGENT : io.meridian.model.CommandType.REVOKE_AGENT;
            c.agentName = approve ? a.name() : null;
            c.validUntil = approve ? a.validUntil() : 0;
            signing.attach(c, a.address(), a.nonce(), a.signature(), null);
            c.agentKey = RequestSigning.agentKey(a.agentKey());
            command(c, null, http(ctx, keepAlive));
        } else {
            throw new RequestException(HttpResponseStatus.NOT_FOUND, NOT_FOUND, "no route " + method + " " + route);
        }
    }

    /** Time-in-force names as clients usually write them (all lower or all upper case), without case conversion. */
    private static final Map<String, TimeInForce> TIME_IN_FORCE = new java.util.HashMap<>();

    static {
        for (TimeInForce tif : TimeInForce.values()) {
            TIME_IN_FORCE.put(tif.name(), tif);
            TIME_IN_FORCE.put(tif.name().toLowerCase(Locale.ROOT), tif);
        }
    }

    /** The engine command for an order request, filled into {@code into}, or a 400 naming the field. */
    private Command orderCommand(OrderRequest o, Command into) throws RequestException {
        InstrumentSpec spec = instruments.get(o.instrument());
        if (spec == null) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "instrument: no instrument "
                    + o.instrument());
        }
        Side side = switch (String.valueOf(o.side()).toLowerCase(Locale.ROOT)) {
            case "buy" -> Side.BUY;
            case "sell" -> Side.SELL;
            default -> throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "side: must be buy or sell, was " + o.side());
        };
        if (o.quantity() == null) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "quantity: required");
        }
        long lots = units(o.quantity(), spec.lotSize(), "quantity");
        String type = o.type() == null ? "limit" : o.type().toLowerCase(Locale.ROOT);
        Command c;
        if (type.equals("market")) {
            if (o.price() != null) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                        "price: not allowed on a market order");
            }
            c = into.market(accountId(o.account()), spec.id(), 0, side, lots);
        } else if (type.equals("limit")) {
            if (o.price() == null) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                        "price: required on a limit order");
            }
            TimeInForce tif = timeInForce(o.timeInForce());
            c = into.limit(accountId(o.account()), spec.id(), 0, side, units(o.price(), spec.tickSize(), "price"), lots,
                    tif);
        } else {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "type: must be limit or market, was " + o.type());
        }
        if (o.clientOrderId() != null) {
            c.clientOrderId = o.clientOrderId();
        }
        if (Boolean.TRUE.equals(o.postOnly())) {
            c.postOnly = PostOnly.REJECT;
        }
        c.reduceOnly = Boolean.TRUE.equals(o.reduceOnly());
        signing.attach(c, o.address(), o.nonce(), o.signature(), o.agentKey());
        return c;
    }

    private static TimeInForce timeInForce(String text) throws RequestException {
        if (text == null) {
            return TimeInForce.GTC;
        }
        TimeInForce known = TIME_IN_FORCE.get(text);
        if (known != null) {
            return known;
        }
        try {
            return TimeInForce.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "timeInForce: unknown " + EdgeDecimals.echo(text));
        }
    }

    /** Where an answer goes: an HTTP response, or a WebSocket frame tagged with the request's id. */
    interface Responder {
        void send(HttpResponseStatus status, Map<String, Object> body);
    }

    private static Responder http(ChannelHandlerContext ctx, boolean keepAlive) {
        return (status, body) -> send(ctx, status, body, keepAlive);
    }

    private void limitConnection(ChannelHandlerContext ctx) throws RequestException {
        RateLimits.Bucket bucket = ctx.channel().attr(CONNECTION_BUCKET).get();
        if (bucket == null) {
            bucket = limits.newConnectionBucket();
            ctx.channel().attr(CONNECTION_BUCKET).set(bucket);
        }
        long wait = bucket.take(System.nanoTime());
        if (wait > 0) {
            throw new RequestException(HttpResponseStatus.TOO_MANY_REQUESTS, RATE_LIMITED,
                    "too many requests on this connection", wait);
        }
    }

    private void limitAccount(long account) throws RequestException {
        long wait = limits.takeAccount(account, System.nanoTime());
        if (wait > 0) {
            throw new RequestException(HttpResponseStatus.TOO_MANY_REQUESTS, RATE_LIMITED,
                    "too many orders for account " + account, wait);
        }
    }

    /** An account id from a request body: absent (a signed request names its address instead) is 0. */
    private static long accountId(Long account) {
        return account == null ? 0 : account;
    }

    /**
     * Looks up the account of an address on the engine thread, then runs {@code then} with it on the connection's I/O
     * thread; answers 404 for an address without an account (it opens with the first deposit), 503 if the engine
     * failed, and 400 (thrown) for text that is not an address.
     */
    private void withAccountOf(ChannelHandlerContext ctx, String text, boolean keepAlive,
                               java.util.function.LongConsumer then) throws RequestException {
        byte[] address = RequestSigning.address(text, "address");
        engine.query(e -> e.accountOfAddress(address)).whenComplete((account, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                send(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, error(NOT_READY, failure.getMessage()), keepAlive);
            } else if (account == 0) {
                send(ctx, HttpResponseStatus.NOT_FOUND, error(NOT_FOUND, "no account for address " + text
                        + " (it opens with the first deposit)"), keepAlive);
            } else {
                then.accept(account);
            }
        }));
    }

    /** Whether a DELETE names a signed address in its query rather than an account id. */
    private static boolean signedQuery(QueryStringDecoder uri) {
        return uri.parameters().containsKey("address");
    }

    /** The signature fields of a DELETE, from its query: address, nonce, signature and agentKey. */
    private void attachFromQuery(Command c, QueryStringDecoder uri) throws RequestException {
        if (!signedQuery(uri)) {
            return;
        }
        String nonce = first(uri, "nonce");
        Long parsedNonce;
        try {
            parsedNonce = nonce == null ? null : Long.parseLong(nonce);
        } catch (NumberFormatException e) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "nonce: not a number");
        }
        c.account = 0;
        signing.attach(c, first(uri, "address"), parsedNonce, first(uri, "signature"), first(uri, "agentKey"));
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Sends a command and answers with its result once it is durable and applied. */
    private void command(Command c, InstrumentSpec spec, Responder responder) throws RequestException {
        signing.verify(c);
        if (c.type == io.meridian.model.CommandType.PLACE_ORDER || c.type == io.meridian.model.CommandType.CANCEL_ORDER) {
            limitAccount(RequestSigning.rateKey(c));
        }
        boolean queued = engine.submit(c, result -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sequence", result.sequence());
            if (result.orderId() != 0) {
                body.put("orderId", result.orderId());
            }
            if (result.reject() != null) {
                body.put("code", result.reject().code());
                body.put("message", result.reject().message());
                body.put("reason", result.reject().name());
                responder.send(HttpResponseStatus.UNPROCESSABLE_ENTITY, body);
                return;
            }
            body.put("status", "accepted");
            if (spec != null && c.type == io.meridian.model.CommandType.PLACE_ORDER) {
                body.put("filledQuantity", quantity(result.filledQuantity(), spec));
                body.put("restingQuantity", quantity(result.restingQuantity(), spec));
            }
            responder.send(HttpResponseStatus.OK, body);
        });
        if (!queued) {
            responder.send(HttpResponseStatus.SERVICE_UNAVAILABLE, error(OVERLOADED, "engine queue full, retry"));
        }
    }

    /**
     * A WebSocket order or cancel: as {@link #command}, but the answer goes through the connection's
     * {@link SocketOutbox} (recorded on the engine thread, encoded and flushed once per batch on the I/O thread).
     */
    private void socketCommand(ChannelHandlerContext ctx, Command c, InstrumentSpec spec, Responder responder, Long id)
            throws RequestException {
        signing.verify(c);
        if (c.type == io.meridian.model.CommandType.PLACE_ORDER || c.type == io.meridian.model.CommandType.CANCEL_ORDER) {
            limitAccount(RequestSigning.rateKey(c));
        }
        SocketOutbox outbox = SocketOutbox.of(ctx.channel());
        Decimals.Step lots = spec != null && c.type == io.meridian.model.CommandType.PLACE_ORDER
                ? lotSteps.get(spec.id()) : null;
        if (!engine.submit(c, result -> outbox.add(engine, id, result, lots))) {
            responder.send(HttpResponseStatus.SERVICE_UNAVAILABLE, error(OVERLOADED, "engine queue full, retry"));
        }
    }

    private void reply(ChannelHandlerContext ctx, CompletableFuture<?> answer, boolean keepAlive) {
        // Encoded on the connection's I/O thread: the engine thread only reads (fairness, docs/api.md "Slow consumers").
        answer.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                send(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, error(NOT_READY, failure.getMessage()), keepAlive);
            } else {
                send(ctx, HttpResponseStatus.OK, value, keepAlive);
            }
        }, ctx.executor());
    }

    private static List<Map<String, Object>> openOrders(Engine e, long account, List<InstrumentSpec> specs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (InstrumentSpec spec : specs) {
            for (io.meridian.matching.Order o : e.book(spec.id()).openOrdersOf(account)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("orderId", o.orderId());
                if (o.clientOrderId() != 0) {
                    m.put("clientOrderId", o.clientOrderId());
                }
                m.put("instrument", spec.id());
                m.put("side", o.side() == Side.BUY ? "buy" : "sell");
                m.put("type", String.valueOf(o.type()).toLowerCase(Locale.ROOT));
                m.put("timeInForce", String.valueOf(o.timeInForce()).toLowerCase(Locale.ROOT));
                m.put("price", price(o.price(), spec));
                m.put("quantity", quantity(o.quantity(), spec));
                m.put("filled", quantity(o.filled(), spec));
                m.put("remaining", quantity(o.remaining(), spec));
                list.add(m);
            }
        }
        return list;
    }

    private static Map<String, Object> ticker(Engine e, InstrumentSpec spec) {
        var book = e.book(spec.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instrument", spec.id());
        body.put("sequence", e.lastSequence());
        body.put("mark", price(book.markPrice(), spec));
        body.put("last", book.lastTradePrice() == 0 ? null : price(book.lastTradePrice(), spec));
        long bid = book.bestBid();
        long ask = book.bestAsk();
        body.put("bestBid", bid <= 0 || bid == Long.MIN_VALUE ? null : price(bid, spec));
        body.put("bestAsk", ask <= 0 || ask == Long.MAX_VALUE ? null : price(ask, spec));
        body.put("openInterest", quantity(e.positions(spec.id()).openInterest(), spec));
        // Index and funding exist only for an instrument priced from an index (a PricingSpec); null otherwise.
        var pricing = e.pricing(spec.id());
        long index = pricing == null ? 0 : e.indexPrice(pricing.indexId());
        boolean funding = pricing != null && pricing.hasFunding();
        body.put("index", index <= 0 ? null : MarketData.decimal(index, spec.tickSize()
                .divide(BigDecimal.valueOf(pricing.unitsPerTick()), java.math.MathContext.DECIMAL128)));
        body.put("fundingRate", funding ? MarketData.decimal(pricing.predictedRate(), RATE_UNIT) : null);
        body.put("lastFundingRate", funding ? MarketData.decimal(pricing.lastRate(), RATE_UNIT) : null);
        body.put("nextFundingTime", funding ? pricing.nextFundingTime() : null);
        return body;
    }

    private Map<String, Object> account(Engine e, long account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account", account);
        String address = e.addressOfAccount(account);
        if (address != null) {
            body.put("address", address);
        }
        List<Map<String, Object>> margins = new ArrayList<>();
        for (NodeConfig.Asset asset : config.assets()) {
            var state = e.marginState(account, asset.id());
            BigDecimal unit = BigDecimal.ONE.movePointLeft(asset.scale());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("asset", asset.symbol());
            m.put("balance", unit.multiply(BigDecimal.valueOf(state.balance)).toPlainString());
            m.put("equity", unit.multiply(BigDecimal.valueOf(state.equity)).toPlainString());
            m.put("initialMargin", unit.multiply(BigDecimal.valueOf(state.initialMargin)).toPlainString());
            m.put("maintenanceMargin", unit.multiply(BigDecimal.valueOf(state.maintenanceMargin)).toPlainString());
            m.put("health", state.health);
            margins.add(m);
        }
        body.put("margin", margins);
        List<Map<String, Object>> positions = new ArrayList<>();
        for (InstrumentSpec spec : instruments.values()) {
            long size = e.positions(spec.id()).size(account);
            if (size != 0) {
                positions.add(Map.of("instrument", spec.id(), "size", quantity(size, spec)));
            }
        }
        body.put("positions", positions);
        return body;
    }

    // ---- Public history and read-only private routes. The histories are engine-thread state (see EngineLoop); their
    // query copies them there, and turning the copies into JSON happens on the connection's I/O thread, so the engine
    // thread only copies. Reads of engine state (positions, balances, open orders) run on the engine thread. ----

    /** Funding rates are integers in 1e-9 per interval; the API shows them as decimal fractions ("0.0001"). */
    private static final BigDecimal RATE_UNIT = BigDecimal.ONE.movePointLeft(9);

    /** {@code GET /v1/trades/{instrument}?limit=N}: the newest public trades first. */
    private void trades(ChannelHandlerContext ctx, QueryStringDecoder uri, InstrumentSpec spec, boolean keepAlive)
            throws RequestException {
        int limit = (int) parameter(uri, "limit", 100, 1, TradeHistory.PER_INSTRUMENT);
        reply(ctx, engine.trades(spec.id(), limit).thenApplyAsync(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (TradeHistory.Trade t : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sequence", t.sequence());
                m.put("timestamp", t.timestamp());
                m.put("instrument", spec.id());
                m.put("tradeId", t.tradeId());
                m.put("side", t.takerSide() == Side.BUY ? "buy" : "sell");
                m.put("price", price(t.price(), spec));
                m.put("quantity", quantity(t.quantity(), spec));
                out.add(m);
            }
            return out;
        }, ctx.executor()), keepAlive);
    }

    /** {@code GET /v1/funding/{instrument}?limit=N}: the newest applied funding rates first. */
    private void funding(ChannelHandlerContext ctx, QueryStringDecoder uri, InstrumentSpec spec, boolean keepAlive)
            throws RequestException {
        int limit = (int) parameter(uri, "limit", 100, 1, FundingHistory.PER_INSTRUMENT);
        reply(ctx, engine.funding(spec.id(), limit).thenApplyAsync(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (FundingHistory.Funding f : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sequence", f.sequence());
                m.put("timestamp", f.timestamp());
                m.put("instrument", spec.id());
                m.put("rate", MarketData.decimal(f.rate(), RATE_UNIT));
                m.put("averagePremium", MarketData.decimal(f.averagePremium(), RATE_UNIT));
                m.put("interestRate", MarketData.decimal(f.interestRate(), RATE_UNIT));
                m.put("samples", f.samples());
                m.put("mark", f.markPrice() <= 0 ? null : price(f.markPrice(), spec));
                out.add(m);
            }
            return out;
        }, ctx.executor()), keepAlive);
    }

    /** {@code GET /v1/candles/{instrument}?interval=I[&limit=N][&from=T][&to=T]}: candles oldest first. */
    private void candles(ChannelHandlerContext ctx, QueryStringDecoder uri, InstrumentSpec spec, boolean keepAlive)
            throws RequestException {
        List<String> given = uri.parameters().get("interval");
        if (given == null || given.isEmpty()) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "interval: required, one of "
                    + CandleHistory.Interval.names());
        }
        CandleHistory.Interval interval = CandleHistory.Interval.parse(given.get(0));
        if (interval == null) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "interval: must be one of "
                    + CandleHistory.Interval.names() + ", was " + EdgeDecimals.echo(given.get(0)));
        }
        int limit = (int) parameter(uri, "limit", 500, 1, CandleHistory.PER_INTERVAL);
        long from = parameter(uri, "from", 0, 0, Long.MAX_VALUE);
        long to = parameter(uri, "to", Long.MAX_VALUE, 0, Long.MAX_VALUE);
        if (to < from) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "to: must not be before from");
        }
        reply(ctx, engine.candles(spec.id(), interval, from, to, limit).thenApplyAsync(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (CandleHistory.Candle c : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("openTime", c.openTime());
                m.put("open", price(c.open(), spec));
                m.put("high", price(c.high(), spec));
                m.put("low", price(c.low(), spec));
                m.put("close", price(c.close(), spec));
                m.put("volume", quantity(c.volume(), spec));
                m.put("trades", c.trades());
                out.add(m);
            }
            return out;
        }, ctx.executor()), keepAlive);
    }

    /** The instrument named by the optional {@code instrument} parameter, or every instrument. */
    private List<InstrumentSpec> onlyInstrument(QueryStringDecoder uri) throws RequestException {
        List<String> only = uri.parameters().get("instrument");
        return only == null || only.isEmpty() ? new ArrayList<>(instruments.values()) : List.of(instrument(only.get(0)));
    }

    /** The configured asset an instrument settles in (config validation guarantees there is one). */
    private NodeConfig.Asset settlement(InstrumentSpec spec) {
        for (NodeConfig.Asset asset : config.assets()) {
            if (asset.symbol().equals(spec.settlementAsset())) {
                return asset;
            }
        }
        throw new IllegalStateException("no asset " + spec.settlementAsset() + " for instrument " + spec.id());
    }

    /** Minor units of an asset as a decimal with all its decimals, as {@code /v1/accounts} shows amounts. */
    private static String amount(long minor, NodeConfig.Asset asset) {
        return BigDecimal.valueOf(minor, asset.scale()).toPlainString();
    }

    /**
     * The account's open positions (engine thread): size, average entry price (the cost basis over the size, rounded
     * half-even to 8 decimals below the tick), mark, unrealised PnL at the mark (the price the engine's margin uses:
     * mark, else last trade), realised PnL since the position was last flat (before fees), liquidation price (null
     * when no price liquidates it), margin mode and leverage.
     */
    private List<Map<String, Object>> positions(Engine e, long account, List<InstrumentSpec> specs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (InstrumentSpec spec : specs) {
            var book = e.positions(spec.id());
            var position = book.position(account);
            if (position == null || position.isFlat()) {
                continue;
            }
            NodeConfig.Asset asset = settlement(spec);
            long unit = book.minorUnitsPerTickLot();
            var orders = e.book(spec.id());
            long mark = orders.markPrice() != 0 ? orders.markPrice() : orders.lastTradePrice();
            BigDecimal entry = BigDecimal.valueOf(position.openValue()).abs().multiply(spec.tickSize()).divide(
                    BigDecimal.valueOf(position.size()).abs().multiply(BigDecimal.valueOf(unit)),
                    spec.tickSize().scale() + 8, java.math.RoundingMode.HALF_EVEN);
            io.meridian.model.MarginMode mode = e.marginMode(account, spec.id());
            long liquidation = e.liquidationPrice(account, spec.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instrument", spec.id());
            m.put("side", position.size() > 0 ? "long" : "short");
            m.put("size", quantity(position.size(), spec));
            m.put("entryPrice", entry.stripTrailingZeros().toPlainString());
            m.put("mark", mark == 0 ? null : price(mark, spec));
            m.put("unrealizedPnl", amount(position.unrealizedPnl(mark, unit), asset));
            m.put("realizedPnl", amount(position.realizedPnl(), asset));
            m.put("settle", asset.symbol());
            m.put("liquidationPrice", liquidation <= 0 ? null : price(liquidation, spec));
            m.put("marginMode", String.valueOf(mode).toLowerCase(Locale.ROOT));
            m.put("leverage", e.leverage(account, spec.id()));
            if (mode == io.meridian.model.MarginMode.ISOLATED) {
                m.put("isolatedMargin", amount(e.isolatedState(account, spec.id()).balance, asset));
            }
            list.add(m);
        }
        return list;
    }

    /**
     * The account's balances per configured asset (engine thread), as the margin engine sees them: the cross balance
     * (ledger balance less what isolated positions hold), what isolated positions hold, unrealised PnL, equity,
     * initial and maintenance margin, health, and what a withdrawal may take now (min(balance, equity - initial
     * margin), the engine's own limit).
     */
    private List<Map<String, Object>> balances(Engine e, long account) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (NodeConfig.Asset asset : config.assets()) {
            var state = e.marginState(account, asset.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("asset", asset.symbol());
            m.put("balance", amount(state.balance, asset));
            m.put("isolatedMargin", amount(e.ledger().balance(account, asset.id()) - state.balance, asset));
            m.put("unrealizedPnl", amount(state.unrealizedPnl, asset));
            m.put("equity", amount(state.equity, asset));
            m.put("initialMargin", amount(state.initialMargin, asset));
            m.put("maintenanceMargin", amount(state.maintenanceMargin, asset));
            m.put("availableToWithdraw", amount(state.withdrawable(), asset));
            m.put("health", state.health);
            list.add(m);
        }
        return list;
    }

    /** {@code GET /v1/orders/by-client-id/{clientOrderId}?account=A[&instrument=I]}: one open order, or 404. */
    private void orderByClientId(ChannelHandlerContext ctx, QueryStringDecoder uri, String text, boolean keepAlive)
            throws RequestException {
        long clientOrderId = number(text, "clientOrderId");
        if (clientOrderId == 0) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "clientOrderId: must not be 0");
        }
        long account = parameter(uri, "account", -1, 1, Long.MAX_VALUE);
        List<InstrumentSpec> specs = onlyInstrument(uri);
        CompletableFuture<List<Map<String, Object>>> found = engine.query(e -> openOrders(e, account, specs).stream()
                .filter(o -> o.get("clientOrderId") instanceof Long id && id == clientOrderId).toList());
        found.whenComplete((orders, failure) -> {
            if (failure != null) {
                send(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, error(NOT_READY, failure.getMessage()), keepAlive);
            } else if (orders.isEmpty()) {
                send(ctx, HttpResponseStatus.NOT_FOUND, error(NOT_FOUND, "no open order with client order id "
                        + clientOrderId + " of account " + account), keepAlive);
            } else {
                send(ctx, HttpResponseStatus.OK, orders.get(0), keepAlive);
            }
        });
    }

    private static String price(long ticks, InstrumentSpec spec) {
        return MarketData.decimal(ticks, spec.tickSize());
    }

    private static String quantity(long lots, InstrumentSpec spec) {
        return MarketData.decimal(lots, spec.lotSize());
    }

    /** A decimal as a whole number of {@code unit}s; more decimals than the unit allows is an error. */
    static long units(BigDecimal value, BigDecimal unit, String field) throws RequestException {
        if (value == null) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, field + ": required");
        }
        long exact = exactUnits(value, unit);
        if (exact >= 0) {
            return exact;
        }
        BigDecimal[] division = value.divideAndRemainder(unit);
        if (division[1].signum() != 0) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, field + ": "
                    + value.toPlainString() + " is not a multiple of " + unit.stripTrailingZeros().toPlainString());
        }
        try {
            return division[0].longValueExact();
        } catch (ArithmeticException e) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, field + ": out of range");
        }
    }

    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
        100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
        1_000_000_000_000_000_000L};

    /**
     * {@code value / unit} in longs when both are non-negative with at most 18 digits and the division is exact (the
     * common case, without {@link BigDecimal#divideAndRemainder}'s allocations); -1 otherwise, when {@link #units}
     * takes the BigDecimal path, which gives the same quotient and every error.
     */
    static long exactUnits(BigDecimal value, BigDecimal unit) {
        if (value.signum() < 0 || unit.signum() <= 0 || value.precision() > 18 || unit.precision() > 18) {
            return -1;
        }
        long v = value.unscaledValue().longValue();
        long u = unit.unscaledValue().longValue();
        // value / unit = (v / u) * 10^(unit.scale - value.scale)
        int shift = unit.scale() - value.scale();
        if (shift > 18 || shift < -18) {
            return -1;
        }
        try {
            if (shift >= 0) {
                v = Math.multiplyExact(v, POWERS_OF_TEN[shift]);
            } else {
                u = Math.multiplyExact(u, POWERS_OF_TEN[-shift]);
            }
        } catch (ArithmeticException e) {
            return -1;
        }
        return v % u == 0 ? v / u : -1;
    }

    private InstrumentSpec instrument(String text) throws RequestException {
        long id = number(text, "instrument");
        InstrumentSpec spec = id > Integer.MAX_VALUE ? null : instruments.get((int) id);
        if (spec == null) {
            throw new RequestException(HttpResponseStatus.NOT_FOUND, NOT_FOUND, "no instrument " + text);
        }
        return spec;
    }

    private static long number(String text, String field) throws RequestException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, field + ": not a whole number: "
                    + EdgeDecimals.echo(text));
        }
    }

    private static long parameter(QueryStringDecoder uri, String name, long fallback, long min, long max)
            throws RequestException {
        List<String> values = uri.parameters().get(name);
        if (values == null || values.isEmpty()) {
            if (fallback < min) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, name + ": required");
            }
            return fallback;
        }
        long value = number(values.get(0), name);
        if (value < min || value > max) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, name + ": must be " + min + ".."
                    + max);
        }
        return value;
    }

    private static void requireMethod(HttpMethod actual, HttpMethod expected) throws RequestException {
        if (!actual.equals(expected)) {
            throw new RequestException(HttpResponseStatus.METHOD_NOT_ALLOWED, METHOD, "use " + expected);
        }
    }

    /** Fills one index's answer (after its id and symbol), on the engine thread. */
    private interface IndexFields {
        void fill(Engine engine, NodeConfig.Index index, Map<String, Object> answer);
    }

    /** A query answering one object per configured index, in config order: {@code id}, {@code symbol}, then {@code fields}. */
    private CompletableFuture<List<Map<String, Object>>> perIndex(IndexFields fields) {
        List<NodeConfig.Index> indexes = config.markets().indexes();
        return engine.query(e -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (NodeConfig.Index index : indexes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", index.id());
                m.put("symbol", index.symbol());
                fields.fill(e, index, m);
                list.add(m);
            }
            return list;
        });
    }

    /** The configured index {@code id} when {@code source} is one of its sources; else 400 (oracle reports). */
    private NodeConfig.Index indexWithSource(int id, int source) throws RequestException {
        NodeConfig.Index index = config.markets().indexes().stream().filter(i -> i.id() == id).findFirst().orElse(null);
        if (index == null || source < 0 || source >= index.sources().size()) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "index and source: a configured"
                    + " index and one of its sources (0.." + (index == null ? "?" : index.sources().size() - 1) + ")");
        }
        return index;
    }

    /** The configured index a surface names, with quotes; else 400. */
    private NodeConfig.Index configuredIndex(int id, List<SurfaceMarks.Quote> quotes) throws RequestException {
        NodeConfig.Index index = config.markets().indexes().stream().filter(i -> i.id() == id).findFirst().orElse(null);
        if (index == null || quotes == null || quotes.isEmpty()) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "index and quotes: a configured index and its quotes [{expiry, strike, vol}]");
        }
        return index;
    }

    /**
     * A signed surface (I/O thread): the index's surface key signed the EIP-712 {@code SurfaceUpdate} of this exact
     * body, stamped within {@link #SURFACE_MAX_SKEW_NANOS} of the node's clock and later than the last surface accepted
     * for the index (so a captured request cannot be replayed). 403 when the index has no surface key, 401 for a bad
     * signature, 400 for a missing or stale timestamp.
     */
    private void verifySurface(NodeConfig.Index index, SurfaceRequest surface, byte[] raw, String signatureHex)
            throws RequestException {
        AgentKey key = index.surfaceFeedKey();
        if (key == null) {
            throw new RequestException(HttpResponseStatus.FORBIDDEN, AuthReject.AGENT_NOT_AUTHORISED.code(),
                    "index " + index.id() + " has no surface key in this node's config (indexes[].surfaceKey)");
        }
        if (surface.timestamp() == null) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "timestamp: required (epoch ns)");
        }
        long timestamp = surface.timestamp();
        byte[] signature = signatureHex == null ? null : Hex.decodeOrNull(signatureHex);
        if (signature == null || !key.verify(FeedSignatures.surfaceDigest(signing.domain(), index.id(), timestamp, raw),
                signature)) {
            throw new RequestException(HttpResponseStatus.UNAUTHORIZED, AuthReject.BAD_SIGNATURE.code(),
                    SIGNATURE_HEADER + ": not the surface key's signature of this body (SurfaceUpdate, docs/auth.md)");
        }
        if (Math.abs(timestamp - engine.now()) > SURFACE_MAX_SKEW_NANOS) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "timestamp: more than "
                    + SURFACE_MAX_SKEW_NANOS / 1_000_000_000L + " s from the node's clock");
        }
        boolean[] stale = {false};
        lastSurface.compute(index.id(), (id, last) -> {
            stale[0] = last != null && timestamp <= last;
            return stale[0] ? last : timestamp;
        });
        if (stale[0]) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "timestamp: not after the last surface accepted for index " + index.id());
        }
    }

    /**
     * A price report signed by its source's feed key, as the ORACLE_REPORT it stands for, with the key and signature
     * (I/O thread). 403 when the source has no feed key, 401 for a bad signature, 400 for a bad field.
     */
    private Command signedReport(PriceReportRequest report) throws RequestException {
        NodeConfig.Index index = indexWithSource(report.index(), report.source());
        AgentKey key = index.sourceKey(report.source());
        if (key == null) {
            throw new RequestException(HttpResponseStatus.FORBIDDEN, AuthReject.AGENT_NOT_AUTHORISED.code(),
                    "source " + report.source() + " of index " + index.id() + " has no feed key in this node's config"
                            + " (indexes[].sourceKeys)");
        }
        if (report.timestamp() == null || report.signature() == null) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "timestamp and signature: required (the source's time in epoch ns; the feed's signature, hex)");
        }
        BigDecimal unit = BigDecimal.ONE.movePointLeft(index.priceDecimals());
        Command c = new Command().oracleReport(index.id(), report.source(), units(report.price(), unit, "price"),
                report.timestamp());
        if (report.confidence() != null) {
            c.confidence = report.confidence().signum() == 0 ? 0 : units(report.confidence(), unit, "confidence");
        }
        c.agentKey = key.toBytes();
        c.signature = Hex.decodeOrNull(report.signature());
        if (!FeedSignatures.verifyPriceReport(signing.domain(), c)) {
            throw new RequestException(HttpResponseStatus.UNAUTHORIZED, AuthReject.BAD_SIGNATURE.code(),
                    "signature: not the source's feed key's signature of this report (PriceReport, docs/auth.md)");
        }
        return c;
    }

    /** Fits the quotes' surface at the index's price and marks every series of the index from it (see {@link SurfaceMarks}). */
    private void markFromSurface(ChannelHandlerContext ctx, NodeConfig.Index index, SurfaceRequest surface,
                                 boolean keepAlive) {
        Map<Integer, io.meridian.model.OptionSpec> series = new LinkedHashMap<>();
        optionTerms.forEach((id, option) -> {
            if (option.indexId() == index.id()) {
                series.put(id, option);
            }
        });
        engine.query(e -> new long[] {e.indexPrice(index.id()), e.lastTimestamp()}).whenComplete((now, failure) -> {
            if (failure != null || now[0] <= 0) {
                send(ctx, HttpResponseStatus.UNPROCESSABLE_ENTITY, error(BAD_FIELD, failure != null
                        ? failure.getMessage() : "index " + index.id() + " has no price yet"), keepAlive);
                return;
            }
            double spot = BigDecimal.valueOf(now[0], index.priceDecimals()).doubleValue();
            SurfaceMarks.Result result = SurfaceMarks.marks(spot, now[1], surface.quotes(), series, instruments);
            if (result.reject() != null) {
                send(ctx, HttpResponseStatus.BAD_REQUEST, error(BAD_FIELD, "quotes: " + result.reject()), keepAlive);
                return;
            }
            // Each mark answers with its own result: one the engine refused (say a series that expired in
            // between) is reported with its reason, not as set.
            List<CompletableFuture<Map<String, Object>>> answers = new ArrayList<>();
            for (Command mark : result.marks()) {
                InstrumentSpec spec = instruments.get(mark.instrument);
                CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
                answers.add(answer);
                boolean queued = engine.submit(mark, r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("instrument", mark.instrument);
                    m.put("mark", price(mark.price, spec));
                    if (r.reject() != null) {
                        m.put("code", r.reject().code());
                        m.put("reason", r.reject().name());
                    }
                    answer.complete(m);
                });
                if (!queued) {
                    answer.complete(Map.of("instrument", mark.instrument, "code", OVERLOADED,
                            "reason", "engine queue full"));
                }
            }
            reply(ctx, CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done ->
                    Map.of("index", index.id(), "marks", answers.stream().map(CompletableFuture::join).toList())),
                    keepAlive);
        });
    }

    private static <T> T body(FullHttpRequest request, Class<T> type) throws RequestException {
        return parse(request.content().toString(StandardCharsets.UTF_8), type);
    }

    private static <T> T parse(String text, Class<T> type) throws RequestException {
        try {
            T value = JSON.readValue(text, type);
            if (value == null) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_JSON, "empty body");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "unknown field "
                    + EdgeDecimals.echo(e.getPropertyName()));
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? "body" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, field + ": wrong type or value");
        } catch (JsonProcessingException e) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_JSON, "malformed JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return body;
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return "{\"code\":500,\"message\":\"cannot encode the answer\"}";
        }
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, Object body, boolean keepAlive) {
        write(ctx, response(status, body), keepAlive);
    }

    private static FullHttpResponse response(HttpResponseStatus status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            bytes = ("{\"code\":500,\"message\":\"cannot encode the answer\"}").getBytes(StandardCharsets.UTF_8);
            status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
