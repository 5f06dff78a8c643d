package io.meridian.engine;

import io.meridian.model.FixedPoint;
import io.meridian.model.RejectReason;
import io.meridian.model.RiskBounds;

/**
 * The volatility controller's rule (docs/risk.md, "Volatility-driven risk parameters"): from an instrument's realised
 * volatility and its {@link RiskScaleView}, the SET_RISK_SCALE to send, if any. The engine checks every change against
 * the governance bounds itself; this rule only proposes changes that pass, so a healthy controller is never refused.
 *
 * <pre>
 *   target = clamp(round(volatility / referenceVolatility, step), floor, ceiling)
 *   change = target - in force, limited to maxChangePerHour x min(1 h, effectiveAt - last change) / 1 h
 *   send when |change| >= max(hysteresis, 1) and the announced change (if any) is not already that multiplier
 * </pre>
 * where {@code effectiveAt = now + max(notice, minimumLead)}. The reference volatility is the level at which the listed
 * parameters are right (multiplier 1); above it margins rise in proportion, below it they fall to the floor. Rounding
 * the target to {@code stepPpm} keeps the multipliers readable and, with the hysteresis, stops small oscillations of
 * the estimate from moving the venue's parameters.
 *
 * <p>Pure and stateless: the node's controller and the stress lab call it with the engine's view. Thread-safe.
 *
 * @param referenceVolatilityPpm the annualised volatility at which the multiplier is 1 (e.g. 600,000 = 60%)
 * @param stepPpm                targets are rounded to a multiple of this (e.g. 50,000 = 0.05x), >= 1
 * @param minimumLeadMillis      announce changes at least this far ahead even when the bounds' notice is shorter
 */
public record VolatilityRiskPolicy(long referenceVolatilityPpm, long stepPpm, long minimumLeadMillis) {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** 60% annualised (a calm year of BTC), 0.05x steps, at least a minute's notice. */
    public static final VolatilityRiskPolicy DEFAULT = new VolatilityRiskPolicy(600_000, 50_000, 60_000);

    public VolatilityRiskPolicy {
        if (referenceVolatilityPpm <= 0 || stepPpm < 1 || minimumLeadMillis < 0
                || minimumLeadMillis > RiskBounds.MAX_NOTICE_MILLIS) {
            throw new IllegalArgumentException("the reference volatility and step must be positive, the lead 0 .. 1 day");
        }
    }

    /** A change to send: the multiplier and when it takes effect (command clock ns). */
    public record Change(long multiplierPpm, long effectiveAt) {
    }

    /** The multiplier this volatility calls for, within the bounds, before the rate limit. */
    public long target(long volatilityPpm, RiskBounds bounds) {
        long raw = FixedPoint.mulDivFloor(volatilityPpm, FixedPoint.PPM, referenceVolatilityPpm);
        long rounded = Math.addExact(raw, stepPpm / 2) / stepPpm * stepPpm;
        return bounds.clamp(rounded);
    }

    /**
     * The change to send now ({@code now}: the command clock the command will carry), or null: no bounds, no volatility
     * estimate yet, nothing to change, or a change too small for the hysteresis so far.
     */
    public Change decide(RiskScaleView scale, long now) {
        RiskBounds bounds = scale == null ? null : scale.bounds();
        if (bounds == null || scale.volatilityPpm() <= 0) {
            return null;
        }
        long target = target(scale.volatilityPpm(), bounds);
        long effectiveAt = now + Math.max(bounds.noticeMillis(), minimumLeadMillis) * NANOS_PER_MILLI;
        long allowed = RiskGovernance.allowedChange(bounds, scale.changedAt(), effectiveAt);
        long wanted = target - scale.multiplierPpm();
        long change = Math.max(-allowed, Math.min(allowed, wanted));
        if (change == 0 || Math.abs(change) < bounds.hysteresisPpm()) {
            return null;
        }
        long next = scale.multiplierPpm() + change;
        if (next == scale.nextMultiplierPpm()) {
            return null;
        }
        RejectReason refused = RiskGovernance.scaleProblem(bounds, scale.multiplierPpm(), scale.changedAt(), next,
                effectiveAt, now);
        return refused == null ? new Change(next, effectiveAt) : null;
    }
}
