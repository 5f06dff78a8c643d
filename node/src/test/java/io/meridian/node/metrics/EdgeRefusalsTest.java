package io.meridian.node.metrics;

import io.meridian.model.RejectReason;
import io.meridian.node.codec.Codes;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway refusals' code table and its cost (docs/operations.md, "Metrics"): every gateway code and the
 * authorisation codes have their own slot, any other number (client-chosen, negative, huge) counts under "other", and
 * the I/O thread's call allocates nothing; a scrape lists exactly the table's series, a fixed number whatever was
 * counted.
 */
class EdgeRefusalsTest {
    @Test
    void codesOfTheTableHaveTheirOwnSlotsAndTheRestShareOne() {
        for (int code : new int[] {Codes.BAD_JSON, Codes.BAD_FIELD, Codes.NOT_FOUND, Codes.RATE_LIMITED,
            Codes.OVERLOADED, Codes.READ_TOKEN_REQUIRED, RejectReason.BAD_SIGNATURE.code(),
            RejectReason.SIGNATURE_REQUIRED.code(), RejectReason.NOT_AN_ADMIN.code(), 413, 431, 1009}) {
            assertTrue(Arrays.binarySearch(EdgeRefusals.CODES, code) >= 0, "listed: " + code);
        }
        EdgeRefusals refusals = new EdgeRefusals();
        long seed = System.nanoTime();
        System.out.println("EdgeRefusalsTest seed " + seed);
        Random random = new Random(seed);
        int others = 0;
        for (int i = 0; i < 10_000; i++) {
            int code = random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(10_000);
            refusals.refused(EdgeRefusals.Edge.WS, code);
            if (Arrays.binarySearch(EdgeRefusals.CODES, code) < 0) {
                others++;
            }
        }
        refusals.refused(EdgeRefusals.Edge.REST, Codes.BAD_FIELD);
        refusals.refused(EdgeRefusals.Edge.REST, Integer.MIN_VALUE);
        assertEquals(others, refusals.other(EdgeRefusals.Edge.WS));
        assertEquals(1, refusals.count(EdgeRefusals.Edge.REST, Codes.BAD_FIELD));
        assertEquals(1, refusals.other(EdgeRefusals.Edge.REST));
        assertEquals(0, refusals.count(EdgeRefusals.Edge.FIX, Codes.BAD_FIELD));

        NodeMetrics metrics = new NodeMetrics(new NodeMeters());
        metrics.refusals().refused(EdgeRefusals.Edge.FIX, 123_456);
        String text = metrics.scrape();
        System.out.println("the registry's scrape before a node binds its sources: " + text.lines().count()
                + " lines, " + text.length() + " characters");
        long series = text.lines().filter(l -> l.startsWith("meridian_gateway_refusals_total{")).count();
        assertEquals((long) EdgeRefusals.Edge.values().length * (EdgeRefusals.CODES.length + 1), series);
        assertTrue(text.contains("meridian_gateway_refusals_total{code=\"other\",edge=\"fix\"} 1.0"), text);
        metrics.close();
    }

    @Test
    void countingOnAnIoThreadAllocatesNothing() {
        EdgeRefusals refusals = new EdgeRefusals();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int[] codes = {Codes.BAD_FIELD, RejectReason.BAD_SIGNATURE.code(), 77_777, -1, Codes.RATE_LIMITED};
        EdgeRefusals.Edge[] edges = EdgeRefusals.Edge.values();
        for (int i = 0; i < 200_000; i++) {
            refusals.refused(edges[i % 3], codes[i % codes.length]);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 2_000_000; i++) {
            refusals.refused(edges[i % 3], codes[i % codes.length]);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        // An object per call would be tens of megabytes; what remains is the allocation counter's own noise.
        assertTrue(allocated < 1024, allocated + " bytes allocated by 2M refusals counted");
    }
}
