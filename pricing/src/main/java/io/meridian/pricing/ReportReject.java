package io.meridian.pricing;

/**
 * Why {@link IndexAggregator#report} refused a price report. A refused report changes nothing: the source's
 * previous report (if any) stays in force.
 */
public enum ReportReject {
    /** No source is registered under that id. */
    UNKNOWN_SOURCE("no source is registered under that id"),
    /** The price is zero or negative. */
    NON_POSITIVE_PRICE("price must be positive"),
    /** The confidence interval is wider than {@link AggregatorConfig#maxConfidencePpm()} of the price. */
    CONFIDENCE_TOO_WIDE("confidence interval is wider than the configured fraction of the price"),
    /** The source's own timestamp is later than the command timestamp. */
    FUTURE_TIMESTAMP("source timestamp is later than the command timestamp"),
    /** The source's own timestamp is earlier than the timestamp of its last accepted report. */
    OUT_OF_ORDER("source timestamp is earlier than the source's last accepted report");

    private final String message;

    ReportReject(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
