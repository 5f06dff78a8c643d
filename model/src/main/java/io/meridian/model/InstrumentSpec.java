package io.meridian.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Everything the core needs to know about a tradable instrument. Prices inside the core are whole ticks and
 * quantities whole lots; the instrument owns the scales that turn them back into decimals at the edge
 * ({@link #parsePrice}, {@link #parseQuantity}, {@link #formatPrice}).
 *
 * @param id                  dense instrument id chosen by the operator (0 and up); the engine indexes books by it
 * @param symbol              display name, e.g. "BTC-PERP"
 * @param kind                perpetual, dated future, or option (an option's terms travel beside the spec, in an
 *                            {@link OptionSpec})
 * @param baseAsset           the asset the contract is on, e.g. "BTC"
 * @param settlementAsset     the asset PnL and margin are paid in, e.g. "USDC"
 * @param settlementScale     decimal places of the settlement asset's minor unit (USDC 6, BTC 8): money inside the
 *                            core is a long count of those minor units
 * @param tickSize            price increment in settlement-asset units per base unit, e.g. 0.1
 * @param lotSize             quantity increment in base units, e.g. 0.001
 * @param contractMultiplier  base units per contract unit; 1 for linear perpetuals quoted per coin, e.g. 100 for an
 *                            option on 100 units
 * @param minQuantity         smallest order in lots (at least 1)
 * @param maxQuantity         largest order in lots
 * @param maxPrice            highest acceptable limit or trigger price in ticks
 * @param priceBandPpm        limit prices further than this from the reference price (mark, else last trade) are
 *                            rejected; 0 turns the band off
 * @param marketProtectionPpm a market order never trades further than this from the best opposite price at
 *                            its arrival; the remainder is canceled
 * @param makerFeePpm         fee on a maker fill's notional in ppm; negative is a rebate, never larger than the
 *                            taker fee, so the venue never pays out more on a trade than it collects
 * @param takerFeePpm         fee on a taker fill's notional in ppm
 * @param expiryTimestamp     expiry of a dated future or an option in the command clock (epoch nanoseconds), 0 for
 *                            perpetuals
 */
public record InstrumentSpec(
        int id,
        String symbol,
        InstrumentKind kind,
        String baseAsset,
        String settlementAsset,
        int settlementScale,
        BigDecimal tickSize,
        BigDecimal lotSize,
        BigDecimal contractMultiplier,
        long minQuantity,
        long maxQuantity,
        long maxPrice,
        long priceBandPpm,
        long marketProtectionPpm,
        long makerFeePpm,
        long takerFeePpm,
        long expiryTimestamp) {

    /** Largest price the core accepts, so that price x quantity products stay far from overflow in 128-bit helpers. */
    public static final long PRICE_LIMIT = 1L << 50;

    /**
     * Largest notional of one order, in settlement minor units: maxPrice x maxQuantity x minorUnitsPerTickLot must not
     * exceed it. 2^52 leaves a factor of 2048 below Long.MAX_VALUE, so that a position built from a thousand
     * maximum-size orders, its margin and its PnL still fit a long; larger venues set position limits.
     */
    public static final long MAX_ORDER_NOTIONAL = 1L << 52;

    /** Largest settlement scale: 18 decimals is the most a long minor unit can usefully carry. */
    public static final int MAX_SETTLEMENT_SCALE = 18;

    /**
     * Returns null when the spec is usable, else {@link RejectReason#INVALID_INSTRUMENT}. Besides ranges, the value of
     * one lot moving one tick must be a whole number of settlement minor units ({@link #minorUnitsPerTickLot()}), so
     * that every PnL, fee base and notional is an exact integer product and nothing is rounded per fill.
     */
    public RejectReason validate() {
        boolean ok = id >= 0
                && symbol != null && !symbol.isBlank()
                && kind != null && baseAsset != null && settlementAsset != null
                && settlementScale >= 0 && settlementScale <= MAX_SETTLEMENT_SCALE
                && tickSize != null && tickSize.signum() > 0
                && lotSize != null && lotSize.signum() > 0
                && contractMultiplier != null && contractMultiplier.signum() > 0
                && isWholePositiveLong(tickValueInMinorUnits())
                && withinNotionalLimit()
                && minQuantity >= 1 && maxQuantity >= minQuantity
                && maxPrice >= 1 && maxPrice <= PRICE_LIMIT
                && priceBandPpm >= 0 && priceBandPpm < FixedPoint.PPM * 100
                && marketProtectionPpm > 0 && marketProtectionPpm < FixedPoint.PPM
                && takerFeePpm >= 0 && takerFeePpm < FixedPoint.PPM && makerFeePpm >= -takerFeePpm
                && makerFeePpm < FixedPoint.PPM
                && (kind == InstrumentKind.PERPETUAL) == (expiryTimestamp == 0)
                && expiryTimestamp >= 0;
        return ok ? null : RejectReason.INVALID_INSTRUMENT;
    }

    /**
     * Settlement-asset minor units that one lot gains or loses when the price moves one tick:
     * tickSize x lotSize x contractMultiplier x 10^settlementScale. BTC-PERP with tick 0.1, lot 0.001 and USDC (6)
     * gives 100. Only meaningful for a spec that {@link #validate() validates}.
     */
    public long minorUnitsPerTickLot() {
        return tickValueInMinorUnits().longValueExact();
    }

    private BigDecimal tickValueInMinorUnits() {
        if (tickSize == null || lotSize == null || contractMultiplier == null || settlementScale < 0
                || settlementScale > MAX_SETTLEMENT_SCALE) {
            return BigDecimal.ZERO;
        }
        return tickSize.multiply(lotSize).multiply(contractMultiplier).movePointRight(settlementScale);
    }

    private boolean withinNotionalLimit() {
        if (maxPrice < 1 || maxQuantity < 1) {
            return false;
        }
        BigDecimal largest = tickValueInMinorUnits().multiply(BigDecimal.valueOf(maxPrice))
                .multiply(BigDecimal.valueOf(maxQuantity));
        return largest.compareTo(BigDecimal.valueOf(MAX_ORDER_NOTIONAL)) <= 0;
    }

    private static boolean isWholePositiveLong(BigDecimal value) {
        return value.signum() > 0 && value.stripTrailingZeros().scale() <= 0
                && value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    /** Price string to ticks; rejects malformed, too many decimals, off-tick and out-of-range values. */
    public Parsed parsePrice(String text) {
        Parsed parsed = Decimals.toSteps(text, tickSize, RejectReason.OFF_TICK);
        if (!parsed.isOk()) {
            return parsed;
        }
        if (parsed.value() <= 0) {
            return Parsed.rejected(RejectReason.INVALID_PRICE);
        }
        return parsed.value() > maxPrice ? Parsed.rejected(RejectReason.PRICE_ABOVE_MAX) : parsed;
    }

    /** Quantity string to lots; rejects malformed, too many decimals, off-lot, non-positive and oversize values. */
    public Parsed parseQuantity(String text) {
        Parsed parsed = Decimals.toSteps(text, lotSize, RejectReason.OFF_LOT);
        if (!parsed.isOk()) {
            return parsed;
        }
        if (parsed.value() <= 0) {
            return Parsed.rejected(RejectReason.INVALID_QUANTITY);
        }
        return parsed.value() > maxQuantity ? Parsed.rejected(RejectReason.QUANTITY_ABOVE_MAX) : parsed;
    }

    public String formatPrice(long ticks) {
        return Decimals.formatSteps(ticks, tickSize);
    }

    public String formatQuantity(long lots) {
        return Decimals.formatSteps(lots, lotSize);
    }

    /**
     * A linear perpetual settled in a 6-decimal stablecoin (USDC, USDT) with common defaults: multiplier 1, 5% price
     * band, 5% market protection, min 1 lot, max 1e6 lots, maker fee 0.02%, taker fee 0.05%, and the highest price
     * that keeps one order's notional within {@link #MAX_ORDER_NOTIONAL} (4.5 million USD for BTC-PERP with tick 0.1
     * and lot 0.001).
     */
    public static InstrumentSpec perpetual(int id, String symbol, String base, String settlement,
                                           String tickSize, String lotSize) {
        BigDecimal tick = new BigDecimal(tickSize);
        BigDecimal lot = new BigDecimal(lotSize);
        long maxQuantity = 1_000_000L;
        BigDecimal unit = tick.multiply(lot).movePointRight(6);
        long maxPrice = unit.signum() <= 0 ? 1 : Math.max(1, Math.min(PRICE_LIMIT,
                BigDecimal.valueOf(MAX_ORDER_NOTIONAL).divide(unit.multiply(BigDecimal.valueOf(maxQuantity)),
                        0, RoundingMode.FLOOR).longValue()));
        return new InstrumentSpec(id, symbol, InstrumentKind.PERPETUAL, base, settlement, 6, tick, lot,
                BigDecimal.ONE, 1, maxQuantity, maxPrice, 50_000, 50_000, 200, 500, 0);
    }

    /**
     * A European option (kind {@link InstrumentKind#OPTION}) whose terms come in an {@link OptionSpec}: price in ticks
     * of premium per base unit, quantity in lots of {@code lotSize} contracts of {@code contractMultiplier} base units,
     * expiring at {@code expiryTimestamp} (epoch nanoseconds). Defaults: no price band (option marks come from a
     * model, not the book), 50% market protection, min 1 lot, max 1e6 lots, maker fee 0.01%, taker fee 0.03% of the
     * premium, and the highest price that keeps one order's premium within {@link #MAX_ORDER_NOTIONAL}.
     */
    public static InstrumentSpec option(int id, String symbol, String base, String settlement, int settlementScale,
                                        String tickSize, String lotSize, String contractMultiplier,
                                        long expiryTimestamp) {
        BigDecimal tick = new BigDecimal(tickSize);
        BigDecimal lot = new BigDecimal(lotSize);
        BigDecimal multiplier = new BigDecimal(contractMultiplier);
        long maxQuantity = 1_000_000L;
        BigDecimal unit = tick.multiply(lot).multiply(multiplier).movePointRight(Math.max(0, settlementScale));
        long maxPrice = unit.signum() <= 0 ? 1 : Math.max(1, Math.min(PRICE_LIMIT,
                BigDecimal.valueOf(MAX_ORDER_NOTIONAL).divide(unit.multiply(BigDecimal.valueOf(maxQuantity)),
                        0, RoundingMode.FLOOR).longValue()));
        return new InstrumentSpec(id, symbol, InstrumentKind.OPTION, base, settlement, settlementScale, tick, lot,
                multiplier, 1, maxQuantity, maxPrice, 0, 500_000, 100, 300, expiryTimestamp);
    }

    /** Copy with a different maximum price in ticks. */
    public InstrumentSpec withMaxPrice(long ticks) {
        return new InstrumentSpec(id, symbol, kind, baseAsset, settlementAsset, settlementScale, tickSize, lotSize,
                contractMultiplier, minQuantity, maxQuantity, ticks, priceBandPpm, marketProtectionPpm, makerFeePpm,
                takerFeePpm, expiryTimestamp);
    }

    /** Copy with a different price band (ppm, 0 = off). */
    public InstrumentSpec withPriceBandPpm(long ppm) {
        return new InstrumentSpec(id, symbol, kind, baseAsset, settlementAsset, settlementScale, tickSize, lotSize,
                contractMultiplier, minQuantity, maxQuantity, maxPrice, ppm, marketProtectionPpm, makerFeePpm,
                takerFeePpm, expiryTimestamp);
    }

    /** Copy with a different market-order protection band (ppm). */
    public InstrumentSpec withMarketProtectionPpm(long ppm) {
        return new InstrumentSpec(id, symbol, kind, baseAsset, settlementAsset, settlementScale, tickSize, lotSize,
                contractMultiplier, minQuantity, maxQuantity, maxPrice, priceBandPpm, ppm, makerFeePpm,
                takerFeePpm, expiryTimestamp);
    }

    /** Copy with different maker and taker fees (ppm). */
    public InstrumentSpec withFeesPpm(long maker, long taker) {
        return new InstrumentSpec(id, symbol, kind, baseAsset, settlementAsset, settlementScale, tickSize, lotSize,
                contractMultiplier, minQuantity, maxQuantity, maxPrice, priceBandPpm, marketProtectionPpm, maker, taker,
                expiryTimestamp);
    }

    /** Copy with different order-size limits in lots. */
    public InstrumentSpec withQuantityLimits(long min, long max) {
        return new InstrumentSpec(id, symbol, kind, baseAsset, settlementAsset, settlementScale, tickSize, lotSize,
                contractMultiplier, min, max, maxPrice, priceBandPpm, marketProtectionPpm,
                makerFeePpm, takerFeePpm, expiryTimestamp);
    }
}
