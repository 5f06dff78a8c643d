package io.meridian.model;

/**
 * Integer arithmetic for money and prices with the rounding written down at each call site.
 * Products go through 128 bits ({@link Math#multiplyHigh}) so that price x quantity x rate never overflows
 * silently; a result that does not fit a long throws {@link ArithmeticException}, which inside the engine
 * means a configuration that should have been rejected, i.e. a bug. Nothing here allocates.
 */
public final class FixedPoint {
    /** Parts per million: rates and bands are integers in ppm. */
    public static final long PPM = 1_000_000L;

    private FixedPoint() {
    }

    /** 10^exponent for 0 <= exponent <= 18. */
    public static long pow10(int exponent) {
        if (exponent < 0 || exponent > 18) {
            throw new IllegalArgumentException("exponent out of range: " + exponent);
        }
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= 10;
        }
        return result;
    }

    /** floor(a x b / c) for c > 0, exact over the full 128-bit product. */
    public static long mulDivFloor(long a, long b, long c) {
        return mulDiv(a, b, c, false);
    }

    /** ceil(a x b / c) for c > 0, exact over the full 128-bit product. */
    public static long mulDivCeil(long a, long b, long c) {
        return mulDiv(a, b, c, true);
    }

    static long mulDiv(long a, long b, long c, boolean ceil) {
        if (c <= 0) {
            throw new ArithmeticException("divisor must be positive");
        }
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            long quotient = Math.floorDiv(lo, c);
            return ceil && Math.floorMod(lo, c) != 0 ? quotient + 1 : quotient;
        }
        return divide128(hi, lo, c, ceil);
    }

    /**
     * The path where the product needs more than 64 bits: {@code (hi:lo)} is the signed 128-bit product. Divides its
     * magnitude by {@code c} with a 64-step shift-and-subtract (restoring division), then applies the sign and the
     * rounding. Allocates nothing, so callers on the engine's hot path (the impact price of every mark update) may
     * reach it; 64 iterations of a few long operations each, and only when the product exceeds a long.
     */
    private static long divide128(long hi, long lo, long c, boolean ceil) {
        boolean negative = hi < 0;
        long high = hi;
        long low = lo;
        if (negative) {
            // Two's complement negation of the 128-bit value: the magnitude is below 2^127, so it cannot overflow.
            low = -lo;
            high = ~hi + (lo == 0 ? 1 : 0);
        }
        if (Long.compareUnsigned(high, c) >= 0) {
            throw new ArithmeticException("quotient does not fit a long");
        }
        // Invariant: remainder < c < 2^63, so shifting it left by one never loses a bit.
        long remainder = high;
        long quotient = 0;
        for (int bit = 63; bit >= 0; bit--) {
            remainder = (remainder << 1) | ((low >>> bit) & 1);
            quotient <<= 1;
            if (Long.compareUnsigned(remainder, c) >= 0) {
                remainder -= c;
                quotient |= 1;
            }
        }
        // quotient is the unsigned magnitude of the truncated quotient (below 2^64).
        boolean inexact = remainder != 0;
        if (!negative) {
            if (quotient < 0 || ceil && inexact && quotient == Long.MAX_VALUE) {
                throw new ArithmeticException("quotient does not fit a long");
            }
            return ceil && inexact ? quotient + 1 : quotient;
        }
        if (ceil || !inexact) {
            // -quotient fits when quotient <= 2^63 (2^63 itself is Long.MIN_VALUE).
            if (quotient < 0 && quotient != Long.MIN_VALUE) {
                throw new ArithmeticException("quotient does not fit a long");
            }
            return -quotient;
        }
        if (quotient < 0) {
            throw new ArithmeticException("quotient does not fit a long");
        }
        return -quotient - 1;
    }
}
