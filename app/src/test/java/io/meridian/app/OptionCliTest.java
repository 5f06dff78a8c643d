package io.meridian.app;

import io.meridian.model.OptionRight;
import io.meridian.pricing.options.GeneralizedBlackScholes;
import io.meridian.pricing.options.OptionGreeks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The {@code meridian option} contract: output shape, JSON numbers, exit codes. */
class OptionCliTest {
    /** A JSON number per RFC 8259. */
    private static final String NUMBER = "-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?";
    /** A JSON string without escapes beyond \" and \\ (all the CLI emits for its messages). */
    private static final String STRING = "\"(?:[^\"\\\\]|\\\\[\"\\\\])*\"";
    private static final Pattern MEMBER = Pattern.compile("\\s*\"([a-z_]+)\"\\s*:\\s*(" + NUMBER + "|" + STRING + ")\\s*");

    private static final String[] PRICE = {"price", "--type", "call", "--spot", "60", "--strike", "65", "--rate", "0.08",
        "--carry", "0.08", "--vol", "0.3", "--tte", "0.25", "--json"};

    /** What one run printed and returned. */
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = OptionCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A tiny parser for one flat JSON object of numbers and strings on one line: returns member name to raw text
     * (numbers as written, strings with their quotes). Fails the test on anything else.
     */
    static Map<String, String> parseObject(String output) {
        assertTrue(output.endsWith(System.lineSeparator()), "one line ending in a newline: " + output);
        String line = output.substring(0, output.length() - System.lineSeparator().length());
        assertTrue(!line.contains("\n") && !line.contains("\r"), "exactly one line: " + output);
        String body = line.trim();
        assertTrue(body.startsWith("{") && body.endsWith("}"), "an object: " + line);
        body = body.substring(1, body.length() - 1);
        Map<String, String> members = new LinkedHashMap<>();
        Matcher m = MEMBER.matcher(body);
        int at = 0;
        while (at < body.length()) {
            assertTrue(m.find(at) && m.start() == at, "member at " + at + " of " + body);
            assertEquals(null, members.put(m.group(1), m.group(2)), "duplicate member " + m.group(1));
            at = m.end();
            if (at < body.length()) {
                assertEquals(',', body.charAt(at), body);
                at++;
            }
        }
        return members;
    }

    private static double number(Map<String, String> json, String name) {
        String text = json.get(name);
        assertTrue(text != null && text.matches(NUMBER), name + " must be a JSON number: " + text);
        double v = Double.parseDouble(text);
        assertTrue(Double.isFinite(v), name);
        return v;
    }

    @Test
    void priceJsonCarriesPriceAndGreeksAsNumbers() {
        Run r = run(PRICE);
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        Map<String, String> json = parseObject(r.out());
        OptionGreeks g = GeneralizedBlackScholes.greeks(OptionRight.CALL, 60, 65, 0.25, 0.08, 0.08, 0.3);
        assertEquals(2.1334, number(json, "price"), 1e-4);
        // Printed in round-trip form: the exact doubles of the model.
        assertEquals(g.price(), number(json, "price"), 0.0);
        assertEquals(g.delta(), number(json, "delta"), 0.0);
        assertEquals(g.gamma(), number(json, "gamma"), 0.0);
        assertEquals(g.vega(), number(json, "vega"), 0.0);
        assertEquals(g.theta(), number(json, "theta"), 0.0);
        assertEquals(g.thetaPerDay(), number(json, "theta_per_day"), 0.0);
        assertEquals(g.rho() + g.carryRho(), number(json, "rho"), 0.0);
        assertEquals(g.carryRho(), number(json, "carry_rho"), 0.0);
        // Haug's rho for b = r: T K e^(-rT) N(d2), against a central difference moving rate and carry together.
        double h = 1e-6;
        double up = GeneralizedBlackScholes.greeks(OptionRight.CALL, 60, 65, 0.25, 0.08 + h, 0.08 + h, 0.3).price();
        double down = GeneralizedBlackScholes.greeks(OptionRight.CALL, 60, 65, 0.25, 0.08 - h, 0.08 - h, 0.3).price();
        assertEquals((up - down) / (2 * h), number(json, "rho"), 1e-5);
    }

    @Test
    void onAFutureRhoIsMinusTimesValue() {
        Run r = run("price", "--type", "put", "--spot", "19", "--strike", "19", "--rate", "0.1", "--carry", "0",
                "--vol", "0.28", "--tte", "0.75", "--json");
        Map<String, String> json = parseObject(r.out());
        assertEquals(-0.75 * number(json, "price"), number(json, "rho"), 1e-12);
    }

    @Test
    void putWithOptionsInAnyOrderAndTinyNumbers() {
        Run r = run("price", "--json", "--tte", "0.002", "--vol", "0.05", "--carry", "0", "--rate", "0", "--strike", "150",
                "--spot", "100", "--type", "PUT");
        assertEquals(0, r.exit(), r.err());
        Map<String, String> json = parseObject(r.out());
        assertEquals(50.0, number(json, "price"), 1e-12);
        // gamma and vega underflow to 0 far in the money: still printed as JSON numbers.
        assertEquals(0.0, number(json, "gamma"), 1e-300);
        assertTrue(number(json, "delta") < -0.99);
    }

    @Test
    void priceWithoutJsonIsOneReadableLine() {
        String[] args = Arrays.copyOf(PRICE, PRICE.length - 1);
        Run r = run(args);
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("call price=2.13336844"), r.out());
        assertTrue(r.out().contains(" delta=") && r.out().contains(" rho="), r.out());
        assertEquals(1, r.out().split(System.lineSeparator()).length);
    }

    @Test
    void ivJsonRoundTripsThePrice() {
        double price = GeneralizedBlackScholes.price(OptionRight.PUT, 100, 95, 0.5, 0.10, 0.05, 0.2);
        Run r = run("iv", "--type", "put", "--spot", "100", "--strike", "95", "--rate", "0.10", "--carry", "0.05",
                "--tte", "0.5", "--price", Double.toString(price), "--json");
        assertEquals(0, r.exit(), r.err());
        Map<String, String> json = parseObject(r.out());
        assertEquals(1, json.size(), r.out());
        assertEquals(0.2, number(json, "iv"), 1e-12);
        Run plain = run("iv", "--type", "put", "--spot", "100", "--strike", "95", "--rate", "0.10", "--carry", "0.05",
                "--tte", "0.5", "--price", "2.4648");
        assertEquals(0, plain.exit());
        assertTrue(plain.out().startsWith("iv=0.2000"), plain.out());
    }

    @Test
    void ivWithNoSolutionPrintsAJsonErrorAndExitsOne() {
        // Deep in the money: the lower bound is 100 - 50 = 50 (r = b = 0).
        Run below = run("iv", "--type", "call", "--spot", "100", "--strike", "50", "--rate", "0", "--carry", "0",
                "--tte", "1", "--price", "49.5", "--json");
        assertEquals(1, below.exit());
        assertEquals("", below.err());
        Map<String, String> json = parseObject(below.out());
        assertTrue(json.get("error").contains("lower bound"), below.out());
        assertEquals("\"BELOW_LOWER_BOUND\"", json.get("reason"));
        Run above = run("iv", "--type", "call", "--spot", "100", "--strike", "50", "--rate", "0", "--carry", "0",
                "--tte", "1", "--price", "100", "--json");
        assertEquals(1, above.exit());
        assertEquals("\"ABOVE_UPPER_BOUND\"", parseObject(above.out()).get("reason"));
        Run negative = run("iv", "--type", "put", "--spot", "100", "--strike", "50", "--rate", "0", "--carry", "0",
                "--tte", "1", "--price", "-1", "--json");
        assertEquals(1, negative.exit());
        Run plain = run("iv", "--type", "call", "--spot", "100", "--strike", "50", "--rate", "0", "--carry", "0",
                "--tte", "1", "--price", "49.5");
        assertEquals(1, plain.exit());
        assertTrue(plain.out().startsWith("error: price 49.5 is at or below"), plain.out());
    }

    @Test
    void badArgumentsPrintUsageAndExitTwo() {
        String[][] bad = {
            {},
            {"straddle"},
            {"price", "--type", "call", "--spot", "60", "--strike", "65", "--rate", "0.08", "--carry", "0.08", "--vol", "0.3"},
            withValue("--vol", "NaN"),
            withValue("--vol", "-0.3"),
            withValue("--vol", "0"),
            withValue("--tte", "0"),
            withValue("--tte", "-1"),
            withValue("--spot", "Infinity"),
            withValue("--spot", "1e400"),
            withValue("--strike", "0x41"),
            withValue("--rate", "5%"),
            withValue("--carry", ""),
            withValue("--type", "straddle"),
            {"price", "--type", "call", "--type", "put", "--spot", "60", "--strike", "65", "--rate", "0.08", "--carry", "0.08",
                "--vol", "0.3", "--tte", "0.25"},
            {"price", "--type", "call", "--spot", "60", "--strike", "65", "--rate", "0.08", "--carry", "0.08", "--vol", "0.3",
                "--tte"},
            {"price", "--type", "call", "--spot", "60", "--strike", "65", "--rate", "0.08", "--carry", "0.08", "--vol", "0.3",
                "--tte", "0.25", "--price", "3"},
            {"iv", "--type", "call", "--spot", "60", "--strike", "65", "--rate", "0.08", "--carry", "0.08", "--vol", "0.3",
                "--tte", "0.25", "--price", "3"},
            {"iv", "--type", "call", "--spot", "60", "--strike", "65", "--rate", "0.08", "--carry", "0.08", "--tte", "0",
                "--price", "3"},
            {"price", "--type", "call", "--spot", "1e300", "--strike", "65", "--rate", "-400", "--carry", "0.08", "--vol", "0.3",
                "--tte", "2"},
        };
        for (String[] args : bad) {
            Run r = run(args);
            String what = String.join(" ", args) + " -> " + r.err();
            assertEquals(2, r.exit(), what);
            assertEquals("", r.out(), what);
            assertTrue(r.err().startsWith("meridian option") && r.err().contains("usage: meridian option"), what);
        }
        assertTrue(run(withValue("--vol", "-0.3")).err().contains("--vol must be positive"));
        assertTrue(run(withValue("--vol", "NaN")).err().contains("--vol must be a finite decimal number"));
        assertTrue(run(withValue("--tte", "0")).err().contains("--tte must be positive"));
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: meridian option [-h] [COMMAND]"), r.out());
        r = run("price", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: meridian option price [-h] --type=call|put --spot=S --strike=K"), r.out());
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\u000a\"", OptionCli.quote("a\"b\\c\n"));
    }

    private static String[] withValue(String option, String value) {
        String[] args = PRICE.clone();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(option)) {
                args[i + 1] = value;
            }
        }
        return args;
    }
}
