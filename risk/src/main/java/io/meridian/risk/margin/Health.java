package io.meridian.risk.margin;

import io.meridian.model.FixedPoint;
import io.meridian.model.InstrumentSpec;

/**
 * Account health, margin ratio and liquidation price. Pure integer functions of equity (collateral plus unrealised
 * PnL, settlement minor units) and maintenance margin (MM, minor units, already rounded up by the {@link MarginModel}).
 *
 * <p><b>The liquidation rule</b> all three agree on: an account is liquidatable when it holds a margin requirement
 * and its equity is at or below it, {@code MM > 0 && equity <= MM} ({@link #isLiquidatable}). Equality counts as
 * liquidatable, and MM is rounded up, so at the boundary the venue acts rather than waits. Health is 0 exactly
 * when that holds (for MM > 0), and the margin ratio is then >= 100%.
 */
public final class Health {
    /** {@link #liquidationPrice} when no positive price liquidates the position. */
    public static final long NO_LIQUIDATION_PRICE = 0;
    /** Largest |notional| the liquidation-price search evaluates, leaving headroom for equity arithmetic. */
    private static final long MAX_SEARCH_NOTIONAL = Long.MAX_VALUE >> 2;

    private Health() {
    }

    /**
     * Health 0..100 as Drift defines it, 100 x (1 - MM / equity), clamped to [0, 100] and rounded down (against the
     * account): 100 with no requirement (MM <= 0) and equity >= 0; 0 when equity <= MM (liquidatable) or equity < 0.
     */
    public static int health(long equity, long maintenanceMargin) {
        if (maintenanceMargin <= 0 && equity >= 0) {
            return 100;
        }
        if (equity <= maintenanceMargin || equity <= 0) {
            return 0;
        }
        // 0 < MM < equity here, so the result is in 0..99.
        return (int) FixedPoint.mulDivFloor(100, equity - maintenanceMargin, equity);
    }

    /**
     * Margin ratio MM / equity in ppm, rounded up (against the account): 1,000,000 = 100% = liquidatable.
     * {@code Long.MAX_VALUE} when equity <= 0 with a requirement, or when the ratio does not fit a long; 0 when
     * there is no requirement.
     */
    public static long marginRatioPpm(long equity, long maintenanceMargin) {
        if (maintenanceMargin <= 0) {
            return equity >= 0 ? 0 : Long.MAX_VALUE;
        }
        if (equity <= 0 || maintenanceMargin / equity >= Long.MAX_VALUE / FixedPoint.PPM) {
            return Long.MAX_VALUE;
        }
        return FixedPoint.mulDivCeil(maintenanceMargin, FixedPoint.PPM, equity);
    }

    /** MM > 0 and equity <= MM. */
    public static boolean isLiquidatable(long equity, long maintenanceMargin) {
        return maintenanceMargin > 0 && equity <= maintenanceMargin;
    }

    /** {@link #liquidationPrice(MarginModel, long, long, long, long, long)} with the instrument's tick-lot value. */
    public static long liquidationPrice(MarginModel model, InstrumentSpec spec, long sizeLots, long openValue,
                                        long collateral, long otherMaintenanceMargin) {
        return liquidationPrice(model, spec.minorUnitsPerTickLot(), sizeLots, openValue, collateral,
                otherMaintenanceMargin);
    }

    /**
     * The liquidation price, in ticks, of one linear position: where the equity falls to the maintenance margin.
     * <pre>
     *   equity(p) = collateral + sizeLots x p x minorUnitsPerTickLot - openValue
     *   required(p) = model.maintenanceMargin(sizeLots, |sizeLots| x p x minorUnitsPerTickLot) + otherMaintenanceMargin
     * </pre>
     * Isolated mode: {@code collateral} is the position's isolated margin and {@code otherMaintenanceMargin} 0.
     * Cross mode: {@code collateral} is the wallet balance plus the other positions' unrealised PnL, and
     * {@code otherMaintenanceMargin} their MM, both held constant. {@code openValue} is the signed cost basis
     * (sizeLots x entry x minorUnitsPerTickLot for a single entry price).
     *
     * <p><b>Tiers.</b> The search evaluates the model's own MM at each candidate price, so a tier change as the price
     * (hence the notional) moves is accounted for exactly, and the result is consistent with {@link #isLiquidatable}
     * at every tick. {@code surplus(p) = equity(p) - required(p)} is non-decreasing in p for a long and decreasing
     * for a short (MMR < 100%), so a binary search over ticks (at most ~50 steps, no allocation) finds the boundary.
     *
     * <p><b>Rounding (venue-safe).</b> The real root is rounded to the tick on the liquidating side, i.e. toward the
     * price that liquidates earlier; together with MM rounded up and equality counted as liquidatable:
     * <ul>
     * <li>long: the highest tick P with equity(P) <= required(P); liquidate when mark <= P. At P + 1 the account is
     * not liquidatable, and at P it is within one tick's value of the boundary.</li>
     * <li>short: the lowest tick P with equity(P) <= required(P); liquidate when mark >= P.</li>
     * </ul>
     *
     * <p><b>Special results.</b> {@link #NO_LIQUIDATION_PRICE} (0) when size is 0, when a long survives even at
     * price 1 tick (fully collateralised), or when a short survives every price up to the search bound
     * ({@link InstrumentSpec#PRICE_LIMIT}, or lower when the notional would exceed 2^61). When the account is
     * liquidatable at every price of the search range: {@code Long.MAX_VALUE} for a long (any mark triggers) and 1
     * for a short.
     *
     * @param minorUnitsPerTickLot value of one lot moving one tick, minor units (> 0)
     */
    public static long liquidationPrice(MarginModel model, long minorUnitsPerTickLot, long sizeLots, long openValue,
                                        long collateral, long otherMaintenanceMargin) {
        if (minorUnitsPerTickLot <= 0) {
            throw new IllegalArgumentException("minorUnitsPerTickLot must be positive: " + minorUnitsPerTickLot);
        }
        if (sizeLots == 0) {
            return NO_LIQUIDATION_PRICE;
        }
        long perTick = Math.multiplyExact(Math.absExact(sizeLots), minorUnitsPerTickLot);
        long hi = Math.min(InstrumentSpec.PRICE_LIMIT, MAX_SEARCH_NOTIONAL / perTick);
        if (hi < 2) {
            throw new ArithmeticException("position too large for the liquidation-price search: " + sizeLots);
        }
        if (sizeLots > 0) {
            if (surplus(model, minorUnitsPerTickLot, sizeLots, openValue, collateral, otherMaintenanceMargin, 1) > 0) {
                return NO_LIQUIDATION_PRICE;
            }
            if (surplus(model, minorUnitsPerTickLot, sizeLots, openValue, collateral, otherMaintenanceMargin, hi) <= 0) {
                return Long.MAX_VALUE;
            }
            // invariant: surplus(lo) <= 0 < surplus(hi)
            long lo = 1;
            while (hi - lo > 1) {
                long mid = lo + (hi - lo) / 2;
                if (surplus(model, minorUnitsPerTickLot, sizeLots, openValue, collateral, otherMaintenanceMargin, mid) <= 0) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
        if (surplus(model, minorUnitsPerTickLot, sizeLots, openValue, collateral, otherMaintenanceMargin, hi) > 0) {
            return NO_LIQUIDATION_PRICE;
        }
        if (surplus(model, minorUnitsPerTickLot, sizeLots, openValue, collateral, otherMaintenanceMargin, 1) <= 0) {
            return 1;
        }
        // invariant: surplus(lo) > 0 >= surplus(hi)
        long lo = 1;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (surplus(model, minorUnitsPerTickLot, sizeLots, openValue, collateral, otherMaintenanceMargin, mid) <= 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** equity(p) - required(p), exact. */
    private static long surplus(MarginModel model, long unit, long sizeLots, long openValue, long collateral,
                                long otherMaintenanceMargin, long price) {
        long equity = Math.addExact(collateral, Notional.unrealizedPnl(sizeLots, openValue, price, unit));
        long mm = model.maintenanceMargin(sizeLots, Notional.of(sizeLots, price, unit));
        return Math.subtractExact(equity, Math.addExact(mm, otherMaintenanceMargin));
    }
}
