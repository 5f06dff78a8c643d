package io.meridian.node.history;

import io.meridian.model.Liquidity;
import io.meridian.model.Side;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The most recent fills of each account ({@link #PER_ACCOUNT} at most, for the {@link #MAX_ACCOUNTS} accounts that
 * traded most recently, so memory stays bounded whatever the venue's size), for {@code GET /v1/fills}. Fed by the
 * engine's fill events, including those of the journal replayed at start, so it survives a restart. Gateway state,
 * not engine state: it is not journaled, hashed or snapshotted. Engine thread only.
 */
public final class FillHistory {
    public static final int PER_ACCOUNT = 100;
    public static final int MAX_ACCOUNTS = 20_000;

    /**
     * One fill of one order, or a liquidated position that left outside the book ({@code via}: "insurance-fund",
     * "backstop" or "adl"; tradeId and orderId 0, liquidity null); {@code via} null for a book fill. Prices in ticks,
     * quantities in lots, timestamp in nanoseconds.
     */
    public record Fill(long sequence, long timestamp, int instrument, long tradeId, long orderId, long clientOrderId,
                Side side, long price, long quantity, Liquidity liquidity, String via) {
    }

    /** In access order: the account used longest ago goes first when the table is full. */
    private final Map<Long, Deque<Fill>> byAccount = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Deque<Fill>> eldest) {
            return size() > MAX_ACCOUNTS;
        }
    };

    public void add(long account, Fill fill) {
        Deque<Fill> fills = byAccount.computeIfAbsent(account, k -> new ArrayDeque<>());
        if (fills.size() == PER_ACCOUNT) {
            fills.removeFirst();
        }
        fills.addLast(fill);
    }

    /** The account's newest fills first, at most {@code limit}, optionally of one instrument (0 = all). */
    public List<Fill> recent(long account, int instrument, int limit) {
        Deque<Fill> fills = byAccount.get(account);
        List<Fill> result = new ArrayList<>();
        if (fills == null) {
            return result;
        }
        for (Iterator<Fill> it = fills.descendingIterator(); it.hasNext() && result.size() < limit; ) {
            Fill f = it.next();
            if (instrument == 0 || f.instrument() == instrument) {
                result.add(f);
            }
        }
        return result;
    }
}
