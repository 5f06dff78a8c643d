package io.meridian.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.engine.Engine;
import io.meridian.model.BookSnapshot;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Public streams over WebSocket, fed by the engine's events on the engine thread (docs/api.md, "WebSocket").
 *
 * <p><b>Book.</b> A subscription takes the L2 snapshot and registers the channel in the same step on the engine
 * thread, so the first delta continues exactly where the snapshot ends. Each command's level changes on an instrument
 * go out as one delta {@code {"type":"book","instrument","first","last","prev","bids":[[price,qty]...],"asks":[...]}}:
 * {@code first} and {@code last} are the l2 sequences it covers and {@code prev} the {@code last} of the previous
 * message (the snapshot's {@code l2Sequence} for the first delta), so a client detects a gap when {@code prev} is not
 * what it last applied, as in Binance's local order book recipe. A quantity of 0 removes the level.
 *
 * <p><b>Trades</b> ({@code {"type":"trade","instrument","tradeId","price","quantity","side"}}), <b>marks</b>
 * ({@code {"type":"mark","instrument","price"}}) and <b>liquidations</b> ({@code {"type":"liquidation","instrument",
 * "side","price","quantity"}}, the liquidated account's side, without the account; with {@code "via"}:
 * {@code "insurance-fund"}, {@code "backstop"} or {@code "adl"} when the position left outside the book) go to the
 * instrument's subscribers as they happen.
 *
 * <p><b>Option expiry and settlement</b> are public too: when an option closes to trading at its expiry its
 * subscribers get {@code {"type":"expiry","instrument","expiry"}} (the listed expiry, epoch nanoseconds), and when its
 * positions are settled {@code {"type":"settlement","instrument","settlementPrice","intrinsicValue","openInterest",
 * "samples"}}: the price and the intrinsic value (per base unit, like the option's prices) in the index's decimals,
 * the long lots settled as a quantity, and how many index samples the settlement average weighed. Both come from the
 * command that did it, so a settlement that waits for a later window with enough samples arrives on its own, later.
 *
 * <p><b>Account streams</b> (private; not yet authenticated, see docs/api.md): {@code order} (accepted, canceled),
 * {@code fill} and {@code balance} messages for one account, as the engine emits them, and after a command in which
 * the account traded, a {@code position} message per instrument (size and liquidation price). An option position
 * settled at expiry gets {@code {"type":"settlement","sequence","account","instrument","position","settlementPrice",
 * "settlementValue","amount","settle"}}: the signed size, the settlement value (a short's negative) and what the
 * account was credited in all (the value less the cost basis), in the {@code settle} asset with all its decimals as in
 * {@code balance}; its {@code balance} message and a {@code position} message (size 0) follow.
 *
 * <p>A subscriber whose connection cannot keep up (Netty reports it unwritable) is dropped with a message rather than
 * buffered without bound; it resubscribes for a fresh snapshot. Engine thread only, except {@link #remove}.
 */
final class MarketData implements EngineEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Integer, InstrumentSpec> instruments;
    /** Private-stream subscribers per account. Mutated on the engine thread only. */
    private final Map<Long, List<Channel>> accountSubscribers = new HashMap<>();
    /** Asset scales by id, for balances. */
    private final Map<Integer, Integer> assetScales = new HashMap<>();
    /** Subscribers per instrument. Mutated on the engine thread only. */
    private final Map<Integer, List<Channel>> subscribers = new HashMap<>();
    /** Level changes of the command being applied, per instrument. */
    private final Map<Integer, Pending> pending = new LinkedHashMap<>();
    private final Map<Integer, Long> lastSent = new HashMap<>();
    /**
     * The shortest command-time interval between two mark-driven updates of one subscribed account: equity and margin
     * follow every mark, but a stream does not need every index tick.
     */
    static final long MARK_UPDATE_INTERVAL_NANOS = 1_000_000_000L;
    /** Asset ids by symbol. Written at start only. */
    private final Map<String, Integer> assetIds = new HashMap<>();
    /** Instruments whose mark moved in the command being applied (only while someone has a private stream). */
    private final java.util.Set<Integer> markMoved = new java.util.TreeSet<>();
    /** Accounts that got a balance message from the command being applied. */
    private final java.util.Set<Long> updatedNow = new java.util.HashSet<>();
    /** Per subscribed account, the command time of its last mark-driven update. */
    private final Map<Long, Long> lastMarkUpdate = new HashMap<>();
    /** Subscribed accounts that traded in the command being applied: (account, instrument) pairs to report. */
    private final java.util.Set<List<Long>> traded = new java.util.LinkedHashSet<>();
    private java.util.function.Supplier<Engine> engine = () -> null;
    /** One price unit of the index each option settles on ({@code 10^-priceDecimals}), by option instrument id. */
    private final Map<Integer, BigDecimal> indexUnits = new HashMap<>();
    /**
     * The option whose positions are being settled and its settlement price: {@code optionSettled} comes just before
     * its {@code optionPositionSettled} events, in the same command, and they do not carry the price.
     */
    private int settlingOption = -1;
    private long settlingPrice;

    private static final class Pending {
        long first;
        long last;
        final List<List<String>> bids = new ArrayList<>();
        final List<List<String>> asks = new ArrayList<>();
    }

    MarketData(Map<Integer, InstrumentSpec> instruments) {
        this.instruments = instruments;
    }

    /** Subscriptions one connection may hold (instruments and accounts together). */
    static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = 64;

    /** Engine thread: how many streams {@code channel} is subscribed to. */
    int subscriptions(Channel channel) {
        int n = 0;
        for (List<Channel> list : subscribers.values()) {
            n += list.contains(channel) ? 1 : 0;
        }
        for (List<Channel> list : accountSubscribers.values()) {
            n += list.contains(channel) ? 1 : 0;
        }
        return n;
    }

    /** Engine thread: snapshot plus registration, in one step. Returns the snapshot message. */
    Map<String, Object> subscribe(Engine engine, Channel channel, int instrument, int depth) {
        InstrumentSpec spec = instruments.get(instrument);
        BookSnapshot snapshot = engine.book(instrument).snapshot(depth);
        List<Channel> list = subscribers.computeIfAbsent(instrument, k -> new ArrayList<>());
        if (!list.contains(channel)) {
            list.add(channel);
        }
        lastSent.put(instrument, snapshot.l2Sequence());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "snapshot");
        body.put("instrument", instrument);
        body.put("sequence", snapshot.sequence());
        body.put("l2Sequence", snapshot.l2Sequence());
        body.put("bids", levels(snapshot.bids(), spec));
        body.put("asks", levels(snapshot.asks(), spec));
        return body;
    }

    /** Engine thread: stops sending one instrument's book, trades, marks and liquidations to {@code channel}. */
    void removeInstrument(Channel channel, int instrument) {
        List<Channel> list = subscribers.get(instrument);
        if (list != null) {
            list.remove(channel);
        }
    }

    /** Engine thread: stops sending one account's private stream to {@code channel}. */
    void removeAccount(Channel channel, long account) {
        List<Channel> list = accountSubscribers.get(account);
        if (list != null) {
            list.remove(channel);
        }
    }

    /** Engine thread: stops sending to {@code channel}. */
    void remove(Channel channel) {
        for (List<Channel> list : subscribers.values()) {
            list.remove(channel);
        }
        for (List<Channel> list : accountSubscribers.values()) {
            list.remove(channel);
        }
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
        indexUnits.put(instrument, BigDecimal.ONE.movePointLeft(priceDecimals));
    }

    /** Engine thread: the account's order, fill and balance events go to {@code channel} from now on. */
    void subscribeAccount(Channel channel, long account) {
        List<Channel> list = accountSubscribers.computeIfAbsent(account, k -> new ArrayList<>());
        if (!list.contains(channel)) {
            list.add(channel);
        }
    }

    private List<Channel> accountChannels(long account) {
        List<Channel> list = accountSubscribers.get(account);
        return list == null || list.isEmpty() ? null : list;
    }

    private Map<String, Object> order(String type, long sequence, int instrument, long orderId, long clientOrderId,
                                      long account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("sequence", sequence);
        body.put("account", account);
        body.put("instrument", instrument);
        body.put("orderId", orderId);
        if (clientOrderId != 0) {
            body.put("clientOrderId", clientOrderId);
        }
        if (orderId >= Engine.LIQUIDATION_ORDER_ID_BASE) {
            body.put("liquidation", true);
        }
        return body;
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, Side side, io.meridian.model.OrderType type,
                              io.meridian.model.TimeInForce timeInForce, long price, long quantity, long triggerPrice) {
        List<Channel> list = accountChannels(account);
        if (list == null) {
            return;
        }
        InstrumentSpec spec = instruments.get(instrument);
        Map<String, Object> body = order("order", sequence, instrument, orderId, clientOrderId, account);
        body.put("status", "accepted");
        body.put("side", side == Side.BUY ? "buy" : "sell");
        body.put("price", decimal(price, spec.tickSize()));
        body.put("quantity", decimal(quantity, spec.lotSize()));
        broadcast(list, body);
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                            long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                            io.meridian.model.Liquidity liquidity) {
        List<Channel> list = accountChannels(account);
        if (list == null) {
            return;
        }
        InstrumentSpec spec = instruments.get(instrument);
        Map<String, Object> body = order("fill", sequence, instrument, orderId, clientOrderId, account);
        body.put("tradeId", tradeId);
        body.put("side", side == Side.BUY ? "buy" : "sell");
        body.put("price", decimal(price, spec.tickSize()));
        body.put("quantity", decimal(quantity, spec.lotSize()));
        body.put("remaining", decimal(remaining, spec.lotSize()));
        body.put("liquidity", String.valueOf(liquidity).toLowerCase(java.util.Locale.ROOT));
        broadcast(list, body);
        traded.add(List.of(account, (long) instrument));
    }

    /**
     * Marks moved in this command: each subscribed account holding a position in one of those instruments gets a
     * {@code balance} message per settlement asset involved (equity and margin at the new marks), at most once per
     * {@link #MARK_UPDATE_INTERVAL_NANOS} of command time, unless the command already sent it one. Engine thread.
     */
    private void publishMarkUpdates(long sequence, long timestamp) {
        Engine e = engine.get();
        if (e != null) {
            for (Map.Entry<Long, List<Channel>> entry : accountSubscribers.entrySet()) {
                long account = entry.getKey();
                Long last = lastMarkUpdate.get(account);
                if (entry.getValue().isEmpty() || updatedNow.contains(account)
                        || last != null && timestamp - last < MARK_UPDATE_INTERVAL_NANOS) {
                    continue;
                }
                java.util.Set<Integer> assets = new java.util.TreeSet<>();
                for (int instrument : markMoved) {
                    var position = e.positions(instrument) == null ? null : e.positions(instrument).position(account);
                    Integer asset = assetIds.get(instruments.get(instrument).settlementAsset());
                    if (position != null && position.size() != 0 && asset != null) {
                        assets.add(asset);
                    }
                }
                for (int asset : assets) {
                    var state = e.marginState(account, asset);
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

    /** A {@code position} message per subscribed account and instrument that traded in the command. */
    private void publishPositions(long sequence) {
        Engine e = engine.get();
        for (List<Long> pair : traded) {
            long account = pair.get(0);
            int instrument = pair.get(1).intValue();
            List<Channel> list = accountChannels(account);
            if (list == null || e == null) {
                continue;
            }
            InstrumentSpec spec = instruments.get(instrument);
            var position = e.positions(instrument).position(account);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "position");
            body.put("sequence", sequence);
            body.put("account", account);
            body.put("instrument", instrument);
            body.put("size", decimal(position == null ? 0 : position.size(), spec.lotSize()));
            long liquidation = position == null ? 0 : e.liquidationPrice(account, instrument);
            body.put("liquidationPrice", liquidation <= 0 ? null : decimal(liquidation, spec.tickSize()));
            broadcast(list, body);
        }
        traded.clear();
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long canceledQuantity, io.meridian.model.CancelReason reason) {
        List<Channel> list = accountChannels(account);
        if (list == null) {
            return;
        }
        Map<String, Object> body = order("order", sequence, instrument, orderId, clientOrderId, account);
        body.put("status", "canceled");
        body.put("canceledQuantity", decimal(canceledQuantity, instruments.get(instrument).lotSize()));
        body.put("reason", String.valueOf(reason).toLowerCase(java.util.Locale.ROOT));
        broadcast(list, body);
    }

    @Override
    public void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                               long initialMargin, long maintenanceMargin, int health) {
        List<Channel> list = accountChannels(account);
        if (list == null) {
            return;
        }
        updatedNow.add(account);
        BigDecimal unit = BigDecimal.ONE.movePointLeft(assetScales.getOrDefault(asset, 0));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "balance");
        body.put("sequence", sequence);
        body.put("account", account);
        body.put("asset", asset);
        body.put("balance", unit.multiply(BigDecimal.valueOf(balance)).toPlainString());
        body.put("equity", unit.multiply(BigDecimal.valueOf(equity)).toPlainString());
        body.put("initialMargin", unit.multiply(BigDecimal.valueOf(initialMargin)).toPlainString());
        body.put("maintenanceMargin", unit.multiply(BigDecimal.valueOf(maintenanceMargin)).toPlainString());
        body.put("health", health);
        broadcast(list, body);
    }

    @Override
    public void bookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side,
                                 long price, long quantity, int orderCount) {
        if (!subscribers.containsKey(instrument)) {
            return;
        }
        InstrumentSpec spec = instruments.get(instrument);
        Pending p = pending.computeIfAbsent(instrument, k -> new Pending());
        if (p.bids.isEmpty() && p.asks.isEmpty()) {
            p.first = l2Sequence;
        }
        p.last = l2Sequence;
        (side == Side.BUY ? p.bids : p.asks).add(List.of(decimal(price, spec.tickSize()),
                decimal(quantity, spec.lotSize())));
    }

    @Override
    public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
                              long quantity) {
        List<Channel> list = subscribers.get(instrument);
        if (list == null || list.isEmpty()) {
            return;
        }
        InstrumentSpec spec = instruments.get(instrument);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "trade");
        body.put("instrument", instrument);
        body.put("tradeId", tradeId);
        body.put("price", decimal(price, spec.tickSize()));
        body.put("quantity", decimal(quantity, spec.lotSize()));
        body.put("side", takerSide == Side.BUY ? "buy" : "sell");
        broadcast(list, body);
    }

    /** Liquidation fills are public (the account is not shown): the venue's stress is everyone's business. */
    @Override
    public void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price,
                                long quantity, long fee) {
        List<Channel> list = subscribers.get(instrument);
        if (list == null || list.isEmpty()) {
            return;
        }
        InstrumentSpec spec = instruments.get(instrument);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "liquidation");
        body.put("instrument", instrument);
        body.put("side", side == Side.BUY ? "buy" : "sell");
        body.put("price", decimal(price, spec.tickSize()));
        body.put("quantity", decimal(quantity, spec.lotSize()));
        broadcast(list, body);
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
     * A liquidated position (or part) that left the account outside the book: to the backstop, to the insurance
     * fund, or to an auto-deleveraged counterparty. Public subscribers get the same {@code liquidation} message as for
     * a book fill plus {@code "via"}; the account's private stream, and the counterparty's for auto-deleveraging, get
     * {@code {"type":"liquidation","sequence","account","instrument","side","price","quantity","via"}} (the side is
     * that account's own) and a {@code position} message after the command.
     */
    private void liquidationTransfer(long sequence, int instrument, long account, long counterparty, Side side,
                                     long price, long quantity, String via) {
        InstrumentSpec spec = instruments.get(instrument);
        List<Channel> list = subscribers.get(instrument);
        if (list != null && !list.isEmpty()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "liquidation");
            body.put("instrument", instrument);
            body.put("side", side == Side.BUY ? "buy" : "sell");
            body.put("price", decimal(price, spec.tickSize()));
            body.put("quantity", decimal(quantity, spec.lotSize()));
            body.put("via", via);
            broadcast(list, body);
        }
        privateTransfer(sequence, instrument, account, side, price, quantity, via);
        if (counterparty != 0) {
            privateTransfer(sequence, instrument, counterparty, side == Side.BUY ? Side.SELL : Side.BUY, price,
                    quantity, via);
        }
    }

    private void privateTransfer(long sequence, int instrument, long account, Side side, long price, long quantity,
                                 String via) {
        List<Channel> list = accountChannels(account);
        if (list == null) {
            return;
        }
        InstrumentSpec spec = instruments.get(instrument);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "liquidation");
        body.put("sequence", sequence);
        body.put("account", account);
        body.put("instrument", instrument);
        body.put("side", side == Side.BUY ? "buy" : "sell");
        body.put("price", decimal(price, spec.tickSize()));
        body.put("quantity", decimal(quantity, spec.lotSize()));
        body.put("via", via);
        broadcast(list, body);
        traded.add(List.of(account, (long) instrument));
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        if (!accountSubscribers.isEmpty()) {
            markMoved.add(instrument);
        }
        List<Channel> list = subscribers.get(instrument);
        if (list == null || list.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "mark");
        body.put("instrument", instrument);
        body.put("price", decimal(markPrice, instruments.get(instrument).tickSize()));
        broadcast(list, body);
    }

    @Override
    public void optionExpired(long sequence, long timestamp, int instrument) {
        List<Channel> list = subscribers.get(instrument);
        if (list == null || list.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "expiry");
        body.put("instrument", instrument);
        body.put("expiry", instruments.get(instrument).expiryTimestamp());
        broadcast(list, body);
    }

    @Override
    public void optionSettled(long sequence, long timestamp, int instrument, long settlementPrice, long intrinsicValue,
                              long openInterest, int samples) {
        settlingOption = instrument;
        settlingPrice = settlementPrice;
        List<Channel> list = subscribers.get(instrument);
        BigDecimal indexUnit = indexUnits.get(instrument);
        if (list == null || list.isEmpty() || indexUnit == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "settlement");
        body.put("instrument", instrument);
        body.put("settlementPrice", decimal(settlementPrice, indexUnit));
        body.put("intrinsicValue", decimal(intrinsicValue, indexUnit));
        body.put("openInterest", decimal(openInterest, instruments.get(instrument).lotSize()));
        body.put("samples", samples);
        broadcast(list, body);
    }

    @Override
    public void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
                                      long settlementValue, long amount) {
        List<Channel> list = accountChannels(account);
        BigDecimal indexUnit = indexUnits.get(instrument);
        if (list == null || indexUnit == null) {
            return;
        }
        InstrumentSpec spec = instruments.get(instrument);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "settlement");
        body.put("sequence", sequence);
        body.put("account", account);
        body.put("instrument", instrument);
        body.put("position", decimal(position, spec.lotSize()));
        body.put("settlementPrice", settlingOption == instrument ? decimal(settlingPrice, indexUnit) : null);
        body.put("settlementValue", money(settlementValue, spec.settlementScale()));
        body.put("amount", money(amount, spec.settlementScale()));
        body.put("settle", spec.settlementAsset());
        broadcast(list, body);
        // The position is gone: a position message (size 0) follows at the end of the command, as after a trade.
        traded.add(List.of(account, (long) instrument));
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
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
            int instrument = e.getKey();
            Pending p = e.getValue();
            if (p.bids.isEmpty() && p.asks.isEmpty()) {
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "book");
            body.put("instrument", instrument);
            body.put("first", p.first);
            body.put("last", p.last);
            body.put("prev", lastSent.getOrDefault(instrument, p.first - 1));
            body.put("bids", new ArrayList<>(p.bids));
            body.put("asks", new ArrayList<>(p.asks));
            lastSent.put(instrument, p.last);
            p.bids.clear();
            p.asks.clear();
            List<Channel> list = subscribers.get(instrument);
            if (list != null) {
                broadcast(list, body);
            }
        }
    }

    private void broadcast(List<Channel> list, Map<String, Object> body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            Channel channel = list.get(i);
            if (!channel.isActive()) {
                list.remove(i);
            } else if (!channel.isWritable()) {
                list.remove(i);
                channel.writeAndFlush(new TextWebSocketFrame("{\"type\":\"error\",\"code\":503,\"message\":"
                        + "\"too slow: unsubscribed; subscribe again for a fresh snapshot\"}"));
            } else {
                channel.writeAndFlush(new TextWebSocketFrame(text));
            }
        }
    }

    static List<List<String>> levels(List<BookSnapshot.Level> levels, InstrumentSpec spec) {
        List<List<String>> out = new ArrayList<>(levels.size());
        for (BookSnapshot.Level level : levels) {
            out.add(List.of(decimal(level.price(), spec.tickSize()), decimal(level.quantity(), spec.lotSize())));
        }
        return out;
    }

    /** Minor units of an asset of {@code scale} decimals as text with all of them, as {@code balance} shows money. */
    static String money(long minor, int scale) {
        return BigDecimal.valueOf(minor, scale).toPlainString();
    }

    static String decimal(long units, BigDecimal unit) {
        return unit.multiply(BigDecimal.valueOf(units)).stripTrailingZeros().toPlainString();
    }
}
