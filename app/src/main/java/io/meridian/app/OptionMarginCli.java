package io.meridian.app;

import io.meridian.model.OptionRight;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import io.meridian.pricing.options.OptionGreeks;
import io.meridian.risk.options.MarkSource;
import io.meridian.risk.options.OptionMarginAccount;
import io.meridian.risk.options.OptionMarginMode;
import io.meridian.risk.options.PortfolioMarginParams;
import io.meridian.risk.options.RepriceStatus;
import io.meridian.risk.options.ScenarioTable;
import io.meridian.risk.options.SeriesSpec;
import io.meridian.risk.options.StandardMarginParams;
import io.meridian.risk.options.VolShock;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian option margin}: a risk engineer's calculator for one account's book on one underlying. For each leg
 * it prints the mark and greeks, then the book's net greeks, its standard and portfolio margin (initial and
 * maintenance) and the worst scenario of the portfolio-margin grid, all from the same {@link ScenarioTable} and
 * {@link OptionMarginAccount} the engine uses, with the default parameters (docs/risk.md, "Option margin") unless
 * {@code --grid} widens or narrows the price moves.
 *
 * <pre>
 * meridian option margin --spot 60000 --vol 0.6 [--rate R] [--grid 0.16] [--json]
 *     --leg perp:QTY | future:DAYS:QTY | call:STRIKE:DAYS:QTY | put:STRIKE:DAYS:QTY  (repeatable)
 * </pre>
 *
 * <p>Quantities are signed (negative = short), in base units for futures and perpetuals and in contracts of one base
 * unit for options; days are calendar days to expiry; money is in the settlement currency (6 decimals). Exit codes:
 * 0 printed, 2 bad arguments (message and usage on stderr).
 */
@Command(name = "margin", description = {"A book's greeks and its standard and portfolio margin (docs/risk.md): each"
        + " leg's mark and greeks, the net greeks, standard and portfolio margin and the worst scenario.",
        "LEG: perp:QTY | future:DAYS:QTY | call:STRIKE:DAYS:QTY | put:STRIKE:DAYS:QTY (QTY signed, short < 0; days to"
        + " expiry; money in the settlement currency)."})
final class OptionMarginCli extends Cli.Command {
    private static final int SCALE = 6;
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;
    /** Futures and perpetual quantities are held in micro-units, so fractional sizes (0.5 BTC) are exact. */
    private static final double FUTURE_LOT = 1e-6;
    @Option(names = "--spot", required = true, paramLabel = "S", description = "the underlying's price")
    String spotText;
    @Option(names = "--vol", required = true, paramLabel = "V", description = "the volatility per year (0.6 = 60%%)")
    String volText;
    @Option(names = "--rate", paramLabel = "R", description = "the risk-free rate (default 0)")
    String rateText = "0";
    @Option(names = "--grid", paramLabel = "MAXMOVE", description = "the portfolio grid's largest price move (default"
            + " 0.16, in 4%% steps as far as it goes)")
    String gridText = "0.16";
    @Option(names = "--json", description = "print one JSON object")
    boolean json;
    @Option(names = "--leg", required = true, paramLabel = "LEG", description = "a position of the book (repeatable)")
    List<String> legTexts;

    private enum LegKind { PERPETUAL, FUTURE, OPTION }

    private record Leg(String text, LegKind kind, OptionRight type, double strike, double days, double quantity) {
    }

    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "option", "margin"), out, err);
    }

    @Override
    public Integer call() {
        double spot;
        double vol;
        double rate;
        double grid;
        List<Leg> legs = new ArrayList<>();
        try {
            spot = positive(spotText, "--spot");
            vol = positive(volText, "--vol");
            rate = number(rateText, "--rate");
            grid = positive(gridText, "--grid");
            for (String text : legTexts) {
                legs.add(leg(text));
            }
            if (grid >= 1) {
                throw new UsageException("--grid must be below 1 (a price move of 100%)");
            }
        } catch (UsageException e) {
            throw usage(e.getMessage());
        }
        return print(spot, vol, rate, grid, legs, json, out, err);
    }

    private static int print(double spot, double vol, double rate, double grid, List<Leg> legs, boolean json,
                             PrintStream out, PrintStream err) {
        long maxMovePpm = Math.round(grid * 1_000_000);
        int steps = (int) Math.max(1, maxMovePpm / 40_000);
        PortfolioMarginParams portfolio = PortfolioMarginParams.defaults()
                .withPriceMoves(PortfolioMarginParams.evenMoves(maxMovePpm, steps));
        ScenarioTable table = new ScenarioTable(SCALE, StandardMarginParams.defaults(), portfolio);
        final double r = rate;
        MarkSource marks = new MarkSource() {
            @Override
            public double vol(double strike, double tte) {
                return vol;
            }

            @Override
            public double carry(double tte) {
                return r;
            }

            @Override
            public double rate() {
                return r;
            }
        };
        int[] series = new int[legs.size()];
        for (int i = 0; i < legs.size(); i++) {
            Leg leg = legs.get(i);
            long expiry = leg.kind() == LegKind.PERPETUAL ? SeriesSpec.PERPETUAL : Math.round(leg.days() * NANOS_PER_DAY);
            SeriesSpec spec = switch (leg.kind()) {
                case PERPETUAL -> SeriesSpec.perpetual(FUTURE_LOT);
                case FUTURE -> SeriesSpec.future(expiry, FUTURE_LOT);
                case OPTION -> SeriesSpec.option(leg.type(), leg.strike(), expiry, 1.0);
            };
            series[i] = table.addSeries(spec);
            if (series[i] == ScenarioTable.REJECTED) {
                err.println("option margin: leg " + leg.text() + " cannot be priced: " + table.lastRejectMessage());
                return 2;
            }
        }
        RepriceStatus status = table.reprice(spot, 0, marks);
        if (status != RepriceStatus.OK) {
            err.println("option margin: " + status + ": " + table.lastRejectMessage());
            return 2;
        }
        OptionMarginAccount standard = new OptionMarginAccount(table, OptionMarginMode.STANDARD);
        OptionMarginAccount pm = new OptionMarginAccount(table, OptionMarginMode.PORTFOLIO);
        double[] net = new double[4];
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            Leg leg = legs.get(i);
            long units = leg.kind() == LegKind.OPTION ? Math.round(leg.quantity())
                    : Math.round(leg.quantity() / FUTURE_LOT);
            standard.addPosition(series[i], units);
            pm.addPosition(series[i], units);
            OptionGreeks g = leg.kind() == LegKind.OPTION
                    ? GeneralizedBlackScholes.greeks(leg.type(), spot, leg.strike(), leg.days() / 365.0, rate, rate, vol)
                    : new OptionGreeks(spot, 1, 0, 0, 0, 0, 0); // a future's delta is one base unit per unit
            double q = leg.quantity();
            net[0] += q * g.delta();
            net[1] += q * g.gamma();
            net[2] += q * g.vega();
            net[3] += q * g.thetaPerDay();
            rows.add(json
                    ? String.format(Locale.ROOT, "{\"leg\":\"%s\",\"mark\":%s,\"delta\":%s,\"gamma\":%s,\"vega\":%s,"
                            + "\"theta_per_day\":%s}", leg.text(), num(g.price()), num(g.delta()), num(g.gamma()),
                            num(g.vega()), num(g.thetaPerDay()))
                    : String.format(Locale.ROOT, "  %-28s mark %12.4f  delta %8.4f  gamma %.6f  vega %9.4f  theta/day %9.4f",
                            leg.text(), g.price(), g.delta(), g.gamma(), g.vega(), g.thetaPerDay()));
        }
        int worst = pm.worstScenario();
        String worstMove = String.format(Locale.ROOT, "%+.1f%%", table.scenarioMovePpm(worst) / 10_000.0);
        String worstVol = volShock(table.scenarioVolShock(worst));
        if (json) {
            out.println("{\"legs\":[" + String.join(",", rows) + "],\"net\":{\"delta\":" + num(net[0]) + ",\"gamma\":"
                    + num(net[1]) + ",\"vega\":" + num(net[2]) + ",\"theta_per_day\":" + num(net[3]) + "},"
                    + "\"standard\":{\"initial\":" + money(standard.standardInitialMargin()) + ",\"maintenance\":"
                    + money(standard.standardMaintenanceMargin()) + "},\"portfolio\":{\"initial\":"
                    + money(pm.portfolioInitialMargin()) + ",\"maintenance\":" + money(pm.portfolioMaintenanceMargin())
                    + ",\"worst_loss\":" + money(pm.worstLoss()) + ",\"worst_move\":\"" + worstMove
                    + "\",\"worst_vol\":\"" + worstVol + "\",\"scenarios\":" + table.scenarioCount() + "}}");
            return 0;
        }
        out.println(String.format(Locale.ROOT, "book on an index of %s, vol %s, rate %s:", num(spot), num(vol), num(rate)));
        rows.forEach(out::println);
        out.println(String.format(Locale.ROOT, "net: delta %.4f  gamma %.6f  vega %.4f  theta/day %.4f", net[0], net[1],
                net[2], net[3]));
        out.println("standard margin:  initial " + money(standard.standardInitialMargin()) + "  maintenance "
                + money(standard.standardMaintenanceMargin()));
        out.println("portfolio margin: initial " + money(pm.portfolioInitialMargin()) + "  maintenance "
                + money(pm.portfolioMaintenanceMargin()) + "  (worst loss " + money(pm.worstLoss()) + " at " + worstMove
                + ", vol " + worstVol + ", of " + table.scenarioCount() + " scenarios)");
        return 0;
    }

    private static Leg leg(String text) throws UsageException {
        String[] parts = text.split(":");
        String kind = parts[0].toLowerCase(Locale.ROOT);
        switch (kind) {
            case "perp":
                expect(parts, 2, text);
                return new Leg(text, LegKind.PERPETUAL, null, 0, 0, number(parts[1], "quantity"));
            case "future":
                expect(parts, 3, text);
                return new Leg(text, LegKind.FUTURE, null, 0, positive(parts[1], "days"), number(parts[2], "quantity"));
            case "call":
            case "put":
                expect(parts, 4, text);
                double contracts = number(parts[3], "quantity");
                if (contracts != Math.rint(contracts)) {
                    throw new UsageException("leg " + text + ": options trade in whole contracts");
                }
                return new Leg(text, LegKind.OPTION, kind.equals("call") ? OptionRight.CALL : OptionRight.PUT,
                        positive(parts[1], "strike"), positive(parts[2], "days"), contracts);
            default:
                throw new UsageException("leg " + text + ": must start with perp, future, call or put");
        }
    }

    private static void expect(String[] parts, int count, String text) throws UsageException {
        if (parts.length != count) {
            throw new UsageException("leg " + text + ": expected " + count + " fields separated by ':'");
        }
    }

    private static double number(String text, String what) throws UsageException {
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new UsageException(what + " must be a finite number, was " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a number, was '" + text + "'");
        }
    }

    private static double positive(String text, String what) throws UsageException {
        double value = number(text, what);
        if (value <= 0) {
            throw new UsageException(what + " must be positive, was " + text);
        }
        return value;
    }

    private static String volShock(VolShock shock) {
        if (shock.relativePpm() == 0 && shock.absolutePpm() == 0) {
            return "unchanged";
        }
        return String.format(Locale.ROOT, "%+.0f%%", shock.relativePpm() / 10_000.0)
                + (shock.absolutePpm() == 0 ? "" : String.format(Locale.ROOT, " %+.1f pts", shock.absolutePpm() / 10_000.0));
    }

    private static String money(long minorUnits) {
        return BigDecimal.valueOf(minorUnits, SCALE).toPlainString();
    }

    private static String num(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
