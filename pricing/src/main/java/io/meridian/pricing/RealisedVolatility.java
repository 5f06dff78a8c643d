package io.meridian.pricing;

import io.meridian.model.FixedPoint;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;

/**
 * The realised volatility of an index, as the engine measures it from the index's own publications: an EWMA of squared
 * returns sampled once per {@link #SAMPLE_NANOS} of command time, the estimator RiskMetrics uses, in integers so that
 * every replica and every replay computes the same value (it is engine state: hashed and snapshotted).
 *
 * <p><b>Sampling.</b> The first publication sets the reference price. The first publication at or after the next
 * sample time takes a sample: the return {@code r = (p - p0) / p0} in parts per billion (capped at 100%), its square
 * spread over the {@code k} intervals it covers ({@code r^2 / k}, so a quiet index that published rarely is not read as
 * a jump), then {@code variance += (r^2 / k - variance) x alpha}, with {@code alpha} set by the half-life
 * ({@link #HALF_LIFE_SAMPLES} samples: an hour). The reference price moves to {@code p}.
 *
 * <p><b>Reading it.</b> {@link #annualisedPpm} is {@code sqrt(variance x samples per year)} in parts per million (a 60%
 * annual volatility reads 600,000); 0 until {@link #MIN_SAMPLES} samples were taken (an estimate from fewer is noise).
 * What it costs: a few multiplications per sample, nothing per publication in between.
 */
public final class RealisedVolatility {
    /** One sample per minute of command time. */
    public static final long SAMPLE_NANOS = 60_000_000_000L;
    /** Half-life of the EWMA, in samples: an hour of minutes. */
    public static final int HALF_LIFE_SAMPLES = 60;
    /** Samples before the estimate is reported (ten minutes). */
    public static final int MIN_SAMPLES = 10;
    /** The EWMA weight of a new sample, ppm: {@code 1 - 0.5^(1 / half-life)}, about 1.1486% for 60 samples. */
    static final long ALPHA_PPM = 11_486;
    /** {@code sqrt(minutes per year)} x 1000: 365.25 x 1440 = 525,960 minutes, sqrt = 725.231. */
    private static final long SQRT_SAMPLES_PER_YEAR_MILLI = 725_231;
    private static final long PPB = 1_000_000_000L;

    private long reference;
    private long nextSampleAt;
    /** EWMA of squared per-sample returns, in (1e-9)^2: (return in ppb)^2. */
    private long variance;
    private long samples;

    /** A publication of the index at {@code price} (index units, above 0) at command time {@code now}. */
    public void onIndex(long price, long now) {
        if (price <= 0) {
            return;
        }
        if (reference == 0) {
            reference = price;
            nextSampleAt = now + SAMPLE_NANOS;
            return;
        }
        if (now < nextSampleAt) {
            return;
        }
        long intervals = 1 + (now - nextSampleAt) / SAMPLE_NANOS;
        long move = Math.min(Math.abs(price - reference), reference);
        long returnPpb = FixedPoint.mulDivFloor(move, PPB, reference);
        // (1e9)^2 = 1e18 fits a long; divided over the intervals the sample covers.
        long squared = returnPpb * returnPpb / intervals;
        variance += FixedPoint.mulDivFloor(Math.abs(squared - variance), ALPHA_PPM, FixedPoint.PPM)
                * Long.signum(squared - variance);
        samples++;
        reference = price;
        nextSampleAt += intervals * SAMPLE_NANOS;
    }

    /** Annualised realised volatility in ppm; 0 before {@link #MIN_SAMPLES} samples. */
    public long annualisedPpm() {
        if (samples < MIN_SAMPLES) {
            return 0;
        }
        long perSamplePpb = isqrt(variance);
        return FixedPoint.mulDivFloor(perSamplePpb, SQRT_SAMPLES_PER_YEAR_MILLI, 1_000_000L);
    }

    /** Samples taken so far. */
    public long samples() {
        return samples;
    }

    /** Largest {@code x} with {@code x * x <= n}, for {@code n >= 0}: exact, no floating point. */
    static long isqrt(long n) {
        if (n < 2) {
            return Math.max(0, n);
        }
        long x = (long) Math.sqrt((double) n);
        while (x * x > n) {
            x--;
        }
        while ((x + 1) * (x + 1) <= n) {
            x++;
        }
        return x;
    }

    /**
     * Adds the estimator to a state hash from its first sample on. Before it, the estimator holds only its reference
     * price and first sample time; leaving them out keeps the state hashes of earlier builds, which had no estimator,
     * comparable with this one's (a snapshot of theirs loads to the hash it was written with, SnapshotCompatibilityTest).
     * A replica whose reference differed would differ in the hash at the first sample, a minute of command time later.
     */
    public void hashState(StateHasher hasher) {
        if (samples > 0) {
            hasher.add(reference).add(nextSampleAt).add(variance).add(samples);
        }
    }

    public void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(reference);
        out.writeLong(nextSampleAt);
        out.writeVarLong(variance);
        out.writeVarLong(samples);
    }

    public void readSnapshot(SnapshotReader in) {
        reference = in.readVarLong();
        nextSampleAt = in.readLong();
        variance = in.readVarLong();
        samples = in.readVarLong();
        if (reference < 0 || variance < 0 || samples < 0) {
            throw in.fail("realised volatility: negative reference, variance or samples");
        }
    }
}
