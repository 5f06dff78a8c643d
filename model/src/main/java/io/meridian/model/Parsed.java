package io.meridian.model;

/**
 * Result of turning an edge value (a decimal string) into an integer: either a value or a reject reason.
 * Used at the edge only, where one small allocation per field is fine; the core never parses.
 */
public record Parsed(long value, RejectReason reject) {

    public static Parsed ok(long value) {
        return new Parsed(value, null);
    }

    public static Parsed rejected(RejectReason reason) {
        return new Parsed(0, reason);
    }

    public boolean isOk() {
        return reject == null;
    }
}
