package io.meridian.node.history;

import io.meridian.node.Ring;

/**
 * One time bucket of an instrument's trades, reused in a {@link Ring}: its start (epoch ns), open, high, low and close
 * prices (ticks), volume (lots), quote volume (ticks x lots) and trade count, the sums saturating ({@link Saturating}).
 * The candles ({@link CandleHistory}) and the day ticker ({@link DayStats}) both keep them. Engine thread only.
 */
final class Bucket {
    long start;
    long open;
    long high;
    long low;
    long close;
    long volume;
    long quoteVolume;
    long trades;

    /**
     * Adds a trade to the bucket starting at {@code start}: the ring's newest when it is that bucket (the engine refuses
     * a timestamp earlier than the last, so a trade's bucket is never older than the newest), else a new one.
     */
    static void record(Ring<Bucket> ring, long start, long price, long quantity, long quote) {
        if (ring.size() > 0 && ring.newest(0).start >= start) {
            Bucket b = ring.newest(0);
            b.high = Math.max(b.high, price);
            b.low = Math.min(b.low, price);
            b.close = price;
            b.volume = Saturating.add(b.volume, quantity);
            b.quoteVolume = Saturating.add(b.quoteVolume, quote);
            b.trades = Saturating.add(b.trades, 1);
        } else {
            Bucket b = ring.add();
            b.start = start;
            b.open = price;
            b.high = price;
            b.low = price;
            b.close = price;
            b.volume = quantity;
            b.quoteVolume = quote;
            b.trades = 1;
        }
    }
}
