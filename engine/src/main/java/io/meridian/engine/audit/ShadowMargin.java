package io.meridian.engine.audit;

import io.meridian.model.FixedPoint;
import io.meridian.model.MarginBracket;

import java.math.BigInteger;
import java.util.List;

/**
 * The shadow's own margin tiers of one model-margined instrument: the listed brackets, the risk multiplier in force and
 * the rates it implies, and the maintenance margin of a position under them. Worked out here from the documented rules
 * (docs/risk.md, "Margin" and "Volatility-driven risk parameters"), not with the engine's risk module, so that the
 * audit checks the engine rather than repeating it:
 * <pre>
 *   rates in force:   MMR' = min(999,999, max(1, ceil(MMR x m / 1e6)))
 *                     IMR' = min(1,000,000, max(MMR' + 1, ceil(IMR x m / 1e6)))
 *   maintenance:      MM(n) = ceil( sum over tiers i with floor(i) <= n of (n - floor(i)) x (MMR'(i) - MMR'(i-1)) / 1e6 )
 *   position limit:   0 when none is listed, else max(1, floor(listed x 1e6 / m))
 *   price band:       0 when none is listed, else min(1e6, floor(listed x m / 1e6))
 * </pre>
 * The maintenance sum is the tiered formula {@code n x MMR(t) - amt(t)} written as the sum of its steps (the same exact
 * value, rounded up once), which needs no maintenance amounts.
 *
 * <p>Not thread-safe; engine thread only, like the audit.
 */
final class ShadowMargin {
    private static final long PPM = FixedPoint.PPM;

    private final long[] floors;
    private final long[] listedMmr;
    private final long[] listedImr;
    final long listedPositionLimit;
    final long listedPriceBandPpm;
    private long[] mmr;
    private long[] imr;
    long multiplierPpm = PPM;

    /** The listed brackets (as configured, or the venue's default table), position limit and price band. */
    ShadowMargin(List<MarginBracket> brackets, long listedPositionLimit, long listedPriceBandPpm) {
        int n = brackets.size();
        floors = new long[n];
        listedMmr = new long[n];
        listedImr = new long[n];
        for (int i = 0; i < n; i++) {
            floors[i] = brackets.get(i).notionalFloor();
            listedMmr[i] = brackets.get(i).maintenanceRatePpm();
            listedImr[i] = brackets.get(i).initialRatePpm();
        }
        this.listedPositionLimit = listedPositionLimit;
        this.listedPriceBandPpm = listedPriceBandPpm;
        mmr = listedMmr;
        imr = listedImr;
    }

    /** Puts the multiplier {@code m} (ppm) in force: every tier's rates by the rule above. */
    void scale(long m) {
        multiplierPpm = m;
        mmr = new long[floors.length];
        imr = new long[floors.length];
        for (int i = 0; i < floors.length; i++) {
            mmr[i] = Math.min(PPM - 1, Math.max(1, ceilPpm(listedMmr[i], m)));
            imr[i] = Math.min(PPM, Math.max(mmr[i] + 1, ceilPpm(listedImr[i], m)));
        }
    }

    private static long ceilPpm(long rate, long m) {
        return Math.addExact(Math.multiplyExact(rate, m), PPM - 1) / PPM;
    }

    int tiers() {
        return floors.length;
    }

    long floor(int tier) {
        return floors[tier];
    }

    long maintenanceRate(int tier) {
        return mmr[tier];
    }

    long initialRate(int tier) {
        return imr[tier];
    }

    /** The position limit the multiplier in force implies (lots; 0: none). */
    long positionLimit() {
        return listedPositionLimit == 0 ? 0 : Math.max(1, FixedPoint.mulDivFloor(listedPositionLimit, PPM, multiplierPpm));
    }

    /** The price band the multiplier in force implies (ppm; 0: none). */
    long priceBandPpm() {
        return listedPriceBandPpm == 0 ? 0 : Math.min(PPM, FixedPoint.mulDivFloor(listedPriceBandPpm, multiplierPpm, PPM));
    }

    /** The maintenance margin of a position of notional {@code notional} (minor units, >= 0) under the rates in force. */
    long maintenanceMargin(long notional) {
        try {
            long sum = 0;
            for (int i = 0; i < floors.length && floors[i] <= notional; i++) {
                long step = mmr[i] - (i == 0 ? 0 : mmr[i - 1]);
                sum = Math.addExact(sum, Math.multiplyExact(notional - floors[i], step));
            }
            return Math.addExact(sum, PPM - 1) / PPM;
        } catch (ArithmeticException overflow) {
            BigInteger sum = BigInteger.ZERO;
            for (int i = 0; i < floors.length && floors[i] <= notional; i++) {
                long step = mmr[i] - (i == 0 ? 0 : mmr[i - 1]);
                sum = sum.add(BigInteger.valueOf(notional - floors[i]).multiply(BigInteger.valueOf(step)));
            }
            return sum.add(BigInteger.valueOf(PPM - 1)).divide(BigInteger.valueOf(PPM)).longValueExact();
        }
    }
}
