package io.meridian.node.history;

import io.meridian.node.EngineLoop;
import io.meridian.node.Ring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * OHLCV candles of each instrument for {@code GET /v1/candles/{instrument}}, built from the engine's
 * {@code tradeExecuted} events: the most recent {@link #PER_INTERVAL} candles per instrument and {@link Interval}.
 * A trade falls in the bucket {@code [k x interval, (k + 1) x interval)} that holds its command's timestamp (the
 * sequencer's clock, epoch nanoseconds), so buckets are aligned to the epoch (UTC) and every replica and every replay
 * builds the same candles. A bucket without trades has no candle (no flat filler candles); the newest candle is the
 * current, still open one. Rebuilt from the journal replayed at start, like {@link FillHistory}. Gateway state, not
 * engine state: not journaled, hashed or snapshotted.
 *
 * <p>Thread confinement: the engine thread only, writes ({@link #add}) and reads ({@link #candles}, through
 * {@link EngineLoop#query}); a read returns immutable copies that any thread may use. A trade updates one reused
 * slot per interval: no allocation once the rings are full.
 */
public final class CandleHistory {
    public static final int PER_INTERVAL = 1_000;

    /** The candle widths offered, by their API names. */
    public enum Interval {
        M1("1m", 60), M5("5m", 300), M15("15m", 900), H1("1h", 3_600), H4("4h", 14_400), D1("1d", 86_400);

        private static final Interval[] VALUES = values();
        final String text;
        final long nanos;

        Interval(String text, long seconds) {
            this.text = text;
            this.nanos = seconds * 1_000_000_000L;
        }

        /** The bucket width in nanoseconds. */
        public long nanos() {
            return nanos;
        }

        /**
         * The interval named {@code text} ("1m", "5m", "15m", "1h", "4h", "1d"), or null. Case matters: elsewhere
         * "1M" means a month, so it is refused rather than read as a minute.
         */
        public static Interval parse(String text) {
            for (Interval interval : VALUES) {
                if (interval.text.equals(text)) {
                    return interval;
                }
            }
            return null;
        }

        /** The API names, for error messages and documentation. */
        public static String names() {
            List<String> names = new ArrayList<>();
            for (Interval interval : VALUES) {
                names.add(interval.text);
            }
            return String.join(", ", names);
        }
    }

    /**
     * One candle: its bucket's start (epoch nanoseconds), open, high, low and close prices in ticks, the volume in
     * lots and the number of trades.
     */
    public record Candle(long openTime, long open, long high, long low, long close, long volume, int trades) {
    }

    /** Per instrument id, one ring per interval (in {@link Interval} order); null until the first trade. */
    private final List<List<Ring<Bucket>>> byInstrument = new ArrayList<>();

    public void add(long timestamp, int instrument, long price, long quantity) {
        List<Ring<Bucket>> rings = DenseIds.getOrMake(byInstrument, instrument, () -> {
            List<Ring<Bucket>> series = new ArrayList<>(Interval.VALUES.length);
            for (int i = 0; i < Interval.VALUES.length; i++) {
                series.add(new Ring<>(PER_INTERVAL, Bucket::new));
            }
            return series;
        });
        for (int i = 0; i < Interval.VALUES.length; i++) {
            long start = Math.floorDiv(timestamp, Interval.VALUES[i].nanos) * Interval.VALUES[i].nanos;
            Bucket.record(rings.get(i), start, price, quantity, 0);
        }
    }

    /**
     * The newest {@code limit} candles of the instrument whose open time is within {@code [from, to]}, oldest first
     * (the order charts draw them in).
     */
    public List<Candle> candles(int instrument, Interval interval, long from, long to, int limit) {
        List<Ring<Bucket>> rings = instrument >= 0 && instrument < byInstrument.size() ? byInstrument.get(instrument)
                : null;
        List<Candle> result = new ArrayList<>();
        if (rings == null) {
            return result;
        }
        Ring<Bucket> ring = rings.get(interval.ordinal());
        for (int age = 0; age < ring.size() && result.size() < limit; age++) {
            Bucket b = ring.newest(age);
            if (b.start < from) {
                break;
            }
            if (b.start <= to) {
                result.add(new Candle(b.start, b.open, b.high, b.low, b.close, b.volume,
                        (int) Math.min(b.trades, Integer.MAX_VALUE)));
            }
        }
        Collections.reverse(result);
        return result;
    }
}
