package io.meridian.node.metrics;

import io.meridian.model.CommandType;
import io.meridian.model.RejectReason;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the engine thread pays for the metrics (docs/performance.md, "Metrics"): the calls it makes per command, per
 * batch and per fsync ({@link NodeMeters#completed}, {@link NodeMeters#queueWait}, {@link NodeMeters#fsync})
 * allocate nothing, measured with the thread's allocation counter while another thread scrapes (a few hundred bytes
 * in all, the counter's own, would be noise; one object per call would be tens of megabytes); and their time per
 * command is printed, alone and with the scrapes.
 */
class NodeMetersCostTest {
    private static final int CALLS = 2_000_000;

    @Test
    void theEngineThreadsCallsAllocateNothing() throws Exception {
        NodeMeters meters = new NodeMeters();
        NodeMetrics metrics = new NodeMetrics(meters);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        run(meters, CALLS);
        long alone = System.nanoTime();
        run(meters, CALLS);
        alone = System.nanoTime() - alone;
        Thread scraper = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                metrics.scrape();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        scraper.start();
        try {
            long before = threads.getThreadAllocatedBytes(id);
            long start = System.nanoTime();
            run(meters, CALLS);
            long nanos = System.nanoTime() - start;
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            System.out.printf("metrics on the engine thread: %.1f ns per command alone, %.1f ns while scraped every"
                    + " millisecond (completed, and a queue wait and an fsync per 8 commands); %d bytes allocated in %d"
                    + " commands%n", (double) alone / CALLS, (double) nanos / CALLS, allocated, CALLS);
            assertTrue(allocated < 1024, allocated + " bytes allocated by the engine thread's metric calls");
        } finally {
            scraper.interrupt();
            scraper.join();
        }
        String text = metrics.scrape();
        assertTrue(text.contains("meridian_rejects_total{code=\"7001\",reason=\"INSUFFICIENT_MARGIN\"}"), text);
        metrics.close();
    }

    /** What a busy engine thread calls: per command its answer, per batch of 8 a queue wait and an fsync. */
    private static void run(NodeMeters meters, int calls) {
        for (int i = 0; i < calls; i++) {
            meters.completed(CommandType.PLACE_ORDER, (i & 15) == 0 ? RejectReason.INSUFFICIENT_MARGIN : null,
                    20_000 + (i & 1023) * 100L);
            if ((i & 7) == 0) {
                meters.queueWait(1_000 + (i & 255));
                meters.fsync(500_000 + (i & 4095));
            }
        }
    }
}
