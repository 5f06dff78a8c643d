package io.meridian.pricing;

/** What {@link IndexAggregator} does with a fresh source whose price is outside the outlier band around the median. */
public enum OutlierMode {
    /** The price is moved to the nearest edge of the band (Binance's index rule) and the source still counts. */
    CLAMP,
    /** The source is left out of this computation and does not count as fresh. */
    DROP
}
