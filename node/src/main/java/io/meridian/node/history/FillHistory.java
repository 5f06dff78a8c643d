package io.meridian.node.history;

import io.meridian.model.Liquidity;
import io.meridian.model.Side;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The most recent fills of each account, for {@code GET /v1/fills}: at most {@link #PER_ACCOUNT} per account,
 * {@link #MAX_RECORDS} fills in all and {@link #MAX_ACCOUNTS} accounts, so memory stays bounded whatever the venue's
 * size (about 100 bytes a fill: 100 MB at the bound). Past the fills' bound, the oldest fill of the account holding the
 * most goes ({@link AccountTable}: a fair share, so one actor's many accounts cannot push another account's fills out:
 * every account keeps at least its last {@link #FAIR_SHARE}, and more while fewer accounts hold fills); past the
 * accounts' bound, the account that traded longest ago goes whole.
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
    /** The fills every account keeps whatever others do, while at most {@link #MAX_ACCOUNTS} hold fills. */
    public static final int FAIR_SHARE = MAX_RECORDS / MAX_ACCOUNTS;

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

    /**
     * The mutable record of one fill; reads copy it into a {@link Fill}. Records that leave the history are reused for
     * the next fills ({@link SpareRecords}), so that a history at its bounds, where every new fill pushes an old one out,
     * allocates nothing per fill and promotes nothing to the old generation.
     */
    static final class Kept {
        long sequence;
        int index;
        long timestamp;
        int instrument;
        long tradeId;
        long orderId;
        long clientOrderId;
        String clientOrderText;
        Side side;
        long price;
        long quantity;
        Liquidity liquidity;
        String via;

        /** Sets every field (a record is reused: none may keep another fill's value). */
        void set(long sequence, int index, long timestamp, int instrument, long tradeId, long orderId,
                 long clientOrderId, String clientOrderText, Side side, long price, long quantity, Liquidity liquidity,
                 String via) {
            this.sequence = sequence;
            this.index = index;
            this.timestamp = timestamp;
            this.instrument = instrument;
            this.tradeId = tradeId;
            this.orderId = orderId;
            this.clientOrderId = clientOrderId;
            this.clientOrderText = clientOrderText;
            this.side = side;
            this.price = price;
            this.quantity = quantity;
            this.liquidity = liquidity;
            this.via = via;
        }

        /** Drops the texts of a record that left (the rest is set again by {@link #set} before it shows). */
        void clearTexts() {
            clientOrderText = null;
            via = null;
        }

        Fill copy() {
            return new Fill(sequence, index, timestamp, instrument, tradeId, orderId, clientOrderId, clientOrderText,
                    side, price, quantity, liquidity, via);
        }
    }

    /** One account's fills, oldest first. */
    private static final class Fills extends AccountTable.Entry {
        final ArrayDeque<Kept> fills = new ArrayDeque<>();
    }

    /** The most records kept for reuse: enough for a burst of fills; the account bound's drops free more, and go. */
    static final int MAX_SPARE = 4_096;
    /** Records that left the history, without their texts, for the next fills. */
    private final SpareRecords<Kept> spare = new SpareRecords<>(MAX_SPARE, Kept::new, Kept::clearTexts);

    /** Each account's fills; the accounts in the order they last traded and by how many fills they hold. */
    private final AccountTable<Fills> byAccount = new AccountTable<>(PER_ACCOUNT);

    /**
     * Records a fill of {@code account} (its {@code index} is given here: the next among the account's fills of the
     * same command).
     */
    public void add(long account, long sequence, long timestamp, int instrument, long tradeId, long orderId,
                    long clientOrderId, String clientOrderText, Side side, long price, long quantity,
                    Liquidity liquidity, String via) {
        Fills kept = byAccount.touch(account);
        if (kept == null) {
            // The accounts that traded longest ago go while the account bound is passed (the last resort).
            while (byAccount.size() >= MAX_ACCOUNTS) {
                byAccount.removeOldest().fills.forEach(spare::giveBack);
            }
            kept = new Fills();
            byAccount.add(account, kept);
        }
        Deque<Kept> fills = kept.fills;
        Kept last = fills.peekLast();
        int index = last != null && last.sequence == sequence ? last.index + 1 : 0;
        if (fills.size() == PER_ACCOUNT) {
            spare.giveBack(fills.removeFirst());
        } else {
            byAccount.counted(kept, 1);
        }
        Kept fill = spare.take();
        fill.set(sequence, index, timestamp, instrument, tradeId, orderId, clientOrderId, clientOrderText, side, price,
                quantity, liquidity, via);
        fills.addLast(fill);
        // Past the fills' bound, the oldest fill of the account holding the most goes (maybe this one's).
        while (byAccount.total() > MAX_RECORDS) {
            Fills largest = byAccount.largest();
            spare.giveBack(largest.fills.removeFirst());
            byAccount.counted(largest, -1);
        }
    }

    /** Records kept for reuse now (for tests). */
    int spareRecords() {
        return spare.size();
    }

    /** Records made since the history began, reused ones not counted (for tests). */
    long recordsMade() {
        return spare.made();
    }

    /** The account's newest fills first, at most {@code limit}, optionally of one instrument (0 = all). */
    public java.util.List<Fill> recent(long account, int instrument, int limit) {
        return page(account, HistoryQuery.newest(instrument, limit)).items();
    }

    /** The page of the account's fills the query asks for (by command sequence and index; see {@link HistoryQuery}). */
    public HistoryQuery.Page<Fill> page(long account, HistoryQuery query) {
        Fills kept = byAccount.peek(account);
        if (kept == null) {
            return new HistoryQuery.Page<>(java.util.List.of(), null);
        }
        Deque<Kept> fills = kept.fills;
        Iterator<Kept> order = query.ascending() ? fills.iterator() : fills.descendingIterator();
        return query.page(order, f -> f.sequence, f -> f.index, f -> f.instrument, f -> f.timestamp, Kept::copy);
    }

    /** How many fills are kept now, all accounts together. */
    public int size() {
        return (int) byAccount.total();
    }

    /** Accounts with fills kept now (at most {@link #MAX_ACCOUNTS}). */
    public int accounts() {
        return byAccount.size();
    }
}
