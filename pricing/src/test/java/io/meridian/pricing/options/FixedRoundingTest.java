package io.meridian.pricing.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FixedRoundingTest {
    @Test
    void scalesAndRoundsHalfEvenOnTheExactBinaryValue() {
        assertEquals(21334, FixedRounding.toFixed(2.1334, 4));
        assertEquals(21334, FixedRounding.toFixed(2.1333684449162043, 4));
        assertEquals(0, FixedRounding.toFixed(0.5, 0));
        assertEquals(2, FixedRounding.toFixed(1.5, 0));
        assertEquals(2, FixedRounding.toFixed(2.5, 0));
        assertEquals(0, FixedRounding.toFixed(-0.5, 0));
        assertEquals(-2, FixedRounding.toFixed(-1.5, 0));
        // 0.125 and 0.375 are exact in binary: true ties, to even.
        assertEquals(12, FixedRounding.toFixed(0.125, 2));
        assertEquals(38, FixedRounding.toFixed(0.375, 2));
        // 2.675 is 2.67499999999999982236431605997495353221893310546875 in binary: no tie, rounds down.
        assertEquals(267, FixedRounding.toFixed(2.675, 2));
        assertEquals(-123_456_789_012L, FixedRounding.toFixed(-1234.56789012, 8));
        assertEquals(1_000_000_000_000_000_000L, FixedRounding.toFixed(1.0, 18));
        assertEquals(0, FixedRounding.toFixed(1e-300, 18));
    }

    @Test
    void rejectsNonFiniteBadScaleAndOverflow() {
        assertThrows(IllegalArgumentException.class, () -> FixedRounding.toFixed(Double.NaN, 2));
        assertThrows(IllegalArgumentException.class, () -> FixedRounding.toFixed(Double.POSITIVE_INFINITY, 2));
        assertThrows(IllegalArgumentException.class, () -> FixedRounding.toFixed(1.0, -1));
        assertThrows(IllegalArgumentException.class, () -> FixedRounding.toFixed(1.0, 19));
        assertThrows(ArithmeticException.class, () -> FixedRounding.toFixed(1e19, 0));
        assertThrows(ArithmeticException.class, () -> FixedRounding.toFixed(10.0, 18));
        assertThrows(ArithmeticException.class, () -> FixedRounding.toFixed(-9.3e18, 0));
        assertEquals(9_200_000_000_000_000_000L, FixedRounding.toFixed(9.2e18, 0));
    }
}
