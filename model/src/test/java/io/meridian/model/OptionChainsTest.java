package io.meridian.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The chain generator: ids, symbols, strikes and terms from a configuration, deterministically. */
class OptionChainsTest {
    private static final long DEC_27_2026 = nanos("2026-12-27T08:00:00Z");
    private static final long JAN_5_2027 = nanos("2027-01-05T08:00:00Z");

    private static long nanos(String instant) {
        return Instant.parse(instant).getEpochSecond() * 1_000_000_000L;
    }

    @Test
    void symbolsAreDeribits() {
        assertEquals("BTC-27DEC26-60000-C", OptionChains.symbol("BTC", DEC_27_2026, new BigDecimal("60000"),
                OptionRight.CALL));
        assertEquals("BTC-5JAN27-60000-P", OptionChains.symbol("BTC", JAN_5_2027, new BigDecimal("6E+4"),
                OptionRight.PUT));
        assertEquals("XRP-5JAN27-0d55-P", OptionChains.symbol("XRP", JAN_5_2027, new BigDecimal("0.550"),
                OptionRight.PUT));
    }

    @Test
    void gridStrikesAreStepsAroundTheReferenceRoundedToAStep() {
        // 61,234 rounds to 60,000 on a 5,000 grid; two steps each side.
        assertEquals(List.of(new BigDecimal("50000"), new BigDecimal("55000"), new BigDecimal("60000"),
                new BigDecimal("65000"), new BigDecimal("70000")),
                OptionChains.StrikeGrid.around("61234", "5000", 2).strikes());
        // 7,500 is half way between 5,000 and 10,000: halves round up, to 10,000; the strike 0 is dropped.
        assertEquals(List.of(new BigDecimal("5000"), new BigDecimal("10000"), new BigDecimal("15000"),
                new BigDecimal("20000")), OptionChains.StrikeGrid.around("7500", "5000", 2).strikes());
        assertEquals(new BigDecimal("65000"), OptionChains.StrikeGrid.around("62500", "5000", 0).strikes().get(0));
        // Explicit strikes are sorted and deduplicated, scale ignored.
        assertEquals(List.of(new BigDecimal("0.5"), new BigDecimal("2")),
                OptionChains.StrikeGrid.of("2", "0.50", "2.0").strikes());
        assertThrows(IllegalArgumentException.class, () -> OptionChains.StrikeGrid.of("0").strikes());
        assertThrows(IllegalArgumentException.class, () -> OptionChains.StrikeGrid.around("100", "0", 1).strikes());
        assertThrows(IllegalArgumentException.class, () -> OptionChains.StrikeGrid.around("100", "5", -1).strikes());
    }

    @Test
    void aChainIsEveryExpiryTimesEveryStrikeTimesCallAndPutInIdOrder() {
        OptionChains.Config config = OptionChains.Config.of("BTC", 3, "USDC", 6, "0.5", "0.1", "1",
                List.of(JAN_5_2027, DEC_27_2026, JAN_5_2027), OptionChains.StrikeGrid.of("60000", "55000"), 100);
        List<Command> commands = OptionChains.generate(config);
        assertEquals(List.of("BTC-27DEC26-55000-C", "BTC-27DEC26-55000-P", "BTC-27DEC26-60000-C",
                "BTC-27DEC26-60000-P", "BTC-5JAN27-55000-C", "BTC-5JAN27-55000-P", "BTC-5JAN27-60000-C",
                "BTC-5JAN27-60000-P"), commands.stream().map(c -> c.instrumentSpec.symbol()).toList());
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            assertEquals(CommandType.ADD_INSTRUMENT, c.type);
            assertEquals(100 + i, c.instrumentSpec.id());
            assertNull(c.instrumentSpec.validate());
            assertNull(c.optionSpec.validate());
            assertEquals(InstrumentKind.OPTION, c.instrumentSpec.kind());
            assertEquals(i < 4 ? DEC_27_2026 : JAN_5_2027, c.instrumentSpec.expiryTimestamp());
            assertEquals(i % 2 == 0 ? OptionRight.CALL : OptionRight.PUT, c.optionSpec.right());
            assertEquals(3, c.optionSpec.indexId());
            assertEquals(OptionSpec.DEFAULT_SETTLEMENT_WINDOW_NANOS, c.optionSpec.settlementWindowNanos());
            assertEquals("USDC", c.instrumentSpec.settlementAsset());
            assertEquals(new BigDecimal("0.1"), c.instrumentSpec.lotSize());
        }
        assertEquals(new BigDecimal("55000"), commands.get(0).optionSpec.strike());
        // Deterministic: the same configuration gives equal commands.
        List<Command> again = OptionChains.generate(config);
        for (int i = 0; i < commands.size(); i++) {
            assertEquals(commands.get(i).instrumentSpec, again.get(i).instrumentSpec);
            assertEquals(commands.get(i).optionSpec, again.get(i).optionSpec);
        }
    }

    @Test
    void refusesConfigurationsThatMakeNoChain() {
        OptionChains.StrikeGrid grid = OptionChains.StrikeGrid.of("60000");
        assertThrows(IllegalArgumentException.class, () -> OptionChains.generate(OptionChains.Config.of("BTC", 0,
                "USDC", 6, "0.5", "0.1", "1", List.of(), grid, 0)));
        assertThrows(IllegalArgumentException.class, () -> OptionChains.generate(OptionChains.Config.of("BTC", 0,
                "USDC", 6, "0.5", "0.1", "1", List.of(0L), grid, 0)));
        assertThrows(IllegalArgumentException.class, () -> OptionChains.generate(OptionChains.Config.of("BTC", 0,
                "USDC", 6, "0.5", "0.1", "1", List.of(DEC_27_2026), grid, Integer.MAX_VALUE)));
    }
}
