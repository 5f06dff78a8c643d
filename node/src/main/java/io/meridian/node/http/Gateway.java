package io.meridian.node.http;

import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionSpec;
import io.meridian.node.EngineLoop;
import io.meridian.node.NodeConfig;
import io.meridian.node.RateLimits;
import io.meridian.node.access.Access;
import io.meridian.node.access.AccessSettings;
import io.meridian.node.access.AuthMirror;
import io.meridian.node.access.TokenBucket;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.Decimals;
import io.meridian.node.codec.Faults;
import io.meridian.node.codec.Ids;
import io.meridian.node.codec.Instruments;
import io.meridian.node.codec.Json;
import io.meridian.node.codec.Rejects;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.RequestSigning;
import io.meridian.node.metrics.EdgeRefusals;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.LongConsumer;

/**
 * What the REST routes and the WebSocket share: the node's config, the engine loop, the instruments, request signing,
 * the rate limits, and the submission of a command with its answer. Built once at start; immutable but for the
 * rate-limit buckets (thread-safe), so every I/O thread uses it.
 */
public final class Gateway {
    private static final AttributeKey<TokenBucket> CONNECTION_BUCKET =
            AttributeKey.valueOf("meridian.connectionBucket");

    private final NodeConfig config;
    private final EngineLoop engine;
    private final Instruments instruments;
    private final Map<Integer, OptionSpec> optionTerms;
    private final Map<Integer, NodeConfig.Instrument> perpetuals = new LinkedHashMap<>();
    private final RequestSigning signing;
    private final RateLimits limits;
    private final Faults faults = new Faults();
    private final Access access;
    /** The gateway's own refusals for /metrics (detached, counted for nobody, without an engine). */
    private final EdgeRefusals refusals;

    /**
     * @param optionTerms the option terms of the configured chains' series, by instrument id
     */
    public Gateway(NodeConfig config, EngineLoop engine, Map<Integer, OptionSpec> optionTerms) {
        this.config = config;
        this.engine = engine;
        this.instruments = new Instruments(config.allSpecs());
        this.optionTerms = Collections.unmodifiableMap(new LinkedHashMap<>(optionTerms));
        for (NodeConfig.Instrument perpetual : config.instruments()) {
            perpetuals.put(perpetual.id(), perpetual);
        }
        this.signing = new RequestSigning(config.auth().domain(), config.auth().signaturesRequired());
        this.limits = RateLimits.of(config);
        this.refusals = engine != null ? engine.metrics().refusals() : new EdgeRefusals();
        // Without an engine (tests of the route table) the mirror is empty: every signed request is refused as unknown.
        NodeConfig.Auth auth = config.auth();
        this.access = new Access(engine != null ? engine.authMirror() : new AuthMirror(), auth.domain(),
                new AccessSettings(auth.signatureChecksPerSecond(), auth.maxReadTokenSeconds() * 1000,
                        AccessSettings.DEFAULTS.maxAddresses()));
    }

    /** The rate limits of REST and WebSocket requests (their refusals are counted for /metrics). */
    public RateLimits limits() {
        return limits;
    }

    /** Where REST and WebSocket count the refusals they make themselves (see {@link #countRefusal}). */
    public EdgeRefusals refusals() {
        return refusals;
    }

    /**
     * Counts an error answer for /metrics if the gateway made it: a body {@code {code, message}} with a status of 400
     * or more. An engine refusal's body carries its {@code sequence} (the engine counted it: {@link Rejects}) and is
     * not counted here.
     */
    public void countRefusal(EdgeRefusals.Edge edge, int status, Object body) {
        if (status >= 400 && body instanceof Map<?, ?> map && map.get("code") instanceof Integer code
                && !map.containsKey("sequence")) {
            refusals.refused(edge, code);
        }
    }

    /** Pre-journal refusals and read tokens (see {@link Access}). */
    public Access access() {
        return access;
    }

    /**
     * Whether private reads need a read token: in auth mode signed. In mode open (development) reads by account id stay
     * open, as every request by account id is.
     */
    public boolean readsNeedTokens() {
        return config.auth().signaturesRequired();
    }

    /**
     * Checks a request before it is sequenced, cheapest first: what the engine would refuse anyway (see
     * {@link Access#beforeSignature}), then the signature (the curve arithmetic, charged to the remote address's
     * budget), then the account's rate limit, so neither a stranger's key, nor a forged signature, nor a replay of
     * someone's accepted request costs the account its rate limit or the venue a journal record.
     */
    public void admit(Command c, Channel channel) throws RequestException {
        access.beforeSignature(c, channel);
        signing.verify(c);
        limitOrders(c);
    }

    public NodeConfig config() {
        return config;
    }

    public EngineLoop engine() {
        return engine;
    }

    public Instruments instruments() {
        return instruments;
    }

    /** The option terms of the listed series, by instrument id. */
    public Map<Integer, OptionSpec> optionTerms() {
        return optionTerms;
    }

    /** The configured perpetual with this id (how it is priced), or null. */
    public NodeConfig.Instrument perpetual(int id) {
        return perpetuals.get(id);
    }

    /** The record of the gateway's own faults (see {@link Faults}). */
    public Faults faults() {
        return faults;
    }

    public RequestSigning signing() {
        return signing;
    }

    /** The configured asset with this id, or null. */
    public NodeConfig.Asset asset(int id) {
        return config.assets().stream().filter(a -> a.id() == id).findFirst().orElse(null);
    }

    /** Takes a token of the connection's bucket (every request and WebSocket message); 429 when it has none. */
    public void limitConnection(Channel channel) throws RequestException {
        TokenBucket bucket = channel.attr(CONNECTION_BUCKET).get();
        if (bucket == null) {
            bucket = limits.newConnectionBucket();
            channel.attr(CONNECTION_BUCKET).set(bucket);
        }
        long wait = limits.takeConnection(bucket, System.nanoTime());
        if (wait > 0) {
            throw new RequestException(429, Codes.RATE_LIMITED, limits.requestsRefused(), wait);
        }
    }

    /** The connection's request bucket, or null before its first request (the rate-limit headers read it). */
    static TokenBucket connectionBucket(Channel channel) {
        return channel.attr(CONNECTION_BUCKET).get();
    }

    /**
     * Takes a token of the account's order bucket for orders and cancels; 429 when it has none. The bucket is keyed by
     * the signer's address or the account id ({@link RequestSigning#rateKey}), an internal key the message never shows.
     */
    public void limitOrders(Command c) throws RequestException {
        if (c.type != CommandType.PLACE_ORDER && c.type != CommandType.CANCEL_ORDER) {
            return;
        }
        long wait = limits.takeAccount(RequestSigning.rateKey(c), System.nanoTime());
        if (wait > 0) {
            throw new RequestException(429, Codes.RATE_LIMITED, limits.ordersRefused(), wait);
        }
    }

    /**
     * Checks ({@link #admit}) and submits a command from {@code channel}'s connection, and answers with its result
     * once it is durable and applied: 200 with {@code status: accepted} (and an order's filled and resting
     * quantities), 422 with the engine's reject code, message and reason, or 503 when the engine's queue is full (or,
     * on a cluster's gateway, too many commands wait for the cluster: the reject CLUSTER_BACKLOG). An order's, or a
     * cancel by client order id's, answer echoes its {@code clientOrderId} as given (a text as a string).
     */
    public void command(Command c, InstrumentSpec spec, Channel channel, Responder responder)
            throws RequestException {
        admit(c, channel);
        Object clientOrderId = c.type == CommandType.PLACE_ORDER || c.type == CommandType.CANCEL_ORDER
                ? ClientOrderId.echo(c.clientOrderId, c.clientOrderText) : null;
        boolean queued = engine.submit(c, result -> {
            if (result.reject() != null) {
                Map<String, Object> refusal = Rejects.engineRefusal(result.sequence(), result.orderId(),
                        result.reject());
                if (clientOrderId != null) {
                    refusal.put("clientOrderId", clientOrderId);
                }
                responder.send(Rejects.httpStatus(result.reject()), refusal);
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sequence", result.sequence());
            if (result.orderId() != 0) {
                body.put("orderId", result.orderId());
            }
            if (clientOrderId != null) {
                body.put("clientOrderId", clientOrderId);
            }
            if (c.type == CommandType.PROPOSE_RISK_BOUNDS) {
                // A proposal's id is its sequence: what approvals and vetoes name.
                body.put("proposalId", result.sequence());
            }
            body.put("status", "accepted");
            if (spec != null && c.type == CommandType.PLACE_ORDER) {
                body.put("filledQuantity", Decimals.quantity(result.filledQuantity(), spec));
                body.put("restingQuantity", Decimals.quantity(result.restingQuantity(), spec));
            }
            responder.send(200, body);
        });
        if (!queued) {
            responder.send(503, Json.error(Codes.OVERLOADED, "engine queue full, retry"));
        }
    }

    /**
     * The answer when the engine could not answer (it stopped, its queue was full, or the query failed): 503 with a
     * fixed message and an error id; the log gets the id and the exception ({@link Faults}), the client never its text.
     */
    public Map<String, Object> engineFailure(String where, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String id = faults.record(where, cause);
        return Json.error(Codes.NOT_READY, Faults.message(engine.failure() != null
                ? "the engine has stopped: the node must be restarted to recover from its journal"
                : "the engine did not answer, retry", id));
    }

    /**
     * Looks up the account of an address on the engine thread, then runs {@code then} with it on the connection's I/O
     * thread; answers 404 for an address without an account (it opens with the first deposit), 503 if the engine
     * failed, and 400 (thrown) for text that is not an address.
     */
    void withAccountOf(Exchange exchange, String text, LongConsumer then) throws RequestException {
        byte[] address = Ids.address(text, "address");
        engine.query(e -> e.view().accountOfAddress(address)).whenComplete((account, failure) ->
                exchange.executor().execute(() -> {
                    if (failure != null) {
                        exchange.failed(failure);
                    } else if (account == 0) {
                        exchange.send(404, Json.error(Codes.NOT_FOUND, "no account for address " + text
                                + " (it opens with the first deposit)"));
                    } else {
                        then.accept(account);
                    }
                }));
    }
}
