package io.meridian.node.connection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.cors.CorsConfig;
import io.netty.handler.codec.http.cors.CorsConfigBuilder;
import io.netty.handler.codec.http.cors.CorsHandler;

import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * The front of the gateway's connections (docs/api.md, "Connection limits and timeouts"): the caps on open
 * connections, then per connection, in pipeline order,
 * <ol>
 *   <li>{@link KeepAliveIdle}: the idle bound (replaced by {@link WebSocketIdle} after an upgrade);</li>
 *   <li>{@link RequestReader} and Netty's response encoder: strict framing, head and request deadlines;</li>
 *   <li>{@link BoundedAggregator}: bodies up to {@code maxBodyBytes}, never answering out of turn;</li>
 *   <li>{@link InOrderAnswers}: one request in the gateway at a time, answers in request order, reading paused at
 *       {@code maxPipelinedRequests};</li>
 *   <li>{@link RequestHygiene}: malformed framing refused (400, 413, 414, 431) and the connection closed;</li>
 *   <li>{@link HostAndOrigin}: Host and Origin checked (400, 421, 403);</li>
 *   <li>Netty's {@link CorsHandler} when origins are allowed: preflights answered, CORS headers on answers.</li>
 * </ol>
 * The gateway adds its WebSocket and request handlers after these. One instance per gateway; thread-safe.
 */
public final class HttpConnections {
    private final ConnectionSettings settings;
    private final int maxBodyBytes;
    private final ConnectionCaps caps;
    private final int maxConnections;
    private final HostAndOrigin hostAndOrigin;
    private final CorsConfig cors;
    /** Told the code of each refusal the connection layer answers (for /metrics); any thread. */
    private final IntConsumer refused;
    /** WebSocket connections open now (counted at the upgrade, uncounted when they close). */
    private final java.util.concurrent.atomic.AtomicInteger webSockets = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The front for a node bound to {@code httpHost}.
     *
     * @throws IllegalStateException when the connection cap does not fit the process's file-descriptor limit (the
     *                               message names the setting and the limit)
     */
    public HttpConnections(ConnectionSettings settings, String httpHost, int maxBodyBytes) {
        this(settings, httpHost, maxBodyBytes, code -> { });
    }

    /**
     * As above, telling {@code refused} the code of each request this layer refuses (framing 400, 413, 414, 431;
     * a timeout 408; Host 400, 421; Origin 403), on the connection's I/O thread.
     */
    public HttpConnections(ConnectionSettings settings, String httpHost, int maxBodyBytes, IntConsumer refused) {
        this(settings, httpHost, maxBodyBytes, FileDescriptors.processLimit(), refused);
    }

    HttpConnections(ConnectionSettings settings, String httpHost, int maxBodyBytes, long descriptorLimit) {
        this(settings, httpHost, maxBodyBytes, descriptorLimit, code -> { });
    }

    private HttpConnections(ConnectionSettings settings, String httpHost, int maxBodyBytes, long descriptorLimit,
                            IntConsumer refused) {
        this.settings = settings;
        this.refused = refused;
        this.maxBodyBytes = maxBodyBytes;
        this.maxConnections = FileDescriptors.effectiveMaxConnections(settings.maxConnections(), descriptorLimit);
        this.caps = new ConnectionCaps(maxConnections, settings.maxConnectionsPerAddress());
        Set<String> hosts = settings.allowedHosts() == null ? Hosts.defaults(httpHost)
                : settings.allowedHosts().contains(ConnectionSettings.ANY) ? null
                : settings.allowedHosts().stream().map(Hosts::strip).collect(Collectors.toUnmodifiableSet());
        this.hostAndOrigin = new HostAndOrigin(hosts, settings.allowedOrigins(), refused);
        this.cors = settings.allowedOrigins().isEmpty() ? null : corsConfig(settings);
    }

    private static CorsConfig corsConfig(ConnectionSettings settings) {
        CorsConfigBuilder builder = settings.allowedOrigins().contains(ConnectionSettings.ANY)
                ? CorsConfigBuilder.forAnyOrigin()
                : CorsConfigBuilder.forOrigins(settings.allowedOrigins().toArray(String[]::new));
        return builder.allowedRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)
                .allowedRequestHeaders("content-type", "x-meridian-signature")
                .exposeHeaders("retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
                        "x-meridian-next-cursor")
                .maxAge(settings.corsMaxAgeSeconds())
                .noPreflightResponseHeaders()
                .build();
    }

    /** The total cap in effect (an automatic one is lowered to the file-descriptor limit's room). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Connections open now. */
    public int open() {
        return caps.open();
    }

    /** WebSocket connections open now. */
    public int webSockets() {
        return webSockets.get();
    }

    /** Connections refused over the total cap since the start. */
    public long refusedTotal() {
        return caps.refusedTotal();
    }

    /** Connections refused over the per-address cap since the start. */
    public long refusedPerAddress() {
        return caps.refusedPerAddress();
    }

    /**
     * Counts a new connection in, or refuses it over a cap (a 503 with a JSON body, then closed; see
     * {@link ConnectionCaps}). Call first in the channel initializer; add nothing to a refused channel.
     */
    public boolean admit(SocketChannel ch) {
        return caps.admit(ch);
    }

    /** Adds the handlers listed above to a new connection's pipeline; the gateway's go after them. */
    public void addHttpHandlers(ChannelPipeline pipeline) {
        pipeline.addLast(new KeepAliveIdle(settings.idleTimeoutMillis()),
                new RequestReader(settings.headerTimeoutMillis(), settings.requestTimeoutMillis()),
                new HttpResponseEncoder(),
                new BoundedAggregator(maxBodyBytes),
                new InOrderAnswers(settings.maxPipelinedRequests(), maxBodyBytes, this::upgraded, refused),
                new RequestHygiene(refused),
                hostAndOrigin);
        if (cors != null) {
            pipeline.addLast(new CorsHandler(cors));
        }
    }

    /** A WebSocket now: its idle policy instead of HTTP's, and the HTTP-only handlers gone (frames skip them). */
    private void upgraded(ChannelPipeline pipeline) {
        webSockets.incrementAndGet();
        pipeline.channel().closeFuture().addListener(f -> webSockets.decrementAndGet());
        if (pipeline.get(KeepAliveIdle.class) != null) {
            pipeline.replace(KeepAliveIdle.class, "websocket-idle",
                    new WebSocketIdle(settings.webSocketPingMillis(), settings.webSocketIdleTimeoutMillis()));
        }
        for (Class<? extends ChannelHandler> http : java.util.List.of(InOrderAnswers.class, RequestHygiene.class,
                HostAndOrigin.class, CorsHandler.class)) {
            if (pipeline.get(http) != null) {
                pipeline.remove(http);
            }
        }
    }
}
