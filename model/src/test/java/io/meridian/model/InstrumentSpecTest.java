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

    /** A valid spec (tick 1, lot 1, scale 6) with the given fields replaced. */
    private static InstrumentSpec spec(int id, String symbol, InstrumentKind kind, int scale, BigDecimal tick,
                                       BigDecimal multiplier, long min, long max, long maxPrice, long protectionPpm,
                                       long expiry) {
        return new InstrumentSpec(id, symbol, kind, "B", "Q", scale, tick, BigDecimal.ONE, multiplier, min, max, maxPrice,
                0, protectionPpm, 0, 0, expiry);
    }

    private static InstrumentSpec valid() {
        return spec(1, "X", InstrumentKind.PERPETUAL, 6, BigDecimal.ONE, BigDecimal.ONE, 1, 10, 100, 1, 0);
    }

    @Test
    void rejectsBrokenSpecs() {
        BigDecimal one = BigDecimal.ONE;
        InstrumentKind perp = InstrumentKind.PERPETUAL;
        assertNull(valid().validate());
        InstrumentSpec[] broken = {
            spec(-1, "X", perp, 6, one, one, 1, 10, 100, 1, 0),
            spec(1, " ", perp, 6, one, one, 1, 10, 100, 1, 0),
            spec(1, "X", perp, 6, BigDecimal.ZERO, one, 1, 10, 100, 1, 0),
            spec(1, "X", perp, 6, one, one, 0, 10, 100, 1, 0),
            spec(1, "X", perp, 6, one, one, 5, 4, 100, 1, 0),
            spec(1, "X", perp, 6, one, one, 1, 10, 0, 1, 0),
            spec(1, "X", perp, 6, one, one, 1, 10, 100, 0, 0),
            spec(1, "X", perp, 6, one, one, 1, 10, 100, 1, 5),
            spec(1, "X", InstrumentKind.DATED_FUTURE, 6, one, one, 1, 10, 100, 1, 0),
            spec(1, "X", perp, 6, one, one, 1, 10, InstrumentSpec.PRICE_LIMIT + 1, 1, 0),
            spec(1, "X", perp, -1, one, one, 1, 10, 100, 1, 0),
            spec(1, "X", perp, 19, one, one, 1, 10, 100, 1, 0),
            spec(1, "X", perp, 6, one, BigDecimal.ZERO, 1, 10, 100, 1, 0),
            spec(1, "X", perp, 6, one, null, 1, 10, 100, 1, 0),
            // One lot moving one tick is worth 0.5 minor units: PnL could not be exact.
            spec(1, "X", perp, 0, new BigDecimal("0.5"), one, 1, 10, 100, 1, 0),
        };
        for (InstrumentSpec spec : broken) {
            assertEquals(RejectReason.INVALID_INSTRUMENT, spec.validate(), spec.toString());
        }
    }

    @Test
    void oneOrdersNotionalMustFitTheCap() {
        // BTC-PERP: 100 minor units per tick-lot and 1e6 lots, so the highest price is 2^52 / 1e8 ticks (4.5M USD).
        assertEquals(45_035_996, BTC.maxPrice());
        assertEquals(1_000_000, BTC.maxQuantity());
        assertNull(BTC.validate());
        assertEquals(RejectReason.INVALID_INSTRUMENT, BTC.withMaxPrice(45_035_997).validate());
        assertEquals(RejectReason.INVALID_INSTRUMENT, BTC.withQuantityLimits(1, 1_000_001).validate());
    }

    @Test
    void makerRebateNeverExceedsTheTakerFee() {
        assertNull(BTC.withFeesPpm(-500, 500).validate());
        assertEquals(RejectReason.INVALID_INSTRUMENT, BTC.withFeesPpm(-501, 500).validate());
        assertEquals(RejectReason.INVALID_INSTRUMENT, BTC.withFeesPpm(0, -1).validate());
        assertEquals(RejectReason.INVALID_INSTRUMENT, BTC.withFeesPpm(0, 1_000_000).validate());
    }

    @Test
    void tickValueIsAWholeNumberOfMinorUnits() {
        assertEquals(100, BTC.minorUnitsPerTickLot(), "0.1 USDC x 0.001 BTC = 0.0001 USDC = 100 micro-USDC");
        InstrumentSpec option = spec(2, "BTC-OPT", InstrumentKind.OPTION, 8, new BigDecimal("0.0005"),
                new BigDecimal("100"), 1, 10, 100, 1, 1);
        assertNull(option.validate());
        assertEquals(5_000_000, option.minorUnitsPerTickLot());
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
