package io.meridian.matching;

/**
 * Open orders by (account, client order id): an open-addressing hash table with linear probing and
 * backward-shift deletion, so lookups, inserts and removals allocate nothing after warm-up. Client order id 0
 * means "none" and is never stored.
 */
final class ClientOrderIndex {
    private static final float LOAD_FACTOR = 0.5f;

    private long[] accounts;
    private long[] clientIds;
    private Order[] orders;
    private int mask;
    private int size;
    private int resizeThreshold;

    ClientOrderIndex(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(16, initialCapacity) * 2 - 1);
        allocate(capacity);
    }

    int size() {
        return size;
    }

    Order get(long account, long clientOrderId) {
        int i = slot(account, clientOrderId);
        while (orders[i] != null) {
            if (accounts[i] == account && clientIds[i] == clientOrderId) {
                return orders[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Stores the order under its (account, client order id); the caller has checked that the key is free. */
    void put(Order order) {
        if (size >= resizeThreshold) {
            rehash(orders.length * 2);
        }
        insert(order.account, order.clientOrderId, order);
        size++;
    }

    void remove(long account, long clientOrderId) {
        int i = slot(account, clientOrderId);
        while (orders[i] != null) {
            if (accounts[i] == account && clientIds[i] == clientOrderId) {
                deleteAt(i);
                size--;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    private void deleteAt(int hole) {
        orders[hole] = null;
        int i = (hole + 1) & mask;
        while (orders[i] != null) {
            int home = slot(accounts[i], clientIds[i]);
            // Move the entry back into the hole when its home slot does not lie cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                accounts[hole] = accounts[i];
                clientIds[hole] = clientIds[i];
                orders[hole] = orders[i];
                orders[i] = null;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    private void insert(long account, long clientOrderId, Order order) {
        int i = slot(account, clientOrderId);
        while (orders[i] != null) {
            i = (i + 1) & mask;
        }
        accounts[i] = account;
        clientIds[i] = clientOrderId;
        orders[i] = order;
    }

    private int slot(long account, long clientOrderId) {
        long h = account * 0x9E3779B97F4A7C15L + clientOrderId;
        h ^= h >>> 32;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    private void allocate(int capacity) {
        accounts = new long[capacity];
        clientIds = new long[capacity];
        orders = new Order[capacity];
        mask = capacity - 1;
        resizeThreshold = (int) (capacity * LOAD_FACTOR);
    }

    private void rehash(int capacity) {
        long[] oldAccounts = accounts;
        long[] oldClientIds = clientIds;
        Order[] oldOrders = orders;
        allocate(capacity);
        for (int i = 0; i < oldOrders.length; i++) {
            if (oldOrders[i] != null) {
                insert(oldAccounts[i], oldClientIds[i], oldOrders[i]);
            }
        }
    }
}
