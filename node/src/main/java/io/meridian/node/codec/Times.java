package io.meridian.node.codec;

import java.util.Map;

/**
 * Times in REST answers (docs/api.md, "Conventions"): the engine's epoch nanoseconds are above 2^53, which a JavaScript
 * number cannot hold exactly, so a nanosecond time is written as a decimal string, and beside it the same instant in
 * epoch milliseconds as a JSON number: {@code timestamp} (ns, string) with {@code time} (ms), {@code xTimestamp} with
 * {@code xTime}, any other name {@code x} with {@code xMs}. Milliseconds are rounded down. Stateless.
 */
public final class Times {
    private Times() {
    }

    /** Epoch nanoseconds to milliseconds (rounded down). */
    public static long millis(long nanos) {
        return Math.floorDiv(nanos, 1_000_000L);
    }

    /** Puts {@code name} (ns as a string) and its milliseconds twin; both null when {@code nanos} is null. */
    public static void put(Map<String, Object> into, String name, Long nanos) {
        into.put(name, nanos == null ? null : Long.toString(nanos));
        into.put(twin(name), nanos == null ? null : millis(nanos));
    }

    /** As {@link #put(Map, String, Long)}, with 0 meaning none (both null). */
    public static void putOrNull(Map<String, Object> into, String name, long nanos) {
        put(into, name, nanos == 0 ? null : nanos);
    }

    /** The name of a nanosecond field's milliseconds twin (see the class comment). */
    public static String twin(String name) {
        if (name.equals("timestamp")) {
            return "time";
        }
        return name.endsWith("Timestamp") ? name.substring(0, name.length() - "stamp".length()) : name + "Ms";
    }
}
