package io.meridian.node.history;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The records that left a history, kept for the next ones it needs, so that a history at its bounds (where every new
 * record pushes an old one out) makes nothing per record and promotes nothing to the old generation. Keeps at most
 * {@code max}: a burst of departures (a whole account dropped) beyond that goes to the collector.
 *
 * <p>Engine thread only, like the histories.
 *
 * @param <T> the history's mutable record
 */
final class SpareRecords<T> {
    private final ArrayDeque<T> spare = new ArrayDeque<>();
    private final int max;
    private final Supplier<T> factory;
    private final Consumer<T> clear;
    private long made;

    /**
     * @param clear empties a record that leaves (drops what another record must not show, and what it holds alive)
     */
    SpareRecords(int max, Supplier<T> factory, Consumer<T> clear) {
        this.max = max;
        this.factory = factory;
        this.clear = clear;
    }

    /** A record for the history's next entry: a kept one, else a new one. Its caller sets what it shows. */
    T take() {
        if (spare.isEmpty()) {
            made++;
            return factory.get();
        }
        return spare.pop();
    }

    /** Takes back a record that left the history: cleared and kept while fewer than the bound are. */
    void giveBack(T record) {
        if (spare.size() < max) {
            clear.accept(record);
            spare.push(record);
        }
    }

    /** Records kept now. */
    int size() {
        return spare.size();
    }

    /** Records made since the start (those reused not counted). */
    long made() {
        return made;
    }
}
