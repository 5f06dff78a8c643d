package io.meridian.pricing;

import io.meridian.model.Decimals;
import io.meridian.model.Parsed;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Replays a CSV of price reports, one line at a time, through an {@link IndexAggregator} with the default settings
 * ({@link AggregatorConfig#defaults()}, documented in docs/pricing.md) and the engine's default divergence guard: the
 * logic of {@code meridian feed replay}, which reads the file and prints each {@link Row}.
 *
 * <p><b>Input.</b> Rows {@code ts_ms,source,price[,confidence]}; fields are trimmed; blank lines are skipped; the
 * first line is a header (and skipped) when its first field is not an integer. {@code ts_ms} is both the source's
 * timestamp and the command time (milliseconds, converted to nanoseconds) and must not decrease from row to row.
 * Prices and confidences are decimals parsed exactly ({@link Decimals#toScaled}) at {@value #SCALE} decimals.
 * A source name seen for the first time is registered with the next id (0, 1, 2, ...) and equal weight.
 *
 * <p><b>Per row:</b> report, then recompute at {@code ts_ms}. A report the aggregator rejects (e.g. a confidence
 * wider than 2% of the price) is not an error: it is left out and the row shows the index without it. The row's
 * {@code index} is the last published index, or 0 before the first one; its {@link Status} is {@code STALE} while
 * fewer than the minimum of fresh sources are available, and {@code HELD} while the divergence guard would hold the
 * index in the engine (the last published index lies more than {@link DivergenceGuard#DEFAULT_MAX_DIVERGENCE_PPM}
 * ppm from its {@link DivergenceGuard#DEFAULT_WINDOW_NANOS} average while at least one source is an outlier).
 *
 * <p>A line that cannot be used throws {@link BadLineException} with its line number; the rows before it stand.
 * Not thread-safe: one replay, one caller.
 */
public final class FeedReplay {
    /** Decimal places of the fixed price scale (units of 1e-8). */
    public static final int SCALE = 8;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** What a row's index is: published from enough fresh sources, stale, or held by the divergence guard. */
    public enum Status {
        OK,
        STALE,
        HELD;

        /** "ok", "stale" or "held", as {@code meridian feed replay} prints it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The index after one row: {@code index} at {@value #SCALE} decimals (0 before the first publication). */
    public record Row(long tsMs, long index, Status status) {
        /** The index as a plain decimal with trailing zeros stripped ("100.05", "64000"); 0 prints as "0". */
        public String indexText() {
            return format(index);
        }
    }

    /** A line the replay cannot use: its number (from 1) and what is wrong with it. */
    public static final class BadLineException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final String problem;

        BadLineException(int line, String problem) {
            super("line " + line + ": " + problem, null, false, false);
            this.line = line;
            this.problem = problem;
        }

        public int line() {
            return line;
        }

        public String problem() {
            return problem;
        }
    }

    private final AggregatorConfig config = AggregatorConfig.defaults();
    private final IndexAggregator aggregator = new IndexAggregator(config, IndexEvents.NONE);
    private final DivergenceGuard guard = new DivergenceGuard(DivergenceGuard.DEFAULT_WINDOW_NANOS,
            DivergenceGuard.DEFAULT_MAX_DIVERGENCE_PPM);
    private final Map<String, Integer> ids = new HashMap<>();
    private boolean held;
    private long previousTs = Long.MIN_VALUE;
    private int lineNumber;

    /**
     * Takes the next line of the file (without its line terminator).
     *
     * @return the index after the row, or null for a blank line or the header
     * @throws BadLineException when the line cannot be used; nothing of it was reported
     */
    public Row next(String line) throws BadLineException {
        lineNumber++;
        if (line.isBlank()) {
            return null;
        }
        String[] fields = line.split(",", -1);
        if (lineNumber == 1 && !isInteger(fields[0].trim())) {
            return null;
        }
        if (fields.length < 3 || fields.length > 4) {
            throw bad("expected ts_ms,source,price[,confidence] but found " + fields.length + " fields");
        }
        String tsText = fields[0].trim();
        String source = fields[1].trim();
        if (!isInteger(tsText) || tsText.length() > 15) {
            throw bad("ts_ms is not a whole number of milliseconds: '" + tsText + "'");
        }
        if (source.isEmpty()) {
            throw bad("source is empty");
        }
        long tsMs = Long.parseLong(tsText);
        if (tsMs < previousTs) {
            throw bad("ts_ms " + tsMs + " is earlier than the previous row's " + previousTs);
        }
        Parsed parsedPrice = Decimals.toScaled(fields[2].trim(), SCALE);
        if (!parsedPrice.isOk()) {
            throw bad("price '" + fields[2].trim() + "': " + parsedPrice.reject().message());
        }
        if (parsedPrice.value() <= 0) {
            throw bad("price must be positive: '" + fields[2].trim() + "'");
        }
        long price = parsedPrice.value();
        long confidence = IndexAggregator.NO_CONFIDENCE;
        if (fields.length == 4 && !fields[3].isBlank()) {
            Parsed parsed = Decimals.toScaled(fields[3].trim(), SCALE);
            if (!parsed.isOk()) {
                throw bad("confidence '" + fields[3].trim() + "': " + parsed.reject().message());
            }
            if (parsed.value() < 0) {
                throw bad("confidence must not be negative: '" + fields[3].trim() + "'");
            }
            confidence = parsed.value();
        }
        if (!ids.containsKey(source) && ids.size() >= config.maxSources()) {
            throw bad("too many sources: at most " + config.maxSources());
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
        return new Row(tsMs, aggregator.index(), aggregator.isStale() ? Status.STALE : held ? Status.HELD : Status.OK);
    }

    private BadLineException bad(String problem) {
        return new BadLineException(lineNumber, problem);
    }

    /** A scaled index as a plain decimal with trailing zeros stripped; 0 prints as "0". */
    public static String format(long scaled) {
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
