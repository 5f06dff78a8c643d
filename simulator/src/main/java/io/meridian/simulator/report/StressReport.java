package io.meridian.simulator.report;

import io.meridian.model.StateHasher;
import io.meridian.simulator.MarketScript;
import io.meridian.simulator.StressRunner;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stress lab's report as one self-contained HTML page ({@code meridian stress ... --report DIR} writes it as
 * {@code DIR/index.html}): the run, its summary figures, the invariants (and an attacker's pass criteria), plots of the
 * time series as inline SVG (prices, open interest, liquidations, the insurance fund, auto-deleveraging, funding), and
 * the margin and risk parameters in force (with their plot over time: the first tier's rates and the realised
 * volatility, and with dynamic risk the multiplier's announced and applied changes, {@link RiskFigures}). No script,
 * font, image or style is loaded from anywhere: the page opens from disk without a network. The page is well-formed XML
 * too (XHTML syntax), and every text that comes from the run (a replayed file's name above all) is escaped.
 *
 * <p>Deterministic: the same result gives the same bytes (no generation time, no locale). The plots draw every sample
 * of the run ({@link StressRunner.Result#samples()}: every 10 steps, or evenly fewer on a run of more than 50,000 steps,
 * at most {@link StressRunner#MAX_SAMPLES}) and every funding event.
 */
public final class StressReport {
    /** The page's file name in the report directory. */
    public static final String FILE_NAME = "index.html";

    private static final String BLUE = "#1f6fd1";
    private static final String ORANGE = "#e8710a";
    private static final String GREY = "#5f5f6b";
    private static final String TEAL = "#0f8b8d";
    private static final String RED = "#d23a3a";
    private static final String PURPLE = "#7b3fbf";
    private static final String BROWN = "#8c564b";
    private static final String GREEN = "#2e8b3e";
    private static final String DARK_GREEN = "#14532d";
    private static final DateTimeFormatter UTC_MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private StressReport() {
    }

    /** Writes the page to {@code dir/index.html}, creating the directory if need be; returns the file. */
    public static Path write(StressRunner.Result result, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        Files.writeString(file, html(result), StandardCharsets.UTF_8);
        return file;
    }

    /** The page. */
    public static String html(StressRunner.Result r) {
        Units u = Units.of(r);
        StringBuilder out = new StringBuilder(64 * 1024 + r.samples().size() * 120);
        String title = "Meridian stress report: " + r.scenario().id() + " (seed " + r.seed() + ")";
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n");
        out.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        if (u.replay) {
            out.append("<p class=\"note\" id=\"price-scale\">").append(Html.escape(u.scaleNote())).append("</p>\n");
        }
        ReportTables.run(out, r, u);
        ReportTables.summary(out, r);
        ReportTables.invariants(out, r);
        plots(out, r, u);
        ReportTables.parameters(out, r, u);
        if (r.options() != null) {
            ReportTables.options(out, r.options());
        }
        out.append("<footer>Written by <code>meridian stress --report</code>. Self-contained: no network is needed to "
                + "open it. See docs/stress.md, \"The HTML report\".</footer>\n</main>\n</body>\n</html>\n");
        return out.toString();
    }

    /** How the run's integers become the plots' units and its steps a time axis. */
    record Units(boolean replay, long stepSeconds, double span, long startEpochSeconds, double usdPerTick,
                 double priceFactor, double btcPerLot, double usdcPerMinor, double startPriceUsd, double venueStartUsd) {
        static Units of(StressRunner.Result r) {
            MarketScript script = r.scenario();
            StressRunner.Parameters p = r.parameters();
            double tick = p == null ? 0.1 : p.instrument().tickSize().doubleValue();
            double lot = p == null ? 0.001 : p.instrument().lotSize().doubleValue();
            int scale = p == null ? 6 : p.instrument().settlementScale();
            double venueStart = StressRunner.START_INDEX_TICKS * tick;
            boolean replay = script.startPriceUsd() > 0;
            long step = Math.max(1, script.venueSecondsPerStep());
            return new Units(replay, step, (double) r.steps() * step,
                    replay ? Math.floorDiv(script.startEpochNanos(), 1_000_000_000L) : -1, tick,
                    replay ? script.startPriceUsd() / venueStart : 1, lot, Math.pow(10, -scale),
                    script.startPriceUsd(), venueStart);
        }

        double x(long second) {
            return (double) second * stepSeconds;
        }

        /** A price in ticks as USD on the plots' scale (the candles' for a replay); NaN for 0 (none yet). */
        double price(long ticks) {
            return ticks == 0 ? Double.NaN : ticks * usdPerTick * priceFactor;
        }

        String scaleNote() {
            return "Prices: the venue's index starts at " + Ticks.number(venueStartUsd, 0) + " USD in every run, and a"
                    + " replay's candles are scaled onto it: the candles' first open, " + plain(startPriceUsd)
                    + " USD, is the venue's " + Ticks.number(venueStartUsd, 0) + ". The venue traded at the candles'"
                    + " prices x " + plain(1 / priceFactor) + "; the price plot scales its prices back to the candles' own"
                    + " (x " + plain(priceFactor) + "), while money (fund, notional, equity) is the venue's USDC.";
        }

        String xTitle() {
            return replay ? "time, UTC (the candles' clock; a step is " + stepSeconds + " s), from "
                    + UTC_MINUTE.format(Instant.ofEpochSecond(startEpochSeconds))
                    : "simulated seconds from the start (a step is " + stepSeconds + " s)";
        }
    }

    static String plain(double v) {
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static void plots(StringBuilder out, StressRunner.Result r, Units u) {
        List<StressRunner.Sample> samples = r.samples();
        int n = samples.size();
        double[] x = new double[n];
        double[] index = new double[n];
        double[] mark = new double[n];
        double[] last = new double[n];
        double[] oi = new double[n];
        double[] liquidations = new double[n];
        double[] perInterval = new double[n];
        double[] fund = new double[n];
        double[] adl = new double[n];
        double[] predicted = new double[n];
        for (int i = 0; i < n; i++) {
            StressRunner.Sample s = samples.get(i);
            x[i] = u.x(s.second());
            index[i] = u.price(s.venueIndexTicks());
            mark[i] = u.price(s.markTicks());
            last[i] = u.price(s.lastTradeTicks());
            oi[i] = s.openInterest() * u.btcPerLot();
            liquidations[i] = s.liquidations();
            perInterval[i] = i == 0 ? s.liquidations() : s.liquidations() - samples.get(i - 1).liquidations();
            fund[i] = s.insuranceFund() * u.usdcPerMinor();
            adl[i] = s.adlEvents();
            predicted[i] = s.predictedFundingRate() / 1e5;
        }
        long every = (long) r.sampleEvery() * u.stepSeconds();
        out.append("<section id=\"plots\">\n<h2>Over time</h2>\n<p>").append(Html.escape(String.format(Locale.ROOT,
                "%,d points per line: the end of every %,dth step (%s of the venue's clock) and of the last; a run of "
                        + "more than 50,000 steps is sampled every 20, 50, 100, ... steps instead, so that no run keeps "
                        + "more than %,d points.", n, r.sampleEvery(), duration(every), StressRunner.MAX_SAMPLES)))
                .append("</p>\n");
        String xTitle = u.xTitle();
        String priceAxis = u.replay ? "USD, the candles' scale" : "USD";
        String scaled = u.replay ? " Prices are on the candles' scale: the venue's x " + plain(u.priceFactor)
                + " (see the note at the top)." : "";
        figure(out, "price", "Index, mark and last trade price", chart(u, "chart-price", "Index, mark and last trade",
                priceAxis, xTitle, false).wide("index (the venue's)", BLUE, x, index).line("mark", ORANGE, x, mark)
                .dashed("last trade", GREY, x, last), "The venue's index (the median of its three sources, which lag "
                + "and disagree with the path a little), the perpetual's mark (the index plus the book's basis, clamped "
                + "to the mark band, so it runs on or close to the index: the wide light line) and its last trade, at the end "
                + "of each sampled step." + scaled);
        figure(out, "oi", "Open interest", chart(u, "chart-oi", "Open interest", "BTC", xTitle, true)
                .area("open interest", TEAL, x, oi), "Open interest of BTC-PERP: the long positions' total size.");
        figure(out, "liquidations", "Liquidations per interval", chart(u, "chart-liquidations",
                "Liquidations per interval", "liquidations per " + duration(every), xTitle, true).counts()
                .bars("liquidations started", RED, x, perInterval), "Liquidations started (accounts found at or "
                + "below maintenance) between two samples: " + duration(every) + " per bar (the last bar may be shorter).");
        figure(out, "liquidations-cumulative", "Liquidations, cumulative", chart(u, "chart-liquidations-cumulative",
                "Liquidations, cumulative", "liquidations", xTitle, true).counts()
                .area("liquidations started", RED, x, liquidations), String.format(Locale.ROOT, "All liquidations "
                + "started so far: %,d in the run, %,d closed in the book, %,d by the backstop.", r.liquidations(),
                r.liquidationFills(), r.backstopTransfers()));
        String realised = r.fund() == null ? "" : " and the PnL it realised on positions it took over ("
                + usdc(r.fund().realizedPnl()) + " USDC)";
        figure(out, "fund", "Insurance fund balance", chart(u, "chart-fund", "Insurance fund balance", "USDC",
                xTitle, false).line("insurance fund balance", PURPLE, x, fund), "The insurance fund's cash: liquidation "
                + "fees in; out, the deficits of bankrupt accounts it covered (" + usdc(r.badDebt() - r.venueCovered())
                + " USDC in the run)" + realised + ". Its lowest balance at the end of a step: " + usdc(r.insuranceMin())
                + " USDC.");
        figure(out, "adl", "Auto-deleveraging events", chart(u, "chart-adl", "Auto-deleveraging, cumulative",
                "ADL events", xTitle, true).counts().area("ADL events", BROWN, x, adl), "Positions closed against profitable "
                + "opposite positions because neither the book, the backstop nor the insurance fund took them: "
                + String.format(Locale.ROOT, "%,d", r.adlEvents()) + " in the run.");
        fundingFigure(out, r, u, x, predicted, xTitle);
        if (r.options() != null) {
            optionFigures(out, r.options(), u, x, xTitle);
        }
        out.append("</section>\n");
    }

    /**
     * A run with options: the volatility its option marks were posted at and the at-the-money put's own, the put's
     * mark, and how many option writers had been liquidated, at the same sampled steps as the other plots.
     */
    private static void optionFigures(StringBuilder out, StressRunner.OptionsReport o, Units u, double[] x,
                                      String xTitle) {
        List<StressRunner.OptionSample> samples = o.samples();
        if (samples.size() != x.length) {
            out.append("<p>").append(Html.escape("The option samples were not taken at the plotted steps ("
                    + samples.size() + " against " + x.length + "), so they are not plotted.")).append("</p>\n");
            return;
        }
        int n = samples.size();
        double[] shocked = new double[n];
        double[] putVol = new double[n];
        double[] putMark = new double[n];
        double[] writers = new double[n];
        for (int i = 0; i < n; i++) {
            StressRunner.OptionSample s = samples.get(i);
            shocked[i] = s.shockedVol() * 100;
            putVol[i] = s.atmPutVol() * 100;
            putMark[i] = u.price(s.atmPutMarkTicks());
            writers[i] = s.writersLiquidated();
        }
        figure(out, "option-vol", "Option volatility", chart(u, "chart-option-vol", "Option volatility", "% a year",
                xTitle, true).line("shocked volatility", RED, x, shocked).dashed("at-the-money put's mark volatility",
                BLUE, x, putVol), "The volatility the option marks are posted at (60% x (1 + 2 x drawdown from the "
                + "highest index so far)) and the one the engine holds for the at-the-money put, implied from its mark.");
        figure(out, "option-put", "At-the-money put", chart(u, "chart-option-put", "At-the-money put mark",
                u.replay ? "USD, the candles' scale" : "USD", xTitle, true).line("at-the-money put mark", PURPLE, x,
                putMark), "The mark of the put struck nearest the index at the start: what a put writer owes moves "
                + "with it.");
        figure(out, "option-writers", "Option writers liquidated", chart(u, "chart-option-writers",
                "Option writers liquidated", "writers", xTitle, true).counts().area("writers liquidated", BROWN, x,
                writers), "Option writers (put writers and covered-call writers) with at least one liquidation so far.");
    }

    private static void fundingFigure(StringBuilder out, StressRunner.Result r, Units u, double[] x, double[] predicted,
                                      String xTitle) {
        List<StressRunner.FundingEvent> events = r.funding();
        double[] fx = new double[events.size()];
        double[] fy = new double[events.size()];
        for (int i = 0; i < events.size(); i++) {
            fx[i] = u.x(events.get(i).second());
            fy[i] = events.get(i).rate() / 1e5;
        }
        StressRunner.Parameters p = r.parameters();
        String interval = p == null || p.pricing() == null ? "interval"
                : duration(p.pricing().fundingIntervalNanos() / 1_000_000_000L) + " interval";
        SvgChart chart = chart(u, "chart-funding", "Funding rate", "bp of notional per " + interval, xTitle, true)
                .area("predicted rate", GREEN, x, predicted);
        if (!events.isEmpty()) {
            chart.markers("rate paid", DARK_GREEN, fx, fy);
        }
        String paid = events.isEmpty()
                ? "No funding interval ended during this run (" + duration(Math.round(u.span())) + " of the venue's "
                + "clock), so no rate was paid; the line is the rate the current interval would settle at."
                : String.format(Locale.ROOT, "%,d funding events: the rate paid at each (diamonds; positive: longs pay "
                + "shorts) and, between them, the rate the current interval would settle at (1 bp = 0.01%%); just after "
                + "a payment that prediction starts again from the interest rate alone, until the next premium sample.",
                events.size());
        figure(out, "funding", "Funding", chart, paid);
    }

    static SvgChart chart(Units u, String id, String title, String yTitle, String xTitle, boolean zero) {
        return new SvgChart(id, title, yTitle, xTitle, u.span(), u.startEpochSeconds(), zero);
    }

    static void figure(StringBuilder out, String id, String heading, SvgChart chart, String caption) {
        out.append("<figure id=\"fig-").append(id).append("\">\n<h3>").append(Html.escape(heading)).append("</h3>\n")
                .append(chart.svg()).append("<figcaption>").append(Html.escape(caption))
                .append("</figcaption>\n</figure>\n");
    }

    /** Seconds as "10 s", "5 min", "1 h", "2 h 30 min", "1 d". */
    static String duration(long seconds) {
        if (seconds < 60 || seconds % 60 != 0) {
            return String.format(Locale.ROOT, "%,d s", seconds);
        }
        long minutes = seconds / 60;
        if (minutes < 60 || minutes % 60 != 0 && minutes < 600) {
            return minutes >= 60 ? minutes / 60 + " h " + minutes % 60 + " min" : minutes + " min";
        }
        long hours = minutes / 60;
        return hours % 24 == 0 ? hours / 24 + " d" : String.format(Locale.ROOT, "%,d h", hours);
    }

    /** Minor units of USDC with two decimals and thousands separators. */
    static String usdc(long minor) {
        return String.format(Locale.ROOT, "%,.2f", minor / 1e6);
    }

    static String hash(long stateHash) {
        return StateHasher.hex(stateHash);
    }

    static Map<String, Long> sorted(Map<String, Long> map) {
        return new TreeMap<>(map);
    }

    private static final String CSS = String.join("\n",
            "body{margin:0;background:#f4f4f7;color:#1d1d24;font:14px/1.45 system-ui,-apple-system,\"Segoe UI\","
                    + "Roboto,\"DejaVu Sans\",\"Liberation Sans\",sans-serif}",
            "main{max-width:960px;margin:0 auto;padding:18px 20px 40px;background:#fff}",
            "h1{font-size:22px;margin:6px 0 10px;word-break:break-all}",
            "h2{font-size:18px;margin:26px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}",
            "h3{font-size:15px;margin:0 0 4px}",
            ".note{background:#fff7e0;border-left:4px solid #e0a100;padding:8px 10px;margin:6px 0 12px}",
            "table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}",
            "th,td{border:1px solid #dcdce3;padding:3px 8px;text-align:left;vertical-align:top}",
            "th{background:#f0f0f5;font-weight:600}",
            "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
            ".ok{color:#1b7a32;font-weight:600}",
            ".bad{color:#b3261e;font-weight:700}",
            "figure{margin:14px 0 18px}",
            "figure svg{display:block;max-width:100%;height:auto;font-family:inherit}",
            "figcaption{color:#4a4a55;font-size:12.5px;margin-top:2px}",
            "code{font-size:12.5px}",
            "footer{margin-top:30px;color:#666;font-size:12px}",
            "");
}
