package io.meridian.node.marketdata;

import java.math.BigDecimal;

/**
 * A decimal step (a tick size, a lot size, an index's price unit) as its unscaled value and scale, for
 * {@link JsonBytes#plainDecimal}. {@code unscaled} is 0 when the unscaled value does not fit a long (then the text is
 * made with {@link BigDecimal}).
 */
public record DecimalStep(BigDecimal unit, long unscaled, int scale) {
    public static DecimalStep of(BigDecimal unit) {
        long unscaled;
        try {
            unscaled = unit.unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            unscaled = 0;
        }
        return new DecimalStep(unit, unscaled, unit.scale());
    }
}
