package io.meridian.risk;

import io.meridian.model.RestingTotals;
import io.meridian.model.Side;
import io.meridian.risk.MarginEngine.MarginState;
import io.meridian.risk.MarginEngine.PortfolioRisk;
import io.meridian.risk.margin.Health;
import io.meridian.risk.margin.Notional;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The margin arithmetic of the {@link MarginEngine}, by its formulas (see there): an account's cross
 * {@link MarginState} in one settlement asset, an isolated position's, each optionally with one order or leverage
 * change added, the free cross margin an isolated position may draw on, and a position's liquidation price. It owns
 * nothing but the installed {@link PortfolioRisk} and two scratch states; the accounts, instruments and collateral it
 * reads are the margin engine's.
 *
 * <p>Engine thread only. {@link #compute} is the hot loop of every pre-trade check and every recompute after a mark
 * change: it reads fields directly and allocates nothing.
 */
final class MarginCalculator {
    private final MarginEngine.Venue venue;
    private final InstrumentRisk[] instruments;
    private final Long2ObjectHashMap<RiskAccount> accounts;
    private final CollateralTable collateral;
    /** The margin of externally margined instruments; null for a venue without them. */
    final PortfolioRisk portfolioRisk;
    private final MarginState scratch = new MarginState();
    private final MarginState crossScratch = new MarginState();
    /** Where {@link #touchViews} puts what it read, so that the compiler keeps the reads; read by nothing. */
    private long touched;

    /** The resting totals of an account without orders in an instrument: none on either side. */
    static final RestingTotals NO_ORDERS_YET = new RestingTotals() {
        @Override
        public long restingLots(Side side) {
            return 0;
        }

        @Override
        public long restingValue(Side side) {
            return 0;
        }
    };

    MarginCalculator(MarginEngine.Venue venue, InstrumentRisk[] instruments, Long2ObjectHashMap<RiskAccount> accounts,
                     CollateralTable collateral, PortfolioRisk portfolioRisk) {
        this.venue = venue;
        this.portfolioRisk = portfolioRisk;
        this.instruments = instruments;
        this.accounts = accounts;
        this.collateral = collateral;
    }

    /** The account's leverage in the instrument: its choice, else the instrument's default. */
    int leverage(long account, int instrument) {
        return leverage(accounts.get(account), instrument);
    }

    /** {@link #leverage(long, int)} for an account already looked up (null when it has no risk state). */
    private int leverage(RiskAccount risk, int instrument) {
        int chosen = risk == null ? 0 : risk.leverage.get(instrument);
        return chosen != 0 ? chosen : instruments[instrument].defaultLeverage;
    }

    boolean isIsolated(long account, int instrument) {
        RiskAccount risk = accounts.get(account);
        return risk != null && risk.isIsolated(instrument);
    }

    /** True when the account's cross position in the instrument is margined by the {@link PortfolioRisk}. */
    boolean isExternallyMargined(long account, int instrument) {
        byte margining = instruments[instrument].margining;
        return margining == InstrumentRisk.EXTERNAL_ALWAYS || margining == InstrumentRisk.EXTERNAL_IN_PORTFOLIO
                && !isIsolated(account, instrument) && portfolioRisk.isPortfolio(account);
    }

    /**
     * Fills {@code out} with the account's cross margin state in {@code asset}, as if it also had an order of
     * {@code extraQuantity} lots on {@code extraSide} at {@code extraPrice} resting in {@code extraInstrument} (-1 for
     * none) and, there, leverage {@code leverageOverride} (-1 to keep its own).
     */
    MarginState compute(long account, int asset, int extraInstrument, Side extraSide, long extraQuantity,
                        long extraPrice, int leverageOverride, MarginState out) {
        out.clear();
        out.balance = venue.balance(account, asset);
        RiskAccount riskAccount = accounts.get(account);
        boolean external = false;
        if (riskAccount != null) {
            touchViews(riskAccount);
            for (int i = 0; i < riskAccount.activeCount; i++) {
                int instrument = riskAccount.active[i];
                InstrumentRisk risk = instruments[instrument];
                if (risk.asset != asset) {
                    continue;
                }
                if (riskAccount.isApart(instrument)) {
                    out.balance = Math.subtractExact(out.balance, riskAccount.isolatedMargin(instrument));
                    continue;
                }
                int view = riskAccount.activeViews[i];
                RestingTotals resting = restingView(riskAccount, view, account, instrument);
                long buys = resting.restingLots(Side.BUY);
                long sells = resting.restingLots(Side.SELL);
                Position position = positionView(riskAccount, view, account, risk.positions);
                boolean extra = instrument == extraInstrument;
                if (!extra && position == null && buys == 0 && sells == 0) {
                    if (riskAccount.leverage.get(instrument) == 0) {
                        riskAccount.deactivateAt(i--);
                    }
                    continue;
                }
                long price = valuationPrice(resting, instrument, extra ? extraPrice : 0, buys, sells);
                long extraBuys = extra && extraSide == Side.BUY ? extraQuantity : 0;
                long extraSells = extra && extraSide != Side.BUY ? extraQuantity : 0;
                if (risk.margining != InstrumentRisk.MODEL && addExternal(out, risk, account, asset, instrument,
                        position, price, buys + extraBuys, sells + extraSells, external)) {
                    external = true;
                    continue;
                }
                int leverage = extra && leverageOverride > 0 ? leverageOverride : leverage(riskAccount, instrument);
                addMargins(out, risk, position, buys + extraBuys, sells + extraSells, price, leverage);
            }
        }
        if (external) {
            portfolioRisk.finish(out);
        }
        out.equity = Math.addExact(Math.addExact(out.balance, out.unrealizedPnl), collateral.value(account, asset));
        out.health = Health.health(out.equity, out.maintenanceMargin);
        return out;
    }

    /**
     * Reads, and changes nothing, the kept resting totals and position of every instrument the account is active in,
     * in a loop that does nothing else: each is in another book's or position book's memory (a cache miss each on a
     * venue of many books), and issued together they are fetched side by side, where the margin loop's arithmetic
     * between them would let only a few be in flight at a time.
     */
    private void touchViews(RiskAccount riskAccount) {
        long sum = 0;
        for (int i = 0; i < riskAccount.activeCount; i++) {
            int view = riskAccount.activeViews[i];
            RestingTotals resting = riskAccount.restingViews[view];
            Position position = riskAccount.positionViews[view];
            sum += (resting == null ? 0 : resting.restingLots(Side.SELL)) + (position == null ? 0 : position.size());
        }
        touched += sum;
    }

    /**
     * The account's resting totals in the instrument of its {@code view}: the venue's view, kept once found; while
     * the venue has none, {@link #NO_ORDERS_YET}, looked up again only when the instrument's book has made a view for
     * some account since (so an account that never had orders there costs a look-up per new account there, not per
     * check).
     */
    private RestingTotals restingView(RiskAccount riskAccount, int view, long account, int instrument) {
        RestingTotals resting = riskAccount.restingViews[view];
        if (resting != null && resting != NO_ORDERS_YET) {
            return resting;
        }
        long made = venue.restingTotalsMade(instrument);
        if (resting == NO_ORDERS_YET && riskAccount.restingSeen[view] == made) {
            return resting;
        }
        RestingTotals found = venue.restingTotals(account, instrument);
        if (found == null) {
            found = NO_ORDERS_YET;
            riskAccount.restingSeen[view] = made;
        }
        if (found != resting) {
            riskAccount.restingViews[view] = found;
        }
        return found;
    }

    /**
     * The account's open position (null when flat) in the instrument of its {@code view}: the one kept while no fill
     * has changed it since, else looked up and kept. The reference is stored only when it changed: each store of a
     * reference into a long-lived array costs the collector a card to refine.
     */
    private static Position positionView(RiskAccount riskAccount, int view, long account, PositionBook positions) {
        if (riskAccount.positionKnown[view]) {
            return riskAccount.positionViews[view];
        }
        Position position = positions.position(account);
        if (riskAccount.positionViews[view] != position) {
            riskAccount.positionViews[view] = position;
        }
        riskAccount.positionKnown[view] = true;
        return position;
    }

    /**
     * When the account's position in the instrument is margined by the {@link PortfolioRisk}: adds its unrealised PnL
     * to {@code out}, hands the position and resting lots to the portfolio risk (beginning its computation unless
     * {@code started}) and returns true; else false. Kept out of {@link #compute}'s loop so that the loop stays small
     * for the JIT.
     */
    private boolean addExternal(MarginState out, InstrumentRisk risk, long account, int asset, int instrument,
                                Position position, long price, long buys, long sells, boolean started) {
        if (!isExternallyMargined(account, instrument)) {
            return false;
        }
        if (!started) {
            portfolioRisk.begin(account, asset);
        }
        long size = 0;
        if (position != null) {
            size = position.size();
            out.unrealizedPnl = Math.addExact(out.unrealizedPnl,
                    position.unrealizedPnl(price, risk.positions.minorUnitsPerTickLot()));
        }
        portfolioRisk.add(instrument, size, buys, sells);
        return true;
    }

    /** Fills {@code out} with the isolated position's margin state, as if it also had the given order resting. */
    MarginState computeIsolated(long account, int instrument, Side extraSide, long extraQuantity, long extraPrice,
                                MarginState out) {
        out.clear();
        InstrumentRisk risk = instruments[instrument];
        RiskAccount riskAccount = accounts.get(account);
        out.balance = riskAccount == null ? 0 : riskAccount.isolatedMargin(instrument);
        RestingTotals resting = venue.restingTotals(account, instrument);
        if (resting == null) {
            resting = NO_ORDERS_YET;
        }
        long buys = resting.restingLots(Side.BUY);
        long sells = resting.restingLots(Side.SELL);
        long price = valuationPrice(resting, instrument, extraPrice, buys, sells);
        long extraBuys = extraSide == Side.BUY ? extraQuantity : 0;
        addMargins(out, risk, risk.positions.position(account), buys + extraBuys,
                sells + extraQuantity - extraBuys, price, leverage(account, instrument));
        out.equity = Math.addExact(out.balance, out.unrealizedPnl);
        out.health = Health.health(out.equity, out.maintenanceMargin);
        return out;
    }

    /**
     * Adds one instrument's unrealised PnL, initial margin (over the worst-case size with {@code buys} and
     * {@code sells} resting) and maintenance margin, valued at {@code price} ticks, to {@code out}.
     */
    private static void addMargins(MarginState out, InstrumentRisk risk, Position position, long buys, long sells,
                                   long price, int leverage) {
        long size = position == null ? 0 : position.size();
        long unit = risk.positions.minorUnitsPerTickLot();
        long worst = worstCase(size, buys, sells);
        if (position != null) {
            out.unrealizedPnl = Math.addExact(out.unrealizedPnl, position.unrealizedPnl(price, unit));
        }
        out.initialMargin = Math.addExact(out.initialMargin,
                risk.model.initialMargin(worst, Notional.of(worst, price, unit), leverage));
        out.maintenanceMargin = Math.addExact(out.maintenanceMargin,
                risk.model.maintenanceMargin(size, Notional.of(size, price, unit)));
    }

    /** What the cross account can move into isolated margin: min(free cash, equity - initial margin), at least 0. */
    long freeCrossMargin(long account, int asset) {
        MarginState cross = compute(account, asset, -1, null, 0, 0, -1, crossScratch);
        return Math.max(0, Math.min(cross.balance, cross.equity - cross.initialMargin));
    }

    /** See {@link MarginEngine#liquidationPrice}. */
    long liquidationPrice(long account, int instrument) {
        InstrumentRisk risk = instruments[instrument];
        Position position = risk.positions.position(account);
        if (position == null || risk.margining != InstrumentRisk.MODEL && isExternallyMargined(account, instrument)) {
            return Health.NO_LIQUIDATION_PRICE;
        }
        if (isIsolated(account, instrument)) {
            RiskAccount riskAccount = accounts.get(account);
            return Health.liquidationPrice(risk.model, risk.positions.minorUnitsPerTickLot(), position.size(),
                    position.openValue(), riskAccount.isolatedMargin(instrument), 0);
        }
        MarginState state = compute(account, risk.asset, -1, null, 0, 0, -1, scratch);
        long price = venue.referencePrice(instrument);
        long unit = risk.positions.minorUnitsPerTickLot();
        long ownPnl = position.unrealizedPnl(price, unit);
        long ownMaintenance = risk.model.maintenanceMargin(position.size(), position.notional(price, unit));
        return Health.liquidationPrice(risk.model, unit, position.size(), position.openValue(),
                state.equity - ownPnl, state.maintenanceMargin - ownMaintenance);
    }

    /**
     * The price an instrument's margin is valued at: its reference price, else (no market price yet) the higher of
     * {@code extraPrice} and the account's average resting prices, which are read only then (two divisions and two
     * more reads on every instrument of every check otherwise).
     */
    private long valuationPrice(RestingTotals resting, int instrument, long extraPrice, long buys, long sells) {
        long reference = venue.referencePrice(instrument);
        return reference != 0 ? reference : Math.max(extraPrice, averageRestingPrice(resting, buys, sells));
    }

    /** The higher of the average resting buy and sell prices, rounded up; 0 without resting orders. */
    private static long averageRestingPrice(RestingTotals resting, long buys, long sells) {
        long buyAverage = buys == 0 ? 0 : ceilDiv(resting.restingValue(Side.BUY), buys);
        long sellAverage = sells == 0 ? 0 : ceilDiv(resting.restingValue(Side.SELL), sells);
        return Math.max(buyAverage, sellAverage);
    }

    private static long ceilDiv(long value, long divisor) {
        return -Math.floorDiv(-value, divisor);
    }

    /** The instrument's reference price, else {@code fallback}. */
    long priceFor(int instrument, long fallback) {
        long reference = venue.referencePrice(instrument);
        return reference != 0 ? reference : fallback;
    }

    /** The position if every resting order on one side filled: max(|size + buys|, |size - sells|). */
    static long worstCase(long size, long buys, long sells) {
        return Math.max(Math.abs(Math.addExact(size, buys)), Math.abs(Math.subtractExact(size, sells)));
    }
}
