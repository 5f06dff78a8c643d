package io.meridian.matching;

/**
 * A book's open orders by order id: open addressing with linear probing over the orders themselves, so a look-up
 * reads one slot and the order it holds (a map with a separate key array reads a key, then a value, then the order:
 * on a workload of moves and cancels that look-up was a quarter of the matching time). Slots come from a
 * multiplicative (Fibonacci) hash of the id, which spreads sequential ids and the arithmetic runs a hostile client
 * might choose evenly; removal shifts the probe chain back (no tombstones), so a long life of places and cancels does
 * not slow look-ups. At most half full: the table doubles when it would be more (allocating, as any growth does).
 *
 * <p>Single-threaded, like the book.
 */
final class OrderIndex {
    private Order[] table;
    private int mask;
    private int shift;
    private int size;

    OrderIndex(int expected) {
        allocate(expected);
    }

    private void allocate(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
        table = new Order[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Slots in the table; it holds at most half as many orders before it grows. */
    int capacity() {
        return table.length;
    }

    private int slot(long orderId) {
        return (int) ((orderId * 0x9E3779B97F4A7C15L) >>> shift);
    }

    Order get(long orderId) {
        Order[] t = table;
        int i = slot(orderId);
        Order o;
        while ((o = t[i]) != null) {
            if (o.orderId == orderId) {
                return o;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Reads the slot where a look-up of this id starts, and nothing else: a value that depends on it. */
    int readSlot(long orderId) {
        return table[slot(orderId)] == null ? 0 : 1;
    }

    boolean contains(long orderId) {
        return get(orderId) != null;
    }

    /** Adds the order; returns the order already indexed under its id instead (and adds nothing), or null. */
    Order put(Order order) {
        if (2 * (size + 1) > table.length) {
            grow();
        }
        int i = slot(order.orderId);
        Order o;
        while ((o = table[i]) != null) {
            if (o.orderId == order.orderId) {
                return o;
            }
            i = (i + 1) & mask;
        }
        table[i] = order;
        size++;
        return null;
    }

    /** Removes the order with this id, if indexed. */
    void remove(long orderId) {
        int i = slot(orderId);
        Order o;
        while ((o = table[i]) != null && o.orderId != orderId) {
            i = (i + 1) & mask;
        }
        if (o == null) {
            return;
        }
        table[i] = null;
        size--;
        // Shift back every later entry of the chain that may sit at the hole: its home slot is not cyclically in
        // (hole, j].
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Order e = table[j];
            if (e == null) {
                return;
            }
            int home = slot(e.orderId);
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                table[hole] = e;
                table[j] = null;
                hole = j;
            }
        }
    }

    /** Makes room for {@code expected} orders without growing (the old entries are re-indexed). */
    void ensureCapacity(int expected) {
        if (2 * expected > table.length) {
            rehash(expected);
        }
    }

    private void grow() {
        rehash(table.length);
    }

    private void rehash(int expected) {
        Order[] old = table;
        allocate(Math.max(expected, size + 1));
        size = 0;
        for (Order o : old) {
            if (o != null) {
                put(o);
            }
        }
    }
}
