package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.EngineEvents;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionSpec;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.StateHasher;
import io.meridian.pricing.InstrumentPricing;
import io.meridian.risk.MarginEngine;

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
 * the ledger's accounts always sum to deposits minus withdrawals ({@link EngineView#ledger()}).
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
 * <p><b>Outcome and idempotency.</b> {@link #apply} returns the command's {@link CommandOutcome} (reused: read it before
 * the next command). A PLACE_ORDER whose account already used its client order id (the newest
 * {@link RecentOrders#DEFAULT_CAPACITY} such orders are remembered, in the state hash and snapshots) is a resend:
 * it is answered with the original's outcome, marked duplicate, and nothing is applied or emitted but
 * {@code commandCompleted}.
 *
 * <p><b>Client order id texts</b> ({@link ClientOrderTexts}; docs/auth.md, "Client order ids"). The engine knows a client
 * order id by its 64-bit key; a command that carries the text the client wrote ({@link Command#clientOrderText}) must
 * carry its key too, else it is refused with {@code INVALID_CLIENT_ORDER_ID} before anything else. An order placed so
 * keeps its text while it is open (state hash and snapshots), and every event about it is preceded by
 * {@link EngineEvents#clientOrderText}, so hosts echo the text exactly, after restarts and on replicas too.
 *
 * <p><b>Structure</b> (docs/architecture.md). This class checks the envelope, runs the timers, authorises and hands
 * each command to the handler of its kind: {@link TradingHandler} (orders), {@link FundsHandler} (assets, deposits,
 * withdrawals, transfers, collateral), {@link AccountsHandler} (signers, sub-accounts, per-account settings),
 * {@link PricingHandler} (indexes, marks, funding), {@link ListingHandler} (instruments, option margin, expiry) and
 * {@link LiquidationHandler} (the end of every command: account updates and liquidation rounds). Queries go through
 * {@link #view()}.
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
 *
 * <p><b>Governance and risk multipliers</b> ({@link RiskGovernance}; docs/risk.md). {@code SET_GOVERNANCE} names the
 * venue's admins once; their signed, M-of-N, timelocked proposals set each instrument's risk bounds; within them
 * {@code SET_RISK_SCALE} (the volatility controller's command) announces a multiplier of the listed margin rates,
 * position limit and price band, which takes effect at its time like any timer.
 */
public final class Engine {
    /**
     * Order ids from here up are the engine's own liquidation orders (never a user's: the sequencer's ids stay below):
     * a gateway reporting an account's orders marks those as liquidations.
     */
    public static final long LIQUIDATION_ORDER_ID_BASE = Liquidator.ORDER_ID_BASE;

    /** Leverage an account gets in an instrument until it sets one, capped by the instrument's tier-0 maximum. */
    public static final int DEFAULT_LEVERAGE = ListingHandler.DEFAULT_LEVERAGE;

    private final CommandOutcome outcome = new CommandOutcome();
    private final Markets markets;
    private final Ledger ledger;
    /** {@link #prefetchPays}'s last answer and the sequence it counted at: not engine state. */
    private boolean prefetchPaid;
    private long prefetchCountedAt = -PREFETCH_RECOUNT_COMMANDS;
    private final MarginEngine margin;
    private final FeeTiers feeTiers;
    private final Authorisations authorisations = new Authorisations();
    private final Options options;
    private final Liquidator liquidator;
    private final RecentOrders recentOrders = new RecentOrders(RecentOrders.DEFAULT_CAPACITY);
    private final ClientOrderTexts clientOrderTexts = new ClientOrderTexts();
    private final TradingHandler trading;
    private final FundsHandler funds;
    private final AccountsHandler accounts;
    private final PricingHandler pricing;
    private final ListingHandler listing;
    private final LiquidationHandler liquidation;
    private final EngineView view;
    private final EngineParts parts;
    private final RiskGovernance governance;

    /**
     * Builds an empty engine reporting to {@code events}. The parts are made in dependency order and each gets what it
     * uses in its constructor; the parts whose events make a command's outcome report to one {@link OutcomeTap}, which
     * fills it and passes each event on to {@code events}; the ledger, the account updates and the books' market data
     * (trades, L2/L3 deltas, marks) report directly.
     */
    public Engine(EngineEvents events, EngineConfig config) {
        EngineEvents tap = new OutcomeTap(events, outcome, clientOrderTexts);
        // The ledger's postings, the account updates and the books' market data say nothing about a command's outcome,
        // and are the most frequent events: they go to the host's listener directly, not through the tap.
        this.ledger = new Ledger(events);
        this.markets = new Markets(tap, events, config, ledger);
        this.feeTiers = new FeeTiers(config.vipFeeTiers());
        TouchedAccounts touched = new TouchedAccounts();
        // Made before the margin engine, which takes the options' margin hook at construction; the options, made after
        // it, take the same registry. The liquidation watch is shared by the options (a reprice queues accounts) and
        // the liquidation engine (which owns the rest of the waterfall).
        OptionRegistry optionRegistry = new OptionRegistry(config.maxInstruments());
        OptionMarginHook optionMargin = new OptionMarginHook(optionRegistry);
        this.margin = new MarginEngine(markets, config.maxInstruments(), optionMargin);
        LiquidationWatch liquidationWatch = new LiquidationWatch(markets.clearings, margin);
        this.options = new Options(markets.books, markets.clearings, ledger, tap, margin, optionRegistry,
                liquidationWatch, config.optionRepriceIntervalNanos());
        PriceGuard guard = new PriceGuard(markets, options);
        this.liquidator = new Liquidator(markets.books, markets.clearings, markets.models, margin, ledger, tap, touched,
                config.liquidation(), guard, optionMargin, liquidationWatch);
        this.trading = new TradingHandler(markets, margin, options, guard, touched);
        this.accounts = new AccountsHandler(markets, margin, options, feeTiers, touched, authorisations);
        this.funds = new FundsHandler(markets, margin, touched, accounts);
        this.pricing = new PricingHandler(markets, options, liquidator, funds, guard);
        this.listing = new ListingHandler(markets, margin, options, liquidator, feeTiers, touched, pricing);
        this.liquidation = new LiquidationHandler(markets, margin, liquidator, touched, events);
        this.governance = new RiskGovernance(markets, margin, touched);
        this.view = new EngineView(markets, margin, accounts, authorisations, feeTiers, guard, options, liquidator,
                governance, funds, clientOrderTexts);
        this.parts = new EngineParts(markets, margin, feeTiers, touched, liquidator, options, authorisations, accounts,
                funds, recentOrders, governance, clientOrderTexts);
    }

    public Engine(EngineEvents events) {
        this(events, EngineConfig.defaults());
    }

    /**
     * Applies one command and returns what it did (the engine's reused {@link CommandOutcome}). Never throws for bad
     * input: every refusal is a {@code commandRejected} event and a rejected outcome.
     */
    public CommandOutcome apply(Command c) {
        outcome.begin(c);
        clientOrderTexts.begin();
        long sequence = c.sequence;
        long timestamp = c.timestamp;
        if (sequence != markets.lastSequence + 1) {
            markets.reject(c, RejectReason.COMMAND_OUT_OF_ORDER);
            return outcome;
        }
        if (timestamp < markets.lastTimestamp) {
            markets.reject(c, RejectReason.TIMESTAMP_WENT_BACKWARDS);
            return outcome;
        }
        markets.lastSequence = sequence;
        markets.lastTimestamp = timestamp;
        ledger.setContext(sequence, timestamp);
        runTimers(sequence, timestamp);
        // An authorised PLACE_ORDER with a client order id is keyed for idempotency: answered from its record if it
        // has one, recorded once it has run.
        boolean keyed = false;
        RejectReason unauthorised;
        if (c.type == null) {
            markets.reject(c, RejectReason.UNKNOWN_COMMAND);
        } else if (!clientOrderTexts.check(c)) {
            markets.reject(c, RejectReason.INVALID_CLIENT_ORDER_ID);
        } else if ((unauthorised = authorise(c)) != null) {
            markets.reject(c, unauthorised);
        } else {
            outcome.account(c.account);
            keyed = c.type == CommandType.PLACE_ORDER && c.clientOrderId != 0 && c.account > 0;
            if (!keyed || !recentOrders.find(c.account, c.clientOrderId, outcome)) {
                dispatch(c);
            }
        }
        liquidation.finishCommand(sequence, timestamp);
        if (keyed && !outcome.duplicate()) {
            recentOrders.record(outcome);
        }
        markets.events.commandCompleted(sequence, timestamp);
        return outcome;
    }

    /**
     * Open orders in all books from which {@link #prefetch(Command, int)} pays: about where the orders (some 200 bytes
     * each with their index slots and levels) outgrow a few megabytes of cache, as on the 2-vCPU machine of
     * docs/performance.md; a larger cache moves it up, but prefetching early costs only a few percent.
     */
    public static final int PREFETCH_FROM_OPEN_ORDERS = 16_384;
    /** How many commands ahead a batch applier calls {@link #prefetch(Command, int)}: one step each. */
    public static final int PREFETCH_STEPS = OrderBook.PREFETCH_STEPS;
    /** Commands applied between two counts of the open orders by {@link #prefetchPays}. */
    static final int PREFETCH_RECOUNT_COMMANDS = 1_024;

    /**
     * Starts reading what {@code c}, to be applied {@code commandsAhead} commands after the current one, will read
     * first, if it is a place, cancel or amend: one step of {@link OrderBook#prefetch} in its book (the order-id slot
     * three commands ahead, the order two ahead, the rest of it, its level, account totals and its neighbours' links
     * one ahead), so that those cache misses overlap with the current command. A batch applier, when
     * {@link #prefetchPays}, calls it before {@link #apply} of each command for each of the next
     * {@link #PREFETCH_STEPS} commands. Changes nothing, emits nothing and takes any command (null, unknown
     * instrument, no order id: nothing is found); the engine's thread only. (The margin check's reads are not
     * prefetched a command ahead: that measured no faster on 128 books; the check itself touches them all first,
     * {@code MarginCalculator.touchViews}, docs/performance.md.)
     */
    public void prefetch(Command c, int commandsAhead) {
        if (namesAnOrder(c)) {
            prefetch(c.instrument, c.orderId, commandsAhead);
        }
    }

    /** {@link #prefetch(Command, int)} for a caller that has an order command's instrument and order id only. */
    public void prefetch(int instrument, long orderId, int commandsAhead) {
        OrderBook book = markets.book(instrument);
        if (book != null) {
            book.prefetch(orderId, commandsAhead);
        }
    }

    /**
     * Whether prefetching pays now: when the books held at least {@link #PREFETCH_FROM_OPEN_ORDERS} open orders in all
     * at the last count. Below that they fit in the cache, the reads find nothing to overlap and only cost their
     * instructions (4-7% of a one-book benchmark). The count visits every book (thousands for an options venue, each
     * a cache miss), so it is taken again only once {@link #PREFETCH_RECOUNT_COMMANDS} commands have been applied
     * since the last: a batch applier may ask once per batch.
     */
    public boolean prefetchPays() {
        long sequence = markets.lastSequence;
        if (sequence < prefetchCountedAt || sequence - prefetchCountedAt >= PREFETCH_RECOUNT_COMMANDS) {
            prefetchCountedAt = sequence;
            long open = 0;
            for (int i = 0; i < markets.instrumentCount; i++) {
                OrderBook book = markets.books[markets.instrumentIds[i]];
                if (book != null) {
                    open += book.openOrders();
                }
            }
            prefetchPaid = open >= PREFETCH_FROM_OPEN_ORDERS;
        }
        return prefetchPaid;
    }

    private static boolean namesAnOrder(Command c) {
        return c != null && (c.type == CommandType.AMEND_ORDER || c.type == CommandType.CANCEL_ORDER
                || c.type == CommandType.PLACE_ORDER);
    }

    /** Governance commands are authorised as an admin's; every other command by address as its account's. */
    private RejectReason authorise(Command c) {
        return switch (c.type) {
            case PROPOSE_RISK_BOUNDS, APPROVE_PROPOSAL, CANCEL_PROPOSAL -> governance.authorise(c, authorisations);
            case FORCED_WITHDRAWAL -> authorisations.resolveForced(c);
            default -> accounts.authorise(c);
        };
    }

    /**
     * Before a command runs, every timer due by its timestamp: GTD expiries (books in instrument id order), option
     * expiries, premium samples and funding settlements, then governance (expiring and executing proposals, putting
     * announced risk multipliers in force). So no command ever sees what should already be gone.
     */
    private void runTimers(long sequence, long timestamp) {
        if (timestamp >= markets.nextExpiry) {
            trading.expireDue(sequence, timestamp);
        }
        if (timestamp >= markets.nextOptionExpiry) {
            listing.expireOptions(sequence, timestamp);
        }
        if (timestamp >= markets.nextPricingDue) {
            pricing.runTimers(sequence, timestamp);
        }
        if (timestamp >= governance.nextDue) {
            governance.runTimers(sequence, timestamp);
        }
    }

    /** Hands an authorised command to the handler of its kind. */
    private void dispatch(Command c) {
        switch (c.type) {
            case PLACE_ORDER -> trading.place(c);
            case CANCEL_ORDER -> trading.cancel(c);
            case AMEND_ORDER -> trading.amend(c);
            case CANCEL_ALL -> trading.cancelAll(c);
            case SET_MARK_PRICE -> pricing.setMarkPrice(c);
            case TIME_TICK -> pricing.refreshAllIndexes(c.sequence, c.timestamp);
            case ADD_INDEX -> pricing.addIndex(c);
            case ORACLE_REPORT -> pricing.oracleReport(c);
            case ADD_INSTRUMENT -> listing.addInstrument(c);
            case SET_OPTION_MARGIN -> listing.setOptionMargin(c);
            case ADD_ASSET -> funds.addAsset(c);
            case DEPOSIT -> accounts.depositApplied(funds.deposit(c));
            case WITHDRAW -> funds.withdraw(c);
            case TRANSFER -> funds.transfer(c);
            case ADJUST_ISOLATED_MARGIN -> funds.adjustIsolatedMargin(c);
            case SET_COLLATERAL -> funds.setCollateral(c);
            case APPROVE_AGENT, REVOKE_AGENT -> accounts.agentAction(c);
            case OPEN_SESSION -> accounts.openSession(c);
            case SET_LEVERAGE -> accounts.setLeverage(c);
            case LINK_SUBACCOUNT -> accounts.linkSubaccount(c);
            case SET_FEE_TIER -> accounts.setFeeTier(c);
            case SET_MARGIN_MODE -> accounts.setMarginMode(c);
            case SET_GOVERNANCE -> governance.setGovernance(c);
            case PROPOSE_RISK_BOUNDS -> governance.propose(c);
            case APPROVE_PROPOSAL -> governance.approve(c);
            case CANCEL_PROPOSAL -> governance.cancel(c);
            case SET_RISK_SCALE -> governance.setRiskScale(c);
            case FORCED_WITHDRAWAL -> funds.forcedWithdrawal(c);
            case CHAIN_RISK_BOUNDS -> governance.chainBounds(c);
            default -> markets.reject(c, RejectReason.UNKNOWN_COMMAND);
        }
    }

    /** The engine's parts, for {@link EngineSnapshotFormat}: engine thread, between commands. */
    EngineParts parts() {
        return parts;
    }

    /** The engine's state for queries (read-only; engine thread, between commands). */
    public EngineView view() {
        return view;
    }

    public long lastSequence() {
        return markets.lastSequence;
    }

    public long lastTimestamp() {
        return markets.lastTimestamp;
    }

    /**
     * A hash of the whole state: envelope counters, the ledger, margin settings, indexes, the options (when any was
     * listed or an account is in portfolio margin: margin tables, volatilities, settlement windows, margin accounts),
     * then per instrument in id order its spec, book and positions, then the idempotency records, governance and (while
     * an open order has one) the client order id texts.
     * Two engines that applied the same log have the same hash; replicas and replays compare it.
     */
    public long stateHash() {
        StateHasher hasher = new StateHasher();
        hasher.add(markets.lastSequence).add(markets.lastTimestamp).add(markets.instrumentCount);
        ledger.hashState(hasher);
        margin.hashState(hasher);
        accounts.hashLinks(hasher);
        authorisations.hashState(hasher);
        feeTiers.hashState(hasher);
        liquidator.hashState(hasher);
        funds.hashCollateral(hasher);
        for (PriceIndex index : markets.indexes) {
            if (index != null) {
                index.hashState(hasher);
            }
        }
        if (options.hasState()) {
            hasher.add(markets.nextOptionExpiry);
            options.hashState(hasher);
        }
        for (int i = 0; i < markets.instrumentCount; i++) {
            int id = markets.instrumentIds[i];
            OrderBook book = markets.books[id];
            hasher.add(book.spec().toString());
            book.hashState(hasher);
            markets.clearings[id].positions().hashState(hasher);
            InstrumentPricing instrumentPricing = markets.pricings[id];
            if (instrumentPricing != null) {
                instrumentPricing.hashState(hasher);
            }
        }
        recentOrders.hashState(hasher);
        governance.hashState(hasher);
        clientOrderTexts.hashState(hasher);
        return hasher.value();
    }
}
