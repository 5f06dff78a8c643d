package io.meridian.node;

import io.meridian.model.CancelReason;
import io.meridian.engine.CommandOutcome;
import io.meridian.journal.Sequencer;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.PostingType;
import io.meridian.model.SystemAccounts;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;
import io.meridian.node.access.MirrorFeed;
import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import io.meridian.node.history.FundingHistory;
import io.meridian.node.history.Histories;

/**
 * Feeds the history and the market data ({@link MarketData}) with every event, and answers each command's waiting
 * client from the command's {@link CommandOutcome} as the sequencer applies it ({@link #applied}). A resend of an
 * order (same account and client order id) is recognised by the engine itself, whose idempotency records are part of
 * its state (snapshots, replay), and answered with the original order's outcome. Engine thread only (split out of
 * {@link EngineLoop}).
 */
final class EngineCollector implements EngineEvents, Sequencer.Applied {
    static final EngineEvents NO_EVENTS = new EngineEvents() { };

    private final MarketData marketData;
    private final Histories history;
    private final MirrorFeed mirrorFeed;
    private final EngineHealth health;
    private final EngineLoop.Reply[] replies = new EngineLoop.Reply[EngineLoop.PENDING];
    /** Who else hears every applied command (the settlement replica, {@link EngineLoop#tapApplied}); or null. */
    Sequencer.Applied tap;
    /** Who else hears the order events (see {@link EngineLoop#orderEvents}); engine thread only. */
    EngineEvents orderEvents = NO_EVENTS;
    /** The client order id text the engine told for the next order event (see {@link #clientOrderText}). */
    private long textOrder;
    private String text;

    EngineCollector(MarketData marketData, Histories history, MirrorFeed mirrorFeed, EngineHealth health) {
        this.mirrorFeed = mirrorFeed;
        this.health = health;
        this.marketData = marketData;
        this.history = history;
    }

    /** Registers the client waiting for the command that will carry {@code sequence}. */
    void expect(long sequence, EngineLoop.Reply reply) {
        replies[(int) (sequence & (EngineLoop.PENDING - 1))] = reply;
    }

    /** Answers the command's client, if one waits, from what the engine says the command did. */
    @Override
    public void applied(Command command, CommandOutcome outcome) {
        int i = (int) (command.sequence & (EngineLoop.PENDING - 1));
        EngineLoop.Reply reply = replies[i];
        if (reply != null) {
            replies[i] = null;
            reply.complete(EngineLoop.Result.of(outcome));
        }
        if (tap != null) {
            tap.applied(command, outcome);
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
        history.trades().add(sequence, timestamp, instrument, tradeId, takerSide, price, quantity);
        history.candles().add(timestamp, instrument, price, quantity);
        history.days().add(timestamp, instrument, price, quantity);
    }

    @Override
    public void fundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium,
                                   long interestRate, int samples, long markPrice) {
        history.funding().add(instrument, new FundingHistory.Funding(sequence, timestamp, rate, averagePremium, interestRate,
                samples, markPrice));
        marketData.fundingRateApplied(sequence, timestamp, instrument, rate, averagePremium, interestRate, samples,
                markPrice);
    }

    /** A posting into or out of the insurance fund: its balance after, for the fund's history. */
    @Override
    public void postingApplied(long sequence, long timestamp, PostingType type, int asset, long fromAccount,
                               long toAccount, long amount, long fromBalance, long toBalance) {
        if (toAccount == SystemAccounts.INSURANCE_FUND && fromAccount != SystemAccounts.INSURANCE_FUND) {
            history.insuranceFund().add(sequence, timestamp, asset, amount, toBalance);
        } else if (fromAccount == SystemAccounts.INSURANCE_FUND && toAccount != SystemAccounts.INSURANCE_FUND) {
            history.insuranceFund().add(sequence, timestamp, asset, -amount, fromBalance);
        }
    }

    @Override
    public void withdrawalAccepted(long sequence, long timestamp, long account, int asset, long amount,
                                   byte[] destination) {
        history.withdrawals().add(account, sequence, timestamp, asset, amount, destination);
    }

    @Override
    public void premiumSampled(long sequence, long timestamp, int instrument, long impactBid, long impactAsk,
                               long index, long premium) {
        marketData.premiumSampled(sequence, timestamp, instrument, impactBid, impactAsk, index, premium);
    }

    @Override
    public void indexUpdated(long sequence, long timestamp, int indexId, long price, int freshSources) {
        marketData.indexUpdated(sequence, timestamp, indexId, price, freshSources);
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        marketData.markPriceChanged(sequence, timestamp, instrument, markPrice);
    }

    @Override
    public void riskScaleScheduled(long sequence, long timestamp, int instrument, long multiplierPpm, long effectiveAt,
                                   long volatilityPpm) {
        marketData.riskScaleScheduled(sequence, timestamp, instrument, multiplierPpm, effectiveAt, volatilityPpm);
    }

    @Override
    public void riskScaleApplied(long sequence, long timestamp, int instrument, long multiplierPpm, long positionLimit,
                                 long priceBandPpm) {
        marketData.riskScaleApplied(sequence, timestamp, instrument, multiplierPpm, positionLimit, priceBandPpm);
    }

    @Override
    public void governanceProposal(long sequence, long timestamp, long proposalId, int instrument, int state,
                                   int approvals, long eta) {
        marketData.governanceProposal(sequence, timestamp, proposalId, instrument, state, approvals, eta);
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
        history.fills().add(account, sequence, timestamp, instrument, 0, 0, 0, null, side, price, quantity, null, via);
    }

    /**
     * The engine tells the text of the order its next event is about (docs/auth.md, "Client order ids"): kept for that
     * event (the histories), and passed on to the market data (the account stream) and the order events (FIX).
     */
    @Override
    public void clientOrderText(long orderId, String clientOrderText) {
        textOrder = orderId;
        text = clientOrderText;
        marketData.clientOrderText(orderId, clientOrderText);
        orderEvents.clientOrderText(orderId, clientOrderText);
    }

    /** The text told for this event's order, if any (then forgotten). */
    private String textOf(long orderId) {
        String told = text != null && textOrder == orderId ? text : null;
        text = null;
        return told;
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, Side side, OrderType type, TimeInForce timeInForce, long price,
                              long quantity, long triggerPrice) {
        String clientOrderText = textOf(orderId);
        marketData.orderAccepted(sequence, timestamp, instrument, orderId, clientOrderId, account, side, type,
                timeInForce, price, quantity, triggerPrice);
        orderEvents.orderAccepted(sequence, timestamp, instrument, orderId, clientOrderId, account, side, type,
                timeInForce, price, quantity, triggerPrice);
        history.orders().accepted(sequence, timestamp, instrument, orderId, clientOrderId, clientOrderText, account,
                side, type, timeInForce, price, quantity, triggerPrice);
    }

    @Override
    public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                                long clientOrderId, long account, RejectReason reason) {
        String clientOrderText = textOf(orderId);
        if (command == CommandType.PLACE_ORDER) {
            history.orders().rejected(sequence, timestamp, instrument, orderId, clientOrderId, clientOrderText, account,
                    reason);
        }
    }

    @Override
    public void orderTriggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                               long account, long triggerPrice, long triggeredAt) {
        history.orders().triggered(sequence, timestamp, instrument, orderId, clientOrderId, textOf(orderId), account);
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
        String clientOrderText = textOf(orderId);
        marketData.orderFilled(sequence, timestamp, instrument, tradeId, orderId, clientOrderId, account, side,
                price, quantity, remaining, liquidity);
        orderEvents.orderFilled(sequence, timestamp, instrument, tradeId, orderId, clientOrderId, account, side,
                price, quantity, remaining, liquidity);
        history.fills().add(account, sequence, timestamp, instrument, tradeId, orderId, clientOrderId, clientOrderText,
                side, price, quantity, liquidity, null);
        history.orders().filled(sequence, timestamp, instrument, orderId, clientOrderId, clientOrderText, account, price,
                quantity, remaining);
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long canceledQuantity, CancelReason reason) {
        String clientOrderText = textOf(orderId);
        marketData.orderCanceled(sequence, timestamp, instrument, orderId, clientOrderId, account,
                canceledQuantity, reason);
        orderEvents.orderCanceled(sequence, timestamp, instrument, orderId, clientOrderId, account,
                canceledQuantity, reason);
        history.orders().canceled(sequence, timestamp, instrument, orderId, clientOrderId, clientOrderText, account,
                reason);
    }

    @Override
    public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long expiredQuantity) {
        String clientOrderText = textOf(orderId);
        orderEvents.orderExpired(sequence, timestamp, instrument, orderId, clientOrderId, account, expiredQuantity);
        marketData.orderExpired(sequence, timestamp, instrument, orderId, clientOrderId, account, expiredQuantity);
        history.orders().expired(sequence, timestamp, instrument, orderId, clientOrderId, clientOrderText, account);
    }

    @Override
    public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long price, long quantity, long remaining, long triggerPrice) {
        String clientOrderText = textOf(orderId);
        orderEvents.orderAmended(sequence, timestamp, instrument, orderId, clientOrderId, account, price, quantity,
                remaining, triggerPrice);
        marketData.orderAmended(sequence, timestamp, instrument, orderId, clientOrderId, account, price, quantity,
                remaining, triggerPrice);
        history.orders().amended(sequence, timestamp, instrument, orderId, clientOrderId, clientOrderText, account, price,
                quantity, triggerPrice);
    }

    @Override
    public void commandCompleted(long sequence, long timestamp) {
        // Before the answer: a client that has it finds the gateway's pre-checks agreeing, and /health at least here.
        mirrorFeed.completed(sequence);
        health.completed(sequence);
        marketData.commandCompleted(sequence, timestamp);
    }
}
