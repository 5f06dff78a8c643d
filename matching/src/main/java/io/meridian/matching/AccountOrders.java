package io.meridian.matching;

import io.meridian.model.RestingTotals;
import io.meridian.model.Side;

/**
 * The open orders of one account in one book, oldest first (intrusive list through {@link Order#accountNext}), and
 * the lots its resting orders still offer on each side, kept up to date as orders rest, fill, shrink and leave, so
 * that the pre-trade margin check reads them in O(1). Waiting conditional orders are not counted (they reserve no
 * margin until they trigger), nor are reduce-only orders.
 *
 * <p>Its book keeps it for the book's life once the account has had an order there (also when the account has no
 * order left), which is the {@link RestingTotals} contract the margin engine relies on to keep it as a view.
 */
final class AccountOrders implements RestingTotals {
    Order head;
    Order tail;
    int count;
    long restingBuyLots;
    long restingSellLots;
    /** Sum of remaining lots x price (ticks) of the resting buys: values them where no market price exists yet. */
    long restingBuyValue;
    long restingSellValue;

    @Override
    public long restingLots(Side side) {
        return side == Side.BUY ? restingBuyLots : restingSellLots;
    }

    @Override
    public long restingValue(Side side) {
        return side == Side.BUY ? restingBuyValue : restingSellValue;
    }

    /**
     * Adds {@code lots} (negative to remove) of the order at its price to the resting totals. Reduce-only orders
     * are left out: they can only shrink the position, so they need no margin.
     */
    void addResting(Order order, long lots) {
        if (order.reduceOnly) {
            return;
        }
        long value = Math.multiplyExact(lots, order.price);
        if (order.side == Side.BUY) {
            restingBuyLots += lots;
            restingBuyValue += value;
        } else {
            restingSellLots += lots;
            restingSellValue += value;
        }
    }

    void append(Order order) {
        order.accountOrders = this;
        order.accountPrev = tail;
        order.accountNext = null;
        if (tail == null) {
            head = order;
        } else {
            tail.accountNext = order;
        }
        tail = order;
        count++;
    }

    void unlink(Order order) {
        Order p = order.accountPrev;
        Order n = order.accountNext;
        if (p == null) {
            head = n;
        } else {
            p.accountNext = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.accountPrev = p;
        }
        order.accountPrev = null;
        order.accountNext = null;
        order.accountOrders = null;
        count--;
    }
}
