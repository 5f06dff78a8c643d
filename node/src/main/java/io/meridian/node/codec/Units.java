package io.meridian.node.codec;

import java.math.BigDecimal;

/**
 * Decimals into whole numbers of a unit (a price into ticks, a quantity into lots, an amount into an asset's minor
 * units), the one conversion REST, WebSocket and FIX share: exact or refused, never rounded. The decimal has passed
 * {@link EdgeDecimals}' grammar already, so its size is bounded before any arithmetic here. Stateless.
 */
public final class Units {
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
        100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
        1_000_000_000_000_000_000L};

    private Units() {
    }

    /** A decimal as a whole number of {@code unit}s; more decimals than the unit allows is a 400 naming the field. */
    public static long units(BigDecimal value, BigDecimal unit, String field) throws RequestException {
        if (value == null) {
            throw RequestException.badField(field + ": required");
        }
        long exact = exactUnits(value, unit);
        if (exact >= 0) {
            return exact;
        }
        BigDecimal[] division = value.divideAndRemainder(unit);
        if (division[1].signum() != 0) {
            throw RequestException.badField(field + ": " + value.toPlainString() + " is not a multiple of "
                    + unit.stripTrailingZeros().toPlainString());
        }
        try {
            return division[0].longValueExact();
        } catch (ArithmeticException e) {
            throw RequestException.badField(field + ": out of range");
        }
    }

    /** One unit of {@code decimals} decimal places ({@code 10^-decimals}). */
    public static BigDecimal unitOf(int decimals) {
        return BigDecimal.ONE.movePointLeft(decimals);
    }

    /**
     * {@code value / unit} in longs when both are non-negative with at most 18 digits and the division is exact (the
     * common case, without {@link BigDecimal#divideAndRemainder}'s allocations); -1 otherwise, when {@link #units}
     * takes the BigDecimal path, which gives the same quotient and every error.
     */
    public static long exactUnits(BigDecimal value, BigDecimal unit) {
        if (value.signum() < 0 || unit.signum() <= 0 || value.precision() > 18 || unit.precision() > 18) {
            return -1;
        }
        long v = value.unscaledValue().longValue();
        long u = unit.unscaledValue().longValue();
        // value / unit = (v / u) * 10^(unit.scale - value.scale)
        int shift = unit.scale() - value.scale();
        if (shift > 18 || shift < -18) {
            return -1;
        }
        try {
            if (shift >= 0) {
                v = Math.multiplyExact(v, POWERS_OF_TEN[shift]);
            } else {
                u = Math.multiplyExact(u, POWERS_OF_TEN[-shift]);
            }
        } catch (ArithmeticException e) {
            return -1;
        }
        return v % u == 0 ? v / u : -1;
    }
}
