package io.meridian.node.history;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The accounts of a per-account history and the fair share each keeps (docs/api.md, "Order history", "Bounds"). Each
 * account's records are an {@link Entry} that counts its evictable records ({@link Entry#count}); the table keeps
 *
 * <ul>
 * <li>the accounts in the order they last changed (an intrusive list), for the account bound: past
 * {@code maxAccounts}, the account changed longest ago is dropped whole ({@link #removeOldest});</li>
 * <li>the accounts by their count (an intrusive list per count, 0 to {@code perAccount}, and the highest count
 * held), for the record bound: past it, a record of the account holding the most goes ({@link #largest}).</li>
 * </ul>
 *
 * Trimming the largest first is a water-filling: once the bound is reached, every account keeps
 * {@code min(its records, L)} with the level {@code L >= budget / accounts}, so no one, however many accounts they
 * control, takes another account's records below that level without holding more accounts than the account bound.
 * Every operation is O(1) (the highest count moves down by one per emptied list, amortised against the records that
 * filled it) and allocates nothing but a new account's entry. Reads ({@link #peek}) change nothing. Engine thread only.
 *
 * @param <T> an account's records
 */
final class AccountTable<T extends AccountTable.Entry> {
    /** One account's place in the table; the history's per-account records extend it. */
    abstract static class Entry {
        long account;
        /** Records of this account that a bound may evict (its share). */
        int count;
        Entry older;
        Entry newer;
        /** Neighbours among the accounts with the same count. */
        Entry previousSame;
        Entry nextSame;
    }

    private final Long2ObjectHashMap<T> byAccount = new Long2ObjectHashMap<>();
    private final int perAccount;
    /** Changed longest ago. */
    private Entry oldest;
    /** Changed last. */
    private Entry newest;
    /** The accounts with each count: first and last (the first reached it longest ago). */
    private final Entry[] firstWith;
    private final Entry[] lastWith;
    /** The highest count an account holds (0 when none holds any). */
    private int highest;
    /** The counts of every account, summed. */
    private long total;

    /** @param perAccount the most records one account counts (its history's own per-account bound) */
    AccountTable(int perAccount) {
        this.perAccount = perAccount;
        this.firstWith = new Entry[perAccount + 1];
        this.lastWith = new Entry[perAccount + 1];
    }

    /** The account's records, now the most recently changed; null when the table has none. */
    T touch(long account) {
        T entry = byAccount.get(account);
        if (entry != null && entry != newest) {
            unlinkAge(entry);
            appendAge(entry);
        }
        return entry;
    }

    /** The account's records without changing anything (a read); null when none. */
    T peek(long account) {
        return byAccount.get(account);
    }

    /** Adds an account (not in the table) with its records (count 0), as the most recently changed. */
    void add(long account, T entry) {
        entry.account = account;
        entry.count = 0;
        byAccount.put(account, entry);
        appendAge(entry);
        linkCount(entry);
    }

    /** The account's count changed by {@code delta} (within 0 to {@code perAccount}). */
    void counted(T entry, int delta) {
        int count = entry.count + delta;
        if (count < 0 || count > perAccount) {
            throw new IllegalArgumentException("count " + count + " outside 0.." + perAccount);
        }
        unlinkCount(entry);
        entry.count = count;
        linkCount(entry);
        total += delta;
    }

    /** The account holding the most records (of those with the most, the one that reached it first); null if none. */
    @SuppressWarnings("unchecked")
    T largest() {
        while (highest > 0 && firstWith[highest] == null) {
            highest--;
        }
        return highest == 0 ? null : (T) firstWith[highest];
    }

    /** Removes the account changed longest ago (the table must not be empty) and returns its records. */
    @SuppressWarnings("unchecked")
    T removeOldest() {
        T entry = (T) oldest;
        remove(entry);
        return entry;
    }

    /** Removes the account (in the table). */
    void remove(T entry) {
        unlinkAge(entry);
        unlinkCount(entry);
        total -= entry.count;
        byAccount.remove(entry.account);
    }

    /** Accounts held. */
    int size() {
        return byAccount.size();
    }

    /** The counts of every account, summed. */
    long total() {
        return total;
    }

    private void appendAge(Entry entry) {
        entry.older = newest;
        entry.newer = null;
        if (newest != null) {
            newest.newer = entry;
        }
        newest = entry;
        if (oldest == null) {
            oldest = entry;
        }
    }

    private void unlinkAge(Entry entry) {
        if (entry.older != null) {
            entry.older.newer = entry.newer;
        } else {
            oldest = entry.newer;
        }
        if (entry.newer != null) {
            entry.newer.older = entry.older;
        } else {
            newest = entry.older;
        }
        entry.older = null;
        entry.newer = null;
    }

    private void linkCount(Entry entry) {
        int count = entry.count;
        entry.previousSame = lastWith[count];
        entry.nextSame = null;
        if (lastWith[count] != null) {
            lastWith[count].nextSame = entry;
        } else {
            firstWith[count] = entry;
        }
        lastWith[count] = entry;
        if (count > highest) {
            highest = count;
        }
    }

    private void unlinkCount(Entry entry) {
        int count = entry.count;
        if (entry.previousSame != null) {
            entry.previousSame.nextSame = entry.nextSame;
        } else {
            firstWith[count] = entry.nextSame;
        }
        if (entry.nextSame != null) {
            entry.nextSame.previousSame = entry.previousSame;
        } else {
            lastWith[count] = entry.previousSame;
        }
        entry.previousSame = null;
        entry.nextSame = null;
    }
}
