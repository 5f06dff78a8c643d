package io.meridian.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.meridian.engine.Engine;
import io.meridian.model.BookSnapshot;
import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PostOnly;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http.HttpServerCodec;
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

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);

    private final EngineLoop engine;
    private final NodeConfig config;
    private final Map<Integer, InstrumentSpec> instruments = new LinkedHashMap<>();
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final Channel channel;
    private final RateLimits limits;
    private static final io.netty.util.AttributeKey<RateLimits.Bucket> CONNECTION_BUCKET =
            io.netty.util.AttributeKey.valueOf("meridian.connectionBucket");
    static final int RATE_LIMITED = 429;

    /** A new order, as the API takes it. Price and quantity are decimals in the instrument's units. */
    record OrderRequest(long account, int instrument, String side, String type, BigDecimal price, BigDecimal quantity,
                        String timeInForce, Long clientOrderId, Boolean postOnly, Boolean reduceOnly) {
    }

    /**
     * A WebSocket message: {@code op} is subscribe, unsubscribe, order or cancel; {@code id} (optional) comes back on
     * the answer. Subscribe takes {@code instrument} and {@code depth}; order takes the {@link OrderRequest} fields;
     * cancel takes {@code account}, {@code instrument}, {@code orderId}.
     */
    record SocketRequest(String op, Long id, String channel, Integer instrument, Integer depth, Long account,
                         String side, String type, BigDecimal price, BigDecimal quantity, String timeInForce,
                         Long clientOrderId, Boolean postOnly, Boolean reduceOnly, Long orderId) {
    }

    /** An amend: new price and/or quantity (omit one to keep it). */
    record AmendRequest(long account, int instrument, BigDecimal price, BigDecimal quantity) {
    }

    /** Account settings for one instrument: {@code leverage} (whole number) or {@code marginMode} (cross, isolated). */
    record SettingsRequest(long account, int instrument, Integer leverage, String marginMode) {
    }

    /** A mark price in dev mode (the operator's feed): {@code price} in the instrument's units. */
    record MarkRequest(int instrument, BigDecimal price) {
    }

    /** A deposit in dev mode: {@code amount} in whole units of the asset (a decimal). */
    record DepositRequest(long account, int asset, BigDecimal amount) {
    }

    public HttpGateway(NodeConfig config, EngineLoop engine) throws InterruptedException {
        this.config = config;
        this.engine = engine;
        this.limits = new RateLimits(config.ordersPerSecondPerAccount(), 2.0 * config.ordersPerSecondPerAccount(),
                config.requestsPerSecondPerConnection(), 2.0 * config.requestsPerSecondPerConnection());
        for (NodeConfig.Instrument in : config.instruments()) {
            instruments.put(in.id(), NodeConfig.spec(in));
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
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(config.maxBodyBytes()),
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
    private static final class RequestException extends Exception {
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
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            Long id = null;
            try {
                limitConnection(ctx);
                SocketRequest r = parse(text, SocketRequest.class);
                id = r.id();
                socket(ctx, r);
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

    private void socket(ChannelHandlerContext ctx, SocketRequest r) throws RequestException {
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
                engine.subscribe(ctx.channel(), spec.id(), depth, snapshot -> new TextWebSocketFrame(json(snapshot)));
            }
            case "unsubscribe" -> engine.unsubscribe(ctx.channel());
            case "order" -> {
                if (r.account() == null || r.instrument() == null) {
                    throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                            "account and instrument: required");
                }
                OrderRequest order = new OrderRequest(r.account(), r.instrument(), r.side(), r.type(), r.price(),
                        r.quantity(), r.timeInForce(), r.clientOrderId(), r.postOnly(), r.reduceOnly());
                command(orderCommand(order), instruments.get(r.instrument()), responder);
            }
            case "cancel" -> {
                InstrumentSpec spec = r.instrument() == null ? null : instruments.get(r.instrument());
                if (spec == null || r.account() == null || r.orderId() == null) {
                    throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                            "account, instrument and orderId: required");
                }
                command(new Command().cancel(r.account(), spec.id(), r.orderId()), spec, responder);
            }
            default -> throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "op: must be subscribe, unsubscribe, order or cancel");
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, String[] path,
                       boolean keepAlive) throws RequestException {
        HttpMethod method = request.method();
        String route = uri.path();
        if (route.equals("/health")) {
            requireMethod(method, HttpMethod.GET);
            reply(ctx, engine.query(Engine::lastSequence).thenApply(s -> Map.of("status", "ok", "sequence", s)),
                    keepAlive);
        } else if (route.equals("/v1/instruments")) {
            requireMethod(method, HttpMethod.GET);
            List<Map<String, Object>> list = new ArrayList<>();
            for (InstrumentSpec spec : instruments.values()) {
                list.add(Map.of("id", spec.id(), "symbol", spec.symbol(), "base", spec.baseAsset(),
                        "settle", spec.settlementAsset(), "tickSize", spec.tickSize().toPlainString(),
                        "lotSize", spec.lotSize().toPlainString()));
            }
            send(ctx, HttpResponseStatus.OK, list, keepAlive);
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("book")) {
            requireMethod(method, HttpMethod.GET);
            InstrumentSpec spec = instrument(path[3]);
            int depth = (int) parameter(uri, "depth", 20, 1, 1000);
            reply(ctx, engine.query(e -> book(e.book(spec.id()).snapshot(depth), spec)), keepAlive);
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("ticker")) {
            requireMethod(method, HttpMethod.GET);
            InstrumentSpec spec = instrument(path[3]);
            reply(ctx, engine.query(e -> ticker(e, spec)), keepAlive);
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("accounts")) {
            requireMethod(method, HttpMethod.GET);
            long account = number(path[3], "account");
            reply(ctx, engine.query(e -> account(e, account)), keepAlive);
        } else if (route.equals("/v1/orders") && !method.equals(HttpMethod.DELETE) && !method.equals(HttpMethod.GET)) {
            requireMethod(method, HttpMethod.POST);
            OrderRequest order = body(request, OrderRequest.class);
            command(orderCommand(order), instruments.get(order.instrument()), http(ctx, keepAlive));
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
            command(new Command().amend(amend.account(), spec.id(), orderId, price, lots), spec, http(ctx, keepAlive));
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
                    m.put("liquidity", String.valueOf(f.liquidity()).toLowerCase(Locale.ROOT));
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
            command(c, null, http(ctx, keepAlive));
        } else if (route.equals("/v1/settings")) {
            requireMethod(method, HttpMethod.POST);
            SettingsRequest settings = body(request, SettingsRequest.class);
            InstrumentSpec spec = instruments.get(settings.instrument());
            if (spec == null || (settings.leverage() == null) == (settings.marginMode() == null)) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                        "a known instrument and exactly one of leverage or marginMode: required");
            }
            Command c = new Command().reset();
            c.account = settings.account();
            c.instrument = spec.id();
            if (settings.leverage() != null) {
                c.type = io.meridian.model.CommandType.SET_LEVERAGE;
                c.leverage = settings.leverage();
            } else {
                c.type = io.meridian.model.CommandType.SET_MARGIN_MODE;
                c.marginMode = switch (settings.marginMode().toLowerCase(Locale.ROOT)) {
                    case "cross" -> io.meridian.model.MarginMode.CROSS;
                    case "isolated" -> io.meridian.model.MarginMode.ISOLATED;
                    default -> throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                            "marginMode: must be cross or isolated");
                };
            }
            command(c, null, http(ctx, keepAlive));
        } else if (path.length == 4 && path[1].equals("v1") && path[2].equals("orders")) {
            requireMethod(method, HttpMethod.DELETE);
            long orderId = number(path[3], "orderId");
            long account = parameter(uri, "account", -1, 1, Long.MAX_VALUE);
            InstrumentSpec spec = instrument(uri.parameters().getOrDefault("instrument", List.of("")).get(0));
            command(new Command().cancel(account, spec.id(), orderId), spec, http(ctx, keepAlive));
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
            command(new Command().deposit(deposit.account(), asset.id(), minor), null, http(ctx, keepAlive));
        } else {
            throw new RequestException(HttpResponseStatus.NOT_FOUND, NOT_FOUND, "no route " + method + " " + route);
        }
    }

    /** The engine command for an order request, or a 400 naming the field. */
    private Command orderCommand(OrderRequest o) throws RequestException {
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
            c = new Command().market(o.account(), spec.id(), 0, side, lots);
        } else if (type.equals("limit")) {
            if (o.price() == null) {
                throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                        "price: required on a limit order");
            }
            TimeInForce tif = timeInForce(o.timeInForce());
            c = new Command().limit(o.account(), spec.id(), 0, side, units(o.price(), spec.tickSize(), "price"), lots,
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
        return c;
    }

    private static TimeInForce timeInForce(String text) throws RequestException {
        if (text == null) {
            return TimeInForce.GTC;
        }
        try {
            return TimeInForce.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD,
                    "timeInForce: unknown '" + text + "'");
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

    /** Sends a command and answers with its result once it is durable and applied. */
    private void command(Command c, InstrumentSpec spec, Responder responder) throws RequestException {
        if (c.type == io.meridian.model.CommandType.PLACE_ORDER || c.type == io.meridian.model.CommandType.CANCEL_ORDER) {
            limitAccount(c.account);
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

    private void reply(ChannelHandlerContext ctx, CompletableFuture<?> answer, boolean keepAlive) {
        answer.whenComplete((value, failure) -> {
            if (failure != null) {
                send(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, error(NOT_READY, failure.getMessage()), keepAlive);
            } else {
                send(ctx, HttpResponseStatus.OK, value, keepAlive);
            }
        });
    }

    private static Map<String, Object> book(BookSnapshot snapshot, InstrumentSpec spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instrument", spec.id());
        body.put("sequence", snapshot.sequence());
        body.put("l2Sequence", snapshot.l2Sequence());
        body.put("bids", MarketData.levels(snapshot.bids(), spec));
        body.put("asks", MarketData.levels(snapshot.asks(), spec));
        return body;
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
        return body;
    }

    private Map<String, Object> account(Engine e, long account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account", account);
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
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, field + ": not a whole number: '"
                    + text + "'");
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
            throw new RequestException(HttpResponseStatus.BAD_REQUEST, BAD_FIELD, "unknown field '"
                    + e.getPropertyName() + "'");
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
