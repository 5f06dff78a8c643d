package io.meridian.node.history;

import io.meridian.model.Side;
import io.meridian.node.EngineLoop;
import io.meridian.node.Ring;

import java.util.ArrayList;
import java.util.List;

/**
 * The public tape: the most recent {@link #PER_INSTRUMENT} trades of each instrument, for
 * {@code GET /v1/trades/{instrument}}. Fed by the engine's {@code tradeExecuted} events, including those of the
 * journal replayed at start (the commands after the newest snapshot), so it survives a restart as
 * {@link FillHistory} does. Gateway state, not engine state: not journaled, hashed or snapshotted.
 *
 * <p>Thread confinement: the engine thread only, writes ({@link #add}) and reads ({@link #recent}, through
 * {@link EngineLoop#query}); a read returns immutable copies that any thread may use. Recording a trade writes into
 * a reused slot: no allocation once an instrument's ring is full.
 */
public final class TradeHistory {
    public static final int PER_INSTRUMENT = 1_000;

    /** One public trade. Price in ticks, quantity in lots, timestamp in nanoseconds (the command's). */
    public record Trade(long sequence, long timestamp, long tradeId, Side takerSide, long price, long quantity) {
    }

    /** A reusable slot of the ring. */
    private static final class Slot {
        long sequence;
        long timestamp;
        long tradeId;
        Side takerSide;
        long price;
        long quantity;
    }

    /** Rings by instrument id (ids are small and dense); null until the instrument's first trade. */
    private final List<Ring<Slot>> byInstrument = new ArrayList<>();

    public void add(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price, long quantity) {
        Ring<Slot> ring = DenseIds.getOrMake(byInstrument, instrument, () -> new Ring<>(PER_INSTRUMENT, Slot::new));
        Slot slot = ring.add();
        slot.sequence = sequence;
        slot.timestamp = timestamp;
        slot.tradeId = tradeId;
        slot.takerSide = takerSide;
        slot.price = price;
        slot.quantity = quantity;
    }

    /** The instrument's newest trades first, at most {@code limit}. */
    public List<Trade> recent(int instrument, int limit) {
        Ring<Slot> ring = instrument >= 0 && instrument < byInstrument.size() ? byInstrument.get(instrument) : null;
        List<Trade> result = new ArrayList<>();
        for (int age = 0; ring != null && age < ring.size() && result.size() < limit; age++) {
            Slot s = ring.newest(age);
            result.add(new Trade(s.sequence, s.timestamp, s.tradeId, s.takerSide, s.price, s.quantity));
        }
        return result;
    }
}
