package io.meridian.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Real candles as a {@link MarketScript}: the index follows the candles' prices, as a multiple of the first open, along
 * a deterministic path through each candle.
 *
 * <p><b>The path through a candle</b> of interval {@code I} opening at {@code t}: open at {@code t}, the first extreme
 * at {@code t + I/4}, the second at {@code t + I/2}, the close at {@code t + 3I/4}, linear in between, and on to the
 * next candle's open at its own time (a gap between candles is crossed in a straight line). A candle that closed at or
 * above its open went down first: open, low, high, close; one that closed below went up first: open, high, low, close.
 * That is the usual convention of back-testers (the extreme against the candle's direction first), and the one that
 * visits both extremes with the larger total move, so the lab errs towards the harsher path.
 *
 * <p><b>Oracles</b>: the venue's three sources see the path {@link #SOURCE_LATENCY_SECONDS} behind (0, 2 and 5 s: a
 * fast exchange feed, a slower one and an on-chain oracle) with noise of {@link #SOURCE_SPREAD_BPS} basis points each,
 * so the index (their median) lags and disagrees with the path as a real one does.
 *
 * <p><b>Time</b>: a step of the run is {@code speed} seconds of the candles' time, and the venue's clock moves by as
 * much, so funding falls on the market's hours. The agents act once per step.
 *
 * <p>Immutable.
 */
public final class CandleReplay implements MarketScript {
    /** Source latencies behind the path, in seconds. */
    static final double[] SOURCE_LATENCY_SECONDS = {0, 2, 5};
    static final double SOURCE_SPREAD_BPS = 2.0;
    /** The crash files packaged with the lab (resources {@code crashes/btcusdt-<name>-<interval>.csv}). */
    public static final List<String> BUILTIN = List.of("btcusdt-2020-03-12-1m", "btcusdt-2021-05-19-1m",
            "btcusdt-2022-11-08-5m", "btcusdt-2025-10-10-1m");
    static final long DEFAULT_BACKSTOP_USDC = 2_000_000;
    static final long DEFAULT_INSURANCE_USDC = 250_000;

    private final String id;
    private final List<CandleCsv.Candle> candles;
    private final long speedSeconds;
    private final long intervalSeconds;
    private final int seconds;
    /** Path points: script seconds and multiples of the first open; {@link #peaks} the running highest multiple. */
    private final double[] times;
    private final double[] multiples;
    private final double[] peaks;

    /**
     * @param id           the name reports use (the file's name)
     * @param speedSeconds candle-time seconds per step of the run, 1..3600
     */
    public CandleReplay(String id, List<CandleCsv.Candle> candles, long speedSeconds) {
        if (candles.size() < 2) {
            throw new IllegalArgumentException("a replay needs at least 2 candles");
        }
        if (speedSeconds < 1 || speedSeconds > 3_600) {
            throw new IllegalArgumentException("speed must be 1..3600 seconds per step");
        }
        this.id = id;
        this.candles = List.copyOf(candles);
        this.speedSeconds = speedSeconds;
        long interval = Long.MAX_VALUE;
        for (int i = 1; i < candles.size(); i++) {
            interval = Math.min(interval, candles.get(i).tsMs() - candles.get(i - 1).tsMs());
        }
        this.intervalSeconds = Math.max(1, interval / 1000);
        long first = candles.get(0).tsMs();
        long span = (candles.get(candles.size() - 1).tsMs() - first) / 1000 + intervalSeconds;
        if (span > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("the candles span " + span + " s; at most " + Integer.MAX_VALUE / 2);
        }
        this.seconds = (int) span;
        double base = candles.get(0).open();
        int n = candles.size() * 4 + 1;
        times = new double[n];
        multiples = new double[n];
        int at = 0;
        for (CandleCsv.Candle c : candles) {
            double t = (c.tsMs() - first) / 1000.0;
            double i = intervalSeconds;
            boolean upCandle = c.close() >= c.open();
            double firstExtreme = upCandle ? c.low() : c.high();
            double secondExtreme = upCandle ? c.high() : c.low();
            times[at] = t;
            multiples[at++] = c.open() / base;
            times[at] = t + i / 4;
            multiples[at++] = firstExtreme / base;
            times[at] = t + i / 2;
            multiples[at++] = secondExtreme / base;
            times[at] = t + 3 * i / 4;
            multiples[at++] = c.close() / base;
        }
        times[at] = seconds;
        multiples[at] = candles.get(candles.size() - 1).close() / base;
        peaks = new double[n];
        double peak = 0;
        for (int k = 0; k < n; k++) {
            peak = Math.max(peak, multiples[k]);
            peaks[k] = peak;
        }
    }

    /** Reads a candle file ({@link CandleCsv}) as a replay. */
    public static CandleReplay read(String name, InputStream in, long speedSeconds)
            throws IOException, CandleCsv.CandleException {
        return new CandleReplay(name, CandleCsv.read(name, in), speedSeconds);
    }

    /** A packaged crash file by name ({@link #BUILTIN}), or null when there is none of that name. */
    public static CandleReplay builtin(String name, long speedSeconds) throws IOException, CandleCsv.CandleException {
        if (!BUILTIN.contains(name)) {
            return null;
        }
        try (InputStream in = CandleReplay.class.getResourceAsStream("crashes/" + name + ".csv")) {
            if (in == null) {
                throw new IOException("the packaged crash file " + name + " is missing from the build");
            }
            return read(name + ".csv", in, speedSeconds);
        }
    }

    /**
     * A packaged crash by name ({@link #BUILTIN}), else the candle file at that path; a missing or unreadable file is
     * an {@link IOException} whose message says so and lists the packaged names.
     */
    public static CandleReplay open(String nameOrFile, long speedSeconds) throws IOException, CandleCsv.CandleException {
        CandleReplay builtin = builtin(nameOrFile, speedSeconds);
        if (builtin != null) {
            return builtin;
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file (nor a packaged crash: " + String.join(", ", BUILTIN) + ")");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.getFileName().toString(), in, speedSeconds);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        CandleCsv.Candle first = candles.get(0);
        double low = Double.MAX_VALUE;
        double high = 0;
        for (CandleCsv.Candle c : candles) {
            low = Math.min(low, c.low());
            high = Math.max(high, c.high());
        }
        return String.format(Locale.ROOT, "%d candles of %d s from %s; open %s, low %s (%.1f%%), high %s; %d s of"
                        + " candle time per step", candles.size(), intervalSeconds,
                java.time.Instant.ofEpochMilli(first.tsMs()), plain(first.open()), plain(low),
                (low / first.open() - 1) * 100, plain(high), speedSeconds);
    }

    /** A candle price as the file would write it: eight significant digits, no trailing zeros, no exponent. */
    public static String plain(double price) {
        return new java.math.BigDecimal(price).round(new java.math.MathContext(8)).stripTrailingZeros().toPlainString();
    }

    @Override
    public int seconds() {
        return seconds;
    }

    /** The steps of a run over the whole file at this speed. */
    public int steps() {
        return (int) Math.max(1, seconds / speedSeconds);
    }

    @Override
    public double indexMultiple(double t) {
        if (t <= times[0]) {
            return multiples[0];
        }
        if (t >= times[times.length - 1]) {
            return multiples[multiples.length - 1];
        }
        int k = Arrays.binarySearch(times, t);
        if (k >= 0) {
            return multiples[k];
        }
        int after = -k - 1;
        int before = after - 1;
        return multiples[before] + (multiples[after] - multiples[before]) * (t - times[before])
                / (times[after] - times[before]);
    }

    /** Makers keep quoting: how liquidity reacts to the move is the agents' own (docs/stress.md). */
    @Override
    public double liquidity(double t) {
        return 1.0;
    }

    @Override
    public double volMultiple(double t) {
        int k = Arrays.binarySearch(times, Math.max(times[0], Math.min(t, times[times.length - 1])));
        int last = k >= 0 ? k : -k - 2;
        double now = indexMultiple(t);
        double peak = Math.max(peaks[Math.max(0, last)], now);
        return 1 + 2 * (1 - now / peak);
    }

    @Override
    public long backstopUsdc() {
        return DEFAULT_BACKSTOP_USDC;
    }

    @Override
    public long insuranceFundUsdc() {
        return DEFAULT_INSURANCE_USDC;
    }

    @Override
    public double sourceLatencySeconds(int source) {
        return SOURCE_LATENCY_SECONDS[Math.min(source, SOURCE_LATENCY_SECONDS.length - 1)];
    }

    @Override
    public double sourceSpreadBps() {
        return SOURCE_SPREAD_BPS;
    }

    @Override
    public long venueSecondsPerStep() {
        return speedSeconds;
    }

    @Override
    public long startEpochNanos() {
        return candles.get(0).tsMs() * 1_000_000L;
    }

    @Override
    public double startPriceUsd() {
        return candles.get(0).open();
    }

    /** The candles' interval in seconds (the smallest step between two). */
    public long intervalSeconds() {
        return intervalSeconds;
    }

    /** Epoch milliseconds of the first candle's open. */
    public long startEpochMillis() {
        return candles.get(0).tsMs();
    }
}
