package io.meridian.model;

/**
 * The governance bounds within which an instrument's risk multiplier may move (docs/risk.md, "Volatility-driven risk
 * parameters"). Set only by an M-of-N governance proposal after its timelock ({@code PROPOSE_RISK_BOUNDS}); every
 * {@code SET_RISK_SCALE} is checked against them by the engine, so a faulty or hostile controller cannot take the
 * venue outside them. The multiplier scales the listed initial and maintenance rates, divides the listed position
 * limit and widens the listed price band (1,000,000 = the listed parameters).
 *
 * @param floorPpm             the lowest multiplier (>= 100,000: 0.1x)
 * @param ceilingPpm           the highest multiplier (>= floor, <= 10,000,000: 10x)
 * @param maxChangePerHourPpm  a change may move the multiplier by at most this much per hour elapsed since the
 *                             previous change took effect (at most one hour counted), >= 1
 * @param hysteresisPpm        a change smaller than this is refused (a dead band against flapping), 0 .. ceiling-floor
 * @param noticeMillis         a change takes effect at least this long after it is announced (0 .. 1 day)
 */
public record RiskBounds(long floorPpm, long ceilingPpm, long maxChangePerHourPpm, long hysteresisPpm,
                         long noticeMillis) {
    /** The lowest floor: 0.1x. */
    public static final long MIN_FLOOR_PPM = 100_000;
    /** The highest ceiling: 10x. */
    public static final long MAX_CEILING_PPM = 10_000_000;
    /** The longest notice: a day. */
    public static final long MAX_NOTICE_MILLIS = 86_400_000L;

    /** Null when the bounds are usable, else what is wrong with them. */
    public String problem() {
        if (floorPpm < MIN_FLOOR_PPM || ceilingPpm > MAX_CEILING_PPM || floorPpm > ceilingPpm) {
            return "floor and ceiling must satisfy " + MIN_FLOOR_PPM + " <= floor <= ceiling <= " + MAX_CEILING_PPM
                    + " ppm";
        }
        if (maxChangePerHourPpm < 1 || maxChangePerHourPpm > MAX_CEILING_PPM) {
            return "the maximum change per hour must be 1 .. " + MAX_CEILING_PPM + " ppm";
        }
        if (hysteresisPpm < 0 || hysteresisPpm > ceilingPpm - floorPpm) {
            return "the hysteresis must be 0 .. ceiling - floor";
        }
        if (noticeMillis < 0 || noticeMillis > MAX_NOTICE_MILLIS) {
            return "the notice must be 0 .. " + MAX_NOTICE_MILLIS + " ms";
        }
        return null;
    }

    /** The multiplier clamped into [floor, ceiling]. */
    public long clamp(long multiplierPpm) {
        return Math.max(floorPpm, Math.min(ceilingPpm, multiplierPpm));
    }
}
