package io.meridian.risk.margin;

import io.meridian.model.FixedPoint;

/**
 * Amount x rate-in-ppm products rounded once, exactly and without allocation. The amount is split as
 * {@code whole x 1e6 + part} with {@code 0 <= part < 1e6}, so {@code amount x rate / 1e6 = whole x rate + part x rate / 1e6}:
 * the first term is an integer (checked multiplication) and only the second, which always fits a long, is divided.
 * This avoids the 128-bit path of {@link FixedPoint}, which allocates, for the common ppm case.
 */
final class Ppm {
    static final long ONE = FixedPoint.PPM;

    private Ppm() {
    }

    /** ceil(amount x ratePpm / 1e6) for any signs; a negative result is rounded toward zero, i.e. up. */
    static long mulCeil(long amount, long ratePpm) {
        long whole = Math.floorDiv(amount, ONE);
        long part = Math.floorMod(amount, ONE);
        return Math.addExact(Math.multiplyExact(whole, ratePpm), ceilDiv(Math.multiplyExact(part, ratePpm), ONE));
    }

    /** floor(amount x ratePpm / 1e6) for any signs. */
    static long mulFloor(long amount, long ratePpm) {
        long whole = Math.floorDiv(amount, ONE);
        long part = Math.floorMod(amount, ONE);
        return Math.addExact(Math.multiplyExact(whole, ratePpm), Math.floorDiv(Math.multiplyExact(part, ratePpm), ONE));
    }

    /** ceil(x / d) for d > 0 (Java 17 has no Math.ceilDiv). */
    static long ceilDiv(long x, long d) {
        long q = Math.floorDiv(x, d);
        return Math.floorMod(x, d) == 0 ? q : q + 1;
    }
}
