package io.meridian.simulator.report;

import io.meridian.risk.margin.MarginSchedule;
import io.meridian.risk.margin.MarginTier;
import io.meridian.simulator.StressRunner;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * The report's plots of the risk parameters over time: the perpetual's first margin tier's initial and maintenance
 * rates in force at every sample (flat for static parameters), with dynamic risk the changes the controller announced
 * (when, and to what initial rate) and the ones applied; the engine's realised volatility of the index, the input of
 * the controller; and, with dynamic risk, a table of the applied changes.
 */
final class RiskFigures {
    private static final String BLUE = "#1f6fd1";
    private static final String RED = "#d23a3a";
    private static final String ORANGE = "#e8710a";
    private static final String GREY = "#5f5f6b";
    /** The most changes the table lists (a long replay may have hundreds: the plot shows them all). */
    static final int MAX_TABLE_ROWS = 60;

    private RiskFigures() {
    }

    static void write(StringBuilder out, StressRunner.Result r, StressReport.Units u) {
        List<StressRunner.Sample> samples = r.samples();
        int n = samples.size();
        double[] x = new double[n];
        double[] initial = new double[n];
        double[] maintenance = new double[n];
        double[] volatility = new double[n];
        for (int i = 0; i < n; i++) {
            StressRunner.Sample s = samples.get(i);
            x[i] = u.x(s.second());
            initial[i] = s.initialRatePpm() / 1e4;
            maintenance[i] = s.maintenanceRatePpm() / 1e4;
            volatility[i] = s.volatilityPpm() / 1e4;
        }
        String xTitle = u.xTitle();
        SvgChart margin = StressReport.chart(u, "chart-risk", "Margin in force, first tier", "% of the notional", xTitle,
                true).line("initial margin, tier 1", BLUE, x, initial).line("maintenance margin, tier 1", RED, x,
                maintenance);
        StressRunner.RiskScaleReport risk = r.riskScale();
        List<MarginTier> listed = r.parameters() == null ? List.of() : r.parameters().marginTiers();
        String caption;
        if (risk != null && risk.dynamic() && !listed.isEmpty()) {
            List<StressRunner.RiskScaleEvent> announced = risk.events().stream().filter(e -> !e.applied()).toList();
            List<StressRunner.RiskScaleEvent> applied = risk.events().stream().filter(StressRunner.RiskScaleEvent::applied)
                    .toList();
            MarginSchedule schedule = new MarginSchedule(listed);
            if (!announced.isEmpty()) {
                margin.markers("announced (initial margin it will bring)", ORANGE, seconds(announced, u),
                        initialRates(announced, schedule));
            }
            if (!applied.isEmpty()) {
                // On the maintenance line, so that they do not hide the announcements a step before them.
                margin.markers("applied", GREY, seconds(applied, u), maintenanceRates(applied, schedule));
            }
            caption = String.format(Locale.ROOT, "The first tier's rates in force at every sampled step: the listed %s "
                    + "initial and %s maintenance times the risk multiplier. Orange diamonds: a change announced, at "
                    + "the step it was sent and the initial rate it brings (it takes effect after the notice); grey "
                    + "diamonds: a change applied, on the maintenance rate it brought. %,d announced, %,d applied, peak "
                    + "x%s.", ReportTables.ppm(listed.get(0).initialRatePpm()),
                    ReportTables.ppm(listed.get(0).maintenanceRatePpm()), risk.announced(), risk.applied(),
                    times(risk.maxMultiplierPpm()));
        } else {
            caption = "The first tier's rates in force at every sampled step: static parameters, so they are the listed "
                    + "ones throughout.";
        }
        StressReport.figure(out, "risk", "Margin in force", margin, caption);
        SvgChart vol = StressReport.chart(u, "chart-volatility", "Realised volatility of the index", "% a year", xTitle,
                true).line("realised volatility", BLUE, x, volatility);
        String reference = risk != null && risk.dynamic() ? " The controller's multiplier is this over its reference "
                + "volatility, rounded, within the bounds and their rate limit." : "";
        StressReport.figure(out, "volatility", "Realised volatility", vol, "The engine's EWMA estimate of the index's "
                + "volatility (one-minute returns, an hour's half-life, annualised; 0 for its first ten minutes), "
                + "highest at a sample " + String.format(Locale.ROOT, "%.0f", risk == null ? 0
                : risk.maxVolatilityPpm() / 1e4) + "%." + reference);
        if (risk != null && risk.dynamic()) {
            table(out, risk, listed, u);
        }
    }

    private static void table(StringBuilder out, StressRunner.RiskScaleReport risk, List<MarginTier> listed,
                              StressReport.Units u) {
        List<StressRunner.RiskScaleEvent> applied = risk.events().stream().filter(StressRunner.RiskScaleEvent::applied)
                .toList();
        out.append("<h3>Multiplier changes applied</h3>\n");
        if (applied.isEmpty()) {
            out.append("<p>None: the realised volatility never called for one.</p>\n");
            return;
        }
        MarginSchedule schedule = listed.isEmpty() ? null : new MarginSchedule(listed);
        out.append("<table class=\"risk-changes\">\n<tr><th>step</th><th>multiplier</th><th>tier 1 initial / "
                + "maintenance</th><th>realised volatility</th></tr>\n");
        for (int i = 0; i < Math.min(applied.size(), MAX_TABLE_ROWS); i++) {
            StressRunner.RiskScaleEvent e = applied.get(i);
            MarginTier first = schedule == null ? null : schedule.scaled(e.multiplierPpm()).tiers().get(0);
            out.append("<tr><td class=\"num\">").append(e.second()).append("</td><td class=\"num\">x")
                    .append(times(e.multiplierPpm())).append("</td><td class=\"num\">")
                    .append(first == null ? "" : ReportTables.ppm(first.initialRatePpm()) + " / "
                            + ReportTables.ppm(first.maintenanceRatePpm()))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.1f", e.volatilityPpm() / 1e4))
                    .append("%</td></tr>\n");
        }
        out.append("</table>\n");
        if (applied.size() > MAX_TABLE_ROWS) {
            out.append("<p>").append(Html.escape(String.format(Locale.ROOT, "The first %d of %,d changes; the plot shows "
                    + "them all.", MAX_TABLE_ROWS, applied.size()))).append("</p>\n");
        }
    }

    private static double[] seconds(List<StressRunner.RiskScaleEvent> events, StressReport.Units u) {
        return events.stream().mapToDouble(e -> u.x(e.second())).toArray();
    }

    private static double[] maintenanceRates(List<StressRunner.RiskScaleEvent> events, MarginSchedule listed) {
        return events.stream().mapToDouble(e -> listed.scaled(e.multiplierPpm()).tiers().get(0).maintenanceRatePpm()
                / 1e4).toArray();
    }

    private static double[] initialRates(List<StressRunner.RiskScaleEvent> events, MarginSchedule listed) {
        return events.stream().mapToDouble(e -> listed.scaled(e.multiplierPpm()).tiers().get(0).initialRatePpm() / 1e4)
                .toArray();
    }

    /** A multiplier in ppm as a plain decimal: 2,350,000 -> "2.35". */
    static String times(long ppm) {
        return BigDecimal.valueOf(ppm, 6).stripTrailingZeros().toPlainString();
    }
}
