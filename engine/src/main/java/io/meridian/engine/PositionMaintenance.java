package io.meridian.engine;

import io.meridian.matching.OrderBook;
import io.meridian.risk.MarginEngine;
import io.meridian.risk.Position;
import io.meridian.risk.margin.MarginModel;
import io.meridian.risk.margin.Notional;

/**
 * The maintenance margin of one position on its own, as the liquidation waterfall sizes its steps with it
 * ({@link Liquidator}: which position to close first, how much, the fee a close may pay; {@link InsuranceFund}: its
 * inventory's margin after a takeover). The margin engine gives an account's margin per asset only; this prices one
 * position, or a part of it, by itself.
 *
 * <p>Engine thread only (reads the marks and the option legs); allocates nothing.
 */
final class PositionMaintenance {
    private final OrderBook[] books;
    private final Clearing[] clearings;
    private final MarginModel[] models;
    private final MarginEngine margin;
    /** Per-position maintenance of options (and futures margined with them), which their models do not give. */
    private final OptionMarginHook options;

    PositionMaintenance(OrderBook[] books, Clearing[] clearings, MarginModel[] models, MarginEngine margin,
                        OptionMarginHook options) {
        this.books = books;
        this.clearings = clearings;
        this.models = models;
        this.margin = margin;
        this.options = options;
    }

    /** The maintenance margin of the whole position. */
    long of(int instrument, Position position) {
        return of(position.account(), instrument, position.size());
    }

    /**
     * The maintenance margin of {@code size} lots (signed) of the account's position on its own: the instrument's
     * model at the mark, or, for a position margined by the option rules, its leg's share ({@link
     * OptionMarginHook#legMaintenance}: a long option's value, a short option's risk part).
     */
    long of(long account, int instrument, long size) {
        if (size == 0) {
            return 0;
        }
        if (margin.isExternallyMargined(account, instrument)) {
            long leg = options.legMaintenance(instrument, size);
            if (leg >= 0) {
                return leg;
            }
        }
        long unit = clearings[instrument].positions().minorUnitsPerTickLot();
        return models[instrument].maintenanceMargin(size, Notional.of(size, books[instrument].markPrice(), unit));
    }
}
