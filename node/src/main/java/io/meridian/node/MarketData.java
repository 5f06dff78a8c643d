package io.meridian.node;

import io.meridian.engine.Engine;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.node.marketdata.FeedFormats;
import io.meridian.node.marketdata.FeedProducer;
import io.meridian.node.marketdata.FeedSlot;
import io.meridian.node.marketdata.MarketFeed;
import io.meridian.node.marketdata.StreamLimits;
import io.meridian.node.marketdata.Subscriptions;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine thread's side of the public and private WebSocket streams (docs/api.md, "WebSocket" and "Slow
 * consumers"): it turns the engine's events into raw {@link FeedSlot}s in a bounded ring and does nothing per
 * subscriber. The publisher thread ({@code io.meridian.node.marketdata}) encodes each message once and fans it out.
 *
 * <p><b>Book.</b> A subscription takes the L2 snapshot and registers the connection in the same step on the engine
 * thread, stamped with its place among the events, so the first delta continues exactly where the snapshot ends.
 * Each command's level changes on an instrument go out as one delta {@code {"type":"book","instrument","first",
 * "last","prev","bids":[[price,qty]...],"asks":[...]}}: {@code first} and {@code last} are the l2 sequences it covers
 * and {@code prev} the {@code last} of the previous message (the snapshot's {@code l2Sequence} for the first delta),
 * so a client detects a gap when {@code prev} is not what it last applied, as in Binance's local order book recipe. A
 * quantity of 0 removes the level.
 *
 * <p><b>Trades</b> ({@code {"type":"trade","instrument","tradeId","price","quantity","side"}}), <b>marks</b>
 * ({@code {"type":"mark","instrument","price"}}) and <b>liquidations</b> ({@code {"type":"liquidation","instrument",
 * "side","price","quantity"}}, the liquidated account's side, without the account; with {@code "via"}:
 * {@code "insurance-fund"}, {@code "backstop"} or {@code "adl"} when the position left outside the book) go to the
 * instrument's subscribers as they happen.
 *
 * <p><b>Option expiry and settlement</b> are public too: {@code {"type":"expiry","instrument","expiry"}} when an option
 * closes to trading, and {@code {"type":"settlement","instrument","settlementPrice","intrinsicValue","openInterest",
 * "samples"}} when its positions are settled (prices in the index's decimals, per base unit).
 *
 * <p><b>Account streams</b> (private; not yet authenticated, see docs/api.md): {@code order} (accepted, canceled),
 * {@code fill} and {@code balance} messages for one account, as the engine emits them, and after a command in which
 * the account traded, a {@code position} message per instrument (size and liquidation price); an option position
 * settled at expiry gets a {@code settlement} message. Positions and balances after mark moves are read from the
 * engine here, at the end of the command, so the publisher never touches engine state.
 *
 * <p><b>Never waits.</b> When the ring is full the events are dropped, not queued, until it has room for half its size
 * again; then every book stream gets a fresh snapshot and every account stream a {@code resync} message, placed before
 * any later event. Engine thread only.
 */
final class MarketData implements EngineEvents {
    /** The default cap on one connection's subscriptions (tests name it). */
    static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = StreamLimits.defaults().maxSubscriptionsPerConnection();
    /**
     * The shortest command-time interval between two mark-driven updates of one subscribed account: equity and margin
     * follow every mark, but a stream does not need every index tick.
     */
    static final long MARK_UPDATE_INTERVAL_NANOS = 1_000_000_000L;

    private final Map<Integer, InstrumentSpec> instruments;
    private final StreamLimits limits;
    private final Subscriptions subscriptions;
    private final Map<Integer, Integer> assetScales = new HashMap<>();
    /** Asset ids by symbol. Written at start only. */
    private final Map<String, Integer> assetIds = new HashMap<>();
    private final Map<Integer, Integer> indexDecimals = new HashMap<>();
    /** Instruments whose mark moved in the command being applied (only while someone has a private stream). */
    private final java.util.Set<Integer> markMoved = new java.util.TreeSet<>();
    /** Accounts that got a balance message from the command being applied. */
    private final java.util.Set<Long> updatedNow = new java.util.HashSet<>();
    /** Per subscribed account, the command time of its last mark-driven update. */
    private final Map<Long, Long> lastMarkUpdate = new HashMap<>();
    /** Subscribed accounts that traded in the command being applied: (account, instrument) pairs to report. */
    private final java.util.Set<List<Long>> traded = new java.util.LinkedHashSet<>();
    private java.util.function.Supplier<Engine> engine = () -> null;
    /** The ring's producer side, the subscriptions and the overflow handling. */
    private final FeedProducer producer;
    /** Whether the command being applied changed a subscribed book (its delta ends at the command's end). */
    private boolean levelsInCommand;
    /**
     * The option whose positions are being settled and its settlement price: {@code optionSettled} comes just before
     * its {@code optionPositionSettled} events, in the same command, and they do not carry the price.
     */
    private int settlingOption = -1;
    private long settlingPrice;

    MarketData(Map<Integer, InstrumentSpec> instruments, StreamLimits limits) {
        this.instruments = instruments;
        this.limits = limits;
        this.producer = new FeedProducer(limits, () -> engine.get());
        this.subscriptions = producer.subscriptions();
    }

    /** Starts the publisher thread; {@code resyncer} brings a slow consumer's snapshots (see {@link #resync}). */
    void start(MarketFeed.Resyncer resyncer) {
        FeedFormats formats = new FeedFormats();
        for (InstrumentSpec spec : instruments.values()) {
            formats.instrument(spec, indexDecimals.get(spec.id()));
        }
        assetScales.forEach(formats::assetScale);
        producer.start(limits, formats, resyncer);
    }

    /** The engine thread's end of the feed: subscriptions are decided there (from the engine loop's queries). */
    FeedProducer producer() {
        return producer;
    }

    MarketFeed feed() {
        return producer.feed();
    }

    StreamLimits limits() {
        return limits;
    }

    void close() {
        producer.close();
    }

    /** End of an engine batch: see {@link FeedProducer#batchEnd}. */
    void batchEnd() {
        producer.batchEnd();
    }

    /** Where positions are read at the end of a command (the engine, on the engine thread). */
    void engine(java.util.function.Supplier<Engine> source) {
        this.engine = source;
    }

    void assetScale(int asset, int scale) {
        assetScales.put(asset, scale);
    }

    /** Engine thread (at start): the asset's symbol, as instruments name their settlement asset. */
    void assetSymbol(int asset, String symbol) {
        assetIds.put(symbol, asset);
    }

    /** The option {@code instrument} settles on an index of {@code priceDecimals} (its settlement prices' decimals). */
    void optionIndexDecimals(int instrument, int priceDecimals) {
        indexDecimals.put(instrument, priceDecimals);
    }

    /** A slot for an event, or null while events are dropped (see {@link FeedProducer#claim}). */
    private FeedSlot claim(int kind) {
        return producer.claim(kind);
    }

    private static int side(Side side) {
        return side == Side.BUY ? FeedSlot.BUY : FeedSlot.SELL;
    }

    @Override
    public void bookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side,
                                 long price, long quantity, int orderCount) {
        if (!subscriptions.hasBook(instrument)) {
            return;
        }
        levelsInCommand = true;
        FeedSlot s = claim(FeedSlot.LEVEL);
        if (s != null) {
            s.instrument = instrument;
            s.a = l2Sequence;
            s.side = side(side);
            s.price = price;
            s.quantity = quantity;
        }
    }

    @Override
    public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
                              long quantity) {
        if (subscriptions.hasBook(instrument)) {
            FeedSlot s = claim(FeedSlot.TRADE);
            if (s != null) {
                s.instrument = instrument;
                s.a = tradeId;
                s.side = side(takerSide);
                s.price = price;
                s.quantity = quantity;
            }
        }
    }

    /** Liquidation fills are public (the account is not shown): the venue's stress is everyone's business. */
    @Override
    public void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price,
                                long quantity, long fee) {
        publicLiquidation(instrument, side, price, quantity, null);
    }

    private void publicLiquidation(int instrument, Side side, long price, long quantity, String via) {
        if (subscriptions.hasBook(instrument)) {
            FeedSlot s = claim(FeedSlot.LIQUIDATION);
            if (s != null) {
                s.instrument = instrument;
                s.side = side(side);
                s.price = price;
                s.quantity = quantity;
                s.text = via;
            }
        }
    }

    @Override
    public void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side,
                                      long price, long quantity, long fundEquity) {
        liquidationTransfer(sequence, instrument, account, 0, side, price, quantity, "insurance-fund");
    }

    @Override
    public void backstopTransfer(long sequence, long timestamp, long account, long backstopAccount, int instrument,
                                 Side side, long price, long quantity) {
        liquidationTransfer(sequence, instrument, account, 0, side, price, quantity, "backstop");
    }

    @Override
    public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument,
                                Side side, long price, long quantity, long rankPpm) {
        liquidationTransfer(sequence, instrument, account, counterparty, side, price, quantity, "adl");
    }

    /**
     * A liquidated position (or part) that left the account outside the book: public subscribers get the same
     * {@code liquidation} message as for a book fill plus {@code "via"}; the account's private stream, and the
     * counterparty's for auto-deleveraging, get {@code {"type":"liquidation","sequence","account","instrument","side",
     * "price","quantity","via"}} (the side is that account's own) and a {@code position} message after the command.
     */
    private void liquidationTransfer(long sequence, int instrument, long account, long counterparty, Side side,
                                     long price, long quantity, String via) {
        publicLiquidation(instrument, side, price, quantity, via);
        privateTransfer(sequence, instrument, account, side, price, quantity, via);
        if (counterparty != 0) {
            privateTransfer(sequence, instrument, counterparty, side == Side.BUY ? Side.SELL : Side.BUY, price,
                    quantity, via);
        }
    }

    private void privateTransfer(long sequence, int instrument, long account, Side side, long price, long quantity,
                                 String via) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.ACCOUNT_LIQUIDATION, sequence, account, instrument);
        if (s != null) {
            s.side = side(side);
            s.price = price;
            s.quantity = quantity;
            s.text = via;
        }
        traded.add(List.of(account, (long) instrument));
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        if (subscriptions.anyAccount()) {
            markMoved.add(instrument);
        }
        if (subscriptions.hasBook(instrument)) {
            FeedSlot s = claim(FeedSlot.MARK);
            if (s != null) {
                s.instrument = instrument;
                s.price = markPrice;
            }
        }
    }

    @Override
    public void optionExpired(long sequence, long timestamp, int instrument) {
        if (subscriptions.hasBook(instrument)) {
            FeedSlot s = claim(FeedSlot.EXPIRY);
            if (s != null) {
                s.instrument = instrument;
                s.a = instruments.get(instrument).expiryTimestamp();
            }
        }
    }

    @Override
    public void optionSettled(long sequence, long timestamp, int instrument, long settlementPrice, long intrinsicValue,
                              long openInterest, int samples) {
        settlingOption = instrument;
        settlingPrice = settlementPrice;
        if (subscriptions.hasBook(instrument)) {
            FeedSlot s = claim(FeedSlot.SETTLEMENT);
            if (s != null) {
                s.instrument = instrument;
                s.a = settlementPrice;
                s.b = intrinsicValue;
                s.quantity = openInterest;
                s.c = samples;
            }
        }
    }

    /**
     * A risk multiplier change announced (SET_RISK_SCALE) goes to the instrument's subscribers as
     * {@code {"type":"riskScale","status":"scheduled",...}}, so they see it coming; {@link #riskScaleApplied} when it
     * takes effect. Public: the venue's parameters are everyone's business.
     */
    @Override
    public void riskScaleScheduled(long sequence, long timestamp, int instrument, long multiplierPpm, long effectiveAt,
                                   long volatilityPpm) {
        riskScale(instrument, false, multiplierPpm, effectiveAt, volatilityPpm);
    }

    @Override
    public void riskScaleApplied(long sequence, long timestamp, int instrument, long multiplierPpm, long positionLimit,
                                 long priceBandPpm) {
        riskScale(instrument, true, multiplierPpm, positionLimit, priceBandPpm);
    }

    private void riskScale(int instrument, boolean applied, long multiplierPpm, long b, long c) {
        if (subscriptions.hasBook(instrument)) {
            FeedSlot s = claim(FeedSlot.RISK_SCALE);
            if (s != null) {
                s.instrument = instrument;
                s.flag = applied;
                s.a = multiplierPpm;
                s.b = b;
                s.c = c;
            }
        }
    }

    /** A governance proposal of the instrument's bounds changed state: {@code {"type":"proposal",...}}. */
    @Override
    public void governanceProposal(long sequence, long timestamp, long proposalId, int instrument, int state,
                                   int approvals, long eta) {
        if (subscriptions.hasBook(instrument) && state >= 0 && state <= 4) {
            FeedSlot s = claim(FeedSlot.PROPOSAL);
            if (s != null) {
                s.instrument = instrument;
                s.a = proposalId;
                s.c = state;
                s.quantity = approvals;
                s.b = eta;
            }
        }
    }

    private FeedSlot accountSlot(int kind, long sequence, long account, int instrument) {
        FeedSlot s = claim(kind);
        if (s != null) {
            s.sequence = sequence;
            s.account = account;
            s.instrument = instrument;
        }
        return s;
    }

    @Override
    public void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
                                      long settlementValue, long amount) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.ACCOUNT_SETTLEMENT, sequence, account, instrument);
        if (s != null) {
            s.quantity = position;
            s.flag = settlingOption == instrument;
            s.a = settlingPrice;
            s.b = settlementValue;
            s.c = amount;
        }
        // The position is gone: a position message (size 0) follows at the end of the command, as after a trade.
        traded.add(List.of(account, (long) instrument));
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, Side side, io.meridian.model.OrderType type,
                              io.meridian.model.TimeInForce timeInForce, long price, long quantity, long triggerPrice) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.ORDER_ACCEPTED, sequence, account, instrument);
        if (s != null) {
            s.orderId = orderId;
            s.clientOrderId = clientOrderId;
            s.side = side(side);
            s.price = price;
            s.quantity = quantity;
        }
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                            long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                            io.meridian.model.Liquidity liquidity) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.FILL, sequence, account, instrument);
        if (s != null) {
            s.orderId = orderId;
            s.clientOrderId = clientOrderId;
            s.a = tradeId;
            s.side = side(side);
            s.price = price;
            s.quantity = quantity;
            s.b = remaining;
            s.text = String.valueOf(liquidity).toLowerCase(java.util.Locale.ROOT);
        }
        traded.add(List.of(account, (long) instrument));
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long canceledQuantity, io.meridian.model.CancelReason reason) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.ORDER_CANCELED, sequence, account, instrument);
        if (s != null) {
            s.orderId = orderId;
            s.clientOrderId = clientOrderId;
            s.quantity = canceledQuantity;
            s.text = String.valueOf(reason).toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                               long initialMargin, long maintenanceMargin, int health) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        updatedNow.add(account);
        FeedSlot s = accountSlot(FeedSlot.BALANCE, sequence, account, 0);
        if (s != null) {
            s.asset = asset;
            s.a = balance;
            s.b = equity;
            s.c = initialMargin;
            s.d = maintenanceMargin;
            s.e = health;
        }
    }

    /** A {@code position} message per subscribed account and instrument that traded in the command. */
    private void publishPositions(long sequence) {
        Engine e = engine.get();
        for (List<Long> pair : traded) {
            long account = pair.get(0);
            int instrument = pair.get(1).intValue();
            if (e == null || !subscriptions.hasAccount(account)) {
                continue;
            }
            var position = e.view().positions(instrument).position(account);
            FeedSlot s = accountSlot(FeedSlot.POSITION, sequence, account, instrument);
            if (s != null) {
                s.quantity = position == null ? 0 : position.size();
                s.price = position == null ? 0 : e.view().liquidationPrice(account, instrument);
            }
        }
        traded.clear();
    }

    /**
     * Marks moved in this command: each subscribed account holding a position in one of those instruments gets a
     * {@code balance} message per settlement asset involved (equity and margin at the new marks), at most once per
     * {@link #MARK_UPDATE_INTERVAL_NANOS} of command time, unless the command already sent it one.
     */
    private void publishMarkUpdates(long sequence, long timestamp) {
        Engine e = engine.get();
        if (e != null) {
            for (long account : subscriptions.accounts()) {
                Long last = lastMarkUpdate.get(account);
                if (updatedNow.contains(account) || last != null && timestamp - last < MARK_UPDATE_INTERVAL_NANOS) {
                    continue;
                }
                java.util.Set<Integer> assets = new java.util.TreeSet<>();
                for (int instrument : markMoved) {
                    var positions = e.view().positions(instrument);
                    var position = positions == null ? null : positions.position(account);
                    Integer asset = assetIds.get(instruments.get(instrument).settlementAsset());
                    if (position != null && position.size() != 0 && asset != null) {
                        assets.add(asset);
                    }
                }
                for (int asset : assets) {
                    var state = e.view().marginState(account, asset);
                    accountUpdated(sequence, timestamp, account, asset, state.balance, state.equity,
                            state.initialMargin, state.maintenanceMargin, state.health);
                }
                if (!assets.isEmpty()) {
                    lastMarkUpdate.put(account, timestamp);
                }
            }
        }
        markMoved.clear();
    }

    @Override
    public void commandCompleted(long sequence, long timestamp) {
        settlingOption = -1;
        if (!traded.isEmpty()) {
            publishPositions(sequence);
        }
        if (!markMoved.isEmpty()) {
            publishMarkUpdates(sequence, timestamp);
        }
        updatedNow.clear();
        if (levelsInCommand) {
            levelsInCommand = false;
            FeedSlot s = claim(FeedSlot.COMMAND_END);
            if (s != null) {
                s.sequence = sequence;
            }
        }
    }

    /** {@code units} of a step as the API's decimal text: the reference the hand-written encoders are tested against. */
    static String decimal(long units, BigDecimal unit) {
        return unit.multiply(BigDecimal.valueOf(units)).stripTrailingZeros().toPlainString();
    }
}
