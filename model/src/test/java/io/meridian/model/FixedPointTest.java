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
}
