package io.meridian.engine.audit;

import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.FixedPoint;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.Liquidity;
import io.meridian.model.MarginBracket;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.Side;
import io.meridian.model.SystemAccounts;
import io.meridian.risk.margin.FeeTier;
import io.meridian.risk.margin.MarginSchedule;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shadow of the venue's money that {@link ShadowAudit} keeps: assets, instruments with their reference prices and
 * the shadow's positions (size and cost basis), indexes and the collateral priced from them, every account's cash per
 * asset, fee tiers and isolated positions, and per settlement asset the system accounts' shadows (clearing, fee pool,
 * insurance fund) with the sums the clearing identity needs (open cost bases, option settlement values). Its operations
 * follow the documented rules on their own (docs/risk.md): the fill rule for cost basis and realised PnL, fees from the
 * instrument's rates and the account's tier, funding and option settlement amounts with their rounding, collateral
 * valuation and equity. It never reads the engine.
 *
 * <p>Engine thread only (it is fed by the audit's listener); not a hot-path component (it allocates).
 */
final class ShadowAccounts {
    /** One instrument: its terms, reference prices, and the shadow's positions. */
    static final class Ins {
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
        /** The shadow's margin tiers of a model-margined future or perpetual; null for an option (portfolio risk). */
        ShadowMargin margin;
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

        /** The shadow's signed position of the account (0 when flat). */
        long size(long account) {
            Pos pos = positions.get(account);
            return pos == null ? 0 : pos.size;
        }
    }

    /** A shadow position: signed lots and signed cost basis, as docs/risk.md defines them. */
    static final class Pos {
        long size;
        long openValue;
    }

    static final class Idx {
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

    private final long[] vipMakerPpm;
    private final long[] vipTakerPpm;

    private final Map<String, Integer> assetsBySymbol = new HashMap<>();
    final Map<Integer, AssetSpec> assets = new TreeMap<>();
    final Map<Integer, Ins> instruments = new TreeMap<>();
    final Map<Integer, Idx> indexes = new HashMap<>();
    private final List<Link> collateral = new ArrayList<>();
    private final Map<Long, long[]> balances = new HashMap<>();
    private final Map<Long, Integer> feeTiers = new HashMap<>();
    private final Set<Long> isolated = new HashSet<>();
    /** Every account that ever held cash in the shadow. */
    final TreeSet<Long> known = new TreeSet<>();
    /** The accounts touched since the last check. */
    final TreeSet<Long> touched = new TreeSet<>();
    /** Per settlement asset: the system accounts' shadows and the sums of the clearing identity. */
    long[] clearing = new long[4];
    long[] feePool = new long[4];
    long[] insurance = new long[4];
    long[] venueCovered = new long[4];
    long[] settledValues = new long[4];
    long[] openBasis = new long[4];

    /** VIP fee tiers 1.. as the engine's config lists them (tier 0 pays the instrument's own rates). */
    ShadowAccounts(List<FeeTier> vip) {
        vipMakerPpm = new long[vip.size() + 1];
        vipTakerPpm = new long[vip.size() + 1];
        for (int i = 0; i < vip.size(); i++) {
            vipMakerPpm[i + 1] = vip.get(i).makerPpm();
            vipTakerPpm[i + 1] = vip.get(i).takerPpm();
        }
    }

    // ------------------------------------------------------------------------------------------------ listings

    void addAsset(AssetSpec spec) {
        assets.put(spec.id(), spec);
        assetsBySymbol.put(spec.symbol(), spec.id());
        ensureAsset(spec.id());
    }

    /**
     * An instrument with its listed margin brackets ({@code null}: the venue's default table, the Binance USDT-M
     * BTCUSDT one, at the settlement asset's scale) and position limit; an option has no tiers of its own.
     */
    void addInstrument(InstrumentSpec spec, List<MarginBracket> brackets, long positionLimit) {
        Integer asset = assetsBySymbol.get(spec.settlementAsset());
        if (asset == null) {
            return;
        }
        Ins ins = new Ins(spec, asset);
        if (spec.kind() != InstrumentKind.OPTION) {
            List<MarginBracket> listed = brackets != null ? brackets
                    : MarginSchedule.binanceUsdtMBtcUsdt(spec.settlementScale()).tiers().stream()
                    .map(t -> new MarginBracket(t.notionalFloor(), t.maintenanceRatePpm(), t.initialRatePpm())).toList();
            ins.margin = new ShadowMargin(listed, positionLimit, spec.priceBandPpm());
        }
        instruments.put(spec.id(), ins);
    }

    /**
     * An option: what one lot settles per index unit of intrinsic value, {@code lot x multiplier x 10^(scale - d)},
     * worked out here from the specs (the edge of the audit, once per listing) and kept as a fraction of longs.
     */
    void addOption(InstrumentSpec spec, OptionSpec option) {
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
        ins.margin = null;
        ins.strikeUnits = option.strike().movePointRight(index.decimals).longValueExact();
        ins.settleNumerator = unit.unscaledValue().longValueExact();
        ins.settleDenominator = FixedPoint.pow10(unit.scale());
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

    // ------------------------------------------------------------------------------------------------ cash

    /** Adds {@code amount} to the account's shadow cash (the insurance fund's own row for the fund) and marks it touched. */
    void credit(long account, int asset, long amount) {
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

    long balance(long account, int asset) {
        if (account == SystemAccounts.INSURANCE_FUND) {
            return asset < insurance.length ? insurance[asset] : 0;
        }
        long[] row = balances.get(account);
        return row == null || asset >= row.length ? 0 : row[asset];
    }

    /**
     * Applies an accepted command's cash flow or setting that has no event of its own (deposits, withdrawals,
     * transfers, fee tiers, margin modes, collateral).
     */
    void apply(Command c) {
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

    boolean isIsolated(long account, int instrument) {
        return isolated.contains(key(account, instrument));
    }

    private static long key(long account, int instrument) {
        return account * 65_536 + instrument;
    }

    // ------------------------------------------------------------------------------------------------ positions

    /**
     * Applies one side of a fill or transfer to the shadow position with the documented rule (a reduction removes
     * {@code ceil(openValue x closed / |size|)} of the basis) and settles the realised PnL against the shadow clearing.
     */
    void fill(Ins ins, long account, Side side, long price, long quantity) {
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

    static long value(long signedLots, long price, long unit) {
        return Math.multiplyExact(Math.multiplyExact(signedLots, price), unit);
    }

    /** The trading fee of a fill, recomputed from the instrument's rates or the account's VIP tier, into the fee pool. */
    void chargeFee(Ins ins, long account, Liquidity liquidity, long price, long quantity) {
        long ppm = feePpm(account, ins, liquidity);
        long notional = value(quantity, price, ins.unit);
        long fee = ppm > 0 ? FixedPoint.mulDivCeil(notional, ppm, FixedPoint.PPM)
                : -FixedPoint.mulDivFloor(notional, -ppm, FixedPoint.PPM);
        credit(account, ins.asset, -fee);
        feePool[ins.asset] += fee;
    }

    private long feePpm(long account, Ins ins, Liquidity liquidity) {
        int tier = feeTiers.getOrDefault(account, 0);
        if (liquidity == Liquidity.MAKER) {
            return tier == 0 ? ins.makerPpm : vipMakerPpm[tier];
        }
        return tier == 0 ? ins.takerPpm : vipTakerPpm[tier];
    }

    /**
     * One position's funding on {@code size} lots, recomputed: a payer pays {@code ceil(|size x mark x unit| x |rate|
     * / 1e9)}, a receiver gets the floor. The clearing account passes payments through and its residue on to the fee
     * pool, so in the shadow the fee pool is the counterparty of every payment.
     */
    void settleFunding(Ins ins, long account, long size) {
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

    /** The option's intrinsic value at the settlement price, recomputed: max(0, S - K) for a call, max(0, K - S) for a put. */
    void optionSettled(Ins ins, long settlementPrice) {
        if (ins.right != null) {
            ins.intrinsic = Math.max(0, ins.right == OptionRight.CALL ? settlementPrice - ins.strikeUnits
                    : ins.strikeUnits - settlementPrice);
        }
    }

    /**
     * Closes the account's option position at expiry ({@code pos} already removed from the instrument, null when the
     * shadow held none): its settlement value, recomputed from the intrinsic value (the event's {@code settlementValue}
     * only for an instrument the shadow has no option terms of), less its cost basis, through the shadow clearing.
     */
    void settleOption(Ins ins, long account, Pos pos, long settlementValue) {
        long size = pos == null ? 0 : pos.size;
        long basis = pos == null ? 0 : pos.openValue;
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

    /** The shadow's equity of the account in the asset: balance + unrealised PnL at the reference prices + collateral. */
    /**
     * The account's equity in {@code asset} as its cross positions see it, or more: {@link #equity} without the
     * unrealised PnL of its isolated positions. The engine also leaves out the margin moved into those positions, which
     * the shadow does not follow, so this is an upper bound: a cross close that leaves even this below zero went past
     * the account's bankruptcy price.
     */
    long crossEquityUpperBound(long account, int asset) {
        long equity = equity(account, asset);
        for (Ins ins : instruments.values()) {
            Pos pos = ins.positions.get(account);
            if (ins.asset == asset && pos != null && isIsolated(account, ins.id)) {
                equity = Math.subtractExact(equity, value(pos.size, ins.reference(), ins.unit) - pos.openValue);
            }
        }
        return equity;
    }

    /**
     * The shadow's maintenance margin of the account in {@code asset}: of its cross positions ({@code instrument} -1)
     * or of its isolated position in {@code instrument}, each under its instrument's tiers in force at the reference
     * price. -1 when the shadow cannot tell: the account holds a position without tiers of the shadow's (an option).
     */
    long maintenanceMargin(long account, int asset, int instrument) {
        long total = 0;
        for (Ins ins : instruments.values()) {
            Pos pos = ins.positions.get(account);
            if (ins.asset != asset || pos == null || (instrument >= 0 ? ins.id != instrument
                    : isIsolated(account, ins.id))) {
                continue;
            }
            if (ins.margin == null) {
                return -1;
            }
            long notional = Math.multiplyExact(Math.multiplyExact(Math.abs(pos.size), ins.reference()), ins.unit);
            total = Math.addExact(total, ins.margin.maintenanceMargin(notional));
        }
        return total;
    }

    long equity(long account, int asset) {
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

    // ------------------------------------------------------------------------------------------------ collateral

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
    void repriceCollateral() {
        for (Link link : collateral) {
            Idx index = link.indexId >= 0 ? indexes.get(link.indexId) : null;
            if (index != null && index.usable()) {
                link.price = linkPrice(index, assets.get(link.settlement));
            }
        }
    }
}
