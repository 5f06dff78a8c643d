package io.meridian.node.history;

import io.meridian.node.EngineLoop;
import io.meridian.node.Ring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The insurance fund's cash balance per asset over time, for {@code GET /v1/insurance-fund/history}: fed by the
 * engine's {@code postingApplied} events that move value into or out of the fund (account -3), which carry its balance
 * after the posting (a liquidation fee or margin paid in, a deficit paid out, an operator's deposit, the PnL its own
 * inventory realises), including those of the journal replayed at start, so it is rebuilt after a restart like the
 * candles ({@link CandleHistory}; what happened before the snapshot the node started from is not rebuilt).
 *
 * <p>Per asset it keeps the newest {@link #PER_SERIES} entries of each {@link Interval}: {@code change}, one per
 * posting that moved the fund; {@code 1m} and {@code 1h}, one per bucket of that width (aligned to the epoch, by the
 * command's timestamp) in which the fund moved, with the balance at its end and the lowest and highest balance within
 * it. Memory is so fixed: at most assets x 3 x {@value #PER_SERIES} slots of 7 longs (about 72 bytes each, 216 kB an asset),
 * however often the fund moves.
 *
 * <p>Thread confinement: the engine thread only, writes ({@link #add}) and reads ({@link #recent}, through
 * {@link EngineLoop#history}). Slots are reused once a ring is full: recording allocates nothing then. Gateway state,
 * not engine state: not journaled, hashed or snapshotted.
 */
public final class InsuranceFundHistory {
    public static final int PER_SERIES = 1_000;

    /** The series kept, by their API names. */
    public enum Interval {
        CHANGE("change", 0), M1("1m", 60), H1("1h", 3_600);

        private static final Interval[] VALUES = values();
        final String text;
        final long nanos;

        Interval(String text, long seconds) {
            this.text = text;
            this.nanos = seconds * 1_000_000_000L;
        }

        /** The interval named {@code text} ("change", "1m", "1h"; case matters, as for candles), or null. */
        public static Interval parse(String text) {
            for (Interval interval : VALUES) {
                if (interval.text.equals(text)) {
                    return interval;
                }
            }
            return null;
        }
    }

    /**
     * One entry: its time (a change's command timestamp, or a bucket's start; epoch nanoseconds), the sequence of the
     * last posting in it, the balance after it, the lowest and highest balance within it (a change: the balance), the
     * number of postings in it and their net amount (positive: into the fund), all amounts in the asset's minor units.
     */
    public record Entry(long time, long sequence, long balance, long low, long high, long changes, long net) {
    }

    /** A reusable slot of a ring. */
    private static final class Slot {
        long time;
        long sequence;
        long balance;
        long low;
        long high;
        long changes;
        long net;
    }

    /** Per asset id, one ring per interval (in {@link Interval} order); null until the fund first moves in it. */
    private final List<List<Ring<Slot>>> byAsset = new ArrayList<>();

    /**
     * The fund's balance in {@code asset} became {@code balance} by a posting of {@code amount} (positive: into the
     * fund) in the command {@code sequence} stamped {@code timestamp} (the engine refuses a timestamp earlier than the
     * last, so buckets only move forward).
     */
    public void add(long sequence, long timestamp, int asset, long amount, long balance) {
        if (asset < 0) {
            return;
        }
        List<Ring<Slot>> rings = DenseIds.getOrMake(byAsset, asset, () -> {
            List<Ring<Slot>> series = new ArrayList<>(Interval.VALUES.length);
            for (int i = 0; i < Interval.VALUES.length; i++) {
                series.add(new Ring<>(PER_SERIES, Slot::new));
            }
            return series;
        });
        for (int i = 0; i < Interval.VALUES.length; i++) {
            long width = Interval.VALUES[i].nanos;
            Ring<Slot> ring = rings.get(i);
            long start = width == 0 ? timestamp : Math.floorDiv(timestamp, width) * width;
            Slot slot;
            if (width != 0 && ring.size() > 0 && ring.newest(0).time >= start) {
                slot = ring.newest(0);
                slot.low = Math.min(slot.low, balance);
                slot.high = Math.max(slot.high, balance);
                slot.changes = Saturating.add(slot.changes, 1);
                slot.net = net(slot.net, amount);
            } else {
                slot = ring.add();
                slot.time = start;
                slot.low = balance;
                slot.high = balance;
                slot.changes = 1;
                slot.net = amount;
            }
            slot.sequence = sequence;
            slot.balance = balance;
        }
    }

    /** {@code a + b} stopped at the long range instead of overflowing (no exception on the engine thread). */
    private static long net(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    /** The asset's newest {@code limit} entries of the interval, oldest first (the order a chart draws them in). */
    public List<Entry> recent(int asset, Interval interval, int limit) {
        List<Ring<Slot>> rings = asset >= 0 && asset < byAsset.size() ? byAsset.get(asset) : null;
        List<Entry> result = new ArrayList<>();
        if (rings == null) {
            return result;
        }
        Ring<Slot> ring = rings.get(interval.ordinal());
        for (int age = 0; age < ring.size() && result.size() < limit; age++) {
            Slot s = ring.newest(age);
            result.add(new Entry(s.time, s.sequence, s.balance, s.low, s.high, s.changes, s.net));
        }
        Collections.reverse(result);
        return result;
    }
}
