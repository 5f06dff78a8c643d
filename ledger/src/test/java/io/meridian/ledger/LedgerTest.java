package io.meridian.ledger;

import io.meridian.model.AssetSpec;
import io.meridian.model.PostingType;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.event.Event;
import io.meridian.model.event.EventRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.meridian.model.SystemAccounts.CLEARING;
import static io.meridian.model.SystemAccounts.EXTERNAL;
import static io.meridian.model.SystemAccounts.FEE_POOL;
import static io.meridian.model.SystemAccounts.INSURANCE_FUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tests of {@link Ledger}: every reject, every misuse, the exact events, conservation and the state hash. */
class LedgerTest {
    private static final int USDC = 0;
    private static final int BTC = 1;
    private static final AssetSpec USDC_SPEC = new AssetSpec(USDC, "USDC", 6);
    private static final AssetSpec BTC_SPEC = new AssetSpec(BTC, "BTC", 8);
    private static final long SEQ = 41;
    private static final long TS = 1_700_000_000_000L;

    private EventRecorder recorder;
    private Ledger ledger;

    @BeforeEach
    void setUp() {
        recorder = new EventRecorder();
        ledger = new Ledger(recorder);
        ledger.setContext(1, TS - 1);
        assertNull(ledger.addAsset(USDC_SPEC));
        assertNull(ledger.addAsset(BTC_SPEC));
        recorder.clear();
        ledger.setContext(SEQ, TS);
    }

    static long hash(Ledger ledger) {
        StateHasher hasher = new StateHasher();
        ledger.hashState(hasher);
        return hasher.value();
    }

    private static Event.PostingApplied posting(PostingType type, int asset, long from, long to, long amount,
                                                long fromBalance, long toBalance) {
        return new Event.PostingApplied(SEQ, TS, type, asset, from, to, amount, fromBalance, toBalance);
    }

    /** Runs a call that must be refused with {@code expected}, and checks that it emitted and changed nothing. */
    private void assertRejected(RejectReason expected, Supplier<RejectReason> call) {
        long before = hash(ledger);
        long logged = ledger.recentPostings().total();
        assertEquals(expected, call.get());
        assertEquals(List.of(), recorder.events(), "a reject emits nothing");
        assertEquals(before, hash(ledger), "a reject changes nothing");
        assertEquals(logged, ledger.recentPostings().total(), "a reject logs no posting");
        assertTrue(ledger.isConserved(), ledger.conservationReport());
    }

    /** Runs a misuse of {@link Ledger#post} that must throw, and checks that it emitted and changed nothing. */
    private <T extends Throwable> T assertMisuse(Class<T> type, String messagePart, Executable call) {
        long before = hash(ledger);
        T thrown = assertThrows(type, call);
        assertTrue(thrown.getMessage() != null && thrown.getMessage().contains(messagePart),
                () -> "message '" + thrown.getMessage() + "' should mention '" + messagePart + "'");
        assertEquals(List.of(), recorder.events(), "a misuse emits nothing");
        assertEquals(before, hash(ledger), "a misuse changes nothing");
        return thrown;
    }

    @Nested
    class Assets {
        @Test
        void addingAnAssetEmitsAssetAdded() {
            AssetSpec eth = new AssetSpec(7, "ETH", 9);
            assertNull(ledger.addAsset(eth));
            assertEquals(List.of(new Event.AssetAdded(SEQ, TS, eth)), recorder.events());
            assertSame(eth, ledger.asset(7));
            assertEquals(3, ledger.assetCount());
            assertEquals(0, ledger.balance(5, 7));
            assertTrue(ledger.isConserved());
        }

        @Test
        void invalidSpecsAreRejected() {
            assertRejected(RejectReason.INVALID_ASSET, () -> ledger.addAsset(null));
            assertRejected(RejectReason.INVALID_ASSET, () -> ledger.addAsset(new AssetSpec(-1, "X", 2)));
            assertRejected(RejectReason.INVALID_ASSET, () -> ledger.addAsset(new AssetSpec(3, " ", 2)));
            assertRejected(RejectReason.INVALID_ASSET, () -> ledger.addAsset(new AssetSpec(3, null, 2)));
            assertRejected(RejectReason.INVALID_ASSET, () -> ledger.addAsset(new AssetSpec(3, "X", -1)));
            assertRejected(RejectReason.INVALID_ASSET, () -> ledger.addAsset(new AssetSpec(3, "X", 19)));
            assertRejected(RejectReason.INVALID_ASSET, () -> ledger.addAsset(new AssetSpec(Ledger.MAX_ASSETS, "X", 2)));
            assertNull(ledger.addAsset(new AssetSpec(Ledger.MAX_ASSETS - 1, "LAST", 18)));
        }

        @Test
        void duplicateIdsAndSymbolsAreRejected() {
            assertRejected(RejectReason.ASSET_EXISTS, () -> ledger.addAsset(new AssetSpec(USDC, "USDT", 6)));
            assertRejected(RejectReason.ASSET_EXISTS, () -> ledger.addAsset(new AssetSpec(9, "BTC", 8)));
            assertEquals(USDC_SPEC, ledger.asset(USDC));
            assertEquals(2, ledger.assetCount());
        }

        @Test
        void unknownIdsReadAsNothing() {
            assertNull(ledger.asset(2));
            assertNull(ledger.asset(-1));
            assertNull(ledger.asset(Ledger.MAX_ASSETS));
            assertNull(ledger.asset(Integer.MAX_VALUE));
            assertEquals(0, ledger.balance(1, 2));
            assertEquals(0, ledger.netDeposits(-1));
            assertEquals(0, ledger.sumOfInternalAccounts(Ledger.MAX_ASSETS));
            assertEquals(0, ledger.nonZeroBalances(99));
            ledger.forEachBalance(2, (account, balance) -> {
                throw new AssertionError("no balances for an unknown asset");
            });
        }
    }

    @Nested
    class Deposits {
        @Test
        void depositPostsFromExternal() {
            assertNull(ledger.deposit(42, USDC, 1_500_000));
            assertEquals(List.of(posting(PostingType.DEPOSIT, USDC, EXTERNAL, 42, 1_500_000, -1_500_000, 1_500_000)),
                    recorder.events());
            assertEquals(1_500_000, ledger.balance(42, USDC));
            assertEquals(-1_500_000, ledger.balance(EXTERNAL, USDC));
            assertEquals(1_500_000, ledger.netDeposits(USDC));
            assertEquals(1_500_000, ledger.sumOfInternalAccounts(USDC));
            assertEquals(0, ledger.netDeposits(BTC));
            assertTrue(ledger.isConserved(), ledger.conservationReport());
        }

        @Test
        void depositRejects() {
            assertRejected(RejectReason.INVALID_ACCOUNT, () -> ledger.deposit(0, USDC, 1));
            assertRejected(RejectReason.INVALID_ACCOUNT, () -> ledger.deposit(-7, USDC, 1));
            assertRejected(RejectReason.INVALID_ACCOUNT, () -> ledger.deposit(FEE_POOL, USDC, 1));
            assertRejected(RejectReason.INVALID_ACCOUNT, () -> ledger.deposit(EXTERNAL, USDC, 1));
            assertRejected(RejectReason.UNKNOWN_ASSET, () -> ledger.deposit(1, 2, 1));
            assertRejected(RejectReason.UNKNOWN_ASSET, () -> ledger.deposit(1, -1, 1));
            assertRejected(RejectReason.UNKNOWN_ASSET, () -> ledger.deposit(1, Ledger.MAX_ASSETS, 1));
            assertRejected(RejectReason.INVALID_AMOUNT, () -> ledger.deposit(1, USDC, 0));
            assertRejected(RejectReason.INVALID_AMOUNT, () -> ledger.deposit(1, USDC, -5));
            assertRejected(RejectReason.INVALID_AMOUNT, () -> ledger.deposit(1, USDC, Long.MIN_VALUE));
        }

        @Test
        void depositThatWouldOverflowIsRejectedNotHalfApplied() {
            assertNull(ledger.deposit(1, USDC, Long.MAX_VALUE - 10));
            recorder.clear();
            assertRejected(RejectReason.NUMBER_OUT_OF_RANGE, () -> ledger.deposit(2, USDC, 11));
            assertRejected(RejectReason.NUMBER_OUT_OF_RANGE, () -> ledger.deposit(1, USDC, 11));
            assertNull(ledger.deposit(2, USDC, 10));
            assertEquals(Long.MAX_VALUE, ledger.netDeposits(USDC));
            assertEquals(-Long.MAX_VALUE, ledger.balance(EXTERNAL, USDC));
            assertTrue(ledger.isConserved(), ledger.conservationReport());
            assertNull(ledger.recomputeSums());
        }
    }

    @Nested
    class Withdrawals {
        @BeforeEach
        void fund() {
            assertNull(ledger.deposit(42, USDC, 1_000));
            recorder.clear();
        }

        @Test
        void withdrawalPostsToExternal() {
            assertNull(ledger.withdraw(42, USDC, 300, 0));
            assertEquals(List.of(posting(PostingType.WITHDRAWAL, USDC, 42, EXTERNAL, 300, 700, -700)), recorder.events());
            assertEquals(700, ledger.netDeposits(USDC));
            assertEquals(700, ledger.sumOfInternalAccounts(USDC));
            assertTrue(ledger.isConserved(), ledger.conservationReport());
        }

        @Test
        void withdrawingEverythingRemovesTheBalance() {
            assertEquals(2, ledger.nonZeroBalances(USDC));
            assertNull(ledger.withdraw(42, USDC, 1_000, 0));
            assertEquals(0, ledger.balance(42, USDC));
            assertEquals(0, ledger.balance(EXTERNAL, USDC));
            assertEquals(0, ledger.nonZeroBalances(USDC), "zero balances are not stored");
            assertNull(ledger.recomputeSums());
        }

        @Test
        void reservedFundsStayInTheAccount() {
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.withdraw(42, USDC, 401, 600));
            assertNull(ledger.withdraw(42, USDC, 400, 600), "exactly the free balance may go");
            assertEquals(600, ledger.balance(42, USDC));
            recorder.clear();
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.withdraw(42, USDC, 1, 600));
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.withdraw(42, USDC, 1, Long.MAX_VALUE));
        }

        @Test
        void withdrawalRejects() {
            assertRejected(RejectReason.INVALID_ACCOUNT, () -> ledger.withdraw(0, USDC, 1, 0));
            assertRejected(RejectReason.INVALID_ACCOUNT, () -> ledger.withdraw(FEE_POOL, USDC, 1, 0));
            assertRejected(RejectReason.UNKNOWN_ASSET, () -> ledger.withdraw(42, 5, 1, 0));
            assertRejected(RejectReason.INVALID_AMOUNT, () -> ledger.withdraw(42, USDC, 0, 0));
            assertRejected(RejectReason.INVALID_AMOUNT, () -> ledger.withdraw(42, USDC, -1, 0));
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.withdraw(42, USDC, 1_001, 0));
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.withdraw(42, BTC, 1, 0));
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.withdraw(43, USDC, 1, 0));
        }

        @Test
        void aNegativeBalanceCoversNothing() {
            ledger.post(PostingType.REALIZED_PNL, USDC, 42, CLEARING, 1_500);
            recorder.clear();
            assertEquals(-500, ledger.balance(42, USDC));
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.withdraw(42, USDC, 1, 0));
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.withdraw(42, USDC, Long.MAX_VALUE, 0));
        }

        @Test
        void negativeReservedIsABug() {
            assertMisuse(IllegalArgumentException.class, "reserved", () -> ledger.withdraw(42, USDC, 1, -1));
        }

        @Test
        void withdrawalThatWouldOverflowTheTotalsIsRejected() {
            // Net deposits can go below zero when profits are withdrawn; push them to the edge through PnL.
            ledger.post(PostingType.REALIZED_PNL, USDC, CLEARING, 42, Long.MAX_VALUE - 1_000);
            assertNull(ledger.withdraw(42, USDC, Long.MAX_VALUE - 1, 0));
            assertNull(ledger.deposit(43, USDC, 10));
            recorder.clear();
            assertEquals(-Long.MAX_VALUE + 1 + 1_000 + 10, ledger.netDeposits(USDC));
            ledger.post(PostingType.MAKER_REBATE, USDC, FEE_POOL, 44, 5_000);
            recorder.clear();
            assertRejected(RejectReason.NUMBER_OUT_OF_RANGE, () -> ledger.withdraw(44, USDC, 2_000, 0));
            assertTrue(ledger.isConserved(), ledger.conservationReport());
        }
    }

    @Nested
    class Transfers {
        @BeforeEach
        void fund() {
            assertNull(ledger.deposit(1, USDC, 1_000));
            recorder.clear();
        }

        @Test
        void transferMovesBetweenUserAccounts() {
            assertNull(ledger.transfer(1, 2, USDC, 250));
            assertEquals(List.of(posting(PostingType.TRANSFER, USDC, 1, 2, 250, 750, 250)), recorder.events());
            assertEquals(1_000, ledger.netDeposits(USDC), "a transfer is not a deposit");
            assertEquals(1_000, ledger.sumOfInternalAccounts(USDC));
            assertNull(ledger.transfer(1, 2, USDC, 750));
            assertEquals(0, ledger.balance(1, USDC));
            assertEquals(2, ledger.nonZeroBalances(USDC), "the emptied account is gone, external and 2 remain");
            assertTrue(ledger.isConserved(), ledger.conservationReport());
        }

        @Test
        void transferRejects() {
            assertRejected(RejectReason.INVALID_TRANSFER, () -> ledger.transfer(1, 1, USDC, 1));
            assertRejected(RejectReason.INVALID_TRANSFER, () -> ledger.transfer(1, 0, USDC, 1));
            assertRejected(RejectReason.INVALID_TRANSFER, () -> ledger.transfer(0, 1, USDC, 1));
            assertRejected(RejectReason.INVALID_TRANSFER, () -> ledger.transfer(1, FEE_POOL, USDC, 1));
            assertRejected(RejectReason.INVALID_TRANSFER, () -> ledger.transfer(INSURANCE_FUND, 1, USDC, 1));
            assertRejected(RejectReason.INVALID_TRANSFER, () -> ledger.transfer(1, EXTERNAL, USDC, 1));
            assertRejected(RejectReason.UNKNOWN_ASSET, () -> ledger.transfer(1, 2, 3, 1));
            assertRejected(RejectReason.INVALID_AMOUNT, () -> ledger.transfer(1, 2, USDC, 0));
            assertRejected(RejectReason.INVALID_AMOUNT, () -> ledger.transfer(1, 2, USDC, -1));
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.transfer(1, 2, USDC, 1_001));
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.transfer(2, 1, USDC, 1));
            assertRejected(RejectReason.INSUFFICIENT_BALANCE, () -> ledger.transfer(1, 2, USDC, 901, 100));
            assertNull(ledger.transfer(1, 2, USDC, 900, 100));
            assertEquals(100, ledger.balance(1, USDC));
        }

        @Test
        void transferThatWouldOverflowTheDestinationIsRejected() {
            ledger.post(PostingType.REALIZED_PNL, USDC, CLEARING, 2, Long.MAX_VALUE);
            recorder.clear();
            assertRejected(RejectReason.NUMBER_OUT_OF_RANGE, () -> ledger.transfer(1, 2, USDC, 1));
        }

        @Test
        void negativeReservedIsABug() {
            assertMisuse(IllegalArgumentException.class, "reserved", () -> ledger.transfer(1, 2, USDC, 1, -1));
        }
    }

    @Nested
    class Postings {
        @BeforeEach
        void fund() {
            assertNull(ledger.deposit(1, USDC, 10_000));
            assertNull(ledger.deposit(2, USDC, 10_000));
            recorder.clear();
        }

        @Test
        void systemPostingsEmitBothBalancesAfter() {
            ledger.post(PostingType.TRADE_FEE, USDC, 1, FEE_POOL, 30);
            ledger.post(PostingType.MAKER_REBATE, USDC, FEE_POOL, 2, 5);
            ledger.post(PostingType.REALIZED_PNL, USDC, CLEARING, 1, 700);
            ledger.post(PostingType.REALIZED_PNL, USDC, 2, CLEARING, 700);
            ledger.post(PostingType.FUNDING, USDC, 1, CLEARING, 12);
            ledger.post(PostingType.LIQUIDATION_FEE, USDC, 2, INSURANCE_FUND, 90);
            ledger.post(PostingType.INSURANCE_FUND_PAYOUT, USDC, INSURANCE_FUND, CLEARING, 40);
            ledger.post(PostingType.SOCIALIZED_LOSS, USDC, 1, CLEARING, 8);
            assertEquals(List.of(
                    posting(PostingType.TRADE_FEE, USDC, 1, FEE_POOL, 30, 9_970, 30),
                    posting(PostingType.MAKER_REBATE, USDC, FEE_POOL, 2, 5, 25, 10_005),
                    posting(PostingType.REALIZED_PNL, USDC, CLEARING, 1, 700, -700, 10_670),
                    posting(PostingType.REALIZED_PNL, USDC, 2, CLEARING, 700, 9_305, 0),
                    posting(PostingType.FUNDING, USDC, 1, CLEARING, 12, 10_658, 12),
                    posting(PostingType.LIQUIDATION_FEE, USDC, 2, INSURANCE_FUND, 90, 9_215, 90),
                    posting(PostingType.INSURANCE_FUND_PAYOUT, USDC, INSURANCE_FUND, CLEARING, 40, 50, 52),
                    posting(PostingType.SOCIALIZED_LOSS, USDC, 1, CLEARING, 8, 10_650, 60)), recorder.events());
            assertEquals(20_000, ledger.netDeposits(USDC), "system postings move value, they do not create it");
            assertEquals(20_000, ledger.sumOfInternalAccounts(USDC));
            assertTrue(ledger.isConserved(), ledger.conservationReport());
            assertNull(ledger.recomputeSums());
        }

        @Test
        void balancesMayGoNegativeForUsersAndSystemAccounts() {
            ledger.post(PostingType.REALIZED_PNL, USDC, 1, CLEARING, 25_000);
            ledger.post(PostingType.REALIZED_PNL, USDC, CLEARING, 2, 40_000);
            assertEquals(-15_000, ledger.balance(1, USDC));
            assertEquals(-15_000, ledger.balance(CLEARING, USDC));
            assertEquals(50_000, ledger.balance(2, USDC));
            assertTrue(ledger.isConserved(), ledger.conservationReport());
        }

        @Test
        void operatorFlowsThroughExternal() {
            ledger.post(PostingType.DEPOSIT, USDC, EXTERNAL, INSURANCE_FUND, 1_000);
            ledger.post(PostingType.WITHDRAWAL, USDC, FEE_POOL, EXTERNAL, 1);
            assertEquals(1_000, ledger.balance(INSURANCE_FUND, USDC));
            assertEquals(-1, ledger.balance(FEE_POOL, USDC));
            assertEquals(20_999, ledger.netDeposits(USDC));
            assertTrue(ledger.isConserved(), ledger.conservationReport());
        }

        @Test
        void misuseThrowsAndChangesNothing() {
            assertMisuse(IllegalArgumentException.class, "null", () -> ledger.post(null, USDC, 1, 2, 1));
            assertMisuse(IllegalArgumentException.class, "unknown asset 9",
                    () -> ledger.post(PostingType.TRADE_FEE, 9, 1, FEE_POOL, 1));
            assertMisuse(IllegalArgumentException.class, "unknown asset -1",
                    () -> ledger.post(PostingType.TRADE_FEE, -1, 1, FEE_POOL, 1));
            assertMisuse(IllegalArgumentException.class, "must be positive",
                    () -> ledger.post(PostingType.TRADE_FEE, USDC, 1, FEE_POOL, 0));
            assertMisuse(IllegalArgumentException.class, "must be positive",
                    () -> ledger.post(PostingType.TRADE_FEE, USDC, 1, FEE_POOL, -3));
            assertMisuse(IllegalArgumentException.class, "to itself",
                    () -> ledger.post(PostingType.TRANSFER, USDC, 1, 1, 5));
            assertMisuse(IllegalArgumentException.class, "to itself",
                    () -> ledger.post(PostingType.FUNDING, USDC, CLEARING, CLEARING, 5));
            assertMisuse(IllegalArgumentException.class, "account 0",
                    () -> ledger.post(PostingType.TRANSFER, USDC, 1, 0, 5));
            assertMisuse(IllegalArgumentException.class, "account -5",
                    () -> ledger.post(PostingType.TRANSFER, USDC, -5, 1, 5));
        }

        @Test
        void onlyDepositsAndWithdrawalsTouchExternal() {
            assertMisuse(IllegalArgumentException.class, "external",
                    () -> ledger.post(PostingType.TRADE_FEE, USDC, EXTERNAL, FEE_POOL, 1));
            assertMisuse(IllegalArgumentException.class, "external",
                    () -> ledger.post(PostingType.REALIZED_PNL, USDC, 1, EXTERNAL, 1));
            assertMisuse(IllegalArgumentException.class, "external",
                    () -> ledger.post(PostingType.DEPOSIT, USDC, CLEARING, 1, 1));
            assertMisuse(IllegalArgumentException.class, "external",
                    () -> ledger.post(PostingType.DEPOSIT, USDC, 1, EXTERNAL, 1));
            assertMisuse(IllegalArgumentException.class, "external",
                    () -> ledger.post(PostingType.WITHDRAWAL, USDC, 1, CLEARING, 1));
            assertMisuse(IllegalArgumentException.class, "external",
                    () -> ledger.post(PostingType.WITHDRAWAL, USDC, EXTERNAL, 1, 1));
        }

        @Test
        void overflowThrowsWithNothingApplied() {
            ledger.post(PostingType.REALIZED_PNL, USDC, CLEARING, 2, Long.MAX_VALUE - 10_000);
            recorder.clear();
            assertMisuse(ArithmeticException.class, "overflow",
                    () -> ledger.post(PostingType.REALIZED_PNL, USDC, CLEARING, 2, 1));
            assertMisuse(ArithmeticException.class, "overflow",
                    () -> ledger.post(PostingType.REALIZED_PNL, USDC, CLEARING, 1, Long.MAX_VALUE));
            assertTrue(ledger.isConserved(), ledger.conservationReport());
        }
    }

    @Nested
    class Conservation {
        @Test
        void healthyLedgerReportsConserved() {
            assertNull(ledger.deposit(1, USDC, 5));
            assertNull(ledger.deposit(1, BTC, 7));
            ledger.post(PostingType.TRADE_FEE, BTC, 1, FEE_POOL, 2);
            assertTrue(ledger.isConserved());
            assertEquals("conserved (2 assets)", ledger.conservationReport());
            assertNull(ledger.recomputeSums());
            assertEquals(7, ledger.sumOfInternalAccounts(BTC));
            assertEquals(7, ledger.netDeposits(BTC));
        }

        @Test
        void profitsWithdrawnTurnNetDepositsNegative() {
            assertNull(ledger.deposit(1, USDC, 100));
            ledger.post(PostingType.REALIZED_PNL, USDC, CLEARING, 1, 50);
            assertNull(ledger.withdraw(1, USDC, 150, 0));
            assertEquals(-50, ledger.netDeposits(USDC));
            assertEquals(-50, ledger.sumOfInternalAccounts(USDC));
            assertEquals(50, ledger.balance(EXTERNAL, USDC));
            assertEquals(-50, ledger.balance(CLEARING, USDC));
            assertTrue(ledger.isConserved(), ledger.conservationReport());
            assertNull(ledger.recomputeSums());
        }
    }

    @Nested
    class State {
        @Test
        void forEachBalanceVisitsInAscendingAccountOrder() {
            for (long account : new long[] {900, 3, 77, 1_000_000_007L, 12}) {
                assertNull(ledger.deposit(account, USDC, account));
            }
            ledger.post(PostingType.TRADE_FEE, USDC, 77, FEE_POOL, 7);
            ledger.post(PostingType.REALIZED_PNL, USDC, CLEARING, 3, 4);
            List<long[]> seen = new ArrayList<>();
            ledger.forEachBalance(USDC, (account, balance) -> seen.add(new long[] {account, balance}));
            long external = -(900 + 3 + 77 + 1_000_000_007L + 12);
            long[][] expected = {{CLEARING, -4}, {FEE_POOL, 7}, {EXTERNAL, external}, {3, 7}, {12, 12}, {77, 70},
                {900, 900}, {1_000_000_007L, 1_000_000_007L}};
            assertEquals(expected.length, seen.size());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i][0], seen.get(i)[0], "account at " + i);
                assertEquals(expected[i][1], seen.get(i)[1], "balance at " + i);
            }
        }

        @Test
        void forEachBalanceToleratesAVisitorThatPosts() {
            assertNull(ledger.deposit(1, USDC, 10));
            assertNull(ledger.deposit(2, USDC, 10));
            List<Long> seen = new ArrayList<>();
            ledger.forEachBalance(USDC, (account, balance) -> {
                seen.add(account);
                if (account > 0) {
                    ledger.post(PostingType.TRADE_FEE, USDC, account, FEE_POOL, balance);
                }
            });
            assertEquals(List.of(EXTERNAL, 1L, 2L), seen);
            assertEquals(20, ledger.balance(FEE_POOL, USDC));
        }

        @Test
        void hashDependsOnStateNotOnInsertionOrder() {
            Ledger other = new Ledger(new EventRecorder(), 4, 2);
            assertNull(other.addAsset(BTC_SPEC));
            assertNull(other.addAsset(USDC_SPEC));
            for (long account = 50; account >= 1; account--) {
                assertNull(other.deposit(account, USDC, account * 3));
            }
            for (long account = 1; account <= 50; account++) {
                assertNull(ledger.deposit(account, USDC, account * 3));
            }
            assertEquals(hash(ledger), hash(other));
            assertNull(ledger.deposit(51, BTC, 1));
            assertNotEquals(hash(ledger), hash(other));
            assertNull(other.deposit(51, BTC, 1));
            assertEquals(hash(ledger), hash(other));
            assertNull(ledger.transfer(1, 2, USDC, 1));
            assertNotEquals(hash(ledger), hash(other));
            assertNull(ledger.transfer(2, 1, USDC, 1));
            assertEquals(hash(ledger), hash(other), "a round trip leaves the state, and so the hash, as it was");
        }

        @Test
        void hashCoversAssetsAndNetDeposits() {
            long empty = hash(ledger);
            Ledger fresh = new Ledger(new EventRecorder());
            assertNotEquals(hash(fresh), empty);
            assertNull(fresh.addAsset(USDC_SPEC));
            assertNull(fresh.addAsset(new AssetSpec(BTC, "BTC", 7)));
            assertNotEquals(empty, hash(fresh), "the scale is state");
        }
    }

    @Nested
    class RecentPostings {
        @Test
        void holdsTheCurrentCommandsPostings() {
            PostingLog log = ledger.recentPostings();
            assertEquals(0, log.size());
            assertNull(ledger.deposit(1, USDC, 100));
            ledger.setContext(SEQ + 1, TS + 1);
            assertEquals(0, log.commandPostings(), "a new command starts empty");
            ledger.post(PostingType.TRADE_FEE, USDC, 1, FEE_POOL, 3);
            ledger.setContext(SEQ + 1, TS + 1);
            ledger.post(PostingType.MAKER_REBATE, USDC, FEE_POOL, 2, 1);
            assertEquals(2, log.commandPostings(), "setting the same context again keeps the command");
            assertEquals(3, log.size());
            assertEquals(3, log.total());
            assertEquals(SEQ, log.sequence(0));
            assertEquals(PostingType.DEPOSIT, log.type(0));
            assertEquals(SEQ + 1, log.sequence(2));
            assertEquals(PostingType.MAKER_REBATE, log.type(2));
            assertEquals(USDC, log.asset(2));
            assertEquals(FEE_POOL, log.from(2));
            assertEquals(2, log.to(2));
            assertEquals(1, log.amount(2));
            assertEquals("#42 TRADE_FEE asset 0: 1 -> fee-pool: 3", log.describe(1));
            assertThrows(IndexOutOfBoundsException.class, () -> log.type(3));
            assertThrows(IndexOutOfBoundsException.class, () -> log.type(-1));
        }

        @Test
        void ringKeepsTheNewestPostings() {
            Ledger small = new Ledger(new EventRecorder(), 16, 3);
            PostingLog log = small.recentPostings();
            assertEquals(4, log.capacity(), "rounded up to a power of two");
            small.addAsset(USDC_SPEC);
            small.setContext(7, 7);
            for (int i = 1; i <= 10; i++) {
                assertNull(small.deposit(i, USDC, i));
            }
            assertEquals(10, log.total());
            assertEquals(4, log.size());
            assertEquals(4, log.commandPostings());
            for (int position = 0; position < 4; position++) {
                assertEquals(7 + position, log.to(position));
                assertEquals(EXTERNAL, log.from(position));
            }
            assertThrows(IllegalArgumentException.class, () -> new Ledger(new EventRecorder(), 16, 0));
        }
    }
}
