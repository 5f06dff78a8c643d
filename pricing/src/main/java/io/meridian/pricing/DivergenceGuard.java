package io.meridian.pricing;

import io.meridian.model.FixedPoint;
import io.meridian.model.StateHasher;

/**
 * The index's divergence check: an exponential moving average of the published index, and a flag when a new index
 * lies further than {@code maxDivergencePpm} from it. Catches what the per-second circuit breaker cannot: a source
 * set that walks the index away at the breaker's pace. The EMA is the time-weighted linear step used for the mark
 * ({@code ema += (index - ema) x min(dt, window) / window}, floor; the first value sets it), so it is exact in
 * integers and the same on every replica; it follows the index also while it is diverged, so a move that persists is
 * accepted once the average has caught up (for an index that stays a fraction {@code d} away from where the average
 * stood, after about {@code window x ln(d / band)}; 40% with the default 10% and ten minutes: about 14-19 minutes).
 *
 * <p>What a divergence does is the caller's choice: flag only (an event; the index is used), or hold (the index counts
 * as stale while diverged: marks freeze, no liquidations). The engine holds only while the sources also disagree
 * (docs/pricing.md, "Divergence guard"). On by default: {@link #DEFAULT_MAX_DIVERGENCE_PPM} from a
 * {@link #DEFAULT_WINDOW_NANOS} average. Engine thread only.
 */
public final class DivergenceGuard {
    /** Default window of the average: ten minutes. */
    public static final long DEFAULT_WINDOW_NANOS = 600_000_000_000L;
    /** Default band: an index more than 10% from its average diverges. */
    public static final long DEFAULT_MAX_DIVERGENCE_PPM = 100_000L;

    private final long windowNanos;
    private final long maxDivergencePpm;
    private long ema;
    private long lastTime;
    private boolean hasEma;
    private boolean diverged;

    /** {@code maxDivergencePpm = 0} turns the guard off ({@link #check} never flags). */
    public DivergenceGuard(long windowNanos, long maxDivergencePpm) {
        if (windowNanos <= 0 || maxDivergencePpm < 0 || maxDivergencePpm >= FixedPoint.PPM) {
            throw new IllegalArgumentException("window must be positive and divergence 0 .. 1e6 ppm");
        }
        this.windowNanos = windowNanos;
        this.maxDivergencePpm = maxDivergencePpm;
    }

    /**
     * Checks a newly published index against the average (as it was before this index), then moves the average.
     *
     * @return true when the index diverges from the average by more than the band
     */
    public boolean check(long index, long now) {
        if (!hasEma) {
            ema = index;
            hasEma = true;
            lastTime = now;
            diverged = false;
            return false;
        }
        long band = FixedPoint.mulDivFloor(ema, maxDivergencePpm, FixedPoint.PPM);
        diverged = maxDivergencePpm > 0 && Math.abs(index - ema) > band;
        long dt = Math.min(Math.max(0, now - lastTime), windowNanos);
        ema += FixedPoint.mulDivFloor(index - ema, dt, windowNanos);
        lastTime = now;
        return diverged;
    }

    /** The average including the last checked index; 0 before the first. */
    public long ema() {
        return ema;
    }

    /** The result of the last {@link #check}. */
    public boolean isDiverged() {
        return diverged;
    }

    public boolean isEnabled() {
        return maxDivergencePpm > 0;
    }

    public void hashState(StateHasher hasher) {
        hasher.add(windowNanos).add(maxDivergencePpm).add(ema).add(lastTime).add(hasEma).add(diverged);
    }
}
