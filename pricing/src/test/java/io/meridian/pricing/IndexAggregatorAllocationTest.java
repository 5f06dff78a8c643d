package io.meridian.pricing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.junit.jupiter.api.Test;

/** report and recompute allocate nothing after warm-up (the events carry primitives only). */
class IndexAggregatorAllocationTest {
    private static long allocated() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                && sun.isThreadAllocatedMemoryEnabled()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    private static long loop(IndexAggregator a, int rounds, long start) {
        long checksum = 0;
        for (int r = 0; r < rounds; r++) {
            long now = start + r * 1_000_000L;
            for (int i = 0; i < 8; i++) {
                long price = i == 7 ? 200_000 : 100_000 + ((r * 31 + i * 17) % 997);
                a.report(i, price, -1, now - (i == 6 ? 120_000_000_000L : 0), now);
            }
            a.recompute(now);
            checksum += a.index();
        }
        return checksum;
    }

    @Test
    void garbageFreeAfterWarmUp() {
        IndexAggregator a = new IndexAggregator(AggregatorConfig.defaults(), IndexEvents.NONE);
        for (int i = 0; i < 8; i++) {
            a.registerSource(i, "s" + i);
        }
        loop(a, 20_000, 200_000_000_000L);
        long before = allocated();
        assumeTrue(before >= 0, "thread allocation counting unavailable");
        int rounds = 100_000;
        long checksum = loop(a, rounds, 400_000_000_000L);
        long after = allocated();
        // Under one byte per round: nothing is allocated per report or recompute (the JVM's own bookkeeping, e.g.
        // JIT compilation on this thread, can add a few kilobytes once).
        assertTrue(after - before < rounds, (after - before) + " bytes allocated (checksum " + checksum + ")");
    }
}
