package io.meridian.node;

import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.meridian.engine.Engine;
import io.meridian.engine.OptionMarginSpecs;
import io.meridian.journal.Durability;
import io.meridian.journal.EngineSettings;
import io.meridian.journal.JournalConfig;
import io.meridian.journal.Sequencer;
import io.meridian.model.AssetSpec;
import io.meridian.model.CancelReason;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Liquidity;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OrderType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.node.history.CandleHistory;
import io.meridian.node.history.FillHistory;
import io.meridian.node.history.FundingHistory;
import io.meridian.node.history.TradeHistory;
import io.meridian.pricing.InstrumentPricing;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import io.meridian.node.access.AuthMirror;
import io.meridian.node.access.MirrorFeed;

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
 * <p><b>History</b> ({@link FillHistory}, {@link TradeHistory}, {@link CandleHistory}, {@link FundingHistory}) is
 * owned by the engine thread: the events of every applied command, those replayed at start included, feed it there,
 * and the gateway reads it with a query ({@link #fills}, {@link #trades}, {@link #candles}, {@link #funding}) that
 * copies what it returns.
 *
 * <p>A full ring refuses at once ({@link #submit} returns false) rather than blocking a gateway thread.
 */
public final class EngineLoop implements AutoCloseable {
    /** What a command did, for its reply. Built on the engine thread. */
    public record Result(long sequence, long orderId, RejectReason reject, long filledQuantity, long restingQuantity,
                         boolean canceled) {
    }

    /** Receives a command's result on the engine thread; must not block (hand the result to the I/O thread). */
    public interface Reply {
        void complete(Result result);
    }

    /** Called on the engine thread once after the batch in which it was registered ({@link #atBatchEnd}). */
    interface BatchEnd {
        void batchEnd();
    }

    /** Wall time in epoch nanoseconds, to the millisecond: the clock of a running node. */
    static final LongSupplier WALL_CLOCK = () -> System.currentTimeMillis() * 1_000_000L;

    private static final int RING = 1 << 14;
    private static final int PENDING = 1 << 14;
    /** Orders with a client order id whose answers are kept for resends. */
    static final int IDEMPOTENCY_CAPACITY = 200_000;
    private static final int QUERY = 1;
    private static final int COMMAND = 2;

    private final MarketData marketData;
    private final FillHistory fills = new FillHistory();
    private final TradeHistory trades = new TradeHistory();
    private final CandleHistory candles = new CandleHistory();
    private final FundingHistory funding = new FundingHistory();
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    private final Sequencer sequencer;
    /** Whether a replica takes the snapshots (the status reports its lag). */
    private final boolean snapshotReplica;
    private final Collector collector;
    /** The engine's authorisation state as the gateway's pre-checks see it (see {@link AuthMirror}). */
    private final AuthMirror authMirror = new AuthMirror();
    private final MirrorFeed mirrorFeed = new MirrorFeed(authMirror, () -> sequencer().engine(), PENDING);
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
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meridian-ticker");
        t.setDaemon(true);
        return t;
    });

    private static final class Slot {
        int kind;
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
        this.onFailure = onFailure;
        this.clock = clock;
        this.snapshotReplica = config.snapshotReplica();
        java.util.Map<Integer, InstrumentSpec> specs = new java.util.HashMap<>();
        specs.putAll(config.allSpecs());
        this.marketData = new MarketData(specs);
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
        this.collector = new Collector(marketData, fills, trades, candles, funding, mirrorFeed);
        Durability durability = config.durability().equals("none") ? Durability.NONE : Durability.GROUP_COMMIT;
        this.sequencer = Sequencer.start(Path.of(config.dataDir()),
                JournalConfig.defaults().withDurability(durability),
                config.snapshotPolicy(),
                config.engineConfig(), collector, clock,
                Sequencer.DEFAULT_MAX_BATCH);
        this.startReport = sequencer.startReport();
        marketData.engine(sequencer::engine);
        tick.type = CommandType.TIME_TICK;
        try {
            // Settings are pinned with the journal: explicit ones that differ are a mistake to report, not to ignore.
            if (config.engine() != null && !config.engineConfig().equals(sequencer.engine().config())) {
                throw new IllegalStateException("the journal in " + config.dataDir() + " was created with other engine"
                        + " settings (" + EngineSettings.FILE_NAME + "): " + sequencer.engine().config() + "; settings are"
                        + " pinned with a journal, so changing them needs a new data directory");
            }
            checkListedInstruments(config, sequencer.engine());
        } catch (IllegalStateException e) {
            sequencer.close();
            throw e;
        }
        bootstrap(config);
        // Before any request: the gateway's mirror starts from the recovered state (the engine thread keeps it up to date).
        authMirror.load(sequencer.engine());
        // Lite blocking: a publisher signals the engine thread only when it is parked, not (lock and signal) on every
        // publish; no spinning, as the I/O threads and the generator need the machine's cores.
        this.disruptor = new Disruptor<>(Slot::new, RING, r -> {
            Thread t = new Thread(r, "meridian-engine");
            t.setDaemon(true);
            return t;
        }, ProducerType.MULTI, new LiteBlockingWaitStrategy());
        disruptor.handleEventsWith(new Handler());
        disruptor.setDefaultExceptionHandler(new Failure());
        this.ring = disruptor.start();
        // Time is an input: a TIME_TICK a second moves timers (GTD expiry, funding, index staleness) on a quiet venue.
        ticker.scheduleAtFixedRate(() -> submit(tick, result -> { }), 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Adds, through the journal, every configured asset, index, instrument (with its starting mark; priced from its
     * index when configured so) and option the engine lacks, in that order, and sets each index's option margin
     * parameters where the engine's differ from the config's.
     */
    private void bootstrap(NodeConfig config) {
        Engine engine = sequencer.engine();
        Command c = new Command();
        for (NodeConfig.Asset asset : config.assets()) {
            if (engine.ledger().asset(asset.id()) == null) {
                c.reset();
                c.type = CommandType.ADD_ASSET;
                c.assetSpec = new AssetSpec(asset.id(), asset.symbol(), asset.scale());
                sequencer.submit(c);
            }
        }
        // Indexes before the instruments and option chains priced from them; marks follow an index once it publishes.
        for (NodeConfig.Index index : config.markets().indexes()) {
            if (!engine.hasIndex(index.id())) {
                c.reset();
                c.type = CommandType.ADD_INDEX;
                c.indexSpec = NodeConfig.indexSpec(index);
                sequencer.submit(c);
            }
        }
        for (NodeConfig.Instrument instrument : config.instruments()) {
            if (!engine.instrumentIds().contains(instrument.id())) {
                InstrumentSpec spec = NodeConfig.spec(instrument);
                c.reset();
                c.type = CommandType.ADD_INSTRUMENT;
                c.instrumentSpec = spec;
                c.pricingSpec = NodeConfig.pricingSpec(instrument, config.scaleOf(instrument.settle()));
                sequencer.submit(c);
                // The configured mark starts trading; an index-priced perpetual whose index already publishes takes
                // its mark from the index instead.
                if (instrument.index() == null || engine.indexPrice(instrument.index()) == 0) {
                    c.reset();
                    c.type = CommandType.SET_MARK_PRICE;
                    c.instrument = instrument.id();
                    c.price = new BigDecimal(instrument.markPrice()).divide(spec.tickSize()).longValueExact();
                    sequencer.submit(c);
                }
            }
        }
        // Option margin parameters as configured: journaled when the engine's differ (a new index has the defaults),
        // so a changed config takes effect at this start and the journal records when.
        for (NodeConfig.Index index : config.markets().indexes()) {
            OptionMarginSpec wanted = index.optionMarginSpec();
            OptionMarginSpec current = engine.optionMarginSpec(index.id());
            if (!wanted.equals(current != null ? current : OptionMarginSpecs.defaults())) {
                c.reset();
                c.type = CommandType.SET_OPTION_MARGIN;
                c.indexId = index.id();
                c.optionMarginSpec = wanted;
                sequencer.submit(c);
            }
        }
        for (Command option : config.optionCommands()) {
            if (!engine.instrumentIds().contains(option.instrumentSpec.id())) {
                sequencer.submit(option);
            }
        }
        sequencer.flush();
    }

    /**
     * Refuses a configured instrument the journal already holds differently: a perpetual priced another way (from an
     * index or by the operator), or an option series with other terms. The engine keeps the journal's, so the gateway
     * would list one thing and trade another. A changed instrument needs a new id (a chain's {@code firstId}) or a new
     * data directory. Runs before anything is journaled.
     */
    private static void checkListedInstruments(NodeConfig config, Engine engine) {
        for (NodeConfig.Instrument in : config.instruments()) {
            if (engine.instrumentIds().contains(in.id())) {
                InstrumentPricing pricing = engine.pricing(in.id());
                Integer listed = pricing == null ? null : pricing.indexId();
                if (!java.util.Objects.equals(listed, in.index())) {
                    throw new IllegalStateException("instruments: " + in.symbol() + " (" + in.id() + ") is "
                            + (listed == null ? "marked by the operator" : "priced from index " + listed)
                            + " in the journal of " + config.dataDir() + " but " + (in.index() == null
                            ? "marked by the operator" : "priced from index " + in.index()) + " in the config; how an"
                            + " instrument is priced cannot change: give it another id or start on a new data directory");
                }
            }
        }
        for (Command option : config.optionCommands()) {
            int id = option.instrumentSpec.id();
            if (engine.instrumentIds().contains(id)) {
                InstrumentSpec listed = engine.book(id).spec();
                if (!listed.symbol().equals(option.instrumentSpec.symbol())
                        || listed.expiryTimestamp() != option.instrumentSpec.expiryTimestamp()) {
                    throw new IllegalStateException("optionChains: instrument " + id + " is " + listed.symbol()
                            + " in the journal of " + config.dataDir() + " but " + option.instrumentSpec.symbol()
                            + " in the config; a listed series cannot change: give the chain other ids (firstId) or"
                            + " start on a new data directory");
                }
            }
        }
    }

    /**
     * The snapshot side of the node, read on the engine thread: snapshots taken since the start, the newest one's
     * sequence, the longest pause they caused the engine thread, and with a replica how far behind it is and whether
     * it failed (operations.md).
     */
    public CompletableFuture<java.util.Map<String, Object>> snapshotStatus() {
        return query(e -> {
            java.util.Map<String, Object> status = new java.util.LinkedHashMap<>();
            status.put("taken", sequencer.snapshotsTaken());
            status.put("lastSequence", sequencer.lastSnapshotSequence());
            status.put("maxPauseMs", sequencer.maxSnapshotPauseNanos() / 1_000_000.0);
            status.put("replica", snapshotReplica);
            if (snapshotReplica) {
                status.put("replicaLag", sequencer.replicaLag());
                status.put("replicaMaxCaptureMs", sequencer.replicaMaxCaptureNanos() / 1_000_000.0);
                status.put("replicaFailure", sequencer.replicaFailure());
            }
            return status;
        });
    }

    /**
     * Queues a command (copied). Returns false when the ring is full (the caller answers "overloaded").
     * {@code reply} runs on the engine thread once the command is durable and applied.
     */
    public boolean submit(Command command, Reply reply) {
        if (failure != null) {
            return false;
        }
        return ring.tryPublishEvent((slot, sequence) -> {
            slot.kind = COMMAND;
            slot.command.copyFrom(command);
            slot.reply = reply;
            slot.query = null;
            slot.answer = null;
        });
    }

    /**
     * Engine thread only (from a {@link Reply}): {@code end} runs once after the replies of the current batch, so a
     * connection's answers can leave together (see {@link SocketOutbox}).
     */
    void atBatchEnd(BatchEnd end) {
        batchEnds.add(end);
    }

    /**
     * Hands the accounts' order events (accepted, filled, canceled, expired, amended) to {@code listener} as well, on
     * the engine thread, from the next command on (the FIX gateway's reports). Set on the engine thread itself, so the
     * field needs no synchronisation; one listener at a time (null detaches it). The listener must not block.
     */
    public CompletableFuture<Boolean> orderEvents(EngineEvents listener) {
        return query(e -> {
            collector.orderEvents = listener == null ? NO_EVENTS : listener;
            return Boolean.TRUE;
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
        boolean queued = ring.tryPublishEvent((slot, sequence) -> {
            slot.kind = QUERY;
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
     * Subscribes {@code channel} to an instrument's public streams: on the engine thread, the L2 snapshot is written
     * to the channel and the channel registered in one step, so no delta is missed or repeated.
     */
    public CompletableFuture<Object> subscribe(io.netty.channel.Channel channel, int instrument, int depth,
                                               Function<java.util.Map<String, Object>, Object> frame) {
        return query(e -> {
            if (marketData.subscriptions(channel) >= MarketData.MAX_SUBSCRIPTIONS_PER_CONNECTION) {
                channel.writeAndFlush(frame.apply(java.util.Map.of("type", "error", "code", 429, "message",
                        "at most " + MarketData.MAX_SUBSCRIPTIONS_PER_CONNECTION + " subscriptions per connection")));
                return Boolean.FALSE;
            }
            channel.writeAndFlush(frame.apply(marketData.subscribe(e, channel, instrument, depth)));
            return Boolean.TRUE;
        });
    }

    /** Subscribes {@code channel} to one account's private stream (on the engine thread). */
    public void subscribeAccount(io.netty.channel.Channel channel, long account) {
        query(e -> {
            if (marketData.subscriptions(channel) >= MarketData.MAX_SUBSCRIPTIONS_PER_CONNECTION) {
                channel.writeAndFlush(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame(
                        "{\"type\":\"error\",\"code\":429,\"message\":\"at most "
                                + MarketData.MAX_SUBSCRIPTIONS_PER_CONNECTION + " subscriptions per connection\"}"));
                return Boolean.FALSE;
            }
            marketData.subscribeAccount(channel, account);
            return Boolean.TRUE;
        });
    }

    /** Stops every stream to {@code channel} (on the engine thread). */
    public void unsubscribe(io.netty.channel.Channel channel) {
        query(e -> {
            marketData.remove(channel);
            return Boolean.TRUE;
        });
    }

    /** Stops one instrument's public stream to {@code channel} (on the engine thread). */
    public CompletableFuture<Boolean> unsubscribeInstrument(io.netty.channel.Channel channel, int instrument) {
        return query(e -> {
            marketData.removeInstrument(channel, instrument);
            return Boolean.TRUE;
        });
    }

    /** Stops one account's private stream to {@code channel} (on the engine thread). */
    public CompletableFuture<Boolean> unsubscribeAccount(io.netty.channel.Channel channel, long account) {
        return query(e -> {
            marketData.removeAccount(channel, account);
            return Boolean.TRUE;
        });
    }

    /** The account's newest fills first (on the engine thread, after every command queued before). */
    public CompletableFuture<List<FillHistory.Fill>> fills(long account, int instrument, int limit) {
        return query(e -> fills.recent(account, instrument, limit));
    }

    /** The instrument's newest public trades first (on the engine thread, after every command queued before). */
    public CompletableFuture<List<TradeHistory.Trade>> trades(int instrument, int limit) {
        return query(e -> trades.recent(instrument, limit));
    }

    /** The instrument's candles, oldest first (see {@link CandleHistory#candles}; on the engine thread). */
    public CompletableFuture<List<CandleHistory.Candle>> candles(int instrument, CandleHistory.Interval interval, long from,
                                                          long to, int limit) {
        return query(e -> candles.candles(instrument, interval, from, to, limit));
    }

    /** The instrument's newest applied funding rates first (on the engine thread). */
    public CompletableFuture<List<FundingHistory.Funding>> funding(int instrument, int limit) {
        return query(e -> funding.recent(instrument, limit));
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

    private Sequencer sequencer() {
        return sequencer;
    }

    /** What the start found (snapshot, journal records replayed). */
    public Sequencer.StartReport startReport() {
        return startReport;
    }

    /** Stops the engine thread after the commands already queued, flushes the journal and closes it. */
    @Override
    public void close() {
        if (stages != null) {
            stages.stop();
        }
        ticker.shutdownNow();
        disruptor.shutdown();
        sequencer.close();
    }

    private final class Handler implements EventHandler<Slot> {
        @Override
        public void onEvent(Slot slot, long ringSequence, boolean endOfBatch) {
            try {
                if (slot.kind == COMMAND) {
                    Command c = slot.command;
                    if (c.address != null && c.account == 0) {
                        // A request by address names the address's account from here on, so that idempotency keys
                        // are per account. Accounts are only ever opened, never rebound, so what is applied later in
                        // this batch can only agree; an address without an account stays 0 for the engine to refuse.
                        c.account = sequencer.engine().accountOfAddress(c.address);
                    }
                    boolean resend = c.type == CommandType.PLACE_ORDER && c.clientOrderId != 0 && c.account != 0
                            && collector.answerResend(c.account, c.clientOrderId, slot.reply);
                    if (!resend) {
                        if (c.type == CommandType.PLACE_ORDER && c.orderId == 0) {
                            c.orderId = sequencer.writer().nextSequence();
                        }
                        collector.expect(sequencer.writer().nextSequence(), c.orderId, slot.reply);
                        mirrorFeed.submitted(sequencer.writer().nextSequence(), c);
                        sequencer.submit(c);
                    }
                } else {
                    sequencer.flush();
                    try {
                        slot.answer.complete(slot.query.apply(sequencer.engine()));
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
                    int commands = sequencer.pending();
                    long start = System.nanoTime();
                    sequencer.flush();
                    stages.batch(commands, System.nanoTime() - start);
                } else {
                    sequencer.flush();
                }
            }
            if (!batchEnds.isEmpty()) {
                // Replies complete during a flush (or at once, for a resend): hand their answers on now.
                for (int i = 0; i < batchEnds.size(); i++) {
                    batchEnds.get(i).batchEnd();
                }
                batchEnds.clear();
            }
        }
    }

    private static final EngineEvents NO_EVENTS = new EngineEvents() { };

    /** An order's idempotency key: its account and client order id. */
    private record ClientKey(long account, long clientOrderId) {
    }

    /**
     * Turns the engine's events for each command into its {@link Result}, and remembers the result of every order
     * placed with a client order id so a resend gets the original answer ({@link #IDEMPOTENCY_CAPACITY} most recent;
     * rebuilt from the journal's events on start, so a resend after a restart is recognised too). Relies on the
     * node's convention that a placed order's id is its command's sequence. Engine thread only.
     */
    private static final class Collector implements EngineEvents {
        private final MarketData marketData;
        private final FillHistory fills;
        private final TradeHistory trades;
        private final CandleHistory candles;
        private final FundingHistory funding;
        private final MirrorFeed mirrorFeed;
        private final Reply[] replies = new Reply[PENDING];
        private final long[] replyOrderIds = new long[PENDING];
        private final java.util.LinkedHashMap<ClientKey, Result> results = new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<ClientKey, Result> eldest) {
                return size() > IDEMPOTENCY_CAPACITY;
            }
        };
        private final java.util.HashMap<ClientKey, java.util.List<Reply>> waiting = new java.util.HashMap<>();
        /** Who else hears the order events (see {@link #orderEvents}); engine thread only. */
        private EngineEvents orderEvents = NO_EVENTS;

        private long current = -1;
        private long account;
        private long clientOrderId;
        private long filled;
        private long resting;
        private boolean canceled;
        private RejectReason reject;

        Collector(MarketData marketData, FillHistory fills, TradeHistory trades, CandleHistory candles,
                  FundingHistory funding, MirrorFeed mirrorFeed) {
            this.mirrorFeed = mirrorFeed;
            this.marketData = marketData;
            this.fills = fills;
            this.trades = trades;
            this.candles = candles;
            this.funding = funding;
        }

        /** The original answer for this order, if it was placed before (or is being placed now: then waits). */
        boolean answerResend(long account, long clientOrderId, Reply reply) {
            ClientKey key = new ClientKey(account, clientOrderId);
            Result prior = results.get(key);
            if (prior != null) {
                reply.complete(prior);
                return true;
            }
            java.util.List<Reply> queue = waiting.get(key);
            if (queue != null) {
                queue.add(reply);
                return true;
            }
            waiting.put(key, new java.util.ArrayList<>());
            return false;
        }

        void expect(long sequence, long orderId, Reply reply) {
            int i = (int) (sequence & (PENDING - 1));
            replies[i] = reply;
            replyOrderIds[i] = orderId;
        }

        private void at(long sequence) {
            if (sequence != current) {
                current = sequence;
                account = 0;
                clientOrderId = 0;
                filled = 0;
                resting = 0;
                canceled = false;
                reject = null;
            }
        }

        @Override
        public void bookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side,
                                     long price, long quantity, int orderCount) {
            marketData.bookLevelChanged(sequence, timestamp, instrument, l2Sequence, side, price, quantity,
                    orderCount);
        }

        @Override
        public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide,
                                  long price, long quantity) {
            marketData.tradeExecuted(sequence, timestamp, instrument, tradeId, takerSide, price, quantity);
            trades.add(sequence, timestamp, instrument, tradeId, takerSide, price, quantity);
            candles.add(timestamp, instrument, price, quantity);
        }

        @Override
        public void fundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium,
                                       long interestRate, int samples, long markPrice) {
            funding.add(instrument, new FundingHistory.Funding(sequence, timestamp, rate, averagePremium, interestRate,
                    samples, markPrice));
        }

        @Override
        public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
            marketData.markPriceChanged(sequence, timestamp, instrument, markPrice);
        }

        @Override
        public void optionExpired(long sequence, long timestamp, int instrument) {
            marketData.optionExpired(sequence, timestamp, instrument);
        }

        @Override
        public void optionSettled(long sequence, long timestamp, int instrument, long settlementPrice,
                                  long intrinsicValue, long openInterest, int samples) {
            marketData.optionSettled(sequence, timestamp, instrument, settlementPrice, intrinsicValue, openInterest,
                    samples);
        }

        @Override
        public void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
                                          long settlementValue, long amount) {
            marketData.optionPositionSettled(sequence, timestamp, instrument, account, position, settlementValue,
                    amount);
        }

        @Override
        public void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side,
                                    long price, long quantity, long fee) {
            marketData.liquidationFill(sequence, timestamp, account, instrument, side, price, quantity, fee);
        }

        @Override
        public void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side,
                                          long price, long quantity, long fundEquity) {
            marketData.insuranceFundTakeover(sequence, timestamp, account, instrument, side, price, quantity,
                    fundEquity);
            transferred(sequence, timestamp, account, instrument, side, price, quantity, "insurance-fund");
        }

        @Override
        public void backstopTransfer(long sequence, long timestamp, long account, long backstopAccount,
                                     int instrument, Side side, long price, long quantity) {
            marketData.backstopTransfer(sequence, timestamp, account, backstopAccount, instrument, side, price,
                    quantity);
            transferred(sequence, timestamp, account, instrument, side, price, quantity, "backstop");
            transferred(sequence, timestamp, backstopAccount, instrument, side == Side.BUY ? Side.SELL : Side.BUY,
                    price, quantity, "backstop");
        }

        @Override
        public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument,
                                    Side side, long price, long quantity, long rankPpm) {
            marketData.autoDeleveraged(sequence, timestamp, account, counterparty, instrument, side, price, quantity,
                    rankPpm);
            transferred(sequence, timestamp, account, instrument, side, price, quantity, "adl");
            transferred(sequence, timestamp, counterparty, instrument, side == Side.BUY ? Side.SELL : Side.BUY,
                    price, quantity, "adl");
        }

        /** A position moved outside the book by a liquidation: in the account's fill history, marked {@code via}. */
        private void transferred(long sequence, long timestamp, long account, int instrument, Side side, long price,
                                 long quantity, String via) {
            fills.add(account, new FillHistory.Fill(sequence, timestamp, instrument, 0, 0, 0, side, price, quantity,
                    null, via));
        }

        @Override
        public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                  long account, Side side, OrderType type, TimeInForce timeInForce, long price,
                                  long quantity, long triggerPrice) {
            marketData.orderAccepted(sequence, timestamp, instrument, orderId, clientOrderId, account, side, type,
                    timeInForce, price, quantity, triggerPrice);
            orderEvents.orderAccepted(sequence, timestamp, instrument, orderId, clientOrderId, account, side, type,
                    timeInForce, price, quantity, triggerPrice);
            at(sequence);
            if (orderId == sequence) {
                this.account = account;
                this.clientOrderId = clientOrderId;
                resting = quantity;
            }
        }

        @Override
        public void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                                   long initialMargin, long maintenanceMargin, int health) {
            marketData.accountUpdated(sequence, timestamp, account, asset, balance, equity, initialMargin,
                    maintenanceMargin, health);
        }

        @Override
        public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                                long clientOrderId, long account, Side side, long price, long quantity,
                                long remaining, Liquidity liquidity) {
            marketData.orderFilled(sequence, timestamp, instrument, tradeId, orderId, clientOrderId, account, side,
                    price, quantity, remaining, liquidity);
            orderEvents.orderFilled(sequence, timestamp, instrument, tradeId, orderId, clientOrderId, account, side,
                    price, quantity, remaining, liquidity);
            fills.add(account, new FillHistory.Fill(sequence, timestamp, instrument, tradeId, orderId, clientOrderId,
                    side, price, quantity, liquidity, null));
            at(sequence);
            if (orderId == sequence) {
                filled += quantity;
                resting = remaining;
            }
        }

        @Override
        public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                  long account, long canceledQuantity, CancelReason reason) {
            marketData.orderCanceled(sequence, timestamp, instrument, orderId, clientOrderId, account,
                    canceledQuantity, reason);
            orderEvents.orderCanceled(sequence, timestamp, instrument, orderId, clientOrderId, account,
                    canceledQuantity, reason);
            at(sequence);
            canceled = true;
            if (orderId == sequence) {
                resting = 0;
            }
        }

        @Override
        public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                 long account, long expiredQuantity) {
            orderEvents.orderExpired(sequence, timestamp, instrument, orderId, clientOrderId, account, expiredQuantity);
        }

        @Override
        public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                                 long account, long price, long quantity, long remaining, long triggerPrice) {
            orderEvents.orderAmended(sequence, timestamp, instrument, orderId, clientOrderId, account, price, quantity,
                    remaining, triggerPrice);
        }

        @Override
        public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                                    long clientOrderId, long account, RejectReason reason) {
            at(sequence);
            reject = reason;
            if (command == CommandType.PLACE_ORDER) {
                this.account = account;
                this.clientOrderId = clientOrderId;
            }
        }

        @Override
        public void commandCompleted(long sequence, long timestamp) {
            // Before the answer: a client that has it finds the gateway's pre-checks agreeing.
            mirrorFeed.completed(sequence);
            marketData.commandCompleted(sequence, timestamp);
            at(sequence);
            int i = (int) (sequence & (PENDING - 1));
            Reply reply = replies[i];
            Result result = new Result(sequence, reply != null ? replyOrderIds[i] : 0, reject, filled, resting,
                    canceled);
            if (clientOrderId != 0) {
                ClientKey key = new ClientKey(account, clientOrderId);
                results.put(key, result);
                java.util.List<Reply> queue = waiting.remove(key);
                if (queue != null) {
                    for (Reply resend : queue) {
                        resend.complete(result);
                    }
                }
            }
            if (reply != null) {
                replies[i] = null;
                reply.complete(result);
            }
        }
    }
}
