package io.meridian.node.connection;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Who may talk to the node from where: every request (WebSocket upgrades included) must name an allowed Host, and a
 * request a browser sends from another site must come from an allowed origin.
 *
 * <ul>
 *   <li><b>Host</b> (DNS rebinding: a page on an attacker's name that resolves to the node reaches it as
 *       same-origin). Exactly one Host header, well formed (else 400, code 400), naming an allowed host; the port is
 *       not compared (else 421 Misdirected Request, code 421).</li>
 *   <li><b>Origin</b> (cross-site request forgery, cross-site WebSocket hijacking: a page on any site can make a
 *       visitor's browser post a {@code text/plain} form or open a WebSocket to the node). A request without
 *       {@code Origin} is not a browser's cross-origin request and passes. One with it passes when the origin is
 *       listed ({@code allowedOrigins}, or {@code *}) or is the node's own (scheme host and port those of the Host
 *       header); {@code Origin: null} (sandboxes, files) and everything else is refused with 403 (code 403). CORS
 *       headers for listed origins come from Netty's CorsHandler after this one.</li>
 * </ul>
 * A refusal keeps the connection if the request did. Stateless and {@link ChannelHandler.Sharable}.
 */
@ChannelHandler.Sharable
final class HostAndOrigin extends ChannelInboundHandlerAdapter {
    /** Null: any host. */
    private final Set<String> hosts;
    private final Set<String> origins;
    private final boolean anyOrigin;
    /** Told the code of each refusal (for /metrics; thread-safe, as this handler is shared). */
    private final IntConsumer counted;

    HostAndOrigin(Set<String> hosts, List<String> allowedOrigins, IntConsumer counted) {
        this.hosts = hosts;
        this.counted = counted;
        this.anyOrigin = allowedOrigins.contains(ConnectionSettings.ANY);
        this.origins = Set.copyOf(allowedOrigins);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        List<String> hostHeaders = request.headers().getAll(HttpHeaderNames.HOST);
        if (hostHeaders.size() != 1) {
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, 400, "Host: exactly one Host header is required");
            return;
        }
        String hostHeader = hostHeaders.get(0);
        String host = Hosts.hostOf(hostHeader);
        if (host == null) {
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, 400, "Host: malformed: '" + Hosts.bounded(hostHeader)
                    + "'");
            return;
        }
        if (hosts != null && !hosts.contains(host)) {
            refuse(ctx, request, HttpResponseStatus.MISDIRECTED_REQUEST, 421, "Host not served by this node: '"
                    + Hosts.bounded(host) + "'");
            return;
        }
        List<String> originHeaders = request.headers().getAll(HttpHeaderNames.ORIGIN);
        if (originHeaders.size() > 1) {
            refuse(ctx, request, HttpResponseStatus.FORBIDDEN, 403, "Origin: more than one Origin header");
            return;
        }
        if (originHeaders.size() == 1 && !allowed(originHeaders.get(0), host, hostHeader)) {
            refuse(ctx, request, HttpResponseStatus.FORBIDDEN, 403, "cross-origin request refused: origin '"
                    + Hosts.bounded(originHeaders.get(0)) + "' is not allowed (connections.allowedOrigins)");
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean allowed(String originHeader, String host, String hostHeader) {
        String origin = originHeader.trim().toLowerCase(Locale.ROOT);
        if (origin.equals("null")) {
            return false;
        }
        return anyOrigin || origins.contains(origin) || sameOrigin(origin, host, hostHeader);
    }

    /** Whether the origin is the node itself as the client addressed it: the Host header's host and port. */
    private static boolean sameOrigin(String origin, String host, String hostHeader) {
        if (!ConnectionSettings.isOrigin(origin)) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        int hostPort = Hosts.portOf(hostHeader);
        boolean defaultPort = port == ("https".equals(uri.getScheme()) ? 443 : 80);
        return Hosts.strip(uri.getHost()).equals(host) && (hostPort == -1 ? defaultPort : hostPort == port);
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, int code,
                        String message) {
        counted.accept(code);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        request.release();
        ChannelFuture written = ctx.writeAndFlush(Answers.error(status, code, message, !keepAlive));
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
