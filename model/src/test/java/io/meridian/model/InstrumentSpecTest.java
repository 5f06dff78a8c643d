package io.meridian.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InstrumentSpecTest {
    private static final InstrumentSpec BTC = InstrumentSpec.perpetual(1, "BTC-PERP", "BTC", "USDC", "0.1", "0.001");

    @Test
    void defaultsAreValid() {
        assertNull(BTC.validate());
    }

    @Test
    void rejectsBrokenSpecs() {
        InstrumentSpec[] broken = {
            new InstrumentSpec(-1, "X", InstrumentKind.PERPETUAL, "B", "Q", BigDecimal.ONE, BigDecimal.ONE, 1, 10, 100, 0, 1, 0),
            new InstrumentSpec(1, " ", InstrumentKind.PERPETUAL, "B", "Q", BigDecimal.ONE, BigDecimal.ONE, 1, 10, 100, 0, 1, 0),
            new InstrumentSpec(1, "X", InstrumentKind.PERPETUAL, "B", "Q", BigDecimal.ZERO, BigDecimal.ONE, 1, 10, 100, 0, 1, 0),
            new InstrumentSpec(1, "X", InstrumentKind.PERPETUAL, "B", "Q", BigDecimal.ONE, BigDecimal.ONE, 0, 10, 100, 0, 1, 0),
            new InstrumentSpec(1, "X", InstrumentKind.PERPETUAL, "B", "Q", BigDecimal.ONE, BigDecimal.ONE, 5, 4, 100, 0, 1, 0),
            new InstrumentSpec(1, "X", InstrumentKind.PERPETUAL, "B", "Q", BigDecimal.ONE, BigDecimal.ONE, 1, 10, 0, 0, 1, 0),
            new InstrumentSpec(1, "X", InstrumentKind.PERPETUAL, "B", "Q", BigDecimal.ONE, BigDecimal.ONE, 1, 10, 100, 0, 0, 0),
            new InstrumentSpec(1, "X", InstrumentKind.PERPETUAL, "B", "Q", BigDecimal.ONE, BigDecimal.ONE, 1, 10, 100, 0, 1, 5),
            new InstrumentSpec(1, "X", InstrumentKind.DATED_FUTURE, "B", "Q", BigDecimal.ONE, BigDecimal.ONE, 1, 10, 100, 0, 1,
                0),
            new InstrumentSpec(1, "X", InstrumentKind.PERPETUAL, "B", "Q", BigDecimal.ONE, BigDecimal.ONE, 1, 10,
                InstrumentSpec.PRICE_LIMIT + 1, 0, 1, 0),
        };
        for (InstrumentSpec spec : broken) {
            assertEquals(RejectReason.INVALID_INSTRUMENT, spec.validate(), spec.toString());
        }
    }

    @Test
    void copiesChangeOneThing() {
        assertEquals(0, BTC.withPriceBandPpm(0).priceBandPpm());
        assertEquals(10, BTC.withMarketProtectionPpm(10).marketProtectionPpm());
        assertEquals(5, BTC.withQuantityLimits(5, 50).minQuantity());
        assertNull(BTC.withQuantityLimits(5, 50).validate());
    }

    @Test
    void rejectCodesAreUniqueAndFindable() {
        Set<Integer> codes = new HashSet<>();
        for (RejectReason reason : RejectReason.values()) {
            assertEquals(true, codes.add(reason.code()), "duplicate code " + reason.code());
            assertEquals(reason, RejectReason.ofCode(reason.code()));
        }
        assertNull(RejectReason.ofCode(-1));
    }
}
