package io.meridian.node;

import io.meridian.model.CancelReason;
import io.meridian.model.EngineEvents;
import io.meridian.model.Liquidity;
import io.meridian.model.OrderType;
import io.meridian.model.Side;
import io.meridian.model.TimeInForce;

import java.util.Arrays;

/**
 * The order events handed to several listeners (the FIX and the binary gateways' reports: {@link EngineLoop#orderEvents}),
 * in the order they attached. Immutable: attaching or detaching makes a new tee on the engine thread. Forwards exactly
 * the events {@link EngineCollector} hands on.
 */
final class OrderEventsTee implements EngineEvents {
    private final EngineEvents[] listeners;

    private OrderEventsTee(EngineEvents[] listeners) {
        this.listeners = listeners;
    }

    /** What to hand the events to after {@code listener} attached to (or detached from) {@code current}. */
    static EngineEvents with(EngineEvents current, EngineEvents listener, boolean attach) {
        EngineEvents[] now = current == EngineCollector.NO_EVENTS ? new EngineEvents[0]
                : current instanceof OrderEventsTee tee ? tee.listeners : new EngineEvents[] {current};
        EngineEvents[] next = Arrays.stream(now).filter(l -> l != listener).toArray(EngineEvents[]::new);
        if (attach && listener != null) {
            next = Arrays.copyOf(next, next.length + 1);
            next[next.length - 1] = listener;
        }
        return next.length == 0 ? EngineCollector.NO_EVENTS : next.length == 1 ? next[0] : new OrderEventsTee(next);
    }

    @Override
    public void clientOrderText(long orderId, String clientOrderText) {
        for (EngineEvents l : listeners) {
            l.clientOrderText(orderId, clientOrderText);
        }
    }

    @Override
    public void orderAccepted(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, Side side, OrderType type, TimeInForce timeInForce, long price,
                              long quantity, long triggerPrice) {
        for (EngineEvents l : listeners) {
            l.orderAccepted(sequence, timestamp, instrument, orderId, clientOrderId, account, side, type, timeInForce,
                    price, quantity, triggerPrice);
        }
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                            long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                            Liquidity liquidity) {
        for (EngineEvents l : listeners) {
            l.orderFilled(sequence, timestamp, instrument, tradeId, orderId, clientOrderId, account, side, price,
                    quantity, remaining, liquidity);
        }
    }

    @Override
    public void orderCanceled(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                              long account, long canceledQuantity, CancelReason reason) {
        for (EngineEvents l : listeners) {
            l.orderCanceled(sequence, timestamp, instrument, orderId, clientOrderId, account, canceledQuantity, reason);
        }
    }

    @Override
    public void orderExpired(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long expiredQuantity) {
        for (EngineEvents l : listeners) {
            l.orderExpired(sequence, timestamp, instrument, orderId, clientOrderId, account, expiredQuantity);
        }
    }

    @Override
    public void orderAmended(long sequence, long timestamp, int instrument, long orderId, long clientOrderId,
                             long account, long price, long quantity, long remaining, long triggerPrice) {
        for (EngineEvents l : listeners) {
            l.orderAmended(sequence, timestamp, instrument, orderId, clientOrderId, account, price, quantity,
                    remaining, triggerPrice);
        }
    }
}
