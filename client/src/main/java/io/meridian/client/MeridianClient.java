package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.auth.Address;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.ClientOrderIds;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.FeedSignatures;
import io.meridian.auth.Hex;
import io.meridian.auth.MeridianTypes;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.MarginMode;
import io.meridian.model.OrderType;
import io.meridian.model.PostOnly;
import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.model.TriggerSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * REST calls to a node (docs/api.md). Prices and quantities are decimal strings in the instrument's units. Every call
 * returns the answer's JSON or throws {@link ApiException} with the node's code and message.
 *
 * <p>With a {@link Signer} ({@link #signedBy}) every order, cancel, amend, cancel-all, settings change and withdrawal
 * is made by the signer's address and signed (docs/auth.md): the client builds the engine command the node will build
 * from the same decimals (instrument tick and lot sizes from {@code GET /v1/instruments}, fetched once), signs its
 * EIP-712 message, and the node verifies it before sequencing. The account ids passed to those calls are then ignored.
 * Without one, requests name account ids (a node in auth mode open only). Thread-safe.
 */
public final class MeridianClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http;
    private final Signer signer;
    /** A read token given by its owner (when there is no signer to make one), or null. */
    private final String readToken;
    private volatile Map<Integer, BigDecimal[]> steps;

    /** @param baseUrl the node, e.g. {@code http://127.0.0.1:8080} */
    public MeridianClient(String baseUrl) {
        this(baseUrl, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), null, null);
    }

    private MeridianClient(String baseUrl, HttpClient http, Signer signer, String readToken) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
        this.signer = signer;
        this.readToken = readToken;
    }

    /**
     * A client for the same node that reads with {@code token} (a read token its owner made, docs/auth.md): for tools
     * that read an account's private data without holding a key.
     */
    public MeridianClient withReadToken(String token) {
        return new MeridianClient(base, http, signer, Objects.requireNonNull(token));
    }

    /** A client for the same node (sharing its connections) whose requests {@code signer} signs. */
    public MeridianClient signedBy(Signer signer) {
        return new MeridianClient(base, http, Objects.requireNonNull(signer), null);
    }

    /** The signer, or null for a client that names account ids. */
    public Signer signer() {
        return signer;
    }

    /** The node's EIP-712 domain ({@code GET /v1/auth}), what signers must sign under. */
    public Eip712Domain domain() {
        JsonNode auth = get("/v1/auth");
        return MeridianTypes.domain(auth.path("chainId").asLong(),
                Address.parseOrThrow(auth.path("verifyingContract").asText()));
    }

    public String baseUrl() {
        return base;
    }

    HttpClient http() {
        return http;
    }

    /**
     * A new order ({@code POST /v1/orders}; docs/api.md has each field): {@code clientOrderId} 0 for none, or, with
     * {@code clientOrderText}, the key of a client order id given as text ({@link #withClientOrderId(String)}: 1 to 36
     * characters of A-Z a-z 0-9 . _ : / -, such as a UUID; docs/auth.md, "Client order ids"); {@code type} limit, market,
     * stop_market, stop_limit, take_profit_market or take_profit_limit; the optional fields null (or 0, false) when
     * absent: {@code triggerPrice} and {@code triggerSource} (last or mark) of a conditional order,
     * {@code displayQuantity} of an iceberg, {@code expireTime} (epoch milliseconds) of a GTD order,
     * {@code selfTradePrevention} (none, expire_maker, expire_taker, expire_both, decrement), {@code postOnly} (reject or
     * slide), {@code reduceOnly}.
     */
    public record Order(long account, int instrument, String side, String type, String price, String quantity,
                        String timeInForce, long clientOrderId, String triggerPrice, String triggerSource,
                        String displayQuantity, long expireTime, String selfTradePrevention, String postOnly,
                        boolean reduceOnly, String clientOrderText) {
        /** Every field but a client order id text (the id, if any, is a number). */
        public Order(long account, int instrument, String side, String type, String price, String quantity,
                     String timeInForce, long clientOrderId, String triggerPrice, String triggerSource,
                     String displayQuantity, long expireTime, String selfTradePrevention, String postOnly,
                     boolean reduceOnly) {
            this(account, instrument, side, type, price, quantity, timeInForce, clientOrderId, triggerPrice,
                    triggerSource, displayQuantity, expireTime, selfTradePrevention, postOnly, reduceOnly, null);
        }

        /** The fields of a plain order; the optional ones absent. */
        public Order(long account, int instrument, String side, String type, String price, String quantity,
                     String timeInForce, long clientOrderId) {
            this(account, instrument, side, type, price, quantity, timeInForce, clientOrderId, null, null, null, 0,
                    null, null, false, null);
        }

        public static Order limit(long account, int instrument, String side, String price, String quantity) {
            return new Order(account, instrument, side, "limit", price, quantity, "gtc", 0);
        }

        public static Order market(long account, int instrument, String side, String quantity) {
            return new Order(account, instrument, side, "market", null, quantity, null, 0);
        }

        /**
         * A conditional order: {@code type} stop_market, stop_limit, take_profit_market or take_profit_limit,
         * {@code price} null for the market kinds, firing when the last price (or, with
         * {@link #withTriggerSource}, the mark) reaches {@code triggerPrice}.
         */
        public static Order conditional(long account, int instrument, String side, String type, String price,
                                        String quantity, String triggerPrice) {
            return new Order(account, instrument, side, type, price, quantity, null, 0, triggerPrice, null, null, 0,
                    null, null, false, null);
        }

        /** A client order id given as a number (1 to 2^62 - 1), echoed back as a number. */
        public Order withClientOrderId(long id) {
            return new Order(account, instrument, side, type, price, quantity, timeInForce, id, triggerPrice,
                    triggerSource, displayQuantity, expireTime, selfTradePrevention, postOnly, reduceOnly, null);
        }

        /**
         * A client order id given as text (a UUID, say), echoed back exactly; what is signed is its key
         * ({@link ClientOrderIds#key}).
         *
         * @throws IllegalArgumentException when it is not 1 to 36 characters of A-Z a-z 0-9 . _ : / -
         */
        public Order withClientOrderId(String id) {
            return new Order(account, instrument, side, type, price, quantity, timeInForce, ClientOrderIds.key(id),
                    triggerPrice, triggerSource, displayQuantity, expireTime, selfTradePrevention, postOnly,
                    reduceOnly, id);
        }

        public Order withTimeInForce(String tif) {
            return new Order(account, instrument, side, type, price, quantity, tif, clientOrderId, triggerPrice,
                    triggerSource, displayQuantity, expireTime, selfTradePrevention, postOnly, reduceOnly,
                    clientOrderText);
        }

        /** The price a conditional order watches: last (the default) or mark. */
        public Order withTriggerSource(String source) {
            return new Order(account, instrument, side, type, price, quantity, timeInForce, clientOrderId,
                    triggerPrice, source, displayQuantity, expireTime, selfTradePrevention, postOnly, reduceOnly,
                    clientOrderText);
        }

        /** An iceberg: only {@code display} of the quantity shows in the book at a time. */
        public Order withDisplayQuantity(String display) {
            return new Order(account, instrument, side, type, price, quantity, timeInForce, clientOrderId,
                    triggerPrice, triggerSource, display, expireTime, selfTradePrevention, postOnly, reduceOnly,
                    clientOrderText);
        }

        /** Good till {@code epochMillis}: the order becomes GTD. */
        public Order goodTill(long epochMillis) {
            return new Order(account, instrument, side, type, price, quantity, "gtd", clientOrderId, triggerPrice,
                    triggerSource, displayQuantity, epochMillis, selfTradePrevention, postOnly, reduceOnly,
                    clientOrderText);
        }

        /** Self-trade prevention: none, expire_maker, expire_taker, expire_both or decrement. */
        public Order withSelfTradePrevention(String mode) {
            return new Order(account, instrument, side, type, price, quantity, timeInForce, clientOrderId,
                    triggerPrice, triggerSource, displayQuantity, expireTime, mode, postOnly, reduceOnly,
                    clientOrderText);
        }

        /** Post-only: reject (refused if it would take) or slide (repriced one tick behind the best opposite). */
        public Order withPostOnly(String mode) {
            return new Order(account, instrument, side, type, price, quantity, timeInForce, clientOrderId,
                    triggerPrice, triggerSource, displayQuantity, expireTime, selfTradePrevention, mode, reduceOnly,
                    clientOrderText);
        }

        public Order withReduceOnly(boolean reduce) {
            return new Order(account, instrument, side, type, price, quantity, timeInForce, clientOrderId,
                    triggerPrice, triggerSource, displayQuantity, expireTime, selfTradePrevention, postOnly, reduce,
                    clientOrderText);
        }

        ObjectNode json() {
            ObjectNode o = JSON.createObjectNode();
            o.put("account", account).put("instrument", instrument).put("side", side).put("type", type)
                    .put("quantity", quantity);
            if (price != null) {
                o.put("price", price);
            }
            if (timeInForce != null) {
                o.put("timeInForce", timeInForce);
            }
            if (clientOrderText != null) {
                o.put("clientOrderId", clientOrderText);
            } else if (clientOrderId != 0) {
                o.put("clientOrderId", clientOrderId);
            }
            if (triggerPrice != null) {
                o.put("triggerPrice", triggerPrice);
            }
            if (triggerSource != null) {
                o.put("triggerSource", triggerSource);
            }
            if (displayQuantity != null) {
                o.put("displayQuantity", displayQuantity);
            }
            if (expireTime != 0) {
                o.put("expireTime", expireTime);
            }
            if (selfTradePrevention != null) {
                o.put("selfTradePrevention", selfTradePrevention);
            }
            if (postOnly != null) {
                o.put("postOnly", postOnly);
            }
            if (reduceOnly) {
                o.put("reduceOnly", true);
            }
            return o;
        }
    }

    public JsonNode health() {
        return get("/health");
    }

    /** The node's indexes, with their decimals, sources, feed keys and prices ({@code GET /v1/indexes}). */
    public JsonNode indexes() {
        return get("/v1/indexes");
    }

    public JsonNode instruments() {
        return get("/v1/instruments");
    }

    public JsonNode book(int instrument, int depth) {
        return get("/v1/book/" + instrument + "?depth=" + depth);
    }

    public JsonNode ticker(int instrument) {
        return get("/v1/ticker/" + instrument);
    }

    public JsonNode account(long account) {
        return get("/v1/accounts/" + account);
    }

    /** The node's clock ({@code GET /v1/time}): {@code serverTime} in epoch milliseconds. */
    public JsonNode time() {
        return get("/v1/time");
    }

    /** Every instrument's ticker with its 24-hour statistics ({@code GET /v1/ticker}). */
    public JsonNode tickers() {
        return get("/v1/ticker");
    }

    /**
     * One page of an account's history: its records, and the cursor of the next page (null on the last one), to pass
     * as {@code cursor=} with the same other parameters.
     */
    public record Page(JsonNode items, String next) {
    }

    /**
     * A page of the account's fills ({@code GET /v1/fills}); {@code query} holds the page's parameters after the account
     * ({@code "limit=100&cursor=..."}, {@code "fromId=12&instrument=BTC-PERP"}; empty: the newest).
     */
    public Page fills(long account, String query) {
        return page("/v1/fills?" + accountQuery(account) + (query.isEmpty() ? "" : "&" + query));
    }

    /** A page of the account's orders, open and ended ({@code GET /v1/orders/history}); {@code query} as for fills. */
    public Page orderHistory(long account, String query) {
        return page("/v1/orders/history?" + accountQuery(account) + (query.isEmpty() ? "" : "&" + query));
    }

    /**
     * The open positions of the account its owner's {@code address} names ({@code GET /v1/positions?address=}): size,
     * entry, mark, PnL, liquidation price, margin mode and leverage per instrument.
     */
    public JsonNode positions(Address address) {
        return get("/v1/positions?address=" + address.toChecksumHex());
    }

    /** The balances per asset of the account its owner's {@code address} names ({@code GET /v1/balances?address=}). */
    public JsonNode balances(Address address) {
        return get("/v1/balances?address=" + address.toChecksumHex());
    }

    /** The open orders of the account its owner's {@code address} names ({@code GET /v1/orders?address=}). */
    public JsonNode openOrders(Address address) {
        return get("/v1/orders?address=" + address.toChecksumHex());
    }

    /** One order of the account, open or ended ({@code GET /v1/orders/{id}}); 404 when the node holds neither. */
    public JsonNode order(long account, long orderId) {
        return get("/v1/orders/" + orderId + "?" + accountQuery(account));
    }

    /**
     * The account's open order with this client order id, else its newest ended one
     * ({@code GET /v1/orders/by-client-id/{clientOrderId}}; a number's digits or a text); 404 when there is none.
     */
    public JsonNode orderByClientOrderId(long account, String clientOrderId) {
        return get("/v1/orders/by-client-id/" + pathSegment(clientOrderId) + "?" + accountQuery(account));
    }

    /**
     * Cancels the account's open order in {@code instrument} with this client order id (a number's digits or a text;
     * {@code DELETE /v1/orders/by-client-id/{clientOrderId}}), signed as the {@code Cancel} struct with {@code orderId}
     * 0 and the id's key when this client signs.
     */
    public JsonNode cancelByClientOrderId(long account, int instrument, String clientOrderId) {
        String path = "/v1/orders/by-client-id/" + pathSegment(clientOrderId) + "?instrument=" + instrument;
        if (signer == null) {
            return send("DELETE", path + "&account=" + account, null);
        }
        Command c = new Command().cancel(0, instrument, 0);
        c.clientOrderId = ClientOrderIds.key(clientOrderId);
        return send("DELETE", path + "&" + Signer.query(signer.sign(c)), null);
    }

    /** A path segment: percent-encoded, so that a client order id's '/' and ':' stay inside it. */
    private static String pathSegment(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The EIP-712 typed data a request must sign ({@code POST /v1/typed-data/{kind}}: order, cancel, amend or
     * cancel-all), for {@code body} (the request's fields with {@code address} and {@code nonce}, without a signature).
     */
    public JsonNode typedData(String kind, JsonNode body) {
        return send("POST", "/v1/typed-data/" + kind, body);
    }

    /** The account named by its signer's address when this client signs, else by id. */
    private String accountQuery(long account) {
        return signer != null ? "address=" + signer.address().toChecksumHex() : "account=" + account;
    }

    /** Places an order; the answer comes once it is journaled and applied (see docs/api.md for its fields). */
    public JsonNode place(Order order) {
        return send("POST", "/v1/orders", orderJson(order));
    }

    /** The request body of an order: signed when this client has a signer. */
    ObjectNode orderJson(Order order) {
        ObjectNode json = order.json();
        return signer == null ? json : Signer.fields(json, signer.sign(orderCommand(order)));
    }

    public JsonNode cancel(long account, int instrument, long orderId) {
        if (signer == null) {
            return send("DELETE", "/v1/orders/" + orderId + "?account=" + account + "&instrument=" + instrument, null);
        }
        Command signed = signer.sign(new Command().cancel(0, instrument, orderId));
        return send("DELETE", "/v1/orders/" + orderId + "?instrument=" + instrument + "&" + Signer.query(signed), null);
    }

    /** The WebSocket cancel message's fields: signed when this client has a signer. */
    ObjectNode cancelJson(long account, int instrument, long orderId) {
        ObjectNode json = JSON.createObjectNode().put("account", account).put("instrument", instrument)
                .put("orderId", orderId);
        return signer == null ? json : Signer.fields(json, signer.sign(new Command().cancel(0, instrument, orderId)));
    }

    public JsonNode cancelAll(long account) {
        if (signer == null) {
            return send("DELETE", "/v1/orders?account=" + account, null);
        }
        Command c = new Command().reset();
        c.type = CommandType.CANCEL_ALL;
        c.instrument = Command.ALL_INSTRUMENTS;
        return send("DELETE", "/v1/orders?" + Signer.query(signer.sign(c)), null);
    }

    /** New price and/or quantity (null keeps it). */
    public JsonNode amend(long account, int instrument, long orderId, String price, String quantity) {
        return amend(account, instrument, orderId, price, quantity, null);
    }

    /** New price, quantity and/or trigger price of a conditional order (null keeps it; signed as AmendTrigger with one). */
    public JsonNode amend(long account, int instrument, long orderId, String price, String quantity,
                          String triggerPrice) {
        ObjectNode o = JSON.createObjectNode().put("account", account).put("instrument", instrument);
        if (price != null) {
            o.put("price", price);
        }
        if (quantity != null) {
            o.put("quantity", quantity);
        }
        if (triggerPrice != null) {
            o.put("triggerPrice", triggerPrice);
        }
        if (signer != null) {
            BigDecimal[] step = step(instrument);
            long ticks = price == null ? 0 : exact(price, step[0], "price");
            long lots = quantity == null ? 0 : exact(quantity, step[1], "quantity");
            Command c = new Command().amend(0, instrument, orderId, ticks, lots);
            c.triggerPrice = triggerPrice == null ? 0 : exact(triggerPrice, step[0], "triggerPrice");
            Signer.fields(o, signer.sign(c));
        }
        return send("PUT", "/v1/orders/" + orderId, o);
    }

    public JsonNode setLeverage(long account, int instrument, int leverage) {
        ObjectNode o = JSON.createObjectNode().put("account", account).put("instrument", instrument)
                .put("leverage", leverage);
        if (signer != null) {
            Command c = new Command().reset();
            c.type = CommandType.SET_LEVERAGE;
            c.instrument = instrument;
            c.leverage = leverage;
            Signer.fields(o, signer.sign(c));
        }
        return send("POST", "/v1/settings", o);
    }

    /**
     * Turns portfolio margin on ({@code "portfolio"}) or off ({@code "standard"}) for the whole account: its options
     * and the futures on their indexes are then margined together over a stress grid (docs/risk.md). Signed like the
     * other settings (instrument -1, the engine's "all instruments").
     */
    public JsonNode setAccountMarginMode(long account, String mode) {
        MarginMode engineMode = switch (String.valueOf(mode).toLowerCase(Locale.ROOT)) {
            case "portfolio" -> MarginMode.PORTFOLIO;
            case "standard" -> MarginMode.CROSS;
            default -> throw new IllegalArgumentException("mode: must be portfolio or standard, was " + mode);
        };
        ObjectNode o = JSON.createObjectNode().put("account", account).put("marginMode", mode);
        if (signer != null) {
            Command c = new Command().reset();
            c.type = CommandType.SET_MARGIN_MODE;
            c.instrument = Command.ALL_INSTRUMENTS;
            c.marginMode = engineMode;
            Signer.fields(o, signer.sign(c));
        }
        return send("POST", "/v1/settings", o);
    }

    /**
     * The account's option positions with their greeks and the sums per index ({@code GET /v1/greeks}); with a signer,
     * the signer's account (by address).
     */
    /** The option greeks and margin of the account an address owns ({@code GET /v1/greeks?address=}). */
    public JsonNode greeksOf(Address address) {
        return get("/v1/greeks?address=" + address.toChecksumHex());
    }

    public JsonNode greeks(long account) {
        return get(signer != null ? "/v1/greeks?address=" + signer.address().toChecksumHex() : "/v1/greeks?account="
                + account);
    }

    /**
     * Withdraws {@code amount} whole units of {@code asset} (a decimal with at most the asset's decimals) to
     * {@code destination}; needs an owner signer (agents may not withdraw).
     *
     * @param scale the asset's decimals (from {@code GET /v1/assets})
     */
    public JsonNode withdraw(int asset, int scale, String amount, Address destination) {
        if (signer == null || signer.isAgent()) {
            throw new IllegalStateException("a withdrawal is signed by the account's owner");
        }
        Command c = new Command().withdraw(0, asset, exact(amount, BigDecimal.ONE.movePointLeft(scale), "amount"));
        c.destination = destination.toBytes();
        ObjectNode o = JSON.createObjectNode().put("asset", asset).put("amount", amount)
                .put("destination", destination.toChecksumHex());
        return send("POST", "/v1/withdrawals", Signer.fields(o, signer.sign(c)));
    }

    /** Approves {@code agent} to trade and cancel for the owner until {@code validUntilMillis}; needs an owner signer. */
    public JsonNode approveAgent(AgentSigner agent, String name, long validUntilMillis) {
        Command c = agentCommand(CommandType.APPROVE_AGENT, agent);
        c.agentName = name;
        c.validUntil = validUntilMillis;
        ObjectNode o = JSON.createObjectNode().put("agentKey", agent.publicKey().toHex()).put("name", name)
                .put("validUntil", validUntilMillis);
        return send("POST", "/v1/agents", Signer.fields(o, signer.sign(c)));
    }

    /** Revokes an agent; needs an owner signer. */
    public JsonNode revokeAgent(AgentSigner agent) {
        Command c = agentCommand(CommandType.REVOKE_AGENT, agent);
        ObjectNode o = JSON.createObjectNode().put("agentKey", agent.publicKey().toHex());
        return send("POST", "/v1/agents/revoke", Signer.fields(o, signer.sign(c)));
    }

    /**
     * The risk parameters in force of every model-margined instrument, with the next announced change
     * ({@code GET /v1/risk-parameters}; docs/api.md, "Risk parameters and governance").
     */
    public JsonNode riskParameters() {
        return get("/v1/risk-parameters");
    }

    /** One instrument's risk parameters in force and next change (a list of one). */
    public JsonNode riskParameters(int instrument) {
        return get("/v1/risk-parameters?instrument=" + instrument);
    }

    /** The venue's governance: admins, threshold, timelock and the open proposals ({@code GET /v1/governance}). */
    public JsonNode governance() {
        return get("/v1/governance");
    }

    /**
     * Proposes risk bounds for an instrument as an admin ({@code POST /v1/governance/proposals}, EIP-712
     * {@code RiskBoundsProposal}); the answer's {@code proposalId} is what the other admins approve. Needs an owner
     * signer: admins sign with their own key, never an agent's.
     */
    public JsonNode proposeRiskBounds(int instrument, io.meridian.model.RiskBounds bounds) {
        Command c = new Command().reset();
        c.type = CommandType.PROPOSE_RISK_BOUNDS;
        c.instrument = instrument;
        c.riskBounds = bounds;
        ObjectNode o = JSON.createObjectNode().put("instrument", instrument).put("floorPpm", bounds.floorPpm())
                .put("ceilingPpm", bounds.ceilingPpm()).put("maxChangePerHourPpm", bounds.maxChangePerHourPpm())
                .put("hysteresisPpm", bounds.hysteresisPpm()).put("noticeMillis", bounds.noticeMillis());
        return send("POST", "/v1/governance/proposals", Signer.fields(o, adminSigner().sign(c)));
    }

    /** Approves proposal {@code id} as an admin (EIP-712 {@code ProposalVote}, action 0). */
    public JsonNode approveProposal(long id) {
        return vote(CommandType.APPROVE_PROPOSAL, id, "approve");
    }

    /** Vetoes proposal {@code id} as an admin (action 1): any one admin may cancel a pending or queued proposal. */
    public JsonNode cancelProposal(long id) {
        return vote(CommandType.CANCEL_PROPOSAL, id, "cancel");
    }

    private JsonNode vote(CommandType type, long id, String action) {
        Command c = new Command().reset();
        c.type = type;
        c.proposalId = id;
        return send("POST", "/v1/governance/proposals/" + id + "/" + action,
                Signer.fields(JSON.createObjectNode(), adminSigner().sign(c)));
    }

    private Signer adminSigner() {
        if (signer == null || signer.isAgent()) {
            throw new IllegalStateException("governance requests are signed by an admin's own key (an owner signer)");
        }
        return signer;
    }

    /** The account opened for {@code address} (404 until its first deposit). */
    public JsonNode account(Address address) {
        return get("/v1/accounts/" + address.toChecksumHex());
    }

    /** Dev mode only: credits {@code amount} whole units of {@code asset} to an address, opening its account. */
    public JsonNode devDeposit(Address address, int asset, String amount) {
        return send("POST", "/v1/dev/deposit", JSON.createObjectNode().put("address", address.toChecksumHex())
                .put("asset", asset).put("amount", amount));
    }

    private Command agentCommand(CommandType type, AgentSigner agent) {
        if (signer == null || signer.isAgent()) {
            throw new IllegalStateException("agents are approved and revoked by the account's owner");
        }
        Command c = new Command().reset();
        c.type = type;
        c.agentKey = agent.publicKey().toBytes();
        return c;
    }

    /**
     * The engine command the node builds from {@code order}, built the same way (the same builders, exact decimal
     * division by the tick and lot sizes), so that the signature covers exactly what will execute.
     */
    private Command orderCommand(Order order) {
        BigDecimal[] step = step(order.instrument());
        Side side = switch (String.valueOf(order.side()).toLowerCase(Locale.ROOT)) {
            case "buy" -> Side.BUY;
            case "sell" -> Side.SELL;
            default -> throw new IllegalArgumentException("side: must be buy or sell, was " + order.side());
        };
        long lots = exact(order.quantity(), step[1], "quantity");
        OrderType type = order.type() == null ? OrderType.LIMIT : OrderType.valueOf(upper(order.type()));
        TimeInForce tif = order.timeInForce() != null ? TimeInForce.valueOf(upper(order.timeInForce()))
                : type.hasLimitPrice() ? TimeInForce.GTC : TimeInForce.IOC;
        long price = type.hasLimitPrice() ? exact(order.price(), step[0], "price") : 0;
        Command c = new Command().limit(0, order.instrument(), 0, side, price, lots, tif);
        c.orderType = type;
        c.clientOrderId = order.clientOrderId();
        c.clientOrderText = order.clientOrderText();
        if (order.triggerPrice() != null) {
            c.triggerPrice = exact(order.triggerPrice(), step[0], "triggerPrice");
        }
        if (order.triggerSource() != null) {
            c.triggerSource = TriggerSource.valueOf(upper(order.triggerSource()));
        }
        if (order.displayQuantity() != null) {
            c.displayQuantity = exact(order.displayQuantity(), step[1], "displayQuantity");
        }
        c.expireAt = Math.multiplyExact(order.expireTime(), 1_000_000L);
        if (order.selfTradePrevention() != null) {
            c.selfTradePrevention = SelfTradePrevention.valueOf(upper(order.selfTradePrevention()));
        }
        if (order.postOnly() != null) {
            c.postOnly = PostOnly.valueOf(upper(order.postOnly()));
        }
        c.reduceOnly = order.reduceOnly();
        return c;
    }

    private static String upper(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    /** Tick and lot size of an instrument, from the node's instrument list (fetched once). */
    private BigDecimal[] step(int instrument) {
        Map<Integer, BigDecimal[]> known = steps;
        if (known == null || !known.containsKey(instrument)) {
            Map<Integer, BigDecimal[]> fetched = new HashMap<>();
            for (JsonNode in : instruments()) {
                fetched.put(in.path("id").asInt(), new BigDecimal[] {new BigDecimal(in.path("tickSize").asText()),
                    new BigDecimal(in.path("lotSize").asText())});
            }
            steps = fetched;
            known = fetched;
        }
        BigDecimal[] step = known.get(instrument);
        if (step == null) {
            throw new IllegalArgumentException("no instrument " + instrument);
        }
        return step;
    }

    private static long exact(String decimal, BigDecimal unit, String field) {
        if (decimal == null) {
            throw new IllegalArgumentException(field + ": required");
        }
        BigDecimal[] division = new BigDecimal(decimal).divideAndRemainder(unit);
        if (division[1].signum() != 0) {
            throw new IllegalArgumentException(field + ": " + decimal + " is not a multiple of " + unit.toPlainString());
        }
        return division[0].longValueExact();
    }

    /** Dev mode only: credits {@code amount} whole units of {@code asset}. */
    public JsonNode devDeposit(long account, int asset, String amount) {
        return send("POST", "/v1/dev/deposit", JSON.createObjectNode().put("account", account).put("asset", asset)
                .put("amount", amount));
    }

    /** Dev mode only: sets an instrument's mark price (the operator's price feed). */
    public JsonNode devMark(int instrument, String price) {
        return send("POST", "/v1/dev/mark", JSON.createObjectNode().put("instrument", instrument).put("price", price));
    }

    /** Dev mode only: one oracle report of an index's source ({@code price} a decimal in the index's units). */
    public JsonNode devOracle(int index, int source, String price) {
        return send("POST", "/v1/dev/oracle", JSON.createObjectNode().put("index", index).put("source", source)
                .put("price", price));
    }

    /** A volatility quote for {@link #devSurface}: expiry in epoch nanoseconds (as listed), strike, vol (0.6 = 60%). */
    public record VolQuote(long expiry, String strike, double vol) {
    }

    /**
     * Dev mode only: fits an SVI smile per expiry to {@code quotes} (at least 5 strikes each) and marks every listed
     * option series of the index from the surface; the answer has each series' mark, or 400 when the quotes make no
     * arbitrage-free surface.
     */
    public JsonNode devSurface(int index, List<VolQuote> quotes) {
        return send("POST", "/v1/dev/surface", surfaceBody(index, null, quotes));
    }

    /** A surface request's body: the index, the timestamp when signed (else none), the quotes. */
    private static ObjectNode surfaceBody(int index, Long timestampNanos, List<VolQuote> quotes) {
        ObjectNode body = JSON.createObjectNode().put("index", index);
        if (timestampNanos != null) {
            body.put("timestamp", timestampNanos);
        }
        ArrayNode list = body.putArray("quotes");
        for (VolQuote q : quotes) {
            list.addObject().put("expiry", q.expiry()).put("strike", q.strike()).put("vol", q.vol());
        }
        return body;
    }


    /**
     * A price feed's report ({@code POST /v1/oracle}), signed with the source's feed key under {@code domain} (the
     * node's, from {@link #domain()}: fetch it once). {@code price} is a decimal in the index's units, of which it has
     * {@code priceDecimals}; {@code timestampNanos} is the source's own time (docs/auth.md, "Price feeds").
     */
    public JsonNode reportPrice(Eip712Domain domain, AgentSigner feed, int index, int priceDecimals, int source,
                                String price, long timestampNanos) {
        long units = exact(price, BigDecimal.ONE.movePointLeft(priceDecimals), "price");
        byte[] signature = feed.sign(FeedSignatures.priceReportDigest(domain, index, source, units, timestampNanos,
                -1));
        return send("POST", "/v1/oracle", JSON.createObjectNode().put("index", index).put("source", source)
                .put("price", price).put("timestamp", timestampNanos).put("signature", Hex.encode0x(signature)));
    }

    /**
     * A volatility surface ({@code POST /v1/surface}) for an index, signed with its surface key under {@code domain}
     * over the exact body sent; the node fits it and marks every series of the index (docs/api.md).
     */
    public JsonNode publishSurface(Eip712Domain domain, AgentSigner feed, int index, long timestampNanos,
                                   List<VolQuote> quotes) {
        String text = surfaceBody(index, timestampNanos, quotes).toString();
        byte[] signature = feed.sign(FeedSignatures.surfaceDigest(domain, index, timestampNanos,
                text.getBytes(StandardCharsets.UTF_8)));
        return send("POST", "/v1/surface", text, Map.of(SIGNATURE_HEADER, Hex.encode0x(signature)));
    }

    /** The header that carries a surface's signature. */
    static final String SIGNATURE_HEADER = "X-Meridian-Signature";

    /**
     * A GET. With a signer every GET carries its read token (header {@value #READ_TOKEN_HEADER}): private reads need it
     * on a node in signed mode, public ones ignore it.
     */
    private JsonNode get(String path) {
        return send("GET", path, null);
    }

    /** The header that carries a read token. */
    static final String READ_TOKEN_HEADER = "X-Meridian-Read-Token";

    JsonNode send(String method, String path, JsonNode body) {
        return send(method, path, body == null ? null : body.toString(), Map.of());
    }

    /** A GET of a page: its JSON and the next page's cursor header. */
    private Page page(String path) {
        HttpResponse<String> response = exchange("GET", path, null, Map.of());
        return new Page(answer(response), response.headers().firstValue("X-Meridian-Next-Cursor").orElse(null));
    }

    private JsonNode send(String method, String path, String body, Map<String, String> headers) {
        return answer(exchange(method, path, body, headers));
    }

    private HttpResponse<String> exchange(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        request.method(method, publisher).header("Content-Type", "application/json");
        headers.forEach(request::header);
        if ((signer != null || readToken != null) && method.equals("GET") && !headers.containsKey(READ_TOKEN_HEADER)) {
            request.header(READ_TOKEN_HEADER, readToken != null ? readToken : signer.readToken());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return response;
    }

    /** The JSON of a 200 answer; else an {@link ApiException} with the status, code and message. */
    private static JsonNode answer(HttpResponse<String> response) {
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(response.statusCode(), -1, "not JSON: " + response.body());
        }
        if (response.statusCode() != 200) {
            throw new ApiException(response.statusCode(), json.path("code").asInt(-1), json.path("message").asText());
        }
        return json;
    }
}
