package io.meridian.ledger;

import io.meridian.model.PostingType;
import io.meridian.model.SystemAccounts;

/**
 * The most recent postings of a {@link Ledger}, newest last, in a preallocated ring: a cheap audit view for the
 * engine and for tests (what did this command move?) without a listener. It is a window, not the record: once
 * {@link #capacity()} newer postings have been appended an entry is overwritten, and it is not part of the ledger's
 * state (not hashed, not snapshotted). The {@code postingApplied} events are the record of every posting.
 *
 * <p>Entries are addressed by position, {@code 0} = oldest still held, {@code size() - 1} = newest. The postings of
 * the current command are the last {@link #commandPostings()} positions. Appending allocates nothing: the ring is
 * struct-of-arrays of primitives and enum references. Confined to the ledger's thread like the ledger itself.
 */
public final class PostingLog {
    private final int mask;
    private final long[] sequences;
    private final PostingType[] types;
    private final int[] assets;
    private final long[] froms;
    private final long[] tos;
    private final long[] amounts;

    private long total;
    private long commandSequence;
    private boolean commandStarted;
    private long commandCount;

    /** @param capacity postings kept; rounded up to a power of two so that a slot is an AND, not a division */
    PostingLog(int capacity) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("posting log capacity must be 1 to 2^30, was " + capacity);
        }
        int size = Integer.highestOneBit(capacity);
        if (size < capacity) {
            size <<= 1;
        }
        mask = size - 1;
        sequences = new long[size];
        types = new PostingType[size];
        assets = new int[size];
        froms = new long[size];
        tos = new long[size];
        amounts = new long[size];
    }

    /**
     * Marks the start of the command with this sequence number. Only a change of sequence starts a new command, so a
     * caller that sets the same context twice within one command keeps the postings it already made.
     */
    void startCommand(long sequence) {
        if (!commandStarted || sequence != commandSequence) {
            commandStarted = true;
            commandSequence = sequence;
            commandCount = 0;
        }
    }

    void append(long sequence, PostingType type, int asset, long from, long to, long amount) {
        int slot = (int) (total & mask);
        sequences[slot] = sequence;
        types[slot] = type;
        assets[slot] = asset;
        froms[slot] = from;
        tos[slot] = to;
        amounts[slot] = amount;
        total++;
        commandCount++;
    }

    /** Entries the ring holds at most (a power of two). */
    public int capacity() {
        return mask + 1;
    }

    /** Postings appended since the ledger was created, including those already overwritten. */
    public long total() {
        return total;
    }

    /** Entries currently held: {@code min(total(), capacity())}. */
    public int size() {
        return (int) Math.min(total, capacity());
    }

    /**
     * How many of the newest entries belong to the current command (the sequence of the ledger's last
     * {@code setContext}); 0 before it posts anything. Capped at {@link #size()}: a command that posted more than
     * the capacity has lost its oldest entries from this view, never from the events.
     */
    public int commandPostings() {
        return (int) Math.min(commandCount, size());
    }

    /** Sequence number of the command that made the entry at {@code position} (0 = oldest held). */
    public long sequence(int position) {
        return sequences[slot(position)];
    }

    public PostingType type(int position) {
        return types[slot(position)];
    }

    public int asset(int position) {
        return assets[slot(position)];
    }

    /** The account debited. */
    public long from(int position) {
        return froms[slot(position)];
    }

    /** The account credited. */
    public long to(int position) {
        return tos[slot(position)];
    }

    /** Minor units moved; always positive. */
    public long amount(int position) {
        return amounts[slot(position)];
    }

    /** One entry as text, e.g. {@code "#7 DEPOSIT asset 0: external -> 42: 1500000"}; allocates, for messages. */
    public String describe(int position) {
        int slot = slot(position);
        return "#" + sequences[slot] + ' ' + types[slot] + " asset " + assets[slot] + ": "
                + SystemAccounts.name(froms[slot]) + " -> "
                + SystemAccounts.name(tos[slot]) + ": " + amounts[slot];
    }

    private int slot(int position) {
        int size = size();
        if (position < 0 || position >= size) {
            throw new IndexOutOfBoundsException("position " + position + " outside the " + size + " entries held");
        }
        return (int) ((total - size + position) & mask);
    }
}
