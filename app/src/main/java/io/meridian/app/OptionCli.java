package io.meridian.app;

import io.meridian.model.OptionRight;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import io.meridian.pricing.options.ImpliedVolFailure;
import io.meridian.pricing.options.ImpliedVolResult;
import io.meridian.pricing.options.ImpliedVolatility;
import io.meridian.pricing.options.OptionGreeks;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code meridian option} command: {@link #run} takes the arguments after the word {@code option}; {@code option
 * margin} is {@link OptionMarginCli}.
 *
 * <pre>
 *   price --type call|put --spot S --strike K --rate R --carry B --vol V --tte T [--json]
 *   iv    --type call|put --spot S --strike K --rate R --carry B --tte T --price P [--json]
 * </pre>
 *
 * <b>Contract</b> (scripts depend on it; docs/options.md):
 * <ul>
 *   <li>{@code price --json} prints one line, one JSON object: {@code price, delta, gamma, vega, theta,
 *       theta_per_day, rho, carry_rho} as JSON numbers (units in {@link OptionGreeks}; rho in Haug's convention:
 *       the carry moves with the rate unless it is 0, see docs/options.md); without {@code --json}
 *       one readable line. Exit 0.</li>
 *   <li>{@code iv --json} prints {@code {"iv": v}}; without {@code --json} {@code iv=v}. Exit 0.</li>
 *   <li>No volatility reproduces the price (below the lower bound, above the upper bound, outside the solver's vol
 *       range): prints {@code {"error": "...", "reason": "CODE"}} (or {@code error: ...}) on stdout, exit 1.</li>
 *   <li>Bad or missing arguments (unknown or repeated option, missing value, a number that is not a plain finite
 *       decimal, spot, strike, vol or tte not positive, results that overflow): a message and the synopsis on
 *       stderr, exit 2. {@code --help} prints the usage on stdout, exit 0.</li>
 * </ul>
 * Every option takes one value except {@code --json}; options may come in any order.
 */
@Command(name = "option", description = "Option pricing: the generalised Black-Scholes price and greeks, the implied"
        + " volatility, or a book's greeks and margin (docs/options.md, docs/risk.md).",
        subcommands = {OptionCli.Price.class, OptionCli.Iv.class, OptionMarginCli.class})
final class OptionCli extends Cli.Group {
    /** Success. */
    static final int EXIT_OK = 0;
    /** The inputs are valid but have no solution (implied volatility only). */
    static final int EXIT_NO_SOLUTION = 1;
    /** Bad or missing arguments. */
    static final int EXIT_USAGE = 2;

    private static final String UNITS = "Rates and carry are continuously compounded per year (carry b = r - q; 0 for"
            + " options on futures), vol per year (0.5 = 50%%), tte in years.";

    /** A plain decimal number: no NaN, Infinity, hex or type suffix. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /** A bad argument: reported with the usage and exit code 2. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Runs one subcommand.
     *
     * @param args the arguments after {@code option}: {@code args[0]} is {@code price}, {@code iv} or {@code margin}
     * @param out  where results (and no-solution errors) go
     * @param err  where usage errors go
     * @return {@link #EXIT_OK}, {@link #EXIT_NO_SOLUTION} or {@link #EXIT_USAGE}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "option"), out, err);
    }

    /** The options {@code price} and {@code iv} share. */
    abstract static class Inputs extends Cli.Command {
        @Option(names = "--type", required = true, paramLabel = "call|put", description = "the option's right")
        String type;
        @Option(names = "--spot", required = true, paramLabel = "S", description = "the underlying's price")
        String spot;
        @Option(names = "--strike", required = true, paramLabel = "K", description = "the strike")
        String strike;
        @Option(names = "--rate", required = true, paramLabel = "R", description = "the risk-free rate")
        String rate;
        @Option(names = "--carry", required = true, paramLabel = "B", description = "the cost of carry")
        String carry;
        @Option(names = "--tte", required = true, paramLabel = "T", description = "the time to expiry, years")
        String tte;
        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        /** The values by option name, for the checks. */
        Parsed parsed(String extraName, String extraValue) {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("--type", type);
            values.put("--spot", spot);
            values.put("--strike", strike);
            values.put("--rate", rate);
            values.put("--carry", carry);
            values.put("--tte", tte);
            values.put(extraName, extraValue);
            return new Parsed(values, json);
        }
    }

    /** {@code option price}. */
    @Command(name = "price", description = {"The generalised Black-Scholes price and greeks of an option: one line, or"
            + " with --json one JSON object of price, delta, gamma, vega, theta, theta_per_day, rho, carry_rho.", UNITS})
    static final class Price extends Inputs {
        @Option(names = "--vol", required = true, paramLabel = "V", description = "the volatility per year")
        String vol;

        @Override
        public Integer call() {
            try {
                return price(parsed("--vol", vol), out);
            } catch (UsageException e) {
                throw usage(e.getMessage());
            }
        }
    }

    /** {@code option iv}. */
    @Command(name = "iv", description = {"The implied volatility of an option's price: iv=V, or with --json {\"iv\": V};"
            + " a price no volatility reproduces prints the error on stdout and exits 1.", UNITS})
    static final class Iv extends Inputs {
        @Option(names = "--price", required = true, paramLabel = "P", description = "the option's price")
        String price;

        @Override
        public Integer call() {
            try {
                return impliedVol(parsed("--price", price), out);
            } catch (UsageException e) {
                throw usage(e.getMessage());
            }
        }
    }

    private static int price(Parsed p, PrintStream out) throws UsageException {
        OptionRight type = p.type();
        double spot = p.positive("--spot");
        double strike = p.positive("--strike");
        double rate = p.finite("--rate");
        double carry = p.finite("--carry");
        double vol = p.positive("--vol");
        double tte = p.positive("--tte");
        OptionGreeks g = GeneralizedBlackScholes.greeks(type, spot, strike, tte, rate, carry, vol);
        double[] values = {g.price(), g.delta(), g.gamma(), g.vega(), g.theta(), g.thetaPerDay(), g.rho(), g.carryRho()};
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new UsageException("inputs are outside the model's numeric range (a result overflows)");
            }
        }
        // Haug's convention for the printed rho: the carry moves with the rate (b = r - q with q fixed, so the
        // textbook T K e^(-rT) N(d2) for a call), except on a future (b = 0), where it is -T V.
        double rho = carry == 0 ? g.rho() : g.rho() + g.carryRho();
        if (p.json) {
            out.println("{\"price\":" + num(g.price()) + ",\"delta\":" + num(g.delta()) + ",\"gamma\":" + num(g.gamma())
                    + ",\"vega\":" + num(g.vega()) + ",\"theta\":" + num(g.theta()) + ",\"theta_per_day\":"
                    + num(g.thetaPerDay()) + ",\"rho\":" + num(rho) + ",\"carry_rho\":" + num(g.carryRho()) + "}");
        } else {
            out.println(type.name().toLowerCase(Locale.ROOT) + " price=" + num(g.price()) + " delta="
                    + num(g.delta()) + " gamma=" + num(g.gamma()) + " vega=" + num(g.vega()) + " theta=" + num(g.theta())
                    + "/yr (" + num(g.thetaPerDay()) + "/day) rho=" + num(rho) + " carry_rho=" + num(g.carryRho()));
        }
        return EXIT_OK;
    }

    private static int impliedVol(Parsed p, PrintStream out) throws UsageException {
        OptionRight type = p.type();
        double spot = p.positive("--spot");
        double strike = p.positive("--strike");
        double rate = p.finite("--rate");
        double carry = p.finite("--carry");
        double tte = p.positive("--tte");
        double price = p.finite("--price");
        ImpliedVolResult result = ImpliedVolatility.solve(type, price, spot, strike, tte, rate, carry);
        if (result.failure() == ImpliedVolFailure.INVALID_INPUT || result.failure() == ImpliedVolFailure.NON_POSITIVE_TIME) {
            throw new UsageException(result.message());
        }
        if (!result.ok()) {
            if (p.json) {
                out.println("{\"error\":" + quote(result.message()) + ",\"reason\":" + quote(result.failure().name()) + "}");
            } else {
                out.println("error: " + result.message() + " [" + result.failure().name() + "]");
            }
            return EXIT_NO_SOLUTION;
        }
        out.println(p.json ? "{\"iv\":" + num(result.vol()) + "}" : "iv=" + num(result.vol()));
        return EXIT_OK;
    }

    /** A finite double as a JSON number: Java's shortest round-trip form, which JSON's grammar accepts. */
    static String num(double v) {
        return Double.toString(v);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Parsed options with typed, validating accessors. */
    private static final class Parsed {
        private final Map<String, String> values;
        private final boolean json;

        Parsed(Map<String, String> values, boolean json) {
            this.values = values;
            this.json = json;
        }

        OptionRight type() throws UsageException {
            String text = values.get("--type");
            if ("call".equalsIgnoreCase(text)) {
                return OptionRight.CALL;
            }
            if ("put".equalsIgnoreCase(text)) {
                return OptionRight.PUT;
            }
            throw new UsageException("--type must be call or put, not '" + text + "'");
        }

        double finite(String name) throws UsageException {
            String text = values.get(name);
            if (!NUMBER.matcher(text).matches()) {
                throw new UsageException(name + " must be a finite decimal number, not '" + text + "'");
            }
            double v = Double.parseDouble(text);
            if (!Double.isFinite(v)) {
                throw new UsageException(name + " is out of range: '" + text + "'");
            }
            return v;
        }

        double positive(String name) throws UsageException {
            double v = finite(name);
            if (!(v > 0.0)) {
                throw new UsageException(name + " must be positive, not " + values.get(name));
            }
            return v;
        }
    }
}
