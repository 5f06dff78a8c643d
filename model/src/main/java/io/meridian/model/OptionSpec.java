package io.meridian.model;

import java.math.BigDecimal;

/**
 * The terms of a European, cash-settled option on an index (Deribit style), carried by {@code ADD_INSTRUMENT} in
 * {@link Command#optionSpec} next to an {@link InstrumentSpec} of kind {@link InstrumentKind#OPTION}. The instrument
 * spec keeps what every instrument has: tick and lot, the contract multiplier (base units of the underlying per
 * contract), fees and the expiry ({@link InstrumentSpec#expiryTimestamp()}, epoch nanoseconds of the command clock).
 * Prices of an option are its premium per base unit of the underlying in the settlement currency, in ticks; one lot
 * is {@code lotSize x contractMultiplier} base units. At expiry every position is settled in cash at the intrinsic
 * value of the time-weighted index average over the settlement window (docs/options.md, "Instruments, chains and
 * expiry").
 *
 * @param indexId               the underlying: an index created by {@code ADD_INDEX}, in the settlement currency
 * @param strike                the strike in the index's currency per base unit, e.g. 60000; it must be a whole
 *                              number of the index's price units ({@code strike x 10^priceDecimals} integral)
 * @param right                 call or put
 * @param settlementWindowNanos the settlement price averages the index over this long before expiry (Deribit: 30
 *                              minutes), 1 ns .. {@link #MAX_SETTLEMENT_WINDOW_NANOS}
 * @param initialVolPpm         annualised volatility (ppm: 800,000 = 80%) that marks the option until a
 *                              {@code SET_MARK_PRICE} implies another, 1 .. {@link #MAX_VOL_PPM}
 */
public record OptionSpec(int indexId, BigDecimal strike, OptionRight right, long settlementWindowNanos,
                         long initialVolPpm) {

    /** Thirty minutes: Deribit's settlement window. */
    public static final long DEFAULT_SETTLEMENT_WINDOW_NANOS = 30L * 60 * 1_000_000_000L;
    /** The longest settlement window: one day. */
    public static final long MAX_SETTLEMENT_WINDOW_NANOS = 24L * 3_600 * 1_000_000_000L;
    /** 80%: a typical at-the-money volatility of BTC, used until a mark implies one. */
    public static final long DEFAULT_INITIAL_VOL_PPM = 800_000L;
    /** 1000%: the implied-volatility solver's upper end. */
    public static final long MAX_VOL_PPM = 10_000_000L;
    /** The largest strike (in the index's currency), so that strike x 10^decimals stays far from overflow. */
    public static final BigDecimal MAX_STRIKE = new BigDecimal("1000000000000000");

    /** An option with Deribit's 30-minute settlement window and an 80% initial volatility. */
    public static OptionSpec of(int indexId, String strike, OptionRight right) {
        return new OptionSpec(indexId, new BigDecimal(strike), right, DEFAULT_SETTLEMENT_WINDOW_NANOS,
                DEFAULT_INITIAL_VOL_PPM);
    }

    public OptionSpec withSettlementWindow(long nanos) {
        return new OptionSpec(indexId, strike, right, nanos, initialVolPpm);
    }

    public OptionSpec withInitialVolPpm(long ppm) {
        return new OptionSpec(indexId, strike, right, settlementWindowNanos, ppm);
    }

    /**
     * Returns null when the terms are usable on their own, else {@link RejectReason#INVALID_OPTION}. The engine checks
     * the rest against its state: the index exists ({@code UNKNOWN_INDEX}), the strike is whole in its units
     * ({@code INVALID_STRIKE}) and the expiry is in the future ({@code OPTION_EXPIRY_PASSED}).
     */
    public RejectReason validate() {
        boolean ok = indexId >= 0 && indexId < IndexSpec.MAX_INDEXES && strike != null && strike.signum() > 0
                && strike.compareTo(MAX_STRIKE) <= 0 && right != null && settlementWindowNanos > 0
                && settlementWindowNanos <= MAX_SETTLEMENT_WINDOW_NANOS && initialVolPpm > 0
                && initialVolPpm <= MAX_VOL_PPM;
        return ok ? null : RejectReason.INVALID_OPTION;
    }

    /**
     * The strike in units of {@code 10^-priceDecimals} (the index's price units), or -1 when it is not a whole number
     * of them or more than {@link InstrumentSpec#PRICE_LIMIT} of them. Only meaningful for terms that
     * {@link #validate() validate}.
     */
    public long strikeUnits(int priceDecimals) {
        BigDecimal units = strike.movePointRight(priceDecimals).stripTrailingZeros();
        if (units.scale() > 0 || units.signum() <= 0
                || units.compareTo(BigDecimal.valueOf(InstrumentSpec.PRICE_LIMIT)) > 0) {
            return -1;
        }
        return units.longValueExact();
    }
}
