package io.meridian.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link BookSide} against a sorted map: after every insert or remove, the size, the best, every depth (walked in
 * order, in reverse and at random), and finding every live and some dead prices agree. The key mixes exercise the
 * window (near prices), its growth and re-centring (a drifting market, a side that empties), and the overflow
 * (hostile far prices on both sides of the window, alternating).
 */
class BookSideProperties {

    @Property(tries = 300)
    void agreesWithASortedMap(@ForAll long seed, @ForAll boolean bids, @ForAll @IntRange(min = 0, max = 4) int mix) {
        run(seed, bids, mix, 600);
    }

    @Test
    void aLongDriftingMarketWithFarOrdersAgrees() {
        for (int mix = 0; mix <= 4; mix++) {
            run(20261207L + mix, mix % 2 == 0, mix, 40_000);
        }
    }

    @Test
    void walkingTheDepthsInOrderIsOneStepEach() {
        BookSide side = new BookSide(true, 256);
        for (int price = 1; price <= 50_000; price += 3) {
            side.insert(level(side, price));
        }
        int size = side.size();
        long previous = Long.MAX_VALUE;
        for (int depth = 0; depth < size; depth++) {
            long price = side.fromTop(depth).price;
            assertEquals(true, price < previous);
            previous = price;
        }
        assertNull(side.fromTop(size));
        assertNull(side.fromTop(-1));
    }

    private static void run(long seed, boolean bids, int mix, int steps) {
        Random random = new Random(seed);
        BookSide side = new BookSide(bids, 16);
        TreeMap<Long, PriceLevel> reference = new TreeMap<>();
        List<Long> live = new ArrayList<>();
        long centre = 1_000_000 + random.nextInt(1_000_000);
        String context = "seed=" + seed + " bids=" + bids + " mix=" + mix;
        for (int step = 0; step < steps; step++) {
            centre += mix == 1 ? random.nextInt(7) - 2 : 0; // drifts up
            boolean insert = live.isEmpty() || random.nextInt(100) < (live.size() < 300 ? 60 : 40);
            if (insert) {
                long price = price(random, mix, centre);
                if (price <= 0 || side.find(price) != null) {
                    assertEquals(reference.containsKey(side.keyOf(price)), price > 0 && side.find(price) != null, context);
                    continue;
                }
                PriceLevel level = level(side, price);
                side.insert(level);
                reference.put(level.key, level);
                live.add(price);
            } else {
                long price = mix == 3 && random.nextBoolean() ? live.get(live.size() - 1)
                        : live.get(random.nextInt(live.size()));
                live.remove(Long.valueOf(price));
                PriceLevel level = side.find(price);
                assertSame(reference.remove(side.keyOf(price)), level, context + " step " + step);
                side.remove(level);
                assertNull(side.find(price), context);
            }
            check(side, reference, random, context + " step " + step);
        }
    }

    private static long price(Random random, int mix, long centre) {
        switch (mix) {
            case 0: // near the market only
                return centre + random.nextInt(3000) - 1500;
            case 2: // hostile far prices on both sides, alternating with near ones
                return random.nextBoolean() ? centre + random.nextInt(40) - 20
                        : random.nextBoolean() ? 1 + random.nextInt(1000) : centre * 50 + random.nextInt(100_000);
            case 3: // spans larger than the largest window
                return 1 + (long) (random.nextDouble() * BookSide.MAX_WINDOW * 3);
            case 4: // clustered bursts far apart (the window re-centres when a side empties)
                return (random.nextInt(3) + 1) * 5_000_000L + random.nextInt(200);
            default:
                return centre + random.nextInt(400) - 200;
        }
    }

    private static void check(BookSide side, TreeMap<Long, PriceLevel> reference, Random random, String context) {
        assertEquals(reference.size(), side.size(), context);
        if (reference.isEmpty()) {
            assertNull(side.best(), context);
            return;
        }
        assertSame(reference.lastEntry().getValue(), side.best(), context);
        List<PriceLevel> ordered = new ArrayList<>(reference.descendingMap().values());
        if (random.nextInt(20) == 0) {
            for (int depth = 0; depth < ordered.size(); depth++) {
                assertSame(ordered.get(depth), side.fromTop(depth), context + " depth " + depth);
            }
            for (int depth = ordered.size() - 1; depth >= 0; depth--) {
                assertSame(ordered.get(depth), side.fromTop(depth), context + " reverse depth " + depth);
            }
        }
        for (int i = 0; i < 3; i++) {
            int depth = random.nextInt(ordered.size());
            assertSame(ordered.get(depth), side.fromTop(depth), context + " random depth " + depth);
        }
        for (Map.Entry<Long, PriceLevel> e : reference.entrySet()) {
            if (random.nextInt(10) == 0) {
                assertSame(e.getValue(), side.find(e.getValue().price), context);
            }
        }
    }

    private static PriceLevel level(BookSide side, long price) {
        PriceLevel level = new PriceLevel();
        level.price = price;
        level.key = side.keyOf(price);
        return level;
    }
}
