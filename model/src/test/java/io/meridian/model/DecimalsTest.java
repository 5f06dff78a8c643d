package io.meridian.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalsTest {
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal TENTH = new BigDecimal("0.1");

    @Test
    void parsesPlainDecimals() {
        assertEquals(Parsed.ok(12345), Decimals.toScaled("123.45", 2));
        assertEquals(Parsed.ok(12345), Decimals.toScaled("123.450", 2), "trailing zeros are not extra decimals");
        assertEquals(Parsed.ok(-50), Decimals.toScaled("-0.5", 2));
        assertEquals(Parsed.ok(100), Decimals.toScaled("1", 2));
        assertEquals(Parsed.ok(0), Decimals.toScaled("0.000", 0));
    }

    @Test
    void rejectsWhatItCannotRepresentExactly() {
        assertEquals(RejectReason.TOO_MANY_DECIMALS, Decimals.toScaled("1.234", 2).reject());
        assertEquals(RejectReason.NUMBER_OUT_OF_RANGE, Decimals.toScaled("92233720368547758.08", 2).reject());
        assertEquals(Parsed.ok(Long.MAX_VALUE), Decimals.toScaled("92233720368547758.07", 2));
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"", " 1", "1 ", "+1", ".5", "5.", "1e3", "1,000", "--1", "1.2.3", "0x10", "NaN",
            "Infinity", "-", "١٢"}) {
            assertEquals(RejectReason.MALFORMED_NUMBER, Decimals.toScaled(bad, 8).reject(), "'" + bad + "'");
        }
        assertEquals(RejectReason.MALFORMED_NUMBER, Decimals.toScaled(null, 8).reject());
        assertEquals(RejectReason.MALFORMED_NUMBER, Decimals.toScaled("1".repeat(41), 0).reject());
    }

    @Test
    void stepsRejectOffTickAndTooManyDecimals() {
        assertEquals(Parsed.ok(201), Decimals.toSteps("100.5", HALF, RejectReason.OFF_TICK));
        assertEquals(RejectReason.OFF_TICK, Decimals.toSteps("100.3", HALF, RejectReason.OFF_TICK).reject());
        assertEquals(RejectReason.TOO_MANY_DECIMALS, Decimals.toSteps("100.25", HALF, RejectReason.OFF_TICK).reject());
        assertEquals(Parsed.ok(650001), Decimals.toSteps("65000.1", TENTH, RejectReason.OFF_TICK));
        assertEquals(Parsed.ok(4), Decimals.toSteps("20", new BigDecimal("5"), RejectReason.OFF_LOT));
        assertEquals(RejectReason.OFF_LOT, Decimals.toSteps("21", new BigDecimal("5"), RejectReason.OFF_LOT).reject());
    }

    @Test
    void instrumentParsesPricesAndQuantities() {
        InstrumentSpec btc = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001");
        assertEquals(Parsed.ok(650001), btc.parsePrice("65000.1"));
        assertEquals(RejectReason.TOO_MANY_DECIMALS, btc.parsePrice("65000.15").reject());
        assertEquals(RejectReason.INVALID_PRICE, btc.parsePrice("0").reject());
        assertEquals(RejectReason.INVALID_PRICE, btc.parsePrice("-1").reject());
        assertEquals(Parsed.ok(250), btc.parseQuantity("0.25"));
        assertEquals(RejectReason.INVALID_QUANTITY, btc.parseQuantity("0").reject());
        assertEquals(RejectReason.QUANTITY_ABOVE_MAX, btc.parseQuantity("1000000.001").reject());
        assertEquals("65000.1", btc.formatPrice(650001));
        assertEquals("0.250", btc.formatQuantity(250));
    }

    @Property(tries = 2000)
    void formatThenParseIsIdentity(@ForAll long value, @ForAll @IntRange(min = 0, max = 18) int scale) {
        assertEquals(Parsed.ok(value), Decimals.toScaled(Decimals.format(value, scale), scale));
    }

    @Property(tries = 2000)
    void stepsRoundTrip(@ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long steps) {
        String text = Decimals.formatSteps(steps, HALF);
        assertEquals(Parsed.ok(steps), Decimals.toSteps(text, HALF, RejectReason.OFF_TICK));
    }

    @Property(tries = 5000)
    void arbitraryTextNeverThrows(@ForAll @StringLength(max = 45) String text) {
        Parsed parsed = Decimals.toScaled(text, 6);
        assertNotNull(parsed);
        assertTrue(parsed.isOk() || parsed.reject() != null);
        if (Decimals.parse(text) == null) {
            assertEquals(RejectReason.MALFORMED_NUMBER, parsed.reject());
        }
    }

    @Property(tries = 3000)
    void numericLookingTextNeverThrows(@ForAll("numberish") String text) {
        Parsed parsed = Decimals.toSteps(text, TENTH, RejectReason.OFF_TICK);
        assertTrue(parsed.isOk() || parsed.reject() != null);
    }

    @Provide
    Arbitrary<String> numberish() {
        return Arbitraries.strings().withChars("0123456789.-").ofMinLength(0).ofMaxLength(25);
    }

    @Test
    void parseReturnsNullForGarbage() {
        assertNull(Decimals.parse("abc"));
        assertEquals(new BigDecimal("1.5"), Decimals.parse("1.50"));
    }

    /** The parse before its fast path: the reference the fast path must equal, value and scale. */
    private static BigDecimal referenceParse(String text) {
        if (text == null || text.isEmpty() || text.length() > Decimals.MAX_LENGTH
                || !text.matches("-?[0-9]+(\\.[0-9]+)?")) {
            return null;
        }
        BigDecimal value = new BigDecimal(text);
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    @Property(tries = 3_000)
    void parseEqualsTheBigDecimalReferenceValueAndScale(@ForAll("decimalTexts") String text) {
        BigDecimal expected = referenceParse(text);
        BigDecimal parsed = Decimals.parse(text);
        assertEquals(expected, parsed, "'" + text + "'");
        // In place, between other characters, gives the same.
        String framed = "{\"p\":\"" + text + "\"}";
        assertEquals(expected, Decimals.parse(framed, 6, 6 + text.length()), "'" + text + "' in place");
    }

    @Test
    void parseBuildsValuesOfEveryScaleFromTheDigits() {
        assertEquals(new BigDecimal("1.2E+3"), Decimals.parse("1200"), "trailing zeros of an integer, as strip does");
        assertEquals(new BigDecimal("-5.5"), Decimals.parse("-5.50"));
        assertEquals(BigDecimal.ZERO, Decimals.parse("-0.000"));
        assertEquals(new BigDecimal("999999999999999999"), Decimals.parse("999999999999999999"), "18 digits");
        assertEquals(new BigDecimal("1E+18"), Decimals.parse("1000000000000000000"), "19 digits: the slow path");
        assertEquals(new BigDecimal("0.000000000000000001"), Decimals.parse("0.000000000000000001"));
        assertEquals(new BigDecimal("7"), Decimals.parse("0007"), "leading zeros count as digits, and are allowed");
        assertNull(Decimals.parse("12", 1, 3), "a range past the end");
        assertNull(Decimals.parse("12", 1, 1), "an empty range");
    }

    @Provide
    Arbitrary<String> decimalTexts() {
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(24);
        Arbitrary<String> zeros = Arbitraries.strings().withChars("0").ofMinLength(0).ofMaxLength(6);
        Arbitrary<String> plain = net.jqwik.api.Combinators.combine(Arbitraries.of("", "-"), digits,
                Arbitraries.of("", "."), digits, zeros).as((sign, whole, dot, fraction, tail) ->
                sign + whole + (dot.isEmpty() ? tail : dot + fraction + tail));
        Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789.-+eE ,x").ofMinLength(0).ofMaxLength(44);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(2, noise));
    }
}
