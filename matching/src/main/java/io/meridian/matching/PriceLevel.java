package io.meridian.matching;

/** One price on one side: a FIFO of resting orders (intrusive list through {@link Order#next}) and its totals. */
final class PriceLevel {
    long price;
    /** Sort key of the level in its {@link BookSide}: the price for bids, minus the price for asks. */
    long key;
    /** Sum of the orders' visible quantities: what L2 shows. */
    long visibleQuantity;
    /** Sum of the orders' remaining quantities, hidden iceberg reserve included. */
    long totalQuantity;
    int orderCount;
    Order head;
    Order tail;

    void append(Order order) {
        order.level = this;
        order.next = null;
        order.prev = tail;
        if (tail == null) {
            head = order;
        } else {
            tail.next = order;
        }
        tail = order;
        orderCount++;
        visibleQuantity += order.visible;
        totalQuantity += order.remaining;
        order.accountOrders.addResting(order, order.remaining);
    }

    /**
     * Unlinks the order, taking its current visible and remaining quantities out of the level's totals and the
     * account's resting lots; a caller that changed those quantities in place has already adjusted the totals.
     */
    void unlink(Order order) {
        Order p = order.prev;
        Order n = order.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        order.prev = null;
        order.next = null;
        order.level = null;
        orderCount--;
        visibleQuantity -= order.visible;
        totalQuantity -= order.remaining;
        order.accountOrders.addResting(order, -order.remaining);
    }

    boolean isEmpty() {
        return orderCount == 0;
    }
}
