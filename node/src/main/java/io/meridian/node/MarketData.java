package io.meridian.node;

import io.meridian.engine.Engine;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.node.marketdata.Channels;
import io.meridian.node.marketdata.FeedFormats;
import io.meridian.node.marketdata.FeedProducer;
import io.meridian.node.marketdata.FeedSlot;
import io.meridian.node.marketdata.MarketFeed;
import io.meridian.node.marketdata.StateChannels;
import io.meridian.node.marketdata.StreamLimits;
import io.meridian.node.marketdata.Subscriber;
import io.meridian.node.marketdata.Subscriptions;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine thread's side of the public and private WebSocket streams (docs/api.md, "WebSocket" and "Slow
 * consumers"): it turns the engine's events into raw {@link FeedSlot}s in a bounded ring and does nothing per
 * subscriber. The publisher thread ({@code io.meridian.node.marketdata}) encodes each message once and fans it out.
 * Every slot carries the sequence and time of the command that made it (the messages' {@code sequence} and
 * {@code ts}).
 *
 * <p><b>Book.</b> A subscription takes the L2 snapshot (at the subscriber's depth N) and registers the connection in
 * the same step on the engine thread, stamped with its place among the events, so the first delta continues exactly
 * where the snapshot ends. The engine hands over each command's level changes of a subscribed instrument, and after
 * them the <i>edge</i>: with M the deepest depth subscribed to the instrument and r the levels a side lost in the
 * command, the levels at ranks {@code [M - r, M)} of that side (the ones that may have risen into a window from
 * below; {@code io.meridian.node.marketdata.BookWindows} says why that is enough). The publisher keeps the top M from
 * them and sends each depth the change of its window only, so a client applying the deltas always holds exactly the
 * top N levels. A delta is {@code {"type":"book","instrument","sequence","ts","first","last","prev","bids":[[price,
 * qty]...],"asks":[...]}}: {@code last} the l2 sequence after the command, {@code prev} the {@code last} of the
 * previous message of the stream at that depth (the snapshot's {@code l2Sequence} for the first delta), {@code first}
 * = {@code prev + 1}; a client detects a gap when {@code prev} is not what it last applied, as in Binance's local order
 * book recipe. A quantity of 0 removes the level.
 *
 * <p><b>Trades</b>, <b>marks</b>, <b>liquidations</b> (the liquidated account's side, without the account; with
 * {@code "via"} when the position left outside the book), option <b>expiry and settlement</b>, risk-scale changes and
 * governance proposals go to the instrument's book subscribers as they happen; trades also to the {@code trades}
 * channel and liquidations to the {@code liquidations} channel.
 *
 * <p><b>Ticker.</b> At the end of a command that may have changed an instrument's best bid or ask (price or size),
 * last trade, mark or index, the ticker of each instrument with {@code ticker} subscribers is read; when it differs from
 * the last one sent it goes out, at most once per {@link StateChannels#TICKER_INTERVAL_NANOS} of command time per
 * instrument: a
 * change within that interval goes at the first command after it (the node's time tick comes every second).
 *
 * <p><b>Funding.</b> Each applied rate ({@code fundingRateApplied}) goes to the {@code funding} subscribers, and the
 * predicted rate (what the current interval would settle at now) whenever it or the interval's end changed, after a
 * premium sample or a funding.
 *
 * <p><b>Account streams</b> (private): {@code order} (accepted, amended, canceled, expired), {@code fill} and
 * {@code balance} messages for one account, as the engine emits them, and after a command in which the account traded,
 * a {@code position} message per instrument (size and liquidation price); an option position settled at expiry gets
 * a {@code settlement} message. Positions and balances after mark moves are read from the engine here, at the end of
 * the command, so the publisher never touches engine state.
 *
 * <p><b>Never waits.</b> When the ring is full the events are dropped, not queued, until it has room for half its size
 * again; then every book stream gets a fresh snapshot, every account stream and every other public stream a
 * {@code resync} message, and every ticker and funding stream its current state, placed before any later event.
 * Engine thread only.
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
    private final java.util.BitSet markMoved = new java.util.BitSet();
    /** Accounts that got a balance message from the command being applied. */
    private final org.agrona.collections.LongHashSet updatedNow = new org.agrona.collections.LongHashSet();
    /** Per subscribed account, the command time of its last mark-driven update; {@link Long#MIN_VALUE} when none. */
    private final org.agrona.collections.Long2LongHashMap lastMarkUpdate = new org.agrona.collections.Long2LongHashMap(
            Long.MIN_VALUE);
    private final java.util.function.LongConsumer markUpdate = this::publishMarkUpdate;
    /** Scratch of {@link #markUpdate}: the assets of the account's positions in the moved instruments. */
    private final java.util.BitSet markAssets = new java.util.BitSet();
    private Engine markEngine;
    private long markSequence;
    private long markTimestamp;
    /** Subscribed accounts that traded in the command being applied: (account, instrument) pairs to report. */
    private final TradedPairs traded = new TradedPairs();
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
    /** Per subscribed instrument: levels removed per side (bids, asks) in the command (kept, zeroed after it). */
    private final Map<Integer, int[]> removals = new HashMap<>();
    /** The instruments with removals in the command, in the order of their first. */
    private final java.util.ArrayList<Integer> removedIn = new java.util.ArrayList<>();
    /** The ticker and funding channels' state: what was sent, what changed. */
    private final StateChannels states;

    MarketData(Map<Integer, InstrumentSpec> instruments, StreamLimits limits) {
        this.instruments = instruments;
        this.limits = limits;
        this.producer = new FeedProducer(limits, () -> engine.get());
        this.subscriptions = producer.subscriptions();
        this.states = new StateChannels(producer, () -> engine.get());
        producer.afterResync(states::publishAll);
    }

    /** Starts the publisher thread; {@code resyncer} brings a slow consumer's snapshots (see {@link #resync}). */
    void start(MarketFeed.Resyncer resyncer) {
        FeedFormats formats = new FeedFormats();
        for (InstrumentSpec spec : instruments.values()) {
            formats.instrument(spec, indexDecimals.get(spec.id()));
        }
        assetScales.forEach(formats::assetScale);
        assetIds.forEach((symbol, asset) -> formats.assetSymbol(asset, symbol));
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

    /** A slot for an event of the command {@code sequence} at {@code timestamp}, or null while events are dropped. */
    private FeedSlot claim(int kind, long sequence, long timestamp) {
        FeedSlot s = producer.claim(kind);
        if (s != null) {
            s.sequence = sequence;
            s.timestamp = timestamp;
        }
        return s;
    }

    private static int side(Side side) {
        return side == Side.BUY ? FeedSlot.BUY : FeedSlot.SELL;
    }

    @Override
    public void bookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side,
                                 long price, long quantity, int orderCount) {
        states.touched(instrument);
        if (!subscriptions.hasBook(instrument)) {
            return;
        }
        levelsInCommand = true;
        if (quantity == 0) {
            int[] counts = removals.get(instrument);
            if (counts == null) {
                counts = new int[2];
                removals.put(instrument, counts);
            }
            if (counts[0] == 0 && counts[1] == 0) {
                removedIn.add(instrument);
            }
            counts[side(side)]++;
        }
        FeedSlot s = claim(FeedSlot.LEVEL, sequence, timestamp);
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
        states.touched(instrument);
        if (subscriptions.hasBookOr(Channels.TRADES, instrument)) {
            FeedSlot s = claim(FeedSlot.TRADE, sequence, timestamp);
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
        publicLiquidation(sequence, timestamp, instrument, side, price, quantity, null);
    }

    private void publicLiquidation(long sequence, long timestamp, int instrument, Side side, long price,
                                   long quantity, String via) {
        if (subscriptions.hasBookOr(Channels.LIQUIDATIONS, instrument)) {
            FeedSlot s = claim(FeedSlot.LIQUIDATION, sequence, timestamp);
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
        liquidationTransfer(sequence, timestamp, instrument, account, 0, side, price, quantity, "insurance-fund");
    }

    @Override
    public void backstopTransfer(long sequence, long timestamp, long account, long backstopAccount, int instrument,
                                 Side side, long price, long quantity) {
        liquidationTransfer(sequence, timestamp, instrument, account, 0, side, price, quantity, "backstop");
    }

    @Override
    public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument,
                                Side side, long price, long quantity, long rankPpm) {
        liquidationTransfer(sequence, timestamp, instrument, account, counterparty, side, price, quantity, "adl");
    }

    /**
     * A liquidated position (or part) that left the account outside the book: public subscribers get the same
     * {@code liquidation} message as for a book fill plus {@code "via"}; the account's private stream, and the
     * counterparty's for auto-deleveraging, get {@code {"type":"liquidation","sequence","account","instrument","side",
     * "price","quantity","via"}} (the side is that account's own) and a {@code position} message after the command.
     */
    private void liquidationTransfer(long sequence, long timestamp, int instrument, long account, long counterparty,
                                     Side side, long price, long quantity, String via) {
        publicLiquidation(sequence, timestamp, instrument, side, price, quantity, via);
        privateTransfer(sequence, timestamp, instrument, account, side, price, quantity, via);
        if (counterparty != 0) {
            privateTransfer(sequence, timestamp, instrument, counterparty, side == Side.BUY ? Side.SELL : Side.BUY,
                    price, quantity, via);
        }
    }

    private void privateTransfer(long sequence, long timestamp, int instrument, long account, Side side, long price,
                                 long quantity, String via) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.ACCOUNT_LIQUIDATION, sequence, timestamp, account, instrument);
        if (s != null) {
            s.side = side(side);
            s.price = price;
            s.quantity = quantity;
            s.text = via;
        }
        traded.add(account, instrument);
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        if (subscriptions.anyAccount()) {
            markMoved.set(instrument);
        }
        states.touched(instrument);
        if (subscriptions.hasBook(instrument)) {
            FeedSlot s = claim(FeedSlot.MARK, sequence, timestamp);
            if (s != null) {
                s.instrument = instrument;
                s.price = markPrice;
            }
        }
    }

    @Override
    public void optionExpired(long sequence, long timestamp, int instrument) {
        if (subscriptions.hasBook(instrument)) {
            FeedSlot s = claim(FeedSlot.EXPIRY, sequence, timestamp);
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
            FeedSlot s = claim(FeedSlot.SETTLEMENT, sequence, timestamp);
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
        riskScale(sequence, timestamp, instrument, false, multiplierPpm, effectiveAt, volatilityPpm);
    }

    @Override
    public void riskScaleApplied(long sequence, long timestamp, int instrument, long multiplierPpm, long positionLimit,
                                 long priceBandPpm) {
        riskScale(sequence, timestamp, instrument, true, multiplierPpm, positionLimit, priceBandPpm);
    }

    private void riskScale(long sequence, long timestamp, int instrument, boolean applied, long multiplierPpm, long b,
                           long c) {
        if (subscriptions.hasBook(instrument)) {
            FeedSlot s = claim(FeedSlot.RISK_SCALE, sequence, timestamp);
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
            FeedSlot s = claim(FeedSlot.PROPOSAL, sequence, timestamp);
            if (s != null) {
                s.instrument = instrument;
                s.a = proposalId;
                s.c = state;
                s.quantity = approvals;
                s.b = eta;
            }
        }
    }

    private FeedSlot accountSlot(int kind, long sequence, long timestamp, long account, int instrument) {
        FeedSlot s = claim(kind, sequence, timestamp);
        if (s != null) {
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
        FeedSlot s = accountSlot(FeedSlot.ACCOUNT_SETTLEMENT, sequence, timestamp, account, instrument);
        if (s != null) {
            s.quantity = position;
            s.flag = settlingOption == instrument;
            s.a = settlingPrice;
            s.b = settlementValue;
            s.c = amount;
        }
        // The position is gone: a position message (size 0) follows at the end of the command, as after a trade.
        traded.add(account, instrument);
    }

    /** The text the engine told for the next order event ({@link #clientOrderText}), kept for that one event. */
    private long textOrder;
    private String text;

    @Override
    public void clientOrderText(long orderId, String clientOrderText) {
        textOrder = orderId;
        text = clientOrderText;
    }

    /** The text told for this event's order, if any (then forgotten). */
    private String textOf(long orderId) {
        String told = text != null && textOrder == orderId ? text : null;
        text = null;
        return told;
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, Side side, io.meridian.model.OrderType type,
                              io.meridian.model.TimeInForce timeInForce, long price, long quantity, long triggerPrice) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.ORDER_ACCEPTED, sequence, timestamp, account, instrument);
        if (s != null) {
            s.orderId = orderId;
            s.clientOrderId = clientOrderId;
            s.clientOrderText = textOf(orderId);
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
        FeedSlot s = accountSlot(FeedSlot.FILL, sequence, timestamp, account, instrument);
        if (s != null) {
            s.orderId = orderId;
            s.clientOrderId = clientOrderId;
            s.clientOrderText = textOf(orderId);
            s.a = tradeId;
            s.side = side(side);
            s.price = price;
            s.quantity = quantity;
            s.b = remaining;
            s.text = liquidity == io.meridian.model.Liquidity.MAKER ? "maker"
                    : liquidity == io.meridian.model.Liquidity.TAKER ? "taker" : String.valueOf(liquidity);
        }
        traded.add(account, instrument);
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long canceledQuantity, io.meridian.model.CancelReason reason) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.ORDER_CANCELED, sequence, timestamp, account, instrument);
        if (s != null) {
            s.orderId = orderId;
            s.clientOrderId = clientOrderId;
            s.clientOrderText = textOf(orderId);
            s.quantity = canceledQuantity;
            s.text = String.valueOf(reason).toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long price, long quantity, long remaining, long triggerPrice) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.ORDER_AMENDED, sequence, timestamp, account, instrument);
        if (s != null) {
            s.orderId = orderId;
            s.clientOrderId = clientOrderId;
            s.clientOrderText = textOf(orderId);
            s.price = price;
            s.quantity = quantity;
            s.b = remaining;
        }
    }

    @Override
    public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long expiredQuantity) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        FeedSlot s = accountSlot(FeedSlot.ORDER_EXPIRED, sequence, timestamp, account, instrument);
        if (s != null) {
            s.orderId = orderId;
            s.clientOrderId = clientOrderId;
            s.clientOrderText = textOf(orderId);
            s.quantity = expiredQuantity;
        }
    }

    /** An index moved: every ticker of an instrument priced from it may have changed. */
    @Override
    public void indexUpdated(long sequence, long timestamp, int indexId, long price, int freshSources) {
        states.indexMoved();
    }

    @Override
    public void premiumSampled(long sequence, long timestamp, int instrument, long impactBid, long impactAsk,
                               long index, long premium) {
        states.fundingTouched(instrument);
    }

    @Override
    public void fundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium,
                                   long interestRate, int samples, long markPrice) {
        if (!subscriptions.has(Channels.FUNDING, instrument)) {
            return;
        }
        states.fundingTouched(instrument);
        FeedSlot s = claim(FeedSlot.FUNDING, sequence, timestamp);
        if (s != null) {
            s.instrument = instrument;
            s.flag = true;
            s.a = rate;
            s.b = averagePremium;
            s.c = interestRate;
            s.d = samples;
            s.price = markPrice;
        }
    }

    @Override
    public void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                               long initialMargin, long maintenanceMargin, int health) {
        if (!subscriptions.hasAccount(account)) {
            return;
        }
        updatedNow.add(account);
        FeedSlot s = accountSlot(FeedSlot.BALANCE, sequence, timestamp, account, 0);
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
    private void publishPositions(long sequence, long timestamp) {
        Engine e = engine.get();
        for (int i = 0; i < traded.size(); i++) {
            long account = traded.account(i);
            int instrument = traded.instrument(i);
            if (e == null || !subscriptions.hasAccount(account)) {
                continue;
            }
            var position = e.view().positions(instrument).position(account);
            FeedSlot s = accountSlot(FeedSlot.POSITION, sequence, timestamp, account, instrument);
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
        markEngine = engine.get();
        if (markEngine != null) {
            markSequence = sequence;
            markTimestamp = timestamp;
            subscriptions.forEachAccount(markUpdate);
        }
        markMoved.clear();
    }

    /** {@link #publishMarkUpdates} for one account, ascending by asset; made once as {@link #markUpdate}: no allocation. */
    private void publishMarkUpdate(long account) {
        long last = lastMarkUpdate.get(account);
        if (updatedNow.contains(account) || last != Long.MIN_VALUE && markTimestamp - last < MARK_UPDATE_INTERVAL_NANOS) {
            return;
        }
        markAssets.clear();
        for (int instrument = markMoved.nextSetBit(0); instrument >= 0; instrument = markMoved.nextSetBit(instrument + 1)) {
            var positions = markEngine.view().positions(instrument);
            var position = positions == null ? null : positions.position(account);
            Integer asset = assetIds.get(instruments.get(instrument).settlementAsset());
            if (position != null && position.size() != 0 && asset != null) {
                markAssets.set(asset);
            }
        }
        for (int asset = markAssets.nextSetBit(0); asset >= 0; asset = markAssets.nextSetBit(asset + 1)) {
            var state = markEngine.view().marginState(account, asset);
            accountUpdated(markSequence, markTimestamp, account, asset, state.balance, state.equity,
                    state.initialMargin, state.maintenanceMargin, state.health);
        }
        if (!markAssets.isEmpty()) {
            lastMarkUpdate.put(account, markTimestamp);
        }
    }

    @Override
    public void commandCompleted(long sequence, long timestamp) {
        settlingOption = -1;
        if (!traded.isEmpty()) {
            publishPositions(sequence, timestamp);
        }
        if (!markMoved.isEmpty()) {
            publishMarkUpdates(sequence, timestamp);
        }
        updatedNow.clear();
        if (levelsInCommand) {
            levelsInCommand = false;
            if (!removedIn.isEmpty()) {
                publishEdges(sequence, timestamp);
            }
            claim(FeedSlot.COMMAND_END, sequence, timestamp);
        }
        states.commandCompleted(sequence, timestamp);
    }

    /**
     * The edge of each book side that lost levels in the command: with M the deepest depth subscribed and r the levels
     * the side lost, the levels at ranks {@code [M - r, M)} now (the ones that may have risen into a subscriber's
     * window; see the class comment). Costs at most one slot per level removed.
     */
    private void publishEdges(long sequence, long timestamp) {
        Engine e = engine.get();
        for (int i = 0; i < removedIn.size(); i++) {
            int instrument = removedIn.get(i);
            int[] counts = removals.get(instrument);
            int deepest = subscriptions.maxDepth(instrument);
            var book = e == null || deepest == 0 ? null : e.view().book(instrument);
            for (int side = 0; side < 2 && book != null; side++) {
                Side bookSide = side == FeedSlot.BUY ? Side.BUY : Side.SELL;
                int end = Math.min(deepest, book.depth(bookSide));
                for (int rank = Math.max(0, deepest - counts[side]); rank < end; rank++) {
                    FeedSlot s = claim(FeedSlot.EDGE, sequence, timestamp);
                    if (s != null) {
                        s.instrument = instrument;
                        s.side = side;
                        s.price = book.levelPrice(bookSide, rank);
                        s.quantity = book.levelQuantity(bookSide, rank);
                    }
                }
            }
            counts[0] = 0;
            counts[1] = 0;
        }
        removedIn.clear();
    }

    /**
     * Engine thread (a query, between commands): subscribes {@code s} to a public channel other than the book (see
     * {@link StateChannels#subscribe}). False when refused.
     */
    boolean subscribeChannel(Engine e, Subscriber s, int channel, int instrument, Long requestId) {
        return states.subscribe(e, s, channel, instrument, requestId);
    }

    /** {@code units} of a step as the API's decimal text: the reference the hand-written encoders are tested against. */
    static String decimal(long units, BigDecimal unit) {
        return unit.multiply(BigDecimal.valueOf(units)).stripTrailingZeros().toPlainString();
    }
}
