package io.meridian.engine;

import io.meridian.auth.ClientOrderIds;
import io.meridian.matching.Order;
import io.meridian.matching.OrderBook;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

import java.util.Arrays;

/**
 * The client order id texts of open orders (docs/auth.md, "Client order ids"): the engine knows a client order id by
 * its 64-bit key ({@link Command#clientOrderId}), and keeps here, by order id, the text a client gave it as, so that
 * every later event about the order can tell its listener the text to echo ({@link EngineEvents#clientOrderText}),
 * also after a restart from a snapshot or on a replica. An order gets its entry when it is accepted (its command
 * carried a text) and loses it with its last event (filled, canceled or expired); orders whose id is a number, or who
 * have none, cost nothing. Part of the engine's state: in the state hash and in snapshots (both only while it holds
 * an entry, so an engine that never saw a text hashes and snapshots as before).
 *
 * <p>It also checks each command's text ({@link #check}: the allocation-free key function on the engine thread) and
 * knows the current command's, for the events of its own order before it rests and for its reject.
 *
 * <p>Layout: open addressing (linear probing, backward-shift deletion) from order id to text, grown by doubling (so
 * bounded by the open-order limits: at most every open order has one); the texts are the commands' own strings, so
 * keeping one allocates nothing. Engine thread.
 */
final class ClientOrderTexts {
    /** Format of {@link #writeSnapshot}; a reader for every earlier version stays in {@link #readSnapshot}. */
    static final int SNAPSHOT_VERSION = 1;
    private static final int INITIAL_BUCKETS = 64;
    /** A bucket without an entry (order ids are positive). */
    private static final long FREE = 0;

    private final ClientOrderIds.Keys keys = new ClientOrderIds.Keys();
    private long[] orderIds = new long[INITIAL_BUCKETS];
    private String[] texts = new String[INITIAL_BUCKETS];
    private int size;

    /** The current command's order id (a PLACE_ORDER's), client order id key and text; text null when none. */
    private long currentOrderId;
    private long currentKey;
    private String currentText;

    /** Forgets the previous command's text: called first for every command. */
    void begin() {
        currentOrderId = 0;
        currentKey = 0;
        currentText = null;
    }

    /**
     * Whether the command's text, if it has one, is a valid client order id whose key is its {@code clientOrderId};
     * if so, the text is the current command's from now on.
     */
    boolean check(Command c) {
        if (c.clientOrderText == null) {
            return true;
        }
        if (!keys.matches(c.clientOrderText, c.clientOrderId)) {
            return false;
        }
        currentOrderId = c.type == CommandType.PLACE_ORDER ? c.orderId : 0;
        currentKey = c.clientOrderId;
        currentText = c.clientOrderText;
        return true;
    }

    /** The text of the order named {@code orderId}, or null when its client order id is not a text. */
    String textOf(long orderId) {
        if (currentText != null && orderId == currentOrderId) {
            return currentText;
        }
        return size == 0 ? null : get(orderId);
    }

    /** The current command's text for its reject naming {@code clientOrderId}, or null. */
    String textOfRejected(long clientOrderId) {
        return currentText != null && clientOrderId == currentKey ? currentText : null;
    }

    /** An order was accepted: the current command's order keeps its text while it is open; returns its text or null. */
    String accepted(long orderId) {
        if (currentText == null || orderId != currentOrderId) {
            return null;
        }
        put(orderId, currentText);
        return currentText;
    }

    /** The order had its last event: its text goes. */
    void ended(long orderId) {
        if (size > 0) {
            remove(orderId);
        }
    }

    int size() {
        return size;
    }

    /** The text kept for an open order, or null. */
    String get(long orderId) {
        int mask = orderIds.length - 1;
        for (int b = bucket(orderId, mask); ; b = (b + 1) & mask) {
            long id = orderIds[b];
            if (id == orderId) {
                return texts[b];
            }
            if (id == FREE) {
                return null;
            }
        }
    }

    private void put(long orderId, String text) {
        if ((size + 1) * 2 > orderIds.length) {
            grow();
        }
        int mask = orderIds.length - 1;
        int b = bucket(orderId, mask);
        while (orderIds[b] != FREE && orderIds[b] != orderId) {
            b = (b + 1) & mask;
        }
        if (orderIds[b] == FREE) {
            size++;
        }
        orderIds[b] = orderId;
        texts[b] = text;
    }

    private void remove(long orderId) {
        int mask = orderIds.length - 1;
        int b = bucket(orderId, mask);
        while (orderIds[b] != orderId) {
            if (orderIds[b] == FREE) {
                return;
            }
            b = (b + 1) & mask;
        }
        size--;
        // Backward-shift deletion: entries after the hole that probed past it move back into it.
        int hole = b;
        for (int next = (hole + 1) & mask; orderIds[next] != FREE; next = (next + 1) & mask) {
            int home = bucket(orderIds[next], mask);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                orderIds[hole] = orderIds[next];
                texts[hole] = texts[next];
                hole = next;
            }
        }
        orderIds[hole] = FREE;
        texts[hole] = null;
    }

    private void grow() {
        long[] oldIds = orderIds;
        String[] oldTexts = texts;
        orderIds = new long[oldIds.length * 2];
        texts = new String[oldIds.length * 2];
        size = 0;
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] != FREE) {
                put(oldIds[i], oldTexts[i]);
            }
        }
    }

    private static int bucket(long orderId, int mask) {
        long h = orderId * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The order ids with a text, ascending (for the hash and snapshots: independent of the table's layout). */
    private long[] sortedIds() {
        long[] ids = new long[size];
        int n = 0;
        for (long id : orderIds) {
            if (id != FREE) {
                ids[n++] = id;
            }
        }
        Arrays.sort(ids);
        return ids;
    }

    /** Adds the entries, by order id, to the state hash; nothing at all while there is none. */
    void hashState(StateHasher hasher) {
        if (size == 0) {
            return;
        }
        hasher.add(size);
        for (long id : sortedIds()) {
            hasher.add(id).add(get(id));
        }
    }

    /** Whether there is anything to snapshot (an engine without texts writes no section, as before they existed). */
    boolean hasState() {
        return size > 0;
    }

    /** The entries by ascending order id: count, then order id and text each. */
    void writeSnapshot(SnapshotWriter out) {
        long[] ids = sortedIds();
        out.writeCount(ids.length);
        for (long id : ids) {
            out.writeVarLong(id);
            out.writeString(get(id));
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote, after the books: each entry must name an open order of one of them
     * whose client order id is the text's key.
     */
    void readSnapshot(SnapshotReader in, OrderBook[] books) {
        int count = in.readCount(2);
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long id = in.readVarLong();
            String text = in.readString();
            if (id <= previous) {
                throw in.fail("client order id text of order " + id + " out of order or there twice");
            }
            previous = id;
            Order order = null;
            for (OrderBook book : books) {
                order = book == null ? null : book.order(id);
                if (order != null) {
                    break;
                }
            }
            if (order == null || !keys.matches(text, order.clientOrderId())) {
                throw in.fail("client order id text of order " + id + ": no such open order, or not the key of its"
                        + " client order id");
            }
            put(id, text);
        }
    }
}
