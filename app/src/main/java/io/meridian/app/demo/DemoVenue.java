package io.meridian.app.demo;

import io.meridian.engine.Engine;
import io.meridian.model.AssetSpec;
import io.meridian.model.CancelReason;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.L3Action;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.PostingType;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-process venue for the demo: plays the sequencer (stamps sequence numbers, timestamps and order ids) in
 * front of an {@link Engine}, and listens to the engine's events to keep the numbers the summary prints and the
 * open orders the agents look at. Single-threaded, like the engine it drives.
 */
final class DemoVenue implements EngineEvents {
    /** Per-instrument figures for the summary. */
    static final class Market {
        final InstrumentSpec spec;
        long trades;
        long volumeLots;
        long lastPrice;
        long markPrice;

        Market(InstrumentSpec spec) {
            this.spec = spec;
        }
    }

    /** What the venue knows of an open order, for the agent that owns it. */
    static final class OpenOrder {
        final long orderId;
        final int instrument;
        final Side side;
        long price;
        long remaining;

        OpenOrder(long orderId, int instrument, Side side, long price, long remaining) {
            this.orderId = orderId;
            this.instrument = instrument;
            this.side = side;
            this.price = price;
            this.remaining = remaining;
        }
    }

    private final Engine engine = new Engine(this);
    private final Command command = new Command();
    private final Map<Integer, Market> markets = new TreeMap<>();
    private final Map<Long, OpenOrder> openOrders = new HashMap<>();
    private final Map<RejectReason, Long> rejects = new TreeMap<>();
    private long sequence;
    private long lastTimestamp;
    private long commands;
    private long events;
    private long stopsTriggered;
    private long canceledBySelfTradePrevention;
    private long fundingSettlements;
    private long fundingPayments;

    Engine engine() {
        return engine;
    }

    Map<Integer, Market> markets() {
        return markets;
    }

    long commands() {
        return commands;
    }

    long events() {
        return events;
    }

    long stopsTriggered() {
        return stopsTriggered;
    }

    long canceledBySelfTradePrevention() {
        return canceledBySelfTradePrevention;
    }

    Map<RejectReason, Long> rejects() {
        return rejects;
    }

    OpenOrder openOrder(long orderId) {
        return openOrders.get(orderId);
    }

    /** A reusable command to fill in; {@link #submit} stamps and applies it. */
    Command command() {
        return command.reset();
    }

    /** Stamps the command as the sequencer would (next sequence, the clock's time, order id = sequence) and applies it. */
    long submit(Command c, long now) {
        c.sequence = ++sequence;
        lastTimestamp = Math.max(lastTimestamp, now);
        c.timestamp = lastTimestamp;
        if (c.type == CommandType.PLACE_ORDER) {
            c.orderId = c.sequence;
        }
        commands++;
        RejectReason reject = engine.apply(c).reject();
        if (reject != null) {
            rejects.merge(reject, 1L, Long::sum);
        }
        return c.orderId;
    }

    void addAsset(AssetSpec spec, long now) {
        Command c = command();
        c.type = CommandType.ADD_ASSET;
        c.assetSpec = spec;
        submit(c, now);
    }

    void deposit(long account, int asset, long amount, long now) {
        submit(command().deposit(account, asset, amount), now);
    }

    void addIndex(IndexSpec spec, long now) {
        Command c = command();
        c.type = CommandType.ADD_INDEX;
        c.indexSpec = spec;
        submit(c, now);
    }

    void addInstrument(InstrumentSpec spec, PricingSpec pricing, long now) {
        Command c = command();
        c.type = CommandType.ADD_INSTRUMENT;
        c.instrumentSpec = spec;
        c.pricingSpec = pricing;
        submit(c, now);
    }

    long fundingSettlements() {
        return fundingSettlements;
    }

    long fundingPayments() {
        return fundingPayments;
    }

    @Override
    public void fundingRateApplied(long seq, long ts, int instrument, long rate, long averagePremium, long interestRate,
                                   int samples, long markPrice) {
        events++;
        fundingSettlements++;
    }

    @Override
    public void fundingSettled(long seq, long ts, int instrument, long account, long position, long rate, long amount) {
        events++;
        fundingPayments++;
    }

    @Override
    public void instrumentAdded(long seq, long ts, InstrumentSpec spec) {
        events++;
        markets.put(spec.id(), new Market(spec));
    }

    @Override
    public void orderAccepted(long seq, long ts, int instrument, long orderId, long clientOrderId, long account, Side side,
                              OrderType type, TimeInForce timeInForce, long price, long quantity, long triggerPrice) {
        events++;
        openOrders.put(orderId, new OpenOrder(orderId, instrument, side, price, quantity));
    }

    @Override
    public void commandRejected(long seq, long ts, CommandType type, int instrument, long orderId, long clientOrderId,
                                long account, RejectReason reason) {
        events++;
    }

    @Override
    public void orderFilled(long seq, long ts, int instrument, long tradeId, long orderId, long clientOrderId, long account,
                            Side side, long price, long quantity, long remaining, Liquidity liquidity) {
        events++;
        if (remaining == 0) {
            openOrders.remove(orderId);
        } else {
            OpenOrder open = openOrders.get(orderId);
            if (open != null) {
                open.remaining = remaining;
            }
        }
    }

    @Override
    public void orderCanceled(long seq, long ts, int instrument, long orderId, long clientOrderId, long account,
                              long canceledQuantity, CancelReason reason) {
        events++;
        if (reason == CancelReason.SELF_TRADE) {
            canceledBySelfTradePrevention++;
        }
        openOrders.remove(orderId);
    }

    @Override
    public void orderExpired(long seq, long ts, int instrument, long orderId, long clientOrderId, long account,
                             long expiredQuantity) {
        events++;
        openOrders.remove(orderId);
    }

    @Override
    public void orderAmended(long seq, long ts, int instrument, long orderId, long clientOrderId, long account, long price,
                             long quantity, long remaining, long triggerPrice) {
        events++;
        OpenOrder open = openOrders.get(orderId);
        if (open != null) {
            open.price = price;
            open.remaining = remaining;
        }
    }

    @Override
    public void orderTriggered(long seq, long ts, int instrument, long orderId, long clientOrderId, long account,
                               long triggerPrice, long triggeredAt) {
        events++;
        stopsTriggered++;
    }

    @Override
    public void tradeExecuted(long seq, long ts, int instrument, long tradeId, Side takerSide, long price, long quantity) {
        events++;
        Market market = markets.get(instrument);
        market.trades++;
        market.volumeLots += quantity;
        market.lastPrice = price;
    }

    @Override
    public void postingApplied(long seq, long ts, PostingType type, int asset, long fromAccount, long toAccount,
                               long amount, long fromBalance, long toBalance) {
        events++;
    }

    @Override
    public void assetAdded(long seq, long ts, AssetSpec spec) {
        events++;
    }

    @Override
    public void markPriceChanged(long seq, long ts, int instrument, long markPrice) {
        events++;
        markets.get(instrument).markPrice = markPrice;
    }

    @Override
    public void bookLevelChanged(long seq, long ts, int instrument, long l2Sequence, Side side, long price, long quantity,
                                 int orderCount) {
        events++;
    }

    @Override
    public void bookOrderChanged(long seq, long ts, int instrument, long l3Sequence, L3Action action,
                                 long orderId, Side side, long price, long visibleQuantity) {
        events++;
    }
}
