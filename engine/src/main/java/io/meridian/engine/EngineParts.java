package io.meridian.engine;

import io.meridian.ledger.Ledger;
import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.EngineEvents;
import io.meridian.pricing.InstrumentPricing;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.margin.MarginModel;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.util.Map;

/**
 * What {@link EngineSnapshotFormat} writes of an engine and restores into a new one: the components, and the few
 * values the engine and its handlers keep themselves, so that the format lives outside them. {@link #events()} is the
 * listener the engine's parts report to (its outcome tap), which restored parts must report to as well. Engine thread,
 * between commands.
 */
final class EngineParts {
    private final Markets markets;
    private final MarginEngine margin;
    private final FeeTiers feeTiers;
    private final TouchedAccounts touched;
    private final Liquidator liquidator;
    private final Options options;
    private final Authorisations authorisations;
    private final AccountsHandler accounts;
    private final FundsHandler funds;
    private final RecentOrders recentOrders;
    private final RiskGovernance governance;
    private final ClientOrderTexts clientOrderTexts;

    EngineParts(Markets markets, MarginEngine margin, FeeTiers feeTiers, TouchedAccounts touched, Liquidator liquidator,
                Options options, Authorisations authorisations, AccountsHandler accounts, FundsHandler funds,
                RecentOrders recentOrders, RiskGovernance governance, ClientOrderTexts clientOrderTexts) {
        this.governance = governance;
        this.clientOrderTexts = clientOrderTexts;
        this.markets = markets;
        this.margin = margin;
        this.feeTiers = feeTiers;
        this.touched = touched;
        this.liquidator = liquidator;
        this.options = options;
        this.authorisations = authorisations;
        this.accounts = accounts;
        this.funds = funds;
        this.recentOrders = recentOrders;
    }

    FundsHandler funds() {
        return funds;
    }

    ClientOrderTexts clientOrderTexts() {
        return clientOrderTexts;
    }

    RiskGovernance governance() {
        return governance;
    }

    EngineEvents events() {
        return markets.events;
    }

    /** The host's listener, which the books give their market data directly ({@link Markets#marketData}). */
    EngineEvents marketData() {
        return markets.marketData;
    }

    EngineConfig config() {
        return markets.config;
    }

    Ledger ledger() {
        return markets.ledger;
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

    RecentOrders recentOrders() {
        return recentOrders;
    }

    OrderBook[] books() {
        return markets.books;
    }

    Clearing[] clearings() {
        return markets.clearings;
    }

    InstrumentPricing[] pricings() {
        return markets.pricings;
    }

    MarginModel[] models() {
        return markets.models;
    }

    Map<String, AssetSpec> assetsBySymbol() {
        return markets.assetsBySymbol;
    }

    Long2LongHashMap ownerOf() {
        return accounts.ownerOfMap();
    }

    LongHashSet owners() {
        return accounts.owners();
    }

    PriceIndex index(int id) {
        return markets.index(id);
    }

    /** Every index, by id (null where none). */
    PriceIndex[] indexes() {
        return markets.indexes;
    }

    void addIndex(PriceIndex index) {
        markets.addIndex(index);
    }

    int instrumentCount() {
        return markets.instrumentCount;
    }

    int instrumentId(int i) {
        return markets.instrumentIds[i];
    }

    void addInstrumentId(int id) {
        markets.insertInstrumentId(id);
    }

    /** The envelope and timers: last sequence and timestamp, next GTD expiry, pricing timer and option expiry. */
    long[] clock() {
        return new long[] {markets.lastSequence, markets.lastTimestamp, markets.nextExpiry, markets.nextPricingDue,
            markets.nextOptionExpiry};
    }

    void setClock(long sequence, long timestamp, long expiry, long pricingDue, long optionExpiry) {
        markets.lastSequence = sequence;
        markets.lastTimestamp = timestamp;
        markets.nextExpiry = expiry;
        markets.nextPricingDue = pricingDue;
        markets.nextOptionExpiry = optionExpiry;
    }

    int collateralLinkCount() {
        return funds.collateralLinkCount();
    }

    /** Link i: index id, asset, asset scale, settlement asset, settlement unit, weight (ppm). */
    long[] collateralLink(int i) {
        return funds.collateralLink(i);
    }

    void addCollateralLink(int indexId, int asset, int assetScale, int settlementAsset, long settlementUnit,
                           long weightPpm) {
        funds.addCollateralLink(indexId, asset, assetScale, settlementAsset, settlementUnit, weightPpm);
    }
}
