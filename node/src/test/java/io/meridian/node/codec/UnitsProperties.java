package io.meridian.node.codec;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Units#exactUnits}, the gateway's long-arithmetic path for decimal to ticks or lots, gives the
 * BigDecimal path's quotient whenever it answers, and answers for the usual exact cases. Fixed seed (repeatable).
 */
class UnitsProperties {
    @Provide
    Arbitrary<BigDecimal> decimals() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000_000L),
                        Arbitraries.integers().between(-3, 20)).as(BigDecimal::valueOf),
                Arbitraries.of(new BigDecimal("0"), new BigDecimal("0.000"), new BigDecimal("50000.10"),
                        new BigDecimal("99999999999999999999.5"), new BigDecimal("1E+30"), new BigDecimal("-0.1")));
    }

    @Provide
    Arbitrary<BigDecimal> steps() {
        return Arbitraries.of(new BigDecimal("0.001"), new BigDecimal("0.1"), new BigDecimal("0.01"), BigDecimal.ONE,
                new BigDecimal("10"), new BigDecimal("1E+2"), new BigDecimal("0.5"), new BigDecimal("0.000000001"),
                new BigDecimal("25"), new BigDecimal("0.0010"), new BigDecimal("0.000000000000000000001"));
    }

    @Property(tries = 5000, seed = "20261125")
    void agreesWithTheBigDecimalPath(@ForAll("decimals") BigDecimal value, @ForAll("steps") BigDecimal step) {
        long fast = Units.exactUnits(value, step);
        if (fast < 0) {
            return;
        }
        BigDecimal[] division = value.divideAndRemainder(step);
        assertEquals(0, division[1].signum(), value + " / " + step);
        assertEquals(division[0].longValueExact(), fast, value + " / " + step);
    }

    @Property(tries = 2000, seed = "20261126")
    void answersForExactMultiples(@ForAll("steps") BigDecimal step, @ForAll("multiples") long units,
                                  @ForAll("extraDigits") int extra) {
        // Written with up to 3 more decimals than the step has ("50000.100" for ticks of 0.1).
        BigDecimal value = step.multiply(BigDecimal.valueOf(units)).setScale(step.scale() + extra);
        if (value.precision() <= 18 && step.precision() <= 15) {
            assertEquals(units, Units.exactUnits(value, step), value + " / " + step);
        }
    }

    @Provide
    Arbitrary<Integer> extraDigits() {
        return Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<Long> multiples() {
        return Arbitraries.longs().between(0, 10_000_000_000L);
    }
}
