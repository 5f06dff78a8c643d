package io.meridian.node.http;

import io.meridian.engine.Engine;
import io.meridian.node.EngineLoop;
import io.meridian.node.NodeConfig;
import io.meridian.node.codec.RequestSigning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.netty.handler.codec.http.HttpMethod.GET;

/** The node's own routes: health, the signing domain, the assets. */
final class AdminRoutes {
    private final Gateway gateway;

    AdminRoutes(Gateway gateway) {
        this.gateway = gateway;
    }

    List<Route> routes() {
        return List.of(
                Route.of(GET, "/health", AuthRequirement.PUBLIC, RateClass.HEALTH, this::health),
                Route.of(GET, "/v1/auth", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::auth),
                Route.of(GET, "/v1/assets", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::assets));
    }

    /** {@code GET /health}: the last applied sequence and the snapshot status, once the engine thread answers. */
    private void health(Exchange x) {
        EngineLoop engine = gateway.engine();
        CompletableFuture<Long> sequence = engine.query(Engine::lastSequence);
        x.reply(sequence.thenCombine(engine.snapshotStatus(), (s, snapshots) -> {
            Map<String, Object> health = new LinkedHashMap<>();
            health.put("status", "ok");
            health.put("sequence", s);
            health.put("snapshots", snapshots);
            return health;
        }));
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

    /** {@code GET /v1/assets}. */
    private void assets(Exchange x) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (NodeConfig.Asset asset : gateway.config().assets()) {
            list.add(Map.of("id", asset.id(), "symbol", asset.symbol(), "scale", asset.scale()));
        }
        x.send(200, list);
    }
}
