package io.meridian.simulator;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.LiquidationConfig;
import io.meridian.engine.audit.ShadowAudit;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PricingSpec;
import io.meridian.pricing.PricingView;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.margin.MarginTier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one {@link Scenario} through a real {@link Engine}: one simulated second per step, in which the three index
 * sources report the scripted price (each with its own noise of about one basis point), every agent may act, and a
 * {@code TIME_TICK} follows. Seeded: the same scenario, seed and length give the same command log, events and state.
 *
 * <p>Invariants checked: value is conserved after every step (and recomputed at the end); every agent's equity is
 * non-negative after every step; every account a command reported with negative equity ends that command
 * non-negative ({@link SimVenue}); and the {@link ShadowAudit}'s invariants, after every command for the accounts it
 * touched and over every account after every step.
 *
 * <p>An adversarial scenario ({@link Scenario#adversary()}) adds its attacker: it may replace what captured price
 * sources report, acts after the honest agents, and judges the run by its pass criteria ({@link Result#criteria()}).
 *
 * <p>Opt-in options ({@link OptionsLab}): a BTC option chain on the same index, option writers and a market maker
 * among the agents (so the invariants cover them too), and every ten seconds option marks at the scenario's shocked
 * volatility, posted after the index and before the agents act.
 */
public final class StressRunner {
    private static final long SECOND = 1_000_000_000L;
    /** Ten minutes before an hour boundary (epoch-aligned), so an hourly funding falls inside every scenario. */
    private static final long START_NANOS = ((1_700_000_000L / 3_600 + 1) * 3_600 - 600) * SECOND;
    /** Steps between two samples of a run of up to {@link #MAX_SAMPLES} x 10 steps; a longer one samples less often. */
    static final int SAMPLE_EVERY = 10;
    /** The most samples a run keeps (and the most funding events): memory stays bounded on the longest replay. */
    public static final int MAX_SAMPLES = 5_000;
    /** The index at the start of every run, in ticks of the perpetual (50,000 USD); a replay's first open maps to it. */
    public static final long START_INDEX_TICKS = SimulatorSetup.START_TICKS;

    /**
     * One row of the time series, taken at the end of step {@code second}. Money in USDC minor units, prices in ticks
     * (0: none yet), open interest in lots, counts cumulative. {@code indexTicks} is the script's index (what the sources
     * report before their latency and noise), {@code venueIndexTicks} the venue's own index (the median of its sources,
     * rounded to a tick), {@code lastTradeTicks} the perpetual's last trade and {@code predictedFundingRate} the rate the
     * current funding interval would settle at (1e-9 per interval; positive: longs pay shorts).
     */
    public record Sample(long second, long indexTicks, long markTicks, long insuranceFund, long openInterest,
                         long liquidations, long liquidatedNotional, long badDebt, long adlEvents, long minEquity,
                         long venueIndexTicks, long lastTradeTicks, long predictedFundingRate, long riskMultiplierPpm,
                         long maintenanceRatePpm, long initialRatePpm, long volatilityPpm) {
        /**
         * A sample of a run without risk data: multiplier 1, no tier rates (0), no volatility estimate. The other
         * fields: {@code riskMultiplierPpm} the perpetual's risk multiplier in force, {@code maintenanceRatePpm} and
         * {@code initialRatePpm} its first margin tier's rates in force, {@code volatilityPpm} the index's realised
         * volatility as the engine measures it (annualised; 0 before its first estimate).
         */
        public Sample(long second, long indexTicks, long markTicks, long insuranceFund, long openInterest,
                      long liquidations, long liquidatedNotional, long badDebt, long adlEvents, long minEquity,
                      long venueIndexTicks, long lastTradeTicks, long predictedFundingRate) {
            this(second, indexTicks, markTicks, insuranceFund, openInterest, liquidations, liquidatedNotional, badDebt,
                    adlEvents, minEquity, venueIndexTicks, lastTradeTicks, predictedFundingRate, 1_000_000, 0, 0, 0);
        }
    }

    /**
     * The perpetual's risk multiplier was announced ({@code applied} false: to take effect at {@code at}) or took effect
     * ({@code applied} true, at {@code at}) during step {@code second}; {@code at} in command-clock ns, the multiplier
     * and the index's realised volatility then (annualised) in ppm.
     */
    public record RiskScaleEvent(long second, boolean applied, long multiplierPpm, long at, long volatilityPpm) {
    }

    /**
     * The volatility-driven parameters of a run: whether they were on (and their settings, as a label), the
     * multiplier changes announced and applied, the controller's SET_RISK_SCALE commands the engine refused (none,
     * for a healthy controller), the highest multiplier in force and the one at the end, the highest realised
     * volatility the engine measured at a sample, and the announcements and changes themselves.
     */
    public record RiskScaleReport(boolean dynamic, String settings, long announced, long applied, long refused,
                                  long maxMultiplierPpm, long endMultiplierPpm, long maxVolatilityPpm,
                                  List<RiskScaleEvent> events) {
        static final RiskScaleReport STATIC = new RiskScaleReport(false, "static", 0, 0, 0, 1_000_000, 1_000_000, 0,
                List.of());
    }

    /**
     * A funding interval of the perpetual ended during step {@code second}: the rate paid (1e-9 of the notional for the
     * interval; positive: longs paid shorts), the average premium it came from (1e-9) and the mark it was paid at (ticks).
     */
    public record FundingEvent(long second, long rate, long averagePremium, long markTicks) {
    }

    /**
     * The perpetual's risk parameters as listed, read from the engine once the venue is set up: its instrument spec
     * (price band, fees), its pricing (mark band, funding interval and rates; {@code maxFundingRate8h} the cap, 1e-9
     * per 8 hours), its margin tiers (empty when its model is not a tiered schedule) and the venue's liquidation
     * settings. Static parameters hold for the whole run; with dynamic risk the tiers, position limit and band in force
     * are these under the multiplier ({@link RiskScaleReport}, {@link Sample#riskMultiplierPpm}).
     */
    public record Parameters(InstrumentSpec instrument, PricingSpec pricing, long maxFundingRate8h,
                             List<MarginTier> marginTiers, LiquidationConfig liquidation) {
    }

    /**
     * What liquidations cost beyond the liquidated accounts' losses: the notional liquidation orders filled in the book
     * and how far from the mark ({@code slippage}: the sum of |fill - mark| x quantity), and the notional closed by
     * auto-deleveraging, all in settlement minor units.
     */
    public record LiquidationCosts(long bookNotional, long slippage, long adlNotional) {
        static final LiquidationCosts NONE = new LiquidationCosts(0, 0, 0);

        /** The book fills' average distance from the mark, basis points of their notional (0 without fills). */
        public double slippageBps() {
            return bookNotional == 0 ? 0 : slippage * 10_000.0 / bookNotional;
        }
    }

    /** One invariant of a run: its name, how often it was violated, and the first violation (null when it held). */
    public record InvariantStatus(String name, long violations, String first) {
        public boolean held() {
            return violations == 0;
        }
    }

    /** A pass criterion of an adversarial scenario: what must hold, whether it did, and the figures behind it. */
    public record Criterion(String text, boolean passed, String detail) {
    }

    /** What a run found. */
    public record Result(MarketScript scenario, long seed, int steps, int accounts, long commands, long liquidations,
                         long liquidationFills, long backstopTransfers, long adlEvents, long liquidatedNotional,
                         long insuranceStart, long insuranceEnd, long insuranceMin, long badDebt, long venueCovered,
                         long worstEquity, long worstEquityAccount, long rejects, Map<String, Long> rejectReasons,
                         long stateHash, List<Sample> samples, List<String> violations, OptionsReport options,
                         FundReport fund, List<InvariantStatus> invariants, String attacker,
                         List<Criterion> criteria, LiquidationCosts costs, int sampleEvery,
                         List<FundingEvent> funding, Parameters parameters, RiskScaleReport riskScale) {

        /** A run without a risk-scale report (static parameters). */
        public Result(MarketScript scenario, long seed, int steps, int accounts, long commands, long liquidations,
                      long liquidationFills, long backstopTransfers, long adlEvents, long liquidatedNotional,
                      long insuranceStart, long insuranceEnd, long insuranceMin, long badDebt, long venueCovered,
                      long worstEquity, long worstEquityAccount, long rejects, Map<String, Long> rejectReasons,
                      long stateHash, List<Sample> samples, List<String> violations, OptionsReport options,
                      FundReport fund, List<InvariantStatus> invariants, String attacker,
                      List<Criterion> criteria, LiquidationCosts costs, int sampleEvery,
                      List<FundingEvent> funding, Parameters parameters) {
            this(scenario, seed, steps, accounts, commands, liquidations, liquidationFills, backstopTransfers,
                    adlEvents, liquidatedNotional, insuranceStart, insuranceEnd, insuranceMin, badDebt, venueCovered,
                    worstEquity, worstEquityAccount, rejects, rejectReasons, stateHash, samples, violations, options,
                    fund, invariants, attacker, criteria, costs, sampleEvery, funding, parameters,
                    RiskScaleReport.STATIC);
        }

        /** A run without the per-invariant table or an attacker. */
        public Result(MarketScript scenario, long seed, int steps, int accounts, long commands, long liquidations,
                      long liquidationFills, long backstopTransfers, long adlEvents, long liquidatedNotional,
                      long insuranceStart, long insuranceEnd, long insuranceMin, long badDebt, long venueCovered,
                      long worstEquity, long worstEquityAccount, long rejects, Map<String, Long> rejectReasons,
                      long stateHash, List<Sample> samples, List<String> violations, OptionsReport options,
                      FundReport fund) {
            this(scenario, seed, steps, accounts, commands, liquidations, liquidationFills, backstopTransfers,
                    adlEvents, liquidatedNotional, insuranceStart, insuranceEnd, insuranceMin, badDebt, venueCovered,
                    worstEquity, worstEquityAccount, rejects, rejectReasons, stateHash, samples, violations, options,
                    fund, List.of(), null, List.of(), LiquidationCosts.NONE, SAMPLE_EVERY, List.of(), null);
        }

        /** A run with options but no insurance fund report ({@link #fund()} null). */
        public Result(MarketScript scenario, long seed, int steps, int accounts, long commands, long liquidations,
                      long liquidationFills, long backstopTransfers, long adlEvents, long liquidatedNotional,
                      long insuranceStart, long insuranceEnd, long insuranceMin, long badDebt, long venueCovered,
                      long worstEquity, long worstEquityAccount, long rejects, Map<String, Long> rejectReasons,
                      long stateHash, List<Sample> samples, List<String> violations, OptionsReport options) {
            this(scenario, seed, steps, accounts, commands, liquidations, liquidationFills, backstopTransfers,
                    adlEvents, liquidatedNotional, insuranceStart, insuranceEnd, insuranceMin, badDebt, venueCovered,
                    worstEquity, worstEquityAccount, rejects, rejectReasons, stateHash, samples, violations, options,
                    null, List.of(), null, List.of(), LiquidationCosts.NONE, SAMPLE_EVERY, List.of(), null);
        }

        /** A run without options ({@link #options()} null). */
        public Result(MarketScript scenario, long seed, int steps, int accounts, long commands, long liquidations,
                      long liquidationFills, long backstopTransfers, long adlEvents, long liquidatedNotional,
                      long insuranceStart, long insuranceEnd, long insuranceMin, long badDebt, long venueCovered,
                      long worstEquity, long worstEquityAccount, long rejects, Map<String, Long> rejectReasons,
                      long stateHash, List<Sample> samples, List<String> violations) {
            this(scenario, seed, steps, accounts, commands, liquidations, liquidationFills, backstopTransfers,
                    adlEvents, liquidatedNotional, insuranceStart, insuranceEnd, insuranceMin, badDebt, venueCovered,
                    worstEquity, worstEquityAccount, rejects, rejectReasons, stateHash, samples, violations, null);
        }

        public boolean invariantsHold() {
            return violations.isEmpty();
        }

        /** True when every pass criterion of the scenario held (always for a scenario without an attacker). */
        public boolean criteriaPass() {
            return criteria.stream().allMatch(Criterion::passed);
        }
    }

    /**
     * The insurance fund's part in the liquidation waterfall: positions it took over at the bankruptcy price (and
     * the deficits it absorbed by taking some over beyond the mark), its unwind fills, the times it refused a
     * takeover below its floor (each followed by auto-deleveraging), the auto-deleveraging closes of its own
     * inventory, its inventory at the end (lots of the perpetual), its equity (cash plus inventory at the mark:
     * start, end, lowest at a simulated second) and the PnL it realised and has unrealised at the end, minor units.
     */
    public record FundReport(long takeovers, long takeoverLoss, long unwinds, long belowFloor, long deleveraged,
                             long inventoryLots, long equityStart, long equityEnd, long equityMin, long realizedPnl,
                             long unrealizedPnl) {
    }

    /**
     * An option writer at the end of a run with {@code --options}: its role ("put writers" or "covered calls"),
     * margin regime, the series it wrote, capital, the largest position it held (lots of 0.01 BTC), how many
     * liquidations it had, its lowest and final equity, and the deficits of its liquidations that the insurance fund
     * or the venue covered (its bad debt). Money in USDC minor units.
     */
    public record OptionAccount(long account, String role, boolean portfolioMargin, String series, long capital,
                                long largestLots, long liquidations, long worstEquity, long endEquity, long badDebt) {
    }

    /** One option series' mark (ticks of 0.1 USD) and mark volatility at the start and at the index's low. */
    public record SeriesMarks(String symbol, long startMarkTicks, double startVol, long bottomMarkTicks,
                              double bottomVol) {
    }

    /** Every 10 seconds: the shocked volatility, the at-the-money put's mark and volatility, writers liquidated. */
    public record OptionSample(long second, double shockedVol, long atmPutMarkTicks, double atmPutVol,
                               int writersLiquidated) {
    }

    /** The options section of a run with {@code --options}. */
    public record OptionsReport(List<OptionAccount> accounts, List<SeriesMarks> series, long startIndexTicks,
                                long bottomIndexTicks, long bottomSecond, double bottomVolMultiple,
                                List<OptionSample> samples) {
    }

    private StressRunner() {
    }

    /**
     * Runs the scenario over {@code steps} simulated seconds (the scenario's own length, or fewer for a compressed
     * version: the path is the same, traversed faster).
     */
    public static Result run(Scenario scenario, long seed, int steps, int makers, int trendFollowers, int holders,
                             int noiseTraders) {
        return run(scenario, seed, steps, makers, trendFollowers, holders, noiseTraders, scenario.backstopUsdc(),
                scenario.insuranceFundUsdc());
    }

    /** As above with the backstop's capital and the starting insurance fund (whole USDC) instead of the scenario's. */
    public static Result run(Scenario scenario, long seed, int steps, int makers, int trendFollowers, int holders,
                             int noiseTraders, long backstopUsdc, long insuranceUsdc) {
        return run(scenario, seed, steps, makers, trendFollowers, holders, noiseTraders, backstopUsdc, insuranceUsdc,
                false);
    }

    /**
     * The command log of a run: every command the scenario's agents, oracles and timers submitted, stamped, in
     * order, with the engine settings it ran under. Applying the log to a fresh {@code new Engine(events, config)}
     * reproduces the run exactly; journal and snapshot tests use it as a realistic stream (oracles, funding,
     * liquidations, auto-deleveraging).
     */
    public record CommandLog(EngineConfig config, List<Command> commands, Result result) {
    }

    public static CommandLog record(Scenario scenario, long seed, int steps, int makers, int trendFollowers,
                                    int holders, int noiseTraders) {
        return record(scenario, seed, steps, makers, trendFollowers, holders, noiseTraders, RiskParameters.DEFAULT);
    }

    /** As above with the venue's risk parameters (with dynamic risk, the governance and controller commands too). */
    public static CommandLog record(Scenario scenario, long seed, int steps, int makers, int trendFollowers,
                                    int holders, int noiseTraders, RiskParameters risk) {
        List<Command> commands = new ArrayList<>();
        Result result = run(scenario, seed, steps, Population.classic(makers, trendFollowers, holders, noiseTraders),
                scenario.backstopUsdc(), scenario.insuranceFundUsdc(), false, commands, risk);
        return new CommandLog(config(scenario, scenario.adversary(), scenario.backstopUsdc(), risk), commands, result);
    }

    /** The engine settings of a run: the lab's, as the scenario's attacker (if any) adjusts them. */
    private static EngineConfig config(MarketScript scenario, Adversary adversary, long backstopUsdc) {
        return config(scenario, adversary, backstopUsdc, RiskParameters.DEFAULT);
    }

    private static EngineConfig config(MarketScript scenario, Adversary adversary, long backstopUsdc,
                                       RiskParameters risk) {
        EngineConfig config = SimulatorSetup.engineConfig(backstopUsdc, risk);
        return adversary == null ? config : adversary.config(config);
    }

    /**
     * Runs any script ({@link Scenario} or {@link CandleReplay}) over {@code steps} steps with these agents and loss
     * absorbers; an attacker only for an adversarial scenario. With {@code options}, the venue also lists a BTC option
     * chain with its market maker, put writers and covered-call writers, option marks follow the script's volatility
     * response, and the result carries an options section ({@link OptionsLab}). Without it the run is exactly the one
     * above.
     */
    public static Result run(MarketScript script, long seed, int steps, int makers, int trendFollowers, int holders,
                             int noiseTraders, long backstopUsdc, long insuranceUsdc, boolean options) {
        return run(script, seed, steps, Population.classic(makers, trendFollowers, holders, noiseTraders),
                backstopUsdc, insuranceUsdc, options, RiskParameters.DEFAULT);
    }

    /** As above with any {@link Population} (the realistic crowd, or the classic one). */
    public static Result run(MarketScript script, long seed, int steps, Population population, long backstopUsdc,
                             long insuranceUsdc, boolean options) {
        return run(script, seed, steps, population, backstopUsdc, insuranceUsdc, options, RiskParameters.DEFAULT);
    }

    /** As above with the venue's risk parameters ({@link RiskParameters}; a sweep varies them). */
    public static Result run(MarketScript script, long seed, int steps, Population population, long backstopUsdc,
                             long insuranceUsdc, boolean options, RiskParameters risk) {
        return run(script, seed, steps, population, backstopUsdc, insuranceUsdc, options, null, risk);
    }

    private static Result run(MarketScript scenario, long seed, int steps, Population population, long backstopUsdc,
                              long insuranceUsdc, boolean options, List<Command> log) {
        return run(scenario, seed, steps, population, backstopUsdc, insuranceUsdc, options, log,
                RiskParameters.DEFAULT);
    }

    private static Result run(MarketScript scenario, long seed, int steps, Population population, long backstopUsdc,
                              long insuranceUsdc, boolean options, List<Command> log, RiskParameters risk) {
        SplittableRandom random = new SplittableRandom(seed);
        Adversary adversary = scenario instanceof Scenario s ? s.adversary() : null;
        long startNanos = scenario.startEpochNanos() > 0 ? scenario.startEpochNanos() : START_NANOS;
        long stepNanos = scenario.venueSecondsPerStep() * SECOND;
        SimVenue venue = new SimVenue(config(scenario, adversary, backstopUsdc, risk), SimulatorSetup.USDC,
                SimulatorSetup.MINOR_UNITS_PER_TICK_LOT, adversary);
        venue.recordInto(log);
        venue.setTime(startNanos);
        List<Agents.Agent> agents = SimulatorSetup.build(venue, random, backstopUsdc, insuranceUsdc, population,
                scenario.venueSecondsPerStep(), risk);
        Parameters listed = parameters(venue.engine());
        // Governance and the controller only with dynamic risk, so a static run's commands are exactly as before.
        RiskController controller = risk.dynamicRisk()
                ? RiskController.start(venue, risk.dynamic(), SimulatorSetup.BTC_PERP) : null;
        // The option agents come after the others (and draw after them), so a run without options is unchanged.
        OptionsLab lab = options ? new OptionsLab(startNanos) : null;
        if (lab != null) {
            agents = new ArrayList<>(agents);
            agents.addAll(lab.build(venue, random));
        }
        if (adversary != null) {
            agents = new ArrayList<>(agents);
            agents.addAll(adversary.setup(venue, random));
        }
        Engine engine = venue.engine();
        long insuranceMin = Long.MAX_VALUE;
        long fundEquityMin = Long.MAX_VALUE;
        long worstEquity = Long.MAX_VALUE;
        long worstAccount = 0;
        long maxVolatility = 0;
        List<Sample> samples = new ArrayList<>();
        int sampleEvery = sampleEvery(steps);
        double scale = (double) scenario.seconds() / steps;
        for (int step = 0; step <= steps; step++) {
            venue.setTime(startNanos + (step + 1) * stepNanos);
            venue.second = step;
            double t = step * scale;
            long indexTicks = ticks(scenario, t);
            report(venue, random, scenario, t, adversary);
            if (adversary != null) {
                adversary.report(venue, t);
            }
            if (controller != null) {
                controller.step(venue);
            }
            if (lab != null) {
                lab.postMarks(venue, scenario, t, step);
            }
            Agents.Market market = new Agents.Market(SimulatorSetup.BTC_PERP, indexTicks, scenario.liquidity(t), step);
            for (Agents.Agent agent : agents) {
                agent.act(venue, random, market);
            }
            if (adversary != null) {
                adversary.act(venue, market, t);
            }
            Command tick = venue.command();
            tick.type = CommandType.TIME_TICK;
            venue.submit(tick);
            venue.sweep();
            if (adversary != null) {
                adversary.observe(venue, t, indexTicks);
            }
            if (!engine.view().ledger().isConserved()) {
                venue.violation("conservation: " + engine.view().ledger().conservationReport() + " at second " + step);
            }
            long minEquity = Long.MAX_VALUE;
            for (Agents.Agent agent : agents) {
                MarginEngine.MarginState state = engine.view().marginState(agent.account(), SimulatorSetup.USDC);
                if (state.equity < minEquity) {
                    minEquity = state.equity;
                }
                if (state.equity < worstEquity) {
                    worstEquity = state.equity;
                    worstAccount = agent.account();
                }
                if (state.equity < 0) {
                    venue.violation("no uncovered negative equity: account " + agent.account() + " at second " + step
                            + " has " + state.equity);
                }
            }
            boolean sample = step % sampleEvery == 0 || step == steps;
            if (lab != null) {
                lab.observe(venue, scenario, t, step, indexTicks, sample);
            }
            long fund = engine.view().insuranceFund(SimulatorSetup.USDC);
            insuranceMin = Math.min(insuranceMin, fund);
            fundEquityMin = Math.min(fundEquityMin, engine.view().insuranceFundState(SimulatorSetup.USDC).equity);
            if (sample) {
                Sample taken = sample(engine, step, indexTicks, fund, venue, minEquity);
                maxVolatility = Math.max(maxVolatility, taken.volatilityPpm());
                samples.add(taken);
            }
        }
        String recomputed = engine.view().ledger().recomputeSums();
        if (recomputed != null) {
            venue.violation("conservation (recomputed): " + recomputed);
        }
        return new Result(scenario, seed, steps, agents.size(), venue.commands(), venue.liquidations,
                venue.liquidationFills, venue.backstopTransfers, venue.adlEvents, venue.liquidatedNotional,
                insuranceUsdc * SimulatorSetup.USD, engine.view().insuranceFund(SimulatorSetup.USDC), insuranceMin,
                venue.insurancePaid + venue.venueCovered, venue.venueCovered, worstEquity, worstAccount, venue.rejects,
                Map.copyOf(venue.rejectReasons), engine.stateHash(), samples, List.copyOf(venue.violations()),
                lab == null ? null : lab.report(venue), fundReport(engine, venue, insuranceUsdc, fundEquityMin),
                invariants(venue), adversary == null ? null : adversary.attacker(),
                adversary == null ? List.of() : adversary.criteria(),
                new LiquidationCosts(venue.liquidationBookNotional, venue.liquidationSlippage, venue.adlNotional),
                sampleEvery, venue.fundingEvents(), listed, riskScale(risk, venue, engine, maxVolatility));
    }

    private static RiskScaleReport riskScale(RiskParameters risk, SimVenue venue, Engine engine, long maxVolatility) {
        if (!risk.dynamicRisk()) {
            return RiskScaleReport.STATIC;
        }
        io.meridian.engine.RiskScaleView end = engine.view().riskScale(SimulatorSetup.BTC_PERP);
        return new RiskScaleReport(true, risk.dynamic().label(), venue.riskScaleAnnounced, venue.riskScaleApplied,
                venue.riskScaleRejects, venue.maxMultiplierPpm, end == null ? 1_000_000 : end.multiplierPpm(),
                maxVolatility, venue.riskScaleEvents());
    }

    /**
     * Steps between samples: 10, or for a run longer than {@link #MAX_SAMPLES} x 10 steps the first of 20, 50, 100, 200,
     * 500, ... that keeps the samples (every multiple of it, and the last step) within {@link #MAX_SAMPLES}.
     */
    static int sampleEvery(int steps) {
        long every = SAMPLE_EVERY;
        int k = 0;
        while (steps / every + 2 > MAX_SAMPLES) {
            every = every / (k % 3 == 1 ? 2 : 1) * (k % 3 == 1 ? 5 : 2);
            k++;
        }
        return (int) every;
    }

    /** What the time series keeps of the end of a step: reads only, so sampling never changes a run. */
    private static Sample sample(Engine engine, int step, long indexTicks, long fund, SimVenue venue, long minEquity) {
        PricingView pricing = engine.view().pricing(SimulatorSetup.BTC_PERP);
        long venueIndex = (engine.view().indexPrice(SimulatorSetup.INDEX) + SimulatorSetup.UNITS_PER_TICK / 2)
                / SimulatorSetup.UNITS_PER_TICK;
        io.meridian.engine.RiskScaleView risk = engine.view().riskScale(SimulatorSetup.BTC_PERP);
        MarginTier first = risk == null || risk.tiers().isEmpty() ? null : risk.tiers().get(0);
        return new Sample(step, indexTicks, engine.view().book(SimulatorSetup.BTC_PERP).markPrice(), fund,
                engine.view().positions(SimulatorSetup.BTC_PERP).openInterest(), venue.liquidations,
                venue.liquidatedNotional, venue.insurancePaid + venue.venueCovered, venue.adlEvents, minEquity,
                venueIndex, engine.view().book(SimulatorSetup.BTC_PERP).lastTradePrice(),
                pricing == null ? 0 : pricing.predictedRate(), risk == null ? 1_000_000 : risk.multiplierPpm(),
                first == null ? 0 : first.maintenanceRatePpm(), first == null ? 0 : first.initialRatePpm(),
                engine.view().realisedVolatilityPpm(SimulatorSetup.INDEX));
    }

    private static Parameters parameters(Engine engine) {
        PricingView pricing = engine.view().pricing(SimulatorSetup.BTC_PERP);
        return new Parameters(engine.view().book(SimulatorSetup.BTC_PERP).spec(), pricing == null ? null : pricing.spec(),
                pricing == null ? 0 : pricing.cap(), engine.view().marginTiers(SimulatorSetup.BTC_PERP),
                engine.view().config().liquidation());
    }

    private static FundReport fundReport(Engine engine, SimVenue venue, long insuranceUsdc, long equityMin) {
        MarginEngine.MarginState fund = engine.view().insuranceFundState(SimulatorSetup.USDC);
        return new FundReport(venue.fundTakeovers, venue.fundTakeoverLoss, venue.fundUnwinds, venue.fundBelowFloor,
                venue.fundDeleveraged, engine.view().insuranceFundInventory(SimulatorSetup.BTC_PERP),
                insuranceUsdc * SimulatorSetup.USD,
                fund.equity, Math.min(equityMin, fund.equity), engine.view().insuranceFundRealizedPnl(SimulatorSetup.USDC),
                fund.unrealizedPnl);
    }

    /** The names every run reports, in this order: the lab's own two, then the audit's. */
    static List<String> invariantNames() {
        List<String> names = new ArrayList<>(List.of(CONSERVATION, NO_UNCOVERED));
        for (ShadowAudit.Invariant invariant : ShadowAudit.Invariant.values()) {
            names.add(invariant.label());
        }
        return names;
    }

    static final String CONSERVATION = "conservation";
    static final String NO_UNCOVERED = "no uncovered negative equity";

    private static List<InvariantStatus> invariants(SimVenue venue) {
        Map<String, InvariantStatus> byName = new LinkedHashMap<>();
        for (String name : invariantNames()) {
            byName.put(name, new InvariantStatus(name, 0, null));
        }
        for (Map.Entry<String, Long> entry : venue.violationCounts.entrySet()) {
            String name = entry.getKey().startsWith(CONSERVATION) ? CONSERVATION : entry.getKey();
            InvariantStatus before = byName.get(name);
            long count = entry.getValue() + (before == null ? 0 : before.violations());
            String first = before != null && before.first() != null ? before.first()
                    : venue.firstViolations.get(entry.getKey());
            byName.put(name, new InvariantStatus(name, count, first));
        }
        return List.copyOf(byName.values());
    }

    /** The script's index at {@code t} in the lab's ticks (its start is {@link SimulatorSetup#START_TICKS}). */
    private static long ticks(MarketScript script, double t) {
        return Math.max(1, Math.round(SimulatorSetup.START_TICKS * script.indexMultiple(t)));
    }

    /**
     * The three sources report the index, each as late as the script says ({@link MarketScript#sourceLatencySeconds})
     * and with its own noise (a basis point in the scenarios); a source the attacker has captured reports what the
     * attacker says instead.
     */
    private static void report(SimVenue venue, SplittableRandom random, MarketScript script, double t,
                               Adversary adversary) {
        for (int source = 0; source < SimulatorSetup.SOURCES.length; source++) {
            long units = ticks(script, Math.max(0, t - script.sourceLatencySeconds(source))) * SimulatorSetup.UNITS_PER_TICK;
            long noise = Math.round(random.nextGaussian() * units / 10_000.0 * script.sourceSpreadBps());
            long honest = Math.max(1, units + noise);
            long reported = adversary == null ? honest : adversary.sourcePrice(source, honest, t);
            venue.submit(venue.command().oracleReport(SimulatorSetup.INDEX, source, reported, venue.time()));
        }
    }
}
