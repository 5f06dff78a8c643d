package io.meridian.benchmarks;

import io.meridian.model.CancelReason;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.L3Action;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

/**
 * The whole-engine benchmark's listener: minimal real work on every event (counters, the last L2 and L3 sequence
 * per instrument, a running checksum), so that event delivery cannot be optimised away. Allocation-free.
 */
final class CountingEvents implements EngineEvents {
    long events;
    long accepted;
    long rejected;
    long fills;
    long trades;
    long canceled;
    long amended;
    long completed;
    long checksum;
    RejectReason lastReject;
    final long[] lastL2Sequence;
    final long[] lastL3Sequence;

    CountingEvents(int maxInstruments) {
        lastL2Sequence = new long[maxInstruments];
        lastL3Sequence = new long[maxInstruments];
    }

    void clear() {
        events = 0;
        accepted = 0;
        rejected = 0;
        fills = 0;
        trades = 0;
        canceled = 0;
        amended = 0;
        completed = 0;
        checksum = 0;
        lastReject = null;
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, Side side, OrderType type, TimeInForce timeInForce, long price,
                              long quantity, long triggerPrice) {
        events++;
        accepted++;
        checksum += orderId;
    }

    @Override
    public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                                long clientOrderId, long account, RejectReason reason) {
        events++;
        rejected++;
        lastReject = reason;
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                            long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                            Liquidity liquidity) {
        events++;
        fills++;
        checksum += quantity;
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long canceledQuantity, CancelReason reason) {
        events++;
        canceled++;
    }

    @Override
    public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long expiredQuantity) {
        events++;
    }

    @Override
    public void orderTriggered(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                               long account, long triggerPrice, long triggeredAt) {
        events++;
    }

    @Override
    public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long price, long quantity, long remaining, long triggerPrice) {
        events++;
        amended++;
        checksum += price;
    }

    @Override
    public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
                              long quantity) {
        events++;
        trades++;
    }

    @Override
    public void bookLevelChanged(long sequence, long timestamp, int instrument, long l2Sequence, Side side, long price,
                                 long quantity, int orderCount) {
        events++;
        lastL2Sequence[instrument] = l2Sequence;
    }

    @Override
    public void bookOrderChanged(long sequence, long timestamp, int instrument, long l3Sequence, L3Action action,
                                 long orderId, Side side, long price, long visibleQuantity) {
        events++;
        lastL3Sequence[instrument] = l3Sequence;
    }

    @Override
    public void instrumentAdded(long sequence, long timestamp, InstrumentSpec spec) {
        events++;
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        events++;
    }

    @Override
    public void commandCompleted(long sequence, long timestamp) {
        completed++;
    }
}
