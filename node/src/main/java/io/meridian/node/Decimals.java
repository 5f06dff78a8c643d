package io.meridian.node;

import java.math.BigDecimal;

/**
 * Integer units of a decimal step (ticks of a tick size, lots of a lot size) as the API's decimal text, without
 * {@link BigDecimal} arithmetic on the hot path: the same text as {@link MarketData#decimal} (the product, trailing
 * zeros stripped, plain notation), which stays the reference and the fallback on overflow. Stateless.
 */
final class Decimals {
    private Decimals() {
    }

    /** A decimal step as its unscaled value and scale, for {@link #format}. */
    record Step(BigDecimal unit, long unscaled, int scale) {
        static Step of(BigDecimal unit) {
            long unscaled;
            try {
                unscaled = unit.unscaledValue().longValueExact();
            } catch (ArithmeticException e) {
                unscaled = 0;
            }
            return new Step(unit, unscaled, unit.scale());
        }
    }

    /** {@code units * step} as plain decimal text with no trailing zeros ("0" for zero). */
    static String format(long units, Step step) {
        StringBuilder out = new StringBuilder(24);
        append(out, units, step);
        return out.toString();
    }

    /** Appends {@code units * step} as {@link #format} writes it. */
    static void append(StringBuilder out, long units, Step step) {
        if (step.unscaled() == 0) {
            // A step whose unscaled value does not fit a long.
            out.append(MarketData.decimal(units, step.unit()));
            return;
        }
        long value;
        try {
            value = Math.multiplyExact(units, step.unscaled());
        } catch (ArithmeticException e) {
            out.append(MarketData.decimal(units, step.unit()));
            return;
        }
        int scale = step.scale();
        if (value == 0) {
            out.append('0');
            return;
        }
        while (scale > 0 && value % 10 == 0) {
            value /= 10;
            scale--;
        }
        if (scale <= 0) {
            out.append(value);
            for (int i = 0; i < -scale; i++) {
                out.append('0');
            }
            return;
        }
        if (value == Long.MIN_VALUE) {
            out.append(MarketData.decimal(units, step.unit()));
            return;
        }
        if (value < 0) {
            out.append('-');
            value = -value;
        }
        String digits = Long.toString(value);
        int integer = digits.length() - scale;
        if (integer <= 0) {
            out.append("0.");
            for (int i = 0; i < -integer; i++) {
                out.append('0');
            }
            out.append(digits);
        } else {
            out.append(digits, 0, integer).append('.').append(digits, integer, digits.length());
        }
    }
}
