package io.meridian.app;

import io.meridian.model.Decimals;
import io.meridian.model.StateHasher;
import io.meridian.simulator.CandleCsv;
import io.meridian.simulator.CandleReplay;
import io.meridian.simulator.MarketScript;
import io.meridian.simulator.Scenario;
import io.meridian.simulator.StressRunner;
import io.meridian.simulator.report.StressReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code meridian stress}: runs a crash scenario through the engine and prints its report. The last line is
 * {@code invariants=ok} or {@code invariants=violated <which>} (scripts depend on it). Exit codes: 0 invariants held,
 * 1 violated or the CSV or report could not be written, 2 usage.
 */
final class StressCli {
    /** Seconds of candle time per step of a replay unless --speed says otherwise. */
    static final long DEFAULT_SPEED_SECONDS = 10;
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: meridian stress --list",
            "       meridian stress --scenario NAME [--seed N] [--seconds N] [--csv FILE] [--report DIR]",
            "       meridian stress --replay FILE.csv|NAME [--seed N] [--speed S] [--csv FILE] [--report DIR]",
            "       meridian stress sweep --help   (a grid of risk parameters over crash replays and seeds)",
            "                       [--makers N] [--trend-followers N] [--holders N] [--noise-traders N]",
            "                       [--backstop USDC] [--insurance-fund USDC] [--options]",
            "                       [--population classic|realistic] [--leverage-dist L:W,...]",
            "                       [--stop-loss-traders N] [--funding-arbs N]",
            "  --backstop USDC        capital of the backstop liquidity account (0 = none; default: the scenario's)",
            "  --insurance-fund USDC  the insurance fund at the start (default: the scenario's)",
            "  --seconds N  simulated seconds (default: the scenario's length); fewer runs the same path faster",
            "  --replay     real candles (ts_ms,open,high,low,close,volume) as the index path: a CSV file, or a packaged",
            "               crash by name (see --list)",
            "  --speed S    seconds of candle time per step of a replay, 1 .. 3600 (default 10)",
            "  --csv FILE   write the time series (every 10 steps; evenly fewer, at most 5,000 rows, on a longer run)",
            "  --report DIR write DIR/index.html: one self-contained page with the run's plots and tables",
            "  --options    add a BTC option chain with option writers and a volatility response (docs/stress.md)",
            "  --population the crowd: classic (ladder makers; the scenarios' default) or realistic (Avellaneda-Stoikov",
            "               makers, stop-loss clusters, funding arbitrageurs; a replay's default)",
            "  --leverage-dist L:W,...  leverage of the realistic crowd's traders as weighted choices (default "
                    + "2:15,3:15,5:25,10:25,20:12,50:8)",
            "  --margin X   multiply the default margin brackets' rates (default 1); --step-share P the most of a",
            "               position one liquidation step closes, percent (default 25); --band P the price band, percent",
            "               (default 10): one point of a sweep's grid (meridian stress sweep)",
            "  --dynamic-risk on|off  volatility-driven margin, position limit and band under the lab's governance",
            "               (default off; docs/stress.md, \"Volatility-driven risk parameters\"); with it,",
            "               --risk-ceiling X the highest multiplier (default 3) and --reference-vol P the volatility,",
            "               percent a year, at which the multiplier is 1 (default 60)");

    private StressCli() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length >= 1 && args[0].equals("sweep")) {
            return StressSweepCli.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length == 1 && args[0].equals("--list")) {
            list(out);
            return 0;
        }
        MarketScript scenario = null;
        String replay = null;
        long speed = DEFAULT_SPEED_SECONDS;
        long seed = 1;
        Integer seconds = null;
        Path csv = null;
        Path report = null;
        int makers = 3;
        int trend = 40;
        int holders = 40;
        Long backstop = null;
        Long insurance = null;
        int noise = 60;
        boolean options = false;
        String populationName = null;
        double margin = io.meridian.simulator.RiskParameters.DEFAULT.marginMultiplier();
        long stepShare = io.meridian.simulator.RiskParameters.DEFAULT.liquidationStepSharePpm();
        long band = io.meridian.simulator.RiskParameters.DEFAULT.markBandPpm();
        boolean dynamicRisk = false;
        long riskCeiling = io.meridian.simulator.DynamicRisk.DEFAULT.bounds().ceilingPpm();
        long referenceVol = io.meridian.simulator.DynamicRisk.DEFAULT.policy().referenceVolatilityPpm();
        io.meridian.simulator.RiskParameters risk;
        io.meridian.simulator.Population.LeverageDistribution leverage = null;
        Integer stopLossTraders = null;
        Integer fundingArbs = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (args[i].equals("--options")) {
                    options = true;
                    continue;
                }
                switch (args[i]) {
                    case "--scenario" -> {
                        scenario = Scenario.byId(required(args[i], value));
                        if (scenario == null) {
                            throw new IllegalArgumentException("unknown scenario '" + value + "' (see --list)");
                        }
                    }
                    case "--replay" -> replay = required(args[i], value);
                    case "--population" -> {
                        populationName = required(args[i], value);
                        if (!populationName.equals("classic") && !populationName.equals("realistic")) {
                            throw new IllegalArgumentException("--population is classic or realistic");
                        }
                    }
                    case "--leverage-dist" -> leverage = io.meridian.simulator.Population.LeverageDistribution.parse(
                            required(args[i], value));
                    case "--stop-loss-traders" -> stopLossTraders = count(args[i], value);
                    case "--funding-arbs" -> fundingArbs = count(args[i], value);
                    case "--margin" -> margin = Double.parseDouble(required(args[i], value));
                    case "--step-share" -> stepShare = StressSweepCli.percentPpm(required(args[i], value), 0.0001, 100);
                    case "--band" -> band = StressSweepCli.percentPpm(required(args[i], value), 0, 100);
                    case "--dynamic-risk" -> dynamicRisk = StressSweepCli.onOff(required(args[i], value));
                    case "--risk-ceiling" -> riskCeiling = StressSweepCli.multiplierPpm(required(args[i], value));
                    case "--reference-vol" -> referenceVol = StressSweepCli.percentPpm(required(args[i], value), 1,
                            10_000);
                    case "--speed" -> speed = positive(args[i], value, 3_600);
                    case "--seed" -> seed = Long.parseLong(required(args[i], value));
                    case "--seconds" -> seconds = positive(args[i], value, 100_000);
                    case "--csv" -> csv = Path.of(required(args[i], value));
                    case "--report" -> report = Path.of(required(args[i], value));
                    case "--makers" -> makers = positive(args[i], value, 20);
                    case "--trend-followers" -> trend = count(args[i], value);
                    case "--holders" -> holders = count(args[i], value);
                    case "--backstop" -> backstop = usdc(args[i], value);
                    case "--insurance-fund" -> insurance = usdc(args[i], value);
                    case "--noise-traders" -> noise = count(args[i], value);
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
                i++;
            }
            risk = new io.meridian.simulator.RiskParameters(margin, stepShare, band, dynamicRisk,
                    StressSweepCli.dynamicSettings(List.of(riskCeiling), List.of(referenceVol)).get(0));
        } catch (NumberFormatException e) {
            err.println("stress: not a number: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("stress: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (scenario != null && replay != null) {
            err.println("stress: --scenario and --replay are alternatives");
            err.println(USAGE);
            return 2;
        }
        if (replay != null) {
            if (seconds != null) {
                err.println("stress: a replay's length is its file's; --speed sets how fast it runs");
                return 2;
            }
            try {
                scenario = CandleReplay.open(replay, speed);
            } catch (CandleCsv.CandleException e) {
                err.println("error: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("error: " + replay + ": " + e.getMessage());
                return 2;
            }
            seconds = ((CandleReplay) scenario).steps();
        }
        if (scenario == null) {
            err.println("stress: --scenario or --replay is required");
            err.println(USAGE);
            return 2;
        }
        boolean realistic = populationName == null ? replay != null : populationName.equals("realistic");
        if (!realistic && (leverage != null || stopLossTraders != null || fundingArbs != null)) {
            err.println("stress: --leverage-dist, --stop-loss-traders and --funding-arbs are the realistic crowd's");
            return 2;
        }
        io.meridian.simulator.Population population = population(realistic, new int[] {makers, trend, holders, noise},
                stopLossTraders, fundingArbs, leverage);
        StressRunner.Result result = StressRunner.run(scenario, seed, seconds == null ? scenario.seconds() : seconds,
                population, backstop == null ? scenario.backstopUsdc() : backstop,
                insurance == null ? scenario.insuranceFundUsdc() : insurance, options, risk);

        print(result, out);
        out.println("  population                     " + (realistic ? "realistic (leverage " + population.leverage()
                + ", " + population.stopLossTraders() + " stop-loss traders, " + population.fundingArbs()
                + " funding arbitrageurs)" : "classic"));
        if (!writeOutputs(result, csv, report, out, err)) {
            out.println(verdict(result));
            return 1;
        }
        out.println(verdict(result));
        return result.invariantsHold() ? 0 : 1;
    }

    /** Writes the time series and the report where asked; false (having said why) when one cannot be written. */
    private static boolean writeOutputs(StressRunner.Result result, Path csv, Path report, PrintStream out,
                                        PrintStream err) {
        if (csv != null) {
            try {
                Files.write(csv, csvLines(result));
                out.println("time series: " + csv);
            } catch (IOException e) {
                err.println("stress: cannot write " + csv + ": " + e.getMessage());
                return false;
            }
        }
        if (report != null) {
            try {
                out.println("report: " + StressReport.write(result, report));
            } catch (IOException e) {
                err.println("stress: cannot write the report in " + report + ": " + e.getMessage());
                return false;
            }
        }
        return true;
    }

    /** {@code --list}: the scenarios, then the packaged replays. */
    private static void list(PrintStream out) {
        for (Scenario scenario : Scenario.values()) {
            out.printf(Locale.ROOT, "%-20s %4d s  %s%s%n", scenario.id(), scenario.seconds(),
                    scenario.adversarial() ? "[adversarial] " : "", scenario.description());
        }
        for (String name : CandleReplay.BUILTIN) {
            out.printf(Locale.ROOT, "%-20s [replay] packaged real candles (--replay %s)%n", name, name);
        }
    }

    /** The crowd: classic, or realistic with the options given and its defaults for the rest. */
    private static io.meridian.simulator.Population population(boolean realistic, int[] counts, Integer stopLossTraders,
            Integer fundingArbs, io.meridian.simulator.Population.LeverageDistribution leverage) {
        if (!realistic) {
            return io.meridian.simulator.Population.classic(counts[0], counts[1], counts[2], counts[3]);
        }
        io.meridian.simulator.Population r = io.meridian.simulator.Population.realistic(counts[0], counts[1], counts[2],
                counts[3]);
        return new io.meridian.simulator.Population(counts[0], counts[1], counts[2], counts[3], true,
                stopLossTraders == null ? r.stopLossTraders() : stopLossTraders,
                fundingArbs == null ? r.fundingArbs() : fundingArbs, leverage == null ? r.leverage() : leverage);
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int positive(String option, String value, int max) {
        int n = Integer.parseInt(required(option, value));
        if (n < 1 || n > max) {
            throw new IllegalArgumentException(option + " must be 1 .. " + max);
        }
        return n;
    }

    private static long usdc(String option, String value) {
        long n = Long.parseLong(required(option, value));
        if (n < 0 || n > 1_000_000_000_000L) {
            throw new IllegalArgumentException(option + " must be 0 .. 1e12 USDC");
        }
        return n;
    }

    private static int count(String option, String value) {
        int n = Integer.parseInt(required(option, value));
        if (n < 0 || n > 10_000) {
            throw new IllegalArgumentException(option + " must be 0 .. 10000");
        }
        return n;
    }

    /**
     * The last line: {@code invariants=ok} or {@code invariants=violated <first>}, then the run's outcome in figures
     * ({@code bad_debt=<USDC> adl=<events> fund_min=<USDC> liquidations=<count>}) for scripts and sweeps.
     */
    static String verdict(StressRunner.Result result) {
        String figures = " bad_debt=" + Decimals.format(result.badDebt(), 6) + " adl=" + result.adlEvents()
                + " fund_min=" + Decimals.format(result.insuranceMin(), 6) + " liquidations=" + result.liquidations();
        if (result.invariantsHold()) {
            return "invariants=ok" + figures;
        }
        return "invariants=violated " + result.violations().get(0).split(":")[0].replace(' ', '_') + figures;
    }

    static void print(StressRunner.Result r, PrintStream out) {
        out.printf(Locale.ROOT, "scenario %s (seed %d): %s%n", r.scenario().id(), r.seed(), r.scenario().description());
        out.printf(Locale.ROOT, "%d steps of %d simulated second(s), %d agents, %,d commands, %,d rejected %s%n",
                r.steps(), r.scenario().venueSecondsPerStep(), r.accounts(), r.commands(), r.rejects(),
                new TreeMap<>(r.rejectReasons()));
        if (r.scenario().startPriceUsd() > 0) {
            out.printf(Locale.ROOT, "  prices: the candles' first open, %s, is the venue's 50,000: every price below is"
                    + " the candles' scaled by the same factor%n",
                    CandleReplay.plain(r.scenario().startPriceUsd()));
        }
        row(out, "liquidations", String.format(Locale.ROOT, "%,d", r.liquidations()));
        row(out, "  book fills / backstop / ADL", String.format(Locale.ROOT, "%,d / %,d / %,d", r.liquidationFills(),
                r.backstopTransfers(), r.adlEvents()));
        row(out, "liquidated notional", usd(r.liquidatedNotional()));
        row(out, "insurance fund", usd(r.insuranceStart()) + " -> " + usd(r.insuranceEnd()) + " (lowest "
                + usd(r.insuranceMin()) + ")");
        row(out, "bad debt", usd(r.badDebt()) + " (insurance fund " + usd(r.badDebt() - r.venueCovered())
                + ", venue " + usd(r.venueCovered()) + ")");
        row(out, "ADL events", String.format(Locale.ROOT, "%,d", r.adlEvents()));
        if (r.fund() != null) {
            StressRunner.FundReport f = r.fund();
            row(out, "fund takeovers", String.format(Locale.ROOT, "%,d (deficits absorbed %s; refused below floor: "
                    + "%,d)", f.takeovers(), usd(f.takeoverLoss()), f.belowFloor()));
            row(out, "fund unwinds", String.format(Locale.ROOT, "%,d fills; own inventory deleveraged %,d; "
                    + "realised %s", f.unwinds(), f.deleveraged(), usd(f.realizedPnl())));
            row(out, "fund equity", usd(f.equityStart()) + " -> " + usd(f.equityEnd()) + " (lowest "
                    + usd(f.equityMin()) + ")");
            row(out, "fund inventory at the end", String.format(Locale.ROOT, "%,d lots (unrealised %s)",
                    f.inventoryLots(), usd(f.unrealizedPnl())));
        }
        row(out, "worst account equity", usd(r.worstEquity()) + " (account " + r.worstEquityAccount() + ")");
        StressRunner.RiskScaleReport risk = r.riskScale();
        if (risk != null && risk.dynamic()) {
            row(out, "risk multiplier", String.format(Locale.ROOT, "dynamic (%s): %,d changes applied (%,d announced, "
                    + "%,d refused), max x%s, end x%s; highest realised volatility %s%%", risk.settings(),
                    risk.applied(), risk.announced(), risk.refused(), Decimals.format(risk.maxMultiplierPpm(), 6),
                    Decimals.format(risk.endMultiplierPpm(), 6), Decimals.format(risk.maxVolatilityPpm(), 4)));
        } else {
            row(out, "risk multiplier", "static (the listed parameters for the whole run)");
        }
        if (r.options() != null) {
            printOptions(r.options(), out);
        }
        row(out, "state hash", StateHasher.hex(r.stateHash()));
        if (r.invariants().isEmpty()) {
            row(out, "conservation", r.violations().stream().anyMatch(v -> v.startsWith("conservation")) ? "VIOLATED"
                    : "ok");
            row(out, "no uncovered negative equity",
                    r.violations().stream().anyMatch(v -> v.startsWith("no uncovered")) ? "VIOLATED" : "ok");
        }
        for (StressRunner.InvariantStatus invariant : r.invariants()) {
            String held = invariant.name().equals("fee-pool") && r.venueCovered() > 0
                    ? "ok (it covered " + usd(r.venueCovered()) + " of deficits: the venue's reported loss)" : "ok";
            row(out, invariant.name(), invariant.held() ? held : String.format(Locale.ROOT, "VIOLATED (%,d; first: %s)",
                    invariant.violations(), invariant.first()));
        }
        for (String violation : r.violations()) {
            out.println("  violation: " + violation);
        }
        if (r.attacker() != null) {
            row(out, "attacker", r.attacker());
        }
        for (StressRunner.Criterion criterion : r.criteria()) {
            out.printf(Locale.ROOT, "  pass: %s ... %s (%s)%n", criterion.text(), criterion.passed() ? "ok" : "FAILED",
                    criterion.detail());
        }
    }

    /**
     * The options section: the writers grouped by role and margin regime (accounts, how many were liquidated, their
     * capital, lowest equity any of them had, equity at the end, bad debt), then each series' mark and volatility at
     * the start and at the index's low.
     */
    private static void printOptions(StressRunner.OptionsReport o, PrintStream out) {
        row(out, "options", String.format(Locale.ROOT, "%d series, vol %.0f%% x (1 + 2 x drawdown)", o.series().size(),
                Scenario.INITIAL_OPTION_VOL * 100));
        out.printf(Locale.ROOT, "    %-26s %8s %10s %14s %14s %14s %12s%n", "writers", "accounts", "liquidated",
                "capital", "worst equity", "end equity", "bad debt");
        Map<String, List<StressRunner.OptionAccount>> groups = new LinkedHashMap<>();
        for (StressRunner.OptionAccount a : o.accounts()) {
            String group = a.role() + ", " + (a.portfolioMargin() ? "portfolio" : "standard");
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(a);
        }
        for (Map.Entry<String, List<StressRunner.OptionAccount>> group : groups.entrySet()) {
            List<StressRunner.OptionAccount> accounts = group.getValue();
            out.printf(Locale.ROOT, "    %-26s %8d %10d %14s %14s %14s %12s%n", group.getKey(), accounts.size(),
                    accounts.stream().filter(a -> a.liquidations() > 0).count(),
                    whole(accounts.stream().mapToLong(StressRunner.OptionAccount::capital).sum()),
                    whole(accounts.stream().mapToLong(StressRunner.OptionAccount::worstEquity).min().orElse(0)),
                    whole(accounts.stream().mapToLong(StressRunner.OptionAccount::endEquity).sum()),
                    whole(accounts.stream().mapToLong(StressRunner.OptionAccount::badDebt).sum()));
        }
        out.printf(Locale.ROOT, "    %-26s %14s %7s   %s%n", "series (mark USD, vol)", "start", "",
                String.format(Locale.ROOT, "low: second %d, index %s, vol x%.2f", o.bottomSecond(),
                        Decimals.format(o.bottomIndexTicks(), 1), o.bottomVolMultiple()));
        for (StressRunner.SeriesMarks m : o.series()) {
            out.printf(Locale.ROOT, "    %-26s %14s %6.1f%% %14s %6.1f%%%n", m.symbol(),
                    Decimals.format(m.startMarkTicks(), 1), m.startVol() * 100, Decimals.format(m.bottomMarkTicks(), 1),
                    m.bottomVol() * 100);
        }
    }

    /** USDC minor units as whole USDC with thousands separators (the table's precision). */
    private static String whole(long minor) {
        return String.format(Locale.ROOT, "%,.2f", minor / 1e6);
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf(Locale.ROOT, "  %-30s %s%n", name, value);
    }

    private static String usd(long minor) {
        return Decimals.format(minor, 6) + " USDC";
    }

    static List<String> csvLines(StressRunner.Result result) {
        List<String> lines = new ArrayList<>();
        lines.add("second,index,mark,insurance_fund_usdc,open_interest_btc,liquidations,liquidated_notional_usdc,"
                + "bad_debt_usdc,adl_events,min_equity_usdc,risk_multiplier,initial_margin_tier1,realised_vol");
        StressRunner.OptionsReport options = result.options();
        if (options != null) {
            lines.set(0, lines.get(0) + ",shocked_vol,atm_put_mark,atm_put_vol,option_writers_liquidated");
        }
        for (int i = 0; i < result.samples().size(); i++) {
            StressRunner.Sample s = result.samples().get(i);
            String line = s.second() + "," + Decimals.format(s.indexTicks(), 1) + "," + Decimals.format(s.markTicks(), 1)
                    + "," + Decimals.format(s.insuranceFund(), 6) + "," + Decimals.format(s.openInterest(), 3) + ","
                    + s.liquidations() + "," + Decimals.format(s.liquidatedNotional(), 6) + ","
                    + Decimals.format(s.badDebt(), 6) + "," + s.adlEvents() + "," + Decimals.format(s.minEquity(), 6)
                    + "," + Decimals.format(s.riskMultiplierPpm(), 6) + "," + Decimals.format(s.initialRatePpm(), 6)
                    + "," + Decimals.format(s.volatilityPpm(), 6);
            if (options != null) {
                // Taken at the same steps as the samples, so the rows line up one to one.
                StressRunner.OptionSample o = options.samples().get(i);
                line += String.format(Locale.ROOT, ",%.4f,%s,%.4f,%d", o.shockedVol(),
                        Decimals.format(o.atmPutMarkTicks(), 1), o.atmPutVol(), o.writersLiquidated());
            }
            lines.add(line);
        }
        return lines;
    }
}
