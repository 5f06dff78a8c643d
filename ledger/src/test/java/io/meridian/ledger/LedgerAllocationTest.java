package io.meridian.ledger;

import io.meridian.model.AssetSpec;
import io.meridian.model.EngineEvents;
import io.meridian.model.PostingType;
import io.meridian.model.StateHasher;
import io.meridian.model.SystemAccounts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady-state garbage-freedom of the hot path, measured by bytes allocated rather than by time (timed tests are
 * flaky; a byte count is not). After warm-up on maps that have grown to the workload, 100k+ postings through
 * {@link Ledger#post}, the user commands (applied and rejected), zero-balance removal and re-insertion, the
 * conservation check and periodic {@link Ledger#hashState} must allocate nothing but a small fixed slack (the
 * allocation counter itself, a JIT compilation landing mid-run).
 */
class LedgerAllocationTest {
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final int ACCOUNTS = 1_000;
    private static final long SPARE = ACCOUNTS + 1;
    private static final int MEASURED_STEPS = 100_000;
    private static final long SLACK_BYTES = 8 * 1024;

    /** Counts instead of recording: a recording listener would be the allocation we are looking for. */
    private static final class CountingEvents implements EngineEvents {
        long postings;
        long checksum;

        @Override
        public void postingApplied(long sequence, long timestamp, PostingType type, int asset, long fromAccount,
                                   long toAccount, long amount, long fromBalance, long toBalance) {
            postings++;
            checksum += fromBalance ^ toBalance;
        }
    }

    @Test
    void postingsAllocateNothingInSteadyState() {
        java.lang.management.ThreadMXBean platform = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(platform instanceof com.sun.management.ThreadMXBean,
                "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) platform;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting unsupported");
        if (!threads.isThreadAllocatedMemoryEnabled()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }

        CountingEvents events = new CountingEvents();
        Ledger ledger = new Ledger(events, 4 * ACCOUNTS, 1_024);
        assertNull(ledger.addAsset(new AssetSpec(USDC, "USDC", 6)));
        assertNull(ledger.addAsset(new AssetSpec(BTC, "BTC", 8)));
        for (long account = 1; account <= ACCOUNTS; account++) {
            assertNull(ledger.deposit(account, USDC, 1_000_000_000L));
            assertNull(ledger.deposit(account, BTC, 100_000_000L));
        }
        StateHasher hasher = new StateHasher();
        for (int round = 0; round < 5; round++) {
            run(ledger, hasher, round * MEASURED_STEPS, MEASURED_STEPS);
        }

        long postingsBefore = events.postings;
        long before = threads.getCurrentThreadAllocatedBytes();
        run(ledger, hasher, 5 * MEASURED_STEPS, MEASURED_STEPS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long postings = events.postings - postingsBefore;

        assertTrue(postings >= MEASURED_STEPS, "the workload should post at least once per step, posted " + postings);
        assertTrue(allocated <= SLACK_BYTES, allocated + " bytes allocated over " + postings + " postings ("
                + (double) allocated / postings + " per posting); expected none beyond " + SLACK_BYTES + " slack");
        assertTrue(ledger.isConserved(), ledger.conservationReport());
        assertNull(ledger.recomputeSums());
    }

    /**
     * A deterministic mix of the hot-path calls. Balances stay far from limits; rejects (a transfer larger than the
     * balance, a withdrawal against a large reserve) are part of the mix because a reject must not allocate either.
     */
    private static void run(Ledger ledger, StateHasher hasher, long start, int steps) {
        for (long i = start; i < start + steps; i++) {
            ledger.setContext(i, i * 10);
            long a = 1 + (i * 7_919) % ACCOUNTS;
            long b = 1 + (a + 1 + (i % 13)) % ACCOUNTS;
            int asset = (int) (i & 1);
            switch ((int) (i % 8)) {
                case 0:
                    ledger.transfer(a, b, asset, 1 + (i % 97));
                    break;
                case 1:
                    ledger.post(PostingType.TRADE_FEE, asset, a, SystemAccounts.FEE_POOL, 3);
                    ledger.post(PostingType.MAKER_REBATE, asset, SystemAccounts.FEE_POOL, b, 1);
                    break;
                case 2:
                    ledger.post(PostingType.REALIZED_PNL, asset, SystemAccounts.CLEARING, a, 50);
                    ledger.post(PostingType.REALIZED_PNL, asset, b, SystemAccounts.CLEARING, 50);
                    break;
                case 3:
                    ledger.withdraw(a, asset, 5, 100);
                    ledger.deposit(a, asset, 5);
                    break;
                case 4:
                    // Whole balances out and back: removes both keys once and re-inserts them.
                    ledger.post(PostingType.TRANSFER, asset, a, SPARE, ledger.balance(a, asset));
                    ledger.post(PostingType.TRANSFER, asset, SPARE, a, ledger.balance(SPARE, asset));
                    break;
                case 5:
                    ledger.post(PostingType.LIQUIDATION_FEE, asset, a, SystemAccounts.INSURANCE_FUND, 2);
                    ledger.post(PostingType.INSURANCE_FUND_PAYOUT, asset, SystemAccounts.INSURANCE_FUND,
                            SystemAccounts.CLEARING, 2);
                    ledger.post(PostingType.FUNDING, asset, SystemAccounts.CLEARING, b, 2);
                    break;
                case 6:
                    ledger.transfer(a, b, asset, Long.MAX_VALUE);
                    ledger.withdraw(a, asset, 1, Long.MAX_VALUE);
                    ledger.post(PostingType.TRANSFER, asset, b, a, 1);
                    break;
                default:
                    if (!ledger.isConserved()) {
                        throw new AssertionError("not conserved at step " + i);
                    }
                    if (i % 1_024 == 7) {
                        ledger.hashState(hasher);
                    }
                    ledger.post(PostingType.SOCIALIZED_LOSS, asset, a, SystemAccounts.CLEARING, 1);
                    break;
            }
        }
    }
}
