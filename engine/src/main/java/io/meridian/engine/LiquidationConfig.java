package io.meridian.engine;

import io.meridian.model.FixedPoint;

/**
 * Venue-wide liquidation settings (docs/risk.md, "Liquidation"). Part of the engine's configuration: replicas and
 * replays must use the same values.
 *
 * @param feePpm               liquidation fee on the notional closed in the book, paid to the insurance fund
 * @param feeCapPpm            the fee of a fill is at most this share of the maintenance margin the fill releases
 *                             (and never more than the equity left), so that a partial liquidation leaves the account
 *                             healthier instead of feeding the fee into the next step
 * @param targetBufferPpm      a partial liquidation closes until equity covers maintenance margin x (1 + buffer)
 * @param maxStepUnits         largest notional one liquidation step sends to the book, in whole units of the
 *                             settlement asset (e.g. USDC); larger positions are closed in several steps
 * @param backstopAccount      account that takes over what the book cannot absorb at the bankruptcy price, when it
 *                             has the margin for it (Hyperliquid's liquidator vault); 0 = none
 * @param maxStepsPerAccount   bound on the steps of one liquidation in one command
 */
public record LiquidationConfig(long feePpm, long feeCapPpm, long targetBufferPpm, long maxStepUnits,
                                long backstopAccount, int maxStepsPerAccount) {

    /**
     * 0.5% fee (Binance's 0.5% tier; dYdX 1%) capped at half the released maintenance margin, 10% buffer,
     * 1,000,000 units per step, no backstop, 64 steps.
     */
    public static LiquidationConfig defaults() {
        return new LiquidationConfig(5_000, 500_000, 100_000, 1_000_000, 0, 64);
    }

    public LiquidationConfig {
        if (feePpm < 0 || feePpm >= FixedPoint.PPM || feeCapPpm < 0 || feeCapPpm > FixedPoint.PPM
                || targetBufferPpm < 0 || targetBufferPpm > 10 * FixedPoint.PPM
                || maxStepUnits < 1 || backstopAccount < 0 || maxStepsPerAccount < 1) {
            throw new IllegalArgumentException("invalid liquidation settings");
        }
    }

    public LiquidationConfig withBackstopAccount(long account) {
        return new LiquidationConfig(feePpm, feeCapPpm, targetBufferPpm, maxStepUnits, account, maxStepsPerAccount);
    }

    public LiquidationConfig withMaxStepUnits(long units) {
        return new LiquidationConfig(feePpm, feeCapPpm, targetBufferPpm, units, backstopAccount, maxStepsPerAccount);
    }

    public LiquidationConfig withFeePpm(long ppm) {
        return new LiquidationConfig(ppm, feeCapPpm, targetBufferPpm, maxStepUnits, backstopAccount, maxStepsPerAccount);
    }
}
