package io.meridian.engine;

import io.meridian.matching.OrderBook;
import io.meridian.model.Command;
import io.meridian.model.IndexSpec;
import io.meridian.model.RejectReason;
import io.meridian.model.Side;
import io.meridian.pricing.FundingRate;
import io.meridian.pricing.InstrumentPricing;

/**
 * Prices and their timers: ADD_INDEX, ORACLE_REPORT, TIME_TICK (every index recomputed, so a silent source goes stale
 * by time alone), SET_MARK_PRICE, the marks of index-priced instruments after every usable recompute, the option
 * model marks ({@link Options.Host}), and the premium-sample and funding timers. A mark change fires the book's mark
 * triggers and tells the liquidation engine. docs/pricing.md has the formulas. Engine thread.
 */
final class PricingHandler implements Options.Host {
    private final Markets markets;
    private final Options options;
    private final Liquidator liquidator;
    private final FundsHandler funds;
    private final PriceGuard guard;

    PricingHandler(Markets markets, Options options, Liquidator liquidator, FundsHandler funds, PriceGuard guard) {
        this.markets = markets;
        this.options = options;
        this.liquidator = liquidator;
        this.funds = funds;
        this.guard = guard;
    }

    void addIndex(Command c) {
        IndexSpec spec = c.indexSpec;
        RejectReason reason = spec == null ? RejectReason.INVALID_INDEX : spec.validate();
        if (reason == null && markets.index(spec.id()) != null) {
            reason = RejectReason.INDEX_EXISTS;
        }
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        markets.addIndex(new PriceIndex(spec, markets.events));
        markets.events.indexAdded(c.sequence, c.timestamp, spec);
    }

    void oracleReport(Command c) {
        PriceIndex index = markets.index(c.indexId);
        RejectReason reason = index == null ? RejectReason.UNKNOWN_INDEX
                : index.report(c.sourceId, c.price, c.confidence, c.sourceTimestamp, c.timestamp);
        if (reason != null) {
            markets.reject(c, reason);
            return;
        }
        refreshIndex(index, c.sequence, c.timestamp);
    }

    /** TIME_TICK: every index recomputed, in id order. */
    void refreshAllIndexes(long sequence, long timestamp) {
        for (PriceIndex index : markets.indexes) {
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
                options.observe(index, false, sequence, timestamp, this);
            }
            return;
        }
        for (int i = 0; i < index.instrumentCount(); i++) {
            updateMark(index.instrument(i), index, sequence, timestamp);
        }
        funds.repriceCollateral(index);
        if (options.any()) {
            options.observe(index, true, sequence, timestamp, this);
        }
    }

    /**
     * The mark of an index-priced instrument from its index, the impact prices of its book (the book component sees
     * only depth that fills the impact notional) and its last trade ({@link InstrumentPricing#updateMark}).
     */
    void updateMark(int instrument, PriceIndex index, long sequence, long timestamp) {
        OrderBook book = markets.books[instrument];
        InstrumentPricing pricing = markets.pricings[instrument];
        long notional = pricing.spec().impactNotional();
        long perTickLot = book.spec().minorUnitsPerTickLot();
        long impactBid = ImpactPrice.of(book, Side.BUY, notional, perTickLot, pricing.unitsPerTick());
        long impactAsk = ImpactPrice.of(book, Side.SELL, notional, perTickLot, pricing.unitsPerTick());
        long mark = pricing.updateMark(timestamp, index.price(), impactBid, impactAsk, book.lastTradePrice());
        setModelMark(instrument, Math.min(mark, book.spec().maxPrice()), sequence, timestamp);
    }

    /**
     * Puts a computed mark on a book: mark triggers fire, GTD expiries they may add are watched, and the liquidation
     * engine sees the move. No-op for a non-positive mark or an unchanged one. Also how {@link Options} marks options.
     */
    @Override
    public void setModelMark(int instrument, long mark, long sequence, long timestamp) {
        OrderBook book = markets.books[instrument];
        if (mark > 0 && mark != book.markPrice()) {
            book.setContext(sequence, timestamp);
            book.setMarkPrice(mark);
            markets.nextExpiry = Math.min(markets.nextExpiry, book.nextExpiry());
            liquidator.onMarkChanged(instrument, mark);
        }
    }

    /**
     * SET_MARK_PRICE. For an option, also implies its mark volatility ({@link Options#markSet}); an expired option
     * rejects {@code INSTRUMENT_EXPIRED}.
     */
    void setMarkPrice(Command c) {
        OrderBook book = markets.book(c);
        if (book == null) {
            return;
        }
        OptionSeries option = book.spec().expiryTimestamp() != 0 ? options.series(c.instrument) : null;
        if (option != null && option.state != OptionSeries.TRADING) {
            markets.reject(c, RejectReason.INSTRUMENT_EXPIRED);
            return;
        }
        book.setMarkPrice(c.price);
        if (book.markPrice() == c.price) {
            if (option != null) {
                options.markSet(option, c.price, markets.indexes[options.indexOf(option)], c.timestamp);
            }
            if (guard.test(c.instrument)) {
                liquidator.onMarkChanged(c.instrument, c.price);
            }
        }
    }

    /** Premium samples and funding settlements due by {@code timestamp}, instruments in ascending id. */
    void runTimers(long sequence, long timestamp) {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < markets.instrumentCount; i++) {
            int id = markets.instrumentIds[i];
            InstrumentPricing pricing = markets.pricings[id];
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
        markets.nextPricingDue = earliest;
    }

    /**
     * One premium sample from the impact bid and ask against the index; skipped while the index is unusable. A side
     * whose visible depth cannot fill the impact notional contributes no premium (its impact price is reported as 0).
     */
    private void samplePremium(int id, InstrumentPricing pricing, long sequence, long timestamp) {
        PriceIndex index = markets.indexes[pricing.indexId()];
        if (!index.isUsable()) {
            pricing.skipPremiumSample(timestamp);
            return;
        }
        OrderBook book = markets.books[id];
        long notional = pricing.spec().impactNotional();
        long perTickLot = book.spec().minorUnitsPerTickLot();
        long impactBid = ImpactPrice.of(book, Side.BUY, notional, perTickLot, pricing.unitsPerTick());
        long impactAsk = ImpactPrice.of(book, Side.SELL, notional, perTickLot, pricing.unitsPerTick());
        long premium = FundingRate.premiumIndex(impactBid, impactAsk == 0 ? Long.MAX_VALUE : impactAsk, index.price());
        pricing.addPremiumSample(premium, timestamp);
        markets.events.premiumSampled(sequence, timestamp, id, impactBid, impactAsk, index.price(), premium);
    }

    /**
     * Ends the funding interval and pays it at the current mark ({@link Clearing#settleFunding}). Without a mark
     * (the index never published) the rate is still announced but nothing is paid.
     */
    private void settleFunding(int id, InstrumentPricing pricing, long sequence, long timestamp) {
        long averagePremium = pricing.averagePremium();
        int samples = pricing.samples();
        long rate = pricing.closeInterval(timestamp);
        long mark = markets.books[id].markPrice();
        markets.events.fundingRateApplied(sequence, timestamp, id, rate, averagePremium,
                pricing.spec().interestRate8h(), samples, mark);
        if (mark > 0 && rate != 0) {
            markets.clearings[id].settleFunding(rate, mark, markets.events, sequence, timestamp);
        }
    }
}
