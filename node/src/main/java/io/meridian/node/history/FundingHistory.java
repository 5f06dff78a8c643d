package io.meridian.node.history;

import io.meridian.node.EngineLoop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The funding rates applied to each perpetual, the most recent {@link #PER_INSTRUMENT} per instrument, for
 * {@code GET /v1/funding/{instrument}}. Fed by the engine's {@code fundingRateApplied} events (one per funding
 * interval of an instrument priced from an index), including those of the journal replayed at start, so it survives a
 * restart like {@link FillHistory}. Gateway state, not engine state: not journaled, hashed or snapshotted.
 *
 * <p>Thread confinement: the engine thread only, writes ({@link #add}) and reads ({@link #recent}, through
 * {@link EngineLoop#query}). Entries are immutable. Funding happens once per interval (hours), so keeping a record
 * per event costs nothing that matters.
 */
public final class FundingHistory {
    public static final int PER_INSTRUMENT = 1_000;

    /**
     * One applied rate, as the engine reported it: rates in 1e-9 per interval (positive: longs pay shorts), the
     * average premium of the interval's {@code samples} samples and the interest rate in 1e-9, and the mark it was
     * paid at in ticks (0: no mark yet, nothing was paid). Timestamp in nanoseconds (the command's).
     */
    public record Funding(long sequence, long timestamp, long rate, long averagePremium, long interestRate, int samples,
                   long markPrice) {
    }

    private final Map<Integer, Deque<Funding>> byInstrument = new HashMap<>();

    public void add(int instrument, Funding funding) {
        Deque<Funding> list = byInstrument.computeIfAbsent(instrument, k -> new ArrayDeque<>());
        if (list.size() == PER_INSTRUMENT) {
            list.removeFirst();
        }
        list.addLast(funding);
    }

    /** The instrument's newest rates first, at most {@code limit}. */
    public List<Funding> recent(int instrument, int limit) {
        Deque<Funding> list = byInstrument.get(instrument);
        List<Funding> result = new ArrayList<>();
        if (list == null) {
            return result;
        }
        for (Iterator<Funding> it = list.descendingIterator(); it.hasNext() && result.size() < limit; ) {
            result.add(it.next());
        }
        return result;
    }
}
