package io.meridian.matching;

import java.util.Arrays;

/**
 * An indexed binary min-heap of orders on (key, arrival), with O(log n) removal of any member. Used for GTD
 * expiry (key = expiry time) and for the trigger book (key = trigger price on a rising heap, minus the trigger
 * price on a falling heap), so that the order to fire or expire next is always at the top and ties go to the
 * earlier arrival. Each order keeps its position in {@link Order#expiryHeapIndex} or
 * {@link Order#triggerHeapIndex}, depending on the heap's role.
 */
final class OrderHeap {
    enum Role { EXPIRY, TRIGGER_RISE, TRIGGER_FALL }

    private final Role role;
    private Order[] orders;
    private long[] keys;
    private int size;

    OrderHeap(Role role, int initialCapacity) {
        this.role = role;
        this.orders = new Order[initialCapacity];
        this.keys = new long[initialCapacity];
    }

    int size() {
        return size;
    }

    Order peek() {
        return size == 0 ? null : orders[0];
    }

    /** The top key: for a falling trigger heap, minus the highest trigger price. Only valid when not empty. */
    long peekKey() {
        return keys[0];
    }

    /** The member at heap position {@code i} (0 .. size-1), for snapshots and hashing in a stable order. */
    Order at(int i) {
        return orders[i];
    }

    /**
     * Restoring a snapshot: puts the order at the next position as it was written (heap order, {@link #at}), without
     * sifting; {@link #isOrdered} then checks the result.
     */
    void restoreNext(Order order) {
        if (size == orders.length) {
            orders = Arrays.copyOf(orders, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        if (role != Role.EXPIRY) {
            order.triggerHeap = this;
        }
        place(order, keyOf(order), size++);
    }

    /** Whether every member is at or after its parent: true for any heap this class built. */
    boolean isOrdered() {
        for (int i = 1; i < size; i++) {
            if (less(i, (i - 1) >>> 1)) {
                return false;
            }
        }
        return true;
    }

    void add(Order order) {
        if (size == orders.length) {
            orders = Arrays.copyOf(orders, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        if (role != Role.EXPIRY) {
            order.triggerHeap = this;
        }
        int i = size++;
        place(order, keyOf(order), i);
        siftUp(i);
    }

    void remove(Order order) {
        int i = indexOf(order);
        int last = --size;
        if (i != last) {
            place(orders[last], keys[last], i);
            orders[last] = null;
            if (!siftUp(i)) {
                siftDown(i);
            }
        } else {
            orders[last] = null;
        }
        setIndex(order, -1);
        if (role != Role.EXPIRY) {
            order.triggerHeap = null;
        }
    }

    /** Re-establishes the heap after the order's key field changed. */
    void update(Order order) {
        int i = indexOf(order);
        keys[i] = keyOf(order);
        if (!siftUp(i)) {
            siftDown(i);
        }
    }

    private long keyOf(Order order) {
        switch (role) {
            case EXPIRY:
                return order.expireAt;
            case TRIGGER_RISE:
                return order.triggerPrice;
            default:
                return -order.triggerPrice;
        }
    }

    private int indexOf(Order order) {
        return role == Role.EXPIRY ? order.expiryHeapIndex : order.triggerHeapIndex;
    }

    private void setIndex(Order order, int index) {
        if (role == Role.EXPIRY) {
            order.expiryHeapIndex = index;
        } else {
            order.triggerHeapIndex = index;
        }
    }

    private void place(Order order, long key, int i) {
        orders[i] = order;
        keys[i] = key;
        setIndex(order, i);
    }

    private boolean less(int a, int b) {
        return keys[a] < keys[b] || (keys[a] == keys[b] && orders[a].arrival < orders[b].arrival);
    }

    private boolean siftUp(int i) {
        boolean moved = false;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(i, parent)) {
                break;
            }
            swap(i, parent);
            i = parent;
            moved = true;
        }
        return moved;
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int smallest = left;
            int right = left + 1;
            if (right < size && less(right, left)) {
                smallest = right;
            }
            if (!less(smallest, i)) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        Order orderA = orders[a];
        long keyA = keys[a];
        place(orders[b], keys[b], a);
        place(orderA, keyA, b);
    }
}
