package io.meridian.engine;

import io.meridian.matching.OrderBook;
import io.meridian.model.AssetSpec;
import io.meridian.model.Command;
import io.meridian.model.CommandType;
import io.meridian.model.FixedPoint;
import io.meridian.model.IndexSpec;
import io.meridian.model.InstrumentKind;
import io.meridian.model.InstrumentSpec;
import io.meridian.model.MarginBracket;
import io.meridian.model.PricingSpec;
import io.meridian.model.RejectReason;
import io.meridian.pricing.FundingRate;
import io.meridian.pricing.InstrumentPricing;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.margin.MarginModel;
import io.meridian.risk.margin.MarginSchedule;
import io.meridian.risk.margin.MarginTier;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Listing and settlement: ADD_INSTRUMENT (a perpetual, a dated future or an option: its book, clearing, margin model,
 * liquidation triggers and, when priced from an index, its mark and funding state), SET_OPTION_MARGIN, and the option
 * expiry timer (options close to trading and cash-settle, {@link Options#expireDue}). Engine thread.
 */
final class ListingHandler {
    /** Leverage an account gets in an instrument until it sets one, capped by the instrument's tier-0 maximum. */
    static final int DEFAULT_LEVERAGE = 20;

    private final Markets markets;
    private final MarginEngine margin;
    private final Options options;
    private final Liquidator liquidator;
    private final FeeTiers feeTiers;
    private final TouchedAccounts touched;
    private final PricingHandler pricing;

    ListingHandler(Markets markets, MarginEngine margin, Options options, Liquidator liquidator, FeeTiers feeTiers,
                   TouchedAccounts touched, PricingHandler pricing) {
        this.markets = markets;
        this.margin = margin;
        this.options = options;
        this.liquidator = liquidator;
        this.feeTiers = feeTiers;
        this.touched = touched;
        this.pricing = pricing;
    }

    void addInstrument(Command c) {
        InstrumentSpec spec = c.instrumentSpec;
        RejectReason reason = spec == null ? RejectReason.INVALID_INSTRUMENT : spec.validate();
        if (reason == null && spec.id() >= markets.books.length) {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        if (reason == null && markets.books[spec.id()] != null) {
            reason = RejectReason.INSTRUMENT_EXISTS;
        }
        AssetSpec settlement = reason == null ? markets.assetsBySymbol.get(spec.settlementAsset()) : null;
        if (reason == null && settlement == null) {
            reason = RejectReason.UNKNOWN_ASSET;
        }
        if (reason == null && (settlement.scale() != spec.settlementScale() || !feeTiers.acceptsInstrument(spec)
                || c.positionLimit < 0)) {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        PriceIndex optionIndex = null;
        if (reason == null && (spec.kind() == InstrumentKind.OPTION || c.optionSpec != null)) {
            optionIndex = c.optionSpec == null ? null : markets.index(c.optionSpec.indexId());
            reason = options.check(c, spec, optionIndex, settlement);
        }
        if (reason != null) {
            rejectListing(c, spec == null ? -1 : spec.id(), reason);
            return;
        }
        int id = spec.id();
        MarginModel model = marginModel(c.marginBrackets, settlement.scale());
        if (model == null) {
            rejectListing(c, id, RejectReason.INVALID_INSTRUMENT);
            return;
        }
        OptionSeries option = optionIndex == null ? null : options.prepare(c, spec, optionIndex, settlement);
        if (optionIndex != null && option == null) {
            rejectListing(c, id, RejectReason.INVALID_OPTION);
            return;
        }
        InstrumentPricing instrumentPricing = null;
        if (c.pricingSpec != null) {
            reason = c.pricingSpec.validate();
            if (reason == null && markets.index(c.pricingSpec.indexId()) == null) {
                reason = RejectReason.UNKNOWN_INDEX;
            }
            instrumentPricing = reason == null ? newPricing(c.pricingSpec, spec, model, c.timestamp) : null;
            if (reason == null && instrumentPricing == null) {
                reason = RejectReason.INVALID_PRICING;
            }
            if (reason != null) {
                rejectListing(c, id, reason);
                return;
            }
        }
        list(c, spec, settlement, model, option, optionIndex, instrumentPricing);
    }

    /** Creates everything a checked listing needs and announces it ({@code instrumentAdded}). */
    private void list(Command c, InstrumentSpec spec, AssetSpec settlement, MarginModel model, OptionSeries option,
                      PriceIndex optionIndex, InstrumentPricing instrumentPricing) {
        int id = spec.id();
        EngineConfig config = markets.config;
        Clearing clearing = new Clearing(spec, settlement.id(), markets.ledger, feeTiers, touched, margin, liquidator,
                options);
        markets.clearings[id] = clearing;
        markets.models[id] = model;
        liquidator.addInstrument(id);
        margin.addInstrument(id, settlement.id(), model, clearing.positions(),
                Math.max(spec.takerFeePpm(), feeTiers.maxVipTakerPpm()),
                Math.min(DEFAULT_LEVERAGE, model.maxLeverage(1, 0)), c.positionLimit);
        markets.books[id] = new OrderBook(spec, markets.events, markets.marketData, clearing,
                config.expectedOrdersPerBook(), config.maxOpenOrdersPerBook(), config.maxOpenOrdersPerAccount());
        markets.insertInstrumentId(id);
        markets.events.instrumentAdded(c.sequence, c.timestamp, spec);
        if (option != null) {
            options.list(option, c, optionIndex, pricing);
            markets.nextOptionExpiry = Math.min(markets.nextOptionExpiry, spec.expiryTimestamp());
        }
        if (instrumentPricing != null) {
            markets.pricings[id] = instrumentPricing;
            PriceIndex index = markets.indexes[instrumentPricing.indexId()];
            index.addInstrument(id);
            options.addFutureIfLinked(id, instrumentPricing.indexId());
            markets.nextPricingDue = Math.min(markets.nextPricingDue, instrumentPricing.nextDue());
            if (index.isUsable()) {
                pricing.updateMark(id, index, c.sequence, c.timestamp);
            }
        }
    }

    private void rejectListing(Command c, int instrument, RejectReason reason) {
        markets.events.commandRejected(c.sequence, c.timestamp, CommandType.ADD_INSTRUMENT, instrument, 0, 0, c.account,
                reason);
    }

    /**
     * Mark and funding state for a new instrument, or null when the pricing cannot apply to it: the index's price
     * unit must divide the tick size into a whole number of units ({@code tickSize x 10^priceDecimals} integral),
     * and without an explicit funding cap the margin table must give IMR > MMR at its first tier.
     */
    private InstrumentPricing newPricing(PricingSpec pricingSpec, InstrumentSpec spec, MarginModel model, long now) {
        IndexSpec indexSpec = markets.indexes[pricingSpec.indexId()].spec();
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

    /**
     * SET_OPTION_MARGIN: {@code UNKNOWN_INDEX} for an index that does not exist, else {@link Options#setMarginSpec}
     * ({@code INVALID_OPTION_MARGIN}, {@code OPTION_MARGIN_UNPRICEABLE}).
     */
    void setOptionMargin(Command c) {
        RejectReason reason = markets.index(c.indexId) == null ? RejectReason.UNKNOWN_INDEX
                : options.setMarginSpec(c.indexId, c.optionMarginSpec, touched);
        if (reason != null) {
            markets.reject(c, reason);
        }
    }

    /** The option expiry timer: options due by {@code timestamp} close to trading and settle. */
    void expireOptions(long sequence, long timestamp) {
        markets.nextOptionExpiry = options.expireDue(sequence, timestamp);
    }
}
