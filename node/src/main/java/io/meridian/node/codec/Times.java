package io.meridian.node.codec;

import java.util.Map;

/**
 * Times in REST answers (docs/api.md, "Conventions"), as the streams give them ("Stamps and times"): the engine's epoch
 * nanoseconds are above 2^53, which a JavaScript number cannot hold exactly, so a time is epoch milliseconds as a JSON
 * number, and where the nanoseconds matter they are given beside it as a decimal string: a record's {@code time} (ms)
 * with {@code timestamp} (ns, string), any other time {@code x} (ms) with {@code xNanos} (ns, string). Milliseconds are
 * rounded down. Stateless.
 */
public final class Times {
    private Times() {
    }

    /** Epoch nanoseconds to milliseconds (rounded down). */
    public static long millis(long nanos) {
        return Math.floorDiv(nanos, 1_000_000L);
    }

    /**
     * Puts the time {@code nanos} under {@code name} and its twin: {@code timestamp} (ns, a string) then {@code time}
     * (ms); any other {@code name} in ms then {@code nameNanos} (ns, a string). Both null when {@code nanos} is null.
     */
    public static void put(Map<String, Object> into, String name, Long nanos) {
        String exact = nanos == null ? null : Long.toString(nanos);
        Long ms = nanos == null ? null : millis(nanos);
        if (name.equals("timestamp")) {
            into.put(name, exact);
            into.put("time", ms);
        } else {
            into.put(name, ms);
            into.put(name + "Nanos", exact);
        }
    }

    /** As {@link #put(Map, String, Long)}, with 0 meaning none (both null). */
    public static void putOrNull(Map<String, Object> into, String name, long nanos) {
        put(into, name, nanos == 0 ? null : nanos);
    }

}
