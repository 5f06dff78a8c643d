package io.meridian.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link OrderIndex} against a hash map, over sequential ids, random ids and ids that are multiples of the table size
 * (the arithmetic an attacker would try against a weak hash): after every put and remove, the size and every live id
 * and some dead ones agree, and a duplicate put returns the indexed order and changes nothing.
 */
class OrderIndexProperties {

    @Property(tries = 300)
    void agreesWithAHashMap(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int ids) {
        Random random = new Random(seed);
        OrderIndex index = new OrderIndex(1 + random.nextInt(64));
        Map<Long, Order> reference = new HashMap<>();
        List<Long> live = new ArrayList<>();
        long next = 1 + random.nextInt(1000);
        String context = "seed=" + seed + " ids=" + ids;
        for (int step = 0; step < 2000; step++) {
            if (live.isEmpty() || random.nextInt(100) < (live.size() < 500 ? 60 : 45)) {
                long id = ids == 0 ? next++ : ids == 1 ? 1 + (random.nextLong() >>> 1) : 4096L * (1 + random.nextInt(5000));
                Order order = new Order();
                order.orderId = id;
                Order existing = index.put(order);
                assertSame(reference.get(id), existing, context);
                if (existing == null) {
                    reference.put(id, order);
                    live.add(id);
                }
            } else {
                long id = live.remove(random.nextInt(live.size()));
                index.remove(id);
                reference.remove(id);
                assertNull(index.get(id), context);
                index.remove(id);
            }
            assertEquals(reference.size(), index.size(), context);
            if (step % 50 == 0 || step > 1990) {
                for (Map.Entry<Long, Order> e : reference.entrySet()) {
                    assertSame(e.getValue(), index.get(e.getKey()), context + " step " + step);
                }
                assertNull(index.get(-step - 1), context);
            }
        }
        index.ensureCapacity(10_000);
        for (Map.Entry<Long, Order> e : reference.entrySet()) {
            assertSame(e.getValue(), index.get(e.getKey()), context + " after growing");
        }
    }
}
