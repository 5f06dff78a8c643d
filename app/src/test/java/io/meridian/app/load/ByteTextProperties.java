package io.meridian.app.load;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The generator's number encoding against the JDK's (jqwik prints the seed of a failing run). */
class ByteTextProperties {
    @Property(tries = 2000)
    void wholeNumbersMatchLongToString(@ForAll long value) {
        assertEquals(Long.toString(value), new String(new ByteText(1).append(value).toBytes(), StandardCharsets.US_ASCII));
    }

    @Property(tries = 2000)
    void decimalsMatchBigDecimalPlainText(@ForAll long unscaled, @ForAll @IntRange(min = -3, max = 25) int scale) {
        assertEquals(BigDecimal.valueOf(unscaled, scale).toPlainString(),
                new String(new ByteText(1).appendDecimal(unscaled, scale).toBytes(), StandardCharsets.US_ASCII));
    }
}
