package io.meridian.node.history;

import io.meridian.model.Liquidity;
import io.meridian.model.Side;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The most recent fills of each account, for {@code GET /v1/fills}: at most {@link #PER_ACCOUNT} per account, for at
 * most {@link #MAX_ACCOUNTS} accounts and {@link #MAX_RECORDS} fills in all (the accounts that traded longest ago are
 * dropped first), so memory stays bounded whatever the venue's size (about 100 bytes a fill: 100 MB at the bound).
 * Fed by the engine's fill events, including those of the journal replayed at start, so it survives a restart. Gateway
 * state, not engine state: it is not journaled, hashed or snapshotted. Engine thread only.
 *
 * <p>An account's fills are kept in command order; fills of one command are told apart by {@link Fill#index}, their
 * place among the account's fills of that command, so (sequence, index) orders them and pages ({@link HistoryQuery})
 * continue exactly where the previous one ended. Both come from the journal alone: every replay numbers them alike.
 */
public final class FillHistory {
    public static final int PER_ACCOUNT = 1_000;
    public static final int MAX_ACCOUNTS = 20_000;
    public static final int MAX_RECORDS = 1_000_000;

    /**
     * One fill of one order, or a liquidated position that left outside the book ({@code via}: "insurance-fund",
     * "backstop" or "adl"; tradeId and orderId 0, liquidity null); {@code via} null for a book fill. Prices in ticks,
     * quantities in lots, timestamp in nanoseconds; {@code index} its place among the account's fills of the command;
     * {@code clientOrderText} the order's client order id as text when it was given so (its key is
     * {@code clientOrderId}), else null.
     */
    public record Fill(long sequence, int index, long timestamp, int instrument, long tradeId, long orderId,
                       long clientOrderId, String clientOrderText, Side side, long price, long quantity,
                       Liquidity liquidity, String via) {
    }

    private int records;

    /** Each account's fills, oldest first; the accounts in the order they last traded. */
    private final AccountTable<Deque<Fill>> byAccount = new AccountTable<>();

    /**
     * Records a fill of {@code account} (its {@code index} is given here: the next among the account's fills of the
     * same command).
     */
    public void add(long account, long sequence, long timestamp, int instrument, long tradeId, long orderId,
                    long clientOrderId, String clientOrderText, Side side, long price, long quantity,
                    Liquidity liquidity, String via) {
        Deque<Fill> fills = byAccount.touch(account);
        if (fills == null) {
            fills = new ArrayDeque<>();
            byAccount.add(account, fills);
        }
        Fill last = fills.peekLast();
        int index = last != null && last.sequence() == sequence ? last.index() + 1 : 0;
        if (fills.size() == PER_ACCOUNT) {
            fills.removeFirst();
            records--;
        }
        fills.addLast(new Fill(sequence, index, timestamp, instrument, tradeId, orderId, clientOrderId, clientOrderText,
                side, price, quantity, liquidity, via));
        records++;
        // The accounts that traded longest ago go while a bound is passed (never this one: it traded last).
        while (byAccount.size() > 1 && (records > MAX_RECORDS || byAccount.size() > MAX_ACCOUNTS)) {
            records -= byAccount.removeOldest().size();
        }
    }

    /** The account's newest fills first, at most {@code limit}, optionally of one instrument (0 = all). */
    public java.util.List<Fill> recent(long account, int instrument, int limit) {
        return page(account, HistoryQuery.newest(instrument, limit)).items();
    }

    /** The page of the account's fills the query asks for (by command sequence and index; see {@link HistoryQuery}). */
    public HistoryQuery.Page<Fill> page(long account, HistoryQuery query) {
        Deque<Fill> fills = byAccount.peek(account);
        if (fills == null) {
            return new HistoryQuery.Page<>(java.util.List.of(), null);
        }
        Iterator<Fill> order = query.ascending() ? fills.iterator() : fills.descendingIterator();
        return query.page(order, Fill::sequence, Fill::index, Fill::instrument, Fill::timestamp, f -> f);
    }

    /** How many fills are kept now, all accounts together. */
    public int size() {
        return records;
    }
}
