package io.meridian.matching;

/**
 * The part of an {@link Order} that finding it by id and taking it out of its queues touch: its id and the links of
 * its price-level queue and account list. They live in a superclass because HotSpot lays a superclass's fields out
 * before its subclass's: these 32 bytes sit together at the start of the object, so a cancel reads one or two cache
 * lines of the order and of each neighbour it relinks, instead of the id's line and, 128 bytes further on, the links'
 * (as when they were declared among {@link Order}'s other fields: docs/performance.md, eighth sitting). A layout
 * choice only: no behaviour lives here. Single-threaded, like the book.
 */
abstract class OrderLinks {
    long orderId;

    PriceLevel level;
    Order prev;
    Order next;

    AccountOrders accountOrders;
    Order accountPrev;
    Order accountNext;
}
