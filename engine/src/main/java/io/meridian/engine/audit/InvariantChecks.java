package io.meridian.engine.audit;

import io.meridian.engine.Engine;
import io.meridian.engine.audit.ShadowAccounts.Ins;
import io.meridian.engine.audit.ShadowAccounts.Pos;
import io.meridian.engine.audit.ShadowAudit.Invariant;
import io.meridian.model.AssetSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.SystemAccounts;
import io.meridian.risk.margin.MarginTier;

import java.util.List;
import java.util.TreeSet;

/**
 * The {@link Invariant} checks of {@link ShadowAudit}: the engine's accounts, positions, open interest and system
 * accounts against the {@link ShadowAccounts} after a command ({@link #check}), and, as liquidation and
 * auto-deleveraging events arrive, their prices against the shadow's bankruptcy prices ({@link #checkBankruptcy}).
 * Violations go to the {@link AuditReport}.
 *
 * <p>Engine thread only, like the audit; it allocates (violation texts, the engine's state queries).
 */
final class InvariantChecks {
    private final ShadowAccounts shadow;
    private final AuditReport report;
    private final long backstopAccount;
    /** Instruments whose multiplier changed since the last check: their tiers in force are compared at the check. */
    private final TreeSet<Integer> rescaled = new TreeSet<>();

    InvariantChecks(ShadowAccounts shadow, AuditReport report, long backstopAccount) {
        this.shadow = shadow;
        this.report = report;
        this.backstopAccount = backstopAccount;
    }

    /** See {@link ShadowAudit#check}. */
    List<String> check(Engine engine) {
        report.startCheck();
        for (int instrument : rescaled) {
            checkTiers(engine, shadow.instruments.get(instrument));
        }
        rescaled.clear();
        for (long account : shadow.touched) {
            checkAccount(engine, account);
        }
        shadow.touched.clear();
        checkVenue(engine);
        return report.drain();
    }

    /** See {@link ShadowAudit#checkAll}. */
    List<String> checkAll(Engine engine) {
        shadow.touched.addAll(shadow.known);
        for (Ins ins : shadow.instruments.values()) {
            shadow.touched.addAll(ins.positions.keySet());
        }
        return check(engine);
    }

    private void checkAccount(Engine engine, long account) {
        if (account <= 0) {
            return;
        }
        for (AssetSpec spec : shadow.assets.values()) {
            int asset = spec.id();
            long shadowBalance = shadow.balance(account, asset);
            long ledgerBalance = engine.view().ledger().balance(account, asset);
            if (shadowBalance != ledgerBalance) {
                report.violation(Invariant.ACCOUNT_BALANCE, "account " + account + " holds " + ledgerBalance + " of "
                        + spec.symbol() + ", the shadow " + shadowBalance + " (after command " + engine.lastSequence()
                        + ")");
            }
            long engineEquity = engine.view().marginState(account, asset).equity;
            for (Ins ins : shadow.instruments.values()) {
                if (ins.asset == asset && engine.view().marginMode(account, ins.id) == MarginMode.ISOLATED) {
                    engineEquity += engine.view().isolatedState(account, ins.id).equity;
                }
            }
            long shadowEquity = shadow.equity(account, asset);
            if (shadowEquity != engineEquity) {
                report.violation(Invariant.ACCOUNT_EQUITY, "account " + account + " has equity " + engineEquity + " in "
                        + spec.symbol() + ", the shadow " + shadowEquity + " (after command " + engine.lastSequence()
                        + ")");
            }
            checkMaintenance(engine, account, spec);
            long worst = Math.min(shadowEquity, engineEquity);
            if (worst < 0) {
                report.violation(account == backstopAccount ? Invariant.BACKSTOP : Invariant.NEGATIVE_EQUITY,
                        (account == backstopAccount ? "backstop " : "") + "account " + account + " ends command "
                                + engine.lastSequence() + " with equity " + engineEquity + " (shadow " + shadowEquity
                                + ") in " + spec.symbol());
            }
        }
        for (Ins ins : shadow.instruments.values()) {
            long held = ins.size(account);
            long actual = engine.view().positions(ins.id).size(account);
            if (held != actual) {
                report.violation(Invariant.POSITION, "account " + account + " holds " + actual + " lots of instrument "
                        + ins.id + ", the shadow " + held + " (after command " + engine.lastSequence() + ")");
            }
        }
    }

    /**
     * The account's cross maintenance margin, and each isolated position's, against the shadow's; not for an account in
     * portfolio margin or holding an option (the portfolio risk margins those, which the shadow does not model).
     */
    private void checkMaintenance(Engine engine, long account, AssetSpec spec) {
        int asset = spec.id();
        long cross = shadow.maintenanceMargin(account, asset, -1);
        if (cross < 0 || engine.view().isPortfolioMargin(account)) {
            return;
        }
        long engineCross = engine.view().marginState(account, asset).maintenanceMargin;
        if (cross != engineCross) {
            report.violation(Invariant.MAINTENANCE_MARGIN, "account " + account + " has a cross maintenance margin of "
                    + engineCross + " " + spec.symbol() + ", the shadow " + cross + " (after command "
                    + engine.lastSequence() + ")");
        }
        for (Ins ins : shadow.instruments.values()) {
            if (ins.asset == asset && ins.positions.containsKey(account) && shadow.isIsolated(account, ins.id)) {
                long own = shadow.maintenanceMargin(account, asset, ins.id);
                long engineOwn = engine.view().isolatedState(account, ins.id).maintenanceMargin;
                if (own >= 0 && own != engineOwn) {
                    report.violation(Invariant.MAINTENANCE_MARGIN, "account " + account + "'s isolated position in "
                            + "instrument " + ins.id + " has a maintenance margin of " + engineOwn + ", the shadow "
                            + own + " (after command " + engine.lastSequence() + ")");
                }
            }
        }
    }

    /** A multiplier took effect: the position limit and band it announced against the shadow's (at once). */
    void riskScaleApplied(Ins ins, long positionLimit, long priceBandPpm, long sequence) {
        if (positionLimit != ins.margin.positionLimit() || priceBandPpm != ins.margin.priceBandPpm()) {
            report.violation(Invariant.RISK_PARAMETERS, "command " + sequence + " put instrument " + ins.id + " under "
                    + ins.margin.multiplierPpm + " ppm with position limit " + positionLimit + " and band "
                    + priceBandPpm + " ppm; the shadow's rule gives " + ins.margin.positionLimit() + " and "
                    + ins.margin.priceBandPpm());
        }
        rescaled.add(ins.id);
    }

    /** The engine's tiers in force against the shadow's scaling of the listed ones. */
    private void checkTiers(Engine engine, Ins ins) {
        List<MarginTier> tiers = engine.view().marginTiers(ins.id);
        ShadowMargin own = ins.margin;
        boolean same = tiers.size() == own.tiers();
        for (int i = 0; same && i < tiers.size(); i++) {
            MarginTier tier = tiers.get(i);
            same = tier.notionalFloor() == own.floor(i) && tier.maintenanceRatePpm() == own.maintenanceRate(i)
                    && tier.initialRatePpm() == own.initialRate(i);
        }
        if (!same) {
            MarginTier first = tiers.isEmpty() ? null : tiers.get(0);
            report.violation(Invariant.RISK_PARAMETERS, "instrument " + ins.id + " under " + own.multiplierPpm
                    + " ppm: the engine's tiers in force differ from the shadow's (first tier: engine " + first
                    + ", shadow MMR " + own.maintenanceRate(0) + " IMR " + own.initialRate(0) + " ppm; after command "
                    + engine.lastSequence() + ")");
        }
    }

    private void checkVenue(Engine engine) {
        long sequence = engine.lastSequence();
        for (AssetSpec spec : shadow.assets.values()) {
            int asset = spec.id();
            long ledgerClearing = engine.view().ledger().balance(SystemAccounts.CLEARING, asset);
            long clearing = shadow.clearing[asset];
            long fromPositions = -shadow.openBasis[asset] - shadow.settledValues[asset];
            if (ledgerClearing != clearing || clearing != fromPositions) {
                report.violation(Invariant.CLEARING, "clearing holds " + ledgerClearing + " of " + spec.symbol()
                        + "; minus realised PnL and settlement values: " + clearing
                        + "; minus open cost bases and settlement values: " + fromPositions + " (after command "
                        + sequence + ")");
            }
            long fund = engine.view().ledger().balance(SystemAccounts.INSURANCE_FUND, asset);
            long insurance = shadow.insurance[asset];
            // With positions taken over, the fund's own equity (cash + their unrealised PnL) is what may not go negative.
            long inventory = shadow.equity(SystemAccounts.INSURANCE_FUND, asset) - insurance;
            long fundEquity = Math.min(insurance, fund) + inventory;
            if (fund != insurance || fundEquity < 0) {
                report.violation(Invariant.INSURANCE_FUND, "insurance fund holds " + fund + " of " + spec.symbol()
                        + ", the shadow " + insurance + (fundEquity < 0 ? " (negative: equity " + fundEquity + ")"
                        : "") + " (after command " + sequence + ")");
            }
            long pool = engine.view().ledger().balance(SystemAccounts.FEE_POOL, asset);
            long covered = shadow.venueCovered[asset];
            if (pool != shadow.feePool[asset] || pool + covered < 0) {
                report.violation(Invariant.FEE_POOL, "fee pool holds " + pool + " of " + spec.symbol() + ", the shadow "
                        + shadow.feePool[asset] + ", reported venue-covered deficits " + covered + " (after command "
                        + sequence + ")");
            }
        }
        for (Ins ins : shadow.instruments.values()) {
            long shadowHeld = ins.size(SystemAccounts.INSURANCE_FUND);
            long fundHeld = engine.view().positions(ins.id).size(SystemAccounts.INSURANCE_FUND);
            if (shadowHeld != fundHeld) {
                report.violation(Invariant.POSITION, "the insurance fund holds " + fundHeld + " lots of instrument "
                        + ins.id + ", the shadow " + shadowHeld + " (after command " + sequence + ")");
            }
            long engineLongs = engine.view().positions(ins.id).openInterest();
            if (ins.netLots != 0 || engineLongs != ins.longLots) {
                report.violation(Invariant.OPEN_INTEREST, "instrument " + ins.id + ": long minus short lots in the shadow "
                        + ins.netLots + ", open interest " + engineLongs + " (shadow " + ins.longLots + ") after command "
                        + sequence);
            }
        }
        if (backstopAccount > 0 && !shadow.touched.contains(backstopAccount)) {
            for (AssetSpec spec : shadow.assets.values()) {
                long equity = engine.view().marginState(backstopAccount, spec.id()).equity;
                if (equity < 0) {
                    report.violation(Invariant.BACKSTOP, "backstop account " + backstopAccount + " has equity " + equity
                            + " in " + spec.symbol() + " after command " + sequence);
                }
            }
        }
    }

    /**
     * Checks that closing at {@code price} is no worse than the account's bankruptcy price: valuing its whole position
     * at that price, with its other cross positions at the reference prices, leaves its shadow cross equity (an upper
     * bound, {@link ShadowAccounts#crossEquityUpperBound}) at or above zero.
     */
    void checkBankruptcy(Invariant invariant, long account, Ins ins, long price, long sequence, String what) {
        Pos pos = ins.positions.get(account);
        if (pos == null || account == SystemAccounts.INSURANCE_FUND || shadow.isIsolated(account, ins.id)) {
            // The fund is no bankrupt account: it unwinds at the market and is deleveraged at the mark.
            return;
        }
        // An isolated position elsewhere that is under water is not the cross account's loss (the engine caps it at
        // that position's margin), so the cross equity is bounded from above rather than taken whole.
        long equity = shadow.crossEquityUpperBound(account, ins.asset);
        long atPrice = Math.addExact(equity, ShadowAccounts.value(pos.size, price - ins.reference(), ins.unit));
        if (atPrice < 0) {
            long bankruptcy = ins.reference() - Math.floorDiv(equity, Math.multiplyExact(pos.size, ins.unit));
            report.violation(invariant, what + " of account " + account + " in instrument " + ins.id + " at " + price
                    + " is past its bankruptcy price (about " + bankruptcy + "; position " + pos.size + ", equity "
                    + equity + ", equity at that price " + atPrice + ") in command " + sequence);
        }
    }
}
