package io.meridian.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A grid of risk parameters run over crash replays and seeds (docs/stress.md, "Sweeps"): every combination of the
 * axes, for every file and seed, one {@link StressRunner} run each, on a pool of threads (each run has its own engine
 * and random stream, so the rows do not depend on the thread count or the order runs finish in). Rows come back in grid
 * order: file, then seed, then the parameters in axis order.
 */
public final class StressSweep {
    /** The most runs one sweep may ask for: a grid larger than this is a typo, not a plan. */
    public static final int MAX_RUNS = 10_000;

    /**
     * The axes; every list at least one value. Insurance funds in whole USDC. {@code dynamicSettings} are the
     * volatility-driven settings tried where {@code dynamicRisk} is on (a static cell is run once, whatever they are).
     */
    public record Grid(List<Double> marginMultipliers, List<Long> stepSharesPpm, List<Long> insuranceFundsUsdc,
                       List<Long> markBandsPpm, List<Boolean> dynamicRisk, List<DynamicRisk> dynamicSettings) {
        public Grid {
            for (List<?> axis : List.of(marginMultipliers, stepSharesPpm, insuranceFundsUsdc, markBandsPpm, dynamicRisk,
                    dynamicSettings)) {
                if (axis.isEmpty()) {
                    throw new IllegalArgumentException("every axis needs at least one value");
                }
            }
            marginMultipliers = List.copyOf(marginMultipliers);
            stepSharesPpm = List.copyOf(stepSharesPpm);
            insuranceFundsUsdc = List.copyOf(insuranceFundsUsdc);
            markBandsPpm = List.copyOf(markBandsPpm);
            dynamicRisk = List.copyOf(dynamicRisk);
            dynamicSettings = List.copyOf(dynamicSettings);
        }

        /** With the default dynamic-risk settings ({@link DynamicRisk#DEFAULT}). */
        public Grid(List<Double> marginMultipliers, List<Long> stepSharesPpm, List<Long> insuranceFundsUsdc,
                    List<Long> markBandsPpm, List<Boolean> dynamicRisk) {
            this(marginMultipliers, stepSharesPpm, insuranceFundsUsdc, markBandsPpm, dynamicRisk,
                    List.of(DynamicRisk.DEFAULT));
        }

        /** Parameter sets in axis order, each with its insurance fund. */
        List<Cell> cells() {
            List<Cell> cells = new ArrayList<>();
            for (double margin : marginMultipliers) {
                for (long step : stepSharesPpm) {
                    for (long fund : insuranceFundsUsdc) {
                        for (long band : markBandsPpm) {
                            for (boolean dynamic : dynamicRisk) {
                                for (DynamicRisk settings : dynamic ? dynamicSettings : List.of(DynamicRisk.DEFAULT)) {
                                    cells.add(new Cell(new RiskParameters(margin, step, band, dynamic, settings), fund));
                                }
                            }
                        }
                    }
                }
            }
            return cells;
        }
    }

    /** One parameter set and insurance fund. */
    public record Cell(RiskParameters risk, long insuranceFundUsdc) {
        public String label() {
            return risk.label() + ", fund " + String.format(Locale.ROOT, "%,d", insuranceFundUsdc);
        }
    }

    /**
     * One run's outcome. Money in whole USDC (rounded to cents in the tables): bad debt (deficits the fund or the venue
     * covered), auto-deleveraging (events and notional), the fund's drawdown ({@link #fundDrawdown}), liquidations
     * and their fills' average distance from the mark (basis points), the worst equity any agent had, and how long
     * after its lowest point the fund took to get back to its start (seconds of venue time; -1: it never did within
     * the run; 0: it never fell). With dynamic risk: the multiplier changes applied, the highest multiplier and its
     * mean over the run's samples (what the margin cost traders over the window; 1 for static parameters).
     */
    public record Row(String file, long seed, Cell cell, boolean invariantsHeld, double badDebt, long adlEvents,
                      double adlNotional, double fundDrawdown, long liquidations, double slippageBps,
                      double worstEquity, long recoverSeconds, long stateHash, long riskChanges, double maxMultiplier,
                      double meanMultiplier) {
        /** A row of static parameters (multiplier 1 throughout). */
        public Row(String file, long seed, Cell cell, boolean invariantsHeld, double badDebt, long adlEvents,
                   double adlNotional, double fundDrawdown, long liquidations, double slippageBps,
                   double worstEquity, long recoverSeconds, long stateHash) {
            this(file, seed, cell, invariantsHeld, badDebt, adlEvents, adlNotional, fundDrawdown, liquidations,
                    slippageBps, worstEquity, recoverSeconds, stateHash, 0, 1, 1);
        }
    }

    private StressSweep() {
    }

    /**
     * Runs the grid over {@code replays} and {@code seeds} with {@code population}, no backstop unless
     * {@code backstopUsdc} says so, on {@code threads} threads.
     */
    public static List<Row> run(List<CandleReplay> replays, List<Long> seeds, Grid grid, Population population,
                                long backstopUsdc, int threads) throws InterruptedException {
        List<Cell> cells = grid.cells();
        long runs = (long) replays.size() * seeds.size() * cells.size();
        if (runs == 0 || runs > MAX_RUNS) {
            throw new IllegalArgumentException("a sweep of " + runs + " runs; at least 1, at most " + MAX_RUNS);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread thread = new Thread(runnable, "meridian-sweep");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Row>> futures = new ArrayList<>();
            for (CandleReplay replay : replays) {
                for (long seed : seeds) {
                    for (Cell cell : cells) {
                        futures.add(pool.submit(() -> runOne(replay, seed, cell, population, backstopUsdc)));
                    }
                }
            }
            List<Row> rows = new ArrayList<>(futures.size());
            for (Future<Row> future : futures) {
                try {
                    rows.add(future.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a sweep run failed: " + e.getCause(), e.getCause());
                }
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    static Row runOne(CandleReplay replay, long seed, Cell cell, Population population, long backstopUsdc) {
        StressRunner.Result r = StressRunner.run(replay, seed, replay.steps(), population, backstopUsdc,
                cell.insuranceFundUsdc(), false, cell.risk());
        return new Row(replay.id(), seed, cell, r.invariantsHold(), usdc(r.badDebt()), r.adlEvents(),
                usdc(r.costs().adlNotional()), usdc(fundDrawdown(r)), r.liquidations(),
                r.costs().slippageBps(), usdc(r.worstEquity()), recoverSeconds(r, replay.venueSecondsPerStep()),
                r.stateHash(), r.riskScale().applied(), r.riskScale().maxMultiplierPpm() / 1e6, meanMultiplier(r));
    }

    /** The multiplier in force averaged over the run's samples (evenly spaced in time), 1 for static parameters. */
    static double meanMultiplier(StressRunner.Result r) {
        return r.samples().stream().mapToLong(StressRunner.Sample::riskMultiplierPpm).average().orElse(1e6) / 1e6;
    }

    /**
     * The fund's drawdown: its start minus its lowest equity (cash plus the positions it took over, at the mark), the
     * measure its floor and its refusals (hence auto-deleveraging) go by; its lowest cash balance where there is no
     * fund report. Cash alone understates it: a fund holding losing takeovers can refuse the next one with cash left.
     */
    static long fundDrawdown(StressRunner.Result r) {
        long lowest = r.fund() != null ? Math.min(r.fund().equityMin(), r.insuranceMin()) : r.insuranceMin();
        return Math.max(0, r.insuranceStart() - lowest);
    }

    /** From the fund's lowest sample to the first later sample back at its start; 0 if it never fell, -1 if never back. */
    static long recoverSeconds(StressRunner.Result r, long secondsPerStep) {
        List<StressRunner.Sample> samples = r.samples();
        int lowest = -1;
        long low = r.insuranceStart();
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).insuranceFund() < low) {
                low = samples.get(i).insuranceFund();
                lowest = i;
            }
        }
        if (lowest < 0) {
            return 0;
        }
        for (int i = lowest + 1; i < samples.size(); i++) {
            if (samples.get(i).insuranceFund() >= r.insuranceStart()) {
                return (samples.get(i).second() - samples.get(lowest).second()) * secondsPerStep;
            }
        }
        return -1;
    }

    private static double usdc(long minor) {
        return minor / (double) SimulatorSetup.USD;
    }

    /** Every row as CSV, with a header. */
    public static List<String> csv(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("file,seed,margin_multiplier,liquidation_step_share,insurance_fund_usdc,mark_band,dynamic_risk,"
                + "invariants,bad_debt_usdc,adl_events,adl_notional_usdc,fund_drawdown_usdc,liquidations,"
                + "liquidation_slippage_bps,worst_equity_usdc,recover_seconds,state_hash,risk_changes,max_multiplier,"
                + "mean_multiplier");
        for (Row row : rows) {
            RiskParameters p = row.cell().risk();
            lines.add(String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%s,%s,%s,%.2f,%d,%.2f,%.2f,%d,%.2f,%.2f,%d,%016x,%d,%.2f,%.3f",
                    csvText(row.file()), row.seed(), p.marginMultiplier(), p.liquidationStepSharePpm() / 1e6,
                    row.cell().insuranceFundUsdc(), p.markBandPpm() / 1e6, p.dynamicRisk() ? "on" : "off",
                    row.invariantsHeld() ? "ok" : "violated", row.badDebt(), row.adlEvents(), row.adlNotional(),
                    row.fundDrawdown(), row.liquidations(), row.slippageBps(), row.worstEquity(),
                    row.recoverSeconds(), row.stateHash(), row.riskChanges(), row.maxMultiplier(), row.meanMultiplier()));
        }
        return lines;
    }

    /** A file name as one CSV field: quoted when it holds a comma, quote or line break. */
    private static String csvText(String text) {
        if (text.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * The Markdown report: one line per parameter set over every file and seed (the worst bad debt, total ADL, the
     * worst fund drawdown, mean liquidations and slippage, the worst equity, the longest recovery), ranked by worst
     * bad debt, then ADL notional, then how much margin the set asks for (less is better for traders), then the
     * per-run table.
     */
    public static List<String> markdown(List<Row> rows) {
        Map<Cell, List<Row>> byCell = new LinkedHashMap<>();
        for (Row row : rows) {
            byCell.computeIfAbsent(row.cell(), c -> new ArrayList<>()).add(row);
        }
        List<Map.Entry<Cell, List<Row>>> ranked = new ArrayList<>(byCell.entrySet());
        ranked.sort(Comparator.<Map.Entry<Cell, List<Row>>>comparingDouble(e -> max(e.getValue(), Row::badDebt))
                .thenComparingDouble(e -> sum(e.getValue(), Row::adlNotional))
                .thenComparingDouble(e -> e.getKey().risk().marginMultiplier()));
        List<String> lines = new ArrayList<>();
        lines.add("| rank | parameters | runs | invariants | worst bad debt | ADL events (notional) | worst fund drawdown |"
                + " liquidations (mean) | slippage bps (mean) | worst equity | longest recovery |"
                + " multiplier changes (mean) / max / mean |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|");
        int rank = 1;
        for (Map.Entry<Cell, List<Row>> entry : ranked) {
            List<Row> runs = entry.getValue();
            long violated = runs.stream().filter(r -> !r.invariantsHeld()).count();
            long recovery = runs.stream().mapToLong(r -> r.recoverSeconds() < 0 ? Long.MAX_VALUE : r.recoverSeconds())
                    .max().orElse(0);
            lines.add(String.format(Locale.ROOT, "| %d | %s | %d | %s | %,.2f | %,d (%,.0f) | %,.2f | %.1f | %.1f | %,.2f |"
                            + " %s | %.1f / x%.2f / x%.2f |", rank++, entry.getKey().label(), runs.size(),
                    violated == 0 ? "ok" : violated + " violated", max(runs, Row::badDebt),
                    runs.stream().mapToLong(Row::adlEvents).sum(),
                    sum(runs, Row::adlNotional), max(runs, Row::fundDrawdown),
                    runs.stream().mapToLong(Row::liquidations).average().orElse(0),
                    runs.stream().mapToDouble(Row::slippageBps).average().orElse(0),
                    runs.stream().mapToDouble(Row::worstEquity).min().orElse(0),
                    recovery == Long.MAX_VALUE ? "never" : recovery + " s",
                    runs.stream().mapToLong(Row::riskChanges).average().orElse(0), max(runs, Row::maxMultiplier),
                    runs.stream().mapToDouble(Row::meanMultiplier).average().orElse(1)));
        }
        lines.add("");
        lines.add("| file | seed | parameters | invariants | bad debt | ADL | ADL notional | fund drawdown | liquidations |"
                + " slippage bps | worst equity | recovery | multiplier changes / max / mean |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            lines.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %,.2f | %,d | %,.0f | %,.2f | %,d | %.1f | %,.2f | %s |"
                            + " %d / x%.2f / x%.2f |",
                    markdownText(row.file()), row.seed(), row.cell().label(), row.invariantsHeld() ? "ok" : "violated",
                    row.badDebt(), row.adlEvents(), row.adlNotional(), row.fundDrawdown(), row.liquidations(),
                    row.slippageBps(), row.worstEquity(), row.recoverSeconds() < 0 ? "never" : row.recoverSeconds() + " s",
                    row.riskChanges(), row.maxMultiplier(), row.meanMultiplier()));
        }
        return lines;
    }

    /** A file name in a Markdown table cell: pipes, backslashes and line breaks escaped, tags defused. */
    private static String markdownText(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ").replace("\r", " ");
    }

    private static double max(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).max().orElse(0);
    }

    private static double sum(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).sum();
    }
}
