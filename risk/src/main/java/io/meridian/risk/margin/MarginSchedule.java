package io.meridian.risk.margin;

import java.util.ArrayList;
import java.util.List;

/**
 * A tiered (bracketed) margin schedule, Binance style: the default {@link MarginModel}. The tier is chosen by the
 * position's notional; the maintenance margin is
 * <pre>
 *   MM(notional) = notional x MMR(t) - amt(t),        t = the tier whose floor is the largest one <= notional
 *   amt(0) = 0,  amt(t) = floor(t) x (MMR(t) - MMR(t-1)) + amt(t-1)
 * </pre>
 * which makes MM continuous across brackets (at {@code floor(t)} both tiers' formulas give the same value), so a
 * position never jumps into liquidation by crossing a bracket. The initial margin is
 * {@code max(notional x IMR(t), notional / leverage)} with the user's selected leverage.
 *
 * <p><b>Exactness and rounding.</b> Notionals are settlement minor units and rates ppm, so {@code amt(t)} is a
 * multiple of 1e-6 minor units; it is kept exactly as a whole part and a fraction in millionths
 * ({@link #maintenanceAmount}, {@link #maintenanceAmountFraction}), and MM is computed from the exact value and
 * rounded once, up. Initial margin is rounded up. Nothing overflows silently: products are split so that only
 * values below 1e12 x rate are divided, and the rest uses checked arithmetic.
 *
 * <p><b>Validation.</b> Tables are validated when built ({@link IllegalArgumentException}): at least one tier, the
 * first floor 0, floors strictly increasing, each tier valid on its own ({@link MarginTier}: 0 < MMR < IMR <= 100%,
 * max leverage = floor(1e6 / IMR)), and MMR and IMR non-decreasing from tier to tier (hence max leverage
 * non-increasing).
 *
 * <p>Immutable, allocation-free after construction, safe to share.
 */
public final class MarginSchedule implements MarginModel {
    private final List<MarginTier> tiers;
    private final long[] floors;
    private final long[] mmr;
    private final long[] imr;
    private final int[] maxLeverage;
    /** Whole minor units of amt(t). */
    private final long[] amountWhole;
    /** Millionths of a minor unit of amt(t), 0 .. 999,999. */
    private final long[] amountFraction;

    public MarginSchedule(List<MarginTier> tiers) {
        if (tiers == null || tiers.isEmpty()) {
            throw new IllegalArgumentException("a margin schedule needs at least one tier");
        }
        this.tiers = List.copyOf(tiers);
        int n = this.tiers.size();
        floors = new long[n];
        mmr = new long[n];
        imr = new long[n];
        maxLeverage = new int[n];
        amountWhole = new long[n];
        amountFraction = new long[n];
        for (int i = 0; i < n; i++) {
            MarginTier tier = this.tiers.get(i);
            floors[i] = tier.notionalFloor();
            mmr[i] = tier.maintenanceRatePpm();
            imr[i] = tier.initialRatePpm();
            maxLeverage[i] = tier.maxLeverage();
            if (i == 0) {
                if (floors[0] != 0) {
                    throw new IllegalArgumentException("the first tier's notional floor must be 0: " + floors[0]);
                }
                continue;
            }
            if (floors[i] <= floors[i - 1]) {
                throw new IllegalArgumentException("tier " + i + ": notional floors must increase strictly: "
                        + floors[i - 1] + " then " + floors[i]);
            }
            if (mmr[i] < mmr[i - 1] || imr[i] < imr[i - 1]) {
                throw new IllegalArgumentException("tier " + i + ": margin rates must not decrease: MMR "
                        + mmr[i - 1] + " -> " + mmr[i] + " ppm, IMR " + imr[i - 1] + " -> " + imr[i] + " ppm");
            }
            // amt(i) = floor(i) x (MMR(i) - MMR(i-1)) / 1e6 + amt(i-1), kept exactly as whole + millionths.
            long delta = mmr[i] - mmr[i - 1];
            long whole = Math.multiplyExact(floors[i] / Ppm.ONE, delta);
            long micros = (floors[i] % Ppm.ONE) * delta; // < 1e6 x 1e6
            long fraction = amountFraction[i - 1] + micros % Ppm.ONE;
            whole = Math.addExact(whole, micros / Ppm.ONE + fraction / Ppm.ONE);
            amountFraction[i] = fraction % Ppm.ONE;
            amountWhole[i] = Math.addExact(amountWhole[i - 1], whole);
        }
    }

    /** Binance-style tiers from parallel arrays (floors in minor units, rates in ppm); max leverage = floor(1e6/IMR). */
    public static MarginSchedule of(long[] notionalFloors, long[] maintenanceRatesPpm, long[] initialRatesPpm) {
        if (notionalFloors.length != maintenanceRatesPpm.length || notionalFloors.length != initialRatesPpm.length) {
            throw new IllegalArgumentException("tier arrays must have the same length");
        }
        List<MarginTier> list = new ArrayList<>(notionalFloors.length);
        for (int i = 0; i < notionalFloors.length; i++) {
            list.add(MarginTier.of(notionalFloors[i], maintenanceRatesPpm[i], initialRatesPpm[i]));
        }
        return new MarginSchedule(list);
    }

    /**
     * The Binance COIN-M BTCUSD example table (notional in BTC), from Binance's published brackets (2020): floors
     * 0, 10, 20, 30, 50, 100, 200, 400, 1000 BTC; MMR 0.4, 0.5, 1, 2.5, 5, 10, 12.5, 15, 25%; IMR 0.8, 1, 2, 5, 10,
     * 20, 25, 33.3, 50% (125x .. 2x). Maintenance amounts: 0, 0.01, 0.11, 0.56, 1.81, 6.81, 11.81, 21.81,
     * 121.81 BTC; bracket 5 (index 4) is 50 x (5% - 2.5%) + 0.56 = 1.81 BTC, as in Binance's FAQ.
     *
     * @param settlementScale decimals of the BTC minor unit (8 for satoshis)
     */
    public static MarginSchedule binanceCoinMBtcUsd(int settlementScale) {
        long coin = pow10(settlementScale);
        long[] floorsInCoins = {0, 10, 20, 30, 50, 100, 200, 400, 1000};
        long[] floorsMinor = new long[floorsInCoins.length];
        for (int i = 0; i < floorsInCoins.length; i++) {
            floorsMinor[i] = Math.multiplyExact(floorsInCoins[i], coin);
        }
        return of(floorsMinor,
                new long[] {4_000, 5_000, 10_000, 25_000, 50_000, 100_000, 125_000, 150_000, 250_000},
                new long[] {8_000, 10_000, 20_000, 50_000, 100_000, 200_000, 250_000, 333_000, 500_000});
    }

    /** {@link #binanceCoinMBtcUsd(int)} with BTC in satoshis (8 decimals). */
    public static MarginSchedule binanceCoinMBtcUsd() {
        return binanceCoinMBtcUsd(8);
    }

    /**
     * The Binance USDT-M BTCUSDT example table (notional in USDT) as announced 2021-03-18: floors 0, 50k, 250k, 1M,
     * 10M, 20M, 50M, 100M, 200M, 300M USDT; MMR 0.4, 0.5, 1, 2.5, 5, 10, 12.5, 15, 25, 50%; IMR 0.8, 1, 2, 5, 10,
     * 20, 25, 33.3, 50, 100% (125x .. 1x). Maintenance amounts 0, 50, 1,300, 16,300, 266,300, 1,266,300,
     * 2,516,300, 5,016,300, 25,016,300, 100,016,300 USDT.
     *
     * @param settlementScale decimals of the settlement minor unit (6 for USDT/USDC)
     */
    public static MarginSchedule binanceUsdtMBtcUsdt(int settlementScale) {
        long coin = pow10(settlementScale);
        long[] floorsInCoins = {0, 50_000, 250_000, 1_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000,
            200_000_000, 300_000_000};
        long[] floorsMinor = new long[floorsInCoins.length];
        for (int i = 0; i < floorsInCoins.length; i++) {
            floorsMinor[i] = Math.multiplyExact(floorsInCoins[i], coin);
        }
        return of(floorsMinor,
                new long[] {4_000, 5_000, 10_000, 25_000, 50_000, 100_000, 125_000, 150_000, 250_000, 500_000},
                new long[] {8_000, 10_000, 20_000, 50_000, 100_000, 200_000, 250_000, 333_000, 500_000, 1_000_000});
    }

    private static long pow10(int scale) {
        if (scale < 0 || scale > 18) {
            throw new IllegalArgumentException("settlement scale must be 0..18: " + scale);
        }
        long value = 1;
        for (int i = 0; i < scale; i++) {
            value *= 10;
        }
        return value;
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** The tiers, in order (immutable). */
    /**
     * This schedule with every tier's rates multiplied by {@code multiplierPpm} (1,000,000 = unchanged): the schedule in
     * force under a risk multiplier (docs/risk.md, "Volatility-driven risk parameters"). Floors stay; each rate is
     * rounded up (against the account), the maintenance rate capped at 999,999 ppm and the initial rate at 100% and kept
     * above the maintenance rate. Rounding up, capping and the max are all monotone, so the rates stay non-decreasing
     * from tier to tier and the result is a valid schedule.
     *
     * @throws IllegalArgumentException if the multiplier is not positive
     */
    public MarginSchedule scaled(long multiplierPpm) {
        if (multiplierPpm <= 0) {
            throw new IllegalArgumentException("the multiplier must be positive: " + multiplierPpm);
        }
        if (multiplierPpm == Ppm.ONE) {
            return this;
        }
        List<MarginTier> scaled = new ArrayList<>(tiers.size());
        for (MarginTier tier : tiers) {
            long maintenance = Math.min(Ppm.ONE - 1, Math.max(1, ceilPpm(tier.maintenanceRatePpm(), multiplierPpm)));
            long initial = Math.min(Ppm.ONE, Math.max(maintenance + 1, ceilPpm(tier.initialRatePpm(), multiplierPpm)));
            scaled.add(MarginTier.of(tier.notionalFloor(), maintenance, initial));
        }
        return new MarginSchedule(scaled);
    }

    /** {@code ceil(rate x multiplier / 1e6)}, overflow checked. */
    private static long ceilPpm(long ratePpm, long multiplierPpm) {
        return Math.addExact(Math.multiplyExact(ratePpm, multiplierPpm), Ppm.ONE - 1) / Ppm.ONE;
    }

    public List<MarginTier> tiers() {
        return tiers;
    }

    public int tierCount() {
        return floors.length;
    }

    /** Index of the tier that applies to {@code notional} (>= 0): the last tier whose floor is <= notional. */
    public int tierIndex(long notional) {
        requireNonNegative(notional);
        int lo = 0;
        int hi = floors.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (floors[mid] <= notional) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The tier that applies to {@code notional} (>= 0). */
    public MarginTier tier(long notional) {
        return tiers.get(tierIndex(notional));
    }

    /**
     * Maintenance margin in minor units for a position of {@code notional} (>= 0) minor units:
     * ceil(notional x MMR(t) / 1e6 - amt(t)), computed from the exact amount and rounded once, up. Continuous across
     * brackets up to that rounding, non-decreasing in the notional, 0 at notional 0.
     */
    public long maintenanceMargin(long notional) {
        int t = tierIndex(notional);
        long rate = mmr[t];
        long whole = Math.subtractExact(Math.multiplyExact(notional / Ppm.ONE, rate), amountWhole[t]);
        long micros = (notional % Ppm.ONE) * rate - amountFraction[t];
        return Math.addExact(whole, Ppm.ceilDiv(micros, Ppm.ONE));
    }

    /**
     * Initial margin in minor units: max(ceil(notional x IMR(t) / 1e6), ceil(notional / leverage)) with the user's
     * selected {@code leverage} (>= 1). The pre-trade check keeps leverage within {@link #maxLeverage(long)}; above it
     * the IMR term binds, so the result never drops below the tier's own requirement. Non-decreasing in the
     * notional (rates never decrease from tier to tier) and non-increasing in the leverage. Always >= MM.
     */
    public long initialMargin(long notional, int leverage) {
        if (leverage < 1) {
            throw new IllegalArgumentException("leverage must be >= 1: " + leverage);
        }
        int t = tierIndex(notional);
        long byRate = Ppm.mulCeil(notional, imr[t]);
        long byLeverage = Ppm.ceilDiv(notional, leverage);
        return Math.max(byRate, byLeverage);
    }

    /** Highest leverage a user may select at {@code notional} (>= 0): the tier's max leverage. */
    public int maxLeverage(long notional) {
        return maxLeverage[tierIndex(notional)];
    }

    /**
     * amt(tierIndex) in whole minor units, rounded down: exact when the amount is integral (always so when every
     * floor is a multiple of 1e6 minor units, or floor x rate-step a multiple of 1e6). Rounding down is against the
     * account because the amount is subtracted; {@link #maintenanceMargin(long)} does not use this rounded value but
     * the exact one ({@code maintenanceAmount + maintenanceAmountFraction / 1e6}).
     */
    public long maintenanceAmount(int tierIndex) {
        return amountWhole[tierIndex];
    }

    /** The fractional part of amt(tierIndex) in millionths of a minor unit, 0 .. 999,999. */
    public long maintenanceAmountFraction(int tierIndex) {
        return amountFraction[tierIndex];
    }

    // ------------------------------------------------------------------------------------------------ MarginModel

    /** {@inheritDoc} The size is ignored: tiers depend on the notional only. */
    @Override
    public long maintenanceMargin(long sizeLots, long notional) {
        return maintenanceMargin(notional);
    }

    /** {@inheritDoc} The size is ignored: tiers depend on the notional only. */
    @Override
    public long initialMargin(long sizeLots, long notional, int leverage) {
        return initialMargin(notional, leverage);
    }

    /** {@inheritDoc} The size is ignored: tiers depend on the notional only. */
    @Override
    public int maxLeverage(long sizeLots, long notional) {
        return maxLeverage(notional);
    }

    private static void requireNonNegative(long notional) {
        if (notional < 0) {
            throw new IllegalArgumentException("notional must be >= 0: " + notional);
        }
    }
}
