package io.meridian.simulator;

import io.meridian.engine.VolatilityRiskPolicy;
import io.meridian.model.RiskBounds;

import java.util.Locale;

/**
 * The volatility-driven risk parameters of a stress run with {@code --dynamic-risk on} (docs/stress.md, "Volatility-driven
 * risk parameters"): the governance bounds the lab's admins set for the perpetual at the start, and the controller's
 * rule ({@link VolatilityRiskPolicy}) the lab runs against the engine's realised volatility. A sweep may vary both.
 *
 * @param bounds the bounds the multiplier moves within (floor, ceiling, maximum change per hour, hysteresis, notice)
 * @param policy the controller's reference volatility, step and minimum lead
 */
public record DynamicRisk(RiskBounds bounds, VolatilityRiskPolicy policy) {
    /**
     * Floor 1x (calm markets keep the listed leverage), ceiling 3x (the first tier's 125x becomes 41x at most), at most
     * 1x an hour, a 0.1x dead band, a minute's notice; multiplier 1 at 60% a year, targets in steps of 0.05x.
     */
    public static final DynamicRisk DEFAULT = new DynamicRisk(
            new RiskBounds(1_000_000, 3_000_000, 1_000_000, 100_000, 60_000),
            new VolatilityRiskPolicy(600_000, 50_000, 60_000));

    public DynamicRisk {
        if (bounds == null || policy == null || bounds.problem() != null) {
            throw new IllegalArgumentException("dynamic risk needs valid bounds and a policy: "
                    + (bounds == null ? "no bounds" : bounds.problem()));
        }
    }

    /** As a table shows it: {@code 1x..3x, 1x/h, reference vol 60%}. */
    public String label() {
        return String.format(Locale.ROOT, "%sx..%sx, %sx/h, reference vol %s%%", x(bounds.floorPpm()),
                x(bounds.ceilingPpm()), x(bounds.maxChangePerHourPpm()), x(policy.referenceVolatilityPpm() * 100));
    }

    private static String x(long ppm) {
        double value = ppm / 1e6;
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
