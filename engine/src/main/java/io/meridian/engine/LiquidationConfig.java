package io.meridian.engine;

import io.meridian.model.FixedPoint;

/**
 * Venue-wide liquidation settings (docs/risk.md, "Liquidation"). Part of the engine's configuration: replicas and
 * replays must use the same values.
 *
 * @param feePpm                  liquidation fee on the notional closed in the book, paid to the insurance fund
 * @param feeCapPpm               the fee of a fill is at most this share of the maintenance margin the fill releases
 *                                (and never more than leaves the account liquidatable again or below zero)
 * @param targetPpm               a partial step closes enough that equity reaches MM + target x (IM - MM):
 *                                1,000,000 = the initial margin of what is left, 0 = just above maintenance
 * @param maxStepSharePpm         a partial step closes at most this share of the position (rounded up to a lot)
 * @param maxStepUnits            largest notional one step sends to the book, in whole units of the settlement asset
 * @param minFullCloseUnits       a step that would leave a position with a notional under this many whole units of
 *                                the settlement asset closes all of it
 * @param backstopAccount         account that takes over what the book cannot absorb at the bankruptcy price, when it
 *                                has the margin for it (Hyperliquid's liquidator vault); 0 = none
 * @param maxStepsPerAccount      partial steps of one account in one command (1: re-measured at the next mark change
 *                                or command before the next step); an account at or below bankruptcy is closed
 *                                regardless
 * @param insuranceFundFloorUnits the insurance fund takes a position over only while its equity after the takeover
 *                                stays at or above this floor (whole units of the settlement asset) plus the
 *                                maintenance margin of its inventory; below it, auto-deleveraging
 * @param unwindBandPpm           the fund unwinds its inventory with IOC orders limited this far from the mark
 * @param unwindSharePpm          share of the fund's inventory in an instrument one unwind order offers (rounded up
 *                                to a lot; at most {@code maxStepUnits} of notional)
 */
public record LiquidationConfig(long feePpm, long feeCapPpm, long targetPpm, long maxStepSharePpm, long maxStepUnits,
                                long minFullCloseUnits, long backstopAccount, int maxStepsPerAccount,
                                long insuranceFundFloorUnits, long unwindBandPpm, long unwindSharePpm) {

    /**
     * 0.5% fee (Binance's 0.5% tier) capped at a quarter of the released maintenance margin and of the surplus,
     * target = initial margin, 25% of the position per step, 1,000,000 units per step, full close under 100 units,
     * no backstop, 1 step per account per command, fund floor 0, unwinds within 2% of the mark, 25% of the inventory
     * per mark change.
     */
    public static LiquidationConfig defaults() {
        return new LiquidationConfig(5_000, 250_000, FixedPoint.PPM, 250_000, 1_000_000, 100, 0, 1, 0, 20_000,
                250_000);
    }

    public LiquidationConfig {
        if (feePpm < 0 || feePpm >= FixedPoint.PPM || feeCapPpm < 0 || feeCapPpm > FixedPoint.PPM
                || targetPpm < 0 || targetPpm > FixedPoint.PPM || maxStepSharePpm < 1 || maxStepSharePpm > FixedPoint.PPM
                || maxStepUnits < 1 || minFullCloseUnits < 0 || backstopAccount < 0 || maxStepsPerAccount < 1
                || insuranceFundFloorUnits < 0 || insuranceFundFloorUnits > 1_000_000_000_000L
                || unwindBandPpm < 0 || unwindBandPpm >= FixedPoint.PPM
                || unwindSharePpm < 1 || unwindSharePpm > FixedPoint.PPM) {
            throw new IllegalArgumentException("invalid liquidation settings");
        }
    }

    public LiquidationConfig withBackstopAccount(long account) {
        return new LiquidationConfig(feePpm, feeCapPpm, targetPpm, maxStepSharePpm, maxStepUnits, minFullCloseUnits,
                account, maxStepsPerAccount, insuranceFundFloorUnits, unwindBandPpm, unwindSharePpm);
    }

    public LiquidationConfig withMaxStepUnits(long units) {
        return new LiquidationConfig(feePpm, feeCapPpm, targetPpm, maxStepSharePpm, units, minFullCloseUnits,
                backstopAccount, maxStepsPerAccount, insuranceFundFloorUnits, unwindBandPpm, unwindSharePpm);
    }

    public LiquidationConfig withFeePpm(long ppm) {
        return new LiquidationConfig(ppm, feeCapPpm, targetPpm, maxStepSharePpm, maxStepUnits, minFullCloseUnits,
                backstopAccount, maxStepsPerAccount, insuranceFundFloorUnits, unwindBandPpm, unwindSharePpm);
    }

    public LiquidationConfig withInsuranceFundFloorUnits(long units) {
        return new LiquidationConfig(feePpm, feeCapPpm, targetPpm, maxStepSharePpm, maxStepUnits, minFullCloseUnits,
                backstopAccount, maxStepsPerAccount, units, unwindBandPpm, unwindSharePpm);
    }

    public LiquidationConfig withMaxStepSharePpm(long ppm) {
        return new LiquidationConfig(feePpm, feeCapPpm, targetPpm, ppm, maxStepUnits, minFullCloseUnits,
                backstopAccount, maxStepsPerAccount, insuranceFundFloorUnits, unwindBandPpm, unwindSharePpm);
    }
}
