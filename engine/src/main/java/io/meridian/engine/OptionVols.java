package io.meridian.engine;

import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.risk.options.MarkSource;
import io.meridian.risk.options.ScenarioTable;

import java.util.Arrays;

/**
 * The mark volatilities of one underlying's options: one volatility per (expiry, strike), shared by the call and the
 * put (at zero rate and carry put-call parity makes their implied volatilities equal). A strike starts at its first
 * listing's initial volatility; a {@code SET_MARK_PRICE} of either option replaces it with the volatility its price
 * implies. Between marks the volatility stays and the option's value follows the index: sticky strike.
 *
 * <p>It is the {@link MarkSource} of the underlying's {@link ScenarioTable}, which asks by strike and time to expiry:
 * the expiry is found by recomputing each listed expiry's time to expiry exactly as the table does from
 * {@link #now}, which the caller sets to the valuation time before every reprice. Rate and carry are 0: the index
 * is the forward (Black-76 on the index).
 */
final class OptionVols implements MarkSource {
    /** The valuation time of the reprice in progress (epoch nanoseconds). */
    long now;
    private long[] expiries = new long[4];
    private double[][] strikes = new double[4][];
    private double[][] vols = new double[4][];
    private int[] counts = new int[4];
    private int expiryCount;

    /** Registers a strike of an expiry with its initial volatility; a strike already known keeps its volatility. */
    void add(long expiry, double strike, double vol) {
        int e = expiryIndex(expiry);
        if (e < 0) {
            e = -e - 1;
            if (expiryCount == expiries.length) {
                int n = expiryCount * 2;
                expiries = Arrays.copyOf(expiries, n);
                strikes = Arrays.copyOf(strikes, n);
                vols = Arrays.copyOf(vols, n);
                counts = Arrays.copyOf(counts, n);
            }
            System.arraycopy(expiries, e, expiries, e + 1, expiryCount - e);
            System.arraycopy(strikes, e, strikes, e + 1, expiryCount - e);
            System.arraycopy(vols, e, vols, e + 1, expiryCount - e);
            System.arraycopy(counts, e, counts, e + 1, expiryCount - e);
            expiries[e] = expiry;
            strikes[e] = new double[8];
            vols[e] = new double[8];
            counts[e] = 0;
            expiryCount++;
        }
        int n = counts[e];
        int k = Arrays.binarySearch(strikes[e], 0, n, strike);
        if (k >= 0) {
            return;
        }
        k = -k - 1;
        if (n == strikes[e].length) {
            strikes[e] = Arrays.copyOf(strikes[e], n * 2);
            vols[e] = Arrays.copyOf(vols[e], n * 2);
        }
        System.arraycopy(strikes[e], k, strikes[e], k + 1, n - k);
        System.arraycopy(vols[e], k, vols[e], k + 1, n - k);
        strikes[e][k] = strike;
        vols[e][k] = vol;
        counts[e] = n + 1;
    }

    /** Removes a listed (expiry, strike), and its expiry when it was the last strike (undoes an {@link #add}). */
    void remove(long expiry, double strike) {
        int e = expiryIndex(expiry);
        if (e < 0) {
            return;
        }
        int n = counts[e];
        int k = Arrays.binarySearch(strikes[e], 0, n, strike);
        if (k < 0) {
            return;
        }
        System.arraycopy(strikes[e], k + 1, strikes[e], k, n - k - 1);
        System.arraycopy(vols[e], k + 1, vols[e], k, n - k - 1);
        counts[e] = n - 1;
        if (counts[e] == 0) {
            System.arraycopy(expiries, e + 1, expiries, e, expiryCount - e - 1);
            System.arraycopy(strikes, e + 1, strikes, e, expiryCount - e - 1);
            System.arraycopy(vols, e + 1, vols, e, expiryCount - e - 1);
            System.arraycopy(counts, e + 1, counts, e, expiryCount - e - 1);
            expiryCount--;
            strikes[expiryCount] = null;
            vols[expiryCount] = null;
        }
    }

    /** Replaces the volatility of a listed (expiry, strike); a no-op for one that was never listed. */
    void set(long expiry, double strike, double vol) {
        int e = expiryIndex(expiry);
        if (e >= 0) {
            int k = Arrays.binarySearch(strikes[e], 0, counts[e], strike);
            if (k >= 0) {
                vols[e][k] = vol;
            }
        }
    }

    /** The volatility of a listed (expiry, strike), or 0 when it is not listed. */
    double get(long expiry, double strike) {
        int e = expiryIndex(expiry);
        if (e < 0) {
            return 0.0;
        }
        int k = Arrays.binarySearch(strikes[e], 0, counts[e], strike);
        return k >= 0 ? vols[e][k] : 0.0;
    }

    private int expiryIndex(long expiry) {
        return Arrays.binarySearch(expiries, 0, expiryCount, expiry);
    }

    /**
     * The volatility of the listed option with this strike whose time to expiry at {@link #now} is {@code tte}; for
     * a strike or expiry that is not listed (never asked by the table), the nearest listed one, and NaN when nothing is
     * listed (which makes the table refuse the reprice).
     */
    @Override
    public double vol(double strike, double tte) {
        if (expiryCount == 0) {
            return Double.NaN;
        }
        int best = 0;
        double bestGap = Double.POSITIVE_INFINITY;
        for (int e = 0; e < expiryCount; e++) {
            double gap = StrictMath.abs(years(now, expiries[e]) - tte);
            if (gap < bestGap) {
                best = e;
                bestGap = gap;
            }
        }
        int n = counts[best];
        int k = Arrays.binarySearch(strikes[best], 0, n, strike);
        if (k >= 0) {
            return vols[best][k];
        }
        int above = -k - 1;
        if (above == 0) {
            return vols[best][0];
        }
        if (above == n) {
            return vols[best][n - 1];
        }
        return strike - strikes[best][above - 1] <= strikes[best][above] - strike ? vols[best][above - 1]
                : vols[best][above];
    }

    /** Years from {@code now} to {@code expiry}, computed exactly as {@link ScenarioTable} computes time to expiry. */
    static double years(long now, long expiry) {
        long diff = expiry - now;
        if (((expiry ^ now) & (expiry ^ diff)) < 0) {
            return ((double) expiry - (double) now) / ScenarioTable.NANOS_PER_YEAR;
        }
        return diff / (double) ScenarioTable.NANOS_PER_YEAR;
    }

    void hashState(StateHasher hasher) {
        hasher.add(now).add(expiryCount);
        for (int e = 0; e < expiryCount; e++) {
            hasher.add(expiries[e]).add(counts[e]);
            for (int k = 0; k < counts[e]; k++) {
                hasher.add(Double.doubleToLongBits(strikes[e][k])).add(Double.doubleToLongBits(vols[e][k]));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** Writes the valuation time and, per expiry (ascending), its strikes (ascending) with their volatilities. */
    void writeSnapshot(SnapshotWriter out) {
        out.writeVarLong(now);
        out.writeCount(expiryCount);
        for (int e = 0; e < expiryCount; e++) {
            out.writeVarLong(expiries[e]);
            out.writeCount(counts[e]);
            for (int k = 0; k < counts[e]; k++) {
                out.writeDouble(strikes[e][k]);
                out.writeDouble(vols[e][k]);
            }
        }
    }

    /** Restores what {@link #writeSnapshot} wrote into empty volatilities; refuses expiries or strikes out of order. */
    void readSnapshot(SnapshotReader in) {
        if (expiryCount != 0) {
            throw new IllegalStateException("a snapshot is restored into empty volatilities only");
        }
        now = in.readVarLong();
        int count = in.readCount(2);
        for (int e = 0; e < count; e++) {
            long expiry = in.readVarLong();
            int strikeCount = in.readCount(16);
            if (strikeCount == 0 || e > 0 && expiry <= expiries[e - 1]) {
                throw in.fail("volatilities of expiry " + expiry + " are empty or out of order");
            }
            double previous = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < strikeCount; k++) {
                double strike = in.readDouble();
                double vol = in.readDouble();
                if (!(strike > previous)) {
                    throw in.fail("strikes of expiry " + expiry + " are not ascending");
                }
                previous = strike;
                add(expiry, strike, vol);
            }
        }
    }
}
