package io.meridian.node.http;

import io.meridian.node.EngineLoop;
import io.meridian.node.NodeConfig;
import io.meridian.node.codec.RequestSigning;
import io.meridian.node.codec.Times;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.netty.handler.codec.http.HttpMethod.GET;

/** The node's own routes: health, the signing domain, the assets. */
final class AdminRoutes {
    private final Gateway gateway;

    AdminRoutes(Gateway gateway) {
        this.gateway = gateway;
    }

    /** An engine thread that has ended no batch for this long is stuck (the ticker submits a command every second). */
    static final long STALLED_MILLIS = 5_000;

    List<Route> routes() {
        return List.of(
                Route.of(GET, "/health", AuthRequirement.PUBLIC, RateClass.HEALTH, this::health),
                Route.of(GET, "/v1/auth", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::auth),
                Route.of(GET, "/v1/assets", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::assets),
                Route.of(GET, "/v1/time", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::time));
    }

    /**
     * {@code GET /health}, answered at once from what the engine thread last published (it never waits behind the
     * engine: a health check must answer while the engine sits in an fsync or a GC pause): 200
     * {@code {"status":"ok","sequence","stalledMs","snapshots"}}; 503 when the engine thread has failed, or has ended
     * no batch for {@link #STALLED_MILLIS} (the ticker gives it one a second, so it is stuck).
     */
    private void health(Exchange x) {
        EngineLoop engine = gateway.engine();
        if (engine.failure() != null) {
            x.send(503, gateway.engineFailure(x.where(),
                    new IllegalStateException("engine thread failed: " + engine.failure(), engine.failure())));
            return;
        }
        Map<String, Object> health = new LinkedHashMap<>();
        Map<String, Object> published = engine.health();
        long stalled = (Long) published.get("stalledMs");
        health.put("status", stalled >= STALLED_MILLIS ? "stalled" : "ok");
        health.putAll(published);
        x.send(stalled >= STALLED_MILLIS ? 503 : 200, health);
    }

    /** {@code GET /v1/auth}: the auth mode and the EIP-712 domain to sign under. */
    private void auth(Exchange x) {
        NodeConfig config = gateway.config();
        RequestSigning signing = gateway.signing();
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("mode", config.auth().mode());
        auth.put("name", signing.domain().name());
        auth.put("version", signing.domain().version());
        auth.put("chainId", config.auth().chainId());
        auth.put("verifyingContract", signing.domain().verifyingContract().toChecksumHex());
        x.send(200, auth);
    }

    /**
     * {@code GET /v1/time}: the node's clock, answered at once on the I/O thread: {@code serverTime} in epoch
     * milliseconds, {@code timestamp} in epoch nanoseconds (a string), the time the next command will be stamped with
     * unless the clock went back (commands are never stamped earlier than the last; a client signing nonces or GTD
     * expiries compares its clock with this).
     */
    private void time(Exchange x) {
        Map<String, Object> time = new LinkedHashMap<>();
        long now = gateway.engine().now();
        time.put("serverTime", Times.millis(now));
        Times.put(time, "timestamp", now);
        x.send(200, time);
    }

    /** {@code GET /v1/assets}. */
    private void assets(Exchange x) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (NodeConfig.Asset asset : gateway.config().assets()) {
            list.add(Map.of("id", asset.id(), "symbol", asset.symbol(), "scale", asset.scale()));
        }
        x.send(200, list);
    }
}
