package io.meridian.node.history;

import io.meridian.node.Ring;

/**
 * Each instrument's trading over the last 24 hours, for the ticker ({@code GET /v1/ticker}): open, high, low, volume,
 * quote volume and trade count, kept as one-minute buckets ({@link #MINUTES} per instrument, reused), fed by the
 * engine's {@code tradeExecuted} events on the engine thread, those of the journal replayed at start included, like
 * {@link CandleHistory}. A window is whole minutes: the buckets whose minute starts within 24 hours before the time
 * asked (the engine's last command time), so the figures move a minute at a time. Gateway state: not journaled, hashed
 * or snapshotted. Engine thread only; a read returns an immutable {@link Day}. No allocation once an instrument's ring
 * is full.
 */
public final class DayStats {
    /** Minutes kept per instrument: one day. */
    public static final int MINUTES = 1_440;
    private static final long MINUTE = 60_000_000_000L;
    private static final long DAY = MINUTES * MINUTE;

    /**
     * One instrument's last 24 hours: prices in ticks (the first, highest, lowest and last trade), volume in lots, quote
     * volume in ticks x lots (saturating), the number of trades, and the window's start and end (epoch ns). All 0 when
     * nothing traded.
     */
    public record Day(long open, long high, long low, long close, long volume, long quoteVolume, long count,
                      long openTime, long closeTime) {
    }

    /** Rings by instrument id; null until the instrument's first trade. */
    private final java.util.List<Ring<Bucket>> byInstrument = new java.util.ArrayList<>();

    public void add(long timestamp, int instrument, long price, long quantity) {
        Ring<Bucket> ring = DenseIds.getOrMake(byInstrument, instrument, () -> new Ring<>(MINUTES, Bucket::new));
        Bucket.record(ring, Math.floorDiv(timestamp, MINUTE) * MINUTE, price, quantity,
                Saturating.product(price, quantity));
    }

    /** The instrument's 24 hours up to {@code now} (epoch ns). */
    public Day day(int instrument, long now) {
        Ring<Bucket> ring = instrument >= 0 && instrument < byInstrument.size() ? byInstrument.get(instrument) : null;
        long from = Math.floorDiv(now, MINUTE) * MINUTE - DAY + MINUTE;
        long open = 0;
        long high = 0;
        long low = 0;
        long close = 0;
        long volume = 0;
        long quote = 0;
        long count = 0;
        for (int age = 0; ring != null && age < ring.size(); age++) {
            Bucket m = ring.newest(age);
            if (m.start < from) {
                break;
            }
            if (count == 0) {
                close = m.close;
                high = m.high;
                low = m.low;
            }
            open = m.open;
            high = Math.max(high, m.high);
            low = Math.min(low, m.low);
            volume = Saturating.add(volume, m.volume);
            quote = Saturating.add(quote, m.quoteVolume);
            count = Saturating.add(count, m.trades);
        }
        return new Day(open, high, low, close, volume, quote, count, from, now);
    }
}
