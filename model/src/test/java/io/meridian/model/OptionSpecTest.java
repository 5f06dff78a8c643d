package io.meridian.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Option terms on their own: validation, the strike in index units, intrinsic value, the option instrument spec. */
class OptionSpecTest {
    private static final OptionSpec CALL = OptionSpec.of(0, "60000", OptionRight.CALL);

    @Test
    void defaultsAreDeribitsAndValid() {
        assertNull(CALL.validate());
        assertEquals(30L * 60 * 1_000_000_000L, CALL.settlementWindowNanos());
        assertEquals(800_000, CALL.initialVolPpm());
        assertEquals(new BigDecimal("60000"), CALL.strike());
    }

    @Test
    void rejectsTermsThatCannotMakeAnOption() {
        OptionSpec[] broken = {
            new OptionSpec(-1, BigDecimal.ONE, OptionRight.CALL, 1, 1),
            new OptionSpec(IndexSpec.MAX_INDEXES, BigDecimal.ONE, OptionRight.CALL, 1, 1),
            new OptionSpec(0, null, OptionRight.CALL, 1, 1),
            new OptionSpec(0, BigDecimal.ZERO, OptionRight.CALL, 1, 1),
            new OptionSpec(0, new BigDecimal("-5"), OptionRight.PUT, 1, 1),
            new OptionSpec(0, OptionSpec.MAX_STRIKE.add(BigDecimal.ONE), OptionRight.PUT, 1, 1),
            new OptionSpec(0, BigDecimal.ONE, null, 1, 1),
            CALL.withSettlementWindow(0),
            CALL.withSettlementWindow(OptionSpec.MAX_SETTLEMENT_WINDOW_NANOS + 1),
            CALL.withInitialVolPpm(0),
            CALL.withInitialVolPpm(OptionSpec.MAX_VOL_PPM + 1),
        };
        for (OptionSpec spec : broken) {
            assertEquals(RejectReason.INVALID_OPTION, spec.validate(), spec.toString());
        }
        assertNull(CALL.withSettlementWindow(OptionSpec.MAX_SETTLEMENT_WINDOW_NANOS).withInitialVolPpm(1).validate());
    }

    @Test
    void theStrikeMustBeWholeInTheIndexUnits() {
        assertEquals(6_000_000, CALL.strikeUnits(2));
        assertEquals(60_000, CALL.strikeUnits(0));
        assertEquals(6_000_050, OptionSpec.of(0, "60000.50", OptionRight.PUT).strikeUnits(2));
        assertEquals(-1, OptionSpec.of(0, "60000.005", OptionRight.PUT).strikeUnits(2));
        assertEquals(-1, OptionSpec.of(0, "0.5", OptionRight.PUT).strikeUnits(0));
        assertEquals(-1, OptionSpec.of(0, "1000000000000000", OptionRight.PUT).strikeUnits(12), "beyond PRICE_LIMIT");
    }

    @Test
    void intrinsicValueIsTheExercisePayoff() {
        assertEquals(500, OptionRight.CALL.intrinsic(6_000, 5_500));
        assertEquals(0, OptionRight.CALL.intrinsic(5_000, 5_500));
        assertEquals(0, OptionRight.CALL.intrinsic(5_500, 5_500));
        assertEquals(500, OptionRight.PUT.intrinsic(5_000, 5_500));
        assertEquals(0, OptionRight.PUT.intrinsic(6_000, 5_500));
        assertEquals("C", OptionRight.CALL.code());
        assertEquals("P", OptionRight.PUT.code());
    }

    @Test
    void theOptionFactoryMakesAValidOptionSpec() {
        long expiry = 1_798_358_400_000_000_000L;
        InstrumentSpec spec = InstrumentSpec.option(10, "BTC-25DEC26-60000-C", "BTC", "USDC", 6, "0.1", "0.01", "1",
                expiry);
        assertNull(spec.validate());
        assertEquals(InstrumentKind.OPTION, spec.kind());
        assertEquals(expiry, spec.expiryTimestamp());
        assertEquals(1_000, spec.minorUnitsPerTickLot(), "0.1 USD x 0.01 BTC x 1 = 1,000 minor units of USDC");
        assertEquals(0, spec.priceBandPpm());
        // An option without an expiry is no option.
        assertEquals(RejectReason.INVALID_INSTRUMENT, InstrumentSpec.option(10, "X", "BTC", "USDC", 6, "0.1", "0.01",
                "1", 0).validate());
    }
}
