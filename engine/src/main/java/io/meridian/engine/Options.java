package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.EngineEvents;
import io.meridian.model.FixedPoint;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionRight;
import io.meridian.model.OptionSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.model.snapshot.SnapshotReader;
import io.meridian.model.snapshot.SnapshotWriter;
import io.meridian.pricing.options.ImpliedVolResult;
import io.meridian.pricing.options.ImpliedVolatility;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;
import io.meridian.risk.margin.Health;
import io.meridian.risk.options.OptionMarginAccount;
import io.meridian.risk.options.OptionMarginMode;
import io.meridian.risk.options.RepriceStatus;
import io.meridian.risk.options.ScenarioTable;
import io.meridian.risk.options.SeriesKind;
import io.meridian.risk.options.SeriesSpec;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Options inside the engine: listing, marks, margin, expiry and cash settlement (docs/options.md, "Instruments, chains
 * and expiry"). The engine calls it at the points where options differ from perpetuals; with no option listed none of
 * this runs on the command path.
 *
 * <p><b>Clearing style.</b> An option trades through the same book and {@link Clearing} as a perpetual: a fill opens
 * a position at the premium price with no cash moving, the premium is settled as the position's profit and loss
 * (realised on close, unrealised at the mark in equity), and at expiry each position closes at its intrinsic value.
 * Economically this is the premium paid up front (the long's requirement includes the option's value), and it lets
 * the liquidation engine, auto-deleveraging and the ledger treat options like any position.
 *
 * <p><b>Margin</b> ({@link MarginEngine.PortfolioRisk}, implemented by {@link OptionMarginHook}): the margin library
 * ({@code io.meridian.risk.options}) prices every option and future of an index in its {@link ScenarioTable} and sums
 * an account's legs in an {@link OptionMarginAccount}, standard margin by default, portfolio margin for accounts that
 * opt in ({@code SET_MARGIN_MODE} with instrument -1). The library compares its requirements with cash equity; the
 * engine's equity includes the options' unrealised PnL at their marks, so, as the library prescribes, its net option
 * value is added to the requirements: {@code initial = library initial + netOptionValue} and the same for maintenance.
 * For standard margin that is, per leg, a short option's {@code max(15% S - OTM, 10% S)} (maintenance: half of it) and
 * a long option's mark value. With resting orders the initial margin is that of the account with each series at its
 * worst-case position ({@code size + buys} or {@code size - sells}, whichever costs more on its own).
 *
 * <p><b>Marks.</b> After every reprice of an index's table (at the first usable index, then at most once per
 * {@code optionRepriceIntervalNanos} of command time, at index recomputes), each option's book mark becomes the
 * table's value per lot in ticks, rounded to the nearest tick (at least 1): Black-76 on the index with the mark
 * volatility of its strike and expiry ({@link OptionVols}). Then every account with legs on the index is checked and
 * liquidated if its equity is at or below its maintenance margin.
 *
 * <p><b>Structure.</b> This class owns the listed options and their underlyings and is the engine's one entry point
 * (the margin engine excepted, which calls its hook directly); package-private parts do the rest, each owning its
 * state: {@link OptionRegistry} (which instruments are options or linked futures, which accounts are in portfolio
 * margin; shared with {@link OptionMarginHook}, the margin computation, which the margin engine is built with),
 * {@link OptionExpiry} (expiry and cash settlement), {@link PortfolioAccounts} (the switch into and out of portfolio
 * margin) and {@link OptionMarginParameters} (the parameters set per index). Everything is passed in at construction;
 * the model marks go to the {@link Host} the caller passes with the call. The parts' state is hashed and
 * snapshotted by their own methods, called from here in the order of the options' state hash and snapshot section.
 */
final class Options implements Clearing.PositionWatcher {
    /**
     * Sets a model mark on an option's book (the engine also fires its mark triggers and watches GTD expiries): the
     * caller of {@link #list} and {@link #observe} passes itself, so the options never hold a reference up.
     */
    interface Host {
        void setModelMark(int instrument, long mark, long sequence, long timestamp);
    }

    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final EngineEvents events;
    private final MarginEngine margin;
    private final long repriceIntervalNanos;
    /** Where the accounts a reprice leaves liquidatable are queued (the liquidation engine's, shared). */
    private final LiquidationWatch liquidations;

    /** Option series by instrument id; null for other instruments. */
    private final OptionSeries[] options;
    /** For futures priced from an index with options: its underlying, else null. */
    private final OptionUnderlying[] futureUnderlying;
    /** Underlyings by index id; null where none. */
    private OptionUnderlying[] underlyings = new OptionUnderlying[8];
    /**
     * Margin parameters set by SET_OPTION_MARGIN, by index id. The tables of existing underlyings hold the same; these
     * also serve an underlying created later.
     */
    private final OptionMarginParameters marginSpecs = new OptionMarginParameters();
    private int optionCount;
    /** The accounts in portfolio margin (kept by the registry) and the switch. */
    private final OptionRegistry registry;
    private final PortfolioAccounts portfolio;
    private final OptionExpiry expiry;
    private final MarginEngine.MarginState state = new MarginEngine.MarginState();

    Options(OrderBook[] books, Clearing[] clearings, Ledger ledger, EngineEvents events, MarginEngine margin,
            OptionRegistry registry, LiquidationWatch liquidations, long repriceIntervalNanos) {
        this.books = books;
        this.clearings = clearings;
        this.events = events;
        this.margin = margin;
        this.liquidations = liquidations;
        this.repriceIntervalNanos = repriceIntervalNanos;
        this.registry = registry;
        this.options = registry.series;
        this.futureUnderlying = registry.futureUnderlying;
        this.portfolio = new PortfolioAccounts(clearings, margin, registry);
        this.expiry = new OptionExpiry(books, clearings, ledger, events);
    }

    /** True once an option was listed: the engine skips option work entirely before. */
    boolean any() {
        return optionCount > 0;
    }

    /** True when there is anything to hash: an option, an account in portfolio margin, or set margin parameters. */
    boolean hasState() {
        return optionCount > 0 || registry.hasPortfolioAccounts() || marginSpecs.count() > 0;
    }

    // ------------------------------------------------------------------------------------------------ parameters

    /**
     * SET_OPTION_MARGIN for an existing index: checks the spec ({@code INVALID_OPTION_MARGIN}), then, when the index
     * has options, installs it in the index's table, which reprices at once with its last inputs
     * ({@code OPTION_MARGIN_UNPRICEABLE} when a series would leave its range: the old parameters stay), and adds every
     * account holding legs there to {@code touched}, so that the end of the command publishes its new requirements
     * and liquidates it if it is now under maintenance. Returns null when applied. Changes nothing on a reject.
     */
    RejectReason setMarginSpec(int indexId, OptionMarginSpec spec, TouchedAccounts touched) {
        if (indexId < 0 || OptionMarginSpecs.problem(spec).isPresent()) {
            return RejectReason.INVALID_OPTION_MARGIN;
        }
        OptionUnderlying u = underlying(indexId);
        if (u != null) {
            RepriceStatus status = u.table.setParams(OptionMarginSpecs.standard(spec), OptionMarginSpecs.portfolio(spec));
            if (status != RepriceStatus.OK) {
                return RejectReason.OPTION_MARGIN_UNPRICEABLE;
            }
            for (long account : u.sortedAccounts()) {
                touched.add(account, u.asset);
            }
        }
        marginSpecs.set(indexId, spec);
        return null;
    }

    /** The option margin parameters of an index: those last set for it, else the library's defaults. */
    OptionMarginSpec marginSpec(int indexId) {
        return marginSpecs.get(indexId);
    }

    /** The option listed as this instrument, or null. */
    OptionSeries series(int instrument) {
        return instrument >= 0 && instrument < options.length ? options[instrument] : null;
    }

    private OptionUnderlying underlying(int indexId) {
        return indexId >= 0 && indexId < underlyings.length ? underlyings[indexId] : null;
    }

    // ------------------------------------------------------------------------------------------------ listing

    /**
     * Checks the option terms of an ADD_INSTRUMENT whose instrument spec validated; null when they are usable. Rejects
     * {@code INVALID_OPTION} (kind and terms disagree, terms invalid, a pricing spec given, another settlement asset
     * than the index's options, a contract the margin library cannot size), {@code UNKNOWN_INDEX},
     * {@code INVALID_STRIKE} and {@code OPTION_EXPIRY_PASSED}. Changes nothing.
     */
    RejectReason check(Command c, InstrumentSpec spec, PriceIndex index, AssetSpec settlement) {
        OptionSpec terms = c.optionSpec;
        if (terms == null || spec.kind() != InstrumentKind.OPTION || terms.validate() != null
                || c.pricingSpec != null) {
            return RejectReason.INVALID_OPTION;
        }
        if (index == null) {
            return RejectReason.UNKNOWN_INDEX;
        }
        if (terms.strikeUnits(index.spec().priceDecimals()) < 0) {
            return RejectReason.INVALID_STRIKE;
        }
        if (spec.expiryTimestamp() <= c.timestamp) {
            return RejectReason.OPTION_EXPIRY_PASSED;
        }
        OptionUnderlying existing = underlying(terms.indexId());
        if (existing != null && existing.asset != settlement.id() || settlementUnit(spec, index) == null
                || seriesSpec(spec, terms).isEmpty() || strikeValuePerLot(spec, terms) > InstrumentSpec.MAX_ORDER_NOTIONAL) {
            return RejectReason.INVALID_OPTION;
        }
        return null;
    }

    /**
     * The strike's value of one lot in minor units, {@code K x lot x multiplier x 10^scale}: kept within
     * {@link InstrumentSpec#MAX_ORDER_NOTIONAL} so that the margin table's per-lot values (at most ten times the
     * index's value, for its largest stress move) fit it with room for the index to move far from the strike.
     */
    private static double strikeValuePerLot(InstrumentSpec spec, OptionSpec terms) {
        return terms.strike().multiply(spec.lotSize()).multiply(spec.contractMultiplier())
                .movePointRight(spec.settlementScale()).doubleValue();
    }

    /** The library's view of the option: strike in currency, quantity in lots of {@code lot x multiplier} units. */
    private static Optional<SeriesSpec> seriesSpec(InstrumentSpec spec, OptionSpec terms) {
        double strike = terms.strike().doubleValue();
        double multiplier = spec.lotSize().multiply(spec.contractMultiplier()).doubleValue();
        SeriesKind kind = terms.right() == OptionRight.CALL ? SeriesKind.CALL : SeriesKind.PUT;
        if (SeriesSpec.check(kind, strike, spec.expiryTimestamp(), multiplier).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new SeriesSpec(kind, strike, spec.expiryTimestamp(), multiplier));
    }

    /**
     * Minor units one lot settles per index unit of intrinsic value, {@code lot x multiplier x 10^(scale - d)}, as
     * {numerator, denominator} with both fitting a long (denominator a power of ten); null when they do not.
     */
    private static long[] settlementUnit(InstrumentSpec spec, PriceIndex index) {
        BigDecimal unit = spec.lotSize().multiply(spec.contractMultiplier())
                .movePointRight(spec.settlementScale() - index.spec().priceDecimals()).stripTrailingZeros();
        if (unit.scale() < 0) {
            unit = unit.setScale(0);
        }
        if (unit.scale() > 18 || unit.unscaledValue().bitLength() > 62) {
            return null;
        }
        return new long[] {unit.unscaledValue().longValueExact(), FixedPoint.pow10(unit.scale())};
    }

    /**
     * Registers a checked option in its index's margin table (creating the underlying, with the futures priced from the
     * index, on the first option) and its strike's initial volatility; returns the series, or null when the table
     * refuses it (a priced table prices a new series at once, and its values must fit: {@code INVALID_OPTION}), in
     * which case nothing changed. Call before the instrument's book exists; {@link #list} completes the listing.
     */
    OptionSeries prepare(Command c, InstrumentSpec spec, PriceIndex index, AssetSpec settlement) {
        OptionSpec terms = c.optionSpec;
        int indexId = terms.indexId();
        OptionUnderlying u = underlying(indexId);
        if (u == null) {
            // A fresh table is unpriced, and an unpriced table accepts every series: nothing below can refuse.
            OptionMarginSpec params = marginSpec(indexId);
            u = new OptionUnderlying(indexId, settlement.id(), settlement.scale(),
                    StrictMath.pow(10.0, index.spec().priceDecimals()), OptionMarginSpecs.standard(params),
                    OptionMarginSpecs.portfolio(params));
            if (indexId >= underlyings.length) {
                underlyings = Arrays.copyOf(underlyings, Math.max(indexId + 1, underlyings.length * 2));
            }
            underlyings[indexId] = u;
            for (int i = 0; i < index.instrumentCount(); i++) {
                addFuture(u, index.instrument(i));
            }
        }
        SeriesSpec seriesSpec = seriesSpec(spec, terms).orElseThrow();
        long expiry = spec.expiryTimestamp();
        boolean known = u.vols.get(expiry, seriesSpec.strike()) != 0.0;
        u.vols.add(expiry, seriesSpec.strike(), terms.initialVolPpm() / 1e6);
        // A priced table prices the new series at once with its last inputs; the volatility lookup needs their time.
        u.vols.now = u.table.nowNanos();
        int tableSeries = u.table.addSeries(seriesSpec);
        if (tableSeries == ScenarioTable.REJECTED) {
            if (!known) {
                u.vols.remove(expiry, seriesSpec.strike());
            }
            return null;
        }
        long[] unit = settlementUnit(spec, index);
        SettlementWindow window = u.window(expiry, terms.settlementWindowNanos(), index.spec().stalenessNanos());
        return new OptionSeries(spec.id(), spec, terms, u, terms.strikeUnits(index.spec().priceDecimals()),
                tableSeries, window, unit[0], unit[1]);
    }

    /**
     * Completes the listing of a prepared option whose book and clearing now exist: margins it by the option rules,
     * fires {@code optionAdded}, gives its settlement window the index as it is, and, when the index is usable, prices
     * it and sets its mark.
     */
    void list(OptionSeries series, Command c, PriceIndex index, Host host) {
        OptionUnderlying u = series.underlying;
        int id = series.instrument;
        u.addSeries(series);
        options[id] = series;
        optionCount++;
        clearings[id].reportPositions();
        margin.setExternalMargin(id, true);
        events.optionAdded(c.sequence, c.timestamp, series.spec, series.option);
        if (index.hasPrice()) {
            series.window.observe(c.timestamp, index.isUsable(), index.price());
        }
        if (index.isUsable()) {
            if (!u.table.isPriced()) {
                reprice(u, index, c.sequence, c.timestamp, host);
            } else {
                host.setModelMark(id, modelMark(series), c.sequence, c.timestamp);
            }
        }
    }

    /**
     * A future (perpetual or dated) priced from an index that has options: registered in the index's table so that
     * accounts in portfolio margin offset it against their options. Only settled in the same asset, with a lot the
     * library can size; others stay margined by their own model.
     */
    void addFutureIfLinked(int instrument, int indexId) {
        OptionUnderlying u = underlying(indexId);
        if (u != null) {
            addFuture(u, instrument);
            if (u.table.isPriced()) {
                linkFutures(u);
            }
        }
    }

    private void addFuture(OptionUnderlying u, int instrument) {
        Clearing clearing = clearings[instrument];
        InstrumentSpec spec = books[instrument].spec();
        if (clearing.asset() != u.asset) {
            return;
        }
        double multiplier = spec.lotSize().multiply(spec.contractMultiplier()).doubleValue();
        long expiry = spec.kind() == InstrumentKind.PERPETUAL ? SeriesSpec.PERPETUAL : spec.expiryTimestamp();
        if (SeriesSpec.check(SeriesKind.FUTURE, 0.0, expiry, multiplier).isPresent()) {
            return;
        }
        u.vols.now = u.table.nowNanos();
        int tableSeries = u.table.addSeries(new SeriesSpec(SeriesKind.FUTURE, 0.0, expiry, multiplier));
        if (tableSeries != ScenarioTable.REJECTED) {
            u.addFuture(instrument, tableSeries);
            futureUnderlying[instrument] = u;
        }
    }

    /**
     * Once the table is priced, registered futures are margined by it for accounts in portfolio margin: their positions
     * become legs of those accounts.
     */
    private void linkFutures(OptionUnderlying u) {
        for (int i = 0; i < u.futureCount; i++) {
            if (u.futureLinked[i]) {
                continue;
            }
            int instrument = u.futures[i];
            u.futureLinked[i] = true;
            clearings[instrument].reportPositions();
            margin.setExternalMargin(instrument, false);
            for (Position position : clearings[instrument].positions().sortedPositions()) {
                long account = position.account();
                if (registry.isPortfolio(account) && margin.marginMode(account, instrument) != MarginMode.ISOLATED) {
                    u.setLeg(account, u.futureSeries[i], position.size(), OptionMarginMode.PORTFOLIO);
                }
            }
        }
    }

    /** The table series of a future linked to u, or -1 (not registered there, or not linked yet). */
    static int futureSeriesOf(OptionUnderlying u, int instrument) {
        int at = Arrays.binarySearch(u.futures, 0, u.futureCount, instrument);
        return at >= 0 && u.futureLinked[at] ? u.futureSeries[at] : -1;
    }

    /**
     * The account's position in a watched instrument changed (fill, transfer, settlement): the option leg always, a
     * future's leg for an account in portfolio margin whose position there is cross.
     */
    @Override
    public void positionChanged(int instrument, long account, long size) {
        OptionSeries series = options[instrument];
        if (series != null) {
            series.underlying.setLeg(account, series.series, size, registry.modeOf(account));
            return;
        }
        OptionUnderlying u = futureUnderlying[instrument];
        if (u != null && registry.isPortfolio(account) && margin.marginMode(account, instrument) != MarginMode.ISOLATED) {
            int tableSeries = futureSeriesOf(u, instrument);
            if (tableSeries >= 0) {
                u.setLeg(account, tableSeries, size, OptionMarginMode.PORTFOLIO);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ trading

    /**
     * Why an order on the option is refused, or null: {@code INSTRUMENT_EXPIRED} once it expired,
     * {@code OPTION_NOT_PRICED} before its index first published (its margin could not be computed).
     */
    RejectReason tradingReject(OptionSeries series) {
        if (series.state != OptionSeries.TRADING) {
            return RejectReason.INSTRUMENT_EXPIRED;
        }
        return series.underlying.table.isPriced() ? null : RejectReason.OPTION_NOT_PRICED;
    }

    /** The index an option is on. */
    int indexOf(OptionSeries series) {
        return series.underlying.indexId;
    }

    /**
     * A {@code SET_MARK_PRICE} set the option's mark to {@code ticks}: the volatility it implies at the usable index
     * (Black-76 on the index, zero rate) becomes the mark volatility of its strike and expiry from the next reprice.
     * A price with no implied volatility (below intrinsic value, above the bound) leaves the volatility as it was.
     */
    void markSet(OptionSeries series, long ticks, PriceIndex index, long now) {
        if (!index.isUsable()) {
            return;
        }
        double tte = OptionVols.years(now, series.spec.expiryTimestamp());
        double spot = index.price() / series.underlying.priceScale;
        double premium = ticks * series.spec.tickSize().doubleValue();
        OptionRight type = series.option.right();
        ImpliedVolResult result = ImpliedVolatility.solve(type, premium, spot, series.option.strike().doubleValue(),
                tte, 0.0, 0.0);
        if (result.ok() && result.vol() > 0.0 && result.vol() <= ScenarioTable.MAX_VOL) {
            series.underlying.vols.set(series.spec.expiryTimestamp(), series.option.strike().doubleValue(),
                    result.vol());
        }
    }

    /** The mark volatility of the option's strike and expiry. */
    double markVol(OptionSeries series) {
        return series.underlying.vols.get(series.spec.expiryTimestamp(), series.option.strike().doubleValue());
    }

    // ------------------------------------------------------------------------------------------------ index samples

    /**
     * The engine recomputed an index that has options ({@code usable}: published and not stale): every pending
     * settlement window takes the sample (also the windows of options awaiting a settlement price: they settle when a
     * window with enough evidence ends, never on one print), and when usable the table reprices if due (the first
     * time, or {@code optionRepriceIntervalNanos} after the last reprice).
     */
    void observe(PriceIndex index, boolean usable, long sequence, long timestamp, Host host) {
        OptionUnderlying u = underlying(index.spec().id());
        if (u == null) {
            return;
        }
        long price = index.price();
        for (int i = 0; i < u.windowCount; i++) {
            u.windows[i].observe(timestamp, usable, price);
        }
        if (!usable) {
            return;
        }
        if (!u.table.isPriced() || timestamp - u.lastReprice >= repriceIntervalNanos) {
            reprice(u, index, sequence, timestamp, host);
        }
    }

    /**
     * Reprices the table at the index and command time; on success sets the options' model marks, links futures on
     * the first success, and checks every account holding legs here for liquidation. A refused reprice (a volatility
     * or value out of the library's range) leaves the table, and the marks, as they were.
     */
    private void reprice(OptionUnderlying u, PriceIndex index, long sequence, long timestamp, Host host) {
        boolean first = !u.table.isPriced();
        u.vols.now = timestamp;
        RepriceStatus status = u.table.reprice(index.price() / u.priceScale, timestamp, u.vols);
        if (status != RepriceStatus.OK) {
            return;
        }
        u.lastReprice = timestamp;
        if (first) {
            linkFutures(u);
        }
        for (int i = 0; i < u.seriesCount; i++) {
            OptionSeries series = u.series[i];
            if (series.state == OptionSeries.TRADING) {
                host.setModelMark(series.instrument, modelMark(series), sequence, timestamp);
            }
        }
        for (long account : u.sortedAccounts()) {
            MarginEngine.MarginState now = margin.compute(account, u.asset, state);
            if (Health.isLiquidatable(now.equity, now.maintenanceMargin)) {
                liquidations.addCandidate(account);
            }
        }
    }

    /** The table's value of one lot in ticks, rounded to the nearest tick (halves up), within 1 .. max price. */
    private long modelMark(OptionSeries series) {
        ScenarioTable table = series.underlying.table;
        long unit = series.spec.minorUnitsPerTickLot();
        long sum = Math.addExact(table.markValueDown(series.series), table.markValueUp(series.series));
        long ticks = Math.addExact(sum, unit) / Math.multiplyExact(2, unit);
        return Math.max(1, Math.min(ticks, series.spec.maxPrice()));
    }

    // ------------------------------------------------------------------------------------------------ expiry

    /** Expires and settles the options whose settlement windows ended by {@code timestamp}: {@link OptionExpiry}. */
    long expireDue(long sequence, long timestamp) {
        return expiry.expireDue(underlyings, sequence, timestamp);
    }

    // ------------------------------------------------------------------------------------------------ portfolio mode

    /** {@code SET_MARGIN_MODE} with instrument -1: {@link PortfolioAccounts#setMode}. */
    RejectReason setAccountMode(long account, MarginMode mode, TouchedAccounts touched) {
        return portfolio.setMode(account, mode, underlyings, touched);
    }

    boolean isPortfolioMargin(long account) {
        return registry.isPortfolio(account);
    }

    // ------------------------------------------------------------------------------------------------ state

    /** Underlyings by index id, then the accounts in portfolio margin, ascending. */
    void hashState(StateHasher hasher) {
        hasher.add(optionCount);
        for (OptionUnderlying u : underlyings) {
            if (u != null) {
                u.hashState(hasher);
            }
        }
        registry.hashPortfolio(hasher);
        // Set parameters, by index id; an underlying's table hashes its own too, but these also cover an index whose
        // first option is not listed yet.
        marginSpecs.hashState(hasher);
    }

    /** The account's margin account on an index (a live view for queries; null when it holds nothing there). */
    OptionMarginAccount marginAccount(long account, int indexId) {
        OptionUnderlying u = underlying(indexId);
        return u == null ? null : u.accounts.get(account);
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    /**
     * Writes the options' state: the number of options listed; the margin parameters set by SET_OPTION_MARGIN (by
     * index); the accounts in portfolio margin; and every underlying (by index, {@link OptionUnderlying#writeSnapshot}).
     * Which instruments are options or futures of an underlying, and which clearings report to this, follow from the
     * underlyings; how the margin engine margins them is the margin engine's to write. The margin hook's scratch is
     * empty between computations.
     */
    void writeSnapshot(SnapshotWriter out) {
        out.writeCount(optionCount);
        marginSpecs.writeSnapshot(out);
        registry.writePortfolio(out);
        int count = 0;
        for (OptionUnderlying u : underlyings) {
            count += u == null ? 0 : 1;
        }
        out.writeCount(count);
        for (OptionUnderlying u : underlyings) {
            if (u != null) {
                u.writeSnapshot(out);
            }
        }
    }

    /**
     * Restores what {@link #writeSnapshot} wrote into options that hold nothing yet, after the books and clearings
     * exist: the underlyings, their options and futures, and the clearings that report position changes here.
     * Refuses an underlying on an index the engine lacks ({@code indexExists}), margin parameters the margin library
     * refuses, and an instrument claimed twice.
     */
    void readSnapshot(SnapshotReader in, IntPredicate indexExists) {
        if (optionCount != 0 || registry.hasPortfolioAccounts()) {
            throw new IllegalStateException("a snapshot is restored into new options only");
        }
        int listed = in.readIndex(Integer.MAX_VALUE, "option count");
        marginSpecs.readSnapshot(in, indexExists);
        registry.readPortfolio(in);
        int count = in.readCount(8);
        int found = 0;
        for (int i = 0; i < count; i++) {
            OptionUnderlying u = OptionUnderlying.readSnapshot(in, books, IndexSpec.MAX_INDEXES);
            if (!indexExists.test(u.indexId) || underlying(u.indexId) != null) {
                throw in.fail("options on index " + u.indexId + ", which the engine lacks or lists twice");
            }
            if (u.indexId >= underlyings.length) {
                underlyings = Arrays.copyOf(underlyings, Math.max(u.indexId + 1, underlyings.length * 2));
            }
            underlyings[u.indexId] = u;
            for (int k = 0; k < u.seriesCount; k++) {
                int instrument = u.series[k].instrument;
                if (options[instrument] != null || futureUnderlying[instrument] != null || clearings[instrument] == null) {
                    throw in.fail("instrument " + instrument + " is claimed twice by options");
                }
                options[instrument] = u.series[k];
                clearings[instrument].reportPositions();
                found++;
            }
            for (int k = 0; k < u.futureCount; k++) {
                int instrument = u.futures[k];
                if (options[instrument] != null || futureUnderlying[instrument] != null || clearings[instrument] == null) {
                    throw in.fail("instrument " + instrument + " is claimed twice by options");
                }
                futureUnderlying[instrument] = u;
                if (u.futureLinked[k]) {
                    clearings[instrument].reportPositions();
                }
            }
        }
        if (listed != found) {
            throw in.fail(listed + " options listed, " + found + " found");
        }
        optionCount = listed;
    }
}
