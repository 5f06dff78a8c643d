package io.meridian.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.auth.AgentSigner;
import io.meridian.auth.Eip712Domain;
import io.meridian.auth.Hex;
import io.meridian.client.ApiException;
import io.meridian.client.MeridianClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.LongSupplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A price feed for a node without dev routes (docs/auth.md, "Price feeds"):
 *
 * <pre>
 * meridian feed keygen
 *     prints a new feed key: {"seed":"0x...","publicKey":"0x..."}; the public key goes in the node's config
 *     (indexes[].sourceKeys or surfaceKey), the seed in a file only the feed reads
 * meridian feed publish --url URL --key-file FILE --index ID [--source N]
 *     reads reports from standard input, one per line: "SOURCE PRICE [TIMESTAMP_NS]" (or "PRICE [TIMESTAMP_NS]"
 *     with --source), signs each with the key (the file holds its 32-byte seed in hex) and posts it to
 *     POST /v1/oracle; a missing timestamp is the feed's clock now. Prints one line per report: "ok SEQUENCE" or
 *     "refused CODE MESSAGE"; exits 1 if any was refused, 2 on bad arguments or input.
 * </pre>
 *
 * The index's decimals come from {@code GET /v1/indexes}; a price with more decimals than the index has is refused
 * before anything is sent. Pipe any source into it: {@code your-exchange-ticker | meridian feed publish ...}.
 */
@Command(name = "publish", description = {"Sign and post each line of standard input, \"SOURCE PRICE"
        + " [TIMESTAMP_NS]\" (or \"PRICE [TIMESTAMP_NS]\" with --source), to POST /v1/oracle (docs/auth.md).",
        "Prints \"ok SEQUENCE\" or \"refused CODE MESSAGE\" per report; exits 1 if any was refused."})
final class FeedPublishCli extends Cli.Command {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "the node")
    String url;
    @Option(names = "--key-file", required = true, paramLabel = "FILE", description = "the feed key's 32-byte seed in"
            + " hex (meridian feed keygen)")
    Path keyFile;
    @Option(names = "--index", required = true, paramLabel = "ID", description = "the index the reports are for")
    int index;
    @Option(names = "--source", paramLabel = "N", description = "every line is this source's: PRICE [TIMESTAMP_NS]")
    Integer fixedSource;

    private final InputStream in;
    private final LongSupplier clockNanos;

    FeedPublishCli() {
        this(System.in, () -> System.currentTimeMillis() * 1_000_000L);
    }

    FeedPublishCli(InputStream in, LongSupplier clockNanos) {
        this.in = in;
        this.clockNanos = clockNanos;
    }

    /** {@code feed keygen}. */
    @Command(name = "keygen", description = "Print a new feed key, {\"seed\":\"0x...\",\"publicKey\":\"0x...\"}: the"
            + " public key goes in the node's config (indexes[].sourceKeys or surfaceKey), the seed in a file only the"
            + " feed reads.")
    static final class Keygen extends Cli.Command {
        @Override
        public Integer call() {
            return keygen(out);
        }
    }

    static int keygen(PrintStream out) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        AgentSigner key = AgentSigner.of(seed);
        out.println("{\"seed\":\"" + Hex.encode0x(seed) + "\",\"publicKey\":\"" + key.publicKey().toHex() + "\"}");
        return 0;
    }

    static int publish(String[] args, InputStream in, PrintStream out, PrintStream err, LongSupplier clockNanos) {
        return Cli.execute(new FeedPublishCli(in, clockNanos), args, out, err);
    }

    @Override
    public Integer call() {
        AgentSigner key;
        try {
            byte[] seed = Hex.decodeOrNull(Files.readString(keyFile, StandardCharsets.UTF_8).strip());
            if (seed == null || seed.length != 32) {
                err.println("error: " + keyFile + " must hold a 32-byte seed in hex (meridian feed keygen)");
                return 2;
            }
            key = AgentSigner.of(seed);
        } catch (IOException e) {
            err.println("error: cannot read " + keyFile + ": " + e.getMessage());
            return 2;
        }
        MeridianClient client = new MeridianClient(url);
        Eip712Domain domain;
        int decimals = -1;
        try {
            domain = client.domain();
            for (JsonNode node : client.indexes()) {
                if (node.path("id").asInt(-1) == index) {
                    decimals = node.path("priceDecimals").asInt();
                }
            }
        } catch (ApiException | UncheckedIOException e) {
            err.println("error: cannot read the node's domain and indexes at " + url + ": " + e.getMessage());
            return 2;
        }
        if (decimals < 0) {
            err.println("error: the node has no index " + index);
            return 2;
        }
        int refused = 0;
        int lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String[] fields = line.strip().split("\\s+");
                if (line.isBlank() || fields[0].startsWith("#")) {
                    continue;
                }
                int first = fixedSource == null ? 1 : 0;
                if (fields.length < first + 1 || fields.length > first + 2) {
                    err.println("error: line " + lineNumber + ": expected " + (fixedSource == null
                            ? "SOURCE PRICE [TIMESTAMP_NS]" : "PRICE [TIMESTAMP_NS]") + ", got '" + line + "'");
                    return 2;
                }
                int source;
                long timestamp;
                String price = fields[first];
                try {
                    source = fixedSource != null ? fixedSource : Integer.parseInt(fields[0]);
                    timestamp = fields.length > first + 1 ? Long.parseLong(fields[first + 1]) : clockNanos.getAsLong();
                    if (new BigDecimal(price).stripTrailingZeros().scale() > decimals) {
                        throw new NumberFormatException("more than " + decimals + " decimals: " + price);
                    }
                } catch (NumberFormatException e) {
                    err.println("error: line " + lineNumber + ": " + e.getMessage());
                    return 2;
                }
                try {
                    JsonNode answer = client.reportPrice(domain, key, index, decimals, source, price, timestamp);
                    out.println("ok " + answer.path("sequence").asLong());
                } catch (ApiException e) {
                    refused++;
                    out.println("refused " + e.code() + " " + e.getMessage());
                }
            }
        } catch (IOException e) {
            err.println("error: cannot read standard input: " + e.getMessage());
            return 2;
        }
        return refused == 0 ? 0 : 1;
    }
}
