package io.meridian.risk.options;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import static io.meridian.risk.options.OptionFixtures.NOW;
import static io.meridian.risk.options.OptionFixtures.SPOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The hot paths allocate nothing once warm: reprices, incremental position changes, re-sums and queries. */
class OptionMarginAllocationTest {
    private static long allocated() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                && sun.isThreadAllocatedMemoryEnabled()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    private static long loop(ScenarioTable table, OptionMarginAccount[] accounts, MarkSource marks, int rounds) {
        long checksum = 0;
        for (int r = 0; r < rounds; r++) {
            if (r % 500 == 0) {
                assertEquals(RepriceStatus.OK, table.reprice(SPOT + (r % 7) * 10.0, NOW + r, marks));
            }
            OptionMarginAccount account = accounts[r % accounts.length];
            int series = 1 + (r * 37) % (table.seriesCount() - 1);
            account.setPosition(series, (r % 11) - 5);
            checksum += account.initialMargin() + account.maintenanceMargin() + account.standardInitialMargin();
            if (r % 10 == 0) {
                checksum += account.recompute();
            }
        }
        return checksum;
    }

    @Test
    void garbageFreeAfterWarmUp() {
        ScenarioTable table = OptionFixtures.table();
        table.addSeries(SeriesSpec.perpetual(0.001));
        for (int expiry = 1; expiry <= 10; expiry++) {
            for (int strike = 0; strike < 20; strike++) {
                OptionFixtures.call(table, 40_000 + 2_000 * strike, 7 * expiry);
                OptionFixtures.put(table, 40_000 + 2_000 * strike, 7 * expiry);
            }
        }
        MarkSource marks = OptionFixtures.smile(0.6, 0.01, 0.0);
        OptionFixtures.reprice(table);
        OptionMarginAccount[] accounts = new OptionMarginAccount[4];
        for (int a = 0; a < accounts.length; a++) {
            accounts[a] = new OptionMarginAccount(table, a == 3 ? OptionMarginMode.STANDARD : OptionMarginMode.PORTFOLIO);
            for (int i = 0; i < 200; i++) {
                accounts[a].setPosition(1 + (i * 2 + a) % (table.seriesCount() - 1), (i % 9) - 4 == 0 ? 1 : (i % 9) - 4);
            }
        }
        loop(table, accounts, marks, 50_000);
        long before = allocated();
        assumeTrue(before >= 0, "thread allocation counting unavailable");
        int rounds = 100_000;
        long checksum = loop(table, accounts, marks, rounds);
        long after = allocated();
        // Under one byte per round (the JVM's own bookkeeping, e.g. JIT compilation, can add a few kilobytes once).
        assertTrue(after - before < rounds, (after - before) + " bytes allocated (checksum " + checksum + ")");
    }
}
