package io.meridian.simulator;

import java.util.Arrays;
import java.util.List;

/**
 * A scripted market: the index path as a multiple of the starting price over time, and how liquidity behaves.
 * Paths are piecewise linear between {@code (second, multiple)} points, so a scenario reads like its description.
 *
 * <p>Each scenario also sets the venue's loss absorbers: the backstop account's capital (0: none) and the insurance
 * fund at the start.
 *
 * <p>{@code liquidity(t)} scales the market makers: 1 = normal; below 1 they quote that fraction of their size at a
 * spread widened by its inverse, and at 0 they pull their quotes (a liquidity vacuum).
 */
public enum Scenario {
    /** A -30% move in 10 minutes, then a slow drift; market makers keep quoting. */
    CRASH_30("crash-30", "index falls 30% over 10 minutes, then drifts; liquidity normal", 2_000_000, 250_000,
            900, new double[][] {{0, 1.0}, {60, 1.0}, {660, 0.70}, {900, 0.69}},
            new double[][] {{0, 1.0}, {900, 1.0}}),
    /** A -50% crash in 5 minutes with a liquidity vacuum: makers widen, shrink and pull while it falls. */
    CRASH_50_VACUUM("crash-50-vacuum",
            "index falls 50% over 5 minutes while market makers widen, shrink and pull; no backstop, a small fund", 0,
            20_000, 600, new double[][] {{0, 1.0}, {60, 1.0}, {180, 0.80}, {360, 0.50}, {600, 0.52}},
            new double[][] {{0, 1.0}, {60, 1.0}, {120, 0.3}, {180, 0.0}, {360, 0.0}, {420, 0.4}, {600, 1.0}}),
    /** A short squeeze: +40% in 4 minutes; shorts are liquidated into thinning offers. */
    SHORT_SQUEEZE("short-squeeze", "index rises 40% over 4 minutes; offers thin out as it rises", 2_000_000,
            250_000, 600, new double[][] {{0, 1.0}, {60, 1.0}, {300, 1.40}, {600, 1.35}},
            new double[][] {{0, 1.0}, {60, 1.0}, {200, 0.3}, {300, 0.5}, {600, 1.0}}),
    /** A flash crash: -25% in one minute and back within five, with makers pulling at the bottom. */
    FLASH_CRASH("flash-crash", "index falls 25% in one minute and recovers within five; makers pull at the bottom",
            500_000, 50_000, 600, new double[][] {{0, 1.0}, {120, 1.0}, {180, 0.75}, {200, 0.75}, {480, 0.99}, {600, 1.0}},
            new double[][] {{0, 1.0}, {120, 1.0}, {170, 0.1}, {200, 0.0}, {260, 0.5}, {600, 1.0}});

    private final String id;
    private final String description;
    private final long backstopUsdc;
    private final long insuranceFundUsdc;
    private final int seconds;
    private final double[][] path;
    private final double[][] liquidity;

    Scenario(String id, String description, long backstopUsdc, long insuranceFundUsdc, int seconds, double[][] path,
             double[][] liquidity) {
        this.id = id;
        this.description = description;
        this.backstopUsdc = backstopUsdc;
        this.insuranceFundUsdc = insuranceFundUsdc;
        this.seconds = seconds;
        this.path = path;
        this.liquidity = liquidity;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** Capital of the backstop liquidity account in whole USDC; 0 = no backstop. */
    public long backstopUsdc() {
        return backstopUsdc;
    }

    /** The insurance fund at the start, whole USDC. */
    public long insuranceFundUsdc() {
        return insuranceFundUsdc;
    }

    /** Length of the full scenario in simulated seconds. */
    public int seconds() {
        return seconds;
    }

    /** Index as a multiple of the start at second {@code t} (t may be fractional when the scenario is shortened). */
    public double indexMultiple(double t) {
        return interpolate(path, t);
    }

    /**
     * Implied volatility as a multiple of its level at the start, at second {@code t}: {@code 1 + 2 x drawdown}, the
     * drawdown measured from the highest index so far. Derived rather than scripted so every scenario has one: in a
     * sell-off implied volatility rises (a 30% fall gives 1.6x, a 50% fall 2x) and it eases as the index recovers;
     * a rally alone leaves it unchanged. Used only by runs with options.
     */
    public double volMultiple(double t) {
        double peak = path[0][1];
        for (double[] point : path) {
            if (point[0] > t) {
                break;
            }
            peak = Math.max(peak, point[1]);
        }
        double now = indexMultiple(t);
        peak = Math.max(peak, now);
        return 1 + 2 * (1 - now / peak);
    }

    /** Market-maker liquidity at second {@code t}: 1 normal, 0 pulled. */
    public double liquidity(double t) {
        return Math.max(0, Math.min(1, interpolate(liquidity, t)));
    }

    private static double interpolate(double[][] points, double t) {
        if (t <= points[0][0]) {
            return points[0][1];
        }
        for (int i = 1; i < points.length; i++) {
            if (t <= points[i][0]) {
                double[] a = points[i - 1];
                double[] b = points[i];
                return a[1] + (b[1] - a[1]) * (t - a[0]) / (b[0] - a[0]);
            }
        }
        return points[points.length - 1][1];
    }

    public static Scenario byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst().orElse(null);
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Scenario::id).toList();
    }
}
