package io.meridian.app.load;

import java.util.SplittableRandom;

/**
 * One order of the load generator's mix, drawn the same way for every protocol so that JSON and binary runs of one
 * seed send the same orders: half makers (GTC, 1 to 20 ticks from the mark on the passive side, 1 to 9 lots), half
 * takers (IOC, 20 ticks through the mark, 1 to 12 lots). Reused per connection: drawing allocates nothing.
 */
final class MixedOrder {
    boolean buy;
    boolean taker;
    long ticks;
    long lots;

    MixedOrder draw(SplittableRandom random, long markTicks) {
        buy = random.nextBoolean();
        taker = random.nextBoolean();
        if (taker) {
            ticks = markTicks + (buy ? 20 : -20);
            lots = 1 + random.nextInt(12);
        } else {
            int away = 1 + random.nextInt(20);
            ticks = markTicks + (buy ? -away : away);
            lots = 1 + random.nextInt(9);
        }
        return this;
    }
}
