package io.meridian.engine;

import io.meridian.risk.margin.FeeTier;

import java.util.List;

/**
 * Sizing and venue-wide settings of the engine. Capacities are preallocated so that a venue of the expected size
 * never allocates on the command path; limits turn overload into rejects instead of memory exhaustion.
 *
 * @param maxInstruments        instrument ids must be below this
 * @param expectedOrdersPerBook orders and levels preallocated per book
 * @param maxOpenOrdersPerBook  open orders per book above which new orders get {@code BOOK_FULL}
 * @param maxOpenOrdersPerAccount open orders of one account in one book above which its new orders get
 *                              {@code TOO_MANY_OPEN_ORDERS} (10,000 by default)
 * @param vipFeeTiers           fee tiers 1..n (maker and taker rates in ppm, for every instrument); tier 0, where
 *                              every account starts, is each instrument's own rates
 * @param liquidation           liquidation settings
 * @param optionRepriceIntervalNanos the shortest command-time interval between two reprices of an index's options
 *                              (marks, greeks, margin numbers) and liquidation checks of their holders; 1 s by
 *                              default, 0 = at every index recompute
 */
public record EngineConfig(int maxInstruments, int expectedOrdersPerBook, int maxOpenOrdersPerBook,
                           int maxOpenOrdersPerAccount, List<FeeTier> vipFeeTiers, LiquidationConfig liquidation,
                           long optionRepriceIntervalNanos) {

    /** VIP tiers in the usual shape: lower rates with volume, and a market-maker tier with a small rebate. */
    public static final List<FeeTier> DEFAULT_VIP_FEE_TIERS = List.of(
            new FeeTier(160, 400), new FeeTier(120, 350), new FeeTier(80, 300), new FeeTier(-50, 250));

    /** One second: option marks follow the index closely, and a venue with thousands of options reprices rarely. */
    public static final long DEFAULT_OPTION_REPRICE_INTERVAL_NANOS = 1_000_000_000L;

    public static EngineConfig defaults() {
        return new EngineConfig(4096, 4096, 10_000_000, 10_000, DEFAULT_VIP_FEE_TIERS, LiquidationConfig.defaults(),
                DEFAULT_OPTION_REPRICE_INTERVAL_NANOS);
    }

    public EngineConfig {
        if (maxInstruments < 1 || expectedOrdersPerBook < 1 || maxOpenOrdersPerBook < 1 || maxOpenOrdersPerAccount < 1) {
            throw new IllegalArgumentException("engine capacities must be positive");
        }
        vipFeeTiers = List.copyOf(vipFeeTiers);
        if (liquidation == null) {
            throw new IllegalArgumentException("liquidation settings are required");
        }
        if (optionRepriceIntervalNanos < 0) {
            throw new IllegalArgumentException("the option reprice interval must not be negative");
        }
    }

    public EngineConfig withExpectedOrdersPerBook(int orders) {
        return new EngineConfig(maxInstruments, orders, maxOpenOrdersPerBook, maxOpenOrdersPerAccount, vipFeeTiers,
                liquidation, optionRepriceIntervalNanos);
    }

    public EngineConfig withLiquidation(LiquidationConfig settings) {
        return new EngineConfig(maxInstruments, expectedOrdersPerBook, maxOpenOrdersPerBook, maxOpenOrdersPerAccount,
                vipFeeTiers, settings, optionRepriceIntervalNanos);
    }

    public EngineConfig withMaxOpenOrdersPerAccount(int orders) {
        return new EngineConfig(maxInstruments, expectedOrdersPerBook, maxOpenOrdersPerBook, orders, vipFeeTiers,
                liquidation, optionRepriceIntervalNanos);
    }

    public EngineConfig withOptionRepriceInterval(long nanos) {
        return new EngineConfig(maxInstruments, expectedOrdersPerBook, maxOpenOrdersPerBook, maxOpenOrdersPerAccount,
                vipFeeTiers, liquidation, nanos);
    }
}
