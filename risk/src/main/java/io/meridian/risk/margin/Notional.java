package io.meridian.risk.margin;

import io.meridian.model.InstrumentSpec;

/**
 * Position values of linear instruments in settlement minor units, exact (checked {@code long} products, no
 * rounding): one lot moving one tick is worth {@link InstrumentSpec#minorUnitsPerTickLot()} minor units.
 */
public final class Notional {

    private Notional() {
    }

    /** |sizeLots| x priceTicks x minorUnitsPerTickLot. */
    public static long of(long sizeLots, long priceTicks, long minorUnitsPerTickLot) {
        return Math.multiplyExact(Math.multiplyExact(Math.absExact(sizeLots), priceTicks), minorUnitsPerTickLot);
    }

    /** |sizeLots| x priceTicks x spec.minorUnitsPerTickLot(). */
    public static long of(InstrumentSpec spec, long sizeLots, long priceTicks) {
        return of(sizeLots, priceTicks, spec.minorUnitsPerTickLot());
    }

    /** Signed value sizeLots x priceTicks x minorUnitsPerTickLot (positive for a long). */
    public static long value(long sizeLots, long priceTicks, long minorUnitsPerTickLot) {
        return Math.multiplyExact(Math.multiplyExact(sizeLots, priceTicks), minorUnitsPerTickLot);
    }

    /**
     * Unrealised PnL at {@code priceTicks} of a position with signed size and signed cost basis {@code openValue}
     * (sizeLots x entry x minorUnitsPerTickLot for a single entry price): value at the price minus the basis.
     */
    public static long unrealizedPnl(long sizeLots, long openValue, long priceTicks, long minorUnitsPerTickLot) {
        return Math.subtractExact(value(sizeLots, priceTicks, minorUnitsPerTickLot), openValue);
    }
}
