package io.meridian.engine;

import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

import java.util.Arrays;

/**
 * Idempotency of order entry: the outcome of the newest {@link #capacity} orders placed with a client order id, by
 * (account, client order id). A PLACE_ORDER whose key is here is a resend: the engine answers it with the original
 * outcome and applies nothing ({@link CommandOutcome#duplicate()}). Part of the engine's state: in the state hash
 * and in snapshots, so a replica, a replay and a restarted node recognise the same resends.
 *
 * <p>Layout: a ring of records in placement order (the oldest is evicted when full) and an open-addressing index
 * (linear probing, backward-shift deletion) from key to ring slot. Grows by doubling up to the capacity, so an engine
 * that never sees client order ids holds almost nothing; garbage-free once grown. Engine thread.
 */
final class RecentOrders {
    static final int DEFAULT_CAPACITY = 200_000;
    /** Format of {@link #writeSnapshot}; a reader for every earlier version stays in {@link #readSnapshot}. */
    static final int SNAPSHOT_VERSION = 1;
    private static final int EMPTY = -1;
    private static final int CANCELED = 1 << 30;
    private static final int CODE_MASK = CANCELED - 1;

    private final int capacity;
    // The ring: slot i holds one record; head is the oldest, size the number held.
    private long[] accounts;
    private long[] clientOrderIds;
    private long[] orderIds;
    private long[] sequences;
    private long[] filled;
    private long[] resting;
    /** The reject's numeric code (stable across builds; 0: accepted), and the top bit: an order was canceled. */
    private int[] flags;
    private int head;
    private int size;
    /** Open-addressing index: ring slot per bucket, {@link #EMPTY} when free; length a power of two >= 2 x ring. */
    private int[] index;

    RecentOrders(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        allocate(Math.min(capacity, 64));
    }

    private void allocate(int ringLength) {
        accounts = new long[ringLength];
        clientOrderIds = new long[ringLength];
        orderIds = new long[ringLength];
        sequences = new long[ringLength];
        filled = new long[ringLength];
        resting = new long[ringLength];
        flags = new int[ringLength];
        index = new int[Integer.highestOneBit(ringLength * 2 - 1) << 1];
        Arrays.fill(index, EMPTY);
    }

    int size() {
        return size;
    }

    /** Fills {@code into} with the recorded outcome of (account, client order id) as a duplicate; false when absent. */
    boolean find(long account, long clientOrderId, CommandOutcome into) {
        int slot = slotOf(account, clientOrderId);
        if (slot == EMPTY) {
            return false;
        }
        int f = flags[slot];
        into.duplicateOf(account, clientOrderId, orderIds[slot], sequences[slot],
                (f & CODE_MASK) == 0 ? null : RejectReason.ofCode(f & CODE_MASK), filled[slot], resting[slot],
                (f & CANCELED) != 0);
        return true;
    }

    /** Records the outcome of a PLACE_ORDER with a client order id, evicting the oldest record when full. */
    void record(CommandOutcome outcome) {
        if (slotOf(outcome.account(), outcome.clientOrderId()) != EMPTY) {
            return;
        }
        if (size == accounts.length) {
            if (accounts.length < capacity) {
                grow();
            } else {
                evictOldest();
            }
        }
        append(outcome.account(), outcome.clientOrderId(), outcome.orderId(), outcome.sequence(),
                outcome.filledQuantity(), outcome.restingQuantity(),
                (outcome.reject() == null ? 0 : outcome.reject().code()) | (outcome.canceled() ? CANCELED : 0));
    }

    /** Adds a record after the newest; there must be room (the caller grows or evicts first). */
    private void append(long account, long clientOrderId, long orderId, long sequence, long filledQuantity,
                        long restingQuantity, int flag) {
        int slot = (head + size) % accounts.length;
        accounts[slot] = account;
        clientOrderIds[slot] = clientOrderId;
        orderIds[slot] = orderId;
        sequences[slot] = sequence;
        filled[slot] = filledQuantity;
        resting[slot] = restingQuantity;
        flags[slot] = flag;
        size++;
        insert(slot);
    }

    private void grow() {
        int n = size;
        long[][] old = {accounts, clientOrderIds, orderIds, sequences, filled, resting};
        int[] oldFlags = flags;
        int oldHead = head;
        int oldLength = accounts.length;
        allocate((int) Math.min(capacity, (long) oldLength * 2));
        for (int i = 0; i < n; i++) {
            int from = (oldHead + i) % oldLength;
            accounts[i] = old[0][from];
            clientOrderIds[i] = old[1][from];
            orderIds[i] = old[2][from];
            sequences[i] = old[3][from];
            filled[i] = old[4][from];
            resting[i] = old[5][from];
            flags[i] = oldFlags[from];
            insert(i);
        }
        head = 0;
    }

    private void evictOldest() {
        remove(head);
        head = (head + 1) % accounts.length;
        size--;
    }

    private int bucket(long account, long clientOrderId) {
        long h = account * 0x9E3779B97F4A7C15L ^ clientOrderId * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        return (int) h & (index.length - 1);
    }

    private int slotOf(long account, long clientOrderId) {
        int mask = index.length - 1;
        for (int b = bucket(account, clientOrderId); ; b = (b + 1) & mask) {
            int slot = index[b];
            if (slot == EMPTY) {
                return EMPTY;
            }
            if (accounts[slot] == account && clientOrderIds[slot] == clientOrderId) {
                return slot;
            }
        }
    }

    private void insert(int slot) {
        int mask = index.length - 1;
        int b = bucket(accounts[slot], clientOrderIds[slot]);
        while (index[b] != EMPTY) {
            b = (b + 1) & mask;
        }
        index[b] = slot;
    }

    /** Removes the index entry of ring slot {@code slot}, shifting back the entries its removal would strand. */
    private void remove(int slot) {
        int mask = index.length - 1;
        int b = bucket(accounts[slot], clientOrderIds[slot]);
        while (index[b] != slot) {
            b = (b + 1) & mask;
        }
        int hole = b;
        for (int next = (hole + 1) & mask; index[next] != EMPTY; next = (next + 1) & mask) {
            int home = bucket(accounts[index[next]], clientOrderIds[index[next]]);
            // Move the entry back into the hole unless its home lies cyclically in (hole, next].
            boolean stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!stays) {
                index[hole] = index[next];
                hole = next;
            }
        }
        index[hole] = EMPTY;
    }

    /** The records oldest first; part of the engine's state hash. */
    void hashState(StateHasher hasher) {
        hasher.add(size);
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % accounts.length;
            hasher.add(accounts[slot]).add(clientOrderIds[slot]).add(orderIds[slot]).add(sequences[slot])
                    .add(filled[slot]).add(resting[slot]).add(flags[slot]);
        }
    }

    /**
     * Writes the records oldest first (version {@value #SNAPSHOT_VERSION}): account, client order id, order id,
     * sequence, filled, resting, and the reject code with the canceled bit. The capacity is the build's, not written.
     */
    void writeSnapshot(SnapshotWriter out) {
        out.writeCount(size);
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % accounts.length;
            out.writeVarLong(accounts[slot]);
            out.writeVarLong(clientOrderIds[slot]);
            out.writeVarLong(orderIds[slot]);
            out.writeVarLong(sequences[slot]);
            out.writeVarLong(filled[slot]);
            out.writeVarLong(resting[slot]);
            out.writeVarInt(flags[slot]);
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into this table, which must be empty. Refuses a record twice, an
     * unknown reject code, and more records than the capacity (the oldest would have been evicted).
     */
    void readSnapshot(SnapshotReader in) {
        if (size != 0) {
            throw new IllegalStateException("a snapshot is restored into an empty table only");
        }
        int count = in.readCount(7);
        if (count > capacity) {
            throw in.fail(count + " recent orders, more than the " + capacity + " this build keeps");
        }
        while (accounts.length < count) {
            grow();
        }
        for (int i = 0; i < count; i++) {
            long account = in.readVarLong();
            long clientOrderId = in.readVarLong();
            if (slotOf(account, clientOrderId) != EMPTY) {
                throw in.fail("recent order " + account + "/" + clientOrderId + " is there twice");
            }
            long orderId = in.readVarLong();
            long sequence = in.readVarLong();
            long filledQuantity = in.readVarLong();
            long restingQuantity = in.readVarLong();
            int f = in.readVarInt();
            if ((f & CODE_MASK) != 0 && RejectReason.ofCode(f & CODE_MASK) == null || (f & ~(CODE_MASK | CANCELED)) != 0) {
                throw in.fail("recent order " + account + "/" + clientOrderId + " has flags " + f);
            }
            append(account, clientOrderId, orderId, sequence, filledQuantity, restingQuantity, f);
        }
    }
}
