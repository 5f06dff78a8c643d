package io.meridian.matching;

import io.meridian.model.Liquidity;
import io.meridian.model.Side;
import io.meridian.model.StateHasher;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Net position per account for one instrument, derived from fills alone. Garbage-free after warm-up (Agrona's
 * open-addressing map; flat accounts are removed so the map holds only open positions).
 */
public final class NetPositions implements Positions {
    private final Long2LongHashMap positions = new Long2LongHashMap(1024, 0.65f, 0L);

    @Override
    public long netPosition(long account) {
        return positions.get(account);
    }

    @Override
    public void onFill(long account, Side side, long price, long quantity, Liquidity liquidity) {
        long next = Math.addExact(positions.get(account), side == Side.BUY ? quantity : -quantity);
        if (next == 0) {
            positions.remove(account);
        } else {
            positions.put(account, next);
        }
    }

    /** Number of accounts with a non-zero position. */
    public int openPositions() {
        return positions.size();
    }

    /** Sum of all net positions; zero whenever every trade had both sides recorded. */
    public long sum() {
        long sum = 0;
        Long2LongHashMap.KeyIterator keys = positions.keySet().iterator();
        while (keys.hasNext()) {
            sum += positions.get(keys.nextValue());
        }
        return sum;
    }

    /** Feeds the positions into the hasher by ascending account, so that the hash does not depend on map layout. */
    public void hashState(StateHasher hasher) {
        long[] accounts = new long[positions.size()];
        int n = 0;
        Long2LongHashMap.KeyIterator keys = positions.keySet().iterator();
        while (keys.hasNext()) {
            accounts[n++] = keys.nextValue();
        }
        Arrays.sort(accounts);
        hasher.add(n);
        for (long account : accounts) {
            hasher.add(account).add(positions.get(account));
        }
    }
}
