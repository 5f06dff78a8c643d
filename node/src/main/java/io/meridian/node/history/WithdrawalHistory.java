package io.meridian.node.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The withdrawals the engine accepted, per account, for {@code GET /v1/withdrawals}: at most {@link #PER_ACCOUNT} per
 * account, {@link #MAX_RECORDS} in all and {@link #MAX_ACCOUNTS} accounts (about 100 bytes a withdrawal: 20 MB at the
 * bound), trimmed as {@link FillHistory} is (past the records' bound, the oldest withdrawal of the account holding the
 * most goes, so every account keeps at least its newest {@link #FAIR_SHARE}; past the accounts' bound, the account that
 * withdrew longest ago goes whole). Fed by the engine's {@code withdrawalAccepted} events, including those of the
 * journal replayed at start, so it survives a restart (what happened before the snapshot the node started from is not
 * rebuilt). Gateway state, not engine state: not journaled, hashed or snapshotted. Engine thread only; a withdrawal
 * allocates its record (withdrawals are rare, rate-limited account changes).
 */
public final class WithdrawalHistory {
    public static final int PER_ACCOUNT = 100;
    public static final int MAX_ACCOUNTS = 20_000;
    public static final int MAX_RECORDS = 200_000;
    /** The withdrawals every account keeps whatever others do, while at most {@link #MAX_ACCOUNTS} hold some. */
    public static final int FAIR_SHARE = MAX_RECORDS / MAX_ACCOUNTS;

    /**
     * One accepted withdrawal: its command's sequence (on a chain, the vault's withdrawal id) and timestamp (ns), the
     * asset, the amount in its minor units, and the destination address as 0x hex (null: the owner's own address).
     */
    public record Withdrawal(long sequence, long timestamp, int asset, long amount, String destination) {
    }

    /** One account's withdrawals, oldest first. */
    private static final class Kept extends AccountTable.Entry {
        final ArrayDeque<Withdrawal> list = new ArrayDeque<>();
    }

    private final AccountTable<Kept> byAccount = new AccountTable<>(PER_ACCOUNT);

    /** Records an accepted withdrawal; {@code destination} is the event's bytes (copied here) or null. */
    public void add(long account, long sequence, long timestamp, int asset, long amount, byte[] destination) {
        Kept kept = byAccount.touch(account);
        if (kept == null) {
            while (byAccount.size() >= MAX_ACCOUNTS) {
                byAccount.removeOldest();
            }
            kept = new Kept();
            byAccount.add(account, kept);
        }
        Deque<Withdrawal> list = kept.list;
        if (list.size() == PER_ACCOUNT) {
            list.removeFirst();
        } else {
            byAccount.counted(kept, 1);
        }
        list.addLast(new Withdrawal(sequence, timestamp, asset, amount, hex(destination)));
        while (byAccount.total() > MAX_RECORDS) {
            Kept largest = byAccount.largest();
            largest.list.removeFirst();
            byAccount.counted(largest, -1);
        }
    }

    /** The account's newest withdrawals first, at most {@code limit}. */
    public List<Withdrawal> recent(long account, int limit) {
        Kept kept = byAccount.peek(account);
        List<Withdrawal> result = new ArrayList<>();
        if (kept == null) {
            return result;
        }
        for (Iterator<Withdrawal> it = kept.list.descendingIterator(); it.hasNext() && result.size() < limit; ) {
            result.add(it.next());
        }
        return result;
    }

    /** Withdrawals kept now, all accounts together. */
    public int size() {
        return (int) byAccount.total();
    }

    private static String hex(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        StringBuilder s = new StringBuilder(2 + 2 * bytes.length).append("0x");
        for (byte b : bytes) {
            s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return s.toString();
    }
}
