package io.meridian.node.http;

import io.meridian.node.codec.Codes;
import io.meridian.node.codec.RequestException;
import io.meridian.node.metrics.MetricsSettings;
import io.meridian.node.metrics.NodeMetrics;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.netty.handler.codec.http.HttpMethod.GET;

/**
 * {@code GET /metrics}: the node's metrics in the Prometheus text format ({@link NodeMetrics}; docs/operations.md,
 * "Metrics"). Who may read them is the config's {@code metrics} section ({@link MetricsSettings}), checked here: the
 * row is {@link AuthRequirement#PUBLIC} because the route's own setting decides, as a feed route checks its own key.
 */
final class MetricsRoutes {
    private final Gateway gateway;

    MetricsRoutes(Gateway gateway) {
        this.gateway = gateway;
    }

    List<Route> routes() {
        return List.of(Route.of(GET, "/metrics", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::metrics));
    }

    /**
     * 404 (as an unknown path) when the metrics are disabled; 401 ({@link Codes#METRICS_TOKEN}) when they are not
     * public and the request lacks {@code Authorization: Bearer <metrics.token>}; else 200 with the text format,
     * rendered on this I/O thread (at most a few times a second, whoever asks: {@link NodeMetrics#scrape}).
     */
    private void metrics(Exchange x) throws RequestException {
        MetricsSettings settings = gateway.config().metrics();
        if (!settings.enabled()) {
            throw RequestException.notFound("no route GET /metrics");
        }
        if (!settings.admits(x.header("Authorization"))) {
            throw new RequestException(401, Codes.METRICS_TOKEN, settings.token() == null
                    ? "metrics are not public on this node and it has no metrics token (config: metrics.public,"
                    + " metrics.token)"
                    : "metrics need Authorization: Bearer <the node's metrics token>");
        }
        byte[] text = gateway.engine().metrics().scrape().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(text));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, NodeMetrics.CONTENT_TYPE);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
        x.send(response);
    }
}
