package io.meridian.pricing.options;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one place where a model result (a double) becomes a fixed-point long for the engine. Rounding is done on
 * the exact binary value of the double (every finite double is an exact decimal fraction), half-even, so the
 * result depends only on the bits of the input: deterministic across platforms, and never rounded twice.
 */
public final class FixedRounding {
    /** The largest scale accepted: 10^18 is the largest power of ten a long holds. */
    public static final int MAX_SCALE = 18;

    private FixedRounding() {
    }

    /**
     * {@code round_half_even(value * 10^scale)} as a long. E.g. {@code toFixed(2.1334, 4) == 21334} and
     * {@code toFixed(0.5, 0) == 0} (tie to even).
     *
     * @param scale number of decimal places, 0..{@link #MAX_SCALE}
     * @throws IllegalArgumentException when the value is NaN or infinite, or the scale is out of range
     * @throws ArithmeticException when the rounded result does not fit in a long
     */
    public static long toFixed(double value, int scale) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite: " + value);
        }
        if (scale < 0 || scale > MAX_SCALE) {
            throw new IllegalArgumentException("scale must be in [0, " + MAX_SCALE + "]: " + scale);
        }
        BigDecimal exact = new BigDecimal(value);
        BigDecimal scaled = exact.movePointRight(scale).setScale(0, RoundingMode.HALF_EVEN);
        try {
            return scaled.longValueExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException("value " + value + " at scale " + scale + " overflows a long");
        }
    }
}
