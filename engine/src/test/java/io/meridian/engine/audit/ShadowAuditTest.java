package io.meridian.engine.audit;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineInternals;
import io.meridian.engine.LiquidationConfig;
import io.meridian.model.Liquidity;
import io.meridian.model.MarginMode;
import io.meridian.model.PostingType;
import io.meridian.model.SystemAccounts;
import io.meridian.model.Command;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.meridian.engine.audit.AuditedEngine.BACKSTOP;
import static io.meridian.engine.audit.AuditedEngine.BTC;
import static io.meridian.engine.audit.AuditedEngine.ONE_BTC;
import static io.meridian.engine.audit.AuditedEngine.USD;
import static io.meridian.engine.audit.AuditedEngine.USDC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shadow audit holds on honest flow (trades, book liquidations, the backstop, auto-deleveraging, isolated
 * positions) and each invariant fails, by name, when its rule is broken on purpose: an event altered before the
 * shadow sees it (the engine did one thing, the shadow was told another) or a posting injected straight into the
 * ledger (money moved without a cause the shadow can see).
 *
 * <p>The venue: account 1 opens 1 BTC long at 50,000 with 1,000 USDC at 100x from account 9 (bankruptcy price
 * 49,025, see LiquidationTest).
 */
class ShadowAuditTest {

    private static AuditedEngine venue(LiquidationConfig liquidation, AuditedEngine.Mutation mutation) {
        AuditedEngine venue = new AuditedEngine(liquidation, mutation);
        venue.deposit(1, 1_000);
        venue.deposit(9, 10_000_000);
        venue.deposit(BACKSTOP, 10_000_000);
        venue.mark(500_000);
        venue.leverage(1, 100);
        return venue;
    }

    private static AuditedEngine honest() {
        return venue(LiquidationConfig.defaults(), null);
    }

    // ------------------------------------------------------------------------------------------------ honest flow

    @Test
    void tradesAndABookLiquidationHold() {
        AuditedEngine venue = honest();
        venue.trade(1, 9, 500_000, ONE_BTC);
        venue.bid(9, 491_500, 5 * ONE_BTC);
        venue.mark(492_000);
        assertTrue(venue.engine.view().insuranceFund(USDC) > 0, "liquidation fees reached the fund");
        venue.trade(9, 1, 493_000, venue.engine.view().positions(BTC).size(1));
        venue.violations.addAll(venue.audit.checkAll(venue.engine));
        assertEquals(List.of(), venue.violations);
        assertTrue(venue.audit.holds());
    }

    @Test
    void theBackstopHolds() {
        AuditedEngine venue = venue(LiquidationConfig.defaults().withBackstopAccount(BACKSTOP), null);
        venue.trade(1, 9, 500_000, ONE_BTC);
        venue.mark(492_000);
        assertTrue(venue.engine.view().positions(BTC).size(BACKSTOP) > 0);
        venue.violations.addAll(venue.audit.checkAll(venue.engine));
        assertEquals(List.of(), venue.violations);
    }

    @Test
    void autoDeleveragingHolds() {
        AuditedEngine venue = honest();
        venue.deposit(2, 100_000);
        venue.deposit(3, 5_000);
        venue.trade(1, 2, 500_000, ONE_BTC / 2);
        venue.trade(1, 3, 500_000, ONE_BTC / 2);
        venue.mark(495_000);
        venue.mark(480_000);
        assertEquals(0, venue.engine.view().positions(BTC).size(1), "deleveraged");
        venue.violations.addAll(venue.audit.checkAll(venue.engine));
        assertEquals(List.of(), venue.violations);
    }

    @Test
    void anIsolatedPositionHolds() {
        AuditedEngine venue = honest();
        venue.deposit(1, 9_000);
        Command isolated = new Command().setMarginMode(1, BTC, MarginMode.ISOLATED);
        venue.apply(isolated);
        venue.trade(1, 9, 500_000, ONE_BTC);
        venue.bid(9, 496_800, 5 * ONE_BTC);
        venue.mark(496_900);
        assertTrue(venue.engine.view().positions(BTC).size(1) < ONE_BTC, "partly liquidated");
        venue.violations.addAll(venue.audit.checkAll(venue.engine));
        assertEquals(List.of(), venue.violations);
    }

    // ------------------------------------------------------------------------------------------------ mutations

    @Test
    void aFillPriceTheShadowSeesDifferentlyBreaksBalanceEquityFeesAndClearing() {
        long[] altered = {0};
        AuditedEngine venue = venue(LiquidationConfig.defaults(), (event, args) -> {
            if (event.equals("orderFilled") && (long) args[6] == 9 && altered[0]++ == 0) {
                args[8] = (long) args[8] + 10;
            }
            return true;
        });
        venue.trade(1, 9, 500_000, ONE_BTC);
        // The maker's fee and basis differ: its balance and equity, the fee pool, and clearing (the two sides' bases
        // no longer cancel, so minus the open bases is not minus the realised PnL).
        assertEquals(List.of("account-balance", "account-equity", "clearing", "fee-pool"), venue.violatedNames());
        assertTrue(venue.violations.get(0).startsWith("account-balance: account 9 holds"), venue.violations.get(0));
    }

    @Test
    void aFillQuantityTheShadowSeesDifferentlyBreaksPositionAndOpenInterest() {
        long[] altered = {0};
        AuditedEngine venue = venue(LiquidationConfig.defaults(), (event, args) -> {
            if (event.equals("orderFilled") && args[11] == Liquidity.TAKER && altered[0]++ == 0) {
                args[9] = (long) args[9] - 1;
            }
            return true;
        });
        venue.trade(1, 9, 500_000, ONE_BTC);
        List<String> names = venue.violatedNames();
        assertTrue(names.contains("position") && names.contains("open-interest"), names.toString());
    }

    @Test
    void aMarkTheShadowSeesDifferentlyBreaksEquityAndMarginOnlyInTheSweep() {
        AuditedEngine venue = venue(LiquidationConfig.defaults(), (event, args) -> {
            if (event.equals("markPriceChanged") && (long) args[3] == 499_000) {
                args[3] = 498_000L;
            }
            return true;
        });
        venue.trade(1, 9, 500_000, ONE_BTC);
        venue.mark(499_000);
        assertEquals(List.of(), venue.violations, "a mark move touches nobody: the per-command check does not see it");
        venue.violations.addAll(venue.audit.checkAll(venue.engine));
        // The maintenance margin is measured at the mark too, so the wrong mark shows there as well.
        assertEquals(List.of("account-equity", "maintenance-margin"), venue.violatedNames());
    }

    @Test
    void aPostingInjectedAgainstClearingBreaksTheAccountAndClearing() {
        AuditedEngine venue = honest();
        venue.trade(1, 9, 500_000, ONE_BTC);
        EngineInternals.ledger(venue.engine).post(PostingType.REALIZED_PNL, USDC, SystemAccounts.CLEARING, 9, 1);
        List<String> found = venue.audit.checkAll(venue.engine);
        assertEquals(List.of("account-balance", "account-equity", "clearing"), names(found));
        assertTrue(found.get(2).startsWith("clearing: clearing holds -1 of USDC; minus realised PnL and settlement"
                + " values: 0"), found.get(2));
    }

    @Test
    void aPayoutFromAnEmptyInsuranceFundIsANegativeFund() {
        AuditedEngine venue = honest();
        EngineInternals.ledger(venue.engine).post(PostingType.INSURANCE_FUND_PAYOUT, USDC, SystemAccounts.INSURANCE_FUND,
                SystemAccounts.CLEARING, 5);
        List<String> found = venue.audit.check(venue.engine);
        assertEquals(List.of("clearing", "insurance-fund"), names(found));
        assertTrue(found.get(1).contains("(negative: equity -5)"), found.get(1));
    }

    @Test
    void aRebateTheFeePoolCannotExplainBreaksTheFeePool() {
        AuditedEngine venue = honest();
        EngineInternals.ledger(venue.engine).post(PostingType.MAKER_REBATE, USDC, SystemAccounts.FEE_POOL,
                SystemAccounts.CLEARING, 5);
        List<String> found = venue.audit.check(venue.engine);
        assertEquals(List.of("clearing", "fee-pool"), names(found));
        assertTrue(found.get(1).contains("reported venue-covered deficits 0"), found.get(1));
    }

    @Test
    void aBackstopDrainedBelowZeroIsReported() {
        AuditedEngine venue = venue(LiquidationConfig.defaults().withBackstopAccount(BACKSTOP), null);
        EngineInternals.ledger(venue.engine).post(PostingType.REALIZED_PNL, USDC, BACKSTOP, SystemAccounts.CLEARING,
                10_000_001 * USD);
        List<String> found = venue.audit.check(venue.engine);
        assertTrue(names(found).contains("backstop"), found.toString());
    }

    @Test
    void aLossPostedBeyondTheCollateralIsNegativeEquity() {
        AuditedEngine venue = honest();
        venue.trade(1, 9, 500_000, ONE_BTC);
        EngineInternals.ledger(venue.engine).post(PostingType.REALIZED_PNL, USDC, 1, SystemAccounts.CLEARING, 2_000 * USD);
        List<String> found = venue.audit.checkAll(venue.engine);
        assertTrue(names(found).contains("negative-equity"), found.toString());
    }

    @Test
    void aLiquidationFillPastBankruptcyIsCaught() {
        AuditedEngine venue = venue(LiquidationConfig.defaults(), (event, args) -> {
            if (event.equals("orderFilled") && (long) args[4] >= Engine.LIQUIDATION_ORDER_ID_BASE) {
                args[8] = 480_000L;
            }
            return true;
        });
        venue.trade(1, 9, 500_000, ONE_BTC);
        venue.bid(9, 491_500, 5 * ONE_BTC);
        venue.mark(492_000);
        assertTrue(venue.violatedNames().contains("liquidation-price"), venue.violations.toString());
        assertTrue(venue.violations.stream().anyMatch(v -> v.startsWith("liquidation-price: liquidation fill of account 1"
                + " in instrument 1 at 480000 is past its bankruptcy price")), venue.violations.toString());
    }

    @Test
    void anAdlClosePastEitherBankruptcyPriceIsCaught() {
        for (long price : new long[] {470_000, 600_000}) {
            AuditedEngine venue = venue(LiquidationConfig.defaults(), (event, args) -> {
                if (event.equals("autoDeleveraged")) {
                    args[6] = price;
                }
                return true;
            });
            venue.deposit(2, 100_000);
            venue.deposit(3, 5_000);
            venue.trade(1, 2, 500_000, ONE_BTC / 2);
            venue.trade(1, 3, 500_000, ONE_BTC / 2);
            venue.mark(480_000);
            assertTrue(venue.violatedNames().contains("adl-price"), venue.violations.toString());
            String who = price < 490_000 ? "auto-deleveraging of account 1" : "auto-deleveraging counterparty of account 3";
            assertTrue(venue.violations.stream().anyMatch(v -> v.startsWith("adl-price: " + who)),
                    venue.violations.toString());
        }
    }

    @Test
    void theReportKeepsTheFirstViolationPerInvariant() {
        AuditedEngine venue = honest();
        EngineInternals.ledger(venue.engine).post(PostingType.REALIZED_PNL, USDC, SystemAccounts.CLEARING, 9, 1);
        venue.audit.checkAll(venue.engine);
        EngineInternals.ledger(venue.engine).post(PostingType.REALIZED_PNL, USDC, SystemAccounts.CLEARING, 9, 1);
        venue.audit.checkAll(venue.engine);
        assertFalse(venue.audit.holds());
        assertEquals(2, venue.audit.violations(ShadowAudit.Invariant.CLEARING));
        assertTrue(venue.audit.firstViolation(ShadowAudit.Invariant.CLEARING).contains("clearing holds -1 "));
        assertEquals(List.of(ShadowAudit.Invariant.ACCOUNT_BALANCE, ShadowAudit.Invariant.ACCOUNT_EQUITY,
                ShadowAudit.Invariant.CLEARING), venue.audit.violated());
    }

    private static List<String> names(List<String> violations) {
        return violations.stream().map(v -> v.substring(0, v.indexOf(':'))).distinct().toList();
    }
}
