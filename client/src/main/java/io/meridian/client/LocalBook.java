package io.meridian.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An instrument's L2 book kept from the node's WebSocket stream: a snapshot, then deltas applied only when their
 * {@code prev} is the last sequence applied (docs/api.md, "Book stream"). A delta that does not follow marks the book
 * out of sync ({@link #apply} returns false) and the caller subscribes again for a fresh snapshot. At a depth N it
 * holds exactly the top N levels of each side: the node sends the levels that leave the window as removals and those
 * that rise into it from below as additions. Not thread-safe: one stream.
 */
public final class LocalBook {
    private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private long applied = -1;
    private boolean synced;

    /** Replaces the book with a {@code snapshot} message. */
    public void snapshot(JsonNode snapshot) {
        bids.clear();
        asks.clear();
        levels(bids, snapshot.get("bids"));
        levels(asks, snapshot.get("asks"));
        applied = snapshot.get("l2Sequence").asLong();
        synced = true;
    }

    /**
     * Applies a {@code book} delta. Returns false, and leaves the book out of sync, when it does not follow the last
     * one applied (a gap): resubscribe.
     */
    public boolean apply(JsonNode delta) {
        if (!synced || delta.get("prev").asLong() != applied) {
            synced = false;
            return false;
        }
        levels(bids, delta.get("bids"));
        levels(asks, delta.get("asks"));
        applied = delta.get("last").asLong();
        return true;
    }

    private static void levels(NavigableMap<BigDecimal, BigDecimal> side, JsonNode levels) {
        for (JsonNode level : levels) {
            BigDecimal price = new BigDecimal(level.get(0).asText());
            BigDecimal quantity = new BigDecimal(level.get(1).asText());
            if (quantity.signum() == 0) {
                side.remove(price);
            } else {
                side.put(price, quantity);
            }
        }
    }

    public boolean synced() {
        return synced;
    }

    /**
     * The l2 sequence the book is at: the {@code last} of the last delta applied (or the snapshot's). At a depth below
     * the book's, commands that change nothing within the window send no delta, so this may lag the node's book while
     * the window is current.
     */
    public long sequence() {
        return applied;
    }

    /** Bids best first (price to quantity); a read-only view. */
    public NavigableMap<BigDecimal, BigDecimal> bids() {
        return Collections.unmodifiableNavigableMap(bids);
    }

    /** Asks best first; a read-only view. */
    public NavigableMap<BigDecimal, BigDecimal> asks() {
        return Collections.unmodifiableNavigableMap(asks);
    }
}
