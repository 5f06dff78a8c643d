package io.meridian.node.http;

import com.fasterxml.jackson.databind.util.RawValue;
import io.meridian.auth.Address;
import io.meridian.auth.AgentKey;
import io.meridian.auth.ApproveAgent;
import io.meridian.auth.Hex;
import io.meridian.auth.Outcome;
import io.meridian.auth.ReadAccess;
import io.meridian.auth.RevokeAgent;
import io.meridian.auth.SessionRequest;
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
                     BigDecimal price, BigDecimal quantity, BigDecimal triggerPrice) {
    }

    /**
     * A login ({@code Session}) or a read token ({@code ReadAccess}) to sign: the owner's address, the nonce and the end
     * (epoch ms); {@code agentKey} allowed and ignored, as an agent signs the same digest.
     */
    record GrantBody(String address, Long nonce, Long validUntil, String agentKey) {
    }

    /** An agent approval to sign ({@code ApproveAgent}, the owner's signature only): the body of {@code POST /v1/agents}. */
    record ApproveAgentBody(String address, Long nonce, String agentKey, String name, Long validUntil) {
    }

    /** An agent revocation to sign ({@code RevokeAgent}, the owner's only): the body of {@code POST /v1/agents/revoke}. */
    record RevokeAgentBody(String address, Long nonce, String agentKey) {
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

    /**
     * {@code POST /v1/typed-data/{kind}}: {@code order}, {@code cancel}, {@code amend}, {@code cancel-all},
     * {@code settings}, {@code withdraw} (from the command the request route builds), {@code session},
     * {@code read-access}, {@code approve-agent} and {@code revoke-agent} (their records).
     */
    private void typedData(Exchange x) throws RequestException {
        TypedMessage message = switch (x.parameter("kind")) {
            case "order" -> messageOf(order(x.body(Orders.OrderRequest.class)));
            case "cancel" -> messageOf(cancel(x.body(CancelBody.class)));
            case "amend" -> messageOf(amend(x.body(AmendBody.class)));
            case "cancel-all" -> messageOf(cancelAll(x.body(CancelAllBody.class)));
            case "session" -> grant(x.body(GrantBody.class), false);
            case "read-access" -> grant(x.body(GrantBody.class), true);
            case "approve-agent" -> approveAgent(x.body(ApproveAgentBody.class));
            case "revoke-agent" -> revokeAgent(x.body(RevokeAgentBody.class));
            case "settings" -> messageOf(settings(x.body(AccountRoutes.SettingsRequest.class)));
            case "withdraw" -> messageOf(withdraw(x.body(AccountRoutes.WithdrawalRequest.class)));
            default -> throw RequestException.notFound("no typed data for '" + io.meridian.node.codec.EdgeDecimals
                    .clip(x.parameter("kind")) + "': " + KINDS);
        };
        if (!message.validate().isOk()) {
            throw RequestException.badField(message.validate().message());
        }
        String digest = Hex.encode0x(message.digest(gateway.signing().domain()));
        x.send(200, new RawValue(TypedDataJson.of(gateway.signing().domain(), message)), Map.of(DIGEST_HEADER, digest));
    }

    /** The kinds, as a refusal names them. */
    static final String KINDS = "order, cancel, amend, cancel-all, settings, withdraw, session, read-access,"
            + " approve-agent or revoke-agent";

    private static TypedMessage messageOf(Command c) throws RequestException {
        try {
            return SignedCommands.messageOf(c);
        } catch (IllegalArgumentException e) {
            throw RequestException.badField(e.getMessage());
        }
    }

    /** A login or a read token: the same three members under two types, so neither can pass for the other. */
    private static TypedMessage grant(GrantBody b, boolean readAccess) throws RequestException {
        if (b.validUntil() == null) {
            throw RequestException.badField("validUntil: required (epoch milliseconds)");
        }
        Command c = signer(new Command().reset(), b.address(), b.nonce());
        Address owner = Address.of(c.address);
        return readAccess ? new ReadAccess(owner, b.validUntil(), b.nonce())
                : new SessionRequest(owner, b.validUntil(), b.nonce());
    }

    private static TypedMessage approveAgent(ApproveAgentBody b) throws RequestException {
        if (b.agentKey() == null || b.name() == null || b.validUntil() == null) {
            throw RequestException.badField("agentKey, name and validUntil: required");
        }
        signer(new Command().reset(), b.address(), b.nonce());
        Outcome<AgentKey> key = AgentKey.parseHex(b.agentKey());
        if (!key.isOk()) {
            throw RequestException.badField("agentKey: " + key.verdict().message());
        }
        return new ApproveAgent(key.value(), b.name(), b.nonce(), b.validUntil());
    }

    /** A revocation: the key as {@code POST /v1/agents/revoke} parses it, the owner's address and nonce. */
    private static TypedMessage revokeAgent(RevokeAgentBody b) throws RequestException {
        if (b.agentKey() == null) {
            throw RequestException.badField("agentKey: required");
        }
        signer(new Command().reset(), b.address(), b.nonce());
        Outcome<AgentKey> key = AgentKey.parseHex(b.agentKey());
        if (!key.isOk()) {
            throw RequestException.badField("agentKey: " + key.verdict().message());
        }
        return new RevokeAgent(key.value(), b.nonce());
    }

    /** A leverage or margin-mode change to sign: the {@code POST /v1/settings} body without its signature. */
    private Command settings(AccountRoutes.SettingsRequest b) throws RequestException {
        if (b.account() != null || b.signature() != null) {
            throw RequestException.badField(b.account() != null ? "account: a signed setting names its address"
                    : "signature: not part of what is signed (leave it out)");
        }
        return signer(AccountRoutes.settingsCommand(b, gateway.instruments()), b.address(), b.nonce());
    }

    /** A withdrawal to sign (the owner's only): the {@code POST /v1/withdrawals} body without its signature. */
    private Command withdraw(AccountRoutes.WithdrawalRequest b) throws RequestException {
        if (b.account() != null || b.signature() != null) {
            throw RequestException.badField(b.account() != null ? "account: a signed withdrawal names its address"
                    : "signature: not part of what is signed (leave it out)");
        }
        return signer(AccountRoutes.withdrawalCommand(b, gateway), b.address(), b.nonce());
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
        return signer(OrderRoutes.amendCommand(spec, b.orderId(), b.price(), b.quantity(), b.triggerPrice()),
                b.address(), b.nonce());
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
