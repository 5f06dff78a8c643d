package io.meridian.engine;

import io.meridian.auth.Address;
import io.meridian.auth.AgentRegistry;
import io.meridian.auth.NonceTracker;
import io.meridian.auth.SignerId;
import io.meridian.ledger.Ledger;
import io.meridian.ledger.LedgerView;
import io.meridian.matching.BookView;
import io.meridian.model.MarginMode;
import io.meridian.model.OptionMarginSpec;
import io.meridian.model.OptionSpec;
import io.meridian.model.SystemAccounts;
import io.meridian.pricing.PricingView;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.PositionsView;
import io.meridian.risk.margin.MarginModel;
import io.meridian.risk.options.OptionMarginView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The engine's state for queries: balances, margin, positions, books, prices, options, authorisations, the insurance
 * fund. Reads only: books, the ledger, positions, pricing and option margin come as read-only views
 * ({@link BookView}, {@link LedgerView}, {@link PositionsView}, {@link PricingView}, {@link OptionMarginView}), which
 * are the engine's own objects behind interfaces without a mutating method, so a query copies nothing; everything else
 * is a value, a record or a copy. Read the views between commands, on the engine thread, and keep nothing they return
 * past the next command. A gateway reads it through its engine thread's query slot (read your writes).
 */
public final class EngineView {
    private final Markets markets;
    private final MarginEngine margin;
    private final AccountsHandler accounts;
    private final Authorisations authorisations;
    private final FeeTiers feeTiers;
    private final PriceGuard guard;
    private final Options options;
    private final Liquidator liquidator;
    private final RiskGovernance governance;
    private final FundsHandler funds;
    private final ClientOrderTexts clientOrderTexts;

    EngineView(Markets markets, MarginEngine margin, AccountsHandler accounts, Authorisations authorisations,
               FeeTiers feeTiers, PriceGuard guard, Options options, Liquidator liquidator,
               RiskGovernance governance, FundsHandler funds, ClientOrderTexts clientOrderTexts) {
        this.funds = funds;
        this.clientOrderTexts = clientOrderTexts;
        this.markets = markets;
        this.margin = margin;
        this.accounts = accounts;
        this.authorisations = authorisations;
        this.feeTiers = feeTiers;
        this.guard = guard;
        this.options = options;
        this.liquidator = liquidator;
        this.governance = governance;
    }

    public long lastSequence() {
        return markets.lastSequence;
    }

    public long lastTimestamp() {
        return markets.lastTimestamp;
    }

    /** The book of an instrument as a read-only view, or null. Between commands, on the engine thread. */
    public BookView book(int instrument) {
        return instrument >= 0 && instrument < markets.books.length ? markets.books[instrument] : null;
    }

    /**
     * The client order id text of an open order (docs/auth.md, "Client order ids"), or null when its client order id
     * is a number or none. Between commands, on the engine thread.
     */
    public String clientOrderText(long orderId) {
        return clientOrderTexts.get(orderId);
    }

    /** How many open orders have a client order id text. Between commands, on the engine thread. */
    public int clientOrderTextCount() {
        return clientOrderTexts.size();
    }

    /** The positions of an instrument as a read-only view, or null. Between commands, on the engine thread. */
    public PositionsView positions(int instrument) {
        return instrument >= 0 && instrument < markets.clearings.length && markets.clearings[instrument] != null
                ? markets.clearings[instrument].positions() : null;
    }

    /** The ledger as a read-only view: assets, balances and conservation. Between commands, on the engine thread. */
    public LedgerView ledger() {
        return markets.ledger;
    }

    /**
     * The ledger itself, which can post: only for the engine's tests that must break it on purpose (the audit's tests
     * inject postings no command makes), through their package's bridge. Package-private, so it is no query.
     */
    Ledger ledgerForTests() {
        return markets.ledger;
    }

    /** The account's margin state in one asset, computed now (a new holder; for queries, tools and tests). */
    public MarginEngine.MarginState marginState(long account, int asset) {
        return margin.compute(account, asset, new MarginEngine.MarginState());
    }

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
    public Map<Address, Long> addressAccounts() {
        return authorisations.addressAccounts();
    }

    /** An owner's agent keys, approved or revoked, with their validity (a copy). Engine thread. */
    public List<AgentRegistry.Entry> agentsOf(Address owner) {
        return authorisations.agentsOf(owner);
    }

    /** Every owner that ever approved an agent, in address order. Engine thread. */
    public List<Address> agentOwners() {
        return authorisations.agentOwners();
    }

    /**
     * Copies a signer's kept nonces (ascending) into {@code into}, which holds at least the window ({@link #nonceRule()}), and
     * returns how many: the gateway mirrors them to refuse replays before they reach the journal. Engine thread.
     */
    public int copyKeptNonces(SignerId signer, long[] into) {
        return authorisations.nonces().copyKept(signer, into);
    }

    /** The replay rule's bounds: kept nonces per signer, max age and max lead in milliseconds. */
    public long[] nonceRule() {
        NonceTracker n = authorisations.nonces();
        return new long[] {n.window(), n.maxAgeMillis(), n.maxAheadMillis()};
    }

    /** All signers with kept nonces (owners by address, then agents by key). Engine thread. */
    public List<SignerId> nonceSigners() {
        return authorisations.nonces().signersInOrder();
    }

    /** The owner of an account: itself unless it was linked as a sub-account. */
    public long owner(long account) {
        return accounts.ownerOf(account);
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
        return markets.index(indexId) != null;
    }

    /** The index's current price in its own units; 0 before its first publication or when there is no such index. */
    public long indexPrice(int indexId) {
        PriceIndex index = markets.index(indexId);
        return index == null ? 0 : index.price();
    }

    /**
     * The index's annualised realised volatility in ppm (600,000 = 60%), measured by the engine from the index's own
     * publications ({@link io.meridian.pricing.RealisedVolatility}: an EWMA of one-minute squared returns, an hour's
     * half-life); 0 before ten minutes of samples or when there is no such index.
     */
    public long realisedVolatilityPpm(int indexId) {
        PriceIndex index = markets.index(indexId);
        return index == null ? 0 : index.realisedVolatilityPpm();
    }

    /** True when the index exists and is stale (too few fresh sources, or never published). */
    public boolean isIndexStale(int indexId) {
        PriceIndex index = markets.index(indexId);
        return index != null && index.isStale();
    }

    /**
     * True when the instrument's mark comes from an index that is stale: its mark is frozen and must not be used to
     * liquidate. False for an instrument whose mark is set by SET_MARK_PRICE.
     */
    public boolean isPriceStale(int instrument) {
        return guard.isPriceStale(instrument);
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
        return markets.index(indexId) == null ? null : options.marginSpec(indexId);
    }

    /** True when the account is in portfolio margin (SET_MARGIN_MODE with instrument -1 and PORTFOLIO). */
    public boolean isPortfolioMargin(long account) {
        return options.isPortfolioMargin(account);
    }

    /**
     * The account's option margin on an index as a read-only view: its leg count, requirements in its mode, standard
     * and portfolio, and net option value, as the margin library computes them (see {@link Options} for how the engine
     * adds the net option value to them). Null when the account holds nothing on the index. Between commands, on the
     * engine thread.
     */
    public OptionMarginView optionMarginAccount(long account, int indexId) {
        return options.marginAccount(account, indexId);
    }

    /** The settings the engine was made with (capacities, fee tiers, liquidation, option reprice interval). */
    public EngineConfig config() {
        return markets.config;
    }

    /** Mark and funding state of an instrument priced from an index as a read-only view, or null. Engine thread. */
    public PricingView pricing(int instrument) {
        return markets.pricing(instrument);
    }

    /**
     * The margin tiers in force for an instrument (the listed brackets, or the default table), in order; empty when
     * there is no such instrument or its model is not tiered (a size-linear schedule). Records, immutable. An option's
     * are unused: the option margin of its index applies ({@link #optionMarginSpec}).
     */
    public java.util.List<io.meridian.risk.margin.MarginTier> marginTiers(int instrument) {
        MarginModel model = instrument >= 0 && instrument < markets.models.length ? markets.models[instrument] : null;
        return model instanceof io.meridian.risk.margin.MarginSchedule schedule ? schedule.tiers()
                : java.util.List.of();
    }

    /**
     * The instrument's risk parameters in force and its next announced change (docs/risk.md, "Volatility-driven risk
     * parameters"), or null when there is no such model-margined instrument.
     */
    public RiskScaleView riskScale(int instrument) {
        MarginModel model = instrument >= 0 && instrument < markets.models.length ? markets.models[instrument] : null;
        if (!(model instanceof io.meridian.risk.margin.MarginSchedule schedule)
                || markets.books[instrument].spec().kind() == io.meridian.model.InstrumentKind.OPTION) {
            return null;
        }
        RiskGovernance.Scale scale = governance.scale(instrument);
        io.meridian.pricing.InstrumentPricing pricing = markets.pricing(instrument);
        long volatility = pricing == null ? 0 : realisedVolatilityPpm(pricing.indexId());
        if (scale == null) {
            return new RiskScaleView(instrument, io.meridian.model.FixedPoint.PPM, schedule.tiers(),
                    margin.positionLimit(instrument), markets.books[instrument].priceBandPpm(), null, 0, 0, 0,
                    volatility);
        }
        return new RiskScaleView(instrument, scale.multiplierPpm, schedule.tiers(), scale.positionLimit(),
                scale.priceBandPpm(), scale.bounds, scale.changedAt, scale.pendingPpm, scale.pendingAt, volatility);
    }

    /** The venue's governance (admins, threshold, timelock), or null before SET_GOVERNANCE. */
    public io.meridian.model.GovernanceSpec governance() {
        return governance.spec();
    }

    /** The open governance proposals, by id. */
    public List<ProposalView> proposals() {
        List<ProposalView> out = new ArrayList<>();
        for (RiskGovernance.Proposal p : governance.proposals().values()) {
            out.add(new ProposalView(p.id, p.instrument, p.bounds, p.createdAt,
                    p.approvals.stream().map(Address::toLowerHex).toList(), p.eta));
        }
        return out;
    }

    /** The insurance fund's balance in an asset, minor units. */
    public long insuranceFund(int asset) {
        return markets.ledger.balance(SystemAccounts.INSURANCE_FUND, asset);
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
        return instrument >= 0 && markets.book(instrument) != null
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
     * The account's auto-deleveraging quantile in the instrument, 1..5 (5: deleveraged first), as venues show it;
     * 0 when it is no candidate (flat, a system account, equity at or below zero) or before a mark. A query: it ranks
     * the whole instrument ({@link #adlQuantiles}); to show many, take those once.
     */
    public int adlQuantile(long account, int instrument) {
        return adlQuantiles(instrument).quantile(account);
    }

    /**
     * The ADL indicator of every candidate position of the instrument, from the queue the engine's auto-deleveraging
     * walks (docs/risk.md, "ADL rank"); none for an unknown instrument. A query, never a command path: O(n log n) in
     * the instrument's positions, each with its account's margin computation, and it allocates.
     */
    public AdlQuantiles adlQuantiles(int instrument) {
        return instrument >= 0 && markets.book(instrument) != null
                ? liquidator.adlQuantiles(instrument, lastSequence())
                : new AdlQuantiles(lastSequence(), new long[0], new byte[0]);
    }

    /**
     * What the venue owes each address in {@code asset}, sorted by address: the leaves of the asset's balance root
     * ({@link SettlementStatement}). Engine thread; O(accounts x instruments).
     */
    public List<SettlementStatement.Entry> settlementStatement(int asset) {
        return SettlementStatement.of(markets, authorisations, accounts, asset);
    }

    /** The vault's id of the last on-chain deposit credited (0: none): a deposit watcher resumes after it. */
    public long lastChainDepositId() {
        return funds.lastChainDepositId();
    }

    /** The vault's forced request served last, as its {@code forcedRef} (0: none): a request watcher resumes after it. */
    public long lastForcedRef() {
        return funds.lastForcedRef();
    }

    /**
     * The vault's risk-bounds publication applied last, as its {@code chainRef} (0: none): a publication watcher resumes
     * after it.
     */
    public long lastChainRiskBoundsRef() {
        return governance.lastChainRef();
    }

    /** Instrument ids in ascending order (a new list). */
    public List<Integer> instrumentIds() {
        List<Integer> ids = new ArrayList<>(markets.instrumentCount);
        for (int i = 0; i < markets.instrumentCount; i++) {
            ids.add(markets.instrumentIds[i]);
        }
        return Collections.unmodifiableList(ids);
    }
}
