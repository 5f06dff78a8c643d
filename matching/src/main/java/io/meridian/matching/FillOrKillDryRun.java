package io.meridian.matching;

import io.meridian.model.SelfTradePrevention;
import io.meridian.model.Side;
import org.agrona.collections.Long2LongHashMap;

/**
 * The dry run of matching a fill-or-kill order: replays, on scratch copies, exactly what the book's match would do to
 * each crossing level (queue order, iceberg refills moving to the back, self-trade prevention, reduce-only caps of
 * makers and taker against positions as the fills so far would have moved them, wash fills leaving positions alone)
 * and answers whether the taker would fill completely. Touches no order and no position; allocates only to grow its
 * scratch (a level's queue longer than any before). One per book, confined to the book's thread.
 */
final class FillOrKillDryRun {
    private final Positions positions;
    /** The position change each account would have so far in the walk (cleared after each dry run). */
    private final Long2LongHashMap walkPositionChange = new Long2LongHashMap(16, 0.65f, Long.MIN_VALUE);
    /** Scratch copy of one level's queue: orders, remaining and visible quantities. */
    private Order[] scratchOrders = new Order[64];
    private long[] scratchRemaining = new long[64];
    private long[] scratchVisible = new long[64];

    FillOrKillDryRun(Positions positions) {
        this.positions = positions;
    }

    /**
     * Whether a taker of {@code needed} lots with these flags and limit would fill completely against
     * {@code opposite}, the other side of its book. Leaves the book, the orders and the positions as they were.
     */
    boolean fillable(BookSide opposite, long account, Side side, SelfTradePrevention stp, boolean reduceOnly,
                     long needed, long limit) {
        if (reduceOnly && OrderBook.reducibleFrom(positions.netPosition(account), side) < needed) {
            return false;
        }
        long need = needed;
        boolean stopped = false;
        for (int depth = 0; need > 0 && !stopped; depth++) {
            PriceLevel level = opposite.fromTop(depth);
            if (level == null || !OrderBook.crosses(side, level.price, limit)) {
                break;
            }
            long left = dryRunLevel(level, account, side, stp, reduceOnly, need);
            stopped = left < 0;
            need = stopped ? need : left;
        }
        walkPositionChange.clear();
        return need == 0 && !stopped;
    }

    /**
     * One level of the fill-or-kill dry run. Returns the quantity the taker still needs after the level, or -1 when
     * matching would stop the taker here (self-trade prevention, or a reduce-only taker with nothing left to reduce).
     */
    private long dryRunLevel(PriceLevel level, long account, Side side, SelfTradePrevention stp, boolean reduceOnly,
                             long need) {
        int count = loadScratchQueue(level);
        int size = count;
        int head = 0;
        while (need > 0 && size > 0) {
            Order maker = scratchOrders[head];
            boolean own = maker.account == account;
            if (own && stp != null && stp != SelfTradePrevention.NONE) {
                if (stp != SelfTradePrevention.EXPIRE_MAKER) {
                    return -1;
                }
                head = (head + 1) % count;
                size--;
                continue;
            }
            long cap = maker.reduceOnly ? reducibleDuringWalk(maker.account, maker.side) : Long.MAX_VALUE;
            if (cap == 0) {
                head = (head + 1) % count;
                size--;
                continue;
            }
            long quantity = Math.min(Math.min(need, scratchVisible[head]), cap);
            if (reduceOnly) {
                quantity = Math.min(quantity, reducibleDuringWalk(account, side));
                if (quantity == 0) {
                    return -1;
                }
            }
            need -= quantity;
            scratchRemaining[head] -= quantity;
            scratchVisible[head] -= quantity;
            if (!own) {
                changeDuringWalk(maker.account, maker.side, quantity);
                changeDuringWalk(account, side, quantity);
            }
            if (scratchRemaining[head] == 0
                    || (maker.reduceOnly && reducibleDuringWalk(maker.account, maker.side) == 0)) {
                head = (head + 1) % count;
                size--;
            } else if (scratchVisible[head] == 0) {
                // The refilled peak joins the back of the queue.
                long remaining = scratchRemaining[head];
                long visible = Math.min(maker.displayQuantity, remaining);
                int tail = (head + size) % count;
                scratchOrders[tail] = maker;
                scratchRemaining[tail] = remaining;
                scratchVisible[tail] = visible;
                head = (head + 1) % count;
            }
        }
        return need;
    }

    /** Copies the level's queue into the scratch arrays (grown as needed) and returns its length. */
    private int loadScratchQueue(PriceLevel level) {
        int n = level.orderCount;
        if (scratchOrders.length < n) {
            int capacity = Math.max(n, scratchOrders.length * 2);
            scratchOrders = new Order[capacity];
            scratchRemaining = new long[capacity];
            scratchVisible = new long[capacity];
        }
        int i = 0;
        for (Order order = level.head; order != null; order = order.next) {
            scratchOrders[i] = order;
            scratchRemaining[i] = order.remaining;
            scratchVisible[i] = order.visible;
            i++;
        }
        return n;
    }

    private long reducibleDuringWalk(long account, Side side) {
        long change = walkPositionChange.get(account);
        return OrderBook.reducibleFrom(positions.netPosition(account) + (change == Long.MIN_VALUE ? 0 : change), side);
    }

    private void changeDuringWalk(long account, Side side, long quantity) {
        long change = walkPositionChange.get(account);
        walkPositionChange.put(account, (change == Long.MIN_VALUE ? 0 : change) + side.sign() * quantity);
    }
}
