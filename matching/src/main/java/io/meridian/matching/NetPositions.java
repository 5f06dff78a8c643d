package io.meridian.matching;

import io.meridian.model.Side;
import org.agrona.collections.Long2LongHashMap;

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
    public void onFill(long account, Side side, long quantity) {
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
}
