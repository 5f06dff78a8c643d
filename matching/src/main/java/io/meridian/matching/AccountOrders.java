package io.meridian.matching;

/** The open orders of one account in one book, oldest first (intrusive list through {@link Order#accountNext}). */
final class AccountOrders {
    Order head;
    Order tail;
    int count;

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
