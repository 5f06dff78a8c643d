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

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian stress}: runs a crash scenario through the engine and prints its report. The last line is
 * {@code invariants=ok} or {@code invariants=violated <which>} (scripts depend on it). Exit codes: 0 invariants held,
 * 1 violated or the CSV or report could not be written, 2 usage.
 */
@Command(name = "stress", description = {"Run a crash or adversarial scenario, or replay real candles, with seeded"
        + " agents through the engine and print the report: the shadow audit's invariants by name, an attack's pass:"
        + " lines; the last line is invariants=ok or invariants=violated <which> (docs/stress.md).",
        "Exit codes: 0 invariants held, 1 violated or the CSV or report could not be written, 2 usage."},
        subcommands = StressSweepCli.class)
final class StressCli extends Cli.Command {
    /** Seconds of candle time per step of a replay unless --speed says otherwise. */
    static final long DEFAULT_SPEED_SECONDS = 10;

    @Option(names = "--list", description = "list the scenarios and the packaged replays")
    boolean list;
    @Option(names = "--scenario", paramLabel = "NAME", description = "the scenario (see --list)")
    String scenarioName;
    @Option(names = "--replay", paramLabel = "FILE.csv|NAME", description = "real candles"
            + " (ts_ms,open,high,low,close,volume) as the index path: a CSV file, or a packaged crash by name (see --list)")
    String replay;
    @Option(names = "--seed", paramLabel = "N", description = "the agents' seed (default 1)")
    long seed = 1;
    @Option(names = "--seconds", paramLabel = "N", description = "simulated seconds, 1 .. 100000 (default: the"
            + " scenario's length); fewer runs the same path faster")
    Integer seconds;
    @Option(names = "--speed", paramLabel = "S", description = "seconds of candle time per step of a replay, 1 .. 3600"
            + " (default 10)")
    int speed = (int) DEFAULT_SPEED_SECONDS;
    @Option(names = "--csv", paramLabel = "FILE", description = "write the time series (every 10 steps; evenly fewer,"
            + " at most 5,000 rows, on a longer run)")
    Path csv;
    @Option(names = "--report", paramLabel = "DIR", description = "write DIR/index.html: one self-contained page with the"
            + " run's plots and tables")
    Path report;
    @Option(names = "--makers", paramLabel = "N", description = "market makers, 1 .. 20 (default 3)")
    int makers = 3;
    @Option(names = "--trend-followers", paramLabel = "N", description = "0 .. 10000 (default 40)")
    int trend = 40;
    @Option(names = "--holders", paramLabel = "N", description = "0 .. 10000 (default 40)")
    int holders = 40;
    @Option(names = "--noise-traders", paramLabel = "N", description = "0 .. 10000 (default 60)")
    int noise = 60;
    @Option(names = "--backstop", paramLabel = "USDC", description = "capital of the backstop liquidity account (0 ="
            + " none; default: the scenario's)")
    Long backstop;
    @Option(names = "--insurance-fund", paramLabel = "USDC", description = "the insurance fund at the start (default:"
            + " the scenario's)")
    Long insurance;
    @Option(names = "--options", description = "add a BTC option chain with option writers and a volatility response")
    boolean options;
    @Option(names = "--population", paramLabel = "classic|realistic", description = "the crowd: classic (ladder makers;"
            + " the scenarios' default) or realistic (Avellaneda-Stoikov makers, stop-loss clusters, funding"
            + " arbitrageurs; a replay's default)")
    String populationName;
    @Option(names = "--leverage-dist", paramLabel = "L:W,...", description = "leverage of the realistic crowd's traders"
            + " as weighted choices (default 2:15,3:15,5:25,10:25,20:12,50:8)")
    String leverageText;
    @Option(names = "--stop-loss-traders", paramLabel = "N", description = "the realistic crowd's, 0 .. 10000")
    Integer stopLossTraders;
    @Option(names = "--funding-arbs", paramLabel = "N", description = "the realistic crowd's, 0 .. 10000")
    Integer fundingArbs;
    @Option(names = "--margin", paramLabel = "X", description = "multiply the default margin brackets' rates (default 1)")
    double margin = io.meridian.simulator.RiskParameters.DEFAULT.marginMultiplier();
    @Option(names = "--step-share", paramLabel = "P", description = "the most of a position one liquidation step closes,"
            + " percent (default 25)")
    String stepShareText;
    @Option(names = "--band", paramLabel = "P", description = "the price band, percent (default 10)")
    String bandText;
    @Option(names = "--dynamic-risk", paramLabel = "on|off", description = "volatility-driven margin, position limit and"
            + " band under the lab's governance (default off; docs/stress.md, \"Volatility-driven risk parameters\")")
    String dynamicRiskText;
    @Option(names = "--risk-ceiling", paramLabel = "X", description = "with dynamic risk: the highest multiplier (default"
            + " 3)")
    String riskCeilingText;
    @Option(names = "--reference-vol", paramLabel = "P", description = "with dynamic risk: the volatility, percent a"
            + " year, at which the multiplier is 1 (default 60)")
    String referenceVolText;

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "stress"), out, err);
    }

    @Override
    public Integer call() {
        if (list) {
            if (scenarioName != null || replay != null) {
                throw usage("--list takes no other option");
            }
            list(out);
            return 0;
        }
        MarketScript scenario = null;
        io.meridian.simulator.RiskParameters risk;
        io.meridian.simulator.Population.LeverageDistribution leverage = null;
        try {
            if (scenarioName != null) {
                scenario = Scenario.byId(scenarioName);
                if (scenario == null) {
                    throw new IllegalArgumentException("unknown scenario '" + scenarioName + "' (see --list)");
                }
            }
            if (populationName != null && !populationName.equals("classic") && !populationName.equals("realistic")) {
                throw new IllegalArgumentException("--population is classic or realistic");
            }
            if (leverageText != null) {
                leverage = io.meridian.simulator.Population.LeverageDistribution.parse(leverageText);
            }
            range("--stop-loss-traders", stopLossTraders, 0, 10_000);
            range("--funding-arbs", fundingArbs, 0, 10_000);
            range("--speed", speed, 1, 3_600);
            range("--seconds", seconds, 1, 100_000);
            range("--makers", makers, 1, 20);
            range("--trend-followers", trend, 0, 10_000);
            range("--holders", holders, 0, 10_000);
            range("--noise-traders", noise, 0, 10_000);
            usdc("--backstop", backstop);
            usdc("--insurance-fund", insurance);
            long stepShare = stepShareText == null ? io.meridian.simulator.RiskParameters.DEFAULT.liquidationStepSharePpm()
                    : StressSweepCli.percentPpm(stepShareText, 0.0001, 100);
            long band = bandText == null ? io.meridian.simulator.RiskParameters.DEFAULT.markBandPpm()
                    : StressSweepCli.percentPpm(bandText, 0, 100);
            boolean dynamicRisk = dynamicRiskText != null && StressSweepCli.onOff(dynamicRiskText);
            long riskCeiling = riskCeilingText == null ? io.meridian.simulator.DynamicRisk.DEFAULT.bounds().ceilingPpm()
                    : StressSweepCli.multiplierPpm(riskCeilingText);
            long referenceVol = referenceVolText == null
                    ? io.meridian.simulator.DynamicRisk.DEFAULT.policy().referenceVolatilityPpm()
                    : StressSweepCli.percentPpm(referenceVolText, 1, 10_000);
            risk = new io.meridian.simulator.RiskParameters(margin, stepShare, band, dynamicRisk,
                    StressSweepCli.dynamicSettings(List.of(riskCeiling), List.of(referenceVol)).get(0));
        } catch (NumberFormatException e) {
            throw usage("not a number: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Integer seconds = this.seconds;
        if (scenario != null && replay != null) {
            throw usage("--scenario and --replay are alternatives");
        }
        if (replay != null) {
            if (seconds != null) {
                throw usage("a replay's length is its file's; --speed sets how fast it runs");
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
            throw usage("--scenario, --replay or --list is required");
        }
        boolean realistic = populationName == null ? replay != null : populationName.equals("realistic");
        if (!realistic && (leverage != null || stopLossTraders != null || fundingArbs != null)) {
            throw usage("--leverage-dist, --stop-loss-traders and --funding-arbs are the realistic crowd's");
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

    /** A value within {@code min .. max} (null: not given). */
    private static void range(String option, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException(option + " must be " + min + " .. " + max);
        }
    }

    private static void usdc(String option, Long value) {
        if (value != null && (value < 0 || value > 1_000_000_000_000L)) {
            throw new IllegalArgumentException(option + " must be 0 .. 1e12 USDC");
        }
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
