package io.meridian.node.codec;

import io.meridian.model.BookSnapshot;
import io.meridian.model.InstrumentSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Integer units of a decimal step (ticks of a tick size, lots of a lot size) as the API's decimal text, the one
 * formatting every answer uses (REST, WebSocket, FIX): {@link #decimal} is the reference (the product, trailing zeros
 * stripped, plain notation); {@link #format} and {@link #append} give the same text without {@link BigDecimal}
 * arithmetic on the hot path and fall back to the reference on overflow. Stateless.
 */
public final class Decimals {
    private Decimals() {
    }

    /** {@code units * unit} as plain decimal text without trailing zeros: the reference the fast paths must equal. */
    public static String decimal(long units, BigDecimal unit) {
        return unit.multiply(BigDecimal.valueOf(units)).stripTrailingZeros().toPlainString();
    }

    /** A price in ticks as the instrument's decimal. */
    public static String price(long ticks, InstrumentSpec spec) {
        return decimal(ticks, spec.tickSize());
    }

    /** A quantity in lots as the instrument's decimal. */
    public static String quantity(long lots, InstrumentSpec spec) {
        return decimal(lots, spec.lotSize());
    }

    /** Minor units of an asset of {@code scale} decimals, with all of them (as balances show money). */
    public static String amount(long minor, int scale) {
        return BigDecimal.valueOf(minor, scale).toPlainString();
    }

    /** Book levels as {@code [[price, quantity], ...]} decimals, as the REST book and the WebSocket snapshot show them. */
    public static List<List<String>> levels(List<BookSnapshot.Level> levels, InstrumentSpec spec) {
        List<List<String>> out = new ArrayList<>(levels.size());
        for (BookSnapshot.Level level : levels) {
            out.add(List.of(price(level.price(), spec), quantity(level.quantity(), spec)));
        }
        return out;
    }

    /** A decimal step as its unscaled value and scale, for {@link #format}. */
    public record Step(BigDecimal unit, long unscaled, int scale) {
        /** The step of {@code unit}. */
        public static Step of(BigDecimal unit) {
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
    public static String format(long units, Step step) {
        StringBuilder out = new StringBuilder(24);
        append(out, units, step);
        return out.toString();
    }

    /** Appends {@code units * step} as {@link #format} writes it. */
    public static void append(StringBuilder out, long units, Step step) {
        if (step.unscaled() == 0) {
            // A step whose unscaled value does not fit a long.
            out.append(decimal(units, step.unit()));
            return;
        }
        long value;
        try {
            value = Math.multiplyExact(units, step.unscaled());
        } catch (ArithmeticException e) {
            out.append(decimal(units, step.unit()));
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
            out.append(decimal(units, step.unit()));
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
