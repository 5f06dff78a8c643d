package io.meridian.node.http;

import io.meridian.model.InstrumentSpec;
import io.meridian.model.Side;
import io.meridian.node.codec.ClientOrderId;
import io.meridian.node.codec.Orders;
import io.meridian.node.codec.Times;
import io.meridian.node.history.OrderHistory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.meridian.node.codec.Decimals.price;
import static io.meridian.node.codec.Decimals.quantity;

/**
 * An order of the order history as the API shows it ({@code GET /v1/orders/history}, and {@code GET /v1/orders/{id}}
 * once the order has ended): the open orders' fields ({@link AccountViews#openOrders}) and its status, the reason it
 * ended, its average fill price and its times. Built on a connection's I/O thread from an immutable record.
 */
final class OrderViews {
    /** Average prices carry this many decimals below the tick (as positions' entry prices do). */
    private static final int AVERAGE_DECIMALS = 8;

    private OrderViews() {
    }

    static Map<String, Object> ofHistory(OrderHistory.Order o, Gateway gateway) {
        InstrumentSpec spec = gateway.instruments().get(o.instrument());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orderId", o.orderId());
        Object clientOrderId = ClientOrderId.echo(o.clientOrderId(), o.clientOrderText());
        if (clientOrderId != null) {
            m.put("clientOrderId", clientOrderId);
        }
        m.put("instrument", o.instrument());
        m.put("side", o.side() == null ? null : o.side() == Side.BUY ? "buy" : "sell");
        m.put("type", o.type() == null ? null : Orders.name(o.type()));
        m.put("timeInForce", o.timeInForce() == null ? null : Orders.name(o.timeInForce()));
        boolean known = o.side() != null && spec != null;
        m.put("price", known && o.price() != 0 ? price(o.price(), spec) : null);
        m.put("quantity", known ? quantity(o.quantity(), spec) : null);
        m.put("filled", spec == null ? null : quantity(o.filled(), spec));
        m.put("remaining", known && !o.status().isFinal() ? quantity(Math.max(0, o.quantity() - o.filled()), spec)
                : spec == null ? null : "0");
        m.put("triggerPrice", known && o.triggerPrice() != 0 ? price(o.triggerPrice(), spec) : null);
        m.put("averagePrice", spec == null || o.filled() == 0 || o.notional() == Long.MAX_VALUE ? null
                : BigDecimal.valueOf(o.notional()).multiply(spec.tickSize())
                .divide(BigDecimal.valueOf(o.filled()), spec.tickSize().scale() + AVERAGE_DECIMALS,
                        RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
        m.put("status", Orders.name(o.status()));
        m.put("cancelReason", o.cancelReason() == null ? null : Orders.name(o.cancelReason()));
        if (o.rejectReason() != null) {
            m.put("rejectCode", o.rejectReason().code());
            m.put("rejectReason", o.rejectReason().name());
        }
        Times.putOrNull(m, "timestamp", o.createdAt());
        Times.putOrNull(m, "updateTime", o.updatedAt());
        Times.putOrNull(m, "triggerTime", o.triggeredAt());
        m.put("updateSequence", o.updateSequence());
        return m;
    }
}
