package io.meridian.model;

import java.math.BigInteger;

/**
 * Integer arithmetic for money and prices with the rounding written down at each call site.
 * Products go through 128 bits ({@link Math#multiplyHigh}) so that price x quantity x rate never overflows
 * silently; a result that does not fit a long throws {@link ArithmeticException}, which inside the engine
 * means a configuration that should have been rejected, i.e. a bug.
 */
public final class FixedPoint {
    /** Parts per million: rates and bands are integers in ppm. */
    public static final long PPM = 1_000_000L;
    private static final BigInteger LOW_64_BITS = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

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

    private static long mulDiv(long a, long b, long c, boolean ceil) {
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

    /** The rare path where the product needs more than 64 bits; allocates, so it stays off the common path. */
    private static long divide128(long hi, long lo, long c, boolean ceil) {
        BigInteger product = BigInteger.valueOf(hi).shiftLeft(64).or(BigInteger.valueOf(lo).and(LOW_64_BITS));
        BigInteger[] qr = product.divideAndRemainder(BigInteger.valueOf(c));
        BigInteger q = qr[0];
        if (qr[1].signum() < 0) {
            q = q.subtract(BigInteger.ONE);
        }
        if (ceil && qr[1].signum() != 0) {
            q = q.add(BigInteger.ONE);
        }
        return q.longValueExact();
    }
}
