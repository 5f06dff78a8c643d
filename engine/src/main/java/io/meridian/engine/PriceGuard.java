package io.meridian.engine;

import io.meridian.matching.OrderBook;
import io.meridian.pricing.InstrumentPricing;

import java.util.function.IntPredicate;

/**
 * Whether an instrument's price may be acted on: its index (a perpetual's pricing index, or an option's underlying
 * index) is not stale. As an {@link IntPredicate}, the liquidation engine's test of a usable price. Read-only over
 * {@link Markets} and {@link Options}; engine thread.
 */
final class PriceGuard implements IntPredicate {
    private final Markets markets;
    private final Options options;

    PriceGuard(Markets markets, Options options) {
        this.markets = markets;
        this.options = options;
    }

    /** A price the liquidation engine may act on: a mark exists and, for an index-priced instrument, is not stale. */
    @Override
    public boolean test(int instrument) {
        OrderBook book = markets.book(instrument);
        return book != null && book.markPrice() > 0 && !isPriceStale(instrument);
    }

    /**
     * True when the instrument's mark comes from an index that is stale: its mark is frozen and must not be used to
     * liquidate. False for an instrument whose mark is set by SET_MARK_PRICE.
     */
    boolean isPriceStale(int instrument) {
        PriceIndex index = priceIndexOf(instrument);
        return index != null && index.isStale();
    }

    /** True when the instrument is priced from an index configured reduce-only-when-stale, and that index is stale. */
    boolean reduceOnlyWhileStale(int instrument) {
        PriceIndex index = priceIndexOf(instrument);
        return index != null && index.spec().reduceOnlyWhenStale() && index.isStale();
    }

    /** The index an instrument is priced from (a perpetual's pricing index, an option's underlying), or null. */
    private PriceIndex priceIndexOf(int instrument) {
        InstrumentPricing pricing = markets.pricing(instrument);
        if (pricing != null) {
            return markets.indexes[pricing.indexId()];
        }
        OptionSeries option = options.any() ? options.series(instrument) : null;
        return option == null ? null : markets.indexes[options.indexOf(option)];
    }
}
