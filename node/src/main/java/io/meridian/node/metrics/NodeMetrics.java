package io.meridian.node.metrics;

import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The node's {@code /metrics}: a Micrometer {@link PrometheusMeterRegistry} whose meters read their sources only when
 * scraped (gauges and function counters over {@link NodeMeters}, the connection and subscription counts, the rate
 * limits' refusals), plus three Prometheus histograms built from {@link Times} (command latency, queue wait, journal
 * fsync) with fixed buckets, and the JVM's memory, GC, threads, CPU and uptime. docs/operations.md, "Metrics", lists
 * every name, type and unit.
 *
 * <p>Every label set is fixed when the node starts (enums, a handful of names): nothing is per account, address or
 * connection, so a scrape's size and cost are bounded. A scrape runs on the requesting connection's I/O thread; scrapes
 * closer together than {@link #MIN_SCRAPE_NANOS} get the previous text, so a crowd of scrapers costs at most a few
 * renderings a second. Sources are bound once at start ({@code bind...}), before the first scrape; thread-safe.
 */
public final class NodeMetrics implements AutoCloseable {
    /** Scrapes closer together than this share one rendering. */
    static final long MIN_SCRAPE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** The histograms' bucket bounds, seconds (a Prometheus histogram; the last, +Inf, is implied). */
    static final double[] BOUNDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final NodeMeters meters;
    /** The gateways' own refusals, by edge and code (registered at start, every series at 0). */
    private final EdgeRefusals refusals = new EdgeRefusals();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /**
     * The functions the function counters read: Micrometer holds a counter's state object weakly, and these lambdas
     * have no other owner, so they are kept here for the registry's life.
     */
    private final List<Object> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String last;
    private long lastNanos;

    public NodeMetrics(NodeMeters meters) {
        this.meters = meters;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (CommandType type : CommandType.values()) {
            FunctionCounter.builder("meridian.commands", meters, m -> m.commands(type))
                    .description("Commands answered, by type (refused ones included)")
                    .tag("type", type.name()).register(registry);
        }
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder("meridian.rejects", meters, m -> m.rejects(reason))
                    .description("Commands refused by the engine, by reject code")
                    .tags("code", Integer.toString(reason.code()), "reason", reason.name()).register(registry);
        }
        for (EdgeRefusals.Edge edge : EdgeRefusals.Edge.values()) {
            for (int code : EdgeRefusals.CODES) {
                refusal(edge, Integer.toString(code), r -> r.count(edge, code));
            }
            refusal(edge, EdgeRefusals.OTHER, r -> r.other(edge));
        }
        FunctionCounter.builder("meridian.engine.queue.full", meters, NodeMeters::queueFullCount)
                .description("Requests refused (503) because the engine's queue was full").register(registry);
        histogram("meridian_command_latency_seconds", "From the gateway's submit to the command's answer: queue,"
                + " journal (fsync) and apply", meters.latency());
        histogram("meridian_engine_queue_wait_seconds", "Per engine batch, how long its oldest request waited in the"
                + " queue before the engine thread took it", meters.queueWaits());
        histogram("meridian_journal_fsync_seconds", "Each fsync of the journal's data (one per group commit)",
                meters.fsyncs());
    }

    private void refusal(EdgeRefusals.Edge edge, String code, java.util.function.ToDoubleFunction<EdgeRefusals> count) {
        FunctionCounter.builder("meridian.gateway.refusals", refusals, count)
                .description("Requests the gateway refused itself, before the journal, by edge and code")
                .tags("edge", edge.label(), "code", code).register(registry);
    }

    /** The gateways' own refusals: REST, WebSocket and FIX count theirs here, on their own threads. */
    public EdgeRefusals refusals() {
        return refusals;
    }

    /**
     * The FIX acceptor's meters, registered now (a node without FIX has none), with {@code sessions} the sessions
     * logged on now. Call once.
     */
    public FixMeters bindFix(LongSupplier sessions) {
        FixMeters fix = new FixMeters();
        sources.add(fix);
        gauge("meridian.fix.sessions", "FIX sessions logged on now", null, sessions::getAsLong);
        FunctionCounter.builder("meridian.fix.logons", fix, FixMeters::logons)
                .description("FIX Logons accepted").register(registry);
        FunctionCounter.builder("meridian.fix.logons.refused", fix, FixMeters::logonsRefused)
                .description("FIX Logons refused (by the gateway or the engine)").register(registry);
        FunctionCounter.builder("meridian.fix.logouts", fix, FixMeters::logouts)
                .description("Logged-on FIX sessions ended (a Logout either way, or the connection lost)")
                .register(registry);
        for (FixMeters.Direction direction : FixMeters.Direction.values()) {
            for (boolean admin : new boolean[] {true, false}) {
                FunctionCounter.builder("meridian.fix.messages", fix, f -> f.messages(direction, admin))
                        .description("FIX messages the sessions passed in (valid ones) and out")
                        .tags("direction", direction.label, "kind", admin ? "admin" : "app").register(registry);
            }
            FunctionCounter.builder("meridian.fix.resend.requests", fix, f -> f.resendRequests(direction))
                    .description("FIX ResendRequests received (in) and sent (out)")
                    .tags("direction", direction.label).register(registry);
        }
        for (FixMeters.Reject kind : FixMeters.Reject.values()) {
            FunctionCounter.builder("meridian.fix.rejects", fix, f -> f.rejects(kind))
                    .description("FIX rejects sent, by kind").tags("type", kind.label).register(registry);
        }
        return fix;
    }

    /** The engine loop: its queue, its progress, and on a cluster's gateway the cluster link. */
    public void bindEngine(LongSupplier queueDepth, int queueCapacity, LongSupplier stalledMillis,
                           LongSupplier sequence) {
        gauge("meridian.engine.queue.depth", "Requests (commands and queries) waiting in the engine's queue", null,
                queueDepth::getAsLong);
        gauge("meridian.engine.queue.capacity", "The engine queue's size", null, () -> queueCapacity);
        gauge("meridian.engine.stalled", "Time since the engine thread last ended a batch (the ticker gives it one a"
                + " second)", "seconds", () -> stalledMillis.getAsLong() / 1000.0);
        gauge("meridian.engine.sequence", "The sequence of the last command the engine applied", null,
                sequence::getAsLong);
    }

    /** A cluster's gateway: commands the cluster acknowledged that its replica has not applied, and those in flight. */
    public void bindCluster(LongSupplier lag, LongSupplier inFlight) {
        gauge("meridian.cluster.lag", "Commands the cluster acknowledged that this gateway's replica has not applied",
                null, lag::getAsLong);
        gauge("meridian.cluster.in.flight", "Commands sent to the cluster and not yet applied", null,
                inFlight::getAsLong);
    }

    /** The WebSocket streams held now per channel, and the subscriptions refused since the start. */
    public void bindSubscriptions(List<String> channels, java.util.function.IntToLongFunction held, LongSupplier refused) {
        for (int i = 0; i < channels.size(); i++) {
            int channel = i;
            gauge("meridian.subscriptions", "WebSocket streams held now, by channel", null,
                    () -> held.applyAsLong(channel), "channel", channels.get(i));
        }
        counter("meridian.subscriptions.refused", "WebSocket subscriptions refused (a cap, snapshots in flight, or a"
                + " full control queue)", refused);
    }

    /** The market-data path's counters (docs/api.md, "Slow consumers"). */
    public void bindMarketData(LongSupplier overflows, LongSupplier conflated, LongSupplier disconnects,
                               LongSupplier frames, LongSupplier bytes) {
        counter("meridian.marketdata.overflows", "Times the engine's hand-off ring to the publisher was full (every"
                + " stream resynchronised)", overflows);
        counter("meridian.marketdata.slow.consumers", "Connections conflated as slow consumers", conflated);
        counter("meridian.marketdata.disconnects", "Slow consumers disconnected", disconnects);
        counter("meridian.marketdata.frames", "Market-data frames handed to connections", frames);
        counter("meridian.marketdata.bytes", "Market-data bytes handed to connections", bytes);
    }

    /** The HTTP and WebSocket connections: open now, WebSockets among them, and refused over a cap since the start. */
    public void bindConnections(LongSupplier open, LongSupplier webSockets, LongSupplier refusedTotal,
                                LongSupplier refusedPerAddress) {
        gauge("meridian.connections", "Open HTTP and WebSocket connections", null, open::getAsLong);
        gauge("meridian.websocket.connections", "Open WebSocket connections", null, webSockets::getAsLong);
        counter("meridian.connections.refused", "Connections refused (503) over a cap", refusedTotal, "cap", "total");
        counter("meridian.connections.refused", "Connections refused (503) over a cap", refusedPerAddress, "cap",
                "address");
    }

    /**
     * Requests refused (429) by a rate limit: {@code limit} names it (the connection's request bucket, an account's
     * order bucket, a network address's signature-check budget).
     */
    public void bindRateLimit(String limit, LongSupplier refused) {
        counter("meridian.rate.limit.refusals", "Requests refused (429) by a rate limit", refused, "limit", limit);
    }

    private void gauge(String name, String description, String unit, DoubleSupplier value, String... tags) {
        Gauge.builder(name, value::getAsDouble).description(description).baseUnit(unit).tags(tags).strongReference(true)
                .register(registry);
    }

    private void counter(String name, String description, LongSupplier value, String... tags) {
        sources.add(value);
        FunctionCounter.builder(name, value, LongSupplier::getAsLong).description(description).tags(tags)
                .register(registry);
    }

    /** A Prometheus histogram of {@code times}, read (and its recorder drained) at each scrape. */
    private void histogram(String name, String help, Times times) {
        registry.getPrometheusRegistry().register(new Collector() {
            @Override
            public MetricSnapshot collect() {
                return times.read((histogram, sumNanos) -> HistogramSnapshot.builder().name(name).help(help)
                        .unit(Unit.SECONDS)
                        .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                                .classicHistogramBuckets(buckets(histogram))
                                .sum(Unit.nanosToSeconds(sumNanos)).build())
                        .build());
            }

            @Override
            public String getPrometheusName() {
                return name;
            }
        });
    }

    /** The histogram's counts in {@link #BOUNDS} (each bucket's own count, as the model takes them) and +Inf. */
    static ClassicHistogramBuckets buckets(Histogram h) {
        double[] bounds = new double[BOUNDS.length + 1];
        long[] counts = new long[BOUNDS.length + 1];
        long below = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            bounds[i] = BOUNDS[i];
            long atOrBelow = h.getCountBetweenValues(0, (long) (BOUNDS[i] * 1e9));
            counts[i] = atOrBelow - below;
            below = atOrBelow;
        }
        bounds[BOUNDS.length] = Double.POSITIVE_INFINITY;
        counts[BOUNDS.length] = h.getTotalCount() - below;
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    /**
     * The Prometheus text format (version 0.0.4) of every meter now; a scrape within {@link #MIN_SCRAPE_NANOS} of the
     * last gets the same text.
     */
    public synchronized String scrape() {
        long now = System.nanoTime();
        if (last == null || now - lastNanos >= MIN_SCRAPE_NANOS) {
            last = registry.scrape();
            lastNanos = now;
        }
        return last;
    }

    /** The content type of {@link #scrape}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
