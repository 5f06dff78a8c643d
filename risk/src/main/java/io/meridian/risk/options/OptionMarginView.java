package io.meridian.risk.options;

/**
 * What queries read of one account's option margin on one underlying: the read-only face of
 * {@link OptionMarginAccount}, which implements it, so that a query holds the engine's account without the means to
 * change its positions or mode. Requirements are in settlement minor units, to be compared with cash equity (see
 * {@link OptionMarginAccount}'s equity convention). A read may re-sum the account's cached totals after a reprice, as
 * any read of {@link OptionMarginAccount} does; that changes no position and no result.
 *
 * <p><b>Thread confinement.</b> The view is the live account: read it on the engine thread, between commands (a
 * gateway through its engine thread's query slot). What it returns reflects the state after the last command.
 */
public interface OptionMarginView {

    /** Number of series with a non-zero position. */
    int legCount();

    /** Initial margin in the account's mode, minor units, rounded up. */
    long initialMargin();

    /** Maintenance margin in the account's mode, minor units, rounded up; at most {@link #initialMargin()}. */
    long maintenanceMargin();

    /** Standard initial margin, whatever the mode. */
    long standardInitialMargin();

    /** Standard maintenance margin, whatever the mode. */
    long standardMaintenanceMargin();

    /** Portfolio initial margin, whatever the mode (in standard mode a what-if, O(legs x scenarios)). */
    long portfolioInitialMargin();

    /** Portfolio maintenance margin, whatever the mode. */
    long portfolioMaintenanceMargin();

    /**
     * The options' value in minor units: long options at their mark rounded down, minus short options at their mark
     * rounded up.
     */
    long netOptionValue();
}
