package io.meridian.model;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Exact decimal-string conversions for the edge: strings in, scaled longs out, and back. Never rounds:
 * a value that does not fit the requested scale is a reject, so no client ever gets a price it did not send.
 * Accepted syntax: optional sign, digits, optional '.' and digits ("12", "-0.5", "3.000"); no exponent,
 * no grouping, no leading '+' or '.', at most 40 characters.
 */
public final class Decimals {
    /** The longest decimal string accepted. */
    public static final int MAX_LENGTH = 40;
    /** The most digits whose value always fits a long: {@link #parse} builds those without BigDecimal's parser. */
    private static final int MAX_LONG_DIGITS = 18;
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    private Decimals() {
    }

    /** Parses a decimal string into a BigDecimal with trailing zeros stripped, or null when the syntax is wrong. */
    public static BigDecimal parse(String text) {
        return text == null ? null : parse(text, 0, text.length());
    }

    /**
     * {@link #parse(String)} of the characters {@code [from, to)} of {@code text}, without copying them out (a
     * request parser reads a field in place). Up to 18 digits (every price and quantity a venue quotes) the value is
     * built from the digits directly, one object in all; longer ones go through {@code new BigDecimal(String)}.
     * Either way the result equals what {@code new BigDecimal(text).stripTrailingZeros()} gives (zero as
     * {@link BigDecimal#ZERO}): the same value and the same scale.
     */
    public static BigDecimal parse(CharSequence text, int from, int to) {
        if (text == null || from < 0 || to > text.length() || to - from <= 0 || to - from > MAX_LENGTH) {
            return null;
        }
        boolean negative = text.charAt(from) == '-';
        int digits = 0;
        boolean dot = false;
        int digitsAfterDot = 0;
        long unscaled = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                if (dot) {
                    digitsAfterDot++;
                }
                if (digits <= MAX_LONG_DIGITS) {
                    unscaled = unscaled * 10 + (c - '0');
                }
            } else if (c == '.' && !dot && digits > 0) {
                dot = true;
            } else {
                return null;
            }
        }
        if (digits == 0 || (dot && digitsAfterDot == 0)) {
            return null;
        }
        if (digits > MAX_LONG_DIGITS) {
            BigDecimal value = new BigDecimal(text.subSequence(from, to).toString());
            return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        }
        if (unscaled == 0) {
            return BigDecimal.ZERO;
        }
        int scale = digitsAfterDot;
        while (unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
    }

    /**
     * Parses {@code text} as a fixed-point number with {@code scale} decimal places: "1.25" at scale 2 is 125.
     * Rejects: {@link RejectReason#MALFORMED_NUMBER}, {@link RejectReason#TOO_MANY_DECIMALS},
     * {@link RejectReason#NUMBER_OUT_OF_RANGE}.
     */
    public static Parsed toScaled(String text, int scale) {
        BigDecimal value = parse(text);
        if (value == null) {
            return Parsed.rejected(RejectReason.MALFORMED_NUMBER);
        }
        if (value.scale() > scale) {
            return Parsed.rejected(RejectReason.TOO_MANY_DECIMALS);
        }
        return fitLong(value.movePointRight(scale).toBigIntegerExact());
    }

    /**
     * Parses {@code text} as a whole number of increments of {@code step} (a tick or a lot size).
     * Rejects as {@link #toScaled} does, plus {@code offStep} when the value is not a multiple of the step.
     */
    public static Parsed toSteps(String text, BigDecimal step, RejectReason offStep) {
        BigDecimal value = parse(text);
        if (value == null) {
            return Parsed.rejected(RejectReason.MALFORMED_NUMBER);
        }
        if (value.scale() > Math.max(step.stripTrailingZeros().scale(), 0)) {
            return Parsed.rejected(RejectReason.TOO_MANY_DECIMALS);
        }
        BigDecimal[] quotientAndRemainder = value.divideAndRemainder(step);
        if (quotientAndRemainder[1].signum() != 0) {
            return Parsed.rejected(offStep);
        }
        return fitLong(quotientAndRemainder[0].toBigIntegerExact());
    }

    /** Formats a scaled long: (12345, 2) is "123.45"; trailing zeros are kept to the scale. */
    public static String format(long scaled, int scale) {
        return BigDecimal.valueOf(scaled, scale).toPlainString();
    }

    /** Formats a number of steps as the decimal it stands for: (250, 0.5) is "125.0" with the step's scale. */
    public static String formatSteps(long steps, BigDecimal step) {
        return step.multiply(BigDecimal.valueOf(steps)).toPlainString();
    }

    private static Parsed fitLong(BigInteger integer) {
        if (integer.compareTo(LONG_MAX) > 0 || integer.compareTo(LONG_MIN) < 0) {
            return Parsed.rejected(RejectReason.NUMBER_OUT_OF_RANGE);
        }
        return Parsed.ok(integer.longValue());
    }
}
