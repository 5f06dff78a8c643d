package io.meridian.engine;

import io.meridian.ledger.BalanceVisitor;
import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.FixedPoint;
import io.meridian.model.EngineEvents;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.SystemAccounts;
import io.meridian.model.PostingType;
import io.meridian.matching.Order;
import io.meridian.model.MarginBracket;
import io.meridian.model.MarginMode;
import io.meridian.model.Side;
import io.meridian.pricing.FundingRate;
import io.meridian.pricing.InstrumentPricing;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.PositionBook;
import io.meridian.risk.margin.Health;
import io.meridian.risk.margin.MarginModel;
import io.meridian.risk.margin.MarginSchedule;
import io.meridian.risk.margin.MarginTier;
import io.meridian.risk.options.OptionMarginAccount;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The deterministic state machine: applies sequenced commands, one at a time, to the instruments' books, the
 * positions and the double-entry ledger, and reports every effect, in order, to one {@link EngineEvents} listener.
 * Pure: no clock (time is {@link Command#timestamp}), no I/O, no threads; the same command log always produces the
 * same events and the same {@link #stateHash()}.
 *
 * <p><b>Thread confinement.</b> All methods must be called from one thread, the engine thread; the listener is
 * called on it too.
 *
 * <p><b>Envelope rules.</b> A command's sequence must be exactly one more than the previous applied command's
 * (else {@code COMMAND_OUT_OF_ORDER}) and its timestamp must not be earlier (else
 * {@code TIMESTAMP_WENT_BACKWARDS}); a rejected envelope changes nothing, not even the expected sequence. Before an
 * accepted command runs, GTD orders due by its timestamp expire (books in instrument id order), so no command ever
 * sees an order that should already be gone. Every command ends with {@code commandCompleted}.
 *
 * <p><b>Clearing.</b> Every fill updates the account's position and posts realised PnL and fees in the instrument's
 * settlement asset ({@link Clearing}); deposits and withdrawals move value across the venue's boundary. Per asset,
 * the ledger's accounts always sum to deposits minus withdrawals ({@link #ledger()}).
 *
 * <p><b>Margin</b> (check, then apply). A new order is first checked by its book, then by the margin engine
 * ({@code INSUFFICIENT_MARGIN}, {@code LEVERAGE_ABOVE_TIER_MAX}), and only then placed; an amend that raises the
 * quantity is checked for the increase; a withdrawal may take only what leaves equity covering the initial margin
 * ({@code WITHDRAWAL_BREACHES_MARGIN}). After a command, every account whose balance or position it changed gets an
 * {@code accountUpdated} event per settlement asset touched, just before {@code commandCompleted}.
 *
 * <p><b>Index, mark and funding.</b> {@code ADD_INDEX} creates an index from named sources; {@code ORACLE_REPORT}
 * feeds one source and recomputes that index; {@code TIME_TICK} recomputes every index (so a silent source goes
 * stale by time alone). An instrument created with a {@link PricingSpec} takes its mark from its index after every
 * recompute that leaves the index usable ({@link InstrumentPricing}); a stale index freezes the mark. Margin is always
 * measured at the current mark, so a mark change is a margin recompute, and it fires mark-triggered orders. Premium
 * samples and funding settlements are timers, like GTD expiry: before an accepted command runs, every sample and
 * settlement due by its timestamp happens (instruments in id order; a sample before a settlement at the same time).
 * docs/pricing.md has the formulas.
 *
 * <p><b>Options</b> ({@link Options}; docs/options.md, "Instruments, chains and expiry"). {@code ADD_INSTRUMENT} with
 * an {@link OptionSpec} lists a European, cash-settled option on an index. It trades through the same book, clearing
 * and liquidation engine as a perpetual, but is margined by the option rules of the margin library (standard margin,
 * or portfolio margin for accounts that opt in with {@code SET_MARGIN_MODE} and instrument -1), and its mark follows
 * the index through its mark volatility. At expiry (a timer like GTD expiry: before the first command at or after it)
 * it closes to trading, its orders are canceled and its positions are cash-settled at the intrinsic value of the
 * time-weighted index average over its settlement window. With no option listed, none of this runs per command.
 * {@code SET_OPTION_MARGIN} sets an index's standard and portfolio-margin parameters ({@link OptionMarginSpec}); the
 * accounts with legs on it are re-measured, published and liquidated if under maintenance, by the same command.
 */
public final class Engine {
    /**
     * Order ids from here up are the engine's own liquidation orders (never a user's: the sequencer's ids stay below):
     * a gateway reporting an account's orders marks those as liquidations.
     */
    public static final long LIQUIDATION_ORDER_ID_BASE = Liquidator.ORDER_ID_BASE;

    /** Leverage an account gets in an instrument until it sets one, capped by the instrument's tier-0 maximum. */
    public static final int DEFAULT_LEVERAGE = 20;
    /** Bound on liquidation cascades within one command (each round liquidates everyone the last one left under). */
    private static final int MAX_LIQUIDATION_ROUNDS = 64;

    private final EngineEvents events;
    private final EngineConfig config;
    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final Ledger ledger;
    private final MarginEngine margin;
    private final MarginEngine.MarginState marginState = new MarginEngine.MarginState();
    private final TouchedAccounts touched = new TouchedAccounts();
    private final FeeTiers feeTiers;
    private int[] isolatedScratch = new int[8];
    /** Sub-account to owner. An account that is in neither this map's keys nor {@link #owners} stands alone. */
    private final Long2LongHashMap ownerOf = new Long2LongHashMap(64, 0.5f, 0L);
    private final LongHashSet owners = new LongHashSet(64);
    /** Registered assets by symbol: instruments name their settlement asset by symbol. Not on the command path. */
    private final Map<String, AssetSpec> assetsBySymbol = new HashMap<>();
    /** Instrument ids in ascending order: the deterministic iteration order for cross-instrument work. */
    private int[] instrumentIds = new int[16];
    private int instrumentCount;

    private long lastSequence;
    private long lastTimestamp;
    private long nextExpiry = Long.MAX_VALUE;
    /** Collateral priced from indexes, in the order they were set (re-priced in that order). */
    private final List<CollateralLink> collateralLinks = new ArrayList<>();
    private final CollateralHolders collateralHolders = new CollateralHolders();
    private final Authorisations authorisations = new Authorisations();
    /** Indexes by id; null where none was created. */
    private PriceIndex[] indexes = new PriceIndex[8];
    /** Mark and funding state by instrument id; null for instruments whose mark is set by SET_MARK_PRICE. */
    private final InstrumentPricing[] pricings;
    /** Margin model by instrument id. */
    private final MarginModel[] models;
    private final Liquidator liquidator;
    /** The earliest premium sample or funding settlement due; {@link Long#MAX_VALUE} when none. */
    private long nextPricingDue = Long.MAX_VALUE;
    /** Option listing, marks, margin and expiry. */
    private final Options options;
    /** The earliest option expiry not yet reached; {@link Long#MAX_VALUE} when none. */
    private long nextOptionExpiry = Long.MAX_VALUE;

    public Engine(EngineEvents events, EngineConfig config) {
        this.events = events;
        this.config = config;
        this.books = new OrderBook[config.maxInstruments()];
        this.clearings = new Clearing[config.maxInstruments()];
        this.pricings = new InstrumentPricing[config.maxInstruments()];
        this.models = new MarginModel[config.maxInstruments()];
        this.ledger = new Ledger(events);
        this.feeTiers = new FeeTiers(config.vipFeeTiers());
        this.margin = new MarginEngine(new MarginEngine.Venue() {
            @Override
            public long balance(long account, int asset) {
                return ledger.balance(account, asset);
            }

            @Override
            public long referencePrice(int instrument) {
                OrderBook book = books[instrument];
                return book.markPrice() != 0 ? book.markPrice() : book.lastTradePrice();
            }

            @Override
            public long restingLots(long account, int instrument, Side side) {
                return books[instrument].restingLots(account, side);
            }

            @Override
            public long restingValue(long account, int instrument, Side side) {
                return books[instrument].restingValue(account, side);
            }
        }, config.maxInstruments());
        this.options = new Options(books, clearings, ledger, events, margin, config.optionRepriceIntervalNanos());
        margin.setPortfolioRisk(options);
        this.liquidator = new Liquidator(books, clearings, models, margin, ledger, events, touched,
                config.liquidation(), new IntPredicate() {
                    @Override
                    public boolean test(int instrument) {
                        return priceUsable(instrument);
                    }
                }, options);
        options.connect(liquidator, new OptionMarkHost());
    }

    /**
     * Puts an option's model mark on its book, as an index recompute does for a perpetual: mark triggers fire, GTD
     * expiries they may add are watched, and the liquidation engine sees the move.
     */
    private final class OptionMarkHost implements Options.Host {
        @Override
        public void setModelMark(int instrument, long mark, long sequence, long timestamp) {
            OrderBook book = books[instrument];
            if (mark != book.markPrice()) {
                book.setContext(sequence, timestamp);
                book.setMarkPrice(mark);
                nextExpiry = Math.min(nextExpiry, book.nextExpiry());
                liquidator.onMarkChanged(instrument, mark);
            }
        }
    }

    /** A price the liquidation engine may act on: a mark exists and, for an index-priced instrument, is not stale. */
    private boolean priceUsable(int instrument) {
        OrderBook book = books[instrument];
        return book != null && book.markPrice() > 0 && !isPriceStale(instrument);
    }

    public Engine(EngineEvents events) {
        this(events, EngineConfig.defaults());
    }

    /** Applies one command. Never throws for bad input: every refusal is a {@code commandRejected} event. */
    public void apply(Command c) {
        long sequence = c.sequence;
        long timestamp = c.timestamp;
        if (sequence != lastSequence + 1) {
            reject(c, RejectReason.COMMAND_OUT_OF_ORDER);
            return;
        }
        if (timestamp < lastTimestamp) {
            reject(c, RejectReason.TIMESTAMP_WENT_BACKWARDS);
            return;
        }
        lastSequence = sequence;
        lastTimestamp = timestamp;
        ledger.setContext(sequence, timestamp);
        if (timestamp >= nextExpiry) {
            expireDue(sequence, timestamp);
        }
        if (timestamp >= nextOptionExpiry) {
            nextOptionExpiry = options.expireDue(sequence, timestamp);
        }
        if (timestamp >= nextPricingDue) {
            runPricingTimers(sequence, timestamp);
        }
        CommandType type = c.type;
        RejectReason unauthorised = null;
        if (type == null) {
            reject(c, RejectReason.UNKNOWN_COMMAND);
        } else if (c.address != null && (unauthorised = authorisations.authorise(c, this::isFresh)) != null) {
            reject(c, unauthorised);
        } else {
            switch (type) {
                case PLACE_ORDER:
                    place(c);
                    break;
                case CANCEL_ORDER:
                    cancel(c);
                    break;
                case AMEND_ORDER:
                    amend(c);
                    break;
                case CANCEL_ALL:
                    cancelAll(c);
                    break;
                case SET_MARK_PRICE:
                    setMarkPrice(c);
                    break;
                case ADD_INSTRUMENT:
                    addInstrument(c);
                    break;
                case TIME_TICK:
                    refreshAllIndexes(sequence, timestamp);
                    break;
                case ADD_INDEX:
                    addIndex(c);
                    break;
                case ORACLE_REPORT:
                    oracleReport(c);
                    break;
                case ADD_ASSET:
                    addAsset(c);
                    break;
                case DEPOSIT:
                    if (deposit(c)) {
                        authorisations.depositSucceeded();
                    } else {
                        authorisations.depositFailed();
                    }
                    break;
                case APPROVE_AGENT:
                case REVOKE_AGENT:
                    agentAction(c);
                    break;
                case OPEN_SESSION:
                    if (c.address == null) {
                        reject(c, RejectReason.NOT_SIGNABLE);
                    } else {
                        authorisations.openSession(c);
                    }
                    break;
                case WITHDRAW:
                    withdraw(c);
                    break;
                case SET_LEVERAGE:
                    setLeverage(c);
                    break;
                case LINK_SUBACCOUNT:
                    linkSubaccount(c);
                    break;
                case TRANSFER:
                    transfer(c);
                    break;
                case SET_FEE_TIER:
                    setFeeTier(c);
                    break;
                case SET_MARGIN_MODE:
                    setMarginMode(c);
                    break;
                case ADJUST_ISOLATED_MARGIN:
                    adjustIsolatedMargin(c);
                    break;
                case SET_COLLATERAL:
                    setCollateral(c);
                    break;
                case SET_OPTION_MARGIN:
                    setOptionMargin(c);
                    break;
                default:
                    reject(c, RejectReason.UNKNOWN_COMMAND);
            }
        }
        publishAccountUpdates(sequence, timestamp);
        // Liquidations found by this command's mark changes or in the states just published; their fills touch
        // more accounts, which are published and checked in turn (a cascade ends when nobody is left under water).
        for (int round = 0; round < MAX_LIQUIDATION_ROUNDS && liquidator.hasCandidates(); round++) {
            liquidator.run(sequence, timestamp);
            publishAccountUpdates(sequence, timestamp);
        }
        liquidator.endCommand(sequence, timestamp);
        events.commandCompleted(sequence, timestamp);
    }

    /**
     * End of command: isolated margins of idle positions go back to the cross balance, then every touched account
     * gets its cross state per asset and the state of each of its isolated positions in that asset.
     */
    private void publishAccountUpdates(long sequence, long timestamp) {
        for (int i = 0; i < touched.size(); i++) {
            margin.releaseIdleIsolated(touched.account(i));
        }
        for (int i = 0; i < touched.size(); i++) {
            long account = touched.account(i);
            int asset = touched.asset(i);
            MarginEngine.MarginState state = margin.compute(account, asset, marginState);
            events.accountUpdated(sequence, timestamp, account, asset, state.balance, state.equity,
                    state.initialMargin, state.maintenanceMargin, state.health);
            liquidator.markDirty(account);
            if (account <= 0) {
                // The insurance fund's inventory: published, never liquidated (Liquidator.coverFundDeficit).
                continue;
            }
            if (Health.isLiquidatable(state.equity, state.maintenanceMargin)) {
                liquidator.considerTouched(account);
            } else if (state.equity < 0 && state.maintenanceMargin == 0) {
                liquidator.considerDeficit(account, asset);
            }
            isolatedScratch = margin.isolatedInstruments(account, isolatedScratch);
            int isolated = margin.isolatedCount();
            for (int k = 0; k < isolated; k++) {
                int instrument = isolatedScratch[k];
                if (clearings[instrument].asset() == asset) {
                    MarginEngine.MarginState position = margin.computeIsolated(account, instrument, marginState);
                    events.isolatedPositionUpdated(sequence, timestamp, account, instrument, position.balance,
                            position.equity, position.initialMargin, position.maintenanceMargin, position.health);
                    if (Health.isLiquidatable(position.equity, position.maintenanceMargin)) {
                        liquidator.considerTouched(account);
                    }
                }
            }
        }
        touched.clear();
    }

    /**
     * Per instrument: CROSS or ISOLATED, only while flat with no orders ({@code MARGIN_MODE_LOCKED}); an option cannot
     * be isolated ({@code NOT_FOR_OPTIONS}) and PORTFOLIO is account-wide ({@code INVALID_ACCOUNT_MARGIN_MODE}). With
     * instrument -1: the account-wide option margin mode ({@link Options#setAccountMode}).
     */
    private void setMarginMode(Command c) {
        if (c.instrument == Command.ALL_INSTRUMENTS) {
            RejectReason reason = options.setAccountMode(c.account, c.marginMode, touched);
            if (reason != null) {
                reject(c, reason);
            }
            return;
        }
        OrderBook book = book(c);
        if (book == null) {
            return;
        }
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT
                : c.marginMode == null ? RejectReason.MISSING_MARGIN_MODE
                : c.marginMode == MarginMode.PORTFOLIO ? RejectReason.INVALID_ACCOUNT_MARGIN_MODE
                : c.marginMode == MarginMode.ISOLATED && options.series(c.instrument) != null
                ? RejectReason.NOT_FOR_OPTIONS
                : margin.setMarginMode(c.account, c.instrument, c.marginMode, book.openOrders(c.account) > 0);
        if (reason != null) {
            reject(c, reason);
            return;
        }
        touched.add(c.account, clearings[c.instrument].asset());
    }

    /**
     * SET_OPTION_MARGIN: {@code UNKNOWN_INDEX} for an index that does not exist, else {@link Options#setMarginSpec}
     * ({@code INVALID_OPTION_MARGIN}, {@code OPTION_MARGIN_UNPRICEABLE}).
     */
    private void setOptionMargin(Command c) {
        RejectReason reason = index(c.indexId) == null ? RejectReason.UNKNOWN_INDEX
                : options.setMarginSpec(c.indexId, c.optionMarginSpec, touched);
        if (reason != null) {
            reject(c, reason);
        }
    }

    /**
     * Registers or re-prices collateral. With {@code price > 0} the price is fixed (settlement minor units per whole
     * collateral unit); with {@code price == 0} it follows index {@code indexId}, whose price (in the settlement
     * asset's currency) is converted at every usable recompute, rounded down, and frozen while the index is stale;
     * until the index first publishes the collateral is worth nothing. Rejects {@code INVALID_COLLATERAL} and,
     * for an index that does not exist, {@code UNKNOWN_INDEX}.
     */
    private void setCollateral(Command c) {
        AssetSpec asset = ledger.asset(c.asset);
        AssetSpec settlement = ledger.asset(c.settlementAsset);
        boolean valid = asset != null && settlement != null && c.asset != c.settlementAsset
                && c.price >= 0 && c.collateralWeightPpm > 0 && c.collateralWeightPpm <= FixedPoint.PPM;
        RejectReason reason = valid ? null : RejectReason.INVALID_COLLATERAL;
        PriceIndex index = reason == null && c.price == 0 ? index(c.indexId) : null;
        if (reason == null && c.price == 0 && index == null) {
            reason = RejectReason.UNKNOWN_INDEX;
        }
        if (reason != null) {
            reject(c, reason);
            return;
        }
        collateralLinks.removeIf(link -> link.asset() == c.asset && link.settlementAsset() == c.settlementAsset);
        if (index == null) {
            if (margin.setCollateral(c.asset, asset.scale(), c.settlementAsset, c.price, c.collateralWeightPpm)) {
                collateralHolders.touch(c.asset, c.settlementAsset);
            }
            return;
        }
        CollateralLink link = new CollateralLink(c.indexId, c.asset, asset.scale(), c.settlementAsset,
                FixedPoint.pow10(settlement.scale()), c.collateralWeightPpm);
        collateralLinks.add(link);
        if (margin.setCollateral(c.asset, asset.scale(), c.settlementAsset, index.hasPrice() ? link.price(index) : 0,
                c.collateralWeightPpm)) {
            collateralHolders.touch(c.asset, c.settlementAsset);
        }
    }

    /**
     * When a collateral asset is re-priced, the equity of every account holding it changes with no mark or fill
     * involved: such accounts with open positions are touched, so the end of the command publishes their new state,
     * recomputes their liquidation triggers and liquidates any now under water. Costs one pass over the asset's
     * holders per re-pricing.
     */
    private final class CollateralHolders implements BalanceVisitor {
        private int settlementAsset;

        void touch(int asset, int settlement) {
            settlementAsset = settlement;
            ledger.forEachBalance(asset, this);
        }

        @Override
        public void visit(long account, long balance) {
            if (balance > 0 && account > 0) {
                margin.activeInstruments(account, isolatedScratch);
                if (margin.activeCount() > 0) {
                    touched.add(account, settlementAsset);
                }
            }
        }
    }

    /** A collateral asset priced from an index: settlement minor units per whole unit = index x 10^scale / 10^d. */
    private record CollateralLink(int indexId, int asset, int assetScale, int settlementAsset, long settlementUnit,
                                  long weightPpm) {
        long price(PriceIndex index) {
            return FixedPoint.mulDivFloor(index.price(), settlementUnit, FixedPoint.pow10(index.spec().priceDecimals()));
        }
    }

    private void adjustIsolatedMargin(Command c) {
        OrderBook book = book(c);
        if (book == null) {
            return;
        }
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT
                : margin.adjustIsolatedMargin(c.account, c.instrument, c.amount);
        if (reason != null) {
            reject(c, reason);
            return;
        }
        touched.add(c.account, clearings[c.instrument].asset());
    }

    private void place(Command c) {
        OrderBook book = tradableBook(c);
        if (book == null) {
            return;
        }
        RejectReason reason = c.orderId >= Liquidator.ORDER_ID_BASE ? RejectReason.INVALID_ORDER_ID : book.validate(c);
        if (reason == null && !c.reduceOnly && reduceOnlyWhileStale(c.instrument)) {
            reason = RejectReason.INDEX_STALE_REDUCE_ONLY;
        }
        if (reason == null) {
            reason = margin.checkOrder(c.account, c.instrument, c.side, c.quantity, valuationPrice(book, c),
                    c.reduceOnly);
        }
        if (reason != null) {
            reject(c, reason);
            return;
        }
        margin.touch(c.account, c.instrument);
        if (margin.applyPendingTopUp() != 0) {
            touched.add(c.account, clearings[c.instrument].asset());
        }
        book.placeValidated(c);
        nextExpiry = Math.min(nextExpiry, book.nextExpiry());
    }

    /** The price a new order is valued at when its instrument has no mark or trade yet. */
    private static long valuationPrice(OrderBook book, Command c) {
        if (c.price > 0) {
            return c.price;
        }
        if (c.triggerPrice > 0) {
            return c.triggerPrice;
        }
        return c.side == Side.BUY ? book.bestAsk() : book.bestBid();
    }

    private void amend(Command c) {
        OrderBook book = tradableBook(c);
        if (book == null) {
            return;
        }
        Order order = c.account > 0 ? book.findOrder(c.account, c.orderId, c.clientOrderId) : null;
        if (order != null && c.quantity > order.quantity()) {
            RejectReason reason = margin.checkOrder(c.account, c.instrument, order.side(), c.quantity - order.quantity(),
                    c.price > 0 ? c.price : order.price(), order.reduceOnly());
            // The book checks an amend only while applying it, so no top-up can be moved safely before it: an isolated
            // position must already hold the margin a larger order needs (ADJUST_ISOLATED_MARGIN adds it).
            if (reason == null && margin.discardPendingTopUp() > 0) {
                reason = RejectReason.INSUFFICIENT_MARGIN;
            }
            if (reason != null) {
                reject(c, reason);
                return;
            }
        }
        book.amend(c);
    }

    private void cancel(Command c) {
        OrderBook book = book(c);
        if (book != null) {
            book.cancel(c);
        }
    }

    private void cancelAll(Command c) {
        if (c.account <= 0) {
            reject(c, RejectReason.INVALID_ACCOUNT);
            return;
        }
        if (c.instrument == Command.ALL_INSTRUMENTS) {
            for (int i = 0; i < instrumentCount; i++) {
                OrderBook book = books[instrumentIds[i]];
                book.setContext(c.sequence, c.timestamp);
                book.cancelAll(c.account);
            }
            return;
        }
        OrderBook book = book(c);
        if (book != null) {
            book.cancelAll(c.account);
        }
    }

    /**
     * Sets the mark. For an option, also implies its mark volatility ({@link Options#markSet}); an expired option
     * rejects {@code INSTRUMENT_EXPIRED}.
     */
    private void setMarkPrice(Command c) {
        OrderBook book = book(c);
        if (book == null) {
            return;
        }
        OptionSeries option = book.spec().expiryTimestamp() != 0 ? options.series(c.instrument) : null;
        if (option != null && option.state != OptionSeries.TRADING) {
            reject(c, RejectReason.INSTRUMENT_EXPIRED);
            return;
        }
        book.setMarkPrice(c.price);
        if (book.markPrice() == c.price) {
            if (option != null) {
                options.markSet(option, c.price, indexes[options.indexOf(option)], c.timestamp);
            }
            if (priceUsable(c.instrument)) {
                liquidator.onMarkChanged(c.instrument, c.price);
            }
        }
    }

    private void addInstrument(Command c) {
        InstrumentSpec spec = c.instrumentSpec;
        RejectReason reason = spec == null ? RejectReason.INVALID_INSTRUMENT : spec.validate();
        if (reason == null && spec.id() >= books.length) {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        if (reason == null && books[spec.id()] != null) {
            reason = RejectReason.INSTRUMENT_EXISTS;
        }
        AssetSpec settlement = reason == null ? assetsBySymbol.get(spec.settlementAsset()) : null;
        if (reason == null && settlement == null) {
            reason = RejectReason.UNKNOWN_ASSET;
        }
        if (reason == null && (settlement.scale() != spec.settlementScale() || !feeTiers.acceptsInstrument(spec)
                || c.positionLimit < 0)) {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        PriceIndex optionIndex = null;
        if (reason == null && (spec.kind() == InstrumentKind.OPTION || c.optionSpec != null)) {
            optionIndex = c.optionSpec == null ? null : index(c.optionSpec.indexId());
            reason = options.check(c, spec, optionIndex, settlement);
        }
        if (reason != null) {
            events.commandRejected(c.sequence, c.timestamp, CommandType.ADD_INSTRUMENT, spec == null ? -1 : spec.id(), 0,
                    0, c.account, reason);
            return;
        }
        int id = spec.id();
        MarginModel model = marginModel(c.marginBrackets, settlement.scale());
        if (model == null) {
            events.commandRejected(c.sequence, c.timestamp, CommandType.ADD_INSTRUMENT, spec.id(), 0, 0, c.account,
                    RejectReason.INVALID_INSTRUMENT);
            return;
        }
        OptionSeries option = optionIndex == null ? null : options.prepare(c, spec, optionIndex, settlement);
        if (optionIndex != null && option == null) {
            events.commandRejected(c.sequence, c.timestamp, CommandType.ADD_INSTRUMENT, spec.id(), 0, 0, c.account,
                    RejectReason.INVALID_OPTION);
            return;
        }
        InstrumentPricing pricing = null;
        if (c.pricingSpec != null) {
            reason = c.pricingSpec.validate();
            if (reason == null && index(c.pricingSpec.indexId()) == null) {
                reason = RejectReason.UNKNOWN_INDEX;
            }
            pricing = reason == null ? newPricing(c.pricingSpec, spec, model, c.timestamp) : null;
            if (reason == null && pricing == null) {
                reason = RejectReason.INVALID_PRICING;
            }
            if (reason != null) {
                events.commandRejected(c.sequence, c.timestamp, CommandType.ADD_INSTRUMENT, spec.id(), 0, 0,
                        c.account, reason);
                return;
            }
        }
        Clearing clearing = new Clearing(spec, settlement.id(), ledger, feeTiers, touched, margin, liquidator);
        clearings[id] = clearing;
        models[id] = model;
        liquidator.addInstrument(id);
        margin.addInstrument(id, settlement.id(), model, clearing.positions(),
                Math.max(spec.takerFeePpm(), feeTiers.maxVipTakerPpm()),
                Math.min(DEFAULT_LEVERAGE, model.maxLeverage(1, 0)), c.positionLimit);
        books[id] = new OrderBook(spec, events, clearing, config.expectedOrdersPerBook(),
                config.maxOpenOrdersPerBook(), config.maxOpenOrdersPerAccount());
        insertInstrumentId(id);
        events.instrumentAdded(c.sequence, c.timestamp, spec);
        if (option != null) {
            options.list(option, c, optionIndex);
            nextOptionExpiry = Math.min(nextOptionExpiry, spec.expiryTimestamp());
        }
        if (pricing != null) {
            pricings[id] = pricing;
            PriceIndex index = indexes[pricing.indexId()];
            index.addInstrument(id);
            options.addFutureIfLinked(id, pricing.indexId());
            nextPricingDue = Math.min(nextPricingDue, pricing.nextDue());
            if (index.isUsable()) {
                updateMark(id, index, c.sequence, c.timestamp);
            }
        }
    }

    /**
     * Mark and funding state for a new instrument, or null when the pricing cannot apply to it: the index's price
     * unit must divide the tick size into a whole number of units ({@code tickSize x 10^priceDecimals} integral),
     * and without an explicit funding cap the margin table must give IMR > MMR at its first tier.
     */
    private InstrumentPricing newPricing(PricingSpec pricingSpec, InstrumentSpec spec, MarginModel model, long now) {
        IndexSpec indexSpec = indexes[pricingSpec.indexId()].spec();
        BigDecimal units = spec.tickSize().scaleByPowerOfTen(indexSpec.priceDecimals()).stripTrailingZeros();
        if (units.scale() > 0 || units.compareTo(BigDecimal.ONE) < 0 || units.compareTo(BigDecimal.valueOf(1L << 40)) > 0) {
            return null;
        }
        long cap = pricingSpec.maxFundingRate8h();
        if (cap == 0 && pricingSpec.fundingIntervalNanos() > 0) {
            // Rates of the first tier, read off the model at a small notional (exact: a multiple of 1e6).
            long notional = 1_000_000_000L;
            long mmrPpm = model.maintenanceMargin(1, notional) / (notional / FixedPoint.PPM);
            long imrPpm = model.initialMargin(1, notional, Integer.MAX_VALUE) / (notional / FixedPoint.PPM);
            if (imrPpm <= mmrPpm || imrPpm > FixedPoint.PPM) {
                return null;
            }
            cap = Math.min(PricingSpec.MAX_RATE, FundingRate.maxFundingRate(imrPpm, mmrPpm));
        }
        return new InstrumentPricing(pricingSpec, units.longValueExact(), cap, now);
    }

    // ------------------------------------------------------------------------------------------------ index, mark, funding

    private PriceIndex index(int id) {
        return id >= 0 && id < indexes.length ? indexes[id] : null;
    }

    private void addIndex(Command c) {
        IndexSpec spec = c.indexSpec;
        RejectReason reason = spec == null ? RejectReason.INVALID_INDEX : spec.validate();
        if (reason == null && index(spec.id()) != null) {
            reason = RejectReason.INDEX_EXISTS;
        }
        if (reason != null) {
            reject(c, reason);
            return;
        }
        if (spec.id() >= indexes.length) {
            indexes = Arrays.copyOf(indexes, Math.max(spec.id() + 1, indexes.length * 2));
        }
        indexes[spec.id()] = new PriceIndex(spec, events);
        events.indexAdded(c.sequence, c.timestamp, spec);
    }

    private void oracleReport(Command c) {
        PriceIndex index = index(c.indexId);
        RejectReason reason = index == null ? RejectReason.UNKNOWN_INDEX
                : index.report(c.sourceId, c.price, c.confidence, c.sourceTimestamp, c.timestamp);
        if (reason != null) {
            reject(c, reason);
            return;
        }
        refreshIndex(index, c.sequence, c.timestamp);
    }

    private void refreshAllIndexes(long sequence, long timestamp) {
        for (PriceIndex index : indexes) {
            if (index != null) {
                refreshIndex(index, sequence, timestamp);
            }
        }
    }

    /**
     * Recomputes the index and, when it is usable, the marks of the instruments priced from it (ascending id), the
     * collateral priced from it, and then its options ({@link Options#observe}: settlement samples, marks).
     */
    private void refreshIndex(PriceIndex index, long sequence, long timestamp) {
        if (!index.recompute(sequence, timestamp)) {
            if (options.any()) {
                options.observe(index, false, sequence, timestamp);
            }
            return;
        }
        for (int i = 0; i < index.instrumentCount(); i++) {
            updateMark(index.instrument(i), index, sequence, timestamp);
        }
        for (int i = 0; i < collateralLinks.size(); i++) {
            CollateralLink link = collateralLinks.get(i);
            if (link.indexId() == index.spec().id() && margin.setCollateral(link.asset(), link.assetScale(),
                    link.settlementAsset(), link.price(index), link.weightPpm())) {
                collateralHolders.touch(link.asset(), link.settlementAsset());
            }
        }
        if (options.any()) {
            options.observe(index, true, sequence, timestamp);
        }
    }

    /**
     * The mark of an index-priced instrument from its index, the impact prices of its book (the book component sees
     * only depth that fills the impact notional) and its last trade ({@link InstrumentPricing#updateMark}).
     */
    private void updateMark(int instrument, PriceIndex index, long sequence, long timestamp) {
        OrderBook book = books[instrument];
        InstrumentPricing pricing = pricings[instrument];
        long notional = pricing.spec().impactNotional();
        long perTickLot = book.spec().minorUnitsPerTickLot();
        long impactBid = ImpactPrice.of(book, Side.BUY, notional, perTickLot, pricing.unitsPerTick());
        long impactAsk = ImpactPrice.of(book, Side.SELL, notional, perTickLot, pricing.unitsPerTick());
        long mark = pricing.updateMark(timestamp, index.price(), impactBid, impactAsk, book.lastTradePrice());
        mark = Math.min(mark, book.spec().maxPrice());
        if (mark > 0 && mark != book.markPrice()) {
            book.setContext(sequence, timestamp);
            book.setMarkPrice(mark);
            nextExpiry = Math.min(nextExpiry, book.nextExpiry());
            liquidator.onMarkChanged(instrument, mark);
        }
    }

    /** True when the instrument is priced from an index configured reduce-only-when-stale, and that index is stale. */
    private boolean reduceOnlyWhileStale(int instrument) {
        InstrumentPricing pricing = pricings[instrument];
        int indexId;
        if (pricing != null) {
            indexId = pricing.indexId();
        } else {
            OptionSeries option = options.any() ? options.series(instrument) : null;
            if (option == null) {
                return false;
            }
            indexId = options.indexOf(option);
        }
        PriceIndex index = indexes[indexId];
        return index.spec().reduceOnlyWhenStale() && index.isStale();
    }

    /** Premium samples and funding settlements due by {@code timestamp}, instruments in ascending id. */
    private void runPricingTimers(long sequence, long timestamp) {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < instrumentCount; i++) {
            int id = instrumentIds[i];
            InstrumentPricing pricing = pricings[id];
            if (pricing == null) {
                continue;
            }
            if (pricing.sampleDue(timestamp)) {
                samplePremium(id, pricing, sequence, timestamp);
            }
            if (pricing.fundingDue(timestamp)) {
                settleFunding(id, pricing, sequence, timestamp);
            }
            earliest = Math.min(earliest, pricing.nextDue());
        }
        nextPricingDue = earliest;
    }

    /**
     * One premium sample from the impact bid and ask against the index; skipped while the index is unusable. A side
     * whose visible depth cannot fill the impact notional contributes no premium (its impact price is reported as 0).
     */
    private void samplePremium(int id, InstrumentPricing pricing, long sequence, long timestamp) {
        PriceIndex index = indexes[pricing.indexId()];
        if (!index.isUsable()) {
            pricing.skipPremiumSample(timestamp);
            return;
        }
        OrderBook book = books[id];
        long notional = pricing.spec().impactNotional();
        long perTickLot = book.spec().minorUnitsPerTickLot();
        long impactBid = ImpactPrice.of(book, Side.BUY, notional, perTickLot, pricing.unitsPerTick());
        long impactAsk = ImpactPrice.of(book, Side.SELL, notional, perTickLot, pricing.unitsPerTick());
        long premium = FundingRate.premiumIndex(impactBid, impactAsk == 0 ? Long.MAX_VALUE : impactAsk, index.price());
        pricing.addPremiumSample(premium, timestamp);
        events.premiumSampled(sequence, timestamp, id, impactBid, impactAsk, index.price(), premium);
    }

    /**
     * Ends the funding interval and pays it at the current mark ({@link Clearing#settleFunding}). Without a mark
     * (the index never published) the rate is still announced but nothing is paid.
     */
    private void settleFunding(int id, InstrumentPricing pricing, long sequence, long timestamp) {
        long averagePremium = pricing.averagePremium();
        int samples = pricing.samples();
        long rate = pricing.closeInterval(timestamp);
        long mark = books[id].markPrice();
        events.fundingRateApplied(sequence, timestamp, id, rate, averagePremium,
                pricing.spec().interestRate8h(), samples, mark);
        if (mark > 0 && rate != 0) {
            clearings[id].settleFunding(rate, mark, events, sequence, timestamp);
        }
    }

    /**
     * The instrument's margin model from its configured brackets, or the default table (Binance USDT-M BTCUSDT
     * brackets scaled to the settlement asset) when none are given; null when the brackets are inconsistent.
     */
    private static MarginModel marginModel(List<MarginBracket> brackets, int settlementScale) {
        if (brackets == null) {
            return MarginSchedule.binanceUsdtMBtcUsdt(settlementScale);
        }
        try {
            List<MarginTier> tiers = new ArrayList<>(brackets.size());
            for (MarginBracket bracket : brackets) {
                tiers.add(MarginTier.of(bracket.notionalFloor(), bracket.maintenanceRatePpm(),
                        bracket.initialRatePpm()));
            }
            return new MarginSchedule(tiers);
        } catch (IllegalArgumentException invalid) {
            return null;
        }
    }

    private void setLeverage(Command c) {
        OrderBook book = book(c);
        if (book == null) {
            return;
        }
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT
                : options.series(c.instrument) != null ? RejectReason.NOT_FOR_OPTIONS
                : margin.setLeverage(c.account, c.instrument, c.leverage);
        if (reason != null) {
            reject(c, reason);
            return;
        }
        touched.add(c.account, clearings[c.instrument].asset());
    }

    /**
     * Links a sub-account to an owner. The sub-account must be fresh (no balance in any asset, no position, no open
     * order), not linked already and not an owner itself (one level: owner and subs); the owner must not be a
     * sub-account. Rejects {@code INVALID_ACCOUNT} or {@code INVALID_SUBACCOUNT}.
     */
    private void linkSubaccount(Command c) {
        long owner = c.account;
        long sub = c.counterparty;
        RejectReason reason = null;
        if (owner <= 0 || sub <= 0) {
            reason = RejectReason.INVALID_ACCOUNT;
        } else if (sub == owner || ownerOf.containsKey(sub) || owners.contains(sub) || ownerOf.containsKey(owner)
                || !isFresh(sub)) {
            reason = RejectReason.INVALID_SUBACCOUNT;
        }
        if (reason != null) {
            reject(c, reason);
            return;
        }
        ownerOf.put(sub, owner);
        owners.add(owner);
    }

    /**
     * APPROVE_AGENT or REVOKE_AGENT: only by address (the owner's signature verified before sequencing); the registry
     * applies it with the owner's nonce. Rejects {@code NOT_SIGNABLE} without an address, else the registry's reasons.
     */
    private void agentAction(Command c) {
        RejectReason reason = c.address == null ? RejectReason.NOT_SIGNABLE : authorisations.applyAgentAction(c);
        if (reason != null) {
            reject(c, reason);
        }
    }

    private boolean isFresh(long account) {
        for (AssetSpec asset : assetsBySymbol.values()) {
            if (ledger.balance(account, asset.id()) != 0) {
                return false;
            }
        }
        for (int i = 0; i < instrumentCount; i++) {
            int id = instrumentIds[i];
            if (clearings[id].netPosition(account) != 0 || books[id].openOrders(account) > 0) {
                return false;
            }
        }
        return true;
    }

    private long ownerOf(long account) {
        long owner = ownerOf.get(account);
        return owner != 0 ? owner : account;
    }

    /**
     * Moves value between two accounts of the same owner (the owner and its sub-accounts). The sender keeps what
     * its initial margin needs, as for a withdrawal. Rejects {@code INVALID_ACCOUNT}, {@code INVALID_TRANSFER} (same
     * account, or different owners), {@code UNKNOWN_ASSET}, {@code INVALID_AMOUNT}, {@code WITHDRAWAL_BREACHES_MARGIN}
     * and {@code INSUFFICIENT_BALANCE}.
     */
    private void transfer(Command c) {
        RejectReason reason;
        if (c.account <= 0 || c.counterparty <= 0) {
            reason = RejectReason.INVALID_ACCOUNT;
        } else if (c.account == c.counterparty || ownerOf(c.account) != ownerOf(c.counterparty)) {
            reason = RejectReason.INVALID_TRANSFER;
        } else if (ledger.asset(c.asset) == null) {
            reason = RejectReason.UNKNOWN_ASSET;
        } else {
            reason = checkOutflow(c.account, c.asset, c.amount);
            if (reason == null) {
                reason = ledger.transfer(c.account, c.counterparty, c.asset, c.amount, 0);
            }
        }
        if (reason != null) {
            reject(c, reason);
            return;
        }
        touched.add(c.account, c.asset);
        touched.add(c.counterparty, c.asset);
    }

    private void setFeeTier(Command c) {
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT
                : c.feeTier < 0 || c.feeTier >= feeTiers.tierCount() ? RejectReason.INVALID_FEE_TIER : null;
        if (reason != null) {
            reject(c, reason);
            return;
        }
        feeTiers.setTier(c.account, c.feeTier);
    }

    private void addAsset(Command c) {
        AssetSpec spec = c.assetSpec;
        RejectReason reason = spec == null ? RejectReason.INVALID_ASSET : null;
        if (reason == null && assetsBySymbol.containsKey(spec.symbol())) {
            reason = RejectReason.ASSET_EXISTS;
        }
        if (reason == null) {
            reason = ledger.addAsset(spec);
        }
        if (reason != null) {
            reject(c, reason);
            return;
        }
        assetsBySymbol.put(spec.symbol(), spec);
    }

    /**
     * A deposit into a user account, or, with {@code account = INSURANCE_FUND}, the operator funding the insurance
     * fund from outside (a DEPOSIT posting from EXTERNAL to the fund).
     */
    /** Credits a deposit; returns whether it was applied (false: rejected). */
    private boolean deposit(Command c) {
        if (c.account == SystemAccounts.INSURANCE_FUND) {
            RejectReason reason = ledger.asset(c.asset) == null ? RejectReason.UNKNOWN_ASSET
                    : c.amount <= 0 ? RejectReason.INVALID_AMOUNT : null;
            if (reason != null) {
                reject(c, reason);
                return false;
            }
            ledger.post(PostingType.DEPOSIT, c.asset, SystemAccounts.EXTERNAL, SystemAccounts.INSURANCE_FUND, c.amount);
            return true;
        }
        RejectReason reason = c.account <= 0 ? RejectReason.INVALID_ACCOUNT : ledger.deposit(c.account, c.asset, c.amount);
        if (reason != null) {
            reject(c, reason);
            return false;
        }
        touched.add(c.account, c.asset);
        return true;
    }

    /**
     * A withdrawal may take at most what leaves equity covering the initial margin of the account's positions and
     * orders in that asset, and never more than the balance (unrealised profit cannot leave):
     * {@code WITHDRAWAL_BREACHES_MARGIN} when the balance would cover it but the margin would not.
     */
    private void withdraw(Command c) {
        RejectReason reason;
        if (c.account <= 0) {
            reason = RejectReason.INVALID_ACCOUNT;
        } else if (ledger.asset(c.asset) == null) {
            reason = RejectReason.UNKNOWN_ASSET;
        } else {
            reason = checkOutflow(c.account, c.asset, c.amount);
            if (reason == null) {
                reason = ledger.withdraw(c.account, c.asset, c.amount, 0);
            }
        }
        if (reason != null) {
            reject(c, reason);
            return;
        }
        touched.add(c.account, c.asset);
    }

    /**
     * Margin limits on value leaving an account (withdrawal or transfer out): what its own settlement-asset margin
     * needs stays, and so does what any settlement asset it is collateral for needs. Null when the margin allows it;
     * the ledger then checks the balance.
     */
    private RejectReason checkOutflow(long account, int asset, long amount) {
        if (amount <= 0 || amount > ledger.balance(account, asset)) {
            return null;
        }
        long reserve = Math.max(0, margin.withdrawalReserve(account, asset));
        if (amount > ledger.balance(account, asset) - reserve) {
            return RejectReason.WITHDRAWAL_BREACHES_MARGIN;
        }
        return margin.checkCollateralWithdrawal(account, asset, amount);
    }

    private void insertInstrumentId(int id) {
        if (instrumentCount == instrumentIds.length) {
            instrumentIds = Arrays.copyOf(instrumentIds, instrumentCount * 2);
        }
        int i = instrumentCount++;
        while (i > 0 && instrumentIds[i - 1] > id) {
            instrumentIds[i] = instrumentIds[i - 1];
            i--;
        }
        instrumentIds[i] = id;
    }

    private void expireDue(long sequence, long timestamp) {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < instrumentCount; i++) {
            OrderBook book = books[instrumentIds[i]];
            if (book.nextExpiry() <= timestamp) {
                book.setContext(sequence, timestamp);
                book.expireDue(timestamp);
            }
            earliest = Math.min(earliest, book.nextExpiry());
        }
        nextExpiry = earliest;
    }

    /** The command's book with the context set, or null after rejecting {@code UNKNOWN_INSTRUMENT}. */
    private OrderBook book(Command c) {
        int id = c.instrument;
        OrderBook book = id >= 0 && id < books.length ? books[id] : null;
        if (book == null) {
            reject(c, RejectReason.UNKNOWN_INSTRUMENT);
            return null;
        }
        book.setContext(c.sequence, c.timestamp);
        return book;
    }

    /**
     * As {@link #book}, and also rejects {@code INSTRUMENT_NOT_TRADING} once a dated future has expired, and for an
     * option {@code INSTRUMENT_EXPIRED} once it has expired or {@code OPTION_NOT_PRICED} before its index published.
     */
    private OrderBook tradableBook(Command c) {
        OrderBook book = book(c);
        if (book == null) {
            return null;
        }
        long expiry = book.spec().expiryTimestamp();
        if (expiry != 0) {
            OptionSeries option = options.series(c.instrument);
            RejectReason reason = option != null ? options.tradingReject(option)
                    : c.timestamp >= expiry ? RejectReason.INSTRUMENT_NOT_TRADING : null;
            if (reason != null) {
                reject(c, reason);
                return null;
            }
        }
        return book;
    }

    private void reject(Command c, RejectReason reason) {
        events.commandRejected(c.sequence, c.timestamp, c.type, c.instrument, c.orderId, c.clientOrderId, c.account,
                reason);
    }

    // ------------------------------------------------------------------------------------------------ queries

    public long lastSequence() {
        return lastSequence;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The book of an instrument, or null. Read-only use between commands, on the engine thread. */
    public OrderBook book(int instrument) {
        return instrument >= 0 && instrument < books.length ? books[instrument] : null;
    }

    /** The positions of an instrument, or null. Read-only use between commands, on the engine thread. */
    public PositionBook positions(int instrument) {
        return instrument >= 0 && instrument < clearings.length && clearings[instrument] != null
                ? clearings[instrument].positions() : null;
    }

    /** The ledger: balances, postings and conservation. Read-only use between commands, on the engine thread. */
    public Ledger ledger() {
        return ledger;
    }

    /** The account's margin state in one asset, computed now (a new holder; for queries, tools and tests). */
    public MarginEngine.MarginState marginState(long account, int asset) {
        return margin.compute(account, asset, new MarginEngine.MarginState());
    }

    /** The owner of an account: itself unless it was linked as a sub-account. */
    /** The account opened for a 20-byte Ethereum address, or 0 when it has none. */
    public long accountOfAddress(byte[] address) {
        return authorisations.accountOf(address);
    }

    /** The address (lower-case hex) an account was opened for, or null when it was numbered by the operator. */
    public String addressOfAccount(long account) {
        return authorisations.addressOf(account);
    }

    /** Whether {@code agent} (32 bytes) may sign for the owner of {@code address} at {@code atMillis} (epoch ms). */
    public boolean agentAuthorised(byte[] address, byte[] agent, long atMillis) {
        return authorisations.agentAuthorised(address, agent, atMillis);
    }

    /**
     * Every address bound to an account, as a copy: how a gateway seeds its mirror of who may sign (pre-checks that
     * spare the journal requests the engine would refuse). Engine thread.
     */
    public java.util.Map<io.meridian.auth.Address, Long> addressAccounts() {
        return authorisations.addressAccounts();
    }

    /** An owner's agent keys, approved or revoked, with their validity (a copy). Engine thread. */
    public java.util.List<io.meridian.auth.AgentRegistry.Entry> agentsOf(io.meridian.auth.Address owner) {
        return authorisations.agentsOf(owner);
    }

    /** Every owner that ever approved an agent, in address order. Engine thread. */
    public java.util.List<io.meridian.auth.Address> agentOwners() {
        return authorisations.agentOwners();
    }

    /**
     * Copies a signer's kept nonces (ascending) into {@code into}, which holds at least the window ({@link #nonceRule()}), and
     * returns how many: the gateway mirrors them to refuse replays before they reach the journal. Engine thread.
     */
    public int copyKeptNonces(io.meridian.auth.SignerId signer, long[] into) {
        return authorisations.nonces().copyKept(signer, into);
    }

    /** The replay rule's bounds: kept nonces per signer, max age and max lead in milliseconds. */
    public long[] nonceRule() {
        io.meridian.auth.NonceTracker n = authorisations.nonces();
        return new long[] {n.window(), n.maxAgeMillis(), n.maxAheadMillis()};
    }

    /** All signers with kept nonces (owners by address, then agents by key). Engine thread. */
    public java.util.List<io.meridian.auth.SignerId> nonceSigners() {
        return authorisations.nonces().signersInOrder();
    }

    public long owner(long account) {
        return ownerOf(account);
    }

    /** The liquidation price in ticks of the account's position in the instrument; 0 when there is none. */
    public long liquidationPrice(long account, int instrument) {
        return margin.liquidationPrice(account, instrument);
    }

    /** The account's fee tier: 0 pays the instruments' own rates, 1..n the venue's VIP rates. */
    public int feeTier(long account) {
        return feeTiers.tier(account);
    }

    /** The margin state of the account's isolated position in the instrument (a new holder; for queries). */
    public MarginEngine.MarginState isolatedState(long account, int instrument) {
        return margin.computeIsolated(account, instrument, new MarginEngine.MarginState());
    }

    public MarginMode marginMode(long account, int instrument) {
        return margin.marginMode(account, instrument);
    }

    /** The account's leverage in the instrument. */
    public int leverage(long account, int instrument) {
        return margin.leverage(account, instrument);
    }

    /** Whether an index with this id exists (ADD_INDEX applied). */
    public boolean hasIndex(int indexId) {
        return index(indexId) != null;
    }

    /** The index's current price in its own units; 0 before its first publication or when there is no such index. */
    public long indexPrice(int indexId) {
        PriceIndex index = index(indexId);
        return index == null ? 0 : index.price();
    }

    /** True when the index exists and is stale (too few fresh sources, or never published). */
    public boolean isIndexStale(int indexId) {
        PriceIndex index = index(indexId);
        return index != null && index.isStale();
    }

    /**
     * True when the instrument's mark comes from an index that is stale: its mark is frozen and must not be used to
     * liquidate. False for an instrument whose mark is set by SET_MARK_PRICE.
     */
    public boolean isPriceStale(int instrument) {
        InstrumentPricing pricing = instrument >= 0 && instrument < pricings.length ? pricings[instrument] : null;
        if (pricing != null) {
            return indexes[pricing.indexId()].isStale();
        }
        OptionSeries option = options.series(instrument);
        return option != null && indexes[options.indexOf(option)].isStale();
    }

    /** The option terms of an instrument, or null when it is not an option. */
    public OptionSpec optionSpec(int instrument) {
        OptionSeries option = options.series(instrument);
        return option == null ? null : option.option;
    }

    /** True once the option has expired: closed to trading, settled or awaiting its settlement price. */
    public boolean isOptionExpired(int instrument) {
        OptionSeries option = options.series(instrument);
        return option != null && option.state != OptionSeries.TRADING;
    }

    /** The option's settlement price in index units once its positions are settled; 0 before, and for non-options. */
    public long optionSettlementPrice(int instrument) {
        OptionSeries option = options.series(instrument);
        return option == null || option.state != OptionSeries.SETTLED ? 0 : option.settlementPrice;
    }

    /** The option's mark volatility (annualised, 0.8 = 80%): its strike and expiry's; 0 for other instruments. */
    public double optionMarkVolatility(int instrument) {
        OptionSeries option = options.series(instrument);
        return option == null ? 0.0 : options.markVol(option);
    }

    /**
     * The option margin parameters of an index: those of its last SET_OPTION_MARGIN, else the margin library's
     * defaults ({@link OptionMarginSpecs#defaults()}). Null for an index that does not exist. Engine thread.
     */
    public OptionMarginSpec optionMarginSpec(int indexId) {
        return index(indexId) == null ? null : options.marginSpec(indexId);
    }

    /** True when the account is in portfolio margin (SET_MARGIN_MODE with instrument -1 and PORTFOLIO). */
    public boolean isPortfolioMargin(long account) {
        return options.isPortfolioMargin(account);
    }

    /**
     * The account's option margin on an index: its legs, standard and portfolio requirements, worst scenario and net
     * greeks, as the margin library computes them (see {@link Options} for how the engine adds the net option value to
     * them). Null when the account holds nothing on the index. Read-only use between commands, on the engine thread.
     */
    public OptionMarginAccount optionMarginAccount(long account, int indexId) {
        return options.marginAccount(account, indexId);
    }

    /** The settings the engine was made with (capacities, fee tiers, liquidation, option reprice interval). */
    public EngineConfig config() {
        return config;
    }

    /** Mark and funding state of an instrument priced from an index, or null. Read-only, engine thread. */
    public InstrumentPricing pricing(int instrument) {
        return instrument >= 0 && instrument < pricings.length ? pricings[instrument] : null;
    }

    /** The insurance fund's balance in an asset, minor units. */
    public long insuranceFund(int asset) {
        return ledger.balance(SystemAccounts.INSURANCE_FUND, asset);
    }

    /**
     * The insurance fund's margin state in an asset: its cash ({@code balance}), the unrealised PnL of the positions it
     * took over ({@code unrealizedPnl}, at the marks), {@code equity} and the maintenance margin of that inventory.
     * A new object; engine thread.
     */
    public MarginEngine.MarginState insuranceFundState(int asset) {
        return margin.compute(SystemAccounts.INSURANCE_FUND, asset, new MarginEngine.MarginState());
    }

    /** The insurance fund's position in the instrument (signed lots), taken over from liquidations; 0 when flat. */
    public long insuranceFundInventory(int instrument) {
        return instrument >= 0 && instrument < books.length && books[instrument] != null
                ? liquidator.fundInventory(instrument) : 0;
    }

    /**
     * PnL the insurance fund realised on its inventory in the asset (unwinds, netting takeovers, its inventory
     * auto-deleveraged below its floor), minor units.
     */
    public long insuranceFundRealizedPnl(int asset) {
        return liquidator.fundRealizedPnl(asset);
    }

    /**
     * The account's auto-deleveraging quantile in the instrument, 1..5 (5: deleveraged first), as BitMEX shows it;
     * 0 when flat or before a mark. A query: O(positions of the instrument).
     */
    public int adlQuantile(long account, int instrument) {
        return instrument >= 0 && instrument < books.length && books[instrument] != null
                ? liquidator.adlQuantile(account, instrument) : 0;
    }

    /** Instrument ids in ascending order (a new list). */
    public List<Integer> instrumentIds() {
        List<Integer> ids = new ArrayList<>(instrumentCount);
        for (int i = 0; i < instrumentCount; i++) {
            ids.add(instrumentIds[i]);
        }
        return Collections.unmodifiableList(ids);
    }

    /**
     * A hash of the whole state: envelope counters, the ledger, margin settings, indexes, the options (when any was
     * listed or an account is in portfolio margin: margin tables, volatilities, settlement windows, margin accounts),
     * then per instrument in id order its spec, book and positions.
     * Two engines that applied the same log have the same hash; replicas and replays compare it.
     */
    public long stateHash() {
        StateHasher hasher = new StateHasher();
        hasher.add(lastSequence).add(lastTimestamp).add(instrumentCount);
        ledger.hashState(hasher);
        margin.hashState(hasher);
        LongMaps.hashSorted(hasher, ownerOf);
        authorisations.hashState(hasher);
        feeTiers.hashState(hasher);
        liquidator.hashState(hasher);
        hasher.add(collateralLinks.size());
        for (CollateralLink link : collateralLinks) {
            hasher.add(link.indexId()).add(link.asset()).add(link.settlementAsset()).add(link.weightPpm());
        }
        for (PriceIndex index : indexes) {
            if (index != null) {
                index.hashState(hasher);
            }
        }
        if (options.hasState()) {
            hasher.add(nextOptionExpiry);
            options.hashState(hasher);
        }
        for (int i = 0; i < instrumentCount; i++) {
            OrderBook book = books[instrumentIds[i]];
            hasher.add(book.spec().toString());
            book.hashState(hasher);
            clearings[instrumentIds[i]].positions().hashState(hasher);
            InstrumentPricing pricing = pricings[instrumentIds[i]];
            if (pricing != null) {
                pricing.hashState(hasher);
            }
        }
        return hasher.value();
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /** The engine's parts, for {@link EngineSnapshotFormat}: engine thread, between commands. */
    Parts parts() {
        return new Parts();
    }

    /**
     * What {@link EngineSnapshotFormat} writes of the engine and restores into a new one (the components, and the
     * few values the engine keeps itself), so that the format lives outside this class.
     */
    final class Parts {
        EngineEvents events() {
            return events;
        }

        EngineConfig config() {
            return config;
        }

        Ledger ledger() {
            return ledger;
        }

        MarginEngine margin() {
            return margin;
        }

        FeeTiers feeTiers() {
            return feeTiers;
        }

        TouchedAccounts touched() {
            return touched;
        }

        Liquidator liquidator() {
            return liquidator;
        }

        Options options() {
            return options;
        }

        Authorisations authorisations() {
            return authorisations;
        }

        OrderBook[] books() {
            return books;
        }

        Clearing[] clearings() {
            return clearings;
        }

        InstrumentPricing[] pricings() {
            return pricings;
        }

        MarginModel[] models() {
            return models;
        }

        Map<String, AssetSpec> assetsBySymbol() {
            return assetsBySymbol;
        }

        Long2LongHashMap ownerOf() {
            return ownerOf;
        }

        LongHashSet owners() {
            return owners;
        }

        PriceIndex index(int id) {
            return Engine.this.index(id);
        }

        /** Every index, by id (null where none). */
        PriceIndex[] indexes() {
            return indexes;
        }

        void addIndex(PriceIndex index) {
            int id = index.spec().id();
            if (id >= indexes.length) {
                indexes = Arrays.copyOf(indexes, Math.max(id + 1, indexes.length * 2));
            }
            indexes[id] = index;
        }

        int instrumentCount() {
            return instrumentCount;
        }

        int instrumentId(int i) {
            return instrumentIds[i];
        }

        void addInstrumentId(int id) {
            insertInstrumentId(id);
        }

        /** The envelope and timers: last sequence and timestamp, next GTD expiry, pricing timer and option expiry. */
        long[] clock() {
            return new long[] {lastSequence, lastTimestamp, nextExpiry, nextPricingDue, nextOptionExpiry};
        }

        void setClock(long sequence, long timestamp, long expiry, long pricingDue, long optionExpiry) {
            lastSequence = sequence;
            lastTimestamp = timestamp;
            nextExpiry = expiry;
            nextPricingDue = pricingDue;
            nextOptionExpiry = optionExpiry;
        }

        int collateralLinkCount() {
            return collateralLinks.size();
        }

        /** Link i: index id, asset, asset scale, settlement asset, settlement unit, weight (ppm). */
        long[] collateralLink(int i) {
            CollateralLink link = collateralLinks.get(i);
            return new long[] {link.indexId(), link.asset(), link.assetScale(), link.settlementAsset(),
                link.settlementUnit(), link.weightPpm()};
        }

        void addCollateralLink(int indexId, int asset, int assetScale, int settlementAsset, long settlementUnit,
                               long weightPpm) {
            collateralLinks.add(new CollateralLink(indexId, asset, assetScale, settlementAsset, settlementUnit, weightPpm));
        }
    }
}
