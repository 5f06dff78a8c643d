package io.meridian.pricing;

import io.meridian.model.Decimals;
import io.meridian.model.Parsed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code meridian feed replay --csv FILE}: replays a CSV of price reports through an {@link IndexAggregator} with
 * the default settings ({@link AggregatorConfig#defaults()}, documented in docs/pricing.md) and the engine's default
 * divergence guard, and prints one line per row: {@code ts_ms=<int> index=<decimal> status=<ok|stale|held>}.
 *
 * <p><b>Input.</b> Rows {@code ts_ms,source,price[,confidence]}; fields are trimmed; blank lines are skipped; the
 * first line is a header (and skipped) when its first field is not an integer. {@code ts_ms} is both the source's
 * timestamp and the command time (milliseconds, converted to nanoseconds) and must not decrease from row to row.
 * Prices and confidences are decimals parsed exactly ({@link Decimals#toScaled}) at {@value #SCALE} decimals.
 * A source name seen for the first time is registered with the next id (0, 1, 2, ...) and equal weight.
 *
 * <p><b>Per row:</b> report, then recompute at {@code ts_ms}, then print. A report the aggregator rejects (e.g. a
 * confidence wider than 2% of the price) is not an error: it is left out and the line shows the index without it.
 * {@code index} is the last published index with trailing zeros stripped ("100.05", "64000"), or {@code 0} before
 * the first one; {@code status} is {@code stale} while fewer than the minimum of fresh sources are available, and
 * {@code held} while the divergence guard would hold the index in the engine (the last published index lies more
 * than {@link DivergenceGuard#DEFAULT_MAX_DIVERGENCE_PPM} ppm from its {@link DivergenceGuard#DEFAULT_WINDOW_NANOS}
 * average while at least one source is an outlier).
 *
 * <p><b>Exit codes:</b> 0 success; 1 a bad line (message with the line number on the error stream, output up to the
 * previous line already printed) or an unreadable file; 2 wrong arguments.
 */
public final class FeedReplay {
    /** Decimal places of the fixed price scale (units of 1e-8). */
    public static final int SCALE = 8;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final String USAGE = "usage: meridian feed replay --csv FILE";

    private FeedReplay() {
    }

    /** Runs with errors going to {@link System#err}. {@code args} are the arguments after "feed". */
    public static int run(String[] args, PrintStream out) {
        return run(args, out, System.err);
    }

    /** Runs {@code replay --csv FILE}; results to {@code out}, error messages to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args == null || args.length != 3 || !"replay".equals(args[0]) || !"--csv".equals(args[1])) {
            err.println(USAGE);
            return 2;
        }
        Path file = Path.of(args[2]);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return replay(reader, file.toString(), out, err);
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private static int replay(BufferedReader reader, String fileName, PrintStream out, PrintStream err)
            throws IOException {
        AggregatorConfig config = AggregatorConfig.defaults();
        IndexAggregator aggregator = new IndexAggregator(config, IndexEvents.NONE);
        DivergenceGuard guard = new DivergenceGuard(DivergenceGuard.DEFAULT_WINDOW_NANOS,
                DivergenceGuard.DEFAULT_MAX_DIVERGENCE_PPM);
        boolean held = false;
        Map<String, Integer> ids = new HashMap<>();
        long previousTs = Long.MIN_VALUE;
        int lineNumber = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (lineNumber == 1 && !isInteger(fields[0].trim())) {
                continue;
            }
            String problem = null;
            if (fields.length < 3 || fields.length > 4) {
                problem = "expected ts_ms,source,price[,confidence] but found " + fields.length + " fields";
            }
            long tsMs = 0;
            long price = 0;
            long confidence = IndexAggregator.NO_CONFIDENCE;
            String source = null;
            if (problem == null) {
                String tsText = fields[0].trim();
                source = fields[1].trim();
                if (!isInteger(tsText) || tsText.length() > 15) {
                    problem = "ts_ms is not a whole number of milliseconds: '" + tsText + "'";
                } else if (source.isEmpty()) {
                    problem = "source is empty";
                } else {
                    tsMs = Long.parseLong(tsText);
                    if (tsMs < previousTs) {
                        problem = "ts_ms " + tsMs + " is earlier than the previous row's " + previousTs;
                    }
                }
            }
            if (problem == null) {
                Parsed parsed = Decimals.toScaled(fields[2].trim(), SCALE);
                if (!parsed.isOk()) {
                    problem = "price '" + fields[2].trim() + "': " + parsed.reject().message();
                } else if (parsed.value() <= 0) {
                    problem = "price must be positive: '" + fields[2].trim() + "'";
                } else {
                    price = parsed.value();
                }
            }
            if (problem == null && fields.length == 4 && !fields[3].isBlank()) {
                Parsed parsed = Decimals.toScaled(fields[3].trim(), SCALE);
                if (!parsed.isOk()) {
                    problem = "confidence '" + fields[3].trim() + "': " + parsed.reject().message();
                } else if (parsed.value() < 0) {
                    problem = "confidence must not be negative: '" + fields[3].trim() + "'";
                } else {
                    confidence = parsed.value();
                }
            }
            if (problem == null && !ids.containsKey(source) && ids.size() >= config.maxSources()) {
                problem = "too many sources: at most " + config.maxSources();
            }
            if (problem != null) {
                err.println("error: " + fileName + " line " + lineNumber + ": " + problem);
                return 1;
            }
            Integer id = ids.get(source);
            if (id == null) {
                id = ids.size();
                ids.put(source, id);
                aggregator.registerSource(id, source);
            }
            long now = tsMs * NANOS_PER_MILLI;
            aggregator.report(id, price, confidence, now, now);
            boolean hadIndex = aggregator.hasIndex();
            long before = aggregator.index();
            if (aggregator.recompute(now)) {
                // The engine's rule (PriceIndex): hold while the sources disagree and the index diverged or a dissent
                // stands against its move; a held index stays where it was.
                held = guard.checkAndDecideHold(aggregator, now);
                if (held && hadIndex) {
                    aggregator.holdAt(before, now);
                }
            }
            previousTs = tsMs;
            out.println("ts_ms=" + tsMs + " index=" + format(aggregator.index())
                    + " status=" + (aggregator.isStale() ? "stale" : held ? "held" : "ok"));
        }
        return 0;
    }

    /** The scaled index as a plain decimal with trailing zeros stripped; 0 prints as "0". */
    static String format(long scaled) {
        if (scaled == 0) {
            return "0";
        }
        return BigDecimal.valueOf(scaled, SCALE).stripTrailingZeros().toPlainString();
    }

    private static boolean isInteger(String text) {
        if (text.isEmpty()) {
            return false;
        }
        int start = text.charAt(0) == '-' ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
