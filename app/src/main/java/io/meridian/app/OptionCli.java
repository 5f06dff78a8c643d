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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code meridian option} command: {@link #run} takes the arguments after the word {@code option}.
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
 *       decimal, spot, strike, vol or tte not positive, results that overflow): a message and the usage on
 *       stderr, exit 2. {@code help} prints the usage on stdout, exit 0.</li>
 * </ul>
 * Every option takes one value except {@code --json}; options may come in any order.
 */
final class OptionCli {
    /** Success. */
    static final int EXIT_OK = 0;
    /** The inputs are valid but have no solution (implied volatility only). */
    static final int EXIT_NO_SOLUTION = 1;
    /** Bad or missing arguments. */
    static final int EXIT_USAGE = 2;

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: meridian option price --type call|put --spot S --strike K --rate R --carry B --vol V --tte T [--json]",
            "       meridian option iv    --type call|put --spot S --strike K --rate R --carry B --tte T --price P [--json]",
            "  rates and carry are continuously compounded per year (carry b = r - q; 0 for options on futures),",
            "  vol per year (0.5 = 50%), tte in years; --json prints one JSON object");

    /** A plain decimal number: no NaN, Infinity, hex or type suffix. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> PRICE_OPTIONS = Set.of("--type", "--spot", "--strike", "--rate", "--carry", "--vol",
            "--tte");
    private static final Set<String> IV_OPTIONS = Set.of("--type", "--spot", "--strike", "--rate", "--carry", "--tte",
            "--price");

    private OptionCli() {
    }

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
     * @param args the arguments after {@code option}: {@code args[0]} is {@code price} or {@code iv}
     * @param out  where results (and no-solution errors) go
     * @param err  where usage errors go
     * @return {@link #EXIT_OK}, {@link #EXIT_NO_SOLUTION} or {@link #EXIT_USAGE}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args == null || args.length == 0) {
            return usage(err, "missing subcommand: price or iv");
        }
        String command = args[0];
        if ("help".equals(command) || "--help".equals(command) || "-h".equals(command)) {
            out.println(USAGE);
            return EXIT_OK;
        }
        try {
            switch (command) {
                case "price":
                    return price(parse(args, PRICE_OPTIONS), out);
                case "iv":
                    return impliedVol(parse(args, IV_OPTIONS), out);
                default:
                    return usage(err, "unknown subcommand '" + command + "': expected price or iv");
            }
        } catch (UsageException e) {
            return usage(err, e.getMessage());
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

    private static int usage(PrintStream err, String message) {
        err.println("error: " + message);
        err.println(USAGE);
        return EXIT_USAGE;
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

    private static Parsed parse(String[] args, Set<String> allowed) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if ("--json".equals(arg)) {
                if (json) {
                    throw new UsageException("--json given twice");
                }
                json = true;
                continue;
            }
            if (!allowed.contains(arg)) {
                throw new UsageException("unknown option '" + arg + "' for " + args[0]);
            }
            if (i + 1 >= args.length) {
                throw new UsageException(arg + " needs a value");
            }
            if (values.put(arg, args[++i]) != null) {
                throw new UsageException(arg + " given twice");
            }
        }
        for (String name : allowed) {
            if (!values.containsKey(name)) {
                throw new UsageException("missing " + name);
            }
        }
        return new Parsed(values, json);
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
