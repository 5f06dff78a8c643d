package io.meridian.pricing;

/**
 * Every decision {@link IndexAggregator#recompute} takes, in the order it takes them: first {@link #sourceStale}
 * for each stale source in ascending source id, then {@link #sourceOutlier} for each outlier in ascending price
 * (ties: ascending source id), then either {@link #indexStale} or ({@link #circuitBreakerLimited} if it applied,
 * then) {@link #indexUpdated}.
 * Arguments are primitives and enum constants only, so a listener costs no allocation. All methods default to
 * doing nothing.
 */
public interface IndexEvents {
    /** A listener that ignores every event. */
    IndexEvents NONE = new IndexEvents() {
    };

    /**
     * The source's last report is older than the staleness limit; it has weight zero in this computation.
     *
     * @param ageNanos {@code now - sourceTimestamp} of its last accepted report
     */
    default void sourceStale(int sourceId, long sourceTimestamp, long ageNanos) {
    }

    /**
     * The source's price is further than the outlier band from the median of the fresh sources.
     *
     * @param median      the raw weighted median of the fresh sources, before any outlier handling
     * @param usedPrice   the price used instead (the band edge) when clamped; 0 when dropped
     */
    default void sourceOutlier(int sourceId, long price, long median, long usedPrice, OutlierMode action) {
    }

    /** A new index was published; {@code freshSources} counts the sources that contributed to it. */
    default void indexUpdated(long index, int freshSources) {
    }

    /** Fewer fresh sources than the minimum: no new index; {@code lastIndex} (0 if none yet) stays in force. */
    default void indexStale(int freshSources, long lastIndex) {
    }

    /** The computed index moved further than the maximum move from {@code previous}; {@code limited} is published. */
    default void circuitBreakerLimited(long previous, long proposed, long limited) {
    }
}
