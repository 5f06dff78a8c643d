package io.meridian.engine.audit;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.engine.audit.ShadowAccounts.Idx;
import io.meridian.engine.audit.ShadowAccounts.Ins;
import io.meridian.engine.audit.ShadowAccounts.Pos;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Liquidity;
import io.meridian.model.MarginBracket;
import io.meridian.model.OptionSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;

import java.util.List;

/**
 * An independent shadow of the venue's money, built from the engine's trade-level events and the commands, and
 * compared with the engine after every command. It keeps its own positions (size and cost basis, with the documented
 * rounding), its own realised PnL, fees, funding and cash flows, and checks the {@link Invariant}s against them.
 *
 * <p><b>What the shadow reads.</b> Fills ({@code orderFilled}: price, quantity, maker or taker; fees are recomputed
 * from the instrument's rates and the account's fee tier), funding ({@code fundingRateApplied} for the rate and mark,
 * {@code fundingSettled} for who held what; the amount is recomputed), liquidation fills and their fees, backstop
 * transfers, insurance-fund takeovers (the fund then holds positions like an account, and unwinds them with ordinary
 * fills), auto-deleveraging and the margin it moves to the fund, insurance-fund payouts and venue-covered deficits,
 * option settlements, marks and
 * trades (the reference price), index updates (collateral priced from an index), and, since the engine has no event
 * for them, the accepted {@code DEPOSIT}, {@code WITHDRAW}, {@code TRANSFER}, {@code SET_FEE_TIER},
 * {@code SET_MARGIN_MODE} and {@code SET_COLLATERAL} commands ({@link #onCommand} before the engine applies one; a
 * {@code commandRejected} for it cancels it). It never reads {@code postingApplied} or the ledger's balances, which are
 * what it checks.
 *
 * <p><b>The clearing identity.</b> {@link SystemAccounts#CLEARING} pays every realised profit and receives every
 * realised loss ({@code Clearing.settle}), pays funding to receivers and receives it from payers, forwarding the
 * rounding residue to the fee pool (so funding leaves it unchanged), and pays option settlement values. For any
 * account, realised PnL minus its open cost basis is its sells' notional minus its buys' notional; every fill has a
 * buyer and a seller at one price, so summed over all accounts the realised PnL equals the open cost basis. Hence, per
 * settlement asset: {@code CLEARING = -(sum of realised PnL) - (sum of option settlement values)
 * = -(sum of open cost bases) - (sum of option settlement values)}, which, because long and short lots are equal, is
 * also the sum of all open positions' unrealised PnL at any one price per instrument. Both sides are kept by the
 * shadow: the first from its own flows, the second from its own positions, and the ledger must equal both.
 *
 * <p><b>Cost.</b> {@link #check} looks at the accounts the last command's events or command touched (a few engine
 * queries each) and at the venue's system accounts; {@link #checkAll} sweeps every account the shadow knows (once
 * per simulated second in the stress lab: a mark move changes everyone's equity without touching them).
 *
 * <p><b>Margin.</b> The shadow keeps each future's and perpetual's listed margin brackets (from the ADD_INSTRUMENT
 * command; the default table when it names none), and when a risk multiplier takes effect ({@code riskScaleApplied})
 * scales them itself by the documented rule ({@link ShadowMargin}); every checked account's maintenance margin must
 * equal the shadow's. Initial margin is checked through the tiers in force, not per account (it depends on resting
 * orders and leverage choices the shadow does not follow).
 *
 * <p><b>Not covered.</b> Isolated positions are checked by total equity (cross plus isolated) and maintenance margin;
 * their liquidation and ADL prices are not checked (the shadow does not follow isolated margin top-ups). Accounts in
 * portfolio margin or holding options are not margin-checked (their requirement is the portfolio risk's). Signed commands
 * (by address) are not followed. The option settlement price (the window's time-weighted index average) is taken from
 * the event; the intrinsic value and the settlement amounts are recomputed.
 *
 * <p><b>Structure.</b> This class is the audit's public face and its intake: it takes the commands and events and
 * hands them to the shadow account model ({@link ShadowAccounts}), runs the {@link InvariantChecks} and answers from
 * the {@link AuditReport}.
 *
 * <p>Engine thread only, like every listener; not a hot-path component (it allocates).
 */
public final class ShadowAudit implements EngineEvents {

    /** The checks, with the names violations and reports use. */
    public enum Invariant {
        /** Every account's cash balance per asset equals the shadow's (deposits, PnL, fees, funding, transfers). */
        ACCOUNT_BALANCE("account-balance"),
        /** Every account's equity (cross plus isolated) equals the shadow's balance + unrealised PnL + collateral. */
        ACCOUNT_EQUITY("account-equity"),
        /** Every account's position per instrument equals the shadow's. */
        POSITION("position"),
        /** Long lots equal short lots per instrument, and the engine's open interest equals the shadow's. */
        OPEN_INTEREST("open-interest"),
        /** CLEARING equals minus the realised PnL and option settlement values, and minus the open cost bases. */
        CLEARING("clearing"),
        /**
         * The insurance fund's cash equals the shadow's (fees and left-over margin in, payouts out, the realised PnL of
         * positions it took over) and its equity (cash plus those positions at the mark) is never negative.
         */
        INSURANCE_FUND("insurance-fund"),
        /** The fee pool equals the shadow's; below zero only by the deficits it reported covering. */
        FEE_POOL("fee-pool"),
        /** The backstop account never has negative equity. */
        BACKSTOP("backstop"),
        /** Every liquidation fill and backstop transfer is at a price no worse than the account's bankruptcy price. */
        LIQUIDATION_PRICE("liquidation-price"),
        /** Every auto-deleveraging close is within both accounts' bankruptcy prices. */
        ADL_PRICE("adl-price"),
        /** No account ends a command with negative equity. */
        NEGATIVE_EQUITY("negative-equity"),
        /**
         * Every account's maintenance margin (cross, and each isolated position's) equals the shadow's: its positions
         * at the reference price under the listed tiers times the risk multiplier in force ({@link ShadowMargin}).
         */
        MAINTENANCE_MARGIN("maintenance-margin"),
        /**
         * After a risk multiplier takes effect ({@code riskScaleApplied}), the position limit and price band it
         * announces and the engine's tiers in force (initial and maintenance rates) are the listed ones under the
         * multiplier by the documented rule, worked out by the shadow.
         */
        RISK_PARAMETERS("risk-parameters");

        private final String label;

        Invariant(String label) {
            this.label = label;
        }

        /** The name used in violations and reports. */
        public String label() {
            return label;
        }
    }

    private final ShadowAccounts shadow;
    private final AuditReport report = new AuditReport();
    private final InvariantChecks invariants;

    private Command pending;
    private boolean pendingLive;
    /** The last ADD_INSTRUMENT: its sequence, margin brackets and position limit (the listing event has neither). */
    private long listingSequence = -1;
    private List<MarginBracket> listingBrackets;
    private long listingPositionLimit;

    /** A shadow for an engine built with {@code config} (its VIP fee tiers and backstop account). */
    public ShadowAudit(EngineConfig config) {
        this.shadow = new ShadowAccounts(config.vipFeeTiers());
        this.invariants = new InvariantChecks(shadow, report, config.liquidation().backstopAccount());
    }

    // ------------------------------------------------------------------------------------------------ commands

    /**
     * The command about to be applied: the shadow follows the cash flows and settings that have no event of their own
     * (deposits, withdrawals, transfers, fee tiers, margin modes, collateral). Call before {@code Engine.apply}.
     */
    public void onCommand(Command c) {
        pending = null;
        pendingLive = false;
        if (c.type == null || c.address != null) {
            return;
        }
        if (c.type == CommandType.ADD_INSTRUMENT) {
            listingSequence = c.sequence;
            listingBrackets = c.marginBrackets == null ? null : List.copyOf(c.marginBrackets);
            listingPositionLimit = c.positionLimit;
        }
        switch (c.type) {
            case DEPOSIT, WITHDRAW, TRANSFER, SET_FEE_TIER, SET_MARGIN_MODE, SET_COLLATERAL -> {
                pending = new Command().copyFrom(c);
                pendingLive = true;
            }
            default -> {
            }
        }
    }

    /** Applies the pending command's effect once the engine has dispatched it without a reject. */
    private void flush() {
        if (!pendingLive) {
            return;
        }
        pendingLive = false;
        shadow.apply(pending);
    }

    // ------------------------------------------------------------------------------------------------ events

    @Override
    public void commandRejected(long sequence, long timestamp, CommandType command, int instrument, long orderId,
                                long clientOrderId, long account, RejectReason reason) {
        if (pendingLive && pending.sequence == sequence && pending.type == command) {
            pendingLive = false;
        }
    }

    @Override
    public void assetAdded(long sequence, long timestamp, AssetSpec spec) {
        shadow.addAsset(spec);
    }

    @Override
    public void instrumentAdded(long sequence, long timestamp, InstrumentSpec spec) {
        boolean listed = sequence == listingSequence;
        shadow.addInstrument(spec, listed ? listingBrackets : null, listed ? listingPositionLimit : 0);
    }

    /**
     * A risk multiplier took effect: the shadow scales the instrument's listed tiers itself (its maintenance margins
     * follow from now on, including the re-measure in this same command), checks the announced position limit and band
     * at once, and the engine's tiers in force at the next check.
     */
    @Override
    public void riskScaleApplied(long sequence, long timestamp, int instrument, long multiplierPpm, long positionLimit,
                                 long priceBandPpm) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins == null || ins.margin == null || multiplierPpm <= 0) {
            report.violation(Invariant.RISK_PARAMETERS, "command " + sequence + " scaled instrument " + instrument
                    + " by " + multiplierPpm + " ppm; the shadow has no margin tiers for it or the multiplier is not"
                    + " positive");
            return;
        }
        ins.margin.scale(multiplierPpm);
        invariants.riskScaleApplied(ins, positionLimit, priceBandPpm, sequence);
    }

    @Override
    public void optionAdded(long sequence, long timestamp, InstrumentSpec spec, OptionSpec option) {
        shadow.addOption(spec, option);
    }

    @Override
    public void optionSettled(long sequence, long timestamp, int instrument, long settlementPrice, long intrinsicValue,
                              long openInterest, int samples) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins != null) {
            shadow.optionSettled(ins, settlementPrice);
        }
    }

    @Override
    public void indexAdded(long sequence, long timestamp, IndexSpec spec) {
        shadow.indexes.put(spec.id(), new Idx(spec));
    }

    @Override
    public void indexUpdated(long sequence, long timestamp, int indexId, long price, int freshSources) {
        Idx index = shadow.indexes.get(indexId);
        if (index != null) {
            index.price = price;
            index.hasPrice = true;
            index.stale = false;
            index.held = false;
        }
    }

    @Override
    public void indexStale(long sequence, long timestamp, int indexId, int freshSources, long lastPrice) {
        Idx index = shadow.indexes.get(indexId);
        if (index != null) {
            index.stale = true;
        }
    }

    @Override
    public void indexDiverged(long sequence, long timestamp, int indexId, long price, long average, boolean held) {
        Idx index = shadow.indexes.get(indexId);
        if (index != null && held) {
            index.held = true;
        }
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins != null) {
            ins.mark = markPrice;
        }
    }

    @Override
    public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
                              long quantity) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins != null) {
            ins.lastTrade = price;
        }
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                            long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                            Liquidity liquidity) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins == null) {
            return;
        }
        if (orderId >= Engine.LIQUIDATION_ORDER_ID_BASE && liquidity == Liquidity.TAKER) {
            // A liquidation order: no trading fee (the liquidation fee follows in liquidationFill).
            invariants.checkBankruptcy(Invariant.LIQUIDATION_PRICE, account, ins, price, sequence, "liquidation fill");
            shadow.fill(ins, account, side, price, quantity);
            return;
        }
        shadow.fill(ins, account, side, price, quantity);
        shadow.chargeFee(ins, account, liquidity, price, quantity);
    }

    @Override
    public void liquidationStarted(long sequence, long timestamp, long account, int asset, int instrument, long equity,
                                   long maintenanceMargin) {
        flush();
        shadow.repriceCollateral();
        shadow.touched.add(account);
    }

    @Override
    public void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price,
                                long quantity, long fee) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins != null && fee != 0) {
            shadow.credit(account, ins.asset, -fee);
            shadow.insurance[ins.asset] += fee;
        }
    }

    @Override
    public void backstopTransfer(long sequence, long timestamp, long account, long backstop, int instrument, Side side,
                                 long price, long quantity) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins == null) {
            return;
        }
        invariants.checkBankruptcy(Invariant.LIQUIDATION_PRICE, account, ins, price, sequence, "backstop transfer");
        shadow.fill(ins, account, side, price, quantity);
        shadow.fill(ins, backstop, side == Side.SELL ? Side.BUY : Side.SELL, price, quantity);
    }

    @Override
    public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument,
                                Side side, long price, long quantity, long rankPpm) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins == null) {
            return;
        }
        invariants.checkBankruptcy(Invariant.ADL_PRICE, account, ins, price, sequence, "auto-deleveraging");
        invariants.checkBankruptcy(Invariant.ADL_PRICE, counterparty, ins, price, sequence,
                "auto-deleveraging counterparty");
        shadow.fill(ins, account, side, price, quantity);
        shadow.fill(ins, counterparty, side == Side.SELL ? Side.BUY : Side.SELL, price, quantity);
    }

    /** The insurance fund takes a liquidated position over (at the bankruptcy price): a transfer like the backstop's. */
    @Override
    public void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side, long price,
                                      long quantity, long fundEquity) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins == null) {
            return;
        }
        invariants.checkBankruptcy(Invariant.LIQUIDATION_PRICE, account, ins, price, sequence, "insurance fund takeover");
        shadow.fill(ins, account, side, price, quantity);
        shadow.fill(ins, SystemAccounts.INSURANCE_FUND, side == Side.SELL ? Side.BUY : Side.SELL, price, quantity);
    }

    /** What a deleveraged account had above bankruptcy on the closed lots goes to the fund instead of its counterparty. */
    @Override
    public void remainingMarginToInsuranceFund(long sequence, long timestamp, long account, int asset, int instrument,
                                               long amount) {
        shadow.credit(account, asset, -amount);
        shadow.credit(SystemAccounts.INSURANCE_FUND, asset, amount);
    }

    @Override
    public void insuranceFundPaid(long sequence, long timestamp, long account, int asset, long amount, long fundBalance) {
        shadow.credit(account, asset, amount);
        shadow.insurance[asset] -= amount;
    }

    @Override
    public void deficitCoveredByVenue(long sequence, long timestamp, long account, int asset, long amount) {
        shadow.credit(account, asset, amount);
        shadow.feePool[asset] -= amount;
        shadow.venueCovered[asset] += amount;
    }

    @Override
    public void fundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium,
                                   long interestRate, int samples, long markPrice) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins != null) {
            ins.fundingRate = rate;
            ins.fundingMark = markPrice;
        }
    }

    /** One position's funding: the shadow must hold the position the engine settled; the amount is recomputed. */
    @Override
    public void fundingSettled(long sequence, long timestamp, int instrument, long account, long position, long rate,
                               long amount) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins == null) {
            return;
        }
        long size = ins.size(account);
        if (size != position) {
            report.violation(Invariant.POSITION, "funding in command " + sequence + " settled account " + account
                    + " in instrument " + instrument + " on " + position + " lots; the shadow holds " + size);
        }
        shadow.settleFunding(ins, account, size);
    }

    @Override
    public void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
                                      long settlementValue, long amount) {
        Ins ins = shadow.instruments.get(instrument);
        if (ins == null) {
            return;
        }
        Pos pos = ins.positions.remove(account);
        long size = pos == null ? 0 : pos.size;
        if (size != position) {
            report.violation(Invariant.POSITION, "option settlement in command " + sequence + " closed " + position
                    + " lots of account " + account + " in instrument " + instrument + "; the shadow holds " + size);
        }
        shadow.settleOption(ins, account, pos, settlementValue);
    }

    @Override
    public void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                               long initialMargin, long maintenanceMargin, int health) {
        flush();
        shadow.touched.add(account);
    }

    @Override
    public void commandCompleted(long sequence, long timestamp) {
        flush();
        shadow.repriceCollateral();
    }

    // ------------------------------------------------------------------------------------------------ checks and results

    /**
     * Checks the accounts the commands since the last check touched, the system accounts and every instrument's open
     * interest against the engine. Returns the violations found by this check and the events since the last one,
     * each {@code "<invariant>: <detail>"}; empty when everything held.
     */
    public List<String> check(Engine engine) {
        return invariants.check(engine);
    }

    /** As {@link #check}, and every account the shadow has seen (a mark move changes equity without touching anyone). */
    public List<String> checkAll(Engine engine) {
        return invariants.checkAll(engine);
    }

    /** Violations per invariant since the audit began. */
    public long violations(Invariant invariant) {
        return report.violations(invariant);
    }

    /** The first violation of the invariant since the audit began, or null when it always held. */
    public String firstViolation(Invariant invariant) {
        return report.firstViolation(invariant);
    }

    /** True when no invariant was ever violated. */
    public boolean holds() {
        return report.holds();
    }

    /** The invariants violated so far, in declaration order. */
    public List<Invariant> violated() {
        return report.violated();
    }

    /** How many times {@link #check} ran. */
    public long checks() {
        return report.checks();
    }

    /**
     * Deficits the venue's fee pool covered in the asset (an explicit, reported loss of the venue: the fee pool may go
     * below zero by this much without violating {@link Invariant#FEE_POOL}).
     */
    public long venueCoveredDeficit(int asset) {
        return asset < shadow.venueCovered.length ? shadow.venueCovered[asset] : 0;
    }

    /** The shadow's clearing balance in the asset (minus realised PnL and option settlement values). */
    public long shadowClearing(int asset) {
        return asset < shadow.clearing.length ? shadow.clearing[asset] : 0;
    }
}
