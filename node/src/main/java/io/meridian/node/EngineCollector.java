package io.meridian.node;

import io.meridian.model.CancelReason;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.node.access.MirrorFeed;
import io.meridian.node.history.CandleHistory;
import io.meridian.node.history.FillHistory;
import io.meridian.node.history.FundingHistory;
import io.meridian.node.history.TradeHistory;

/**
 * Turns the engine's events for each command into its {@link EngineLoop.Result}, and remembers the result of every
 * order placed with a client order id so a resend gets the original answer ({@link EngineLoop#IDEMPOTENCY_CAPACITY}
 * most recent; rebuilt from the journal's events on start, so a resend after a restart is recognised too). Relies on
 * the node's convention that a placed order's id is its command's sequence. Also feeds the history and the market
 * data ({@link MarketData}) with every event. Engine thread only (split out of {@link EngineLoop}).
 */
final class EngineCollector implements EngineEvents {
    static final EngineEvents NO_EVENTS = new EngineEvents() { };

    /** An order's idempotency key: its account and client order id. */
    private record ClientKey(long account, long clientOrderId) {
    }

    private final MarketData marketData;
    private final FillHistory fills;
    private final TradeHistory trades;
    private final CandleHistory candles;
    private final FundingHistory funding;
    private final MirrorFeed mirrorFeed;
    private final EngineHealth health;
    private final EngineLoop.Reply[] replies = new EngineLoop.Reply[EngineLoop.PENDING];
    private final long[] replyOrderIds = new long[EngineLoop.PENDING];
    private final java.util.LinkedHashMap<ClientKey, EngineLoop.Result> results = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<ClientKey, EngineLoop.Result> eldest) {
            return size() > EngineLoop.IDEMPOTENCY_CAPACITY;
        }
    };
    private final java.util.HashMap<ClientKey, java.util.List<EngineLoop.Reply>> waiting = new java.util.HashMap<>();
    /** Who else hears the order events (see {@link EngineLoop#orderEvents}); engine thread only. */
    EngineEvents orderEvents = NO_EVENTS;

    private long current = -1;
    private long account;
    private long clientOrderId;
    private long filled;
    private long resting;
    private boolean canceled;
    private RejectReason reject;

    EngineCollector(MarketData marketData, FillHistory fills, TradeHistory trades, CandleHistory candles,
                    FundingHistory funding, MirrorFeed mirrorFeed, EngineHealth health) {
        this.mirrorFeed = mirrorFeed;
        this.health = health;
        this.marketData = marketData;
        this.fills = fills;
        this.trades = trades;
        this.candles = candles;
        this.funding = funding;
    }

    /** The original answer for this order, if it was placed before (or is being placed now: then waits). */
    boolean answerResend(long account, long clientOrderId, EngineLoop.Reply reply) {
        ClientKey key = new ClientKey(account, clientOrderId);
        EngineLoop.Result prior = results.get(key);
        if (prior != null) {
            reply.complete(prior);
            return true;
        }
        java.util.List<EngineLoop.Reply> queue = waiting.get(key);
        if (queue != null) {
            queue.add(reply);
            return true;
        }
        waiting.put(key, new java.util.ArrayList<>());
        return false;
    }

    void expect(long sequence, long orderId, EngineLoop.Reply reply) {
        int i = (int) (sequence & (EngineLoop.PENDING - 1));
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
        // Before the answer: a client that has it finds the gateway's pre-checks agreeing, and /health at least here.
        mirrorFeed.completed(sequence);
        health.completed(sequence);
        marketData.commandCompleted(sequence, timestamp);
        at(sequence);
        int i = (int) (sequence & (EngineLoop.PENDING - 1));
        EngineLoop.Reply reply = replies[i];
        EngineLoop.Result result = new EngineLoop.Result(sequence, reply != null ? replyOrderIds[i] : 0, reject, filled, resting,
                canceled);
        if (clientOrderId != 0) {
            ClientKey key = new ClientKey(account, clientOrderId);
            results.put(key, result);
            java.util.List<EngineLoop.Reply> queue = waiting.remove(key);
            if (queue != null) {
                for (EngineLoop.Reply resend : queue) {
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
