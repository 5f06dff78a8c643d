package io.meridian.risk;

import io.meridian.model.RestingTotals;
import io.meridian.model.StateHasher;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * An account's risk settings and the instruments it is active in (unordered; order does not reach outputs), with the
 * views of its resting orders and positions the margin calculation keeps. Owned by {@link MarginEngine}; engine thread
 * only.
 */
final class RiskAccount {
    final Int2IntHashMap leverage = new Int2IntHashMap(4, 0.65f, 0);
    /** Instruments in isolated mode; null until the account first uses one, which keeps cross accounts small. */
    IntHashSet isolated;
    /** Isolated margin by instrument id (long-keyed: Agrona has no int-to-long map); null until first used. */
    Long2LongHashMap isolatedMargin;

    boolean isIsolated(int instrument) {
        return isolated != null && isolated.contains(instrument);
    }

    void setIsolated(int instrument, boolean on) {
        if (on) {
            if (isolated == null) {
                isolated = new IntHashSet(4);
            }
            isolated.add(instrument);
        } else if (isolated != null) {
            isolated.remove(instrument);
        }
    }

    long isolatedMargin(int instrument) {
        return isolatedMargin == null ? 0 : isolatedMargin.get(instrument);
    }

    /** Sets the instrument's isolated margin; 0 removes the entry (the map cannot hold its missing value). */
    void setIsolatedMargin(int instrument, long amount) {
        if (amount == 0) {
            if (isolatedMargin != null) {
                isolatedMargin.remove(instrument);
            }
            return;
        }
        if (isolatedMargin == null) {
            isolatedMargin = new Long2LongHashMap(4, 0.65f, 0L);
        }
        isolatedMargin.put(instrument, amount);
    }

    boolean hasIsolatedMargin() {
        return isolatedMargin != null && !isolatedMargin.isEmpty();
    }

    /** True when the instrument's margin is kept apart from cross: isolated mode or margin not yet released. */
    boolean isApart(int instrument) {
        return isIsolated(instrument) || isolatedMargin(instrument) != 0;
    }
    int[] active = new int[4];
    int activeCount;
    /** Parallel to {@link #active}: where the instrument's views are in the arrays below. */
    int[] activeViews = new int[4];

    /*
     * Views, one per instrument the account has ever been active in (append-only, so bounded by the instruments;
     * never moved, so a deactivation moves ints, not references): caches, not state, never hashed or written.
     * They spare MarginCalculator.compute a look-up in each instrument's book and position map per check: with
     * an account active in a hundred instruments, those chains of cache misses were most of an order's time.
     */
    int[] viewInstruments = new int[4];
    int viewCount;
    /**
     * The venue's live view of the account's resting totals there, kept once found (it stays valid); or
     * {@link MarginCalculator#NO_ORDERS_YET} while the venue has none, checked against {@link #restingSeen}.
     */
    RestingTotals[] restingViews = new RestingTotals[4];
    /** The instrument's {@link Venue#restingTotalsMade} when the venue was last found to have no view. */
    long[] restingSeen = new long[4];
    /** The open position there (null when flat), as found while {@link #positionKnown} holds. */
    Position[] positionViews = new Position[4];
    /**
     * Whether the kept position (or its absence) is current: cleared by {@link #forgetPosition} on every fill or
     * transfer of the account in the instrument, the only things that open, change or close a position (a closed
     * one goes back to its book's pool and may open for another account).
     */
    boolean[] positionKnown = new boolean[4];

    boolean isActive(int instrument) {
        for (int i = 0; i < activeCount; i++) {
            if (active[i] == instrument) {
                return true;
            }
        }
        return false;
    }

    void activate(int instrument) {
        if (isActive(instrument)) {
            return;
        }
        if (activeCount == active.length) {
            active = Arrays.copyOf(active, activeCount * 2);
            activeViews = Arrays.copyOf(activeViews, activeCount * 2);
        }
        active[activeCount] = instrument;
        activeViews[activeCount++] = viewOf(instrument);
    }

    void deactivateAt(int index) {
        int last = --activeCount;
        active[index] = active[last];
        activeViews[index] = activeViews[last];
    }

    /** The index of the instrument's views, added (empty) on the account's first activation there. */
    private int viewOf(int instrument) {
        int existing = viewIndex(instrument);
        if (existing >= 0) {
            return existing;
        }
        if (viewCount == viewInstruments.length) {
            int grown = viewCount * 2;
            viewInstruments = Arrays.copyOf(viewInstruments, grown);
            restingViews = Arrays.copyOf(restingViews, grown);
            restingSeen = Arrays.copyOf(restingSeen, grown);
            positionViews = Arrays.copyOf(positionViews, grown);
            positionKnown = Arrays.copyOf(positionKnown, grown);
        }
        viewInstruments[viewCount] = instrument;
        return viewCount++;
    }

    /** The account's position in the instrument changed: its kept one, if any, is looked up again. */
    void forgetPosition(int instrument) {
        int v = viewIndex(instrument);
        if (v >= 0) {
            positionKnown[v] = false;
        }
    }

    /** The index of the instrument's views, or -1 when the account has never been active there. */
    private int viewIndex(int instrument) {
        for (int v = 0; v < viewCount; v++) {
            if (viewInstruments[v] == instrument) {
                return v;
            }
        }
        return -1;
    }

    /** The account's record in {@code accounts}, created on first use. */
    static RiskAccount of(Long2ObjectHashMap<RiskAccount> accounts, long account) {
        RiskAccount risk = accounts.get(account);
        if (risk == null) {
            risk = new RiskAccount();
            accounts.put(account, risk);
        }
        return risk;
    }

    /** Feeds the account's isolated positions, then its chosen leverages, into the hasher, by ascending instrument. */
    void hash(StateHasher hasher, long id) {
        hashIsolated(hasher, id);
        if (leverage.isEmpty()) {
            return;
        }
        int[] instrumentIds = new int[leverage.size()];
        int k = 0;
        Int2IntHashMap.KeyIterator instrumentKeys = leverage.keySet().iterator();
        while (instrumentKeys.hasNext()) {
            instrumentIds[k++] = instrumentKeys.nextValue();
        }
        Arrays.sort(instrumentIds);
        hasher.add(id);
        for (int instrument : instrumentIds) {
            hasher.add(instrument).add(leverage.get(instrument));
        }
    }

    private void hashIsolated(StateHasher hasher, long id) {
        if (isolated == null && isolatedMargin == null) {
            return;
        }
        // Instruments in isolated mode, then those still holding margin after a switch back (none, by construction).
        int size = isolated == null ? 0 : isolated.size();
        int[] members = new int[size];
        int n = 0;
        if (isolated != null) {
            IntHashSet.IntIterator iterator = isolated.iterator();
            while (iterator.hasNext()) {
                members[n++] = iterator.nextValue();
            }
        }
        Arrays.sort(members);
        hasher.add(id).add(n);
        for (int instrument : members) {
            hasher.add(instrument).add(isolatedMargin(instrument));
        }
    }
}
