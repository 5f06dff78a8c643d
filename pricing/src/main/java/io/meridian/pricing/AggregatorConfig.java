package io.meridian.pricing;

import io.meridian.model.FixedPoint;

import java.util.Map;

/**
 * Settings of an {@link IndexAggregator}. Times are nanoseconds, bands and rates ppm of a price
 * ({@link io.meridian.model.FixedPoint#PPM} = 100%).
 *
 * @param maxSources         capacity: source ids are 0 .. maxSources - 1 (1 .. 64; the arrays are preallocated)
 * @param stalenessNanos     a source whose last report is older than this ({@code now - sourceTimestamp > limit})
 *                           has weight zero; must be positive
 * @param outlierBandPpm     a fresh price further than {@code floor(median x band / 1e6)} from the median is an
 *                           outlier; 0 disables the rule
 * @param outlierMode        {@link OutlierMode#CLAMP} (move it to the band edge) or {@link OutlierMode#DROP}
 * @param minFreshSources    fewer fresh (non-dropped) sources than this marks the index stale; at least 1
 * @param maxMovePpmPerSecond circuit breaker: the index may move at most this fraction of the previous published
 *                           index per second of command time since it was published ({@code IndexAggregator} has the
 *                           exact rule); 0 disables it
 * @param maxMoveAccrualNanos the longest gap the breaker's allowance grows over: after a silence (or a stale spell)
 *                           longer than this, the next index may move at most this long's worth; 1 ns .. 1 hour
 * @param maxConfidencePpm   a report whose confidence (half-width, price units) is above
 *                           {@code floor(price x maxConfidence / 1e6)} is rejected; 0 disables the check
 * @param defaultWeight      weight of a source not listed in {@code sourceWeights}; 1 .. 1e12
 * @param sourceWeights      per-source weights by source id (0 .. 1e12; 0 = the source never counts); looked up at
 *                           registration only, never iterated
 */
public record AggregatorConfig(int maxSources, long stalenessNanos, long outlierBandPpm, OutlierMode outlierMode,
                               int minFreshSources, long maxMovePpmPerSecond, long maxMoveAccrualNanos,
                               long maxConfidencePpm, long defaultWeight,
                               Map<Integer, Long> sourceWeights) {

    /** Largest accepted weight: keeps the sum of 64 weights, doubled, far from overflow. */
    public static final long MAX_WEIGHT = 1_000_000_000_000L;
    /** Largest capacity; the median is an insertion sort, meant for a few dozen sources. */
    public static final int MAX_SOURCES = 64;

    /** Default staleness limit: 60 seconds. */
    public static final long DEFAULT_STALENESS_NANOS = 60_000_000_000L;
    /** Default outlier band: 5% of the median. */
    public static final long DEFAULT_OUTLIER_BAND_PPM = 50_000L;
    /** Default minimum number of fresh sources: 3. */
    public static final int DEFAULT_MIN_FRESH_SOURCES = 3;
    /** Default circuit breaker: at most 0.5% of the index per second of command time (30% a minute). */
    public static final long DEFAULT_MAX_MOVE_PPM_PER_SECOND = 5_000L;
    /** Default cap of the breaker's allowance after a gap: 10 seconds' worth (5% at the default rate). */
    public static final long DEFAULT_MAX_MOVE_ACCRUAL_NANOS = 10_000_000_000L;
    /** Largest accrual cap: one hour (keeps {@code rate x accrual} far below 2^63). */
    public static final long MAX_MOVE_ACCRUAL_NANOS = 3_600_000_000_000L;
    /** Nanoseconds per second, the breaker's time unit. */
    public static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Default confidence limit: 2% of the price. */
    public static final long DEFAULT_MAX_CONFIDENCE_PPM = 20_000L;
    /** Default capacity: 32 sources. */
    public static final int DEFAULT_MAX_SOURCES = 32;

    public AggregatorConfig {
        if (maxSources < 1 || maxSources > MAX_SOURCES) {
            throw new IllegalArgumentException("maxSources must be 1 .. " + MAX_SOURCES + ": " + maxSources);
        }
        if (stalenessNanos <= 0) {
            throw new IllegalArgumentException("stalenessNanos must be positive: " + stalenessNanos);
        }
        if (outlierBandPpm < 0 || maxMovePpmPerSecond < 0 || maxConfidencePpm < 0) {
            throw new IllegalArgumentException("bands must not be negative");
        }
        if (maxMovePpmPerSecond >= FixedPoint.PPM) {
            throw new IllegalArgumentException("maxMovePpmPerSecond must be below 1e6: " + maxMovePpmPerSecond);
        }
        if (maxMoveAccrualNanos < 1 || maxMoveAccrualNanos > MAX_MOVE_ACCRUAL_NANOS) {
            throw new IllegalArgumentException("maxMoveAccrualNanos must be 1 .. 3.6e12 (one hour): "
                    + maxMoveAccrualNanos);
        }
        if (outlierMode == null) {
            throw new IllegalArgumentException("outlierMode is required");
        }
        if (minFreshSources < 1 || minFreshSources > maxSources) {
            throw new IllegalArgumentException("minFreshSources must be 1 .. maxSources: " + minFreshSources);
        }
        if (defaultWeight < 1 || defaultWeight > MAX_WEIGHT) {
            throw new IllegalArgumentException("defaultWeight must be 1 .. 1e12: " + defaultWeight);
        }
        sourceWeights = sourceWeights == null ? Map.of() : Map.copyOf(sourceWeights);
        for (Map.Entry<Integer, Long> e : sourceWeights.entrySet()) {
            if (e.getValue() < 0 || e.getValue() > MAX_WEIGHT) {
                throw new IllegalArgumentException("weight of source " + e.getKey() + " must be 0 .. 1e12: " + e.getValue());
            }
        }
    }

    /**
     * The documented defaults (docs/pricing.md): equal weights, 60 s, 5% clamp, 3 sources, 0.5% per second with at
     * most 10 seconds' worth after a gap, 2%.
     */
    public static AggregatorConfig defaults() {
        return new AggregatorConfig(DEFAULT_MAX_SOURCES, DEFAULT_STALENESS_NANOS, DEFAULT_OUTLIER_BAND_PPM,
                OutlierMode.CLAMP, DEFAULT_MIN_FRESH_SOURCES, DEFAULT_MAX_MOVE_PPM_PER_SECOND,
                DEFAULT_MAX_MOVE_ACCRUAL_NANOS, DEFAULT_MAX_CONFIDENCE_PPM, 1, Map.of());
    }

    /** The weight a source registered under {@code sourceId} gets. */
    public long weightOf(int sourceId) {
        Long w = sourceWeights.get(sourceId);
        return w == null ? defaultWeight : w;
    }

    public AggregatorConfig withOutlierMode(OutlierMode mode) {
        return new AggregatorConfig(maxSources, stalenessNanos, outlierBandPpm, mode, minFreshSources,
                maxMovePpmPerSecond, maxMoveAccrualNanos, maxConfidencePpm, defaultWeight, sourceWeights);
    }

    /** The circuit breaker at {@code ppm} per second (0 = off), the accrual cap unchanged. */
    public AggregatorConfig withMaxMovePpmPerSecond(long ppm) {
        return new AggregatorConfig(maxSources, stalenessNanos, outlierBandPpm, outlierMode, minFreshSources, ppm,
                maxMoveAccrualNanos, maxConfidencePpm, defaultWeight, sourceWeights);
    }

    public AggregatorConfig withMaxMoveAccrualNanos(long nanos) {
        return new AggregatorConfig(maxSources, stalenessNanos, outlierBandPpm, outlierMode, minFreshSources,
                maxMovePpmPerSecond, nanos, maxConfidencePpm, defaultWeight, sourceWeights);
    }

    public AggregatorConfig withMinFreshSources(int n) {
        return new AggregatorConfig(maxSources, stalenessNanos, outlierBandPpm, outlierMode, n, maxMovePpmPerSecond,
                maxMoveAccrualNanos, maxConfidencePpm, defaultWeight, sourceWeights);
    }

    public AggregatorConfig withSourceWeights(Map<Integer, Long> weights) {
        return new AggregatorConfig(maxSources, stalenessNanos, outlierBandPpm, outlierMode, minFreshSources,
                maxMovePpmPerSecond, maxMoveAccrualNanos, maxConfidencePpm, defaultWeight, weights);
    }
}
