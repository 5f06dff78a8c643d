package io.meridian.node.http;

import io.meridian.auth.AgentKey;
import io.meridian.auth.AuthReject;
import io.meridian.auth.FeedSignatures;
import io.meridian.auth.Hex;
import io.meridian.model.Command;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionSpec;
import io.meridian.node.NodeConfig;
import io.meridian.node.codec.Codes;
import io.meridian.node.codec.Json;
import io.meridian.node.codec.RequestException;
import io.meridian.node.codec.Units;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static io.meridian.node.codec.Decimals.price;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * Signed price feeds: oracle reports ({@code POST /v1/oracle}) and volatility surfaces ({@code POST /v1/surface}),
 * each verified against the key the config names for its source or index (docs/auth.md, "Price feeds"). The
 * surface's marking is shared with the dev route ({@link DevRoutes}).
 */
public final class FeedRoutes {
    /** The header that carries a feed's signature of a surface body (hex). */
    public static final String SIGNATURE_HEADER = "X-Meridian-Signature";
    /** How far a signed surface's timestamp may be from the node's clock. */
    static final long SURFACE_MAX_SKEW_NANOS = 60_000_000_000L;

    /**
     * Volatility quotes: the edge's surface feed (see {@link SurfaceMarks}); {@code timestamp} (epoch nanoseconds) is
     * required on the signed route and ignored on the dev one.
     */
    record SurfaceRequest(int index, Long timestamp, List<SurfaceMarks.Quote> quotes) {
    }

    /**
     * A price report signed by the source's feed key ({@code POST /v1/oracle}): {@code price} and {@code confidence}
     * (optional) decimals in the index's units, {@code timestamp} the source's time in epoch nanoseconds, and the
     * feed's Ed25519 {@code signature} (hex) of the EIP-712 {@code PriceReport} (docs/auth.md, "Price feeds").
     */
    record PriceReportRequest(int index, int source, BigDecimal price, Long timestamp, BigDecimal confidence,
                              String signature) {
    }

    private final Gateway gateway;
    /** Per index, the timestamp of the last signed surface accepted (I/O threads): replays are refused. */
    private final Map<Integer, Long> lastSurface = new ConcurrentHashMap<>();

    FeedRoutes(Gateway gateway) {
        this.gateway = gateway;
    }

    List<Route> routes() {
        return List.of(
                Route.of(POST, "/v1/oracle", AuthRequirement.FEED, RateClass.FEED, this::oracle),
                Route.of(POST, "/v1/surface", AuthRequirement.FEED, RateClass.FEED, this::surface));
    }

    /** {@code POST /v1/oracle}: a signed price report, journaled as ORACLE_REPORT with its key and signature. */
    private void oracle(Exchange x) throws RequestException {
        gateway.command(signedReport(x.body(PriceReportRequest.class)), null, x.context().channel(), x.responder());
    }

    /** {@code POST /v1/surface}: a signed surface; then as the dev route. */
    private void surface(Exchange x) throws RequestException {
        byte[] raw = x.rawBody();
        SurfaceRequest surface = x.body(SurfaceRequest.class);
        NodeConfig.Index index = configuredIndex(surface.index(), surface.quotes());
        verifySurface(index, surface, raw, x.header(SIGNATURE_HEADER));
        markFromSurface(x, index, surface);
    }

    /** The configured index {@code id} when {@code source} is one of its sources; else 400 (oracle reports). */
    NodeConfig.Index indexWithSource(int id, int source) throws RequestException {
        NodeConfig.Index index = index(id);
        if (index == null || source < 0 || source >= index.sources().size()) {
            throw RequestException.badField("index and source: a configured index and one of its sources (0.."
                    + (index == null ? "?" : index.sources().size() - 1) + ")");
        }
        return index;
    }

    /** The configured index a surface names, with quotes; else 400. */
    NodeConfig.Index configuredIndex(int id, List<SurfaceMarks.Quote> quotes) throws RequestException {
        NodeConfig.Index index = index(id);
        if (index == null || quotes == null || quotes.isEmpty()) {
            throw RequestException.badField("index and quotes: a configured index and its quotes [{expiry, strike, vol}]");
        }
        return index;
    }

    private NodeConfig.Index index(int id) {
        return gateway.config().markets().indexes().stream().filter(i -> i.id() == id).findFirst().orElse(null);
    }

    /**
     * A signed surface (I/O thread): the index's surface key signed the EIP-712 {@code SurfaceUpdate} of this exact
     * body, stamped within {@link #SURFACE_MAX_SKEW_NANOS} of the node's clock and later than the last surface accepted
     * for the index (so a captured request cannot be replayed). 403 when the index has no surface key, 401 for a bad
     * signature, 400 for a missing or stale timestamp.
     */
    private void verifySurface(NodeConfig.Index index, SurfaceRequest surface, byte[] raw, String signatureHex)
            throws RequestException {
        AgentKey key = index.surfaceFeedKey();
        if (key == null) {
            throw new RequestException(403, AuthReject.AGENT_NOT_AUTHORISED.code(),
                    "index " + index.id() + " has no surface key in this node's config (indexes[].surfaceKey)");
        }
        if (surface.timestamp() == null) {
            throw RequestException.badField("timestamp: required (epoch ns)");
        }
        long timestamp = surface.timestamp();
        byte[] signature = signatureHex == null ? null : Hex.decodeOrNull(signatureHex);
        if (signature == null || !key.verify(FeedSignatures.surfaceDigest(gateway.signing().domain(), index.id(),
                timestamp, raw), signature)) {
            throw new RequestException(401, AuthReject.BAD_SIGNATURE.code(),
                    SIGNATURE_HEADER + ": not the surface key's signature of this body (SurfaceUpdate, docs/auth.md)");
        }
        if (Math.abs(timestamp - gateway.engine().now()) > SURFACE_MAX_SKEW_NANOS) {
            throw RequestException.badField("timestamp: more than " + SURFACE_MAX_SKEW_NANOS / 1_000_000_000L
                    + " s from the node's clock");
        }
        boolean[] stale = {false};
        lastSurface.compute(index.id(), (id, last) -> {
            stale[0] = last != null && timestamp <= last;
            return stale[0] ? last : timestamp;
        });
        if (stale[0]) {
            throw RequestException.badField("timestamp: not after the last surface accepted for index " + index.id());
        }
    }

    /**
     * A price report signed by its source's feed key, as the ORACLE_REPORT it stands for, with the key and signature
     * (I/O thread). 403 when the source has no feed key, 401 for a bad signature, 400 for a bad field.
     */
    private Command signedReport(PriceReportRequest report) throws RequestException {
        NodeConfig.Index index = indexWithSource(report.index(), report.source());
        AgentKey key = index.sourceKey(report.source());
        if (key == null) {
            throw new RequestException(403, AuthReject.AGENT_NOT_AUTHORISED.code(),
                    "source " + report.source() + " of index " + index.id() + " has no feed key in this node's config"
                            + " (indexes[].sourceKeys)");
        }
        if (report.timestamp() == null || report.signature() == null) {
            throw RequestException.badField(
                    "timestamp and signature: required (the source's time in epoch ns; the feed's signature, hex)");
        }
        BigDecimal unit = Units.unitOf(index.priceDecimals());
        Command c = new Command().oracleReport(index.id(), report.source(), Units.units(report.price(), unit, "price"),
                report.timestamp());
        if (report.confidence() != null) {
            c.confidence = report.confidence().signum() == 0 ? 0 : Units.units(report.confidence(), unit, "confidence");
        }
        c.agentKey = key.toBytes();
        c.signature = Hex.decodeOrNull(report.signature());
        if (!FeedSignatures.verifyPriceReport(gateway.signing().domain(), c)) {
            throw new RequestException(401, AuthReject.BAD_SIGNATURE.code(),
                    "signature: not the source's feed key's signature of this report (PriceReport, docs/auth.md)");
        }
        return c;
    }

    /** Fits the quotes' surface at the index's price and marks every series of the index from it (see SurfaceMarks). */
    void markFromSurface(Exchange x, NodeConfig.Index index, SurfaceRequest surface) {
        Map<Integer, OptionSpec> series = new LinkedHashMap<>();
        gateway.optionTerms().forEach((id, option) -> {
            if (option.indexId() == index.id()) {
                series.put(id, option);
            }
        });
        gateway.engine().query(e -> new long[] {e.view().indexPrice(index.id()), e.lastTimestamp()})
                .whenComplete((now, failure) -> {
                    if (failure != null) {
                        x.failed(failure);
                        return;
                    }
                    // On the engine thread, in a callback: a fault here must still answer (it would otherwise be lost
                    // with the future, and the client would wait for ever).
                    try {
                        fitAndMark(x, index, surface, series, now);
                    } catch (RuntimeException e) {
                        x.fault(e);
                    }
                });
    }

    private void fitAndMark(Exchange x, NodeConfig.Index index, SurfaceRequest surface, Map<Integer, OptionSpec> series,
                            long[] now) {
        if (now[0] <= 0) {
            x.send(422, Json.error(Codes.BAD_FIELD, "index " + index.id() + " has no price yet"));
            return;
        }
        double spot = BigDecimal.valueOf(now[0], index.priceDecimals()).doubleValue();
        SurfaceMarks.Result result = SurfaceMarks.marks(spot, now[1], surface.quotes(), series,
                gateway.instruments().byId());
        if (result.reject() != null) {
            x.send(400, Json.error(Codes.BAD_FIELD, "quotes: " + result.reject()));
            return;
        }
        submitMarks(x, index, result.marks());
    }

    /**
     * Each mark answers with its own result: one the engine refused (say a series that expired in between) is
     * reported with its reason, not as set.
     */
    private void submitMarks(Exchange x, NodeConfig.Index index, List<Command> marks) {
        List<CompletableFuture<Map<String, Object>>> answers = new ArrayList<>();
        for (Command mark : marks) {
            InstrumentSpec spec = gateway.instruments().get(mark.instrument);
            CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
            answers.add(answer);
            boolean queued = gateway.engine().submit(mark, r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("instrument", mark.instrument);
                m.put("mark", price(mark.price, spec));
                if (r.reject() != null) {
                    m.put("code", r.reject().code());
                    m.put("reason", r.reject().name());
                }
                answer.complete(m);
            });
            if (!queued) {
                answer.complete(Map.of("instrument", mark.instrument, "code", Codes.OVERLOADED,
                        "reason", "engine queue full"));
            }
        }
        x.reply(CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done ->
                Map.of("index", index.id(), "marks", answers.stream().map(CompletableFuture::join).toList())));
    }
}
