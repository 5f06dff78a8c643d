package io.meridian.node.history;

import io.meridian.model.Side;
import io.meridian.node.Ring;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounded history structures on their own, where time can be made to cross many buckets: candles against a
 * naive reference fed the same seeded stream of trades, and the bounds of the trade and funding rings.
 */
class HistoryStructuresTest {
    private static final long MINUTE = 60_000_000_000L;

    /** A trade of the reference stream. */
    private record T(long timestamp, long price, long quantity) {
    }

    @Test
    void candlesMatchANaiveReferenceOverManyBuckets() {
        long seed = 70_707L;
        Random random = new Random(seed);
        CandleHistory history = new CandleHistory();
        List<T> trades = new ArrayList<>();
        // Start just before a day boundary, minus an odd offset, so buckets of every width get crossed.
        long now = 1_700_006_400L * 1_000_000_000L - 7 * MINUTE - 123;
        for (int i = 0; i < 6_000; i++) {
            int gap = random.nextInt(100);
            // Mostly trades within a minute, some a few minutes apart, a few hours apart (empty buckets between).
            now += gap < 80 ? random.nextInt(20_000_000) : gap < 97 ? random.nextInt(5) * MINUTE : 90 * MINUTE;
            T t = new T(now, 1_000 + random.nextInt(50), 1 + random.nextInt(9));
            trades.add(t);
            history.add(t.timestamp(), 5, t.price(), t.quantity());
        }
        for (CandleHistory.Interval interval : CandleHistory.Interval.values()) {
            List<CandleHistory.Candle> expected = reference(trades, interval.nanos());
            List<CandleHistory.Candle> all = history.candles(5, interval, 0, Long.MAX_VALUE, CandleHistory.PER_INTERVAL);
            assertEquals(expected, all, "seed " + seed + ", " + interval.text);
            if (interval == CandleHistory.Interval.M1) {
                assertEquals(CandleHistory.PER_INTERVAL, all.size(), "more minutes than are kept: the oldest went");
            }
            // A window and a limit: the newest `limit` of those with from <= openTime <= to, oldest first.
            for (int k = 0; k < 20; k++) {
                long from = expected.get(random.nextInt(expected.size())).openTime() - random.nextInt(2);
                long to = from + random.nextInt(40) * interval.nanos();
                int limit = 1 + random.nextInt(10);
                List<CandleHistory.Candle> window = new ArrayList<>();
                for (CandleHistory.Candle c : expected) {
                    if (c.openTime() >= from && c.openTime() <= to) {
                        window.add(c);
                    }
                }
                List<CandleHistory.Candle> want = window.subList(Math.max(0, window.size() - limit), window.size());
                assertEquals(want, history.candles(5, interval, from, to, limit),
                        "seed " + seed + ", " + interval.text + " from " + from + " to " + to + " limit " + limit);
            }
        }
        assertEquals(List.of(), history.candles(6, CandleHistory.Interval.H1, 0, Long.MAX_VALUE, 10), "no trades");
        assertEquals(CandleHistory.Interval.H4, CandleHistory.Interval.parse("4h"));
        assertNull(CandleHistory.Interval.parse("2m"));
        assertNull(CandleHistory.Interval.parse("1M"), "a month elsewhere, not a minute");
    }

    /** Buckets by floor(timestamp / width), oldest first, the newest {@link CandleHistory#PER_INTERVAL} kept. */
    private static List<CandleHistory.Candle> reference(List<T> trades, long width) {
        Map<Long, List<T>> buckets = new TreeMap<>();
        for (T t : trades) {
            buckets.computeIfAbsent(Math.floorDiv(t.timestamp(), width) * width, k -> new ArrayList<>()).add(t);
        }
        List<CandleHistory.Candle> out = new ArrayList<>();
        buckets.forEach((open, list) -> out.add(new CandleHistory.Candle(open, list.get(0).price(),
                list.stream().mapToLong(T::price).max().orElseThrow(), list.stream().mapToLong(T::price).min()
                .orElseThrow(), list.get(list.size() - 1).price(), list.stream().mapToLong(T::quantity).sum(),
                list.size())));
        return out.subList(Math.max(0, out.size() - CandleHistory.PER_INTERVAL), out.size());
    }

    @Test
    void theTapeKeepsTheNewestThousandPerInstrument() {
        TradeHistory tape = new TradeHistory();
        for (int i = 1; i <= 2_500; i++) {
            tape.add(i, 10L * i, 1_023, i, i % 2 == 0 ? Side.BUY : Side.SELL, 100 + i, i % 7 + 1);
        }
        tape.add(2_501, 25_010, 2, 9_999, Side.SELL, 5, 1);
        List<TradeHistory.Trade> all = tape.recent(1_023, 5_000);
        assertEquals(TradeHistory.PER_INSTRUMENT, all.size());
        assertEquals(new TradeHistory.Trade(2_500, 25_000, 2_500, Side.BUY, 2_600, 2_500 % 7 + 1), all.get(0));
        assertEquals(1_501, all.get(all.size() - 1).tradeId(), "the oldest kept");
        for (int i = 1; i < all.size(); i++) {
            assertEquals(all.get(i - 1).tradeId() - 1, all.get(i).tradeId(), "newest first, none missing");
        }
        assertEquals(all.subList(0, 3), tape.recent(1_023, 3));
        assertEquals(List.of(new TradeHistory.Trade(2_501, 25_010, 9_999, Side.SELL, 5, 1)), tape.recent(2, 10));
        assertEquals(List.of(), tape.recent(1, 10));
        assertEquals(List.of(), tape.recent(4_000, 10));
    }

    @Test
    void fundingKeepsTheNewestThousandPerInstrument() {
        FundingHistory history = new FundingHistory();
        for (int i = 1; i <= 1_005; i++) {
            history.add(3, new FundingHistory.Funding(i, i * 8L, 100_000 - i, -i, 100_000, 8, 500_000 + i));
        }
        List<FundingHistory.Funding> all = history.recent(3, 2_000);
        assertEquals(FundingHistory.PER_INSTRUMENT, all.size());
        assertEquals(1_005, all.get(0).sequence());
        assertEquals(6, all.get(all.size() - 1).sequence());
        assertEquals(all.subList(0, 2), history.recent(3, 2));
        assertTrue(history.recent(1, 5).isEmpty());
    }

    @Test
    void aRingOverwritesItsOldestSlot() {
        Ring<long[]> ring = new Ring<>(3, () -> new long[1]);
        for (long i = 1; i <= 5; i++) {
            ring.add()[0] = i;
        }
        assertEquals(3, ring.size());
        assertEquals(5, ring.newest(0)[0]);
        assertEquals(3, ring.newest(2)[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> ring.newest(3));
        assertThrows(IllegalArgumentException.class, () -> new Ring<>(0, Object::new));
    }
}
