package io.meridian.node.http;

import com.fasterxml.jackson.databind.util.RawValue;
import io.meridian.auth.Hex;
import io.meridian.auth.SignedCommands;
import io.meridian.auth.TypedDataJson;
import io.meridian.auth.TypedMessage;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.InstrumentRef;
import io.meridian.node.codec.Orders;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Units;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * What to sign: {@code POST /v1/typed-data/{kind}} takes the body a signed request would carry, without its
 * {@code signature}, and answers exactly the EIP-712 typed data ({@code types}, {@code primaryType}, {@code domain},
 * {@code message}; docs/auth.md, "Signing from a wallet") that the request's signature must sign under this node's
 * domain, built from the same engine command the request route builds ({@link SignedCommands#messageOf}), so a wallet
 * library signs it as it is ({@code signer.signTypedData(domain, types, message)} in ethers v6, without
 * {@code EIP712Domain}) and the request then carries that signature. The digest is in the header
 * {@value #DIGEST_HEADER}. Nothing is journaled or checked against the engine: a public computation, answered on the
 * I/O thread.
 */
final class TypedDataRoutes {
    /** The header with the typed data's EIP-712 digest (0x and 64 hex digits). */
    static final String DIGEST_HEADER = "X-Meridian-Digest";

    /**
     * A cancel to sign: the body of a signed {@code DELETE /v1/orders/{orderId}}'s query, as JSON, or of a signed
     * {@code DELETE /v1/orders/by-client-id/{clientOrderId}} ({@code clientOrderId} instead of {@code orderId}: signed
     * as its key, with {@code orderId} 0).
     */
    record CancelBody(String address, Long nonce, String agentKey, InstrumentRef instrument, Long orderId,
                      ClientOrderId clientOrderId) {
    }

    /** An amend to sign: the body of {@code PUT /v1/orders/{orderId}} with its {@code orderId}. */
    record AmendBody(String address, Long nonce, String agentKey, InstrumentRef instrument, Long orderId,
                     BigDecimal price, BigDecimal quantity) {
    }

    /** A cancel-all to sign: the query of a signed {@code DELETE /v1/orders}, as JSON (no instrument: all). */
    record CancelAllBody(String address, Long nonce, String agentKey, InstrumentRef instrument) {
    }

    private final Gateway gateway;

    TypedDataRoutes(Gateway gateway) {
        this.gateway = gateway;
    }

    List<Route> routes() {
        return List.of(Route.of(POST, "/v1/typed-data/{kind}", AuthRequirement.PUBLIC, RateClass.PUBLIC_READ,
                this::typedData));
    }

    /** {@code POST /v1/typed-data/{kind}}: {@code order}, {@code cancel}, {@code amend} or {@code cancel-all}. */
    private void typedData(Exchange x) throws RequestException {
        Command c = switch (x.parameter("kind")) {
            case "order" -> order(x.body(Orders.OrderRequest.class));
            case "cancel" -> cancel(x.body(CancelBody.class));
            case "amend" -> amend(x.body(AmendBody.class));
            case "cancel-all" -> cancelAll(x.body(CancelAllBody.class));
            default -> throw RequestException.notFound("no typed data for '" + io.meridian.node.codec.EdgeDecimals
                    .clip(x.parameter("kind")) + "': order, cancel, amend or cancel-all");
        };
        TypedMessage message;
        try {
            message = SignedCommands.messageOf(c);
        } catch (IllegalArgumentException e) {
            throw RequestException.badField(e.getMessage());
        }
        if (!message.validate().isOk()) {
            throw RequestException.badField(message.validate().message());
        }
        String digest = Hex.encode0x(message.digest(gateway.signing().domain()));
        x.send(200, new RawValue(TypedDataJson.of(gateway.signing().domain(), message)), Map.of(DIGEST_HEADER, digest));
    }

    private Command order(Orders.OrderRequest o) throws RequestException {
        if (o.account() != null || o.signature() != null) {
            throw RequestException.badField(o.account() != null ? "account: a signed order names its address"
                    : "signature: not part of what is signed (leave it out)");
        }
        return signer(Orders.unsigned(o, new Command(), gateway.instruments()), o.address(), o.nonce());
    }

    private Command cancel(CancelBody b) throws RequestException {
        InstrumentSpec spec = gateway.instruments().resolve(b.instrument(), "instrument");
        boolean byClientOrderId = b.clientOrderId() != null && b.clientOrderId().isPresent();
        if ((b.orderId() == null) == !byClientOrderId) {
            throw RequestException.badField("orderId or clientOrderId: one of them is required, not both");
        }
        Command c = new Command().cancel(0, spec.id(), byClientOrderId ? 0 : b.orderId());
        if (byClientOrderId) {
            b.clientOrderId().applyTo(c);
        }
        return signer(c, b.address(), b.nonce());
    }

    private Command amend(AmendBody b) throws RequestException {
        InstrumentSpec spec = gateway.instruments().resolve(b.instrument(), "instrument");
        if (b.orderId() == null) {
            throw RequestException.badField("orderId: required");
        }
        if (b.price() == null && b.quantity() == null) {
            throw RequestException.badField("price or quantity: required");
        }
        long price = b.price() == null ? 0 : Units.units(b.price(), spec.tickSize(), "price");
        long lots = b.quantity() == null ? 0 : Units.units(b.quantity(), spec.lotSize(), "quantity");
        return signer(new Command().amend(0, spec.id(), b.orderId(), price, lots), b.address(), b.nonce());
    }

    private Command cancelAll(CancelAllBody b) throws RequestException {
        Command c = new Command().reset();
        c.type = CommandType.CANCEL_ALL;
        c.instrument = b.instrument() == null ? Command.ALL_INSTRUMENTS
                : gateway.instruments().resolve(b.instrument(), "instrument").id();
        return signer(c, b.address(), b.nonce());
    }

    /** The signer's address and nonce, both required: they are part of what is signed. */
    private static Command signer(Command c, String address, Long nonce) throws RequestException {
        if (address == null || nonce == null) {
            throw RequestException.badField("address and nonce: required (both are signed)");
        }
        c.address = Ids.address(address, "address");
        c.nonce = nonce;
        return c;
    }
}
