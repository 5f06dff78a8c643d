package io.meridian.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.Hex;
import io.meridian.auth.Secp256k1PrivateKey;
import io.meridian.client.ApiException;
import io.meridian.client.MeridianClient;
import io.meridian.client.Signer;
import io.meridian.model.RiskBounds;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code meridian governance show|propose|approve|cancel}: the venue's risk governance from a running node
 * (docs/operations.md, "Risk governance"). {@code show} prints the governance, its open proposals and every
 * instrument's risk parameters in force with the next change; {@code propose} signs a {@code RiskBoundsProposal} with
 * an admin's key ({@code --floor}, {@code --ceiling}, {@code --max-change-per-hour}, {@code --hysteresis} as multiples,
 * e.g. 1.5, and {@code --notice-millis}); {@code approve} and {@code cancel} sign a {@code ProposalVote} for
 * {@code --id}. The key is the admin's own secp256k1 key, as hex, given by {@code --key-file FILE} (preferred: a key on
 * the command line is seen by other users of the machine and kept in shell history) or {@code --key HEX}.
 */
final class GovernanceCli {
    static final String USAGE = String.join("\n",
            "usage: meridian governance show --url URL [--instrument N] [--json]",
            "       meridian governance propose --url URL (--key HEX | --key-file FILE) --instrument N --floor X"
                    + " --ceiling X --max-change-per-hour X --hysteresis X --notice-millis MS",
            "       meridian governance approve|cancel --url URL (--key HEX | --key-file FILE) --id PROPOSAL");

    private static final Set<String> FLAGS = Set.of("--url", "--key", "--key-file", "--instrument", "--floor",
            "--ceiling", "--max-change-per-hour", "--hysteresis", "--notice-millis", "--id");
    /** The longest key file read: a hex key and a line end, with room for spaces. */
    private static final long MAX_KEY_FILE_BYTES = 1024;

    private GovernanceCli() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !List.of("show", "propose", "approve", "cancel").contains(args[0])) {
            err.println(args.length == 0 ? "error: a subcommand is required" : "error: unknown subcommand " + args[0]);
            err.println(USAGE);
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--json")) {
                json = true;
            } else if (FLAGS.contains(args[i]) && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                err.println("error: " + (FLAGS.contains(args[i]) ? "missing value for " : "unknown option ") + args[i]);
                err.println(USAGE);
                return 2;
            }
        }
        try {
            String url = required(options, "--url");
            MeridianClient client = new MeridianClient(url);
            if (args[0].equals("show")) {
                return show(client, options.get("--instrument"), json, out);
            }
            MeridianClient admin = client.signedBy(Signer.owner(key(options), client.domain()));
            JsonNode answer = switch (args[0]) {
                case "propose" -> admin.proposeRiskBounds(integer(required(options, "--instrument"), "--instrument"),
                        bounds(options));
                case "approve" -> admin.approveProposal(id(options));
                default -> admin.cancelProposal(id(options));
            };
            out.println(answer.toString());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (ApiException e) {
            err.println("error: the node refused: " + e.code() + " " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** {@code show}: the governance and the parameters, as a table or the node's JSON. */
    private static int show(MeridianClient client, String instrument, boolean json, PrintStream out) {
        JsonNode governance = client.governance();
        JsonNode parameters = instrument == null ? client.riskParameters()
                : client.riskParameters(integer(instrument, "--instrument"));
        if (json) {
            out.println("{\"governance\":" + governance + ",\"riskParameters\":" + parameters + "}");
            return 0;
        }
        if (!governance.path("set").asBoolean()) {
            out.println("governance: none (no admin can set risk bounds)");
        } else {
            out.printf(Locale.ROOT, "governance: %d of %d admins, timelock %d ms%n", governance.path("threshold").asInt(),
                    governance.path("admins").size(), governance.path("timelockMillis").asLong());
            for (JsonNode admin : governance.path("admins")) {
                out.println("  admin " + admin.asText());
            }
        }
        for (JsonNode p : governance.path("proposals")) {
            out.printf(Locale.ROOT, "proposal %d: instrument %d, %s, %d approval(s), eta %s, bounds %s%n",
                    p.path("id").asLong(), p.path("instrument").asInt(), p.path("state").asText(),
                    p.path("approvals").size(), text(p, "eta"), p.path("bounds"));
        }
        for (JsonNode r : parameters) {
            JsonNode next = r.path("next");
            out.printf(Locale.ROOT, "%s (%d): multiplier %s, volatility %s, position limit %s, band %s, bounds %s,"
                            + " next %s%n", r.path("symbol").asText(), r.path("instrument").asInt(),
                    r.path("multiplier").asText(), text(r, "realisedVolatility"), text(r, "positionLimit"),
                    text(r, "priceBand"), r.path("bounds").isNull() ? "none" : r.path("bounds").toString(),
                    next.isNull() ? "none" : next.path("multiplier").asText() + " at " + next.path("at").asLong());
            for (JsonNode tier : r.path("tiers")) {
                out.printf(Locale.ROOT, "  from %s: initial %s, maintenance %s, max leverage %d%n",
                        tier.path("notionalFloor").asText(), tier.path("initialMarginRate").asText(),
                        tier.path("maintenanceMarginRate").asText(), tier.path("maxLeverage").asInt());
            }
        }
        return 0;
    }

    /** The proposal's bounds: multiples as decimals of at most 6 places (ppm), the notice in milliseconds. */
    static RiskBounds bounds(Map<String, String> options) {
        RiskBounds bounds = new RiskBounds(ppm(options, "--floor"), ppm(options, "--ceiling"),
                ppm(options, "--max-change-per-hour"), ppm(options, "--hysteresis"),
                number(required(options, "--notice-millis"), "--notice-millis"));
        String problem = bounds.problem();
        if (problem != null) {
            throw new IllegalArgumentException("bounds: " + problem);
        }
        return bounds;
    }

    private static long ppm(Map<String, String> options, String flag) {
        String text = required(options, flag);
        try {
            return new BigDecimal(text).movePointRight(6).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": a multiple with at most 6 decimals, e.g. 1.5, was " + text);
        }
    }

    /** The admin's key: {@code --key HEX} or the first line of {@code --key-file FILE}, 32 bytes of hex. */
    static Secp256k1PrivateKey key(Map<String, String> options) {
        String hex = options.get("--key");
        String file = options.get("--key-file");
        if ((hex == null) == (file == null)) {
            throw new IllegalArgumentException("one of --key or --key-file is required");
        }
        if (file != null) {
            try {
                Path path = Path.of(file);
                if (Files.size(path) > MAX_KEY_FILE_BYTES) {
                    throw new IllegalArgumentException("--key-file: " + file + " is not a key file (too long)");
                }
                hex = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("--key-file: cannot read " + file + ": " + e.getMessage());
            }
        }
        String digits = hex.startsWith("0x") ? hex.substring(2) : hex;
        if (!digits.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("the key must be 32 bytes of hex (64 digits, optionally 0x-prefixed)");
        }
        try {
            return Secp256k1PrivateKey.of(Hex.decode("0x" + digits));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a secp256k1 private key: " + e.getMessage());
        }
    }

    private static long id(Map<String, String> options) {
        long id = number(required(options, "--id"), "--id");
        if (id <= 0) {
            throw new IllegalArgumentException("--id: a proposal id (the sequence of its proposal), was " + id);
        }
        return id;
    }

    private static String required(Map<String, String> options, String flag) {
        String value = options.get(flag);
        if (value == null) {
            throw new IllegalArgumentException(flag + " is required");
        }
        return value;
    }

    private static long number(String text, String flag) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": a whole number, was " + text);
        }
    }

    private static int integer(String text, String flag) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": a whole number, was " + text);
        }
    }

    /** A field as printed, "-" when absent or null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
