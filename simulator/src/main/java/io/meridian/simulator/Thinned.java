package io.meridian.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * At most {@code capacity} items of a stream of unknown length, spread evenly over it: every item until the list is
 * full, then every second one (the list keeps every other item it had), then every fourth, and so on. Deterministic;
 * memory is bounded by the capacity. Single-threaded.
 */
final class Thinned<T> {
    private final int capacity;
    private final List<T> kept = new ArrayList<>();
    private long seen;
    private long every = 1;

    Thinned(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2");
        }
        this.capacity = capacity;
    }

    void add(T item) {
        long ordinal = seen++;
        if (ordinal % every != 0) {
            return;
        }
        if (kept.size() == capacity) {
            // Every kept item's ordinal is a multiple of every; those at even positions are the multiples of 2 x every.
            int at = 0;
            for (int i = 0; i < kept.size(); i += 2) {
                kept.set(at++, kept.get(i));
            }
            kept.subList(at, kept.size()).clear();
            every *= 2;
            if (ordinal % every != 0) {
                return;
            }
        }
        kept.add(item);
    }

    /** Every how many items one is kept (1 until the first thinning). */
    long every() {
        return every;
    }

    /** The items kept, in order (a copy). */
    List<T> items() {
        return List.copyOf(kept);
    }
}
