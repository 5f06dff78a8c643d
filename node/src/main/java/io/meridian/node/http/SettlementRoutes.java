package io.meridian.node.http;

import io.meridian.auth.Address;
import io.meridian.node.SettlementView;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.Json;
import io.meridian.node.codec.RequestException;

import java.util.List;
import java.util.Map;

import static io.netty.handler.codec.http.HttpMethod.GET;

/**
 * Settlement on a chain (docs/api.md, "Settlement"): the settlement loop's status and the inclusion proof of an
 * address's balances in the latest committed batch. Both read the loop's immutable state on the I/O thread (a proof
 * is a path of at most 48 siblings), never the engine. 404 on a node without a {@code chain} section.
 */
final class SettlementRoutes {
    private final Gateway gateway;

    SettlementRoutes(Gateway gateway) {
        this.gateway = gateway;
    }

    List<Route> routes() {
        return List.of(
                Route.of(GET, "/v1/settlement", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::status),
                Route.of(GET, "/v1/proof/{address}", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ, this::proof));
    }

    private SettlementView view() throws RequestException {
        SettlementView view = gateway.engine().settlement();
        if (view == null) {
            throw RequestException.notFound("this node settles on no chain (no chain section in its config)");
        }
        return view;
    }

    /** {@code GET /v1/settlement}. */
    private void status(Exchange x) throws RequestException {
        x.send(200, view().status());
    }

    /** {@code GET /v1/proof/{address}}: 404 when the address is in no statement of the latest committed batch. */
    private void proof(Exchange x) throws RequestException {
        SettlementView view = view();
        String text = x.parameter("address");
        var parsed = Address.parse(text);
        if (!parsed.isOk()) {
            throw RequestException.badField("address: " + parsed.verdict().message());
        }
        Map<String, Object> proof = view.proof(parsed.value());
        if (proof == null) {
            x.send(404, Json.error(Codes.NOT_FOUND, "address " + text + " is not in the latest committed batch"));
        } else {
            x.send(200, proof);
        }
    }
}
