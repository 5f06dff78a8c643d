package io.meridian.node;

import io.meridian.model.Command;
import io.meridian.model.OptionSpec;
import io.meridian.node.http.AccessPolicy;
import io.meridian.node.http.Gateway;
import io.meridian.node.http.RatePolicy;
import io.meridian.node.http.RestHandler;
import io.meridian.node.http.Router;
import io.meridian.node.http.Routes;
import io.meridian.node.ws.SocketHandler;
import io.meridian.node.ws.SocketReplies;
import io.meridian.node.connection.HttpConnections;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The REST and WebSocket gateway's server (Netty): binds the port and assembles each connection's pipeline
 * ({@link #pipeline}). It decodes, validates and converts; the engine decides. The routes are a table
 * ({@link Routes}, served by {@link Router}); WebSocket messages go to {@link SocketHandler}; both share
 * {@link Gateway}. docs/api.md lists the routes and their errors.
 *
 * <p>Threads: Netty's I/O threads parse and answer; engine work goes through {@link EngineLoop} and its replies are
 * written back from the engine thread ({@code writeAndFlush} is thread-safe).
 */
public final class HttpGateway implements AutoCloseable {
    static final String WEBSOCKET_PATH = "/ws";

    private final NodeConfig config;
    private final Gateway gateway;
    private final RestHandler rest;
    private final SocketReplies replies;
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final Channel channel;
    /** Connection caps, deadlines, answer order, Host and Origin checks (io.meridian.node.connection). */
    private final HttpConnections connections;

    public HttpGateway(NodeConfig config, EngineLoop engine) throws InterruptedException {
        this.config = config;
        Map<Integer, OptionSpec> optionTerms = new LinkedHashMap<>();
        for (Command option : config.optionCommands()) {
            optionTerms.put(option.instrumentSpec.id(), option.optionSpec);
        }
        this.gateway = new Gateway(config, engine, optionTerms);
        this.rest = new RestHandler(new Router(Routes.table(gateway), config.devMode(),
                new AccessPolicy(config.devMode(), gateway), new RatePolicy(gateway), gateway));
        // A WebSocket order's answer goes through the connection's outbox (one flush per engine batch).
        this.replies = (ch, id, lots, clientOrderId) -> {
            SocketOutbox outbox = SocketOutbox.of(ch);
            return result -> outbox.add(engine, id, result, lots, clientOrderId);
        };
        io.meridian.node.metrics.EdgeRefusals refusals = engine.metrics().refusals();
        this.connections = new HttpConnections(config.connections(), config.httpHost(), config.maxBodyBytes(),
                code -> refusals.refused(io.meridian.node.metrics.EdgeRefusals.Edge.REST, code));
        if (engine.marketData() != null) {
            // A subscription refused (an error frame) is a WebSocket request the gateway refused before the journal.
            engine.marketData().countRefusals(code -> refusals.refused(io.meridian.node.metrics.EdgeRefusals.Edge.WS,
                    code));
        }
        engine.metrics().bindConnections(connections::open, connections::webSockets, connections::refusedTotal,
                connections::refusedPerAddress);
        engine.metrics().bindRateLimit("connection_requests", gateway.limits()::refusedRequests);
        engine.metrics().bindRateLimit("account_orders", gateway.limits()::refusedOrders);
        engine.metrics().bindRateLimit("signature_checks", gateway.access()::refusedSignatureChecks);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                // Room for a burst of market data before a subscriber counts as too slow (see MarketData).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 8 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch);
                    }
                });
        this.channel = bootstrap.bind(config.httpHost(), config.httpPort()).sync().channel();
    }

    /**
     * One connection's pipeline, in order: the connection layer's handlers ({@link HttpConnections}: caps, the
     * request decoder with its deadlines and framing hygiene, the response encoder, answers in request order, the body
     * aggregator (at most {@code maxBodyBytes}), Host and Origin checks and CORS); the WebSocket upgrade at
     * {@link #WEBSOCKET_PATH}, and a WebSocket message's fragments joined (at most {@code maxBodyBytes} in all); then
     * WebSocket messages and REST requests. A connection over a cap is answered 503 and closed instead. The one place
     * the pipeline is assembled.
     */
    private void pipeline(SocketChannel ch) {
        if (!connections.admit(ch)) {
            return;
        }
        connections.addHttpHandlers(ch.pipeline());
        ch.pipeline().addLast(new WebSocketServerProtocolHandler(WEBSOCKET_PATH, null, false, config.maxBodyBytes()),
                new WebSocketFrameAggregator(config.maxBodyBytes()),
                new SocketHandler(gateway, replies, config.maxBodyBytes()), rest);
    }

    /** What REST and WebSocket share (rate limits, pre-journal checks): the binary order entry shares it too. */
    public Gateway gateway() {
        return gateway;
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
}
