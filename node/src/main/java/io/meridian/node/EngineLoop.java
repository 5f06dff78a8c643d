package io.meridian.node;

import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.meridian.engine.CommandOutcome;
import io.meridian.engine.Engine;
import io.meridian.journal.Durability;
import io.meridian.journal.EngineSettings;
import io.meridian.journal.JournalConfig;
import io.meridian.journal.Sequencer;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.RejectReason;
import io.meridian.node.access.AuthMirror;
import io.meridian.node.access.MirrorFeed;
import io.meridian.node.history.CandleHistory;
import io.meridian.node.history.FillHistory;
import io.meridian.node.history.FundingHistory;
import io.meridian.node.history.Histories;
import io.meridian.node.history.HistoryQuery;
import io.meridian.node.history.OrderHistory;
import io.meridian.node.history.TradeHistory;
import io.meridian.node.marketdata.MarketFeed;
import io.meridian.node.marketdata.StreamLimits;
import io.meridian.node.metrics.NodeMeters;
import io.meridian.node.metrics.NodeMetrics;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The engine thread. Gateway threads publish requests into a Disruptor ring; the one consumer thread owns the
 * {@link Sequencer} (journal) and the {@link Engine}, so nothing else ever touches engine state.
 *
 * <p><b>Commands</b> are stamped and journaled by the sequencer; the ring's end of batch flushes (group commit, then
 * apply), so one fsync covers every command that arrived together. A command's {@link Reply} runs on the engine
 * thread when the engine completes it, which is after its batch is durable: a client is never told about a command
 * a crash could lose. A new order gets the sequence number as its order id. An order whose account and client order
 * id were already used is not placed again: it gets the original order's answer (idempotent resends).
 *
 * <p><b>Queries</b> run on the engine thread after every earlier command has been applied (read your writes) and
 * complete a future; they are not journaled.
 *
 * <p><b>History</b> ({@link Histories}: fills, orders, trades, candles, funding, 24-hour statistics) is owned by the
 * engine thread: the events of every applied command, those replayed at start included, feed it there, and the gateway
 * reads it with a query ({@link #fills}, {@link #orders}, {@link #trades}, {@link #candles}, {@link #funding},
 * {@link #history}) that copies what it returns.
 *
 * <p><b>Market data</b> ({@link MarketData}) leaves the engine thread as raw events in a bounded ring, handed over
 * once per batch; a publisher thread encodes each message once and fans it out, and the engine thread never waits for
 * it nor does anything per subscriber (docs/api.md, "Slow consumers").
 *
 * <p>A full ring refuses at once ({@link #submit} returns false) rather than blocking a gateway thread.
 *
 * <p><b>Metrics</b> ({@link #metrics}, docs/operations.md "Metrics"): a command's answer is timed from its submit, and
 * counted by type and reject reason, by a reply wrapper made on the submitting thread ({@link TimedReply}); per batch the
 * oldest request's wait in the queue, and each journal fsync, are recorded. On the engine thread that is a clock read per
 * answer and per batch, ordered stores and histogram records: nothing allocates, locks or waits there.
 */
public final class EngineLoop implements AutoCloseable {
    /** What a command did, for its reply. Built on the engine thread. */
    public record Result(long sequence, long orderId, RejectReason reject, long filledQuantity, long restingQuantity,
                         boolean canceled) {
        /** What the engine says the command did. */
        static Result of(CommandOutcome outcome) {
            return new Result(outcome.originalSequence(), outcome.orderId(), outcome.reject(),
                    outcome.filledQuantity(), outcome.restingQuantity(), outcome.canceled());
        }
    }

    /** Receives a command's result on the engine thread; must not block (hand the result to the I/O thread). */
    public interface Reply {
        void complete(Result result);
    }

    /** Called on the engine thread once after the batch in which it was registered ({@link #atBatchEnd}). */
    public interface BatchEnd {
        void batchEnd();
    }

    /** Wall time in epoch nanoseconds, to the millisecond: the clock of a running node. */
    static final LongSupplier WALL_CLOCK = () -> System.currentTimeMillis() * 1_000_000L;

    private static final int RING = 1 << 14;
    static final int PENDING = 1 << 14;
    private static final int QUERY = 1;
    private static final int COMMAND = 2;

    private final MarketData marketData;
    /** The WebSocket subscription requests, answered through the engine thread and the publisher. */
    private final StreamRequests streams;
    private final Histories history = Histories.empty();
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    /** The journal, or the cluster this node is a gateway of. */
    private final CommandLog log;
    private final EngineCollector collector;
    /** The engine's authorisation state as the gateway's pre-checks see it (see {@link AuthMirror}). */
    private final AuthMirror authMirror = new AuthMirror();
    /** What /health reports, published by the engine thread (see {@link EngineHealth}). */
    private final EngineHealth published = new EngineHealth();
    /** What the engine thread and the gateways count for /metrics, and the registry that reads it when scraped. */
    private final NodeMeters meters = new NodeMeters();
    private final NodeMetrics metrics = new NodeMetrics(meters);
    private final MirrorFeed mirrorFeed = new MirrorFeed(authMirror, this::currentEngine, PENDING);
    private final Sequencer.StartReport startReport;
    private final java.util.function.Consumer<Throwable> onFailure;
    private volatile Throwable failure;
    private final Command tick = new Command().reset();
    /** The node's time in epoch nanoseconds: commands are stamped with it. */
    private final LongSupplier clock;
    /** Per-batch timings when {@code -Dmeridian.stageStats=true} (see {@link StageStats}); else null. */
    private final StageStats stages = Boolean.getBoolean("meridian.stageStats") ? new StageStats() : null;
    /** Engine thread only: what runs after the current batch's replies (see {@link #atBatchEnd}). */
    private final java.util.ArrayList<BatchEnd> batchEnds = new java.util.ArrayList<>();
    /** The volatility controller's status, or null when the node runs none. */
    private volatile java.util.function.Supplier<java.util.Map<String, Object>> riskControl;
    /** The engine thread, once the disruptor made it. */
    private volatile Thread engineThread;
    /** How long a close waits for the engine thread to stop (a gateway's may be in a connect attempt of seconds). */
    private static final long CLOSE_WAIT_SECONDS = 30;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meridian-ticker");
        t.setDaemon(true);
        return t;
    });

    private static final class Slot {
        int kind;
        /** When it was published (System.nanoTime, on the publishing thread): its wait in the queue is measured. */
        long published;
        final Command command = new Command();
        Reply reply;
        Function<Engine, Object> query;
        CompletableFuture<Object> answer;
    }

    /**
     * Recovers (or creates) the node's journal in {@code dataDir}, bootstraps the configured assets and instruments
     * that the engine does not have yet (as journaled commands), and starts the engine thread.
     */
    public EngineLoop(NodeConfig config) {
        this(config, failure -> { });
    }

    /** As above; {@code onFailure} hears (once, on the engine thread) why the engine thread stopped. */
    public EngineLoop(NodeConfig config, java.util.function.Consumer<Throwable> onFailure) {
        this(config, onFailure, WALL_CLOCK);
    }

    /**
     * As above, with commands stamped from {@code clock} (epoch nanoseconds) instead of the wall clock: time is an input
     * of the engine, so a test that sets it can take an option through its settlement window and expiry at once.
     */
    EngineLoop(NodeConfig config, java.util.function.Consumer<Throwable> onFailure, LongSupplier clock) {
        this(config, onFailure, clock, StreamLimits.fromSystemProperties());
    }

    /**
     * As above, with the market-data path bounded by {@code limits} (docs/api.md, "Slow consumers"; the other
     * constructors read them from the {@code meridian.marketData.*} system properties).
     */
    EngineLoop(NodeConfig config, java.util.function.Consumer<Throwable> onFailure, LongSupplier clock,
               StreamLimits limits) {
        this(config, null, onFailure, clock, limits);
    }

    /**
     * As above; with a {@code cluster}, the node is a gateway of that cluster: its engine a replica of the members'
     * ({@link ClusterLog}) that it journals under the data directory (and rebuilds from there at a restart), time from
     * the cluster's ticks, the client's media driver under the data directory too.
     */
    EngineLoop(NodeConfig config, ClusterTarget cluster, java.util.function.Consumer<Throwable> onFailure,
               LongSupplier clock, StreamLimits limits) {
        this.onFailure = onFailure;
        this.clock = clock;
        java.util.Map<Integer, InstrumentSpec> specs = new java.util.HashMap<>();
        specs.putAll(config.allSpecs());
        this.marketData = new MarketData(specs, limits);
        this.streams = new StreamRequests(this, marketData);
        for (NodeConfig.Asset asset : config.assets()) {
            marketData.assetScale(asset.id(), asset.scale());
            marketData.assetSymbol(asset.id(), asset.symbol());
        }
        java.util.Map<Integer, Integer> indexDecimals = new java.util.HashMap<>();
        for (NodeConfig.Index index : config.markets().indexes()) {
            indexDecimals.put(index.id(), index.priceDecimals());
        }
        for (Command option : config.optionCommands()) {
            marketData.optionIndexDecimals(option.instrumentSpec.id(), indexDecimals.get(option.optionSpec.indexId()));
        }
        this.collector = new EngineCollector(marketData, history, mirrorFeed, published);
        if (cluster == null) {
            Durability durability = config.durability().equals("none") ? Durability.NONE : Durability.GROUP_COMMIT;
            Sequencer sequencer = Sequencer.start(Path.of(config.dataDir()),
                    JournalConfig.defaults().withDurability(durability),
                    config.snapshotPolicy(),
                    config.engineConfig(), collector, clock,
                    Sequencer.DEFAULT_MAX_BATCH);
            sequencer.writer().forceTimes(meters::fsync);
            this.log = new JournalLog(sequencer, collector, mirrorFeed, config.snapshotReplica());
        } else {
            this.log = new ClusterLog(cluster, Path.of(config.dataDir()), config.snapshotPolicy(),
                    config.clusterMaxInFlight(), collector, mirrorFeed, clock);
        }
        this.startReport = log.startReport();
        marketData.engine(log::engine);
        tick.type = CommandType.TIME_TICK;
        try {
            // Settings are pinned with the journal (or the cluster's members): explicit ones that differ are a mistake
            // to report, not to ignore.
            if (config.engine() != null && !config.engineConfig().equals(log.engine().view().config())) {
                throw new IllegalStateException((cluster == null ? "the journal in " + config.dataDir()
                        : "the cluster at " + cluster.ingressEndpoints()) + " was created with other engine settings ("
                        + EngineSettings.FILE_NAME + "): " + log.engine().view().config() + "; settings are pinned"
                        + " with a journal or a cluster, so changing them needs a new one");
            }
            NodeBootstrap.checkListedInstruments(config, log.engine(),
                    cluster == null ? "the journal of " + config.dataDir() : "the cluster at " + cluster.ingressEndpoints(),
                    cluster == null ? "a new data directory" : "a new cluster");
            NodeBootstrap.checkGovernance(config, log.engine(),
                    cluster == null ? "the journal of " + config.dataDir() : "the cluster at " + cluster.ingressEndpoints());
            NodeBootstrap.bootstrap(config, log.engine(), c -> log.submit(c, null));
            if (log instanceof ClusterLog clusterLog) {
                clusterLog.awaitApplied(ClusterLog.START_TIMEOUT_NANOS);
            } else {
                log.flush();
            }
        } catch (IllegalStateException e) {
            log.close();
            throw e;
        }
        // Before any request: the gateway's mirror starts from the recovered state (the engine thread keeps it up to date).
        authMirror.load(log.engine());
        if (stages != null) {
            stages.also(() -> marketData.feed() == null ? null : marketData.feed().stats().toString());
        }
        // A slow consumer that caught up asks (from its I/O thread) for fresh snapshots, taken on the engine thread.
        marketData.start((subscriber, episode) -> query(e -> marketData.producer().resync(e, subscriber, episode)));
        // Lite blocking: a publisher signals the engine thread only when it is parked, not (lock and signal) on every
        // publish; no spinning, as the I/O threads and the generator need the machine's cores.
        this.disruptor = new Disruptor<>(Slot::new, RING, r -> {
            Thread t = new Thread(r, "meridian-engine");
            t.setDaemon(true);
            engineThread = t;
            return t;
        }, ProducerType.MULTI, log.drivesTime()
                // A gateway's engine thread also polls the cluster when no request comes: at most 1 ms apart.
                ? new LiteTimeoutBlockingWaitStrategy(1, TimeUnit.MILLISECONDS)
                : new LiteBlockingWaitStrategy());
        disruptor.handleEventsWith(new Handler());
        disruptor.setDefaultExceptionHandler(new Failure());
        this.ring = disruptor.start();
        bindMetrics();
        // Time is an input: a TIME_TICK a second moves timers (GTD expiry, funding, index staleness) on a quiet venue.
        // A cluster ticks by itself, on cluster time.
        if (!log.drivesTime()) {
            ticker.scheduleAtFixedRate(() -> submit(tick, result -> { }), 1, 1, TimeUnit.SECONDS);
        }
    }

    /** The engine side of /metrics: its queue and progress, the cluster link, the subscriptions and the market data. */
    private void bindMetrics() {
        metrics.bindEngine(() -> RING - ring.remainingCapacity(), RING, published::stalledMillis, published::sequence);
        if (log instanceof ClusterLog) {
            metrics.bindCluster(() -> clusterFigure("lag"), () -> clusterFigure("inFlight"));
        }
        io.meridian.node.marketdata.Subscriptions subscriptions = marketData.producer().subscriptions();
        java.util.List<String> channels = new java.util.ArrayList<>();
        for (int i = 0; i < io.meridian.node.marketdata.Channels.COUNT; i++) {
            channels.add(io.meridian.node.marketdata.Channels.name(i));
        }
        channels.add("account");
        metrics.bindSubscriptions(channels, subscriptions::held, subscriptions::refused);
        metrics.bindMarketData(() -> feedStat(io.meridian.node.marketdata.FeedStats::overflows),
                () -> feedStat(io.meridian.node.marketdata.FeedStats::conflated),
                () -> feedStat(io.meridian.node.marketdata.FeedStats::disconnects),
                () -> feedStat(io.meridian.node.marketdata.FeedStats::frames),
                () -> feedStat(io.meridian.node.marketdata.FeedStats::bytes));
    }

    /** A figure of the cluster link as the engine thread last published it for /health (at most 100 ms old). */
    private long clusterFigure(String name) {
        return published.snapshots().get(name) instanceof Number n ? n.longValue() : 0;
    }

    private long feedStat(java.util.function.ToLongFunction<io.meridian.node.marketdata.FeedStats> stat) {
        MarketFeed feed = marketData.feed();
        return feed == null ? 0 : stat.applyAsLong(feed.stats());
    }

    /** The node's metrics (GET /metrics); the gateways bind their own sources to it at start. */
    public NodeMetrics metrics() {
        return metrics;
    }

    /**
     * The snapshot side of the node, read on the engine thread: snapshots taken since the start, the newest one's
     * sequence, the longest pause they caused the engine thread, and with a replica how far behind it is and whether
     * it failed (operations.md).
     */
    public CompletableFuture<java.util.Map<String, Object>> snapshotStatus() {
        return query(e -> log.status());
    }

    /** What /health reports, as the engine thread last published it (see {@link EngineHealth}); never waits. */
    public java.util.Map<String, Object> health() {
        java.util.Map<String, Object> health = new java.util.LinkedHashMap<>();
        health.put("sequence", published.sequence());
        health.put("stalledMs", published.stalledMillis());
        health.put("snapshots", published.snapshots());
        java.util.function.Supplier<java.util.Map<String, Object>> control = riskControl;
        if (control != null) {
            health.put("riskController", control.get());
        }
        SettlementView chain = settlement;
        if (chain != null) {
            health.put("settlement", chain.status());
        }
        return health;
    }

    /** The settlement loop's status for {@link #health} and the gateway's {@code /v1/settlement}, or null. */
    private volatile SettlementView settlement;

    /** The node's settlement loop (or null for none): the gateway reads its status and proofs through this. */
    public void settlement(SettlementView view) {
        this.settlement = view;
    }

    /** The node's settlement loop, or null when the config has no {@code chain} section. */
    public SettlementView settlement() {
        return settlement;
    }

    /** The volatility controller's counters for {@link #health}, when the node runs one ({@link RiskControl}). */
    void riskControl(java.util.function.Supplier<java.util.Map<String, Object>> status) {
        this.riskControl = status;
    }

    /**
     * Queues a command (copied). Returns false when the ring is full (the caller answers "overloaded").
     * {@code reply} runs on the engine thread once the command is durable and applied.
     */
    public boolean submit(Command command, Reply reply) {
        if (failure != null) {
            return false;
        }
        long now = System.nanoTime();
        // The ticker's second is not a client's command: not timed.
        Reply timed = reply == null || command.type == CommandType.TIME_TICK ? reply
                : new TimedReply(reply, meters, command.type, now);
        boolean queued = ring.tryPublishEvent((slot, sequence) -> {
            slot.kind = COMMAND;
            slot.published = now;
            slot.command.copyFrom(command);
            slot.reply = timed;
            slot.query = null;
            slot.answer = null;
        });
        if (!queued) {
            meters.queueFull();
        }
        return queued;
    }

    /**
     * Engine thread only (from a {@link Reply}): {@code end} runs once after the replies of the current batch, so a
     * connection's answers can leave together (see {@link SocketOutbox}).
     */
    public void atBatchEnd(BatchEnd end) {
        batchEnds.add(end);
    }

    /**
     * Hands the accounts' order events (accepted, filled, canceled, expired, amended) to {@code listener} as well, on
     * the engine thread, from the next command on (the FIX and binary gateways' reports), or ({@code attach} false)
     * stops. Set on the engine thread itself, so the field needs no synchronisation. The listener must not block.
     */
    public CompletableFuture<Boolean> orderEvents(EngineEvents listener, boolean attach) {
        return query(e -> {
            collector.orderEvents = OrderEventsTee.with(collector.orderEvents, listener, attach);
            return Boolean.TRUE;
        });
    }

    /**
     * Hands every command applied from now on (stamped, with its outcome) to {@code tap} as well, on the engine thread
     * (the settlement replica: docs/settlement.md, "The node's settlement loop"); null detaches it. Completes with the
     * engine's last sequence when the tap was set: the tap hears exactly the commands after it, and every command up to
     * it is in the journal on disk. The tap must not block but for back-pressure, and must copy what it keeps (both
     * arguments are reused). One tap at a time; not on a cluster's gateway.
     */
    public CompletableFuture<Long> tapApplied(io.meridian.journal.Sequencer.Applied tap) {
        return query(e -> {
            collector.tap = tap;
            return e.lastSequence();
        });
    }

    /** Runs {@code query} on the engine thread after every command queued before it. */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> query(Function<Engine, T> query) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        if (failure != null) {
            answer.completeExceptionally(new IllegalStateException("engine thread failed: " + failure
                    + "; restart the node to recover from its journal"));
            return (CompletableFuture<T>) (CompletableFuture<?>) answer;
        }
        long now = System.nanoTime();
        boolean queued = ring.tryPublishEvent((slot, sequence) -> {
            slot.kind = QUERY;
            slot.published = now;
            slot.reply = null;
            slot.query = (Function<Engine, Object>) query;
            slot.answer = answer;
        });
        if (!queued) {
            answer.completeExceptionally(new IllegalStateException("engine queue full"));
        }
        return (CompletableFuture<T>) (CompletableFuture<?>) answer;
    }

    /**
     * I/O thread: subscribes {@code channel} to an instrument's book stream: the snapshot is taken and the subscription
     * registered in one step on the engine thread, so the first delta continues exactly where the snapshot ends
     * (refusals: {@link StreamRequests#subscribe}). Completes with whether it was taken.
     */
    public CompletableFuture<Boolean> subscribe(io.netty.channel.Channel channel, int instrument, int depth, Long id) {
        return streams.subscribe(channel, instrument, depth, id);
    }

    /**
     * I/O thread: subscribes {@code channel} to one account's private stream (refused over a cap), named by the client
     * by {@code address} (or null: by id).
     */
    public CompletableFuture<Boolean> subscribeAccount(io.netty.channel.Channel channel, long account, String address,
                                                       Long id) {
        return streams.subscribeAccount(channel, account, address, id);
    }

    /** I/O thread: subscribes {@code channel} to the trades, ticker, funding or liquidations of an instrument. */
    public CompletableFuture<Boolean> subscribeChannel(io.netty.channel.Channel channel, int kind, int instrument,
                                                       Long id) {
        return streams.subscribeChannel(channel, kind, instrument, id);
    }

    /** Stops one trades, ticker, funding or liquidations stream to {@code channel}; completes as the others. */
    public CompletableFuture<Boolean> unsubscribeChannel(io.netty.channel.Channel channel, int kind, int instrument) {
        return streams.unsubscribeChannel(channel, kind, instrument);
    }

    /** Stops every stream to {@code channel}; completes once no message of them follows. */
    public CompletableFuture<Boolean> unsubscribe(io.netty.channel.Channel channel) {
        return streams.unsubscribe(channel);
    }

    /** Stops one instrument's book stream to {@code channel}; completes once no message of it follows. */
    public CompletableFuture<Boolean> unsubscribeInstrument(io.netty.channel.Channel channel, int instrument) {
        return streams.unsubscribeInstrument(channel, instrument);
    }

    /** Stops one account's private stream to {@code channel}; completes once no message of it follows. */
    public CompletableFuture<Boolean> unsubscribeAccount(io.netty.channel.Channel channel, long account) {
        return streams.unsubscribeAccount(channel, account);
    }

    /** The market-data path: its counters (overflows, slow consumers, resyncs, disconnects) and test hooks. */
    public MarketFeed marketData() {
        return marketData.feed();
    }

    /** A page of the account's fills (on the engine thread, after every command queued before). */
    public CompletableFuture<HistoryQuery.Page<FillHistory.Fill>> fills(long account, HistoryQuery page) {
        return query(e -> history.fills().page(account, page));
    }

    /** A page of the account's orders, open and ended (on the engine thread, after every command queued before). */
    public CompletableFuture<HistoryQuery.Page<OrderHistory.Order>> orders(long account, HistoryQuery page) {
        return query(e -> history.orders().page(account, page));
    }

    /**
     * Runs {@code read} on the engine thread with the histories and the engine, after every command queued before: for
     * reads that combine them (an order open in the engine or ended in the history; the ticker's day). {@code read}
     * must copy what it returns.
     */
    public <T> CompletableFuture<T> history(java.util.function.BiFunction<Engine, Histories, T> read) {
        return query(e -> read.apply(e, history));
    }

    /** The instrument's newest public trades first (on the engine thread, after every command queued before). */
    public CompletableFuture<List<TradeHistory.Trade>> trades(int instrument, int limit) {
        return query(e -> history.trades().recent(instrument, limit));
    }

    /** The instrument's candles, oldest first (see {@link CandleHistory#candles}; on the engine thread). */
    public CompletableFuture<List<CandleHistory.Candle>> candles(int instrument, CandleHistory.Interval interval, long from,
                                                          long to, int limit) {
        return query(e -> history.candles().candles(instrument, interval, from, to, limit));
    }

    /** The instrument's newest applied funding rates first (on the engine thread). */
    public CompletableFuture<List<FundingHistory.Funding>> funding(int instrument, int limit) {
        return query(e -> history.funding().recent(instrument, limit));
    }

    /** The node's time now (epoch nanoseconds), as the next command will be stamped unless time went back. */
    public long now() {
        return clock.getAsLong();
    }

    /** Why the engine thread stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    /**
     * An exception on the engine thread (a journal write that failed, a bug) stops the node taking commands: what
     * reached the disk is uncertain, so it does not guess. Every later request is refused (503) and health fails; a
     * restart recovers exactly the journal's intact prefix. The callback (the node's launcher) is told once.
     */
    private final class Failure implements com.lmax.disruptor.ExceptionHandler<Slot> {
        @Override
        public void handleEventException(Throwable ex, long sequence, Slot slot) {
            if (failure == null) {
                failure = ex;
                onFailure.accept(ex);
            }
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            handleEventException(ex, -1, null);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            // Shutting down anyway; the journal is closed by close().
        }
    }

    /** The engine's authorisation state as seen from the gateway: read on any thread, written on the engine thread. */
    public AuthMirror authMirror() {
        return authMirror;
    }

    /** The engine the log holds now (the mirror asks for it when a remembered command completes). */
    private Engine currentEngine() {
        return log.engine();
    }

    /**
     * What the start found (snapshot, journal records replayed; on a cluster's gateway, of its own journal); null when
     * the journal began at this start.
     */
    public Sequencer.StartReport startReport() {
        return startReport;
    }

    /** What else the start has to tell the operator (a gateway's journal begun, or a gap in its history). */
    public List<String> startNotes() {
        return log.startNotes();
    }

    /** Stops the engine thread after the commands already queued, flushes the journal and closes it. */
    @Override
    public void close() {
        if (stages != null) {
            stages.stop();
        }
        ticker.shutdownNow();
        disruptor.shutdown();
        awaitEngineThread();
        marketData.close();
        log.close();
        metrics.close();
    }

    /**
     * Waits for the engine thread to leave its loop: the disruptor's shutdown only asks it to stop, and a gateway's
     * thread may be in the middle of a poll of the cluster (or a write of its journal), which must end before the log
     * is closed under it.
     */
    private void awaitEngineThread() {
        Thread thread = engineThread;
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Handler implements EventHandler<Slot> {
        /** Whether the next event starts a batch (its wait in the queue is the batch's longest). */
        private boolean batchStart = true;

        @Override
        public void onEvent(Slot slot, long ringSequence, boolean endOfBatch) {
            if (batchStart) {
                batchStart = false;
                meters.queueWait(System.nanoTime() - slot.published);
            }
            if (endOfBatch) {
                batchStart = true;
            }
            try {
                if (slot.kind == COMMAND) {
                    log.submit(slot.command, slot.reply);
                } else {
                    log.flush();
                    try {
                        slot.answer.complete(slot.query.apply(log.engine()));
                    } catch (RuntimeException e) {
                        slot.answer.completeExceptionally(e);
                    }
                }
            } finally {
                slot.reply = null;
                slot.query = null;
                slot.answer = null;
            }
            if (endOfBatch) {
                if (stages != null) {
                    int commands = log.pending();
                    long start = System.nanoTime();
                    log.flush();
                    stages.batch(commands, System.nanoTime() - start);
                } else {
                    log.flush();
                }
            }
            afterWork(endOfBatch);
        }

        /** Nothing came for a while (a gateway's wait strategy): the cluster is polled, and what it applied handed on. */
        @Override
        public void onTimeout(long sequence) {
            log.idle();
            afterWork(true);
        }

        private void afterWork(boolean endOfBatch) {
            if (!batchEnds.isEmpty()) {
                // Replies complete during a flush: hand their answers on now.
                for (int i = 0; i < batchEnds.size(); i++) {
                    batchEnds.get(i).batchEnd();
                }
                batchEnds.clear();
            }
            if (endOfBatch) {
                // The batch's market data to the publisher thread: one hand-off (and at most one wake-up) per batch.
                marketData.batchEnd();
                published.batchEnd(log);
            }
        }
    }
}
