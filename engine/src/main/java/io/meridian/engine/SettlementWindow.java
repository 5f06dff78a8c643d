package io.meridian.engine;

import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

import java.math.BigInteger;

/**
 * The settlement price of the options of one index that expire at one instant with one window length: the
 * time-weighted average of the index over {@code [expiry - window, expiry)}, from the index values the engine
 * publishes (every recompute after an {@code ORACLE_REPORT} or a {@code TIME_TICK}), in sequence order.
 *
 * <p><b>Formula.</b> The index is taken as a step function of command time: a usable sample {@code (t_i, p_i)} holds
 * from {@code t_i} until the next observation of the index (usable or stale), or until expiry for the last one, and
 * for at most the index's staleness limit {@code L} (a value nobody has refreshed for that long is no evidence of the
 * price). Clipped to the window {@code [A, E)} with {@code A = E - window}, sample i weighs
 * <pre>
 *   w_i = max(0, min(t_next, t_i + L, E) - max(t_i, A))        (nanoseconds)
 *   S   = round(sum p_i w_i / sum w_i)                          (index units, halves up)
 * </pre>
 * A stale observation contributes no weight and ends the previous sample's. The last sample before the window counts
 * from {@code A} (the value in force when the window opened). Several observations at one timestamp: the last wins.
 *
 * <p><b>Enough evidence.</b> The window settles only when its samples cover at least half of it
 * ({@code sum w_i >= window / 2}) and at least {@link #MIN_SAMPLES} samples carry weight. Otherwise there is no
 * settlement price and the engine {@linkplain #rollForward rolls the window forward}: the next window is
 * {@code [E, E + window)}, then {@code [E + window, E + 2 window)}, and so on, each judged by the same rule, and the
 * options settle at the first one with enough evidence. No single print decides: a sample counts for at most the
 * staleness limit, so with the default limits (60 s, 30 minutes) a settlement price needs 15 minutes of usable index.
 * Sample count is a weaker guard when the staleness limit is long; docs/options.md discusses it.
 *
 * <p>Exact integer arithmetic: the products are summed in 128 bits, so any price below 2^63 and any window fit.
 * Allocates only at {@link #settle}.
 */
final class SettlementWindow {
    /** The fewest samples carrying weight a window settles on. */
    static final int MIN_SAMPLES = 3;

    private long expiry;
    private long start;
    private final long windowNanos;
    /** Times the window was rolled forward for lack of evidence. */
    private int rolls;
    private final long maxSampleAge;

    private boolean hasLast;
    private long lastTime;
    private long lastPrice;
    private boolean lastUsable;

    /** The 128-bit sum of price x weight: high and low (unsigned) words. */
    private long sumHigh;
    private long sumLow;
    private long weight;
    private int samples;

    /**
     * @param expiry       the options' expiry, epoch nanoseconds
     * @param windowNanos  the window length before expiry (positive)
     * @param maxSampleAge the index's staleness limit: the longest a sample counts without a newer observation
     */
    SettlementWindow(long expiry, long windowNanos, long maxSampleAge) {
        this.expiry = expiry;
        this.windowNanos = windowNanos;
        this.start = expiry - windowNanos;
        this.maxSampleAge = maxSampleAge;
    }

    long expiry() {
        return expiry;
    }

    long windowNanos() {
        return windowNanos;
    }

    /**
     * One observation of the index at command time {@code time}: {@code usable} with {@code price}, or stale. Ignored
     * at or after expiry (settlement happens before the command that reaches it does anything else).
     */
    void observe(long time, boolean usable, long price) {
        if (time >= expiry) {
            return;
        }
        accrue(time);
        hasLast = true;
        lastTime = time;
        lastUsable = usable;
        lastPrice = price;
    }

    /** Adds the weight of the last sample up to {@code until} (see the class doc). */
    private void accrue(long until) {
        if (!hasLast || !lastUsable) {
            return;
        }
        long aged = lastTime > Long.MAX_VALUE - maxSampleAge ? Long.MAX_VALUE : lastTime + maxSampleAge;
        long from = Math.max(lastTime, start);
        long to = Math.min(Math.min(until, expiry), aged);
        if (to <= from) {
            return;
        }
        long w = to - from;
        long high = Math.multiplyHigh(lastPrice, w);
        long low = lastPrice * w;
        long newLow = sumLow + low;
        long carry = Long.compareUnsigned(newLow, sumLow) < 0 ? 1 : 0;
        sumLow = newLow;
        sumHigh = sumHigh + high + carry;
        weight = Math.addExact(weight, w);
        samples++;
    }

    /**
     * The settlement price (index units), or -1 when the window does not hold enough evidence (under half its time
     * covered, or fewer than {@link #MIN_SAMPLES} samples); closes the last sample at expiry.
     */
    long settle() {
        accrue(expiry);
        lastUsable = false;
        if (weight == 0 || weight < windowNanos - windowNanos / 2 || samples < MIN_SAMPLES) {
            return -1;
        }
        BigInteger sum = BigInteger.valueOf(sumHigh).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(sumLow)));
        BigInteger w = BigInteger.valueOf(weight);
        return sum.add(w.shiftRight(1)).divide(w).longValueExact();
    }

    /**
     * After a {@link #settle} without a price: the window becomes the next one, {@code [expiry, expiry + window)},
     * with no samples (the value in force at the old expiry is not carried in). False, and nothing changes, when the
     * next window would end beyond the representable time.
     */
    boolean rollForward() {
        if (expiry > Long.MAX_VALUE - windowNanos) {
            return false;
        }
        start = expiry;
        expiry = expiry + windowNanos;
        hasLast = false;
        lastUsable = false;
        sumHigh = 0;
        sumLow = 0;
        weight = 0;
        samples = 0;
        rolls++;
        return true;
    }

    /** Times the window was rolled forward; 0 for the window that ends at the options' expiry. */
    int rolls() {
        return rolls;
    }

    /** Samples that carried weight so far. */
    int samples() {
        return samples;
    }

    /** Total weight so far, nanoseconds. */
    long weightNanos() {
        return weight;
    }

    void hashState(StateHasher hasher) {
        hasher.add(expiry).add(start).add(rolls).add(windowNanos).add(maxSampleAge).add(hasLast).add(lastTime).add(lastPrice)
                .add(lastUsable).add(sumHigh).add(sumLow).add(weight).add(samples);
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Writes every field: the window's bounds and rolls, the last observation and the sums so far. */
    void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(expiry);
        out.writeVarLong(start);
        out.writeVarLong(windowNanos);
        out.writeVarInt(rolls);
        out.writeVarLong(maxSampleAge);
        out.writeBoolean(hasLast);
        out.writeVarLong(lastTime);
        out.writeVarLong(lastPrice);
        out.writeBoolean(lastUsable);
        out.writeVarLong(sumHigh);
        out.writeVarLong(sumLow);
        out.writeVarLong(weight);
        out.writeVarInt(samples);
    }

    /** A window as {@link #writeSnapshot} wrote it; refuses a window no listing could have made. */
    static SettlementWindow readSnapshot(SnapshotReader in) {
        long expiry = in.readVarLong();
        long start = in.readVarLong();
        long windowNanos = in.readVarLong();
        int rolls = in.readVarInt();
        long maxSampleAge = in.readVarLong();
        if (windowNanos <= 0 || maxSampleAge <= 0 || rolls < 0 || start > expiry) {
            throw in.fail("settlement window [" + start + ", " + expiry + ") of " + windowNanos + " ns");
        }
        SettlementWindow window = new SettlementWindow(expiry, windowNanos, maxSampleAge);
        window.start = start;
        window.rolls = rolls;
        window.hasLast = in.readBoolean();
        window.lastTime = in.readVarLong();
        window.lastPrice = in.readVarLong();
        window.lastUsable = in.readBoolean();
        window.sumHigh = in.readVarLong();
        window.sumLow = in.readVarLong();
        window.weight = in.readVarLong();
        window.samples = in.readVarInt();
        return window;
    }
}
