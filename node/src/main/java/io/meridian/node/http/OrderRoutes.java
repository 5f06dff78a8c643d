package io.meridian.node.http;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.InstrumentRef;
import io.meridian.node.codec.Json;
import io.meridian.node.codec.Orders;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Units;
import io.meridian.node.history.HistoryQuery;
import io.meridian.node.history.OrderHistory;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/**
 * Orders: place, amend, cancel (by order id or client order id), cancel all, an account's open orders, one order (by
 * order id or client order id), and the account's order history.
 */
final class OrderRoutes {
    /**
     * An amend: new price, quantity and/or trigger price (omit one to keep it); the instrument by id or symbol. With a
     * trigger price it is signed as {@code AmendTrigger}, else as {@code Amend} (auth.md).
     */
    record AmendRequest(Long account, InstrumentRef instrument, BigDecimal price, BigDecimal quantity,
                        BigDecimal triggerPrice, String address, Long nonce, String signature, String agentKey) {
    }

    /** What a signed DELETE carries in its query, beside what it names. */
    static final String[] SIGNED_QUERY = {"address", "nonce", "signature", "agentKey"};

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
        RateClass read = RateClass.PRIVATE_READ;
        return List.of(
                Route.of(POST, "/v1/orders", signed, entry, this::place),
                Route.of(GET, "/v1/orders", own, read, this::openOrders).query("account", "address", "instrument"),
                Route.of(DELETE, "/v1/orders", signed, entry, this::cancelAll)
                        .query("account", "instrument").query(SIGNED_QUERY),
                Route.of(GET, "/v1/orders/history", own, read, this::history)
                        .query("account", "address", "instrument").query(Paging.PARAMETERS),
                Route.of(GET, "/v1/orders/{orderId}", own, read, this::order)
                        .query("account", "address", "instrument"),
                Route.of(PUT, "/v1/orders/{orderId}", signed, entry, this::amend),
                Route.of(DELETE, "/v1/orders/{orderId}", signed, entry, this::cancel)
                        .query("account", "instrument").query(SIGNED_QUERY),
                Route.of(GET, "/v1/orders/by-client-id/{clientOrderId}", own, read, this::byClientOrderId)
                        .query("account", "address", "instrument"),
                Route.of(DELETE, "/v1/orders/by-client-id/{clientOrderId}", signed, entry, this::cancelByClientOrderId)
                        .query("account", "instrument").query(SIGNED_QUERY));
    }

    /** {@code POST /v1/orders}. */
    private void place(Exchange x) throws RequestException {
        Orders.OrderRequest order = x.body(Orders.OrderRequest.class);
        Command c = Orders.command(order, new Command(), gateway.instruments(), gateway.signing());
        gateway.command(c, Orders.instrument(order, gateway.instruments()), x.context().channel(), x.responder());
    }

    /** {@code GET /v1/orders?account=A[&instrument=I]}: open orders, oldest first per instrument. */
    private void openOrders(Exchange x) throws RequestException {
        long account = x.account();
        List<InstrumentSpec> specs = accounts.onlyInstrument(x);
        x.reply(gateway.engine().query(e -> AccountViews.openOrders(e, account, specs)));
    }

    /**
     * {@code GET /v1/orders/history?account=A[&instrument=I][&limit][&fromId][&startTime][&endTime][&cursor]}: the
     * account's orders, open and ended, newest first (oldest first from {@code fromId}), in pages.
     */
    private void history(Exchange x) throws RequestException {
        long account = x.account();
        String only = x.query("instrument");
        int instrument = only == null ? 0 : gateway.instruments().require(only).id();
        HistoryQuery page = Paging.query(x, instrument, 100);
        Paging.reply(x, gateway.engine().orders(account, page), o -> OrderViews.ofHistory(o, gateway));
    }

    /** {@code DELETE /v1/orders?account=A[&instrument=I]}: cancels all (in one instrument, or all). */
    private void cancelAll(Exchange x) throws RequestException {
        long account = x.hasQuery("address") ? 0 : x.account();
        String only = x.query("instrument");
        Command c = new Command().reset();
        c.type = CommandType.CANCEL_ALL;
        c.account = account;
        c.instrument = only == null ? Command.ALL_INSTRUMENTS : gateway.instruments().require(only).id();
        attachFromQuery(c, x);
        gateway.command(c, null, x.context().channel(), x.responder());
    }

    /**
     * {@code GET /v1/orders/{orderId}?account=A[&instrument=I]}: the order, open (from the engine) or ended (from the
     * order history), or 404 when neither holds it.
     */
    private void order(Exchange x) throws RequestException {
        long orderId = Ids.number(x.parameter("orderId"), "orderId");
        long account = x.account();
        List<InstrumentSpec> specs = accounts.onlyInstrument(x);
        int instrument = specs.size() == 1 ? specs.get(0).id() : 0;
        one(x, gateway.engine().history((e, h) -> {
            Map<String, Object> open = AccountViews.openOrder(e, account, specs, o -> o.orderId() == orderId);
            if (open != null) {
                return open;
            }
            OrderHistory.Order ended = h.orders().find(account, orderId);
            return ended == null || (instrument != 0 && ended.instrument() != instrument) ? null : ended;
        }), "no order " + orderId + " of account " + account + (instrument == 0 ? "" : " in instrument " + instrument));
    }

    /**
     * {@code GET /v1/orders/by-client-id/{clientOrderId}?account=A[&instrument=I]}: the account's open order with that
     * client order id (a text, whose key is looked up: a plain number is that number; docs/auth.md, "Client order ids";
     * a {@code /} in it is sent as {@code %2F}), else its newest ended one in the history, or 404.
     */
    private void byClientOrderId(Exchange x) throws RequestException {
        ClientOrderId id = ClientOrderId.text(x.parameter("clientOrderId"), "clientOrderId");
        long key = id.key();
        long account = x.account();
        List<InstrumentSpec> specs = accounts.onlyInstrument(x);
        int instrument = specs.size() == 1 && x.query("instrument") != null ? specs.get(0).id() : 0;
        one(x, gateway.engine().history((e, h) -> {
            Map<String, Object> open = AccountViews.openOrder(e, account, specs, o -> o.clientOrderId() == key);
            return open == null ? h.orders().findByClientOrderId(account, key, instrument) : open;
        }), "no order with client order id " + id.text() + " of account " + account);
    }

    /**
     * {@code DELETE /v1/orders/by-client-id/{clientOrderId}?account=A&instrument=I} (or signed in the query: the
     * {@code Cancel} struct with {@code orderId} 0 and the text's key): cancels the account's open order in the
     * instrument with that client order id; the answer echoes it.
     */
    private void cancelByClientOrderId(Exchange x) throws RequestException {
        ClientOrderId id = ClientOrderId.text(x.parameter("clientOrderId"), "clientOrderId");
        long account = x.hasQuery("address") ? 0 : x.account();
        InstrumentSpec spec = gateway.instruments().require(x.query("instrument"));
        Command cancel = new Command().cancel(account, spec.id(), 0);
        id.applyTo(cancel);
        attachFromQuery(cancel, x);
        gateway.command(cancel, spec, x.context().channel(), x.responder());
    }

    /** Answers the order found (an open order's map, or a history record), or 404 with {@code none}. */
    private void one(Exchange x, CompletableFuture<Object> found, String none) {
        found.whenCompleteAsync((order, failure) -> {
            if (failure != null) {
                x.failed(failure);
            } else if (order == null) {
                x.send(404, Json.error(Codes.NOT_FOUND, none));
            } else if (order instanceof OrderHistory.Order ended) {
                x.send(200, OrderViews.ofHistory(ended, gateway));
            } else {
                x.send(200, order);
            }
        }, x.executor());
    }

    /** {@code PUT /v1/orders/{orderId}}: amend price, quantity and/or trigger price. */
    private void amend(Exchange x) throws RequestException {
        long orderId = Ids.number(x.parameter("orderId"), "orderId");
        AmendRequest amend = x.body(AmendRequest.class);
        InstrumentSpec spec = gateway.instruments().resolve(amend.instrument(), "instrument");
        Command c = amendCommand(spec, orderId, amend.price(), amend.quantity(), amend.triggerPrice());
        c.account = Orders.accountId(amend.account());
        gateway.signing().attach(c, amend.address(), amend.nonce(), amend.signature(), amend.agentKey());
        gateway.command(c, spec, x.context().channel(), x.responder());
    }

    /**
     * The AMEND_ORDER command of an amend's decimals (the request route and the typed-data route build it here, so what
     * the latter says to sign is what the former checks), account 0: 400 when none of the three is given or one is not
     * a multiple of its unit. Whether the order exists, is conditional (for a trigger) and the result valid
     * is the engine's to decide.
     */
    static Command amendCommand(InstrumentSpec spec, long orderId, BigDecimal price, BigDecimal quantity,
                                BigDecimal triggerPrice) throws RequestException {
        if (price == null && quantity == null && triggerPrice == null) {
            throw RequestException.badField("price, quantity or triggerPrice: at least one is required");
        }
        long ticks = price == null ? 0 : Units.units(price, spec.tickSize(), "price");
        long lots = quantity == null ? 0 : Units.units(quantity, spec.lotSize(), "quantity");
        Command c = new Command().amend(0, spec.id(), orderId, ticks, lots);
        c.triggerPrice = triggerPrice == null ? 0 : Units.units(triggerPrice, spec.tickSize(), "triggerPrice");
        return c;
    }

    /** {@code DELETE /v1/orders/{orderId}?account=A&instrument=I} (or signed in the query). */
    private void cancel(Exchange x) throws RequestException {
        long orderId = Ids.number(x.parameter("orderId"), "orderId");
        long account = x.hasQuery("address") ? 0 : x.account();
        InstrumentSpec spec = gateway.instruments().require(x.query("instrument"));
        Command cancel = new Command().cancel(account, spec.id(), orderId);
        attachFromQuery(cancel, x);
        gateway.command(cancel, spec, x.context().channel(), x.responder());
    }

    /** The signature fields of a DELETE, from its query: address, nonce, signature and agentKey. */
    private void attachFromQuery(Command c, Exchange x) throws RequestException {
        if (!x.hasQuery("address")) {
            return;
        }
        String nonce = x.query("nonce");
        Long parsedNonce = nonce == null ? null : Ids.number(nonce, "nonce");
        c.account = 0;
        gateway.signing().attach(c, x.query("address"), parsedNonce, x.query("signature"), x.query("agentKey"));
    }
}
