package io.meridian.risk.margin;

import java.util.List;

/**
 * Fee tiers by index: tier 0 is the default every account starts in, higher tiers (VIP, market makers) usually
 * have lower rates; which tier an account is in is the account's business, not the schedule's.
 *
 * <p><b>Validation</b> ({@link IllegalArgumentException}): at least one tier, each valid ({@link FeeTier}), and the
 * largest rebate rate of any tier at most the smallest taker rate of any tier. The cross-tier check matters because
 * the maker and the taker of a trade can be in different tiers: with it, for any pair, the taker fee rounded up is at
 * least the maker rebate rounded down, so the venue never pays more rebate than it collects on a trade.
 *
 * <p>Immutable, allocation-free after construction.
 */
public final class FeeSchedule {
    private final List<FeeTier> tiers;
    private final long[] maker;
    private final long[] taker;

    public FeeSchedule(List<FeeTier> tiers) {
        if (tiers == null || tiers.isEmpty()) {
            throw new IllegalArgumentException("a fee schedule needs at least one tier");
        }
        this.tiers = List.copyOf(tiers);
        int n = this.tiers.size();
        maker = new long[n];
        taker = new long[n];
        long maxRebate = 0;
        long minTaker = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            maker[i] = this.tiers.get(i).makerPpm();
            taker[i] = this.tiers.get(i).takerPpm();
            maxRebate = Math.max(maxRebate, this.tiers.get(i).rebatePpm());
            minTaker = Math.min(minTaker, taker[i]);
        }
        if (maxRebate > minTaker) {
            throw new IllegalArgumentException("the largest maker rebate (" + maxRebate
                    + " ppm) is above the smallest taker rate (" + minTaker + " ppm): a trade could cost the venue");
        }
    }

    /** One tier for everybody. */
    public static FeeSchedule flat(long makerPpm, long takerPpm) {
        return new FeeSchedule(List.of(new FeeTier(makerPpm, takerPpm)));
    }

    /**
     * An example VIP ladder in the style of large perpetual venues (maker / taker): VIP0 0.020% / 0.050%,
     * VIP1 0.016 / 0.040, VIP2 0.014 / 0.035, VIP3 0.012 / 0.032, VIP4 0.010 / 0.030, VIP5 0.008 / 0.027,
     * VIP6 0.006 / 0.025, VIP7 0.004 / 0.022, VIP8 0.002 / 0.020, VIP9 0.000 / 0.017, and tier 10, a market-maker
     * tier, -0.005% (rebate) / 0.017%.
     */
    public static FeeSchedule exampleVip() {
        return new FeeSchedule(List.of(
                new FeeTier(200, 500),
                new FeeTier(160, 400),
                new FeeTier(140, 350),
                new FeeTier(120, 320),
                new FeeTier(100, 300),
                new FeeTier(80, 270),
                new FeeTier(60, 250),
                new FeeTier(40, 220),
                new FeeTier(20, 200),
                new FeeTier(0, 170),
                new FeeTier(-50, 170)));
    }

    public List<FeeTier> tiers() {
        return tiers;
    }

    public int tierCount() {
        return maker.length;
    }

    public FeeTier tier(int index) {
        return tiers.get(index);
    }

    /** Taker fee of an account in {@code tier}: ceil(notional x taker / 1e6). */
    public long takerFee(int tier, long notional) {
        return Fees.charge(notional, taker[tier]);
    }

    /** Signed maker charge of an account in {@code tier}: fee rounded up, or minus a rebate rounded down. */
    public long makerFee(int tier, long notional) {
        return Fees.charge(notional, maker[tier]);
    }
}
