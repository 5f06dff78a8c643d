package io.meridian.model;

import java.util.List;

/**
 * An index price: the robust aggregate of several named price sources for one underlying, created by
 * {@code ADD_INDEX}. Prices are longs in units of {@code 10^-priceDecimals} of the quote currency (the settlement
 * asset's unit, e.g. USD for USDC-settled perpetuals); instruments that reference the index convert them to their
 * own ticks. The aggregation rules and why each default was chosen are in docs/pricing.md.
 *
 * @param id                  dense index id chosen by the operator (0 .. {@link #MAX_INDEXES} - 1)
 * @param symbol              display name, e.g. "BTC-USD"
 * @param priceDecimals       decimal places of reported prices, 0 .. {@link #MAX_PRICE_DECIMALS}
 * @param sources             source names in source-id order (a report names its source by position), 1 .. 64
 * @param weights             per-source weights (0 disables, at most 1e12), or null for equal weights
 * @param stalenessNanos      a report older than this (command clock) no longer counts
 * @param outlierBandPpm      a source further than this from the median is clamped or dropped; 0 = off
 * @param dropOutliers        true drops an outlier, false clamps it to the band edge (the Binance rule)
 * @param minFreshSources     fewer fresh sources than this marks the index stale
 * @param maxMovePpmPerSecond circuit breaker: largest move per second of command time, ppm of the index, with at
 *                            most {@link #MAX_MOVE_ACCRUAL_NANOS} of allowance after a gap; 0 = off
 * @param maxConfidencePpm    a report whose confidence interval is wider than this fraction is refused; 0 = off
 * @param reduceOnlyWhenStale while the index is stale, instruments on it accept reduce-only orders only
 * @param divergenceWindowNanos window of the moving average the divergence guard compares the index with
 * @param maxDivergencePpm    an index further than this from its moving average is flagged; 0 = guard off
 * @param holdOnDivergence    while flagged and the sources disagree (at least one was an outlier), treat the index as
 *                            stale (marks freeze, no liquidations) instead of only reporting it; a diverged index on
 *                            which the sources agree is a real move and is only reported
 */
public record IndexSpec(int id, String symbol, int priceDecimals, List<String> sources, List<Long> weights,
                        long stalenessNanos, long outlierBandPpm, boolean dropOutliers, int minFreshSources,
                        long maxMovePpmPerSecond, long maxConfidencePpm, boolean reduceOnlyWhenStale,
                        long divergenceWindowNanos, long maxDivergencePpm, boolean holdOnDivergence) {

    public static final int MAX_INDEXES = 1024;
    public static final int MAX_SOURCES = 64;
    public static final int MAX_PRICE_DECIMALS = 12;
    public static final long MAX_WEIGHT = 1_000_000_000_000L;
    /** Defaults, the same as the aggregator's (docs/pricing.md explains each). */
    public static final long DEFAULT_STALENESS_NANOS = 60_000_000_000L;
    public static final long DEFAULT_OUTLIER_BAND_PPM = 50_000L;
    public static final int DEFAULT_MIN_FRESH_SOURCES = 3;
    /** 0.5% of the index per second of command time: 30% a minute, far above a real index's pace (docs/pricing.md). */
    public static final long DEFAULT_MAX_MOVE_PPM_PER_SECOND = 5_000L;
    /** The breaker's allowance grows with the time since it was last spent, but by at most 10 seconds' worth. */
    public static final long MAX_MOVE_ACCRUAL_NANOS = 10_000_000_000L;
    public static final long DEFAULT_MAX_CONFIDENCE_PPM = 20_000L;
    /** Ten minutes: slower than any single update, fast enough to catch a walk at the breaker's pace. */
    public static final long DEFAULT_DIVERGENCE_WINDOW_NANOS = 600_000_000_000L;
    /** 10% from the ten-minute average: the guard is on by default (docs/pricing.md, "Divergence guard"). */
    public static final long DEFAULT_MAX_DIVERGENCE_PPM = 100_000L;

    public IndexSpec {
        sources = sources == null ? null : List.copyOf(sources);
        weights = weights == null ? null : List.copyOf(weights);
    }

    /**
     * An index with the default rules and equal weights; at least one source name. The divergence guard is on: 10%
     * from the ten-minute average, holding while the sources disagree.
     */
    public static IndexSpec of(int id, String symbol, int priceDecimals, String... sources) {
        return new IndexSpec(id, symbol, priceDecimals, List.of(sources), null, DEFAULT_STALENESS_NANOS,
                DEFAULT_OUTLIER_BAND_PPM, false, Math.min(DEFAULT_MIN_FRESH_SOURCES, sources.length),
                DEFAULT_MAX_MOVE_PPM_PER_SECOND, DEFAULT_MAX_CONFIDENCE_PPM, false, DEFAULT_DIVERGENCE_WINDOW_NANOS,
                DEFAULT_MAX_DIVERGENCE_PPM, true);
    }

    public IndexSpec withMinFreshSources(int n) {
        return new IndexSpec(id, symbol, priceDecimals, sources, weights, stalenessNanos, outlierBandPpm, dropOutliers,
                n, maxMovePpmPerSecond, maxConfidencePpm, reduceOnlyWhenStale, divergenceWindowNanos, maxDivergencePpm,
                holdOnDivergence);
    }

    public IndexSpec withStalenessNanos(long nanos) {
        return new IndexSpec(id, symbol, priceDecimals, sources, weights, nanos, outlierBandPpm, dropOutliers,
                minFreshSources, maxMovePpmPerSecond, maxConfidencePpm, reduceOnlyWhenStale, divergenceWindowNanos,
                maxDivergencePpm, holdOnDivergence);
    }

    /** The circuit breaker at {@code ppm} of the index per second (0 = off). */
    public IndexSpec withMaxMovePpmPerSecond(long ppm) {
        return new IndexSpec(id, symbol, priceDecimals, sources, weights, stalenessNanos, outlierBandPpm, dropOutliers,
                minFreshSources, ppm, maxConfidencePpm, reduceOnlyWhenStale, divergenceWindowNanos, maxDivergencePpm,
                holdOnDivergence);
    }

    public IndexSpec withReduceOnlyWhenStale(boolean on) {
        return new IndexSpec(id, symbol, priceDecimals, sources, weights, stalenessNanos, outlierBandPpm, dropOutliers,
                minFreshSources, maxMovePpmPerSecond, maxConfidencePpm, on, divergenceWindowNanos, maxDivergencePpm,
                holdOnDivergence);
    }

    public IndexSpec withDropOutliers(boolean drop) {
        return new IndexSpec(id, symbol, priceDecimals, sources, weights, stalenessNanos, outlierBandPpm, drop,
                minFreshSources, maxMovePpmPerSecond, maxConfidencePpm, reduceOnlyWhenStale, divergenceWindowNanos,
                maxDivergencePpm, holdOnDivergence);
    }

    /**
     * The divergence guard: flag an index further than {@code ppm} from its average (0 = off), and with {@code hold}
     * hold it while the sources disagree.
     */
    public IndexSpec withDivergenceGuard(long windowNanos, long ppm, boolean hold) {
        return new IndexSpec(id, symbol, priceDecimals, sources, weights, stalenessNanos, outlierBandPpm, dropOutliers,
                minFreshSources, maxMovePpmPerSecond, maxConfidencePpm, reduceOnlyWhenStale, windowNanos, ppm, hold);
    }

    /** Returns null when usable, else {@link RejectReason#INVALID_INDEX}. */
    public RejectReason validate() {
        boolean ok = id >= 0 && id < MAX_INDEXES && symbol != null && !symbol.isBlank() && priceDecimals >= 0
                && priceDecimals <= MAX_PRICE_DECIMALS && sources != null && !sources.isEmpty()
                && sources.size() <= MAX_SOURCES && stalenessNanos > 0 && outlierBandPpm >= 0
                && outlierBandPpm < FixedPoint.PPM && minFreshSources >= 1 && minFreshSources <= sources.size()
                && maxMovePpmPerSecond >= 0 && maxMovePpmPerSecond < FixedPoint.PPM && maxConfidencePpm >= 0
                && maxConfidencePpm < FixedPoint.PPM && divergenceWindowNanos > 0 && maxDivergencePpm >= 0
                && maxDivergencePpm < FixedPoint.PPM;
        if (!ok || sources.stream().anyMatch(s -> s == null || s.isBlank())
                || sources.stream().distinct().count() != sources.size()) {
            return RejectReason.INVALID_INDEX;
        }
        if (weights != null && (weights.size() != sources.size()
                || weights.stream().anyMatch(w -> w == null || w < 0 || w > MAX_WEIGHT))) {
            return RejectReason.INVALID_INDEX;
        }
        return null;
    }
}
