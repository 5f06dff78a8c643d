package io.meridian.engine.audit;

import io.meridian.engine.Engine;
import io.meridian.engine.EngineConfig;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.FixedPoint;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Liquidity;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.risk.margin.FeeTier;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
 * <p><b>Not covered.</b> Isolated positions are checked by total equity (cross plus isolated) only; their
 * liquidation and ADL prices are not checked (the shadow does not follow isolated margin top-ups). Signed commands
 * (by address) are not followed. The option settlement price (the window's time-weighted index average) is taken from
 * the event; the intrinsic value and the settlement amounts are recomputed.
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
        NEGATIVE_EQUITY("negative-equity");

        private final String label;

        Invariant(String label) {
            this.label = label;
        }

        /** The name used in violations and reports. */
        public String label() {
            return label;
        }
    }

    private static final int MAX_KEPT = 50;

    private final long backstopAccount;
    private final long[] vipMakerPpm;
    private final long[] vipTakerPpm;

    private final Map<String, Integer> assetsBySymbol = new HashMap<>();
    private final Map<Integer, AssetSpec> assets = new TreeMap<>();
    private final Map<Integer, Ins> instruments = new TreeMap<>();
    private final Map<Integer, Idx> indexes = new HashMap<>();
    private final List<Link> collateral = new ArrayList<>();
    private final Map<Long, long[]> balances = new HashMap<>();
    private final Map<Long, Integer> feeTiers = new HashMap<>();
    private final Set<Long> isolated = new HashSet<>();
    private final TreeSet<Long> known = new TreeSet<>();
    private final TreeSet<Long> touched = new TreeSet<>();
    private long[] clearing = new long[4];
    private long[] feePool = new long[4];
    private long[] insurance = new long[4];
    private long[] venueCovered = new long[4];
    private long[] settledValues = new long[4];
    private long[] openBasis = new long[4];

    private Command pending;
    private boolean pendingLive;

    private final List<String> found = new ArrayList<>();
    private final EnumMap<Invariant, Long> counts = new EnumMap<>(Invariant.class);
    private final EnumMap<Invariant, String> first = new EnumMap<>(Invariant.class);
    private long checks;

    /** A shadow for an engine built with {@code config} (its VIP fee tiers and backstop account). */
    public ShadowAudit(EngineConfig config) {
        this.backstopAccount = config.liquidation().backstopAccount();
        List<FeeTier> vip = config.vipFeeTiers();
        vipMakerPpm = new long[vip.size() + 1];
        vipTakerPpm = new long[vip.size() + 1];
        for (int i = 0; i < vip.size(); i++) {
            vipMakerPpm[i + 1] = vip.get(i).makerPpm();
            vipTakerPpm[i + 1] = vip.get(i).takerPpm();
        }
    }

    // ------------------------------------------------------------------------------------------------ shadow state

    /** One instrument: its terms, reference prices, and the shadow's positions. */
    private static final class Ins {
        final int id;
        final int asset;
        final long unit;
        final long makerPpm;
        final long takerPpm;
        long mark;
        long lastTrade;
        long fundingRate;
        long fundingMark;
        long longLots;
        long netLots;
        /** An option: its right, strike in index units and settlement minor units per lot per index unit (num/den). */
        OptionRight right;
        long strikeUnits;
        long settleNumerator;
        long settleDenominator;
        long intrinsic;
        final Map<Long, Pos> positions = new HashMap<>();

        Ins(InstrumentSpec spec, int asset) {
            this.id = spec.id();
            this.asset = asset;
            this.unit = spec.minorUnitsPerTickLot();
            this.makerPpm = spec.makerFeePpm();
            this.takerPpm = spec.takerFeePpm();
        }

        long reference() {
            return mark != 0 ? mark : lastTrade;
        }
    }

    /** A shadow position: signed lots and signed cost basis, as docs/risk.md defines them. */
    private static final class Pos {
        long size;
        long openValue;
    }

    private static final class Idx {
        final int decimals;
        long price;
        boolean hasPrice;
        boolean stale;
        boolean held;

        Idx(IndexSpec spec) {
            this.decimals = spec.priceDecimals();
        }

        boolean usable() {
            return hasPrice && !stale && !held;
        }
    }

    /** Collateral: {@code asset} backs equity in {@code settlement} at {@code price} per whole unit, weighted. */
    private static final class Link {
        final int asset;
        final long unit;
        final int settlement;
        final int indexId;
        final long weightPpm;
        long price;

        Link(int asset, long unit, int settlement, int indexId, long weightPpm, long price) {
            this.asset = asset;
            this.unit = unit;
            this.settlement = settlement;
            this.indexId = indexId;
            this.weightPpm = weightPpm;
            this.price = price;
        }
    }

    private long[] grow(long[] array, int asset) {
        return asset < array.length ? array : Arrays.copyOf(array, Math.max(asset + 1, array.length * 2));
    }

    private void ensureAsset(int asset) {
        clearing = grow(clearing, asset);
        feePool = grow(feePool, asset);
        insurance = grow(insurance, asset);
        venueCovered = grow(venueCovered, asset);
        settledValues = grow(settledValues, asset);
        openBasis = grow(openBasis, asset);
    }

    private void credit(long account, int asset, long amount) {
        if (account == SystemAccounts.INSURANCE_FUND) {
            insurance[asset] = Math.addExact(insurance[asset], amount);
            return;
        }
        long[] row = balances.computeIfAbsent(account, a -> new long[4]);
        if (asset >= row.length) {
            row = Arrays.copyOf(row, Math.max(asset + 1, row.length * 2));
            balances.put(account, row);
        }
        row[asset] = Math.addExact(row[asset], amount);
        known.add(account);
        touched.add(account);
    }

    private long balance(long account, int asset) {
        if (account == SystemAccounts.INSURANCE_FUND) {
            return asset < insurance.length ? insurance[asset] : 0;
        }
        long[] row = balances.get(account);
        return row == null || asset >= row.length ? 0 : row[asset];
    }

    /**
     * Applies one side of a fill or transfer to the shadow position with the documented rule (a reduction removes
     * {@code ceil(openValue x closed / |size|)} of the basis) and settles the realised PnL against the shadow clearing.
     */
    private void fill(Ins ins, long account, Side side, long price, long quantity) {
        Pos pos = ins.positions.computeIfAbsent(account, a -> new Pos());
        long signed = side == Side.BUY ? quantity : -quantity;
        long before = pos.size;
        long basisBefore = pos.openValue;
        long pnl = 0;
        if (pos.size == 0 || Long.signum(pos.size) == Long.signum(signed)) {
            pos.size = Math.addExact(pos.size, signed);
            pos.openValue = Math.addExact(pos.openValue, value(signed, price, ins.unit));
        } else {
            long lots = Math.abs(pos.size);
            long closing = Math.min(quantity, lots);
            long basis = closing == lots ? pos.openValue : FixedPoint.mulDivCeil(pos.openValue, closing, lots);
            long closedSigned = pos.size > 0 ? closing : -closing;
            pnl = Math.subtractExact(value(closedSigned, price, ins.unit), basis);
            pos.size -= closedSigned;
            pos.openValue = Math.subtractExact(pos.openValue, basis);
            long opening = quantity - closing;
            if (opening > 0) {
                long openingSigned = side == Side.BUY ? opening : -opening;
                pos.size = openingSigned;
                pos.openValue = value(openingSigned, price, ins.unit);
            }
        }
        ins.netLots += signed;
        ins.longLots += Math.max(0, pos.size) - Math.max(0, before);
        openBasis[ins.asset] += pos.openValue - basisBefore;
        if (pos.size == 0) {
            ins.positions.remove(account);
        }
        credit(account, ins.asset, pnl);
        clearing[ins.asset] -= pnl;
    }

    private static long value(long signedLots, long price, long unit) {
        return Math.multiplyExact(Math.multiplyExact(signedLots, price), unit);
    }

    private long feePpm(long account, Ins ins, Liquidity liquidity) {
        int tier = feeTiers.getOrDefault(account, 0);
        if (liquidity == Liquidity.MAKER) {
            return tier == 0 ? ins.makerPpm : vipMakerPpm[tier];
        }
        return tier == 0 ? ins.takerPpm : vipTakerPpm[tier];
    }

    /** The shadow's equity of the account in the asset: balance + unrealised PnL at the reference prices + collateral. */
    private long equity(long account, int asset) {
        long equity = balance(account, asset);
        for (Ins ins : instruments.values()) {
            if (ins.asset != asset) {
                continue;
            }
            Pos pos = ins.positions.get(account);
            if (pos != null) {
                equity = Math.addExact(equity, value(pos.size, ins.reference(), ins.unit) - pos.openValue);
            }
        }
        for (Link link : collateral) {
            long held = balance(account, link.asset);
            if (link.settlement == asset && held > 0) {
                long worth = FixedPoint.mulDivFloor(held, link.price, link.unit);
                equity = Math.addExact(equity, FixedPoint.mulDivFloor(worth, link.weightPpm, FixedPoint.PPM));
            }
        }
        return equity;
    }

    /**
     * Checks that closing at {@code price} is no worse than the account's bankruptcy price: valuing its whole position
     * at that price, with everything else at the reference prices, leaves its shadow equity at or above zero.
     */
    private void checkBankruptcy(Invariant invariant, long account, Ins ins, long price, long sequence, String what) {
        Pos pos = ins.positions.get(account);
        if (pos == null || account == SystemAccounts.INSURANCE_FUND || isolated.contains(key(account, ins.id))) {
            // The fund is no bankrupt account: it unwinds at the market and is deleveraged at the mark.
            return;
        }
        long equity = equity(account, ins.asset);
        long atPrice = Math.addExact(equity, value(pos.size, price - ins.reference(), ins.unit));
        if (atPrice < 0) {
            long bankruptcy = ins.reference() - Math.floorDiv(equity, Math.multiplyExact(pos.size, ins.unit));
            violation(invariant, what + " of account " + account + " in instrument " + ins.id + " at " + price
                    + " is past its bankruptcy price (about " + bankruptcy + "; position " + pos.size + ", equity "
                    + equity + ", equity at that price " + atPrice + ") in command " + sequence);
        }
    }

    private static long key(long account, int instrument) {
        return account * 65_536 + instrument;
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
        Command c = pending;
        switch (c.type) {
            case DEPOSIT -> {
                if (c.account == SystemAccounts.INSURANCE_FUND) {
                    ensureAsset(c.asset);
                    insurance[c.asset] += c.amount;
                } else {
                    credit(c.account, c.asset, c.amount);
                }
            }
            case WITHDRAW -> credit(c.account, c.asset, -c.amount);
            case TRANSFER -> {
                credit(c.account, c.asset, -c.amount);
                credit(c.counterparty, c.asset, c.amount);
            }
            case SET_FEE_TIER -> feeTiers.put(c.account, c.feeTier);
            case SET_MARGIN_MODE -> {
                if (c.instrument >= 0 && c.marginMode == MarginMode.ISOLATED) {
                    isolated.add(key(c.account, c.instrument));
                } else if (c.instrument >= 0) {
                    isolated.remove(key(c.account, c.instrument));
                }
            }
            case SET_COLLATERAL -> setCollateral(c);
            default -> {
            }
        }
    }

    private void setCollateral(Command c) {
        AssetSpec asset = assets.get(c.asset);
        AssetSpec settlement = assets.get(c.settlementAsset);
        if (asset == null || settlement == null) {
            return;
        }
        collateral.removeIf(link -> link.asset == c.asset && link.settlement == c.settlementAsset);
        long unit = FixedPoint.pow10(asset.scale());
        if (c.price > 0) {
            collateral.add(new Link(c.asset, unit, c.settlementAsset, -1, c.collateralWeightPpm, c.price));
            return;
        }
        Idx index = indexes.get(c.indexId);
        Link link = new Link(c.asset, unit, c.settlementAsset, c.indexId, c.collateralWeightPpm, 0);
        link.price = index != null && index.hasPrice ? linkPrice(index, settlement) : 0;
        collateral.add(link);
    }

    private long linkPrice(Idx index, AssetSpec settlement) {
        return FixedPoint.mulDivFloor(index.price, FixedPoint.pow10(settlement.scale()), FixedPoint.pow10(index.decimals));
    }

    /** Collateral priced from an index follows it while it is usable (the engine freezes it while stale or held). */
    private void repriceCollateral() {
        for (Link link : collateral) {
            Idx index = link.indexId >= 0 ? indexes.get(link.indexId) : null;
            if (index != null && index.usable()) {
                link.price = linkPrice(index, assets.get(link.settlement));
            }
        }
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
        assets.put(spec.id(), spec);
        assetsBySymbol.put(spec.symbol(), spec.id());
        ensureAsset(spec.id());
    }

    @Override
    public void instrumentAdded(long sequence, long timestamp, InstrumentSpec spec) {
        Integer asset = assetsBySymbol.get(spec.settlementAsset());
        if (asset != null) {
            instruments.put(spec.id(), new Ins(spec, asset));
        }
    }

    /**
     * An option: what one lot settles per index unit of intrinsic value, {@code lot x multiplier x 10^(scale - d)},
     * worked out here from the specs (the edge of the audit, once per listing) and kept as a fraction of longs.
     */
    @Override
    public void optionAdded(long sequence, long timestamp, InstrumentSpec spec, OptionSpec option) {
        Ins ins = instruments.get(spec.id());
        Idx index = indexes.get(option.indexId());
        if (ins == null || index == null) {
            return;
        }
        BigDecimal unit = spec.lotSize().multiply(spec.contractMultiplier())
                .movePointRight(spec.settlementScale() - index.decimals).stripTrailingZeros();
        if (unit.scale() < 0) {
            unit = unit.setScale(0);
        }
        ins.right = option.right();
        ins.strikeUnits = option.strike().movePointRight(index.decimals).longValueExact();
        ins.settleNumerator = unit.unscaledValue().longValueExact();
        ins.settleDenominator = FixedPoint.pow10(unit.scale());
    }

    /** The option's intrinsic value at the settlement price, recomputed: max(0, S - K) for a call, max(0, K - S) for a put. */
    @Override
    public void optionSettled(long sequence, long timestamp, int instrument, long settlementPrice, long intrinsicValue,
                              long openInterest, int samples) {
        Ins ins = instruments.get(instrument);
        if (ins != null && ins.right != null) {
            ins.intrinsic = Math.max(0, ins.right == OptionRight.CALL ? settlementPrice - ins.strikeUnits
                    : ins.strikeUnits - settlementPrice);
        }
    }

    @Override
    public void indexAdded(long sequence, long timestamp, IndexSpec spec) {
        indexes.put(spec.id(), new Idx(spec));
    }

    @Override
    public void indexUpdated(long sequence, long timestamp, int indexId, long price, int freshSources) {
        Idx index = indexes.get(indexId);
        if (index != null) {
            index.price = price;
            index.hasPrice = true;
            index.stale = false;
            index.held = false;
        }
    }

    @Override
    public void indexStale(long sequence, long timestamp, int indexId, int freshSources, long lastPrice) {
        Idx index = indexes.get(indexId);
        if (index != null) {
            index.stale = true;
        }
    }

    @Override
    public void indexDiverged(long sequence, long timestamp, int indexId, long price, long average, boolean held) {
        Idx index = indexes.get(indexId);
        if (index != null && held) {
            index.held = true;
        }
    }

    @Override
    public void markPriceChanged(long sequence, long timestamp, int instrument, long markPrice) {
        Ins ins = instruments.get(instrument);
        if (ins != null) {
            ins.mark = markPrice;
        }
    }

    @Override
    public void tradeExecuted(long sequence, long timestamp, int instrument, long tradeId, Side takerSide, long price,
                              long quantity) {
        Ins ins = instruments.get(instrument);
        if (ins != null) {
            ins.lastTrade = price;
        }
    }

    @Override
    public void orderFilled(long sequence, long timestamp, int instrument, long tradeId, long orderId,
                            long clientOrderId, long account, Side side, long price, long quantity, long remaining,
                            Liquidity liquidity) {
        Ins ins = instruments.get(instrument);
        if (ins == null) {
            return;
        }
        if (orderId >= Engine.LIQUIDATION_ORDER_ID_BASE && liquidity == Liquidity.TAKER) {
            // A liquidation order: no trading fee (the liquidation fee follows in liquidationFill).
            checkBankruptcy(Invariant.LIQUIDATION_PRICE, account, ins, price, sequence, "liquidation fill");
            fill(ins, account, side, price, quantity);
            return;
        }
        fill(ins, account, side, price, quantity);
        long ppm = feePpm(account, ins, liquidity);
        long notional = value(quantity, price, ins.unit);
        long fee = ppm > 0 ? FixedPoint.mulDivCeil(notional, ppm, FixedPoint.PPM)
                : -FixedPoint.mulDivFloor(notional, -ppm, FixedPoint.PPM);
        credit(account, ins.asset, -fee);
        feePool[ins.asset] += fee;
    }

    @Override
    public void liquidationStarted(long sequence, long timestamp, long account, int asset, int instrument, long equity,
                                   long maintenanceMargin) {
        flush();
        repriceCollateral();
        touched.add(account);
    }

    @Override
    public void liquidationFill(long sequence, long timestamp, long account, int instrument, Side side, long price,
                                long quantity, long fee) {
        Ins ins = instruments.get(instrument);
        if (ins != null && fee != 0) {
            credit(account, ins.asset, -fee);
            insurance[ins.asset] += fee;
        }
    }

    @Override
    public void backstopTransfer(long sequence, long timestamp, long account, long backstop, int instrument, Side side,
                                 long price, long quantity) {
        Ins ins = instruments.get(instrument);
        if (ins == null) {
            return;
        }
        checkBankruptcy(Invariant.LIQUIDATION_PRICE, account, ins, price, sequence, "backstop transfer");
        fill(ins, account, side, price, quantity);
        fill(ins, backstop, side == Side.SELL ? Side.BUY : Side.SELL, price, quantity);
    }

    @Override
    public void autoDeleveraged(long sequence, long timestamp, long account, long counterparty, int instrument,
                                Side side, long price, long quantity, long rankPpm) {
        Ins ins = instruments.get(instrument);
        if (ins == null) {
            return;
        }
        checkBankruptcy(Invariant.ADL_PRICE, account, ins, price, sequence, "auto-deleveraging");
        checkBankruptcy(Invariant.ADL_PRICE, counterparty, ins, price, sequence, "auto-deleveraging counterparty");
        fill(ins, account, side, price, quantity);
        fill(ins, counterparty, side == Side.SELL ? Side.BUY : Side.SELL, price, quantity);
    }

    /** The insurance fund takes a liquidated position over (at the bankruptcy price): a transfer like the backstop's. */
    @Override
    public void insuranceFundTakeover(long sequence, long timestamp, long account, int instrument, Side side, long price,
                                      long quantity, long fundEquity) {
        Ins ins = instruments.get(instrument);
        if (ins == null) {
            return;
        }
        checkBankruptcy(Invariant.LIQUIDATION_PRICE, account, ins, price, sequence, "insurance fund takeover");
        fill(ins, account, side, price, quantity);
        fill(ins, SystemAccounts.INSURANCE_FUND, side == Side.SELL ? Side.BUY : Side.SELL, price, quantity);
    }

    /** What a deleveraged account had above bankruptcy on the closed lots goes to the fund instead of its counterparty. */
    @Override
    public void remainingMarginToInsuranceFund(long sequence, long timestamp, long account, int asset, int instrument,
                                               long amount) {
        credit(account, asset, -amount);
        credit(SystemAccounts.INSURANCE_FUND, asset, amount);
    }

    @Override
    public void insuranceFundPaid(long sequence, long timestamp, long account, int asset, long amount, long fundBalance) {
        credit(account, asset, amount);
        insurance[asset] -= amount;
    }

    @Override
    public void deficitCoveredByVenue(long sequence, long timestamp, long account, int asset, long amount) {
        credit(account, asset, amount);
        feePool[asset] -= amount;
        venueCovered[asset] += amount;
    }

    @Override
    public void fundingRateApplied(long sequence, long timestamp, int instrument, long rate, long averagePremium,
                                   long interestRate, int samples, long markPrice) {
        Ins ins = instruments.get(instrument);
        if (ins != null) {
            ins.fundingRate = rate;
            ins.fundingMark = markPrice;
        }
    }

    /**
     * One position's funding, recomputed: a payer pays {@code ceil(|size x mark x unit| x |rate| / 1e9)}, a receiver
     * gets the floor. The clearing account passes payments through and its residue on to the fee pool, so in the
     * shadow the fee pool is the counterparty of every payment.
     */
    @Override
    public void fundingSettled(long sequence, long timestamp, int instrument, long account, long position, long rate,
                               long amount) {
        Ins ins = instruments.get(instrument);
        if (ins == null) {
            return;
        }
        Pos pos = ins.positions.get(account);
        long size = pos == null ? 0 : pos.size;
        if (size != position) {
            violation(Invariant.POSITION, "funding in command " + sequence + " settled account " + account
                    + " in instrument " + instrument + " on " + position + " lots; the shadow holds " + size);
        }
        long positionValue = value(size, ins.fundingMark, ins.unit);
        long shadowAmount = 0;
        if (positionValue != 0 && ins.fundingRate != 0) {
            long magnitude = Math.abs(positionValue);
            long r = Math.abs(ins.fundingRate);
            boolean pays = (positionValue > 0) == (ins.fundingRate > 0);
            shadowAmount = pays ? -FixedPoint.mulDivCeil(magnitude, r, 1_000_000_000L)
                    : FixedPoint.mulDivFloor(magnitude, r, 1_000_000_000L);
        }
        credit(account, ins.asset, shadowAmount);
        feePool[ins.asset] -= shadowAmount;
    }

    @Override
    public void optionPositionSettled(long sequence, long timestamp, int instrument, long account, long position,
                                      long settlementValue, long amount) {
        Ins ins = instruments.get(instrument);
        if (ins == null) {
            return;
        }
        Pos pos = ins.positions.remove(account);
        long size = pos == null ? 0 : pos.size;
        long basis = pos == null ? 0 : pos.openValue;
        if (size != position) {
            violation(Invariant.POSITION, "option settlement in command " + sequence + " closed " + position
                    + " lots of account " + account + " in instrument " + instrument + "; the shadow holds " + size);
        }
        ins.netLots -= size;
        ins.longLots -= Math.max(0, size);
        openBasis[ins.asset] -= basis;
        // The shadow's own settlement value: rounded down for a long's payout, up for a short's payment.
        long value = settlementValue;
        if (ins.right != null) {
            long magnitude = Math.multiplyExact(ins.intrinsic, Math.abs(size));
            value = size > 0 ? FixedPoint.mulDivFloor(magnitude, ins.settleNumerator, ins.settleDenominator)
                    : -FixedPoint.mulDivCeil(magnitude, ins.settleNumerator, ins.settleDenominator);
        }
        long credited = Math.subtractExact(value, basis);
        credit(account, ins.asset, credited);
        clearing[ins.asset] -= credited;
        settledValues[ins.asset] += value;
    }

    @Override
    public void accountUpdated(long sequence, long timestamp, long account, int asset, long balance, long equity,
                               long initialMargin, long maintenanceMargin, int health) {
        flush();
        touched.add(account);
    }

    @Override
    public void commandCompleted(long sequence, long timestamp) {
        flush();
        repriceCollateral();
    }

    // ------------------------------------------------------------------------------------------------ checks

    private void violation(Invariant invariant, String detail) {
        String text = invariant.label() + ": " + detail;
        counts.merge(invariant, 1L, Long::sum);
        first.putIfAbsent(invariant, text);
        if (found.size() < MAX_KEPT) {
            found.add(text);
        }
    }

    /**
     * Checks the accounts the commands since the last check touched, the system accounts and every instrument's open
     * interest against the engine. Returns the violations found by this check and the events since the last one,
     * each {@code "<invariant>: <detail>"}; empty when everything held.
     */
    public List<String> check(Engine engine) {
        checks++;
        for (long account : touched) {
            checkAccount(engine, account);
        }
        touched.clear();
        checkVenue(engine);
        List<String> out = List.copyOf(found);
        found.clear();
        return out;
    }

    /** As {@link #check}, and every account the shadow has seen (a mark move changes equity without touching anyone). */
    public List<String> checkAll(Engine engine) {
        touched.addAll(known);
        for (Ins ins : instruments.values()) {
            touched.addAll(ins.positions.keySet());
        }
        return check(engine);
    }

    private void checkAccount(Engine engine, long account) {
        if (account <= 0) {
            return;
        }
        for (AssetSpec spec : assets.values()) {
            int asset = spec.id();
            long shadowBalance = balance(account, asset);
            long ledgerBalance = engine.view().ledger().balance(account, asset);
            if (shadowBalance != ledgerBalance) {
                violation(Invariant.ACCOUNT_BALANCE, "account " + account + " holds " + ledgerBalance + " of " + spec.symbol()
                        + ", the shadow " + shadowBalance + " (after command " + engine.lastSequence() + ")");
            }
            long engineEquity = engine.view().marginState(account, asset).equity;
            for (Ins ins : instruments.values()) {
                if (ins.asset == asset && engine.view().marginMode(account, ins.id) == MarginMode.ISOLATED) {
                    engineEquity += engine.view().isolatedState(account, ins.id).equity;
                }
            }
            long shadowEquity = equity(account, asset);
            if (shadowEquity != engineEquity) {
                violation(Invariant.ACCOUNT_EQUITY, "account " + account + " has equity " + engineEquity + " in "
                        + spec.symbol() + ", the shadow " + shadowEquity + " (after command " + engine.lastSequence()
                        + ")");
            }
            long worst = Math.min(shadowEquity, engineEquity);
            if (worst < 0) {
                violation(account == backstopAccount ? Invariant.BACKSTOP : Invariant.NEGATIVE_EQUITY,
                        (account == backstopAccount ? "backstop " : "") + "account " + account + " ends command "
                                + engine.lastSequence() + " with equity " + engineEquity + " (shadow " + shadowEquity
                                + ") in " + spec.symbol());
            }
        }
        for (Ins ins : instruments.values()) {
            Pos pos = ins.positions.get(account);
            long shadow = pos == null ? 0 : pos.size;
            long actual = engine.view().positions(ins.id).size(account);
            if (shadow != actual) {
                violation(Invariant.POSITION, "account " + account + " holds " + actual + " lots of instrument " + ins.id
                        + ", the shadow " + shadow + " (after command " + engine.lastSequence() + ")");
            }
        }
    }

    private void checkVenue(Engine engine) {
        long sequence = engine.lastSequence();
        for (AssetSpec spec : assets.values()) {
            int asset = spec.id();
            long ledgerClearing = engine.view().ledger().balance(SystemAccounts.CLEARING, asset);
            long fromPositions = -openBasis[asset] - settledValues[asset];
            if (ledgerClearing != clearing[asset] || clearing[asset] != fromPositions) {
                violation(Invariant.CLEARING, "clearing holds " + ledgerClearing + " of " + spec.symbol()
                        + "; minus realised PnL and settlement values: " + clearing[asset]
                        + "; minus open cost bases and settlement values: " + fromPositions + " (after command "
                        + sequence + ")");
            }
            long fund = engine.view().ledger().balance(SystemAccounts.INSURANCE_FUND, asset);
            // With positions taken over, the fund's own equity (cash + their unrealised PnL) is what may not go negative.
            long inventory = equity(SystemAccounts.INSURANCE_FUND, asset) - insurance[asset];
            long fundEquity = Math.min(insurance[asset], fund) + inventory;
            if (fund != insurance[asset] || fundEquity < 0) {
                violation(Invariant.INSURANCE_FUND, "insurance fund holds " + fund + " of " + spec.symbol()
                        + ", the shadow " + insurance[asset] + (fundEquity < 0 ? " (negative: equity " + fundEquity + ")"
                        : "") + " (after command " + sequence + ")");
            }
            long pool = engine.view().ledger().balance(SystemAccounts.FEE_POOL, asset);
            if (pool != feePool[asset] || pool + venueCovered[asset] < 0) {
                violation(Invariant.FEE_POOL, "fee pool holds " + pool + " of " + spec.symbol() + ", the shadow "
                        + feePool[asset] + ", reported venue-covered deficits " + venueCovered[asset] + " (after command "
                        + sequence + ")");
            }
        }
        for (Ins ins : instruments.values()) {
            Pos held = ins.positions.get(SystemAccounts.INSURANCE_FUND);
            long shadowHeld = held == null ? 0 : held.size;
            long fundHeld = engine.view().positions(ins.id).size(SystemAccounts.INSURANCE_FUND);
            if (shadowHeld != fundHeld) {
                violation(Invariant.POSITION, "the insurance fund holds " + fundHeld + " lots of instrument " + ins.id
                        + ", the shadow " + shadowHeld + " (after command " + sequence + ")");
            }
            long engineLongs = engine.view().positions(ins.id).openInterest();
            if (ins.netLots != 0 || engineLongs != ins.longLots) {
                violation(Invariant.OPEN_INTEREST, "instrument " + ins.id + ": long minus short lots in the shadow "
                        + ins.netLots + ", open interest " + engineLongs + " (shadow " + ins.longLots + ") after command "
                        + sequence);
            }
        }
        if (backstopAccount > 0 && !touched.contains(backstopAccount)) {
            for (AssetSpec spec : assets.values()) {
                long equity = engine.view().marginState(backstopAccount, spec.id()).equity;
                if (equity < 0) {
                    violation(Invariant.BACKSTOP, "backstop account " + backstopAccount + " has equity " + equity
                            + " in " + spec.symbol() + " after command " + sequence);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ results

    /** Violations per invariant since the audit began. */
    public long violations(Invariant invariant) {
        return counts.getOrDefault(invariant, 0L);
    }

    /** The first violation of the invariant since the audit began, or null when it always held. */
    public String firstViolation(Invariant invariant) {
        return first.get(invariant);
    }

    /** True when no invariant was ever violated. */
    public boolean holds() {
        return counts.isEmpty();
    }

    /** The invariants violated so far, in declaration order. */
    public List<Invariant> violated() {
        return List.copyOf(counts.keySet());
    }

    /** How many times {@link #check} ran. */
    public long checks() {
        return checks;
    }

    /**
     * Deficits the venue's fee pool covered in the asset (an explicit, reported loss of the venue: the fee pool may go
     * below zero by this much without violating {@link Invariant#FEE_POOL}).
     */
    public long venueCoveredDeficit(int asset) {
        return asset < venueCovered.length ? venueCovered[asset] : 0;
    }

    /** The shadow's clearing balance in the asset (minus realised PnL and option settlement values). */
    public long shadowClearing(int asset) {
        return asset < clearing.length ? clearing[asset] : 0;
    }
}
