package io.meridian.model.event;

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

import java.util.List;

/**
 * Delivers every event to several listeners, in the order given: a host composes its own listener with an audit or a
 * recorder without either knowing of the other. Each listener sees the event before the next one does; the same
 * rules as for any {@link EngineEvents} apply to all of them (engine thread, no calls back into the engine). Every
 * method of {@link EngineEvents} is forwarded ({@code FanOutEventsTest} checks that none is left to its no-op
 * default).
 */
public final class FanOutEvents implements EngineEvents {
    private final EngineEvents[] listeners;

    public FanOutEvents(EngineEvents... listeners) {
        this.listeners = listeners.clone();
    }

    public FanOutEvents(List<EngineEvents> listeners) {
        this.listeners = listeners.toArray(new EngineEvents[0]);
    }

    /** The listeners, in delivery order (a copy): a host that attaches and detaches builds the next fan-out from it. */
    public EngineEvents[] listeners() {
        return listeners.clone();
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
            Side side, OrderType type, TimeInForce timeInForce, long price, long quantity, long triggerPrice) {
        for (EngineEvents listener : listeners) {
            listener.orderAccepted(sequence, timestamp, instrument, orderId, clientOrderId, account, side, type, timeInForce,
                    price, quantity, triggerPrice);
        }
    }

    @Override
    public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
            long clientOrderId, long account, RejectReason reason) {
        for (EngineEvents listener : listeners) {
            listener.commandRejected(sequence, timestamp, command, instrument, orderId, clientOrderId, account, reason);
        }
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId, long clientOrderId,
            long account, Side side, long price, long quantity, long remaining, Liquidity liquidity) {
        for (EngineEvents listener : listeners) {
            listener.orderFilled(sequence, timestamp, instrument, tradeId, orderId, clientOrderId, account, side, price,
                    quantity, remaining, liquidity);
        }
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
            long canceledQuantity, CancelReason reason) {
        for (EngineEvents listener : listeners) {
            listener.orderCanceled(sequence, timestamp, instrument, orderId, clientOrderId, account, canceledQuantity, reason);
        }
    }

    @Override
    public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
            long expiredQuantity) {
        for (EngineEvents listener : listeners) {
            listener.orderExpired(sequence, timestamp, instrument, orderId, clientOrderId, account, expiredQuantity);
        }
    }

    @Override
    public void orderTriggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
            long triggerPrice, long triggeredAt) {
        for (EngineEvents listener : listeners) {
            listener.orderTriggered(sequence, timestamp, instrument, orderId, clientOrderId, account, triggerPrice,
                    triggeredAt);
        }
    }

    @Override
    public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
            long price, long quantity, long remaining, long triggerPrice) {
        for (EngineEvents listener : listeners) {
            listener.orderAmended(sequence, timestamp, instrument, orderId, clientOrderId, account, price, quantity,
                    remaining, triggerPrice);
        }
    }

    @Override
    public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
            long quantity) {
        for (EngineEvents listener : listeners) {
            listener.tradeExecuted(sequence, timestamp, instrument, tradeId, takerSide, price, quantity);
        }
    }

    @Override
    public void bookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side, long price,
            long quantity, int orderCount) {
        for (EngineEvents listener : listeners) {
            listener.bookLevelChanged(sequence, timestamp, instrument, l2Sequence, side, price, quantity, orderCount);
        }
    }

    @Override
    public void bookOrderChanged(long sequence, long timestamp, int instrument, long l3Sequence, L3Action action,
            long orderId, Side side, long price, long visibleQuantity) {
        for (EngineEvents listener : listeners) {
            listener.bookOrderChanged(sequence, timestamp, instrument, l3Sequence, action, orderId, side, price,
                    visibleQuantity);
        }
    }

    @Override
    public void instrumentAdded(long sequence, long timestamp, InstrumentSpec spec) {
        for (EngineEvents listener : listeners) {
            listener.instrumentAdded(sequence, timestamp, spec);
        }
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        for (EngineEvents listener : listeners) {
            listener.markPriceChanged(sequence, timestamp, instrument, markPrice);
        }
    }

    @Override
    public void withdrawalAccepted(long sequence, long timestamp, long account, int asset, long amount,
                                   byte[] destination) {
        for (EngineEvents listener : listeners) {
            listener.withdrawalAccepted(sequence, timestamp, account, asset, amount, destination);
        }
    }

    @Override
    public void postingApplied(long sequence, long timestamp, PostingType type, int asset, long fromAccount, long toAccount,
            long amount, long fromBalance, long toBalance) {
        for (EngineEvents listener : listeners) {
            listener.postingApplied(sequence, timestamp, type, asset, fromAccount, toAccount, amount, fromBalance, toBalance);
        }
    }

    @Override
    public void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
            long initialMargin, long maintenanceMargin, int health) {
        for (EngineEvents listener : listeners) {
            listener.accountUpdated(sequence, timestamp, account, asset, balance, equity, initialMargin, maintenanceMargin,
                    health);
        }
    }

    @Override
    public void isolatedPositionUpdated(long sequence, long timestamp, long account, int instrument, long isolatedMargin,
            long equity, long initialMargin, long maintenanceMargin, int health) {
        for (EngineEvents listener : listeners) {
            listener.isolatedPositionUpdated(sequence, timestamp, account, instrument, isolatedMargin, equity, initialMargin,
                    maintenanceMargin, health);
        }
    }

    @Override
    public void assetAdded(long sequence, long timestamp, AssetSpec spec) {
        for (EngineEvents listener : listeners) {
            listener.assetAdded(sequence, timestamp, spec);
        }
    }

    @Override
    public void indexAdded(long sequence, long timestamp, IndexSpec spec) {
        for (EngineEvents listener : listeners) {
            listener.indexAdded(sequence, timestamp, spec);
        }
    }

    @Override
    public void indexUpdated(long sequence, long timestamp, int indexId, long price, int freshSources) {
        for (EngineEvents listener : listeners) {
            listener.indexUpdated(sequence, timestamp, indexId, price, freshSources);
        }
    }

    @Override
    public void indexStale(long sequence, long timestamp, int indexId, int freshSources, long lastPrice) {
        for (EngineEvents listener : listeners) {
            listener.indexStale(sequence, timestamp, indexId, freshSources, lastPrice);
        }
    }

    @Override
    public void priceSourceStale(long sequence, long timestamp, int indexId, int sourceId, long sourceTimestamp,
            long ageNanos) {
        for (EngineEvents listener : listeners) {
            listener.priceSourceStale(sequence, timestamp, indexId, sourceId, sourceTimestamp, ageNanos);
        }
    }

    @Override
    public void priceSourceOutlier(long sequence, long timestamp, int indexId, int sourceId, long price, long median,
            long usedPrice, boolean dropped) {
        for (EngineEvents listener : listeners) {
            listener.priceSourceOutlier(sequence, timestamp, indexId, sourceId, price, median, usedPrice, dropped);
        }
    }

    @Override
    public void indexDiverged(long sequence, long timestamp, int indexId, long price, long average, boolean held) {
        for (EngineEvents listener : listeners) {
            listener.indexDiverged(sequence, timestamp, indexId, price, average, held);
        }
    }

    @Override
    public void indexCircuitBreaker(long sequence, long timestamp, int indexId, long previous, long proposed, long limited) {
        for (EngineEvents listener : listeners) {
            listener.indexCircuitBreaker(sequence, timestamp, indexId, previous, proposed, limited);
        }
    }

    @Override
    public void premiumSampled(long sequence, long timestamp, int instrument, long impactBid, long impactAsk, long index,
            long premium) {
        for (EngineEvents listener : listeners) {
            listener.premiumSampled(sequence, timestamp, instrument, impactBid, impactAsk, index, premium);
        }
    }

    @Override
    public void fundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium,
            long interestRate, int samples, long markPrice) {
        for (EngineEvents listener : listeners) {
            listener.fundingRateApplied(sequence, timestamp, instrument, rate, averagePremium, interestRate, samples,
                    markPrice);
        }
    }

    @Override
    public void fundingSettled(long sequence, long timestamp, int instrument, long account, long position, long rate,
            long amount) {
        for (EngineEvents listener : listeners) {
            listener.fundingSettled(sequence, timestamp, instrument, account, position, rate, amount);
        }
    }

    @Override
    public void liquidationStarted(long sequence, long timestamp, long account, int asset, int instrument, long equity,
            long maintenanceMargin) {
        for (EngineEvents listener : listeners) {
            listener.liquidationStarted(sequence, timestamp, account, asset, instrument, equity, maintenanceMargin);
        }
    }

    @Override
    public void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price,
            long quantity, long fee) {
        for (EngineEvents listener : listeners) {
            listener.liquidationFill(sequence, timestamp, account, instrument, side, price, quantity, fee);
        }
    }

    @Override
    public void backstopTransfer(long sequence, long timestamp, long account, long backstopAccount, int instrument,
            Side side, long price, long quantity) {
        for (EngineEvents listener : listeners) {
            listener.backstopTransfer(sequence, timestamp, account, backstopAccount, instrument, side, price, quantity);
        }
    }

    @Override
    public void insuranceFundPaid(long sequence, long timestamp, long account, int asset, long amount, long fundBalance) {
        for (EngineEvents listener : listeners) {
            listener.insuranceFundPaid(sequence, timestamp, account, asset, amount, fundBalance);
        }
    }

    @Override
    public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument, Side side,
            long price, long quantity, long rankPpm) {
        for (EngineEvents listener : listeners) {
            listener.autoDeleveraged(sequence, timestamp, account, counterparty, instrument, side, price, quantity, rankPpm);
        }
    }

    @Override
    public void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side, long price,
            long quantity, long fundEquity) {
        for (EngineEvents listener : listeners) {
            listener.insuranceFundTakeover(sequence, timestamp, account, instrument, side, price, quantity, fundEquity);
        }
    }

    @Override
    public void insuranceFundUnwind(long sequence, long timestamp, int instrument, Side side, long price, long quantity,
            long realizedPnl, long inventory) {
        for (EngineEvents listener : listeners) {
            listener.insuranceFundUnwind(sequence, timestamp, instrument, side, price, quantity, realizedPnl, inventory);
        }
    }

    @Override
    public void insuranceFundBelowFloor(long sequence, long timestamp, long account, int asset, int instrument,
            long fundEquity, long required) {
        for (EngineEvents listener : listeners) {
            listener.insuranceFundBelowFloor(sequence, timestamp, account, asset, instrument, fundEquity, required);
        }
    }

    @Override
    public void remainingMarginToInsuranceFund(long sequence, long timestamp, long account, int asset, int instrument,
            long amount) {
        for (EngineEvents listener : listeners) {
            listener.remainingMarginToInsuranceFund(sequence, timestamp, account, asset, instrument, amount);
        }
    }

    @Override
    public void deficitCoveredByVenue(long sequence, long timestamp, long account, int asset, long amount) {
        for (EngineEvents listener : listeners) {
            listener.deficitCoveredByVenue(sequence, timestamp, account, asset, amount);
        }
    }

    @Override
    public void liquidationEnded(long sequence, long timestamp, long account, int asset, int instrument, long equity,
            long maintenanceMargin) {
        for (EngineEvents listener : listeners) {
            listener.liquidationEnded(sequence, timestamp, account, asset, instrument, equity, maintenanceMargin);
        }
    }

    @Override
    public void optionAdded(long sequence, long timestamp, InstrumentSpec spec, OptionSpec option) {
        for (EngineEvents listener : listeners) {
            listener.optionAdded(sequence, timestamp, spec, option);
        }
    }

    @Override
    public void optionExpired(long sequence, long timestamp, int instrument) {
        for (EngineEvents listener : listeners) {
            listener.optionExpired(sequence, timestamp, instrument);
        }
    }

    @Override
    public void optionSettled(long sequence, long timestamp, int instrument, long settlementPrice, long intrinsicValue,
            long openInterest, int samples) {
        for (EngineEvents listener : listeners) {
            listener.optionSettled(sequence, timestamp, instrument, settlementPrice, intrinsicValue, openInterest, samples);
        }
    }

    @Override
    public void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
            long settlementValue, long amount) {
        for (EngineEvents listener : listeners) {
            listener.optionPositionSettled(sequence, timestamp, instrument, account, position, settlementValue, amount);
        }
    }

    @Override
    public void riskScaleScheduled(long sequence, long timestamp, int instrument, long multiplierPpm, long effectiveAt,
            long volatilityPpm) {
        for (EngineEvents listener : listeners) {
            listener.riskScaleScheduled(sequence, timestamp, instrument, multiplierPpm, effectiveAt, volatilityPpm);
        }
    }

    @Override
    public void riskScaleApplied(long sequence, long timestamp, int instrument, long multiplierPpm, long positionLimit,
            long priceBandPpm) {
        for (EngineEvents listener : listeners) {
            listener.riskScaleApplied(sequence, timestamp, instrument, multiplierPpm, positionLimit, priceBandPpm);
        }
    }

    @Override
    public void governanceProposal(long sequence, long timestamp, long proposalId, int instrument, int state,
            int approvals, long eta) {
        for (EngineEvents listener : listeners) {
            listener.governanceProposal(sequence, timestamp, proposalId, instrument, state, approvals, eta);
        }
    }

    @Override
    public void clientOrderText(long orderId, String text) {
        for (EngineEvents listener : listeners) {
            listener.clientOrderText(orderId, text);
        }
    }

    @Override
    public void commandCompleted(long sequence, long timestamp) {
        for (EngineEvents listener : listeners) {
            listener.commandCompleted(sequence, timestamp);
        }
    }
}
