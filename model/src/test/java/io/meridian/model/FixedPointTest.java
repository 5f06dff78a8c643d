package io.meridian.model;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FixedPointTest {

    @Test
    void roundsInTheStatedDirection() {
        assertEquals(3, FixedPoint.mulDivFloor(7, 1, 2));
        assertEquals(4, FixedPoint.mulDivCeil(7, 1, 2));
        assertEquals(-4, FixedPoint.mulDivFloor(-7, 1, 2));
        assertEquals(-3, FixedPoint.mulDivCeil(-7, 1, 2));
        assertEquals(Long.MAX_VALUE, FixedPoint.mulDivFloor(Long.MAX_VALUE, 1_000_000, 1_000_000), "128-bit product");
        assertThrows(ArithmeticException.class, () -> FixedPoint.mulDivFloor(Long.MAX_VALUE, 3, 2));
        assertThrows(ArithmeticException.class, () -> FixedPoint.mulDivFloor(1, 1, 0));
    }

    @Property(tries = 5000)
    void matchesBigIntegerArithmetic(@ForAll long a, @ForAll @LongRange(min = -10_000_000, max = 10_000_000) long b,
                                     @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long c) {
        BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        BigInteger floor = new BigDecimal(product).divide(new BigDecimal(c), 0, RoundingMode.FLOOR)
                .toBigIntegerExact();
        BigInteger ceil = new BigDecimal(product).divide(new BigDecimal(c), 0, RoundingMode.CEILING)
                .toBigIntegerExact();
        if (floor.bitLength() < 64) {
            assertEquals(floor.longValueExact(), FixedPoint.mulDivFloor(a, b, c));
        }
        if (ceil.bitLength() < 64) {
            assertEquals(ceil.longValueExact(), FixedPoint.mulDivCeil(a, b, c));
        }
    }

    /** The 128-bit path (products beyond a long, both signs, quotients near the limits) against BigDecimal. */
    @Property(tries = 20000, seed = "15")
    void wideProductsMatchBigIntegerArithmetic(@ForAll long a, @ForAll long b,
                                               @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long c) {
        BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        for (boolean ceil : new boolean[] {false, true}) {
            BigInteger expected = new BigDecimal(product).divide(new BigDecimal(c), 0,
                    ceil ? RoundingMode.CEILING : RoundingMode.FLOOR).toBigIntegerExact();
            if (expected.bitLength() < 64) {
                assertEquals(expected.longValueExact(), ceil ? FixedPoint.mulDivCeil(a, b, c)
                        : FixedPoint.mulDivFloor(a, b, c), a + " x " + b + " / " + c);
            } else {
                assertThrows(ArithmeticException.class, () -> FixedPoint.mulDiv(a, b, c, ceil));
            }
        }
    }

    @Test
    void wideProductsAtTheLimits() {
        assertEquals(Long.MIN_VALUE, FixedPoint.mulDivFloor(Long.MIN_VALUE, 3, 3));
        assertEquals(Long.MIN_VALUE, FixedPoint.mulDivCeil(Long.MIN_VALUE, 3, 3));
        // -(2^63 - 1) x 2^62 / 2^62 (a 128-bit product) is exact; with 2^62 + 1 it is -(2^63 - 1) + 1.99...
        assertEquals(-Long.MAX_VALUE, FixedPoint.mulDivFloor(-Long.MAX_VALUE, 1L << 62, 1L << 62));
        assertEquals(-Long.MAX_VALUE + 2, FixedPoint.mulDivCeil(-Long.MAX_VALUE, 1L << 62, (1L << 62) + 1));
        assertEquals(-Long.MAX_VALUE + 1, FixedPoint.mulDivFloor(-Long.MAX_VALUE, 1L << 62, (1L << 62) + 1));
        assertThrows(ArithmeticException.class, () -> FixedPoint.mulDivFloor(Long.MIN_VALUE, 3, 2));
        assertThrows(ArithmeticException.class, () -> FixedPoint.mulDivCeil(Long.MAX_VALUE, Long.MAX_VALUE, 2));
    }
}
