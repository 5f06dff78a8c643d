package io.meridian.simulator;

/**
 * What the stress lab runs the venue through: the index path as a multiple of the starting price over the script's
 * time, how the market makers' liquidity behaves, how the oracle sources see the index, and the venue's loss absorbers.
 * A scripted {@link Scenario} and a {@link CandleReplay} of real candles are both scripts; {@link StressRunner} runs
 * either the same way.
 *
 * <p>Script time {@code t} is in seconds from the script's start (fractional when a run is compressed).
 */
public interface MarketScript {
    /** A short name: the scenario id, or the replayed file's name. */
    String id();

    /** One line saying what happens. */
    String description();

    /** Length in script seconds. */
    int seconds();

    /** The index at {@code t} as a multiple of the index at the start. */
    double indexMultiple(double t);

    /** Market-maker liquidity at {@code t}: 1 normal, below 1 thinner and wider, 0 pulled. */
    double liquidity(double t);

    /**
     * Implied volatility at {@code t} as a multiple of its level at the start (runs with options): {@code 1 + 2 x
     * drawdown} from the highest index so far, unless a script says otherwise.
     */
    double volMultiple(double t);

    /** Capital of the backstop liquidity account in whole USDC; 0 = none. */
    long backstopUsdc();

    /** The insurance fund at the start, whole USDC. */
    long insuranceFundUsdc();

    /**
     * How far behind the index source {@code source} reports, in script seconds (0: it reports the index of the
     * moment). The sources of a real venue lag each other by a few seconds; scripted scenarios leave them in step.
     */
    default double sourceLatencySeconds(int source) {
        return 0;
    }

    /** The standard deviation of each source's noise around the index, in basis points. */
    default double sourceSpreadBps() {
        return 1.0;
    }

    /**
     * Venue-clock seconds per step of a run at the script's own length: 1 for the scenarios (a step is a second); a
     * replay's step is {@code --speed} seconds of the candles' time, so funding and the index's staleness follow the
     * market's own clock.
     */
    default long venueSecondsPerStep() {
        return 1;
    }

    /** Epoch nanoseconds of the script's start on the venue's clock (0: the lab's own, ten minutes before an hour). */
    default long startEpochNanos() {
        return 0;
    }

    /** The index price the script starts at, in USD, for reports (0: the lab's own start, 50,000 USD). */
    default double startPriceUsd() {
        return 0;
    }
}
