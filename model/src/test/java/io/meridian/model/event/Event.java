package io.meridian.model.event;

import io.meridian.model.AssetSpec;
import io.meridian.model.CancelReason;
import io.meridian.model.CommandType;
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
 * Value-object form of {@link io.meridian.model.EngineEvents}, for tests that keep events and assert on them
 * (shipped in the model's test jar). {@link EventRecorder} turns the listener calls into these. Field meanings are
 * those of the listener method with the same name.
 */
public sealed interface Event {
    long sequence();

    long timestamp();

    record OrderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
                         Side side, OrderType type, TimeInForce timeInForce, long price, long quantity,
                         long triggerPrice) implements Event {
    }

    record CommandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                           long clientOrderId, long account, RejectReason reason) implements Event {
    }

    record OrderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId, long clientOrderId,
                       long account, Side side, long price, long quantity, long remaining, Liquidity liquidity)
            implements Event {
    }

    record OrderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
                         long canceledQuantity, CancelReason reason) implements Event {
    }

    record OrderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
                        long expiredQuantity) implements Event {
    }

    record OrderTriggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
                          long triggerPrice, long triggeredAt) implements Event {
    }

    record OrderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId, long account,
                        long price, long quantity, long remaining, long triggerPrice) implements Event {
    }

    record TradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
                         long quantity) implements Event {
    }

    record BookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side, long price,
                            long quantity, int orderCount) implements Event {
    }

    record BookOrderChanged(long sequence, long timestamp, int instrument, long l3Sequence, L3Action action,
                            long orderId, Side side, long price, long visibleQuantity) implements Event {
    }

    record InstrumentAdded(long sequence, long timestamp, InstrumentSpec spec) implements Event {
    }

    record MarkPriceChanged(long sequence, long timestamp, int instrument, long markPrice) implements Event {
    }

    record PostingApplied(long sequence, long timestamp, PostingType type, int asset, long fromAccount, long toAccount,
                          long amount, long fromBalance, long toBalance) implements Event {
    }

    record AssetAdded(long sequence, long timestamp, AssetSpec spec) implements Event {
    }

    record AccountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                          long initialMargin, long maintenanceMargin, int health) implements Event {
    }

    record IsolatedPositionUpdated(long sequence, long timestamp, long account, int instrument, long isolatedMargin,
                                   long equity, long initialMargin, long maintenanceMargin, int health)
            implements Event {
    }

    record IndexAdded(long sequence, long timestamp, IndexSpec spec) implements Event {
    }

    record IndexUpdated(long sequence, long timestamp, int indexId, long price, int freshSources) implements Event {
    }

    record IndexStale(long sequence, long timestamp, int indexId, int freshSources, long lastPrice) implements Event {
    }

    record PriceSourceStale(long sequence, long timestamp, int indexId, int sourceId, long sourceTimestamp,
            long ageNanos) implements Event {
    }

    record PriceSourceOutlier(long sequence, long timestamp, int indexId, int sourceId, long price, long median,
            long usedPrice, boolean dropped) implements Event {
    }

    record IndexDiverged(long sequence, long timestamp, int indexId, long price, long average, boolean held)
            implements Event {
    }

    record IndexCircuitBreaker(long sequence, long timestamp, int indexId, long previous, long proposed,
            long limited) implements Event {
    }

    record PremiumSampled(long sequence, long timestamp, int instrument, long impactBid, long impactAsk, long index,
            long premium) implements Event {
    }

    record FundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium, long interestRate,
            int samples, long markPrice) implements Event {
    }

    record FundingSettled(long sequence, long timestamp, int instrument, long account, long position, long rate,
            long amount) implements Event {
    }

    record LiquidationStarted(long sequence, long timestamp, long account, int asset, int instrument, long equity,
            long maintenanceMargin) implements Event {
    }

    record LiquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price, long quantity,
            long fee) implements Event {
    }

    record BackstopTransfer(long sequence, long timestamp, long account, long backstopAccount, int instrument, Side side,
            long price, long quantity) implements Event {
    }

    record InsuranceFundPaid(long sequence, long timestamp, long account, int asset, long amount, long fundBalance)
            implements Event {
    }

    record AutoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument, Side side,
            long price, long quantity, long rankPpm) implements Event {
    }

    record InsuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side, long price,
            long quantity, long fundEquity) implements Event {
    }

    record InsuranceFundUnwind(long sequence, long timestamp, int instrument, Side side, long price, long quantity,
            long realizedPnl, long inventory) implements Event {
    }

    record InsuranceFundBelowFloor(long sequence, long timestamp, long account, int asset, int instrument,
            long fundEquity, long required) implements Event {
    }

    record RemainingMarginToInsuranceFund(long sequence, long timestamp, long account, int asset, int instrument,
            long amount) implements Event {
    }

    record DeficitCoveredByVenue(long sequence, long timestamp, long account, int asset, long amount) implements Event {
    }

    record LiquidationEnded(long sequence, long timestamp, long account, int asset, int instrument, long equity,
            long maintenanceMargin) implements Event {
    }

    record OptionAdded(long sequence, long timestamp, InstrumentSpec spec, OptionSpec option) implements Event {
    }

    record OptionExpired(long sequence, long timestamp, int instrument) implements Event {
    }

    record OptionSettled(long sequence, long timestamp, int instrument, long settlementPrice, long intrinsicValue,
            long openInterest, int samples) implements Event {
    }

    record OptionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
            long settlementValue, long amount) implements Event {
    }

    record RiskScaleScheduled(long sequence, long timestamp, int instrument, long multiplierPpm, long effectiveAt,
            long volatilityPpm) implements Event {
    }

    record RiskScaleApplied(long sequence, long timestamp, int instrument, long multiplierPpm, long positionLimit,
            long priceBandPpm) implements Event {
    }

    record GovernanceProposal(long sequence, long timestamp, long proposalId, int instrument, int state,
            int approvals, long eta) implements Event {
    }
}
