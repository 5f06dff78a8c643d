package io.meridian.pricing;

import io.meridian.model.FixedPoint;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

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
    private boolean dissent;

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

    /**
     * Checks where the aggregator's sources now are (its median before the circuit breaker, {@link
     * IndexAggregator#candidate}) against the average ({@link #check}) and decides whether the index is to be held: only
     * while the sources disagree (an outlier beyond the outlier band at this recompute), and then when the index
     * diverged from the average, or when a <b>dissent</b> stands against the move: an outlier's reported price is
     * nearer the average (as it was before this index) than the index is. That is the shape of a captured majority:
     * two of three sources jump, the median jumps with them and the honest source, left behind where the index was,
     * becomes the outlier; the index is then held from its first step instead of after walking to the divergence
     * band. A captured minority is the opposite shape (the outlier is far from the average and the index is not), so
     * it is only outvoted and never holds the venue. A genuine move on which one source lags by more than the outlier
     * band holds too, until the laggard catches up or goes stale: a venue cannot tell the two apart from three
     * sources and should not liquidate on either (docs/pricing.md, "Divergence guard").
     *
     * @return whether the index is to be held (the caller may only flag it, {@code holdOnDivergence} false)
     */
    public boolean checkAndDecideHold(IndexAggregator aggregator, long now) {
        // Where the sources are (before the breaker): while the index is held it does not move, so the average follows
        // the sources instead, and a capture that outlasts the average's catch-up is released (bounded hold).
        long sources = aggregator.candidate();
        long average = hasEma ? ema : sources;
        boolean disagree = aggregator.outliers() > 0;
        dissent = disagree && aggregator.nearestOutlierDistance(average) < Math.abs(sources - average);
        boolean divergedNow = check(sources, now);
        return disagree && (divergedNow || dissent);
    }

    /** The result of the dissent test at the last {@link #checkAndDecideHold}. */
    public boolean isDissent() {
        return dissent;
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
        hasher.add(windowNanos).add(maxDivergencePpm).add(ema).add(lastTime).add(hasEma).add(diverged).add(dissent);
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Writes the average and its flags (the window and band are the owner's spec). */
    public void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(ema);
        out.writeVarLong(lastTime);
        out.writeBoolean(hasEma);
        out.writeBoolean(diverged);
        out.writeBoolean(dissent);
    }

    /** Restores what {@link #writeSnapshot} wrote. */
    public void readSnapshot(SnapshotReader in) {
        ema = in.readVarLong();
        lastTime = in.readVarLong();
        hasEma = in.readBoolean();
        diverged = in.readBoolean();
        dissent = in.readBoolean();
    }
}
