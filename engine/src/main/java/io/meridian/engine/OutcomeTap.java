package io.meridian.engine;

import io.meridian.model.AssetSpec;
import io.meridian.model.CancelReason;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.L3Action;
import io.meridian.model.Liquidity;
import io.meridian.model.OptionSpec;
import io.meridian.model.OrderType;
import io.meridian.model.PostingType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

/**
 * The listener the engine's parts report to: records what the current command did into its {@link CommandOutcome}
 * (its order's fills and what rests, its reject, cancellations, liquidations), then passes every event on, unchanged
 * and in order, to the host's listener. Before each event about an order whose client order id is a text, it tells the
 * listener the text ({@link EngineEvents#clientOrderText}), and it keeps {@link ClientOrderTexts} in step with the
 * orders' lives (an accepted order's text kept, an ended order's dropped, after the listener heard the event). One
 * extra call per event (and a lookup while any open order has a text); no allocation. Engine thread.
 */
final class OutcomeTap implements EngineEvents {
    private final EngineEvents delegate;
    private final CommandOutcome outcome;
    private final ClientOrderTexts texts;

    OutcomeTap(EngineEvents delegate, CommandOutcome outcome, ClientOrderTexts texts) {
        this.delegate = delegate;
        this.outcome = outcome;
        this.texts = texts;
    }

    /** Tells the listener the order's text, if it has one; returns it. */
    private String announce(long orderId, String text) {
        if (text != null) {
            delegate.clientOrderText(orderId, text);
        }
        return text;
    }

    @Override
    public void clientOrderText(long orderId, String text) {
        delegate.clientOrderText(orderId, text);
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                long account, Side side, OrderType type, TimeInForce timeInForce, long price, long quantity,
                long triggerPrice) {
        outcome.orderAccepted(orderId, quantity);
        announce(orderId, texts.accepted(orderId));
        delegate.orderAccepted(sequence, timestamp, instrument, orderId, clientOrderId, account, side, type,
                timeInForce, price, quantity, triggerPrice);
    }

    @Override
    public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                long clientOrderId, long account, RejectReason reason) {
        outcome.rejected(reason);
        announce(orderId, texts.textOfRejected(clientOrderId));
        delegate.commandRejected(sequence, timestamp, command, instrument, orderId, clientOrderId, account, reason);
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                Liquidity liquidity) {
        outcome.orderFilled(orderId, quantity, remaining);
        String text = announce(orderId, texts.textOf(orderId));
        delegate.orderFilled(sequence, timestamp, instrument, tradeId, orderId, clientOrderId, account, side, price,
                quantity, remaining, liquidity);
        if (text != null && remaining == 0) {
            texts.ended(orderId);
        }
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                long account, long canceledQuantity, CancelReason reason) {
        outcome.orderCanceled(orderId, clientOrderId, account);
        String text = announce(orderId, texts.textOf(orderId));
        delegate.orderCanceled(sequence, timestamp, instrument, orderId, clientOrderId, account, canceledQuantity,
                reason);
        if (text != null) {
            texts.ended(orderId);
        }
    }

    @Override
    public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                long account, long expiredQuantity) {
        String text = announce(orderId, texts.textOf(orderId));
        delegate.orderExpired(sequence, timestamp, instrument, orderId, clientOrderId, account, expiredQuantity);
        if (text != null) {
            texts.ended(orderId);
        }
    }

    @Override
    public void orderTriggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                long account, long triggerPrice, long triggeredAt) {
        announce(orderId, texts.textOf(orderId));
        delegate.orderTriggered(sequence, timestamp, instrument, orderId, clientOrderId, account, triggerPrice,
                triggeredAt);
    }

    @Override
    public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                long account, long price, long quantity, long remaining, long triggerPrice) {
        announce(orderId, texts.textOf(orderId));
        delegate.orderAmended(sequence, timestamp, instrument, orderId, clientOrderId, account, price, quantity,
                remaining, triggerPrice);
    }

    @Override
    public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
                long quantity) {
        delegate.tradeExecuted(sequence, timestamp, instrument, tradeId, takerSide, price, quantity);
    }

    @Override
    public void bookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side,
                long price, long quantity, int orderCount) {
        delegate.bookLevelChanged(sequence, timestamp, instrument, l2Sequence, side, price, quantity, orderCount);
    }

    @Override
    public void bookOrderChanged(long sequence, long timestamp, int instrument, long l3Sequence, L3Action action,
                long orderId, Side side, long price, long visibleQuantity) {
        delegate.bookOrderChanged(sequence, timestamp, instrument, l3Sequence, action, orderId, side, price,
                visibleQuantity);
    }

    @Override
    public void instrumentAdded(long sequence, long timestamp, InstrumentSpec spec) {
        delegate.instrumentAdded(sequence, timestamp, spec);
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        delegate.markPriceChanged(sequence, timestamp, instrument, markPrice);
    }

    @Override
    public void withdrawalAccepted(long sequence, long timestamp, long account, int asset, long amount,
                                   byte[] destination) {
        delegate.withdrawalAccepted(sequence, timestamp, account, asset, amount, destination);
    }

    @Override
    public void postingApplied(long sequence, long timestamp, PostingType type, int asset, long fromAccount,
                long toAccount, long amount, long fromBalance, long toBalance) {
        delegate.postingApplied(sequence, timestamp, type, asset, fromAccount, toAccount, amount, fromBalance,
                toBalance);
    }

    @Override
    public void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                long initialMargin, long maintenanceMargin, int health) {
        delegate.accountUpdated(sequence, timestamp, account, asset, balance, equity, initialMargin,
                maintenanceMargin, health);
    }

    @Override
    public void isolatedPositionUpdated(long sequence, long timestamp, long account, int instrument,
                long isolatedMargin, long equity, long initialMargin, long maintenanceMargin, int health) {
        delegate.isolatedPositionUpdated(sequence, timestamp, account, instrument, isolatedMargin, equity,
                initialMargin, maintenanceMargin, health);
    }

    @Override
    public void assetAdded(long sequence, long timestamp, AssetSpec spec) {
        delegate.assetAdded(sequence, timestamp, spec);
    }

    @Override
    public void indexAdded(long sequence, long timestamp, IndexSpec spec) {
        delegate.indexAdded(sequence, timestamp, spec);
    }

    @Override
    public void indexUpdated(long sequence, long timestamp, int indexId, long price, int freshSources) {
        delegate.indexUpdated(sequence, timestamp, indexId, price, freshSources);
    }

    @Override
    public void indexStale(long sequence, long timestamp, int indexId, int freshSources, long lastPrice) {
        delegate.indexStale(sequence, timestamp, indexId, freshSources, lastPrice);
    }

    @Override
    public void priceSourceStale(long sequence, long timestamp, int indexId, int sourceId, long sourceTimestamp,
                long ageNanos) {
        delegate.priceSourceStale(sequence, timestamp, indexId, sourceId, sourceTimestamp, ageNanos);
    }

    @Override
    public void priceSourceOutlier(long sequence, long timestamp, int indexId, int sourceId, long price, long median,
                long usedPrice, boolean dropped) {
        delegate.priceSourceOutlier(sequence, timestamp, indexId, sourceId, price, median, usedPrice, dropped);
    }

    @Override
    public void indexDiverged(long sequence, long timestamp, int indexId, long price, long average, boolean held) {
        delegate.indexDiverged(sequence, timestamp, indexId, price, average, held);
    }

    @Override
    public void indexCircuitBreaker(long sequence, long timestamp, int indexId, long previous, long proposed,
                long limited) {
        delegate.indexCircuitBreaker(sequence, timestamp, indexId, previous, proposed, limited);
    }

    @Override
    public void premiumSampled(long sequence, long timestamp, int instrument, long impactBid, long impactAsk,
                long index, long premium) {
        delegate.premiumSampled(sequence, timestamp, instrument, impactBid, impactAsk, index, premium);
    }

    @Override
    public void fundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium,
                long interestRate, int samples, long markPrice) {
        delegate.fundingRateApplied(sequence, timestamp, instrument, rate, averagePremium, interestRate, samples,
                markPrice);
    }

    @Override
    public void fundingSettled(long sequence, long timestamp, int instrument, long account, long position, long rate,
                long amount) {
        delegate.fundingSettled(sequence, timestamp, instrument, account, position, rate, amount);
    }

    @Override
    public void liquidationStarted(long sequence, long timestamp, long account, int asset, int instrument,
                long equity, long maintenanceMargin) {
        delegate.liquidationStarted(sequence, timestamp, account, asset, instrument, equity, maintenanceMargin);
    }

    @Override
    public void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price,
                long quantity, long fee) {
        outcome.liquidation();
        delegate.liquidationFill(sequence, timestamp, account, instrument, side, price, quantity, fee);
    }

    @Override
    public void backstopTransfer(long sequence, long timestamp, long account, long backstopAccount, int instrument,
                Side side, long price, long quantity) {
        outcome.liquidation();
        delegate.backstopTransfer(sequence, timestamp, account, backstopAccount, instrument, side, price, quantity);
    }

    @Override
    public void insuranceFundPaid(long sequence, long timestamp, long account, int asset, long amount,
                long fundBalance) {
        delegate.insuranceFundPaid(sequence, timestamp, account, asset, amount, fundBalance);
    }

    @Override
    public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument,
                Side side, long price, long quantity, long rankPpm) {
        outcome.liquidation();
        delegate.autoDeleveraged(sequence, timestamp, account, counterparty, instrument, side, price, quantity,
                rankPpm);
    }

    @Override
    public void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side,
                long price, long quantity, long fundEquity) {
        outcome.liquidation();
        delegate.insuranceFundTakeover(sequence, timestamp, account, instrument, side, price, quantity, fundEquity);
    }

    @Override
    public void insuranceFundUnwind(long sequence, long timestamp, int instrument, Side side, long price,
                long quantity, long realizedPnl, long inventory) {
        delegate.insuranceFundUnwind(sequence, timestamp, instrument, side, price, quantity, realizedPnl, inventory);
    }

    @Override
    public void insuranceFundBelowFloor(long sequence, long timestamp, long account, int asset, int instrument,
                long fundEquity, long required) {
        delegate.insuranceFundBelowFloor(sequence, timestamp, account, asset, instrument, fundEquity, required);
    }

    @Override
    public void remainingMarginToInsuranceFund(long sequence, long timestamp, long account, int asset, int instrument,
                long amount) {
        delegate.remainingMarginToInsuranceFund(sequence, timestamp, account, asset, instrument, amount);
    }

    @Override
    public void deficitCoveredByVenue(long sequence, long timestamp, long account, int asset, long amount) {
        delegate.deficitCoveredByVenue(sequence, timestamp, account, asset, amount);
    }

    @Override
    public void liquidationEnded(long sequence, long timestamp, long account, int asset, int instrument, long equity,
                long maintenanceMargin) {
        delegate.liquidationEnded(sequence, timestamp, account, asset, instrument, equity, maintenanceMargin);
    }

    @Override
    public void optionAdded(long sequence, long timestamp, InstrumentSpec spec, OptionSpec option) {
        delegate.optionAdded(sequence, timestamp, spec, option);
    }

    @Override
    public void optionExpired(long sequence, long timestamp, int instrument) {
        delegate.optionExpired(sequence, timestamp, instrument);
    }

    @Override
    public void optionSettled(long sequence, long timestamp, int instrument, long settlementPrice,
                long intrinsicValue, long openInterest, int samples) {
        delegate.optionSettled(sequence, timestamp, instrument, settlementPrice, intrinsicValue, openInterest,
                samples);
    }

    @Override
    public void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
                long settlementValue, long amount) {
        delegate.optionPositionSettled(sequence, timestamp, instrument, account, position, settlementValue, amount);
    }

    @Override
    public void riskScaleScheduled(long sequence, long timestamp, int instrument, long multiplierPpm, long effectiveAt,
            long volatilityPpm) {
        delegate.riskScaleScheduled(sequence, timestamp, instrument, multiplierPpm, effectiveAt, volatilityPpm);
    }

    @Override
    public void riskScaleApplied(long sequence, long timestamp, int instrument, long multiplierPpm, long positionLimit,
            long priceBandPpm) {
        delegate.riskScaleApplied(sequence, timestamp, instrument, multiplierPpm, positionLimit, priceBandPpm);
    }

    @Override
    public void governanceProposal(long sequence, long timestamp, long proposalId, int instrument, int state,
            int approvals, long eta) {
        delegate.governanceProposal(sequence, timestamp, proposalId, instrument, state, approvals, eta);
    }

    @Override
    public void commandCompleted(long sequence, long timestamp) {
        delegate.commandCompleted(sequence, timestamp);
    }
}
