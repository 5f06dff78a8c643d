package io.meridian.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A scripted market: the index path as a multiple of the starting price over time, and how liquidity behaves.
 * Paths are piecewise linear between {@code (second, multiple)} points, so a scenario reads like its description.
 *
 * <p>Each scenario also sets the venue's loss absorbers: the backstop account's capital (0: none) and the insurance
 * fund at the start.
 *
 * <p>{@code liquidity(t)} scales the market makers: 1 = normal; below 1 they quote that fraction of their size at a
 * spread widened by its inverse, and at 0 they pull their quotes (a liquidity vacuum).
 *
 * <p>An adversarial scenario also has an {@link Adversary}: the attacker, its accounts and orders (or the oracle
 * sources it captured), and the pass criteria the run is judged by ({@link #adversary()}; null for the crash scenarios).
 */
public enum Scenario implements MarketScript {
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
            new double[][] {{0, 1.0}, {120, 1.0}, {170, 0.1}, {200, 0.0}, {260, 0.5}, {600, 1.0}}),
    /** Dust-walking the mark: tiny quotes and prints far above a flat index, into an empty book. */
    DUST_MARK("dust-mark", "index flat, makers gone from minute 1; an attacker prints and quotes dust 20% above the index",
            2_000_000, 250_000, 300, Paths.FLAT, Paths.VACUUM_AFTER_75, Attacks.DustMark::new),
    /** Wash prints: one trader trades with itself far above a flat index. */
    WASH_PRINTS("wash-prints", "index flat, makers gone from minute 1; an attacker wash-trades 15% above the index",
            2_000_000, 250_000, 300, Paths.FLAT, Paths.VACUUM_AFTER_75, Attacks.WashPrints::new),
    /** One of the three BTC price sources is captured. */
    ORACLE_CAPTURE_ONE("oracle-capture-1of3", "index flat; one of three price sources reports +30% for two minutes",
            2_000_000, 250_000, 300, Paths.FLAT, Paths.NORMAL, () -> new Attacks.OracleCapture(1)),
    /** Two of the three BTC price sources are captured. */
    ORACLE_CAPTURE_TWO("oracle-capture-2of3", "index flat; two of three price sources report +30% for two minutes",
            2_000_000, 250_000, 300, Paths.FLAT, Paths.NORMAL, () -> new Attacks.OracleCapture(2)),
    /** Stop hunting: repeated sells into a thin book under a cluster of stops. */
    STOP_HUNT("stop-hunt", "index flat, makers thin to a tenth from minute 1.5; an attacker sells into the bids under a"
            + " cluster of stops", 2_000_000, 250_000, 300, Paths.FLAT,
            new double[][] {{0, 1.0}, {80, 1.0}, {90, 0.1}, {300, 0.1}}, Attacks.StopHunt::new),
    /** A Mango-style pump of a collateral asset's index to borrow against it. */
    COLLATERAL_PUMP("collateral-pump", "index flat; an attacker pumps its collateral's (MNGO) index tenfold and borrows"
            + " against it through its own counterparty", 2_000_000, 250_000, 300, Paths.FLAT, Paths.NORMAL,
            Attacks.CollateralPump::new),
    /** A liquidity vacuum with the insurance fund at its floor. */
    VACUUM_FUND_FLOOR("vacuum-fund-floor", "index falls 40% over 4 minutes while makers pull; no backstop; the"
            + " insurance fund at its floor", 0, Attacks.VacuumAtFundFloor.FLOOR_USDC, 300,
            new double[][] {{0, 1.0}, {60, 1.0}, {300, 0.60}},
            new double[][] {{0, 1.0}, {60, 1.0}, {90, 0.0}, {300, 0.0}}, Attacks.VacuumAtFundFloor::new);

    /** Shared paths of the adversarial scenarios (a holder: an enum's own statics are not set yet for its constants). */
    private static final class Paths {
        static final double[][] FLAT = {{0, 1.0}, {1, 1.0}};
        static final double[][] NORMAL = {{0, 1.0}, {1, 1.0}};
        static final double[][] VACUUM_AFTER_75 = {{0, 1.0}, {60, 1.0}, {75, 0.0}, {100_000, 0.0}};
    }

    private final String id;
    private final String description;
    private final long backstopUsdc;
    private final long insuranceFundUsdc;
    private final int seconds;
    private final double[][] path;
    private final double[][] liquidity;
    private final Supplier<Adversary> adversary;

    Scenario(String id, String description, long backstopUsdc, long insuranceFundUsdc, int seconds, double[][] path,
             double[][] liquidity) {
        this(id, description, backstopUsdc, insuranceFundUsdc, seconds, path, liquidity, null);
    }

    Scenario(String id, String description, long backstopUsdc, long insuranceFundUsdc, int seconds, double[][] path,
             double[][] liquidity, Supplier<Adversary> adversary) {
        this.adversary = adversary;
        this.id = id;
        this.description = description;
        this.backstopUsdc = backstopUsdc;
        this.insuranceFundUsdc = insuranceFundUsdc;
        this.seconds = seconds;
        this.path = path;
        this.liquidity = liquidity;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    /** A new attacker for one run of an adversarial scenario; null for the crash scenarios. */
    Adversary adversary() {
        return adversary == null ? null : adversary.get();
    }

    /** True for the adversarial scenarios (they have an attacker and pass criteria). */
    public boolean adversarial() {
        return adversary != null;
    }

    /** Capital of the backstop liquidity account in whole USDC; 0 = no backstop. */
    @Override
    public long backstopUsdc() {
        return backstopUsdc;
    }

    /** The insurance fund at the start, whole USDC. */
    @Override
    public long insuranceFundUsdc() {
        return insuranceFundUsdc;
    }

    /** Length of the full scenario in simulated seconds. */
    @Override
    public int seconds() {
        return seconds;
    }

    /** The options' implied volatility at the start of every scenario, per year; {@link #volMultiple} scales it. */
    public static final double INITIAL_OPTION_VOL = 0.6;

    /** Index as a multiple of the start at second {@code t} (t may be fractional when the scenario is shortened). */
    @Override
    public double indexMultiple(double t) {
        return interpolate(path, t);
    }

    /**
     * Implied volatility as a multiple of its level at the start, at second {@code t}: {@code 1 + 2 x drawdown}, the
     * drawdown measured from the highest index so far. Derived rather than scripted so every scenario has one: in a
     * sell-off implied volatility rises (a 30% fall gives 1.6x, a 50% fall 2x) and it eases as the index recovers;
     * a rally alone leaves it unchanged. Used only by runs with options.
     */
    @Override
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
    @Override
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
