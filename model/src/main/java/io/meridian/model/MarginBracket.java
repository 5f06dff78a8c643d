package io.meridian.model;

/**
 * One bracket of an instrument's margin table, as configured: from {@code notionalFloor} (settlement minor units,
 * inclusive) up to the next bracket's floor, maintenance and initial margin are these rates of the notional. The
 * risk module turns a list of brackets into its tiered schedule, which adds the maintenance amounts that keep the
 * requirement continuous and derives each bracket's maximum leverage (1e6 / initial rate).
 */
public record MarginBracket(long notionalFloor, long maintenanceRatePpm, long initialRatePpm) {
}
