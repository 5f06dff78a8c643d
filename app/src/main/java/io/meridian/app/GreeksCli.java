package io.meridian.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Address;
import io.meridian.auth.Outcome;
import io.meridian.client.ApiException;
import io.meridian.client.MeridianClient;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian greeks --url URL (--account N | --address 0x...) [--read-token T] [--json]}: an account's option
 * greeks from a running node ({@code GET /v1/greeks}): per position delta, gamma, vega and theta, the sums per index,
 * and the option margin in both regimes. {@code --json} prints the node's answer as it is, for scripts; otherwise a
 * table.
 */
@Command(name = "greeks", description = "An account's option greeks (per position and net per index) and option"
        + " margin, from a running node (GET /v1/greeks).")
final class GreeksCli extends Cli.Command {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "the node, e.g. http://127.0.0.1:8080")
    String url;
    @Option(names = "--account", paramLabel = "N", description = "the account id (or --address)")
    Long account;
    @Option(names = "--address", paramLabel = "0x...", description = "the account's Ethereum address (or --account)")
    String address;
    /** A node in auth mode signed answers an account's data only to its owner's read token (docs/api.md). */
    @Option(names = "--read-token", paramLabel = "TOKEN", description = "the owner's read token (a node in auth mode"
            + " signed)")
    String readToken;
    @Option(names = "--json", description = "print the node's answer as it is, for scripts")
    boolean json;

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "greeks"), out, err);
    }

    @Override
    public Integer call() {
        if ((account == null) == (address == null)) {
            throw usage("one of --account or --address is required");
        }
        JsonNode greeks;
        try {
            MeridianClient client = readToken == null ? new MeridianClient(url)
                    : new MeridianClient(url).withReadToken(readToken);
            if (address != null) {
                Outcome<Address> parsed = Address.parse(address);
                if (!parsed.isOk()) {
                    throw usage("--address: " + parsed.verdict().message());
                }
                greeks = client.greeksOf(parsed.value());
            } else {
                greeks = client.greeks(account);
            }
        } catch (ApiException e) {
            err.println("error: the node refused: " + e.code() + " " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        if (json) {
            out.println(greeks.toString());
            return 0;
        }
        out.printf(Locale.ROOT, "account %s at sequence %d%n", greeks.path("account").asText(),
                greeks.path("sequence").asLong());
        out.printf(Locale.ROOT, "%-26s %12s %8s %12s %14s %12s %12s%n", "position", "size", "vol", "delta", "gamma",
                "vega", "theta/day");
        for (JsonNode p : greeks.path("positions")) {
            out.printf(Locale.ROOT, "%-26s %12s %8s %12s %14s %12s %12s%n", p.path("symbol").asText(),
                    p.path("size").asText(), text(p, "markVolatility"), text(p, "delta"), text(p, "gamma"),
                    text(p, "vega"), text(p, "thetaPerDay"));
        }
        for (JsonNode n : greeks.path("net")) {
            out.printf(Locale.ROOT, "%-26s %12s %8s %12s %14s %12s %12s%n", "net, index " + n.path("index").asInt(), "",
                    "", text(n, "delta"), text(n, "gamma"), text(n, "vega"), text(n, "thetaPerDay"));
        }
        for (JsonNode m : greeks.path("margin")) {
            out.printf(Locale.ROOT, "margin, index %d (%s, %s mode): initial %s, maintenance %s; standard %s / %s,"
                            + " portfolio %s / %s%n", m.path("index").asInt(), m.path("settle").asText(),
                    m.path("mode").asText(), text(m, "initialMargin"), text(m, "maintenanceMargin"),
                    text(m, "standardInitialMargin"), text(m, "standardMaintenanceMargin"),
                    text(m, "portfolioInitialMargin"), text(m, "portfolioMaintenanceMargin"));
        }
        return 0;
    }

    /** A field as printed, "-" when absent or null (a series not priced yet has no greeks). */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
