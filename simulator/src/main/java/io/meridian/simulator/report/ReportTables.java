package io.meridian.simulator.report;

import io.meridian.engine.LiquidationConfig;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.PricingSpec;
import io.meridian.risk.margin.MarginTier;
import io.meridian.simulator.StressRunner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's tables: the run, its summary figures, the invariants, the parameters in force, the option writers. */
final class ReportTables {
    private ReportTables() {
    }

    static void run(StringBuilder out, StressRunner.Result r, StressReport.Units u) {
        out.append("<section id=\"run\">\n<h2>The run</h2>\n<table class=\"run\">\n");
        row(out, u.replay() ? "replay (candle file)" : "scenario", r.scenario().id());
        row(out, "what happens", r.scenario().description());
        row(out, "seed", Long.toString(r.seed()));
        String steps = String.format(Locale.ROOT, "%,d", r.steps());
        if (!u.replay() && r.steps() != r.scenario().seconds()) {
            steps += String.format(Locale.ROOT, " (the scenario's %,d-second path run in %,d steps)",
                    r.scenario().seconds(), r.steps());
        }
        row(out, "steps", steps);
        row(out, "speed", u.replay() ? u.stepSeconds() + " s of candle time per step (--speed " + u.stepSeconds() + ")"
                : u.stepSeconds() + " simulated second per step");
        row(out, "venue clock", StressReport.duration(Math.round(u.span())) + (u.replay() ? " of the candles' time"
                : " simulated"));
        row(out, "agents", String.format(Locale.ROOT, "%,d", r.accounts()));
        row(out, "commands", String.format(Locale.ROOT, "%,d (%,d rejected: %s)", r.commands(), r.rejects(),
                StressReport.sorted(r.rejectReasons())));
        String verdict = r.invariantsHold() ? "invariants held" : "invariants VIOLATED";
        if (!r.criteria().isEmpty()) {
            verdict += r.criteriaPass() ? "; every pass criterion held" : "; a pass criterion FAILED";
        }
        out.append("<tr><th>verdict</th><td class=\"").append(r.invariantsHold() && r.criteriaPass() ? "ok" : "bad")
                .append("\" id=\"verdict\">").append(Html.escape(verdict)).append("</td></tr>\n");
        out.append("</table>\n</section>\n");
    }

    static void summary(StringBuilder out, StressRunner.Result r) {
        out.append("<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"summary\">\n");
        num(out, "liquidations", String.format(Locale.ROOT, "%,d", r.liquidations()));
        num(out, "book fills / backstop / ADL", String.format(Locale.ROOT, "%,d / %,d / %,d", r.liquidationFills(),
                r.backstopTransfers(), r.adlEvents()));
        num(out, "liquidated notional", usdc(r.liquidatedNotional()));
        num(out, "insurance fund", usdc(r.insuranceStart()) + " -> " + usdc(r.insuranceEnd()) + " (lowest "
                + usdc(r.insuranceMin()) + ")");
        num(out, "bad debt", usdc(r.badDebt()) + " (insurance fund " + usdc(r.badDebt() - r.venueCovered())
                + ", venue " + usdc(r.venueCovered()) + ")");
        num(out, "ADL events", String.format(Locale.ROOT, "%,d", r.adlEvents()));
        StressRunner.FundReport f = r.fund();
        if (f != null) {
            num(out, "fund takeovers", String.format(Locale.ROOT, "%,d (deficits absorbed %s; refused below floor: %,d)",
                    f.takeovers(), usdc(f.takeoverLoss()), f.belowFloor()));
            num(out, "fund unwinds", String.format(Locale.ROOT, "%,d fills; own inventory deleveraged %,d; realised %s",
                    f.unwinds(), f.deleveraged(), usdc(f.realizedPnl())));
            num(out, "fund equity", usdc(f.equityStart()) + " -> " + usdc(f.equityEnd()) + " (lowest "
                    + usdc(f.equityMin()) + ")");
        }
        num(out, "worst account equity", usdc(r.worstEquity()) + " (account " + r.worstEquityAccount() + ")");
        num(out, "state hash", StressReport.hash(r.stateHash()));
        out.append("</table>\n</section>\n");
    }

    static void invariants(StringBuilder out, StressRunner.Result r) {
        out.append("<section id=\"invariants\">\n<h2>Invariants</h2>\n<table class=\"invariants\">\n")
                .append("<tr><th>invariant</th><th>status</th><th>violations</th><th>first violation</th></tr>\n");
        for (StressRunner.InvariantStatus i : r.invariants()) {
            out.append("<tr><td>").append(Html.escape(i.name())).append("</td><td class=\"")
                    .append(i.held() ? "ok\">ok" : "bad\">VIOLATED").append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%,d", i.violations())).append("</td><td>")
                    .append(Html.escape(i.first() == null ? "" : i.first())).append("</td></tr>\n");
        }
        out.append("</table>\n");
        if (!r.violations().isEmpty()) {
            out.append("<p>The first violations:</p>\n<ul class=\"violations\">\n");
            for (String v : r.violations()) {
                out.append("<li>").append(Html.escape(v)).append("</li>\n");
            }
            out.append("</ul>\n");
        }
        if (r.attacker() != null) {
            out.append("<p><b>Attacker:</b> ").append(Html.escape(r.attacker())).append("</p>\n");
        }
        if (!r.criteria().isEmpty()) {
            out.append("<table class=\"criteria\">\n<tr><th>pass criterion</th><th>result</th><th>figures</th></tr>\n");
            for (StressRunner.Criterion c : r.criteria()) {
                out.append("<tr><td>").append(Html.escape(c.text())).append("</td><td class=\"")
                        .append(c.passed() ? "ok\">ok" : "bad\">FAILED").append("</td><td>")
                        .append(Html.escape(c.detail())).append("</td></tr>\n");
            }
            out.append("</table>\n");
        }
        out.append("</section>\n");
    }

    static void parameters(StringBuilder out, StressRunner.Result r, StressReport.Units u) {
        out.append("<section id=\"parameters\">\n<h2>Margin and risk parameters in force</h2>\n");
        StressRunner.Parameters p = r.parameters();
        if (p == null) {
            out.append("<p>This result does not carry its parameters.</p>\n</section>\n");
            return;
        }
        InstrumentSpec spec = p.instrument();
        StressRunner.RiskScaleReport risk = r.riskScale();
        if (risk == null || !risk.dynamic()) {
            out.append("<p class=\"note\" id=\"static-parameters\">").append(Html.escape("Static: these are the "
                    + "parameters the venue was listed with, and they held for the whole run (the plot below shows the "
                    + "first tier's rates flat). Run with --dynamic-risk on for margin, position limit and band that "
                    + "follow realised volatility under governance bounds.")).append("</p>\n");
        } else {
            out.append("<p class=\"note\" id=\"dynamic-parameters\">").append(Html.escape(String.format(Locale.ROOT,
                    "Volatility-driven (%s): the tables below are the parameters as listed; every margin rate in force "
                    + "was the listed one times the risk multiplier (rounded up), the position limit divided by it and "
                    + "the price band widened by it. %,d changes were announced and %,d applied (%,d refused by the "
                    + "engine); the multiplier peaked at x%s and ended at x%s.", risk.settings(), risk.announced(),
                    risk.applied(), risk.refused(), RiskFigures.times(risk.maxMultiplierPpm()),
                    RiskFigures.times(risk.endMultiplierPpm())))).append("</p>\n");
        }
        RiskFigures.write(out, r, u);
        out.append("<h3>Margin tiers of ").append(Html.escape(spec.symbol())).append("</h3>\n");
        if (p.marginTiers().isEmpty()) {
            out.append("<p>Its margin model is not a tiered schedule.</p>\n");
        } else {
            out.append("<table class=\"tiers\">\n<tr><th>tier</th><th>position notional from (")
                    .append(Html.escape(spec.settlementAsset())).append(")</th><th>maintenance margin</th>")
                    .append("<th>initial margin</th><th>max leverage</th></tr>\n");
            double minor = Math.pow(10, -spec.settlementScale());
            int i = 1;
            for (MarginTier t : p.marginTiers()) {
                out.append("<tr><td class=\"num\">").append(i++).append("</td><td class=\"num\">")
                        .append(Ticks.number(t.notionalFloor() * minor, 0)).append("</td><td class=\"num\">")
                        .append(ppm(t.maintenanceRatePpm())).append("</td><td class=\"num\">")
                        .append(ppm(t.initialRatePpm())).append("</td><td class=\"num\">").append(t.maxLeverage())
                        .append("x</td></tr>\n");
            }
            out.append("</table>\n");
        }
        out.append("<h3>Prices, funding and liquidation</h3>\n<table class=\"risk\">\n");
        row(out, "price band (limit orders)", ppm(spec.priceBandPpm()) + " of the mark");
        row(out, "market protection", ppm(spec.marketProtectionPpm()) + " from the best price");
        row(out, "fees (maker / taker)", ppm(spec.makerFeePpm()) + " / " + ppm(spec.takerFeePpm()));
        PricingSpec pricing = p.pricing();
        if (pricing != null) {
            row(out, "mark band", ppm(pricing.markBandPpm()) + " of the index");
            row(out, "mark basis EMA window", StressReport.duration(pricing.markEmaWindowNanos() / 1_000_000_000L));
            row(out, "funding interval", pricing.fundingIntervalNanos() == 0 ? "none"
                    : StressReport.duration(pricing.fundingIntervalNanos() / 1_000_000_000L));
            row(out, "premium samples every", StressReport.duration(pricing.premiumSampleNanos() / 1_000_000_000L));
            row(out, "interest rate", rate(pricing.interestRate8h()) + " per 8 h");
            row(out, "funding clamp", rate(pricing.fundingClamp8h()) + " per 8 h");
            row(out, "funding rate cap", rate(p.maxFundingRate8h()) + " per 8 h");
        }
        LiquidationConfig l = p.liquidation();
        row(out, "liquidation fee", ppm(l.feePpm()) + " of the notional (at most " + ppm(l.feeCapPpm())
                + " of the maintenance margin released)");
        row(out, "liquidation step", "at most " + ppm(l.maxStepSharePpm()) + " of the position and "
                + Ticks.number(l.maxStepUnits(), 0) + " " + spec.settlementAsset() + "; whole position under "
                + Ticks.number(l.minFullCloseUnits(), 0) + " " + spec.settlementAsset());
        row(out, "step target", ppm(l.targetPpm()) + " of the way from maintenance to initial margin");
        row(out, "backstop account", l.backstopAccount() == 0 ? "none" : Long.toString(l.backstopAccount()));
        row(out, "insurance fund floor", Ticks.number(l.insuranceFundFloorUnits(), 0) + " " + spec.settlementAsset()
                + " (below it: auto-deleveraging)");
        row(out, "fund unwinds", ppm(l.unwindSharePpm()) + " of its inventory per order, within " + ppm(l.unwindBandPpm())
                + " of the mark");
        out.append("</table>\n</section>\n");
    }

    static void options(StringBuilder out, StressRunner.OptionsReport o) {
        out.append("<section id=\"options\">\n<h2>Option writers</h2>\n<table class=\"writers\">\n<tr><th>writers</th>")
                .append("<th>accounts</th><th>liquidated</th><th>capital</th><th>worst equity</th><th>end equity</th>")
                .append("<th>bad debt</th></tr>\n");
        Map<String, List<StressRunner.OptionAccount>> groups = new LinkedHashMap<>();
        for (StressRunner.OptionAccount a : o.accounts()) {
            groups.computeIfAbsent(a.role() + ", " + (a.portfolioMargin() ? "portfolio" : "standard"),
                    g -> new ArrayList<>()).add(a);
        }
        for (Map.Entry<String, List<StressRunner.OptionAccount>> g : groups.entrySet()) {
            List<StressRunner.OptionAccount> a = g.getValue();
            out.append("<tr><td>").append(Html.escape(g.getKey())).append("</td>");
            cells(out, Integer.toString(a.size()), Long.toString(a.stream().filter(x -> x.liquidations() > 0).count()),
                    StressReport.usdc(a.stream().mapToLong(StressRunner.OptionAccount::capital).sum()),
                    StressReport.usdc(a.stream().mapToLong(StressRunner.OptionAccount::worstEquity).min().orElse(0)),
                    StressReport.usdc(a.stream().mapToLong(StressRunner.OptionAccount::endEquity).sum()),
                    StressReport.usdc(a.stream().mapToLong(StressRunner.OptionAccount::badDebt).sum()));
            out.append("</tr>\n");
        }
        out.append("</table>\n<p>Money in USDC. The text report has each series' marks and volatility.</p>\n</section>\n");
    }

    private static void cells(StringBuilder out, String... values) {
        for (String v : values) {
            out.append("<td class=\"num\">").append(Html.escape(v)).append("</td>");
        }
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(Html.escape(value))
                .append("</td></tr>\n");
    }

    private static void num(StringBuilder out, String name, String value) {
        out.append("<tr><th>").append(Html.escape(name)).append("</th><td class=\"num\">").append(Html.escape(value))
                .append("</td></tr>\n");
    }

    private static String usdc(long minor) {
        return StressReport.usdc(minor) + " USDC";
    }

    /** Parts per million as a percentage: 4,000 -> 0.4%. */
    static String ppm(long ppm) {
        return StressReport.plain(ppm / 1e4) + "%";
    }

    /** A rate in 1e-9 as a percentage: 100,000 -> 0.01%. */
    static String rate(long rate) {
        return StressReport.plain(rate / 1e7) + "%";
    }
}
