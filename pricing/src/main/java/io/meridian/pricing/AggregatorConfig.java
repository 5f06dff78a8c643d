package io.meridian.pricing;

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
 * @param maxMovePpm         circuit breaker: a new index further than {@code floor(previous x maxMove / 1e6)} from
 *                           the previous index is limited to that distance; 0 disables it
 * @param maxConfidencePpm   a report whose confidence (half-width, price units) is above
 *                           {@code floor(price x maxConfidence / 1e6)} is rejected; 0 disables the check
 * @param defaultWeight      weight of a source not listed in {@code sourceWeights}; 1 .. 1e12
 * @param sourceWeights      per-source weights by source id (0 .. 1e12; 0 = the source never counts); looked up at
 *                           registration only, never iterated
 */
public record AggregatorConfig(int maxSources, long stalenessNanos, long outlierBandPpm, OutlierMode outlierMode,
                               int minFreshSources, long maxMovePpm, long maxConfidencePpm, long defaultWeight,
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
    /** Default circuit breaker: at most 10% per update. */
    public static final long DEFAULT_MAX_MOVE_PPM = 100_000L;
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
        if (outlierBandPpm < 0 || maxMovePpm < 0 || maxConfidencePpm < 0) {
            throw new IllegalArgumentException("bands must not be negative");
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

    /** The documented defaults (docs/pricing.md): equal weights, 60 s, 5% clamp, 3 sources, 10% per update, 2%. */
    public static AggregatorConfig defaults() {
        return new AggregatorConfig(DEFAULT_MAX_SOURCES, DEFAULT_STALENESS_NANOS, DEFAULT_OUTLIER_BAND_PPM,
                OutlierMode.CLAMP, DEFAULT_MIN_FRESH_SOURCES, DEFAULT_MAX_MOVE_PPM, DEFAULT_MAX_CONFIDENCE_PPM, 1,
                Map.of());
    }

    /** The weight a source registered under {@code sourceId} gets. */
    public long weightOf(int sourceId) {
        Long w = sourceWeights.get(sourceId);
        return w == null ? defaultWeight : w;
    }

    public AggregatorConfig withOutlierMode(OutlierMode mode) {
        return new AggregatorConfig(maxSources, stalenessNanos, outlierBandPpm, mode, minFreshSources, maxMovePpm,
                maxConfidencePpm, defaultWeight, sourceWeights);
    }

    public AggregatorConfig withMaxMovePpm(long ppm) {
        return new AggregatorConfig(maxSources, stalenessNanos, outlierBandPpm, outlierMode, minFreshSources, ppm,
                maxConfidencePpm, defaultWeight, sourceWeights);
    }

    public AggregatorConfig withMinFreshSources(int n) {
        return new AggregatorConfig(maxSources, stalenessNanos, outlierBandPpm, outlierMode, n, maxMovePpm,
                maxConfidencePpm, defaultWeight, sourceWeights);
    }

    public AggregatorConfig withSourceWeights(Map<Integer, Long> weights) {
        return new AggregatorConfig(maxSources, stalenessNanos, outlierBandPpm, outlierMode, minFreshSources, maxMovePpm,
                maxConfidencePpm, defaultWeight, weights);
    }
}
