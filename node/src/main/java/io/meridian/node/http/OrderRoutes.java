package io.meridian.node.http;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.Json;
import io.meridian.node.codec.Orders;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Units;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/** Orders: place, amend, cancel, cancel all, and an account's open orders. */
final class OrderRoutes {
    /** An amend: new price and/or quantity (omit one to keep it). */
    record AmendRequest(Long account, int instrument, BigDecimal price, BigDecimal quantity, String address, Long nonce,
                        String signature, String agentKey) {
    }

    private final Gateway gateway;
    private final AccountRoutes accounts;

    OrderRoutes(Gateway gateway, AccountRoutes accounts) {
        this.gateway = gateway;
        this.accounts = accounts;
    }

    List<Route> routes() {
        AuthRequirement signed = AuthRequirement.SIGNED_COMMAND;
        AuthRequirement own = AuthRequirement.PRIVATE_READ;
        RateClass entry = RateClass.ORDER_ENTRY;
        return List.of(
                Route.of(POST, "/v1/orders", signed, entry, this::place),
                Route.of(GET, "/v1/orders", own, RateClass.PRIVATE_READ, this::openOrders),
                Route.of(DELETE, "/v1/orders", signed, entry, this::cancelAll),
                Route.of(GET, "/v1/orders/{orderId}", own, RateClass.PRIVATE_READ, this::openOrder),
                Route.of(PUT, "/v1/orders/{orderId}", signed, entry, this::amend),
                Route.of(DELETE, "/v1/orders/{orderId}", signed, entry, this::cancel),
                Route.of(GET, "/v1/orders/by-client-id/{clientOrderId}", own, RateClass.PRIVATE_READ,
                        this::byClientOrderId));
    }

    /** {@code POST /v1/orders}. */
    private void place(Exchange x) throws RequestException {
        Orders.OrderRequest order = x.body(Orders.OrderRequest.class);
        Command c = Orders.command(order, new Command(), gateway.instruments(), gateway.signing());
        gateway.command(c, gateway.instruments().get(order.instrument()), x.context().channel(), x.responder());
    }

    /** {@code GET /v1/orders?account=A[&instrument=I]}: open orders, oldest first per instrument. */
    private void openOrders(Exchange x) throws RequestException {
        long account = x.account();
        List<InstrumentSpec> specs = accounts.onlyInstrument(x);
        x.reply(gateway.engine().query(e -> AccountViews.openOrders(e, account, specs)));
    }

    /** {@code DELETE /v1/orders?account=A[&instrument=I]}: cancels all (in one instrument, or all). */
    private void cancelAll(Exchange x) throws RequestException {
        long account = x.account();
        String only = x.query("instrument");
        Command c = new Command().reset();
        c.type = CommandType.CANCEL_ALL;
        c.account = account;
        c.instrument = only == null ? Command.ALL_INSTRUMENTS : gateway.instruments().require(only).id();
        attachFromQuery(c, x);
        gateway.command(c, null, x.context().channel(), x.responder());
    }

    /** {@code GET /v1/orders/{orderId}?account=A&instrument=I}: one open order, or 404. */
    private void openOrder(Exchange x) throws RequestException {
        long orderId = Ids.number(x.parameter("orderId"), "orderId");
        long account = x.account();
        InstrumentSpec spec = requiredInstrument(x);
        one(x, gateway.engine().query(e -> AccountViews.openOrders(e, account, List.of(spec)).stream()
                .filter(o -> ((Long) o.get("orderId")) == orderId).toList()),
                "no open order " + orderId + " of account " + account + " in instrument " + spec.id());
    }

    /** {@code GET /v1/orders/by-client-id/{clientOrderId}?account=A[&instrument=I]}: one open order, or 404. */
    private void byClientOrderId(Exchange x) throws RequestException {
        long clientOrderId = Ids.number(x.parameter("clientOrderId"), "clientOrderId");
        if (clientOrderId == 0) {
            throw RequestException.badField("clientOrderId: must not be 0");
        }
        long account = x.account();
        List<InstrumentSpec> specs = accounts.onlyInstrument(x);
        one(x, gateway.engine().query(e -> AccountViews.openOrders(e, account, specs).stream()
                .filter(o -> o.get("clientOrderId") instanceof Long id && id == clientOrderId).toList()),
                "no open order with client order id " + clientOrderId + " of account " + account);
    }

    /** Answers the first order found, or 404 with {@code none}. */
    private static void one(Exchange x, CompletableFuture<List<Map<String, Object>>> found, String none) {
        found.whenComplete((orders, failure) -> {
            if (failure != null) {
                x.failed(failure);
            } else if (orders.isEmpty()) {
                x.send(404, Json.error(Codes.NOT_FOUND, none));
            } else {
                x.send(200, orders.get(0));
            }
        });
    }

    /** {@code PUT /v1/orders/{orderId}}: amend price and/or quantity. */
    private void amend(Exchange x) throws RequestException {
        long orderId = Ids.number(x.parameter("orderId"), "orderId");
        AmendRequest amend = x.body(AmendRequest.class);
        InstrumentSpec spec = gateway.instruments().get(amend.instrument());
        if (spec == null) {
            throw RequestException.badField("instrument: no instrument " + amend.instrument());
        }
        if (amend.price() == null && amend.quantity() == null) {
            throw RequestException.badField("price or quantity: required");
        }
        long price = amend.price() == null ? 0 : Units.units(amend.price(), spec.tickSize(), "price");
        long lots = amend.quantity() == null ? 0 : Units.units(amend.quantity(), spec.lotSize(), "quantity");
        Command c = new Command().amend(Orders.accountId(amend.account()), spec.id(), orderId, price, lots);
        gateway.signing().attach(c, amend.address(), amend.nonce(), amend.signature(), amend.agentKey());
        gateway.command(c, spec, x.context().channel(), x.responder());
    }

    /** {@code DELETE /v1/orders/{orderId}?account=A&instrument=I} (or signed in the query). */
    private void cancel(Exchange x) throws RequestException {
        long orderId = Ids.number(x.parameter("orderId"), "orderId");
        long account = x.hasQuery("address") ? 0 : x.account();
        InstrumentSpec spec = requiredInstrument(x);
        Command cancel = new Command().cancel(account, spec.id(), orderId);
        attachFromQuery(cancel, x);
        gateway.command(cancel, spec, x.context().channel(), x.responder());
    }

    /** The required {@code ?instrument=I}. */
    private InstrumentSpec requiredInstrument(Exchange x) throws RequestException {
        String text = x.query("instrument");
        return gateway.instruments().require(text == null ? "" : text);
    }

    /** The signature fields of a DELETE, from its query: address, nonce, signature and agentKey. */
    private void attachFromQuery(Command c, Exchange x) throws RequestException {
        if (!x.hasQuery("address")) {
            return;
        }
        String nonce = x.query("nonce");
        Long parsedNonce;
        try {
            parsedNonce = nonce == null ? null : Long.parseLong(nonce);
        } catch (NumberFormatException e) {
            throw RequestException.badField("nonce: not a number");
        }
        c.account = 0;
        gateway.signing().attach(c, x.query("address"), parsedNonce, x.query("signature"), x.query("agentKey"));
    }
}
