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

import java.util.ArrayList;
import java.util.List;

/**
 * Records every event as an {@link Event} value, in order: a test helper, shipped in the model's test jar to the
 * modules whose tests assert on events. Allocates per event. {@link #includeMarketData} leaves out L2/L3 deltas when
 * false, which keeps assertions on order lifecycles short.
 */
public final class EventRecorder implements EngineEvents {
    private final List<Event> events = new ArrayList<>();
    private final boolean includeMarketData;

    public EventRecorder() {
        this(true);
    }

    public EventRecorder(boolean includeMarketData) {
        this.includeMarketData = includeMarketData;
    }

    public List<Event> events() {
        return events;
    }

    /** The recorded events and a fresh start. */
    public List<Event> drain() {
        List<Event> copy = new ArrayList<>(events);
        events.clear();
        return copy;
    }

    /** Recorded events of one type, in order. */
    public <T extends Event> List<T> ofType(Class<T> type) {
        List<T> result = new ArrayList<>();
        for (Event event : events) {
            if (type.isInstance(event)) {
                result.add(type.cast(event));
            }
        }
        return result;
    }

    public void clear() {
        events.clear();
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, Side side, OrderType type, TimeInForce timeInForce, long price,
                              long quantity, long triggerPrice) {
        events.add(new Event.OrderAccepted(sequence, timestamp, instrument, orderId, clientOrderId, account, side, type,
                timeInForce, price, quantity, triggerPrice));
    }

    @Override
    public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                                long clientOrderId, long account, RejectReason reason) {
        events.add(new Event.CommandRejected(sequence, timestamp, command, instrument, orderId, clientOrderId, account,
                reason));
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                            long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                            Liquidity liquidity) {
        events.add(new Event.OrderFilled(sequence, timestamp, instrument, tradeId, orderId, clientOrderId, account, side,
                price, quantity, remaining, liquidity));
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long canceledQuantity, CancelReason reason) {
        events.add(new Event.OrderCanceled(sequence, timestamp, instrument, orderId, clientOrderId, account,
                canceledQuantity, reason));
    }

    @Override
    public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long expiredQuantity) {
        events.add(new Event.OrderExpired(sequence, timestamp, instrument, orderId, clientOrderId, account,
                expiredQuantity));
    }

    @Override
    public void orderTriggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                               long account, long triggerPrice, long triggeredAt) {
        events.add(new Event.OrderTriggered(sequence, timestamp, instrument, orderId, clientOrderId, account,
                triggerPrice, triggeredAt));
    }

    @Override
    public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long price, long quantity, long remaining, long triggerPrice) {
        events.add(new Event.OrderAmended(sequence, timestamp, instrument, orderId, clientOrderId, account, price,
                quantity, remaining, triggerPrice));
    }

    @Override
    public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
                              long quantity) {
        events.add(new Event.TradeExecuted(sequence, timestamp, instrument, tradeId, takerSide, price, quantity));
    }

    @Override
    public void bookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side, long price,
                                 long quantity, int orderCount) {
        if (includeMarketData) {
            events.add(new Event.BookLevelChanged(sequence, timestamp, instrument, l2Sequence, side, price, quantity,
                    orderCount));
        }
    }

    @Override
    public void bookOrderChanged(long sequence, long timestamp, int instrument, long l3Sequence, L3Action action,
                                 long orderId, Side side, long price, long visibleQuantity) {
        if (includeMarketData) {
            events.add(new Event.BookOrderChanged(sequence, timestamp, instrument, l3Sequence, action, orderId, side,
                    price, visibleQuantity));
        }
    }

    @Override
    public void instrumentAdded(long sequence, long timestamp, InstrumentSpec spec) {
        events.add(new Event.InstrumentAdded(sequence, timestamp, spec));
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        events.add(new Event.MarkPriceChanged(sequence, timestamp, instrument, markPrice));
    }

    @Override
    public void postingApplied(long sequence, long timestamp, PostingType type, int asset, long fromAccount,
                               long toAccount, long amount, long fromBalance, long toBalance) {
        events.add(new Event.PostingApplied(sequence, timestamp, type, asset, fromAccount, toAccount, amount,
                fromBalance, toBalance));
    }

    @Override
    public void assetAdded(long sequence, long timestamp, AssetSpec spec) {
        events.add(new Event.AssetAdded(sequence, timestamp, spec));
    }

    @Override
    public void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                               long initialMargin, long maintenanceMargin, int health) {
        events.add(new Event.AccountUpdated(sequence, timestamp, account, asset, balance, equity, initialMargin,
                maintenanceMargin, health));
    }

    @Override
    public void isolatedPositionUpdated(long sequence, long timestamp, long account, int instrument,
                                        long isolatedMargin, long equity, long initialMargin, long maintenanceMargin,
                                        int health) {
        events.add(new Event.IsolatedPositionUpdated(sequence, timestamp, account, instrument, isolatedMargin, equity,
                initialMargin, maintenanceMargin, health));
    }

    @Override
    public void indexAdded(long sequence, long timestamp, IndexSpec spec) {
        events.add(new Event.IndexAdded(sequence, timestamp, spec));
    }

    @Override
    public void indexUpdated(long sequence, long timestamp, int indexId, long price, int freshSources) {
        events.add(new Event.IndexUpdated(sequence, timestamp, indexId, price, freshSources));
    }

    @Override
    public void indexStale(long sequence, long timestamp, int indexId, int freshSources, long lastPrice) {
        events.add(new Event.IndexStale(sequence, timestamp, indexId, freshSources, lastPrice));
    }

    @Override
    public void priceSourceStale(long sequence, long timestamp, int indexId, int sourceId, long sourceTimestamp, long ageNanos) {
        events.add(new Event.PriceSourceStale(sequence, timestamp, indexId, sourceId, sourceTimestamp, ageNanos));
    }

    @Override
    public void priceSourceOutlier(long sequence, long timestamp, int indexId, int sourceId, long price, long median,
            long usedPrice, boolean dropped) {
        events.add(new Event.PriceSourceOutlier(sequence, timestamp, indexId, sourceId, price, median, usedPrice, dropped));
    }

    @Override
    public void indexDiverged(long sequence, long timestamp, int indexId, long price, long average, boolean held) {
        events.add(new Event.IndexDiverged(sequence, timestamp, indexId, price, average, held));
    }

    @Override
    public void indexCircuitBreaker(long sequence, long timestamp, int indexId, long previous, long proposed, long limited) {
        events.add(new Event.IndexCircuitBreaker(sequence, timestamp, indexId, previous, proposed, limited));
    }

    @Override
    public void premiumSampled(long sequence, long timestamp, int instrument, long impactBid, long impactAsk, long index,
            long premium) {
        events.add(new Event.PremiumSampled(sequence, timestamp, instrument, impactBid, impactAsk, index, premium));
    }

    @Override
    public void fundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium,
            long interestRate, int samples, long markPrice) {
        events.add(new Event.FundingRateApplied(sequence, timestamp, instrument, rate, averagePremium, interestRate, samples,
                markPrice));
    }

    @Override
    public void fundingSettled(long sequence, long timestamp, int instrument, long account, long position, long rate,
            long amount) {
        events.add(new Event.FundingSettled(sequence, timestamp, instrument, account, position, rate, amount));
    }

    @Override
    public void liquidationStarted(long sequence, long timestamp, long account, int asset, int instrument, long equity,
            long maintenanceMargin) {
        events.add(new Event.LiquidationStarted(sequence, timestamp, account, asset, instrument, equity, maintenanceMargin));
    }

    @Override
    public void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price,
            long quantity, long fee) {
        events.add(new Event.LiquidationFill(sequence, timestamp, account, instrument, side, price, quantity, fee));
    }

    @Override
    public void backstopTransfer(long sequence, long timestamp, long account, long backstopAccount, int instrument, Side side,
            long price, long quantity) {
        events.add(new Event.BackstopTransfer(sequence, timestamp, account, backstopAccount, instrument, side, price, quantity));
    }

    @Override
    public void insuranceFundPaid(long sequence, long timestamp, long account, int asset, long amount, long fundBalance) {
        events.add(new Event.InsuranceFundPaid(sequence, timestamp, account, asset, amount, fundBalance));
    }

    @Override
    public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument, Side side,
            long price, long quantity, long rankPpm) {
        events.add(new Event.AutoDeleveraged(sequence, timestamp, account, counterparty, instrument, side, price,
                quantity, rankPpm));
    }

    @Override
    public void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side,
            long price, long quantity, long fundEquity) {
        events.add(new Event.InsuranceFundTakeover(sequence, timestamp, account, instrument, side, price, quantity,
                fundEquity));
    }

    @Override
    public void insuranceFundUnwind(long sequence, long timestamp, int instrument, Side side, long price, long quantity,
            long realizedPnl, long inventory) {
        events.add(new Event.InsuranceFundUnwind(sequence, timestamp, instrument, side, price, quantity, realizedPnl,
                inventory));
    }

    @Override
    public void insuranceFundBelowFloor(long sequence, long timestamp, long account, int asset, int instrument,
            long fundEquity, long required) {
        events.add(new Event.InsuranceFundBelowFloor(sequence, timestamp, account, asset, instrument, fundEquity,
                required));
    }

    @Override
    public void remainingMarginToInsuranceFund(long sequence, long timestamp, long account, int asset,
            int instrument, long amount) {
        events.add(new Event.RemainingMarginToInsuranceFund(sequence, timestamp, account, asset, instrument, amount));
    }

    @Override
    public void deficitCoveredByVenue(long sequence, long timestamp, long account, int asset, long amount) {
        events.add(new Event.DeficitCoveredByVenue(sequence, timestamp, account, asset, amount));
    }

    @Override
    public void liquidationEnded(long sequence, long timestamp, long account, int asset, int instrument, long equity,
            long maintenanceMargin) {
        events.add(new Event.LiquidationEnded(sequence, timestamp, account, asset, instrument, equity, maintenanceMargin));
    }

    @Override
    public void optionAdded(long sequence, long timestamp, InstrumentSpec spec, OptionSpec option) {
        events.add(new Event.OptionAdded(sequence, timestamp, spec, option));
    }

    @Override
    public void optionExpired(long sequence, long timestamp, int instrument) {
        events.add(new Event.OptionExpired(sequence, timestamp, instrument));
    }

    @Override
    public void optionSettled(long sequence, long timestamp, int instrument, long settlementPrice, long intrinsicValue,
            long openInterest, int samples) {
        events.add(new Event.OptionSettled(sequence, timestamp, instrument, settlementPrice, intrinsicValue,
                openInterest, samples));
    }

    @Override
    public void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
            long settlementValue, long amount) {
        events.add(new Event.OptionPositionSettled(sequence, timestamp, instrument, account, position, settlementValue,
                amount));
    }

    @Override
    public void riskScaleScheduled(long sequence, long timestamp, int instrument, long multiplierPpm, long effectiveAt,
            long volatilityPpm) {
        events.add(new Event.RiskScaleScheduled(sequence, timestamp, instrument, multiplierPpm, effectiveAt, volatilityPpm));
    }

    @Override
    public void riskScaleApplied(long sequence, long timestamp, int instrument, long multiplierPpm, long positionLimit,
            long priceBandPpm) {
        events.add(new Event.RiskScaleApplied(sequence, timestamp, instrument, multiplierPpm, positionLimit, priceBandPpm));
    }

    @Override
    public void governanceProposal(long sequence, long timestamp, long proposalId, int instrument, int state,
            int approvals, long eta) {
        events.add(new Event.GovernanceProposal(sequence, timestamp, proposalId, instrument, state, approvals, eta));
    }
}
