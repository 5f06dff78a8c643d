package io.meridian.benchmarks;

import io.meridian.model.OptionRight;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import io.meridian.pricing.options.OptionGreeks;
import io.meridian.pricing.options.Smile;
import io.meridian.pricing.options.SurfaceBuild;
import io.meridian.pricing.options.SviParams;
import io.meridian.pricing.options.VolSurface;
import io.meridian.risk.options.MarkSource;
import io.meridian.risk.options.OptionMarginAccount;
import io.meridian.risk.options.OptionMarginMode;
import io.meridian.risk.options.PortfolioMarginParams;
import io.meridian.risk.options.RepriceStatus;
import io.meridian.risk.options.ScenarioTable;
import io.meridian.risk.options.SeriesSpec;
import io.meridian.risk.options.StandardMarginParams;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code meridian bench options [--accounts N] [--legs N] [--seed N]}: option pricing and portfolio margin (issue 8),
 * on one thread. A BTC-like underlying at 60,000 USDC with an SVI surface of 10 expiries (1 to 180 days) and a chain
 * of 100 strikes x call/put per expiry (2,000 options), default portfolio-margin grid (9 moves x 3 volatility shocks =
 * 27 scenarios). Measured, after warm-up:
 * <ul>
 * <li>{@code chain_greeks_us}: volatility from the surface, then price and greeks ({@code GeneralizedBlackScholes.greeks})
 * for all 2,000 options; median of 200 runs;</li>
 * <li>{@code reprice_ms}: {@link ScenarioTable#reprice} of the 2,000 series and a perpetual after an index move (the
 * per-underlying work of an index tick: every series in every scenario); median of 21;</li>
 * <li>{@code account_recompute_us}: full re-sum of one account of {@code --legs} (default 200) option positions spread
 * over the 10 expiries, plus a perpetual hedge, and its requirement; median and p99 of 20,000;</li>
 * <li>{@code position_change_ns}: one fill's worth of update to that account (incremental) and its requirement;</li>
 * <li>{@code all_accounts_ms}: after an index move, reprice the table and re-sum every one of {@code --accounts}
 * (default 10,000) portfolio-margin accounts of {@code --legs} legs each; median of 5 moves.</li>
 * </ul>
 * Last line: {@code chain_greeks_us=<float> reprice_ms=<float> account_recompute_us=<float> accounts=<int>
 * all_accounts_ms=<float>}.
 */
public final class OptionsBench {
    private static final double SPOT = 60_000.0;
    private static final long NOW = 1_700_000_000_000_000_000L;
    private static final long DAY = 86_400L * 1_000_000_000L;
    private static final int[] EXPIRY_DAYS = {1, 2, 7, 14, 21, 30, 60, 90, 120, 180};
    private static final int STRIKES = 100;
    private static final int CHAIN_RUNS = 200;
    private static final int RECOMPUTE_RUNS = 20_000;
    private static final int MOVES = 5;

    private OptionsBench() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out);
        System.out.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the benchmark; returns the exit code: 0 done, 1 set-up failed, 2 bad arguments. */
    public static int run(String[] args, PrintStream out) {
        return BenchCli.run(LiquidationBench.prepend("options", args), out);
    }

    /** {@code bench options}. */
    @Command(name = "options", description = "Option chain greeks and portfolio-margin recomputes (docs/risk.md).")
    static final class Cli extends BenchCli.Base {
        @Option(names = "--accounts", paramLabel = "N", description = "portfolio-margin accounts, 1..1,000,000 (default"
                + " 10,000)")
        String accounts = "10000";
        @Option(names = "--legs", paramLabel = "N", description = "option positions per account (default 200)")
        String legs = "200";
        @Option(names = "--seed", paramLabel = "N", description = "the positions' seed (default 8)")
        String seed = "8";

        Cli(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            return run((int) number(accounts, "--accounts", 1, 1_000_000),
                    (int) number(legs, "--legs", 1, 2L * STRIKES * EXPIRY_DAYS.length),
                    number(seed, "--seed", Long.MIN_VALUE, Long.MAX_VALUE), out);
        }
    }

    static int run(int accounts, int legs, long seed, PrintStream out) {
        VolSurface surface = surface();
        MarkSource marks = MarkSource.of(surface);

        // 1. Price and greeks of the whole chain.
        double[] strikes = new double[STRIKES];
        for (int k = 0; k < STRIKES; k++) {
            strikes[k] = 30_000 + 600.0 * k;
        }
        double sink = 0;
        long[] chainNanos = new long[CHAIN_RUNS];
        for (int warm = 0; warm < 50; warm++) {
            sink += chain(surface, strikes);
        }
        for (int r = 0; r < CHAIN_RUNS; r++) {
            long start = System.nanoTime();
            sink += chain(surface, strikes);
            chainNanos[r] = System.nanoTime() - start;
        }
        Arrays.sort(chainNanos);
        double chainUs = chainNanos[CHAIN_RUNS / 2] / 1e3;
        int options = 2 * STRIKES * EXPIRY_DAYS.length;
        out.printf(Locale.ROOT, "chain: %d options (10 expiries x %d strikes x call/put), vol from an SVI surface + price"
                + " + greeks: median %.1f us per chain, %.0f ns per option (min %.1f us)%n", options, STRIKES, chainUs,
                chainNanos[CHAIN_RUNS / 2] / (double) options, chainNanos[0] / 1e3);

        // 2. The scenario table of the chain, repriced on an index move.
        ScenarioTable table = new ScenarioTable(6, StandardMarginParams.defaults(), PortfolioMarginParams.defaults());
        int perp = table.addSeries(SeriesSpec.perpetual(0.001));
        for (int e = 0; e < EXPIRY_DAYS.length; e++) {
            for (int k = 0; k < STRIKES; k++) {
                long expiry = NOW + EXPIRY_DAYS[e] * DAY;
                table.addSeries(SeriesSpec.option(OptionRight.CALL, strikes[k], expiry, 1.0));
                table.addSeries(SeriesSpec.option(OptionRight.PUT, strikes[k], expiry, 1.0));
            }
        }
        if (table.reprice(SPOT, NOW, marks) != RepriceStatus.OK) {
            out.println("error: reprice rejected: " + table.lastRejectMessage());
            return 1;
        }
        long[] repriceNanos = new long[21];
        for (int warm = 0; warm < 10; warm++) {
            table.reprice(SPOT + warm, NOW, marks);
        }
        for (int r = 0; r < repriceNanos.length; r++) {
            long start = System.nanoTime();
            table.reprice(SPOT + (r % 2 == 0 ? 30 : -30), NOW + r * 1_000_000_000L, marks);
            repriceNanos[r] = System.nanoTime() - start;
        }
        Arrays.sort(repriceNanos);
        double repriceMs = repriceNanos[repriceNanos.length / 2] / 1e6;
        out.printf(Locale.ROOT, "reprice: %d series x %d scenarios after an index move: median %.2f ms%n",
                table.seriesCount(), table.scenarioCount(), repriceMs);

        // 3. One account: full re-sum, and incremental position changes.
        Rng rng = new Rng(seed);
        OptionMarginAccount one = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
        fill(one, rng, legs, perp);
        long[] recomputeNanos = new long[RECOMPUTE_RUNS];
        for (int warm = 0; warm < RECOMPUTE_RUNS; warm++) {
            sink += one.recompute();
        }
        for (int r = 0; r < RECOMPUTE_RUNS; r++) {
            long start = System.nanoTime();
            sink += one.recompute();
            recomputeNanos[r] = System.nanoTime() - start;
        }
        Arrays.sort(recomputeNanos);
        double recomputeUs = recomputeNanos[RECOMPUTE_RUNS / 2] / 1e3;
        out.printf(Locale.ROOT, "account: %d option legs over 10 expiries + a perpetual, %d scenarios: full re-sum +"
                        + " requirement median %.2f us, p99 %.2f us, max %.2f us; PM initial %d vs standard %d minor units%n",
                one.legCount() - 1, table.scenarioCount(), recomputeUs, recomputeNanos[RECOMPUTE_RUNS * 99 / 100] / 1e3,
                recomputeNanos[RECOMPUTE_RUNS - 1] / 1e3, one.portfolioInitialMargin(), one.standardInitialMargin());
        int changes = 200_000;
        int[] changeSeries = new int[1024];
        long[] changeQuantity = new long[1024];
        for (int i = 0; i < changeSeries.length; i++) {
            changeSeries[i] = one.legSeries(rng.nextInt(one.legCount()));
            changeQuantity[i] = rng.between(1, 5) * (rng.nextBoolean() ? 1 : -1);
        }
        for (int i = 0; i < changes; i++) {
            one.addPosition(changeSeries[i & 1023], changeQuantity[i & 1023]);
            sink += one.initialMargin();
        }
        long start = System.nanoTime();
        for (int i = 0; i < changes; i++) {
            one.addPosition(changeSeries[i & 1023], changeQuantity[i & 1023]);
            sink += one.initialMargin();
        }
        double changeNs = (System.nanoTime() - start) / (double) changes;
        out.printf(Locale.ROOT, "position change: incremental update of the summed vector + requirement: %.0f ns%n",
                changeNs);

        // 4. Every portfolio-margin account after an index move.
        long setupStart = System.nanoTime();
        OptionMarginAccount[] all = new OptionMarginAccount[accounts];
        for (int a = 0; a < accounts; a++) {
            all[a] = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
            fill(all[a], rng, legs, perp);
        }
        out.printf(Locale.ROOT, "accounts: %,d portfolio-margin accounts of %d legs set up in %.0f ms%n", accounts, legs,
                (System.nanoTime() - setupStart) / 1e6);
        long[] moveNanos = new long[MOVES];
        for (int m = -2; m < MOVES; m++) {
            double spot = SPOT * (1.0 + (m % 2 == 0 ? 0.01 : -0.01));
            long moveStart = System.nanoTime();
            table.reprice(spot, NOW + (m + 3) * 60_000_000_000L, marks);
            for (OptionMarginAccount account : all) {
                sink += account.initialMargin();
            }
            if (m >= 0) {
                moveNanos[m] = System.nanoTime() - moveStart;
            }
        }
        Arrays.sort(moveNanos);
        double allMs = moveNanos[MOVES / 2] / 1e6;
        out.printf(Locale.ROOT, "index move: reprice + re-sum of all %,d accounts (%,d legs x %d scenarios): median %.1f ms,"
                + " max %.1f ms (one thread)%n", accounts, (long) accounts * legs, table.scenarioCount(), allMs,
                moveNanos[MOVES - 1] / 1e6);
        out.printf(Locale.ROOT, "(checksum %.0f)%n", sink % 1e6);
        out.printf(Locale.ROOT, "chain_greeks_us=%.1f reprice_ms=%.2f account_recompute_us=%.2f accounts=%d"
                + " all_accounts_ms=%.1f%n", chainUs, repriceMs, recomputeUs, accounts, allMs);
        return 0;
    }

    /** Vol, price and greeks of every option in the chain; returns a checksum so that nothing is optimised away. */
    private static double chain(VolSurface surface, double[] strikes) {
        double sum = 0;
        for (int days : EXPIRY_DAYS) {
            double tte = days / 365.0;
            double carry = StrictMath.log(surface.forward(tte) / SPOT) / tte;
            for (double strike : strikes) {
                double vol = surface.vol(strike, tte);
                OptionGreeks call = GeneralizedBlackScholes.greeks(OptionRight.CALL, SPOT, strike, tte, 0.0, carry, vol);
                OptionGreeks put = GeneralizedBlackScholes.greeks(OptionRight.PUT, SPOT, strike, tte, 0.0, carry, vol);
                sum += call.price() + call.delta() + call.gamma() + call.vega() + call.theta() + put.price()
                        + put.delta() + put.rho();
            }
        }
        return sum;
    }

    /** {@code legs} distinct option series over the 10 expiries, quantities +/-1..50, plus a perpetual hedge. */
    private static void fill(OptionMarginAccount account, Rng rng, int legs, int perp) {
        int perExpiry = 2 * STRIKES;
        int placed = 0;
        while (placed < legs) {
            int expiry = placed % EXPIRY_DAYS.length;
            int series = 1 + expiry * perExpiry + rng.nextInt(perExpiry);
            if (account.position(series) != 0) {
                continue;
            }
            account.setPosition(series, rng.between(1, 50) * (rng.nextBoolean() ? 1 : -1));
            placed++;
        }
        account.setPosition(perp, rng.between(-20_000, 20_000));
    }

    /** An SVI smile per expiry, with a mild skew and a forward growing at 5% a year. */
    private static VolSurface surface() {
        List<Smile> smiles = new ArrayList<>();
        for (int days : EXPIRY_DAYS) {
            double tte = days / 365.0;
            double atmVariance = 0.36 * tte;
            smiles.add(new Smile(tte, SPOT * StrictMath.exp(0.05 * tte),
                    new SviParams(atmVariance * 0.8, 0.1 * StrictMath.sqrt(tte), -0.3, 0.0, 0.2)));
        }
        SurfaceBuild build = VolSurface.fromSmiles(SPOT, smiles);
        if (!build.ok()) {
            throw new IllegalStateException("benchmark surface rejected: " + build.message());
        }
        return build.surface();
    }
}
