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
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian governance show|propose|approve|cancel}: the venue's risk governance from a running node
 * (docs/operations.md, "Risk governance"). {@code show} prints the governance, its open proposals and every
 * instrument's risk parameters in force with the next change; {@code propose} signs a {@code RiskBoundsProposal} with
 * an admin's key ({@code --floor}, {@code --ceiling}, {@code --max-change-per-hour}, {@code --hysteresis} as multiples,
 * e.g. 1.5, and {@code --notice-millis}); {@code approve} and {@code cancel} sign a {@code ProposalVote} for
 * {@code --id}. The key is the admin's own secp256k1 key, as hex, given by {@code --key-file FILE} (preferred: a key on
 * the command line is seen by other users of the machine and kept in shell history) or {@code --key HEX}.
 */
@Command(name = "governance", description = "Risk governance on a running node: the admins, open proposals and risk"
        + " parameters in force; an admin's signed proposal of risk bounds, approval or veto (docs/operations.md, \"Risk"
        + " governance\").", subcommands = {GovernanceCli.Show.class, GovernanceCli.Propose.class,
        GovernanceCli.Approve.class, GovernanceCli.Cancel.class})
final class GovernanceCli extends Cli.Group {
    /** The longest key file read: a hex key and a line end, with room for spaces. */
    private static final long MAX_KEY_FILE_BYTES = 1024;

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "governance"), out, err);
    }

    /** {@code governance show}. */
    @Command(name = "show", description = "The governance, its open proposals and every instrument's risk parameters in"
            + " force with the next change.")
    static final class Show extends Cli.Command {
        @Option(names = "--url", required = true, paramLabel = "URL", description = "the node")
        String url;
        @Option(names = "--instrument", paramLabel = "N", description = "only this instrument's parameters")
        Integer instrument;
        @Option(names = "--json", description = "print the node's answers as one JSON object")
        boolean json;

        @Override
        public Integer call() {
            return answer(err, () -> show(new MeridianClient(url), instrument, json, out));
        }
    }

    /** What the signed subcommands share: the node and the admin's key. */
    abstract static class Signed extends Cli.Command {
        @Option(names = "--url", required = true, paramLabel = "URL", description = "the node")
        String url;
        @Option(names = "--key", paramLabel = "HEX", description = "the admin's secp256k1 key (or --key-file: a key on the"
                + " command line is seen by other users of the machine and kept in shell history)")
        String keyHex;
        @Option(names = "--key-file", paramLabel = "FILE", description = "a file whose first line is the admin's key in"
                + " hex")
        Path keyFile;

        /** Signs and sends with the admin's key; prints the node's answer. */
        int send(java.util.function.Function<MeridianClient, JsonNode> request) {
            Secp256k1PrivateKey key;
            try {
                key = key(keyHex, keyFile);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            return answer(err, () -> {
                MeridianClient client = new MeridianClient(url);
                out.println(request.apply(client.signedBy(Signer.owner(key, client.domain()))).toString());
                return 0;
            });
        }
    }

    /** {@code governance propose}. */
    @Command(name = "propose", description = "Sign and send a RiskBoundsProposal: bounds of an instrument's risk"
            + " multiplier, as multiples with at most 6 decimals (e.g. 1.5).")
    static final class Propose extends Signed {
        @Option(names = "--instrument", required = true, paramLabel = "N", description = "the instrument")
        int instrument;
        @Option(names = "--floor", required = true, paramLabel = "X", description = "the lowest multiplier")
        String floor;
        @Option(names = "--ceiling", required = true, paramLabel = "X", description = "the highest multiplier")
        String ceiling;
        @Option(names = "--max-change-per-hour", required = true, paramLabel = "X", description = "the most the"
                + " multiplier may move in an hour")
        String maxChangePerHour;
        @Option(names = "--hysteresis", required = true, paramLabel = "X", description = "the least change worth making")
        String hysteresis;
        @Option(names = "--notice-millis", required = true, paramLabel = "MS", description = "the notice before a change"
                + " takes effect")
        long noticeMillis;

        @Override
        public Integer call() {
            RiskBounds bounds;
            try {
                bounds = bounds(floor, ceiling, maxChangePerHour, hysteresis, noticeMillis);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            return send(admin -> admin.proposeRiskBounds(instrument, bounds));
        }
    }

    /** {@code governance approve}. */
    @Command(name = "approve", description = "Sign and send a ProposalVote approving proposal --id.")
    static final class Approve extends Signed {
        @Option(names = "--id", required = true, paramLabel = "PROPOSAL", description = "the proposal (the sequence of its"
                + " proposal)")
        long id;

        @Override
        public Integer call() {
            if (id <= 0) {
                throw usage("--id: a proposal id (the sequence of its proposal), was " + id);
            }
            return send(admin -> admin.approveProposal(id));
        }
    }

    /** {@code governance cancel}. */
    @Command(name = "cancel", description = "Sign and send a ProposalVote cancelling (vetoing) proposal --id.")
    static final class Cancel extends Signed {
        @Option(names = "--id", required = true, paramLabel = "PROPOSAL", description = "the proposal (the sequence of its"
                + " proposal)")
        long id;

        @Override
        public Integer call() {
            if (id <= 0) {
                throw usage("--id: a proposal id (the sequence of its proposal), was " + id);
            }
            return send(admin -> admin.cancelProposal(id));
        }
    }

    /** Runs a request to the node; its refusal or an I/O failure is printed and exits 1. */
    private static int answer(PrintStream err, java.util.function.IntSupplier request) {
        try {
            return request.getAsInt();
        } catch (ApiException e) {
            err.println("error: the node refused: " + e.code() + " " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** {@code show}: the governance and the parameters, as a table or the node's JSON. */
    private static int show(MeridianClient client, Integer instrument, boolean json, PrintStream out) {
        JsonNode governance = client.governance();
        JsonNode parameters = instrument == null ? client.riskParameters() : client.riskParameters(instrument);
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
    static RiskBounds bounds(String floor, String ceiling, String maxChangePerHour, String hysteresis,
                             long noticeMillis) {
        RiskBounds bounds = new RiskBounds(ppm(floor, "--floor"), ppm(ceiling, "--ceiling"),
                ppm(maxChangePerHour, "--max-change-per-hour"), ppm(hysteresis, "--hysteresis"), noticeMillis);
        String problem = bounds.problem();
        if (problem != null) {
            throw new IllegalArgumentException("bounds: " + problem);
        }
        return bounds;
    }

    private static long ppm(String text, String flag) {
        try {
            return new BigDecimal(text).movePointRight(6).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": a multiple with at most 6 decimals, e.g. 1.5, was " + text);
        }
    }

    /** The admin's key: {@code --key HEX} or the first line of {@code --key-file FILE}, 32 bytes of hex. */
    static Secp256k1PrivateKey key(String hex, Path file) {
        if ((hex == null) == (file == null)) {
            throw new IllegalArgumentException("one of --key or --key-file is required");
        }
        if (file != null) {
            try {
                if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                    throw new IllegalArgumentException("--key-file: " + file + " is not a key file (too long)");
                }
                hex = Files.readString(file, StandardCharsets.UTF_8).strip();
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

    /** A field as printed, "-" when absent or null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
