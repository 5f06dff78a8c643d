package io.meridian.engine;

import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionSpec;
import io.meridian.model.StateHasher;

import java.math.BigInteger;

/**
 * One listed option inside the engine: its terms in the units the engine computes with, its place in the underlying's
 * margin table and settlement window, and where it is in its life (trading, expired and awaiting a settlement price,
 * settled). Engine thread only.
 */
final class OptionSeries {
    /** Open for trading. */
    static final int TRADING = 0;
    /** Expired and closed to trading; positions wait for a settlement window with enough evidence. */
    static final int AWAITING_PRICE = 1;
    /** Expired and settled: no orders, no positions. */
    static final int SETTLED = 2;

    final int instrument;
    final InstrumentSpec spec;
    final OptionSpec option;
    final OptionUnderlying underlying;
    /** The strike in index price units. */
    final long strikeUnits;
    /** The series id in the underlying's scenario table. */
    final int series;
    final SettlementWindow window;
    /**
     * Settlement value of one lot per index unit of intrinsic value, in settlement minor units, as the exact fraction
     * {@code unitNumerator / unitDenominator}: {@code lotSize x contractMultiplier x 10^(settlementScale - decimals)}.
     */
    final long unitNumerator;
    final long unitDenominator;
    int state = TRADING;
    long settlementPrice;

    OptionSeries(int instrument, InstrumentSpec spec, OptionSpec option, OptionUnderlying underlying, long strikeUnits,
                 int series, SettlementWindow window, long unitNumerator, long unitDenominator) {
        this.instrument = instrument;
        this.spec = spec;
        this.option = option;
        this.underlying = underlying;
        this.strikeUnits = strikeUnits;
        this.series = series;
        this.window = window;
        this.unitNumerator = unitNumerator;
        this.unitDenominator = unitDenominator;
    }

    /**
     * The settlement value of {@code lots} (signed) at an intrinsic value of {@code intrinsic} index units per base unit:
     * {@code intrinsic x |lots| x unit}, rounded down for a long (what it receives) and up for a short (what it pays,
     * returned negative), so that the longs never receive more than the shorts pay.
     */
    long settlementValue(long intrinsic, long lots) {
        BigInteger[] qr = BigInteger.valueOf(intrinsic).multiply(BigInteger.valueOf(Math.abs(lots)))
                .multiply(BigInteger.valueOf(unitNumerator)).divideAndRemainder(BigInteger.valueOf(unitDenominator));
        long value = qr[0].longValueExact();
        if (lots > 0) {
            return value;
        }
        return -(qr[1].signum() != 0 ? Math.addExact(value, 1) : value);
    }

    void hashState(StateHasher hasher) {
        hasher.add(instrument).add(option.toString()).add(strikeUnits).add(series).add(unitNumerator)
                .add(unitDenominator).add(state).add(settlementPrice);
    }
}
